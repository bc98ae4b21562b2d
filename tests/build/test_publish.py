"""Publishing: renames from staging, all or nothing on an exception, repair after a kill, one build at a time."""

from __future__ import annotations

import pytest
from build_fixtures import tree

from livingreview.build import publish


def outputs_with_old_version(tmp_path):
    out = tmp_path / "outputs"
    (out / "alpha" / "all").mkdir(parents=True)
    (out / "alpha" / "all" / "report.html").write_text("old report", encoding="utf-8")
    (out / "index.html").write_text("old index", encoding="utf-8")
    return out


def stage(out):
    staging = publish.Staging(out)
    for name in ("alpha/all", "beta/all"):
        (staging / name).mkdir(parents=True)
        (staging / name / "report.html").write_text(f"new {name}", encoding="utf-8")
    (staging / "index.html").write_text("new index", encoding="utf-8")
    return staging


def test_publish_replaces_folders_and_files(tmp_path):
    out = outputs_with_old_version(tmp_path)
    staging = stage(out)
    publish.publish(staging, ["alpha/all", "beta/all", "index.html"])
    staging.discard()
    assert tree(out) == {"alpha/all/report.html": b"new alpha/all", "beta/all/report.html": b"new beta/all",
                         "index.html": b"new index"}


@pytest.mark.parametrize("fail_at", [1, 2, 3])
def test_an_exception_mid_publish_undoes_every_step(tmp_path, monkeypatch, fail_at):
    out = outputs_with_old_version(tmp_path)
    before = tree(out)
    staging = stage(out)
    calls = []
    real_dir, real_file = publish._publish_dir, publish._publish_file

    def counting(real):
        def step(*args):
            calls.append(args[1])
            if len(calls) == fail_at:
                raise OSError("simulated")
            return real(*args)
        return step

    monkeypatch.setattr(publish, "_publish_dir", counting(real_dir))
    monkeypatch.setattr(publish, "_publish_file", counting(real_file))
    with pytest.raises(OSError, match="simulated"):
        publish.publish(staging, ["alpha/all", "beta/all", "index.html"])
    staging.discard()
    assert tree(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["alpha", "index.html"]


def test_recover_puts_back_a_folder_moved_aside_and_removes_staging(tmp_path):
    out = outputs_with_old_version(tmp_path)
    before = tree(out)
    staging = stage(out)
    (staging / publish.TRASH / "alpha").mkdir(parents=True)
    (out / "alpha" / "all").rename(staging / publish.TRASH / "alpha" / "all")  # killed between the renames
    assert publish.recover(out) == ["alpha/all"]
    assert tree(out) == before
    assert not list(out.glob(".staging-*"))


def test_recover_keeps_a_published_folder(tmp_path):
    out = outputs_with_old_version(tmp_path)
    staging = stage(out)
    (staging / publish.TRASH / "alpha").mkdir(parents=True)
    (out / "alpha" / "all").rename(staging / publish.TRASH / "alpha" / "all")
    (staging / "alpha" / "all").rename(out / "alpha" / "all")  # killed after both renames
    assert publish.recover(out) == []
    assert (out / "alpha" / "all" / "report.html").read_text(encoding="utf-8") == "new alpha/all"


def test_only_one_build_may_publish_at_a_time(tmp_path):
    out = tmp_path / "outputs"
    with publish.exclusive(out):
        with pytest.raises(publish.OutputsBusy, match="another build is writing"):
            with publish.exclusive(out):
                pass
    with publish.exclusive(out):
        pass

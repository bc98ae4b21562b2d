"""The manifest: file hashes and the check that a reused report's files are still the recorded ones."""

from __future__ import annotations

import json

from livingreview import fingerprint
from livingreview.build import manifest


def test_damaged_names_changed_missing_and_unrecorded_files(tmp_path):
    folder = tmp_path / "alpha" / "all"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("report", encoding="utf-8")
    (folder / "evidence.csv").write_text("rows", encoding="utf-8")
    files = manifest.folder_hashes(folder, "alpha/all")
    assert files == {"alpha/all/evidence.csv": fingerprint.sha256_bytes(b"rows"),
                     "alpha/all/report.html": fingerprint.sha256_bytes(b"report")}
    recorded = {**manifest.empty(), "files": files}
    assert manifest.damaged(tmp_path, recorded, "alpha/all", {"report.html", "evidence.csv"}) == []
    (folder / "report.html").write_text("edited by hand", encoding="utf-8")
    (folder / "evidence.csv").unlink()
    assert manifest.damaged(tmp_path, recorded, "alpha/all", {"report.html", "report.pdf"}) == [
        "alpha/all/evidence.csv", "alpha/all/report.html", "alpha/all/report.pdf"]


def test_render_and_read_round_trip(tmp_path):
    text = manifest.render({"b/x": "2", "a/x": "1"}, {"b/all": {"key": "k"}})
    assert text.endswith(b"\n")
    assert list(json.loads(text)["files"]) == ["a/x", "b/x"]
    (tmp_path / manifest.NAME).write_bytes(text)
    assert manifest.read(tmp_path) == {"schema": manifest.SCHEMA, "files": {"a/x": "1", "b/x": "2"}, "reports": {"b/all": {"key": "k"}}}


def test_an_unreadable_manifest_means_rebuild_everything(tmp_path):
    assert manifest.read(tmp_path) == manifest.empty()
    (tmp_path / manifest.NAME).write_text("{broken", encoding="utf-8")
    assert manifest.read(tmp_path) == manifest.empty()
    (tmp_path / manifest.NAME).write_text('{"schema": "something/else@9"}', encoding="utf-8")
    assert manifest.read(tmp_path) == manifest.empty()

from __future__ import annotations

import subprocess
import sys

import pytest

from livingreview.cli import build_parser, main


def test_help_lists_every_real_subcommand(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("check", "build", "plan", "publish", "new", "schema", "import", "screening", "init"):
        assert f"    {command}" in out


def test_every_subcommand_has_one_line_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == ["add-hypothesis", "build", "check", "import", "init", "kernel", "new", "plan", "publish",
                                   "schema", "screening", "search"]
    for action in sub._choices_actions:
        assert action.help and "\n" not in action.help


def test_outside_a_project_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    code = main(["--root", str(tmp_path), "check"])
    err = capsys.readouterr().err
    assert code == 2
    assert "no livingreview project here" in err
    assert "Traceback" not in err


def test_console_script_is_installed():
    result = subprocess.run([sys.executable, "-m", "livingreview", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("livingreview ")



def test_a_closed_pipe_is_not_an_internal_error(tmp_path, monkeypatch, capsys):
    """`livingreview build --explain | head`: the reader leaving early is not a bug."""
    import livingreview.check

    from livingreview.project import CONFIG

    (tmp_path / CONFIG).parent.mkdir(parents=True)
    (tmp_path / CONFIG).write_text("title: t\nauthors: [a]\nvariants: [{name: all, title: All}]\n")

    def closed_pipe(*args, **kwargs):
        raise BrokenPipeError

    monkeypatch.setattr(livingreview.check, "run", closed_pipe)
    assert main(["--root", str(tmp_path), "check"]) == 0
    assert "internal error" not in capsys.readouterr().err


def test_schema_writes_into_the_projects_schemas_folder_and_then_leaves_it(tiny_project, capsys):
    root = str(tiny_project.root)
    assert main(["--root", root, "schema"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "wrote schemas/note.schema.json", "wrote schemas/hypothesis.schema.json", "wrote schemas/build.schema.json",
        "wrote schemas/vocabulary.schema.json"]
    written = {p.name: p.read_bytes() for p in (tiny_project.root / "schemas").iterdir()}
    assert main(["--root", root, "schema"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "unchanged schemas/note.schema.json", "unchanged schemas/hypothesis.schema.json", "unchanged schemas/build.schema.json",
        "unchanged schemas/vocabulary.schema.json"]
    assert {p.name: p.read_bytes() for p in (tiny_project.root / "schemas").iterdir()} == written


def test_schema_out_writes_elsewhere(tiny_project, tmp_path, capsys):
    out = tmp_path / "editor"
    assert main(["--root", str(tiny_project.root), "schema", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["build.schema.json", "hypothesis.schema.json", "note.schema.json",
                                                       "vocabulary.schema.json"]
    assert not (tiny_project.root / "schemas").exists()


def test_schema_into_a_file_is_an_error_not_a_traceback(tiny_project, tmp_path, capsys):
    (tmp_path / "taken").write_text("a file\n", encoding="utf-8")
    assert main(["--root", str(tiny_project.root), "schema", "--out", str(tmp_path / "taken")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("livingreview: ") and "is not a folder" in err and "Traceback" not in err


def test_schema_help_says_what_it_writes(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["schema", "--help"])
    assert exc.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for words in ("note.schema.json", "hypothesis.schema.json", "build.schema.json", "--out DIR", "YAML language server"):
        assert words in out


def test_new_names_the_schema_that_schema_writes(tiny_project, capsys):
    """An editor opening the new note finds its schema: the first line's path, from the note's folder."""
    root = str(tiny_project.root)
    tiny_project.write("bib/more.bib", "@article{lee2019, title = {An example}, year = 2019}\n")
    assert main(["--root", root, "new", "lee2019"]) == 0
    assert main(["--root", root, "schema"]) == 0
    note = tiny_project.root / "reviews/notes/lee2019.yml"
    first = note.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/note.schema.json"
    target = (note.parent / first.partition("$schema=")[2]).resolve()
    assert target == (tiny_project.root / "schemas/note.schema.json").resolve() and target.is_file()

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
    for command in ("check", "build", "new", "import"):
        assert f"    {command}" in out


def test_every_subcommand_has_one_line_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == ["build", "check", "import", "new"]
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

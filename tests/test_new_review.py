"""``livingreview init``: a new review that builds and passes its own tests at once, from its own
README's commands, with no network and no file copied by hand."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from livingreview import cli
from livingreview.loader import collect
from livingreview.new_review import ReviewNotCreated, init_review, requirement
from livingreview.project import Project

#: a title a YAML writer would have to quote
TITLE = 'Exercise: "dose" and knee pain — an example'


def readme_commands(root: Path) -> list[str]:
    """The commands of the first fenced code block of the review's README (comments dropped)."""
    block = re.search(r"```bash\n(.*?)```", (root / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]


def test_init_writes_a_review_that_checks_clean_and_names_its_examples(tmp_path):
    root = tmp_path / "knee-oa"
    written = init_review(root, title=TITLE, author="A. Author")
    assert {".gitignore", ".pre-commit-config.yaml", ".github/workflows/review.yml", "CITATION.cff", "README.md",
            "tasks", "requirements.txt", "bib/references.bib", "reviews/build.yml", "reviews/vocabulary.yml",
            "reviews/certainty.yml", "reviews/risk-of-bias.yml", "reviews/search.yml", "reviews/screening.csv",
            "reviews/hypotheses/example-hypothesis.yml", "reviews/notes/example2024.yml",
            "notebooks/example-hypothesis.ipynb", "tests/test_review.py"} <= {p.as_posix() for p in written}
    assert os.access(root / "tasks", os.X_OK)
    _, diagnostics = collect(Project(root))
    assert [d.format() for d in diagnostics] == []  # not even a warning
    project = Project(root)
    assert project.config.title == TITLE.replace('"', "'") and project.config.authors == ["A. Author"]
    assert "EXAMPLE" in (root / "reviews" / "notes" / "example2024.yml").read_text(encoding="utf-8")
    assert "not a real work" in (root / "bib" / "references.bib").read_text(encoding="utf-8")
    assert readme_commands(root) == ["./tasks build", "./tasks test"]
    for name in ("build", "vocabulary"):  # editors check them against the schemas ./tasks writes
        assert (root / "reviews" / f"{name}.yml").read_text(encoding="utf-8").startswith(
            f"# yaml-language-server: $schema=../schemas/{name}.schema.json")


def test_its_notebook_assigns_the_parameters_its_vocabulary_gives(tmp_path):
    init_review(tmp_path / "r")
    cells = json.loads((tmp_path / "r" / "notebooks" / "example-hypothesis.ipynb").read_text(encoding="utf-8"))["cells"]
    [cell] = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    assert "symptom_required_only = False" in "".join(cell["source"])
    assert "pem" not in json.dumps(cells).casefold()


def test_init_refuses_a_folder_that_is_not_empty_and_leaves_it_as_it_was(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me\n", encoding="utf-8")
    with pytest.raises(ReviewNotCreated, match="not an empty folder"):
        init_review(tmp_path / "mine")
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]  # no staging folder left behind


def test_the_command_needs_no_project_and_says_what_to_do_next(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["init", "new-review"]) == 0
    assert "cd new-review && ./tasks build && ./tasks test" in capsys.readouterr().out
    assert cli.main(["init", "new-review"]) == 2
    assert "is not an empty folder" in capsys.readouterr().err


def test_requirements_name_this_livingreview():
    assert requirement().startswith("livingreview")


@pytest.mark.slow
def test_its_readme_commands_build_a_report_and_pass_its_own_tests(tmp_path):
    root = tmp_path / "knee-oa"
    init_review(root, title=TITLE)
    env = {**os.environ, "LIVINGREVIEW_PYTHON": sys.executable}  # this environment: no network, no .venv to make
    env.pop("LIVINGREVIEW_SOURCES", None)
    for command in readme_commands(root):
        done = subprocess.run(command.split() + (["-q", "-p", "no:cacheprovider"] if command.endswith("test") else []),
                              cwd=root, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    reports = sorted(p.relative_to(root / "outputs").as_posix() for p in (root / "outputs").glob("*/*/report.html"))
    assert reports == ["example-hypothesis/all/report.html", "example-hypothesis/symptom-required/report.html"]
    assert (root / "outputs" / "example-hypothesis" / "all" / "report.pdf").is_file()

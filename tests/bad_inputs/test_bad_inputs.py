"""Every malformed input of the corpus (``tests/bad_inputs/cases/``) gets a clear error, not a traceback.

For each case: exit status 2, the expected error diagnostic first (code, file, 1-based line, a
fragment of its message), the expected number of errors, no traceback, none of the text listed
under ``not_printed``, the pre-existing ``outputs/`` tree byte for byte as it was, and no input file
changed (but for those listed under ``changes``, e.g. the quote record ``check --sources`` rewrites).
A ``check`` that changes no file is run a second time, from the load cache: same output, line for line.
A case with named pipes or links runs in a child process with a time and memory limit.
"""

from __future__ import annotations

import sys

import pytest

from livingreview import loadcache

from . import corpus

CASES = corpus.cases()


def test_the_corpus_is_large_and_covers_every_kind_of_input():
    assert len(CASES) >= 50
    touched = {spec["path"].split("/")[0] for c in CASES for spec in c.expected.get("edit", []) + c.expected.get("write", [])}
    touched |= {p.relative_to(c.folder).parts[0] for c in CASES for p in c.folder.rglob("*") if p.is_file() and p.name != "expected.yml"}
    assert {"bib", "reviews", "notebooks", corpus.SOURCES} <= touched
    assert {c.command for c in CASES} == {"check", "build"}


def test_the_base_project_is_valid(tmp_path):
    base = corpus.Case("base", tmp_path / "no-case", {"sources": True})
    base.folder.mkdir()
    root, sources = corpus.materialise(base, tmp_path)
    result = corpus.run_case(base, root, sources)
    assert (result.exit, result.diagnostics) == (0, [])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_with_file_and_line(case, tmp_path):
    root, sources = corpus.materialise(case, tmp_path)
    outputs_before = corpus.tree_hashes(root / "outputs")
    inputs_before = _inputs(root, case)

    result = corpus.run_case(case, root, sources)

    expected = case.expected
    assert "Traceback" not in result.stderr + result.stdout
    assert result.exit == expected.get("exit", 2), result.stderr + result.stdout
    errors = result.errors
    assert errors, f"no error diagnostic printed:\n{result.stderr}{result.stdout}"
    first = errors[0]
    file = expected["file"].replace(corpus.SOURCES_SHOWN, str(sources))  # a source text is named by its path
    assert (first.code, first.file, first.line) == (expected["code"], file, expected["line"]), first.text
    assert expected["message"] in first.text
    assert len(errors) == expected.get("errors", 1), "\n".join(d.text for d in errors)
    assert not [text for text in expected.get("not_printed", []) if text in result.stderr + result.stdout]
    assert corpus.tree_hashes(root / "outputs") == outputs_before
    assert _inputs(root, case) == inputs_before
    if case.command == "check" and not case.expected.get("changes"):
        again = corpus.run_case(case, root, sources)
        assert (again.exit, again.stdout, again.stderr) == (result.exit, result.stdout, result.stderr)


def _inputs(root, case) -> dict[str, str]:
    """Hashes of the project's files outside outputs/ and the load cache (the tool's own), but for those the
    command may rewrite (``changes``)."""
    skip = set(case.expected.get("changes", []))
    return {k: v for k, v in corpus.tree_hashes(root).items()
            if not k.startswith(("outputs/", loadcache.FOLDER + "/")) and k not in skip}


def test_an_isolated_case_that_hangs_fails_instead(tmp_path, monkeypatch):
    hanging = tmp_path / "hangs"
    hanging.write_text("#!/bin/sh\nexec sleep 30\n")
    hanging.chmod(0o755)
    monkeypatch.setattr(corpus.sys, "executable", str(hanging))
    monkeypatch.setattr(corpus, "CHILD_SECONDS", 1)
    case = corpus.Case("hangs", tmp_path, {"fifo": ["reviews/notes/doe2020.yml"]})
    assert case.isolated
    with pytest.raises(corpus.CaseHung, match="did not finish in 1 s"):
        corpus.run_case(case, tmp_path, tmp_path)


def test_an_isolated_case_cannot_take_more_memory_than_its_limit(tmp_path, monkeypatch):
    greedy = tmp_path / "greedy"
    greedy.write_text(f"#!{sys.executable}\nbytearray({corpus.CHILD_MEMORY})\n")
    greedy.chmod(0o755)
    monkeypatch.setattr(corpus.sys, "executable", str(greedy))
    case = corpus.Case("greedy", tmp_path, {"symlink": {"reviews/notes/doe2020.yml": "/dev/zero"}})
    result = corpus.run_case(case, tmp_path, tmp_path)
    assert result.exit != 0 and "MemoryError" in result.stderr

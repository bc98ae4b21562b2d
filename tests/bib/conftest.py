from pathlib import Path

import pytest

from livingreview.bib.load import load_bibliography

FIXTURES = Path(__file__).parent / "fixtures"


def brief(diagnostics):
    """(code, severity, file, line, key, field) of each diagnostic: what the tests pin down exactly."""
    return [(d.code, d.severity.value, d.file, d.line, d.key, d.field) for d in diagnostics]


@pytest.fixture
def load_fixture():
    def load(name: str):
        target = FIXTURES / name
        paths = sorted(target.glob("*.bib")) if target.is_dir() else [target]
        return load_bibliography(paths, root=FIXTURES)

    return load

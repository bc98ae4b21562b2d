"""The layering rules of docs/ARCHITECTURE.md, as import-linter contracts (pyproject.toml), hold."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def test_the_contracts_state_the_rules_the_architecture_names():
    names = [c["name"] for c in contracts()]
    assert any(n.startswith("Layers:") for n in names)
    assert any(n.startswith("Rendering never reads an input file") for n in names)
    assert any(n.startswith("The notebook API never imports the command line") for n in names)
    assert any(n.startswith("The bibliography depends on nothing of the review") for n in names)


def test_the_code_keeps_every_contract():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert f"Contracts: {len(contracts())} kept, 0 broken." in result.stdout

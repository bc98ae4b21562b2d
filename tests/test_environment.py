"""The environment is declared twice (pyproject.toml for pip, environment.yml for conda/Binder)
and locked once (requirements/constraints.txt). These tests fail when they drift apart."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _pins(requirements) -> dict[str, str]:
    out = {}
    for text in requirements:
        req = Requirement(text)
        (spec,) = req.specifier  # exactly one specifier...
        assert spec.operator == "==", f"{text}: pin exactly with =="  # ...and it is an exact pin
        out[req.name.lower()] = spec.version
    return out


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        deps += extra
    return _pins(deps)


def environment_pins() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    return _pins(p for p in pip_section if not p.startswith("-e"))


def lock_pins() -> dict[str, str]:
    lines = (ROOT / "requirements" / "constraints.txt").read_text().splitlines()
    return _pins(line for line in lines if line.strip() and not line.startswith("#"))


def test_environment_yml_and_pyproject_pin_the_same_packages():
    assert environment_pins() == pyproject_pins()


def test_every_direct_dependency_is_locked_at_the_same_version():
    lock = lock_pins()
    mismatched = {name: (pin, lock.get(name)) for name, pin in pyproject_pins().items() if lock.get(name) != pin}
    assert mismatched == {}


def test_environment_yml_targets_python_311_from_conda_forge():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]


def test_pin_parser_rejects_a_range():
    import pytest

    with pytest.raises(AssertionError, match="pin exactly"):
        _pins(["pandas>=2"])


def test_readme_first_code_block_is_the_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```[a-z]*\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]
    assert len(commands) == 2, commands
    assert "build" in commands[0] and "test" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


def test_ci_installs_nothing_itself_so_the_readme_command_alone_must_pass():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    commands = [line for line in lines if line and not line.startswith("#")]
    assert not [c for c in commands if re.search(r"\b(apt-get|apt|pip|dpkg|conda)\b", c)], commands
    assert commands[-1] == "./tasks test"


def test_the_test_task_installs_what_the_tests_call():
    tasks = (ROOT / "tasks").read_text()
    for probe, package in [("chromium", "chromium"), ("pdftotext", "poppler-utils"),
                           ("libharfbuzz-subset.so.0", "libharfbuzz-subset0")]:
        assert f'"{probe}|{package}"' in tasks


def test_the_setup_installs_every_extra_so_no_test_of_one_is_skipped():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    installed = re.search(r"-e '\.\[([a-z,]+)\]'", (ROOT / "tasks").read_text()).group(1).split(",")
    assert sorted(installed) == sorted(extras)

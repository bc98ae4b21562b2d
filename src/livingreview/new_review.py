"""``livingreview init DIR``: a complete new review that builds and passes its tests at once.

The files come from the package's ``templates/init/`` (package data, so an installed package has
them): the build matrix and the vocabulary with commented examples, one example hypothesis with its
report notebook (the package's, :mod:`livingreview.notes.scaffold_hypothesis`, its parameters cell
the review's own), the certainty and risk-of-bias rules, a search log and screening record, an example
note and bibliography entry marked as examples, a ``tasks`` script, a CI workflow, ``.gitignore``,
pre-commit (nbstripout), ``CITATION.cff``, a README and the review's tests. ``requirements.txt`` names
this livingreview as it was installed (a path, a git URL, or its version), so the new review's
``./tasks`` installs the same one.

A template file named ``dot-<name>`` (or in ``dot-<folder>/``) is written as ``.<name>``; ``@@TITLE@@``
and ``@@AUTHOR@@`` are replaced by the title and author. The folder must be empty (or not exist):
nothing is overwritten, and a failure leaves no partial review behind.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from importlib import metadata
from importlib.resources import files
from pathlib import Path

from . import __version__, atomic
from .diagnostics import error
from .errors import InputError
from .notes.scaffold_hypothesis import notebook_text
from .project import Project

TEMPLATE = files("livingreview") / "templates" / "init"
#: the example hypothesis whose notebook ``init`` writes from the package's report notebook
EXAMPLE_HYPOTHESIS = "example-hypothesis"
#: the example note's design, whose risk-of-bias tool's domains the note lists ("no information")
EXAMPLE_DESIGN = "cross-sectional"
DEFAULT_TITLE = "A living review"
DEFAULT_AUTHOR = "The review authors"
#: files written with the executable bit
EXECUTABLE = frozenset({"tasks"})


class ReviewNotCreated(InputError):
    """The folder is not empty (or cannot be made)."""


def init_review(folder: Path, *, title: str | None = None, author: str | None = None) -> list[Path]:
    """Write a new review into *folder* (empty or absent); return the files written, relative to it."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ReviewNotCreated([error("INIT001", str(folder), None, "is not an empty folder; nothing was written",
                                      hint="name a new folder (init creates it) or an empty one")])
    words = {"@@TITLE@@": _one_line(title or DEFAULT_TITLE), "@@AUTHOR@@": _one_line(author or DEFAULT_AUTHOR)}
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".init-", dir=folder.parent))
    try:
        written = _write_templates(staging, words)
        written += _write_generated(staging)
        if folder.exists():
            folder.rmdir()  # empty, checked above
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(written)


def _one_line(text: str) -> str:
    """*text* as one line of YAML-safe words (no line breaks, no quotes to escape)."""
    return " ".join(text.replace('"', "'").split())


def _target(relative: str) -> str:
    """Where a template file goes: ``dot-x`` path parts become ``.x``."""
    return "/".join("." + part.removeprefix("dot-") if part.startswith("dot-") else part for part in relative.split("/"))


def _walk(node, prefix: str = ""):
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        relative = f"{prefix}{child.name}"
        if child.is_dir():
            yield from _walk(child, relative + "/")
        else:
            yield relative, child


def _write_templates(root: Path, words: dict[str, str]) -> list[Path]:
    out = []
    for relative, source in _walk(TEMPLATE):
        if "__pycache__" in relative:
            continue
        text = source.read_text(encoding="utf-8")
        for placeholder, value in words.items():
            text = text.replace(placeholder, value)
        if "@@ROB_DOMAINS@@" in text:
            text = text.replace("@@ROB_DOMAINS@@", _example_domains())
        target = root / _target(relative)
        atomic.write_text(target, text)
        if target.name in EXECUTABLE:
            target.chmod(0o755)
        out.append(Path(_target(relative)))
    return out


def _example_domains() -> str:
    """The example note's risk-of-bias domains: every domain of its design's tool, "no information"."""
    from .synthesis.rob_designs import parse_choice
    from . import yamlio

    choice = parse_choice(yamlio.loads((TEMPLATE / "reviews" / "risk-of-bias.yml").read_text(encoding="utf-8"),
                                       "reviews/risk-of-bias.yml"))
    tool = choice.tool_for(EXAMPLE_DESIGN)
    return "\n".join(f"    {d.id}:\n      judgement: no information" for d in tool.domains)


def _write_generated(root: Path) -> list[Path]:
    """The files made from the new review itself: the example notebook (its parameters cell from the
    review's vocabulary) and ``requirements.txt`` (this livingreview)."""
    project = Project(root)
    notebook = Path("notebooks") / f"{EXAMPLE_HYPOTHESIS}.ipynb"
    atomic.write_text(root / notebook, notebook_text(EXAMPLE_HYPOTHESIS, project.report_parameters))
    atomic.write_text(root / "requirements.txt", f"# the livingreview this review was started with\n{requirement()}\n")
    return [notebook, Path("requirements.txt")]


def requirement() -> str:
    """This livingreview as a pip requirement: where it was installed from (a folder or a git URL, as
    pip records it), else its version."""
    try:
        direct = metadata.distribution("livingreview").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    if direct:
        info = json.loads(direct)
        url = info.get("url")
        vcs = info.get("vcs_info")
        if url and vcs:
            return f"livingreview @ {vcs.get('vcs', 'git')}+{url}@{vcs.get('commit_id', '')}".rstrip("@")
        if url:
            return f"livingreview @ {url}"
    return f"livingreview=={__version__}"

"""``outputs/index.html``: every report (HTML, PDF, data), a cross-hypothesis overview, the changelog.

Self-contained (the report stylesheet inlined, no scripts, no network) and escaped: every value
from user files goes through :func:`html.escape`. Sections are ``(title, html)`` pairs whose
HTML the producing module has escaped; a page joins the index by adding its producer to
:data:`EXTRA_SECTIONS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape

from ..errors import InputError
from ..notes.model import Direction
from ..pages import stylesheet
from ..project import BuildConfig, Project

Section = tuple[str, str]

DIRECTIONS: tuple[str, ...] = Direction.__args__  # supports, contradicts, mixed, neutral
#: the links of a report, in order: (file, label)
LINKS = (("report.html", "HTML"), ("report.pdf", "PDF"), ("evidence.csv", "evidence CSV"),
         ("evidence.json", "evidence JSON"), ("open-questions.csv", "questions CSV"),
         ("open-questions.json", "questions JSON"))


def _prisma(project: Project) -> Section:
    from ..method.prisma import index_section

    return index_section(project)


#: producers of the sections shown after the changelog, in order
EXTRA_SECTIONS: tuple[Callable[[Project], Section], ...] = (_prisma,)


def extra_sections(project: Project) -> tuple[list[Section], list[str]]:
    """The sections of :data:`EXTRA_SECTIONS`, and a note for each one skipped because its input is invalid."""
    sections, skipped = [], []
    for produce in EXTRA_SECTIONS:
        try:
            sections.append(produce(project))
        except InputError as exc:
            skipped.append(f"index section skipped: {exc}")
    return sections, skipped


def overview_variant(config: BuildConfig) -> str:
    """The variant the overview counts: 'all' when the matrix has it, else the first."""
    names = [v.name for v in config.variants]
    return "all" if "all" in names else names[0]


def _links(name: str, files: dict[str, str]) -> str:
    present = [(file, label) for file, label in LINKS if f"{name}/{file}" in files]
    if not present:
        return '<span class="lr-empty">not built</span>'
    return " · ".join(f'<a href="{escape(name)}/{file}">{label}</a>' for file, label in present)


def reports_table(config: BuildConfig, hypotheses: dict[str, str], files: dict[str, str]) -> str:
    head = "".join(f"<th>{escape(v.title)}</th>" for v in config.variants)
    rows = []
    for hypothesis, title in hypotheses.items():
        cells = "".join(f"<td>{_links(f'{hypothesis}/{v.name}', files)}</td>" for v in config.variants)
        rows.append(f'<tr><th scope="row">{escape(title)}</th>{cells}</tr>')
    return (f'<div class="lr-table-scroll"><table class="lr-index-reports"><thead><tr><th>Hypothesis</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def overview_table(variant: str, hypotheses: dict[str, str], reports: dict[str, dict]) -> str:
    head = "".join(f'<th class="num">{d}</th>' for d in DIRECTIONS)
    rows = []
    for hypothesis, title in hypotheses.items():
        summary = reports.get(f"{hypothesis}/{variant}", {}).get("summary")
        if summary is None:
            cells = f'<td colspan="{len(DIRECTIONS) + 2}" class="lr-empty">not built</td>'
        else:
            counts = "".join(f'<td class="num dir-{d}-cell">{summary["directions"].get(d, 0)}</td>' for d in DIRECTIONS)
            cells = f'{counts}<td class="num">{summary["findings"]}</td><td class="num">{summary["works"]}</td>'
        rows.append(f'<tr><th scope="row">{escape(title)}</th>{cells}</tr>')
    return (f'<table class="lr-counts"><caption>Findings by direction, variant “{escape(variant)}”</caption>'
            f'<thead><tr><th>Hypothesis</th>{head}<th class="num">findings</th><th class="num">works</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _anchors(titles: list[str]) -> list[str]:
    """A unique, readable id per section title ("How the studies were found" -> how-the-studies-were-found)."""
    out: list[str] = []
    for title in titles:
        base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
        anchor, n = base, 2
        while anchor in out:
            anchor, n = f"{base}-{n}", n + 1
        out.append(anchor)
    return out


def render_index(*, config: BuildConfig, build_date: str, hypotheses: dict[str, str], manifest: dict,
                 sections: Sequence[Section]) -> str:
    """The index page. *hypotheses*: ``{id: title}`` in display order; *sections* follow the overview."""
    from ..report.toc import Heading, toc_html  # the reports' own table of contents

    variant = overview_variant(config)
    body = [
        ("Reports", reports_table(config, hypotheses, manifest["files"])),
        ("Overview", overview_table(variant, hypotheses, manifest["reports"])),
        *sections,
    ]
    anchors = _anchors([title for title, _ in body])
    parts = "\n".join(f'<section id="{anchor}"><h2>{escape(title)}</h2>\n{html}\n</section>'
                      for anchor, (title, html) in zip(anchors, body))
    toc = toc_html([Heading(anchor, title) for anchor, (title, _) in zip(anchors, body)])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(config.title)}</title>
<style>
{stylesheet('report')}
</style>
</head>
<body>
<div class="lr-page">
<header class="lr-masthead"><span class="lr-masthead-kind">Living evidence review</span></header>
<nav class="lr-toc" id="contents" aria-label="Contents"><p class="lr-toc-title">Contents</p>
{toc}
</nav>
<main class="lr-main" id="main">
<h1>{escape(config.title)}</h1>
<p class="lr-byline">{escape(", ".join(config.authors))} · built {escape(build_date)}</p>
{parts}
</main>
<footer class="lr-footer"><p>Built by <code>livingreview build</code>. Each report states the inputs it was built from; manifest.json lists every file with its SHA-256.</p></footer>
</div>
</body>
</html>
"""

"""The page layer: one escaping environment over the templates, one source of stylesheets."""

from __future__ import annotations

import re

import pytest
from jinja2 import UndefinedError
from markupsafe import Markup

from livingreview import pages


def test_every_template_compiles_ahead_and_is_still_reread_when_its_file_changes():
    env = pages.environment()
    names = env.list_templates(extensions=["j2"])
    assert "index.html.j2" in names and "title.html.j2" in names
    assert pages.compile_templates() == len(names)
    assert {name for _, name in env.cache.keys()} >= set(names)
    assert env.auto_reload  # a template compiled ahead is checked against its file at each use


def test_values_are_escaped_unless_trusted():
    link = pages.fragment("link.html.j2", href='x" onclick="y', text="<b>&</b>")
    assert isinstance(link, Markup)
    assert link == '<a href="x&#34; onclick=&#34;y">&lt;b&gt;&amp;&lt;/b&gt;</a>'
    assert pages.fragment("link.html.j2", href="x", text=pages.trusted("<i>t</i>")) == '<a href="x"><i>t</i></a>'


def test_a_page_is_a_file_ending_with_one_newline():
    assert pages.page("link.html.j2", href="x", text="t") == '<a href="x">t</a>\n'


def test_a_template_value_that_is_missing_is_an_error():
    with pytest.raises(UndefinedError, match="'href' is undefined"):
        pages.fragment("link.html.j2", text="t")


def test_stylesheets_are_read_from_the_package_files_in_order():
    static = pages.TEMPLATES / "static"
    assert pages.stylesheet("report") == (static / "report.css").read_text(encoding="utf-8") + "\n" + (
        static / "print.css").read_text(encoding="utf-8")
    assert pages.stylesheet("register") == (static / "register.css").read_text(encoding="utf-8")
    assert isinstance(pages.stylesheet("report"), Markup)  # inlined as written: CSS holds ">" and quotes
    inlined = [*pages.STYLESHEETS.values(), *pages.SCRIPTS.values()]
    assert sorted(p.name for p in static.iterdir()) == sorted(n for names in inlined for n in names)


def test_scripts_are_read_from_the_package_files_and_load_nothing():
    static = pages.TEMPLATES / "static"
    assert pages.script("report") == (static / "table.js").read_text(encoding="utf-8")
    assert isinstance(pages.script("report"), Markup)
    assert "</script" not in pages.script("report").lower()  # it is inlined into a <script> element
    assert not re.search(r"\b(fetch|XMLHttpRequest|import|Math\.random|Date)\b", pages.script("report"))


def test_counts_are_written_with_thousands_separators():
    assert pages.environment().from_string("{{ n | count }} works, {{ m | count }}").render(n=3660, m=12) == "3,660 works, 12"


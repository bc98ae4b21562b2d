"""No module writes HTML by hand: markup lives in the templates of ``src/livingreview/templates``.

An f-string, a ``%`` or ``+`` with a string, or a ``"...".format(...)`` call whose literal text
holds an HTML tag is markup built in Python, where one forgotten escape lets user text become
markup. This scans the syntax tree of every module and names each such place.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "livingreview"

#: HTML and SVG elements: ``<name`` followed by a space, ``>`` or ``/`` is a tag (``<digits>`` in a message is not)
ELEMENTS = (
    "a abbr article aside b blockquote body br button caption circle cite code col colgroup dd defs del details div "
    "dl dt em figcaption figure footer form g h1 h2 h3 h4 h5 h6 head header hr html i iframe img input ins kbd label "
    "li line link main mark meta nav ol p path pre q rect s script section small span strong style sub summary sup "
    "svg table tbody td text tfoot th thead time title tr u ul"
).split()
TAG = re.compile(r"</|<!DOCTYPE\b|<!--|<(?:%s)[\s>/]" % "|".join(ELEMENTS), re.IGNORECASE)


def _tagged(node: ast.AST) -> bool:
    """A string literal (or an f-string's literal part) holding a tag."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(TAG.search(node.value))


def hand_written_html(source: str) -> list[tuple[int, str]]:
    """``(line, what)`` for each place in *source* that builds HTML from Python strings."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr) and any(_tagged(part) for part in node.values):
            found.append((node.lineno, "f-string"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and (_tagged(node.left) or _tagged(node.right)):
            found.append((node.lineno, "+"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _tagged(node.left):
            found.append((node.lineno, "%"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
              and _tagged(node.func.value)):
            found.append((node.lineno, ".format()"))
    return sorted(found)


def test_no_module_builds_html_from_python_strings():
    places = [f"{path.relative_to(SOURCE.parent).as_posix()}:{line}: {what}"
              for path in sorted(SOURCE.rglob("*.py"))
              for line, what in hand_written_html(path.read_text(encoding="utf-8"))]
    assert places == [], "HTML built in Python (write it in a template under src/livingreview/templates):\n" + "\n".join(places)


@pytest.mark.parametrize("source, what", [
    ('x = f"<td>{value}</td>"', "f-string"),
    ("x = f'<a href=\"{url}\">link'", "f-string"),
    ('x = "<tr>" + cells', "+"),
    ('x = cells + "</tr>"', "+"),
    ('x = "<p class=%s>" % name', "%"),
    ('x = "<li>{}</li>".format(item)', ".format()"),
    ('x = f"""<!DOCTYPE html>\n<title>{t}"""', "f-string"),
    ('x = f"<svg width={w}>"', "f-string"),
])
def test_the_scan_finds_each_way_of_writing_html(source, what):
    assert hand_written_html(source) == [(1, what)]


@pytest.mark.parametrize("source", [
    "x = f\"the DOI '{doi}' is not of the form 10.<digits>/<suffix>\"",  # a message, not a tag
    'x = f"{a} < {b}"',
    'x = "<tr>"',  # a plain literal builds nothing (the tests compare against such strings)
    'x = svg[svg.index("<svg"):]',
    'x = f"year {y}" + " and more"',
])
def test_the_scan_leaves_text_that_is_not_markup_alone(source):
    assert hand_written_html(source) == []

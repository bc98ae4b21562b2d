"""Hypothesis strategies for malformed inputs: text shaped like BibTeX or YAML (so the parsers get
past their first character), note-like mappings, and a valid note to mutate one place at a time."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: fast enough for the normal test command: ~200 examples, no per-example deadline
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: for the tests that run the whole check per example
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BIB_PIECES = [
    "@article{", "@book{", "@string{", "@preamble{", "@comment{", "@", "{", "}", "(", ")", ",", "=", "#", '"',
    "doe2020", "Doe2020", "title", "author", "year", "crossref", "doi", "pmid", "journal", "month", " and ",
    "2020", "jan", "10.5555/x", "\\", "\\'e", "\\input{/etc/passwd}", "\\write18{touch pwned}", "$x^2$", "%", "&",
    "--", "~", "``", "''", "{\\\"u}", "\n", " ", "\t", "\r\n", "é", "\x00", "\ufeff",
]
YAML_PIECES = [
    "key: ", "doe2020", "findings:", "\n", "  ", "- ", "id: f1", "quote: ", "statement: ", "hypothesis: ",
    "direction: supports", "kind: observed", "population:", "conditions: [ME/CFS]", "patients: ", "12", "-3",
    "criteria: [CCC]", "source_text: ", "../x", "/etc/passwd", "[", "]", "{", "}", ":", ",", "'", '"', "&a ", "*a",
    "<<: ", "!!python/object/apply:os.system ['touch pwned']", "!!binary ", "!!set ", "? ", "|", ">", "#", "\t",
    "~", "null", "true", "2020-13-45", "0x1F", ".inf", "é", "---\n", "...\n", "%YAML 1.1\n", "\x00",
]

bibtex_like = st.lists(st.sampled_from(BIB_PIECES) | st.text(max_size=8), max_size=60).map("".join)
yaml_like = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=6), max_size=60).map("".join)
any_text = st.text(max_size=400)

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
json_like = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                         max_leaves=20)

VALID_NOTE = {
    "key": "doe2020",
    "source_type": "primary",
    "design": "case-control",
    "population": {"conditions": ["ME/CFS"], "patients": 12, "controls": 10},
    "criteria": ["CCC"],
    "source_text": "doe2020.txt",
    "quick_summary": "An invented case-control study.",
    "why_it_matters": "It is the example.",
    "does_not_prove": "That the marker comes before the fatigue.",
    "findings": [
        {"id": "f1", "statement": "More marker in patients.", "hypothesis": "example-fatigue", "prediction": "EX1",
         "direction": "supports", "kind": "observed", "quote": "the marker was \"clearly higher\" in patients' blood",
         "locator": "paragraph 2"},
        {"id": "f2", "statement": "The authors read it as a source of fatigue.", "hypothesis": "example-fatigue",
         "direction": "supports", "kind": "inferred", "extracted_from": "Doe 2020, abstract"},
    ],
    "remaining_questions": [{"id": "q-example-cause", "text": "Does the marker cause fatigue or follow it?"}],
}


def _paths(value, prefix=()):
    """Every place in a nested value, as a tuple of keys and indexes."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _replace(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    return [_replace(item, rest, new) if i == head else item for i, item in enumerate(value)]


@st.composite
def mutated_note(draw, note=VALID_NOTE):
    """The valid note with one place replaced by an arbitrary value (or one key added)."""
    places = list(_paths(note))
    path = draw(st.sampled_from(places[1:]))
    if draw(st.booleans()):
        return _replace(note, path, draw(json_like | st.sampled_from(["", "unknown", "none", "../etc", "q-", "f0", "EX9"])))
    parent = path[:-1]
    key = draw(st.text(max_size=12))
    target = note
    for step in parent:
        target = target[step]
    if not isinstance(target, dict):
        return _replace(note, path, draw(json_like))
    return _replace(note, parent, {**target, key: draw(json_like)})

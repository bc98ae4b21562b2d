"""The changelog: per report, works added or removed, directions changed, questions opened or closed."""

from __future__ import annotations

import json

from livingreview.build import changelog
from livingreview.build.bundle import Bundle


def finding(key: str, fid: str, direction: str) -> dict:
    return {"key": key, "finding_id": fid, "direction": direction}


def question(qid: str, text: str) -> dict:
    return {"question_id": qid, "text": text}


OLD = Bundle(evidence=[finding("doe2020", "f1", "supports"), finding("roe2018", "f1", "mixed")],
             questions=[question("q-dose", "Which dose?"), question("q-cause", "Cause or effect?")])
NEW = Bundle(evidence=[finding("doe2020", "f1", "contradicts"), finding("poe2019", "f1", "supports")],
             questions=[question("q-dose", "Which dose?"), question("q-trial", "Is there a trial?")])


def test_compare_lists_every_kind_of_change():
    assert changelog.compare("alpha/all", OLD, NEW) == {
        "report": "alpha/all",
        "works_added": ["poe2019"],
        "works_removed": ["roe2018"],
        "directions_changed": [{"finding": "doe2020#f1", "from": "supports", "to": "contradicts"}],
        "questions_opened": [{"id": "q-trial", "text": "Is there a trial?"}],
        "questions_closed": [{"id": "q-cause", "text": "Cause or effect?"}],
    }


def test_same_evidence_is_no_change_and_a_first_build_is_counted():
    assert changelog.compare("alpha/all", NEW, NEW) is None
    assert changelog.compare("alpha/all", None, NEW) == {"report": "alpha/all", "first": True, "works": 2, "findings": 2, "questions": 2}


def test_history_grows_only_when_something_changed():
    history = changelog.add_entry([], [changelog.compare("b/all", None, NEW)], date="2024-05-01", commit="0123456789abcdef")
    assert changelog.add_entry(history, [], date="2024-06-01", commit=None) == history
    history = changelog.add_entry(history, [changelog.compare("a/all", OLD, NEW)], date="2024-06-01", commit=None)
    assert [e["date"] for e in history] == ["2024-06-01", "2024-05-01"]
    assert json.loads(changelog.to_json(history)) == {"schema": "livingreview/changelog@1", "entries": history}


def test_markdown_and_html_render_the_same_lines_escaped():
    change = changelog.compare("a/all", OLD, Bundle(evidence=NEW.evidence, questions=[question("q-x", "<b>bold</b> & co")]))
    history = changelog.add_entry([], [change], date="2024-06-01", commit="0123456789abcdef")
    assert changelog.to_markdown(history) == """\
# Changelog

What changed in the evidence of each report between builds, newest first. Written by `livingreview build`.

## 2024-06-01 (commit 0123456789ab)

### a/all

- Works added: poe2019
- Works removed: roe2018
- Direction changed: doe2020#f1 supports → contradicts
- Question opened: q-x — &lt;b&gt;bold&lt;/b&gt; &amp; co
- Question closed: q-cause — Cause or effect?
- Question closed: q-dose — Which dose?
"""
    html = changelog.to_html(history)
    assert "<li>Question opened: q-x — &lt;b&gt;bold&lt;/b&gt; &amp; co</li>" in html
    assert "<b>" not in html
    first = changelog.add_entry([], [changelog.compare("b/pem", None, Bundle(evidence=[finding("doe2020", "f1", "supports")], questions=[]))],
                                date="unknown", commit=None)
    assert "- First build: 1 work, 1 finding, 0 open questions." in changelog.to_markdown(first)


def test_read_published_and_history_tolerate_absence(tmp_path):
    assert changelog.read_published(tmp_path) is None
    assert changelog.read_history(tmp_path) == []
    (tmp_path / changelog.JSON_NAME).write_text("not json", encoding="utf-8")
    assert changelog.read_history(tmp_path) == []


def register_row(qid: str, status: str, by: str = "") -> dict:
    return {"question_id": qid, "status": status, "status_by": by}


def test_register_status_changes_become_a_changelog_entry():
    old = [register_row("q-dose", "open"), register_row("q-trial", "open")]
    new = [register_row("q-dose", "addressed", "doe2020#f2"), register_row("q-trial", "open")]
    change = changelog.compare_register(old, new)
    assert change == {"report": "open-question register", "status_changes": ["q-dose: open → addressed, by doe2020#f2"]}
    assert changelog._lines(change) == ["Question q-dose: open → addressed, by doe2020#f2"]
    assert "Question q-dose: open → addressed" in changelog.to_markdown(changelog.add_entry([], [change], date="2020-01-01", commit=None))


def test_no_register_change_and_a_first_build_add_nothing():
    rows = [register_row("q-dose", "open")]
    assert changelog.compare_register(rows, rows) is None
    assert changelog.compare_register(None, rows) is None


def test_a_published_register_is_read_back_and_garbage_is_ignored(tmp_path):
    path = tmp_path / "open-questions.json"
    path.write_text(json.dumps([register_row("q-dose", "open")]), encoding="utf-8")
    assert changelog.read_register(path) == [register_row("q-dose", "open")]
    path.write_text('{"not": "a list"}', encoding="utf-8")
    assert changelog.read_register(path) is None
    assert changelog.read_register(tmp_path / "missing.json") is None


def test_an_entry_from_uncommitted_changes_says_so():
    change = changelog.compare("b/all", None, NEW)
    entry = changelog.add_entry([], [change], date="2024-06-01", commit="0123456789abcdef", uncommitted=True)[0]
    assert entry["uncommitted_changes"] is True
    assert "## 2024-06-01 (commit 0123456789ab, with uncommitted changes)\n" in changelog.to_markdown([entry])
    assert "<h3>2024-06-01 (commit 0123456789ab, with uncommitted changes)</h3>" in changelog.to_html([entry])
    clean = changelog.add_entry([], [change], date="2024-06-01", commit="0123456789abcdef")[0]
    assert clean["uncommitted_changes"] is False
    assert "## 2024-06-01 (commit 0123456789ab)\n" in changelog.to_markdown([clean])


def test_changes_are_read_from_the_previous_folder_given(tmp_path):
    previous = tmp_path / "published"
    (previous / "a" / "all").mkdir(parents=True)
    for name, rows in (("evidence.json", OLD.evidence), ("open-questions.json", OLD.questions)):
        (previous / "a" / "all" / name).write_text(json.dumps({"rows": rows}), encoding="utf-8")
    (previous / "open-questions.json").write_text(json.dumps([register_row("q-dose", "open")]), encoding="utf-8")
    changes = changelog.changes_since(previous, [("a/all", NEW), ("b/all", NEW)], [register_row("q-dose", "addressed", "doe2020#f2")])
    assert changes == [changelog.compare("a/all", OLD, NEW), changelog.compare("b/all", None, NEW),
                       {"report": "open-question register", "status_changes": ["q-dose: open → addressed, by doe2020#f2"]}]

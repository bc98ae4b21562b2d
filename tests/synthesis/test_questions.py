from __future__ import annotations

import json

import pandas as pd
from synthesis_fixtures import by_key, finding, make_hypothesis, make_note

from livingreview.synthesis.export import to_json_bytes
from livingreview.synthesis.questions import COLUMNS, diff_register, comparison_form, register

Q_DOSE = ("q-dose", "Does a higher dose help more?")
Q_SLEEP = ("q-sleep", "Does sleep improve?")


def hypotheses():
    return {"h-test": make_hypothesis(questions=[Q_DOSE, Q_SLEEP])}


def raised_in_a_note():
    return make_note("doe2020", findings=[("f1", "P1", "supports")],
                     remaining_questions=[{"id": "q-dose", "text": "Does a higher dose help more?"}])


def trial(key="plan2024", **kw):
    return make_note(key, design="planned-trial", patients=20, controls="none", tests_questions=["q-dose"], **kw)


def addressing(key="roe2025"):
    return make_note(key, findings=[finding("f1", "P1", addresses=["q-dose"]), finding("f2", "P2", addresses=["q-dose"])])


def status(frame: pd.DataFrame, qid: str) -> tuple[str, str]:
    row = frame.set_index("question_id").loc[qid]
    return row["status"], row["status_by"]


def test_register_lists_every_question_once_with_its_sources():
    frame = register(hypotheses(), by_key(raised_in_a_note()))
    expected = pd.DataFrame({
        "question_id": ["q-dose", "q-sleep"],
        "text": ["Does a higher dose help more?", "Does sleep improve?"],
        "hypotheses": ["h-test", "h-test"],
        "raised_by": ["doe2020; h-test", "h-test"],
        "status": ["open", "open"],
        "status_by": ["", ""],
        "links": ["doe2020; h-test", "h-test"],
        "merged": ["", ""],
    }, columns=COLUMNS)
    pd.testing.assert_frame_equal(frame, expected)


def test_status_moves_from_open_to_being_tested_to_addressed():
    first = register(hypotheses(), by_key(raised_in_a_note()))
    second = register(hypotheses(), by_key(raised_in_a_note(), trial()))
    third = register(hypotheses(), by_key(raised_in_a_note(), trial(), addressing()))
    assert status(first, "q-dose") == ("open", "")
    assert status(second, "q-dose") == ("being-tested", "plan2024")
    assert status(third, "q-dose") == ("addressed", "roe2025#f1; roe2025#f2")
    assert third.set_index("question_id").loc["q-dose", "links"] == "doe2020; h-test; plan2024; roe2025"
    assert diff_register(first, second) == ["q-dose: open → being-tested, by plan2024"]
    assert diff_register(second, third) == ["q-dose: being-tested → addressed, by roe2025#f1; roe2025#f2"]
    assert diff_register(third, third) == []


def test_a_trial_registration_tests_a_question_but_a_news_item_does_not():
    registered = make_note("reg2024", design="rct", source_type="trial-registration", tests_questions=["q-dose"])
    news = make_note("news2024", design="summary", source_type="news", tests_questions=["q-sleep"])
    frame = register(hypotheses(), by_key(registered, news))
    assert status(frame, "q-dose") == ("being-tested", "reg2024")
    assert status(frame, "q-sleep") == ("open", "")


def test_diff_reads_rows_back_from_json_and_names_new_and_dropped_questions():
    old = json.loads(to_json_bytes(register(hypotheses(), {})))
    new = register({"h-test": make_hypothesis(questions=[Q_DOSE, ("q-new", "Is it new?")])}, by_key(addressing()))
    assert diff_register(old, new) == [
        "q-dose: open → addressed, by roe2025#f1; roe2025#f2",
        "q-new: new question (open)",
        "q-sleep: no longer listed (was open)",
    ]


def test_the_same_text_under_two_ids_is_merged():
    note = make_note("doe2020", findings=[finding("f1", "P1", addresses=["q-more-dose"])],
                     remaining_questions=[{"id": "q-more-dose", "text": "does a  higher dose help more"}])
    frame = register(hypotheses(), by_key(note))
    assert list(frame["question_id"]) == ["q-dose", "q-sleep"]
    row = frame.set_index("question_id").loc["q-dose"]
    assert (row["merged"], row["raised_by"], row["status"], row["status_by"]) == (
        "q-more-dose", "doe2020; h-test", "addressed", "doe2020#f1")


def test_one_id_worded_differently_is_one_question_in_the_first_wording():
    note = make_note("doe2020", remaining_questions=[{"id": "q-sleep", "text": "Is sleep better?"}])
    frame = register(hypotheses(), by_key(note))
    assert frame.set_index("question_id").loc["q-sleep", ["text", "raised_by"]].tolist() == [
        "Does sleep improve?", "doe2020; h-test"]


def test_a_question_raised_only_by_a_note_belongs_to_its_findings_hypotheses():
    note = make_note("doe2020", findings=[finding("f1", hypothesis="h-b"), finding("f2", hypothesis="h-a")],
                     remaining_questions=[{"id": "q-only", "text": "Only here?"}])
    row = register({}, by_key(note)).iloc[0]
    assert (row["question_id"], row["hypotheses"], row["raised_by"]) == ("q-only", "h-a; h-b", "doe2020")


def test_an_empty_review_has_an_empty_register_with_its_columns():
    frame = register({}, {})
    assert list(frame.columns) == COLUMNS and len(frame) == 0


def test_normalise_ignores_case_spacing_and_final_punctuation():
    assert comparison_form("  Does  X\thelp? ") == comparison_form("does x help") == "does x help"
    assert comparison_form("Does X help?") != comparison_form("Does Y help?")


def test_a_notes_question_belongs_to_the_hypotheses_it_is_about():
    from synthesis_fixtures import finding, make_hypothesis, make_note

    from livingreview.notes.model import Question
    from livingreview.synthesis.questions import concerns

    hypotheses = {"h-a": make_hypothesis("h-a", questions=[("q-dose", "Which dose?")]), "h-b": make_hypothesis("h-b")}
    note = make_note("doe2020", findings=[finding("f1", "P1", hypothesis="h-a"), finding("f2", "P1", hypothesis="h-b")])
    assert concerns(Question(id="q-dose", text="Which dose?"), note, hypotheses) == {"h-a"}  # listed by h-a only
    assert concerns(Question(id="q-new", text="New?"), note, hypotheses) == {"h-a", "h-b"}  # its findings' hypotheses
    assert concerns(Question(id="q-new", text="New?", hypotheses=["h-b"]), note, hypotheses) == {"h-b"}  # named

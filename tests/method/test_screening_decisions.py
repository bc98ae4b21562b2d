from __future__ import annotations

import shutil
import subprocess

import pytest

import livingreview
from livingreview.check import collect, exit_code
from livingreview.cli import main
from livingreview.diagnostics import Severity, error, warning
from livingreview.method import screening, screening_decisions
from livingreview.method.agreement import Kappa
from livingreview.method.screening_decisions import ConflictsUnresolved, DecisionsInvalid, StageAgreement

from .method_fixtures import BIB_KEYS, DECISIONS_CSV, DUAL_RESOLVED, NOTE_KEYS
from .test_screening import EXPECTED

DECISIONS = "reviews/screening-decisions.csv"
CSV = "reviews/screening.csv"


def resolve(tiny) -> None:
    tiny.write(DECISIONS, DECISIONS_CSV + DUAL_RESOLVED)


def found(tiny) -> list:
    return screening.check(tiny.project, note_keys=set(NOTE_KEYS), bib_keys=set(BIB_KEYS))


def cli(tiny, *args) -> int:
    return main(["--root", str(tiny.root), *args])


# -- two reviewers, a conflict, its resolution ------------------------------------------------------

def test_a_disagreement_without_resolution_is_listed_with_each_reviewers_decision(dual, capsys):
    [conflict] = screening_decisions.conflicts(dual.project)
    assert (conflict.record, conflict.stage, conflict.line) == ("moe2017", "title-abstract", 4)
    assert [(d.reviewer, d.decision, d.exclusion_reason) for d in conflict.decisions] == [
        ("Jane Doe", "include", ""), ("Richard Roe", "exclude", "wrong population")]
    assert cli(dual, "screening", "conflicts") == 1
    assert capsys.readouterr().out == (
        "reviews/screening-decisions.csv:4: 'moe2017' at title-abstract\n"
        "  Jane Doe (2024-03-01, line 4): include\n"
        "  Richard Roe (2024-03-02, line 9): exclude, wrong population — the abstract names healthy volunteers\n"
        "1 unresolved screening conflict: settle each and append a row of kind 'resolution' to "
        "reviews/screening-decisions.csv, with its reason in notes\n")


def test_a_conflict_is_a_warning_of_check_and_leaves_nothing_counted(dual):
    assert found(dual) == [warning(
        "SCR024", DECISIONS, 4, "the reviewers disagree on 'moe2017' at title-abstract (Jane Doe: include, line 4; "
        "Richard Roe: exclude (wrong population), line 9) and no resolution is recorded", key="moe2017",
        field="decision", hint="settle it and append a row of kind 'resolution' with its reason in notes; "
        "`livingreview screening conflicts` lists every conflict")]
    ctx, diagnostics = collect(dual.project)
    assert [d.code for d in diagnostics if d.code.startswith("SCR")] == ["SCR024"]
    assert (exit_code(diagnostics, strict=False), exit_code(diagnostics, strict=True)) == (0, 1)
    assert ctx.flow_counts is None and ctx.dual_screening.conflicts
    with pytest.raises(screening.ScreeningInvalid):
        screening.counts(dual.project)


def test_once_resolved_the_counts_come_from_the_final_decisions(dual, capsys):
    resolve(dual)
    assert screening_decisions.conflicts(dual.project) == []
    assert cli(dual, "screening", "conflicts") == 0
    assert capsys.readouterr().out == "no unresolved screening conflicts\n"
    assert found(dual) == []
    # the final decisions are those of the single-reviewer record (method_fixtures.SCREENING_CSV)
    assert screening.counts(dual.project) == EXPECTED
    review = livingreview.load(dual.project)
    assert review.flow_counts == EXPECTED
    assert [(r.record, r.title_abstract, r.full_text, r.exclusion_reason) for r in review.screening_rows] == [
        ("doe2020", "include", "include", ""), ("poe2019", "exclude", "", "not about fatigue mechanisms"),
        ("moe2017", "include", "exclude", "wrong population"), ("zoe2016", "include", "not-retrieved", ""),
        ("doe2020", "", "", ""), ("roe2018", "include", "include", "")]


def test_agreement_per_stage_matches_the_hand_computed_kappa(dual):
    resolve(dual)
    title_abstract, full_text = livingreview.load(dual.project).dual_screening.agreement
    # title-abstract, all 5 records screened by both (Jane Doe in rows, Richard Roe in columns):
    #              include  exclude
    #   include       3        1      (doe2020, zoe2016, roe2018 | moe2017)
    #   exclude       0        1      (poe2019)
    # p_o = 4/5 = 0.8; Jane: 0.8 include, 0.2 exclude; Richard: 0.6, 0.4
    # p_e = 0.8·0.6 + 0.2·0.4 = 0.56; kappa = (0.8 − 0.56) / (1 − 0.56) = 0.24 / 0.44 = 6/11 = 0.5455
    # var = (A + B − C) / (1 − p_e)² / n with (1 − κ) = 5/11:
    #   A = 0.6·(1 − 1.4·5/11)² + 0.2·(1 − 0.6·5/11)² = 0.6·16/121 + 0.2·64/121 = 22.4/121
    #   B = (5/11)² · 0.2·(0.6 + 0.2)² = 25/121 · 0.128 = 3.2/121
    #   C = (6/11 − 0.56·5/11)² = (3.2/11)² = 10.24/121
    #   var = 15.36/121 / 0.1936 / 5 = 0.131138; se = 0.362130
    # 95% CI = 0.5455 ± 1.95996·0.36213 = [−0.1643, 1.2552], cut to [−0.1643, 1]
    assert title_abstract.stage == "title-abstract" and (title_abstract.records, title_abstract.resolved) == (5, 1)
    kappa = title_abstract.kappa
    assert (kappa.n, kappa.agreement, kappa.kappa) == (5, pytest.approx(0.8), pytest.approx(6 / 11))
    assert (kappa.low, kappa.high) == (pytest.approx(6 / 11 - 1.959964 * 0.131138 ** 0.5, abs=1e-5), 1.0)
    # full-text: doe2020, moe2017, roe2018 by both (zoe2016 by Jane Doe alone): all agree
    # p_o = 1; marginals 2/3 include, 1/3 exclude for both: p_e = 4/9 + 1/9 = 5/9; kappa = (1 − 5/9) / (4/9) = 1
    # var: A = Σ p_ii = 1, B = 0, C = (1 − 0)² = 1, so 0: the interval is [1, 1]
    assert full_text == StageAgreement("full-text", 4, Kappa(3, 1.0, 1.0, 1.0, 1.0), 0)


def test_one_reviewer_only_is_the_single_reviewer_record_unchanged(screened, capsys):
    assert livingreview.load(screened.project).dual_screening is None
    assert screening_decisions.conflicts(screened.project) is None
    assert cli(screened, "screening", "conflicts") == 0
    assert capsys.readouterr().out == ("reviews/screening-decisions.csv does not exist: one reviewer screened, so no "
                                       "decisions can conflict\n")


def test_reviewers_who_agree_to_exclude_for_different_reasons_conflict(dual):
    resolve(dual)
    dual.edit(DECISIONS, "moe2017,full-text,independent,Richard Roe,2024-04-02,exclude,wrong population,",
              "moe2017,full-text,independent,Richard Roe,2024-04-02,exclude,not about fatigue mechanisms,")
    [conflict] = screening_decisions.conflicts(dual.project)
    assert (conflict.record, conflict.stage) == ("moe2017", "full-text")
    # the decisions agree, so kappa counts the pair as agreement
    assert livingreview.load(dual.project).dual_screening.agreement[1].kappa.agreement == 1.0


# -- build --strict ------------------------------------------------------------------------------------

def test_strict_refuses_a_review_with_an_unresolved_conflict(dual):
    review = livingreview.load(dual.project)
    with pytest.raises(ConflictsUnresolved) as exc:
        screening_decisions.refuse_unresolved(review.diagnostics)
    [refused] = exc.value.diagnostics
    assert (refused.code, refused.severity, refused.file, refused.line) == ("SCR024", Severity.ERROR, DECISIONS, 4)
    resolve(dual)
    screening_decisions.refuse_unresolved(livingreview.load(dual.project).diagnostics)  # nothing to refuse


def test_build_strict_fails_before_any_report_while_a_conflict_is_unresolved(dual, capsys):
    assert cli(dual, "build", "--strict", "--no-pdf") == 2
    err = capsys.readouterr().err
    assert "--strict: 1 screening conflict(s) unresolved" in err
    assert "reviews/screening-decisions.csv:4: error SCR024 [moe2017.decision]" in err
    assert not (dual.root / "outputs").exists()


# -- bad input -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "code", "line", "field", "message", "hint"), [
    ("roe2018,title-abstract,independent,Richard Roe", "roe2018,title-abstract,independent,Richard Rowe",
     "SCR017", 11, "reviewer", "'Richard Rowe' is not one of the reviewers reviews/search.yml declares "
     "(one of: Jane Doe; Richard Roe)", "did you mean 'Richard Roe'?"),
    ("roe2018,title-abstract,independent,Richard Roe", "roe2018,title,independent,Richard Roe",
     "SCR016", 11, "stage", "stage of 'roe2018': 'title' is not a stage", "did you mean 'title-abstract'?"),
    ("roe2018,title-abstract,independent,Richard Roe", "roe2018,,independent,Richard Roe",
     "SCR016", 11, "stage", "stage of 'roe2018': the stage is missing", "write one of: title-abstract, full-text"),
    ("roe2018,title-abstract,independent,Richard Roe", "roe2019,title-abstract,independent,Richard Roe",
     "SCR015", 11, "record", "'roe2019' is not a record of reviews/screening.csv", "did you mean 'roe2018'?"),
    ("roe2018,title-abstract,independent,Richard Roe,2024-03-02", "roe2018,title-abstract,independent,Richard Roe,2024-02-30",
     "SCR018", 11, "date", "date of 'roe2018': '2024-02-30' is not a date", "write the day of the decision as "
     "YYYY-MM-DD, e.g. 2024-03-01"),
    ("roe2018,title-abstract,independent,Richard Roe,2024-03-02", "roe2018,title-abstract,independent,Richard Roe,2/3/2024",
     "SCR018", 11, "date", "date of 'roe2018': '2/3/2024' is not a date", "write the day of the decision as "
     "YYYY-MM-DD, e.g. 2024-03-01"),
    ("zoe2016,full-text,independent,Jane Doe,2024-04-01,not-retrieved", "zoe2016,full-text,independent,Jane Doe,2024-04-01,lost",
     "SCR016", 13, "decision", "decision of 'zoe2016': 'lost' is not a decision at full-text",
     "write one of: include, exclude, not-retrieved"),
    ("doe2020,title-abstract,independent,Jane Doe", "doe2020,title-abstract,independant,Jane Doe",
     "SCR016", 2, "kind", "kind of 'doe2020': 'independant' is not a kind", "did you mean 'independent'?"),
    ("poe2019,title-abstract,independent,Jane Doe,2024-03-01,exclude,not about fatigue mechanisms,",
     "poe2019,title-abstract,independent,Jane Doe,2024-03-01,exclude,,", "SCR019", 3, "exclusion_reason",
     "'poe2019' is excluded without a reason", "write one of search.yml's exclusion_reasons: not about fatigue "
     "mechanisms; wrong population"),
    ("doe2020,title-abstract,independent,Jane Doe,2024-03-01,include,,", "doe2020,title-abstract,independent,"
     "Jane Doe,2024-03-01,include,wrong population,", "SCR019", 2, "exclusion_reason",
     "'doe2020' is not excluded, so it has no exclusion reason", "leave exclusion_reason blank"),
    ("moe2017,title-abstract,independent,Jane Doe", "doe2020,title-abstract,independent,Jane Doe", "SCR021", 4,
     "reviewer", "Jane Doe already decided on 'doe2020' at title-abstract (line 2)",
     "one row per reviewer, record and stage: correct that row, or remove this one"),
])
def test_a_bad_decision_names_file_line_and_field(dual, old, new, code, line, field, message, hint):
    dual.edit(DECISIONS, old, new)
    record = new.split(",", 1)[0]
    problems = [d for d in found(dual) if d.is_error]
    assert problems[0] == error(code, DECISIONS, line, message, key=record, field=field, hint=hint)


def test_a_resolution_without_its_reason(dual):
    resolve(dual)
    dual.edit(DECISIONS, "include,,discussed with Richard Roe: the abstract also names patients", "include,,")
    assert found(dual) == [error("SCR020", DECISIONS, 17, "the resolution of 'moe2017' at title-abstract gives no reason",
                                 key="moe2017", field="notes", hint="say in notes how and why the disagreement was "
                                 "settled (e.g. discussed with the other reviewer; decided by a third)")]


def test_a_resolution_twice_or_of_no_disagreement(dual):
    resolve(dual)
    dual.write(DECISIONS, (dual.root / DECISIONS).read_text() +
               "moe2017,title-abstract,resolution,Richard Roe,2024-03-06,include,,agreed again\n"
               "doe2020,title-abstract,resolution,Richard Roe,2024-03-06,exclude,wrong population,a second look\n")
    assert [(d.code, d.line, d.key, d.message) for d in found(dual)] == [
        ("SCR020", 20, "moe2017", "'moe2017' at title-abstract is already resolved (line 17)"),
        ("SCR020", 21, "doe2020", "the reviewers' decisions on 'doe2020' at title-abstract do not disagree, so there is "
                                  "nothing to resolve")]


def test_a_duplicate_record_is_not_screened(dual):
    dual.edit(CSV, "doe2020,handsearch,doe2020", "doe2020b,handsearch,doe2020")
    dual.write(DECISIONS, DECISIONS_CSV + "doe2020b,title-abstract,independent,Jane Doe,2024-03-01,include,,\n")
    assert found(dual) == [error("SCR015", DECISIONS, 17, "'doe2020b' is a duplicate of 'doe2020' (line 6 of "
                                 "reviews/screening.csv), so it is not screened", key="doe2020b", field="record",
                                 hint="decide on 'doe2020'")]


def test_a_record_one_reviewer_screened_has_that_decision_and_counts_for_no_kappa(dual):
    resolve(dual)
    dual.edit(DECISIONS, "roe2018,title-abstract,independent,Jane Doe,2024-03-01,include,,\n", "")
    assert found(dual) == []
    assert screening.counts(dual.project) == EXPECTED
    title_abstract = livingreview.load(dual.project).dual_screening.agreement[0]
    assert (title_abstract.records, title_abstract.kappa.n) == (5, 4)


def test_a_record_without_any_title_abstract_decision(dual):
    for reviewer in ("Jane Doe,2024-03-01", "Richard Roe,2024-03-02"):
        dual.edit(DECISIONS, f"zoe2016,title-abstract,independent,{reviewer},include,,\n", "")
    dual.edit(DECISIONS, "zoe2016,full-text,independent,Jane Doe,2024-04-01,not-retrieved,,\n", "")
    assert error("SCR022", DECISIONS, None, "'zoe2016' (line 5 of reviews/screening.csv) has no title-abstract decision",
                 key="zoe2016", field="stage", hint="append each reviewer's title-abstract decision on 'zoe2016'") in found(dual)


def test_included_at_title_abstract_without_a_full_text_decision(dual):
    dual.edit(DECISIONS, "zoe2016,full-text,independent,Jane Doe,2024-04-01,not-retrieved,,\n", "")
    assert error("SCR022", DECISIONS, 5, "'zoe2016' passed title-abstract screening but has no full-text decision",
                 key="zoe2016", field="stage", hint="append the full-text decisions: include, exclude, not-retrieved") in found(dual)


def test_excluded_at_title_abstract_with_a_full_text_decision(dual):
    dual.write(DECISIONS, (dual.root / DECISIONS).read_text() + "poe2019,full-text,independent,Jane Doe,2024-04-01,include,,\n")
    assert error("SCR022", DECISIONS, 17, "'poe2019' was excluded at title-abstract (line 3), so it has no full-text "
                 "decision", key="poe2019", field="stage", hint="remove its full-text rows") in found(dual)


def test_screening_csv_records_no_decision_when_the_decisions_file_holds_them(dual):
    dual.edit(CSV, "roe2018,handsearch,,,,,", "roe2018,handsearch,,include,,,")
    assert found(dual)[0] == error(
        "SCR023", CSV, 7, "reviews/screening-decisions.csv holds the screening decisions, so reviews/screening.csv records "
        "none", key="roe2018", field="title_abstract", hint="leave title_abstract blank (the decisions of each reviewer "
        "are rows of reviews/screening-decisions.csv)")


def test_an_unreadable_decisions_file(dual, capsys):
    dual.edit(DECISIONS, "record,stage,kind,reviewer,", "record,stage,kind,screener,")
    problems = found(dual)
    assert [(d.code, d.file, d.line, d.field) for d in problems] == [
        ("SCR014", DECISIONS, 1, None), ("SCR014", DECISIONS, 1, "screener")]
    with pytest.raises(DecisionsInvalid):
        screening_decisions.conflicts(dual.project)
    assert cli(dual, "screening", "conflicts") == 2
    assert "SCR014" in capsys.readouterr().err


def test_reviewers_must_be_declared(dual):
    dual.edit("reviews/search.yml", "reviewers: [Jane Doe, Richard Roe]\n", "")
    problems = found(dual)
    assert {d.code for d in problems} == {"SCR017"} and len(problems) == 15
    assert problems[0].message == ("'Jane Doe' is not one of the reviewers reviews/search.yml declares (none are "
                                   "declared)")
    assert problems[0].hint == "add the name to 'reviewers' in reviews/search.yml, or correct it"


# -- merging in git --------------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_two_reviewers_appending_on_two_branches_merge_cleanly(dual):
    """With the repository's ``merge=union`` attribute for the file, each reviewer's appended rows are kept."""
    def git(*args):
        subprocess.run(["git", "-c", "user.name=Jane Doe", "-c", "user.email=jane@example.org", *args],
                       cwd=dual.root, check=True, capture_output=True)

    header, *rows = DECISIONS_CSV.splitlines(keepends=True)
    dual.write(DECISIONS, header + "".join(r for r in rows if "Jane Doe" in r and "full-text" not in r))
    dual.write(".gitattributes", "reviews/screening-decisions.csv merge=union\n")
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "Jane Doe's title-abstract decisions")
    git("checkout", "-qb", "richard")
    dual.write(DECISIONS, (dual.root / DECISIONS).read_text() + "".join(r for r in rows if "Richard Roe" in r))
    git("commit", "-qam", "Richard Roe's decisions")
    git("checkout", "-q", "main")
    dual.write(DECISIONS, (dual.root / DECISIONS).read_text() + "".join(r for r in rows if "Jane Doe" in r and "full-text" in r))
    git("commit", "-qam", "Jane Doe's full-text decisions")
    git("merge", "-q", "--no-edit", "richard")
    merged = (dual.root / DECISIONS).read_text()
    assert sorted(merged.splitlines()) == sorted(DECISIONS_CSV.splitlines())
    assert [d.code for d in found(dual)] == ["SCR024"]  # the same record as written in one go

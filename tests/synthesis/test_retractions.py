import json
from pathlib import Path

from livingreview.check import run

CSV = Path(__file__).parents[1] / "bib" / "fixtures" / "retractions" / "retraction_watch.csv"


def with_identifiers(tiny):
    tiny.edit("bib/references.bib", "  year = {2020},\n", "  year = {2020},\n  doi = {10.5555/example.doe2020},\n")
    tiny.edit("bib/references.bib", "  year = {2018},\n", "  year = {2018},\n  pmid = {99990002},\n")
    with (tiny.root / "bib" / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@article{other2017,\n  author = {Other, Ann},\n  title = {An uncited review},\n"
                  "  journal = {Journal of Examples},\n  year = {2017},\n  doi = {10.5555/example.other2017},\n}\n")


def check_json(tiny, capsys, retractions=CSV):
    code = run(tiny.project, sources=tiny.sources, fmt="json", retractions=retractions)
    return code, json.loads(capsys.readouterr().out)


def test_retracted_and_corrected_works_are_flagged_by_how_much_rests_on_them(tiny_project, capsys):
    with_identifiers(tiny_project)
    code, document = check_json(tiny_project, capsys)
    found = [(d["code"], d["severity"], d["file"], d["line"], d["key"]) for d in document["diagnostics"] if d["code"].startswith("RET")]
    assert found == [
        ("RET001", "error", "bib/references.bib", 1, "doe2020"),
        ("RET002", "warning", "bib/references.bib", 9, "roe2018"),
        ("RET002", "warning", "bib/references.bib", 17, "other2017"),
    ]
    messages = {d["key"]: d["message"] for d in document["diagnostics"] if d["code"].startswith("RET")}
    assert "reviews/notes/doe2020.yml" in messages["doe2020"] and "is retracted since 3/1/2022" in messages["doe2020"]
    assert messages["roe2018"].startswith("'roe2018' has an expression of concern")
    assert messages["other2017"].endswith("it has no note")
    assert code == 2


def test_without_retraction_data_nothing_is_flagged(tiny_project, capsys):
    with_identifiers(tiny_project)
    _, document = check_json(tiny_project, capsys, retractions=None)
    assert not [d for d in document["diagnostics"] if d["code"].startswith("RET")]


def test_unreadable_retraction_data_is_an_error_not_a_traceback(tiny_project, capsys, tmp_path):
    bad = tmp_path / "rw.csv"
    bad.write_text("not,the,dataset\n", encoding="utf-8")
    code, document = check_json(tiny_project, capsys, retractions=bad)
    assert code == 2 and [d["code"] for d in document["diagnostics"] if d["code"].startswith("RET")] == ["RET003"]

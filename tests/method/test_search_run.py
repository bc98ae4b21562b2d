"""``livingreview search run`` against a local server replaying recorded (invented) answers; never the network."""

from __future__ import annotations

import csv
import http.server
import threading
import urllib.parse
from pathlib import Path

import pytest

from livingreview.cli import main
from livingreview.method import fetch, screening, search_run
from livingreview.method.search import SearchLog

FIXTURES = Path(__file__).parent / "fixtures" / "search"
QUEUE, RUNS = "reviews/screening-queue.csv", "reviews/search-runs.csv"
SAVED = """\
  - id: pubmed-fatigue
    source: bibliographic records
    title: PubMed, re-run weekly
    method: The saved PubMed query below.
    date: 2024-01-01
    run_by: Jane Doe
    records: 0
    engine: pubmed
    query: fatigue AND example
  - id: crossref-fatigue
    source: bibliographic records
    title: Crossref, re-run weekly
    method: The saved Crossref query below.
    date: 2024-01-01
    run_by: Jane Doe
    records: 0
    engine: crossref
    query: fatigue example
"""


class Replay(http.server.BaseHTTPRequestHandler):
    """Answers each path with the next of its scripted ``(status, file)`` answers (the last one repeats)."""

    script: dict[str, list[tuple[int, str]]] = {}
    seen: list[tuple[str, dict]] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        url = urllib.parse.urlsplit(self.path)
        self.seen.append((url.path, dict(urllib.parse.parse_qsl(url.query))))
        answers = self.script[url.path]
        status, name = answers.pop(0) if len(answers) > 1 else answers[0]
        body = (FIXTURES / name).read_bytes() if name else b'{"error": "busy"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    Replay.script = {"/eutils/esearch.fcgi": [(200, "pubmed-esearch.json")],
                     "/eutils/esummary.fcgi": [(200, "pubmed-esummary.json")],
                     "/works": [(200, "crossref-works.json")]}
    Replay.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("LIVINGREVIEW_PUBMED_URL", base + "/eutils")
    monkeypatch.setenv("LIVINGREVIEW_CROSSREF_URL", base)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")  # 2024-06-01
    for name in ("NCBI_API_KEY", "NCBI_EMAIL", "NCBI_TOOL", "CROSSREF_MAILTO"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(fetch, "BACKOFF", 0.0)
    monkeypatch.setattr(fetch, "TIMEOUT", 5.0)
    yield Replay
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def saved(screened):
    """The invented review with two saved searches."""
    screened.edit("reviews/search.yml", "searches:\n", "searches:\n" + SAVED)
    return screened


def rows(tiny, name: str) -> list[dict]:
    with open(tiny.root / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run(tiny, *args: str) -> int:
    return main(["--root", str(tiny.root), "search", "run", *args])


def test_a_run_queues_exactly_the_new_records_and_records_the_run(saved, server, capsys):
    assert run(saved, "pubmed-fatigue") == 0
    queued = rows(saved, QUEUE)
    # 90000002 is doe2020 of the bibliography (title, year and first author), so it is not queued
    assert [(q["record"], q["search"], q["date"], q["doi"], q["first_author"]) for q in queued] == [
        ("pmid:90000001", "pubmed-fatigue", "2024-06-01", "10.5555/fict.2024.001", "Quill"),
        ("pmid:90000003", "pubmed-fatigue", "2024-06-01", "10.5555/fict.2024.003", "van der Berg")]
    assert rows(saved, RUNS) == [{"search": "pubmed-fatigue", "date": "2024-06-01", "engine": "pubmed",
                                  "query": "fatigue AND example", "reported": "3", "new": "2"}]
    assert "pubmed-fatigue: the source reports 3, 2 new" in capsys.readouterr().out
    assert [path for path, _ in server.seen] == ["/eutils/esearch.fcgi", "/eutils/esummary.fcgi"]
    esearch = server.seen[0][1]
    assert (esearch["db"], esearch["term"], esearch["retmode"], esearch["tool"]) == ("pubmed", "fatigue AND example", "json", "livingreview")
    assert "mindate" not in esearch and "api_key" not in esearch
    # the queued records count as the search's: the record still checks clean
    assert screening.check(saved.project, note_keys={"doe2020", "roe2018"}, bib_keys={"doe2020", "roe2018"}) == []


def test_a_second_run_adds_nothing_and_both_runs_are_recorded(saved, server):
    assert run(saved, "pubmed-fatigue") == 0
    before = (saved.root / QUEUE).read_bytes()
    assert run(saved, "pubmed-fatigue") == 0
    assert (saved.root / QUEUE).read_bytes() == before
    assert [(r["date"], r["reported"], r["new"]) for r in rows(saved, RUNS)] == [("2024-06-01", "3", "2"),
                                                                                ("2024-06-01", "3", "0")]
    second = [params for path, params in server.seen if path.endswith("esearch.fcgi")][1]
    assert (second["datetype"], second["mindate"]) == ("edat", "2024/06/01")  # since the previous run


def test_sources_are_deduplicated_against_each_other_by_doi(saved, server, monkeypatch):
    monkeypatch.setenv("CROSSREF_MAILTO", "jane@example.org")
    assert run(saved) == 0  # every saved search: PubMed first, then Crossref
    queued = rows(saved, QUEUE)
    assert [(q["record"], q["search"]) for q in queued] == [
        ("pmid:90000001", "pubmed-fatigue"), ("pmid:90000003", "pubmed-fatigue"),
        ("doi:10.5555/fict.2025.010", "crossref-fatigue")]
    works = [params for path, params in server.seen if path == "/works"][0]
    assert (works["query"], works["mailto"]) == ("fatigue example", "jane@example.org")
    assert [(r["search"], r["reported"], r["new"]) for r in rows(saved, RUNS)] == [
        ("pubmed-fatigue", "3", "2"), ("crossref-fatigue", "2", "1")]


def test_an_api_key_is_sent_and_raises_the_rate(saved, server, monkeypatch):
    monkeypatch.setenv("NCBI_API_KEY", "not-a-real-key")
    monkeypatch.setenv("NCBI_EMAIL", "jane@example.org")
    assert run(saved, "pubmed-fatigue") == 0
    assert all(params["api_key"] == "not-a-real-key" and params["email"] == "jane@example.org"
               for _, params in server.seen)


def test_a_429_is_retried(saved, server):
    server.script["/eutils/esearch.fcgi"] = [(429, ""), (200, "pubmed-esearch.json")]
    assert run(saved, "pubmed-fatigue") == 0
    assert [path for path, _ in server.seen] == ["/eutils/esearch.fcgi"] * 2 + ["/eutils/esummary.fcgi"]
    assert len(rows(saved, QUEUE)) == 2


def test_a_server_that_keeps_failing_is_a_diagnostic_and_nothing_is_written(saved, server, capsys):
    server.script["/eutils/esummary.fcgi"] = [(503, "")]
    assert run(saved) == 2
    err = capsys.readouterr().err
    assert "reviews/search.yml:14: error SCR028 [pubmed-fatigue.query]" in err
    assert f"failed after {fetch.ATTEMPTS} attempts: HTTP 503" in err and "nothing was written" in err
    assert not (saved.root / QUEUE).exists() and not (saved.root / RUNS).exists()
    assert len([p for p, _ in server.seen if p.endswith("esummary.fcgi")]) == fetch.ATTEMPTS


def test_an_answer_of_the_wrong_shape_is_a_diagnostic(saved, server, capsys):
    server.script["/works"] = [(200, "pubmed-esearch.json")]
    assert run(saved, "crossref-fatigue") == 2
    assert "error SCR028" in capsys.readouterr().err
    assert not (saved.root / QUEUE).exists()


def test_a_search_without_a_saved_query_is_not_runnable(saved, server, capsys):
    assert run(saved, "handsearch") == 2
    assert "error SCR027 [handsearch] search 'handsearch' saves no engine and query" in capsys.readouterr().err
    assert run(saved, "pubmed-fatgiue") == 2
    assert "did you mean 'pubmed-fatigue'?" in capsys.readouterr().err
    assert server.seen == []


def test_running_all_names_the_searches_skipped(saved, server, capsys):
    assert run(saved) == 0
    assert "not runnable (no engine and query saved): registry, handsearch" in capsys.readouterr().out


def test_a_review_with_no_saved_query_says_so(screened, capsys):
    assert run(screened) == 2
    assert "SCR027 no search saves a query to run" in capsys.readouterr().err


def test_queued_records_are_identified_but_not_screened(saved, server):
    assert run(saved, "pubmed-fatigue") == 0
    log, rows_ = screening.load_files(saved.project)
    counts = screening.tally(log, rows_, {})
    assert (counts.awaiting, counts.identified_total, counts.screened) == (2, 8, 5)
    assert [(s.search, s.records) for s in counts.identified][:1] == [("pubmed-fatigue", 2)]


def test_a_queued_record_that_was_screened_must_leave_the_queue(saved, server):
    assert run(saved, "pubmed-fatigue") == 0
    with open(saved.root / "reviews/screening.csv", "a", encoding="utf-8") as handle:
        handle.write("pmid:90000001,pubmed-fatigue,,exclude,,wrong population,\n")
    problems = screening.check(saved.project, note_keys={"doe2020", "roe2018"}, bib_keys={"doe2020", "roe2018"})
    assert [(d.code, d.file, d.line, d.key) for d in problems] == [("SCR026", QUEUE, 2, "pmid:90000001")]
    # moved (the row removed from the queue), it is screened, and a later run does not queue it again
    text = (saved.root / QUEUE).read_text(encoding="utf-8").splitlines()
    (saved.root / QUEUE).write_text("\n".join([text[0], text[2]]) + "\n", encoding="utf-8")
    assert screening.check(saved.project, note_keys={"doe2020", "roe2018"}, bib_keys={"doe2020", "roe2018"}) == []
    assert run(saved, "pubmed-fatigue") == 0
    assert [q["record"] for q in rows(saved, QUEUE)] == ["pmid:90000003"]


def test_the_counts_disagree_when_queued_rows_are_lost(saved, server):
    assert run(saved, "pubmed-fatigue") == 0
    (saved.root / QUEUE).unlink()
    [problem] = screening.check(saved.project, note_keys={"doe2020", "roe2018"}, bib_keys={"doe2020", "roe2018"})
    assert (problem.code, problem.key) == ("SCR010", "pubmed-fatigue")
    assert problem.message == ("search 'pubmed-fatigue' declares 0 records and its runs found 2 more but "
                               "reviews/screening.csv lists 0 for it")


def test_a_bad_runs_row_is_a_diagnostic(saved):
    saved.write(RUNS, "search,date,engine,query,reported,new\nnope,2024-13-01,pubmed,q,3,x\n")
    with pytest.raises(screening.ScreeningInvalid) as exc:
        screening.load_files(saved.project)
    assert sorted((d.code, d.line, d.field) for d in exc.value.diagnostics) == [
        ("SCR025", 2, "date"), ("SCR025", 2, "new"), ("SCR025", 2, "search")]


def test_the_run_date_is_reproducible():
    assert search_run.run_date({"SOURCE_DATE_EPOCH": "0"}) == "1970-01-01"


def test_the_pacer_spaces_requests():
    now, slept = [0.0], []
    pacer = fetch.Pacer(3, clock=lambda: now[0], sleep=lambda s: (slept.append(round(s, 3)), now.__setitem__(0, now[0] + s)))
    pacer.wait()
    now[0] += 0.1
    pacer.wait()
    assert slept == [0.233]


def test_a_saved_search_is_part_of_the_log(saved):
    log = screening.load_files(saved.project)[0]
    assert isinstance(log, SearchLog)
    assert [(s.id, s.engine, s.runnable) for s in log.searches][:3] == [
        ("pubmed-fatigue", "pubmed", True), ("crossref-fatigue", "crossref", True), ("registry", None, False)]


def test_the_diagram_and_the_methods_paragraph_name_the_records_awaiting_screening(saved, server):
    from livingreview.method import prisma

    assert run(saved, "pubmed-fatigue") == 0
    log, rows_ = screening.load_files(saved.project)
    counts = screening.tally(log, rows_, {})
    assert "Records awaiting screening (n\u00a0=\u00a02)" in [line for step in prisma._steps(counts) for line in step.side]
    assert "2 records found by the latest search runs were not yet screened." in prisma.methods_paragraph(counts, log.searches)

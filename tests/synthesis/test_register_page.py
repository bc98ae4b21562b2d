from __future__ import annotations

from synthesis_fixtures import by_key, make_hypothesis, make_note

from livingreview.synthesis.questions import register
from livingreview.synthesis.register_page import register_html


def test_every_value_is_escaped():
    hypothesis = make_hypothesis(questions=[("q-x", "Is <script>alert(1)</script> & \"x\" safe?")])
    page = register_html(register({"h-test": hypothesis}, {}))
    assert "<script>" not in page
    assert "Is &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;x&#34; safe?" in page


def test_page_counts_statuses_and_lists_rows():
    trial = make_note("plan2024", design="planned-trial", tests_questions=["q-b"])
    hypothesis = make_hypothesis(questions=[("q-a", "A?"), ("q-b", "B?")])
    page = register_html(register({"h-test": hypothesis}, by_key(trial)))
    assert '<p class="summary">2 questions: 1 open, 1 being tested, 0 addressed.</p>' in page
    assert ('<tr id="q-b"><td><code>q-b</code> B?</td><td>h-test</td><td>h-test</td>'
            '<td><span class="status-being-tested">being tested</span></td><td>plan2024</td>'
            '<td>h-test; plan2024</td></tr>') in page
    assert page.startswith("<!DOCTYPE html>\n") and page.endswith("</html>\n")


def test_page_is_deterministic_and_says_when_empty():
    empty = register_html(register({}, {}))
    assert empty == register_html(register({}, {}))
    assert "0 questions: 0 open, 0 being tested, 0 addressed." in empty
    assert "No questions have been raised yet." in empty

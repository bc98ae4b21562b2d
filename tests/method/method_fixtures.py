"""An invented search log and screening record for the tiny project (see tests/conftest.py).

``registry`` returned four records (doe2020 included; poe2019 excluded at title/abstract;
moe2017 excluded at full text; zoe2016 not retrieved); ``handsearch`` returned two (doe2020
again, a duplicate; roe2018 included). Line numbers in the tests refer to these texts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

#: the project root of the real review
ROOT = Path(__file__).resolve().parents[2]

SEARCH_YML = """\
note: An invented search log.
exclusion_reasons:
  - not about fatigue mechanisms
  - wrong population
searches:
  - id: registry
    source: bibliographic records
    title: Search of the Example Register
    method: fatigue AND example
    date: 2020-05-01
    run_by: Jane Doe
    records: 4
  - id: handsearch
    source: reference lists
    title: Reference lists of included works
    method: Reading the reference lists of doe2020.
    date: null
    run_by: Jane Doe
    records: 2
"""

SCREENING_CSV = """\
record,search,duplicate_of,title_abstract,full_text,exclusion_reason,notes
doe2020,registry,,include,include,,
poe2019,registry,,exclude,,not about fatigue mechanisms,an invented conference abstract
moe2017,registry,,include,exclude,wrong population,healthy volunteers only
zoe2016,registry,,include,not-retrieved,,
doe2020,handsearch,doe2020,,,,found again
roe2018,handsearch,,include,include,,
"""

NOTE_KEYS = frozenset({"doe2020", "roe2018"})
BIB_KEYS = frozenset({"doe2020", "roe2018"})


@pytest.fixture
def screened(tiny_project):
    """The tiny project with the invented search log and screening record."""
    tiny_project.write("reviews/search.yml", SEARCH_YML)
    tiny_project.write("reviews/screening.csv", SCREENING_CSV)
    return tiny_project

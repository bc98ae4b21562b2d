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


# -- two reviewers ---------------------------------------------------------------------------------
# The same records screened by two invented reviewers, Jane Doe and Richard Roe: screening.csv lists
# them with blank decisions, screening-decisions.csv holds each reviewer's. They disagree on moe2017
# at title-abstract (line 4: include; line 9: exclude); DUAL_RESOLVED settles it (include) and adds
# moe2017's full-text decisions. zoe2016's full text was sought by Jane Doe alone. The final decisions
# are SCREENING_CSV's.

REVIEWERS = "reviewers: [Jane Doe, Richard Roe]\n"

DUAL_SCREENING_CSV = """\
record,search,duplicate_of,title_abstract,full_text,exclusion_reason,notes
doe2020,registry,,,,,
poe2019,registry,,,,,an invented conference abstract
moe2017,registry,,,,,healthy volunteers only
zoe2016,registry,,,,,
doe2020,handsearch,doe2020,,,,found again
roe2018,handsearch,,,,,
"""

DECISIONS_CSV = """\
record,stage,kind,reviewer,date,decision,exclusion_reason,notes
doe2020,title-abstract,independent,Jane Doe,2024-03-01,include,,
poe2019,title-abstract,independent,Jane Doe,2024-03-01,exclude,not about fatigue mechanisms,
moe2017,title-abstract,independent,Jane Doe,2024-03-01,include,,
zoe2016,title-abstract,independent,Jane Doe,2024-03-01,include,,
roe2018,title-abstract,independent,Jane Doe,2024-03-01,include,,
doe2020,title-abstract,independent,Richard Roe,2024-03-02,include,,
poe2019,title-abstract,independent,Richard Roe,2024-03-02,exclude,not about fatigue mechanisms,
moe2017,title-abstract,independent,Richard Roe,2024-03-02,exclude,wrong population,the abstract names healthy volunteers
zoe2016,title-abstract,independent,Richard Roe,2024-03-02,include,,
roe2018,title-abstract,independent,Richard Roe,2024-03-02,include,,
doe2020,full-text,independent,Jane Doe,2024-04-01,include,,
zoe2016,full-text,independent,Jane Doe,2024-04-01,not-retrieved,,
roe2018,full-text,independent,Jane Doe,2024-04-01,include,,
doe2020,full-text,independent,Richard Roe,2024-04-02,include,,
roe2018,full-text,independent,Richard Roe,2024-04-02,include,,
"""

#: appended to DECISIONS_CSV (lines 17-19)
DUAL_RESOLVED = """\
moe2017,title-abstract,resolution,Jane Doe,2024-03-05,include,,discussed with Richard Roe: the abstract also names patients
moe2017,full-text,independent,Jane Doe,2024-04-01,exclude,wrong population,healthy volunteers only
moe2017,full-text,independent,Richard Roe,2024-04-02,exclude,wrong population,
"""


@pytest.fixture
def dual(screened):
    """The invented record screened by two reviewers, the moe2017 conflict unresolved."""
    screened.edit("reviews/search.yml", "note: An invented search log.\n", "note: An invented search log.\n" + REVIEWERS)
    screened.write("reviews/screening.csv", DUAL_SCREENING_CSV)
    screened.write("reviews/screening-decisions.csv", DECISIONS_CSV)
    return screened

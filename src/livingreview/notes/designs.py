"""The study designs a note may name: one table, for the note model, the command line's ``new --design`` and the
risk-of-bias tools. A light module (no pydantic), so that building the command line's parser does not build the
note models."""

from __future__ import annotations

from typing import Literal

Design = Literal[
    "rct", "crossover-rct", "cohort", "case-control", "cross-sectional", "pilot", "uncontrolled-trial",
    "narrative-review", "systematic-review", "opinion", "planned-trial", "commentary", "summary",
    "not-stated",  # the record does not say; never guessed
]

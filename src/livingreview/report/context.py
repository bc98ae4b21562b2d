"""What a report knows about where it comes from: the project, its build.yml, the variant.

A Selection carries its parameters; the project root comes from the review that made it
(falling back to the project containing the working directory, as ``livingreview.load()`` does).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..project import BuildConfig, Project, ReportParameters, Variant
from .vocabulary import STYLES


def project_of(selection) -> Project:
    """The project the selection's review was loaded from."""
    review = getattr(selection, "review", None)
    root = getattr(review, "root", None)
    if root is None:
        root = getattr(getattr(review, "project", None), "root", None)
    return Project(Path(root).resolve()) if root is not None else Project.find()


def parameters_of(selection) -> ReportParameters | None:
    """The selection's parameters, typed; None when they are not a full report parameter set."""
    try:
        return ReportParameters(**dict(selection.parameters))
    except (ValidationError, TypeError):
        return None


def variant_of(selection, config: BuildConfig) -> Variant | None:
    """The build.yml variant whose parameters equal the selection's, or None (custom parameters)."""
    wanted = parameters_of(selection)
    if wanted is None:
        return None
    for variant in config.variants:
        values = {**config.defaults, **variant.parameters, "hypothesis": wanted.hypothesis}
        try:
            if ReportParameters(**values) == wanted:
                return variant
        except ValidationError:
            continue
    return None


def describe_parameters(parameters: dict) -> list[str]:
    """The parameter values in words, one phrase each, in a fixed order."""
    conditions = parameters.get("conditions", "all")
    year_from, year_to = parameters.get("year_from"), parameters.get("year_to")
    if year_from is None and year_to is None:
        years = "all years"
    elif year_to is None:
        years = f"published {year_from} or later"
    elif year_from is None:
        years = f"published {year_to} or earlier"
    else:
        years = f"published {year_from}–{year_to}"
    return [
        "all conditions" if conditions == "all" else f"{conditions} only",
        "only studies whose criteria require PEM" if parameters.get("pem_required_only") else "any diagnostic criteria",
        years,
        f"{STYLES.get(parameters.get('citation_style', 'apa'), parameters.get('citation_style'))} references",
    ]


def is_filtered(parameters: dict) -> bool:
    """True when the parameters leave out some works (conditions, PEM or years)."""
    return (
        parameters.get("conditions", "all") != "all"
        or bool(parameters.get("pem_required_only"))
        or parameters.get("year_from") is not None
        or parameters.get("year_to") is not None
    )

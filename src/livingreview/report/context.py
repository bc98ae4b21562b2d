"""What a report knows about where it comes from: the project, its build.yml, the variant.

A Selection carries its filter parameters; the notebook adds the citation style. The project
and build.yml come from the review that made the selection (falling back to the project
containing the working directory, as ``livingreview.load()`` does).
"""

from __future__ import annotations

from pydantic import ValidationError

from ..project import BuildConfig, Project, ReportParameters, Variant
from .vocabulary import STYLES


def project_of(selection) -> Project:
    """The project the selection's review was loaded from (else the one around the working directory)."""
    project = getattr(getattr(selection, "review", None), "project", None)
    return project if isinstance(project, Project) else Project.find()


def config_of(selection) -> BuildConfig:
    config = getattr(getattr(selection, "review", None), "config", None)
    return config if isinstance(config, BuildConfig) else project_of(selection).config


def report_parameters(selection, citation_style: str | None = None) -> dict:
    """The selection's parameters plus the citation style (given, the selection's own, or APA)."""
    values = dict(selection.parameters)
    values["citation_style"] = citation_style or values.get("citation_style") or "apa"
    return dict(sorted(values.items()))


def variant_of(parameters: dict, config: BuildConfig) -> Variant | None:
    """The build.yml variant whose parameters equal *parameters*, or None (custom parameters)."""
    try:
        wanted = ReportParameters(**parameters)
    except (ValidationError, TypeError):
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
    """The parameter values in words, one phrase each: conditions, PEM, years, citation style."""
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
    style = parameters.get("citation_style") or "apa"
    return [
        "all conditions" if conditions == "all" else f"{conditions} only",
        "only studies whose criteria require PEM" if parameters.get("pem_required_only") else "any diagnostic criteria",
        years,
        f"{STYLES.get(style, style)} references",
    ]


def is_filtered(parameters: dict) -> bool:
    """True when the parameters leave out some works (conditions, PEM or years)."""
    return (
        parameters.get("conditions", "all") != "all"
        or bool(parameters.get("pem_required_only"))
        or parameters.get("year_from") is not None
        or parameters.get("year_to") is not None
    )

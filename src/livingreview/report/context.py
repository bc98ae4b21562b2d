"""What a report knows about where it comes from: the project, its build.yml, the variant.

A Selection carries its typed parameters (the citation style included). The project and
build.yml come from the review that made the selection (falling back to the project containing
the working directory, as ``livingreview.load()`` does).
"""

from __future__ import annotations

from .. import filters
from ..project import BuildConfig, Project, ReportParameters, Variant, matching_variants
from .labels import STYLES


def project_of(selection) -> Project:
    """The project the selection's review was loaded from (else the one around the working directory)."""
    project = getattr(getattr(selection, "review", None), "project", None)
    return project if isinstance(project, Project) else Project.find()


def config_of(selection) -> BuildConfig:
    config = getattr(getattr(selection, "review", None), "config", None)
    return config if isinstance(config, BuildConfig) else project_of(selection).config


def variant_of(parameters: ReportParameters, config: BuildConfig) -> Variant | None:
    """The build.yml variant whose parameters equal *parameters*, or None (custom parameters)."""
    return next(iter(matching_variants(config, parameters)), None)


def describe_parameters(selection) -> list[str]:
    """The selection's parameter values in words, one phrase each: every filter of its review
    (:mod:`livingreview.filters`), then the citation style."""
    parameters = selection.parameters
    style = parameters.citation_style
    return [*filters.describe(selection.review.filters, parameters), f"{STYLES.get(style, style)} references"]

"""The report matrix: every hypothesis x every variant, with typed, validated parameters.

Everything that can be wrong with the matrix is found here, before any kernel starts:
an empty matrix, a hypothesis listed twice, an unknown or mistyped parameter (named, with the
variant), a missing notebook, a notebook that breaks the parameter contract (:mod:`.contract`),
an ``--only`` filter that names nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, closest, error
from ..errors import ConfigError
from ..notes.model import Hypothesis
from ..project import BuildConfig, Project, ReportParameters, Variant, parameters_for
from ..notebooks import NotebookUnreadable, notebook_cells, notebook_path
from . import contract


@dataclass(frozen=True)
class Target:
    """One report: a hypothesis rendered with one variant's parameters."""

    hypothesis: Hypothesis
    variant: Variant
    parameters: ReportParameters
    notebook: Path

    @property
    def name(self) -> str:
        """``<hypothesis>/<variant>``: the report's name and its folder under outputs/."""
        return f"{self.hypothesis.id}/{self.variant.name}"

    @property
    def title(self) -> str:
        return f"{self.hypothesis.title} — {self.variant.title}"


def make_plan(project: Project, hypotheses: Mapping[str, Hypothesis]) -> list[Target]:
    """The whole matrix in order (hypotheses, then variants); ConfigError listing every error found.

    *hypotheses*: the review's, by id (``hypotheses: all`` in build.yml means every one of them)."""
    targets, problems = plan_matrix(project, hypotheses)
    errors = [d for d in problems if d.is_error]
    if errors:
        raise ConfigError(errors, summary="the report matrix is invalid; nothing was built")
    return targets


def plan_matrix(project: Project, hypotheses: Mapping[str, Hypothesis]) -> tuple[list[Target], list[Diagnostic]]:
    """The matrix and every problem with it, warnings included (``livingreview check`` prints them all)."""
    config = project.config
    chosen, problems = _chosen_hypotheses(project, config, hypotheses)
    targets, more = _targets(project, config, chosen)
    problems += more
    problems += _notebook_problems(project, {t.notebook: t.hypothesis.id for t in targets})
    if not targets and not problems:
        problems.append(_empty_matrix(project, config))
    return targets, problems


def _chosen_hypotheses(project: Project, config: BuildConfig, known: Mapping[str, Hypothesis]):
    file = project.rel(project.config_path)
    if config.hypotheses == "all":
        if not known:
            return [], [error("BLD001", file, project.config_line("hypotheses"),
                              f"'hypotheses: all' but {project.rel(project.hypotheses_dir)}/ holds no *.yml",
                              field="hypotheses", hint="add a hypothesis file or list hypotheses explicitly")]
        return [known[name] for name in sorted(known)], []
    problems = [
        error("BLD001", file, project.config_line("hypotheses", i),
              f"hypothesis '{name}' has no file in {project.rel(project.hypotheses_dir)}/",
              field="hypotheses", hint=closest(name, known))
        for i, name in enumerate(config.hypotheses) if name not in known
    ]
    problems += [
        error("BLD007", file, project.config_line("hypotheses", i), f"hypothesis '{name}' is listed twice",
              field="hypotheses", hint="list each hypothesis once (its reports would overwrite each other)")
        for i, name in enumerate(config.hypotheses) if name in config.hypotheses[:i]
    ]
    return [known[name] for name in dict.fromkeys(config.hypotheses) if name in known], problems


def _empty_matrix(project: Project, config: BuildConfig) -> Diagnostic:
    """Nothing to build is a mistake, not a reason to unpublish every report."""
    what = "variants" if not config.variants else "hypotheses"
    return error("BLD008", project.rel(project.config_path), project.config_line(what),
                 f"the report matrix is empty: '{what}' lists none", field=what,
                 hint="list at least one hypothesis and one variant (or 'hypotheses: all')")


def _targets(project: Project, config: BuildConfig, hypotheses: Iterable[Hypothesis]):
    """Typed parameters for every cell of the matrix; each distinct problem reported once."""
    targets: list[Target] = []
    problems: list[Diagnostic] = []
    for hypothesis in hypotheses:
        for variant in config.variants:
            try:
                params = parameters_for(config, hypothesis.id, variant, project.report_parameters,
                                        file=project.rel(project.config_path))
            except ConfigError as exc:
                problems += [d for d in exc.diagnostics if d not in problems]
                continue
            targets.append(Target(hypothesis, variant, params, notebook_path(project, hypothesis.id)))
    return targets, problems


def _notebook_problems(project: Project, notebooks: Mapping[Path, str]) -> list[Diagnostic]:
    """Missing, unreadable or contract-breaking notebooks (*notebooks*: path -> its hypothesis id)."""
    problems = []
    for path, hypothesis in sorted(notebooks.items()):
        rel = project.rel(path)
        if not path.exists() and not path.is_symlink():
            problems.append(error("BLD002", rel, None, "the report notebook for this hypothesis is missing",
                                  hint=f"create {rel} (one notebook per hypothesis)"))
            continue
        try:
            cells = notebook_cells(path)
        except NotebookUnreadable as exc:
            problems.append(error("BLD003", rel, exc.line, str(exc)))
            continue
        except ConfigError as exc:  # refused unread: a FIFO, a link out of the project, too large
            problems += exc.diagnostics
            continue
        problems += contract.check_notebook(cells, file=rel, hypothesis=hypothesis, model=project.report_parameters)
    return problems


def select_only(targets: list[Target], only: Sequence[str]) -> list[Target]:
    """Keep the targets named by ``--only HYPOTHESIS[/VARIANT]``; an unknown name is an error."""
    if not only:
        return targets
    hypotheses = sorted({t.hypothesis.id for t in targets})
    variants = sorted({t.variant.name for t in targets})
    problems, keep = [], set()
    for item in only:
        hyp, _, var = item.partition("/")
        if hyp not in hypotheses:
            problems.append(error("BLD005", "--only", None, f"no hypothesis '{hyp}' in the matrix", hint=closest(hyp, hypotheses)))
        elif var and var not in variants:
            problems.append(error("BLD005", "--only", None, f"no variant '{var}' in the matrix", hint=closest(var, variants)))
        else:
            keep |= {t.name for t in targets if t.hypothesis.id == hyp and (not var or t.variant.name == var)}
    if problems:
        raise ConfigError(problems)
    return [t for t in targets if t.name in keep]

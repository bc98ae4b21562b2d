"""Exception classes. Problems in user input are :class:`Diagnostic` data first;
an exception carries them when work cannot go on. Anything else is a bug."""

from __future__ import annotations

from collections.abc import Iterable

from .diagnostics import Diagnostic


class LivingReviewError(Exception):
    """Base class: every error the project raises on purpose."""

    exit_code = 2


class InputError(LivingReviewError):
    """User input is invalid; carries the diagnostics that say where and why."""

    def __init__(self, diagnostics: Iterable[Diagnostic], summary: str | None = None):
        self.diagnostics = sorted(diagnostics)
        self.summary = summary
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [self.summary] if self.summary else []
        lines += [d.format() for d in self.diagnostics]
        return "\n".join(lines) or "invalid input"


class ProjectNotFound(LivingReviewError):
    """No project root (a folder with reviews/build.yml) above the working directory."""


class ConfigError(InputError):
    """reviews/build.yml or a build parameter is invalid."""


class ReviewInvalid(InputError):
    """The bibliography, hypotheses or notes have errors; ``livingreview check`` lists them."""


class BuildFailed(LivingReviewError):
    """One or more report variants failed; the previous outputs are untouched."""

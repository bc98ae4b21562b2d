"""Where things are, and the typed build configuration (``reviews/build.yml``).

A project root is the folder that holds ``reviews/build.yml``. Every path the tool
reads or writes is derived from it here, and paths taken from user files must stay
inside it (:meth:`Project.inside`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import (BaseModel, ConfigDict, Field, PlainValidator, StrictBool, StrictInt, StrictStr, ValidationError,
                      create_model, field_validator)

from . import textfile, yamlio
from .diagnostics import error
from .errors import ConfigError, InputError, ProjectNotFound
from .schema_errors import schema_diagnostics
from .vocabulary import Vocabulary, load as load_vocabulary

CONFIG = Path("reviews") / "build.yml"
#: where the notes are: one ``<citation key>.yml`` per work
NOTES = Path("reviews") / "notes"
#: the review-wide files every report reads (its vocabulary, the certainty rules, the risk-of-bias tools by
#: design, the search log and its runs, the screening record, the reviewers' screening decisions and the
#: records awaiting screening)
REVIEW_FILES = ("reviews/vocabulary.yml", "reviews/certainty.yml", "reviews/risk-of-bias.yml", "reviews/search.yml",
                "reviews/search-runs.csv", "reviews/screening.csv", "reviews/screening-decisions.csv",
                "reviews/screening-queue.csv")
#: where ``livingreview schema`` writes the JSON Schemas editors check the YAML files with
SCHEMAS = Path("schemas")
#: the schema of a note, which every note ``livingreview new`` writes names
NOTE_SCHEMA = SCHEMAS / "note.schema.json"

CitationStyle = Literal["apa", "vancouver", "harvard"]


class ReportParameters(BaseModel):
    """The parameters every report notebook takes (its ``parameters`` cell mirrors them). The fields
    come from the review's vocabulary (:func:`parameters_model`): this class is what every review's
    parameters are an instance of."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: the vocabulary the class was made from, as JSON (so an instance pickles by value: :meth:`__reduce__`)
    vocabulary_json: ClassVar[str] = ""

    def __reduce__(self):
        return _unpickle, (type(self).vocabulary_json, self.model_dump())


def _unpickle(vocabulary_json: str, values: dict) -> "ReportParameters":
    return parameters_model(Vocabulary.model_validate_json(vocabulary_json))(**values)


#: one class per vocabulary, so that two loads of one review give parameters that compare equal
_MODELS: dict[str, type[ReportParameters]] = {}


def parameters_model(vocabulary: Vocabulary) -> type[ReportParameters]:
    """The typed report parameters of a review with *vocabulary*, in the order a notebook's
    ``parameters`` cell sets them: the hypothesis; the condition to keep (``all`` or one the vocabulary
    declares); for each facet, whether to keep only studies whose criteria require it; the years; the
    citation style. A value outside these types is rejected, with a did-you-mean, before any kernel starts."""
    key = vocabulary.model_dump_json()
    if key in _MODELS:
        return _MODELS[key]
    fields: dict = {"hypothesis": (StrictStr, ...),
                    "conditions": (Literal[("all", *vocabulary.conditions)], "all")}  # type: ignore[valid-type]
    for facet in vocabulary.facets:
        fields[vocabulary.parameter(facet)] = (StrictBool, False)
    fields.update(year_from=(StrictInt | None, None), year_to=(StrictInt | None, None),
                  citation_style=(CitationStyle, "apa"))
    model = create_model("ReportParameters", __base__=ReportParameters, __module__=__name__, **fields)
    model.vocabulary_json = key
    return _MODELS.setdefault(key, model)


def _mapping(value: object) -> dict:
    if not isinstance(value, dict):
        raise ValueError("must be a mapping of parameter names to values")
    return value  # as read (a yamlio.LineDict), so a bad parameter's diagnostic can name its line


#: marks the JSON Schema of parameter values, which ``livingreview schema`` fills in from the review's vocabulary
PARAMETERS_SCHEMA_MARK = "x-livingreview-report-parameters"


def _parameters_schema(schema: dict) -> None:
    """The JSON Schema of parameter values (for editors): a mapping, whose fields (the review's
    report parameters, :func:`parameters_schema`) ``livingreview schema`` fills in."""
    schema.update(type="object", **{PARAMETERS_SCHEMA_MARK: True})


def parameters_schema(model: type[ReportParameters]) -> dict:
    """The JSON Schema of a variant's parameter values: *model*'s fields but the hypothesis, which
    the matrix sets (a ``hypothesis`` there would be overridden)."""
    fields = model.model_json_schema()["properties"]
    return {"type": "object", "additionalProperties": False,
            "properties": {name: field for name, field in fields.items() if name != "hypothesis"}}


#: parameter values, kept as read; :func:`parameters_for` types them
Parameters = Annotated[dict, PlainValidator(_mapping), Field(json_schema_extra=_parameters_schema)]


class Variant(BaseModel):
    """One column of the report matrix: a named set of parameter values applied to every hypothesis."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: StrictStr = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: StrictStr
    parameters: Parameters = Field(default_factory=dict)


class Limits(BaseModel):
    """How long a report may run and how large an input file may be (``limits:`` in build.yml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: seconds one code cell may run before its kernel is stopped and the report fails
    cell_timeout: StrictInt = Field(default=300, ge=1)
    #: seconds one report's notebook may run in all (kernel start included)
    report_timeout: StrictInt = Field(default=1200, ge=1)
    #: megabytes an input text file (note, hypothesis, YAML, CSV, notebook, source text) may hold
    #: (build.yml itself is read under the default)
    file_mb: StrictInt = Field(default=4, ge=1)
    #: megabytes a ``bib/*.bib`` file may hold; also the quote record and a file to import, which grow
    #: with the whole review as the bibliography does
    bib_mb: StrictInt = Field(default=64, ge=1)


class BuildConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: StrictStr
    authors: list[StrictStr]
    hypotheses: list[StrictStr] | Literal["all"] = "all"
    defaults: Parameters = Field(default_factory=dict)
    variants: list[Variant]
    jobs: StrictInt | None = Field(default=None, ge=1)
    citation: dict = Field(default_factory=dict)
    limits: Limits = Field(default_factory=Limits)

    @field_validator("variants")
    @classmethod
    def _unique_names(cls, variants: list[Variant]) -> list[Variant]:
        names = [v.name for v in variants]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"variant names must be unique: {', '.join(dupes)}")
        return variants


def parameters_for(config: BuildConfig, hypothesis: str, variant: Variant, model: type[ReportParameters],
                   file: str = str(CONFIG)) -> ReportParameters:
    """Merge defaults, the variant and the hypothesis into typed parameters of the review's *model*
    (:func:`parameters_model`; ConfigError on a bad one)."""
    values = {**config.defaults, **variant.parameters, "hypothesis": hypothesis}
    try:
        return model(**values)
    except ValidationError as exc:
        located = yamlio.LineDict(values)  # each value's line: the variant's, else the default's
        located.line = None
        located.lines = {**getattr(config.defaults, "lines", {}), **getattr(variant.parameters, "lines", {})}
        raise ConfigError(schema_diagnostics(exc, located, model, file, "CFG001", prefix=f"variant '{variant.name}': ",
                                             noun="parameter")) from None


def matching_variants(config: BuildConfig, parameters: ReportParameters) -> list[Variant]:
    """The variants whose parameters for *parameters*' hypothesis are *parameters* (none: custom
    parameters); a variant with a bad parameter matches nothing (the build refuses it)."""
    out = []
    for variant in config.variants:
        try:
            if parameters_for(config, parameters.hypothesis, variant, type(parameters)) == parameters:
                out.append(variant)
        except ConfigError:
            continue
    return out


def file_scope(root: Path, limits: Limits = Limits()) -> textfile.Scope:
    """Input text files: inside *root*, at most ``limits.file_mb``."""
    return textfile.Scope.of(root, limits.file_mb, f"limits.file_mb in {CONFIG.as_posix()}")


def bib_scope(root: Path, limits: Limits = Limits()) -> textfile.Scope:
    """``.bib`` files: inside *root*, at most ``limits.bib_mb``."""
    return textfile.Scope.of(root, limits.bib_mb, f"limits.bib_mb in {CONFIG.as_posix()}")


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: Path | str | None = None) -> "Project":
        """The project containing *start* (default: ``$LIVINGREVIEW_ROOT`` or the cwd)."""
        here = Path(start or os.environ.get("LIVINGREVIEW_ROOT") or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / CONFIG).is_file():
                return cls(folder)
        raise ProjectNotFound(
            f"no livingreview project here: no {CONFIG} in {here} or any folder above it "
            "(run from inside the project, or pass --root)"
        )

    @classmethod
    def around(cls, path: Path | str) -> "Project":
        """The project whose folder holds *path*, found without following links (the nearest folder
        above it with a ``reviews/build.yml``), so a link cannot lead the search to another project."""
        for folder in Path(os.path.abspath(path)).parents:
            if (folder / CONFIG).is_file():
                return cls(folder)
        raise ProjectNotFound(f"no livingreview project holds {path}: no {CONFIG} in any folder above it")

    # -- the layout -------------------------------------------------------------------------
    bib_dir = property(lambda self: self.root / "bib")
    reviews_dir = property(lambda self: self.root / "reviews")
    hypotheses_dir = property(lambda self: self.root / "reviews" / "hypotheses")
    notes_dir = property(lambda self: self.root / NOTES)
    notebooks_dir = property(lambda self: self.root / "notebooks")
    outputs_dir = property(lambda self: self.root / "outputs")
    config_path = property(lambda self: self.root / CONFIG)
    schemas_dir = property(lambda self: self.root / SCHEMAS)

    def note_path(self, key: str) -> Path:
        """Where the note for citation key *key* is (the file is named by the key)."""
        return self.notes_dir / f"{key}.yml"

    def rel(self, path: Path) -> str:
        """*path* relative to the root, with forward slashes (for messages and manifests); a link that
        points out of the project is named as itself (its folder resolved, not the link)."""
        path = Path(path)
        for candidate in (path.resolve(), path.parent.resolve() / path.name):
            if candidate.is_relative_to(self.root):
                return candidate.relative_to(self.root).as_posix()
        return str(path)

    def read_input(self, path: Path, *, exception: type[InputError] = textfile.FileRefused) -> bytes:
        """The bytes of the input file *path*, within :attr:`file_scope` (a refusal names it relative to
        the root); FileNotFoundError when there is none."""
        return textfile.read_bytes(path, file=self.rel(path), scope=self.file_scope, exception=exception)

    def inside(self, relative: str, *, what: str, file: str, line: int | None = None) -> Path:
        """Resolve a path taken from a user file; refuse absolute paths and escapes from the root."""
        candidate = Path(relative)
        resolved = (self.root / candidate).resolve()
        if candidate.is_absolute() or not resolved.is_relative_to(self.root):
            raise ConfigError([error("PATH001", file, line, f"{what} '{relative}' is outside the project; use a path inside {self.root.name}/")])
        return resolved

    @cached_property
    def _config_data(self):
        scope = textfile.Scope.of(self.root, Limits().file_mb)  # its own limits: the default, raised by nothing
        return yamlio.load_file(self.config_path, self.rel(self.config_path), scope=scope)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """``reviews/vocabulary.yml``, typed (:class:`~livingreview.vocabulary.VocabularyInvalid` naming the line)."""
        return load_vocabulary(self.root, self.file_scope)

    @property
    def report_parameters(self) -> type[ReportParameters]:
        """The typed report parameters of this review (:func:`parameters_model` of its vocabulary)."""
        return parameters_model(self.vocabulary)

    @cached_property
    def limits(self) -> Limits:
        """build.yml's ``limits:``; the defaults when build.yml is missing or invalid (``check`` says why)."""
        try:
            return self.config.limits
        except (InputError, FileNotFoundError):
            return Limits()

    @cached_property
    def file_scope(self) -> textfile.Scope:
        """Where and how large a note, hypothesis, YAML, CSV or notebook file may be."""
        return file_scope(self.root, self.limits)

    @cached_property
    def bib_scope(self) -> textfile.Scope:
        """Where and how large a ``.bib`` file may be."""
        return bib_scope(self.root, self.limits)

    def config_line(self, *loc: str | int) -> int | None:
        """The 1-based line of the element at *loc* in build.yml, e.g. ``config_line("hypotheses", 0)``."""
        return yamlio.line_of(self._config_data, loc)

    @cached_property
    def config(self) -> BuildConfig:
        file = self.rel(self.config_path)
        data = self._config_data
        if not isinstance(data, dict):
            raise ConfigError([error("CFG001", file, 1, "build.yml must be a mapping of settings")])
        try:
            return BuildConfig(**data)
        except ValidationError as exc:
            raise ConfigError(schema_diagnostics(exc, data, BuildConfig, file, "CFG001", noun="setting")) from None

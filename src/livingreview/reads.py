"""What one report reads, defined once: the build's cache key hashes it, the report's provenance
block lists it. Everything comes from the loaded review (file digests taken as the files were read),
so nothing here opens a file.

A report on hypothesis *H* with a selection reads:

* the review-wide inputs: the build settings (``reviews/build.yml``, without its limits), the
  certainty rules, the risk-of-bias tool of each design, the search log and the screening record (with the
  reviewers' decisions, when two screen), and the flow-diagram numbers derived
  from them over the whole review;
* its hypothesis file and its notebook (by cells);
* the note of **every work bearing on H**, kept or left out: the summary counts what the filters
  left out, and a report with a facet filter on rates the same selection without it beside its own;
* the notes on both sides of every claim-drift difference it shows, and the notes its kept
  secondary sources report or paraphrase;
* the bibliography entry of every work it cites or considered;
* with retraction data (``--retractions``): the notices on the works it cites (not the whole
  file, which changes daily: a report is rebuilt when a notice on one of its works appears or changes);
* derived values: what the filters left out, the selection's rows (which carry each quote's
  verification status and each question's status in the review-wide register), and the kept works'
  risk-of-bias assessments with the verification status of their quotes.
"""

from __future__ import annotations

import dataclasses

from . import fingerprint
from .project import REVIEW_FILES, matching_variants

#: the value recorded for an input that is named but absent (an entry or file that does not exist)
ABSENT = fingerprint.ABSENT


def note_keys(selection) -> list[str]:
    """The works whose notes the report reads (see the module docstring)."""
    keys = set(selection.considered)
    for drift in selection.drifts:
        keys |= {drift.secondary_key, drift.primary_key}
    for note in selection.notes.values():
        keys.update(note.reports)
        keys.update(f.paraphrases.split("#")[0] for f in note.findings if f.paraphrases)
    return sorted(k for k in keys if k in selection.review.notes)


def entry_hash(entry) -> str:
    """Hash of a bibliography entry: its type, its fields as written and as resolved (macros, crossref)."""
    return fingerprint.sha256_json({"type": entry.type, "raw": dict(entry.raw), "fields": dict(entry.fields)})


def _rows_hash(*frames) -> str:
    return fingerprint.sha256_bytes("\n".join(f.to_json(orient="records", force_ascii=False) for f in frames).encode())


def _settings(config, parameters) -> dict:
    """What a report shows of ``reviews/build.yml``: the review's title, authors and citation, and the
    variants whose parameters are the selection's (the title names the first of them)."""
    variants = [v.model_dump(mode="json") for v in matching_variants(config, parameters)]
    return {"title": config.title, "authors": config.authors, "citation": config.citation, "variants": variants}


def _risk_of_bias(selection) -> dict:
    """The kept works' assessments (computed from their notes and the tools by design) and the status of
    each risk-of-bias quote (from the quote record or the source texts)."""
    review = selection.review
    out = {}
    for key in sorted(selection.notes):
        assessment = review.risk_of_bias.get(key)
        if assessment is not None:
            statuses = {d.domain: getattr(review.quote_status.get((key, f"risk_of_bias.{d.domain}")), "status", None)
                        for d in assessment.domains if d.basis_kind == "quote"}
            out[key] = {"assessment": dataclasses.asdict(assessment), "quotes": statuses}
    return out


def report_inputs(selection) -> dict[str, str]:
    """``{name: sha256}`` of everything the report of *selection* reads, sorted by name.

    Names are project-relative paths (``reviews/notes/<key>.yml``), ``<bib file>#<key>`` for an
    entry, or a derived value's name (``flow diagram counts``, ``works left out``, ``selection data``)."""
    review = selection.review
    project, digests = review.project, review.digests
    hid = selection.hypothesis.id
    inputs: dict[str, str] = {name: digests.get(name, ABSENT) for name in REVIEW_FILES}
    if review.config is not None:
        inputs[project.rel(project.config_path)] = fingerprint.sha256_json(_settings(review.config, selection.parameters))
    for kind in ("hypotheses", "notebooks"):
        name = review.files[kind][hid]
        inputs[name] = digests.get(name) or ABSENT
    for key in note_keys(selection):
        name = review.files["notes"][key]
        inputs[name] = digests.get(name) or ABSENT
    for key in sorted(set(selection.keys) | set(selection.considered)):
        entry = review.bibliography.get(key)
        inputs[f"{entry.file if entry else 'bib'}#{key}"] = entry_hash(entry) if entry else ABSENT
    counts = review.flow_counts
    inputs["flow diagram counts"] = fingerprint.sha256_json(dataclasses.asdict(counts)) if counts is not None else ABSENT
    inputs["works left out"] = fingerprint.sha256_json(selection.dropped)
    inputs["selection data"] = _rows_hash(selection.evidence, selection.questions)
    inputs["risk of bias data"] = fingerprint.sha256_json(_risk_of_bias(selection))
    if getattr(review, "retraction_data", None) is not None:
        inputs["retraction notices"] = fingerprint.sha256_json({k: dataclasses.asdict(n) for k, n in selection.flagged.items()})
    return dict(sorted(inputs.items()))


#: a change here is a change of the livingreview code, which every report is built with
CODE_FOLDER = "src/"


def uncommitted(inputs: dict[str, str], changed: frozenset[str]) -> bool:
    """Whether a report with *inputs* was built from uncommitted changes: one of its input files, or the
    package's code, differs from the commit (*changed*: :func:`livingreview.fingerprint.uncommitted_paths`).
    A change elsewhere in the tree leaves it as built from the commit."""
    files = {name.split("#", 1)[0] for name in inputs}
    return any(path in files or path.startswith(CODE_FOLDER) for path in changed)

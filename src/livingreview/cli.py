"""The ``livingreview`` command: argument parsing and exit codes only.

Exit codes: 0 success; 1 warnings only, under ``--strict`` (or, for ``screening conflicts``, conflicts
left unresolved); 2 invalid input or a failed
build (previous outputs untouched); 3 an internal error (a bug — please report it).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import typing
from pathlib import Path

from . import __version__
from .errors import InputError, LivingReviewError
from .sources import Sources

EPILOG = "Exit status: 0 ok, 1 warnings (with --strict), 2 errors in input or a failed build, 3 internal error."


def _sources(values: list[Path] | None) -> Sources | None:
    """The folders given with --sources, else those of $LIVINGREVIEW_SOURCES (``:``-separated)."""
    return Sources.of(values) if values else Sources.of(os.environ.get("LIVINGREVIEW_SOURCES") or None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="livingreview",
        description="Reproducible living literature reviews: check the bibliography and notes, build the reports.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"livingreview {__version__}")
    parser.add_argument("--root", type=Path, help="project root (default: the folder above the cwd holding reviews/build.yml)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    retractions_help = ("the Retraction Watch data: Crossref's CSV of retraction notices, which you download yourself "
                        "(see the README); nothing is downloaded here (default: $LIVINGREVIEW_RETRACTIONS)")
    sources_help = ("folder of source texts to verify quotes against; repeat for several, searched in order "
                    "(default: $LIVINGREVIEW_SOURCES, folders separated by ':')")

    p = sub.add_parser("check", help="validate bibliography, hypotheses, notes, quotes and screening; print a summary",
                       description="Validate everything the reports are built from and print every problem with file and line.",
                       epilog=EPILOG)
    p.add_argument("--sources", type=Path, action="append", metavar="DIR", help=sources_help)
    p.add_argument("--strict", action="store_true", help="exit 1 when there are warnings but no errors")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.add_argument("--retractions", type=Path, default=None, metavar="FILE",
                   help="the Retraction Watch data: Crossref's CSV of retraction notices (download it yourself from "
                        "Crossref, e.g. https://api.labs.crossref.org/data/retractionwatch; nothing is downloaded "
                        "here). Works are matched by DOI and PMID: RET001 (error) for a retracted work a rated "
                        "finding rests on, RET002 (warning) for any other retracted, corrected or expression-of-"
                        "concern work")

    p = sub.add_parser("build", help="execute every report notebook with papermill and render HTML, PDF and data bundles",
                       description="Build the report matrix of reviews/build.yml into outputs/. Unchanged variants are reused "
                                   "(no kernel starts); outputs are published atomically.", epilog=EPILOG)
    p.add_argument("--sources", type=Path, action="append", metavar="DIR", help=sources_help)
    p.add_argument("--force", action="store_true", help="rebuild every variant, ignoring the cache")
    p.add_argument("--explain", action="store_true", help="say per variant why it would be rebuilt or reused, then stop")
    p.add_argument("--jobs", "-j", type=int, default=None, help="variants executed at once (default: number of cores)")
    p.add_argument("--only", action="append", default=[], metavar="HYPOTHESIS[/VARIANT]",
                   help="build only these reports (repeatable)")
    p.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip PDF rendering")
    p.add_argument("--outputs", type=Path, default=None, help="publish into this folder instead of outputs/")
    p.add_argument("--strict", action="store_true",
                   help="fail a report when a cell writes a warning or anything else to stderr, or when a rendered file "
                        "would hold a path of the build machine; build nothing while a screening conflict is unresolved "
                        "(SCR024) (CI uses this)")
    p.add_argument("--previous", type=Path, default=None, metavar="DIR",
                   help="the previous build to list changes against: a published outputs folder (its manifest.json, "
                        "report data and changelog.json; only read, never written). The changelog compares the evidence "
                        "and question statuses with DIR's and continues DIR's history. Default: the outputs folder being "
                        "written. Use it where the outputs folder starts empty, as in CI.")
    p.add_argument("--retractions", type=Path, default=None, metavar="FILE",
                   help=retractions_help + ". A report citing a retracted or corrected work says so in a banner under "
                        "its title; the notices on its works are among its inputs (provenance, cache key)")
    p.add_argument("--executor", default=None, metavar="threads|dask://HOST:PORT",
                   help="where the reports run: 'threads' here, --jobs at once (the default), or the workers of the "
                        "dask.distributed scheduler at HOST:PORT, which see the project and outputs folder at the same "
                        "paths (needs `pip install livingreview[dask]`)")

    p = sub.add_parser("plan", help="say which reports `build` would run, as text or as a GitHub Actions matrix",
                       description="Plan the build without running it: the report matrix of reviews/build.yml, each "
                                   "report's cache key compared with the outputs folder's manifest. 'text' says per report "
                                   "rebuild (and why) or reuse, as `build --explain`; 'github-matrix' prints the reports "
                                   "to rebuild as one line of JSON for GitHub Actions' fromJson: "
                                   '{"include": [{"report": "HYPOTHESIS/VARIANT", "hypothesis", "variant", "artifact"}]}, '
                                   '{"include":[]} when nothing is to be rebuilt (skip the matrix job then: Actions '
                                   "refuses an empty matrix).", epilog=EPILOG)
    p.add_argument("--format", choices=["text", "github-matrix"], default="text", help="output format (default: text)")
    p.add_argument("--sources", type=Path, action="append", metavar="DIR", help=sources_help)
    p.add_argument("--force", action="store_true", help="plan every report, as `build --force` would run them")
    p.add_argument("--only", action="append", default=[], metavar="HYPOTHESIS[/VARIANT]",
                   help="plan only these reports (repeatable)")
    p.add_argument("--no-pdf", dest="pdf", action="store_false", help="plan a build that skips PDF rendering")
    p.add_argument("--outputs", type=Path, default=None, help="compare with this outputs folder instead of outputs/")
    p.add_argument("--retractions", type=Path, default=None, metavar="FILE", help=retractions_help + ", as the build has")

    p = sub.add_parser("publish", help="publish the outputs of several partial builds (build --only) as one outputs folder",
                       description="Merge outputs folders that `livingreview build --only HYPOTHESIS/VARIANT` published, on "
                                   "this machine or others, into one outputs folder, as one build of the whole matrix would "
                                   "have left it: each folder's files are checked against its own manifest.json, two "
                                   "different copies of one report are refused, a report built from other inputs than this "
                                   "checkout's is refused, and a report no folder holds must be up to date in the outputs "
                                   "folder. The manifest, changelog, index and register are regenerated; publishing is "
                                   "atomic. No kernel starts.", epilog=EPILOG)
    p.add_argument("--merge", type=Path, nargs="+", required=True, metavar="DIR",
                   help="outputs folders of partial builds (e.g. downloaded CI artifacts)")
    p.add_argument("--sources", type=Path, action="append", metavar="DIR", help=sources_help + "; as the builds had")
    p.add_argument("--no-pdf", dest="pdf", action="store_false", help="the builds skipped PDF rendering")
    p.add_argument("--outputs", type=Path, default=None, help="publish into this folder instead of outputs/")
    p.add_argument("--previous", type=Path, default=None, metavar="DIR",
                   help="the previous build the changelog lists changes against, as for `build --previous`")
    p.add_argument("--retractions", type=Path, default=None, metavar="FILE", help=retractions_help + ", as the builds had")

    p = sub.add_parser("new", help="scaffold reviews/notes/KEY.yml from a bibliography entry",
                       description="Create a note for the bibliography entry KEY with its fields prefilled and its sections empty.")
    p.add_argument("key", help="citation key of an entry in bib/*.bib")
    p.add_argument("--force", action="store_true", help="overwrite an existing note (it is never overwritten otherwise)")
    from .notes.designs import Design

    p.add_argument("--design", choices=typing.get_args(Design), default=None,
                   help="the study design as the source states it; the note then gets the risk_of_bias block of the "
                        "tool reviews/risk-of-bias.yml gives that design, every domain 'no information' until judged")

    p = sub.add_parser("schema", help="write JSON Schemas of the notes, hypotheses, build.yml and vocabulary.yml for editors",
                       description="Write JSON Schemas (draft 2020-12) of the YAML files people write: note.schema.json "
                                   "(reviews/notes/*.yml), hypothesis.schema.json (reviews/hypotheses/*.yml), "
                                   "build.schema.json (reviews/build.yml) and vocabulary.schema.json (reviews/vocabulary.yml), "
                                   "with the conditions, criteria and report parameters the review's vocabulary declares. An editor with the YAML language server then "
                                   "completes and checks a file's fields when its first line names its schema, as "
                                   "`livingreview new` writes: '# yaml-language-server: $schema=../../schemas/note.schema.json'. "
                                   "The schemas come from the models `livingreview check` validates with; rules across "
                                   "files remain check's. Files whose bytes would not change are left untouched.",
                       epilog=EPILOG)
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="folder to write the schemas into (default: schemas/ in the project root, which the notes name)")

    p = sub.add_parser("import", help="append RIS or CSL-JSON records to a bib/ file as BibTeX, skipping duplicates",
                       description="Convert RIS (.ris) or CSL-JSON (.json, e.g. Zotero's export) to BibTeX entries and append them "
                                   "to a bibliography file, atomically. A record that is a work already in the bibliography "
                                   "or earlier in the file (same DOI, PMID, key, or title + year + first author) is skipped "
                                   "(BIB022), as is one that cannot be imported cleanly (BIB023: a DOI that is no DOI, a title "
                                   "written as a list, 'and' inside a name, ...); a value left out or changed is reported "
                                   "(BIB025). One line per skipped record names its place in the file, then a summary.",
                       epilog="Exit status: 0 every record imported or skipped as a duplicate, 2 a record was unusable (the "
                              "others are imported) or the file cannot be read (nothing is imported), 3 internal error.")
    p.add_argument("file", type=Path, help="the RIS or CSL-JSON file to import")
    p.add_argument("--into", type=Path, default=Path("bib/references.bib"), help="bibliography file to append to (default: bib/references.bib)")
    p.add_argument("--format", choices=["ris", "csl-json"], default=None, help="input format (default: from the file extension)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the BibTeX that would be appended, and the same report on stderr; change nothing")

    p = sub.add_parser("add-hypothesis", help="start reviews/hypotheses/ID.yml and its report notebook",
                       description="Write a commented hypothesis template and notebooks/ID.ipynb from the package's report "
                                   "notebook (every section, prose to replace). Existing files are never overwritten.")
    p.add_argument("id", help="the new hypothesis's id: lower-case letters, digits and hyphens")
    p.add_argument("--title", default=None, help="its title (default: left for you to fill in)")

    p = sub.add_parser("init", help="start a new review in DIR that builds and passes its tests at once",
                       description="Write a complete new review into DIR (created; it must be empty): reviews/build.yml and "
                                   "reviews/vocabulary.yml with commented examples, one example hypothesis and its report "
                                   "notebook, certainty and risk-of-bias rules, a search log and screening record, an example "
                                   "note and bibliography entry (marked as examples), a tasks script, a CI workflow, "
                                   ".gitignore, pre-commit (nbstripout), CITATION.cff, a README and the review's tests. Then: "
                                   "cd DIR && ./tasks build && ./tasks test. Needs no project.", epilog=EPILOG)
    p.add_argument("folder", type=Path, metavar="DIR", help="the new review's folder (created; must be empty)")
    p.add_argument("--title", default=None, help="the review's title (default: 'A living review'; change it in reviews/build.yml)")
    p.add_argument("--author", default=None, help="its author (default: 'The review authors')")

    p = sub.add_parser("screening", help="list the records two reviewers screened differently with no resolution",
                       description="With reviews/screening-decisions.csv (one row per reviewer's decision), list every "
                                   "record and stage where the reviewers' independent decisions disagree and no "
                                   "resolution is recorded: each reviewer's decision, exclusion reason and notes. "
                                   "Without that file one reviewer screened and nothing can conflict.",
                       epilog="Exit status: 0 no unresolved conflict (or one reviewer screened), 1 unresolved "
                              "conflicts (listed), 2 errors in input, 3 internal error.")
    p.add_argument("action", choices=["conflicts"], help="conflicts: list the unresolved conflicts")

    p = sub.add_parser("search", help="re-run the saved searches of reviews/search.yml; queue their new records",
                       description="Run each search of reviews/search.yml that saves an engine (pubmed, crossref) and a "
                                   "query, or only NAME: new records (by DOI, PMID, or title, year and first author) "
                                   "are appended to reviews/screening-queue.csv and the run to reviews/search-runs.csv. "
                                   "Settings: LIVINGREVIEW_PUBMED_URL, LIVINGREVIEW_CROSSREF_URL, NCBI_API_KEY, "
                                   "NCBI_TOOL, NCBI_EMAIL, CROSSREF_MAILTO, SOURCE_DATE_EPOCH.",
                       epilog="Exit status: 0 searches run, 2 errors in input or a source that kept failing "
                              "(nothing written), 3 internal error.")
    p.add_argument("action", choices=["run"], help="run: query the sources and queue the new records")
    p.add_argument("name", nargs="?", default=None, metavar="NAME", help="the id of one search (default: every saved one)")

    p = sub.add_parser("kernel", help="register the Jupyter kernel the report notebooks run in",
                       description="Register the 'livingreview' Jupyter kernel for this Python, so papermill, JupyterLab "
                                   "and nbval can run the report notebooks. Needs no project.")
    p.add_argument("action", choices=["install"], help="install: register (or re-register) the kernel")
    p.add_argument("--user", action="store_true", help="register in your user Jupyter folder instead of this environment")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "kernel":
            from .kernel import install

            print(f"registered the Jupyter kernel 'livingreview' in {install(user=args.user)}")
            return 0
        if args.command == "init":
            from .new_review import init_review

            written = init_review(args.folder, title=args.title, author=args.author)
            print(f"wrote a new review with {len(written)} files into {args.folder}; next: cd {args.folder} && "
                  "./tasks build && ./tasks test")
            return 0
        from .project import Project

        project = Project.find(args.root)
        if args.command == "check":
            from .check import run as check

            return check(project, sources=_sources(args.sources), strict=args.strict, fmt=args.format,
                         retractions=args.retractions)
        if args.command == "build":
            from .build import BuildOptions, run_build

            return run_build(project, BuildOptions(force=args.force, explain=args.explain, jobs=args.jobs, only=args.only,
                                                   sources=_sources(args.sources), pdf=args.pdf, outputs=args.outputs,
                                                   strict=args.strict, previous=args.previous,
                                                   executor=args.executor, retractions=args.retractions))
        if args.command == "plan":
            from .build import BuildOptions
            from .build.outdated import run_plan

            return run_plan(project, BuildOptions(force=args.force, only=args.only, sources=_sources(args.sources),
                                                  pdf=args.pdf, outputs=args.outputs, retractions=args.retractions),
                            fmt=args.format)
        if args.command == "publish":
            from .build.merge import MergeOptions, merge

            return merge(project, MergeOptions(folders=args.merge, sources=_sources(args.sources), pdf=args.pdf,
                                               outputs=args.outputs, previous=args.previous,
                                               retractions=args.retractions))
        if args.command == "new":
            from .notes.scaffold import new_note
            from .synthesis.rob_designs import load_choice

            tool = load_choice(project).tool_for(args.design) if args.design else None
            path = new_note(project, args.key, force=args.force, design=args.design, tool=tool)
            print(f"wrote {project.rel(path)}: fill in its sections, then run `livingreview check`")
            return 0
        if args.command == "schema":
            from .editor_schemas import write_schemas

            try:
                vocabulary = project.vocabulary
            except InputError:
                vocabulary = None
                print("note: reviews/vocabulary.yml cannot be read (`livingreview check` says why); the schemas list "
                      "no conditions, criteria or facet parameters", file=sys.stderr)
            for path, changed in write_schemas(args.out or project.schemas_dir, vocabulary):
                print(f"{'wrote' if changed else 'unchanged'} {project.rel(path)}")
            return 0
        if args.command == "screening":
            from .method import screening_decisions

            found = screening_decisions.conflicts(project)
            for conflict in found or []:
                print(screening_decisions.conflict_text(conflict))
            print(screening_decisions.conflicts_summary(found))
            return 1 if found else 0
        if args.command == "search":
            from .method import search_run

            outcomes, skipped = search_run.run(project, args.name)
            for outcome in outcomes:
                print(f"{outcome.search}: the source reports {outcome.reported}, {outcome.new} new "
                      f"(queued in reviews/screening-queue.csv)")
            if skipped:
                print(f"not runnable (no engine and query saved): {', '.join(skipped)}")
            return 0
        if args.command == "add-hypothesis":
            from .notes.scaffold_hypothesis import add_hypothesis

            written = add_hypothesis(project, args.id, title=args.title)
            print(f"wrote {' and '.join(project.rel(p) for p in written)}: fill in the hypothesis, write the notebook's "
                  "prose, then run `livingreview check`")
            return 0
        if args.command == "import":
            from .bib.importers import import_file

            report = import_file(project, args.file, into=args.into, fmt=args.format, dry_run=args.dry_run)
            out = sys.stderr if args.dry_run else sys.stdout  # a dry run's stdout is the BibTeX
            for diagnostic in report.diagnostics:
                print(diagnostic.format(), file=out)
            print(report.summary(args.dry_run), file=out)
            return 2 if report.unusable else 0
    except LivingReviewError as exc:
        print(f"livingreview: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # e.g. `livingreview build --explain | head`: the reader left, nothing is wrong
        try:  # silence the interpreter's own flush of the dead pipe at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        return 0
    except KeyboardInterrupt:
        print("livingreview: interrupted; outputs/ is unchanged", file=sys.stderr)
        return 130
    except Exception:  # a bug, not bad input
        if args.debug:
            traceback.print_exc()
        else:
            kind, value, _ = sys.exc_info()
            print(f"livingreview: internal error ({kind.__name__}: {value}). This is a bug; rerun with --debug "
                  "and report the traceback.", file=sys.stderr)
        return 3
    parser.error(f"unknown command {args.command}")  # pragma: no cover
    return 2

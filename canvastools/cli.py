"""The canvastools command line (``canvastools --help``).

    canvastools validate FILE... [--lang L]       # case, canvas, taxonomy or items files
    canvastools assignment new NAME --items FILE [--course DIR] [--force]
    canvastools cases [--type T] [--motivation M] [--lang L]
    canvastools draw FILE -o OUT.png [--lang L] [--highlight BLOCK] [--dpi N] [--strict]
    canvastools quickstart DIR [--demo]
    canvastools site -o DIR [--lang L] [--lesson FILE]
    canvastools glossary [--lang en|it|fr|ru|all] [--kind blocks|types|motivations|questions]
    canvastools autograde ASSIGNMENT [--jobs N] [--student ID] [--force] [--scheduler ADDRESS]
                          [--no-sandbox]
    canvastools --version
    canvastools report ASSIGNMENT [-o report-ASSIGNMENT.html] [--csv items.csv]
    canvastools export [ASSIGNMENT | --all] --to canvas|moodle|csv [--roster FILE] [--percent]

A user's mistake prints a clear message (file, place, valid choices) and exits 1, never a
traceback. The messages of validate, draw, cases and glossary (their "ok:", "wrote",
"error:" lines) are in the language of --lang, else of CANVASTOOLS_LANG, else of the locale
(LC_ALL, LC_MESSAGES, LANG: it_IT.UTF-8 gives Italian), else English; the instructor's
commands (autograde, report, export...) speak English.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from canvastools._io.literal import print_error
from canvastools._io.messages import language_from_environment, message
from canvastools.errors import CanvasToolsError, InputError


def message_language(args: argparse.Namespace) -> str:
    """The language of the messages: the verb's ``--lang`` (a language of canvastools, not
    "all"), else the environment's (:func:`canvastools._io.messages.language_from_environment`).
    """
    from canvastools.model.taxonomy import load_domain

    languages = load_domain().languages
    lang = getattr(args, "lang", None)
    if lang in languages:
        return str(lang)
    lang = language_from_environment()
    return lang if lang in languages else "en"   # CANVASTOOLS_LANG=pt: English


def cmd_validate(args: argparse.Namespace) -> int:
    from canvastools.commands.validate import main as validate
    from canvastools.model.taxonomy import load_domain

    if args.lang is not None:
        load_domain().check_language(args.lang, "--lang")
    return validate(files=args.files, lang=message_language(args))


def cmd_assignment(args: argparse.Namespace) -> int:
    from canvastools.commands.assignment import main as assignment

    assignment(name=args.name, items=args.items, course=args.course, force=args.force)
    return 0


def cmd_cases(args: argparse.Namespace) -> int:
    from canvastools.commands.cases import main as cases

    messages = message_language(args)
    return cases(lang=args.lang or messages, type=args.type, motivation=args.motivation,
                 file=args.file, verbose=args.verbose, quiet_count=args.quiet_count,
                 messages=messages)


def cmd_draw(args: argparse.Namespace) -> int:
    from canvastools.commands.draw import main as draw

    return draw(file=args.file, output=args.output, lang=args.lang, highlight=args.highlight,
                dpi=args.dpi, strict=args.strict, messages=message_language(args))


def _enclosing_course(path: Path) -> Path | None:
    """The nearest folder above ``path`` that is an nbgrader course itself, or None."""
    for parent in path.parents:
        if (parent / "nbgrader_config.py").is_file():
            return parent
    return None


def cmd_quickstart(args: argparse.Namespace) -> int:
    import shutil

    from canvastools.commands.quickstart import create_course

    path = create_course(Path(args.directory), demo=args.demo, force=args.force)
    print(f"created an nbgrader course in {path}")
    outer = _enclosing_course(path)
    if outer is not None:
        print(f"warning: {path} is inside another nbgrader course, {outer}; make courses "
              "outside it (e.g. canvastools quickstart ~/mycourse)", file=sys.stderr)
    bin_dir = Path(sys.executable).parent
    steps = [f"cd {path}", "nbgrader generate_assignment demo-classify --force"]
    if args.demo:
        steps += ["canvastools autograde demo-classify", "nbgrader generate_feedback demo-classify",
                  "nbgrader export"]
    if shutil.which("nbgrader") is None or shutil.which("alembic") is None:
        # nbgrader runs its database tool (alembic) from PATH: the environment must be active
        steps.insert(0, f"source {bin_dir / 'activate'}    # nbgrader needs its tools on PATH")
    print("next:\n" + "".join(f"  {step}\n" for step in steps), end="")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from canvastools.commands.export import export_grades, format_summary

    if args.all and args.assignment:
        raise InputError(f"give an assignment ({args.assignment}) or --all, not both")
    print(format_summary(export_grades(
        to=args.to, roster=args.roster, assignments=[args.assignment] if args.assignment
        else None, course=args.course, db_url=args.db_url, match=args.match,
        percent=args.percent, output=args.output)))
    return 0


def cmd_autograde(args: argparse.Namespace) -> int:
    from canvastools.commands.autograde import autograde, format_summary

    summary = autograde(args.assignment, jobs=args.jobs, students=args.student or None,
                        force=args.force, scheduler=args.scheduler, verbose=args.verbose,
                        sandbox=not args.no_sandbox)
    print(format_summary(summary, str(Path.cwd()), args.assignment))
    return 1 if summary.failed or summary.interrupted else 0


DESCRIPTION = """\
canvastools: the Customer Relationships block of the Business Model Canvas, from a terminal.
Check the case, canvas and taxonomy files you write, list the practice cases, draw canvases,
render the course to HTML, create a ready nbgrader course and grade a whole class. Run
"canvastools COMMAND --help" for a command's options and examples; the file formats are in
docs/formats.md."""

EXAMPLES = {
    "validate": """\
examples:
  canvastools validate my-company.yaml        # a canvas file
  canvastools validate cases.yaml mine.yaml   # several files: each gets "ok" or its errors
  canvastools validate my-company.yaml --lang it   # the messages in Italian

Prints "ok: FILE (...)" or one "error:" line per mistake, naming the file, the line and the
valid choices, and exits 1 when a file is wrong. Files over the limits (1 MB, 1,000 items in
a list, 5,000 characters in a text, 1,000 notes in a canvas) are refused at once. The
messages are in the language of --lang, else CANVASTOOLS_LANG, else the locale (LANG).""",
    "assignment": """\
examples:
  canvastools assignment new quiz-1 --items quiz-1.yaml            # in the course folder
  canvastools assignment new quiz-1 --items quiz-1.yaml --course ~/my-course

Writes the nbgrader source notebook SOURCE/NAME/NAME.ipynb (SOURCE: the course's
source_directory) from an items file (docs/formats.md, "Items files"): the widget cell with
the texts, the hidden test with the keys, the points, a rubric and the hand-in note. Release
it with "nbgrader generate_assignment NAME".""",
    "cases": """\
examples:
  canvastools cases                               # every practice case and its types
  canvastools cases --type communities --lang it  # one type, Italian labels
  canvastools cases --motivation retention -v     # with descriptions and sources
  canvastools cases --file my-cases.yaml          # your own case file""",
    "draw": """\
examples:
  canvastools draw my-company.yaml -o my-company.png
  canvastools draw my-company.yaml -o my-company.pdf --highlight customer_relationships
  canvastools draw ing-direct -o ing.svg --lang ru      # a gallery canvas, Russian titles
  canvastools draw my-company.yaml -o out.png --strict  # fail if a note does not fit

Output formats (by the suffix of OUT): .png (raster, --dpi applies), .svg and .pdf (vector).
A block with more notes than fit shows "+N more notes"; draw then prints a warning naming
the block and the notes left out (with --strict, an error, and nothing is written).""",
    "quickstart": """\
examples:
  canvastools quickstart ~/mycourse --demo    # with a demo assignment and 4 sample students
  canvastools quickstart ~/mycourse           # the same course without submissions

Make the course outside the canvastools repository (the repository is an nbgrader course
itself). Then, in the course folder, with the environment that has canvastools active:
  nbgrader generate_assignment demo-classify --force""",
    "autograde": """\
examples:
  canvastools autograde demo-classify                      # every student, in parallel
  canvastools autograde demo-classify --student ada --force
  canvastools autograde demo-classify --scheduler tcp://10.0.0.5:8786

Run in the course folder (its nbgrader_config.py is read as nbgrader reads it). The same
grades as `nbgrader autograde`, written to the course's gradebook (SQLite or PostgreSQL);
students already graded are skipped unless their submission changed or --force is given.
Prints a summary (graded, skipped, failed, flagged) and exits 1 when a student failed.
Each student's log: canvastools-grading/ASSIGNMENT/logs/STUDENT.log.
Student code that must run (your own plain-Python tests) runs in a sandbox of that student's
own (bubblewrap); a student whose sandbox cannot start is not graded (flag
sandbox-unavailable). --no-sandbox runs it WITHOUT one, for the whole run.""",
    "report": """\
examples:
  canvastools report demo-classify            # report-demo-classify.html and .csv here
  canvastools report demo-classify -o week3.html --low 0.6

Run in the course folder after grading: reads the gradebook (SQLite or PostgreSQL) and the
grading records in canvastools-grading/.""",
    "export": """\
examples:
  canvastools export classify-cases --to canvas --roster canvas-export.csv
  canvastools export --to moodle --roster moodle-export.csv --percent   # every assignment
  canvastools export --all --to csv                     # every fact, for a spreadsheet

Run in the course folder after grading. The roster: a CSV with login, email, first_name,
last_name (sis_id, section, ID optional), or the LMS's own grade export. The summary names
students without a grade, graded students missing from the roster, and cells written as
text because a spreadsheet would run them as formulas. Details: docs/instructors.md.""",
    "site": """\
examples:
  canvastools site -o course-site              # every lesson, English and Italian
  canvastools site -o site-it --lang it        # the Italian lessons only
  canvastools site -o one --lesson course/02-six-types.ipynb""",
    "glossary": """\
examples:
  canvastools glossary                           # every term, English
  canvastools glossary --lang fr --kind types    # the relationship types, in French
  canvastools glossary --lang all --kind blocks  # the nine blocks in en, it, fr and ru

Each term: its id, its label with the sources of that wording (a * marks a label not confirmed
from a print edition), other wordings found in the sources, and a short definition. The same
glossary is lesson 8 of the course (course/08-glossary.ipynb).""",
}


def _dpi(text: str) -> int:
    """argparse type of --dpi: a whole number from 10 to 1200."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 10 <= value <= 1200:
        raise argparse.ArgumentTypeError(f"expected a number from 10 to 1200, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from canvastools import __version__
    from canvastools.commands.export import FORMATS
    from canvastools.commands.roster import MATCHES
    from canvastools.model.canvas import gallery_names
    from canvastools.model.taxonomy import load_domain

    domain = load_domain()
    languages = ", ".join(domain.languages)
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(prog="canvastools", description=DESCRIPTION,
                                     formatter_class=raw)
    parser.add_argument("--version", action="version", version=f"canvastools {__version__}",
                        help="print the version of canvastools and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                              epilog=EXAMPLES[name], formatter_class=raw)

    p = command("validate", "check case, canvas, taxonomy or items files")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="a case, canvas, taxonomy or items file (.yaml, .yml or .json); give "
                        "several to check them all")
    p.add_argument("--lang", metavar="LANG",
                   help=f"language of the messages: {languages} (default: CANVASTOOLS_LANG, "
                        "else the locale, else en; complete in en and it)")
    p.set_defaults(func=cmd_validate)

    p = command("assignment", "write an nbgrader assignment from an items file")
    p.add_argument("action", choices=["new"], help="new: write the source notebook")
    p.add_argument("name", metavar="NAME", help="the assignment's name (its folder)")
    p.add_argument("--items", required=True, metavar="FILE",
                   help="the items file: texts, keys, accepted alternatives, explanations, "
                        "objectives, points, pool size")
    p.add_argument("--course", default=".", metavar="DIR",
                   help="the course folder, with nbgrader_config.py (default: here)")
    p.add_argument("--force", action="store_true",
                   help="write over an existing source notebook")
    p.set_defaults(func=cmd_assignment)

    p = command("cases", "list the practice cases with their relationship types")
    p.add_argument("--type", metavar="TYPE",
                   help="only cases of this relationship type, e.g. self_service "
                        "(the ids: docs/formats.md)")
    p.add_argument("--motivation", metavar="MOTIVATION",
                   help="only cases with this motivation: acquisition, retention or "
                        "boosting_sales")
    p.add_argument("--lang", metavar="LANG",
                   help=f"language of the labels and messages: {languages} (default: "
                        "CANVASTOOLS_LANG, else the locale, else en)")
    p.add_argument("--file", metavar="FILE",
                   help="a case file of your own instead of the practice bank")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="show each case's description, motivations and source")
    p.set_defaults(func=cmd_cases, quiet_count=False)

    p = command("draw", "draw a canvas file (or a gallery canvas) to PNG, SVG or PDF")
    p.add_argument("file", metavar="FILE",
                   help="a canvas file (.yaml, .yml or .json), or the name of a gallery "
                        f"canvas: {', '.join(gallery_names())}")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="the file to write; its suffix chooses the format: .png, .svg or .pdf")
    p.add_argument("--lang", metavar="LANG",
                   help=f"language of the block titles and type tags: {languages} "
                        "(default: the file's 'language')")
    p.add_argument("--highlight", metavar="BLOCK",
                   help="a block to highlight, the others faded, e.g. customer_relationships "
                        f"(one of: {', '.join(domain.block_ids)})")
    p.add_argument("--dpi", type=_dpi, default=150, metavar="N",
                   help="resolution of a PNG in dots per inch, 10 to 1200 (default: 150)")
    p.add_argument("--strict", action="store_true",
                   help="fail (exit 1, nothing written) when a note does not fit, instead of "
                        "drawing \"+N more notes\" with a warning")
    p.set_defaults(func=cmd_draw)

    p = command("quickstart", "create a ready nbgrader course folder")
    p.add_argument("directory", metavar="DIR",
                   help="the folder to create (it must be empty or new), outside the "
                        "canvastools repository")
    p.add_argument("--demo", action="store_true",
                   help="add a demo assignment's sample submissions of 4 students, to try "
                        "autograding at once")
    p.add_argument("--force", action="store_true",
                   help="write into a folder that is not empty")
    p.set_defaults(func=cmd_quickstart)

    p = command("autograde", "grade a whole class in parallel, in the course folder")
    p.add_argument("assignment", metavar="ASSIGNMENT", help="the assignment's name")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="worker processes (default: the number of cores); each grades one "
                        "student at a time, two where student code runs in kernels")
    p.add_argument("--student", action="append", metavar="ID",
                   help="grade only this student (repeat for several)")
    p.add_argument("--force", action="store_true",
                   help="grade again students already graded whose submission is unchanged")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a Dask scheduler, e.g. tcp://HOST:8786 (the course folder on a shared "
                        "filesystem, the gradebook in PostgreSQL)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="show nbgrader's log of every student (always in "
                        "canvastools-grading/ASSIGNMENT/logs/)")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run student code WITHOUT bubblewrap, with your account's rights, for "
                        "the whole run (every such student is flagged 'unsandboxed'); only "
                        "for code you trust")
    p.set_defaults(func=cmd_autograde)

    p = command("site", "render the course to HTML pages, to read without Jupyter")
    p.add_argument("-o", "--output", required=True, metavar="DIR",
                   help="the folder to write the pages to (index.html first)")
    p.add_argument("--lang", metavar="LANG", help="en or it (default: both)")
    p.add_argument("--lesson", action="append", metavar="FILE",
                   help="only this lesson notebook (repeat for several)")
    p.add_argument("--course", metavar="DIR", help="the course folder (default: course/)")
    p.set_defaults(func=cmd_site)

    p = command("report", "a class report of an assignment, as an HTML page and a CSV")
    p.add_argument("assignment", metavar="ASSIGNMENT", help="the assignment's name")
    p.add_argument("-o", "--output", metavar="HTML",
                   help="the page (default: report-ASSIGNMENT.html)")
    p.add_argument("--csv", metavar="CSV", help="the per-item table (default: next to the "
                   "page, .csv)")
    p.add_argument("--course", default=".", metavar="DIR",
                   help="the course folder, with nbgrader_config.py (default: here)")
    p.add_argument("--db-url", metavar="URL",
                   help="the gradebook (default: the course's db_url)")
    p.add_argument("--lang", metavar="LANG",
                   help="language of the labels (default: the assignment's)")
    p.add_argument("--low", type=float, default=0.5, metavar="SHARE",
                   help="students under this share of the points may need help (0.5)")
    p.add_argument("--objective-threshold", type=float, default=0.7, metavar="SHARE",
                   help="a student meets a learning objective with this share of its "
                        "items' points (0.7)")
    p.set_defaults(func=cmd_report)

    p = command("glossary", "the terms of the block in English, Italian, French and Russian")
    p.add_argument("--lang", metavar="LANG",
                   help="en, it, fr, ru, or all for the four side by side (default: "
                        "CANVASTOOLS_LANG, else the locale, else en)")
    p.add_argument("--kind", metavar="KIND",
                   help="only blocks, types, motivations or questions (default: every kind)")
    p.set_defaults(func=cmd_glossary)
    p = command("export", "write the gradebook's grades for Canvas, Moodle or a spreadsheet")
    p.add_argument("assignment", nargs="?", metavar="ASSIGNMENT",
                   help="the assignment's name (none, or --all: every assignment)")
    p.add_argument("--all", action="store_true", help="every assignment of the gradebook")
    p.add_argument("--to", required=True, choices=FORMATS, metavar="|".join(FORMATS),
                   help="canvas or moodle (their gradebook imports), or csv (one row per "
                        "student and assignment)")
    p.add_argument("--roster", metavar="FILE", help="CSV of the students (default: the "
                   "gradebook's students)")
    p.add_argument("--match", choices=MATCHES, metavar="|".join(MATCHES),
                   help="the roster column holding the nbgrader student id (default: login "
                        "when there is one, else email)")
    p.add_argument("--percent", action="store_true", help="grades from 0 to 100, not points")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="the file (default: grades-TO-ASSIGNMENT.csv, grades-TO-all.csv)")
    p.add_argument("--course", default=".", metavar="DIR",
                   help="the course folder, with nbgrader_config.py (default: here)")
    p.add_argument("--db-url", metavar="URL",
                   help="the gradebook (default: the course's db_url)")
    p.set_defaults(func=cmd_export)
    return parser


def cmd_glossary(args: argparse.Namespace) -> int:
    from canvastools.commands.glossary import main as glossary

    return glossary(lang=args.lang or message_language(args), kind=args.kind)


def cmd_site(args: argparse.Namespace) -> int:
    from canvastools.commands.site import main as site

    return site(output=args.output, lang=args.lang, course=args.course, lessons=args.lesson)


def cmd_report(args: argparse.Namespace) -> int:
    from canvastools.commands.report.build import run

    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; a user's mistake prints ``error: ...`` and returns 1, no traceback.

    >>> main(["cases", "--lang", "pt"])  # doctest: +SKIP
    error: --lang: unknown language 'pt'. Valid choices: en, it, fr, ru, de, es
    1
    """
    args = build_parser().parse_args(argv)
    lang = message_language(args)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        # The reader went away (``canvastools cases | head``): stop quietly. As the Python
        # docs advise (signal module, "Note on SIGPIPE"), point stdout at devnull so the
        # flush at exit does not fail again, and exit 1.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except CanvasToolsError as exc:
        print_error(exc, lang)
        return 1
    except OSError as exc:  # e.g. an output folder that does not exist or is read-only
        place = f"{exc.filename}: " if exc.filename else ""
        problem = message("cli.cannot_write", lang, place=place, reason=exc.strerror or exc)
        print(message("cli.error", lang, message=problem), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(message("cli.interrupted", lang), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

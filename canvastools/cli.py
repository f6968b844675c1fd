"""The ``canvastools`` command line.

    canvastools validate FILE...                  # case, canvas or taxonomy files
    canvastools cases [--type T] [--motivation M] [--lang L]
    canvastools draw FILE -o OUT.png [--lang L] [--highlight BLOCK] [--dpi N]
    canvastools quickstart DIR [--demo]
    canvastools site -o DIR [--lang L] [--lesson FILE]
    canvastools report ASSIGNMENT [-o report.html] [--csv items.csv]

A user's mistake prints a clear message (file, place, valid choices) and exits 1, never a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from .errors import CanvasToolsError, InputError


def _kind_of(data: object) -> str:
    if isinstance(data, list) or (isinstance(data, dict) and "cases" in data):
        return "cases"
    if isinstance(data, dict) and "types" in data and "blocks" not in data:
        return "taxonomy"
    return "canvas"


def cmd_validate(args: argparse.Namespace) -> int:
    from .canvas import parse_canvas
    from .cases import parse_cases
    from .taxonomy import _parse_taxonomy
    from .yamlio import read_data_file

    failed = 0
    for name in args.files:
        try:
            data = read_data_file(name)
            kind = _kind_of(data)
            if kind == "cases":
                bank = parse_cases(data, name)
                summary = f"{len(bank)} cases, taxonomy {bank.taxonomy.id}"
            elif kind == "taxonomy":
                summary = f"taxonomy with {len(_parse_taxonomy(data, name).types)} types"
            else:
                canvas = parse_canvas(data, name)
                summary = f"canvas '{canvas.title}', {canvas.note_count} notes"
            print(f"ok: {name} ({summary})")
        except CanvasToolsError as exc:
            failed += 1
            _print_error(exc)
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not skip the other files
            failed += 1
            print(f"error: {name}: canvastools could not check this file ({type(exc).__name__}: "
                  f"{exc}); please report this as a bug", file=sys.stderr)
    return 1 if failed else 0


def cmd_cases(args: argparse.Namespace) -> int:
    from .cases import load_cases
    from .taxonomy import load_domain

    lang = load_domain().check_language(args.lang, "--lang")
    bank = load_cases(args.file) if args.file else load_cases()
    cases = bank.filter(type=args.type, motivation=args.motivation)
    domain = load_domain()
    id_width = min(max((len(c.id) for c in cases), default=0), ID_COLUMN_MAX)
    company_width = min(max((len(c.company) for c in cases), default=0), COMPANY_COLUMN_MAX)
    for case in cases:
        types = (", ".join(bank.taxonomy.label(t, lang) for t in case.types)
                 or "(motivations only)")
        if case.accepted:
            types += " (" + ", ".join(bank.taxonomy.label(t, lang) for t in case.accepted) + ")"
        for line in _table_rows(case.id, case.company, types, id_width, company_width):
            print(line)
        if args.verbose:
            motives = ", ".join(domain.motivation(m).label_in(lang) for m in case.motivations)
            print(f"    {case.description_in(lang)}\n    [{motives}] {case.source}")
    print(f"{len(cases)} cases", file=sys.stderr if args.quiet_count else sys.stdout)
    return 0


ID_COLUMN_MAX = 32
COMPANY_COLUMN_MAX = 40


def _table_rows(case_id: str, company: str, types: str, id_width: int,
                company_width: int) -> list[str]:
    """The lines of one case in the ``cases`` table: a company name longer than its column
    wraps within it, and an id longer than its column gets a line of its own, so the columns
    always line up.

    >>> for row in _table_rows("ikea", "A company with a name too long for its column",
    ...                        "Self-service", 6, 20):
    ...     print(row.rstrip())
    ikea   A company with a     Self-service
           name too long for
           its column
    """
    wrapped = textwrap.wrap(company, company_width) or [""]
    rows = []
    if len(case_id) > id_width:
        rows.append(case_id)
        case_id = ""
    rows.append(f"{case_id:{id_width}} {wrapped[0]:{company_width}} {types}")
    rows.extend(f"{'':{id_width}} {more}" for more in wrapped[1:])
    return rows


def cmd_draw(args: argparse.Namespace) -> int:
    from .canvas import CANVAS_SUFFIXES, load_canvas, parse_canvas
    from .draw import save_canvas  # loads matplotlib only now
    from .yamlio import read_data_file

    if str(args.file).endswith(CANVAS_SUFFIXES):
        data = read_data_file(args.file)
        kind = _kind_of(data)
        if kind != "canvas":
            raise InputError(f"this is a {'case' if kind == 'cases' else kind} file, not a "
                             "canvas file; draw needs a canvas file (see docs/formats.md)",
                             file=args.file)
        canvas = parse_canvas(data, args.file)
    else:
        canvas = load_canvas(args.file)  # a gallery name
    out = Path(args.output)
    save_canvas(canvas, out, lang=args.lang, highlight=args.highlight, dpi=args.dpi)
    print(f"wrote {out}")
    return 0


def cmd_quickstart(args: argparse.Namespace) -> int:
    from .quickstart import create_course

    path = create_course(Path(args.directory), demo=args.demo, force=args.force)
    print(f"created an nbgrader course in {path}\nnext:\n  cd {path}\n"
          "  nbgrader generate_assignment demo-classify --force")
    if args.demo:
        print("  nbgrader autograde demo-classify\n  nbgrader generate_feedback demo-classify\n"
              "  nbgrader export")
    return 0


def cmd_autograde(args: argparse.Namespace) -> int:
    from .autograde import autograde, format_summary

    summary = autograde(args.assignment, jobs=args.jobs, students=args.student or None,
                        force=args.force, scheduler=args.scheduler, verbose=args.verbose)
    print(format_summary(summary, str(Path.cwd()), args.assignment))
    return 1 if summary.failed or summary.interrupted else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="canvastools", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check case, canvas or taxonomy files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("cases", help="list the practice cases with their relationship types")
    p.add_argument("--type", help="only cases of this relationship type (id, e.g. self_service)")
    p.add_argument("--motivation", help="acquisition, retention or boosting_sales")
    p.add_argument("--lang", default="en", help="language of the labels: en it fr ru de es")
    p.add_argument("--file", help="a case file of your own instead of the practice bank")
    p.add_argument("-v", "--verbose", action="store_true", help="show descriptions and sources")
    p.set_defaults(func=cmd_cases, quiet_count=False)

    p = sub.add_parser("draw", help="draw a canvas file (or a gallery name) to PNG, SVG or PDF")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT")
    p.add_argument("--lang", help="language of the block titles (default: the file's)")
    p.add_argument("--highlight", metavar="BLOCK", help="block to highlight, others faded")
    p.add_argument("--dpi", type=int, default=150)
    p.set_defaults(func=cmd_draw)

    p = sub.add_parser("quickstart", help="create a ready nbgrader course directory")
    p.add_argument("directory", metavar="DIR")
    p.add_argument("--demo", action="store_true", help="add sample student submissions")
    p.add_argument("--force", action="store_true", help="write into a non-empty folder")
    p.set_defaults(func=cmd_quickstart)

    p = sub.add_parser(
        "autograde", help="grade a whole class in parallel (run in the course folder)",
        epilog="examples:\n  canvastools autograde demo-classify\n"
               "  canvastools autograde demo-classify --student ada --force\n"
               "  canvastools autograde demo-classify --scheduler tcp://10.0.0.5:8786",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("assignment", metavar="ASSIGNMENT", help="the assignment's name")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="students graded at once (default: the number of cores)")
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
    p.set_defaults(func=cmd_autograde)

    p = sub.add_parser("site", help="render the course to HTML pages, to read without Jupyter")
    p.add_argument("-o", "--output", required=True, metavar="DIR")
    p.add_argument("--lang", help="en or it (default: both)")
    p.add_argument("--lesson", action="append", metavar="FILE",
                   help="only this lesson notebook (repeat for several)")
    p.add_argument("--course", metavar="DIR", help="the course folder (default: course/)")
    p.set_defaults(func=cmd_site)

    p = sub.add_parser("report", help="a class report of an assignment: HTML page and CSV "
                       "(run in the course folder)")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.add_argument("-o", "--output", metavar="HTML", help="the page (default: report.html)")
    p.add_argument("--csv", metavar="CSV", help="the per-item table (default: next to the "
                   "page, .csv)")
    p.add_argument("--course", default=".", metavar="DIR",
                   help="the course folder, with nbgrader_config.py (default: here)")
    p.add_argument("--db-url", help="the gradebook (default: the course's db_url)")
    p.add_argument("--lang", help="language of the labels (default: the assignment's)")
    p.add_argument("--low", type=float, default=0.5, metavar="SHARE",
                   help="students under this share of the points may need help (0.5)")
    p.set_defaults(func=cmd_report)
    return parser


def cmd_site(args: argparse.Namespace) -> int:
    from .site import build_site

    pages = build_site(args.output, args.lang, course_dir=args.course, lessons=args.lesson)
    print(f"wrote {len(pages)} pages to {args.output} (open {pages[0]})")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import run

    return run(args)


def _print_error(exc: BaseException) -> None:
    print(f"error: {exc}".replace("\n", "\nerror: "), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; a user's mistake prints ``error: ...`` and returns 1, no traceback.

    >>> main(["cases", "--lang", "pt"])  # doctest: +SKIP
    error: --lang: unknown language 'pt'. Valid choices: en, it, fr, ru, de, es
    1
    """
    args = build_parser().parse_args(argv)
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
        _print_error(exc)
        return 1
    except OSError as exc:  # e.g. an output folder that does not exist or is read-only
        place = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {place}cannot write ({exc.strerror or exc})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""The canvastools command: validate and cases, as a user runs them."""

import os
import subprocess
import sys
from pathlib import Path

from test_cases import GOOD

BIN = Path(sys.executable).parent / "canvastools"


def run(*args, cwd=None):
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_cases_in_russian_prints_russian_type_names():
    out = run("cases", "--lang", "ru")
    assert out.returncode == 0, out.stderr
    assert "Самообслуживание" in out.stdout and "Сообщества" in out.stdout
    assert "Self-service" not in out.stdout


def test_cases_filters_by_type_and_motivation():
    out = run("cases", "--type", "communities", "--motivation", "retention")
    lines = [line for line in out.stdout.splitlines() if line.strip() and "cases" not in line]
    assert out.returncode == 0 and lines
    assert all("Communities" in line for line in lines)


def test_cases_bad_type_gives_a_clear_message_without_traceback():
    out = run("cases", "--type", "self_serve")
    assert out.returncode == 1
    assert "did you mean 'self_service'" in out.stderr and "Traceback" not in out.stderr


def test_cases_unknown_language():
    out = run("cases", "--lang", "pt")
    assert out.returncode == 1 and "unknown language 'pt'" in out.stderr


def test_validate_accepts_a_good_instructor_file(tmp_path):
    good = tmp_path / "mine.yaml"
    good.write_text(GOOD, encoding="utf-8")
    out = run("validate", good)
    assert out.returncode == 0 and "ok:" in out.stdout and "cases: 1" in out.stdout


def test_validate_rejects_bad_files_naming_each(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("[retention]", "[loyalty]"), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: [\n", encoding="utf-8")
    out = run("validate", good, bad, broken)
    assert out.returncode == 1
    assert f"{bad}, entry 1" in out.stderr and "unknown motivation 'loyalty'" in out.stderr
    assert f"{broken}, line" in out.stderr and "YAML syntax error" in out.stderr
    assert "Traceback" not in out.stderr and f"ok: {good}" in out.stdout


def test_validate_checks_canvas_and_taxonomy_files(tmp_path):
    canvas = tmp_path / "c.yaml"
    canvas.write_text("title: T\nblocks:\n  chanels: [Web]\n", encoding="utf-8")
    tax = tmp_path / "t.yaml"
    tax.write_text("id: t\nname: T\ntypes:\n  - {id: a, spectrum: 2, label: {en: A}}\n",
                   encoding="utf-8")
    out = run("validate", canvas, tax)
    assert out.returncode == 1
    assert "did you mean 'channels'" in out.stderr
    assert "'spectrum' must be a number from 0" in out.stderr


def test_validate_the_shipped_bank():
    out = run("validate", "canvastools/data/cases.yaml", cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr


def test_import_canvastools_stays_light():
    code = ("import sys, canvastools; heavy = [m for m in ('matplotlib', 'nbgrader', "
            "'nbformat', 'ipywidgets') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_import_canvastools_loads_nothing_until_a_name_is_used():
    """`import canvastools` costs a few milliseconds: the loaders and the YAML parser are
    imported when first used (benchmarks/bench_cli.py measures the time)."""
    code = ("import sys, canvastools; print(sorted(m for m in sys.modules if m == 'yaml' or "
            "m.startswith('canvastools.'))); canvastools.load_taxonomy; "
            "print('canvastools.model.taxonomy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.splitlines() == ["[]", "True"], out.stdout + out.stderr


def test_every_public_name_of_the_package_resolves():
    import canvastools

    missing = [name for name in canvastools.__all__ if getattr(canvastools, name, None) is None]
    assert missing == []
    assert canvastools.ClassifyItems.__name__ == "ClassifyItems"


def test_validate_goes_on_after_a_file_with_a_wrongly_typed_id(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("- id: corner-bakery", "- id: [a, b]"), encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    out = run("validate", bad, good)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"error: {bad}, entry 1 (line 1), field 'id': expected a text, got a list" \
        in out.stderr
    assert f"ok: {good}" in out.stdout


def test_validate_goes_on_whatever_happens_in_one_file(tmp_path, monkeypatch, capsys):
    from canvastools import cli
    from canvastools.model import canvas

    def broken(data, filename):
        raise RuntimeError("boom")

    monkeypatch.setattr(canvas, "parse_canvas", broken)
    first = tmp_path / "a.yaml"
    first.write_text("title: A\nblocks: {}\n", encoding="utf-8")
    second = tmp_path / "b.yaml"
    second.write_text(GOOD, encoding="utf-8")
    assert cli.main(["validate", str(first), str(second)]) == 1
    out = capsys.readouterr()
    assert f"error: {first}: canvastools could not check this file (RuntimeError: boom)" \
        in out.err
    assert f"ok: {second}" in out.out


def test_quickstart_into_an_impossible_folder_says_cannot_write(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    out = run("quickstart", blocker / "course")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.startswith(f"error: {blocker / 'course'}: cannot write (")


def test_draw_that_cannot_write_says_cannot_write(tmp_path, monkeypatch, capsys):
    from canvastools import cli
    from canvastools.draw import canvas

    target = tmp_path / "x.png"

    def refuse(fig, path, dpi=150):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(canvas, "save_figure", refuse)
    assert cli.main(["draw", "ing-direct", "-o", str(target)]) == 1
    assert capsys.readouterr().err == f"error: {target}: cannot write (Permission denied)\n"


def test_cases_marks_a_motivations_only_case():
    out = run("cases")
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("mobile-operators"))
    assert line.rstrip().endswith("(motivations only)") and "—" not in line


def test_the_examples_of_docs_formats_validate(tmp_path):
    import re

    text = (Path(__file__).parent.parent / "docs" / "formats.md").read_text(encoding="utf-8")
    examples = re.findall(r"```yaml\n(.*?)```", text, re.S)
    assert len(examples) == 5  # cases, canvas, canvas in two languages, taxonomy, items
    paths = []
    for i, example in enumerate(examples):
        paths.append(tmp_path / f"example{i}.yaml")
        paths[-1].write_text(example, encoding="utf-8")
    out = run("validate", *paths)
    assert out.returncode == 0, out.stderr
    assert "cases" in out.stdout and "canvas 'Nespresso'" in out.stdout
    assert "taxonomy, types: 7" in out.stdout
    assert "items file 'Classify customer relationships', 3 items, each student answers 2" \
        in out.stdout


def test_validate_reports_a_key_written_twice(tmp_path):
    canvas = tmp_path / "dup.yaml"
    canvas.write_text("title: Shop\nblocks:\n  customer_relationships:\n    - Help desk\n"
                      "  channels: [Web]\n  customer_relationships:\n    - Loyalty card\n",
                      encoding="utf-8")
    out = run("validate", canvas)
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr == (f"error: {canvas}, line 6: duplicate key 'customer_relationships' "
                          "(first at line 3): write each key once (merge the two)\n")


def test_validate_reports_number_notes_instead_of_changing_them(tmp_path):
    canvas = tmp_path / "c3.yaml"
    canvas.write_text("title: Shop\nblocks:\n  revenue_streams:\n    - 1.50\n    - 0100\n"
                      "    - text: 3.10\n", encoding="utf-8")
    out = run("validate", canvas)
    assert out.returncode == 1 and "ok:" not in out.stdout
    assert out.stderr.splitlines() == [
        f"error: {canvas}, blocks, revenue_streams, note 1 (line 4): a note is a text, got a "
        "number (put it in quotes)",
        f"error: {canvas}, blocks, revenue_streams, note 2 (line 5): a note is a text, got a "
        "number (put it in quotes)",
        f"error: {canvas}, blocks, revenue_streams, note 3 (line 6), field 'text': expected a "
        "text, got a number (put it in quotes)"]


def test_cases_into_a_closed_pipe_stops_quietly():
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone, like `head` in `canvastools cases | head -1`
    try:
        out = subprocess.run([str(BIN), "cases"], stdout=write_end, stderr=subprocess.PIPE,
                             text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    finally:
        os.close(write_end)
    assert out.stderr == "" and out.returncode == 1  # 1: what the Python docs advise


def test_draw_of_a_case_or_taxonomy_file_says_what_it_is(tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text(GOOD, encoding="utf-8")
    tax = tmp_path / "mine.yaml"
    tax.write_text("id: t\nname: T\ntypes:\n  - {id: a, spectrum: 0.5, label: {en: A}}\n",
                   encoding="utf-8")
    for path, kind in ((cases, "case"), (tax, "taxonomy")):
        out = run("draw", path, "-o", tmp_path / "x.png")
        assert out.returncode == 1 and not (tmp_path / "x.png").exists()
        assert out.stderr == (f"error: {path}: this is a {kind} file, not a canvas file; draw "
                              "needs a canvas file (see docs/formats.md)\n")


def test_cases_table_columns_line_up_with_long_company_names(tmp_path):
    long_name = "A company whose name is far too long to fit in the column of the table"
    text = (GOOD + GOOD.replace("corner-bakery", "a-much-longer-identifier-than-the-others-here")
            .replace("Corner bakery", long_name))
    mine = tmp_path / "mine.yaml"
    mine.write_text(text, encoding="utf-8")
    out = run("cases", "--file", mine)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()[:-1]  # the last line counts the cases
    types_at = {line.index("Personal assistance") for line in lines if "Personal" in line}
    assert len(types_at) == 1  # the third column starts at the same place on every line
    company_at = lines[0].index("Corner bakery")
    assert all(line[:company_at].strip() == "" for line in lines[1:] if "Personal" not in line
               and not line.startswith("a-much"))  # wrapped names stay in their column
    assert " ".join(line[company_at:].split("Personal")[0].strip() for line in lines[1:]
                    if not line.startswith("a-much")) == long_name  # nothing cut off


def test_cli_docstring_examples():
    import doctest

    from canvastools import cli

    assert doctest.testmod(cli).failed == 0


def _commands():
    from canvastools.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return parser, sub.choices


def test_help_has_no_markup_and_every_argument_is_described():
    parser, commands = _commands()
    assert "``" not in parser.format_help() and "canvastools" in parser.description
    for name, command in commands.items():
        text = command.format_help()
        assert "``" not in text
        undescribed = [a.dest for a in command._actions if not a.help]
        assert undescribed == [], f"canvastools {name}: {undescribed} have no help"
        assert f"examples:\n  canvastools {name} " in text, f"canvastools {name}: no examples"


def test_draw_help_lists_the_output_formats():
    out = run("draw", "--help")
    assert out.returncode == 0
    text = " ".join(out.stdout.split())
    assert ".png, .svg or .pdf" in text and "Output formats" in text


def test_version():
    import canvastools

    out = run("--version")
    assert out.returncode == 0 and out.stdout == f"canvastools {canvastools.__version__}\n"


def test_dpi_out_of_range_is_refused_by_the_command_line(tmp_path):
    out = run("draw", "amazon", "-o", tmp_path / "x.png", "--dpi", "5")
    assert out.returncode == 2 and "argument --dpi: expected a number from 10 to 1200" \
        in out.stderr
    assert not (tmp_path / "x.png").exists()


def test_quickstart_says_to_activate_the_environment_and_warns_inside_a_course(tmp_path):
    """Run without the environment on PATH, nbgrader would fail on 'alembic'; and a course
    made inside another course (the repository is one) is a mistake worth a word."""
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n", encoding="utf-8")
    out = subprocess.run([str(BIN), "quickstart", str(tmp_path / "mycourse")],
                         capture_output=True, text=True,
                         env={**os.environ, "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert f"  source {BIN.parent / 'activate'}" in out.stdout
    assert out.stdout.index("source") < out.stdout.index("nbgrader generate_assignment")
    assert f"is inside another nbgrader course, {tmp_path}" in out.stderr

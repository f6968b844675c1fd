"""Check that exercises/ is what nbgrader makes from solutions/, and that nothing leaks.

    python tools/check_release.py            # exit 1 and a list of problems, or "ok"
    python tools/check_release.py --write    # first regenerate exercises/ from solutions/

1. ``exercises/`` is exactly what ``nbgrader generate_assignment`` makes from ``solutions/``
   (regenerated in a temporary copy of the course; same files, same notebook JSON).
2. Nothing released (or, with :func:`find_leaks` on a feedback folder, fed back) contains
   ``BEGIN SOLUTION``, ``BEGIN HIDDEN TESTS``, a mark scheme, a line of hidden-test code,
   saved widget state, an answer sidecar, or an answer key: a cell (of a notebook, or of an
   HTML page; a page not made of cells: any 400 characters) that names a graded item must not
   name that item's key type(s), and a spectrum key must not appear in order. Keys are read
   from the hidden tests themselves (the dict/list literals passed to the grading helpers),
   so a new exercise is covered at once.

Used by tests/nbgrader/test_release.py (CI).
"""

from __future__ import annotations

import ast
import html
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", BEGIN_HIDDEN, END_HIDDEN, "BEGIN MARK SCHEME",
           "application/vnd.jupyter.widget-state+json")
SIDECAR = re.compile(r"^\.?canvastools_answers")
SKIP = {".ipynb_checkpoints", "__pycache__"}
WINDOW = 400  # characters: in HTML, an item id this close to its key type is a leak


@dataclass
class Keys:
    """Hidden-test facts of one assignment."""

    lines: set[str] = field(default_factory=set)  # normalised hidden code lines
    pairs: dict[str, set[str]] = field(default_factory=dict)  # item id -> key type ids
    orders: list[list[str]] = field(default_factory=list)  # spectrum keys (flattened)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _literal(node: ast.AST):
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None


def _ids(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, (list, tuple, set)):
        return {x for x in value if isinstance(x, str)}
    return set()


def hidden_regions(source: str) -> list[str]:
    """The code inside each BEGIN/END HIDDEN TESTS region of a cell source."""
    regions, current = [], None
    for line in source.split("\n"):
        if BEGIN_HIDDEN in line:
            current = []
        elif END_HIDDEN in line and current is not None:
            regions.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return regions


def read_keys(notebook: Path) -> Keys:
    """Hidden lines and answer keys of a source notebook."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    keys = Keys()
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for region in hidden_regions(source):
            for line in region.split("\n"):
                line = _norm(line)
                # lines that say something (not "},", ")" or "key={")
                if (len(line) >= 10 and re.search(r"[A-Za-z0-9_\-]{4}", line)
                        and not re.fullmatch(r"""(["'])[\w\-. ]*\1,?""", line)):
                    keys.lines.add(line)
            try:
                tree = ast.parse(region)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                args = list(node.args[1:]) + [k.value for k in node.keywords
                                              if k.arg in ("key", "accepted")]
                for arg in args:
                    value = _literal(arg)
                    if isinstance(value, dict):
                        for item, types in value.items():
                            keys.pairs.setdefault(str(item), set()).update(_ids(types))
                    elif isinstance(value, list):
                        flat = [x for entry in value for x in sorted(_ids(entry))]
                        if len(flat) >= 2:
                            keys.orders.append(flat)
    return keys


def _cell_texts(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    texts = [json.dumps(nb.get("metadata", {}))]
    for cell in nb.get("cells", []):
        texts.append(json.dumps(cell, ensure_ascii=False))
    return texts


CELL_START = re.compile(r'<div[^>]*class="(?:[^"]*\s)?(?:cell|jp-Cell)(?:\s[^"]*)?"')


def _html_texts(path: Path) -> tuple[list[str], bool]:
    """The text of each notebook cell of an HTML page (or of the page, when not split)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", text, flags=re.S | re.I)
    chunks = CELL_START.split(text)
    plain = [html.unescape(re.sub(r"<[^>]+>", "", chunk)) for chunk in chunks]
    return plain, len(chunks) > 1


def _leaks_in_text(where: str, text: str, keys: Keys, per_cell: bool) -> list[str]:
    problems = []
    flat = _norm(text.replace("\\n", "\n").replace('\\"', '"'))
    for marker in MARKERS:
        if marker in text:
            problems.append(f"{where}: contains '{marker}'")
    for line in sorted(keys.lines):
        if line in flat:
            problems.append(f"{where}: quotes hidden test code: {line!r}")
    for item, types in sorted(keys.pairs.items()):
        for match in re.finditer(re.escape(item), flat):
            window = flat if per_cell else flat[max(0, match.start() - WINDOW):
                                                match.end() + WINDOW]
            shown = sorted(t for t in types if re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])",
                                                          window))
            if shown:
                problems.append(f"{where}: names item '{item}' with its key {shown}")
                break
    for order in keys.orders:
        pattern = r"[\W_]{1,12}".join(re.escape(x) for x in order)
        if re.search(pattern, flat):
            problems.append(f"{where}: shows a spectrum key in order")
    return problems


def find_leaks(folder: Path, keys: dict[str, Keys]) -> list[str]:
    """Problems in a release or feedback folder laid out as <...>/<assignment>/<files>.

    ``keys`` maps assignment name -> Keys; a file is checked against the keys of every
    assignment whose name is in its path (all of them when none is).
    """
    problems = []
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or SKIP & set(path.parts):
            continue
        rel = path.relative_to(folder)
        if SIDECAR.match(path.name):
            problems.append(f"{rel}: an answer file is released")
            continue
        mine = [k for name, k in keys.items() if name in rel.parts] or list(keys.values())
        if path.suffix == ".ipynb":
            texts, per_cell = _cell_texts(path), True
        elif path.suffix in (".html", ".htm"):
            texts, per_cell = _html_texts(path)
        else:
            try:
                texts, per_cell = [path.read_text(encoding="utf-8")], True
            except (UnicodeDecodeError, OSError):
                continue
        for k in mine:
            for text in texts:
                problems.extend(_leaks_in_text(str(rel), text, k, per_cell))
    return sorted(set(problems))


def assignment_keys(source: Path) -> dict[str, Keys]:
    keys = {}
    for folder in sorted(p for p in Path(source).iterdir() if p.is_dir()):
        merged = Keys()
        for nb in folder.glob("*.ipynb"):
            k = read_keys(nb)
            merged.lines |= k.lines
            merged.orders += k.orders
            for item, types in k.pairs.items():
                merged.pairs.setdefault(item, set()).update(types)
        keys[folder.name] = merged
    return keys


def nbgrader_env() -> dict[str, str]:
    """Environment for nbgrader commands (nbgrader runs `alembic`, which must be on PATH)."""
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    env.pop("JUPYTER_CONFIG_DIR", None)
    return env


def nbgrader(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    exe = str(Path(sys.executable).parent / "nbgrader")
    return subprocess.run([exe, *args], cwd=cwd, env=nbgrader_env(), capture_output=True,
                          text=True, timeout=timeout)


def regenerate(root: Path, work: Path) -> Path:
    """Copy the course's config and solutions/ to ``work`` and generate every assignment."""
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "nbgrader_config.py", work / "nbgrader_config.py")
    shutil.copytree(root / "solutions", work / "solutions",
                    ignore=shutil.ignore_patterns(*SKIP))
    for folder in sorted(p for p in (work / "solutions").iterdir() if p.is_dir()):
        run = nbgrader("generate_assignment", folder.name, "--force", cwd=work)
        if run.returncode != 0:
            raise RuntimeError(f"generate_assignment {folder.name} failed:\n{run.stderr}")
    return work / "exercises"


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in Path(folder).rglob("*")
            if p.is_file() and not SKIP & set(p.parts)}


def compare_release(expected: Path, actual: Path) -> list[str]:
    """Differences between a freshly generated release and the committed one."""
    problems = []
    want, have = _files(expected), _files(actual)
    problems += [f"missing in exercises/: {x}" for x in sorted(want - have)]
    problems += [f"not made from solutions/: exercises/{x}" for x in sorted(have - want)]
    for rel in sorted(want & have):
        a, b = Path(expected, rel), Path(actual, rel)
        if rel.endswith(".ipynb"):
            same = json.loads(a.read_text("utf-8")) == json.loads(b.read_text("utf-8"))
        else:
            same = a.read_bytes() == b.read_bytes()
        if not same:
            problems.append(f"exercises/{rel} differs from what generate_assignment makes "
                            "(run: nbgrader generate_assignment NAME --force)")
    return problems


def check(root: Path = ROOT, work: Path | None = None) -> list[str]:
    import tempfile

    problems = []
    for path in (root / "solutions").rglob("*"):
        if SIDECAR.match(path.name):
            problems.append(f"{path.relative_to(root)}: an answer file in solutions/ "
                            "(delete it: it would hold the instructor's answers)")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = regenerate(root, Path(work or tmp) / "course")
        problems += compare_release(fresh, root / "exercises")
    problems += find_leaks(root / "exercises", assignment_keys(root / "solutions"))
    return problems


def write_release(root: Path = ROOT) -> None:
    """Regenerate exercises/ from solutions/ (in a temporary course) and replace it."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        fresh = regenerate(root, Path(tmp) / "course")
        shutil.rmtree(root / "exercises", ignore_errors=True)
        shutil.copytree(fresh, root / "exercises")


def main() -> int:
    if "--write" in sys.argv[1:]:
        write_release()
        print("exercises/ regenerated from solutions/")
    problems = check()
    for problem in problems:
        print(problem)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

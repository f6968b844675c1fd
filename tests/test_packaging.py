"""The built wheel, installed without the source tree, works and carries no answer key.

CI installs the project in editable mode, which reads data files from the source tree and would
hide a file left out of the wheel; so this test builds the real wheel (offline, with the
venv's setuptools) and imports the package from it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy: setuptools writes build/ into the source folder and reuses it
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "canvastools", source / "canvastools",
                    ignore=shutil.ignore_patterns("__pycache__"))
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-q", "-w", str(out), str(source)],
        capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr
    (path,) = out.glob("canvastools-*.whl")
    return path


def test_every_data_file_is_in_the_wheel(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    data = ROOT / "canvastools" / "data"
    expected = {p.relative_to(ROOT).as_posix() for p in data.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    assert expected, "no data files found"
    assert sorted(expected - names) == []
    assert "canvastools/py.typed" in names


def test_the_installed_wheel_loads_its_data(wheel, tmp_path):
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
         "--disable-pip-version-check", "--target", str(site), str(wheel)],
        capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr
    code = ("import canvastools as ct; print(ct.__file__); "
            "print(ct.load_taxonomy('strategyzer').label('long_term', 'ru')); "
            "print(len(ct.load_cases())); print(len(ct.gallery_names())); "
            "from canvastools.commands.quickstart import create_course; "
            "print(create_course(__import__('pathlib').Path('course')).name)")
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    where, label, cases, gallery, course = run.stdout.split("\n")[:5]
    assert where.startswith(str(site)), "imported the source tree, not the wheel"
    assert label and int(cases) >= 40 and int(gallery) >= 9 and course == "course"


def _graded_item_ids() -> set[str]:
    spec = importlib.util.spec_from_file_location("check_release", ROOT / "tools" /
                                                  "check_release.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_release", module)
    spec.loader.exec_module(sys.modules["check_release"])
    module = sys.modules["check_release"]
    keys = module.assignment_keys(ROOT / "solutions")
    return {item for k in keys.values() for item in k.pairs}


def test_no_graded_item_or_key_is_shipped_in_the_wheel(wheel):
    graded = _graded_item_ids()
    assert len(graded) >= 9   # the classify-cases assignment alone has nine graded cases
    archive = zipfile.ZipFile(wheel)
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8", "replace")
        if name.startswith("canvastools/data/"):   # (the code's docstrings show the markers)
            assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text, name
        leaked = sorted(item for item in graded if item in text)
        assert leaked == [], f"{name} names graded items {leaked}"

"""Shared helpers of the nbgrader tests (a module with a unique name, safe to import)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: each assignment of the repository and its Italian version: same cells, grade ids, points,
#: exercise ids and hidden keys; Italian texts (tests/nbgrader/test_italian_assignments.py)
ITALIAN = {"classify-cases": "classifica-casi", "motivations-questions": "motivazioni-domande",
           "design-relationships": "progettare-relazioni"}


def _load_check_release():
    if "check_release" in sys.modules:
        return sys.modules["check_release"]
    path = ROOT / "tools" / "check_release.py"
    spec = importlib.util.spec_from_file_location("check_release", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_release"] = module
    spec.loader.exec_module(module)
    return module


check_release = _load_check_release()

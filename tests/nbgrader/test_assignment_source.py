"""What grading workers ask the gradebook, answered once (canvastools/grader/assignment_source.py)
and nbgrader's metadata schema checked once (canvastools/grader/_nbgrader.py): the same answers
and the same errors as nbgrader's own calls."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from autograde_demo import ASSIGNMENT


def _columns(row) -> dict:
    from sqlalchemy import inspect

    return {a.key: getattr(row, a.key) for a in inspect(row).mapper.column_attrs}


def test_the_source_answers_as_the_gradebook(autograde_demo: Path):
    from nbgrader.api import Gradebook, MissingEntry

    from canvastools.grader.assignment_source import AssignmentSource

    with Gradebook(f"sqlite:///{autograde_demo / 'gradebook.db'}") as gb:
        source = AssignmentSource(gb, ASSIGNMENT)
        real = gb.find_notebook(ASSIGNMENT, ASSIGNMENT)
        copied = source.find_notebook(ASSIGNMENT, ASSIGNMENT)
        assert copied.kernelspec == real.kernelspec and copied.id == real.id
        for kind in ("source_cells", "grade_cells", "solution_cells", "task_cells"):
            assert [vars(c) for c in getattr(copied, kind)] == \
                [_columns(c) for c in getattr(real, kind)], kind
        assert len(real.source_cells) > 1 and real.grade_cells
        for cell in real.source_cells:
            assert vars(source.find_source_cell(cell.name, ASSIGNMENT, ASSIGNMENT)) == \
                _columns(gb.find_source_cell(cell.name, ASSIGNMENT, ASSIGNMENT))
            try:
                expected = _columns(gb.find_graded_cell(cell.name, ASSIGNMENT, ASSIGNMENT))
            except MissingEntry as exc:
                with pytest.raises(MissingEntry, match=str(exc)):
                    source.find_graded_cell(cell.name, ASSIGNMENT, ASSIGNMENT)
            else:
                assert vars(source.find_graded_cell(cell.name, ASSIGNMENT, ASSIGNMENT)) == \
                    expected
        for call, args in ((source.find_source_cell, ("forged", ASSIGNMENT, ASSIGNMENT)),
                           (source.find_graded_cell, ("forged", ASSIGNMENT, ASSIGNMENT)),
                           (source.find_source_cell, ("forged", "other-nb", ASSIGNMENT)),
                           (source.find_notebook, ("other-nb", ASSIGNMENT)),
                           (source.find_notebook, (ASSIGNMENT, "other-assignment"))):
            with pytest.raises(MissingEntry) as ours:
                call(*args)
            with pytest.raises(MissingEntry) as theirs:
                getattr(gb, call.__name__)(*args)
            assert str(ours.value) == str(theirs.value)
        assert source.find_student("ada").id == "ada"  # anything else: the gradebook's


def _validate(cell) -> str | None:
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError

    try:
        MetadataValidator().validate_cell(cell)
    except ValidationError as exc:
        return f"{exc.message} at {list(exc.absolute_path)}"
    return None


def test_metadata_checked_against_a_schema_checked_once_gives_the_same_errors():
    from nbformat import from_dict
    from nbgrader.nbgraderformat import MetadataValidator, common

    from canvastools.grader._nbgrader import cached_schema_checks

    good = from_dict({"cell_type": "code", "source": "", "metadata": {"nbgrader": {
        "grade": True, "grade_id": "q1", "locked": False, "points": 2.0,
        "schema_version": 3, "solution": False, "task": False}}})
    bad = []
    for change in ({"points": "ten"}, {"grade": "yes"}, {"grade_id": 7}, {"forged": True},
                   {"locked": None}):
        cell = copy.deepcopy(good)
        cell.metadata.nbgrader.update(change)
        bad.append(cell)
    missing = copy.deepcopy(good)
    del missing.metadata.nbgrader["grade_id"]
    bad.append(missing)
    import jsonschema

    installed = common.jsonschema  # by an earlier test of this session, maybe
    try:
        common.jsonschema = jsonschema
        before = [_validate(cell) for cell in [good, *bad]]
        cached_schema_checks()
        assert common.jsonschema is not jsonschema
        after = [_validate(cell) for cell in [good, *bad]]
        again = [_validate(cell) for cell in [good, *bad]]  # the good one known valid now
        for forged in ("2.0", True, None, [2.0], {"n": 2.0}):  # equal in Python, not in JSON
            cell = copy.deepcopy(good)
            cell.metadata.nbgrader["points"] = forged
            assert _validate(cell), forged
        # a schema of other content is not mistaken for the one checked
        validator = MetadataValidator()
        validator.schema = copy.deepcopy(validator.schema)
        validator.schema["properties"]["points"]["type"] = "string"
        from jsonschema import ValidationError

        with pytest.raises(ValidationError):
            validator.validate_cell(copy.deepcopy(good))
    finally:
        common.jsonschema = installed
    assert before[0] is None and all(before[1:]), before
    assert after == before and again == before

"""Every use of nbgrader's private API, in one place (read from nbgrader 0.9.x).

nbgrader has no public way to do these few things; each function says why canvastools needs
it and what it relies on, so that a new nbgrader version is checked here and nowhere else:

- :func:`converter_dest`: ``BaseConverter._format_dest(assignment, student)``
  (``nbgrader/converters/base.py``), the output folder of the converter running a step. A
  preprocessor run by plain ``nbgrader autograde`` / ``generate_feedback`` gets no such path in
  its resources; the steps need it to find the answer file and to remove it from feedback.
- :func:`remove_hidden_tests`: ``ClearHiddenTests._remove_hidden_test_region(cell)``
  (``nbgrader/preprocessors/clearhiddentests.py``): a source cell's text as released, to tell
  an untouched read-only cell from an edited one, with nbgrader's own rule for the markers.
- :func:`lend_gradebook`: the module attribute ``Gradebook`` of nbgrader's preprocessor
  modules (``overwritecells``, ``overwritekernelspec``, ``saveautogrades``,
  ``latesubmissions``: each does ``with Gradebook(db_url) as gb`` per notebook). ``canvastools
  autograde`` hands them its open session instead, thread by thread, so one student's writes
  are one transaction in the one writer process.
- :func:`cached_schema_checks`: the module attribute ``jsonschema`` of
  ``nbgrader/nbgraderformat/common.py``, whose ``validate_cell`` calls
  ``jsonschema.validate(metadata, schema)`` for every cell: that checks the schema itself
  against the JSON-schema meta-schema each time (three quarters of ``CheckCellMetadata``'s
  time). The module gets a ``jsonschema`` whose ``validate`` checks each schema once and then
  validates with the same validator class, raising the same best-matching error.
- :func:`checked_late_penalty`: ``AssignLatePenalties._check_late_penalty(notebook,
  penalty)`` (``nbgrader/preprocessors/latesubmissions.py``), the plugin's penalty clipped to
  0..score with nbgrader's warnings. The bulk writer
  (:mod:`canvastools.grader.gradebook_rows`) sets the late penalties of a batch of students
  itself, and keeps nbgrader's own rule for them.

Outside nbgrader, two private hooks are overridden where they are used, because the public
API has no other place for them: nbclient's ``NotebookClient._update_display_id``
(:class:`canvastools.grader.clean_content.OutputBudget`) and jupyter_client's
``KernelManager._async_launch_kernel`` (:func:`canvastools.grader.sandbox.make_kernel_manager`).
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from nbformat import NotebookNode


def converter_dest(converter: Any, assignment: str, student: str) -> str:
    """The output folder of ``converter`` (an nbgrader converter) for one student's assignment.

    nbgrader 0.9: ``BaseConverter._format_dest``, the folder it writes the converted notebook to.
    """
    return converter._format_dest(assignment, student)  # noqa: SLF001 - see the module doc


def remove_hidden_tests(cell: NotebookNode) -> None:
    """Remove the hidden-test regions of ``cell`` in place, as ``generate_assignment`` does.

    nbgrader 0.9: ``ClearHiddenTests._remove_hidden_test_region`` (the markers are configurable
    on ClearHiddenTests; its defaults are used, as released notebooks were made with them).
    """
    from nbgrader.preprocessors import ClearHiddenTests

    ClearHiddenTests()._remove_hidden_test_region(cell)  # noqa: SLF001 - see the module doc


class _BorrowedGradebook:
    """An open gradebook as nbgrader's steps use one (``with Gradebook(url) as gb``), without
    opening or closing anything."""

    def __init__(self, gradebook: Any) -> None:
        self.gradebook = gradebook

    def __enter__(self) -> Any:
        return self.gradebook

    def __exit__(self, *exc: object) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.gradebook, name)


_LENT = threading.local()
_INSTALL = threading.Lock()


class _LentGradebooks:
    """Stands for nbgrader's ``Gradebook`` in the modules of its steps: in a thread that lends
    one (:func:`lend_gradebook`), ``Gradebook(url)`` is that open gradebook; anywhere else, a
    new one, as before. Thread by thread, so that a Dask worker running several students at
    once in threads never hands one student's session to another."""

    def __init__(self, original: Any) -> None:
        self.original = original

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        lent = getattr(_LENT, "gradebook", None)
        if lent is None:
            return self.original(*args, **kwargs)
        return _BorrowedGradebook(lent)


@contextlib.contextmanager
def lend_gradebook(gradebook: Any, modules: tuple[ModuleType, ...]) -> Iterator[None]:
    """nbgrader's steps in ``modules`` use ``gradebook`` in this thread, instead of opening
    their own::

        from nbgrader.preprocessors import saveautogrades
        with lend_gradebook(gradebook, (saveautogrades,)):
            nb, resources = SaveAutoGrades().preprocess(nb, resources)
    """
    with _INSTALL:
        for module in modules:
            if not isinstance(module.Gradebook, _LentGradebooks):
                module.Gradebook = _LentGradebooks(module.Gradebook)
    previous = getattr(_LENT, "gradebook", None)
    _LENT.gradebook = gradebook
    try:
        yield
    finally:
        _LENT.gradebook = previous


class _CheckedSchemas:
    """``jsonschema`` as nbgrader's metadata validation uses it, with ``validate`` checking a
    schema once per process instead of once per cell; everything else is jsonschema's."""

    def __init__(self, jsonschema: ModuleType) -> None:
        self._jsonschema = jsonschema
        self._validators: list[tuple[Any, Any]] = []  # (a copy of the schema, its validator)
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._jsonschema, name)

    def _validator(self, schema: Any) -> tuple[Any, set[Any]]:
        """The validator of ``schema``, and the instances it found valid."""
        with self._lock:
            for known, validator, valid in self._validators:
                if known == schema:
                    return validator, valid
            frozen = copy.deepcopy(schema)
            cls = self._jsonschema.validators.validator_for(frozen)
            cls.check_schema(frozen)  # raises SchemaError, as jsonschema.validate does
            validator, valid = cls(frozen), set()
            self._validators.append((frozen, validator, valid))
            return validator, valid

    def validate(self, instance: Any, schema: Any, cls: Any = None, *args: Any,
                 **kwargs: Any) -> None:
        """``jsonschema.validate(instance, schema)``: the same error, the schema checked once,
        and an instance equal (JSON type for JSON type) to one found valid not checked again."""
        if cls is not None or args or kwargs:
            self._jsonschema.validate(instance, schema, cls, *args, **kwargs)
            return
        validator, valid = self._validator(schema)
        key = _json_value(instance)
        if key is not None and key in valid:
            return
        error = self._jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error
        if key is not None:
            with self._lock:
                if len(valid) > 10_000:
                    valid.clear()
                valid.add(key)


def _json_value(value: Any) -> Any:
    """A hashable value that equals another's only if both are the same JSON value, of the same
    types (``1``, ``1.0``, ``True`` and ``"1"`` all differ); None for anything else."""
    if isinstance(value, dict):  # NotebookNode too
        items = []
        for key, item in value.items():
            inner = _json_value(item)
            if type(key) is not str or inner is None:
                return None
            items.append((key, inner))
        return ("object", tuple(sorted(items)))
    if isinstance(value, list):
        inner_values = tuple(_json_value(item) for item in value)
        return None if None in inner_values else ("array", inner_values)
    if type(value) in (str, int, float, bool):
        return (type(value).__name__, value)
    if value is None:
        return ("null",)
    return None


def cached_schema_checks() -> None:
    """Make nbgrader's cell-metadata validation (``CheckCellMetadata``, nbgrader's notebook
    reader) check its JSON schema once per process, not once per cell; every cell is still
    validated against it, with the same errors::

        cached_schema_checks()
        CheckCellMetadata().preprocess(nb, resources)
    """
    import jsonschema
    from nbgrader.nbgraderformat import common

    with _INSTALL:
        if not isinstance(common.jsonschema, _CheckedSchemas):
            common.jsonschema = _CheckedSchemas(jsonschema)


def checked_late_penalty(step: Any, score: float, penalty: float) -> float:
    """The late ``penalty`` of a notebook scoring ``score``, clipped as ``AssignLatePenalties``
    (``step``) clips it (not below 0, not above the score), with its warnings::

        checked_late_penalty(AssignLatePenalties(config=config), 3.0, 5.0)  # 3.0
    """
    from types import SimpleNamespace

    return step._check_late_penalty(SimpleNamespace(score=score), penalty)  # noqa: SLF001

"""What a test cell calls: the ``grade_*`` declarations, ``check_saved`` and ``load_answers``.

At autograding a declaration is read, not run (:mod:`canvastools.grading.testcells`); run in a
notebook it scores the answer file of the current folder with the rules
(:mod:`canvastools.grading.rules`) and returns the points. ``check_saved`` runs in the
student's kernel at Validate: it says what is missing, never whether an answer is right.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from canvastools.errors import NotReadyToSubmit
from canvastools.grading.pools import notebook_order_variant, notebook_variant
from canvastools.grading.results import ExerciseResult
from canvastools.grading.rules import (
    saved_entry,
    score_classification,
    score_design,
    score_motivations,
    score_order,
)
from canvastools.model.taxonomy import DEFAULT_TAXONOMY

if TYPE_CHECKING:
    from canvastools.answers.store import StoreRead
    from canvastools.model.taxonomy import Taxonomy

__all__ = ["grade_classification", "grade_motivations", "grade_order", "check_design",
           "check_saved", "NotReadyToSubmit", "load_answers"]


# -- the declarations, usable in a notebook ----------------------------------------------------
def _here() -> StoreRead:
    from canvastools.answers.store import AnswerStore

    return AnswerStore().read()


def _report(result: ExerciseResult, show: bool) -> float:
    for note in result.notes:
        print(f"[canvastools] {note}", file=sys.stdout)
    if show:
        for item in result.items:
            verdict = "not answered" if item.verdict == "unanswered" else (
                "partly right" if item.verdict == "partly" else item.verdict)
            print(f"{item.item_id}: {verdict} ({item.points:g}/{item.max_points:g})")
        for check in result.checks:
            print(f"{'ok' if check.ok else 'not yet'}: {check.label}"
                  + (f" ({check.detail})" if check.detail and not check.ok else ""))
        print(f"total: {result.points:g}/{result.max_points:g}")
    return result.points


def grade_classification(exercise_id: str, key: Mapping[str, str | Sequence[str]],
                         accepted: Mapping[str, Sequence[str]] | None = None, *,
                         choices: str | Sequence[str] = "types",
                         taxonomy: str | Taxonomy = DEFAULT_TAXONOMY, points: float = 1.0,
                         partial: float = 0.5, show: bool = False,
                         explanations: Mapping[str, str] | None = None,
                         sources: Mapping[str, str] | None = None,
                         count: int | None = None) -> float:
    """Declare (in a hidden test) or try (in a notebook) the key of a classification.

    Scores the current folder's answer file with :func:`score_classification` and returns the
    points; ``show`` prints each item's verdict, never the expected answer.
    ``explanations`` and ``sources`` (item id -> text) are shown with the expected answers
    in the feedback when the instructor opts in (``c.ShowResults.show_key = True``); they do
    not change the score. ``count``: the key is a pool, each student answers ``count`` of its
    items (:mod:`canvastools.grading.pools`).
    """
    answers = _here()
    if count is not None:
        key, accepted = notebook_variant(answers, exercise_id, key, accepted, count)
    return _report(score_classification(answers, exercise_id, key, accepted, choices=choices,
                                        taxonomy=taxonomy, points=points, partial=partial),
                   show)


def grade_motivations(exercise_id: str, key: Mapping[str, str | Sequence[str]],
                      accepted: Mapping[str, Sequence[str]] | None = None, *,
                      points: float = 1.0, partial: float = 0.5,
                      show: bool = False, explanations: Mapping[str, str] | None = None,
                      sources: Mapping[str, str] | None = None,
                      count: int | None = None) -> float:
    """Declare or try the key of a MotivationMatrix (see :func:`score_motivations`;
    ``explanations``, ``sources`` and ``count`` as in :func:`grade_classification`)."""
    answers = _here()
    if count is not None:
        key, accepted = notebook_variant(answers, exercise_id, key, accepted, count)
    return _report(score_motivations(answers, exercise_id, key, accepted, points=points,
                                     partial=partial), show)


def grade_order(exercise_id: str, key: Sequence[str | Sequence[str]], *,
                taxonomy: str | Taxonomy = DEFAULT_TAXONOMY, points: float = 1.0,
                show: bool = False, items: str = "types", count: int | None = None) -> float:
    """Declare or try the key of a SpectrumOrder (see :func:`score_order`).

    An order of cases, by how much human contact they involve, ties in an inner list::

        grade_order("contact", key=["banker", ["help-line", "shop"], "kiosk"],
                    items="cases", points=2.0)

    ``count``: the key orders a pool, each student orders ``count`` of its items (more than
    the largest tie), graded on the key's order of their own items
    (:mod:`canvastools.grading.pools`)::

        grade_order("contact", key=["banker", ["help-line", "shop"], "kiosk", "app"],
                    items="cases", count=3)
    """
    answers = _here()
    if count is not None:
        key = notebook_order_variant(answers, exercise_id, key, count)
    return _report(score_order(answers, exercise_id, key, taxonomy=taxonomy, points=points,
                               items=items), show)


def check_design(exercise_id: str, segments: Sequence[str], *, min_types: int = 2,
                 types: Iterable[str] | None = None, taxonomy: str | Taxonomy = DEFAULT_TAXONOMY,
                 points: float = 3.0, show: bool = True) -> float:
    """Declare or try the checks of a RelationshipDesigner (see :func:`score_design`).

    The checks are not secret, so ``show`` defaults to True.
    """
    return _report(score_design(_here(), exercise_id, segments, min_types=min_types,
                                types=types, taxonomy=taxonomy, points=points), show)


def check_saved(exercise_id: str, items: Sequence[str] | None = None, *,
                folder: str | None = None) -> None:
    """Before submitting: is every part of ``exercise_id`` answered and saved?

    In the visible part of a test cell, so that Validate (the toolbar button, or
    ``nbgrader validate``) runs it in the student's kernel, after the widget cells::

        from canvastools.grading import check_saved
        check_saved("classify-cases")

    Raises :class:`NotReadyToSubmit` naming what is missing: no answer file, an unreadable
    one, nothing saved for the exercise, or the items (spectrum types, untyped notes,
    segments without a note) not answered or not saved yet. The parts come from the widget
    created for ``exercise_id`` in this kernel (else from ``items``, else any saved answer is
    enough). Otherwise prints that the answers are saved. It never needs the key and never
    says whether an answer is right; the grader never runs it (it scores the answer file).
    """
    import sys as _sys
    import textwrap

    from canvastools._io.messages import render
    from canvastools.answers.store import ANSWERS_FILENAME, AnswerStore
    from canvastools.grading.results import view_text

    store = AnswerStore(folder)
    widgets = _sys.modules.get("canvastools.widgets.base")
    widget = widgets.created_exercise(exercise_id, store.folder) if widgets else None
    lang = getattr(widget, "lang", "en")

    def not_ready(*lines: str) -> NotReadyToSubmit:
        # nbgrader validate cuts lines over 87 characters: wrapped at 80
        wrapped = [textwrap.fill(line, 80, initial_indent="- ", subsequent_indent="  ",
                                 break_on_hyphens=False) for line in lines]
        return NotReadyToSubmit("\n".join([view_text("not_ready", lang, exercise=exercise_id),
                                           *wrapped]))

    if not store.path.is_file():
        raise not_ready(view_text("no_file", lang, file=ANSWERS_FILENAME,
                                  folder=str(store.folder)))
    read = store.read()
    entry = read.exercises.get(exercise_id)
    if read.problem and (entry is None or exercise_id in read.damaged):
        raise not_ready(view_text("file_unreadable", lang, file=ANSWERS_FILENAME,
                                  problem=render(read.reason or read.problem, lang)))
    kind = getattr(widget, "kind", None)
    answer = entry.get("answer") if entry is not None and (
        kind is None or entry.get("kind") == kind) else None
    if not answer:
        raise not_ready(view_text("nothing_saved", lang, file=ANSWERS_FILENAME))
    if widget is not None:
        missing = widget.unsaved_parts(answer)
        count = widget.saved_count(answer)
    else:
        wanted = list(items or ())
        given = answer if isinstance(answer, Mapping) else {}
        absent = [i for i in wanted if not given.get(i)]
        missing = [view_text("missing_items", lang, count=len(absent), total=len(wanted),
                             items="; ".join(absent))] if absent else []
        count = len(wanted) if wanted else (len(answer) if isinstance(answer, (list, Mapping))
                                             else 1)
    if missing:
        raise not_ready(*missing)
    done = "saved_notes_ok" if kind == "designer" else "saved_ok"
    print(view_text(done, lang, exercise=exercise_id, total=count, file=ANSWERS_FILENAME))


def load_answers(exercise_id: str, folder: str | None = None) -> Any:
    """The saved answer of one exercise in ``folder`` (default: here), or None."""
    from canvastools.answers.store import AnswerStore

    entry = saved_entry(AnswerStore(folder).read(), exercise_id, [])
    return None if entry is None else entry["answer"]


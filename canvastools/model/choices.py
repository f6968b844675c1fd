"""The choice sets: which ``choices=`` values an exercise and its key may name, one table.

A classification exercise (the widget) and its key (the grading rules) read the same table, so
a set the widget offers is a set grading accepts::

    >>> from canvastools.model.taxonomy import load_taxonomy
    >>> CHOICE_SETS
    ('types', 'motivations', 'questions', 'blocks')
    >>> sets = choice_sets(load_taxonomy("bmg2010"), "it")
    >>> sets["blocks"].what, sets["blocks"].ids[:2]
    ('block', ['key_partners', 'key_activities'])
    >>> choice_set("block", load_taxonomy("bmg2010"))
    Traceback (most recent call last):
    ...
    canvastools.errors.InputError: choices: unknown choices 'block' (did you mean 'blocks'?). \
Valid choices: types, motivations, questions, blocks
"""

from __future__ import annotations

from dataclasses import dataclass

from canvastools.errors import InputError
from canvastools.model.taxonomy import Taxonomy, load_domain

#: the named choice sets, in the order error messages list them
CHOICE_SETS = ("types", "motivations", "questions", "blocks")


@dataclass(frozen=True)
class Choice:
    """One choice: its id, its label in the exercise's language, a tooltip (may be empty)."""

    id: str
    label: str
    tooltip: str


@dataclass(frozen=True)
class ChoiceSet:
    """A named choice set: what one of its choices is called, and the choices in order."""

    name: str
    what: str
    choices: tuple[Choice, ...]

    @property
    def ids(self) -> list[str]:
        """The ids of the choices, in order."""
        return [c.id for c in self.choices]


def choice_sets(taxonomy: Taxonomy, lang: str = "en") -> dict[str, ChoiceSet]:
    """Every choice set (:data:`CHOICE_SETS`), labelled in ``lang``; ``types`` are the
    taxonomy's in its own order (the spectrum)."""
    domain = load_domain()
    return {
        "types": ChoiceSet("types", "relationship type", tuple(
            Choice(t.id, t.label_in(lang), t.definition_in(lang)) for t in taxonomy.types)),
        "motivations": ChoiceSet("motivations", "motivation", tuple(
            Choice(m.id, m.label_in(lang), "") for m in domain.motivations)),
        "questions": ChoiceSet("questions", "guiding question", tuple(
            Choice(q.id, q.label_in(lang), "") for q in domain.questions)),
        "blocks": ChoiceSet("blocks", "block", tuple(
            Choice(b.id, b.label_in(lang), "") for b in domain.blocks)),
    }


def choice_set(name: str, taxonomy: Taxonomy, lang: str = "en",
               where: str = "choices") -> ChoiceSet:
    """The choice set called ``name``; InputError naming :data:`CHOICE_SETS` when none is."""
    sets = choice_sets(taxonomy, lang)
    if name not in sets:
        raise InputError(f"unknown choices {name!r}", where=where, choices=list(CHOICE_SETS),
                         got=name)
    return sets[name]

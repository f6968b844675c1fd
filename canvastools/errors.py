"""The one error tree of canvastools; errors for a user's mistake name the file, the place and
the valid choices::

    CanvasToolsError
    ├── InputError (also a ValueError)      a mistake in something a user wrote
    ├── ValidationErrors (also a ValueError) several InputErrors of one file
    └── NotReadyToSubmit (also a ValueError) check_saved: what to do before submitting

>>> err = InputError("unknown relationship type 'self_serve'", file="cases.yaml",
...                  where="entry 3 (id: ikea), field 'types'",
...                  choices=["self_service", "co_creation"], got="self_serve")
>>> print(err)
cases.yaml, entry 3 (id: ikea), field 'types': unknown relationship type 'self_serve' (did you mean 'self_service'?). Valid choices: self_service, co_creation

Built from a message key of ``canvastools/data/messages.yaml`` and its values, an error can
be shown in another language; ``str()`` stays English. Ids and file names stay as written:

>>> err = InputError(Msg("unknown.relationship_type", value="self_serve"), file="cases.yaml",
...                  where=Place(Msg("entry", n=3), Msg("field", name="types")),
...                  choices=["self_service", "co_creation"], got="self_serve")
>>> print(err.in_language("it"))
cases.yaml, voce 3, campo 'types': tipo di relazione 'self_serve' sconosciuto (forse intendevi 'self_service'?). Scelte valide: self_service, co_creation
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from canvastools._io.messages import Msg, Place, render

__all__ = ["CanvasToolsError", "InputError", "Msg", "NotReadyToSubmit", "Place",
           "ValidationErrors", "did_you_mean"]


def did_you_mean(got: str, choices: Iterable[str]) -> str | None:
    """Return the valid choice closest to ``got``, or None when nothing is close.

    >>> did_you_mean("customer_relationship", ["channels", "customer_relationships"])
    'customer_relationships'
    """
    choices = list(choices)
    normalised = str(got).strip().lower().replace("-", "_").replace(" ", "_")
    if normalised in choices:
        return normalised
    close = difflib.get_close_matches(normalised, choices, n=1, cutoff=0.6)
    return close[0] if close else None


class CanvasToolsError(Exception):
    """Base class of every error canvastools raises on purpose.

    In Jupyter, IPython shows such an error as its message alone, without a traceback: the
    message already says what is wrong and where, and a student has no use for our internals.

    >>> InputError("answer for 'b': unknown case 'b'")._render_traceback_()
    ["InputError: answer for 'b': unknown case 'b'"]
    """

    #: the language IPython shows the error in (a widget sets its own; ``str()`` is English)
    shown_in = "en"

    def _render_traceback_(self) -> list[str]:
        """The lines IPython prints instead of a traceback (one per line of the message)."""
        return f"{type(self).__name__}: {self.in_language(self.shown_in)}".splitlines()

    def shown_in_language(self, lang: str) -> CanvasToolsError:
        """This error, shown by IPython in ``lang``: ``raise err.shown_in_language("it")``.

        >>> err = InputError(Msg("unknown.block", value="chanels")).shown_in_language("it")
        >>> err._render_traceback_(), str(err)
        (["InputError: blocco 'chanels' sconosciuto"], "unknown block 'chanels'")
        """
        self.shown_in = lang
        return self

    def in_language(self, lang: str) -> str:
        """The message in ``lang`` ("en", "it"...); English where it has no translation."""
        return str(self)


class InputError(CanvasToolsError, ValueError):
    """A mistake in something a user wrote: a file, an argument, an answer."""

    def __init__(
        self,
        message: str | Msg,
        *,
        file: str | None = None,
        where: str | Msg | Place | None = None,
        choices: Sequence[str] | None = None,
        got: str | None = None,
    ) -> None:
        self.text = message        # the message itself, a Msg (or an English text)
        self.message = str(message)
        self.file = file
        self.where = where         # a text, a Msg or a Place
        self.choices = list(choices) if choices is not None else None
        self.got = got
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.in_language("en")

    def in_language(self, lang: str) -> str:
        """The whole message (place, message, "did you mean", valid choices) in ``lang``."""
        place = ", ".join(p for p in (self.file, render(self.where, lang)) if p)
        message = render(self.text, lang)
        text = render(Msg("place_message", place=place, message=message), lang) if place \
            else message
        if self.choices:  # an empty list of choices would only print "Valid choices: "
            if self.got is not None:
                hint = did_you_mean(self.got, self.choices)
                if hint is not None and hint != self.got:
                    text += render(Msg("did_you_mean", hint=hint), lang)
            text += render(Msg("valid_choices", choices=", ".join(self.choices)), lang)
        return text


class ValidationErrors(CanvasToolsError, ValueError):
    """Several input errors found in one file, reported together."""

    def __init__(self, errors: Sequence[InputError]) -> None:
        self.errors = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.in_language("en")

    def in_language(self, lang: str) -> str:
        """Every error, one a line, in ``lang``."""
        return "\n".join(e.in_language(lang) for e in self.errors)


class NotReadyToSubmit(CanvasToolsError, ValueError):
    """Raised by ``canvastools.grading.check_saved``: what is missing before submitting.

    IPython (and ``nbgrader validate``) show the message alone, each line as written:

    >>> NotReadyToSubmit("Not ready: quiz\\n- nothing saved")._render_traceback_()
    ['Not ready: quiz', '- nothing saved']
    """

    def _render_traceback_(self) -> list[str]:
        """The message's lines, without the class name: they are addressed to a student."""
        return str(self).splitlines()

"""Messages to users (errors, command-line lines) as a key of ``canvastools/data/messages.yaml``
and its values, put into words only when shown, in the language asked for.

>>> message = Msg("unknown.block", value="chanels")
>>> str(message)
"unknown block 'chanels'"
>>> message.render("it")
"blocco 'chanels' sconosciuto"

A place is several parts joined by commas, each a text or a message:

>>> render(Place("blocks, chanels", Msg("line", line=15)), "it")
'blocks, chanels, riga 15'

The catalogue is read on first use, never at ``import canvastools``.
"""

from __future__ import annotations

import functools
import os
import string
from collections.abc import Mapping
from typing import Any

#: the file of the messages, in canvastools/data
CATALOGUE = "messages.yaml"
#: languages whose messages are complete (the others fall back to English message by message)
COMPLETE_LANGUAGES = ("en", "it")


@functools.lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every message, ``{key: {lang: text}}`` (read once).

    Read here with PyYAML directly, not through :mod:`canvastools._io.yamlio`: the errors
    that reader raises are built from these messages, so it cannot be used to read them (a
    shipped file of the package, not a user's, needs none of its checks).
    """
    from importlib import resources

    import yaml

    text = resources.files("canvastools").joinpath("data", CATALOGUE).read_text(encoding="utf-8")
    return yaml.safe_load(text)


class Msg:
    """A message: a key of the catalogue and its values; ``str()`` is the English text."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: Any) -> None:
        self.key = key
        self.values = values

    def render(self, lang: str = "en") -> str:
        """The message in ``lang``; all in English (its values too) when the catalogue has no
        ``lang`` text for it."""
        entry = catalogue()[self.key]
        if not entry.get(lang):
            lang = "en"
        return _Formatter(lang).vformat(entry[lang], (), self.values)

    def __str__(self) -> str:
        return self.render("en")

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, self.values) == (other.key, other.values)

    __hash__ = None  # type: ignore[assignment]


class Place:
    """Parts of a place (texts or messages) shown joined by ", ", e.g. "entry 3, field 'id'"
    (or by ``sep``: several problems joined by "; ")."""

    __slots__ = ("parts", "sep")

    def __init__(self, *parts: Any, sep: str = ", ") -> None:
        self.sep = sep
        flat: list[Any] = []
        for part in parts:
            if isinstance(part, Place) and part.sep == sep:
                flat.extend(part.parts)
            elif part:
                flat.append(part)
        self.parts = tuple(flat)

    def render(self, lang: str = "en") -> str:
        return self.sep.join(render(part, lang) for part in self.parts)

    def __str__(self) -> str:
        return self.render("en")

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __repr__(self) -> str:
        return f"Place{self.parts!r}"


def render(value: Any, lang: str = "en") -> str:
    """A message, a place or a plain text (the same in every language) in ``lang``."""
    if isinstance(value, (Msg, Place)):
        return value.render(lang)
    return "" if value is None else str(value)


def message(key: str, lang: str = "en", /, **values: Any) -> str:
    """One message in ``lang``: ``message("wrote", "it", file="a.png")`` is "scritto a.png"."""
    return Msg(key, **values).render(lang)


class _Formatter(string.Formatter):
    """``str.format`` whose values may be messages or places (rendered in the same language),
    and whose ``{n:,}`` numbers take the language's thousands separator."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        value = kwargs[key] if isinstance(key, str) else args[key]
        return render(value, self.lang) if isinstance(value, (Msg, Place)) else value

    def format_field(self, value: Any, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        if "," in format_spec:
            separator = catalogue()["thousands_separator"]
            text = text.replace(",", separator.get(self.lang) or separator["en"])
        return text


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language of messages when none is given: ``CANVASTOOLS_LANG``, else the locale
    (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: "it_IT.UTF-8" gives "it"), else "en". Only a
    language of :data:`COMPLETE_LANGUAGES` is taken from the locale.

    >>> language_from_environment({"LANG": "it_IT.UTF-8"})
    'it'
    >>> language_from_environment({"CANVASTOOLS_LANG": "en", "LANG": "it_IT.UTF-8"})
    'en'
    >>> language_from_environment({"LC_ALL": "C", "LANG": "it_IT.UTF-8"})
    'en'
    """
    environ = os.environ if environ is None else environ
    chosen = environ.get("CANVASTOOLS_LANG", "").strip()
    if chosen:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:  # the first one set wins, as in POSIX
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in COMPLETE_LANGUAGES else "en"
    return "en"

"""Text a student or a file controls, shown as written: on a terminal, in a log, in a drawing.

:func:`printable` is the one way canvastools puts such text on a terminal or in a log line:
control characters (ESC, BEL, carriage return, C1 codes) and the invisible characters that
reorder text (bidi overrides) are shown as escapes, so a file named
``notes\\x1b[2K\\x1b[1A`` cannot erase a line of the summary, set the window title or make a
flag read backwards::

    >>> printable("notes\\x1b[2K\\x1b[1A\\x07.ipynb")
    'notes\\\\x1b[2K\\\\x1b[1A\\\\x07.ipynb'
    >>> printable("abc\\u202edcba")
    'abc\\\\u202edcba'
    >>> printable("line one\\nline two", keep_newlines=True)
    'line one\\nline two'

:data:`LITERAL_RC` and :func:`literal_text` keep matplotlib from reading ``$...$`` as maths
(mathtext) in what is drawn: a student's choice ``$\\undefinedcmd$`` is drawn as those
characters, instead of stopping the drawing with a parse error.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

# C0 but tab and newline, DEL, C1, and the bidi and line-separator characters
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE_LINE = re.compile(f"[{_UNSAFE}\n]")
_UNSAFE_TEXT = re.compile(f"[{_UNSAFE}]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with control and bidi characters shown as ``\\x..``/``\\u....`` escapes (and
    newlines too, unless ``keep_newlines``): safe to print on a terminal or log."""
    pattern = _UNSAFE_TEXT if keep_newlines else _UNSAFE_LINE
    return pattern.sub(_shown, str(text))


# matplotlib settings under which a text is drawn as written, never as mathtext or TeX
LITERAL_RC = {"text.parse_math": False, "text.usetex": False}


@contextlib.contextmanager
def literal_text() -> Iterator[None]:
    """matplotlib texts made inside (tick labels drawn at save time too) are not mathtext or
    TeX: wrap the making *and* the saving of a figure that shows a student's text."""
    from matplotlib import rc_context

    with rc_context(LITERAL_RC):
        yield


def print_error(exc: BaseException, lang: str = "en") -> None:
    """Print ``exc`` on stderr as the command line shows a user's mistake: ``error: ...`` on
    every line (``errore: ...`` in Italian), control characters escaped."""
    import sys

    from canvastools._io.messages import message

    text = exc.in_language(lang) if hasattr(exc, "in_language") else str(exc)
    print("\n".join(printable(message("cli.error", lang, message=line))
                    for line in text.split("\n")), file=sys.stderr)

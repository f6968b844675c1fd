"""The one way canvastools escapes text into HTML and cleans HTML a student produced.

Everything a student produced that a browser renders (the autograded notebook in formgrader,
the feedback, the report) goes through :func:`clean_html` (an allowlist, built on the Rust
``ammonia`` sanitizer through ``nh3``) or :func:`escape`; text the grader itself writes into
HTML goes through :func:`escape`::

    >>> escape('if staff < 1 & "x"')
    'if staff &lt; 1 &amp; &quot;x&quot;'
    >>> clean_html('<b>ok</b><img src=x onerror=alert(1)><script>alert(2)</script>')
    '<b>ok</b>'
    >>> clean_html('<a href="javascript&#58;alert(1)">x</a> $n<1$')
    '<a rel="noopener noreferrer nofollow">x</a> $n&lt;1$'

What survives (:data:`TAGS`, :data:`ATTRIBUTES`): text formatting, headings, lists, tables,
code, quotes, links and images. Never: scripts, styles (``<style>`` and ``style=``), event
attributes, classes and ids (a student cannot dress up as the grader's own output), forms,
frames, SVG and MathML. Links keep only ``http:``, ``https:`` and ``mailto:`` targets (and
``#`` anchors); images keep only an inline PNG, JPEG or GIF (``data:image/...;base64,``, checked
to be base64) — so the page fetches nothing from any host, and no ``javascript:``, ``data:``,
``vbscript:`` or relative URL (``/api/terminals``) is left to click. A markdown cell's
``attachment:NAME`` images become such inline images when the attachment is one
(:func:`markdown_html`). ``<``, ``&`` and maths (``$n<1$``) show as written.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul", "var",
})
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
}
LINK_SCHEMES = ("http://", "https://", "mailto:")
IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif")
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
_SIZE = re.compile(r"[0-9]{1,5}(%|px)?")


def escape(text: object) -> str:
    """``text`` as HTML text or an attribute value: ``<``, ``>``, ``&`` and quotes escaped."""
    return html.escape(str(text), quote=True)


def _open(tag: str, attrs: str) -> str:
    return f"<{tag} {attrs}>" if attrs else f"<{tag}>"


def _column_attrs(attrs: str | Sequence[str], column: int) -> str:
    if isinstance(attrs, str):
        return attrs
    return attrs[column] if column < len(attrs) else ""


def html_table(head: Sequence[str], rows: Sequence[Sequence[str]], *, attrs: str = "",
               caption: str = "", th_attrs: str | Sequence[str] = "",
               td_attrs: str | Sequence[str] = "", row_attrs: Sequence[str] = ()) -> str:
    """The one HTML table builder: ``head`` is plain text (escaped here), the cells are HTML
    already escaped, ``caption`` is HTML; the ``*attrs`` are written as given (one string for
    every column, or one per column; ``row_attrs`` one per row)::

        >>> html_table(["Type", "n"], [["<b>x</b>", "2"]], attrs='class="t"', td_attrs=["", 'x'])
        '<table class="t"><thead><tr><th>Type</th><th>n</th></tr></thead><tbody><tr><td>\
<b>x</b></td><td x>2</td></tr></tbody></table>'
    """
    ths = "".join(f"{_open('th', _column_attrs(th_attrs, i))}{escape(h)}</th>"
                  for i, h in enumerate(head))
    body = []
    for index, row in enumerate(rows):
        tds = "".join(f"{_open('td', _column_attrs(td_attrs, i))}{cell}</td>"
                      for i, cell in enumerate(row))
        body.append(f"{_open('tr', row_attrs[index] if index < len(row_attrs) else '')}{tds}"
                    "</tr>")
    return (f"{_open('table', attrs)}{caption}<thead><tr>{ths}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def is_base64(data: object) -> bool:
    """True when ``data`` is a string of base64 characters (what an inline image holds)."""
    if not isinstance(data, str) or not _BASE64.fullmatch(data):
        return False
    try:
        base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def image_data_url(bundle: Mapping[str, Any]) -> str | None:
    """The ``data:`` URL of the first inline PNG, JPEG or GIF of a mime bundle, else None."""
    for mime in IMAGE_MIMES:
        data = bundle.get(mime)
        if is_base64(data):
            return f"data:{mime};base64,{''.join(str(data).split())}"
    return None


def _safe_url(element: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return value if value.startswith("#") or value.lower().startswith(LINK_SCHEMES) \
            else None
    if attribute == "src":
        if value.startswith("data:"):
            mime, _, data = value[len("data:"):].partition(";base64,")
            return value if mime in IMAGE_MIMES and is_base64(data) else None
        return None
    if attribute in ("width", "height"):
        return value if _SIZE.fullmatch(value.strip()) else None
    return value


def clean_html(text: str) -> str:
    """``text`` (HTML a student produced) with only the allowlist kept; see the module doc."""
    import nh3

    cleaned = nh3.clean(str(text), tags=set(TAGS), attributes={k: set(v) for k, v in
                                                             ATTRIBUTES.items()},
                        attribute_filter=_safe_url, url_schemes={"http", "https", "mailto",
                                                                 "data"},
                        link_rel="noopener noreferrer nofollow", strip_comments=True)
    return _IMAGE_WITHOUT_SOURCE.sub("", cleaned)  # what is left of a remote image: nothing


# an <img> whose source was removed (nh3 writes attributes as name="value", never with ">")
_IMAGE_WITHOUT_SOURCE = re.compile(r'<img(?:\s+(?!src=)[a-z]+="[^"]*")*\s*/?>')


# TeX commands MathJax turns into links, classes, styles or HTML: maths holding one is shown
# as written (not typeset), so no link or style of a student's comes out of MathJax
_ACTIVE_TEX = re.compile(r"\\(href|url|class|cssId|style|html|require|unicode|data|mmlToken|"
                         r"bbox|color|colorbox|fcolorbox)\b")
STUDENT_CLASS = "canvastools-student-text"


def markdown_html(source: str, attachments: Mapping[str, Any] | None = None) -> str:
    """A student's markdown as clean HTML, ready to be a markdown cell's whole text.

    The result is one ``<div>`` on one line (markdown renderers pass an HTML block through as
    it is), so formgrader, the feedback and JupyterLab show it the same way::

        >>> markdown_html("if `staff < 1`, see [x](javascript&#58;alert(1))")[38:]
        '<p>if <code>staff &lt; 1</code>, see <a href="#harmful-link" rel="noopener \
noreferrer nofollow">x</a></p></div>'

    ``attachments``: the cell's, as nbformat stores them; an ``attachment:NAME`` image that is
    an inline PNG, JPEG or GIF is kept, any other image is dropped. Maths is kept for MathJax,
    unless it holds a command that makes links or styles: then the cell is not typeset.
    """
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    files = {str(k): v for k, v in (attachments or {}).items() if isinstance(v, Mapping)}

    class _Renderer(IPythonRenderer):
        def _embed_image_or_attachment(self, src: str) -> str:
            if src.startswith("attachment:"):
                return image_data_url(files.get(src[len("attachment:"):], {})) or ""
            return src  # anything but an inline image is dropped by clean_html

    rendered = MarkdownWithMath(renderer=_Renderer(escape=False, allow_harmful_protocols=False,
                                                   exclude_anchor_links=True)).render(source)
    body = clean_html(rendered).strip()
    classes = STUDENT_CLASS
    if _ACTIVE_TEX.search(body):
        classes += " tex2jax_ignore mathjax_ignore"
    # one line: a blank line would end the HTML block and hand the rest back to markdown
    body = body.replace("\r", "").replace("\n", "&#10;")
    return f'<div class="{classes}">{body}</div>'

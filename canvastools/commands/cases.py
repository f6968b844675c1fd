"""``canvastools cases``: the practice cases (or a case file) with their relationship types."""

from __future__ import annotations

import sys
import textwrap

ID_COLUMN_MAX = 32
COMPANY_COLUMN_MAX = 40


def table_rows(case_id: str, company: str, types: str, id_width: int,
               company_width: int) -> list[str]:
    """The lines of one case in the ``cases`` table: a company name longer than its column
    wraps within it, and an id longer than its column gets a line of its own, so the columns
    always line up.

    >>> for row in table_rows("ikea", "A company with a name too long for its column",
    ...                       "Self-service", 6, 20):
    ...     print(row.rstrip())
    ikea   A company with a     Self-service
           name too long for
           its column
    """
    wrapped = textwrap.wrap(company, company_width) or [""]
    rows = []
    if len(case_id) > id_width:
        rows.append(case_id)
        case_id = ""
    rows.append(f"{case_id:{id_width}} {wrapped[0]:{company_width}} {types}")
    rows.extend(f"{'':{id_width}} {more}" for more in wrapped[1:])
    return rows


def main(*, lang: str = "en", type: str | None = None, motivation: str | None = None,  # noqa: A002 - the option's name
         file: str | None = None, verbose: bool = False, quiet_count: bool = False,
         messages: str | None = None) -> int:
    """Print the cases (of ``type`` / ``motivation`` only, when given) as a table; the count
    line in the language ``messages`` (default: ``lang``)."""
    from canvastools._io.messages import message
    from canvastools.model.cases import load_cases
    from canvastools.model.taxonomy import load_domain

    lang = load_domain().check_language(lang, "--lang")
    bank = load_cases(file) if file else load_cases()
    cases = bank.filter(type=type, motivation=motivation)
    domain = load_domain()
    id_width = min(max((len(c.id) for c in cases), default=0), ID_COLUMN_MAX)
    company_width = min(max((len(c.company_in(lang)) for c in cases), default=0),
                        COMPANY_COLUMN_MAX)
    for case in cases:
        types = (", ".join(bank.taxonomy.label(t, lang) for t in case.types)
                 or message("cases.motivations_only", messages or lang))
        if case.accepted:
            types += " (" + ", ".join(bank.taxonomy.label(t, lang) for t in case.accepted) + ")"
        for line in table_rows(case.id, case.company_in(lang), types, id_width, company_width):
            print(line)
        if verbose:
            motives = ", ".join(domain.motivation(m).label_in(lang) for m in case.motivations)
            print(f"    {case.description_in(lang)}\n    [{motives}] {case.source}")
    print(message("cases.count", messages or lang, count=len(cases)),
          file=sys.stderr if quiet_count else sys.stdout)
    return 0

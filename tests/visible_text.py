"""What a reader sees on a page, and the internal values that must not be in it.

The words crawl (test_words_crawl.py) reads every page through these helpers:
the text of the HTML without scripts, styles or attributes (an attribute such as
``title`` or ``datetime`` may keep a raw value for an auditor or a machine), then
looks for what only a programmer would write.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.apps import apps
from django.db.models import Choices

SKIPPED = {"script", "style", "template", "noscript"}
# Text that is kept for a reader who needs the code itself: inside <code>, <samp> and
# <kbd> (a token prefix, a file's column name in the feed's problems).
CODE = {"code", "samp", "kbd"}

SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# An ISO date, unless it is part of a file name people must type as it is
# ("pnc-2025-06-02.csv", the feed's naming rule on the upload page).
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-]|\.\w)")
# A probability as the machine holds it (0.598556), or a score said as one
# ("OGRS 3 0.60"); four-place coefficients in a score's working are not probabilities.
RAW_PROBABILITY = re.compile(r"\b0\.\d{5,}\b|OGRS 3 [01]\.\d+")
# "event 3829", "cohort_step 182": a kind of record and its number, the way the access
# log stores it, instead of words about the record.
RECORD_ID = re.compile(r"\b(?:event|nominal|cohort[ _]case|plan[ _]need|action|contact|"
                       r"alert|document|meeting[ _]item)\s+#?\d+\b")
# A route as Django names it: "GET /people/106/ (people:profile)".
ROUTE = re.compile(r"\b(?:GET|POST|PUT|PATCH|DELETE) /|\([a-z_]+:[a-z-]+\)")

# Codes people who use the service know as codes, shown as they are.
ALLOWED: frozenset[str] = frozenset({
    # Home Office offence codes such as 28A or 104/12 and PNC IDs (2012/0012345A), CRNs
    # (X123456): typed and read by officers exactly as the national systems print them.
    # None of them is snake_case or a date, so none needs an entry here; this set is
    # for any code that ever does.
})


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    """Text outside scripts and styles, code elements, and elements marked
    ``translate="no"`` (HTML's own mark for identifiers and codes shown as they are:
    usernames, the access log's stored values, a reference data version)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._open: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        skip = tag in SKIPPED or tag in CODE or dict(attrs).get("translate") == "no"
        self._open.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_chunks(html: str) -> list[str]:
    """Each run of text a reader sees, in page order."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser.chunks


def raw_enum_values() -> dict[str, str]:
    """Every stored choice value whose label differs from it, with its label: shown
    alone (a table cell, a summary value) the value is a code, not a word."""
    found: dict[str, str] = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str) and value and str(label) != value:
                    found.setdefault(value, str(label))
    for choices in _choice_classes(Choices):
        for member in choices:
            if isinstance(member.value, str) and member.label != member.value:
                found.setdefault(member.value, str(member.label))
    return found


def _choice_classes(base: type) -> list[type[Choices]]:
    found: list[type[Choices]] = []
    sub: type[Choices]
    for sub in base.__subclasses__():
        if sub.__module__.startswith("iom."):
            found.append(sub)
        found += _choice_classes(sub)
    return found


def problems_in(html: str, enum_values: dict[str, str]) -> list[str]:
    """What a reader would see that is not words: each with the text around it."""
    found = []
    for chunk in visible_chunks(html):
        for pattern, what in ((SNAKE_CASE, "snake_case"), (ISO_DATE, "ISO date"),
                              (RAW_PROBABILITY, "raw probability"),
                              (RECORD_ID, "record id"), (ROUTE, "route")):
            found += [f"{what} {m.group(0)!r} in {chunk[:120]!r}"
                      for m in pattern.finditer(chunk) if m.group(0) not in ALLOWED]
        for part in {chunk, chunk.rsplit(": ", 1)[-1]}:
            bare = part.strip(" ()[],.:;")
            if bare in enum_values and bare not in ALLOWED:
                found.append(f"raw value {bare!r} (say {enum_values[bare]!r}) in "
                             f"{chunk[:120]!r}")
    return found

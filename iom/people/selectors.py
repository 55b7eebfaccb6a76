"""Reads of people and their records. Each takes the querysets the access
policy allows, so nothing outside a user's sight is ever loaded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from iom.core.identifiers import IdentifierError, normalise_crn, normalise_pnc_id

from .models import Nominal
from .names import name_words, normalise, word_keys

PNC_LIKE = re.compile(r"^\d{2}(\d{2})?/\d{1,7}[A-Za-z]$")
CRN_LIKE = re.compile(r"^[A-Za-z]\d{6}$")
DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
MATCH_THRESHOLD = 70
MAX_RESULTS = 50


@dataclass(frozen=True)
class SearchHit:
    nominal: Nominal
    score: int
    matched_on: str


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    found = DMY.match(text)
    if not found:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def search_people(visible: QuerySet[Nominal], query: str) -> list[SearchHit]:
    """Find people by PNC ID, CRN, date of birth or (fuzzy) name, within ``visible``.

    1. A query shaped like a PNC ID, CRN or date searches that field exactly.
    2. Otherwise each word's keys (normalised, prefix, phonetic) pick the
       people sharing any of them, aliases included.
    3. Those are ranked by the closest of their names to the query; weak
       matches are dropped.
    """
    text = query.strip()
    if not text:
        return []
    exact = _exact_search(visible, text)
    if exact is not None:
        return exact
    words = name_words(text)
    keys = set().union(*(word_keys(w) for w in words)) if words else set()
    if not keys:
        return []
    candidates = (
        visible.filter(name_keys__key__in=keys).distinct().prefetch_related("aliases")[:2000]
    )
    target = " ".join(normalise(w) for w in words)
    hits = [hit for n in candidates if (hit := _rank(n, target)) is not None]
    hits.sort(key=lambda h: (-h.score, h.nominal.surname, h.nominal.forename))
    return hits[:MAX_RESULTS]


def _exact_search(visible: QuerySet[Nominal], text: str) -> list[SearchHit] | None:
    if PNC_LIKE.match(text):
        try:
            pnc = normalise_pnc_id(text)
        except IdentifierError:
            pnc = text.upper()
        return [SearchHit(n, 100, "PNC ID") for n in visible.filter(pnc_id=pnc)]
    if CRN_LIKE.match(text):
        try:
            crn = normalise_crn(text)
        except IdentifierError:
            return []
        return [SearchHit(n, 100, "CRN") for n in visible.filter(crn=crn)]
    born = _as_date(text)
    if born is not None:
        return [SearchHit(n, 100, "date of birth") for n in visible.filter(date_of_birth=born)]
    return None


def _rank(nominal: Nominal, target: str) -> SearchHit | None:
    names = [("name", f"{nominal.forename} {nominal.surname}"),
             ("name", f"{nominal.forename} {nominal.middle_names} {nominal.surname}")]
    names += [("alias", f"{a.forename} {a.surname}") for a in nominal.aliases.all()]
    best, how = 0.0, "name"
    for kind, name in names:
        plain = " ".join(normalise(w) for w in name_words(name))
        score = max(fuzz.token_sort_ratio(target, plain), fuzz.partial_token_sort_ratio(
            target, plain) - 10 if len(target) >= 4 else 0)
        if score > best:
            best, how = score, kind
    if best < MATCH_THRESHOLD:
        return None
    return SearchHit(nominal, round(best), how)


def people_in(visible: QuerySet[Nominal], *, district_id: int | None = None) -> QuerySet[Nominal]:
    scoped = visible.select_related("district")
    return scoped.filter(Q(district_id=district_id)) if district_id else scoped

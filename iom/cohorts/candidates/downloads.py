"""The candidate list as CSV or XLSX: every candidate matching the page's choices (all its
pages), one row each, in the page's order and words (docs/adr/0014-spreadsheet-downloads.md).

The list is read through ``candidates_for`` as the page is, so the download holds only the
people, criteria and scores the reader may see; the selection package logs each person
listed as exported in the format asked for. The API's download (``api.py``) writes the
same file with ``candidates_file``.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from iom.cohorts.candidates import Candidate, CandidateList
from iom.cohorts.candidates.views import Row, candidate_form, cohort_manager, listed_for
from iom.core import spreadsheets
from iom.core.spreadsheets import Sheet, Value
from iom.governance.web import casework_only

FIXED_COLUMNS = ["Name", "PNC ID", "Age", "Suggested cohort type", "Near miss of",
                 "Missed criteria", "Exclusions"]


@casework_only
@require_GET
def candidate_download(request: HttpRequest, fmt: str) -> HttpResponse:
    spreadsheets.content_type(fmt)  # an unknown format: not found, before anything is read
    user = cohort_manager(request)
    form = candidate_form(request, user)
    if form.is_bound and not form.is_valid():
        said = "; ".join(f"{form[name].label if name in form.fields else name}: "
                         f"{' '.join(str(e) for e in errors)}"
                         for name, errors in form.errors.items())
        return HttpResponse(f"The choices are not valid: {said}", status=400,
                            content_type="text/plain; charset=utf-8")
    listed, as_at = listed_for(user, form, limit=None, offset=0, export=fmt)
    return candidates_file(listed, as_at, fmt)


def candidates_file(listed: CandidateList, as_at: date, fmt: str) -> HttpResponse:
    """The file of the page's download and the API's: every candidate listed (read with
    ``export``, so that each was logged as exported in the format)."""
    return spreadsheets.download([candidate_sheet(listed)], fmt=fmt,
                                 file_stem=f"candidates-{listed.policy.name}-{as_at:%Y%m%d}")


def candidate_sheet(listed: CandidateList) -> Sheet:
    rows = [Row.of(c, listed.policy) for c in listed.candidates]
    criteria = list(dict.fromkeys(cr.label for r in rows for g in r.groups for cr in g.criteria))
    indicators = list(dict.fromkeys(cr.label for r in rows for cr in r.indicators))
    scores = list(dict.fromkeys(s.label for r in rows for s in r.scores))
    headers = [*FIXED_COLUMNS, *criteria, *(f"{label} (indicator)" for label in indicators),
               *(f"{label}{part}" for label in scores for part in ("", " band"))]
    return Sheet("Candidates", headers, [_row(r, criteria, indicators, scores) for r in rows],
                 above=[f"Candidates under {listed.policy.label} as at {listed.as_at:%-d %B %Y}",
                        f"Scores: {listed.scores_from}"])


def _row(row: Row, criteria: list[str], indicators: list[str], scores: list[str]
         ) -> list[Value]:
    c = row.candidate
    met = {cr.label: cr.met for g in row.groups for cr in g.criteria}
    shown = {cr.label: cr.met for cr in row.indicators}
    used = {s.label: s for s in row.scores}
    values: list[Value] = [
        c.display_name, c.pnc_id or "", c.age, _suggested(c), _nearly(c),
        "; ".join(f"{m.label} ({m.why})" for m in row.missed),
        "; ".join(f"{e.label}: {e.why}" + (" (can be overridden by a recorded partnership "
                                            "agreement)" if e.overridable else
                                            " (cannot be overridden)") for e in c.exclusions)]
    values += [_said(met.get(label), "met", "missed") for label in criteria]
    values += [_said(shown.get(label), "shown", "not shown") for label in indicators]
    for label in scores:
        score = used.get(label)
        values += [score.value, score.band] if score else ["", ""]
    return values


def _said(value: bool | None, yes: str, no: str) -> str:
    return "" if value is None else yes if value else no


def _suggested(c: Candidate) -> str:
    return c.suggested_cohort_type[1] if c.suggested_cohort_type else ""


def _nearly(c: Candidate) -> str:
    if c.suggested_cohort_type or not c.near_miss or not c.nearest_cohort_type:
        return ""
    return c.nearest_cohort_type[1]


"""A person's scores as a CSV or XLSX download, for the scores page and the API alike.

One function reads the scores for the reader's sight, writes the export entry of the
access log and builds the file (docs/adr/0014-spreadsheet-downloads.md), so that the
page's download and the API's hold the same rows and columns and are logged the same
way. The caller has already passed the access policy (``policy.access_nominal``) and
has the reader's reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from iom.accounts.models import User
from iom.audit.models import Action
from iom.core import bounds, spreadsheets
from iom.governance import policy
from iom.governance.web import log_read
from iom.people.models import Nominal

from . import selectors, services
from .charts import line_chart
from .models import ScoreName
from .score_sheets import score_sheets

SCORE_TITLES = dict(ScoreName.choices)


def as_at_problem(day: date) -> str:
    """What is wrong with a day to work the scores out as at, or "" (the page's rule)."""
    early = bounds.date_problem(day, "record")
    if early and day < timezone.localdate():
        return f"The date {early[:1].lower()}{early[1:]}"
    if day > timezone.localdate():
        return "Scores cannot be worked out for a future date"
    return ""


def history_of(nominal: Nominal, *, with_risk: bool) -> dict[str, Any]:
    """Stored scores, newest first. The stored risk score was worked out with
    intelligence, so a reader without intelligence sight is shown OGRS 3 alone."""
    ogrs = {s.as_at: s for s in selectors.score_history(nominal, ScoreName.OGRS3)}
    if not with_risk:
        rows: list[tuple[date, float | None, str, Any]] = [
            (day, None, "", score) for day, score in ogrs.items()]
        return {"rows": rows[::-1], "chart": None, "with_risk": False,
                "columns": "As at|OGRS 3 (2 years):numeric"}
    risk = selectors.score_history(nominal, ScoreName.RISK)
    rows = [(s.as_at, s.value, s.band, ogrs.get(s.as_at)) for s in risk]
    series = [(s.as_at, s.value) for s in risk if s.value is not None]
    return {"rows": rows[::-1], "chart": line_chart(series), "with_risk": True,
            "columns": "As at|Risk score:numeric|Grade|OGRS 3 (2 years):numeric"}


def scores_download(*, user: User, nominal: Nominal, reason: str, as_at: date, fmt: str,
                    through: str) -> HttpResponse:
    """The scores page as a file: the same scores, worked out from the records this reader
    may see, logged as an export of the person and the records their working read."""
    spreadsheets.content_type(fmt)  # an unknown format: refused before anything is read
    sight = policy.sight_of(user)
    results = services.scores_for(nominal, as_at, sight=sight)
    history = history_of(nominal, with_risk=sight.intelligence)
    log_read(user=user, nominal=nominal, through=through, reason=reason,
             action=Action.EXPORT, records=services.records_read(results),
             detail={"scores_as_at": as_at, "format": fmt, "list": "person scores"})
    sheets = score_sheets(nominal, as_at, [(SCORE_TITLES[name], name, result)
                                           for name, result in results.items()],
                          history, without_intelligence=not sight.intelligence)
    return spreadsheets.download(sheets, fmt=fmt,
                                 file_stem=f"scores-{nominal.pk}-{as_at:%Y%m%d}")

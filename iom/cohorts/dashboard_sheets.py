"""The cohort dashboard's tables as spreadsheet sheets, from the board the page shows.

Each sheet has the columns of the page's table, in the page's order and wording, so
that a download says what the page says (docs/adr/0014-spreadsheet-downloads.md).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from iom.accounts.models import User
from iom.cohorts import dashboard
from iom.cohorts.dashboard import Dashboard, Due, Filters
from iom.cohorts.lifecycle import Rag
from iom.cohorts.models import CohortMembership
from iom.core import spreadsheets
from iom.core.spreadsheets import Sheet, Value
from iom.governance.web import log_export


def dashboard_download(*, user: User, filters: Filters, fmt: str, through: str,
                       asked: str) -> HttpResponse:
    """The dashboard's tables as a file, for the page's download and the API's alike: the
    board of the people the reader may see, one export entry for each person in it
    (``asked``: the filters as the reader gave them, for the log)."""
    spreadsheets.content_type(fmt)  # an unknown format: refused before anything is read
    today = timezone.localdate()
    board = dashboard.dashboard_for(user, filters, today)
    log_export(user=user, nominal_ids=board.people_ids(), through=through,
               what="cohort dashboard", fmt=fmt, detail={"filters": asked})
    return spreadsheets.download(dashboard_sheets(board), fmt=fmt,
                                 file_stem=f"cohort-dashboard-{today:%Y%m%d}")


def dashboard_sheets(board: Dashboard) -> list[Sheet]:
    return [
        Sheet("By cohort and RAG", ["Cohort", *(label for _, label in Rag.choices), "Total"],
              [[row.label, *row.counts, row.total] for row in board.rag_rows],
              above=["People on the cohort by cohort and RAG status", *board.schemes[:1]]),
        Sheet("By strand", ["Strand", "People", "Moved into it in the last 3 months"],
              [[row.label, row.count, row.moved_in] for row in board.strand_rows],
              above=["People on the cohort by strand", board.strand_changes_said]),
        Sheet("Floors", ["Scheme", "Cohort type", "People of the type",
                         "People on the cohort", "Share (%)", "Floor (%)", "Below the floor"],
              [[f.policy_title, f.label, f.count, f.total, f.percent, f.least_percent,
                f.below] for f in board.floors]),
        _due("Reviews due", board.reviews, "Review due"),
        _due("Releases", board.releases, "Expected release"),
        _due("Deselection", board.notices, "Notice due from"),
        Sheet("Awaiting panel", ["Name", "Status", "Opened", "Scheme"],
              [[name_of(c), c.get_state_display(), c.opened_on, c.policy_title]
               for c in board.in_progress],
              above=["Referred and awaiting the panel"]),
        Sheet("Everyone", ["Name", "Cohort", "RAG", "Lead professional", "Next review"],
              [[name_of(c), c.cohort_type_label, c.get_rag_display(), _lead(c),
                c.next_review_due] for c in board.managed],
              above=["Everyone on the cohort"]),
    ]


def _due(name: str, items: list[Due], date_label: str) -> Sheet:
    rows: list[list[Value]] = [
        [name_of(d.case), d.day, "Overdue" if d.overdue else "", d.case.get_rag_display(),
         _lead(d.case)] for d in items]
    return Sheet(name, ["Name", date_label, "Overdue", "RAG", "Lead professional"], rows)


def name_of(case: CohortMembership) -> str:
    """As the page writes it: SURNAME, Forename."""
    return f"{case.nominal.surname.upper()}, {case.nominal.forename}"


def _lead(case: CohortMembership) -> str:
    return case.lead_professional.display_name if case.lead_professional else ""

"""The access log in words, for the data-protection officer's "who has seen this person".

The log keeps each record touched as its kind and id, and the page or command as
the request named it ("GET /people/106/ (people:profile)"); the officer reads them
as words ("Offending event: conviction of 3 December 2026", "Person's profile,
viewed"), with the stored values kept in a details element for an auditor.

Records are loaded by their model's label (``apps.get_model``) rather than
imported, because governance sits left of the apps whose records it describes
(docs/architecture.md); only the officer sees this page, about one person whom
the audit policy already let them see.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db import models

from iom.core.words import long_date
from iom.governance.policy import Sight

# kind in the log: (model label, singular, plural, field whose date names the record)
RECORD_KINDS: dict[str, tuple[str, str, str, str]] = {
    "nominal": ("people.Nominal", "Person's details", "Person's details", ""),
    "event": ("people.OffendingEvent", "Offending event", "offending events", "event_date"),
    "case_date": ("people.CaseDate", "Court or bail date", "court and bail dates", "date"),
    "wanted_missing": ("people.WantedMissing", "Wanted or missing", "wanted or missing records",
                       "start_date"),
    "custody": ("people.CustodyPeriod", "Custody period", "custody periods", "start_date"),
    "order": ("people.OrderLicence", "Order or licence", "orders and licences", "start_date"),
    "protection": ("people.PublicProtection", "Public protection record",
                   "public protection records", "start_date"),
    "intelligence": ("people.Intelligence", "Intelligence", "intelligence records",
                     "recorded_date"),
    "alias": ("people.Alias", "Alias", "aliases", ""),
    "address": ("people.Address", "Address", "addresses", "from_date"),
    "flag": ("people.Flag", "Flag", "flags", "start_date"),
    "allocation": ("people.Allocation", "Caseload allocation", "caseload allocations",
                   "start_date"),
    "consent": ("governance.Consent", "Consent decision", "consent decisions", "decided_on"),
    "involvement": ("governance.Involvement", "Involvement", "involvements", "start_date"),
    "score": ("scoring.StoredScore", "Stored score", "stored scores", "as_at"),
    "emerging_threat": ("scoring.EmergingThreat", "Emerging threat", "emerging threats",
                        "raised_on"),
    "cohort_case": ("cohorts.CohortMembership", "Cohort case", "cohort cases", "opened_on"),
    "cohort_membership": ("cohorts.CohortMembership", "Cohort case", "cohort cases",
                          "opened_on"),
    "cohort_step": ("cohorts.Transition", "Cohort case step", "cohort case steps",
                    "decided_on"),
    "cohort_rag": ("cohorts.RagChange", "RAG status change", "RAG status changes",
                   "decided_on"),
    "cohort_decision": ("cohorts.PanelDecision", "Panel decision", "panel decisions",
                        "decided_on"),
    "plan": ("casework.InterventionPlan", "Intervention plan", "intervention plans",
             "started_on"),
    "plan_need": ("casework.PlanNeed", "Plan need", "plan needs", "assessed_on"),
    "service_referral": ("casework.ServiceReferral", "Referral to a service",
                         "referrals to services", "referred_on"),
    "action": ("casework.Action", "Action", "actions", "due_on"),
    "contact": ("casework.Contact", "Contact note", "contact notes", "happened_on"),
    "document": ("casework.GeneratedDocument", "Document", "documents", "generated_at"),
    "meeting": ("meetings.Meeting", "Meeting", "meetings", "held_on"),
    "meeting_item": ("meetings.AgendaItem", "Meeting agenda item", "meeting agenda items", ""),
    "meeting_attendance": ("meetings.Attendance", "Meeting attendance", "meeting attendances",
                           ""),
    "feed_alert": ("feeds.Alert", "Feed alert", "feed alerts", "created_at"),
    "access_log": ("audit.AccessLogEntry", "Access log entry", "access log entries", ""),
}
# Up to this many records of a kind are named one by one; more are counted.
NAMED_EACH = 3

# The pages and operations the log names, in words (URL name: what it is).
PAGE_NAMES: dict[str, str] = {
    "home": "Home page", "people:profile": "Person's profile",
    "people:search": "Search for people", "people:add-record": "Add a record",
    "people:reason": "Reason for viewing", "scoring:person": "Person's scores",
    "governance:sharing": "Consent and sharing", "governance:audit-person":
    "Who has seen this person", "casework:person": "Case work",
    "cohorts:dashboard": "Cohort dashboard", "cohorts:candidates": "Cohort candidates",
    "meetings:detail": "Meeting", "meetings:export": "Meeting export",
    "meetings:export-pdf": "Meeting export (PDF)", "meetings:item": "Meeting agenda item",
    "casework:compliance": "Compliance dashboard",
    "cohorts:refer": "Refer to the cohort", "cohorts:transfer-in": "Transfer in",
    "cohorts:decide": "Record the panel decision", "cohorts:place": "Place on the cohort",
    "cohorts:rag": "Change the RAG status", "cohorts:custody": "Custody on the case",
    "cohorts:step": "A case step", "cohorts:what-if": "Compare two policies",
    "casework:start-plan": "Start a plan", "casework:add-need": "Add a need",
    "casework:refer": "Refer a need to a service", "casework:progress": "Need progress",
    "casework:referral-response": "Service referral response",
    "casework:outcome": "Plan outcome", "casework:endorse": "Endorse the plan",
    "casework:close-plan": "Close the plan", "casework:add-action": "Add an action",
    "casework:action-update": "Update an action", "casework:action-close": "Close an action",
    "casework:add-contact": "Record a contact", "casework:review-threat": "Review a threat",
    "casework:deregister": "Deregistration", "casework:generate-document": "Make a document",
    "casework:download-document": "Document download", "casework:my-actions": "My actions",
    "casework:overdue-actions": "Overdue actions", "casework:tag-audit": "Tag audit",
    "feeds:inbox": "Alerts", "feeds:alert": "An alert", "feeds:run": "A feed import",
    "meetings:list": "Meetings", "people:create": "Record a new person",
}
WEB_THROUGH = re.compile(r"^(?P<method>[A-Z]+) (?P<path>\S+) \((?P<name>[^)]*)\)$")
METHOD_WORDS = {"GET": "viewed", "HEAD": "viewed", "POST": "submitted"}


@dataclass(frozen=True)
class Described:
    """One entry's records and channel in words, and the stored values behind them."""

    records: list[str]
    through: str
    raw_records: str
    raw_through: str


def describe_entries(entries: Iterable[Any], sight: Sight) -> list[tuple[Any, Described]]:
    """Each log entry with its words, as this reader may read them; the records of a page
    of entries load in one query per kind. A record of a kind the reader may not see is
    named by its kind only, never loaded (what it was, when, stays with those who may)."""
    listed = list(entries)
    hidden = {kind for kind, seen in (("protection", sight.public_protection),
                                      ("intelligence", sight.intelligence)) if not seen}
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in listed:
        for ref in entry.records:
            if (ref.get("kind") in RECORD_KINDS and ref.get("kind") not in hidden
                    and isinstance(ref.get("id"), int)):
                wanted[ref["kind"]].add(ref["id"])
    named = {kind: _names(kind, ids) for kind, ids in wanted.items()}
    return [(entry, Described(_records_in_words(entry.records, named),
                              through_in_words(entry.through),
                              ", ".join(f"{r.get('kind')} {r.get('id')}" for r in entry.records),
                              entry.through)) for entry in listed]


def through_in_words(through: str) -> str:
    """"GET /people/106/ (people:profile)" as "Person's profile, viewed"."""
    found = WEB_THROUGH.match(through)
    if found is None:
        if through.startswith("command "):
            return "A command run on the server"
        if through.startswith("api "):
            return "The API"
        return through[:1].upper() + through[1:]
    name = found["name"]
    page = PAGE_NAMES.get(name) or _page_from_name(name)
    return f"{page}, {METHOD_WORDS.get(found['method'], 'changed')}"


def _page_from_name(name: str) -> str:
    words = name.rsplit(":", maxsplit=1)[-1].replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:] + " page"


def _records_in_words(refs: list[dict[str, Any]], named: dict[str, dict[int, str]]) -> list[str]:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for ref in refs:
        by_kind[str(ref.get("kind"))].append(ref.get("id"))  # type: ignore[arg-type]
    lines = []
    for kind, ids in by_kind.items():
        if kind not in RECORD_KINDS:
            lines.append(f"{len(ids)} other record{'s' if len(ids) != 1 else ''}")
            continue
        _, one, many, _ = RECORD_KINDS[kind]
        if kind == "nominal":
            lines.append(one)
        elif kind not in named:  # a kind the reader may not see: never loaded
            lines.append(one if len(ids) == 1 else f"{len(ids)} {many}")
        elif len(ids) <= NAMED_EACH:
            lines += [named[kind].get(i, f"{one} (since removed)") for i in ids]
        else:
            lines.append(f"{len(ids)} {many}")
    return lines


def _names(kind: str, ids: set[int]) -> dict[int, str]:
    label, one, _, date_field = RECORD_KINDS[kind]
    model = apps.get_model(label)
    return {row.pk: _name(row, one, date_field) for row in model._default_manager.filter(
        pk__in=ids)}


def _name(row: models.Model, one: str, date_field: str) -> str:
    what = one
    kind_label = getattr(row, "get_kind_display", None)
    if callable(kind_label) and kind_label():
        said = str(kind_label())
        # "Conviction" reads "conviction" mid-sentence; "IOM nominal" keeps its capitals.
        said = said[:1].lower() + said[1:] if said[1:2].islower() else said
        what = f"{one}: {said}"
    when = getattr(row, date_field, None) if date_field else None
    if isinstance(when, datetime):
        when = when.date()
    return f"{what} of {long_date(when)}" if isinstance(when, date) else what

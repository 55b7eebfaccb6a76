"""A person's records as one timeline, newest first.

The caller passes in the querysets the access policy allows for the
sensitive kinds (intelligence, public protection), so this module never
decides who sees what.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.db.models import QuerySet

from iom.audit.services import RecordRef

from .models import (
    CaseDate,
    CustodyPeriod,
    EventKind,
    Intelligence,
    Nominal,
    OffendingEvent,
    OrderLicence,
    Provenance,
    PublicProtection,
    WantedMissing,
)
from .offences import offence_name
from .validation import ogrs3_categories_for, ogrs3_category_names


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class TimelineItem:
    when: date
    kind: str
    label: str
    title: str
    lines: list[str]
    organisation: str
    source_system: str
    recorded_at: datetime
    ref: RecordRef
    tag: str = ""
    details: dict[str, str] = field(default_factory=dict)
    # A conviction whose Home Office code covers more than one OGRS 3 category.
    needs_ogrs3_category: bool = False


def _item(record: Provenance, when: date, kind: str, label: str, title: str,
          lines: Iterable[str], tag: str = "") -> TimelineItem:
    return TimelineItem(
        when=when, kind=kind, label=label, title=title, lines=[x for x in lines if x],
        organisation=str(record.originating_organisation),
        source_system=record.get_source_system_display(),
        recorded_at=record.recorded_at, ref=RecordRef(kind, record.pk), tag=tag,
    )


def _event(e: OffendingEvent) -> TimelineItem:
    offence = f"{offence_name(e.ho_code)} (HO code {e.ho_code})" if e.ho_code else ""
    lines = [
        offence,
        f"Offence date: {long_date(e.offence_date)}" if e.offence_date else "",
        f"Disposal: {e.get_disposal_display()}" if e.disposal else "",
        f"Sentence: {e.sentence}" if e.sentence else "",
        f"Court: {e.court}" if e.court else "",
        "Domestic abuse" if e.domestic_abuse else "",
        e.description,
        _category_line(e),
    ]
    item = _item(e, e.event_date, "event", e.get_kind_display(), e.get_kind_display(), lines,
                 tag=e.kind)
    if e.kind == EventKind.CONVICTION and needs_ogrs3_category(e.ho_code):
        return replace(item, needs_ogrs3_category=True)
    return item


def needs_ogrs3_category(code: str) -> bool:
    return len(ogrs3_categories_for(code)) > 1


def _category_line(e: OffendingEvent) -> str:
    if e.ogrs3_category:
        name = ogrs3_category_names().get(e.ogrs3_category, e.ogrs3_category)
        source = e.get_ogrs3_category_source_display().lower() or "recorded"
        when = f" on {long_date(e.ogrs3_category_set_at.date())}" if e.ogrs3_category_set_at else ""
        return f"OGRS 3 offence category: {name} ({source}{when})"
    if e.kind == EventKind.CONVICTION and needs_ogrs3_category(e.ho_code):
        return ("OGRS 3 offence category not recorded: this Home Office code covers more "
                "than one, so OGRS 3 is not worked out from this conviction")
    return ""


def _case_date(c: CaseDate) -> TimelineItem:
    offence = f"{offence_name(c.ho_code)} (HO code {c.ho_code})" if c.ho_code else ""
    return _item(c, c.date, "case_date", c.get_kind_display(), c.get_kind_display(),
                 [offence, c.location, c.description], tag=c.kind)


def _wanted(w: WantedMissing) -> TimelineItem:
    until = f"Until {long_date(w.end_date)}" if w.end_date else "Current"
    return _item(w, w.start_date, "wanted_missing", w.get_kind_display(),
                 f"{w.get_kind_display()} from {long_date(w.start_date)}", [until, w.reason],
                 tag=w.kind)


def _custody(p: CustodyPeriod) -> TimelineItem:
    lines = [
        p.establishment,
        f"Sentence length: {p.sentence_length_days} days" if p.sentence_length_days else "",
        f"Expected release: {long_date(p.expected_release_date)}"
        if p.expected_release_date else "",
        f"Released: {long_date(p.actual_release_date)}" if p.actual_release_date
        else "Still in custody",
    ]
    return _item(p, p.start_date, "custody", "Custody",
                 f"Custody ({p.get_custody_type_display().lower()})", lines, tag="custody")


def _order(o: OrderLicence) -> TimelineItem:
    until = f"Ends {long_date(o.end_date)}" if o.end_date else ""
    return _item(o, o.start_date, "order", o.get_kind_display(), o.get_kind_display(),
                 [until, o.requirements,
                  "Electronic monitoring (acquisitive crime) condition"
                  if o.acquisitive_crime_tag else ""], tag="order")


def _protection(p: PublicProtection) -> TimelineItem:
    if p.mappa_level:
        title = f"MAPPA level {p.mappa_level}"
        extra = f"Category {p.mappa_category}" if p.mappa_category else ""
    else:
        title, extra = p.get_kind_display(), ""
    until = f"Until {long_date(p.end_date)}" if p.end_date else "Current"
    return _item(p, p.start_date, "protection", "Public protection", title,
                 [extra, until, p.notes], tag="protection")


def _intelligence(i: Intelligence) -> TimelineItem:
    return _item(i, i.recorded_date, "intelligence", "Intelligence",
                 f"Intelligence graded {i.grading} ({i.grading_system})",
                 [i.get_crime_type_display(), i.summary], tag="intelligence")


def build_timeline(
    nominal: Nominal,
    *,
    intelligence: QuerySet[Intelligence],
    protection: QuerySet[PublicProtection],
) -> list[TimelineItem]:
    org = "originating_organisation"
    items = [_event(e) for e in nominal.events.select_related(org)]
    items += [_case_date(c) for c in nominal.case_dates.select_related(org)]
    items += [_wanted(w) for w in nominal.wanted_missing.select_related(org)]
    items += [_custody(p) for p in nominal.custody_periods.select_related(org)]
    items += [_order(o) for o in nominal.orders.select_related(org)]
    items += [_protection(p) for p in protection.select_related(org)]
    items += [_intelligence(i) for i in intelligence.select_related(org)]
    items.sort(key=lambda i: (i.when, i.recorded_at), reverse=True)
    return items

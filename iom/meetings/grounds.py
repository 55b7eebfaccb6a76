"""Why a generated agenda brought a person, worded for each reader.

The agenda keeps its grounds as structured values (``AgendaItem.grounds``):
what names a restricted kind of record (a public protection exclusion, a risk
score that may use intelligence) is rendered here from the reader's sight, so
a partner who may not see MAPPA detail never reads it in a note, a print view,
a PDF or the API, whoever generated the agenda (docs/adr/0007).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from iom.accounts.models import User
from iom.governance.policy import Sight, sight_of

from .models import AgendaItem


def _day(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _candidate(ground: dict[str, Any], sight: Sight) -> str:
    text = f"Candidate under {ground['policy']}: meets the criteria for {ground['cohort_type']}."
    allowed = {"": True, "protection": sight.public_protection,
               "intelligence": sight.intelligence}
    shown = [e["label"] for e in ground.get("exclusions", [])
             if allowed.get(e.get("restricted", ""), False)]
    if shown:
        text += f" Meets an exclusion for the panel to weigh: {'; '.join(shown)}."
    return text


def _emerging(ground: dict[str, Any], sight: Sight) -> str:
    if sight.intelligence:
        return (f"Risk score rose from {ground['before']} to {ground['now']} on "
                f"{_day(ground['on'])}.")
    return f"An emerging threat was raised on {_day(ground['on'])}."


def ground_text(ground: dict[str, Any], sight: Sight) -> str:
    kind = ground.get("kind")
    if kind == "candidate":
        return _candidate(ground, sight)
    if kind == "emerging_threat":
        return _emerging(ground, sight)
    return str(ground.get("text", ""))


def notes_for(item: AgendaItem, reader: User) -> str:
    """The item's notes as this reader may read them: the generated grounds in their
    words, then what people wrote."""
    sight = sight_of(reader)
    lines = [ground_text(g, sight) for g in item.grounds]
    return "\n".join(filter(None, [*lines, item.notes]))

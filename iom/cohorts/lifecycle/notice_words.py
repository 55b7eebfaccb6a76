"""The lifecycle notices, worded for each reader from the codes they keep.

Like a generated agenda's grounds (meetings/grounds.py): a notice keeps
structured values, and what names a restricted kind of record (an exclusion
read from public protection records, say) is written here from the reader's
sight, so a partner who may not see MAPPA detail never reads it in their inbox
or through the API.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from iom.accounts.models import User
from iom.cohorts.lifecycle import Rag
from iom.governance import policy
from iom.governance.models import Notice, NoticeKind
from iom.governance.policy import Sight, sight_of


def _day(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _selected(facts: dict[str, Any], sight: Sight) -> str:
    text = (f"Selected for the IOM cohort under {facts['policy']} on {_day(facts['on'])}: "
            f"{facts.get('cohort_type', '')} cohort, led by {facts.get('lead_agency', '')}")
    if facts.get("lead_professional"):
        text += f" ({facts['lead_professional']})"
    text += "."
    allowed = {"": True, "protection": sight.public_protection,
               "intelligence": sight.intelligence}
    shown = [e["label"] for e in facts.get("exclusions", [])
             if allowed.get(e.get("restricted", ""), False)]
    if shown:
        text += (f" The partnership agreed to include them despite: {'; '.join(shown)}.")
    return text


def _rag_red(facts: dict[str, Any], sight: Sight) -> str:
    previous = facts.get("previous", "")
    was = f" from {Rag(previous).label}" if previous in Rag.values else ""
    return (f"RAG status changed{was} to RED on {_day(facts['on'])}: wanted, or actively "
            f"linked to crime. The partnership's response is enforcement activity; open the "
            f"case for the reason.")


def _deselection(facts: dict[str, Any], sight: Sight) -> str:
    text = f"Told on {_day(facts['on'])} that they are being considered for deselection"
    if facts.get("exit_from"):
        text += f"; the earliest exit is {_day(facts['exit_from'])}"
    return text + ". Agree the exit strategy with the partnership."


def _exit(facts: dict[str, Any], sight: Sight) -> str:
    text = f"Left the IOM cohort on {_day(facts['on'])}"
    if facts.get("how") == "removed_custody":
        text += ", removed for a long custody"
    elif facts.get("how") == "transferred_out":
        text += ", transferred out of the area"
    if facts.get("monitored"):
        text += " and is monitored"
    return text + ". Expire any IOM flag you hold and close your part of the case."


def _youth(facts: dict[str, Any], sight: Sight) -> str:
    return (f"Turns 18 on {_day(facts['birthday'])}. Plan the move from the youth strand "
            f"to the adult one and agree the adult lead agency with youth justice and "
            f"probation before then.")


Words = Callable[[dict[str, Any], Sight], str]
WORDS: dict[str, Words] = {NoticeKind.SELECTED: _selected, NoticeKind.RAG_RED: _rag_red,
         NoticeKind.DESELECTION: _deselection, NoticeKind.EXIT: _exit,
         NoticeKind.YOUTH_TRANSITION: _youth}


def notice_words(notice: Notice, reader: User) -> str:
    """The notice for this reader: the person named only while the reader may see them."""
    words = WORDS.get(notice.kind)
    if words is None or not notice.facts:
        return notice.summary
    who = (f"{notice.nominal.full_name}: " if policy.sees_nominal(reader)(notice.nominal)
           else "A person you worked with (you can no longer see their record): ")
    facts: dict[str, Any] = notice.facts
    return who + words(facts, sight_of(reader))

"""Template helpers for meeting pages."""

from __future__ import annotations

from django import template

from iom.accounts.models import User
from iom.meetings.grounds import notes_for
from iom.meetings.models import AgendaItem

register = template.Library()


@register.filter
def notes_as_read_by(item: AgendaItem, reader: User) -> str:
    """``{{ item|notes_as_read_by:request.user }}``: the notes in this reader's words."""
    return notes_for(item, reader)

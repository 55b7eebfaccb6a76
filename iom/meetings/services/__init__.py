"""Every change to a meeting, one service each.

Each is atomic, takes the acting user and where the change came through, checks
the rules (raising ``DomainError`` naming the field), and writes its access-log
entry in the same transaction.
"""

from .agenda import add_item, generate_agenda, move_item
from .attendance import add_attendee, remove_attendee, sign_statement
from .meetings import arrange_meeting, cancel_meeting, close_meeting, create_schedule, open_meeting
from .record import action_ref, raise_action, record_decision, record_minutes

__all__ = [
    "action_ref",
    "add_attendee",
    "add_item",
    "arrange_meeting",
    "cancel_meeting",
    "close_meeting",
    "create_schedule",
    "generate_agenda",
    "move_item",
    "open_meeting",
    "raise_action",
    "record_decision",
    "record_minutes",
    "remove_attendee",
    "sign_statement",
]

"""Appending to the access log.

Call ``record_access`` inside the same transaction as the change it records,
so that either both are stored or neither is.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from iom.core import context as access_context

from .chain import canonical, clean_text, entry_hash
from .models import CONTEXT_FIELDS, AccessLogChain, AccessLogEntry, Action

MAX_CHAINS = 32


class Actor(Protocol):
    """Who acted, as the log needs them: an id, a username and an organisation.

    ``iom.accounts.models.User`` is one; the log names no model of another app, so
    accounts (which logs its own changes here) and audit do not import each other.
    """

    pk: Any
    organisation: Any

    def get_username(self) -> str: ...


@dataclass(frozen=True)
class RecordRef:
    """A record touched by an access: its kind and id."""

    kind: str
    id: int | str

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id}


def _chain_count() -> int:
    return max(1, min(int(settings.IOM_ACCESS_LOG_CHAINS), MAX_CHAINS))


SELECT_HEAD = "SELECT id, last_seq, last_hash FROM audit_accesslogchain"
INSERT_ENTRY = (
    "INSERT INTO audit_accesslogentry (chain, seq, at, user_id, username, organisation, "
    "action, through, nominal_id, records, reason, detail, "
    + ", ".join(CONTEXT_FIELDS) + ", prev_hash, hash) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, {json}, %s, {json}, "
    + "%s, " * len(CONTEXT_FIELDS) + "%s, %s) RETURNING id"
)

MOVE_HEAD = "UPDATE audit_accesslogchain SET last_seq = %s, last_hash = %s WHERE id = %s"
INSERT_AND_MOVE_HEAD = (
    "WITH entry AS (" + INSERT_ENTRY + "), head AS (" + MOVE_HEAD + ") SELECT id FROM entry"  # noqa: S608 - constants
)


def _context_fields() -> dict[str, Any]:
    """The token, its issuer and the request id, as the edge set them.

    Taken from the context rather than from the caller, so that no code path
    can leave them out: an entry made through a token always names it.
    """
    context = access_context.current()
    if context is None:
        return dict.fromkeys(CONTEXT_FIELDS)
    return {
        "token_id": context.token_id,
        "token_name": clean_text(context.token_name)[:120] if context.token_name else None,
        "token_issued_by_id": context.token_issued_by_id,
        "token_issued_by": context.token_issued_by,
        "request_id": context.request_id,
    }


def _lock_a_chain(cursor: CursorWrapper) -> tuple[int, int, str]:
    head = _try_lock_a_chain(cursor)
    if head is None:
        # The chain heads are made by a migration; a database emptied since (or a
        # larger IOM_ACCESS_LOG_CHAINS) needs them made again, starting fresh.
        AccessLogChain.objects.bulk_create(
            [AccessLogChain(id=i) for i in range(MAX_CHAINS)], ignore_conflicts=True)
        head = _try_lock_a_chain(cursor)
    assert head is not None
    return head


def _try_lock_a_chain(cursor: CursorWrapper) -> tuple[int, int, str] | None:
    """Lock the head of a free chain, so concurrent writers rarely wait.

    1. On PostgreSQL, take a random chain head that no one else holds
       (SKIP LOCKED).
    2. If all are held, wait for a random one.
    SQLite has one writer at a time anyway, so any chain will do.
    """
    count = _chain_count()
    if connection.vendor == "postgresql":
        cursor.execute(f"{SELECT_HEAD} WHERE id < %s ORDER BY random() LIMIT 1 "
                       "FOR UPDATE SKIP LOCKED", [count])
        free = cursor.fetchone()
        if free is not None:
            return free  # type: ignore[no-any-return]
        cursor.execute(f"{SELECT_HEAD} WHERE id = %s FOR UPDATE",
                       [random.randrange(count)])  # noqa: S311 - load spreading only
    else:
        cursor.execute(f"{SELECT_HEAD} WHERE id = %s",
                       [random.randrange(count)])  # noqa: S311 - load spreading only
    return cursor.fetchone()  # type: ignore[no-any-return]


def _entry_row(fields: dict[str, Any], chain: int, seq: int, prev: str, digest: str) -> list[Any]:
    return [
        chain, seq, connection.ops.adapt_datetimefield_value(fields["at"]),
        fields["user_id"], fields["username"], fields["organisation"], fields["action"],
        fields["through"], fields["nominal_id"], json.dumps(fields["records"]),
        fields["reason"], json.dumps(fields["detail"]),
        *(fields[name] for name in CONTEXT_FIELDS), prev, digest,
    ]


def _append(fields: dict[str, Any]) -> tuple[int, int, str, str, int]:
    """Append inside Django's transaction handling (and any outer transaction)."""
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        chain, last_seq, last_hash = _lock_a_chain(cursor)
        digest = entry_hash(prev_hash=last_hash, **fields)
        row = _entry_row(fields, chain, last_seq + 1, last_hash, digest)
        if postgres:
            # The head moves in the same statement as the insert; SQLite has no
            # data-modifying WITH.
            cursor.execute(INSERT_AND_MOVE_HEAD.format(json="%s::jsonb"),
                           [*row, last_seq + 1, digest, chain])
            entry_id = cursor.fetchone()[0]
        else:
            cursor.execute(INSERT_ENTRY.format(json="%s"), row)
            entry_id = cursor.fetchone()[0]
            cursor.execute(MOVE_HEAD, [last_seq + 1, digest, chain])
    return chain, last_seq, last_hash, digest, entry_id


def _can_use_two_round_trips() -> bool:
    """On PostgreSQL, outside any transaction, an append takes two round trips.

    A page view records its read outside a transaction, so this is the common
    case; inside a service's transaction the entry must commit with the change
    it records, and ``_append`` is used.
    """
    return (connection.vendor == "postgresql" and not connection.in_atomic_block
            and connection.get_autocommit())


def _append_in_two_round_trips(fields: dict[str, Any]) -> tuple[int, int, str, str, int] | None:
    """BEGIN with the head's lock, then the insert, the head's move and COMMIT.

    Four round trips (BEGIN, lock, insert, COMMIT) become two: the statements
    of each trip go together. Returns None, having changed nothing, when no
    chain head is free or none exists, so that ``_append`` does the slow path.
    """
    connection.ensure_connection()
    raw = connection.connection
    count = _chain_count()
    try:
        with raw.cursor() as cursor:
            cursor.execute(f"BEGIN; {SELECT_HEAD} WHERE id < %s ORDER BY random() LIMIT 1 "
                           "FOR UPDATE SKIP LOCKED", [count])
            cursor.nextset()
            head = cursor.fetchone()
            if head is None:
                cursor.execute("ROLLBACK")
                return None
            chain, last_seq, last_hash = head
            digest = entry_hash(prev_hash=last_hash, **fields)
            row = _entry_row(fields, chain, last_seq + 1, last_hash, digest)
            cursor.execute(INSERT_AND_MOVE_HEAD.format(json="%s::jsonb") + "; COMMIT",
                           [*row, last_seq + 1, digest, chain])
            entry_id = cursor.fetchone()[0]
    except BaseException:
        if raw.info.transaction_status != raw.info.transaction_status.IDLE:
            raw.rollback()
        raise
    return chain, last_seq, last_hash, digest, entry_id


def record_access(
    *,
    user: Actor | None,
    action: Action | str,
    through: str,
    nominal_id: int | None = None,
    records: Sequence[RecordRef] = (),
    reason: str = "",
    detail: dict[str, Any] | None = None,
    username: str | None = None,
) -> AccessLogEntry:
    """Append one entry to the access log and return it.

    This runs on every page view, so it speaks SQL directly, without the ORM's
    per-query overhead: outside a transaction on PostgreSQL in two round trips
    (``_append_in_two_round_trips``), otherwise inside Django's transaction
    (``_append``), joining any transaction the caller has open.
    """
    fields: dict[str, Any] = {
        "at": timezone.now(),
        "user_id": user.pk if user else None,
        "username": username or (user.get_username() if user else "system"),
        "organisation": str(user.organisation) if user and user.organisation else "",
        "action": str(action),
        "through": clean_text(through)[:200],
        "nominal_id": nominal_id,
        "records": canonical([r.as_json() for r in records]),
        "reason": clean_text(reason),
        "detail": canonical(detail or {}),
        **_context_fields(),
    }
    appended = _append_in_two_round_trips(fields) if _can_use_two_round_trips() else None
    if appended is None:
        appended = _append(fields)
    chain, last_seq, last_hash, digest, entry_id = appended
    entry = AccessLogEntry(id=entry_id, chain=chain, seq=last_seq + 1, prev_hash=last_hash,
                           hash=digest, **fields)
    entry._state.adding = False
    return entry


def record_access_for_many(
    *,
    user: Actor | None,
    action: Action | str,
    through: str,
    nominal_ids: Sequence[int],
    records: Sequence[RecordRef] = (),
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> int:
    """One entry per person for a single access that touched many people.

    Used by batch work (nightly scoring, exports): the entries go onto one
    chain in one transaction, so a run over a whole force costs one lock.
    """
    at = timezone.now()
    base: dict[str, Any] = {
        "at": at, "user_id": user.pk if user else None,
        "username": user.get_username() if user else "system",
        "organisation": str(user.organisation) if user and user.organisation else "",
        "action": str(action), "through": clean_text(through)[:200],
        "records": canonical([r.as_json() for r in records]), "reason": clean_text(reason),
        "detail": canonical(detail or {}), **_context_fields(),
    }
    json_cast = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    records_json, detail_json = json.dumps(base["records"]), json.dumps(base["detail"])
    stamp = connection.ops.adapt_datetimefield_value(at)
    with transaction.atomic(), connection.cursor() as cursor:
        chain, seq, prev = _lock_a_chain(cursor)
        rows = []
        for nominal_id in nominal_ids:
            digest = entry_hash(prev_hash=prev, nominal_id=nominal_id, **base)
            seq += 1
            rows.append([chain, seq, stamp, base["user_id"], base["username"],
                         base["organisation"], base["action"], base["through"], nominal_id,
                         records_json, base["reason"], detail_json,
                         *(base[name] for name in CONTEXT_FIELDS), prev, digest])
            prev = digest
        cursor.executemany(INSERT_ENTRY.format(json=json_cast).replace(" RETURNING id", ""),
                           rows)
        cursor.execute("UPDATE audit_accesslogchain SET last_seq = %s, last_hash = %s "
                       "WHERE id = %s", [seq, prev, chain])
    return len(rows)

"""The hash of an access-log entry: what it covers and how it is computed.

The hash is an HMAC keyed with IOM_ACCESS_LOG_KEY, a secret kept out of the
database: whoever can rewrite the tables cannot compute a valid hash for what
they wrote (docs/adr/0008).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings

GENESIS_HASH = "0" * 64


def configured_key() -> bytes:
    """The access log's key from the settings (IOM_ACCESS_LOG_KEY)."""
    return str(settings.IOM_ACCESS_LOG_KEY).encode("utf-8")


@lru_cache(maxsize=8)
def purpose_key(key: bytes, purpose: str) -> bytes:
    """A key for one use only, derived from the log's key.

    Entries and checkpoints are signed with different derived keys, so that
    no entry's hash can ever be passed off as a checkpoint's signature.
    """
    return hmac.new(key, f"iom access log: {purpose}".encode(), hashlib.sha256).digest()


def keyed_digest(key: bytes, message: bytes) -> str:
    """HMAC-SHA-256 of an entry's encoded content, in hex."""
    return hmac.digest(purpose_key(key, "entry"), message, "sha256").hex()


def canonical(value: Any) -> Any:
    """The value as it will read back from a JSON column (dates become strings).

    A null character, which PostgreSQL's JSON type refuses, is kept as the
    visible text "\\u0000" so that logging an odd request never fails.
    """
    encoded = json.dumps(value, default=str, sort_keys=True).replace("\\u0000", "\\\\u0000")
    return json.loads(encoded)


def clean_text(text: str) -> str:
    """Text for a log column, with any null character made visible."""
    return text.replace("\x00", "\\u0000")


def entry_hash(
    *,
    key: bytes | None = None,
    prev_hash: str,
    at: datetime,
    user_id: int | None,
    username: str,
    organisation: str,
    action: str,
    through: str,
    nominal_id: int | None,
    records: Any,
    reason: str,
    detail: Any,
    token_id: int | None = None,
    token_name: str | None = None,
    token_issued_by_id: int | None = None,
    token_issued_by: str | None = None,
    request_id: str | None = None,
) -> str:
    """The keyed hash over the entry's content and the previous entry's hash.

    ``key`` defaults to the configured key; the verifier passes its own. Every
    other argument is a field of AccessLogEntry of the same name.

    The sequence number is left out on purpose: an entry moved to another
    place in its chain keeps a valid hash of its own, and the broken link to
    its neighbours is what shows it was reordered (docs/adr/0002).
    """
    content = {
        "prev": prev_hash,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user_id": user_id,
        "username": username,
        "organisation": organisation,
        "action": action,
        "through": through,
        "nominal_id": nominal_id,
        "records": canonical(records),
        "reason": reason,
        "detail": canonical(detail),
    }
    # Who acted through what (iom.core.context): covered whenever kept, and left
    # out when null so that entries made before these were kept still add up.
    context = {"token_id": token_id, "token_name": token_name,
               "token_issued_by_id": token_issued_by_id, "token_issued_by": token_issued_by,
               "request_id": request_id}
    content.update({name: value for name, value in context.items() if value is not None})
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return keyed_digest(key or configured_key(), encoded.encode("utf-8"))

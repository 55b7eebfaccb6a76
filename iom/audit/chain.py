"""The hash of an access-log entry: what it covers and how it is computed."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


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
    """SHA-256 over the entry's content and the previous entry's hash.

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
    content.update({key: value for key, value in context.items() if value is not None})
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()

"""Walking the access log's chains to prove nothing was altered, deleted or moved."""

from __future__ import annotations

from dataclasses import dataclass

from .chain import GENESIS_HASH, entry_hash
from .models import CONTEXT_FIELDS, AccessLogChain, AccessLogEntry


@dataclass(frozen=True)
class Break:
    """The first place where a chain stops adding up."""

    kind: str  # "altered", "deleted" or "reordered"
    chain: int
    seq: int
    entry_id: int | None
    message: str


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    chains: int
    breaks: list[Break]

    @property
    def ok(self) -> bool:
        return not self.breaks


def _recomputed(entry: AccessLogEntry) -> str:
    return entry_hash(
        prev_hash=entry.prev_hash,
        at=entry.at,
        user_id=entry.user_id,
        username=entry.username,
        organisation=entry.organisation,
        action=entry.action,
        through=entry.through,
        nominal_id=entry.nominal_id,
        records=entry.records,
        reason=entry.reason,
        detail=entry.detail,
        **{name: getattr(entry, name) for name in CONTEXT_FIELDS},
    )


def _verify_chain(head: AccessLogChain) -> tuple[int, Break | None]:
    """Walk one chain in sequence order; return its length and its first break.

    1. An entry whose content no longer gives its stored hash was altered.
    2. An entry whose link (prev_hash, seq) does not follow on from the entry
       before it was either moved (its prev_hash is the hash of another entry
       still in the chain) or follows a gap (the entry it points at is gone).
    3. A chain whose head remembers more than is there lost its newest entries.
    """
    entries = list(AccessLogEntry.objects.filter(chain=head.id).order_by("seq"))
    hashes = {e.hash for e in entries}
    running, expected_seq = GENESIS_HASH, 1
    for entry in entries:
        if _recomputed(entry) != entry.hash:
            return len(entries), Break(
                "altered", head.id, entry.seq, entry.pk,
                f"entry {entry.pk} (chain {head.id}, seq {entry.seq}) was altered: "
                "its content no longer matches its hash",
            )
        if entry.prev_hash != running or entry.seq != expected_seq:
            moved = entry.prev_hash in hashes and entry.prev_hash != running
            kind = "reordered" if moved else "deleted"
            what = "is out of order" if moved else "follows a missing entry"
            return len(entries), Break(
                kind, head.id, entry.seq, entry.pk,
                f"entry {entry.pk} (chain {head.id}, seq {entry.seq}) {what}"
                f" (expected seq {expected_seq})",
            )
        running, expected_seq = entry.hash, entry.seq + 1
    if head.last_seq != expected_seq - 1 or head.last_hash != running:
        return len(entries), Break(
            "deleted", head.id, expected_seq, None,
            f"chain {head.id} ends at seq {expected_seq - 1} but its head records seq "
            f"{head.last_seq}: the newest entries were deleted",
        )
    return len(entries), None


def verify_access_log() -> VerifyReport:
    total, breaks = 0, []
    heads = list(AccessLogChain.objects.order_by("id"))
    for head in heads:
        count, problem = _verify_chain(head)
        total += count
        if problem:
            breaks.append(problem)
    # Entries in a chain that has no head were added around the service.
    orphans = AccessLogEntry.objects.exclude(chain__in=[h.id for h in heads]).order_by("id")
    for orphan in orphans[:1]:
        breaks.append(Break("altered", orphan.chain, orphan.seq, orphan.pk,
                            f"entry {orphan.pk} belongs to no known chain"))
    breaks.sort(key=lambda b: (b.entry_id is None, b.entry_id or 0))
    return VerifyReport(entries=total, chains=len(heads), breaks=breaks)

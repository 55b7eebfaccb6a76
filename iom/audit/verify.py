"""Walking the access log's chains to prove nothing was altered, deleted or moved.

Three things are checked (docs/adr/0002, docs/adr/0008):
1. every entry's keyed hash, recomputed with IOM_ACCESS_LOG_KEY, so that a
   row rewritten (or written) without the key shows;
2. every link and each chain head against its last entry;
3. every signed checkpoint of the chain heads, kept outside the database,
   against the chains: each checkpointed entry must still be there with the
   same hash, so cutting a chain back and moving its head back shows too.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from pathlib import Path

from .chain import GENESIS_HASH, configured_key, entry_hash
from .checkpoints import CheckpointFile, Head, read_checkpoints
from .models import AccessLogChain, AccessLogEntry

# The entry's fields that its hash covers: every argument of entry_hash names a
# field of AccessLogEntry, so a field added to the hash is checked here too.
HASHED_FIELDS = tuple(name for name in inspect.signature(entry_hash).parameters
                      if name != "key")


@dataclass(frozen=True)
class Break:
    """A place where a chain stops adding up.

    kind is one of:
    - "altered": an entry's content does not give its keyed hash (changed,
      written around the service, or hashed without the key);
    - "deleted": an entry is missing from the middle or the end of a chain;
    - "reordered": an entry was moved within its chain;
    - "head moved": a chain head does not point at its chain's last entry;
    - "truncated": a chain ends before an entry a checkpoint recorded;
    - "rewritten": an entry differs from the one a checkpoint recorded;
    - "bad checkpoint": a line of the checkpoint file is not a checkpoint
      signed with this key.
    """

    kind: str
    chain: int
    seq: int
    entry_id: int | None
    message: str


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    chains: int
    breaks: list[Break]
    checkpoints: int = 0
    checkpoint_file: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


@dataclass
class _Walked:
    """One chain as found: its entries' hashes by seq, and its first break."""

    head: AccessLogChain | None
    hashes: dict[int, tuple[str, int]]
    problem: Break | None

    @property
    def end(self) -> int:
        return max(self.hashes, default=0)


def _recomputed(entry: AccessLogEntry, key: bytes) -> str:
    return entry_hash(key=key, **{name: getattr(entry, name) for name in HASHED_FIELDS})


def _first_break(head: AccessLogChain, entries: list[AccessLogEntry], key: bytes) -> Break | None:
    """The first break in one chain, walked in sequence order.

    1. An entry whose content no longer gives its keyed hash was altered.
    2. An entry whose link (prev_hash, seq) does not follow on from the entry
       before it was either moved (its prev_hash is the hash of another entry
       still in the chain) or follows a gap (the entry it points at is gone).
    3. A head that remembers more than is there lost its newest entries; one
       that remembers less (or another hash) was moved.
    """
    hashes = {e.hash for e in entries}
    running, expected_seq = GENESIS_HASH, 1
    for entry in entries:
        if _recomputed(entry, key) != entry.hash:
            return Break(
                "altered", head.id, entry.seq, entry.pk,
                f"entry {entry.pk} (chain {head.id}, seq {entry.seq}) was altered: "
                "its content does not match its keyed hash",
            )
        if entry.prev_hash != running or entry.seq != expected_seq:
            moved = entry.prev_hash in hashes and entry.prev_hash != running
            kind = "reordered" if moved else "deleted"
            what = "is out of order" if moved else "follows a missing entry"
            return Break(
                kind, head.id, entry.seq, entry.pk,
                f"entry {entry.pk} (chain {head.id}, seq {entry.seq}) {what}"
                f" (expected seq {expected_seq})",
            )
        running, expected_seq = entry.hash, entry.seq + 1
    last = expected_seq - 1
    if head.last_seq > last:
        return Break("deleted", head.id, expected_seq, None,
                     f"chain {head.id} ends at seq {last} but its head records seq "
                     f"{head.last_seq}: the newest entries were deleted")
    if head.last_seq != last or head.last_hash != running:
        return Break("head moved", head.id, head.last_seq, None,
                     f"chain {head.id} runs to seq {last} but its head records seq "
                     f"{head.last_seq} with another hash: the head was moved")
    return None


def _walk(head: AccessLogChain, key: bytes) -> _Walked:
    entries = list(AccessLogEntry.objects.filter(chain=head.id).order_by("seq"))
    return _Walked(head, {e.seq: (e.hash, e.pk) for e in entries},
                   _first_break(head, entries, key))


def _against_checkpoint(chain: int, walked: _Walked | None, checkpointed: list[tuple[str, Head]],
                        ) -> Break | None:
    """The first checkpointed entry of one chain that is gone or differs.

    ``checkpointed`` holds (checkpoint time, head) pairs in ascending seq.
    """
    hashes = walked.hashes if walked else {}
    end = walked.end if walked else 0
    for at, head in checkpointed:
        if head.seq > end:
            highest_at, highest = checkpointed[-1]
            return Break("truncated", chain, end + 1, None,
                         f"chain {chain} ends at seq {end} but the checkpoint of {highest_at} "
                         f"recorded seq {highest.seq}: entries after seq {end} were removed "
                         "and the chain's head moved back")
        found, entry_id = hashes.get(head.seq, ("", None))
        if found != head.hash:
            where = f"entry {entry_id}" if entry_id else "the entry"
            return Break("rewritten", chain, head.seq, entry_id,
                         f"{where} (chain {chain}, seq {head.seq}) is not the entry "
                         f"the checkpoint of {at} recorded: the chain was rewritten")
    return None


def _checkpoint_breaks(walked: dict[int, _Walked], file: CheckpointFile) -> list[Break]:
    breaks = [Break("bad checkpoint", -1, 0, None, problem) for problem in file.problems]
    by_chain: dict[int, list[tuple[str, Head]]] = {}
    for checkpoint in file.checkpoints:
        for head in checkpoint.heads:
            by_chain.setdefault(head.chain, []).append((checkpoint.at, head))
    for chain, checkpointed in sorted(by_chain.items()):
        checkpointed.sort(key=lambda pair: pair[1].seq)
        problem = _against_checkpoint(chain, walked.get(chain), checkpointed)
        if problem:
            breaks.append(problem)
    return breaks


def verify_access_log(*, key: bytes | None = None,
                      checkpoint_file: Path | None = None) -> VerifyReport:
    """Check the whole log against the key and the checkpoints (default: the configured ones)."""
    key = key or configured_key()
    heads = list(AccessLogChain.objects.order_by("id"))
    walked = {head.id: _walk(head, key) for head in heads}
    breaks = [w.problem for w in walked.values() if w.problem]
    # Entries in a chain that has no head were added around the service.
    orphans = AccessLogEntry.objects.exclude(chain__in=[h.id for h in heads]).order_by("id")
    for orphan in orphans[:1]:
        breaks.append(Break("altered", orphan.chain, orphan.seq, orphan.pk,
                            f"entry {orphan.pk} belongs to no known chain"))
    checkpoints = read_checkpoints(checkpoint_file, key=key)
    breaks += _checkpoint_breaks(walked, checkpoints)
    breaks.sort(key=lambda b: (b.entry_id is None, b.entry_id or 0))
    entries = sum(len(w.hashes) for w in walked.values())
    return VerifyReport(entries=entries, chains=len(heads), breaks=breaks,
                        checkpoints=len(checkpoints.checkpoints),
                        checkpoint_file=checkpoints.path, notes=_notes(walked, checkpoints))


def _notes(walked: dict[int, _Walked], checkpoints: CheckpointFile) -> list[str]:
    """What the reader of a report should also know: a likely wrong key, no checkpoints."""
    notes = []
    started = [w for w in walked.values() if w.hashes]
    if started and all(w.problem and w.problem.kind == "altered" and w.problem.seq == min(w.hashes)
                       for w in started):
        notes.append("No chain's first entry matches its keyed hash: is IOM_ACCESS_LOG_KEY "
                     "the key this log was written with?")
    if started and not checkpoints.checkpoints:
        notes.append(f"No checkpoints in {checkpoints.path}: a chain cut back with its head "
                     "moved back cannot be seen. Run manage.py checkpoint_access_log "
                     "regularly (e.g. from cron).")
    return notes

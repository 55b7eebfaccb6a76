"""Signed checkpoints of the access log's chain heads, kept outside the database.

A checkpoint records, at one moment, the last sequence number and hash of
every chain, signed with a key derived from IOM_ACCESS_LOG_KEY. Checkpoints
are appended, one JSON line each, to ``checkpoints.jsonl`` in
IOM_ACCESS_LOG_CHECKPOINT_DIR; an operator ships the file (or the line
``manage.py checkpoint_access_log`` prints) somewhere the database's owner
cannot reach. The verifier then proves that every checkpointed entry is
still in its chain with the same hash: a chain cut back and its head moved
back to match no longer passes (docs/adr/0008).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from .chain import configured_key, purpose_key
from .models import AccessLogChain

FILE_NAME = "checkpoints.jsonl"


@dataclass(frozen=True)
class Head:
    chain: int
    seq: int
    hash: str


@dataclass(frozen=True)
class Checkpoint:
    at: str
    heads: tuple[Head, ...]
    mac: str

    def as_line(self) -> str:
        return json.dumps({**_signed_part(self.at, self.heads), "mac": self.mac},
                          separators=(",", ":"))


@dataclass(frozen=True)
class CheckpointFile:
    """What a checkpoint file holds: its good checkpoints and its bad lines."""

    path: Path
    checkpoints: list[Checkpoint]
    problems: list[str]


def default_path() -> Path:
    return Path(settings.IOM_ACCESS_LOG_CHECKPOINT_DIR) / FILE_NAME


def _signed_part(at: str, heads: tuple[Head, ...]) -> dict[str, Any]:
    return {"at": at, "heads": [{"chain": h.chain, "seq": h.seq, "hash": h.hash}
                                for h in heads]}


def _mac(key: bytes, at: str, heads: tuple[Head, ...]) -> str:
    message = json.dumps(_signed_part(at, heads), sort_keys=True, separators=(",", ":"))
    return hmac.new(purpose_key(key, "checkpoint"), message.encode("utf-8"),
                    hashlib.sha256).hexdigest()


def sign(heads: tuple[Head, ...], *, at: datetime, key: bytes | None = None) -> Checkpoint:
    stamp = at.isoformat(timespec="microseconds")
    return Checkpoint(at=stamp, heads=heads, mac=_mac(key or configured_key(), stamp, heads))


def current_heads() -> tuple[Head, ...]:
    """Every chain head that has moved from the start, in one read."""
    rows = AccessLogChain.objects.filter(last_seq__gt=0).order_by("id")
    return tuple(Head(r.id, r.last_seq, r.last_hash) for r in rows)


def _parse(line: str, key: bytes) -> Checkpoint:
    """One line of the file as a checkpoint; ValueError says why it is not one."""
    try:
        data = json.loads(line)
        heads = tuple(Head(int(h["chain"]), int(h["seq"]), str(h["hash"]))
                      for h in data["heads"])
        at, mac = str(data["at"]), str(data["mac"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"is not a checkpoint ({exc.__class__.__name__}: {exc})") from exc
    if not hmac.compare_digest(mac, _mac(key, at, heads)):
        raise ValueError("is not signed with this key: it was altered or forged, "
                         "or IOM_ACCESS_LOG_KEY is not the key it was written with")
    return Checkpoint(at=at, heads=heads, mac=mac)


def read_checkpoints(path: Path | None = None, *, key: bytes | None = None) -> CheckpointFile:
    """Every checkpoint in the file, with each line that is not a good one named.

    A missing file holds no checkpoints and no problems (nothing checkpointed yet).
    """
    path = path or default_path()
    key = key or configured_key()
    found, problems = [], []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            found.append(_parse(line, key))
        except ValueError as exc:
            problems.append(f"{path} line {number} {exc}")
    return CheckpointFile(path=path, checkpoints=found, problems=problems)


TAIL_BYTES = 256 * 1024  # far more than one line, even with every chain in use


def _last_line(path: Path) -> str | None:
    """The file's last line, read from its end: the file only ever grows."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - TAIL_BYTES))
            tail = handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    lines = [line for line in tail.splitlines() if line.strip()]
    return lines[-1] if lines else None


def take_checkpoint(path: Path | None = None, *,
                    key: bytes | None = None) -> tuple[Checkpoint, bool]:
    """Append a signed checkpoint of every chain head; return it and whether it is new.

    Safe to run often and from two places at once: the file is locked while it is
    read and appended to, and nothing is appended when no head has moved since the
    last checkpoint (that one is returned instead).
    """
    path = path or default_path()
    key = key or configured_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    heads = current_heads()
    with path.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        last = _last_line(path)
        if last is not None:
            try:
                previous = _parse(last, key)
            except ValueError:
                previous = None
            if previous is not None and previous.heads == heads:
                return previous, False
        checkpoint = sign(heads, at=timezone.now(), key=key)
        handle.write(checkpoint.as_line() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return checkpoint, True

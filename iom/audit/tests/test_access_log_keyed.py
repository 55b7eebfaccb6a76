"""The log resists its own database: a keyed hash and checkpoints kept outside it.

Each test tampers as the database's owner could (triggers off, rows rewritten,
the chain re-hashed, the head moved) but without IOM_ACCESS_LOG_KEY, or
against a checkpoint kept outside the database.
"""

import hashlib
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from iom.audit import chain as chain_module
from iom.audit.chain import entry_hash
from iom.audit.checkpoints import read_checkpoints, take_checkpoint
from iom.audit.models import AccessLogChain, AccessLogEntry
from iom.audit.services import RecordRef, record_access
from iom.audit.testing import tampering
from iom.audit.verify import HASHED_FIELDS, verify_access_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_chain(settings, tmp_path):
    settings.IOM_ACCESS_LOG_CHAINS = 1
    settings.IOM_ACCESS_LOG_CHECKPOINT_DIR = tmp_path


def _append(n: int, start: int = 0) -> list[AccessLogEntry]:
    return [record_access(user=None, action="view", through="test", nominal_id=7,
                          records=[RecordRef("event", i)], reason=f"reason {i}")
            for i in range(start, start + n)]


def _plain_sha256(key, message):
    """What someone without the key can compute: the hash of the content alone."""
    return hashlib.sha256(message).hexdigest()


def _rehash(cursor, chain_id: int, *, key=None) -> None:
    """Recompute every hash and link of a chain, and move its head to the end."""
    running = chain_module.GENESIS_HASH
    for entry in AccessLogEntry.objects.filter(chain=chain_id).order_by("seq"):
        fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
        fields["prev_hash"] = running
        digest = entry_hash(key=key, **fields)
        cursor.execute("UPDATE audit_accesslogentry SET prev_hash = %s, hash = %s WHERE id = %s",
                       [running, digest, entry.pk])
        running, last_seq = digest, entry.seq
    cursor.execute("UPDATE audit_accesslogchain SET last_seq = %s, last_hash = %s WHERE id = %s",
                   [last_seq, running, chain_id])


def _forge(after: AccessLogEntry, *, key) -> AccessLogEntry:
    """An entry added around the service, hashed with what the forger has, head moved on."""
    fields: dict[str, Any] = {
        "at": timezone.now(), "user_id": None, "username": "system", "organisation": "",
        "action": "view", "through": "test", "nominal_id": 7, "records": [],
        "reason": "nothing to see", "detail": {}}
    digest = entry_hash(key=key, prev_hash=after.hash, **fields)
    forged = AccessLogEntry.objects.create(chain=after.chain, seq=after.seq + 1,
                                           prev_hash=after.hash, hash=digest, **fields)
    AccessLogChain.objects.filter(id=after.chain).update(last_seq=forged.seq, last_hash=digest)
    return forged


def test_a_rewrite_rehashed_without_the_key_is_caught(one_chain, monkeypatch):
    entries = _append(5)
    with tampering() as cursor:
        cursor.execute("UPDATE audit_accesslogentry SET reason = 'nothing to see' WHERE id = %s",
                       [entries[2].pk])
        with monkeypatch.context() as m:
            m.setattr(chain_module, "keyed_digest", _plain_sha256)
            _rehash(cursor, entries[0].chain)
    report = verify_access_log()
    assert [b.kind for b in report.breaks] == ["altered"]
    assert report.breaks[0].entry_id == entries[0].pk  # the first one re-hashed
    with pytest.raises(CommandError, match=r"altered.*keyed hash"):
        call_command("verify_access_log")


def test_a_rewrite_rehashed_with_a_guessed_key_is_caught(one_chain):
    entries = _append(3)
    with tampering() as cursor:
        cursor.execute("UPDATE audit_accesslogentry SET reason = 'x' WHERE id = %s",
                       [entries[1].pk])
        _rehash(cursor, entries[0].chain, key=b"a guess at the key")
    assert verify_access_log().breaks[0].kind == "altered"


def test_cutting_the_chain_back_and_moving_its_head_back_is_caught(one_chain):
    entries = _append(5)
    take_checkpoint()
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id IN (%s, %s)",
                       [entries[3].pk, entries[4].pk])
        cursor.execute("UPDATE audit_accesslogchain SET last_seq = 3, last_hash = %s "
                       "WHERE id = %s", [entries[2].hash, entries[2].chain])
    report = verify_access_log()
    assert [(b.kind, b.seq) for b in report.breaks] == [("truncated", 4)]
    assert "recorded seq 5" in report.breaks[0].message
    err = StringIO()
    with pytest.raises(CommandError, match="truncated"):
        call_command("verify_access_log", stderr=err)
    assert "entries after seq 3 were removed" in err.getvalue()


def test_cutting_back_is_caught_against_a_shipped_copy_of_the_checkpoints(one_chain, tmp_path):
    entries = _append(4)
    shipped = tmp_path / "elsewhere.jsonl"
    take_checkpoint(shipped)
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[3].pk])
        cursor.execute("UPDATE audit_accesslogchain SET last_seq = 3, last_hash = %s "
                       "WHERE id = %s", [entries[2].hash, entries[2].chain])
    assert verify_access_log().ok  # no checkpoint in the default place
    with pytest.raises(CommandError, match="truncated"):
        call_command("verify_access_log", "--checkpoints", str(shipped))


def test_a_rewrite_by_someone_with_the_key_is_caught_by_the_checkpoint(one_chain):
    entries = _append(4)
    take_checkpoint()
    with tampering() as cursor:
        cursor.execute("UPDATE audit_accesslogentry SET reason = 'x' WHERE id = %s",
                       [entries[1].pk])
        _rehash(cursor, entries[0].chain)
    report = verify_access_log()
    # The checkpoint recorded the head: the entry there now has another hash.
    assert [(b.kind, b.entry_id) for b in report.breaks] == [("rewritten", entries[3].pk)]


@pytest.mark.parametrize("key", [None, b"a guess at the key"], ids=["unkeyed", "guessed key"])
def test_a_forged_entry_with_the_head_moved_on_is_caught(one_chain, monkeypatch, key):
    entries = _append(3)
    with monkeypatch.context() as m:
        if key is None:
            m.setattr(chain_module, "keyed_digest", _plain_sha256)
        forged = _forge(entries[-1], key=key)
    report = verify_access_log()
    assert [(b.kind, b.entry_id) for b in report.breaks] == [("altered", forged.pk)]


def test_the_wrong_key_is_reported(one_chain, settings):
    _append(3)
    take_checkpoint()
    report = verify_access_log(key=b"another key altogether")
    kinds = sorted(b.kind for b in report.breaks)
    assert kinds == ["altered", "bad checkpoint"]
    assert any("IOM_ACCESS_LOG_KEY" in note for note in report.notes)
    settings.IOM_ACCESS_LOG_KEY = "another key altogether, set in the settings"
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_access_log", stderr=err)
    assert "is IOM_ACCESS_LOG_KEY the key this log was written with?" in err.getvalue()


def test_the_hash_depends_on_the_key(one_chain):
    entry = _append(1)[0]
    fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
    assert entry_hash(**fields) == entry.hash
    assert entry_hash(key=b"other", **fields) != entry.hash


def test_the_checkpoint_command_prints_a_signed_line_and_appends_only_when_a_head_moved(
        one_chain, tmp_path):
    entries = _append(3)
    out = StringIO()
    call_command("checkpoint_access_log", stdout=out)
    line = json.loads(out.getvalue())
    assert line["heads"] == [{"chain": entries[0].chain, "seq": 3, "hash": entries[2].hash}]
    assert len(line["mac"]) == 64
    again, err = StringIO(), StringIO()
    call_command("checkpoint_access_log", stdout=again, stderr=err)
    assert json.loads(again.getvalue()) == line
    assert "No chain head has moved" in err.getvalue()
    _append(2, start=3)
    call_command("checkpoint_access_log", stdout=StringIO())
    saved = read_checkpoints()
    assert [c.heads[0].seq for c in saved.checkpoints] == [3, 5] and not saved.problems
    out = StringIO()
    call_command("verify_access_log", stdout=out)
    assert "consistent with 2 checkpoints" in out.getvalue()


def test_an_altered_checkpoint_is_reported(one_chain, tmp_path):
    _append(3)
    take_checkpoint()
    path = tmp_path / "checkpoints.jsonl"
    path.write_text(path.read_text().replace('"seq":3', '"seq":2'))
    report = verify_access_log()
    assert [b.kind for b in report.breaks] == ["bad checkpoint"]
    assert "line 1 is not signed with this key" in report.breaks[0].message


def test_no_checkpoint_yet_is_noted_but_not_a_break(one_chain):
    _append(2)
    report = verify_access_log()
    assert report.ok
    assert any("No checkpoints" in note for note in report.notes)

"""A killed importer leaves no partial data: the whole file is one transaction.

Runs ``manage.py import_feed`` in a child process on its own SQLite database,
kills it with SIGKILL while it is storing records, and checks that nothing
from the file was kept.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from iom.feeds.generate import feed_frame, write_feed

ROOT = Path(__file__).resolve().parents[3]


def _status(db: Path) -> str | None:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        found = conn.execute("SELECT status FROM feeds_importrun").fetchone()
    return found[0] if found else None


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608


def _wait_for_writing(child: subprocess.Popen[bytes], db: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if _status(db) == "writing":
            return
        time.sleep(0.01)
    raise AssertionError("the importer never started storing records")


def test_killing_the_importer_half_way_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite3"
    env = {**os.environ, "IOM_ENV": "test", "DATABASE_URL": f"sqlite:///{db}",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)  # noqa: S603
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO accounts_partnership (name) VALUES ('Northshire')")
        conn.execute("INSERT INTO accounts_organisation (partnership_id, name, kind, "
                     "is_statutory, active) VALUES (1, 'Northshire Police', 'police', 1, 1)")
    feed = tmp_path / "pnc-2025-06-02.csv"
    write_feed(feed_frame([], rows=150_000, day=date(2025, 6, 2), new_people=30), feed)
    child = subprocess.Popen([*manage, "import_feed", str(feed)], env=env, cwd=ROOT,  # noqa: S603
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_writing(child, db)
        time.sleep(0.5)
        assert child.poll() is None, "the importer finished before it could be killed"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert _status(db) == "writing"
    for table in ("feeds_feedrecord", "people_offendingevent", "people_custodyperiod",
                  "people_nominal", "feeds_alert"):
        assert _count(db, table) == 0, table

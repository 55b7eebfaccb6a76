"""How far an import's write has got, saved where the run page can read it.

The write is one transaction, so a count saved through it stays hidden until the
commit. On PostgreSQL, outside any caller's transaction, the count is saved through
a second connection of its own, which commits at once; elsewhere (SQLite allows one
writer at a time, and a caller's transaction may hold the run's row) it is kept on
the run and saved with the run's end. Either way it is saved at most once every
``every`` rows, never per row, and a failure to save it never stops the import.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone

from .models import ImportRun

EVERY = 50_000
logger = logging.getLogger(__name__)


class Progress:
    """Counts the write's units of work and turns them into rows of the file written.

    A new row costs two writes (its record, then its ledger entry), a changed or
    withdrawn one goes through the staging table, an unchanged one costs nothing;
    ``expect`` gives the total once the rows are classified.
    """

    def __init__(self, run: ImportRun, *, save: Callable[[int], None] | None = None,
                 every: int = EVERY) -> None:
        self.run = run
        self.every = every
        self._save = save
        self._expected = 0
        self._done = 0
        self._next_save = every

    def expect(self, units: int) -> None:
        self._expected = units
        self._done = 0
        self._next_save = self.every

    def advance(self, units: int) -> None:
        self._done = min(self._done + units, self._expected)
        total = self.run.rows_total
        self.run.rows_done = (total * self._done // self._expected if self._expected
                              else total)
        if self._save is not None and (self._done >= self._next_save
                                       or self._done == self._expected):
            self._next_save = self._done + self.every
            self._save(self.run.rows_done)


class _Outside:
    """Saves the count through a connection of its own, which commits each update."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        self.working = True

    def __call__(self, rows_done: int) -> None:
        if not self.working:
            return
        try:
            with self.side.cursor() as cursor:
                # Never wait behind a lock: a count that cannot be saved is skipped.
                cursor.execute("SET lock_timeout = '1s'")
                cursor.execute(f"UPDATE {ImportRun._meta.db_table} SET rows_done = %s, "  # noqa: S608
                               "progressed_at = %s WHERE id = %s",
                               [rows_done, timezone.now(), self.run_id])
        except DatabaseError:
            logger.warning("Could not save the progress of import run %s", self.run_id,
                           exc_info=True)
            self.working = False

    def close(self) -> None:
        self.side.close()


@contextmanager
def progress_for(run: ImportRun) -> Iterator[Progress]:
    """A Progress for the run's write, saved as it goes where others can see it."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield Progress(run)
        return
    outside = _Outside(run.pk)
    try:
        yield Progress(run, save=outside)
    finally:
        outside.close()

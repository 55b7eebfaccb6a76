"""Writes for feed imports: start a run, import its file, acknowledge an alert.

The web page, the API, the background job and ``import_feed`` all call
``import_file``; one file is one transaction, so a bad file or a killed
process stores nothing.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from iom.accounts.models import Organisation, User
from iom.audit.models import Action
from iom.audit.services import RecordRef, record_access, record_access_for_many
from iom.cohorts.candidates.snapshot import refresh_if_stale
from iom.core.errors import DomainError
from iom.governance.corrections import corrections_for_feed_report
from iom.people.models import Nominal, SourceSystem
from iom.people.services import create_nominal

from .alerts import raise_alerts
from .checking import Checked, check_feed, missing_columns, read_feed
from .feedformat import BadFileName, read_file_name
from .loader import RowsRefused, Stored, store_rows
from .models import UNDER_WAY, Alert, FeedSource, ImportRun, RowProblem, RunStatus
from .progress import Progress, progress_for
from .retention import remove_if_expired

STALLED = ("The import stopped without finishing: nothing from this file was stored. "
           "Upload the file again.")
logger = logging.getLogger(__name__)


def start_run(*, file_name: str, organisation: Organisation, acting_user: User | None,
              stored_path: str = "", full_snapshot: bool | None = None) -> ImportRun:
    """Record a run waiting for its file to be imported."""
    try:
        named = read_file_name(file_name)
    except BadFileName as exc:
        raise DomainError.on_field("file", str(exc)) from exc
    return ImportRun.objects.create(
        source=named.source, file_name=Path(file_name).name[:200], stored_path=stored_path,
        feed_date=named.day or timezone.localdate(), organisation=organisation,
        partnership_id=organisation.partnership_id, started_by=acting_user,
        full_snapshot=named.full_snapshot if full_snapshot is None else full_snapshot)


def _set_status(run: ImportRun, status: RunStatus, **fields: object) -> None:
    run.status = status
    run.progressed_at = timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    if run.is_finished:
        run.finished_at = timezone.now()
    run.save()


# A file this small (the API's and the page's usual upload) has the PNC IDs it names read
# first, so that only those people are looked up rather than the whole partnership's
# (reading 100,000 people was most of a five-row upload's time: docs/benchmarks.md).
NAMED_BYTES = 1_000_000
NAMED_MOST = 5_000


def known_people(partnership_id: int, named: list[str] | None = None) -> pl.DataFrame:
    """The PNC IDs of the partnership's people: the only people its feed files name.
    With ``named``, only those of them (the file's: no other row is ever joined)."""
    people = Nominal.objects.filter(partnership_id=partnership_id, pnc_id__isnull=False)
    if named is not None:
        people = people.filter(pnc_id__in=named)
    return pl.DataFrame(list(people.values_list("pnc_id", "pk")),
                        schema={"pnc_id": pl.String, "nominal_id": pl.Int64}, orient="row")


def held_elsewhere(partnership_id: int, named: list[str] | None = None) -> pl.DataFrame:
    """The PNC IDs held by other partnerships' people, which a file here cannot add.
    With ``named``, only those of them."""
    people = Nominal.objects.filter(pnc_id__isnull=False).exclude(partnership_id=partnership_id)
    if named is not None:
        people = people.filter(pnc_id__in=named)
    return pl.DataFrame(list(people.values_list("pnc_id", "pk")),
                        schema={"pnc_id": pl.String, "nominal_id": pl.Int64}, orient="row")


def named_in(path: Path) -> list[str] | None:
    """The PNC IDs a small file names, as the check reads them; None for a large file, one
    naming many people, or one that cannot be read (the check then says what is wrong)."""
    try:
        if path.stat().st_size > NAMED_BYTES or missing_columns(path):
            return None
        names = read_feed(path)["pnc_id"].drop_nulls().unique()
    except (OSError, ValueError, pl.exceptions.PolarsError):
        return None
    return sorted(names.to_list()) if names.len() <= NAMED_MOST else None


def import_file(*, run: ImportRun, path: Path, acting_user: User | None,
                through: str) -> ImportRun:
    """Check every row, then store the whole file in one transaction, or nothing.

    1. Check (no writes): a file with any bad row is rejected with its problems.
    2. In one transaction, holding the source's lock: add the new people, store
       the rows, raise the alerts, log the access and finish the run.
    3. Once the run's end is committed, its uploaded file goes if nothing keeps it
       (``IOM_FEED_KEEP_DAYS`` of 0); otherwise ``clear_feed_uploads`` removes it later.
    """
    try:
        return _import(run, path, acting_user, through)
    finally:
        transaction.on_commit(lambda: remove_if_expired(run))


def _import(run: ImportRun, path: Path, acting_user: User | None, through: str) -> ImportRun:
    _set_status(run, RunStatus.CHECKING, rows_done=0)
    named = named_in(path)
    elsewhere = held_elsewhere(run.partnership_id, named)
    try:
        checked = check_feed(path, known_people=known_people(run.partnership_id, named),
                             held_elsewhere=elsewhere["pnc_id"],
                             day=date.fromisoformat(str(run.feed_date)))
    except Exception:
        _set_status(run, RunStatus.FAILED, message="The file could not be checked because "
                    "of an unexpected error; nothing from this file was stored.")
        raise
    run.rows_total = checked.rows.height
    if not checked.ok:
        _log_refused_names(run, checked, elsewhere, acting_user, through)
        return _reject(run, checked.problems, bad_rows=checked.bad_rows,
                       count=checked.problem_count)
    _set_status(run, RunStatus.WRITING)
    try:
        with progress_for(run) as progress:
            _write(run, checked, acting_user, through, progress)
    except RowsRefused as exc:
        run.people_created = 0
        return _reject(run, exc.rows, bad_rows=len(exc.rows), count=len(exc.rows))
    except Exception:
        _set_status(run, RunStatus.FAILED, message="The import stopped with an error; "
                    "nothing from this file was stored.")
        raise
    refresh_if_stale()  # a large file changes many people: keep candidate lists fast
    return run


@transaction.atomic
def _log_refused_names(run: ImportRun, checked: Checked, elsewhere: pl.DataFrame,
                       acting_user: User | None, through: str) -> None:
    """Log, against each person of another partnership a refused file named, the attempt.

    The uploader learns nothing (their rows read as unknown people); the person's own
    partnership can see in the access log that another partnership's file named them.
    """
    if checked.rows.height == 0 or elsewhere.height == 0:
        return
    named = elsewhere.join(checked.rows.select("pnc_id").unique(), on="pnc_id", how="semi")
    if named.height:
        record_access_for_many(user=acting_user, action=Action.DENIED, through=through,
                               nominal_ids=sorted(named["nominal_id"].to_list()),
                               records=[RecordRef("import_run", run.pk)],
                               reason="Named in another partnership's feed file: refused",
                               detail={"run": run.pk, "partnership": run.partnership_id})


def _reject(run: ImportRun, problems: list[tuple[int, str, str]], *, bad_rows: int,
            count: int) -> ImportRun:
    with transaction.atomic():
        RowProblem.objects.bulk_create(RowProblem(run=run, row_number=r, column=c, reason=m)
                                       for r, c, m in problems)
        _set_status(run, RunStatus.REJECTED, rejected=bad_rows, problem_count=count,
                    message=_refusal(problems, bad_rows=bad_rows, count=count))
    return run


def _refusal(problems: list[tuple[int, str, str]], *, bad_rows: int, count: int) -> str:
    if bad_rows:
        return (f"{_many(count, 'problem')} in {_many(bad_rows, 'row')}: "
                "nothing was imported.")
    _, column, reason = problems[0]
    more = f" (and {_many(count - 1, 'more problem')})" if count > 1 else ""
    return f"The file was refused{more}: {column} {reason}."[:300]


def _many(count: int, thing: str) -> str:
    return f"{count:,} {thing}{'' if count == 1 else 's'}"


def end_stalled_runs(*, now: datetime | None = None) -> list[ImportRun]:
    """Fail the runs whose importer was stopped: no progress for IOM_FEED_STALLED_MINUTES.

    An import is one transaction, so a stopped one stored nothing. Each run is
    ended only if it is still under way and still without progress, in one
    statement, so a run that moves on meanwhile is left alone; on SQLite a live
    import holds the database's write lock, so the statement cannot end it.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.IOM_FEED_STALLED_MINUTES)
    stalled = ImportRun.objects.filter(status__in=UNDER_WAY, progressed_at__lt=cutoff)
    ended = [run for run in stalled if _end_stalled(run, cutoff, now)]
    for run in ended:
        remove_if_expired(run)
    return ended


def _end_stalled(run: ImportRun, cutoff: datetime, now: datetime) -> bool:
    try:
        with transaction.atomic():
            updated = ImportRun.objects.filter(
                pk=run.pk, status__in=UNDER_WAY, progressed_at__lt=cutoff
            ).update(status=RunStatus.FAILED, message=STALLED, finished_at=now)
    except DatabaseError:
        logger.warning("Could not end the stalled import run %s", run.pk, exc_info=True)
        return False
    if updated:
        run.refresh_from_db()
    return bool(updated)


@transaction.atomic
def _write(run: ImportRun, checked: Checked, acting_user: User | None, through: str,
           progress: Progress) -> None:
    source, _ = FeedSource.objects.get_or_create(code=run.source)
    FeedSource.objects.select_for_update().get(pk=source.pk)
    rows = _with_new_people(run, checked, acting_user, through)
    stored = store_rows(rows, run=run, progress=progress)
    # Corrections made in the system that this file conflicts with: told in this run's
    # report so the source system can correct its side, and never overwritten (000 s7).
    changed = (stored.written.filter(pl.col("status") == "changed")
               if "status" in stored.written.columns else stored.written.clear())
    corrections_for_feed_report(
        run.source, partnership_id=run.partnership_id, run_id=run.pk, through=through,
        supplied=rows["source_record_id"].to_list(),
        rewritten=changed["source_record_id"].to_list())
    _log_changes(run, stored, acting_user, through)
    raised = raise_alerts(written=stored.written, run=run, acting_user=acting_user,
                          through=through)
    _set_status(run, RunStatus.DONE, new=stored.new, changed=stored.changed,
                unchanged=stored.unchanged, withdrawn=stored.withdrawn.height,
                alerts_raised=raised, message=_summary(stored))
    if connection.vendor == "postgresql" and stored.written.height > 100_000:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE feeds_feedrecord")


def _summary(stored: Stored) -> str:
    if stored.written.height == 0 and stored.withdrawn.height == 0:
        return "Nothing changed: every record was already stored as it is in this file."
    return (f"Imported: {stored.new} new, {stored.changed} changed and {stored.unchanged} "
            "unchanged records.")


def _with_new_people(run: ImportRun, checked: Checked, acting_user: User | None,
                     through: str) -> pl.DataFrame:
    new_people = checked.new_people
    if new_people is None or new_people.height == 0:
        return checked.rows
    created = []
    for person in new_people.iter_rows(named=True):
        nominal = create_nominal(
            acting_user=acting_user, through=through, organisation=run.organisation,
            source_system=SourceSystem.PNC,
            fields={"forename": person["forename"], "surname": person["surname"],
                    "date_of_birth": person["date_of_birth"],
                    "gender": person["gender"], "pnc_id": person["pnc_id"],
                    "partnership": run.partnership})
        created.append((person["pnc_id"], nominal.pk))
    run.people_created = len(created)
    ids = pl.DataFrame(created, schema={"pnc_id": pl.String, "new_id": pl.Int64}, orient="row")
    return checked.rows.join(ids, on="pnc_id", how="left").with_columns(
        pl.coalesce("nominal_id", "new_id").alias("nominal_id")).drop("new_id")


def _log_changes(run: ImportRun, stored: Stored, acting_user: User | None,
                 through: str) -> None:
    """One access-log entry per person whose records this run changed."""
    people = set(stored.written["nominal_id"].unique().to_list())
    if stored.withdrawn.height:
        people |= set(Nominal.objects.filter(
            pk__in=_withdrawn_people(stored)).values_list("pk", flat=True))
    if people:
        record_access_for_many(user=acting_user, action=Action.UPDATE, through=through,
                               nominal_ids=sorted(people),
                               records=[RecordRef("import_run", run.pk)],
                               reason=f"Feed import of {run.file_name}",
                               detail={"run": run.pk, "file": run.file_name})


def _withdrawn_people(stored: Stored) -> list[int]:
    from .models import FeedRecord

    ids = stored.withdrawn["ledger_id"].to_list()
    return list(FeedRecord.objects.filter(pk__in=ids[:50_000]).values_list(
        "nominal_id", flat=True).distinct())


@transaction.atomic
def acknowledge_alert(*, alert: Alert, note: str, acting_user: User, through: str) -> Alert:
    """Mark an alert as dealt with, keeping the note, and log it."""
    text = note.strip()
    if not text:
        raise DomainError.on_field("note", "Enter a note saying what was done")
    if alert.acknowledged_at is not None:
        raise DomainError.on_field("note", "This alert has already been acknowledged")
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    locked.acknowledged_at = timezone.now()
    locked.read_at = locked.read_at or locked.acknowledged_at
    locked.note = text[:2000]
    locked.save(update_fields=["acknowledged_at", "read_at", "note"])
    record_access(user=acting_user, action=Action.UPDATE, through=through,
                  nominal_id=locked.nominal_id, records=[RecordRef("feed_alert", locked.pk)],
                  detail={"acknowledged": True, "note": locked.note})
    return locked


def mark_read(*, alert: Alert) -> None:
    if alert.read_at is None:
        Alert.objects.filter(pk=alert.pk, read_at__isnull=True).update(read_at=timezone.now())

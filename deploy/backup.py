#!/usr/bin/env python3
"""Back up the IOM database with the access-log checkpoints beside it (docs/deploy.md).

    deploy/backup.py [--out DIR] [--checksums] [--keep-days N]

Writes one directory, ``DIR/iom-YYYYMMDDTHHMMSSZ/``, holding:

- ``checkpoints.jsonl``: a copy of the signed access-log checkpoints, taken FIRST, so
  that every checkpoint in it names entries the dump holds (a checkpoint written after
  the dump would name entries it does not);
- ``iom.dump``: ``pg_dump --format=custom`` of the database, taken in an exported
  snapshot;
- ``tables.tsv``: each table's row count (and with ``--checksums`` an MD5 of its rows)
  read in that same snapshot, which the restore drill (deploy/restore_drill.py) compares
  against the restored database;
- ``fixes.tar``: the location fixes' day files (``IOM_FIX_STORE_DIR``, ADR 0010), which
  hold personal data outside the database, taken after the dump (an import is idempotent
  on device and time, so a day file a little newer than the dump restores safely);
- ``SHA256SUMS`` of them all.

The directory is written as ``NAME.partial`` and renamed when complete, so a half-made
backup is never taken for one. With ``--keep-days``, complete backups older than that
are deleted afterwards.

The database comes from ``IOM_BACKUP_DATABASE_URL`` (or ``..._FILE``), else
``DATABASE_URL`` (or ``DATABASE_URL_FILE``): a role that may read every table, e.g. the
migration role or one granted ``pg_read_all_data``. The checkpoints from
``IOM_ACCESS_LOG_CHECKPOINT_DIR``; the fixes from ``IOM_FIX_STORE_DIR`` (default
``var/fixes``, as config/settings.py); the output directory from ``--out`` or
``IOM_BACKUP_DIR``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from psycopg import sql

PREFIX = "iom-"


def secret(name: str) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name) or None


def database_url() -> str:
    url = secret("IOM_BACKUP_DATABASE_URL") or secret("DATABASE_URL")
    if not url:
        sys.exit("backup: set IOM_BACKUP_DATABASE_URL or DATABASE_URL (or their _FILE)")
    return url


def libpq_url(url: str) -> str:
    """dj-database-url's spellings of the scheme, as libpq knows it."""
    for scheme in ("postgresql://", "pgsql://", "postgis://"):
        if url.startswith(scheme):
            return "postgres://" + url[len(scheme):]
    return url


def table_figures(conn: psycopg.Connection, *, checksums: bool) -> list[tuple[str, int, str]]:
    """(table, rows, md5 or "") for every table of the current schema, in the snapshot."""
    tables = [row[0] for row in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "ORDER BY tablename").fetchall()]
    figures = []
    for table in tables:
        name = sql.Identifier(table)
        if checksums:
            rows, digest = conn.execute(sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), "
                "'')) FROM {} t").format(name)).fetchone()  # type: ignore[misc]
        else:
            rows, digest = conn.execute(  # type: ignore[misc]
                sql.SQL("SELECT count(*), '' FROM {}").format(name)).fetchone()
        figures.append((table, int(rows), str(digest)))
    return figures


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def archive_fixes(fix_dir: Path, into: Path) -> int:
    """The fix store's day files into one tar (the Parquet is compressed already); how
    many files. An absent store (no tags yet) gives an empty archive."""
    count = 0
    with tarfile.open(into, "w") as tar:
        if fix_dir.is_dir():
            for path in sorted(p for p in fix_dir.rglob("*") if p.is_file()):
                tar.add(path, arcname=str(path.relative_to(fix_dir)))
                count += 1
    return count


def back_up(out: Path, *, url: str, checkpoint_dir: Path, checksums: bool,
            fix_dir: Path | None = None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = out / f"{PREFIX}{stamp}"
    partial = out / f"{PREFIX}{stamp}.partial"
    partial.mkdir(parents=True, mode=0o700)
    # 1. The checkpoints first (see above). None yet is allowed, and said.
    source = checkpoint_dir / "checkpoints.jsonl"
    if source.exists():
        shutil.copy2(source, partial / "checkpoints.jsonl")
    else:
        (partial / "checkpoints.jsonl").touch()
        print(f"backup: NOTE no checkpoints at {source} yet", file=sys.stderr)
    # 2. The dump and the figures in one snapshot.
    with psycopg.connect(libpq_url(url), autocommit=False) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        started = time.perf_counter()
        subprocess.run(["pg_dump", "--format=custom", f"--snapshot={snapshot}",
                        f"--file={partial / 'iom.dump'}", f"--dbname={libpq_url(url)}"],
                       check=True)
        figures = table_figures(conn, checksums=checksums)
        conn.rollback()
    (partial / "tables.tsv").write_text(
        "".join(f"{table}\t{rows}\t{digest}\n" for table, rows, digest in figures),
        encoding="utf-8")
    # 3. The location fixes, after the dump (see above).
    fix_files = archive_fixes(fix_dir or Path("var/fixes"), partial / "fixes.tar")
    sums = "".join(f"{sha256(partial / name)}  {name}\n"
                   for name in ("iom.dump", "checkpoints.jsonl", "tables.tsv", "fixes.tar"))
    (partial / "SHA256SUMS").write_text(sums, encoding="utf-8")
    partial.rename(final)
    size = (final / "iom.dump").stat().st_size
    print(f"backup: {final} ({size} bytes, {len(figures)} tables, "
          f"{sum(rows for _, rows, _ in figures)} rows, {fix_files} fix files, "
          f"{time.perf_counter() - started:.1f} s)")
    return final


def prune(out: Path, keep_days: int) -> None:
    cutoff = datetime.now(UTC) - timedelta(days=keep_days)
    for path in sorted(out.glob(f"{PREFIX}*")):
        if path.suffix == ".partial" or not path.is_dir():
            continue
        try:
            made = datetime.strptime(path.name[len(PREFIX):], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            continue
        if made < cutoff:
            shutil.rmtree(path)
            print(f"backup: deleted {path} (older than {keep_days} days)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=os.environ.get("IOM_BACKUP_DIR"))
    parser.add_argument("--checksums", action="store_true",
                        help="an MD5 of every table's rows too (slower; the drill compares)")
    parser.add_argument("--keep-days", type=int, default=None)
    args = parser.parse_args()
    if args.out is None:
        sys.exit("backup: give --out DIR or set IOM_BACKUP_DIR")
    checkpoint_dir = Path(os.environ.get("IOM_ACCESS_LOG_CHECKPOINT_DIR", "var/access-log"))
    fix_dir = Path(os.environ.get("IOM_FIX_STORE_DIR") or "var/fixes")
    final = back_up(Path(args.out), url=database_url(), checkpoint_dir=checkpoint_dir,
                    checksums=args.checksums, fix_dir=fix_dir)
    if args.keep_days is not None:
        prune(Path(args.out), args.keep_days)
    print(final)


if __name__ == "__main__":
    main()

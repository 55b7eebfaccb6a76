#!/usr/bin/env python3
"""Restore a backup into a fresh database and prove it is the database backed up.

    deploy/restore_drill.py BACKUP_DIR --admin-url postgres://postgres@host/postgres \
        [--target NAME] [--owner ROLE] [--verify-as ROLE] [--keep]

BACKUP_DIR is one directory written by deploy/backup.py. The drill:

1. checks the files against ``SHA256SUMS``;
2. creates the database NAME (default ``iom_restore_drill``; refused if it exists) and
   restores ``iom.dump`` into it with ``pg_restore``, owned by ``--owner`` (default: the
   owners in the dump, i.e. the migration role);
3. compares every table's row count, and its MD5 where the backup has one, with
   ``tables.tsv`` (read in the dump's own snapshot);
4. runs ``manage.py verify_access_log --checkpoints BACKUP_DIR/checkpoints.jsonl``
   against the restored database (as ``--verify-as``, e.g. the runtime role, when
   given): every hash chain recomputes with IOM_ACCESS_LOG_KEY and every checkpoint is
   still in its chain;
5. drops the restored database (unless ``--keep``).

It prints what it did and exits non-zero at the first thing that does not match. CI runs
it on PostgreSQL (.ci/smoke); operators run it monthly against the newest backup
(docs/deploy.md, "Backups that restore"). IOM_ACCESS_LOG_KEY (or its _FILE) must be the
production key, as for the service.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))
from backup import libpq_url, sha256, table_figures

ROOT = Path(__file__).resolve().parent.parent


def fail(message: str) -> None:
    sys.exit(f"restore drill FAILED: {message}")


def with_database(url: str, name: str, user: str | None = None) -> str:
    parts = urlsplit(libpq_url(url))
    netloc = parts.netloc
    if user is not None:
        host = netloc.rsplit("@", 1)[-1]
        netloc = f"{user}@{host}"
    return urlunsplit((parts.scheme, netloc, f"/{name}", parts.query, ""))


def check_sums(backup: Path) -> None:
    for line in (backup / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        if sha256(backup / name) != digest:
            fail(f"{backup / name} does not match its SHA256SUMS line: the backup is damaged")
    fixes = backup / "fixes.tar"
    said = ""
    if fixes.exists():  # backups made before the fix store was archived have none
        try:
            with tarfile.open(fixes) as tar:
                days = [m for m in tar.getmembers() if m.isfile()]
        except tarfile.TarError as exc:
            fail(f"{fixes} cannot be read: {exc}")
        said = f" (the location fixes: {len(days)} day files)"
    print(f"1. files match SHA256SUMS{said}")


def restore(backup: Path, admin_url: str, target: str, owner: str | None) -> str:
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone()
        if exists:
            fail(f"the database {target} exists already: name a fresh one with --target")
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target))
        if owner:
            statement += sql.SQL(" OWNER {}").format(sql.Identifier(owner))
        conn.execute(statement)
    url = with_database(admin_url, target)
    command = ["pg_restore", "--exit-on-error", "--no-password", f"--dbname={url}"]
    if owner:
        command += ["--no-owner", f"--role={owner}"]
    subprocess.run([*command, str(backup / "iom.dump")], check=True)
    print(f"2. restored {backup / 'iom.dump'} into the new database {target}")
    return url


def compare_tables(backup: Path, url: str) -> None:
    expected = {}
    for line in (backup / "tables.tsv").read_text(encoding="utf-8").splitlines():
        table, rows, digest = line.split("\t")
        expected[table] = (int(rows), digest)
    checksums = any(digest for _, digest in expected.values())
    with psycopg.connect(url) as conn:
        found = {table: (rows, digest)
                 for table, rows, digest in table_figures(conn, checksums=checksums)}
    if set(found) != set(expected):
        fail(f"tables differ: missing {sorted(set(expected) - set(found))}, "
             f"unexpected {sorted(set(found) - set(expected))}")
    for table, (count, md5) in expected.items():
        if found[table][0] != count:
            fail(f"{table} has {found[table][0]} rows restored, {count} backed up")
        if md5 and found[table][1] != md5:
            fail(f"{table}: the restored rows differ from those backed up (MD5)")
    total = sum(rows for rows, _ in expected.values())
    print(f"3. {len(expected)} tables, {total} rows: every count"
          f"{' and every MD5' if checksums else ''} equal")


def verify(backup: Path, url: str, verify_as: str | None) -> None:
    environment = {**os.environ, "DATABASE_URL": with_database(
        url, urlsplit(url).path.lstrip("/"), verify_as) if verify_as else url}
    environment.pop("DATABASE_URL_FILE", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "verify_access_log",
         "--checkpoints", str(backup / "checkpoints.jsonl")],
        env=environment, cwd=ROOT, capture_output=True, text=True, check=False)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        fail(f"verify_access_log: {result.stderr.strip().splitlines()[-1:]}")
    print(f"4. {result.stdout.strip()}")


def drop(admin_url: str, target: str) -> None:
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(target)))
    print(f"5. dropped {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("backup", type=Path)
    parser.add_argument("--admin-url", required=True,
                        help="a role that may create databases, e.g. postgres")
    parser.add_argument("--target", default="iom_restore_drill")
    parser.add_argument("--owner", default=None)
    parser.add_argument("--verify-as", default=None,
                        help="connect as this role (same host, no password) to verify")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    check_sums(args.backup)
    url = restore(args.backup, args.admin_url, args.target, args.owner)
    try:
        compare_tables(args.backup, url)
        verify(args.backup, url, args.verify_as)
    finally:
        if not args.keep:
            drop(args.admin_url, args.target)
    print("restore drill passed")


if __name__ == "__main__":
    main()

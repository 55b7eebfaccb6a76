"""A fingerprint of every candidate list on a kept benchmark database, to compare two versions.

    .venv/bin/python -m bench.candidates_check > before.txt   # on one version of the code
    .venv/bin/python -m bench.candidates_check > after.txt    # on another; then diff them

For each policy and the what-if comparison it prints the number of rows and a
SHA-256 of everything returned (every candidate, criterion, reason, exclusion,
score, count and floor), for the whole list and for the first page of 50.
Reads the database kept by ``bench.candidates --keep`` (DATABASE_URL as there).
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from typing import Any

from bench.candidates import DEFAULT_URL

os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("IOM_ENV", "test")


def digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def main(as_at: date = date(2025, 6, 1)) -> int:
    import django

    django.setup()
    from iom.accounts.models import User
    from iom.cohorts.candidates import candidates_for, compare_policies
    from iom.cohorts.policy.schemes import scheme_names

    user = User.objects.get(username="bench_om")
    for name, _ in scheme_names():
        for limit in (None, 50):
            page = {"limit": limit} if limit else {}
            listed = candidates_for(user, name, as_at, limit=limit)
            print(f"{name} {page or 'whole'}: {listed.total} listed, "
                  f"{len(listed.candidates)} returned, {digest(listed)}", flush=True)
    for limit in (None, 50):
        page = {"limit": limit} if limit else {}
        compared = compare_policies(user, "derbyshire-2021", "london", as_at, limit=limit)
        print(f"compare {page or 'whole'}: {compared.total} rows, {len(compared.rows)} returned,"
              f" {digest(compared)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

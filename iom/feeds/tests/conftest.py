"""Shared helpers for the feed tests: a coordinator, and feed files written to disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from iom.accounts.models import Role, User
from iom.feeds.feedformat import COLUMNS


@pytest.fixture(autouse=True)
def upload_dir(tmp_path: Path, settings: Any) -> Path:
    """Uploads go to a folder of the test's own, never the project's var/feeds."""
    folder = tmp_path / "uploads"
    settings.IOM_FEED_UPLOAD_DIR = folder
    return folder


@pytest.fixture
def coordinator(world: Any) -> User:
    return User.objects.create_user(
        username="coordinator_iom", password="Not-used-in-tests-4821",
        organisation=world.orgs["police"], role=Role.COORDINATOR, first_name="Cora",
        last_name="Tester", email="coordinator@example.org")


def row(record_type: str, source_record_id: str, record_date: str,
        pnc_id: str = "2012/0012345A", **fields: str) -> dict[str, str]:
    return {"record_type": record_type, "pnc_id": pnc_id, "source_record_id": source_record_id,
            "record_date": record_date, **fields}


@pytest.fixture
def feed_file(tmp_path: Path) -> Callable[..., Path]:
    def write(rows: list[dict[str, str]], name: str = "pnc-2025-06-02.csv") -> Path:
        frame = pl.DataFrame([{c: r.get(c, "") for c in COLUMNS} for r in rows],
                             schema=dict.fromkeys(COLUMNS, pl.String))
        path = tmp_path / name
        if name.endswith(".parquet"):
            frame.write_parquet(path)
        else:
            frame.write_csv(path)
        return path

    return write

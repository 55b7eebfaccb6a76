"""The ledger keeps a record's content without its empty fields, digested in full."""

from __future__ import annotations

import hashlib
import json

import polars as pl

from iom.feeds.checking import _without_blanks
from iom.feeds.feedformat import CONTENT_COLUMNS

EMPTY = dict.fromkeys(CONTENT_COLUMNS)


def _stored(rows: list[dict[str, str | None]]) -> list[str]:
    frame = pl.DataFrame(rows, schema=dict.fromkeys(CONTENT_COLUMNS, pl.String))
    full = frame.select(pl.struct(CONTENT_COLUMNS).struct.json_encode().alias("c"))
    return list(full.select(_without_blanks(pl.col("c")))["c"])


def test_empty_fields_are_left_out_and_values_kept_as_they_are() -> None:
    rows = [
        {**EMPTY, "record_type": "arrest", "record_date": "2025-01-02"},
        {**EMPTY, "record_type": "custody", "court": "x,}", "establishment": 'a"end_date":null,b'},
        {**EMPTY, "establishment": "HMP Eastport"},
    ]
    for row, stored in zip(rows, _stored(rows), strict=True):
        assert json.loads(stored) == {k: v for k, v in row.items() if v is not None}


def test_the_digest_is_taken_over_every_field() -> None:
    row = {**EMPTY, "record_type": "arrest", "record_date": "2025-01-02"}
    full = json.dumps(row, separators=(",", ":"))
    digest = hashlib.md5(full.encode(), usedforsecurity=False).hexdigest()
    frame = pl.DataFrame([row], schema=dict.fromkeys(CONTENT_COLUMNS, pl.String))
    encoded = frame.select(pl.struct(CONTENT_COLUMNS).struct.json_encode())[0, 0]
    assert hashlib.md5(encoded.encode(), usedforsecurity=False).hexdigest() == digest

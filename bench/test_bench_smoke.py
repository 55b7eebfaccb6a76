"""Keep the full-scale benchmark script working: run it on a thousand people."""

from pathlib import Path

import polars as pl
import pytest

from bench.generate_synthetic import main


def test_generate_synthetic_writes_the_four_tables_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = main(["--people", "1000", "--out", str(tmp_path)])
    assert figures["people"] == 1000
    assert figures["events"] > 1000
    assert figures["seconds"] >= 0
    assert figures["peak_rss_mib"] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "custody.parquet",
        "events.parquet",
        "intelligence.parquet",
        "people.parquet",
    ]
    assert pl.read_parquet(tmp_path / "events.parquet").height == figures["events"]
    assert "peak_rss_mib" in capsys.readouterr().out

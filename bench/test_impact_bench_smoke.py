"""The impact benchmark runs at a small size (the full size is run by hand)."""

from __future__ import annotations

from bench.impact_measures import main


def test_impact_benchmark_runs_small() -> None:
    figures = main(["--people", "2000"])
    assert figures["people"] == 2000
    assert figures["all_measures_s"] >= 0

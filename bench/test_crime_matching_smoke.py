"""Keep the matching benchmark working: run it small."""

from bench.crime_matching import main


def test_the_matching_benchmark_runs_small_and_counts_every_pair() -> None:
    figures = main(["--tags", "5", "--days", "1", "--crimes", "40"])
    assert figures["fixes"] > 5000
    assert sum(figures["outcomes"].values()) == 5 * 40  # every tag active for every crime
    assert figures["outcomes"]["placed"] == figures["placed_pairs"] > 0

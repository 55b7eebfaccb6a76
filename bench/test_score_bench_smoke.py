"""Keep the scoring benchmarks working: run them on a few hundred people."""

from pathlib import Path

from bench import score_batch, score_stages
from bench.generate_synthetic import main as generate


def test_score_batch_and_stages_run_on_small_tables(tmp_path: Path) -> None:
    generate(["--people", "300", "--out", str(tmp_path)])
    figures = score_batch.main(["--tables", str(tmp_path), "--sample", "50"])
    assert figures["people"] == 300
    assert figures["sample_mismatches"] == 0
    assert figures["batch_cpu_seconds"] >= 0
    stages = score_stages.main(["--tables", str(tmp_path)])
    assert "total" in stages

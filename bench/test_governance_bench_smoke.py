"""Keep the retention benchmark working: the rule over a thousand synthetic people."""

import pytest

from bench.retention_dry_run import rule


def test_retention_rule_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    figures = rule(1000)
    assert figures["people"] == 1000 and figures["seconds"] >= 0
    assert "rule over 1,000 people" in capsys.readouterr().out

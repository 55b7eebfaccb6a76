"""The impact dashboard and the board pack on a loaded demo: stored figures against fresh.

    IOM_ENV=development DATABASE_URL=sqlite:///var/iom.sqlite3 \\
        .venv/bin/python bench/impact_dashboard.py [--runs 5] [--user analyst]

Through Django's test client (no network, no server), signed in as ``--user``: the
dashboard's default view (the twelve months to today) once with no stored result
(it computes the pack and stores it), then ``--runs`` times reading the stored one;
the digest of inputs alone (what every read pays to know the stored result is
fresh); and the board pack's PDF, XLSX and CSV from the stored result. Wall and
CPU seconds of each. Figures: docs/benchmarks.md (issue 15, "Stored results").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _timed(step: Callable[[], Any]) -> tuple[float, float, Any]:
    began, cpu = time.perf_counter(), time.process_time()
    result = step()
    return time.perf_counter() - began, time.process_time() - cpu, result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--user", default="analyst")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from iom.accounts.models import User
    from iom.people.models import Nominal
    from iom.reporting.compute import reporting_config
    from iom.reporting.forms import default_period
    from iom.reporting.freshness import inputs_digest
    from iom.reporting.models import StoredImpact
    from iom.reporting.selectors import Scope

    user = User.objects.filter(username=args.user).first()
    if user is None or user.organisation is None:
        raise SystemExit(f"No user {args.user!r}: load the demo first (manage.py seed_demo)")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = reverse("reporting:impact")
    scope = Scope(user.organisation.partnership, *default_period(timezone.localdate()))

    def page() -> int:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    client.get(reverse("home"))  # the first request warms Django's URL and template caches
    StoredImpact.objects.filter(partnership=scope.partnership).delete()
    fresh_s, fresh_cpu, _ = _timed(page)
    stored = [_timed(page) for _ in range(args.runs)]
    digest = [_timed(lambda: inputs_digest(scope, today=timezone.localdate(),
                                           cfg=reporting_config()))
              for _ in range(args.runs)]
    figures: dict[str, Any] = {
        "people": Nominal.objects.filter(partnership=scope.partnership).count(),
        "fresh_s": round(fresh_s, 2), "fresh_cpu_s": round(fresh_cpu, 2),
        "stored_median_s": round(statistics.median(s for s, _, _ in stored), 3),
        "stored_best_s": round(min(s for s, _, _ in stored), 3),
        "stored_median_cpu_s": round(statistics.median(c for _, c, _ in stored), 3),
        "digest_median_s": round(statistics.median(s for s, _, _ in digest), 3)}
    for fmt in ("pdf", "xlsx", "csv"):
        download = reverse("reporting:download", args=[fmt])
        wall, cpu, _ = _timed(lambda: client.get(download))  # noqa: B023 - called at once
        figures[f"pack_{fmt}_s"], figures[f"pack_{fmt}_cpu_s"] = round(wall, 2), round(cpu, 2)
    figures["load_average"] = round(os.getloadavg()[0], 1)
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()

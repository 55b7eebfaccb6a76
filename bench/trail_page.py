"""Server time of a trail page for one person-day (1,440 fixes), on the demo.

    IOM_ENV=development DATABASE_URL=sqlite:///var/iom.sqlite3 \\
        .venv/bin/python bench/trail_page.py [--runs 20]

Uses the loaded demo (``seed_demo``): the first wearer's trail for yesterday, as
police.om, through Django's test client (no network), with the reason already given.
Target (issue 14): under 200 ms. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import Client
    from django.utils import timezone

    from iom.accounts.models import User
    from iom.governance.web import SESSION_KEY
    from iom.monitoring.models import Fitting

    fitting = Fitting.objects.filter(fitted_at__isnull=False).order_by("pk").first()
    if fitting is None:
        raise SystemExit("Load the demo first: manage.py seed_demo")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="police.om"))
    session = client.session
    until = (timezone.now() + timedelta(hours=1)).isoformat()
    session[SESSION_KEY] = {str(fitting.nominal_id): {"reason": "Benchmark of the trail",
                                                      "until": until}}
    session.save()
    day = timezone.localdate() - timedelta(days=1)
    url = f"/monitoring/people/{fitting.nominal_id}/trail/?day={day}"
    times = []
    for _ in range(args.runs):
        began = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
    fixes = response.content.decode().count("<tr class=\"govuk-table__row\"><td")
    figures = {"fixes": fixes, "runs": args.runs,
               "median_ms": round(statistics.median(times) * 1000, 1),
               "best_ms": round(min(times) * 1000, 1),
               "load_average": [round(x, 1) for x in os.getloadavg()]}
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()

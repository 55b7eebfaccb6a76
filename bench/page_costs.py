"""Database queries and server time of each page the load test mixes, on a loaded demo.

    IOM_ENV=development DATABASE_URL=sqlite:///var/iom.sqlite3 \\
        .venv/bin/python bench/page_costs.py [--runs 5] [--user police.om]

Through Django's test client (no network, no server), signed in as ``--user`` with a
reason already given for the people it opens: for each page the number of SQL queries
of one request and the median and best server time over ``--runs``. A page whose
queries grow with the people it lists shows here as a large count; the cohort
dashboard reads custody and offending in a fixed number of queries
(iom/cohorts/tests/test_dashboard_queries.py proves the count does not grow).
Figures: docs/benchmarks.md ("Queries per page").
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--user", default="police.om")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from iom.accounts.models import User
    from iom.cohorts.models import CohortMembership
    from iom.governance import policy
    from iom.governance.web import SESSION_KEY
    from iom.meetings.models import Meeting

    user = User.objects.filter(username=args.user).first()
    if user is None:
        raise SystemExit(f"No user {args.user!r}: load the demo first (manage.py seed_demo)")
    visible = policy.nominals_visible_to(user)
    case = (CohortMembership.objects.filter(nominal__in=visible, placed_on__isnull=False)
            .order_by("pk").first())
    if case is None:
        raise SystemExit("The demo has no case this user may see: manage.py seed_demo")
    person = case.nominal
    meeting = Meeting.objects.order_by("-pk").first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    until = (timezone.now() + timedelta(hours=1)).isoformat()
    session[SESSION_KEY] = {str(person.pk): {"reason": "Benchmark of page costs",
                                             "until": until}}
    session.save()
    pages = {
        "search by surname": f"/people/?q={person.surname}",
        "profile": f"/people/{person.pk}/",
        "cohort dashboard": "/cohorts/",
        "candidates": "/cohorts/candidates/",
        "meeting page": f"/meetings/{meeting.pk}/" if meeting else "/meetings/",
        "alerts": "/feeds/alerts/",
    }
    rows: dict[str, Any] = {}
    for name, url in pages.items():
        queries: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any,
                  seen: list[str] = queries) -> Any:
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        times = []
        for _ in range(args.runs):
            began = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - began)
        rows[name] = {"queries": len(queries), "median_ms": round(statistics.median(times)
                                                                  * 1000, 1),
                      "best_ms": round(min(times) * 1000, 1)}
    figures = {"user": args.user, "people_visible": visible.count(),
               "on_cohort": CohortMembership.objects.filter(nominal__in=visible,
                                                            placed_on__isnull=False).count(),
               "runs": args.runs, "pages": rows,
               "load_average": [round(x, 1) for x in os.getloadavg()]}
    print(json.dumps(figures, indent=1))
    return figures


if __name__ == "__main__":
    main()

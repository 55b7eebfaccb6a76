"""How long the fixes table takes to draw a full day of fixes (1,440, one a minute)
through the shared table component.

    IOM_ENV=test PYTHONPATH=. .venv/bin/python bench/fixes_table.py
"""

import os
import time
from datetime import UTC, datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.template.loader import render_to_string  # noqa: E402

from iom.monitoring.match_views import fix_cells  # noqa: E402

start = datetime(2026, 12, 3, tzinfo=UTC)
fixes = [{"time": start + timedelta(minutes=i), "latitude": 52.1 + i / 1e5, "longitude": -1.2,
          "accuracy_m": 8.0, "near": i % 7 == 0} for i in range(1440)]
context = {"fixes": fixes, "rows": fix_cells(fixes), "near_column": True}
render_to_string("monitoring/fixes_table.html", context)
began = time.perf_counter()
for _ in range(5):
    html = render_to_string("monitoring/fixes_table.html", context)
print(f"{html.count('<tr') - 1} fixes: {(time.perf_counter() - began) / 5 * 1000:.0f} ms a render")

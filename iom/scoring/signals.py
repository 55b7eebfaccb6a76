"""What the scoring app tells apps built on it, without importing them."""

from django.dispatch import Signal

# Sent by ``manage.py nightly_scores`` once everyone is scored, with ``as_at``:
# the cohorts app builds the day's selection facts (iom/cohorts/candidates/snapshot.py).
nightly_run_finished = Signal()

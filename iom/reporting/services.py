"""Stored impact results: compute a scope's pack once and keep it while it is fresh.

The dashboard, the board pack, its downloads, the API and the commands read
``fresh_or_stored``: the stored pack when its digest of inputs still matches
(``freshness.inputs_digest``), otherwise computed now and stored, so only the
first read after a change pays for it. ``store_impact`` recomputes on purpose
(the dashboard's Recalculate button, ``manage.py store_impact``, the nightly
job) and logs that many people's records were read to make the aggregates.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from iom.accounts.models import Partnership, User
from iom.audit.models import Action
from iom.audit.services import record_access

from .compute import compute_pack, reporting_config
from .forms import default_period
from .freshness import inputs_digest, scope_key
from .measures.assemble import Pack
from .models import StoredImpact
from .selectors import Scope, describe, policy_name
from .stored import pack_from_json, pack_to_json

# Results are kept this long after their day, then removed by the nightly job.
KEEP_DAYS = 7


def fresh_or_stored(scope: Scope) -> Pack:
    today = timezone.localdate()
    inputs = inputs_digest(scope, today=today, cfg=reporting_config())
    stored = StoredImpact.objects.filter(scope_key=scope_key(scope), as_at=today,
                                         inputs=inputs).first()
    if stored is not None:
        return _pack(stored)
    return _pack(_compute_and_store(scope, today=today, inputs=inputs))


def store_impact(*, scope: Scope, acting_user: User | None, through: str) -> StoredImpact:
    """Compute the scope's pack now and keep it, whatever is stored."""
    today = timezone.localdate()
    stored = _compute_and_store(scope, today=today,
                                inputs=inputs_digest(scope, today=today, cfg=reporting_config()))
    record_access(user=acting_user, action=Action.VIEW, through=through, detail={
        "impact": describe(scope), "computed": stored.computed_at.isoformat()})
    return stored


def store_default_scopes(*, as_at: date, through: str) -> list[StoredImpact]:
    """Each partnership's default dashboard (twelve months to the day, its own policy),
    then results older than ``KEEP_DAYS`` removed."""
    start, end = default_period(as_at)
    done = [store_impact(scope=Scope(p, start, end), acting_user=None, through=through)
            for p in Partnership.objects.order_by("name")]
    StoredImpact.objects.filter(as_at__lt=as_at - timedelta(days=KEEP_DAYS)).delete()
    return done


def after_nightly_run(sender: object, *, as_at: date, **kwargs: object) -> str:
    """The nightly run's follow-up: the default dashboards, so the morning's first is fast."""
    done = store_default_scopes(as_at=as_at, through="command nightly_scores")
    seconds = sum(s.compute_seconds for s in done)
    return f"Impact figures stored for {len(done)} partnership(s) in {seconds:.1f} s"


def _compute_and_store(scope: Scope, *, today: date, inputs: str) -> StoredImpact:
    began = time.perf_counter()
    pack = compute_pack(scope)
    with transaction.atomic():
        stored, _ = StoredImpact.objects.update_or_create(
            scope_key=scope_key(scope), defaults={
                "partnership": scope.partnership, "date_from": scope.date_from,
                "date_to": scope.date_to, "policy": policy_name(scope),
                "cohort_type": scope.cohort_type, "district_id": scope.district_id,
                "as_at": today, "computed_at": timezone.now().replace(microsecond=0),
                "inputs": inputs,
                "compute_seconds": round(time.perf_counter() - began, 3),
                "pack": pack_to_json(pack)})
    return stored


def _pack(stored: StoredImpact) -> Pack:
    return replace(pack_from_json(stored.pack), figures_as_at=stored.computed_at)

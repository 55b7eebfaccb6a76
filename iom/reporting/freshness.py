"""When a stored pack may be read again: the digest of what it was made from.

A stored result (``StoredImpact``) is read only when the digest of its inputs,
taken now, equals the one taken when it was computed (docs/reporting.md,
"Stored results"). The digest covers:

1. the day (a stored result is used only on the day it was computed for, as
   the period, the statuses "due" and "late" and the scores move with the day);
2. the scope and every piece of configuration the pack reads (reporting,
   compliance and scoring settings, the scheme policy itself), canonically, so
   that two processes with different hash seeds agree;
3. the people's own records (person, offending, custody, orders, public
   protection, intelligence): the partnership's people (count and newest id)
   and the newest ``FactsChange`` about them, written by database triggers on
   every insert, update and delete whatever wrote it;
4. the newest finished scoring run (the stored scores);
5. every row of the smaller case-work tables the pack reads for the partnership
   (cases, plans, outcomes, referrals, contacts, deregistrations, threats and
   their reviews, tag audits, supplied OGRS 3 scores, districts), all columns,
   so an edit of any of them shows.

Taking it costs a few aggregate queries and a read of the case-work rows, far
less than the pack itself (docs/benchmarks.md).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.apps import apps
from django.db.models import Count, Max

from iom.accounts.models import Partnership
from iom.casework.rules import compliance_rules
from iom.cohorts.models import FactsChange
from iom.cohorts.policy.schemes import policy_version
from iom.people.models import Nominal
from iom.scoring.engine.config import default_config
from iom.scoring.models import ScoreRun

from .measures.config import ReportingConfig
from .selectors import Scope, policy_name

# Bump when the stored pack changes meaning, so older results are never read.
FORMAT = 1

# Each case-work table the pack reads, and its way to the partnership.
WATCHED = (
    ("cohorts.CohortMembership", "nominal__partnership"),
    ("casework.InterventionPlan", "nominal__partnership"),
    ("casework.IntermediateOutcome", "plan__nominal__partnership"),
    ("casework.ServiceReferral", "need__plan__nominal__partnership"),
    ("casework.Contact", "nominal__partnership"),
    ("casework.Deregistration", "membership__nominal__partnership"),
    ("scoring.EmergingThreat", "nominal__partnership"),
    ("casework.ThreatReview", "threat__nominal__partnership"),
    ("casework.TagAudit", "district__partnership"),
    ("monitoring.InventoryAudit", "district__partnership"),
    ("scoring.SuppliedOgrs3", "nominal__partnership"),
    ("accounts.District", "partnership"),
)


def inputs_digest(scope: Scope, *, today: date, cfg: ReportingConfig) -> str:
    parts = {"format": FORMAT, "today": today, "scope": _scope(scope),
             "config": [cfg, compliance_rules(), default_config(),
                        policy_version(policy_name(scope))],
             "people": _people_mark(scope.partnership),
             "scores": ScoreRun.objects.filter(finished_at__isnull=False).aggregate(
                 last=Max("id"), runs=Count("id")),
             "rows": dict(_rows(scope.partnership))}
    text = json.dumps(canonical(parts), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def scope_key(scope: Scope) -> str:
    s = _scope(scope)
    return "|".join(str(s[k]) for k in ("partnership", "from", "to", "policy", "cohort_type",
                                        "district"))


def _scope(scope: Scope) -> dict[str, Any]:
    return {"partnership": scope.partnership.pk, "from": scope.date_from.isoformat(),
            "to": scope.date_to.isoformat(), "policy": policy_name(scope),
            "cohort_type": scope.cohort_type, "district": scope.district_id or ""}


def _people_mark(partnership: Partnership) -> dict[str, Any]:
    people = Nominal.objects.filter(partnership=partnership)
    mark = people.aggregate(people=Count("id"), last=Max("id"))
    mark["change"] = FactsChange.objects.filter(
        nominal_id__in=people.values("pk")).aggregate(last=Max("id"))["last"]
    return mark


def _rows(partnership: Partnership) -> Iterator[tuple[str, str]]:
    for label, path in WATCHED:
        model = apps.get_model(label)
        columns = [f.attname for f in model._meta.concrete_fields]
        rows = model.objects.filter(**{path: partnership}).order_by("pk").values_list(*columns)
        digest = hashlib.sha256()
        for row in rows.iterator(chunk_size=5000):
            digest.update(repr(row).encode())
        yield label, digest.hexdigest()


def canonical(value: Any) -> Any:
    """Plain JSON with sets sorted and dataclasses as dictionaries: the same text in any
    process (a frozenset's own order follows the process's hash seed)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((canonical(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)

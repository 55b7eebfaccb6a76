"""The impact pack of one scope computed afresh: every table, suppressed once.

``services.store_impact`` keeps the result (``StoredImpact``); ``pack.impact_pack``
reads it back while it is fresh, so the pages, the API, the downloads and the
commands show the same numbers and the same ``[c]``.
"""

from __future__ import annotations

from django.conf import settings

from iom.casework.models import OutcomeKind
from iom.casework.pathways import OUTCOME_STATES, PATHWAY_SETS
from iom.casework.rules import RULE_TITLES, compliance_rules, rule_title
from iom.cohorts.lifecycle import Rag, Strand
from iom.cohorts.policy.schemes import policy_version
from iom.scoring.engine.config import default_config

from .measures.assemble import Pack, build_tables, suppressed_tables
from .measures.config import ENFORCEMENT_CAVEAT, ReportingConfig, load_config
from .selectors import Scope, impact_frames, policy_name

METHOD = (
    "Cohort members are the people placed on the cohort in the period; each is measured "
    "from their first placement in it (the index date).",
    "Before and after: proven offences (convictions and cautions, by offence date) and "
    "arrests in the set number of days at liberty before and after the index date; days in "
    "custody are left out, so each window is lengthened by them.",
    "Comparison group: people who met the scheme policy on the first day of the period and "
    "were not placed by its end, matched on OGRS 3 band, age band, gender, main offence type, "
    "prior Crime Severity Score band and prior proven offences band (coarsened exact matching).",
    "Small numbers: counts from 1 to the threshold less one are shown as [c], with any rate "
    "or mean worked out from them, and further cells where a total would give them away.",
)


def reporting_config() -> ReportingConfig:
    return load_config(getattr(settings, "IOM_REPORTING", None) or {})


def compute_pack(scope: Scope) -> Pack:
    """Every table of the scope afresh, suppressed once (the stored results hold these)."""
    cfg = reporting_config()
    tables, _ = build_tables(
        impact_frames(scope), date_from=scope.date_from, date_to=scope.date_to,
        period=scope.period, labels=_labels(scope), cfg=cfg, scoring=default_config())
    return Pack(title=f"Measuring impact: {scope.partnership.name}", period=scope.period,
                tables=suppressed_tables(tables, cfg), caveat=ENFORCEMENT_CAVEAT,
                method=(*METHOD, f"Threshold: counts below {cfg.small_number_threshold} are "
                        "suppressed."))


def _labels(scope: Scope) -> dict[str, str]:
    chosen = policy_version(policy_name(scope))
    labels = {t.key: chosen.cohort_label(t.key) for t in chosen.cohort_types}
    labels[chosen.youth.cohort.key] = chosen.cohort_label(chosen.youth.cohort.key)
    labels.update({**dict(Rag.choices), **dict(Strand.choices), **dict(OutcomeKind.choices),
                   **{k: v for ways in PATHWAY_SETS.values() for k, v in ways}})
    statuses = {f"{kind}:{key}": text for kind, states in OUTCOME_STATES.items()
                for key, text in states}
    labels.update(statuses)
    labels.update({f"rule:{key}": rule_title(key, compliance_rules()) for key in RULE_TITLES})
    return labels

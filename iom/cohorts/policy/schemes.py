"""Scheme policies as versioned configuration: the files in ``policies/``.

Each ``*.toml`` file there is one version of one partnership's policy: its
cohort types and the criteria that suggest them, the youth strand, the
exclusions with their overrides, and the lifecycle rules. The files are
data; the fixed vocabulary of rule kinds they may use is evaluated by
``selection``. ``load_policies`` checks every file and refuses a bad one with
the file, the key and the problem. docs/policies.md maps each rule to its seed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from iom.accounts.models import OrganisationKind
from iom.cohorts.policy.needs import Need
from iom.cohorts.policy.reader import PolicyFileError, Reader, policy_error
from iom.cohorts.policy.rules import YOUTH_COHORT, LifecycleRules, SchemeTerms
from iom.core.errors import DomainError
from iom.people.models import EventKind, OrderKind

POLICY_DIR = Path(__file__).resolve().parent / "toml"
SCORES = {"ogrs3": "OGRS 3 (2-year)", "iom_matrix": "IOM Matrix",
          "crime_severity": "Crime Severity Score", "risk_of_reoffending": "Risk of reoffending",
          "emerging_threat": "Emerging threat"}
RULE_KINDS = frozenset({"score", "band", "offence", "protection", "order", "custody"})
CONSENT_BY = frozenset({"person", "parent_or_guardian"})
ROUTE_KINDS = frozenset({"ppo", "transfer_in"})


@dataclass(frozen=True)
class Rule:
    """One test of a person's records: a criterion, an indicator or an exclusion."""

    key: str
    label: str
    kind: str
    seed: str
    score: str = ""
    at_least: float | None = None
    at_most: float | None = None
    near: float = 0.0  # a score this far below at_least is "nearly met"
    bands: tuple[str, ...] = ()
    near_bands: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    offences: str = ""  # the name of an offence list
    codes: tuple[str, ...] = ()
    domestic_abuse: bool = False  # an offence marked as domestic abuse also counts
    dated_by: str = "conviction"  # conviction: the event's date; offence: when it happened
    months: int = 0
    near_months: int = 0
    at_liberty: bool = False  # months counted out of custody
    absent: bool = False  # the test hits when there is NO such offence
    mappa_levels: tuple[int, ...] = ()
    sex_offender: bool = False
    orders: tuple[str, ...] = ()
    serving_sentence: bool = False  # an order rule: serving a custodial sentence also counts
    missing_is_near: bool = False  # an order rule: without one, a near miss rather than out
    acquisitive_crime_tag: bool = False  # an order rule: only orders with the EM condition
    sentence_under_months: int = 0  # a custody rule: serving a sentence shorter than this


@dataclass(frozen=True)
class Exclusion:
    rule: Rule
    overridable: bool  # with a recorded partnership agreement
    not_for: tuple[str, ...] = ()  # cohort types it does not apply to


@dataclass(frozen=True)
class CohortType:
    key: str
    label: str
    ways: tuple[tuple[str, ...], ...]  # any one way, all its criteria met
    indicators: tuple[str, ...] = ()
    judgement: bool = False  # professional judgement only: never suggested

    @property
    def criteria(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for way in self.ways for key in way))


@dataclass(frozen=True)
class YouthStrand:
    enabled: bool
    ages: tuple[int, int]
    lead_agency: str
    consent_by: str
    cohort: CohortType


@dataclass(frozen=True)
class Route:
    kind: str
    label: str
    seed: str


@dataclass(frozen=True)
class SchemePolicy:
    name: str
    version: int
    title: str
    seed: str
    path: Path
    cohort_types: tuple[CohortType, ...]
    rules: dict[str, Rule]
    exclusions: tuple[Exclusion, ...]
    youth: YouthStrand
    routes: tuple[Route, ...]
    partner_needs: tuple[str, ...]
    terms: SchemeTerms

    @property
    def label(self) -> str:
        return f"{self.title} (version {self.version})"

    def cohort_label(self, key: str) -> str:
        return self.terms.cohort_type_label(key)


def _rule(key: str, r: Reader, lists: dict[str, tuple[str, ...]]) -> Rule:
    kind = r.choice("kind", RULE_KINDS)
    base = {"key": key, "label": r.text("label"), "kind": kind, "seed": r.text("seed")}
    extra = _RULE_PARTS[kind](r, lists)
    r.done()
    return Rule(**base, **extra)  # type: ignore[arg-type]


def _score_part(r: Reader, _: dict[str, tuple[str, ...]]) -> dict[str, object]:
    part: dict[str, object] = {
        "score": r.choice("score", frozenset(SCORES)), "at_least": r.number("at_least"),
            "at_most": r.number("at_most"), "near": r.number("near", 0.0)}
    if part["at_least"] is None and part["at_most"] is None:
        raise r.error("at_least", "a score rule needs at_least or at_most")
    return part


def _band_part(r: Reader, _: dict[str, tuple[str, ...]]) -> dict[str, object]:
    return {"score": r.choice("score", frozenset(SCORES)), "bands": r.texts("bands", required=True),
            "near_bands": r.texts("near_bands")}


def _offence_part(r: Reader, lists: dict[str, tuple[str, ...]]) -> dict[str, object]:
    named = r.text("offences", "")
    if named and named not in lists:
        raise r.error("offences", f"no offence list {named!r} in [offence_lists]")
    part: dict[str, object] = {
            "events": r.texts("events", frozenset(EventKind.values), required=True),
            "offences": named, "codes": lists.get(named, ()),
            "domestic_abuse": r.flag("domestic_abuse"),
            "dated_by": r.choice("dated_by", frozenset({"conviction", "offence"}), "conviction"),
            "months": r.whole("months"), "near_months": r.whole("near_months", 0),
            "at_liberty": r.flag("at_liberty"), "absent": r.flag("absent")}
    if part["months"] == 0:
        raise r.error("months", "must be 1 or more")
    return part


def _protection_part(r: Reader, _: dict[str, tuple[str, ...]]) -> dict[str, object]:
    levels = r.wholes("mappa_levels")
    if any(level not in (1, 2, 3) for level in levels):
        raise r.error("mappa_levels", "MAPPA levels are 1, 2 and 3")
    part: dict[str, object] = {"mappa_levels": levels, "sex_offender": r.flag("sex_offender")}
    if not levels and not part["sex_offender"]:
        raise r.error("mappa_levels", "a protection rule needs mappa_levels or sex_offender")
    return part


def _order_part(r: Reader, _: dict[str, tuple[str, ...]]) -> dict[str, object]:
    return {"orders": r.texts("orders", frozenset(OrderKind.values), required=True),
            "serving_sentence": r.flag("serving_sentence"),
            "missing_is_near": r.flag("missing_is_near"),
            "acquisitive_crime_tag": r.flag("acquisitive_crime_tag")}


def _custody_part(r: Reader, _: dict[str, tuple[str, ...]]) -> dict[str, object]:
    months = r.whole("sentence_under_months")
    if months == 0:
        raise r.error("sentence_under_months", "must be 1 or more")
    return {"sentence_under_months": months}


_RULE_PARTS = {"score": _score_part, "band": _band_part, "offence": _offence_part,
               "protection": _protection_part, "order": _order_part,
               "custody": _custody_part}


def _ways(r: Reader, rules: dict[str, Reader]) -> tuple[tuple[str, ...], ...]:
    """``criteria`` (one way, all of them) or ``ways`` (any one list, all of it), checked."""
    criteria, ways = r.texts("criteria"), r._get("ways", False)
    if ways is not None and criteria:
        raise r.error("ways", "give criteria or ways, not both")
    if ways is not None:
        r.seen.add("ways")
        if not isinstance(ways, list) or not all(
                isinstance(w, list) and w and all(isinstance(k, str) for k in w) for w in ways):
            raise r.error("ways", "must be a list of lists of criterion keys")
        found = tuple(tuple(w) for w in ways)
    else:
        found = (criteria,) if criteria else ()
    for key in [k for way in found for k in way]:
        if key not in rules:
            raise r.error("ways" if ways is not None else "criteria",
                          f"no criterion {key!r} in [criteria]")
    return found


def _cohort_type(r: Reader, rules: dict[str, Reader]) -> CohortType:
    judgement = r.flag("judgement")
    found = _ways(r, rules)
    if not found and not judgement:
        raise r.error("criteria", "a cohort type needs criteria unless judgement = true")
    indicators = r.texts("indicators")
    for key in indicators:
        if key not in rules:
            raise r.error("criteria", f"no criterion {key!r} in [criteria]")
    cohort = CohortType(r.text("key"), r.text("label"), found, indicators, judgement)
    r.done()
    return cohort


def _youth(r: Reader | None, rules: dict[str, Reader]) -> YouthStrand:
    if r is None:
        return YouthStrand(False, (10, 17), OrganisationKind.YOUTH_JUSTICE, "parent_or_guardian",
                           CohortType(*YOUTH_COHORT, ()))
    ages = r.wholes("ages") or (10, 17)
    if len(ages) != 2 or ages[0] > ages[1]:
        raise r.error("ages", "must be [youngest, oldest]")
    ways = _ways(r, rules)
    strand = YouthStrand(
        r.flag("enabled", True), (ages[0], ages[1]),
        r.choice("lead_agency", frozenset(OrganisationKind.values), "youth_justice"),
        r.choice("consent_by", CONSENT_BY, "parent_or_guardian"),
        CohortType(*YOUTH_COHORT, ways, judgement=not ways))
    r.done()
    return strand


def _exclusion(key: str, r: Reader, lists: dict[str, tuple[str, ...]]) -> Exclusion:
    overridable, not_for = r.flag("overridable", True), r.texts("not_for")
    return Exclusion(_rule(key, r, lists), overridable, not_for)


def _lifecycle(r: Reader | None, youth: YouthStrand, min_needs: int) -> LifecycleRules:
    values: dict[str, object] = {"youth_strand": youth.enabled, "youth_ages": youth.ages,
                                 "partner_referral_min_needs": min_needs}
    if r is not None:
        for f in fields(LifecycleRules):
            if f.name in values or f.name not in r.data:
                continue
            if f.name == "deciding_agencies":
                values[f.name] = r.texts(f.name, frozenset(OrganisationKind.values))
            elif f.name == "prevent_and_deter":
                values[f.name] = r.flag(f.name)
            else:
                values[f.name] = r.whole(f.name)
                if values[f.name] == 0 and f.name != "partner_referral_min_needs":
                    raise r.error(f.name, "must be 1 or more")
        r.done()
    return LifecycleRules(**values)  # type: ignore[arg-type]


def read_policy(path: Path) -> SchemePolicy:
    """One policy file, checked; a PolicyFileError names the file, key and problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise policy_error(path, "", f"is not valid TOML ({exc})") from exc
    except OSError as exc:
        raise policy_error(path, "", f"cannot be read ({exc.strerror})") from exc
    return _build(path, Reader(path, data))


def _build(path: Path, top: Reader) -> SchemePolicy:
    name, version = top.text("name"), top.whole("version")
    if version < 1:
        raise top.error("version", "must be 1 or more")
    if path.stem not in (name, f"{name}.v{version}"):
        raise top.error("name", f"the file must be called {name}.toml or {name}.v{version}.toml")
    lists = {}
    for key, table in top.keyed_tables("offence_lists").items():
        lists[key] = table.texts("codes", required=True)
        table.done()
    rule_tables = top.keyed_tables("criteria")
    rules = {key: _rule(key, t, lists) for key, t in rule_tables.items()}
    cohort_types = tuple(_cohort_type(t, rule_tables) for t in top.tables("cohort_types"))
    if not cohort_types:
        raise top.error("cohort_types", "at least one cohort type is needed")
    youth = _youth(top.table("youth"), rule_tables)
    exclusions = tuple(_exclusion(k, t, lists) for k, t in top.keyed_tables("exclusions").items())
    keys = [c.key for c in cohort_types] + ([youth.cohort.key] if youth.enabled else [])
    if len(set(keys)) != len(keys):
        raise top.error("cohort_types", "cohort type keys must differ")
    for exclusion in exclusions:
        if wrong := sorted(set(exclusion.not_for) - set(keys)):
            raise top.error(f"exclusions.{exclusion.rule.key}.not_for",
                            f"no cohort type {wrong[0]!r}")
    floor = _floor(top, keys)
    needs, min_needs = _needs(top)
    routes = tuple(Route(t.choice("kind", ROUTE_KINDS), t.text("label"), t.text("seed"))
                   for t in top.tables("routes"))
    title = top.text("title")
    terms = SchemeTerms(name, version, title,
                        tuple((c.key, c.label) for c in cohort_types)
                        + ((YOUTH_COHORT,) if youth.enabled else ()),
                        _lifecycle(top.table("lifecycle"), youth, min_needs), floor, needs)
    policy = SchemePolicy(name, version, title, top.text("seed"), path, cohort_types, rules,
                          exclusions, youth, routes, needs, terms)
    top.done()
    return policy


def _floor(top: Reader, keys: list[str]) -> tuple[str, float] | None:
    r = top.table("floor")
    if r is None:
        return None
    key, share = r.choice("cohort_type", frozenset(keys)), r.number("at_least")
    if share is None or not 0 < share <= 1:
        raise r.error("at_least", "must be a share between 0 and 1")
    r.done()
    return key, share


def _needs(top: Reader) -> tuple[tuple[str, ...], int]:
    r = top.table("partner_referral")
    if r is None:
        return (), 0
    needs, least = r.texts("needs", frozenset(Need.values), required=True), r.whole("min_needs")
    if not 1 <= least <= len(needs):
        raise r.error("min_needs", f"must be from 1 to {len(needs)}")
    r.done()
    return needs, least


def load_policies(directory: Path = POLICY_DIR) -> dict[tuple[str, int], SchemePolicy]:
    """Every policy version in the folder, by (name, version)."""
    found: dict[tuple[str, int], SchemePolicy] = {}
    for path in sorted(directory.glob("*.toml")):
        policy = read_policy(path)
        if (policy.name, policy.version) in found:
            other = found[policy.name, policy.version].path.name
            raise policy_error(path, "version",
                               f"{policy.name} version {policy.version} is also in {other}")
        found[policy.name, policy.version] = policy
    if not found:
        raise PolicyFileError(message=f"No scheme policy files in {directory}",
                              code="bad_policy_file")
    return found


@cache
def installed_policies() -> dict[tuple[str, int], SchemePolicy]:
    return load_policies(POLICY_DIR)


def newest_policies() -> list[SchemePolicy]:
    """The newest version of each policy, in name order."""
    newest: dict[str, SchemePolicy] = {}
    for (name, _), policy in sorted(installed_policies().items()):
        newest[name] = policy
    return list(newest.values())


def policy_version(name: str, version: int | None = None) -> SchemePolicy:
    """A policy by name (and version; the newest when None), or a clear refusal."""
    installed = installed_policies()
    versions = sorted(v for n, v in installed if n == name)
    if not versions:
        known = ", ".join(sorted({n for n, _ in installed}))
        raise DomainError.on_field("policy", f"Unknown scheme policy {name!r}. Known: {known}.",
                                   code="unknown_policy")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise DomainError.on_field(
            "version", f"{name} has no version {version}; versions: "
                       f"{', '.join(str(v) for v in versions)}.", code="unknown_policy")
    return installed[name, chosen]


def newest_policy(name: str) -> SchemePolicy:
    return policy_version(name)


def scheme_terms(name: str, version: int | None = None) -> SchemeTerms:
    """The lifecycle terms of a scheme policy version, or a clear refusal.

    A case keeps the terms of the version it was placed under, so pass its
    ``policy_version``; without a version (a new referral) the newest counts.
    The policies are the files in ``policies/``.
    """
    return policy_version(name, version).terms


def scheme_names() -> list[tuple[str, str]]:
    return [(p.name, p.title) for p in newest_policies()]

"""Every measure of the pack from plain frames (no Django): the same for the pages, the
exports, the API and the benchmark.

``build_tables`` returns the tables before suppression; ``suppressed_tables``
applies small-number suppression once, for every output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from itertools import pairwise

import polars as pl

from iom.scoring.batch.frames import as_text, stored_in, whole_years
from iom.scoring.engine.config import ScoringConfig

from .batch import person_measures_frame
from .config import ENFORCEMENT_CAVEAT, ReportingConfig, band_label
from .disproportionality import relative_rate
from .matching import TITLES as MATCHING_TITLES
from .matching import MatchResult, balance, match
from .tables import Cell, PackCell, Table, column_lines, row_lines, suppressed_pack
from .youth import youth_table

ALL = "All"
ETHNIC_GROUPS = {"A": "Asian or Asian British", "B": "Black or Black British", "M": "Mixed",
                 "W": "White", "O": "Other ethnic group", "N": "Not stated"}
MEASURE_COLUMNS = ("people", "proven_before", "proven_after", "arrests_before",
                   "arrests_after", "frequency_before", "frequency_after", "css_before",
                   "css_after", "css_mean_before", "css_mean_after", "median_days_to_first",
                   "ogrs3_change", "risk_change")
COLUMN_TITLES = {
    "people": "People", "proven_before": "Proven offences before",
    "proven_after": "Proven offences after", "arrests_before": "Arrests before",
    "arrests_after": "Arrests after",
    "frequency_before": "Proven offences a year at liberty, before (mean)",
    "frequency_after": "Proven offences a year at liberty, after (mean)",
    "css_before": "Crime Severity Score before (sum)",
    "css_after": "Crime Severity Score after (sum)",
    "css_mean_before": "Severity per proven offence before (mean)",
    "css_mean_after": "Severity per proven offence after (mean)",
    "median_days_to_first": "Days to first proven offence after (median)",
    "ogrs3_change": "Change in OGRS 3 2-year % (mean)",
    "risk_change": "Change in risk score (mean)",
    "change": "Change (after less before)", "estimate": "Estimate", "low": "95% interval, low",
    "high": "95% interval, high", "treated": "Cohort members",
    "treated_percent": "Cohort members (%)", "comparison": "Comparison pool",
    "comparison_matched": "Comparison matched",
    "matched_percent": "Comparison matched, weighted (%)",
    "on_cohort": "On the cohort at month end", "entries": "Placed in the month",
    "exits": "Left in the month", "cohort": "Cohort", "eligible": "Eligible population",
    "partnership": "Everyone of the partnership", "rri_eligible": "RRI against eligible",
    "rri_eligible_low": "RRI against eligible, low", "rri_eligible_high":
        "RRI against eligible, high", "rri_partnership": "RRI against the partnership",
    "rri_partnership_low": "RRI against the partnership, low",
    "rri_partnership_high": "RRI against the partnership, high", "recorded": "Recorded",
    "started": "Started", "completed": "Completed",
}


@dataclass(frozen=True)
class ImpactFrames:
    events: pl.DataFrame
    custody: pl.DataFrame
    people: pl.DataFrame  # person_id, date_of_birth, gender, ethnicity, district
    treated: pl.DataFrame  # person_id, index_date, cohort_type
    comparison: pl.DataFrame  # person_id, index_date
    eligible: pl.DataFrame  # person_id: met the policy on the first day of the period
    scores_at_index: pl.DataFrame  # person_id, ogrs3, risk, css
    scores_at_report: pl.DataFrame  # person_id, ogrs3, risk, css
    memberships: pl.DataFrame  # person_id, cohort_type, rag, strand, placed_on, ended_on
    outcomes: pl.DataFrame  # kind, status, recorded_on
    referrals: pl.DataFrame  # pathway, status, status_on
    compliance: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(
        schema={"rule": pl.String, "status": pl.String}))  # each deadline due in the period


@dataclass(frozen=True)
class Pack:
    title: str
    period: str
    tables: tuple[Table, ...]
    caveat: str = ENFORCEMENT_CAVEAT
    method: tuple[str, ...] = field(default=())
    figures_as_at: datetime | None = None  # when the tables were computed

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def build_tables(f: ImpactFrames, *, date_from: date, date_to: date, period: str,
                 labels: Mapping[str, str], cfg: ReportingConfig,
                 scoring: ScoringConfig) -> tuple[list[Table], MatchResult]:
    treated = _measured(f, f.treated, date_to, cfg, scoring)
    comparison = _measured(f, f.comparison.with_columns(cohort_type=pl.lit("")), date_to, cfg,
                           scoring)
    result = match(_pool(f, treated, comparison, scoring), cfg.matching)
    label = _labeller(labels)
    tables = [
        _before_after("before_after", "Before and after selection: full window at liberty",
                      treated.filter(pl.col("full_after")), label, period, cfg),
        _before_after("before_after_partial",
                      "Before and after selection: less than the full window so far",
                      treated.filter(~pl.col("full_after")), label, period, cfg),
        youth_table(treated.filter(pl.col("full_after")), f.memberships, f.events,
                    date_from=date_from, date_to=date_to, period=period,
                    proven_types=cfg.proven_event_types),
        _comparison(result, period), _did(result, period, cfg),
        _balance(result, period),
        _composition(f.memberships, date_from, date_to, label, period),
        _status_mix("rag_mix", "RAG status at the end of the period", "rag", f.memberships,
                    date_to, period, label),
        _status_mix("strand_mix", "Strands at the end of the period", "strand", f.memberships,
                    date_to, period, label),
        _disproportionality(f, date_to, period, cfg),
        _partial_by_gender(f, treated.filter(~pl.col("full_after"))),
        _outcomes(f.outcomes, period, label), _referrals(f.referrals, period, label),
        _compliance(f.compliance, period, label),
    ]
    return [t if t.headings else _headed(t) for t in tables], result


def _headed(table: Table, extra: Mapping[str, str] | None = None) -> Table:
    titles = {**COLUMN_TITLES, **(extra or {})}
    return replace(table, headings=tuple(titles.get(c, c) for c in table.columns))


def suppressed_tables(tables: list[Table], cfg: ReportingConfig) -> tuple[Table, ...]:
    """Every table suppressed together, with the figures two tables share linked; the
    unpublished table is left out."""
    lines, identities = pack_links(tables)
    return tuple(suppressed_pack(tables, lines, cfg.small_number_threshold,
                                 identities=identities))


# Figures of the pack that are the same in two tables, or follow from figures of other
# tables (docs/reporting.md, "Small numbers", 5). Lines: the last cell is the total of the
# others (two cells: the same figure). Identities: cells with coefficients adding to 0.
PackLine = tuple[PackCell, ...]
PackIdentity = tuple[tuple[PackCell, int], ...]
UNPUBLISHED = "unpublished_partial_by_gender"


def pack_links(tables: list[Table]) -> tuple[list[PackLine], list[PackIdentity]]:
    rows = {t.key: dict(t.rows) for t in tables}

    def has(table: str, row: str, column: str) -> bool:
        return column in rows.get(table, {}).get(row, {})

    lines: list[PackLine] = []

    def same(*cells: PackCell) -> None:
        present = [c for c in cells if has(*c)]
        lines.extend(pairwise(present))

    # The Deter Young Offender table's "All" is the before-and-after table's (the same
    # people, with the full after-window).
    for column in ("people", "proven_after"):
        same(("before_after", ALL, column), ("youth", ALL, column))
    # The unpublished split of the second before-and-after table adds up to its "All".
    same(("before_after_partial", ALL, "people"), (UNPUBLISHED, ALL, "people"))
    # The comparison's cohort members and comparison people with the full window, and the
    # matched comparison people, are each variable's total in the balance table; the
    # first are the before-and-after table's "All" too.
    variables = [r for r in rows.get("balance", {}) if r.endswith(": all")]
    for column, other in (("treated", ("comparison", COHORT_FULL, "people")),
                          ("comparison", ("comparison", COMPARISON_FULL, "people")),
                          ("comparison_matched", ("comparison", COMPARISON_MATCHED, "people"))):
        extra = [("before_after", ALL, "people")] if column == "treated" else []
        same(*extra, other, *(("balance", v, column) for v in variables))
    # Everyone placed in the period, in the disproportionality table by age, gender and
    # ethnicity alike, is those with the full window and those without.
    totals = [r for r in rows.get("disproportionality", {}) if r.endswith(": all")]
    for column in ("cohort", "eligible", "partnership"):
        same(*(("disproportionality", t, column) for t in totals))
    if totals and all(has(*c) for c in (("before_after", ALL, "people"),
                                        ("before_after_partial", ALL, "people"))):
        lines.append((("before_after", ALL, "people"), ("before_after_partial", ALL, "people"),
                      ("disproportionality", totals[0], "cohort")))
    # The people on the cohort at the end of the last month are those at the end of the
    # period, by RAG and by strand.
    months = list(rows.get("composition", {}))
    if months:
        same(("composition", months[-1], "on_cohort"), ("rag_mix", ALL, "people"),
             ("strand_mix", ALL, "people"))
    return lines, _gender_identities(rows)


def _gender_identities(rows: Mapping[str, Mapping[str, Mapping[str, Cell]]]
                       ) -> list[PackIdentity]:
    """The cohort members of a gender in the disproportionality table are those of the
    balance table (the full window) and those with less than the full window so far
    (unpublished), whose total is the second before-and-after table's."""
    out: list[PackIdentity] = []
    balance = [r for r in rows.get("balance", {}) if r.startswith(f"{GENDER_TITLE}: ")
               and not r.endswith(": all")]
    for row in rows.get(UNPUBLISHED, {}):
        if row == ALL:
            continue
        word = row.removeprefix("Gender: ")
        bands = [b for b in balance
                 if GENDERS.get(b.removeprefix(f"{GENDER_TITLE}: "), OTHER_GENDER) == word]
        if "cohort" not in rows.get("disproportionality", {}).get(row, {}):
            continue
        out.append(((("disproportionality", row, "cohort"), 1), ((UNPUBLISHED, row, "people"), -1),
                    *((("balance", b, "treated"), -1) for b in bands)))
    return out


def _labeller(labels: Mapping[str, str]) -> Callable[[str | None], str]:
    return lambda key: labels.get(key or "", key or "No cohort type")


def _measured(f: ImpactFrames, index: pl.DataFrame, report: date, cfg: ReportingConfig,
              scoring: ScoringConfig) -> pl.DataFrame:
    m = person_measures_frame(f.events, f.custody, index, report, cfg, scoring)
    at_index = f.scores_at_index.select("person_id", ogrs3_index="ogrs3", risk_index="risk",
                                        css_index="css").unique("person_id")
    at_report = f.scores_at_report.select("person_id", ogrs3_now="ogrs3", risk_now="risk")
    return (m.join(at_index, on="person_id", how="left").join(at_report, on="person_id",
                                                             how="left")
            .with_columns(ogrs3_change=pl.col("ogrs3_now") - pl.col("ogrs3_index"),
                          risk_change=pl.col("risk_now") - pl.col("risk_index")))


def _pool(f: ImpactFrames, treated: pl.DataFrame, comparison: pl.DataFrame,
          scoring: ScoringConfig) -> pl.DataFrame:
    both = pl.concat([treated.with_columns(treated=pl.lit(value=True)),
                      comparison.with_columns(treated=pl.lit(value=False))], how="diagonal")
    prior = _prior_offences(f.events, both.select("person_id", "index_date"), scoring)
    return (both.join(f.people.select("person_id", "date_of_birth", "gender"), on="person_id",
                      how="left")
            .join(prior, on="person_id", how="left")
            .with_columns(age=whole_years(pl.col("date_of_birth"), pl.col("index_date")),
                          ogrs3=pl.col("ogrs3_index"), prior_css=pl.col("css_index"),
                          prior_offences=pl.col("prior_offences").fill_null(0)))


def _prior_offences(events: pl.DataFrame, index: pl.DataFrame,
                    scoring: ScoringConfig) -> pl.DataFrame:
    """Proven offences before the index date (all time), and the OGRS 3 category of the
    latest (the main offence type)."""
    categories = scoring.ogrs3.offence_map
    names = scoring.ogrs3.offence_names
    schema = events.collect_schema()
    proven = (events.lazy().filter(stored_in("event_type", ("conviction", "caution"), schema))
              .select(pl.col("person_id").cast(pl.Int64),
                      placed=pl.coalesce("offence_date", "event_date"),
                      ho_code=as_text("ho_code", schema))
              .join(index.lazy(), on="person_id")
              .filter(pl.col("placed") <= pl.col("index_date")))
    return (proven.group_by("person_id").agg(
        prior_offences=pl.len().cast(pl.Int64),
        # the latest; on a tie the greatest code, so the answer never depends on row order
        ho_code=pl.col("ho_code").sort_by(["placed", "ho_code"], nulls_last=False).last())
        .with_columns(offence_type=pl.col("ho_code").replace_strict(
            {k: names.get(v, v) for k, v in categories.items()}, default="Other or unknown",
            return_dtype=pl.String))
        .drop("ho_code").collect())


def _groups(frame: pl.DataFrame, label: Callable[[str | None], str]
            ) -> list[tuple[str, pl.DataFrame]]:
    keys = sorted({k or "" for k in frame["cohort_type"].to_list()}) if frame.height else []
    return [(label(k), frame.filter(pl.col("cohort_type").fill_null("") == k)) for k in keys]


def _before_after(key: str, title: str, people: pl.DataFrame,
                  label: Callable[[str | None], str], period: str,
                  cfg: ReportingConfig) -> Table:
    groups = [g for g in _groups(people, label) if g[0] != ALL]
    rows = [(name, _measure_cells(name, frame)) for name, frame in [*groups, (ALL, people)]]
    counts = ["people", "proven_before", "proven_after", "arrests_before", "arrests_after"]
    # with one group its row is the "All" row: a line of two, the same figures
    lines = column_lines([g for g, _ in groups], ALL, counts)
    notes = (f"Windows of {cfg.window_days} days at liberty before and after the selection "
             "date; days in custody are left out.",
             "People whose after-window has not yet run its full length are in a table of "
             "their own, with rates over the days at liberty seen so far.")
    return Table(key, title, MEASURE_COLUMNS, tuple(rows), period, notes, tuple(lines))


def _measure_cells(row: str, p: pl.DataFrame) -> dict[str, Cell]:
    n = p.height
    proven_b, proven_a = int(p["proven_before"].sum()), int(p["proven_after"].sum())
    firsts = p["days_to_first_proven"].drop_nulls()

    def mean(col: str) -> float | None:
        s = p[col].drop_nulls()
        return float(s.mean()) if s.len() else None  # type: ignore[arg-type]

    people_cell = (row, "people")
    return {
        "people": Cell(n),
        "proven_before": Cell(proven_b, base=people_cell),
        "proven_after": Cell(proven_a, base=people_cell),
        "arrests_before": Cell(int(p["arrests_before"].sum()), base=people_cell),
        "arrests_after": Cell(int(p["arrests_after"].sum()), base=people_cell),
        "frequency_before": Cell(mean("frequency_before"), "rate", people_cell),
        "frequency_after": Cell(mean("frequency_after"), "rate", people_cell),
        "css_before": Cell(float(p["css_before"].sum()), "score", people_cell),
        "css_after": Cell(float(p["css_after"].sum()), "score", people_cell),
        "css_mean_before": Cell(float(p["css_before"].sum()) / proven_b if proven_b else None,
                                "mean", (row, "proven_before")),
        "css_mean_after": Cell(float(p["css_after"].sum()) / proven_a if proven_a else None,
                               "mean", (row, "proven_after")),
        "median_days_to_first": Cell(float(firsts.median()) if firsts.len() else None,  # type: ignore[arg-type]
                                     "mean", firsts.len()),
        "ogrs3_change": Cell(mean("ogrs3_change"), "mean", p["ogrs3_change"].drop_nulls().len()),
        "risk_change": Cell(mean("risk_change"), "mean", p["risk_change"].drop_nulls().len()),
    }


COHORT_FULL = "Cohort members with the full window"
COMPARISON_FULL = "Comparison people with the full window"
COMPARISON_MATCHED = "Comparison group (matched, weighted)"


def _comparison(r: MatchResult, period: str) -> Table:
    t_row, c_row = "Cohort members (matched)", COMPARISON_MATCHED

    def change(after: float | None, before: float | None) -> float | None:
        return None if after is None or before is None else after - before

    rows = (
        (t_row, {"people": Cell(r.treated_matched),
                 "frequency_before": Cell(r.treated_before, "rate", (t_row, "people")),
                 "frequency_after": Cell(r.treated_after, "rate", (t_row, "people")),
                 "change": Cell(change(r.treated_after, r.treated_before), "rate",
                                (t_row, "people"))}),
        (c_row, {"people": Cell(r.comparison_matched),
                 "frequency_before": Cell(r.comparison_before, "rate", (c_row, "people")),
                 "frequency_after": Cell(r.comparison_after, "rate", (c_row, "people")),
                 "change": Cell(change(r.comparison_after, r.comparison_before), "rate",
                                (c_row, "people"))}),
        ("Cohort members not matched", {"people": Cell(r.treated - r.treated_matched)}),
        ("Comparison people not matched", {"people": Cell(r.comparison - r.comparison_matched)}),
        (COHORT_FULL, {"people": Cell(r.treated)}),
        (COMPARISON_FULL, {"people": Cell(r.comparison)}),
    )
    lines = (((t_row, "people"), ("Cohort members not matched", "people"),
              (COHORT_FULL, "people")),
             ((c_row, "people"), ("Comparison people not matched", "people"),
              (COMPARISON_FULL, "people")))
    return Table("comparison", "Cohort members against a matched comparison group",
                 ("people", "frequency_before", "frequency_after", "change"), rows, period,
                 ("Proven offences per 365 days at liberty. The comparison group's means are "
                  "weighted so that it has the cohort's mix of strata.", ENFORCEMENT_CAVEAT),
                 lines)


def _did(r: MatchResult, period: str, cfg: ReportingConfig) -> Table:
    base = min(r.treated_matched, r.comparison_matched)
    row = {"estimate": Cell(r.did, "rate", base), "low": Cell(r.ci_low, "rate", base),
           "high": Cell(r.ci_high, "rate", base)}
    pct = round(cfg.matching.confidence * 100)
    return Table("did", "Difference in differences (proven offences a year at liberty)",
                 ("estimate", "low", "high"), (("Cohort against comparison", row),), period,
                 (f"A negative estimate means the cohort's offending fell by more than the "
                  f"comparison group's. {pct}% interval from {r.bootstrap_samples} stratified "
                  f"bootstrap resamples (seed {r.seed}).", ENFORCEMENT_CAVEAT))


def _balance(r: MatchResult, period: str) -> Table:
    b = balance(r)
    rows: list[tuple[str, dict[str, Cell]]] = []
    lines = []
    for (variable,), part in b.group_by("variable", maintain_order=True):
        names = [f"{variable}: {band}" for band in part["band"].to_list()]
        total = f"{variable}: all"
        t_all = int(part["treated"].sum())
        m_all = int(part["comparison_matched"].sum())
        for name, rec in zip(names, part.iter_rows(named=True), strict=True):
            rows.append((name, {
                "treated": Cell(rec["treated"]),
                "treated_percent": Cell(100 * rec["treated"] / t_all if t_all else None,
                                        "percent", (name, "treated")),
                "comparison": Cell(rec["comparison"]),
                "comparison_matched": Cell(rec["comparison_matched"]),
                "matched_percent": Cell(rec["matched_percent"] if m_all else None, "percent",
                                        (name, "comparison_matched"))}))
        rows.append((total, {"treated": Cell(t_all), "comparison": Cell(
            int(part["comparison"].sum())), "comparison_matched": Cell(m_all)}))
        lines += column_lines(names, total, ["treated", "comparison", "comparison_matched"])
    return Table("balance", "Balance of the matching variables",
                 ("treated", "treated_percent", "comparison", "comparison_matched",
                  "matched_percent"), tuple(rows), period,
                 ("Coarsened exact matching: after matching, the weighted comparison group has "
                  "the matched cohort members' mix in every band.",), tuple(lines))


def _months(date_from: date, date_to: date) -> list[tuple[str, date, date]]:
    out, first = [], date_from.replace(day=1)
    while first <= date_to:
        nxt = (first + timedelta(days=32)).replace(day=1)
        out.append((f"{first:%b %Y}", first, min(nxt - timedelta(days=1), date_to)))
        first = nxt
    return out


def _composition(m: pl.DataFrame, date_from: date, date_to: date,
                 label: Callable[[str | None], str], period: str) -> Table:
    types = sorted({t or "" for t in m["cohort_type"].to_list()})
    type_cols = [f"type:{t}" for t in types]
    rows = []
    for name, first, last in _months(date_from, date_to):
        on = m.filter((pl.col("placed_on") <= last)
                      & (pl.col("ended_on").is_null() | (pl.col("ended_on") > last)))
        cells = {"on_cohort": Cell(on.height),
                 "entries": Cell(m.filter(pl.col("placed_on").is_between(first, last)).height),
                 "exits": Cell(m.filter(pl.col("ended_on").is_between(first, last)).height)}
        for t, col in zip(types, type_cols, strict=True):
            cells[col] = Cell(on.filter(pl.col("cohort_type").fill_null("") == t).height)
        rows.append((name, cells))
    # with one cohort type its column is the people on the cohort: a line of two
    lines = row_lines([r for r, _ in rows], type_cols, "on_cohort") if types else []
    # A month's people on the cohort are the month before's, plus those placed, less those
    # who left: any one of the four follows from the other three.
    identities = tuple(((before, "on_cohort", 1), (month, "entries", 1), (month, "exits", -1),
                        (month, "on_cohort", -1)) for (before, _), (month, _) in pairwise(rows))
    titles = {c: f"On the cohort: {label(t)}" for c, t in zip(type_cols, types, strict=True)}
    return _headed(Table("composition", "Cohort composition by month",
                 ("on_cohort", "entries", "exits", *type_cols), tuple(rows), period,
                 ("Each cohort type's columns add up to the people on the cohort.",
                  "Someone placed and leaving in the same month counts in both."),
                 tuple(lines), identities=identities), titles)


def _status_mix(key: str, title: str, column: str, m: pl.DataFrame, day: date,
                period: str, label: Callable[[str | None], str]) -> Table:
    on = m.filter((pl.col("placed_on") <= day)
                  & (pl.col("ended_on").is_null() | (pl.col("ended_on") > day)))
    values = sorted({v or "none" for v in on[column].to_list()})
    names = [label(v) for v in values]
    rows = [(n, {"people": Cell(on.filter(pl.col(column).fill_null("none") == v).height)})
            for n, v in zip(names, values, strict=True)]
    rows.append((ALL, {"people": Cell(on.height)}))
    return Table(key, title, ("people",), tuple(rows), period, (),
                 tuple(column_lines(names, ALL, ["people"])))


# The people table's gender codes in words (iom/people/models/nominal.py, Gender).
GENDERS = {"M": "Male", "F": "Female"}
OTHER_GENDER = "Other or not known"
GENDER_TITLE = MATCHING_TITLES["gender"]  # the balance table's rows: "Gender: M"


def _gender_words() -> pl.Expr:
    return pl.col("gender").replace_strict(GENDERS, default=OTHER_GENDER, return_dtype=pl.String)


def _partial_by_gender(f: ImpactFrames, partial: pl.DataFrame) -> Table:
    """Unpublished: the cohort members with less than the full window so far, by gender
    in the disproportionality table's words. The balance table counts the others by
    gender, and the disproportionality table counts them all, so an onlooker could take
    one from the other; the suppression keeps a small difference unknown."""
    words = f.people.select("person_id", gender=_gender_words())
    groups = sorted(set(words["gender"].to_list()))
    theirs = words.join(partial.select("person_id"), on="person_id", how="semi")
    rows = [(f"Gender: {g}", {"people": Cell(int((theirs["gender"] == g).sum()))})
            for g in groups]
    rows.append((ALL, {"people": Cell(partial.height)}))
    names = [r for r, _ in rows[:-1]]
    return Table(UNPUBLISHED, "Cohort members with less than the full window, by gender",
                 ("people",), tuple(rows), lines=tuple(column_lines(names, ALL, ["people"])),
                 published=False)


def _demographics(people: pl.DataFrame, day: date, bands: tuple[float, ...]) -> pl.DataFrame:
    age = whole_years(pl.col("date_of_birth"), day).cast(pl.Float64)
    index = pl.sum_horizontal([(age >= b).cast(pl.Int32) for b in bands]) - 1
    labels = {i: band_label(bands, i) for i in range(-1, len(bands))}
    return people.select(
        "person_id",
        age_band=index.replace_strict(labels, return_dtype=pl.String),
        gender=_gender_words(),
        ethnicity=pl.col("ethnicity").fill_null("N").str.slice(0, 1).replace_strict(
            ETHNIC_GROUPS, default="Not stated", return_dtype=pl.String))


def _disproportionality(f: ImpactFrames, day: date, period: str,
                        cfg: ReportingConfig) -> Table:
    d = cfg.disproportionality
    everyone = _demographics(f.people, day, d.age_band)
    cohort = everyone.join(f.treated.select("person_id"), on="person_id", how="semi")
    eligible = everyone.join(pl.concat([f.eligible.select("person_id"),
                                        f.treated.select("person_id")]).unique(),
                             on="person_id", how="semi")
    rows, lines, flagged = [], [], []
    for column, title in (("age_band", "Age"), ("gender", "Gender"), ("ethnicity", "Ethnicity")):
        groups = sorted(set(everyone[column].to_list()))
        names = []
        for g in groups:
            name = f"{title}: {g}"
            names.append(name)
            a, b, c = (int((x[column] == g).sum()) for x in (cohort, eligible, everyone))
            cells = {"cohort": Cell(a), "eligible": Cell(b), "partnership": Cell(c)}
            for ref, n_ref, count in (("eligible", eligible.height, b),
                                      ("partnership", everyone.height, c)):
                r = relative_rate(a, cohort.height, count, n_ref, d)
                base = (name, "cohort")
                cells[f"rri_{ref}"] = Cell(r.index, "rate", base)
                cells[f"rri_{ref}_low"] = Cell(r.low, "rate", base)
                cells[f"rri_{ref}_high"] = Cell(r.high, "rate", base)
                if r.flagged and a >= cfg.small_number_threshold:
                    flagged.append(f"{name} (against the {ref} population)")
            rows.append((name, cells))
        total = f"{title}: all"
        rows.append((total, {"cohort": Cell(cohort.height), "eligible": Cell(eligible.height),
                             "partnership": Cell(everyone.height)}))
        lines += column_lines(names, total, ["cohort", "eligible", "partnership"])
    notes = [f"Relative rate index: the cohort's share of a group over the reference "
             f"population's share, flagged outside {d.flag_below:g} to {d.flag_above:g}.",
             ("Flagged: " + "; ".join(flagged)) if flagged else "No group is flagged."]
    return Table("disproportionality", "Disproportionality: cohort members selected in the "
                 "period against the eligible population and the partnership",
                 ("cohort", "eligible", "partnership", "rri_eligible", "rri_eligible_low",
                  "rri_eligible_high", "rri_partnership", "rri_partnership_low",
                  "rri_partnership_high"), tuple(rows), period, tuple(notes), tuple(lines))


def _outcomes(o: pl.DataFrame, period: str, label: Callable[[str | None], str]) -> Table:
    """Outcomes recorded in the period by kind and state (labels keyed ``kind:state``)."""
    rows, lines = [], []
    for kind in sorted(set(o["kind"].to_list())):
        part = o.filter(pl.col("kind") == kind)
        names = []
        for status in sorted(set(part["status"].to_list())):
            name = f"{label(kind)}: {label(f'{kind}:{status}')}"
            names.append(name)
            rows.append((name, {"recorded": Cell(int((part["status"] == status).sum()))}))
        total = f"{label(kind)}: all"
        rows.append((total, {"recorded": Cell(part.height)}))
        lines += column_lines(names, total, ["recorded"])
    return Table("outcomes", "Intermediate outcomes recorded in the period", ("recorded",),
                 tuple(rows), period, ("From the people's intervention plans: each outcome "
                                       "recorded in the period, by its state.",), tuple(lines))


def _referrals(r: pl.DataFrame, period: str, label: Callable[[str | None], str]) -> Table:
    keys = sorted(set(r["pathway"].to_list()))
    pathways = [label(p) for p in keys]
    rows = []
    for key, name in [*zip(keys, pathways, strict=True), (ALL, ALL)]:
        part = r if key == ALL else r.filter(pl.col("pathway") == key)
        rows.append((name, {"started": Cell(int((part["status"] == "started").sum())),
                         "completed": Cell(int((part["status"] == "completed").sum()))}))
    return Table("referrals", "Referrals to services by pathway: starts and completions",
                 ("started", "completed"), tuple(rows), period,
                 ("A referral counts where its latest status (started or completed) was "
                  "recorded in the period.",),
                 tuple(column_lines(pathways, ALL, ["started", "completed"])))


def _compliance(c: pl.DataFrame, period: str, label: Callable[[str | None], str]) -> Table:
    """Each compliance rule's deadlines due in the period and the share met on time."""
    rows, lines = [], []
    for rule in sorted(set(c["rule"].to_list())):
        part = c.filter(pl.col("rule") == rule)
        name = label(f"rule:{rule}")
        counts = {s: int((part["status"] == s).sum()) for s in ("met", "met_late", "late", "due")}
        rows.append((name, {"deadlines": Cell(part.height),
                            **{s: Cell(n) for s, n in counts.items()},
                            "on_time_percent": Cell(100 * counts["met"] / part.height
                                                    if part.height else None, "percent",
                                                    (name, "deadlines"))}))
        lines.append(tuple((name, k) for k in ("met", "met_late", "late", "due", "deadlines")))
    return _headed(Table("compliance", "Compliance: deadlines due in the period, met on time",
                         ("deadlines", "met", "met_late", "late", "due", "on_time_percent"),
                         tuple(rows), period, ("Counted in working days as on the compliance "
                                               "dashboard; status as at the end of the period.",),
                         tuple(lines)),
                   {"deadlines": "Deadlines due", "met": "Done on time", "met_late": "Done late",
                    "late": "Late, not done", "due": "Due, not yet late",
                    "on_time_percent": "Done on time (%)"})

"""Per-event columns and the per-person sums built from them.

One pass over the events gives, per person, everything the Crime Severity
Score (inside the plain five years), the IOM Matrix and the risk score need.
OGRS 3 needs the sanctions only (see `sanction_aggregates`).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from iom.scoring.batch.frames import (
    Windows,
    as_text,
    band_index,
    category_index,
    stored_in,
)
from iom.scoring.batch.lookups import (
    CAT_UNKNOWN_RECORDED,
    EVENT_TYPES,
    OTHER_TYPE,
    Lookups,
    event_key,
)
from iom.scoring.engine.config import ScoringConfig

# OGRS 3's latest conviction is found as the maximum of one integer that packs
# (date, event id, code index): days + 2**22 in the top bits, then 32 bits of
# event id, then 8 bits of code index. Event ids must be below 2**32.
_DAY_OFFSET = 1 << 22
_ID_BITS = 32
_CODE_BITS = 8
MAX_EVENT_ID = (1 << _ID_BITS) - 1
_ID_UNIT = 1 << _CODE_BITS
_DAY_UNIT = 1 << (_ID_BITS + _CODE_BITS)


def prepared_events(
    events: pl.LazyFrame, lk: Lookups, w: Windows, cfg: ScoringConfig, css_after: date
) -> pl.DataFrame:
    """Events known at the as-at date that some score can use, in person order, indexed.

    t is the event-type index, ci the code index, known_before whether the
    event was known at the emerging-threat date.
    Most events are too old to count: only events after `events_after(w)`,
    Crime Severity Score events after `css_after` (the start of the longest
    extended window) and sanctions (OGRS 3 looks back without limit) are kept,
    which halves the rows every later step reads.
    Grouping by a column Polars knows is sorted is several times faster, so
    the events are put in person order (tables exported in that order, as the
    generator's are, cost only a check).
    """
    schema = events.collect_schema()
    # One filter on the stored columns, so that the Parquet reader applies it
    # while reading and decodes the other columns for the kept rows only.
    used = events.filter(
        (pl.col("event_date") <= w.as_at) & (pl.col("recorded_date") <= w.as_at)
        & ((pl.col("event_date") > events_after(w))
           | (_stored_type_in(cfg.css.event_types, schema) & (pl.col("event_date") > css_after))
           | _stored_type_in(cfg.ogrs3.sanction_event_types, schema))
    ).with_columns(t=category_index("event_type", schema, EVENT_TYPES, OTHER_TYPE).cast(pl.Int32))
    offence_date = ["offence_date"] if cfg.css.date_basis == "offence_date" else []
    indexed = used.select(
        pl.col("person_id").cast(pl.Int64),
        "event_id",
        "event_date",
        *offence_date,
        "t",
        ci=_code_index(schema, lk),
        da=pl.col("domestic_abuse").fill_null(value=False).cast(pl.Int32),
        known_before=(pl.col("event_date") <= w.before) & (pl.col("recorded_date") <= w.before),
    )
    return in_person_order(indexed.collect())


def _stored_type_in(names: frozenset[str], schema: pl.Schema) -> pl.Expr:
    """Twin of `type_in` on the stored event_type column, before t exists: only
    the names of EVENT_TYPES count, as there."""
    return stored_in("event_type", (n for n in names if n in EVENT_TYPES), schema)


def events_after(w: Windows) -> date:
    """Events on or before this date score nothing but the CSS and OGRS 3."""
    return min((w.matrix_offences_after, w.matrix_arrests_after, w.matrix_compliance_after,
                *w.event_bands_now, *w.event_bands_before))


def _code_index(schema: pl.Schema, lk: Lookups) -> pl.Expr:
    """ci of the HO code: a cast to an Enum of the known codes finds it without a join."""
    text = as_text("ho_code", schema)
    known = text.cast(pl.Enum(lk.codes), strict=False).to_physical().cast(pl.Int32)
    return (pl.when(text.is_null()).then(pl.lit(lk.null_code, pl.Int32))
            .otherwise(known.fill_null(lk.unknown_code)))


def in_person_order(frame: pl.DataFrame) -> pl.DataFrame:
    if frame["person_id"].is_sorted():
        return frame.with_columns(pl.col("person_id").set_sorted())
    return frame.sort("person_id", maintain_order=True)


def _key(lk: Lookups, bounds: tuple[date, ...]) -> pl.Expr:
    band = band_index(pl.col("event_date"), bounds).cast(pl.Int32)
    return event_key(pl.col("t"), pl.col("ci"), pl.col("da"), band, lk).cast(pl.Int32)


def type_in(names: frozenset[str]) -> pl.Expr:
    indexes = [EVENT_TYPES.index(n) for n in names if n in EVENT_TYPES]
    return pl.col("t").is_in(indexes) if indexes else pl.lit(value=False)


def counted_date(cfg: ScoringConfig) -> pl.Expr:
    """Twin of engine.crime_severity.counted_date."""
    if cfg.css.date_basis == "offence_date":
        return pl.coalesce("offence_date", "event_date")
    return pl.col("event_date")


def event_aggregates(ev: pl.LazyFrame, lk: Lookups, w: Windows, cfg: ScoringConfig) -> pl.LazyFrame:
    m = cfg.matrix
    css_event = type_in(cfg.css.event_types) & (counted_date(cfg) > w.css_five_years_back)
    offence_event = type_in(m.conviction_event_types | m.arrest_event_types)
    per_event = {
        "css_units": pl.lit(lk.css_units).gather(pl.col("ci")) * css_event,
        "css_unweighted": pl.lit(lk.css_unweighted).gather(pl.col("ci"))
        * css_event.cast(pl.Int32),
        "matrix_offences": pl.lit(lk.matrix_weight).gather(pl.col("ci"))
        * (offence_event & (pl.col("event_date") > w.matrix_offences_after)).cast(pl.Int32),
        "matrix_arrests": (type_in(m.arrest_event_types)
                           & (pl.col("event_date") > w.matrix_arrests_after)).cast(pl.Int32),
        "matrix_compliance": (type_in(m.compliance_event_types)
                              & (pl.col("event_date") > w.matrix_compliance_after)
                              ).cast(pl.Int32),
        **_risk_points(lk),
    }
    recent = ev.filter(
        (pl.col("event_date") > events_after(w))
        | (type_in(cfg.css.event_types) & (pl.col("event_date") > w.css_five_years_back))
    ).with_columns(**_risk_keys(lk, w))
    return sorted_person_sums(recent.select("person_id", **per_event), list(per_event))


def _risk_keys(lk: Lookups, w: Windows) -> dict[str, pl.Expr]:
    """Rows of the risk lookup at the as-at date and at the emerging-threat date."""
    return {
        "key_now": _key(lk, w.event_bands_now),
        "key_before": pl.when(pl.col("known_before")).then(_key(lk, w.event_bands_before))
        .otherwise(pl.lit(lk.no_points_key, pl.Int32)),
    }


def per_person_sums(rows: pl.LazyFrame, columns: list[str]) -> pl.LazyFrame:
    """Sums per person. The per-row values are made first, in their own step,
    because Polars gives a gather summed inside an aggregation the Null dtype
    when there are no rows, and a join on that column then fails."""
    return rows.group_by("person_id").agg(pl.col(c).sum().cast(pl.Int64) for c in columns)


def sorted_person_sums(rows: pl.LazyFrame, columns: list[str]) -> pl.LazyFrame:
    """Sums per person of rows already in person order, without hashing: each
    column's running total at a person's last row, less the total at the last
    row of the person before. Equal to `per_person_sums`, in person order; it
    saves most of the time of a grouping of millions of rows by a dozen sums.
    Rows out of person order would give wrong sums: only prepared events use it."""
    person = pl.col("person_id")
    last_of_person = (person != person.shift(-1)).fill_null(value=True)
    running = [pl.col(c).cast(pl.Int64).fill_null(0).cum_sum() for c in columns]
    return (
        rows.select(person, *running, _last=last_of_person)
        .filter(pl.col("_last"))
        .select(person, *(pl.col(c) - pl.col(c).shift(1, fill_value=0) for c in columns))
    )


def _risk_points(lk: Lookups) -> dict[str, pl.Expr]:
    points = {}
    for profile, table in lk.event_risk.items():
        points[f"risk_events_{profile}"] = pl.lit(table).gather(pl.col("key_now"))
        points[f"risk_events_before_{profile}"] = pl.lit(table).gather(pl.col("key_before"))
    return points


def recorded_categories(events: pl.LazyFrame, lk: Lookups, as_at: date) -> pl.LazyFrame:
    """event_id and ogrs3_rc (the index of the exact OGRS 3 category recorded with the
    event, or CAT_UNKNOWN_RECORDED) of the few events known at `as_at` that carry one.

    A separate small frame, joined to the one latest conviction per person, so that
    the millions of prepared events carry no extra column; tables without the
    optional ``ogrs3_category`` column have none.
    """
    schema = events.collect_schema()
    if "ogrs3_category" not in schema:
        return pl.LazyFrame(schema={"event_id": pl.Int64, "ogrs3_rc": pl.Int32})
    text = as_text("ogrs3_category", schema)
    index = text.cast(pl.Enum(lk.ogrs3_categories), strict=False).to_physical().cast(pl.Int32)
    return events.filter(
        text.is_not_null() & (pl.col("event_date") <= as_at)
        & (pl.col("recorded_date") <= as_at)
    ).select(pl.col("event_id").cast(pl.Int64),
             ogrs3_rc=index.fill_null(pl.lit(CAT_UNKNOWN_RECORDED, pl.Int32)))


def sanction_aggregates(
    ev: pl.LazyFrame, cfg: ScoringConfig, recorded: pl.LazyFrame | None = None
) -> pl.LazyFrame:
    """Per person with a conviction: the latest conviction, first sanction and sanction count.

    1. Keep sanctions (convictions and cautions).
    2. One grouping: pack (date, event id, code) into one integer; its maximum
       over the person's convictions is the latest conviction (ties: highest
       event id). With it, the earliest and latest sanction dates and the count
       of all the person's sanctions (by occasion: distinct dates).
    3. The earliest sanction is never after the latest conviction, which is a
       sanction itself. Only sanctions after the latest conviction (cautions)
       are not counted: for the few people who have any, those are counted in
       a second, small step and taken off.
    4. The latest conviction's recorded OGRS 3 category (`recorded_categories`),
       if any, is joined on by its event id, unpacked from the same integer.
    """
    latest_day = (pl.col("ogrs3_latest") // _DAY_UNIT - _DAY_OFFSET).cast(pl.Int32).cast(pl.Date)
    day = pl.col("event_date")
    count = day.n_unique() if cfg.ogrs3.count_sanctions_by == "occasion" else pl.len()
    sanctions = ev.filter(type_in(cfg.ogrs3.sanction_event_types))
    whole = (
        sanctions.group_by("person_id")
        .agg(
            ogrs3_latest=pl.when(pl.col("t") == EVENT_TYPES.index("conviction"))
            .then(_latest_key()).max(),
            ogrs3_first_sanction=day.min(),
            _last=day.max(),
            _all=count.cast(pl.Int64),
        )
        .filter(pl.col("ogrs3_latest").is_not_null())
        .with_columns(ogrs3_conviction_date=latest_day)
    )
    later = whole.filter(pl.col("_last") > pl.col("ogrs3_conviction_date")).select(
        "person_id", "ogrs3_conviction_date")
    after = (
        sanctions.join(later, on="person_id")
        .filter(day > pl.col("ogrs3_conviction_date"))
        .group_by("person_id")
        .agg(_after=count.cast(pl.Int64))
    )
    if recorded is None:
        recorded = pl.LazyFrame(schema={"event_id": pl.Int64, "ogrs3_rc": pl.Int32})
    return (
        whole.join(after, on="person_id", how="left")
        .with_columns(ogrs3_sanctions=pl.col("_all") - pl.col("_after").fill_null(0),
                      ogrs3_ci=pl.col("ogrs3_latest") % _ID_UNIT,
                      event_id=(pl.col("ogrs3_latest") // _ID_UNIT) % (1 << _ID_BITS))
        .join(recorded, on="event_id", how="left")
        .select("person_id", "ogrs3_latest", "ogrs3_first_sanction", "ogrs3_sanctions",
                "ogrs3_conviction_date", "ogrs3_ci", "ogrs3_rc")
    )


def _latest_key() -> pl.Expr:
    return ((pl.col("event_date").cast(pl.Int64) + _DAY_OFFSET) * _DAY_UNIT
            + pl.col("event_id") * _ID_UNIT + pl.col("ci"))

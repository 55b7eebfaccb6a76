"""The validation pass: every row of a feed file checked at once, in Polars.

Nothing here touches the database except through the ``known_people`` map it
is given, so a bad file is refused before anything is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
from django.utils import timezone

from iom.core import bounds
from iom.core.identifiers import PNC_CHECK_ALPHABET, known_offence_codes
from iom.people.validation import ogrs3_categories_for, ogrs3_category_names

from .feedformat import (
    COLUMNS,
    CONTENT_COLUMNS,
    CUSTODY_TYPES,
    DATE_COLUMNS,
    DISPOSALS,
    GENDERS,
    IDENTITY_COLUMNS,
    LATER_COLUMNS,
    MAX_LENGTHS,
    RECORD_TYPES,
    REQUIRED_COLUMNS,
    WHOLE_COLUMNS,
    is_parquet,
)
from .unreadable import NO_ROWS, header_problem, reading_problems

PROBLEM_CAP = 1000
PNC_FORM = r"^\d{4}/\d{7}[A-Z]$"
NO_IDENTITY = ("is not known here, and no row for it gives the forename, surname, date of "
               "birth and gender needed to add the person")
# A PNC ID is unique across the system, so a person held by another partnership
# cannot be added again. Saying only that it cannot be used, the same for every
# such clash, tells the uploader no more than the database's own rule does: not
# who holds it, where, or whether they are on a cohort.
HELD_ELSEWHERE = ("cannot be used to add a person in this partnership; ask your system "
                  "administrator")


@dataclass
class Checked:
    """A checked file: its rows ready to store, or the problems that refuse it."""

    rows: pl.DataFrame
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    bad_rows: int = 0
    problem_count: int = 0
    new_people: pl.DataFrame | None = None

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def read_feed(path: Path) -> pl.DataFrame:
    """Every column as text, blanks as nulls, with the row number in the file."""
    if is_parquet(path.name):
        raw = pl.read_parquet(path)
        raw = raw.select(pl.all().cast(pl.String))
    else:
        raw = pl.read_csv(path, infer_schema=False)
    raw = raw.rename({c: c.strip().lower() for c in raw.columns})
    missing = [c for c in COLUMNS if c not in raw.columns]
    raw = raw.with_columns(pl.lit(None, pl.String).alias(c) for c in missing)
    cleaned = [pl.col(c).str.strip_chars().replace("", None).alias(c) for c in COLUMNS]
    return raw.select(cleaned).with_row_index("row_number", offset=1)


def missing_columns(path: Path) -> list[str]:
    if is_parquet(path.name):
        names = list(pl.read_parquet_schema(path).keys())
    else:
        names = pl.scan_csv(path, infer_schema=False).collect_schema().names()
    present = {n.strip().lower() for n in names}
    return [c for c in REQUIRED_COLUMNS if c not in present]


def _date(name: str) -> pl.Expr:
    return pl.col(name).str.to_date("%Y-%m-%d", strict=False)


def _pnc_check() -> pl.Expr:
    year = pl.col("pnc_id").str.slice(2, 2).cast(pl.Int64, strict=False)
    serial = pl.col("pnc_id").str.slice(5, 7).cast(pl.Int64, strict=False)
    index = (year * 10**7 + serial) % 23
    expected = index.replace_strict(list(range(23)), list(PNC_CHECK_ALPHABET),
                                    return_dtype=pl.String, default=None)
    return pl.col("pnc_id").str.slice(12, 1) == expected


# Record types whose record_date is a day ahead: a listing, a hearing, a bail date.
SCHEDULED_TYPES = ("pending_case", "court_date", "bail_date")
TEXT_COLUMNS = tuple(c for c in COLUMNS if c not in DATE_COLUMNS)


def _date_rules(day: date) -> list[tuple[str, pl.Expr, str]]:
    """The bounds of iom/core/bounds.py, on the day of the file: no date before the
    earliest, no date after the file's day but for scheduled ones, which may lie ahead
    up to the horizon (docs/api.md, "Bounds")."""
    first, ahead = bounds.earliest_date(), bounds.latest_date("scheduled", day)
    scheduled = pl.col("record_type").is_in(SCHEDULED_TYPES)
    after_day = f"is after the file's day ({day:%-d %B %Y})"
    rules = [(c, _date(c) < first, f"is before {first:%-d %B %Y}") for c in DATE_COLUMNS]
    rules += [(c, _date(c) > ahead, f"is after {ahead:%-d %B %Y}")
              for c in ("record_date", "expected_release_date")]
    rules += [("record_date", ~scheduled & (_date("record_date") > day), after_day),
              ("end_date", _date("end_date") > day, after_day),
              ("date_of_birth", _date("date_of_birth") > day, after_day)]
    return rules


def _rules(day: date) -> list[tuple[str, pl.Expr, str]]:
    """(column, expression true when the row is wrong, reason)."""
    kind = pl.col("record_type")
    rules: list[tuple[str, pl.Expr, str]] = [
        (c, pl.col(c).is_null(), "is missing") for c in REQUIRED_COLUMNS]
    rules += [
        ("record_type", kind.is_not_null() & ~kind.is_in(list(RECORD_TYPES)),
         "is not a known record type"),
        ("pnc_id", pl.col("pnc_id").is_not_null() & ~pl.col("pnc_id").str.contains(PNC_FORM),
         "is not a PNC ID in the form YYYY/NNNNNNNC"),
        ("pnc_id", pl.col("pnc_id").str.contains(PNC_FORM) & ~_pnc_check(),
         "has the wrong check character"),
        ("source_record_id", pl.col("source_record_id").is_not_null()
         & pl.col("source_record_id").is_duplicated(), "appears more than once in this file"),
        ("custody_type", (kind == "custody") & ~pl.col("custody_type").is_in(CUSTODY_TYPES),
         "must be remand or sentence for a custody record"),
        ("disposal", pl.col("disposal").is_not_null() & ~pl.col("disposal").is_in(DISPOSALS),
         "is not a known disposal"),
        ("gender", pl.col("gender").is_not_null() & ~pl.col("gender").is_in(GENDERS),
         "must be M, F or X"),
        ("ho_code", pl.col("ho_code").is_not_null()
         & ~pl.col("ho_code").str.to_uppercase().is_in(sorted(known_offence_codes())),
         "is not a known Home Office offence code"),
        ("end_date", _date("end_date") < _date("record_date"), "is before the record date"),
        *_category_rules(),
        *_sentence_length_rules(),
    ]
    rules += [(c, pl.col(c).is_not_null() & _date(c).is_null(), "is not a date (YYYY-MM-DD)")
              for c in DATE_COLUMNS]
    rules += [(c, pl.col(c).str.len_chars() > bounds.text_limit(n),
               f"is longer than {bounds.text_limit(n)} characters")
              for c, n in MAX_LENGTHS.items()]
    # PostgreSQL cannot store a NUL character; SQLite would, silently.
    rules += [(c, pl.col(c).str.contains("\x00", literal=True), "contains a null character (NUL)")
              for c in TEXT_COLUMNS]
    return rules + _date_rules(day)


def _whole(name: str) -> pl.Expr:
    return pl.col(name).str.to_integer(strict=False)


def _sentence_length_rules() -> list[tuple[str, pl.Expr, str]]:
    """A sentence's length in days, as the people app takes it (validation.py
    ``validate_custody``): a whole number from 1 to ``bounds.SENTENCE_DAYS_MOST``, on a
    custody record of a sentence only (ADR 0017)."""
    length, given = _whole("sentence_length_days"), pl.col("sentence_length_days").is_not_null()
    most = bounds.SENTENCE_DAYS_MOST
    return [
        ("sentence_length_days", given & length.is_null(), "is not a whole number of days"),
        ("sentence_length_days", given & ((length < 1) | (length > most)),
         f"must be from 1 to {most:,} days"),
        ("sentence_length_days", given & (pl.col("record_type") != "custody"),
         "is given for a record that is not a custody record"),
        ("sentence_length_days", given & (pl.col("record_type") == "custody")
         & (pl.col("custody_type") != "sentence"),
         "is for a sentence only; leave it blank for remand"),
    ]


def _category_rules() -> list[tuple[str, pl.Expr, str]]:
    """An exact OGRS 3 category only on a conviction, one of the reference's, and one its
    Home Office code allows (docs/scores.md, "The exact offence category")."""
    category, code = pl.col("ogrs3_category"), pl.col("ho_code").str.to_uppercase()
    names = sorted(ogrs3_category_names())
    allowed = sorted(f"{c}|{k}" for c in known_offence_codes() for k in ogrs3_categories_for(c))
    given = category.is_not_null()
    return [
        ("ogrs3_category", given & (pl.col("record_type") != "conviction"),
         "is given for a record that is not a conviction"),
        ("ogrs3_category", given & ~category.is_in(names),
         "is not an OGRS 3 offence category (docs/feeds/pnc.md lists them)"),
        ("ogrs3_category", given & category.is_in(names)
         & ~(code.fill_null("") + "|" + category).is_in(allowed),
         "is not a category this row's Home Office code allows"),
    ]


def _problems(frame: pl.DataFrame, known: pl.DataFrame, elsewhere: pl.Series,
              day: date) -> pl.DataFrame:
    found = frame.join(known, on="pnc_id", how="left")
    has_identity = pl.all_horizontal(pl.col(c).is_not_null() for c in IDENTITY_COLUMNS) & (
        _date("date_of_birth").is_not_null()) & pl.col("gender").is_in(GENDERS)
    identified = found.filter(has_identity)["pnc_id"].unique()
    unknown = pl.col("nominal_id").is_null() & pl.col("pnc_id").str.contains(PNC_FORM) & (
        _pnc_check())
    could_add = pl.col("pnc_id").is_in(identified.implode())
    rules = [*_rules(day), ("pnc_id", unknown & ~could_add, NO_IDENTITY),
             ("pnc_id", unknown & could_add & pl.col("pnc_id").is_in(elsewhere.implode()),
              HELD_ELSEWHERE)]
    parts = [found.filter(wrong.fill_null(False)).select(
        "row_number", pl.lit(column).alias("column"), pl.lit(reason).alias("reason"))
        for column, wrong, reason in rules]
    return pl.concat(parts).sort("row_number", "column")


def check_feed(path: Path, *, known_people: pl.DataFrame,
               held_elsewhere: pl.Series | None = None, day: date | None = None) -> Checked:
    """Check every row; return them typed and digested, or every problem found.

    ``known_people`` has columns pnc_id and nominal_id for the people of the run's
    partnership; ``held_elsewhere`` the PNC IDs of everyone else. A row naming one of
    them is unknown here, exactly like a PNC ID nobody holds, except that its person
    cannot be added (HELD_ELSEWHERE). ``day`` is the file's day (today if not given):
    no record may be dated after it but for scheduled ones.
    """
    elsewhere = pl.Series("pnc_id", [], pl.String) if held_elsewhere is None else held_elsewhere
    try:
        absent = missing_columns(path)
        frame = pl.DataFrame() if absent else read_feed(path)
    except pl.exceptions.PolarsError as exc:
        return _refused(reading_problems(path, exc))
    if absent:
        unreadable = header_problem(path)
        return _refused([unreadable] if unreadable else
                        [(0, c, "column is missing from the file") for c in absent])
    if frame.height == 0:
        return _refused([NO_ROWS])
    found = _problems(frame, known_people, elsewhere, day or timezone.localdate())
    if found.height:
        kept = [(int(r), str(c), str(m)) for r, c, m in found.head(PROBLEM_CAP).iter_rows()]
        return Checked(rows=frame, problems=kept, bad_rows=found["row_number"].n_unique(),
                       problem_count=found.height)
    rows = _typed(frame.join(known_people, on="pnc_id", how="left"))
    return Checked(rows=rows, new_people=_new_people(rows))


def _refused(problems: list[tuple[int, str, str]]) -> Checked:
    """A file refused as a whole; its problems of the file itself have row 0."""
    return Checked(rows=pl.DataFrame(), problems=problems[:PROBLEM_CAP],
                   bad_rows=len({r for r, _, _ in problems if r}),
                   problem_count=len(problems))


def _typed(frame: pl.DataFrame) -> pl.DataFrame:
    kinds = {name: t.kind for name, t in RECORD_TYPES.items()}
    targets = {name: t.target for name, t in RECORD_TYPES.items()}
    frame = frame.with_columns(
        pl.col("record_type").replace_strict(targets).alias("target"),
        pl.col("record_type").replace_strict(kinds).alias("kind"),
        pl.col("ho_code").str.to_uppercase(),
        _content().alias("content"),
    )
    digests = [hashlib.md5(c.encode(), usedforsecurity=False).hexdigest()
               for c in frame["content"].to_list()]
    return frame.with_columns(pl.Series("digest", digests, pl.String),
                              _without_blanks(pl.col("content")),
                              *(_date(c) for c in DATE_COLUMNS),
                              *(_whole(c) for c in WHOLE_COLUMNS))


def _content() -> pl.Expr:
    """The content as JSON; a later column is in it only where the row gives it."""
    content = pl.struct(CONTENT_COLUMNS).struct.json_encode()
    for column in LATER_COLUMNS:
        with_it = pl.struct(*CONTENT_COLUMNS, column).struct.json_encode()
        content = pl.when(pl.col(column).is_null()).then(content).otherwise(with_it)
    return content


def _without_blanks(content: pl.Expr) -> pl.Expr:
    """The stored content leaves out fields with no value, most of them in most rows.

    The digest is taken before, over every field, so it does not change. Only our own
    keys are matched: a quote inside a value is escaped, so no value can end one.
    """
    keys = "|".join(CONTENT_COLUMNS)
    return (content.str.replace_all(f'"(?:{keys})":null,?', "")
            .str.replace(r",\}$", "}"))


def _new_people(rows: pl.DataFrame) -> pl.DataFrame:
    """For each unknown PNC ID, the identity on its first row that gives one in full."""
    return (rows.filter(pl.col("nominal_id").is_null()
                        & pl.all_horizontal(pl.col(c).is_not_null() for c in IDENTITY_COLUMNS))
            .sort("row_number").unique("pnc_id", keep="first", maintain_order=True)
            .select("pnc_id", *IDENTITY_COLUMNS))

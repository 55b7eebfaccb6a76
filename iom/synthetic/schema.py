"""The column contract of the four synthetic tables (docs/data.md), as Polars dtypes.

Every categorical column is a Polars ``Enum`` with a fixed list of values, so that
frames built chunk by chunk concatenate without re-encoding and read back the same
from Parquet.
"""

from __future__ import annotations

import polars as pl

from iom.synthetic.vocab import DISTRICTS, ETHNICITIES

GENDERS = ("M", "F")
SUBSTANCES = ("heroin", "crack", "cocaine", "alcohol", "cannabis", "amphetamine")
EVENT_TYPES = ("arrest", "charge", "conviction", "caution", "breach", "recall")
DISPOSALS = ("custody", "suspended", "community", "fine", "discharge", "caution")
CUSTODY_TYPES = ("remand", "sentence")
GRADING_SYSTEMS = ("5x5x5", "3x5x2")
CRIME_TYPES = ("acquisitive", "violence", "domestic_abuse", "drugs", "other")

ETHNICITY_CODES = tuple(code for code, _ in ETHNICITIES)
DISTRICT_NAMES = tuple(name for name, _ in DISTRICTS)

GENDER = pl.Enum(GENDERS)
ETHNICITY = pl.Enum(ETHNICITY_CODES)
DISTRICT = pl.Enum(DISTRICT_NAMES)
SUBSTANCE = pl.Enum(SUBSTANCES)
EVENT_TYPE = pl.Enum(EVENT_TYPES)
DISPOSAL = pl.Enum(DISPOSALS)
CUSTODY_TYPE = pl.Enum(CUSTODY_TYPES)
GRADING_SYSTEM = pl.Enum(GRADING_SYSTEMS)
CRIME_TYPE = pl.Enum(CRIME_TYPES)

PEOPLE_SCHEMA = pl.Schema(
    {
        "person_id": pl.Int64(),
        "pnc_id": pl.String(),
        "crn": pl.String(),
        "forename": pl.String(),
        "surname": pl.String(),
        "date_of_birth": pl.Date(),
        "gender": GENDER,
        "ethnicity": ETHNICITY,
        "district": DISTRICT,
        "primary_substance": SUBSTANCE,
        "mappa_level": pl.Int8(),
        "sex_offender_registered": pl.Boolean(),
    }
)

EVENTS_SCHEMA = pl.Schema(
    {
        "event_id": pl.Int64(),
        "person_id": pl.Int64(),
        "event_type": EVENT_TYPE,
        "event_date": pl.Date(),
        "offence_date": pl.Date(),
        "ho_code": pl.String(),
        "disposal": DISPOSAL,
        "domestic_abuse": pl.Boolean(),
        "recorded_date": pl.Date(),
    }
)

CUSTODY_SCHEMA = pl.Schema(
    {
        "custody_id": pl.Int64(),
        "person_id": pl.Int64(),
        "custody_type": CUSTODY_TYPE,
        "start_date": pl.Date(),
        "expected_release_date": pl.Date(),
        "actual_release_date": pl.Date(),
    }
)

INTELLIGENCE_SCHEMA = pl.Schema(
    {
        "intel_id": pl.Int64(),
        "person_id": pl.Int64(),
        "recorded_date": pl.Date(),
        "grading_system": GRADING_SYSTEM,
        "source_grade": pl.String(),
        "intel_grade": pl.String(),
        "handling_code": pl.String(),
        "crime_type": CRIME_TYPE,
    }
)

SCHEMAS = {
    "people": PEOPLE_SCHEMA,
    "events": EVENTS_SCHEMA,
    "custody": CUSTODY_SCHEMA,
    "intelligence": INTELLIGENCE_SCHEMA,
}

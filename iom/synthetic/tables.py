"""Polars frames, in the column contract of docs/data.md, from the generator's arrays."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from iom.core.identifiers import PNC_CHECK_ALPHABET, PNC_MAX_SERIAL
from iom.synthetic import schema
from iom.synthetic._arrays import IntArray
from iom.synthetic.careers import NO_DAY, NONE
from iom.synthetic.dating import DatedEvents, DatedSpells
from iom.synthetic.intelligence import (
    HANDLING_LABELS,
    INTEL_LABELS,
    SOURCE_LABELS,
    Intelligence,
)
from iom.synthetic.offences import CODES
from iom.synthetic.population import People
from iom.synthetic.statuses import Statuses
from iom.synthetic.vocab import FEMALE_FORENAMES, MALE_FORENAMES, SURNAMES

# Serial numbers and CRNs come from an affine map of the person id, a permutation of
# the whole range (the multipliers share no factor with the moduli), so they are
# unique for up to 9,999,999 people without keeping a set of the ones already used.
_PNC_SERIAL_RANGE = PNC_MAX_SERIAL  # serials 1..9,999,999
_PNC_MULTIPLIER, _PNC_SHIFT = 7_368_787, 1_234_567
_CRN_RANGE = 26 * 1_000_000  # one letter, six digits
_CRN_MULTIPLIER, _CRN_SHIFT = 15_485_863, 4_242_424


def people_frame(first_id: int, people: People, statuses: Statuses) -> pl.DataFrame:
    person_id = np.arange(first_id, first_id + len(people), dtype=np.int64)
    frame = pl.DataFrame(
        {
            "person_id": person_id,
            "pnc_id": _pnc_ids(person_id, people.first_offence),
            "crn": _crns(person_id),
            "forename": _labels(MALE_FORENAMES + FEMALE_FORENAMES, people.forename),
            "surname": _labels(SURNAMES, people.surname),
            "date_of_birth": _dates(people.date_of_birth),
            "gender": _labels(schema.GENDERS, np.where(people.male, 0, 1), schema.GENDER),
            "ethnicity": _labels(schema.ETHNICITY_CODES, people.ethnicity, schema.ETHNICITY),
            "district": _labels(schema.DISTRICT_NAMES, people.district, schema.DISTRICT),
            "primary_substance": _labels(schema.SUBSTANCES, people.substance, schema.SUBSTANCE),
            "mappa_level": statuses.mappa_level.astype(np.int8),
            "sex_offender_registered": statuses.sex_offender_registered,
        }
    )
    return frame.cast(schema.PEOPLE_SCHEMA)


def events_frame(first_id: int, first_person_id: int, events: DatedEvents) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "event_id": np.arange(first_id, first_id + len(events.owner), dtype=np.int64),
            "person_id": events.owner + first_person_id,
            "event_type": _labels(schema.EVENT_TYPES, events.event_type, schema.EVENT_TYPE),
            "event_date": _dates(events.event_day),
            "offence_date": _dates(events.offence_day),
            "ho_code": _labels(CODES, events.code),
            "disposal": _labels(schema.DISPOSALS, events.disposal, schema.DISPOSAL),
            "domestic_abuse": events.domestic_abuse,
            "recorded_date": _dates(events.recorded_day),
        }
    )
    return frame.cast(schema.EVENTS_SCHEMA)


def custody_frame(first_id: int, first_person_id: int, spells: DatedSpells) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "custody_id": np.arange(first_id, first_id + len(spells.owner), dtype=np.int64),
            "person_id": spells.owner + first_person_id,
            "custody_type": _labels(schema.CUSTODY_TYPES, spells.custody_type, schema.CUSTODY_TYPE),
            "start_date": _dates(spells.start_day),
            "expected_release_date": _dates(spells.expected_release_day),
            "actual_release_date": _dates(spells.actual_release_day),
        }
    )
    return frame.cast(schema.CUSTODY_SCHEMA)


def intelligence_frame(first_id: int, first_person_id: int, intel: Intelligence) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "intel_id": np.arange(first_id, first_id + len(intel.owner), dtype=np.int64),
            "person_id": intel.owner + first_person_id,
            "recorded_date": _dates(intel.recorded_day),
            "grading_system": _labels(
                schema.GRADING_SYSTEMS, intel.grading_system, schema.GRADING_SYSTEM
            ),
            "source_grade": _labels(SOURCE_LABELS, intel.source),
            "intel_grade": _labels(INTEL_LABELS, intel.intel),
            "handling_code": _labels(HANDLING_LABELS, intel.handling),
            "crime_type": _labels(schema.CRIME_TYPES, intel.crime_type, schema.CRIME_TYPE),
        }
    )
    return frame.cast(schema.INTELLIGENCE_SCHEMA)


def _nullable(values: IntArray) -> pl.Series:
    series = pl.Series(values)
    return pl.select(pl.when(series != NONE).then(series)).to_series()


def _dates(days: IntArray) -> pl.Series:
    series = pl.Series(days)
    return pl.select(pl.when(series != NO_DAY).then(series)).to_series().cast(pl.Date)


def _labels(
    labels: Sequence[str], index: IntArray, dtype: pl.DataType | type[pl.DataType] = pl.String
) -> pl.Series:
    """The label at each index (null where the index is NONE), gathered without Python loops."""
    return pl.Series(list(labels), dtype=dtype).gather(_nullable(index))


def _pnc_ids(person_id: IntArray, created: IntArray) -> pl.Series:
    """PNC IDs for the year each record was created: a vectorised twin of
    ``iom.core.identifiers.make_pnc_id`` (the tests hold the two together)."""
    year = created.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    serial = (person_id * _PNC_MULTIPLIER + _PNC_SHIFT) % _PNC_SERIAL_RANGE + 1
    check = ((year % 100) * (PNC_MAX_SERIAL + 1) + serial) % len(PNC_CHECK_ALPHABET)
    parts = pl.DataFrame(
        {"year": year, "serial": serial, "check": _labels(PNC_CHECK_ALPHABET, check)}
    )
    return parts.select(
        pl.concat_str(
            pl.col("year").cast(pl.String),
            pl.lit("/"),
            pl.col("serial").cast(pl.String).str.zfill(7),
            pl.col("check"),
        )
    ).to_series()


def _crns(person_id: IntArray) -> pl.Series:
    value = (person_id * _CRN_MULTIPLIER + _CRN_SHIFT) % _CRN_RANGE
    letters = [chr(ord("A") + i) for i in range(26)]
    parts = pl.DataFrame(
        {"letter": _labels(letters, value // 1_000_000), "digits": value % 1_000_000}
    )
    return parts.select(
        pl.concat_str(pl.col("letter"), pl.col("digits").cast(pl.String).str.zfill(6))
    ).to_series()

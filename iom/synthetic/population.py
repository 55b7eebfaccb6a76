"""Who the synthetic people are: profile, sex, dates of birth and when offending starts.

All dates are whole days since 1970-01-01 (``int64``), which is what Polars stores for
``Date`` and what numpy can add and compare quickly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iom.synthetic._arrays import BoolArray, IntArray, choose_per_row, normalised, years_to_days
from iom.synthetic.profiles import PROFILES, Gamma, Profile
from iom.synthetic.vocab import (
    DISTRICTS,
    ETHNICITIES,
    FEMALE_FORENAMES,
    MALE_FORENAMES,
    SURNAMES,
)

# Whole-year ages 14 to 70 at the as-of date, whatever the leap years in between:
# 14 calendar years are at most 5,114 days and 71 are at least 25,932.
MIN_AGE_DAYS = 5_115
MAX_AGE_DAYS = 25_931
# Ten calendar years are at most 3,653 days: nobody offends before their 10th birthday
# (the age of criminal responsibility in England and Wales).
MIN_OFFENDING_AGE_DAYS = 3_654
LEAP_DAY_BIRTH_SHARE = 0.003  # far above the natural 1 in 1,461, to exercise the edge


@dataclass(frozen=True)
class People:
    profile: IntArray
    male: BoolArray
    date_of_birth: IntArray
    first_offence: IntArray  # also the day the PNC record was created
    offending_span: IntArray  # days at liberty over which offences are spread
    active: BoolArray
    episodes: IntArray
    domestic_abuser: BoolArray
    substance: IntArray  # index into SUBSTANCES, -1 for none
    ethnicity: IntArray
    district: IntArray
    forename: IntArray  # index into MALE_FORENAMES + FEMALE_FORENAMES
    surname: IntArray

    def __len__(self) -> int:
        return len(self.profile)


def _spec_column(name: str) -> np.ndarray[tuple[int], np.dtype[np.float64]]:
    return np.array([getattr(PROFILES[p], name) for p in Profile], dtype=np.float64)


def _gamma_years(rng: np.random.Generator, profile: IntArray, name: str) -> IntArray:
    specs: list[Gamma] = [getattr(PROFILES[p], name) for p in Profile]
    offset, shape, scale = (np.array([getattr(g, f) for g in specs]) for f in Gamma.__annotations__)
    years = offset[profile] + rng.gamma(shape[profile], scale[profile])
    return years_to_days(years)


def draw_people(rng: np.random.Generator, n: int, as_of: int) -> People:
    profile = rng.choice(len(Profile), size=n, p=normalised(_spec_column("share")))
    male = rng.random(n) < _spec_column("male_share")[profile]
    age = np.clip(_gamma_years(rng, profile, "age_now"), MIN_AGE_DAYS, MAX_AGE_DAYS)
    date_of_birth = _with_leap_day_births(rng, as_of - age, as_of)
    first_offence = date_of_birth + _first_offence_age(rng, profile, as_of - date_of_birth)
    active = rng.random(n) < _spec_column("active_share")[profile]
    span = _offending_span(rng, as_of - first_offence, active)
    return People(
        profile=profile,
        male=male,
        date_of_birth=date_of_birth,
        first_offence=first_offence,
        offending_span=span,
        active=active,
        episodes=_episodes(rng, profile, span),
        domestic_abuser=rng.random(n) < _spec_column("domestic_abuser_share")[profile],
        substance=_substances(rng, profile),
        ethnicity=rng.choice(len(ETHNICITIES), size=n, p=normalised([w for _, w in ETHNICITIES])),
        district=rng.choice(len(DISTRICTS), size=n, p=normalised([w for _, w in DISTRICTS])),
        forename=_forenames(rng, male),
        surname=rng.integers(0, len(SURNAMES), size=n),
    )


def _with_leap_day_births(rng: np.random.Generator, dob: IntArray, as_of: int) -> IntArray:
    """Move a few births to 29 February of a nearby leap year, inside the age range."""
    chosen = rng.random(len(dob)) < LEAP_DAY_BIRTH_SHARE
    year = dob.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    year -= year % 4
    for _ in range(2):  # 1900 and 2100 are not leap years; step back past them
        year = np.where((year % 100 == 0) & (year % 400 != 0), year - 4, year)
    leap_day = _february_29(year)
    leap_day = np.where(as_of - leap_day < MIN_AGE_DAYS, _february_29(year - 4), leap_day)
    leap_day = np.where(as_of - leap_day > MAX_AGE_DAYS, _february_29(year + 4), leap_day)
    return np.where(chosen, leap_day, dob)


def _february_29(year: IntArray) -> IntArray:
    january_1 = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    return january_1 + 59


def _first_offence_age(rng: np.random.Generator, profile: IntArray, age: IntArray) -> IntArray:
    drawn = _gamma_years(rng, profile, "first_age")
    # Someone younger than their drawn starting age started somewhere in 10..now.
    fallback = MIN_OFFENDING_AGE_DAYS + (rng.random(len(age)) * (age - MIN_OFFENDING_AGE_DAYS))
    first = np.where(drawn <= age, drawn, fallback.astype(np.int64))
    return np.clip(first, MIN_OFFENDING_AGE_DAYS, age)


def _offending_span(rng: np.random.Generator, available: IntArray, active: BoolArray) -> IntArray:
    # People who have stopped offending stopped somewhere between 15% and 100% of the
    # way to the as-of date.
    stopped = (available * (0.15 + 0.85 * rng.random(len(available)))).astype(np.int64)
    return np.maximum(np.where(active, available, stopped), 1)


def _episodes(rng: np.random.Generator, profile: IntArray, span: IntArray) -> IntArray:
    """Offence episodes: a gamma-Poisson (negative binomial) count, heavy-tailed."""
    mean = _spec_column("episodes_mean")[profile]
    dispersion = _spec_column("episodes_dispersion")[profile]
    rate = rng.gamma(dispersion, mean / dispersion)
    count: IntArray = _spec_column("episodes_base")[profile].astype(np.int64) + rng.poisson(rate)
    # Even the most prolific are caught about once a week at most.
    return np.minimum(count, 1 + span // 7)


def _substances(rng: np.random.Generator, profile: IntArray) -> IntArray:
    shares = np.array([PROFILES[p].substances for p in Profile], dtype=np.float64)
    with_none = np.column_stack([1.0 - shares.sum(axis=1), shares])
    substance: IntArray = choose_per_row(rng, profile, with_none) - 1  # column 0 is "none"
    return substance


def _forenames(rng: np.random.Generator, male: BoolArray) -> IntArray:
    male_name = rng.integers(0, len(MALE_FORENAMES), size=len(male))
    female_name = len(MALE_FORENAMES) + rng.integers(0, len(FEMALE_FORENAMES), size=len(male))
    return np.where(male, male_name, female_name)

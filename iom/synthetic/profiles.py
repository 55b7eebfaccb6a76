"""Criminal-career profiles: the hidden type of each synthetic person.

A real caseload is a mixture: most people have one or two offences, a minority are
versatile repeat offenders, and a small group of prolific acquisitive offenders
(often heroin or crack users) account for a large share of all recorded events.
Drawing a profile first and everything else from it gives that mixture, with the
heavy tail, without simulating anyone one by one.

The numbers are judgement, tuned so that 1,000,000 people give about 30 events each
on average (see docs/data.md, "Generator").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Profile(IntEnum):
    NO_HISTORY = 0  # known to the PNC for something outside these tables
    OCCASIONAL = 1
    VERSATILE = 2
    PROLIFIC_ACQUISITIVE = 3
    VIOLENT = 4
    DRUG_SUPPLY = 5
    SEXUAL = 6


@dataclass(frozen=True)
class Gamma:
    """``offset + Gamma(shape, scale)``, in years for ages."""

    offset: float
    shape: float
    scale: float


@dataclass(frozen=True)
class ProfileSpec:
    share: float
    male_share: float
    age_now: Gamma  # age at the as-of date
    first_age: Gamma  # age at the first offence
    active_share: float  # still offending at the as-of date
    episodes_base: int  # offence episodes: base + gamma-Poisson(mean, dispersion)
    episodes_mean: float
    episodes_dispersion: float
    domestic_abuser_share: float
    # Primary substance shares in SUBSTANCES order; the rest have none.
    substances: tuple[float, float, float, float, float, float]
    intel_rate: float  # mean intelligence entries over a career, if still active
    # Intelligence crime types in CRIME_TYPES order.
    intel_mix: tuple[float, float, float, float, float]
    order_failure: float  # chance of a breach of an order or a recall from licence


#                      heroin crack cocaine alcohol cannabis amphetamine
PROFILES: dict[Profile, ProfileSpec] = {
    Profile.NO_HISTORY: ProfileSpec(
        0.02, 0.75, Gamma(14, 2.0, 10), Gamma(16, 2.0, 5), 0.0, 0, 0.0, 1.0, 0.0,
        (0, 0, 0, 0.02, 0.02, 0), 0.05, (0.3, 0.2, 0.1, 0.2, 0.2), 0.0,
    ),
    Profile.OCCASIONAL: ProfileSpec(
        0.47, 0.78, Gamma(14, 2.0, 9.5), Gamma(12, 1.6, 6), 0.3, 1, 1.0, 5.0, 0.10,
        (0, 0, 0.02, 0.05, 0.04, 0), 0.3, (0.3, 0.25, 0.05, 0.2, 0.2), 0.12,
    ),
    Profile.VERSATILE: ProfileSpec(
        0.27, 0.85, Gamma(15, 2.5, 7), Gamma(11, 2.0, 3.5), 0.55, 1, 18.0, 1.3, 0.15,
        (0.04, 0.03, 0.06, 0.12, 0.10, 0.02), 2.5, (0.35, 0.25, 0.1, 0.15, 0.15), 0.25,
    ),
    Profile.PROLIFIC_ACQUISITIVE: ProfileSpec(
        0.11, 0.86, Gamma(18, 3.0, 6), Gamma(10.5, 2.0, 2.5), 0.8, 8, 78.0, 1.6, 0.05,
        (0.32, 0.22, 0.07, 0.08, 0.05, 0.03), 14.0, (0.6, 0.07, 0.03, 0.22, 0.08), 0.4,
    ),
    Profile.VIOLENT: ProfileSpec(
        0.08, 0.90, Gamma(18, 3.0, 6), Gamma(12, 2.0, 4), 0.6, 1, 17.0, 1.3, 0.5,
        (0, 0.03, 0.15, 0.35, 0.08, 0.03), 6.0, (0.1, 0.45, 0.25, 0.08, 0.12), 0.3,
    ),
    Profile.DRUG_SUPPLY: ProfileSpec(
        0.04, 0.90, Gamma(16, 2.5, 6), Gamma(13, 2.0, 3.5), 0.65, 1, 13.0, 1.3, 0.05,
        (0.03, 0.05, 0.2, 0.02, 0.2, 0.03), 12.0, (0.1, 0.15, 0.02, 0.65, 0.08), 0.25,
    ),
    Profile.SEXUAL: ProfileSpec(
        0.01, 0.97, Gamma(18, 3.0, 10), Gamma(14, 2.0, 9), 0.3, 1, 1.5, 3.0, 0.1,
        (0, 0, 0, 0.08, 0.02, 0), 2.0, (0.05, 0.3, 0.05, 0.0, 0.6), 0.15,
    ),
}  # fmt: skip

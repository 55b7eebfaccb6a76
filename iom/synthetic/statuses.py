"""Current statuses that follow from a history: sex-offender registration and MAPPA level."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iom.synthetic._arrays import BoolArray, IntArray, any_per_group
from iom.synthetic.careers import DISPOSAL, EVENT, NONE
from iom.synthetic.dating import DatedEvents
from iom.synthetic.offences import GRAVITY, KIND, Kind

REGISTERED_SHARE = 0.85  # the rest have served their notification period
VIOLENT_MAPPA_SHARE = 0.15  # of people once jailed for serious violence


@dataclass(frozen=True)
class Statuses:
    sex_offender_registered: BoolArray
    mappa_level: IntArray


def draw_statuses(rng: np.random.Generator, people: int, events: DatedEvents) -> Statuses:
    convicted = events.event_type == EVENT["conviction"]
    code = np.maximum(events.code, 0)
    sexual = convicted & (events.code != NONE) & (KIND[code] == Kind.SEXUAL)
    violent_custody = (
        convicted
        & (KIND[code] == Kind.VIOLENCE)
        & (GRAVITY[code] >= 1.8)
        & (events.disposal == DISPOSAL["custody"])
    )
    registered = any_per_group(events.owner, sexual, people) & (
        rng.random(people) < REGISTERED_SHARE
    )
    # MAPPA category 1 is everyone registered; category 2 is violent offenders jailed
    # for a year or more, of whom we manage only a share. Most need only level 1.
    category_2 = any_per_group(events.owner, violent_custody, people) & (
        rng.random(people) < VIOLENT_MAPPA_SHARE
    )
    level_if_registered = 1 + rng.choice(3, size=people, p=[0.85, 0.12, 0.03])
    level_if_violent = 1 + rng.choice(3, size=people, p=[0.70, 0.25, 0.05])
    mappa = np.select([registered, category_2], [level_if_registered, level_if_violent], 0)
    return Statuses(sex_offender_registered=registered, mappa_level=mappa)

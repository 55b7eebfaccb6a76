"""Which Home Office offence codes each profile commits, and how grave each one is.

Every code here is in ``iom/core/reference/offence_codes.csv`` (a test checks it).
``gravity`` is a rough seriousness scale (0 petty theft ... 6 homicide) used for three
things: the chance of a caution, the escalation of disposals and the sentence length.
The weights are relative frequencies within each profile; older "(outcome only)"
burglary codes (28A, 30A ...) appear beside the 2017 ones (28E, 30C ...) because long
histories span the change.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from iom.synthetic.profiles import Profile


class Kind(IntEnum):
    ACQUISITIVE = 0
    VIOLENCE = 1
    DRUGS = 2
    SEXUAL = 3
    OTHER = 4


A, V, D, S, X = Kind.ACQUISITIVE, Kind.VIOLENCE, Kind.DRUGS, Kind.SEXUAL, Kind.OTHER

# code, gravity, kind (X: other), domestic-abuse possible, weights for the profiles
#                                        occasional versatile prolific violent drugs sexual
OFFENCES: tuple[tuple[str, float, Kind, bool, tuple[float, ...]], ...] = (
    ("46", 0.0, A, False, (14, 8, 30, 1, 1, 0)),  # shoplifting
    ("49", 0.3, A, False, (5, 4, 5, 0.3, 0.3, 0)),
    ("49A", 0.2, A, False, (3, 2, 2, 0, 0, 0)),
    ("40", 0.6, A, False, (1, 1, 1, 0, 0, 0)),
    ("41", 0.8, A, False, (1, 0.5, 0, 0, 0, 0)),
    ("39", 1.4, A, False, (0.5, 2, 3, 0.2, 0, 0)),
    ("44", 0.3, A, False, (2, 2, 3, 0, 0, 0)),
    ("45", 1.0, A, False, (1, 3, 6, 0, 0, 0)),
    ("48", 1.2, A, False, (1, 2, 3, 0.2, 0.2, 0)),
    ("37.2", 1.8, A, False, (0.2, 1, 1, 0, 0, 0)),
    ("126", 0.5, A, False, (0.5, 1, 2, 0, 0, 0)),
    ("28E", 2.5, A, False, (0.3, 2, 5, 0.2, 0, 0)),
    ("28F", 2.0, A, False, (0.1, 0.5, 1.5, 0, 0, 0)),
    ("28G", 2.8, A, False, (0, 0.1, 0.3, 0, 0, 0)),
    ("28A", 2.5, A, False, (0.2, 1, 3, 0.1, 0, 0)),
    ("28B", 2.0, A, False, (0, 0.3, 0.8, 0, 0, 0)),
    ("28C", 2.8, A, False, (0, 0.05, 0.1, 0, 0, 0)),
    ("28D", 2.3, A, False, (0, 0, 0.05, 0, 0, 0)),
    ("28H", 2.3, A, False, (0, 0, 0.05, 0, 0, 0)),
    ("29A", 3.5, A, False, (0, 0.1, 0.2, 0.2, 0.1, 0)),
    ("30C", 1.5, A, False, (0.2, 1.5, 3, 0, 0, 0)),
    ("30D", 1.2, A, False, (0, 0.3, 0.8, 0, 0, 0)),
    ("30A", 1.5, A, False, (0.1, 0.8, 2, 0, 0, 0)),
    ("30B", 1.2, A, False, (0, 0.2, 0.5, 0, 0, 0)),
    ("34B", 3.0, A, False, (0.1, 1, 2, 0.5, 0.3, 0)),
    ("34A", 3.2, A, False, (0, 0.3, 0.5, 0.1, 0, 0)),
    ("33", 0.8, A, False, (0, 0.3, 1, 0, 0, 0)),
    ("54", 0.8, A, False, (0.5, 1, 2, 0, 0.3, 0)),
    ("53C", 1.0, A, False, (1, 1, 1.5, 0, 0, 0)),
    ("53D", 0.8, A, False, (1, 0.5, 0.3, 0, 0, 0)),
    ("105A", 0.8, V, True, (5, 6, 4, 18, 1, 0.5)),  # assault without injury
    ("8N", 1.8, V, True, (2, 4, 2, 14, 1, 0)),  # assault with injury
    ("104", 1.0, V, False, (0.5, 2, 1, 3, 0, 0)),
    ("8S", 1.8, V, False, (0.1, 0.5, 0.5, 1.5, 0, 0)),
    ("105B", 1.2, V, False, (0.3, 0.5, 0.2, 1, 0, 0)),
    ("8P", 2.0, V, False, (0, 0.1, 0, 0.5, 0, 0)),
    ("8M", 1.0, V, False, (0.2, 0.2, 0, 0.5, 0, 0)),
    ("5D", 3.5, V, True, (0.1, 0.5, 0.2, 3, 0.5, 0)),
    ("5E", 3.0, V, True, (0, 0.05, 0, 0.3, 0.1, 0)),
    ("3B", 2.0, V, True, (0.2, 0.5, 0.1, 3, 0, 0)),
    ("8L", 0.8, V, True, (1, 1, 0.3, 6, 0, 0.5)),  # harassment
    ("8Q", 1.5, V, True, (0.1, 0.3, 0, 3, 0, 0.5)),  # stalking
    ("8R", 0.6, V, True, (1, 0.5, 0, 3, 0, 0.5)),
    ("36", 3.5, V, True, (0, 0.02, 0, 0.1, 0.05, 0)),
    ("2", 5.5, V, True, (0, 0.01, 0, 0.1, 0.05, 0)),
    ("1/4.1/4.10/4.2", 6.0, V, True, (0, 0.01, 0, 0.15, 0.05, 0)),  # homicide
    ("9A", 0.4, X, False, (4, 4, 3, 5, 1, 0)),  # public order
    ("9B", 0.6, X, False, (0.3, 0.3, 0.2, 0.5, 0, 0)),
    ("62A", 2.5, X, False, (0.1, 0.3, 0.1, 0.5, 0, 0)),
    ("10D", 1.8, X, False, (1, 2, 1, 3, 3, 0)),  # article with blade or point
    ("10C", 1.6, X, False, (0.5, 1, 0.5, 1.5, 1.5, 0)),
    ("10B", 3.0, X, False, (0, 0.1, 0, 0.2, 0.8, 0)),
    ("81", 2.5, X, False, (0, 0.05, 0, 0.1, 0.3, 0)),
    ("58A", 0.8, X, True, (1, 2, 1, 4, 0, 0)),  # criminal damage to a dwelling
    ("58B", 0.6, X, False, (1, 1, 1, 0.5, 0, 0)),
    ("58C", 0.6, X, False, (2, 2, 1, 2, 0, 0)),
    ("58D", 0.4, X, False, (2, 2, 1, 1, 0, 0)),
    ("56B", 1.5, X, False, (0.1, 0.3, 0.2, 0.5, 0, 0)),
    ("56A", 4.0, X, True, (0, 0.02, 0, 0.2, 0, 0)),
    ("83", 0.6, X, False, (0.5, 2, 4, 1, 1, 0)),  # bail offences
    ("79", 2.0, X, False, (0, 0.2, 0.2, 0.3, 0.3, 0)),
    ("80", 1.5, X, False, (0, 0.1, 0.3, 0.1, 0, 0)),
    ("802", 1.0, X, False, (2, 1, 0.5, 0.5, 0.5, 0)),  # dangerous driving
    ("99", 0.5, X, False, (0.5, 0.3, 0.2, 0.2, 0.2, 0)),
    ("92E", 0.1, D, False, (5, 3, 2, 1, 4, 0)),  # cannabis possession
    ("92D", 0.5, D, False, (2, 3, 5, 1, 6, 0)),  # other drug possession
    ("92C", 0.4, D, False, (0.5, 1, 1, 0, 2, 0)),
    ("92A", 3.0, D, False, (0.2, 1, 1, 0.2, 18, 0)),  # trafficking
    ("20A", 2.5, S, False, (0.1, 0.1, 0, 0.1, 0, 20)),
    ("17A", 2.5, S, False, (0, 0, 0, 0, 0, 4)),
    ("88E", 1.2, S, False, (0.2, 0.1, 0, 0, 0, 15)),
    ("88A", 3.0, S, False, (0, 0, 0, 0, 0, 6)),
    ("86", 1.5, S, False, (0, 0, 0, 0, 0, 12)),
    ("88C", 1.5, S, False, (0, 0, 0, 0, 0, 3)),
    ("22B", 3.5, S, False, (0, 0, 0, 0, 0, 5)),
    ("21", 4.5, S, False, (0, 0, 0, 0, 0, 3)),
    ("19C", 5.0, S, True, (0, 0, 0, 0.05, 0, 10)),
)

CODES: tuple[str, ...] = tuple(row[0] for row in OFFENCES)
GRAVITY = np.array([row[1] for row in OFFENCES], dtype=np.float64)
KIND = np.array([int(row[2]) for row in OFFENCES], dtype=np.int8)
DOMESTIC_ABUSE_POSSIBLE = np.array([row[3] for row in OFFENCES], dtype=np.bool_)


def code_weights() -> np.ndarray[tuple[int, int], np.dtype[np.float64]]:
    """Rows: profiles (NO_HISTORY never offends); columns: CODES; each row sums to 1."""
    weights = np.zeros((len(Profile), len(OFFENCES)), dtype=np.float64)
    weights[1:, :] = np.array([row[4] for row in OFFENCES], dtype=np.float64).T
    weights[Profile.NO_HISTORY, CODES.index("46")] = 1.0  # never drawn, kept valid
    result: np.ndarray[tuple[int, int], np.dtype[np.float64]] = weights / weights.sum(
        axis=1, keepdims=True
    )
    return result

"""The needs a referral names, apart from the models so that the scheme policy
reader (schemes.py) can read them without importing the models, which read it."""

from __future__ import annotations

from django.db import models


class Need(models.TextChoices):
    """The needs a referral names (000 App A and s4; 001 App A)."""

    ACCOMMODATION = "accommodation", "Accommodation"
    ETE = "ete", "Education, training or employment"
    DRUGS = "drugs", "Drugs"
    ALCOHOL = "alcohol", "Alcohol"
    MENTAL_HEALTH = "mental_health", "Mental health, self-harm or vulnerability"
    MENTORING = "mentoring", "Mentoring"
    PEERS = "peers", "Peers and associates"
    THINKING = "thinking", "Thinking and behaviour"
    RELATIONSHIPS = "relationships", "Relationships and support networks"


# The four needs of the 2015 partner referral rule (000 s4).
NAMED_PARTNER_NEEDS = frozenset({Need.ACCOMMODATION, Need.ETE, Need.DRUGS, Need.ALCOHOL})

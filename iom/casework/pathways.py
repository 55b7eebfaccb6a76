"""The resettlement pathways and intermediate outcomes, as configuration.

A partnership picks its pathway list with the ``IOM_PATHWAY_SET`` setting (the
environment variable of that name: ``seven`` or ``ten``, checked at start-up); a
plan remembers the list it was started with, so changing the setting later
does not rename the needs of plans already written. The lists themselves stay in
code for that reason: a plan keeps only the name of its list.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# 000 ISA s1: the seven pathways of the Derbyshire partnership.
SEVEN_PATHWAYS: tuple[tuple[str, str], ...] = (
    ("accommodation", "Supported accommodation"),
    ("ete", "Employment, training and education"),
    ("drugs", "Drugs"),
    ("alcohol", "Alcohol"),
    ("health", "Health, including mental health"),
    ("finance", "Finance, benefit and debt"),
    ("family", "Children and family"),
)

# 002: the ten resettlement pathways of the London operating model.
TEN_PATHWAYS: tuple[tuple[str, str], ...] = (
    ("accommodation", "Accommodation"),
    ("education", "Education"),
    ("training_employment", "Training and employment"),
    ("health", "Mental and physical health"),
    ("drugs", "Drugs"),
    ("attitudes", "Attitude, thinking and behaviour"),
    ("finance", "Finance, debt and benefit"),
    ("family", "Children, families and support networks"),
    ("domestic_violence", "Domestic violence"),
    ("sexual_exploitation", "Sexual exploitation"),
)

PATHWAY_SETS: dict[str, tuple[tuple[str, str], ...]] = {
    "seven": SEVEN_PATHWAYS,
    "ten": TEN_PATHWAYS,
}
DEFAULT_PATHWAY_SET = "seven"

# The states an intermediate outcome can be recorded in, per kind (001 s12).
OUTCOME_STATES: dict[str, tuple[tuple[str, str], ...]] = {
    "accommodation": (("settled", "Settled accommodation"),
                      ("temporary", "Temporary or supported accommodation"),
                      ("no_fixed_abode", "No fixed abode")),
    "employment": (("employed", "In work"), ("training", "In education or training"),
                   ("not_working", "Not in work, education or training")),
    "treatment": (("started", "Started treatment"), ("in_treatment", "In treatment"),
                  ("completed", "Completed treatment"), ("not_engaging", "Not engaging"),
                  ("not_needed", "No treatment need")),
    "engagement": (("engaging", "Engaging with the plan"),
                   ("partly", "Engaging with some of the plan"),
                   ("not_engaging", "Not engaging")),
}


def current_pathway_set() -> str:
    name = str(getattr(settings, "IOM_PATHWAY_SET", DEFAULT_PATHWAY_SET))
    return name if name in PATHWAY_SETS else DEFAULT_PATHWAY_SET


def check_pathway_set() -> None:
    """Refuse to start with an unknown list, rather than quietly using the default."""
    name = str(getattr(settings, "IOM_PATHWAY_SET", DEFAULT_PATHWAY_SET))
    if name not in PATHWAY_SETS:
        raise ImproperlyConfigured(
            f"IOM_PATHWAY_SET must be one of {', '.join(PATHWAY_SETS)}, not {name!r}")


def pathways_of(pathway_set: str) -> tuple[tuple[str, str], ...]:
    return PATHWAY_SETS.get(pathway_set, PATHWAY_SETS[DEFAULT_PATHWAY_SET])


def pathway_label(pathway_set: str, key: str) -> str:
    return dict(pathways_of(pathway_set)).get(key, key.replace("_", " ").capitalize())

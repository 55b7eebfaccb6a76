"""Scoring configuration, loaded from the versioned files in iom/scoring/reference/.

Nothing here holds a figure of its own: every weight, window and threshold is
read from `scoring.toml` or from the reference tables it names, so that a
partnership changes policy by changing data, and every stored score carries the
`version` (a short SHA-256 over those files) it was computed with.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
CONFIG_FILE = "scoring.toml"
NEED_DETAILS = "NEED_DETAILS"
_HASHED_SUFFIXES = (".csv", ".json", ".toml")


@dataclass(frozen=True)
class AgeBand:
    label: str
    lowest: int
    highest: int | None  # None: no upper bound (50+)


@dataclass(frozen=True)
class Ogrs3Config:
    intercept_1y: float
    intercept_2y: float
    copas: float
    first_sanction: float
    repeat_offender: float
    age_bands: tuple[AgeBand, ...]
    male_age: Mapping[str, float]
    female_age: Mapping[str, float]
    offence_parameters: Mapping[str, float]
    offence_names: Mapping[str, str]
    offence_map: Mapping[str, str]  # HO code -> category key or NEED_DETAILS
    risk_bands: tuple[tuple[str, int], ...]  # (band, lowest 2-year percent)
    sanction_event_types: frozenset[str]
    count_sanctions_by: str  # "occasion" or "event"
    max_total_sanctions: int


@dataclass(frozen=True)
class CssWeight:
    ho_code: str
    offence: str
    weight: float
    units: int  # weight x CssConfig.scale, exactly: sums are done in integers
    certainty: str


@dataclass(frozen=True)
class CssConfig:
    weight_set: str
    years: int
    event_types: frozenset[str]
    date_basis: str
    custody_types: frozenset[str]
    iterate_extension: bool
    indicator: int
    weights: Mapping[str, CssWeight]
    scale: int  # 10 ** (most decimal places of any weight in the set)


@dataclass(frozen=True)
class IntelligenceConfig:
    high_grades_5x5x5: frozenset[str]
    high_grades_3x5x2: frozenset[str]


@dataclass(frozen=True)
class MatrixConfig:
    offence_map: Mapping[str, str]  # HO code -> row ("" for none)
    row_weights: Mapping[str, int]
    offence_window_months: int
    conviction_event_types: frozenset[str]
    arrest_event_types: frozenset[str]
    intelligence_recent_days: int
    intelligence_older_days: int
    intelligence_high_weight: int
    intelligence_other_weight: int
    arrests_months: int
    arrest_weight: int
    compliance_months: int
    compliance_event_types: frozenset[str]
    compliance_steps: tuple[tuple[int, int], ...]  # (more than N, points)
    compliance_cumulative: bool
    professional_discretion_from: int
    to_panel_from: int


@dataclass(frozen=True)
class RiskConfig:
    crime_types: Mapping[str, str]  # HO code -> crime type
    gravity: Mapping[str, int]  # HO code -> 1..10
    grades: tuple[tuple[str, int], ...]  # (grade, lowest score), highest first
    graded_profiles: tuple[str, ...]
    event_points: Mapping[str, int]
    event_recency: tuple[tuple[int, int], ...]  # (months, percent)
    intelligence_high_points: int
    intelligence_other_points: int
    intelligence_recency: tuple[tuple[int, int], ...]
    profiles: Mapping[str, Mapping[str, int]]  # profile -> crime type -> percent
    substance_points: Mapping[str, Mapping[str, int]]  # profile -> substance -> points


@dataclass(frozen=True)
class EmergingConfig:
    period_days: int
    min_rise: int
    on_grade_crossing: bool


@dataclass(frozen=True)
class ScoringConfig:
    version: str
    ogrs3: Ogrs3Config
    css: CssConfig
    intelligence: IntelligenceConfig
    matrix: MatrixConfig
    risk: RiskConfig
    emerging: EmergingConfig
    offence_names: Mapping[str, str]  # HO code -> name, from offence_codes.csv

    def with_changes(self, **sections: Any) -> ScoringConfig:
        """A copy with some sections replaced, e.g. `css=replace(cfg.css, years=3)`.

        The version gains a suffix so that a score made with changed settings
        is never mistaken for one made with the files under version control.
        """
        digest = hashlib.sha256((self.version + repr(sorted(sections.items()))).encode())
        version = f"{self.version.split('+')[0]}+custom.{digest.hexdigest()[:8]}"
        return dataclasses.replace(self, version=version, **sections)


def reference_version(directory: Path | None = None) -> str:
    """Short SHA-256 over the reference files (names and bytes), stored with every score."""
    folder = directory or REFERENCE_DIR
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix in _HASHED_SUFFIXES:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@cache
def default_config() -> ScoringConfig:
    return load_config(REFERENCE_DIR)


def load_config(directory: Path) -> ScoringConfig:
    settings = tomllib.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
    names = {row["ho_code"]: row["offence"] for row in _rows(directory / "offence_codes.csv")}
    return ScoringConfig(
        version=reference_version(directory),
        ogrs3=_ogrs3(directory, settings["ogrs3"]),
        css=_css(directory, settings["css"]),
        intelligence=_intelligence(settings["intelligence"]),
        matrix=_matrix(directory, settings["matrix"]),
        risk=_risk(directory, settings["risk"]),
        emerging=EmergingConfig(**settings["emerging"]),
        offence_names=names,
    )


@cache
def ogrs3_map_reasons(directory: Path = REFERENCE_DIR) -> dict[str, str]:
    """Why the OGRS 3 offence map maps each Home Office code as it does (its reason
    column), in words: for a code that needs details, what the category depends on."""
    settings = tomllib.loads((directory / CONFIG_FILE).read_text(encoding="utf-8"))
    return {row["ho_code"]: row["reason"]
            for row in _rows(directory / settings["ogrs3"]["offence_map"])}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _ogrs3(directory: Path, section: dict[str, Any]) -> Ogrs3Config:
    data = json.loads((directory / section["coefficients"]).read_text(encoding="utf-8"))
    ranges = data["age_band_ranges"]
    bands = tuple(AgeBand(label, *ranges[label]) for label in data["age_bands"])
    categories = data["offence_categories"]
    risk_bands = data["risk_bands_on_2_year_percent"]
    return Ogrs3Config(
        intercept_1y=data["intercept_1_year"],
        intercept_2y=data["intercept_2_year"],
        copas=data["copas_coefficient"],
        first_sanction=data["sanction_parameters"]["first_sanction"],
        repeat_offender=data["sanction_parameters"]["repeat_offender"],
        age_bands=bands,
        male_age={k: float(v) for k, v in data["male_age"].items()},
        female_age={k: float(v) for k, v in data["female_age"].items()},
        offence_parameters={k: float(v["parameter"]) for k, v in categories.items()},
        offence_names={k: v["name"] for k, v in categories.items()},
        offence_map=_ogrs3_map(directory / section["offence_map"], set(categories)),
        risk_bands=tuple((k, v[0]) for k, v in risk_bands.items() if k != "source"),
        sanction_event_types=frozenset(section["sanction_event_types"]),
        count_sanctions_by=section["count_sanctions_by"],
        max_total_sanctions=section["max_total_sanctions"],
    )


def _ogrs3_map(path: Path, categories: set[str]) -> dict[str, str]:
    mapping = {row["ho_code"]: row["ogrs3_category"] for row in _rows(path)}
    unknown = set(mapping.values()) - categories - {NEED_DETAILS}
    if unknown:
        raise ValueError(f"{path.name}: unknown OGRS 3 categories {sorted(unknown)}")
    return mapping


def _css(directory: Path, section: dict[str, Any]) -> CssConfig:
    chosen = [row for row in _rows(directory / section["weights"])
              if row["source"].startswith(f"[set {section['weight_set']}]")]
    places = max((_decimals(row["weight"]) for row in chosen), default=0)
    scale = 10**places
    weights = {row["ho_code"]: _css_weight(row, scale) for row in chosen}
    return CssConfig(
        weight_set=section["weight_set"],
        years=section["years"],
        event_types=frozenset(section["event_types"]),
        date_basis=section["date_basis"],
        custody_types=frozenset(section["custody_types"]),
        iterate_extension=section["iterate_extension"],
        indicator=section["indicator"],
        weights=weights,
        scale=scale,
    )


def _decimals(text: str) -> int:
    exponent = Decimal(text).as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _css_weight(row: dict[str, str], scale: int) -> CssWeight:
    exact = Decimal(row["weight"]) * scale
    certainty = row["source"].rsplit("certainty", 1)[-1].strip(" ;")
    return CssWeight(row["ho_code"], row["offence"], float(row["weight"]), int(exact), certainty)


def _intelligence(section: dict[str, Any]) -> IntelligenceConfig:
    return IntelligenceConfig(
        high_grades_5x5x5=frozenset(section["high_grades_5x5x5"]),
        high_grades_3x5x2=frozenset(section["high_grades_3x5x2"]),
    )


def _matrix(directory: Path, section: dict[str, Any]) -> MatrixConfig:
    values = dict(section)
    map_rows = _rows(directory / values.pop("offence_map"))
    mapping = {row["ho_code"]: row["matrix_row"] for row in map_rows}
    unknown = {row for row in mapping.values() if row} - set(values["row_weights"])
    if unknown:
        raise ValueError(f"matrix map names rows with no weight: {sorted(unknown)}")
    for key in ("conviction_event_types", "arrest_event_types", "compliance_event_types"):
        values[key] = frozenset(values[key])
    values["compliance_steps"] = tuple((int(a), int(b)) for a, b in values["compliance_steps"])
    return MatrixConfig(offence_map=mapping, **values)


def _risk(directory: Path, section: dict[str, Any]) -> RiskConfig:
    rows = _rows(directory / section["offence_classes"])
    grades = (("high", section["grade_high"]), ("medium", section["grade_medium"]),
              ("low", section["grade_low"]))
    return RiskConfig(
        crime_types={row["ho_code"]: row["crime_type"] for row in rows},
        gravity={row["ho_code"]: int(row["gravity"]) for row in rows},
        grades=grades,
        graded_profiles=tuple(section["graded_profiles"]),
        event_points=dict(section["event_points"]),
        event_recency=tuple((int(m), int(p)) for m, p in section["recency"]["events"]),
        intelligence_high_points=section["intelligence_high_points"],
        intelligence_other_points=section["intelligence_other_points"],
        intelligence_recency=tuple(
            (int(m), int(p)) for m, p in section["recency"]["intelligence"]),
        profiles={k: dict(v) for k, v in section["profiles"].items()},
        substance_points={k: dict(v) for k, v in section["substance_points"].items()},
    )


def allowed_ogrs3_categories(code: str | None, c: Ogrs3Config) -> tuple[str, ...]:
    """The OGRS 3 categories a conviction with this Home Office code may record.

    The offence map lists no candidate categories for a code it marks as needing
    details (its reason column says why in words only), so such a code allows every
    category. A mapped code allows only its own category; an unmapped or missing
    code allows none (docs/scores.md, "The exact offence category").
    """
    mapped = c.offence_map.get(code or "")
    if mapped is None:
        return ()
    return tuple(c.offence_parameters) if mapped == NEED_DETAILS else (mapped,)


def needs_details(code: str | None, c: Ogrs3Config) -> bool:
    """Whether the code covers offences in more than one OGRS 3 category."""
    return c.offence_map.get(code or "") == NEED_DETAILS

"""The figures of every impact measure, read from reporting.toml (no Django import).

``load_config(overrides)`` applies a dictionary of overrides by key; a nested
table (``matching``, ``disproportionality``) is overridden key by key too. A bad
value fails loudly, naming the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_FILE = Path(__file__).with_name("reporting.toml")

ENFORCEMENT_CAVEAT = (
    "The level of police and probation contact means that people on an IOM scheme may be "
    "more likely to be caught breaching or reoffending because of additional police "
    "enforcement. This should be held in mind when interpreting the impact of IOM "
    "(HM Government, quoted in the Derbyshire IOM Strategy 2021, section 14).")


@dataclass(frozen=True)
class MatchingConfig:
    ogrs3_band: tuple[float, ...]
    age_band: tuple[float, ...]
    prior_css_band: tuple[float, ...]
    prior_offence_band: tuple[float, ...]
    bootstrap_samples: int
    bootstrap_seed: int
    confidence: float


@dataclass(frozen=True)
class DisproportionalityConfig:
    flag_below: float
    flag_above: float
    confidence: float
    zero_cell_correction: float
    age_band: tuple[float, ...]


@dataclass(frozen=True)
class ReportingConfig:
    small_number_threshold: int
    suppressed_marker: str
    window_days: int
    proven_event_types: frozenset[str]
    arrest_event_types: frozenset[str]
    matching: MatchingConfig
    disproportionality: DisproportionalityConfig


class ConfigError(ValueError):
    pass


def load_config(overrides: Mapping[str, Any] | None = None) -> ReportingConfig:
    raw = tomllib.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    for key, value in (overrides or {}).items():
        if key not in raw:
            raise ConfigError(f"IOM_REPORTING: unknown key {key!r}")
        if isinstance(raw[key], dict):
            unknown = set(value) - set(raw[key])
            if unknown:
                raise ConfigError(f"IOM_REPORTING[{key!r}]: unknown keys {sorted(unknown)}")
            raw[key] = {**raw[key], **value}
        else:
            raw[key] = value
    return _build(raw)


def _build(raw: dict[str, Any]) -> ReportingConfig:
    threshold = int(raw["small_number_threshold"])
    if threshold < 1:
        raise ConfigError("small_number_threshold must be 1 or more (1 suppresses nothing)")
    if int(raw["window_days"]) < 1:
        raise ConfigError("window_days must be 1 or more")
    m, d = raw["matching"], raw["disproportionality"]
    return ReportingConfig(
        small_number_threshold=threshold,
        suppressed_marker=str(raw["suppressed_marker"]),
        window_days=int(raw["window_days"]),
        proven_event_types=frozenset(raw["proven_event_types"]),
        arrest_event_types=frozenset(raw["arrest_event_types"]),
        matching=MatchingConfig(
            ogrs3_band=_bands(m, "ogrs3_band"), age_band=_bands(m, "age_band"),
            prior_css_band=_bands(m, "prior_css_band"),
            prior_offence_band=_bands(m, "prior_offence_band"),
            bootstrap_samples=int(m["bootstrap_samples"]), bootstrap_seed=int(m["bootstrap_seed"]),
            confidence=_share(m, "confidence")),
        disproportionality=DisproportionalityConfig(
            flag_below=float(d["flag_below"]), flag_above=float(d["flag_above"]),
            confidence=_share(d, "confidence"),
            zero_cell_correction=float(d["zero_cell_correction"]),
            age_band=_bands(d, "age_band")),
    )


def _bands(table: Mapping[str, Any], key: str) -> tuple[float, ...]:
    bounds = tuple(float(b) for b in table[key])
    if not bounds or list(bounds) != sorted(set(bounds)):
        raise ConfigError(f"{key} must be increasing lower bounds, not {table[key]!r}")
    return bounds


def _share(table: Mapping[str, Any], key: str) -> float:
    value = float(table[key])
    if not 0 < value < 1:
        raise ConfigError(f"{key} must be between 0 and 1, not {value}")
    return value


def band_label(bounds: tuple[float, ...], index: int) -> str:
    """'25 to under 50' for the band from 25 below 50; '90 and over' for the last;
    'under 10' for -1 (below every bound)."""
    if index < 0:
        return f"under {bounds[0]:g}"
    if index == len(bounds) - 1:
        return f"{bounds[-1]:g} and over"
    return f"{bounds[index]:g} to under {bounds[index + 1]:g}"

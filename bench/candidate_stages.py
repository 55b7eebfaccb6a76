"""Wall time per stage of a candidate list, for ``bench.candidates --profile``.

The stages are the selection package's own functions, wrapped for the length
of the ``timed_stages`` block so that every call adds its time to its stage.
Stages nest: "facts" includes the snapshot's stages and any fresh read, whose
own stages follow (people, scores, offences, ...); "scores" includes "stored
scores" and "scored afresh", and every query's time is also counted once more
under "SQL fetch into Polars".
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# (module, function name, stage label), outermost first.
WRAPPED = [
    ("iom.cohorts.candidates", "everyone_listed", "kept list of everyone (ADR 0020)"),
    ("iom.cohorts.candidates.snapshot", "everyone", "  kept facts: snapshot and changes"),
    ("iom.cohorts.candidates.listed", "_evaluated", "  everyone evaluated (new facts)"),
    ("iom.cohorts.candidates.listed", "_patched", "  the changed people evaluated"),
    ("iom.cohorts.candidates", "read_facts", "facts (kept, or read afresh)"),
    ("iom.cohorts.candidates.snapshot", "_facts_of", "  kept facts: load the snapshot"),
    ("iom.cohorts.candidates.snapshot", "changed_since", "  kept facts: who changed since"),
    ("iom.cohorts.candidates.snapshot", "_among", "  kept facts: cut to those asked about"),
    ("iom.cohorts.candidates.snapshot", "gather", "  read afresh (all, or those changed)"),
    ("iom.cohorts.candidates.facts", "people_frame", "  people"),
    ("iom.cohorts.candidates.facts", "score_frame", "  scores"),
    ("iom.cohorts.candidates.facts", "_stored", "    stored scores"),
    ("iom.cohorts.candidates.facts", "_live", "    scored afresh"),
    ("iom.cohorts.candidates.facts", "offence_frame", "  offences"),
    ("iom.cohorts.candidates.facts", "protection_frame", "  public protection"),
    ("iom.cohorts.candidates.facts", "order_frame", "  orders"),
    ("iom.cohorts.candidates.facts", "custody_frame", "  custody spells"),
    ("iom.cohorts.candidates.evaluate", "window_starts", "  months at liberty"),
    ("iom.cohorts.candidates.facts", "frame", "  (SQL fetch into Polars, all reads)"),
    ("iom.cohorts.candidates", "evaluate", "rules in Polars"),
    ("iom.cohorts.candidates", "ordered", "ordering"),
    ("iom.cohorts.candidates", "_totals", "whole-force counts"),
    ("iom.cohorts.candidates", "build", "candidates and reasons"),
    ("iom.cohorts.candidates", "_log", "access log"),
    ("iom.cohorts.candidates", "_floor", "cohort floor"),
]


def _timed(function: Callable[..., Any], label: str, spent: dict[str, float]
           ) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - started
    return wrapper


@contextmanager
def timed_stages(enabled: bool = True) -> Iterator[dict[str, float]]:
    """Seconds per stage label, filled in while the block runs (nothing when not enabled)."""
    import importlib

    spent: dict[str, float] = {}
    originals = []
    for module_name, name, label in WRAPPED if enabled else []:
        module = importlib.import_module(module_name)
        if not hasattr(module, name):
            continue
        original = getattr(module, name)
        originals.append((module, name, original))
        setattr(module, name, _timed(original, label, spent))
    try:
        yield spent
    finally:
        for module, name, original in reversed(originals):
            setattr(module, name, original)


def report(spent: dict[str, float], total: float) -> str:
    order = [label for _, _, label in WRAPPED]
    lines = [f"      {label:<38} {spent[label]:6.3f} s" for label in order if label in spent]
    return "\n".join([*lines, f"      {'total':<38} {total:6.3f} s"])

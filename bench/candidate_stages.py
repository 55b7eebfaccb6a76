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
    ("iom.cohorts.selection", "read_facts", "facts (kept, or read afresh)"),
    ("iom.cohorts.selection.snapshot", "_facts_of", "  kept facts: load the snapshot"),
    ("iom.cohorts.selection.snapshot", "changed_since", "  kept facts: who changed since"),
    ("iom.cohorts.selection.snapshot", "_among", "  kept facts: cut to those asked about"),
    ("iom.cohorts.selection.snapshot", "gather", "  read afresh (all, or those changed)"),
    ("iom.cohorts.selection.facts", "people_frame", "  people"),
    ("iom.cohorts.selection.facts", "score_frame", "  scores"),
    ("iom.cohorts.selection.facts", "_stored", "    stored scores"),
    ("iom.cohorts.selection.facts", "_live", "    scored afresh"),
    ("iom.cohorts.selection.facts", "offence_frame", "  offences"),
    ("iom.cohorts.selection.facts", "protection_frame", "  public protection"),
    ("iom.cohorts.selection.facts", "order_frame", "  orders"),
    ("iom.cohorts.selection.facts", "custody_frame", "  custody spells"),
    ("iom.cohorts.selection.evaluate", "window_starts", "  months at liberty"),
    ("iom.cohorts.selection.facts", "frame", "  (SQL fetch into Polars, all reads)"),
    ("iom.cohorts.selection", "evaluate", "rules in Polars"),
    ("iom.cohorts.selection", "_ordered", "ordering"),
    ("iom.cohorts.selection", "_totals", "whole-force counts"),
    ("iom.cohorts.selection", "build", "candidates and reasons"),
    ("iom.cohorts.selection", "_log", "access log"),
    ("iom.cohorts.selection", "_floor", "cohort floor"),
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

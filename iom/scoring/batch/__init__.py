"""Polars twin of the pure scorers: all five scores for millions of people at once.

`score_tables` gives results identical to `iom.scoring.engine.score_person`
for every person (held to it by a property test), at batch speed.
"""

from iom.scoring.batch.facts import person_facts
from iom.scoring.batch.frames import Tables, read_tables
from iom.scoring.batch.score import score_tables

__all__ = ["Tables", "person_facts", "read_tables", "score_tables"]

"""Synthetic IOM data at scale (pure Python: numpy and Polars, no Django)."""

from iom.synthetic.generator import (
    DEFAULT_AS_OF,
    DEFAULT_SEED,
    SyntheticTables,
    generate,
    generate_chunks,
    write_synthetic,
    write_tables,
)

__all__ = [
    "DEFAULT_AS_OF",
    "DEFAULT_SEED",
    "SyntheticTables",
    "generate",
    "generate_chunks",
    "write_synthetic",
    "write_tables",
]

"""Scheme policies: the TOML files (``toml/``), their reader, and the dated rules."""

"""Benchmark scripts, run by hand at full scale and by CI at a small size."""

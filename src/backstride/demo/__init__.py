"""Generated, deterministic data for ``backstride demo`` (no real person's data).

The demo command ships to users, so its run generator lives in the package; tests and
benchmarks reuse it for realistic training blocks.
"""

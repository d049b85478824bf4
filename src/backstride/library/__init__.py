"""The curated exercise library: schema, loader and queries over ``data/exercises/*.yaml``."""

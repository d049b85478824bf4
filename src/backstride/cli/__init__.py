"""Command-line edge (Typer + rich). Each area keeps its commands in its own module."""

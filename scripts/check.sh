#!/usr/bin/env bash
# Lint, type-check and test: what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/lint-imports  # the layer contract: [tool.importlinter] in pyproject.toml
.venv/bin/python -m pytest "$@"

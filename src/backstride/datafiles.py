"""Parsing the YAML files packaged under ``backstride/data``.

libyaml's loader when PyYAML was built with it (the wheels are): the same values as
``yaml.safe_load`` (tested) about ten times faster, which matters because commands read
these files on every start (the exercise library alone took ~0.2 s with the pure-Python
loader). Files a user hands in keep ``yaml.safe_load`` and its familiar error messages.
"""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """Like ``yaml.safe_load(text)``; raises ``yaml.YAMLError`` the same way."""
    return yaml.load(text, Loader=SafeLoader)

"""Bibliographic references and numeric thresholds, both kept as data.

``data/references/*.yaml`` maps a stable reference id to its citation. ``data/thresholds/*.yaml``
maps a threshold name to its value, unit and the reference it comes from. Each area of the
project keeps its own file; ids must be unique across files (a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from backstride.datafiles import parse_yaml


@dataclass(frozen=True)
class Reference:
    id: str
    citation: str
    url: str | None = None
    summary: str = ""


@dataclass(frozen=True)
class Threshold:
    name: str
    value: float
    unit: str
    source: str
    note: str = ""


def _load_yaml_dir(subdir: str) -> list[tuple[str, dict[str, Any]]]:
    root = resources.files("backstride") / "data" / subdir
    out: list[tuple[str, dict[str, Any]]] = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.endswith((".yaml", ".yml")):
            data = parse_yaml(entry.read_text(encoding="utf-8")) or {}
            if not isinstance(data, dict):
                raise ValueError(f"{subdir}/{entry.name} must be a mapping of id -> entry")
            out.append((entry.name, data))
    return out


@cache
def references() -> dict[str, Reference]:
    out: dict[str, Reference] = {}
    for filename, data in _load_yaml_dir("references"):
        for ref_id, body in data.items():
            if ref_id in out:
                raise ValueError(f"reference id {ref_id!r} is defined twice (again in {filename})")
            out[ref_id] = Reference(id=ref_id, citation=body["citation"], url=body.get("url"),
                                    summary=body.get("summary", ""))
    return out


@cache
def thresholds() -> dict[str, Threshold]:
    out: dict[str, Threshold] = {}
    for filename, data in _load_yaml_dir("thresholds"):
        for name, body in data.items():
            if name in out:
                raise ValueError(f"threshold {name!r} is defined twice (again in {filename})")
            out[name] = Threshold(name=name, value=float(body["value"]), unit=str(body["unit"]),
                                  source=str(body["source"]), note=body.get("note", ""))
    return out


def threshold(name: str) -> Threshold:
    try:
        return thresholds()[name]
    except KeyError:
        raise KeyError(f"unknown threshold {name!r}; add it to data/thresholds/*.yaml") from None


def cite(ref_id: str) -> str:
    ref = references().get(ref_id)
    if ref is None:
        raise KeyError(f"unknown reference {ref_id!r}; add it to data/references/*.yaml")
    return ref.citation

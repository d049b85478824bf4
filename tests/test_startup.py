"""Start-up cost of the command line: what it loads, and that the faster paths give the same values."""

from __future__ import annotations

import yaml

from backstride import evidence


def test_evidence_files_read_the_same_with_either_yaml_loader() -> None:
    fast = [data for _, data in evidence._load_yaml_dir("thresholds")]
    fast += [data for _, data in evidence._load_yaml_dir("references")]
    root = evidence.resources.files("backstride") / "data"
    slow = [yaml.safe_load(e.read_text(encoding="utf-8"))
            for sub in ("thresholds", "references")
            for e in sorted((root / sub).iterdir(), key=lambda p: p.name) if e.name.endswith((".yaml", ".yml"))]
    assert fast == slow
    assert len(fast) >= 2 and all(fast)

"""Differential test of the fast FIT path: fitfast where it is known right, fitdecode otherwise.

Every FIT file of the shared set and of a synthetic corpus is decoded both ways; every value
that would be stored (the activity's fields, its warnings and the packed series bytes) must be
identical. The fast path must also really be used where it can be, and never where it cannot
(damage, salvage, a header checksum of 0, compressed speed/distance, relative timestamps).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from backstride.activities import fitfast_path
from backstride.activities.fit import fit_crc16, read_fit
from backstride.activities.model import Series
from backstride.activities.sources import discover, load_bytes
from backstride.demo.synthetic_runs import generate_run
from backstride.errors import ActivityFileError
from support.fit_writer import STRYD_FIELDS, activity_to_fit

pytestmark = pytest.mark.skipif(not fitfast_path.available(), reason="fitfast is not installed")


def _stored(data: bytes, *, fast: bool, salvage: bool = False) -> tuple[str | None, object]:
    try:
        result = read_fit(data, "f.fit", fast=fast, salvage=salvage)
    except ActivityFileError as exc:
        return "rejected", str(exc)
    values = []
    for act in result.activities:
        fields = {f.name: getattr(act, f.name) for f in dataclasses.fields(act) if f.name != "series"}
        fields["dynamics_sources"] = dict(act.dynamics.sources)
        blob = act.series.pack() if act.series is not None and len(act.series) else None
        values.append((fields, blob))
    return result.decoder, (values, result.warnings)


def _synthetic_corpus() -> list[tuple[str, bytes]]:
    start = dt.datetime(2025, 5, 1, 6, 0, tzinfo=dt.UTC)
    out = []
    for seed in range(8):
        surface = ("road", "trail", "treadmill")[seed % 3]
        run = generate_run(start + dt.timedelta(days=seed), 600 + 300 * seed, surface=surface,
                           rng=np.random.default_rng(seed))
        out.append((f"run-{seed}-{surface}", activity_to_fit(run)))
    stryd = generate_run(start, 420, rng=np.random.default_rng(99))
    assert stryd.series is not None
    cols = {k: v for k, v in stryd.series.columns.items() if k not in ("stance_time_ms", "vertical_oscillation_mm")}
    n = len(cols["time_s"])
    cols.update(power_w=np.full(n, 240.0, "f4"), form_power_w=np.full(n, 70.0, "f4"),
                stance_time_ms=np.full(n, 250.0, "f4"), vertical_oscillation_mm=np.full(n, 82.0, "f4"),
                leg_spring_stiffness_kn_m=np.full(n, 10.5, "f4"))
    out.append(("stryd", activity_to_fit(replace(stryd, series=Series(cols)), developer_fields=STRYD_FIELDS)))
    return out


def _shared_fit_files(shared_dir: Path) -> list[tuple[str, bytes]]:
    sources, _ = discover([shared_dir / "data" / "activities"])
    out = []
    for src in sources:
        if src.format != "fit":
            continue
        try:
            out.append((src.display, load_bytes(src)))
        except ActivityFileError:
            continue
    return out


def test_fast_path_stores_the_same_values_on_every_shared_file(shared_dir: Path) -> None:
    files = _shared_fit_files(shared_dir)
    assert len(files) >= 20
    used = 0
    for name, data in files:
        slow_decoder, slow = _stored(data, fast=False)
        fast_decoder, fast = _stored(data, fast=True)
        assert fast == slow, name
        assert slow_decoder in ("fitdecode", "rejected")
        used += fast_decoder == "fitfast"
    assert used >= len(files) // 2  # the fast path carries most valid files


def test_fast_path_stores_the_same_values_on_the_synthetic_corpus() -> None:
    for name, data in _synthetic_corpus():
        _slow_decoder, slow = _stored(data, fast=False)
        fast_decoder, fast = _stored(data, fast=True)
        assert fast_decoder == "fitfast", (name, fitfast_path.last_fallback)
        assert fast == slow, name


def test_fitdecode_decides_on_salvage_and_on_a_header_checksum_of_zero() -> None:
    data = activity_to_fit(generate_run(dt.datetime(2025, 5, 1, tzinfo=dt.UTC), 300, rng=np.random.default_rng(2)))
    assert _stored(data, fast=True)[0] == "fitfast"
    assert _stored(data, fast=True, salvage=True)[0] == "fitdecode"
    assert data[0] == 12  # fit-tool writes the short header; make the 14-byte one with a CRC of 0
    body = bytes([14]) + data[1:12] + b"\x00\x00" + data[12:-2]
    zero_header_crc = body + fit_crc16(body).to_bytes(2, "little")
    decoder, values = _stored(zero_header_crc, fast=True)
    assert decoder == "fitdecode" and values == _stored(zero_header_crc, fast=False)[1]
    broken = data[:-2] + bytes([data[-2] ^ 0xFF, data[-1]])
    assert _stored(broken, fast=True) == _stored(broken, fast=False)
    assert _stored(broken, fast=True)[0] == "rejected"


def test_the_fit_checksum_is_crc16_arc() -> None:
    def reference(data: bytes) -> int:  # the FIT SDK's nibble-table form
        table = [0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
                 0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400]
        crc = 0
        for byte in data:
            tmp = table[crc & 0xF]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ tmp ^ table[byte & 0xF]
            tmp = table[crc & 0xF]
            crc = (crc >> 4) & 0x0FFF
            crc = crc ^ tmp ^ table[(byte >> 4) & 0xF]
        return crc

    for sample in (b"", b".FIT", bytes(range(256)) * 3):
        assert fit_crc16(sample) == reference(sample)
    assert fit_crc16(b"world", fit_crc16(b"hello ")) == reference(b"hello world")

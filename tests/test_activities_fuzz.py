"""Fuzzing: mutated real files and mutated synthetic FIT never crash a reader.

Every outcome must be activities or an :class:`ActivityFileError` naming the file. Mutations:
truncation, flipped bytes, inserted junk, and chunks moved from elsewhere in the file.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.activities.model import Series
from backstride.activities.reader import read_bytes
from backstride.errors import ActivityFileError
from test_activities_readers import START, fit_bytes, gpx_text, tcx_text

SEEDS = {"fit": fit_bytes(minutes=3), "gpx": gpx_text(n=60).encode(), "tcx": tcx_text([START], n=40).encode()}

REAL = ["garmin-fenix-5-run.fit", "activity-small-fenix2-run.fit", "2067489619.fit", "compressed-speed-distance.fit",
        "Friday-Evening-Run.gpx", "test.tcx", "run.gpx", "triathlon_summary_first.fit"]


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "flip", "insert", "overwrite", "duplicate"]))
        if not out:
            break
        pos = draw(st.integers(0, len(out) - 1))
        if kind == "truncate":
            del out[pos:]
        elif kind == "flip":
            out[pos] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            out[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "overwrite":
            junk = draw(st.binary(min_size=1, max_size=32))
            out[pos:pos + len(junk)] = junk
        else:
            length = draw(st.integers(1, 200))
            src = draw(st.integers(0, max(len(out) - 1, 0)))
            out[pos:pos] = out[src:src + length]
    return bytes(out)


def _check(data: bytes, fmt: str, salvage: bool) -> None:
    try:
        result = read_bytes(data, fmt, f"fuzz.{fmt}", salvage=salvage)
    except ActivityFileError as exc:
        assert f"fuzz.{fmt}" in str(exc)
        return
    for act in result.activities:
        assert act.start_time.tzinfo is not None
        assert act.elapsed_s >= 0 or act.elapsed_s != act.elapsed_s
        if act.series is not None:
            # what is stored must round-trip through the compact format
            again = Series.unpack(act.series.pack())
            assert len(again) == len(act.series)


@pytest.mark.parametrize("fmt", ["fit", "gpx", "tcx"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), salvage=st.booleans())
def test_mutated_synthetic_files_never_crash(fmt: str, data: st.DataObject, salvage: bool) -> None:
    _check(data.draw(mutated(SEEDS[fmt])), fmt, salvage)


@pytest.mark.shared_data
@settings(max_examples=int(os.environ.get("BACKSTRIDE_FUZZ_EXAMPLES", "80")), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.data(), salvage=st.booleans())
def test_mutated_real_files_never_crash(shared_dir: Path, data: st.DataObject, salvage: bool) -> None:
    name = data.draw(st.sampled_from(REAL))
    raw = (shared_dir / "data" / "activities" / name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    fmt = name.rsplit(".", 1)[-1]
    _check(data.draw(mutated(raw)), fmt, salvage)


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=400), fmt=st.sampled_from(["fit", "gpx", "tcx"]))
def test_random_bytes_never_crash(data: bytes, fmt: str) -> None:
    _check(data, fmt, salvage=True)


def _container_seed(kind: str) -> bytes:
    import io
    import zipfile

    if kind == "gz":
        return gzip.compress(SEEDS["fit"][:3000] + SEEDS["fit"][-200:], mtime=0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        csv_text = "Activity ID,Activity Name,Activity Type,Filename\n1,x,Run,activities/1.gpx\n"
        zf.writestr(_fixed("activities.csv"), csv_text)
        zf.writestr(_fixed("activities/1.gpx"), SEEDS["gpx"])
        zf.writestr(_fixed("inner.zip"), _inner_zip())
    return buf.getvalue()


def _inner_zip() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(_fixed("a.tcx"), SEEDS["tcx"])
    return buf.getvalue()


def _fixed(name: str):  # type: ignore[no-untyped-def]
    """A zip entry with a fixed date, so the seed bytes are the same on every run."""
    import zipfile

    return zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))


@pytest.mark.parametrize("kind", ["gz", "zip"])
@settings(max_examples=int(os.environ.get("BACKSTRIDE_FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_archives_never_crash(tmp_path_factory: pytest.TempPathFactory, kind: str,
                                      data: st.DataObject) -> None:
    from backstride.activities.reader import decode_source
    from backstride.activities.sources import discover

    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / ("x.fit.gz" if kind == "gz" else "x.zip")
    path.write_bytes(data.draw(mutated(_container_seed(kind))))
    salvage = data.draw(st.booleans())
    sources, problems = discover([path])
    for src in sources:
        decoded = decode_source(src, salvage=salvage)
        assert decoded.error is None or "x." in decoded.error
    for shown, reason in problems:
        assert shown.startswith(str(path)) and reason

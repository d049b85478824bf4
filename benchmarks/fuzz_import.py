"""Mutation fuzzing of every activity reader and of the archive walker (not part of CI).

    BACKSTRIDE_SHARED_DIR=../shared nice .venv/bin/python benchmarks/fuzz_import.py --cases 100000

Seeds are the real files in ``<shared>/data/activities`` (FIT, GPX, TCX, gzip, zip) plus small
synthetic ones. Each case mutates one seed (truncate, flip, insert, overwrite, duplicate a chunk,
a few times) and runs it through the matching reader, through the other readers (a wrong
extension), and, one case in eight, wrapped in a zip (sometimes nested, sometimes gzip inside)
through :func:`discover` and :func:`load_bytes`. An outcome is either activities or an
:class:`ActivityFileError`; anything else is an unhandled exception, counted and shown.
Prints one JSON document with the counts and the time.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

from backstride.activities.reader import read_bytes
from backstride.activities.sources import discover, load_bytes
from backstride.errors import ActivityFileError

FORMATS = ("fit", "gpx", "tcx")
# Keep each case quick: larger real files are cut (a cut is itself a mutation the readers must survive).
MAX_SEED_BYTES = 64 * 1024


def _seeds(shared: Path) -> list[tuple[str, bytes]]:
    folder = shared / "data" / "activities"
    seeds: list[tuple[str, bytes]] = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        name = path.name.lower()
        data = path.read_bytes()
        if name.endswith(".gz"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError):
                continue
            name = name[:-3]
        fmt = name.rsplit(".", 1)[-1]
        if fmt in FORMATS:
            seeds.append((fmt, data[:MAX_SEED_BYTES]))
    seeds.append(("gpx", b'<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
                         b'<trk><type>running</type><trkseg><trkpt lat="52.0" lon="4.0"><ele>1</ele>'
                         b'<time>2026-01-01T07:00:00Z</time></trkpt><trkpt lat="52.001" lon="4.0"><ele>2</ele>'
                         b'<time>2026-01-01T07:00:10Z</time></trkpt></trkseg></trk></gpx>'))
    return seeds


def _mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not out:
            break
        pos = rng.randrange(len(out))
        kind = rng.choice(("truncate", "flip", "flip", "insert", "overwrite", "duplicate"))
        if kind == "truncate":
            del out[pos:]
        elif kind == "flip":
            out[pos] ^= rng.randint(1, 255)
        elif kind == "insert":
            out[pos:pos] = rng.randbytes(rng.randint(1, 64))
        elif kind == "overwrite":
            junk = rng.randbytes(rng.randint(1, 32))
            out[pos:pos + len(junk)] = junk
        else:
            src = rng.randrange(len(out))
            out[pos:pos] = out[src:src + rng.randint(1, 200)]
    return bytes(out)


def _archive(fmt: str, data: bytes, rng: random.Random, folder: Path, i: int) -> Path:
    member = f"activities/case{i}.{fmt}"
    payload = data
    if rng.random() < 0.3:
        payload, member = gzip.compress(data, compresslevel=1), member + ".gz"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, payload)
        if rng.random() < 0.3:
            zf.writestr("activities.csv", "Filename,Activity Type,Activity Name\n"
                        f"{member},Run,case {i}\n")
    raw = buf.getvalue()
    if rng.random() < 0.3:   # nested, as Garmin exports are
        outer = io.BytesIO()
        with zipfile.ZipFile(outer, "w") as zf:
            zf.writestr(f"part{i}.zip", raw)
        raw = outer.getvalue()
    if rng.random() < 0.5:   # and the archive bytes themselves damaged
        raw = _mutate(raw, rng)
    path = folder / f"case{i % 64}.zip"
    path.write_bytes(raw)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long (reports the cases done)")
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("BACKSTRIDE_SHARED_DIR", "../shared")))
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = _seeds(args.shared)
    counts: Counter[str] = Counter()
    crashes: Counter[str] = Counter()
    examples: dict[str, str] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        done = 0
        for i in range(args.cases):
            if args.seconds is not None and time.perf_counter() - started > args.seconds:
                break
            done += 1
            fmt, seed = seeds[i % len(seeds)]
            data = _mutate(seed, rng)
            reader = fmt if rng.random() < 0.85 else rng.choice(FORMATS)
            try:
                if i % 8 == 7:
                    sources, _problems = discover([_archive(fmt, data, rng, folder, i)])
                    counts["archive_cases"] += 1
                    for src in sources:
                        try:
                            read_bytes(load_bytes(src), src.format or "fit", src.display, salvage=bool(i % 2))
                            counts["read"] += 1
                        except ActivityFileError:
                            counts["rejected"] += 1
                else:
                    read_bytes(data, reader, f"case{i}.{reader}", salvage=bool(i % 2))
                    counts["read"] += 1
            except ActivityFileError:
                counts["rejected"] += 1
            except Exception as exc:  # the thing being counted: any exception that is not ours
                key = f"{type(exc).__name__} ({reader})"
                crashes[key] += 1
                examples.setdefault(key, "".join(traceback.format_exception(exc))[-1500:])
            counts[f"cases_{reader}"] += 1
    elapsed = time.perf_counter() - started
    report = {"cases": done, "cases_asked": args.cases, "seeds": len(seeds), "seconds": round(elapsed, 1),
              "cases_per_s": round(done / elapsed, 1), "counts": dict(counts),
              "unhandled": sum(crashes.values()), "unhandled_by_kind": dict(crashes), "examples": examples}
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())

"""One entry point for every format, and the picklable unit of work for a process pool.

:func:`read_bytes` turns one file's bytes into activities (or raises
:class:`ActivityFileError`). :func:`decode_source` wraps it for the import pipeline: it
never raises, and it returns activities without their series plus the series already packed,
so the parent process only writes rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from backstride.activities.fit import read_fit
from backstride.activities.gpx import read_gpx
from backstride.activities.model import Activity, ReadResult
from backstride.activities.sources import ExportMeta, Source, load_bytes
from backstride.activities.sport import check_sport
from backstride.activities.tcx import read_tcx
from backstride.errors import ActivityFileError

READERS = {"fit": read_fit, "gpx": read_gpx, "tcx": read_tcx}


def read_bytes(data: bytes, fmt: str, source: str, *, salvage: bool = False,
               meta: ExportMeta | None = None) -> ReadResult:
    reader = READERS.get(fmt)
    if reader is None:
        raise ActivityFileError(source, f"unsupported format {fmt!r}; backstride reads FIT, GPX and TCX")
    try:
        result = reader(data, source, salvage=salvage)
    except ActivityFileError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ActivityFileError(source, f"the file is too deeply nested or too large to read ({exc.__class__.__name__})") from None
    except Exception as exc:
        # A reader library tripping over hostile input is still a rejected file, never a crash.
        raise ActivityFileError(
            source, f"the {fmt.upper()} file could not be read ({exc.__class__.__name__}: {exc})",
            hint="the file may be damaged; export it again") from exc
    if meta is not None:
        result.activities = [_apply_meta(a, meta) for a in result.activities]
    checked = []
    for act in result.activities:
        notes: list[str] = []
        act = check_sport(act, notes)
        result.warnings.extend(notes)
        checked.append(act)
    # Every activity of a file keeps the file's remarks, so its page can show them.
    result.activities = [replace(a, warnings=tuple(result.warnings)) for a in checked]
    return result


def _apply_meta(act: Activity, meta: ExportMeta) -> Activity:
    changes: dict[str, object] = {}
    if meta.name:
        changes["name"] = meta.name
    if meta.gear:
        changes["gear"] = meta.gear
    # The export index knows the sport the runner chose; a file may say "generic" or nothing.
    if meta.sport and (act.sport in ("unknown", "generic", "other") or (meta.sport != act.sport and act.leg_index == 0)):
        changes["sport"] = meta.sport
        changes["sport_source"] = "export"
    if meta.sub_sport and act.sub_sport is None:
        changes["sub_sport"] = meta.sub_sport
    return replace(act, **changes) if changes else act  # type: ignore[arg-type]


@dataclass
class DecodedActivity:
    activity: Activity          # without its series
    series_blob: bytes | None
    richness: tuple[int, int, int]


@dataclass
class Decoded:
    """The outcome for one source file: activities, or an error; warnings either way."""

    display: str
    content_sha256: str
    activities: list[DecodedActivity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def decode(display: str, fmt: str, data: bytes, sha: str, meta: ExportMeta | None,
           salvage: bool) -> Decoded:
    out = Decoded(display=display, content_sha256=sha)
    try:
        result = read_bytes(data, fmt, display, salvage=salvage, meta=meta)
    except ActivityFileError as exc:
        out.error = str(exc)
        return out
    out.warnings = result.warnings
    for act in result.activities:
        blob = act.series.pack() if act.series is not None and len(act.series) else None
        out.activities.append(DecodedActivity(act.without_series(), blob, act.richness()))
    return out


def decode_source(source: Source, salvage: bool) -> Decoded:
    """Read, hash and decode a source in one go (used when the caller has no bytes yet)."""
    from backstride.activities.sources import content_hash

    try:
        data = load_bytes(source)
    except ActivityFileError as exc:
        return Decoded(display=source.display, content_sha256="", error=str(exc))
    fmt = source.format or "fit"
    return decode(source.display, fmt, data, content_hash(data), source.meta, salvage)

"""Finding activity files in what the user gave us: files, folders, gzip, zip, bulk exports.

- a folder is searched recursively for ``.fit``, ``.gpx``, ``.tcx`` (each optionally ``.gz``)
  and ``.zip``;
- a **Strava bulk export** (zip or unpacked folder) has ``activities.csv`` beside
  ``activities/*.fit.gz|.gpx|.tcx.gz``: names, gear and sport are taken from the CSV;
- a **Garmin Connect export** is a zip holding zips of the original FIT files: zips are
  opened up to :data:`MAX_ZIP_DEPTH` deep.

A :class:`Source` is a small picklable pointer (path plus archive members); its bytes are
read with :func:`load_bytes`, which also gives the content hash used for duplicates.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from backstride.errors import ActivityFileError

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
MAX_ZIP_DEPTH = 3
# Guard against zip and gzip bombs: no single activity file is anywhere near this.
MAX_MEMBER_BYTES = 256 * 1024 * 1024

# Strava "Activity Type" -> (sport, sub_sport)
STRAVA_TYPES: dict[str, tuple[str, str | None]] = {
    "run": ("running", None), "trail run": ("running", "trail"), "virtual run": ("running", "treadmill"),
    "walk": ("walking", None), "hike": ("hiking", None), "ride": ("cycling", None),
    "virtual ride": ("cycling", "virtual_activity"), "e-bike ride": ("cycling", "e_bike"),
    "gravel ride": ("cycling", "gravel_cycling"), "mountain bike ride": ("cycling", "mountain"),
    "swim": ("swimming", None), "nordic ski": ("cross_country_skiing", None),
}


@dataclass(frozen=True)
class ExportMeta:
    """What a bulk export's index says about one file (all optional)."""

    name: str | None = None
    sport: str | None = None
    sub_sport: str | None = None
    gear: str | None = None


@dataclass(frozen=True)
class Source:
    path: str                                  # the file on disk
    members: tuple[str, ...] = ()              # zip member chain inside it
    meta: ExportMeta | None = field(default=None, compare=False)

    @property
    def display(self) -> str:
        return "!".join((self.path, *self.members))

    @property
    def inner_name(self) -> str:
        return (self.members[-1] if self.members else self.path).lower()

    @property
    def format(self) -> str | None:
        name = self.inner_name
        if name.endswith(".gz"):
            name = name[:-3]
        for suffix in ACTIVITY_SUFFIXES:
            if name.endswith(suffix):
                return suffix[1:]
        return None


def _is_candidate(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return lower.endswith((*ACTIVITY_SUFFIXES, ".zip"))


def discover(paths: list[Path | str]) -> tuple[list[Source], list[tuple[str, str]]]:
    """All activity files under ``paths``, in a stable order, and (path, reason) for the
    paths that cannot be used at all."""
    sources: list[Source] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            problems.append((str(path), "no such file or folder"))
        elif path.is_dir():
            meta = _strava_csv_from_folder(path)
            for file in sorted(p for p in path.rglob("*") if p.is_file() and _is_candidate(p.name)):
                rel = file.relative_to(path).as_posix()
                sources.extend(_expand(file, meta.get(rel), problems))
        elif path.is_file():
            if not _is_candidate(path.name):
                problems.append((str(path), "unsupported file type: backstride reads .fit, .gpx and .tcx "
                                 "files (also .gz), folders and .zip exports"))
                continue
            sources.extend(_expand(path, None, problems))
        else:
            problems.append((str(path), "not a regular file or folder"))
    return sources, problems


def _expand(path: Path, meta: ExportMeta | None, problems: list[tuple[str, str]]) -> list[Source]:
    if not path.name.lower().endswith(".zip"):
        return [Source(str(path), (), meta)]
    try:
        with zipfile.ZipFile(path) as zf:
            return list(_zip_sources(zf, str(path), (), 1, problems))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        problems.append((str(path), f"the zip archive cannot be opened ({exc}); it may be truncated or damaged"))
        return []


def _zip_sources(zf: zipfile.ZipFile, path: str, chain: tuple[str, ...], depth: int,
                 problems: list[tuple[str, str]]) -> Iterator[Source]:
    infos = [i for i in zf.infolist() if not i.is_dir()]
    meta = _strava_csv_from_zip(zf, infos)
    for info in sorted(infos, key=lambda i: i.filename):
        name = info.filename
        if not _is_candidate(name) or "__MACOSX" in name:
            continue
        display = "!".join((path, *chain, name))
        if info.file_size > MAX_MEMBER_BYTES:
            problems.append((display, f"archive member is {info.file_size} bytes, larger than any activity file; skipped"))
            continue
        if name.lower().endswith(".zip"):
            if depth >= MAX_ZIP_DEPTH:
                problems.append((display, "zip archives nested too deep; unpack it first"))
                continue
            try:
                with zf.open(info) as fh, tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
                    _copy_capped(fh, spool, display)   # seekable for ZipFile, on disk when large
                    spool.seek(0)
                    with zipfile.ZipFile(spool) as inner:
                        yield from _zip_sources(inner, path, (*chain, name), depth + 1, problems)
            except ActivityFileError:
                problems.append((display, "the inner zip archive is larger than any export could be; skipped"))
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
                problems.append((display, f"the inner zip archive cannot be opened ({exc})"))
            continue
        yield Source(path, (*chain, name), meta.get(name))


def _strava_csv_from_folder(folder: Path) -> dict[str, ExportMeta]:
    csv_path = folder / "activities.csv"
    if not csv_path.is_file():
        return {}
    try:
        return parse_strava_csv(csv_path.read_bytes(), prefix="")
    except OSError:
        return {}


def _strava_csv_from_zip(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, ExportMeta]:
    for info in infos:
        if info.filename.rsplit("/", 1)[-1].lower() == "activities.csv" and info.file_size < MAX_MEMBER_BYTES:
            prefix = info.filename[: -len("activities.csv")]
            try:
                return parse_strava_csv(zf.read(info), prefix=prefix)
            except (OSError, zipfile.BadZipFile, zlib.error, EOFError):
                return {}
    return {}


def parse_strava_csv(data: bytes, *, prefix: str) -> dict[str, ExportMeta]:
    """Map each listed file (relative to the export root) to its name, sport and gear."""
    text = data.decode("utf-8-sig", errors="replace")
    out: dict[str, ExportMeta] = {}
    for row in csv.DictReader(io.StringIO(text)):
        filename = (row.get("Filename") or "").strip()
        if not filename:
            continue
        kind = (row.get("Activity Type") or "").strip().lower()
        sport, sub_sport = STRAVA_TYPES.get(kind, (None, None))
        if kind and sport is None:
            sport = "other"
        out[prefix + filename] = ExportMeta(
            name=(row.get("Activity Name") or "").strip() or None,
            sport=sport, sub_sport=sub_sport,
            gear=(row.get("Activity Gear") or "").strip() or None,
        )
    return out


# Reading block size, and how much of a nested zip is kept in memory before it spills to a temp file.
_BLOCK_BYTES = 1024 * 1024
_SPOOL_BYTES = 8 * 1024 * 1024
_READ_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error)


@contextmanager
def open_stream(source: Source) -> Iterator[IO[bytes]]:
    """The file's (or innermost archive member's) raw bytes as a stream, never read whole.

    A zip inside a zip needs a seekable file, so each inner zip is copied to a spooled temporary
    file (in memory up to 8 MiB, on disk beyond), not into a bytes object.
    """
    with ExitStack() as stack:
        if not source.members:
            yield stack.enter_context(open(source.path, "rb"))
            return
        zf = stack.enter_context(zipfile.ZipFile(source.path))
        for name in source.members[:-1]:
            spool = stack.enter_context(tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES))
            with zf.open(name) as member:
                _copy_capped(member, spool, source.display)
            spool.seek(0)
            zf = stack.enter_context(zipfile.ZipFile(spool))
        yield stack.enter_context(zf.open(source.members[-1]))


def _copy_capped(src: IO[bytes], dst: Any, display: str) -> None:
    copied = 0
    while block := src.read(_BLOCK_BYTES):
        copied += len(block)
        if copied > MAX_MEMBER_BYTES:
            raise ActivityFileError(display, "the file is larger than any activity file could be; skipped")
        dst.write(block)


def _blocks(source: Source, raw: IO[bytes]) -> Iterator[bytes]:
    """The activity file's own bytes (gunzipped where it is .gz) in blocks, with the size caps."""
    if not source.inner_name.endswith(".gz"):
        seen = 0
        while block := raw.read(_BLOCK_BYTES):
            seen += len(block)
            if seen > MAX_MEMBER_BYTES:
                raise ActivityFileError(source.display, "the file is larger than any activity file could be; skipped")
            yield block
        return
    first = raw.read(_BLOCK_BYTES)
    if not first:
        raise ActivityFileError(source.display, "the gzip file is empty (0 bytes); nothing to import")
    try:
        with gzip.GzipFile(fileobj=_Prefixed(first, raw)) as gz:
            out = 0
            while block := gz.read(_BLOCK_BYTES):
                out += len(block)
                if out > MAX_MEMBER_BYTES:
                    raise ActivityFileError(source.display,
                                            "the file unpacks to more than any activity file could be; skipped")
                yield block
    except (OSError, EOFError, zlib.error) as exc:
        raise ActivityFileError(source.display, f"the gzip compression is damaged or truncated ({exc}); "
                                "nothing was stored", hint="download or export the file again") from None


class _Prefixed(io.RawIOBase):
    """A stream that first gives back bytes already read from it."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def stream_hash(source: Source) -> str:
    """:func:`content_hash` of :func:`load_bytes`, computed block by block (never holds the file)."""
    digest = hashlib.sha256()
    try:
        with open_stream(source) as raw:
            for block in _blocks(source, raw):
                digest.update(block)
    except ActivityFileError:
        raise
    except _READ_ERRORS as exc:
        raise ActivityFileError(source.display, f"the file cannot be read ({exc})",
                                hint="check the file is complete and readable") from None
    return digest.hexdigest()


def load_bytes(source: Source) -> bytes:
    """The activity file's own bytes (unzipped and gunzipped). Raises ActivityFileError."""
    buffer = bytearray()
    try:
        with open_stream(source) as raw:
            for block in _blocks(source, raw):
                buffer += block
    except ActivityFileError:
        raise
    except _READ_ERRORS as exc:
        raise ActivityFileError(source.display, f"the file cannot be read ({exc})",
                                hint="check the file is complete and readable") from None
    return bytes(buffer)


def gunzip(data: bytes, display: str) -> bytes:
    if not data:
        raise ActivityFileError(display, "the gzip file is empty (0 bytes); nothing to import")
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(MAX_MEMBER_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise ActivityFileError(display, f"the gzip compression is damaged or truncated ({exc}); nothing was stored",
                                hint="download or export the file again") from None
    if len(out) > MAX_MEMBER_BYTES:
        raise ActivityFileError(display, "the file unpacks to more than any activity file could be; skipped")
    return out


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

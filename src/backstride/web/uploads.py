"""Uploaded files: size limit, type checks on name and content, a private folder per upload.

On any rejection nothing is left behind. Accepted uploads live in ``files/uploads/<id>/`` until
the background job that reads them is finished.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from fastapi import UploadFile

from backstride.config import Settings
from backstride.errors import InputError

_CHUNK = 1024 * 1024


class UploadTooLarge(InputError):
    """The request body (or one file) is bigger than ``max_upload_mb``."""


def upload_root(settings: Settings) -> Path:
    return settings.files_dir / "uploads"


def _safe_relative(name: str) -> PurePosixPath:
    """A browser-sent name (maybe ``folder/sub/file.fit`` from a folder upload) made safe."""
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "..", "/")]
    if not parts:
        raise InputError("an uploaded file has no usable name", hint="rename the file and send it again")
    return PurePosixPath(*[p[:120] for p in parts[-6:]])


def _content_problem(head: bytes, lower: str) -> str | None:
    """Why the first bytes do not match the file's extension, or None when they plausibly do."""
    if lower.endswith(".gz"):
        return None if head[:2] == b"\x1f\x8b" else "is not gzip-compressed data"
    if lower.endswith(".zip"):
        return None if head[:4] in (b"PK\x03\x04", b"PK\x05\x06") else "is not a zip archive"
    if lower.endswith(".fit"):
        return None if len(head) >= 12 and head[8:12] == b".FIT" else "does not contain FIT data"
    if lower.endswith((".gpx", ".tcx")):
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return None if text.startswith(b"<") else "is not an XML file"
    if lower.endswith((".mp4", ".mov", ".m4v")):
        return None if head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free") else "is not an MP4 or QuickTime video"
    if lower.endswith((".webm", ".mkv")):
        return None if head[:4] == b"\x1a\x45\xdf\xa3" else "is not a WebM or Matroska video"
    if lower.endswith(".avi"):
        return None if head[:4] == b"RIFF" else "is not an AVI video"
    return None


def save_uploads(files: Sequence[UploadFile], settings: Settings, *, suffixes: tuple[str, ...],
                 what: str, extra_suffixes: tuple[str, ...] = ()) -> tuple[Path, list[Path]]:
    """Store uploaded files in a fresh private folder, keeping folder structure.

    ``suffixes`` are the types that count as ``what``; ``extra_suffixes`` are companions kept
    when they come along (e.g. a Strava export's ``activities.csv``). Files of other types in
    a multi-file (folder) upload are skipped; if nothing usable is left, the upload is rejected.
    Returns the folder and the stored files.
    """
    chosen = [f for f in files if f.filename]
    if not chosen:
        raise InputError(f"no file was chosen: this form needs {what}", hint="choose a file and send the form again")
    usable = [f for f in chosen if (f.filename or "").lower().endswith(suffixes)]
    if not usable:
        names = ", ".join(sorted({PurePosixPath((f.filename or "").replace("\\", "/")).name for f in chosen})[:5])
        raise InputError(f"{names}: not a file type backstride can read as {what}; nothing was stored",
                         hint=f"send one of: {', '.join(suffixes)}")
    limit = settings.max_upload_mb * 1024 * 1024
    folder = upload_root(settings) / uuid.uuid4().hex
    stored: list[Path] = []
    total = 0
    try:
        folder.mkdir(parents=True, exist_ok=False)
        for upload in chosen:
            lower = (upload.filename or "").lower()
            if not lower.endswith(suffixes + extra_suffixes):
                continue
            rel = _safe_relative(upload.filename or "")
            dest = folder / rel
            if dest.exists():
                dest = dest.with_name(f"{uuid.uuid4().hex[:6]}-{dest.name}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            head = upload.file.read(64)
            if not head:
                raise InputError(f"{rel.name} is empty; nothing was stored", hint="choose the file again")
            problem = _content_problem(head, lower)
            if problem is not None:
                raise InputError(f"{rel.name} {problem}, although its name says otherwise; nothing was stored",
                                 hint=f"check that you chose the right file: this form needs {what}")
            written = 0
            with dest.open("wb") as out:
                chunk = head
                while chunk:
                    written += len(chunk)
                    total += len(chunk)
                    if total > limit:
                        raise UploadTooLarge(f"{rel.name} takes the upload over the {settings.max_upload_mb} MB limit; nothing was stored",
                                             hint="send fewer or smaller files, or raise BACKSTRIDE_MAX_UPLOAD_MB")
                    out.write(chunk)
                    chunk = upload.file.read(_CHUNK)
            if written == 0:
                raise InputError(f"{rel.name} is empty; nothing was stored", hint="choose the file again")
            stored.append(dest)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, stored


def discard(folder: Path | str, settings: Settings) -> None:
    """Remove an upload's private folder (after it has been read, or rejected)."""
    path = Path(folder).resolve()
    if path.parent == upload_root(settings).resolve():
        shutil.rmtree(path, ignore_errors=True)


def shown(text: str, folder: Path | str) -> str:
    """A message about an uploaded file without the private folder's path."""
    return text.replace(str(Path(folder)) + "/", "").replace(str(Path(folder).resolve()) + "/", "")

"""One exception tree for the whole project.

Every error a user can cause carries a message that names the file or field, says what was
wrong and what to do. The command line maps :class:`InputError` to exit code 1 and prints the
message (or ``{"error": ...}`` with ``--json``); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class BackstrideError(Exception):
    """Base of every error raised on purpose by backstride.

    ``hint`` says what to do in words that fit every surface ("complete the screening first").
    Where a command line user would run a command for it, ``command`` names it, and ``page`` is
    the web page (path and button text) that does the same; each surface adds its own.
    """

    def __init__(self, message: str, *, hint: str | None = None, command: str | None = None,
                 page: tuple[str, str] | None = None, retry: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.plain_hint = hint
        self.command = command
        self.page = page
        self.retry = retry   # the web app's "try again" form for a background job (url, label, fields)

    @property
    def hint(self) -> str | None:
        """What to do on the command line: the plain hint followed by the command to run."""
        if self.command is None:
            return self.plain_hint
        run = f"run `{self.command}`"
        return f"{self.plain_hint} ({run})" if self.plain_hint else run

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"type": type(self).__name__, "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        return out


class InputError(BackstrideError):
    """The user's input (a file, a flag, an answer) was rejected; nothing was stored."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of an input, in words the user can act on."""

    field: str
    message: str
    allowed: str | None = None

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}"
        return f"{text} (allowed: {self.allowed})" if self.allowed else text

    def to_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "message": self.message, "allowed": self.allowed}


class ValidationFailed(InputError):
    """Several problems found in one input; every one is listed, not just the first."""

    def __init__(self, source: str, problems: list[Problem] | None = None) -> None:
        self.source = source
        self.problems: list[Problem] = list(problems or [])
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            f"{source} was rejected, nothing was stored:\n{lines}",
            hint="fix the listed fields and run the command again",
        )

    def to_dict(self) -> dict[str, object]:
        out = super().to_dict()
        out["source"] = self.source
        out["problems"] = [p.to_dict() for p in self.problems]
        return out


class ActivityFileError(InputError):
    """An activity file (FIT, GPX, TCX, archive) could not be read."""

    def __init__(self, path: str, message: str, *, recovered: bool = False, hint: str | None = None) -> None:
        self.path = path
        self.recovered = recovered
        super().__init__(f"{path}: {message}", hint=hint)


class VideoError(InputError):
    """A video could not be analysed (not decodable, no runner, too few steps, walking...)."""


class NotFoundError(InputError):
    """A runner, screening, plan, exercise or activity that was asked for does not exist."""


class EditConflict(InputError):
    """Someone else changed the same thing in the meantime and the two changes cannot be combined."""

    def __init__(self, message: str, *, fields: tuple[str, ...] = (), hint: str | None = None,
                 command: str | None = None, page: tuple[str, str] | None = None) -> None:
        self.fields = fields
        super().__init__(message, hint=hint, command=command, page=page)

    def to_dict(self) -> dict[str, object]:
        out = super().to_dict()
        out["fields"] = list(self.fields)
        return out


class ConfigError(BackstrideError):
    """Settings are inconsistent (bad database URL, unwritable data folder)."""


class StorageError(BackstrideError):
    """The database could not be reached or migrated."""


@dataclass
class Warnings:
    """Collects non-fatal remarks (recovered data, ignored values) to show the user."""

    items: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.items.append(message)

    def __bool__(self) -> bool:
        return bool(self.items)

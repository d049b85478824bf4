"""The video-specific rejection: a :class:`~backstride.errors.VideoError` with a stable reason code.

The message is for the runner; ``reason`` is for programs (the web page picks its help text
from it, tests assert on it).
"""

from __future__ import annotations

from backstride.errors import VideoError

REASONS = ("unreadable", "no_person", "too_few_steps", "slow_motion", "implausible_cadence", "walking",
           "bad_option")


class VideoRejected(VideoError):
    def __init__(self, reason: str, message: str, *, hint: str | None = None,
                 suggested_slowmo: int | None = None) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown rejection reason {reason!r}")
        super().__init__(message, hint=hint)
        self.reason = reason
        self.suggested_slowmo = suggested_slowmo  # slow motion: the factor the hint proposes

    def to_dict(self) -> dict[str, object]:
        out = super().to_dict()
        out["reason"] = self.reason
        if self.suggested_slowmo is not None:
            out["suggested_slowmo"] = self.suggested_slowmo
        return out

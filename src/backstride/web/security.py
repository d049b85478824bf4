"""Request checks at the web edge, as small ASGI middlewares that can be stacked.

- :class:`SameOrigin`: a state-changing request (anything but GET/HEAD/OPTIONS) must say where it
  comes from, with an ``Origin`` or a ``Referer`` header naming this app's own address. Browsers
  send ``Origin`` with every POST a page makes (same-site or not) and ``Referer`` unless the page
  opted out, so a real form always passes; a request with neither, or from another site, is
  refused. Checks added later (a CSRF token, a login) wrap around or inside this one.
- :class:`UploadSlots`: at most N uploads (multipart requests) are read at the same time; one more
  is answered at once with 503 instead of queueing more data in memory and on disk.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
# (scope, receive, send, status, title, message, hint) -> sends an error page
Refuse = Callable[[Scope, Receive, Send, int, str, str, str], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _authority(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an absolute http(s) URL, None for anything else ("null", garbage)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[parts.scheme]


def same_origin(headers: dict[bytes, bytes], scheme: str) -> bool | None:
    """True when Origin (or, without it, Referer) names the Host this request was sent to.

    None when the request carries neither header (which a browser form never does).
    """
    host = headers.get(b"host", b"").decode("latin-1")
    own = _authority(f"{scheme}://{host}/") if host else None
    origin = headers.get(b"origin", b"").decode("latin-1").strip()
    referer = headers.get(b"referer", b"").decode("latin-1").strip()
    claimed = origin or referer
    if not claimed:
        return None
    if own is None:
        return False
    return _authority(claimed) == own


class SameOrigin:
    """Refuse state-changing requests not sent by this app's own pages (cross-site request forgery)."""

    def __init__(self, app: ASGIApp, refuse: Refuse) -> None:
        self.app = app
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") not in SAFE_METHODS:
            verdict = same_origin(dict(scope.get("headers") or []), scope.get("scheme", "http"))
            if verdict is not True:
                why = ("This request did not say which page sent it, so backstride did not act on it."
                       if verdict is None else
                       "This form was sent from another web site, so backstride did not act on it.")
                await self.refuse(scope, receive, send, 403, "Refused", why,
                                  "use the pages of backstride itself in your browser")
                return
        await self.app(scope, receive, send)


class UploadSlots:
    """At most ``limit`` multipart uploads are read at once; the next one is told to try again."""

    def __init__(self, app: ASGIApp, refuse: Refuse, limit: int) -> None:
        self.app = app
        self.refuse = refuse
        self.limit = limit
        self._busy = 0
        self._lock = threading.Lock()

    def _take(self) -> bool:
        with self._lock:
            if self._busy >= self.limit:
                return False
            self._busy += 1
            return True

    def _release(self) -> None:
        with self._lock:
            self._busy -= 1

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        if not headers.get(b"content-type", b"").lower().startswith(b"multipart/"):
            await self.app(scope, receive, send)
            return
        if not self._take():
            await self.refuse(scope, receive, send, 503, "Busy with other uploads",
                              f"backstride is already receiving {self.limit} uploads; this one was not read "
                              "and nothing was stored.", "wait until the other uploads have finished, then send it again")
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._release()

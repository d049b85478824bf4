"""What the web tests share: the app over a fresh workspace, driven through TestClient at a loopback address."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.web.app import create_app

LOCAL = "http://127.0.0.1"  # the app answers only at loopback addresses
# What a browser sends with every form post of the app's own pages (web/security.py requires it).
SAME_ORIGIN = {"Origin": LOCAL}


@contextmanager
def client_for(settings: Settings) -> Iterator[TestClient]:
    """A client on a new app; the app's workspace is closed when the block ends."""
    app = create_app(settings)
    with TestClient(app, base_url=LOCAL, headers=SAME_ORIGIN) as c:
        yield c
    app.state.workspace.close()


def ws_of(client: TestClient) -> Any:
    """The workspace behind the app the client talks to."""
    return client.app.state.workspace  # type: ignore[attr-defined]


def wait_job(client: TestClient, url: str, timeout: float = 60, poll: float = 0.05) -> dict[str, Any]:
    """Poll a background job's page (``/jobs/<id>``) until it has finished; its JSON status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"{url}.json").json()
        if status["finished"]:
            return status  # type: ignore[no-any-return]
        time.sleep(poll)
    raise AssertionError(f"job {url} did not finish in {timeout:g} s")


# Text shaped like an internal identifier: what a user must never read on a page or in the report.
IDENTIFIER_PATTERNS: dict[str, str] = {
    "snake_case key": r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b",
    # (a file name the user handles, such as data.json in their export, is not a code)
    "dotted code": r"\b(?!e\.g\b|i\.e\b)(?![\w-]+\.(?:json|csv|zip|fit|gpx|tcx|pdf|ics|html|mp4)\b)[a-z]{2,}\.[a-z][a-z_]+\b",
    "citation key": r"\[[a-z][a-z0-9]*_[a-z0-9_]*\]",
    "file path": r"(?<![\w.:/])/(?:[A-Za-z_.][\w.-]*/)+[\w.-]+",
    "command-line flag": r"(?<![\w-])--[a-z][a-z-]+\b",
    "weekday number": r"\(0 = Monday\)",
    "unit as a key": r"\bkg m2\b",
}


def identifier_like(text: str) -> list[str]:
    """Every identifier-shaped piece of ``text``, with what it looks like."""
    import re

    found = []
    for what, pattern in IDENTIFIER_PATTERNS.items():
        found.extend(f"{what}: {m.group(0)!r}" for m in re.finditer(pattern, text))
    return found

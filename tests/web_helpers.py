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

"""What the web tests share: the app over a fresh workspace, driven through TestClient at a loopback address."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.web.app import create_app

LOCAL = "http://127.0.0.1"  # the app answers only at loopback addresses


@contextmanager
def client_for(settings: Settings) -> Iterator[TestClient]:
    """A client on a new app; the app's workspace is closed when the block ends."""
    app = create_app(settings)
    with TestClient(app, base_url=LOCAL) as c:
        yield c
    app.state.workspace.close()


def ws_of(client: TestClient) -> Any:
    """The workspace behind the app the client talks to."""
    return client.app.state.workspace  # type: ignore[attr-defined]

"""``backstride serve`` binds to loopback unless told otherwise, and warns when it is told."""

from __future__ import annotations

from typing import Any

import pytest


def test_serve_defaults_to_loopback(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    r = cli("serve")
    assert r.exit_code == 0, r.stderr
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8421
    assert "http://127.0.0.1:8421" in r.stdout
    assert "Warning" not in r.stderr
    assert calls[0]["app"].state.settings.data_dir == cli.data_dir


def test_serve_on_another_address_warns(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    apps: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: (calls.append(kw), apps.append(app)))
    r = cli("serve", "--host", "0.0.0.0", "--port", "9000")
    assert r.exit_code == 0
    from backstride.web.serve import KEEP_ALIVE_S, TimedH11Protocol

    assert calls[0] == {"host": "0.0.0.0", "port": 9000, "log_level": "warning", "http": TimedH11Protocol,
                        "timeout_keep_alive": KEEP_ALIVE_S}
    assert apps[0].state.settings.host == "0.0.0.0"  # so the app answers at the machine's network name
    assert "other machines" in r.stderr

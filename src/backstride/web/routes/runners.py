"""The runner profile picker at the top of every page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from backstride.web.common import RUNNER_COOKIE, valid_runner_name, workspace_of

router = APIRouter()


def _back(request: Request, fallback: str = "/") -> str:
    """Return to the page the picker was used on (same site only)."""
    ref = request.headers.get("referer", "")
    base = str(request.base_url)
    if ref.startswith(base):
        path = "/" + ref[len(base):]
        if not path.startswith("/data"):
            return path
    return fallback


@router.post("/runner")
def choose_runner(request: Request, runner: Annotated[str, Form()] = "",
                  new_runner: Annotated[str, Form()] = "") -> RedirectResponse:
    name = valid_runner_name(new_runner or runner)
    ws = workspace_of(request)
    with ws.transaction() as session:
        ws.runner_id(session, name, create=True)
    response = RedirectResponse(_back(request), status_code=303)
    response.set_cookie(RUNNER_COOKIE, name, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response

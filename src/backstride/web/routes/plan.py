"""Your plan."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backstride.web.common import render

router = APIRouter()


@router.get("/plan", response_class=HTMLResponse)
def page(request: Request) -> HTMLResponse:
    return render(request, "unavailable.html", title="Your plan",
                  reason="This page is being built.")

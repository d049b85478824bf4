"""The session player: one routine played exercise by exercise, and what was done logged.

``GET /session`` renders the whole session as a page that works without JavaScript (exercise
cards and a plain log form); ``web/static/player.js`` turns it into the player, with the session
embedded as JSON so it keeps working offline. ``POST /session/log`` stores the result through the
same use case as ``backstride log --exercise`` and answers JSON to the player, a redirect to a form.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import Markup

from backstride.errors import NotFoundError, Problem, ValidationFailed
from backstride.journal.session import ROUTINES, GuidedSession
from backstride.web.common import current_runner, render, workspace_of
from backstride.workflows import sessions

router = APIRouter()


def figures_for(session: GuidedSession) -> dict[str, str]:
    """The illustration of every exercise of the session (SVG markup, drawn by the app itself)."""
    from backstride.reports.figures import exercise_svg_by_id

    out: dict[str, str] = {}
    for item in session.items:
        if item.exercise_id not in out:
            try:
                out[item.exercise_id] = exercise_svg_by_id(item.exercise_id, animated=True)
            except (KeyError, NotFoundError, ValueError):   # not drawn (or not in the library): the words still show
                out[item.exercise_id] = ""
    return out


def _json_for_script(data: Any) -> Markup:
    """JSON safe inside ``<script type="application/json">``: no ``</script>`` or ``<!--`` can close it."""
    text = json.dumps(data, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _day(raw: str | None) -> dt.date:
    if not raw:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed("session", [Problem("day", f"{raw!r} is not a date", "YYYY-MM-DD")]) from None


@router.get("/session", response_class=HTMLResponse)
def session_page(request: Request, routine: str | None = None) -> HTMLResponse:
    ws, runner = workspace_of(request), current_runner(request)
    session = sessions.guided_session(ws, runner, routine)
    return render(request, "session.html", session=session, figures=figures_for(session),
                  data=_json_for_script(session.to_dict()), routines=ROUTINES, scheduled=session.today_routines)


def _rows(form: Any, session: GuidedSession) -> list[dict[str, Any]]:
    done = set(form.getlist("done"))
    rows = []
    for item in session.items:
        key = item.exercise_id
        if f"sets__{key}" not in form and key not in done:
            continue
        rows.append({"exercise_id": key, "done": key in done, "sets": form.get(f"sets__{key}"),
                     "reps": form.get(f"reps__{key}"), "hold_s": form.get(f"hold_s__{key}"),
                     "pain_during": form.get(f"pain__{key}")})
    return rows


@router.post("/session/log")
async def log_session(request: Request) -> Response:
    ws, runner = workspace_of(request), current_runner(request)
    form = await request.form()
    session = sessions.guided_session(ws, runner, str(form.get("routine") or "") or None,
                                      _day(str(form.get("day") or "")))
    if not session.playable:
        raise ValidationFailed("session log", [Problem("session", session.blocked or "has no exercises today")])
    results = sessions.results_from_rows(session, _rows(form, session))
    entry, logs = sessions.log_session(ws, runner, session, results)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"stored": [x.to_dict() for x in logs], "day": entry.day.isoformat(),
                             "exercises_that_day": [x.to_dict() for x in entry.exercises], "next": "/today#done"})
    return RedirectResponse("/today#done", status_code=303)

"""The exercise library: every exercise with its illustration, and one page per exercise."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from backstride.web.common import render
from backstride.workflows import plans as flow

router = APIRouter()


@router.get("/exercises", response_class=HTMLResponse)
def library_page(request: Request) -> HTMLResponse:
    from backstride.library.model import Category

    groups = [(c.value.replace("_", " ").capitalize(), flow.list_exercises(category=c.value)) for c in Category]
    return render(request, "exercises.html", groups=[(title, items) for title, items in groups if items])


@router.get("/exercises/{exercise_id}", response_class=HTMLResponse)
def exercise_page(request: Request, exercise_id: str) -> HTMLResponse:
    ex = flow.get_exercise(exercise_id)  # NotFoundError -> the app's 404 page
    lib = flow.library()
    names = {i: lib.get(i).name for i in (ex.progression, ex.regression) if i}
    return render(request, "exercise.html", ex=ex, names=names)

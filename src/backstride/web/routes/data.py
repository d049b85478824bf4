"""Data: export everything as a zip (JSON + CSV), delete everything; both confirmed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from backstride.errors import InputError
from backstride.web.common import RUNNER_COOKIE, current_runner, render, workspace_of
from backstride.workflows import data as data_flow

router = APIRouter()


@router.get("/data", response_class=HTMLResponse)
def data_page(request: Request) -> HTMLResponse:
    return render(request, "data.html")


@router.post("/data/export")
def export(request: Request, runner: Annotated[str, Form()],
           confirm: Annotated[str, Form()] = "") -> Response:
    if runner != current_runner(request):
        raise InputError("the export form was for another profile than the one now chosen",
                         hint="open the Data page again and repeat the export")
    if confirm != "yes":
        raise InputError("the export was not confirmed; nothing was exported",
                         hint="tick the box that says you understand the file holds health information")
    result = data_flow.export_runner(workspace_of(request), runner)
    return Response(result.data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{result.filename}"'})


@router.post("/data/delete", response_class=HTMLResponse)
def delete(request: Request, runner: Annotated[str, Form()],
           confirm_name: Annotated[str, Form()] = "") -> HTMLResponse:
    if runner != current_runner(request):
        raise InputError("the delete form was for another profile than the one now chosen; nothing was deleted",
                         hint="open the Data page again")
    if confirm_name.strip() != runner:
        # the same page again, with the message next to the field: nothing was deleted
        typed = confirm_name.strip()
        message = (f"You typed “{typed}”, which is not the profile name “{runner}”. Nothing was deleted. "
                   "Names are case-sensitive; type it exactly to delete." if typed else
                   f"Type the profile name “{runner}” to confirm. Nothing was deleted.")
        return render(request, "data.html", status_code=400, delete_error=message)
    result = data_flow.delete_runner(workspace_of(request), runner)
    response = render(request, "deleted.html", result=result, runner=request.app.state.settings.runner)
    response.delete_cookie(RUNNER_COOKIE)
    return response

"""Progress of background work (imports, video analysis)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from backstride.web.common import jobs_of, render

router = APIRouter()


@router.get("/jobs/{job_id}.json")
def job_json(request: Request, job_id: str) -> JSONResponse:
    return JSONResponse(jobs_of(request).get(job_id).to_dict())


# Where a runner goes from a job that did not work: back to the page that started it.
_BACK = {"import": ("/activities", "Back to activities"), "form": ("/form", "Back to the form check"),
         "report": ("/report", "Back to the report")}


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str) -> HTMLResponse:
    job = jobs_of(request).get(job_id)
    back = _BACK.get(job.kind, ("/", "Go to the home page"))
    return render(request, "job.html", job=job, next_url=job.result.get("next_url") if job.result else None,
                  back_url=back[0], back_label=back[1])

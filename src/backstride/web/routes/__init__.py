"""One small module of routes per area of the product."""

from __future__ import annotations

from fastapi import FastAPI


def register_routes(app: FastAPI) -> None:
    from backstride.web.routes import (
        activities,
        data,
        exercises,
        findings,
        form,
        home,
        jobs,
        plan,
        progress,
        report,
        runners,
        screening,
        session,
        shell,
        today,
    )

    for module in (home, runners, screening, findings, plan, exercises, today, session, activities, form, progress,
                   report, data, jobs, shell):
        app.include_router(module.router)

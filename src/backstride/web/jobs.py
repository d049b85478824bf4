"""Background work (video analysis, large imports) behind a small job interface.

A job is a *kind* (a name registered with a handler) plus plain JSON parameters, so a real queue
(RQ, Celery, a database table polled by a worker process) can replace :class:`ThreadJobQueue`
without changing the routes: they only call :meth:`JobQueue.submit` and :meth:`JobQueue.get`.

A handler is ``handler(workspace, params, progress) -> dict`` and reports progress through
``progress(done, total, message)``. A :class:`~backstride.errors.BackstrideError` raised by a
handler becomes the job's error message, shown to the user as is; anything else is a bug: it is
logged with its traceback and the user sees a short apology.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Protocol

from backstride.errors import BackstrideError, NotFoundError
from backstride.workflows.workspace import Workspace

log = logging.getLogger(__name__)

Progress = Callable[[float, float, str], None]
Handler = Callable[[Workspace, dict[str, Any], Progress], dict[str, Any]]


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED)


@dataclass(frozen=True)
class JobStatus:
    id: str
    kind: str
    runner: str
    label: str
    state: JobState
    created_at: dt.datetime
    done: float = 0.0
    total: float = 0.0
    message: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    hint: str | None = None
    retry: dict[str, Any] | None = None   # a failed job that can be tried again: url, label, fields

    @property
    def fraction(self) -> float | None:
        """0..1 when the handler said how much work there is, else None."""
        if self.state is JobState.DONE:
            return 1.0
        if self.total <= 0:
            return None
        return max(0.0, min(1.0, self.done / self.total))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "runner": self.runner, "label": self.label,
                "state": self.state.value, "finished": self.state.finished,
                "created_at": self.created_at.isoformat(), "done": self.done, "total": self.total,
                "fraction": self.fraction, "message": self.message, "result": self.result,
                "error": self.error, "hint": self.hint, "retry": self.retry}


class JobQueue(Protocol):
    """What the web app needs from a job system."""

    def register(self, kind: str, handler: Handler) -> None: ...

    def submit(self, kind: str, params: dict[str, Any], *, runner: str, label: str) -> str: ...

    def get(self, job_id: str) -> JobStatus: ...

    def list(self, runner: str | None = None) -> list[JobStatus]: ...

    def shutdown(self, wait: bool = True) -> None: ...


class ThreadJobQueue:
    """In-process worker: a thread pool; job states live in memory and vanish on restart."""

    def __init__(self, workspace: Workspace, *, workers: int = 2, keep: int = 200) -> None:
        self._workspace = workspace
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="backstride-job")
        self._handlers: dict[str, Handler] = {}
        self._jobs: dict[str, JobStatus] = {}
        self._lock = threading.Lock()
        self._keep = keep

    def register(self, kind: str, handler: Handler) -> None:
        self._handlers[kind] = handler

    def submit(self, kind: str, params: dict[str, Any], *, runner: str, label: str) -> str:
        if kind not in self._handlers:
            raise ValueError(f"no handler registered for job kind {kind!r}")
        job_id = uuid.uuid4().hex[:16]
        status = JobStatus(id=job_id, kind=kind, runner=runner, label=label, state=JobState.QUEUED,
                           created_at=dt.datetime.now(dt.UTC), message="Waiting to start")
        with self._lock:
            self._jobs[job_id] = status
            self._forget_old()
        self._pool.submit(self._run, job_id, kind, dict(params))
        return job_id

    def get(self, job_id: str) -> JobStatus:
        with self._lock:
            status = self._jobs.get(job_id)
        if status is None:
            raise NotFoundError(f"there is no background job {job_id!r}",
                                hint="jobs are forgotten when the app restarts; start the upload again")
        return status

    def list(self, runner: str | None = None) -> list[JobStatus]:
        with self._lock:
            jobs = list(self._jobs.values())
        if runner is not None:
            jobs = [j for j in jobs if j.runner == runner]
        return sorted(jobs, key=lambda j: j.created_at, reverse=True)

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)

    # -- inside the worker thread -------------------------------------------------------------

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _run(self, job_id: str, kind: str, params: dict[str, Any]) -> None:
        self._update(job_id, state=JobState.RUNNING, message="Started")

        def progress(done: float, total: float, message: str = "") -> None:
            self._update(job_id, done=float(done), total=float(total), message=message)

        try:
            result = self._handlers[kind](self._workspace, params, progress)
        except BackstrideError as exc:
            self._update(job_id, state=JobState.FAILED, error=exc.message, hint=exc.plain_hint,
                         retry=exc.retry, message="Stopped: the input was rejected")
        except Exception:  # a bug: keep the traceback in the log, tell the user plainly
            log.exception("background job %s (%s) failed", job_id, kind)
            self._update(job_id, state=JobState.FAILED,
                         error="Something went wrong inside backstride while doing this.",
                         hint="the details are in the server log; please report it",
                         message="Stopped by an internal error")
        else:
            self._update(job_id, state=JobState.DONE, result=dict(result or {}), message="Finished")

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.state.finished]
        if len(self._jobs) <= self._keep or not finished:
            return
        for job in sorted(finished, key=lambda j: j.created_at)[: len(self._jobs) - self._keep]:
            del self._jobs[job.id]

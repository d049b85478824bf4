"""The in-process job queue: states, progress, errors shown as messages, bugs kept apart."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from backstride.errors import InputError, NotFoundError
from backstride.web.jobs import JobQueue, JobState, ThreadJobQueue
from backstride.workflows.workspace import Workspace
from web_helpers import LOCAL


def wait_finished(queue: ThreadJobQueue, job_id: str, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = queue.get(job_id)
        if status.state.finished:
            return status
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


@pytest.fixture
def queue(workspace: Workspace) -> Any:
    q = ThreadJobQueue(workspace, workers=2)
    yield q
    q.shutdown()


def test_thread_queue_satisfies_the_protocol(queue: ThreadJobQueue) -> None:
    as_protocol: JobQueue = queue
    assert as_protocol is queue


def test_job_runs_reports_progress_and_result(queue: ThreadJobQueue, workspace: Workspace) -> None:
    gate = threading.Event()
    seen: list[Workspace] = []

    def handler(ws: Workspace, params: dict[str, Any], progress: Any) -> dict[str, Any]:
        seen.append(ws)
        progress(1, 4, "first quarter")
        gate.wait(5)
        return {"doubled": params["n"] * 2}

    queue.register("double", handler)
    job_id = queue.submit("double", {"n": 21}, runner="ann", label="Doubling")
    deadline = time.monotonic() + 5
    while queue.get(job_id).message != "first quarter" and time.monotonic() < deadline:
        time.sleep(0.01)
    running = queue.get(job_id)
    assert running.state is JobState.RUNNING
    assert running.fraction == pytest.approx(0.25)
    gate.set()
    done = wait_finished(queue, job_id)
    assert done.state is JobState.DONE
    assert done.result == {"doubled": 42}
    assert done.fraction == 1.0
    assert seen == [workspace]
    assert done.to_dict()["finished"] is True


def test_input_error_becomes_the_jobs_message(queue: ThreadJobQueue) -> None:
    def handler(ws: Workspace, params: dict[str, Any], progress: Any) -> dict[str, Any]:
        raise InputError("run.fit: the file is cut short", hint="export it again from your watch")

    queue.register("import", handler)
    status = wait_finished(queue, queue.submit("import", {}, runner="ann", label="Import"))
    assert status.state is JobState.FAILED
    assert status.error == "run.fit: the file is cut short"
    assert status.hint == "export it again from your watch"


def test_a_bug_is_not_shown_as_its_traceback(queue: ThreadJobQueue, caplog: pytest.LogCaptureFixture) -> None:
    def handler(ws: Workspace, params: dict[str, Any], progress: Any) -> dict[str, Any]:
        raise ZeroDivisionError("secret internals")

    queue.register("bug", handler)
    status = wait_finished(queue, queue.submit("bug", {}, runner="ann", label="Bug"))
    assert status.state is JobState.FAILED
    assert status.error is not None and "secret internals" not in status.error
    assert "secret internals" in caplog.text


def test_unknown_job_and_unknown_kind(queue: ThreadJobQueue) -> None:
    with pytest.raises(NotFoundError):
        queue.get("nope")
    with pytest.raises(ValueError, match="no handler"):
        queue.submit("nothing-registered", {}, runner="ann", label="x")


def test_list_filters_by_runner_newest_first(queue: ThreadJobQueue) -> None:
    queue.register("noop", lambda ws, params, progress: {})
    a = queue.submit("noop", {}, runner="ann", label="a")
    b = queue.submit("noop", {}, runner="bob", label="b")
    c = queue.submit("noop", {}, runner="ann", label="c")
    for job_id in (a, b, c):
        wait_finished(queue, job_id)
    assert [j.id for j in queue.list("ann")] == [c, a]
    assert {j.id for j in queue.list()} == {a, b, c}


def test_old_finished_jobs_are_forgotten(workspace: Workspace) -> None:
    q = ThreadJobQueue(workspace, workers=1, keep=3)
    q.register("noop", lambda ws, params, progress: {})
    ids = []
    for i in range(6):
        ids.append(q.submit("noop", {}, runner="ann", label=str(i)))
        wait_finished(q, ids[-1])
    q.shutdown()
    assert len(q.list()) <= 4
    assert q.get(ids[-1]).state is JobState.DONE


class RecordingQueue:
    """A stand-in for a real queue: records submissions, runs nothing."""

    def __init__(self) -> None:
        self.kinds: dict[str, Any] = {}
        self.submitted: list[tuple[str, dict[str, Any]]] = []

    def register(self, kind: str, handler: Any) -> None:
        self.kinds[kind] = handler

    def submit(self, kind: str, params: dict[str, Any], *, runner: str, label: str) -> str:
        self.submitted.append((kind, params))
        return "job-1"

    def get(self, job_id: str) -> Any:
        raise NotFoundError("no such job")

    def list(self, runner: str | None = None) -> list[Any]:
        return []

    def shutdown(self, wait: bool = True) -> None:
        pass


def test_app_accepts_another_queue(settings: Any) -> None:
    from fastapi.testclient import TestClient

    from backstride.web.app import create_app

    queue = RecordingQueue()
    app = create_app(settings, jobs=queue)
    assert {"import", "form"} <= set(queue.kinds)
    with TestClient(app, base_url=LOCAL, headers={"Origin": LOCAL}) as client:
        gpx = b'<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"></gpx>'
        r = client.post("/activities/upload", files=[("files", ("a.gpx", gpx, "application/gpx+xml"))],
                        follow_redirects=False)
    assert r.headers["location"] == "/jobs/job-1"
    kind, params = queue.submitted[0]
    assert kind == "import" and params["runner"] == "default" and params["folder"]
    app.state.workspace.close()

"""The web app's watched folder (setting ``watch_dir``, ``BACKSTRIDE_WATCH_DIR``).

A background thread imports new activity files from the folder for the default runner, with
the same per-file transactions and report as an upload; the activities page shows what it
did. The thread stops with the app.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from backstride.config import Settings
    from backstride.workflows.activities import FolderWatch
    from backstride.workflows.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass
class WebWatch:
    watch: FolderWatch
    thread: threading.Thread | None = None
    event: threading.Event = field(default_factory=threading.Event)
    problem: str | None = None

    def stop(self) -> None:
        self.event.set()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def _run(self) -> None:
        from backstride.errors import BackstrideError

        while not self.event.is_set():
            try:
                self.watch.run(self.event)
            except BackstrideError as exc:  # the folder went away (a watch unplugged): wait for it
                self.problem = str(exc)
                self.event.wait(5.0)
            except Exception:  # never let the thread die silently; the next look tries again
                log.exception("watching %s failed", self.watch.folder)
                self.problem = "the last look at the folder failed; see the server log"
                self.event.wait(5.0)
            else:
                self.problem = None

    def status(self) -> dict[str, Any]:
        files = list(self.watch.reports)[-10:]
        return {"folder": str(self.watch.folder), "problem": self.problem,
                "recent": [{"name": f.path.rsplit("/", 1)[-1], "status": f.status, "error": f.error,
                            "warnings": f.warnings} for f in reversed(files)]}


def start_watch(app: FastAPI, ws: Workspace, settings: Settings) -> WebWatch | None:
    app.state.watch = None
    if settings.watch_dir is None:
        return None
    from backstride.workflows.activities import FolderWatch

    watcher = WebWatch(FolderWatch(ws, settings.runner, settings.watch_dir))
    watcher.thread = threading.Thread(target=watcher._run, name="backstride-watch", daemon=True)
    watcher.thread.start()
    app.state.watch = watcher
    return watcher

"""``create_app(settings)``: the browser edge of backstride.

Pages are rendered on the server (Jinja2) from the same ``backstride.workflows`` functions the
command line calls. Assets come from ``web/static``; nothing is fetched from the network.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from backstride import __version__
from backstride.config import Settings
from backstride.errors import BackstrideError, InputError, NotFoundError, ValidationFailed
from backstride.web.common import render, static_dir
from backstride.web.jobs import JobQueue, ThreadJobQueue
from backstride.web.security import SameOrigin, UploadSlots
from backstride.web.uploads import UploadTooLarge
from backstride.workflows.workspace import Workspace

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Form fields and multipart framing around the file itself.
_FORM_OVERHEAD_BYTES = 64 * 1024


class BodyLimit:
    """Refuse request bodies over ``max_upload_mb`` before they are parsed or stored.

    A declared ``Content-Length`` over the limit is answered at once; a body without one is
    counted as it streams in and stopped at the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes + _FORM_OVERHEAD_BYTES
        self.max_mb = max_bytes // (1024 * 1024)

    def _error(self) -> UploadTooLarge:
        return UploadTooLarge(f"the upload is larger than the {self.max_mb} MB limit; nothing was stored",
                              hint="send a smaller file, or raise BACKSTRIDE_MAX_UPLOAD_MB")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            exc = self._error()
            response = error_response(Request(scope), 413, "That file is too large", exc.message, exc.hint)
            await response(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise self._error()
            return message

        await self.app(scope, counting_receive, send)


LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


def _hostname(host_header: str) -> str:
    """``127.0.0.1:8421`` -> ``127.0.0.1``; ``[::1]:8421`` -> ``::1``."""
    if host_header.startswith("["):
        return host_header[1:].split("]", 1)[0]
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class LoopbackOnly:
    """When the app listens on loopback, answer only requests addressed to a loopback name.

    This stops DNS rebinding: a web site whose name is made to resolve to 127.0.0.1 would
    otherwise be "same origin" with the app and could read and change health data.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            host = _hostname(headers.get(b"host", b"").decode("latin-1"))
            if host not in LOOPBACK_NAMES:
                response = error_response(Request(scope), 421, "Wrong address",
                                          f"backstride only answers at http://127.0.0.1 on this computer, not at {host!r}.",
                                          "open http://127.0.0.1:8421 (or the port you chose)")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, title: str, message: str,
                  hint: str) -> None:
    """The error page for a request an edge check (web/security.py) turned away."""
    await error_response(Request(scope), status, title, message, hint)(scope, receive, send)


def _wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json") or "application/json" in request.headers.get("accept", "")


def error_response(request: Request, status: int, title: str, message: str,
                   hint: str | None = None, problems: list[dict[str, Any]] | None = None,
                   page: tuple[str, str] | None = None) -> Response:
    """The one error page (or JSON document) every failure ends on; ``page`` is a (path, label) link."""
    if _wants_json(request):
        body: dict[str, Any] = {"error": {"status": status, "title": title, "message": message}}
        if hint:
            body["error"]["hint"] = hint
        if problems:
            body["error"]["problems"] = problems
        return JSONResponse(body, status_code=status)
    back = _came_from(request)
    if page is None and back is not None:
        page = (back, "Go back to the page you were on")
    return render(request, "error.html", status_code=status, status=status, title=title, message=message,
                  hint=hint, problems=problems or [], page=page,
                  home=page is None or page[0] != "/")


# Pages a form is sent from, by the address it is sent to: the way back when the Referer is absent.
FORM_PAGES = (("/activities", "/activities"), ("/plan", "/plan"), ("/today", "/today"), ("/data", "/data"),
              ("/report", "/report"), ("/form", "/form"), ("/screening", "/screening"))


def _came_from(request: Request) -> str | None:
    """The page of this site the user came from (path and query only), if it was another one."""
    referer = request.headers.get("referer", "")
    if referer:
        parsed = urlsplit(referer)
        same_site = not parsed.netloc or parsed.netloc == request.headers.get("host", "")
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        if same_site and parsed.path.startswith("/") and (parsed.path != request.url.path or request.method != "GET"):
            return path
    if request.method != "GET":
        for prefix, page in FORM_PAGES:
            if request.url.path.startswith(prefix):
                return page
    return None


def _plain_field(loc: tuple[Any, ...]) -> str:
    """A form field's key as words ("confirm_name" -> "confirm name"); "form" for the whole form."""
    name = ".".join(str(p) for p in loc[1:]) or "form"
    return name.replace("_", " ").replace(".", " ")


_PLAIN_VALIDATION = {"missing": "was not filled in", "int_parsing": "must be a whole number",
                     "float_parsing": "must be a number", "string_too_long": "is too long",
                     "string_too_short": "is too short", "enum": "is not one of the choices"}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BackstrideError)
    async def backstride_error(request: Request, exc: BackstrideError) -> Response:
        if isinstance(exc, UploadTooLarge):
            status, title = 413, "That file is too large"
        elif isinstance(exc, NotFoundError):
            status, title = 404, "Not found"
        elif isinstance(exc, InputError):
            status, title = 400, "That could not be used"
        else:
            status, title = 500, "backstride could not do that"
        if isinstance(exc, ValidationFailed):
            return error_response(request, 400, "Some answers need another look",
                                  f"The {exc.source} was not accepted, so no result was stored.",
                                  "go back, fix the fields listed here and send the form again",
                                  [p.to_dict() for p in exc.problems])
        # the plain hint: a browser user gets a link to the page, not the command line's command
        return error_response(request, status, title, exc.message, exc.plain_hint, page=exc.page)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        cause = exc.__cause__
        while isinstance(cause, BaseExceptionGroup) and len(cause.exceptions) == 1:
            cause = cause.exceptions[0]
        if isinstance(cause, BackstrideError):  # FastAPI wraps errors raised while reading a form
            return await backstride_error(request, cause)
        if exc.status_code == 404:
            return error_response(request, 404, "Page not found",
                                  f"There is no page at {request.url.path}.", "use the menu to find your way")
        if exc.status_code == 405:
            return error_response(request, 405, "Not allowed", "This page cannot be used that way.",
                                  "go back and use the buttons on the page")
        return error_response(request, exc.status_code, "Request refused", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            field = _plain_field(tuple(err.get("loc", ())))
            problems.append({"field": field, "allowed": None,
                             "message": _PLAIN_VALIDATION.get(str(err.get("type", "")), "is not valid")})
        return error_response(request, 422, "Some fields need another look",
                              "The form was not accepted; nothing was stored.",
                              "go back, fix the fields listed here and send it again", problems)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, 500, "Something went wrong",
                              "backstride hit an internal error while preparing this page. Nothing you "
                              "entered was lost unless the page says so.",
                              "try again; if it keeps happening, the server log has the details")


def warm_up() -> None:
    """Load the PDF library ahead of the first "Prepare the PDF" (about a second on its own)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # not installed here: the PDF job says so when asked
        log.debug("warm-up could not import WeasyPrint", exc_info=True)


def create_app(settings: Settings, *, workspace: Workspace | None = None,
               jobs: JobQueue | None = None) -> FastAPI:
    """Build the web app for one data folder (or database URL).

    ``jobs`` replaces the in-process worker with another :class:`JobQueue` (a real queue);
    the app registers its job kinds on whichever it gets.
    """
    ws = workspace or Workspace.open(settings)
    jobs = jobs if jobs is not None else ThreadJobQueue(ws)
    from backstride.web.routes.activities import import_job
    from backstride.web.routes.form import form_job
    from backstride.web.routes.report import pdf_job

    jobs.register("import", import_job)
    jobs.register("form", form_job)
    jobs.register("report", pdf_job)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        from backstride.web.watch import start_watch

        watcher = start_watch(_app, ws, settings)
        # WeasyPrint is loaded in the background as the server starts, so the first PDF does not
        # wait for it.
        threading.Thread(target=warm_up, name="backstride-warm-up", daemon=True).start()
        yield
        if watcher is not None:
            watcher.stop()
        jobs.shutdown(wait=False)

    app = FastAPI(title="backstride", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.workspace = ws
    app.state.jobs = jobs

    from backstride.web.routes import register_routes

    register_routes(app)
    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(static_dir())), name="static")

    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_mb * 1024 * 1024)
    app.add_middleware(UploadSlots, refuse=_refuse, limit=settings.max_concurrent_uploads)
    app.add_middleware(SameOrigin, refuse=_refuse)
    if settings.host in LOOPBACK_NAMES:
        app.add_middleware(LoopbackOnly)
    return app

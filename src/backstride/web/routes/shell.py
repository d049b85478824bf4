"""What a browser asks for around the pages: the favicon and the web app manifest.

The manifest lets a phone add backstride to its home screen as an app-like page. The icons are
drawn by ``scripts/make_icons.py``.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse

from backstride.web.common import static_dir

router = APIRouter()

# Cached for a day: the icons change only with a new version of the app.
_CACHE = {"Cache-Control": "public, max-age=86400"}


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    return FileResponse(static_dir() / "icons" / "favicon.ico", media_type="image/x-icon",
                        headers=_CACHE)


@router.get("/manifest.webmanifest", include_in_schema=False)
def manifest() -> JSONResponse:
    icons = [
        {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
        {"src": "/static/icons/icon-maskable-512.png", "sizes": "512x512", "type": "image/png",
         "purpose": "maskable"},
    ]
    body = {
        "name": "backstride",
        "short_name": "backstride",
        "description": "Run today? Your check-in, exercise sessions and plan for a healthier back.",
        "start_url": "/today",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f4f6f8",
        "theme_color": "#1d5fa8",
        "icons": icons,
    }
    return JSONResponse(body, media_type="application/manifest+json", headers=_CACHE)

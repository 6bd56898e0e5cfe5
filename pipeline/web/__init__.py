"""`congvan serve`: a local web explorer over the archive (search, document, cascade, review, upload).

    from pipeline.web import Settings, make_app
    app = make_app(Settings(db=Path("archive.sqlite")))      # an ASGI application (Starlette)

See docs/web.md. The page data lives in views.py (pure functions), the SVG cascade layout in cascade.py,
login and CSRF in security.py, the Starlette routes in app.py.
"""

from __future__ import annotations

from .app import Settings, make_app
from .security import Security, is_loopback

__all__ = ["Settings", "make_app", "Security", "is_loopback"]

"""`congvan serve`: the archive as a local web application (Starlette + Jinja2, server-rendered).

Pages: search (/), document (/doc/ID), cited-only document (/cited?number=…), cascade (/cascade?doc=ID),
review queue (/review), upload (/upload). Every page answers ``?format=json`` with the data it shows.
Vietnamese labels by default, English with ``?lang=en`` (remembered in a cookie). Every POST needs the CSRF
token; with a password every page needs a login. Text is escaped by Jinja2's autoescape; the only markup
built in Python (snippets, highlighted spans) escapes the text first (views.marked, views.render_body).
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import views
from .security import CSRF_COOKIE, CSRF_FIELD, SESSION_COOKIE, Security

HERE = Path(__file__).parent
LABELS = json.loads((HERE / "labels.json").read_text(encoding="utf-8"))
PAGE_SIZE = 20
SEARCH_TIME_LIMIT = 3.0


@dataclass
class Settings:
    db: Path
    security: Security = field(default_factory=Security)
    max_mb: float = 60.0  # upload limits: the CLI's defaults (congvan extract / index)
    max_pages: int = 500
    timeout: float = 120.0
    ocr: bool = True
    upload_dir: Path | None = None  # where "add to the archive" keeps uploaded files (default: beside the db)
    user: str = "web"  # recorded as "who" for corrections when no login name exists


class App:
    """The application state: settings, the template environment, recent uploads (for their ICS link)."""

    def __init__(self, settings: Settings):
        self.s = settings
        self.env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(
            default=True, default_for_string=True))
        self.env.filters["dmy"] = views.dmy
        self.env.filters["marked"] = views.marked
        self.env.filters["relclass"] = views.relation_class
        self.env.filters["rellabel"] = views.relation_label
        self.uploads: OrderedDict[str, Any] = OrderedDict()
        self.write_lock = threading.Lock()
        self.prepare()

    # -- database ------------------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Upgrade the schema and build the citation graph once, when the archive is writable."""
        from ..store import open_db

        if self.writable():
            conn = open_db(self.s.db, create=False)
            try:
                self.refresh_graph(conn)
            finally:
                conn.close()
        else:
            open_db(self.s.db, readonly=True).close()  # fails now, with one line, if it cannot be read

    def writable(self) -> bool:
        db = self.s.db
        return db.exists() and os.access(db, os.W_OK) and os.access(db.parent.resolve(), os.W_OK)

    @staticmethod
    def refresh_graph(conn: sqlite3.Connection) -> None:
        from ..link.build import ensure_graph

        ensure_graph(conn)

    def read(self) -> sqlite3.Connection:
        from ..store import open_db

        return open_db(self.s.db, readonly=True)

    def write(self) -> sqlite3.Connection:
        from ..store import open_db

        if not self.writable():
            from ..store.db import ArchiveError

            raise ArchiveError(self.s.db, "database is read-only: corrections and uploads cannot be saved")
        return open_db(self.s.db, create=False)

    # -- rendering -----------------------------------------------------------------------------------------
    def lang(self, request: Request) -> str:
        lang = request.query_params.get("lang") or request.cookies.get("congvan_lang") or "vi"
        return lang if lang in LABELS and not lang.startswith("_") else "vi"

    def page(self, request: Request, template: str, status: int = 200, **ctx) -> Response:
        lang = self.lang(request)
        csrf = request.cookies.get(CSRF_COOKIE) or Security.new_csrf()
        html = self.env.get_template(template).render(
            t=LABELS[lang], lang=lang, csrf=csrf, csrf_field=CSRF_FIELD, request=request,
            login_required=self.s.security.login_required, url=_url_with(request), **ctx)
        resp = HTMLResponse(html, status_code=status)
        if request.cookies.get(CSRF_COOKIE) != csrf:
            resp.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
        if request.query_params.get("lang") in LABELS:
            resp.set_cookie("congvan_lang", lang, samesite="lax", max_age=365 * 86400)
        resp.headers["Content-Security-Policy"] = ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                                   "script-src 'self'; frame-ancestors 'none'; form-action 'self'")
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        return resp

    def error(self, request: Request, status: int, message: str) -> Response:
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        return self.page(request, "error.html", status=status, message=message)


def wants_json(request: Request) -> bool:
    return request.query_params.get("format") == "json" or "application/json" in request.headers.get("accept", "")


def _url_with(request: Request):
    def url(**changes) -> str:
        params = dict(request.query_params)
        for k, v in changes.items():
            if v is None:
                params.pop(k, None)
            else:
                params[k] = str(v)
        return request.url.path + ("?" + urlencode(params) if params else "")

    return url


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def _int(value: str | None, default: int, lo: int, hi: int) -> int:
    try:
        return min(max(int(value or default), lo), hi)
    except ValueError:
        return default


# -- middleware: login and CSRF ---------------------------------------------------------------------------

OPEN_PATHS = ("/login", "/static/")


class Guard:
    """ASGI middleware: a login for everything but /login and /static when a password is set; the CSRF
    token on every POST."""

    def __init__(self, app, state: App):
        self.app = app
        self.state = state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope, receive)
        sec = self.state.s.security
        path = request.url.path
        if sec.login_required and not path.startswith(OPEN_PATHS):
            bearer = request.headers.get("authorization", "")
            ok = sec.valid_session(request.cookies.get(SESSION_COOKIE)) or (
                bearer.startswith("Bearer ") and sec.check_password(bearer[7:]))
            if not ok:
                if wants_json(request) or request.method != "GET":
                    resp = JSONResponse({"error": "login required"}, status_code=401)
                else:
                    resp = RedirectResponse("/login?" + urlencode({"next": str(request.url.path)}), 303)
                return await resp(scope, receive, send)
        if request.method == "POST":
            form = await request.form(max_files=1, max_fields=50, max_part_size=int(self.state.s.max_mb * 2**20))
            if not Security.valid_csrf(request.cookies.get(CSRF_COOKIE), form.get(CSRF_FIELD)):
                resp = self.state.error(request, 403, "CSRF token missing or wrong: reload the page and retry")
                return await resp(scope, receive, send)
            scope["congvan.form"] = form
        return await self.app(scope, receive, send)


def _form(request: Request):
    return request.scope["congvan.form"]


# -- pages ------------------------------------------------------------------------------------------------

def make_app(settings: Settings) -> Starlette:
    state = App(settings)

    async def search_page(request: Request) -> Response:
        from ..store.search import QueryError, SearchInterrupted, SearchQuery, search_page

        p = request.query_params
        text = (p.get("q") or "").strip()
        page_no = _int(p.get("page"), 1, 1, 10_000)
        sort = p.get("sort") or "relevance"
        year = p.get("year")
        review = p.get("review")
        q = SearchQuery(text=text or None, issuer=p.get("issuer") or None, doc_type=p.get("type") or None,
                        year=int(year) if year and year.isdigit() and len(year) <= 4 else None,
                        family=p.get("family") or None, doc_format=p.get("fmt") or None,
                        needs_review={"yes": True, "no": False}.get(review or ""),
                        number=p.get("number") or None, refs=[p["refs"]] if p.get("refs") else [],
                        sort=sort if sort in ("relevance", "date", "date_asc") else "relevance",
                        limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE, time_limit=SEARCH_TIME_LIMIT)
        data: dict[str, Any] = {"query": text, "page": page_no, "sort": q.sort, "hits": [], "total": 0,
                                "total_exact": True, "facets": {}, "error": None}
        conn = state.read()
        try:
            res = search_page(conn, q, facets=True)
            data.update(hits=res["hits"], total=res["total"], total_exact=res["total_exact"], facets=res["facets"],
                        dropped=res["dropped"])
        except (QueryError, SearchInterrupted) as exc:
            data["error"] = str(exc)
        finally:
            conn.close()
        if wants_json(request):
            from ..store.search import marks

            for h in data["hits"]:
                for k in ("snippet", "subject_highlight"):
                    if k in h:
                        h[k] = marks(h[k], "<mark>", "</mark>")
            return _json(data, 400 if data["error"] else 200)
        pages = (data["total"] + PAGE_SIZE - 1) // PAGE_SIZE
        return state.page(request, "search.html", pages=pages, **data)

    async def document_page(request: Request) -> Response:
        doc_id = _int(request.path_params["doc_id"], 0, 0, 2**62)
        conn = state.read()
        try:
            view = views.document_view(conn, doc_id, transitive=request.query_params.get("transitive") == "1")
            if view is None:
                return state.error(request, 404, f"no document #{doc_id}")
            links = [f"/doc/{r['target']}" if r["target"] else (f"/cited?number={r['number']}" if r["number"]
                                                                 else None) for r in view["references"]]
            body_html = views.render_body(view["body"], views.body_spans(view["body"], view["record"], links))
        finally:
            conn.close()
        if wants_json(request):
            view.pop("body")
            return _json(view)
        from ..store.corrections import FIELDS

        return state.page(request, "document.html", d=view, body_html=body_html, fields=FIELDS,
                          writable=state.writable())

    async def original(request: Request) -> Response:
        doc_id = _int(request.path_params["doc_id"], 0, 0, 2**62)
        conn = state.read()
        try:
            row = conn.execute("SELECT sha256 FROM documents WHERE id = ?", (doc_id,)).fetchone()
            paths = views.files_of(conn, row[0]) if row else []
        finally:
            conn.close()
        for p in paths:  # only paths the archive recorded: never a path taken from the request
            if os.path.isfile(p):
                return FileResponse(p, filename=os.path.basename(p), content_disposition_type="attachment")
        return state.error(request, 404, "the original file is no longer where it was indexed")

    async def document_ics(request: Request) -> Response:
        from ..checklist import render_ics, select
        from ..models import Dispatch

        doc_id = _int(request.path_params["doc_id"], 0, 0, 2**62)
        conn = state.read()
        try:
            row = conn.execute("SELECT record, number_key FROM documents WHERE id = ?", (doc_id,)).fetchone()
        finally:
            conn.close()
        if row is None:
            return state.error(request, 404, f"no document #{doc_id}")
        rec = {k: v for k, v in json.loads(row[0]).items() if k not in ("corrections",)}
        ics = render_ics([select(Dispatch.from_dict(rec))])
        return Response(ics, media_type="text/calendar; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="tasks-{doc_id}.ics"'})

    async def correct_field(request: Request) -> Response:
        from ..store.corrections import CorrectionError, correct

        doc_id = _int(request.path_params["doc_id"], 0, 0, 2**62)
        form = _form(request)
        who = (form.get("who") or "").strip()[:100] or settings.user
        try:
            with state.write_lock:
                conn = state.write()
                try:
                    c = correct(conn, doc_id, str(form.get("field") or ""), str(form.get("value") or ""),
                                who=who, note=(form.get("note") or None))
                    state.refresh_graph(conn)
                finally:
                    conn.close()
        except CorrectionError as exc:
            return state.error(request, 400, str(exc))
        if wants_json(request):
            return _json({"ok": True, "correction": c.to_dict()})
        return RedirectResponse(f"/doc/{doc_id}", 303)

    async def cited_page(request: Request) -> Response:
        number = (request.query_params.get("number") or "").strip()
        if not number:
            return state.error(request, 400, "give ?number=")
        conn = state.read()
        try:
            data = views.cited_view(conn, number)
        finally:
            conn.close()
        return _json(data) if wants_json(request) else state.page(request, "cited.html", c=data)

    async def cascade_page(request: Request) -> Response:
        from ..link.build import is_stale
        from ..link.query import GraphError
        from .cascade import cascade_layout

        p = request.query_params
        conn = state.read()
        try:
            if is_stale(conn):
                conn.close()
                if not state.writable():
                    return state.error(request, 409, "the citation graph is out of date and the archive is "
                                                     "read-only: run `congvan graph build`")
                with state.write_lock:
                    w = state.write()
                    try:
                        state.refresh_graph(w)
                    finally:
                        w.close()
                conn = state.read()
            query = p.get("q") or ""
            if p.get("doc"):
                row = conn.execute("SELECT id FROM graph_nodes WHERE doc_id = ?",
                                   (_int(p.get("doc"), 0, 0, 2**62),)).fetchone()
                query = f"#{row[0]}" if row else ""
            if not query:
                return state.error(request, 400, "give ?doc=ID or ?q=NUMBER")
            data = cascade_layout(conn, query)
        except GraphError as exc:
            return state.error(request, 404, str(exc))
        finally:
            conn.close()
        return _json(data) if wants_json(request) else state.page(request, "cascade.html", c=data)

    async def review_page(request: Request) -> Response:
        page_no = _int(request.query_params.get("page"), 1, 1, 10_000)
        conn = state.read()
        try:
            data = views.review_view(conn, limit=100, offset=(page_no - 1) * 100)
        finally:
            conn.close()
        return _json(data) if wants_json(request) else state.page(request, "review.html", r=data, page=page_no)

    async def upload_page(request: Request) -> Response:
        if request.method == "GET":
            if wants_json(request):
                from ..read import SUPPORTED_SUFFIXES

                return _json({"max_mb": settings.max_mb, "max_pages": settings.max_pages,
                              "suffixes": sorted(SUPPORTED_SUFFIXES), "add_to_archive": state.writable()})
            return state.page(request, "upload.html", result=None)
        return await _upload(request)

    async def _upload(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        form = _form(request)
        f = form.get("file")
        if f is None or not getattr(f, "filename", None):
            return state.error(request, 400, "choose a file to upload")
        result = await run_in_threadpool(_process_upload, state, f.filename, await f.read(),
                                         form.get("add") == "1")
        if wants_json(request):
            return _json({k: v for k, v in result.items() if k != "checklist_html"}, 400 if result.get("error")
                         else 200)
        return state.page(request, "upload.html", result=result, status=400 if result.get("error") else 200)

    async def upload_ics(request: Request) -> Response:
        from ..checklist import render_ics, select

        item = state.uploads.get(request.path_params["uid"])
        if item is None:
            return state.error(request, 404, "this upload has expired: upload the file again")
        return Response(render_ics([select(item)]), media_type="text/calendar; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="tasks.ics"'})

    async def login(request: Request) -> Response:
        sec = settings.security
        nxt = request.query_params.get("next") or "/"
        if not nxt.startswith("/") or nxt[1:2] in ("/", "\\") or any(ch in nxt for ch in "\r\n"):
            nxt = "/"  # only a path on this server: "//host" and "/\\host" would leave it
        if request.method == "GET":
            return state.page(request, "login.html", next=nxt, failed=False)
        form = _form(request)
        if not sec.check_password(form.get("password")):
            return state.page(request, "login.html", next=nxt, failed=True, status=401)
        resp = RedirectResponse(nxt, 303)
        resp.set_cookie(SESSION_COOKIE, sec.new_session(), httponly=True, samesite="strict",
                        max_age=12 * 3600)
        return resp

    async def logout(request: Request) -> Response:
        resp = RedirectResponse("/login" if settings.security.login_required else "/", 303)
        resp.delete_cookie(SESSION_COOKIE)
        return resp

    routes = [
        Route("/", search_page),
        Route("/doc/{doc_id}", document_page),
        Route("/doc/{doc_id}/original", original),
        Route("/doc/{doc_id}/tasks.ics", document_ics),
        Route("/doc/{doc_id}/correct", correct_field, methods=["POST"]),
        Route("/cited", cited_page),
        Route("/cascade", cascade_page),
        Route("/review", review_page),
        Route("/upload", upload_page, methods=["GET", "POST"]),
        Route("/upload/{uid}/tasks.ics", upload_ics),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes)

    async def on_error(request: Request, exc: Exception) -> Response:
        from ..store.db import ArchiveError

        if isinstance(exc, ArchiveError):
            return state.error(request, 503, str(exc))
        return state.error(request, 500, f"internal error: {type(exc).__name__}: {str(exc)[:200]}")

    app.add_exception_handler(Exception, on_error)
    app.state.congvan = state
    return Guard(app, state)  # type: ignore[return-value]


def _process_upload(state: App, filename: str, data: bytes, add: bool) -> dict[str, Any]:
    """Read and extract an uploaded file with the CLI's limits; optionally index it into the archive."""
    from ..checklist import render_markdown, select
    from ..extract import extract_one
    from ..models import ErrorRecord
    from ..read import SUPPORTED_SUFFIXES, display_path
    from ..read.options import ReadOptions

    s = state.s
    name = os.path.basename(filename.replace("\\", "/")) or "upload"
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return {"error": f"{display_path(name)}: Unsupported: not a supported file type "
                         f"({', '.join(sorted(SUPPORTED_SUFFIXES))})", "file": name}
    limit = int(s.max_mb * 1024 * 1024)
    if len(data) > limit:
        return {"error": f"{display_path(name)}: TooLarge: {len(data) / 2**20:.1f} MB, over the "
                         f"{s.max_mb:g} MB limit", "file": name}
    options = ReadOptions(max_bytes=limit, max_pages=s.max_pages, timeout_s=s.timeout, ocr=s.ocr)
    with tempfile.TemporaryDirectory(prefix="congvan-upload-") as tmp:
        local = os.path.join(tmp, "upload" + suffix)
        with open(local, "wb") as fh:
            fh.write(data)
        rec = extract_one(local, options)
        if isinstance(rec, ErrorRecord):
            return {"error": f"{display_path(name)}: {rec.error}: {rec.message}", "file": name}
        rec.source.path = name
        uid = secrets.token_urlsafe(12)
        state.uploads[uid] = rec
        while len(state.uploads) > 50:
            state.uploads.popitem(last=False)
        doc_tasks = select(rec)
        out: dict[str, Any] = {"file": name, "uid": uid, "record": rec.to_dict(),
                               "checklist": render_markdown([doc_tasks]), "n_tasks": len(doc_tasks.flat()),
                               "tasks": [{"id": it.task.id, "text": it.task.text, "actors": it.actors,
                                          "due": it.due.isoformat() if it.due else None,
                                          "deadline": it.task.deadline.text if it.task.deadline else None,
                                          "depth": it.task.id.count(".")} for it in doc_tasks.flat()],
                               "added": None, "error": None}
        if add:
            out["added"] = _add_to_archive(state, name, local, rec.source.sha256)
    return out


def _add_to_archive(state: App, name: str, local: str, sha256: str) -> dict[str, Any]:
    """Keep the file in the upload folder (named by its content, so the same upload twice is one file) and
    index it like `congvan index` does."""
    import shutil

    from ..store import IndexOptions, LocalEngine
    from ..store import index as run_index

    folder = state.s.upload_dir or state.s.db.with_name(state.s.db.name + ".uploads")
    folder.mkdir(parents=True, exist_ok=True)
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(name).stem)[:80] or "upload"
    target = folder / f"{sha256[:12]}-{stem}{Path(name).suffix.lower()}"
    if not target.exists():
        shutil.copyfile(local, target)
    with state.write_lock:
        report = run_index(state.s.db, [str(target)], LocalEngine(workers=0), IndexOptions(wait=10.0))
        conn = state.write()
        try:
            state.refresh_graph(conn)
            row = conn.execute("SELECT d.id FROM documents d JOIN files f ON f.sha256 = d.sha256 WHERE f.path = ?",
                               (str(target),)).fetchone()
        finally:
            conn.close()
    return {"path": str(target), "doc_id": row[0] if row else None, "indexed": report.indexed,
            "failed": report.failed}

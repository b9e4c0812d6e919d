"""The web app: the editor page, and a JSON API over one clinic folder.

Every endpoint is a thin shell over the library: a spec is checked by `check_spec`, built by
`render_checked`, and a problem comes back as the CLI's own diagnostics (422).
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import re
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Match, Mount, Route
from starlette.staticfiles import StaticFiles

from .. import catalog_tools, resources
from ..errors import InputError
from ..jsonfile import nesting_diagnostics
from .folder import Changed, ClinicFolder, NotFound
from .security import MAX_BODY, BodyTooLarge, Guard, is_loopback

STATIC = Path(__file__).parent / "static"
PAGE_HEADERS = {
    # The page loads nothing from anywhere else: no CDN, no inline script.
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def problem(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def diagnostics(exc: InputError, root: Path) -> JSONResponse:
    found = [{"path": d.where, "message": private(d.message, root), "hint": private(d.hint, root),
              "file": _shown(d.file, root)} for d in exc.diagnostics]
    return JSONResponse({"diagnostics": found}, status_code=422)


# An absolute path inside a message: at its start, or after a space, quote or bracket
# (so "3/10" and "https://..." are left alone), up to the next space or quote.
_ABSOLUTE = re.compile(r"""(?P<lead>\bthe folder )?(?:^|(?<=[\s'"(\[]))(?P<path>/[^\s'"()\[\],;]+)""")


def private(text: str | None, root: Path) -> str | None:
    """A message with the server's absolute paths taken out: a path in the clinic folder
    relative to it, the folder itself as "the clinic folder", anything else by its name."""
    if not text:
        return text

    def shown(match: re.Match) -> str:
        relative = _relative(match["path"], root)
        return relative if relative == "the clinic folder" else (match["lead"] or "") + relative

    return _ABSOLUTE.sub(shown, text)


def _relative(found: str, root: Path) -> str:
    path = Path(found)
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a loop of links: shown by its name below
        resolved = path
    for base in (root.absolute(), root.resolve()):
        for candidate in (path, resolved):
            if candidate == base:
                return "the clinic folder"
            if candidate.is_relative_to(base):  # a folder shown as one: "handouts/"
                return candidate.relative_to(base).as_posix() + ("/" if candidate.is_dir() else "")
    return f"…/{path.name}" if path.name else "…"


def _shown(file: str, root: Path) -> str:
    """A file as the clinic knows it, relative to its folder: the server's own paths stay private."""
    path = Path(file)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.name if path.suffix else file  # a built-in file by its name; "request" as is


async def spec_body(request: Request) -> Any:
    """The request body as strict JSON (no NaN, no duplicate keys), or InputError."""
    raw = await request.body()
    try:
        doc = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise InputError.single("request", "", "the body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError.single("request", f"line {exc.lineno}, column {exc.colno}",
                                f"invalid JSON: {exc.msg}") from None
    except (ValueError, RecursionError) as exc:
        raise InputError.single("request", "", f"invalid JSON: {exc}") from None
    nesting = nesting_diagnostics(doc, "request")
    if nesting:
        raise InputError(nesting)
    return doc


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r} appears twice")
        seen.add(key)
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def entity_tags(header: str) -> tuple[str, ...]:
    """An If-Match header's strong tags, unquoted, "*" kept as is (any existing version). A weak
    tag (W/"...") never matches, as RFC 9110's strong comparison says; a blank header gives
    no tag at all, so it matches nothing (a present condition is never read as none)."""
    tags = []
    for part in header.split(","):
        tag = part.strip()
        if tag == "*" or (tag and not tag.startswith("W/")):
            tags.append(tag if tag == "*" else tag.strip('"'))
    return tuple(tags)


def _name(request: Request) -> str | None:
    return request.query_params.get("name") or None


def _scale(request: Request) -> float:
    """Pixels per PDF point, held between 0.25 and 2.5; not a finite number: InputError."""
    given = request.query_params.get("scale", "1")
    try:
        scale = float(given)
    except ValueError:
        scale = math.nan
    if not math.isfinite(scale):  # NaN slips through min() and max()
        raise InputError.single("request", "scale", f"scale must be a number from 0.25 to 2.5, not {given[:20]!r}")
    return min(max(scale, 0.25), 2.5)


class Endpoints:
    def __init__(self, folder: ClinicFolder):
        self.folder = folder

    async def editor(self, request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers=PAGE_HEADERS)

    async def schemas(self, request: Request) -> Response:
        from ..templates import builtin_names

        def gather() -> dict[str, Any]:
            general = self.folder.catalog().general()
            # the catalog names the conditions and built-in pain rules a spec may pick
            named = {key: [{"id": n.id, "text": n.text} for n in getattr(general, key, ())]
                     for key in ("conditions", "pain_rules")}
            return {"routine": resources.schema("routine.schema.json"),
                    "exercise": resources.schema("exercise.schema.json"),
                    "templates": builtin_names(), "folder": self.folder.root.resolve().name, **named}

        return JSONResponse(await run_in_threadpool(gather))

    async def catalog_list(self, request: Request) -> Response:
        def listing() -> dict[str, Any]:
            catalog = self.folder.catalog()
            q = request.query_params
            entries = catalog_tools.filtered(catalog, q.get("kind") or None, q.get("region") or None,
                                             q.get("equipment") or None)
            most = catalog_tools.MAX_QUERY  # (a fuzzy search's work grows with its length)
            if len(q.get("q", "")) > most:
                raise InputError.single("request", "q", f"the search is longer than {most} characters",
                                        "search with a few words of the exercise's name")
            if q.get("q", "").strip():
                wanted = {e.id for e in entries}
                entries = [e for _, e in catalog_tools.search(catalog, q["q"]) if e.id in wanted]
            everything = [catalog.get(i) for i in catalog.ids()]
            return {"exercises": [_summary(e) for e in entries],
                    "filters": {"kinds": sorted({e.kind for e in everything}),
                                "regions": sorted({r for e in everything for r in e.body_regions}),
                                "equipment": sorted({kit for e in everything for kit in e.equipment})}}

        return JSONResponse(await run_in_threadpool(listing))

    async def catalog_entry(self, request: Request) -> Response:
        exercise_id = request.path_params["id"]
        catalog = self.folder.catalog()
        if exercise_id not in catalog:
            return problem(404, f"no exercise '{exercise_id[:60]}' in the catalog")
        exercise = catalog.get(exercise_id)
        doc = exercise.to_document()
        for picture in doc.get("illustrations", []):  # the server's own paths stay private
            picture["src"] = _shown(picture["src"], self.folder.root)
        return JSONResponse({**doc, "pictures": _picture_urls(exercise)})

    async def picture(self, request: Request) -> Response:
        from .pictures import thumbnails

        exercise_id, index = request.path_params["id"], request.path_params["n"]
        catalog = self.folder.catalog()
        if exercise_id not in catalog:
            return problem(404, "no such exercise")
        images = await run_in_threadpool(thumbnails, catalog.get(exercise_id))
        if index >= len(images):
            return problem(404, "no such picture")
        return Response(images[index], media_type="image/png", headers={"cache-control": "no-cache"})

    async def build(self, request: Request) -> Response:
        doc, name = await spec_body(request), _name(request)
        rendered = await run_in_threadpool(self.folder.build, doc, name)
        filename = f"{name or 'handout'}.pdf"
        return Response(rendered.data, media_type="application/pdf",
                        headers={"content-disposition": f'attachment; filename="{filename}"'})

    async def preview(self, request: Request) -> Response:
        from .pictures import page_images

        doc, name, scale = await spec_body(request), _name(request), _scale(request)

        root = self.folder.root

        def work() -> dict[str, Any]:
            rendered = self.folder.build(doc, name)
            return {"page_count": rendered.pages, "pages": page_images(rendered.data, scale),
                    "warnings": [{"path": w.where, "message": private(w.message, root), "hint": private(w.hint, root)}
                                 for w in rendered.warnings]}

        return JSONResponse(await run_in_threadpool(work))

    async def handouts(self, request: Request) -> Response:
        return JSONResponse({"handouts": await run_in_threadpool(self.folder.list_handouts)})

    async def handout(self, request: Request) -> Response:
        name = request.path_params["name"]
        if request.method == "PUT":
            doc = await spec_body(request)
            # If-Match: the version the editor opened; If-None-Match: * for a new handout.
            quoted = request.headers.get("if-match")
            if_match = None if quoted is None else entity_tags(quoted)
            path, version = await run_in_threadpool(
                functools.partial(self.folder.save_handout, name, doc, if_match=if_match,
                                  if_absent=request.headers.get("if-none-match", "").strip() == "*"))
            return JSONResponse({"name": name, "path": path.relative_to(self.folder.root).as_posix(),
                                 "version": version}, headers={"ETag": f'"{version}"'})
        doc, version = await run_in_threadpool(self.folder.read_handout, name)
        return JSONResponse(doc, headers={"ETag": f'"{version}"'})

    async def openapi(self, request: Request) -> Response:
        from .openapi import document

        return JSONResponse(document())


def _summary(exercise) -> dict[str, Any]:
    return {"id": exercise.id, "name": exercise.name, "kind": exercise.kind,
            "body_regions": list(exercise.body_regions),
            "equipment": list(exercise.equipment), "position": exercise.position, "summary": exercise.summary,
            "default_dosage": exercise.default_dosage, "default_frequency": exercise.default_frequency,
            "video_url": exercise.video_url, "pictures": _picture_urls(exercise),
            "sides": list(exercise.sides),  # the side menu offers only these
            # the lines an entry may replace, which the editor shows greyed as far as they print
            # for this patient (their conditions, a pain rule, a load: catalog.Line.applies)
            **{field: [{"text": line.text, "conditions": sorted(line.conditions),
                        "yields_to_pain_rule": line.yields_to_pain_rule, "yields_to_load": line.yields_to_load}
                       for line in getattr(exercise, field)] for field in ("tips", "care", "red_flags")}}


def _picture_urls(exercise) -> list[dict[str, str]]:
    return [{"url": f"/api/catalog/{exercise.id}/pictures/{n}", "caption": p.caption}
            for n, p in enumerate(exercise.illustrations)]


async def _input_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InputError)
    return diagnostics(exc, request.app.state.root)


async def _not_found(request: Request, exc: Exception) -> Response:
    return problem(404, str(exc))


async def _changed(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Changed)
    return JSONResponse({"error": str(exc), "exists": exc.exists}, status_code=412)


async def _too_large(request: Request, exc: Exception) -> Response:
    return problem(413, f"the request body is larger than {MAX_BODY} bytes")


async def _http_error(request: Request, exc: Exception) -> Response:
    """No route (404), a method the route does not take (405): JSON like every other error."""
    assert isinstance(exc, HTTPException)
    words = {404: "no such page or API endpoint", 405: f"{request.method} is not allowed here"}
    response = problem(exc.status_code, words.get(exc.status_code, str(exc.detail)))
    response.headers.update(exc.headers or {})  # 405 names the methods that are (Allow)
    return response


async def _internal(request: Request, exc: Exception) -> Response:
    return problem(500, "internal error; the server's log has the details")


def create_app(folder: Path | str = ".", *, host: str = "127.0.0.1", token: str | None = None,
               allowed_hosts: tuple[str, ...] = ()) -> Guard:
    """The app for one clinic folder. Without a token it answers only loopback hosts' names."""
    if not is_loopback(host) and not token:
        raise ValueError("a server reachable from other machines needs a token")
    ends = Endpoints(ClinicFolder(Path(folder)))
    routes = [
        Route("/", ends.editor),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
        Route("/openapi.json", ends.openapi),
        Route("/api/schemas", ends.schemas),
        Route("/api/catalog", ends.catalog_list),
        Route("/api/catalog/{id}", ends.catalog_entry),
        Route("/api/catalog/{id}/pictures/{n:int}", ends.picture),
        Route("/api/build", ends.build, methods=["POST"]),
        Route("/api/preview", ends.preview, methods=["POST"]),
        Route("/api/handouts", ends.handouts),
        Route("/api/handouts/{name}", ends.handout, methods=["GET", "PUT"]),
    ]
    app = Starlette(routes=routes, lifespan=_warm_up, exception_handlers={
        InputError: _input_error, NotFound: _not_found, Changed: _changed, HTTPException: _http_error,
        BodyTooLarge: _too_large,
        Exception: _internal})
    app.state.root = ends.folder.root

    def route_name(scope: dict[str, Any]) -> str:
        for route in routes:
            if route.matches(scope)[0] is Match.FULL:
                return getattr(route, "path", scope["path"]) + ("/*" if isinstance(route, Mount) else "")
        return "(no route)"

    hosts = {*allowed_hosts, host}
    if is_loopback(host):
        hosts |= {"127.0.0.1", "localhost", "::1"}
    return Guard(app, allowed_hosts=hosts, token=token, route_name=route_name)


WARM_UP_SPEC = {"spec_version": 1, "title": "warm-up", "sections": [{"title": "-", "exercises": ["bridge"]}]}


@contextlib.asynccontextmanager
async def _warm_up(app):
    """Before the first request, build a small handout once: reportlab, fonts, schemas and
    the drawing cache are loaded, as in a `--jobs` worker, so every request builds warm."""
    from ..api import build_handout

    try:
        await run_in_threadpool(build_handout, WARM_UP_SPEC)
    except Exception:  # a broken install shows up on the first real request, with its message
        pass
    yield

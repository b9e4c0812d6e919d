"""The API's OpenAPI 3.1 description, served at /openapi.json.

Written by hand: the spec body is the routine spec's own JSON Schema (2020-12, which
OpenAPI 3.1 uses as is), so the contract has one source.
"""

from __future__ import annotations

from typing import Any

from .. import __version__, resources

NAME = {"name": "name", "in": "path", "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$"},
        "description": "The handout's file name in handouts/, without .json."}
BUILD_NAME = {"name": "name", "in": "query", "required": False, "schema": NAME["schema"],
              "description": "Build the spec as handouts/NAME.json would be built (its folder anchors relative "
                             "paths such as a logo). Default: handouts/untitled.json."}
CONDITIONS = [
    {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"},
     "description": "The ETag GET gave: save only over that version of the file. A list matches if any "
                    "strong tag is the file's version; a weak tag (W/\"...\") or a blank header matches "
                    "nothing; * matches any existing file, never a missing one."},
    {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string", "enum": ["*"]},
     "description": "*: save only if no handout has this name yet."},
]
EXERCISE_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
               "description": "A catalog exercise id, e.g. clamshell."}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    words = {400: "Unknown Host header.", 401: "Missing or wrong bearer token (servers started with --token).",
             403: "A write from another site's page.", 404: "Not found.", 413: "Body over 1 MB.",
             412: "If-Match named another version than the file's (saved since it was opened) or a "
                  "handout that does not exist (`exists`: false), or If-None-Match: * named a handout "
                  "that exists. Nothing was written.",
             422: "The spec has problems: each with the JSON path it is about, as the CLI prints them."}
    return {str(c): ({"$ref": "#/components/responses/Diagnostics"} if c == 422 else
                     {"$ref": "#/components/responses/Error", "description": words[c]}) for c in codes}


def document() -> dict[str, Any]:
    spec = {"$ref": "#/components/schemas/RoutineSpec"}
    body = {"required": True, "content": {"application/json": {"schema": spec}}}
    common = (400, 401, 413, 422)
    return {
        "openapi": "3.1.0",
        "info": {"title": "routinepress", "version": __version__,
                 "description": "Build home exercise handouts from routine specs, over one clinic folder. "
                                "Requests that write must come from the editor's own page or carry no Origin. "
                                "A server started with --token wants `Authorization: Bearer <token>` on every "
                                "API call."},
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "RoutineSpec": resources.schema("routine.schema.json"),
                "Diagnostic": {"type": "object", "required": ["path", "message"], "properties": {
                    "path": {"type": "string", "description": "JSON path of the value, e.g. $.sections[0].title"},
                    "message": {"type": "string"},
                    "hint": {"type": ["string", "null"], "description": "A likely fix, when there is one."},
                    "file": {"type": "string", "description": "The file the problem is in."}}},
                "Error": {"type": "object", "properties": {
                    "error": {"type": "string"},
                    "exists": {"type": "boolean", "description": "(412 only) whether the handout exists now"}}},
            },
            "responses": {
                "Diagnostics": _json({"type": "object", "properties": {
                    "diagnostics": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}}}},
                    "The spec has problems: each with the JSON path it is about, as the CLI prints them."),
                "Error": _json({"$ref": "#/components/schemas/Error"}, "An error with one sentence saying why."),
            },
        },
        "security": [{}, {"token": []}],
        "paths": {
            "/api/build": {"post": {
                "summary": "Build a spec into a PDF handout", "parameters": [BUILD_NAME], "requestBody": body,
                "responses": {"200": {"description": "The PDF: the same bytes `routinepress build` writes.",
                                      "content": {"application/pdf": {}}}, **_errors(*common, 403)}}},
            "/api/preview": {"post": {
                "summary": "Build a spec and return its pages as PNG images",
                "parameters": [BUILD_NAME, {"name": "scale", "in": "query", "schema": {
                    "type": "number", "minimum": 0.25, "maximum": 2.5, "default": 1},
                    "description": "Pixels per PDF point."}],
                "requestBody": body,
                "responses": {"200": _json({"type": "object", "properties": {
                    "page_count": {"type": "integer"},
                    "pages": {"type": "array", "items": {"type": "object", "properties": {
                        "png": {"type": "string", "description": "A data: URL"},
                        "width": {"type": "integer"}, "height": {"type": "integer"}}}},
                    "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/Diagnostic"}}}},
                    "The pages, first 40 at most"), **_errors(*common, 403)}}},
            "/api/catalog": {"get": {
                "summary": "The catalog list, filtered and searched (typos forgiven)",
                "parameters": [{"name": n, "in": "query", "schema": {"type": "string"}, "description": d}
                               for n, d in (("q", "Search words, up to 100 characters (more: 422)"),
                                            ("kind", "e.g. stretch"), ("region", "e.g. hip"),
                                            ("equipment", "e.g. band"))],
                "responses": {"200": _json({"type": "object"}, "exercises (id, name, kind, pictures...) "
                                           "and the filter values in use"), **_errors(400, 401, 422)}}},
            "/api/catalog/{id}": {"get": {
                "summary": "One catalog entry", "parameters": [EXERCISE_ID],
                "responses": {"200": _json({"type": "object"}, "The entry, as `catalog show --json` prints it, "
                                           "with picture URLs"), **_errors(400, 401, 404)}}},
            "/api/catalog/{id}/pictures/{n}": {"get": {
                "summary": "An exercise's picture as a PNG thumbnail (no token needed: no patient data)",
                "parameters": [EXERCISE_ID, {"name": "n", "in": "path", "required": True,
                                             "schema": {"type": "integer", "minimum": 0}}],
                "responses": {"200": {"description": "PNG", "content": {"image/png": {}}}, **_errors(400, 404)}}},
            "/api/handouts": {"get": {
                "summary": "The specs in handouts/",
                "responses": {"200": _json({"type": "object", "properties": {"handouts": {"type": "array"}}},
                                           "name and title of each"), **_errors(400, 401)}}},
            "/api/handouts/{name}": {
                "get": {"summary": "One spec from handouts/; its ETag header is the file's version",
                        "parameters": [NAME],
                        "responses": {"200": _json(spec, "The spec as saved"), **_errors(400, 401, 404, 422)}},
                "put": {"summary": "Check a spec and save it as handouts/NAME.json (atomically). With If-Match "
                                   "(the version GET gave) it replaces only that version; with If-None-Match: * "
                                   "it only makes a new file",
                        "parameters": [NAME, *CONDITIONS], "requestBody": body,
                        "responses": {"200": _json({"type": "object"}, "Saved: name, path and version (also the "
                                                                       "ETag header)"),
                                      **_errors(*common, 403, 412)}}},
            "/api/schemas": {"get": {
                "summary": "The routine and exercise JSON Schemas and the built-in template names",
                "responses": {"200": _json({"type": "object"}, "Schemas"), **_errors(400, 401)}}},
        },
    }

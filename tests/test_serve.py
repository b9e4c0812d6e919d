"""`routinepress serve`'s API, through Starlette's TestClient: builds, diagnostics, the clinic
folder's handouts, and the guard (Host, Origin, token, body size, no stack trace)."""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
from pathlib import Path

import pytest
from conftest import REPO, minimal_spec, run_cli
from starlette.testclient import TestClient

from routinepress.serve import create_app

STANDARD = json.loads((REPO / "bench" / "specs" / "standard-8.json").read_text())
BASE = "http://127.0.0.1:8000"


def page_texts(pdf: bytes) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def make_clinic(root: Path) -> Path:
    """A clinic folder: a config with a default clinician and a catalog overlay of one entry."""
    (root / "handouts").mkdir(parents=True)
    (root / "catalog" / "exercises").mkdir(parents=True)
    (root / "routinepress.toml").write_text(
        'catalog = ["catalog"]\n\n[defaults.clinician]\nname = "Robin Clinic-Default"\nphone = "555-0199"\n')
    entry = json.loads((REPO / "catalog" / "exercises" / "bridge.json").read_text())
    entry.update(id="wall-sit-clinic", name="Clinic wall sit", illustrations=[])
    (root / "catalog" / "exercises" / "wall-sit-clinic.json").write_text(json.dumps(entry))
    return root


@pytest.fixture(scope="module")
def clinic(tmp_path_factory) -> Path:
    return make_clinic(tmp_path_factory.mktemp("clinic"))


@pytest.fixture(scope="module")
def client(clinic):
    with TestClient(create_app(clinic), base_url=BASE) as c:
        yield c


def test_build_gives_the_cli_bytes_with_the_folder_config(client, clinic, tmp_path):
    doc = minimal_spec(sections=[{"title": "Moves", "exercises": ["bridge", "wall-sit-clinic"]}])
    res = client.post("/api/build?name=visit-1", json=doc)
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == "application/pdf"
    text = "\n".join(page_texts(res.content))
    assert "Robin Clinic-Default" in text  # the config's default clinician
    assert "Clinic wall sit" in text  # the overlay's entry
    spec = clinic / "handouts" / "visit-1.json"
    spec.write_text(json.dumps(doc))
    try:
        out = tmp_path / "cli.pdf"
        assert run_cli("build", spec, "-o", out).code == 0
        assert out.read_bytes() == res.content
    finally:
        spec.unlink()


def test_invalid_spec_gives_422_with_json_paths(client):
    doc = json.loads(json.dumps(STANDARD))
    doc["sections"][1]["exercises"][1] = {"ref": "clamshell", "dosage": {"reps": "twelve"}}
    doc["tracker"]["weeks"] = 40
    doc["sections"][0]["exercises"][0] = "clamshel"
    res = client.post("/api/build", json=doc)
    assert res.status_code == 422
    found = {d["path"]: d for d in res.json()["diagnostics"]}
    assert set(found) == {"$.sections[1].exercises[1].dosage.reps", "$.tracker.weeks", "$.sections[0].exercises[0]"}
    assert "whole number" in found["$.sections[1].exercises[1].dosage.reps"]["message"]
    assert found["$.sections[0].exercises[0]"]["hint"] == "did you mean 'clamshell'?"
    assert all(set(d) >= {"path", "message", "hint"} for d in found.values())
    assert {d["file"] for d in found.values()} == {"handouts/untitled.json"}  # no server paths


@pytest.mark.parametrize("body, words", [
    (b"{not json", "invalid JSON"),
    (b'{"title": NaN}', "invalid JSON"),
    (b'{"a": 1, "a": 2}', "twice"),
    (b"[1, 2]", "JSON object"),
    (b"\xff\xfe", "UTF-8"),
])
def test_bad_json_bodies_get_a_diagnostic(client, body, words):
    res = client.post("/api/build", content=body, headers={"content-type": "application/json"})
    assert res.status_code == 422
    assert words in res.json()["diagnostics"][0]["message"]


def test_preview_returns_the_pages_as_png(client):
    res = client.post("/api/preview?scale=0.5", json=STANDARD)
    assert res.status_code == 200
    data = res.json()
    assert data["page_count"] == len(data["pages"]) >= 3
    first = data["pages"][0]
    assert first["png"].startswith("data:image/png;base64,")
    assert first["width"] == 306  # a Letter page is 612 points wide


def test_catalog_list_filters_and_forgives_typos(client):
    everything = client.get("/api/catalog").json()
    assert {"stretch", "strength"} <= set(everything["filters"]["kinds"])
    assert "wall-sit-clinic" in {e["id"] for e in everything["exercises"]}
    hits = client.get("/api/catalog", params={"q": "clamshel"}).json()["exercises"]
    assert hits[0]["id"] == "clamshell"
    stretches = client.get("/api/catalog", params={"kind": "stretch"}).json()["exercises"]
    assert stretches and all(e["kind"] == "stretch" for e in stretches)
    assert len(stretches) < len(everything["exercises"])
    # the lines a spec may replace, with who they are for, as the editor greys those that print
    bridge = next(e for e in everything["exercises"] if e["id"] == "bridge")
    assert bridge["tips"][0] == {"text": "You should feel this in your buttocks, not your low back.",
                                 "conditions": [], "yields_to_pain_rule": False, "yields_to_load": False}
    assert bridge["care"] and isinstance(bridge["red_flags"], list)
    butterfly = next(e for e in everything["exercises"] if e["id"] == "butterfly-stretch")
    assert {"text": "After hip surgery, ask your surgeon before you let your knees drop out to the sides.",
            "conditions": ["recent-hip-surgery"], "yields_to_pain_rule": False,
            "yields_to_load": False} in butterfly["care"]


def test_catalog_entry_and_its_thumbnails(client):
    entry = client.get("/api/catalog/clamshell").json()
    assert entry["id"] == "clamshell" and entry["steps"]
    assert len(entry["pictures"]) == len(entry["illustrations"]) >= 1
    assert not any(p["src"].startswith("/") for p in entry["illustrations"])  # no server paths
    png = client.get(entry["pictures"][0]["url"])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png.content))
    assert image.width == 240
    assert image.convert("L").getextrema()[0] < 100  # a drawing, not a blank square
    assert client.get("/api/catalog/nothing-like-it").status_code == 404
    assert client.get("/api/catalog/clamshell/pictures/99").status_code == 404


def test_handouts_save_list_open(client, clinic):
    doc = minimal_spec(title="Saved through the API")
    res = client.put("/api/handouts/jane-hip_1", json=doc)
    assert res.status_code == 200, res.text
    assert res.json()["path"] == "handouts/jane-hip_1.json"
    assert json.loads((clinic / "handouts" / "jane-hip_1.json").read_text()) == doc  # no defaults written in
    assert {"name": "jane-hip_1", "title": "Saved through the API"} in client.get("/api/handouts").json()["handouts"]
    assert client.get("/api/handouts/jane-hip_1").json() == doc
    assert client.get("/api/handouts/nobody").status_code == 404
    assert not list((clinic / "handouts").glob(".*"))  # no temporary file left behind


def test_a_save_replaces_only_the_version_it_opened(client, clinic):
    """Two windows open one handout; the first saves; the second's save, quoting the version
    it opened, is refused with 412 and the first one's file stays. A new handout's save
    (If-None-Match: *) does not take a name already used."""
    path = clinic / "handouts" / "two-windows.json"
    first = client.put("/api/handouts/two-windows", json=minimal_spec(title="Opened"), headers={"If-None-Match": "*"})
    assert first.status_code == 200, first.text
    opened = client.get("/api/handouts/two-windows")
    etag = opened.headers["etag"]
    assert etag == first.headers["etag"] == f'"{first.json()["version"]}"'
    window_a = client.put("/api/handouts/two-windows", json=minimal_spec(title="Saved by A"),
                          headers={"If-Match": etag})
    assert window_a.status_code == 200 and window_a.headers["etag"] != etag
    window_b = client.put("/api/handouts/two-windows", json=minimal_spec(title="Saved by B"),
                          headers={"If-Match": etag})
    assert window_b.status_code == 412
    assert window_b.json()["error"] == (
        "handouts/two-windows.json was saved by someone else (another window?) since you opened it")
    assert json.loads(path.read_text())["title"] == "Saved by A"
    # B, having seen the newer version, may replace it
    newer = client.get("/api/handouts/two-windows").headers["etag"]
    assert client.put("/api/handouts/two-windows", json=minimal_spec(title="Saved by B"),
                      headers={"If-Match": newer}).status_code == 200
    assert json.loads(path.read_text())["title"] == "Saved by B"
    taken = client.put("/api/handouts/two-windows", json=minimal_spec(title="New"), headers={"If-None-Match": "*"})
    assert taken.status_code == 412 and "already exists" in taken.json()["error"]
    assert json.loads(path.read_text())["title"] == "Saved by B"
    path.unlink()
    gone = client.put("/api/handouts/two-windows", json=minimal_spec(), headers={"If-Match": newer})
    assert gone.status_code == 412 and not path.exists()
    assert gone.json() == {"error": "handouts/two-windows.json does not exist (it may have been removed or "
                                    "renamed since you opened it)", "exists": False}


def test_if_match_edge_cases_write_only_on_a_strong_match(client, clinic):
    """RFC 9110's If-Match: a blank header is a condition that matches nothing, * needs the
    file to exist, a list matches when any strong tag does, a weak tag never matches."""
    path = clinic / "handouts" / "edge.json"
    put = functools.partial(client.put, "/api/handouts/edge", json=minimal_spec(title="Changed"))
    assert put(headers={"If-Match": "*"}).status_code == 412 and not path.exists()  # * on a missing file
    made = client.put("/api/handouts/edge", json=minimal_spec(title="First"), headers={"If-None-Match": "*"})
    etag = made.headers["etag"]
    try:
        for refused in ("", " ", "W/" + etag, '"zzz", W/' + etag, '""', '"unreadable"', '"zzz"'):
            res = put(headers={"If-Match": refused})
            assert res.status_code == 412, refused
            assert res.json()["exists"] is True and "saved by someone else" in res.json()["error"]
            assert json.loads(path.read_text())["title"] == "First", refused
        listed = {"If-Match": f'"zzz", {etag}'}
        res = client.put("/api/handouts/edge", json=minimal_spec(title="Listed"), headers=listed)
        assert res.status_code == 200 and json.loads(path.read_text())["title"] == "Listed"
        res = client.put("/api/handouts/edge", json=minimal_spec(title="Any"), headers={"If-Match": "*"})
        assert res.status_code == 200 and json.loads(path.read_text())["title"] == "Any"
    finally:
        path.unlink()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_in_handouts_is_skipped_not_waited_on(tmp_path):
    root = make_clinic(tmp_path / "clinic")
    os.mkfifo(root / "handouts" / "x.json")  # opened plainly, it would wait for a writer forever
    (root / "handouts" / "real.json").write_text(json.dumps(minimal_spec(title="Real")))
    (root / "handouts" / "folder.json").mkdir()
    from routinepress.serve.folder import ClinicFolder

    found: list = []
    worker = threading.Thread(target=lambda: found.append(ClinicFolder(root).list_handouts()), daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # (free the waiting reader, so the test run can end)
        os.close(os.open(root / "handouts" / "x.json", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("listing handouts/ waited on a pipe")
    assert found == [[{"name": "real", "title": "Real"}]]
    with TestClient(create_app(root), base_url=BASE) as c:
        assert c.get("/api/handouts").json()["handouts"] == [{"name": "real", "title": "Real"}]


def test_a_long_catalog_search_is_refused_at_once(client):
    assert client.get("/api/catalog", params={"q": "b" * 100}).status_code == 200
    res = client.get("/api/catalog", params={"q": "clamshell bridge " * 60})
    assert res.status_code == 422
    found = res.json()["diagnostics"][0]
    assert found["path"] == "q" and found["message"] == "the search is longer than 100 characters"


def test_saving_an_invalid_spec_writes_nothing(client, clinic):
    res = client.put("/api/handouts/broken", json=minimal_spec(tracker={"weeks": 99}))
    assert res.status_code == 422
    assert res.json()["diagnostics"][0]["path"] == "$.tracker.weeks"
    assert not (clinic / "handouts" / "broken.json").exists()


@pytest.mark.parametrize("name", ["..%2F..%2Fetc%2Fpasswd", "..", ".hidden", "a.b", "a%00b", "x" * 81, "%2E%2E"])
def test_handout_names_never_leave_the_folder(client, clinic, name):
    put = client.put(f"/api/handouts/{name}", json=minimal_spec())
    get = client.get(f"/api/handouts/{name}")
    assert put.status_code in (404, 422) and get.status_code in (404, 422)
    assert sorted(p.name for p in clinic.rglob("*.json") if "catalog" not in p.parts) == sorted(
        p.name for p in (clinic / "handouts").glob("*.json"))
    assert not (clinic.parent / "etc").exists()


def test_a_symlinked_handouts_folder_outside_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "clinic"
    root.mkdir()
    (root / "handouts").symlink_to(outside)
    with TestClient(create_app(root), base_url=BASE) as c:
        assert c.put("/api/handouts/x", json=minimal_spec()).status_code == 422
        assert c.get("/api/handouts").json()["handouts"] == []
    assert not list(outside.iterdir())


def test_static_files_stay_in_the_package(client):
    assert client.get("/static/editor.js").status_code == 200
    for path in ("/static/../folder.py", "/static/%2e%2e/folder.py", "/static/..%2ffolder.py"):
        res = client.get(path)
        assert res.status_code == 404 or b"ClinicFolder" not in res.content


def test_host_header_is_checked(client):
    assert client.get("/api/handouts", headers={"host": "localhost:8000"}).status_code == 200
    assert client.get("/api/handouts", headers={"host": "[::1]:8000"}).status_code == 200
    res = client.get("/api/handouts", headers={"host": "attacker.example:8000"})
    assert res.status_code == 400 and "Host" in res.json()["error"]
    assert client.get("/", headers={"host": "rebind.attacker.example"}).status_code == 400


def test_writes_from_another_origin_are_refused(client, clinic):
    spec = minimal_spec()
    assert client.post("/api/build", json=spec, headers={"origin": BASE}).status_code == 200
    for origin in ("http://attacker.example", "null", "http://127.0.0.1:9999"):
        res = client.put("/api/handouts/evil", json=spec, headers={"origin": origin})
        assert res.status_code == 403, origin
    assert client.post("/api/build", json=spec, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert not (clinic / "handouts" / "evil.json").exists()
    # a read from elsewhere is the browser's business (no CORS headers): still answered
    assert client.get("/api/catalog", headers={"origin": "http://attacker.example"}).status_code == 200


def test_bodies_over_one_megabyte_get_413(client):
    big = json.dumps(minimal_spec(notes="x" * (1024 * 1024))).encode()
    assert client.post("/api/build", content=big, headers={"content-type": "application/json"}).status_code == 413

    def chunks():  # no Content-Length: the limit is counted as the body arrives
        for _ in range(20):
            yield b" " * 100_000

    res = client.post("/api/preview", content=chunks(), headers={"content-type": "application/json"})
    assert res.status_code == 413
    assert "larger than" in res.json()["error"]


def test_a_host_other_than_loopback_needs_a_token(clinic):
    with pytest.raises(ValueError, match="token"):
        create_app(clinic, host="0.0.0.0")
    app = create_app(clinic, host="0.0.0.0", token="s3cret", allowed_hosts=("hep.clinic.lan",))
    with TestClient(app, base_url="http://hep.clinic.lan") as c:
        assert c.get("/api/handouts").status_code == 401
        assert c.get("/api/handouts", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert c.post("/api/build", json=minimal_spec()).status_code == 401
        ok = {"authorization": "Bearer s3cret"}
        assert c.get("/api/handouts", headers=ok).status_code == 200
        assert c.post("/api/build", json=minimal_spec(), headers=ok).status_code == 200
        assert c.get("/").status_code == 200  # the page itself holds no data; it asks for the token
        assert c.get("/api/catalog/bridge/pictures/0").status_code == 200
        assert c.get("/api/handouts", headers={"host": "127.0.0.1", **ok}).status_code == 400


def test_cli_refuses_an_open_host_without_a_token(clinic):
    res = run_cli("serve", clinic, "--host", "0.0.0.0")
    assert res.code == 2
    assert "--token" in res.stderr and "patient data" in res.stderr


def test_no_stack_trace_reaches_the_client_and_the_log_has_no_patient_data(clinic, monkeypatch, caplog):
    from routinepress.serve import folder

    def explode(self, doc, name=None):
        raise RuntimeError("secret internals at /home/x/y.py")

    with TestClient(create_app(clinic), base_url=BASE, raise_server_exceptions=False) as c:
        caplog.set_level(logging.INFO, logger="routinepress.serve")
        ok = c.put("/api/handouts/maria-gonzalez", json=minimal_spec(patient={"name": "Maria Gonzalez"}))
        assert ok.status_code == 200
        monkeypatch.setattr(folder.ClinicFolder, "build", explode)
        res = c.post("/api/build?name=maria-gonzalez", json=minimal_spec(patient={"name": "Maria Gonzalez"}))
    assert res.status_code == 500
    assert "Traceback" not in res.text and "secret" not in res.text and "RuntimeError" not in res.text
    assert res.json() == {"error": "internal error; the server's log has the details"}
    lines = [r.getMessage() for r in caplog.records if r.name == "routinepress.serve" and r.levelno == logging.INFO]
    assert "PUT /api/handouts/{name} 200" in lines[0]
    assert any(line.startswith("POST /api/build 500") for line in lines)
    assert not any("maria" in line.lower() for line in lines)
    (clinic / "handouts" / "maria-gonzalez.json").unlink()


def test_openapi_describes_the_api(client):
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    for path in ("/api/build", "/api/preview", "/api/catalog", "/api/catalog/{id}", "/api/handouts",
                 "/api/handouts/{name}", "/api/catalog/{id}/pictures/{n}"):
        assert path in doc["paths"], path
    assert "application/pdf" in doc["paths"]["/api/build"]["post"]["responses"]["200"]["content"]
    assert doc["components"]["schemas"]["RoutineSpec"]["title"] == "routinepress routine spec"
    # every route the app answers is described, and nothing more
    app_paths = {"/api/build", "/api/preview", "/api/catalog", "/api/catalog/{id}", "/api/catalog/{id}/pictures/{n}",
                 "/api/handouts", "/api/handouts/{name}", "/api/schemas"}
    assert set(doc["paths"]) == app_paths


def test_editor_page_loads_nothing_from_elsewhere(client):
    res = client.get("/")
    assert res.status_code == 200
    assert "default-src 'self'" in res.headers["content-security-policy"]
    parts = ("spec.js", "panels.js", "editor.js", "editor.css")
    page = res.text + "".join(client.get(f"/static/{name}").text for name in parts)
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_workers_build_the_app_from_the_environment(clinic, monkeypatch):
    from routinepress.serve import from_environment

    monkeypatch.setenv("ROUTINEPRESS_FOLDER", str(clinic))
    monkeypatch.delenv("ROUTINEPRESS_TOKEN", raising=False)
    monkeypatch.delenv("ROUTINEPRESS_HOST", raising=False)
    with pytest.raises(ValueError, match="ROUTINEPRESS_TOKEN"):
        from_environment()  # reachable from other machines without a token: refused
    monkeypatch.setenv("ROUTINEPRESS_TOKEN", "t0k")
    monkeypatch.setenv("ROUTINEPRESS_ALLOWED_HOSTS", "hep.clinic.lan, other.lan")
    with TestClient(from_environment(), base_url="http://other.lan") as c:
        assert c.get("/api/handouts").status_code == 401
        res = c.get("/api/handouts", headers={"authorization": "Bearer t0k"})
        assert res.status_code == 200
        assert c.get("/api/handouts", headers={"authorization": "Bearer t0k", "host": "evil.lan"}).status_code == 400


def test_a_broken_config_is_a_diagnostic_naming_it(tmp_path):
    (tmp_path / "handouts").mkdir()
    (tmp_path / "routinepress.toml").write_text('[defaults]\ntracker = {weeks = "two"}\n')
    with TestClient(create_app(tmp_path), base_url=BASE) as c:
        res = c.post("/api/build", json=minimal_spec())
        assert res.status_code == 422
        problem = res.json()["diagnostics"][0]
        assert problem["file"] == "routinepress.toml" and "tracker.weeks" in problem["path"]
        assert c.get("/api/catalog").status_code == 422


# --- what a client never sees: the server's own folders -------------------------------------
def _custom(**picture) -> dict:
    own = {"id": "own-move", "name": "Own move", "kind": "strength", "body_regions": ["hip"], "steps": ["Do it."],
           "default_dosage": {"reps": 5}, "illustrations": [picture]}
    return minimal_spec(sections=[{"title": "Moves", "exercises": [{"custom": own}]}])


def test_no_answer_names_the_servers_folders(tmp_path):
    root = make_clinic(tmp_path / "clinic")
    outside = tmp_path / "outside"
    outside.mkdir()
    from PIL import Image

    Image.new("RGB", (40, 20), "black").save(outside / "logo.png")
    (outside / "t.json").write_text("{}")
    (root / "handouts" / "link.png").symlink_to(outside / "logo.png")
    (root / "handouts" / "link.json").symlink_to(outside / "t.json")
    specs = {
        "absolute logo": minimal_spec(clinician={"logo": str(outside / "logo.png")}),
        "logo above": minimal_spec(clinician={"logo": "../../outside/logo.png"}),
        "logo by a link": minimal_spec(clinician={"logo": "link.png"}),
        "absolute template": minimal_spec(template="/etc/passwd"),
        "template above": minimal_spec(template="../../outside/t.json"),
        "template by a link": minimal_spec(template="link.json"),
        "absolute picture": _custom(src=str(outside / "logo.png")),
        "picture above": _custom(src="../../outside/logo.png"),
        "picture by a link": _custom(src="link.png"),
    }
    private = (str(tmp_path), str(tmp_path.resolve()), str(REPO), "/etc/")
    with TestClient(create_app(root), base_url=BASE) as c:
        for what, doc in specs.items():
            for url in ("/api/preview", "/api/build", "/api/handouts/leaky"):
                res = c.put(url, json=doc) if url.startswith("/api/handouts") else c.post(url, json=doc)
                assert res.status_code == 422, (what, url, res.text)
                assert not any(p in res.text for p in private), (what, url, res.text)
        res = c.post("/api/preview", json=specs["absolute logo"]).json()["diagnostics"][0]
        assert res["path"] == "$.clinician.logo" and res["hint"] == "give it relative to handouts/"
        res = c.post("/api/preview", json=specs["logo by a link"]).json()["diagnostics"][0]
        assert res["message"] == "'link.png' leaves the clinic folder"
    assert not (root / "handouts" / "leaky.json").exists()


def test_private_keeps_ordinary_slashes(tmp_path):
    from routinepress.serve.app import private

    root = tmp_path / "clinic"
    (root / "handouts").mkdir(parents=True)
    assert private(f"see {root}/handouts/a.json and {root}", root) == "see handouts/a.json and the clinic folder"
    assert private(f"'{tmp_path}/x.png' is missing", root) == "'…/x.png' is missing"
    assert private(f"it leaves the folder {root}", root) == "it leaves the clinic folder"
    assert private(f"it leaves the folder {root}/handouts", root) == "it leaves the folder handouts/"
    same = "pain 3/10, 3 / 10 and/or https://example.org/x"
    assert private(same, root) == same
    assert private(None, root) is None
    (root / "loop").symlink_to(root / "loop")
    assert private(f"{root}/loop/x.png is a loop", root) in ("loop/x.png is a loop", "…/x.png is a loop")


# --- requests that used to answer 500 ---------------------------------------------------------
@pytest.mark.parametrize("scale", ["nan", "NaN", "inf", "-inf", "abc"])
def test_a_scale_that_is_not_a_number_is_a_diagnostic(client, scale):
    res = client.post(f"/api/preview?scale={scale}", json=minimal_spec())
    assert res.status_code == 422, res.text
    found = res.json()["diagnostics"][0]
    assert found["path"] == "scale" and "0.25 to 2.5" in found["message"]


def test_an_over_deep_document_is_refused_before_any_merge(client, clinic):
    deep = minimal_spec(notes=json.loads("[" * 900 + "]" * 900))
    for res in (client.post("/api/preview", json=deep), client.post("/api/build", json=deep),
                client.put("/api/handouts/deep", json=deep)):
        assert res.status_code == 422, res.text
        found = res.json()["diagnostics"][0]
        assert found["path"].startswith("$.notes[0][0]") and "levels deep" in found["message"]
    assert not (clinic / "handouts" / "deep.json").exists()
    # a real spec's deepest value (a custom exercise's picture) is well within the limit
    found = client.post("/api/build", json=_custom(src="x.png")).json()["diagnostics"]
    assert [d["path"] for d in found] == ["$.sections[0].exercises[0].custom.illustrations[0].src"]


# --- Origin, Host, token, errors -----------------------------------------------------------
@pytest.mark.parametrize("origin", ["https://127.0.0.1:8000", "evil://127.0.0.1:8000", "http://127.0.0.1",
                                    "http://127.0.0.1:8000@evil.example", "http://user@127.0.0.1:8000"])
def test_an_origin_must_match_scheme_host_and_port(client, clinic, origin):
    res = client.put("/api/handouts/other-scheme", json=minimal_spec(), headers={"origin": origin})
    assert res.status_code == 403, origin
    assert not (clinic / "handouts" / "other-scheme.json").exists()


def test_the_servers_own_origin_may_write(client, clinic):
    for origin in (BASE, BASE + "/", BASE.upper()):
        res = client.put("/api/handouts/own-origin", json=minimal_spec(), headers={"origin": origin})
        assert res.status_code == 200, origin
    (clinic / "handouts" / "own-origin.json").unlink()


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.3.4.5", True), ("::1", True), ("[::1]", True), ("localhost", True), ("LocalHost", True),
    ("127.attacker.example", False), ("127.0.0.1.nip.io", False), ("localhost.example", False), ("0.0.0.0", False),
    ("::", False), ("192.168.1.2", False)])
def test_loopback_is_an_address_not_a_prefix(host, loopback):
    from routinepress.serve import is_loopback

    assert is_loopback(host) is loopback


def test_a_name_that_looks_like_loopback_still_needs_a_token(clinic):
    with pytest.raises(ValueError, match="token"):
        create_app(clinic, host="127.attacker.example")
    res = run_cli("serve", clinic, "--host", "127.attacker.example")
    assert res.code == 2 and "--token" in res.stderr


def test_the_bearer_scheme_is_case_insensitive(clinic):
    app = create_app(clinic, host="0.0.0.0", token="s3cret", allowed_hosts=("hep.clinic.lan",))
    with TestClient(app, base_url="http://hep.clinic.lan") as c:
        for given in ("Bearer s3cret", "bearer s3cret", "BEARER s3cret"):
            assert c.get("/api/handouts", headers={"authorization": given}).status_code == 200, given
        for given in ("Basic s3cret", "s3cret", "Bearer s3cre", "bearer", "Bearers3cret"):
            assert c.get("/api/handouts", headers={"authorization": given}).status_code == 401, given


def test_unknown_paths_and_methods_answer_json(client):
    for res, status in ((client.get("/nothing-here"), 404), (client.get("/static/nothing.js"), 404),
                        (client.delete("/api/handouts/x"), 405), (client.get("/api/build"), 405)):
        assert res.status_code == status
        assert res.headers["content-type"] == "application/json"
        assert res.json()["error"]
    assert "PUT" in client.delete("/api/handouts/x").headers["allow"]


# --- catalog search: the exercise named is the first hit ------------------------------------
@pytest.mark.parametrize("query, first", [
    ("straight leg raise", "straight-leg-raise"), ("Straight Leg Raise", "straight-leg-raise"),
    ("leg raise", "straight-leg-raise"), ("knee to chest", "knee-to-chest"), ("bridge", "bridge"),
    ("clamshel", "clamshell"), ("stright leg", "straight-leg-raise")])
def test_a_name_typed_whole_or_begun_ranks_first(client, query, first):
    hits = client.get("/api/catalog", params={"q": query}).json()["exercises"]
    assert hits[0]["id"] == first, [h["id"] for h in hits]


def test_cli_catalog_search_ranks_the_name_first():
    res = run_cli("catalog", "search", "straight", "leg", "raise")
    assert res.code == 0
    rows = [line for line in res.stdout.splitlines() if "leg" in line.lower()]
    assert "straight-leg-raise" in rows[0] and "prone" not in rows[0]


def test_behind_an_https_proxy_the_https_origin_is_the_servers_own(clinic):
    app = create_app(clinic, host="0.0.0.0", token="t", allowed_hosts=("hep.clinic.lan",))
    with TestClient(app, base_url="https://hep.clinic.lan") as c:  # the scheme uvicorn was told by the proxy
        def build(origin: str) -> int:
            headers = {"authorization": "Bearer t", "origin": origin}
            return c.post("/api/build", json=minimal_spec(), headers=headers).status_code

        assert build("https://hep.clinic.lan") == 200
        assert build("http://hep.clinic.lan") == 403


def test_a_clinic_folder_without_handouts_gets_one_on_the_first_save(tmp_path):
    """The save's lock is on handouts/; a folder that has none yet must not turn the save into a 500."""
    with TestClient(create_app(tmp_path), base_url=BASE) as c:
        res = c.put("/api/handouts/first", json=minimal_spec(), headers={"If-None-Match": "*"})
    assert res.status_code == 200, res.text
    assert (tmp_path / "handouts" / "first.json").is_file()

"""The app shell: pages render, the profile picker, the canonical error page, body limits, data."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from backstride.config import Settings
from backstride.web.app import create_app
from web_helpers import LOCAL, client_for, ws_of


def test_home_page_has_labelled_picker_navigation_and_disclaimer(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    assert '<label for="runner-select">Profile</label>' in html
    assert 'id="runner-select"' in html
    assert 'aria-label="Main"' in html
    assert "not a diagnosis" in html
    assert 'href="/static/style.css"' in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing from the network


def test_static_assets_are_served_from_the_package(client: TestClient) -> None:
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")
    assert "fetch(" in client.get("/static/app.js").text


def test_profile_picker_adds_and_switches_profiles(client: TestClient) -> None:
    r = client.post("/runner", data={"new_runner": "Ann"}, headers={"referer": "http://127.0.0.1/data"})
    assert r.status_code == 200  # followed the redirect
    assert client.cookies.get("backstride_runner") == "Ann"
    client.post("/runner", data={"new_runner": "Bob"})
    html = client.get("/").text
    assert '<option value="Ann">Ann</option>' in html
    assert '<option value="Bob" selected>Bob</option>' in html
    client.post("/runner", data={"runner": "Ann"})
    assert '<option value="Ann" selected>Ann</option>' in client.get("/").text


def test_profile_picker_returns_to_the_page_it_was_used_on(client: TestClient) -> None:
    r = client.post("/runner", data={"new_runner": "Ann"}, headers={"referer": "http://127.0.0.1/plan"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/plan"
    r = client.post("/runner", data={"new_runner": "Ann"}, headers={"referer": "http://evil.example/x"},
                    follow_redirects=False)
    assert r.headers["location"] == "/"


def test_bad_profile_name_gets_the_error_page(client: TestClient) -> None:
    r = client.post("/runner", data={"new_runner": "<script>"})
    assert r.status_code == 400
    assert "cannot be a profile name" in r.text
    assert "What to do:" in r.text
    assert "<script>" not in r.text.split("<main", 1)[1]


def test_unknown_page_is_the_canonical_404(client: TestClient) -> None:
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert "Page not found" in r.text
    assert 'role="alert"' in r.text
    assert "Go to the home page" in r.text


def test_errors_are_json_for_json_clients(client: TestClient) -> None:
    r = client.get("/jobs/unknown.json")
    assert r.status_code == 404
    body = r.json()
    assert body["error"]["status"] == 404
    assert "no background job" in body["error"]["message"]


def test_missing_form_field_lists_the_problem(client: TestClient) -> None:
    r = client.post("/data/export", data={})
    assert r.status_code == 422
    assert "runner" in r.text
    assert "nothing was stored" in r.text
    # in words, with the way back to the form's page as the main button
    assert "Field required" not in r.text and "was not filled in" in r.text
    assert '<a class="button" href="/data">Go back to the page you were on</a>' in r.text
    assert "javascript:" not in r.text   # no script URLs: a strict CSP comes later


def test_error_pages_lead_back_to_where_the_user_came_from(client: TestClient) -> None:
    r = client.get("/jobs/0123456789", headers={"referer": "http://127.0.0.1/activities?weeks=52"})
    assert r.status_code == 404
    assert '<a class="button" href="/activities?weeks=52">Go back to the page you were on</a>' in r.text
    assert "Go to the home page" in r.text
    # another site's address is never offered as the way back
    r = client.get("/jobs/0123456789", headers={"referer": "https://elsewhere.example/x"})
    assert "elsewhere" not in r.text and '<a class="button" href="/">Go to the home page</a>' in r.text


def test_wrong_method_is_explained(client: TestClient) -> None:
    r = client.get("/data/delete")
    assert r.status_code == 405
    assert "cannot be used that way" in r.text


def test_internal_error_page_hides_the_traceback(settings: Settings) -> None:
    app = create_app(settings)

    def boom() -> None:
        raise RuntimeError("internal detail 1234")

    app.add_api_route("/boom", boom)
    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500
    assert "Something went wrong" in r.text
    assert "internal detail 1234" not in r.text
    app.state.workspace.close()


def test_oversized_body_is_refused_before_it_is_read(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", max_upload_mb=1)
    with client_for(settings) as c:
        big = b"x" * (2 * 1024 * 1024)
        r = c.post("/data/export", files={"file": ("big.bin", big, "application/octet-stream")},
                   data={"runner": "default"})
        assert r.status_code == 413
        assert "larger than the 1 MB limit" in r.text
        assert "nothing was stored" in r.text


def test_oversized_body_without_length_is_stopped_while_streaming(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", max_upload_mb=1)
    with client_for(settings) as c:
        def chunks() -> Iterator[bytes]:
            for _ in range(40):
                yield b"y" * (64 * 1024)

        r = c.post("/data/export", content=chunks(),
                   headers={"content-type": "application/x-www-form-urlencoded"})
        assert r.status_code == 413
        assert "larger than the 1 MB limit" in r.text


def test_export_needs_confirmation_then_returns_a_zip(client: TestClient) -> None:
    client.post("/runner", data={"new_runner": "Ann"})
    page = client.get("/data").text
    assert '<label for="export-confirm">' in page and '<label for="confirm-name">' in page
    assert "Delete everything for Ann" in page
    r = client.post("/data/export", data={"runner": "Ann"})
    assert r.status_code == 400
    assert "not confirmed" in r.text
    r = client.post("/data/export", data={"runner": "Ann", "confirm": "yes"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    assert 'filename="backstride-Ann-' in r.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(r.content))
    assert {"data.json", "README.txt"} <= set(archive.namelist())
    doc = json.loads(archive.read("data.json"))
    assert doc["runner"]["name"] == "Ann"


def test_export_for_a_profile_other_than_the_chosen_one_is_refused(client: TestClient) -> None:
    client.post("/runner", data={"new_runner": "Ann"})
    r = client.post("/data/export", data={"runner": "Bob", "confirm": "yes"})
    assert r.status_code == 400
    assert "another profile" in r.text


def test_delete_needs_the_typed_name(client: TestClient) -> None:
    client.post("/runner", data={"new_runner": "Ann"})
    r = client.post("/data/delete", data={"runner": "Ann", "confirm_name": "ann"})
    assert r.status_code == 400
    # the Data page again, with the message by the field (not an error page)
    assert "Nothing was deleted" in r.text and "You typed “ann”" in r.text
    assert "<h1>Your data</h1>" in r.text and 'aria-invalid="true"' in r.text
    r = client.post("/data/delete", data={"runner": "Ann", "confirm_name": ""})
    assert r.status_code == 400 and "Type the profile name “Ann” to confirm" in r.text
    assert "Ann" in client.get("/").text
    r = client.post("/data/delete", data={"runner": "Ann", "confirm_name": "Ann"})
    assert r.status_code == 200
    assert "are gone" in r.text
    ws = ws_of(client)
    assert "Ann" not in ws.list_runners()
    assert client.cookies.get("backstride_runner") is None


def test_posts_from_other_sites_are_refused(client: TestClient) -> None:
    client.post("/runner", data={"new_runner": "Ann"})
    for origin in ("http://evil.example", "null"):
        r = client.post("/data/delete", data={"runner": "Ann", "confirm_name": "Ann"}, headers={"origin": origin})
        assert r.status_code == 403
        assert "did not act on it" in r.text
    assert "Ann" in ws_of(client).list_runners()
    r = client.post("/runner", data={"new_runner": "Bob"}, headers={"origin": "http://127.0.0.1"})
    assert r.status_code == 200


def test_other_host_names_are_refused_on_loopback(client: TestClient) -> None:
    r = client.get("/", headers={"host": "rebound.example:8421"})
    assert r.status_code == 421
    assert "only answers at http://127.0.0.1" in r.text
    assert client.get("/", headers={"host": "localhost:8421"}).status_code == 200
    assert client.get("/", headers={"host": "[::1]:8421"}).status_code == 200


def test_any_host_name_when_serving_the_network(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", host="0.0.0.0"))
    with TestClient(app, base_url="http://192.168.1.20:8421") as c:
        assert c.get("/").status_code == 200
    app.state.workspace.close()


def test_favicon_and_manifest_let_a_phone_add_the_app(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    body = manifest.json()
    assert body["start_url"] == "/today" and body["display"] == "standalone"
    for entry in body["icons"]:
        assert client.get(entry["src"]).status_code == 200
    page = client.get("/today").text
    assert 'rel="manifest"' in page and 'rel="icon"' in page


def test_phone_menu_puts_the_daily_pages_first(client: TestClient) -> None:
    page = client.get("/").text
    phone = page[page.index('class="nav-phone"'):]
    before_menu = phone[:phone.index("<summary>More</summary>")]
    assert 'href="/today"' in before_menu and 'href="/plan"' in before_menu
    assert 'href="/data"' not in before_menu and 'href="/data"' in phone

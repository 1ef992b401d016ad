"""Published definitions over the API, and publishing rules."""

import shutil
from pathlib import Path

import pytest

from app.checklists import services
from app.errors import Conflict
from tests.helpers import assert_problem

URL = "/api/v1/checklists/uu-bolig/versions/1"


def test_list_and_fetch_the_published_checklist(as_role):
    inspector = as_role("inspector")
    listed = inspector.get("/api/v1/checklists").get_json()
    assert {"key": "uu-bolig", "version": 1}.items() <= listed[0].items()
    response = inspector.get(URL)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_json()
    items = {i["id"]: i for s in body["sections"] for i in s["items"]}
    door = items["entrance.door_clear_width_mm"]
    assert door["unit"] == "mm" and door["requirement"]["min"]
    assert door["severity"]["wheelchair_manual"] >= 3
    assert len(items) >= 120


def test_etag_and_304(as_role):
    inspector = as_role("inspector")
    etag = inspector.get(URL).headers["ETag"]
    cached = inspector.get(URL, headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.headers["ETag"] == etag
    assert inspector.get(URL, headers={"If-None-Match": '"other"'}).status_code == 200


def test_unknown_version_is_404(as_role):
    assert_problem(as_role("inspector").get("/api/v1/checklists/uu-bolig/versions/99"), 404)


def test_catalogue_endpoints(as_role):
    officer = as_role("allocation_officer")
    limitations = officer.get("/api/v1/limitations").get_json()
    assert len(limitations) == 13
    profiles = officer.get("/api/v1/profiles").get_json()
    assert profiles["tolerance"] == 4
    assert {p["key"] for p in profiles["profiles"]} >= {"senior", "old_senior"}
    measures = officer.get("/api/v1/measures").get_json()["measures"]
    assert all(m["ns3451"] and m["cost"]["typical"] > 0 for m in measures)


def test_signed_in_only(client):
    for url in ("/api/v1/checklists", URL, "/api/v1/limitations", "/api/v1/measures"):
        assert_problem(client.get(url), 401)


@pytest.fixture
def definitions(app, tmp_path):
    target = tmp_path / "checklists"
    shutil.copytree(Path(app.config["CHECKLISTS_PATH"]), target)
    return target


def test_publishing_the_same_content_again_is_a_no_op(app, definitions):
    path = definitions / "uu-bolig" / "v1.yaml"
    path.write_text("# a new comment only\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    outcomes = services.publish(definitions)
    assert {o.status for o in outcomes} == {"unchanged"}


def test_changed_content_under_a_published_version_is_refused(app, definitions):
    path = definitions / "profiles.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("tolerance: 4", "tolerance: 3"),
        encoding="utf-8",
    )
    with pytest.raises(Conflict) as error:
        services.publish(definitions)
    assert "profiles.yaml" in error.value.detail and "nytt versjonsnummer" in error.value.detail


def test_new_version_is_published_and_becomes_current(app, definitions):
    path = definitions / "profiles.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("version: 2", "version: 3", 1).replace("tolerance: 4", "tolerance: 2"),
        encoding="utf-8",
    )
    outcomes = {o.file_name: o.status for o in services.publish(definitions)}
    assert outcomes["profiles.yaml"] == "published"
    assert services.catalogue().profiles.tolerance == 2
    assert services.catalogue(profiles_version=2).profiles.tolerance == 4

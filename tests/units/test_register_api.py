"""Buildings and units over the API: roles, filters, pagination, ETag/If-Match."""

import pytest

from tests.helpers import assert_problem


@pytest.fixture
def manager(as_role):
    return as_role("facility_manager")


def make_building(caller, **fields):
    body = {"address": "Storgata 1", "district": "Sentrum", "postal_code": "1771", **fields}
    response = caller.post("/api/v1/buildings", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def make_unit(caller, building, **fields):
    body = {"building_id": building["id"], "unit_number": "H0101", "rooms": 3, "bedrooms": 2}
    response = caller.post("/api/v1/units", json={**body, **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_create_and_read_unit_derives_floor(manager):
    building = make_building(manager)
    unit = make_unit(manager, building, unit_number="h0302")
    assert unit["unit_number"] == "H0302"
    assert unit["floor"] == 3
    assert unit["status"] == "let"
    read = manager.get(f"/api/v1/units/{unit['id']}")
    assert read.get_json()["address"] == "Storgata 1"
    assert read.headers["ETag"]


def test_invalid_unit_number_and_district_are_named(manager):
    building = make_building(manager)
    body = assert_problem(
        manager.post("/api/v1/units", json={"building_id": building["id"], "unit_number": "X12"}),
        422,
    )
    assert "unit_number" in body["errors"]
    body = assert_problem(
        manager.post("/api/v1/buildings", json={"address": "A 1", "district": "Atlantis"}), 422
    )
    assert "district" in body["errors"]


def test_unit_number_unique_within_building(manager):
    building = make_building(manager)
    make_unit(manager, building)
    response = manager.post(
        "/api/v1/units", json={"building_id": building["id"], "unit_number": "H0101"}
    )
    assert_problem(response, 409)


def test_bedrooms_cannot_exceed_rooms(manager):
    building = make_building(manager)
    response = manager.post(
        "/api/v1/units",
        json={"building_id": building["id"], "unit_number": "H0101", "rooms": 1, "bedrooms": 3},
    )
    assert "bedrooms" in assert_problem(response, 422)["errors"]


def test_patch_with_if_match(manager):
    building = make_building(manager)
    unit = make_unit(manager, building)
    url = f"/api/v1/units/{unit['id']}"
    etag = manager.get(url).headers["ETag"]
    ok = manager.patch(url, json={"status": "vacant"}, headers={"If-Match": etag})
    assert ok.status_code == 200
    assert ok.get_json()["status"] == "vacant"
    assert ok.headers["ETag"] != etag
    stale = manager.patch(url, json={"status": "let"}, headers={"If-Match": etag})
    body = assert_problem(stale, 412)
    assert body["current"]["status"] == "vacant"
    assert stale.headers["ETag"] == ok.headers["ETag"]


def test_filters_sorting_and_pagination(manager):
    a = make_building(manager, address="Storgata 1", district="Sentrum")
    b = make_building(manager, address="Iddeveien 5", district="Idd", postal_code="1778")
    make_unit(manager, a, unit_number="H0101", rooms=2, bedrooms=1, status="vacant")
    make_unit(manager, a, unit_number="H0201", rooms=4, bedrooms=3, status="let")
    make_unit(manager, b, unit_number="H0101", rooms=3, bedrooms=2, status="vacant")

    def ids(query):
        response = manager.get(f"/api/v1/units?{query}")
        assert response.status_code == 200, response.get_json()
        return [(u["address"], u["unit_number"]) for u in response.get_json()]

    assert ids("district=Idd") == [("Iddeveien 5", "H0101")]
    assert ids("status=vacant&sort=address") == [
        ("Iddeveien 5", "H0101"),
        ("Storgata 1", "H0101"),
    ]
    assert ids("min_bedrooms=2&sort=-bedrooms") == [
        ("Storgata 1", "H0201"),
        ("Iddeveien 5", "H0101"),
    ]
    assert ids("q=storgata") == [("Storgata 1", "H0101"), ("Storgata 1", "H0201")]
    page = manager.get("/api/v1/units?page=2&page_size=2")
    assert len(page.get_json()) == 1
    assert '"total": 3' in page.headers["X-Pagination"]
    assert_problem(manager.get("/api/v1/units?status=sold"), 422)


@pytest.mark.parametrize("role", ["inspector", "allocation_officer"])
def test_readers_cannot_write(as_role, manager, role):
    building = make_building(manager)
    caller = as_role(role)
    assert caller.get("/api/v1/units").status_code == 200
    assert caller.get(f"/api/v1/buildings/{building['id']}").status_code == 200
    assert_problem(caller.post("/api/v1/buildings", json={"address": "x", "district": "Idd"}), 403)
    assert_problem(caller.patch(f"/api/v1/buildings/{building['id']}", json={"notes": "x"}), 403)
    assert_problem(caller.post("/api/v1/units/import"), 403)


def test_unknown_unit_is_404(manager):
    assert_problem(manager.get("/api/v1/units/999999"), 404)


def test_search_finds_words_anywhere_and_unit_numbers(manager):
    a = make_building(manager, address="Storgata 12B")
    b = make_building(manager, address="Nedre Storgata 3")
    make_unit(manager, a, unit_number="H0101")
    make_unit(manager, b, unit_number="H0202")

    def found(q):
        return [u["address"] for u in manager.get(f"/api/v1/units?q={q}").get_json()]

    # the address that starts with the word first, then the others with it anywhere
    assert found("storgata") == ["Storgata 12B", "Nedre Storgata 3"]
    assert found("STORGATA 12 b") == ["Storgata 12B"]
    assert found("nedre storgata") == ["Nedre Storgata 3"]
    assert found("storgata nedre") == ["Nedre Storgata 3"]
    assert found("gata") == ["Nedre Storgata 3", "Storgata 12B"]
    assert found("h0202") == ["Nedre Storgata 3"]
    assert found("storgata h0101") == ["Storgata 12B"]
    assert found("storgata h0303") == []


def test_building_type_is_one_of_the_known_types(manager):
    building = make_building(manager)
    url = f"/api/v1/buildings/{building['id']}"
    etag = manager.get(url).headers["ETag"]
    bad = manager.patch(url, json={"building_type": "slott"}, headers={"If-Match": etag})
    assert "building_type" in assert_problem(bad, 422)["errors"]
    ok = manager.patch(url, json={"building_type": "care_housing"}, headers={"If-Match": etag})
    assert ok.status_code == 200 and ok.get_json()["building_type"] == "care_housing"

"""Address search: any words, any order, anywhere in a word, with the unit number; the terms
follow every way a building is written (API, import)."""

import io

import pytest
from sqlalchemy import delete, event, func, insert, select

from app.assessments import listing
from app.extensions import db
from app.timeutil import utcnow
from app.units.models import AddressTerm, Building, BuildingUnitCount, Unit
from app.units.search_terms import parse_query, starting_with, terms_of
from tests.factories import make_unit


def test_terms_hold_every_suffix_but_house_numbers_whole():
    terms = terms_of("Asakveien 15 B", "Halden", "Tistedal")
    assert {"asakveien", "veien", "en", "15b", "tistedal", "halden"} <= terms
    assert "5b" not in terms and "n" not in terms


def test_query_splits_words_and_the_unit_number():
    assert parse_query("Asakveien 15 H0102") == (["asakveien", "15"], "H0102")
    assert parse_query("h0102  Tistedal") == (["tistedal"], "H0102")
    assert parse_query("veien, veien") == (["veien"], None)
    assert parse_query("  ") == ([], None)


def test_a_prefix_range_holds_exactly_the_words_that_start_with_it():
    low, high = starting_with("veien")
    assert (low, high) == ("veien", "veieo")
    inside = ["veien", "veiene", "veien\uffff", "veien\U0010ffff"]
    outside = ["veie", "veieo", "veiem", "veif"]
    assert all(low <= word < high for word in inside)
    assert not any(low <= word < high for word in outside)
    assert starting_with("\ud7ff")[1] == "\ue000"  # no surrogate in a query


def found(caller, q):
    response = caller.get("/api/v1/units", query_string={"q": q})
    assert response.status_code == 200, response.get_json()
    return [(u["address"], u["unit_number"]) for u in response.get_json()]


def test_the_searches_from_the_field(as_role):
    officer = as_role("allocation_officer")
    make_unit(address="Asakveien 15", district="Tistedal", floor=1)
    make_unit(address="Asakveien 115", district="Berg", floor=1)
    make_unit(address="Storgata 2", district="Sentrum", floor=1)
    assert found(officer, "veien") == [("Asakveien 115", "H0101"), ("Asakveien 15", "H0101")]
    assert found(officer, "Asakveien 15 H0101") == [("Asakveien 15", "H0101")]
    assert found(officer, "H0101 Tistedal") == [("Asakveien 15", "H0101")]
    assert found(officer, "15 asakveien") == [("Asakveien 15", "H0101")]
    assert found(officer, "asakveien 15 h0201") == []
    assert found(officer, "ukjentveien") == []
    assert found(officer, "%") == [] and found(officer, "_") == []


def test_terms_follow_an_address_change_and_an_import(as_role):
    manager = as_role("facility_manager")
    unit = make_unit(address="Gamleveien 1")
    building_id = unit.building_id
    response = manager.patch(f"/api/v1/buildings/{building_id}", json={"address": "Nyveien 1"})
    assert response.status_code == 200, response.get_json()
    assert found(manager, "gamle") == []
    assert found(manager, "nyveien") == [("Nyveien 1", "H0101")]
    csv = (
        "FDV-id;Adresse;Postnr;Poststed;Bydel;Bruksenhetsnummer;"
        "Antall rom;Soverom;BRA;Heis;Status\n"
        "E77;Importgata 7;1771;Halden;Idd;H0101;2;1;40;nei;ledig\n"
    )
    imported = manager.post(
        "/api/v1/units/import",
        data={"file": (io.BytesIO(csv.encode()), "register.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 200, imported.get_json()
    assert found(manager, "portgata 7") == [("Importgata 7", "H0101")]
    count = db.session.scalar(
        select(func.count()).select_from(AddressTerm).where(AddressTerm.building_id == building_id)
    )
    assert count == len(terms_of("Nyveien 1", None, "Sentrum"))


@pytest.mark.parametrize("walk_from", [0, 10**9], ids=["walk", "find-then-sort"])
def test_search_pages_run_on_across_the_ranked_part(as_role, monkeypatch, walk_from):
    """Pages are read from two parts (address starts with the word, then the rest); paged
    through in any page size they give the one ranked list, every unit once, whether the
    page walks the address index (many matches) or sorts what the term index finds."""
    monkeypatch.setattr(listing, "WALK_FROM", walk_from)
    officer = as_role("allocation_officer")
    for address in ("Nedre Storgata 3", "Storgata 9", "Øvre Storgata 1", "Storgata 2"):
        for floor in (1, 2):
            make_unit(address=address, floor=floor)
    ranked = [
        ("Storgata 2", "H0101"),
        ("Storgata 2", "H0201"),
        ("Storgata 9", "H0101"),
        ("Storgata 9", "H0201"),
        ("Nedre Storgata 3", "H0101"),
        ("Nedre Storgata 3", "H0201"),
        ("Øvre Storgata 1", "H0101"),
        ("Øvre Storgata 1", "H0201"),
    ]
    assert found(officer, "storgata") == ranked
    for size in (1, 3, 4, 5):
        listed, page = [], 1
        while True:
            query = {"q": "storgata", "page": page, "page_size": size}
            response = officer.get("/api/v1/units", query_string=query)
            assert '"total": 8' in response.headers["X-Pagination"]
            rows = [(u["address"], u["unit_number"]) for u in response.get_json()]
            if not rows:
                break
            listed += rows
            page += 1
        assert listed == ranked, size
    assert found(officer, "storgata h0201") == ranked[1::2]
    assert found(officer, "h0101 gata") == [ranked[4], ranked[0], ranked[2], ranked[6]]
    assert found(officer, "h0201") == [ranked[5], ranked[1], ranked[3], ranked[7]]
    backwards = officer.get("/api/v1/units", query_string={"q": "storgata", "sort": "-address"})
    listed = [(u["address"], u["unit_number"]) for u in backwards.get_json()]
    assert listed == sorted(ranked, key=lambda row: (row[0].lower(), row[1]), reverse=True)


def test_a_page_holding_every_match_reads_no_further_part(as_role):
    """When the units ranked first are all the matches, the page ends there: the other part
    (whose condition no index serves) is not read."""
    officer = as_role("allocation_officer")
    for address in ("Storgata 9", "Nedre Storgata 3"):
        make_unit(address=address, floor=1)
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "FROM units" in statement and "count(" not in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert found(officer, "storgata 9") == [("Storgata 9", "H0101")]
        assert len(statements) == 1
        statements.clear()
        assert len(found(officer, "storgata")) == 2
        assert len(statements) == 2  # the ranked part ends inside the page: the rest is read
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def add_unit(building_id: int, floor: int) -> Unit:
    unit = Unit(building_id=building_id, unit_number=f"H{floor:02d}01", floor=floor)
    db.session.add(unit)
    db.session.commit()
    return unit


def unit_counts() -> dict[int, tuple[int, int]]:
    """Per building: (the count the database keeps, the units counted)."""
    kept = dict.fromkeys(db.session.scalars(select(Building.id)), 0)
    kept |= dict(
        db.session.execute(select(BuildingUnitCount.building_id, BuildingUnitCount.units)).all()
    )
    by_building = select(Unit.building_id, func.count()).group_by(Unit.building_id)
    counted = dict(db.session.execute(by_building).all())
    return {b: (kept[b], counted.get(b, 0)) for b in kept}


def test_the_database_keeps_each_buildings_unit_count_however_units_are_written(as_role):
    """Search totals sum the buildings' unit counts: every way of writing units keeps them
    (the ORM, a bulk insert as the demo and the import make, a move, a delete)."""
    manager = as_role("facility_manager")
    first = make_unit(address="Tellegata 1", floor=1).building_id
    second_unit = make_unit(address="Tellegata 2", floor=1)
    second = second_unit.building_id
    add_unit(first, 2)
    db.session.execute(
        insert(Unit),
        [
            {"building_id": second, "unit_number": n, "ownership": "owned"}
            | {"status": "vacant", "version": 1, "created_at": utcnow(), "updated_at": utcnow()}
            for n in ("H0201", "H0301")
        ],
    )
    db.session.commit()
    assert unit_counts()[first] == (2, 2)
    assert unit_counts()[second] == (3, 3)
    moved = manager.patch(
        f"/api/v1/units/{second_unit.id}",
        json={"building_id": first, "unit_number": "H0501"},
        headers={"If-Match": manager.get(f"/api/v1/units/{second_unit.id}").headers["ETag"]},
    )
    assert moved.status_code == 200, moved.get_json()
    db.session.expire_all()
    assert unit_counts()[first] == (3, 3)
    assert unit_counts()[second] == (2, 2)
    db.session.execute(delete(Unit).where(Unit.building_id == second))
    db.session.commit()
    assert all(kept == counted for kept, counted in unit_counts().values())
    assert unit_counts()[second] == (0, 0)


def test_search_totals_are_the_units_found(as_role):
    """The total of a search by words (summed unit counts) equals the units listed, with
    and without a district, and with a unit number (counted unit by unit)."""
    officer = as_role("allocation_officer")
    for address, district, floors in (
        ("Asakveien 15", "Tistedal", 3),
        ("Asakveien 17", "Berg", 2),
        ("Rødsveien 4", "Tistedal", 1),
        ("Storgata 2", "Sentrum", 2),
    ):
        building_id = make_unit(address=address, district=district, floor=1).building_id
        for floor in range(2, floors + 1):
            add_unit(building_id, floor)
    for query, expected in (
        ({"q": "veien"}, 6),
        ({"q": "veien", "district": "Tistedal"}, 4),
        ({"q": "asak 15"}, 3),
        ({"q": "veien h0101"}, 3),
        ({"q": "ukjent"}, 0),
    ):
        response = officer.get("/api/v1/units", query_string=query | {"page_size": 100})
        assert response.status_code == 200, response.get_json()
        assert len(response.get_json()) == expected, query
        assert f'"total": {expected}' in response.headers["X-Pagination"], query

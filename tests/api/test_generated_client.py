"""Contract test: a client generated from the served OpenAPI document drives one whole flow
against a live server. A change to the API that the document does not tell (a renamed field,
another body shape, a missing response schema) breaks this test.

Flow: create a building and a unit, an inspection, sync answers, upload a real photo, submit
(inspector), approve (a facility manager: four eyes), read the unit's accessibility, register
a household and read its matches; meanwhile a subscribed receiver on 127.0.0.1 gets the
approval, signed, once per delivery id, within seconds."""

from __future__ import annotations

import importlib
import io
import time
import uuid

import pytest

from tests.api.generated_client import PASSWORD
from tests.factories import jpeg_bytes
from tests.webhooks.receiver import Receiver


def parsed(response, status=(200, 201)):
    """The typed body of a successful call (fails with the problem document otherwise)."""
    assert response.status_code in (status if isinstance(status, tuple) else (status,)), (
        response.status_code,
        response.content[:2000],
    )
    return response.parsed


@pytest.fixture(scope="module")
def api(client_package):
    """The generated modules by short name: api("inspections.post_api_v1_inspections")."""

    def module(name: str):
        return importlib.import_module(f"{client_package.__name__}.api.{name}")

    return module


@pytest.fixture(scope="module")
def clients(live_server, client_package, api):
    """One authenticated generated client per role, signed in with a bearer token that the
    generated client itself asked for."""
    models = client_package.models
    anonymous = client_package.Client(base_url=live_server.url)
    out = {}
    for role in ("admin", "inspector", "facility_manager", "allocation_officer"):
        body = models.TokenRequest(
            name="integrasjonstest", email=f"{role}@klient.kommune.no", password=PASSWORD
        )
        token = parsed(
            api("auth.post_api_v1_auth_tokens").sync_detailed(client=anonymous, body=body)
        )
        out[role] = client_package.AuthenticatedClient(base_url=live_server.url, token=token.token)
    return out


def test_the_served_document_generates_a_client(client_package):
    assert hasattr(client_package.models, "PhotoUpload")
    assert hasattr(client_package.models, "UnitAccessibility")
    assert hasattr(client_package.models, "Matches")


def test_whole_flow_through_the_generated_client(live_server, client_package, api, clients):
    models = client_package.models
    types = importlib.import_module(f"{client_package.__name__}.types")
    admin, inspector = clients["admin"], clients["inspector"]
    manager, officer = clients["facility_manager"], clients["allocation_officer"]

    receiver = Receiver()
    try:
        subscription = parsed(
            api("webhooks.post_api_v1_webhooks").sync_detailed(
                client=admin,
                body=models.SubscriptionInput(
                    url=receiver.url,
                    events=[models.SubscriptionInputEventsItem("assessment.approved")],
                ),
            )
        )
        assert subscription.secret.startswith("whsec_")

        building = parsed(
            api("buildings.post_api_v1_buildings").sync_detailed(
                client=manager,
                body=models.Building(
                    address=f"Kontraktveien {uuid.uuid4().hex[:4]}",
                    district="Sentrum",
                    postal_code="1771",
                    storeys=3,
                    has_lift=True,
                ),
            )
        )
        unit = parsed(
            api("units.post_api_v1_units").sync_detailed(
                client=manager,
                body=models.Unit(
                    building_id=building.id,
                    unit_number="H0101",
                    floor=1,
                    rooms=3,
                    bedrooms=2,
                    status=models.UnitStatus.VACANT,
                ),
            )
        )

        inspection_id = uuid.uuid4()  # the device's UUID, as offline
        created = parsed(
            api("inspections.post_api_v1_inspections").sync_detailed(
                client=inspector,
                body=models.InspectionCreate(
                    unit_id=unit.id, id=inspection_id, checklist_version=1
                ),
            )
        )
        assert created.id == inspection_id

        with live_server.app.app_context():
            from tests.factories import passing_answers

            answers = [models.AnswerIn.from_dict(a) for a in passing_answers()]
        synced = parsed(
            api("inspections.put_api_v1_inspections_inspection_id_answers").sync_detailed(
                inspection_id, client=inspector, body=models.AnswerBatch(answers=answers)
            )
        )
        assert {o.outcome.value for o in synced.outcomes} == {"saved"}

        photo = parsed(
            api("photos.post_api_v1_inspections_inspection_id_photos").sync_detailed(
                inspection_id,
                client=inspector,
                body=models.PhotoUpload(
                    id=uuid.uuid4(),
                    file=types.File(
                        payload=io.BytesIO(jpeg_bytes()),
                        file_name="inngang.jpg",
                        mime_type="image/jpeg",
                    ),
                    item_id="entrance.door_clear_width_mm",
                    caption="Inngangsdøren",
                ),
            ),
            status=201,
        )
        assert photo.width == 640 and photo.item_id == "entrance.door_clear_width_mm"

        submitted = parsed(
            api("inspections.post_api_v1_inspections_inspection_id_submit").sync_detailed(
                inspection_id, client=inspector
            )
        )
        assert submitted.status.value == "submitted"
        # Four eyes: the inspector may not approve; a facility manager does.
        refused = api("inspections.post_api_v1_inspections_inspection_id_approve").sync_detailed(
            inspection_id, client=inspector
        )
        assert refused.status_code == 403 and isinstance(refused.parsed, models.Problem)
        approved_at = time.monotonic()
        approved = parsed(
            api("inspections.post_api_v1_inspections_inspection_id_approve").sync_detailed(
                inspection_id, client=manager
            )
        )
        assert approved.status.value == "approved"

        accessibility = parsed(
            api("assessments.get_api_v1_units_unit_id_accessibility").sync_detailed(
                unit.id, client=officer
            )
        )
        assert isinstance(accessibility, models.UnitAccessibility)
        assert accessibility.assessed is True
        assert accessibility.inspection_id == str(inspection_id)
        wheelchair = accessibility.limitations["wheelchair_manual"]
        assert wheelchair.class_.value == "suitable" and wheelchair.barriers == []
        assert "wheelchair_manual" in accessibility.suits.limitations

        applicant = parsed(
            api("applicants.post_api_v1_applicants").sync_detailed(
                client=officer,
                body=models.Applicant(
                    case_reference=f"2026/{uuid.uuid4().hex[:6]}",
                    household=models.Household(adults=1),
                    needs=[models.Need(limitation="wheelchair_manual")],
                    min_bedrooms=1,
                    districts=["Sentrum"],
                ),
            )
        )
        matches = parsed(
            api("applicants.get_api_v1_applicants_applicant_id_matches").sync_detailed(
                applicant.id, client=officer
            )
        )
        assert isinstance(matches, models.Matches)
        assert matches.applicant_id == applicant.id and matches.total >= 1
        best = {m.unit_id: m for m in matches.matches}[unit.id]
        assert best.needs["wheelchair_manual"].class_.value == "suitable"
        assert best.reasons

        # The approval reached the receiver, signed, within seconds, once per delivery id.
        deliveries = [r for r in receiver.wait_for(1, timeout=10) if r.json["type"]]
        assert deliveries, "no webhook within 10 s"
        assert time.monotonic() - approved_at < 10
        approval = deliveries[0]
        assert approval.json["type"] == "assessment.approved"
        assert approval.json["data"]["inspection_id"] == str(inspection_id)
        assert approval.verifies(subscription.secret)
        time.sleep(1.5)  # a second dispatcher poll: nothing is sent again
        ids = [r.id for r in receiver.received]
        assert len(ids) == len(set(ids)) == 1

        log = parsed(
            api("webhooks.get_api_v1_webhooks_subscription_id_deliveries").sync_detailed(
                subscription.id, client=admin
            )
        )
        assert [(d.event, d.status.value) for d in log] == [("assessment.approved", "delivered")]
    finally:
        receiver.close()

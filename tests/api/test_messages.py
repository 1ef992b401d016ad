"""Validation messages reach users in Norwegian (English only when asked for)."""

from app.api.messages import translate
from tests.helpers import assert_problem


def test_library_messages_are_norwegian_by_default(as_role):
    officer = as_role("allocation_officer")
    body = {"household": {"adults": "to"}, "min_bedrooms": 99, "surprise": 1}
    problem = assert_problem(officer.post("/api/v1/applicants", json=body), 422)
    errors = problem["errors"]
    assert errors["case_reference"] == ["Feltet må fylles ut."]
    assert errors["surprise"] == ["Ukjent felt."]
    assert errors["min_bedrooms"][0].startswith("Må være")
    english = officer.post("/api/v1/applicants", json=body, headers={"Accept-Language": "en"})
    assert english.get_json()["errors"]["case_reference"] == ["Missing data for required field."]


def test_units_query_messages(as_role):
    problem = assert_problem(as_role("facility_manager").get("/api/v1/units?status=sold"), 422)
    assert problem["errors"]["status"] == [
        "Må være en av: vacant, reserved, let, renovation, inactive."
    ]


def test_translate_patterns_and_unknown_text():
    assert translate("Length must be between 1 and 200.") == "Lengden må være mellom 1 og 200 tegn."
    assert translate("Must be greater than or equal to 0 and less than or equal to 15.") == (
        "Må være fra og med 0 til og med 15."
    )
    assert translate("Ukjent bydel/krets.") == "Ukjent bydel/krets."

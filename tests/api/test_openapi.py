"""The served OpenAPI document is a valid OpenAPI 3 contract and says what is really sent."""

import json

from openapi_spec_validator import OpenAPIV30SpecValidator

from tests.factories import make_unit


def test_served_document_is_valid_openapi_3(client):
    spec = client.get("/api/openapi.json").get_json()
    errors = [
        f"{'/'.join(map(str, e.path))}: {e.message[:200]}"
        for e in OpenAPIV30SpecValidator(spec).iter_errors()
    ]
    assert not errors, "\n".join(errors)


def test_no_openapi_2_constructs(client):
    spec = client.get("/api/openapi.json").get_json()
    locations = {
        parameter.get("in")
        for path in spec["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
        for parameter in operation.get("parameters", [])
    }
    assert locations <= {"path", "query", "header", "cookie"}, locations


def test_photo_upload_fields_are_in_the_multipart_body(client):
    spec = client.get("/api/openapi.json").get_json()
    upload = spec["paths"]["/api/v1/inspections/{inspection_id}/photos"]["post"]
    body = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    name = body["$ref"].rsplit("/", 1)[-1]
    schema = spec["components"]["schemas"][name]
    assert set(schema["properties"]) == {"id", "item_id", "caption", "file"}
    assert schema["properties"]["file"]["format"] == "binary"
    assert set(schema["required"]) == {"id", "file"}


def test_pagination_header_is_documented_as_the_json_string_it_is(app, as_role):
    caller = as_role("facility_manager")
    make_unit()
    spec = caller.get("/api/openapi.json").get_json()
    header = spec["components"]["headers"]["PAGINATION"]
    assert "schema" not in header
    media = header["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    documented = set(spec["components"]["schemas"][media]["properties"])

    sent = caller.get("/api/v1/units").headers["X-Pagination"]
    metadata = json.loads(sent)  # a string holding a JSON object
    assert isinstance(metadata, dict) and metadata["total"] >= 1
    assert set(metadata) <= documented

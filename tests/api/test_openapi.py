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
    assert set(schema["properties"]) == {"id", "item_id", "instance", "caption", "file"}
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


def test_a_deprecated_operation_is_announced_in_headers_and_document(tmp_path):
    """The versioning policy's tool: Deprecation, Sunset and Link on every answer."""
    from datetime import date

    from flask.views import MethodView

    from app import create_app
    from app.api.smorest import Blueprint

    blp = Blueprint("old", __name__, url_prefix="/api/v1/old")

    @blp.route("")
    class Old(MethodView):
        @blp.public
        @blp.deprecated(since=date(2026, 12, 1), sunset=date(2027, 6, 1), link="/docs/ny")
        @blp.response(200)
        def get(self):
            """An operation on its way out."""
            return {"ok": True}

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.db'}"})
    app.extensions["flask-smorest"]["apis"][""]["ext_obj"].register_blueprint(blp)
    with app.test_client() as client:
        response = client.get("/api/v1/old")
        spec = client.get("/api/openapi.json").get_json()
    assert response.status_code == 200 and response.get_json() == {"ok": True}
    assert response.headers["Deprecation"] == "@1796083200"  # 2026-12-01T00:00:00Z
    assert response.headers["Sunset"] == "Tue, 01 Jun 2027 00:00:00 GMT"
    assert response.headers["Link"] == '</docs/ny>; rel="deprecation"; type="text/html"'
    operation = spec["paths"]["/api/v1/old"]["get"]
    assert operation["deprecated"] is True
    assert operation["summary"] == "An operation on its way out."
    assert not list(OpenAPIV30SpecValidator(spec).iter_errors())

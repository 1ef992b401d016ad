"""The API conventions: problem+json everywhere, OpenAPI, docs, health, headers."""

from app.api import problems
from tests.helpers import assert_problem


def test_unknown_api_route_is_problem_json(client):
    body = assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert body["detail"]


def test_method_not_allowed_is_problem_json_with_allow(client):
    response = client.delete("/api/v1/auth/me")
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_openapi_document(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/auth/login" in spec["paths"]
    me = spec["paths"]["/api/v1/auth/me"]["get"]
    assert {"401", "403"} <= set(me["responses"])
    problem = spec["components"]["responses"]["UNAUTHORIZED"]["content"]
    assert "application/problem+json" in problem
    assert {"cookieAuth", "bearerAuth"} <= set(spec["components"]["securitySchemes"])


def test_interactive_docs_without_cdn(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "http://" not in html and "https://" not in html
    assert "<script>" not in html  # no inline script: CSP stays strict
    for asset in ("/api/docs/assets/swagger-ui-bundle.js", "/api/docs/init.js"):
        with client.get(asset) as response:
            assert response.status_code == 200
    assert_problem(client.get("/api/docs/assets/..%2Fsecret"), 404)


def test_health_and_ready(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["status"] == "ready"


def test_security_headers_on_every_response(client):
    for url in ("/healthz", "/api/v1/nothing", "/api/docs"):
        headers = client.get(url).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self';" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Request-ID"]


def test_english_on_request(client):
    body = assert_problem(client.get("/api/v1/auth/me", headers={"Accept-Language": "en"}), 401)
    assert body["title"] == "Not signed in"
    norwegian = assert_problem(client.get("/api/v1/auth/me"), 401)
    assert norwegian["title"] == "Ikke innlogget"


def test_malformed_json_is_problem(client):
    response = client.post("/api/v1/auth/login", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"


def test_validation_errors_name_fields(client):
    body = assert_problem(client.post("/api/v1/auth/login", json={"email": "a@b.no"}), 422)
    assert "password" in body["errors"]


def test_unexpected_error_is_500_problem_without_trace(app):
    with app.test_request_context("/api/v1/units"):
        response = problems.handle_unexpected(RuntimeError("secret internals"))
    body = assert_problem(response, 500)
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in body["detail"]

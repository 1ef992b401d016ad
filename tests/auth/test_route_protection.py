"""Every registered route declares who may call it; only login, health, docs and spec are open."""

OPEN = {
    "/api/v1/auth/login",
    "/api/v1/auth/tokens",  # takes e-mail + password, or a signed-in caller
    "/healthz",
    "/readyz",
    "/api/openapi.json",
    "/api/docs",
    "/api/docs/assets/<name>",
    "/api/docs/init.js",
    "/",  # the PWA shell, manifest and service worker hold no data
    "/manifest.webmanifest",
    "/sw.js",
}


def _view_functions(app, rule):
    view = app.view_functions[rule.endpoint]
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return {"*": view}
    return {m: getattr(view_class, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_declares_its_roles(app):
    undeclared, public = [], set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static",) or rule.endpoint.endswith(".static"):
            continue
        for method, func in _view_functions(app, rule).items():
            roles = getattr(func, "_auth_roles", None)
            if roles is None and rule.rule == "/api/openapi.json":
                roles = "public"
            if roles is None:
                undeclared.append(f"{method} {rule.rule}")
            elif roles == "public":
                public.add(rule.rule)
    assert not undeclared, f"routes without an auth declaration: {undeclared}"
    assert public <= OPEN, f"unexpectedly open: {public - OPEN}"


def test_protected_routes_answer_401_to_anonymous(app, client):
    for rule in app.url_map.iter_rules():
        if rule.rule in OPEN or not rule.rule.startswith("/api/") or rule.arguments:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(rule.rule, method=method)
            assert response.status_code == 401, f"{method} {rule.rule}"

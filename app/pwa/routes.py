"""The progressive web app: the shell, manifest and service worker. All public: they hold no
data; every API call the app makes is authenticated on its own."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, current_app, render_template, url_for

STATIC = Path(__file__).resolve().parent / "static"
TEMPLATES = STATIC.parent / "templates"

bp = Blueprint(
    "pwa", __name__, static_folder="static", static_url_path="/pwa", template_folder="templates"
)
_fingerprint: dict[str, object] = {}


def shell_assets() -> tuple[str, list[str]]:
    """The static files the service worker precaches, and a version that changes with them."""
    if "version" not in _fingerprint or current_app.debug:
        digest = hashlib.sha256()
        paths = sorted(p for p in STATIC.rglob("*") if p.is_file())
        for path in [*paths, *sorted(TEMPLATES.rglob("*"))]:
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
        _fingerprint["version"] = digest.hexdigest()[:16]
        _fingerprint["assets"] = [f"/pwa/{p.relative_to(STATIC).as_posix()}" for p in paths]
    return _fingerprint["version"], _fingerprint["assets"]


def _public(func):
    func._auth_roles = "public"
    return func


@bp.get("/")
@_public
def shell():
    version, _ = shell_assets()
    response = current_app.make_response(render_template("pwa/shell.html", version=version))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
@_public
def manifest():
    icons = [
        {"src": url_for("pwa.static", filename=f"icons/{name}"), "sizes": size, "type": kind}
        | ({"purpose": purpose} if purpose else {})
        for name, size, kind, purpose in (
            ("icon-192.png", "192x192", "image/png", "any"),
            ("icon-512.png", "512x512", "image/png", "any"),
            ("icon-maskable-512.png", "512x512", "image/png", "maskable"),
        )
    ]
    body = {
        "name": "UU-bolig – universell utforming av kommunale boliger",
        "short_name": "UU-bolig",
        "lang": "nb",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": "#003a70",
        "icons": icons,
    }
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
@_public
def service_worker():
    version, assets = shell_assets()
    body = render_template(
        "pwa/sw.js", version=version, assets=json.dumps(["/", "/manifest.webmanifest", *assets])
    )
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response

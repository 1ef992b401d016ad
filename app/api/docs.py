"""Interactive API docs at /api/docs, served from the bundled Swagger UI (no CDN)."""

from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, render_template, send_from_directory
from werkzeug.exceptions import NotFound

ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
ALLOWED = {"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png"}

bp = Blueprint("api_docs_ui", __name__, url_prefix="/api/docs", template_folder="templates")


@bp.get("")
def page():
    return render_template("api_docs.html")


@bp.get("/assets/<name>")
def asset(name: str):
    if name not in ALLOWED:
        raise NotFound()
    return send_from_directory(ASSETS, name, max_age=86400)


@bp.get("/init.js")
def init_script():
    return send_from_directory(Path(__file__).parent / "static", "docs-init.js", max_age=3600)


page._auth_roles = asset._auth_roles = init_script._auth_roles = "public"

"""The shell, manifest and service worker as served (no browser needed), and the weight
budget: all JavaScript and CSS the app can load, gzipped, at most 150 KB."""

import gzip
import json
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "app" / "pwa" / "static"
BUDGET = 150 * 1024


def get(client, url):
    """GET and close (static files are streamed; an unclosed one warns)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def test_javascript_and_css_fit_the_gzip_budget(live_app):
    client = live_app.app.test_client()
    assets = [p for p in STATIC.rglob("*") if p.suffix in (".js", ".css")]
    assert len(assets) >= 10
    total = 0
    for path in assets:
        url = "/pwa/" + path.relative_to(STATIC).as_posix()
        body = get(client, url).data
        assert body == path.read_bytes()
        total += len(gzip.compress(body, compresslevel=6))
    total += len(gzip.compress(client.get("/sw.js").data, compresslevel=6))
    print(f"JS+CSS gzipped: {total} bytes")
    assert total <= BUDGET, f"{total} bytes gzipped > {BUDGET}"


def test_shell_is_norwegian_and_has_no_inline_script_or_style(live_app):
    response = live_app.app.test_client().get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="nb">' in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script"
    assert "<style" not in html and "style=" not in html
    assert 'rel="manifest"' in html and "Hopp til hovedinnhold" in html


def test_manifest_makes_the_app_installable(live_app):
    client = live_app.app.test_client()
    response = client.get("/manifest.webmanifest")
    manifest = json.loads(response.get_data(as_text=True))
    assert response.mimetype == "application/manifest+json"
    assert manifest["lang"] == "nb" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert get(client, icon["src"]).status_code == 200


def test_service_worker_precaches_every_asset_and_never_the_api(live_app):
    client = live_app.app.test_client()
    response = client.get("/sw.js")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", body).group(1))
    for url in assets:
        assert get(client, url).status_code == 200, url
    assert "/pwa/js/app.js" in assets and "/" in assets
    assert not any(url.startswith("/api/") for url in assets)
    assert 'url.pathname.startsWith("/api/")' in body
    version = re.search(r'const VERSION = "(\w+)"', body).group(1)
    assert f'content="{version}"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/sw.js", "/manifest.webmanifest", "/pwa/js/app.js"])
def test_public_pwa_routes_need_no_sign_in(live_app, path):
    assert get(live_app.app.test_client(), path).status_code == 200

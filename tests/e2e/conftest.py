"""The browser tests' fixtures: one live server and one Chromium per session, and a fresh
phone-sized browser context per test."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.live import CHROMIUM, CHROMIUM_ARGS, PHONE, serve

# Assertions wait as long as actions do (the contexts' 10 s): on a 2-core machine shared with
# another suite a page can take more than Playwright's default 5 s to show, which is load,
# not a defect. A wrong page still fails, only later.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    yield from serve(tmp_path_factory)


@pytest.fixture(scope="session")
def live_browser():
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's Chromium (/usr/bin/chromium) is not installed; apt-get install chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(live_browser, live_app):
    """A fresh phone-sized browser context (own storage, service worker, IndexedDB)."""
    context = live_browser.new_context(
        viewport=PHONE, locale="nb-NO", timezone_id="Europe/Oslo", accept_downloads=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None
        ),
    )
    yield page
    context.close()
    csp = [e for e in errors if "Content Security Policy" in e]
    assert not csp, f"CSP violations: {csp}"


@pytest.fixture(scope="module")
def repeated_live(tmp_path_factory):
    """A live server of the module's own whose newest checklist repeats the bathroom section
    (tests/inspections/repeated_checklist.py): the other browser tests keep the shipped
    checklists."""
    from app.extensions import db
    from tests.inspections.repeated_checklist import publish_repeated_bathroom

    server = serve(tmp_path_factory)
    live = next(server)
    with live.app.app_context():
        publish_repeated_bathroom(live.app, tmp_path_factory.mktemp("repeated"))
        db.session.remove()
    yield live
    next(server, None)


@pytest.fixture
def repeated_phone(live_browser, repeated_live):
    """A fresh phone-sized browser context for the repeated-section server."""
    context = live_browser.new_context(viewport=PHONE, locale="nb-NO", timezone_id="Europe/Oslo")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors

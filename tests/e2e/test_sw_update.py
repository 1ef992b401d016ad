"""Nothing queued is dropped when the service worker updates: answers wait on the device
while the sync is blocked, a new app version is served and taken over with a reload, and
the queue then drains with every answer arriving exactly once."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.e2e.browser_helpers import new_inspection, sign_in, wait_for_service_worker, wait_until

pytestmark = pytest.mark.browser

YES_NO = "access.step_free_route"
GRADIENT = "access.route_gradient_percent"
NEW_VERSION = "e2enyversjon0001"
SYNC = "**/api/v1/inspections/*/answers"


@pytest.fixture
def new_version(live_app):
    """Serve the app under another version from now on (as after a deploy); restore after."""
    from app.pwa import routes

    with live_app.app.app_context():
        old, _ = routes.shell_assets()
    yield old, lambda: routes._fingerprint.__setitem__("version", NEW_VERSION)
    routes._fingerprint.clear()


def test_queue_survives_a_service_worker_update(phone, live_app, new_version):
    page = phone
    old_version, deploy = new_version
    inspection_id = new_inspection(live_app, "update")
    sign_in(page, live_app, "inspector")
    page.get_by_role("button", name=re.compile("Last ned Oppdateringsveien 4")).click()
    wait_for_service_worker(page)
    assert f"uu-shell-{old_version}" in page.evaluate("caches.keys()")

    page.context.route(SYNC, lambda route: route.abort("internetdisconnected"))
    page.locator(f'fieldset[data-item="{YES_NO}"]').get_by_text("Ja", exact=True).click()
    gradient = page.locator(f'fieldset[data-item="{GRADIENT}"]').get_by_label(re.compile("Målt"))
    gradient.fill("4,5")
    gradient.blur()
    expect(page.locator(".sync-summary")).to_contain_text("2 venter på sending")

    deploy()
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    banner = page.locator(".update")
    expect(banner).to_contain_text("En ny versjon av UU-bolig er klar")
    with page.expect_event("load"):
        banner.get_by_role("button", name="Oppdater nå").click()

    heading = page.get_by_role("heading", level=1, name=re.compile("Oppdateringsveien 4"))
    expect(heading).to_be_visible()
    # The new worker controls the page from "activating" on; its activate step deletes the
    # old shell cache, so read the caches once it is "activated" (a wait on the promise of
    # caches.keys() would not wait: a promise is truthy).
    wait_until(page, "() => navigator.serviceWorker.controller?.state === 'activated'")
    caches = page.evaluate("caches.keys()")
    assert f"uu-shell-{NEW_VERSION}" in caches and f"uu-shell-{old_version}" not in caches
    assert page.get_attribute('meta[name="app-version"]', "content") == NEW_VERSION
    expect(page.locator(".sync-summary")).to_contain_text("2 venter på sending")
    assert _server_answers(live_app, inspection_id) == {}

    page.context.unroute(SYNC)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator(".sync-summary")).to_have_text("Alt er sendt.", timeout=15_000)
    assert _server_answers(live_app, inspection_id) == {YES_NO: (True, 1), GRADIENT: (4.5, 1)}


def _server_answers(live, inspection_id):
    """{item_id: (value, number of recorded changes)} for the answers this test gives."""
    from app.inspections.models import Answer, AnswerChange

    def read(db):
        iid = uuid.UUID(inspection_id)
        out = {}
        for item_id in (YES_NO, GRADIENT):
            answer = db.session.scalar(
                select(Answer).where(Answer.inspection_id == iid, Answer.item_id == item_id)
            )
            if answer is None:
                continue
            changes = db.session.scalar(
                select(func.count())
                .select_from(AnswerChange)
                .where(AnswerChange.inspection_id == iid, AnswerChange.item_id == item_id)
            )
            out[item_id] = (answer.value, changes)
        return out

    return live.query(read)

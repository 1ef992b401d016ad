"""Re-inspection started with no network from a cold start: the unit and its last approved
answers were downloaded beforehand, the carried answers show the previous value and are
confirmed with one tap per section, and on sync exactly one inspection arrives on the server."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.browser_helpers import (
    assert_accessible_light_and_dark,
    screenshot,
    sign_in,
    wait_for_service_worker,
)

pytestmark = pytest.mark.browser

ROUTE = "access.step_free_route"


def _inspections(live, unit_key):
    """(id, status, what a submit would still refuse) of the unit's open inspections."""
    from app.inspections import services
    from app.inspections.models import Inspection
    from app.inspections.photos.services import photo_items

    def read(db):
        rows = db.session.scalars(
            select(Inspection).where(
                Inspection.unit_id == live.units[unit_key], Inspection.status != "approved"
            )
        ).all()
        return [
            (str(r.id), r.status, services.missing_report(r, photo_items(r))["count"]) for r in rows
        ]

    return live.query(read)


def test_offline_reinspection_from_cold_arrives_once(phone, live_app):
    page = phone
    sign_in(page, live_app, "inspector")
    start = page.get_by_role("button", name=re.compile("Start befaring: Gjensynsveien 6"))
    expect(start).to_be_visible()  # the inspector's unit, downloaded with its last answers
    wait_for_service_worker(page)

    phone.context.set_offline(True)
    page.reload()  # cold: the shell, the unit and its answers come from the device alone
    expect(page.locator("#net-state")).to_contain_text("Frakoblet")
    assert_accessible_light_and_dark(page, "Mine befaringer (frakoblet)")
    screenshot(page, "befarer-start-uten-nett")
    page.get_by_role("button", name=re.compile("Start befaring: Gjensynsveien 6")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Gjensynsveien 6"))).to_be_visible()
    local_id = re.search(r"#/befaring/([\w-]+)", page.url).group(1)
    uuid.UUID(local_id)  # the device's own UUID
    expect(page.locator(".sync")).to_contain_text("opprettes på serveren når du er på nett")

    route = page.locator(f'fieldset[data-item="{ROUTE}"]')
    expect(route).to_have_attribute("data-status", "carried_over")
    expect(route.locator(".previous-value")).to_have_text("Forrige: Ja")
    expect(route.get_by_label("Ja", exact=True)).to_be_checked()
    assert_accessible_light_and_dark(page, "Befaring med overførte svar (frakoblet)")
    screenshot(page, "befarer-gjenbefaring")

    taps, sections = 0, 0
    while True:
        sections += 1
        confirm = page.get_by_role("button", name=re.compile("Bekreft alle uendrede i seksjonen"))
        if confirm.count():
            confirm.click()
            taps += 1
            expect(confirm).to_have_count(0)
        expect(page.locator('fieldset.item[data-status="carried_over"]')).to_have_count(0)
        following = page.locator(".pager a.btn-primary")
        if not following.count():
            break
        following.click()
        expect(page.locator("#section-heading")).to_be_focused()
    assert taps <= sections  # at most one confirm tap per section
    expect(page.locator(".progress label")).to_have_text(
        re.compile(r"Fremdrift: (\d+) av \1 punkter ferdig")
    )
    assert _inspections(live_app, "reinspect") == []  # nothing reached the server yet

    phone.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator(".sync-summary")).to_have_text("Alt er sendt.", timeout=20_000)
    assert _inspections(live_app, "reinspect") == [(local_id, "draft", 0)]

    # starting again on the same unit opens this draft, never a second one
    page.goto(f"{live_app.url}/#/befaringer")
    expect(page.get_by_role("link", name=re.compile("Åpne Gjensynsveien 6"))).to_be_visible()
    expect(
        page.get_by_role("button", name=re.compile("Start befaring: Gjensynsveien 6"))
    ).to_have_count(0)
    page.get_by_role("link", name=re.compile("Åpne Gjensynsveien 6")).click()
    page.locator(".pager a.btn-primary").wait_for()
    page.goto(f"{live_app.url}/#/befaring/{local_id}/16")
    page.get_by_role("button", name="Send inn befaringen").click()
    expect(page.get_by_text("Befaringen er sendt inn til godkjenning.")).to_be_visible()
    assert _inspections(live_app, "reinspect") == [(local_id, "submitted", 0)]

"""Conflict: the same answer changes on the server while the device is offline; the inspector
sees both values and chooses."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.browser_helpers import assert_no_axe_violations, new_inspection, screenshot, sign_in

pytestmark = pytest.mark.browser

ITEM = "access.step_free_route"


def _change_on_server(live, inspection_id, value):
    from app.auth.models import User
    from app.inspections import services

    def change(db):
        admin = db.session.query(User).filter_by(email=live.emails["admin"]).one()
        inspection = services.get_inspection(admin, uuid.UUID(inspection_id), write=True)
        services.upsert_answers(admin, inspection, [{"item_id": ITEM, "value": value}])
        db.session.commit()

    live.query(change)


def _server_value(live, inspection_id):
    from app.inspections.models import Answer

    return live.query(
        lambda db: (
            db.session.query(Answer.value)
            .filter_by(inspection_id=uuid.UUID(inspection_id), item_id=ITEM)
            .scalar()
        )
    )


def test_conflict_shows_both_values_and_keeps_the_choice(phone, live_app):
    page = phone
    inspection_id = new_inspection(live_app, "conflict")
    sign_in(page, live_app, "inspector")
    page.get_by_role("button", name=re.compile("Last ned Konfliktgata 2")).click()
    fieldset = page.locator(f'fieldset[data-item="{ITEM}"]')
    expect(fieldset).to_be_visible()

    phone.context.set_offline(True)
    fieldset.get_by_text("Ja", exact=True).click()
    expect(page.locator(".sync-summary")).to_contain_text("1 venter på sending")
    _change_on_server(live_app, inspection_id, False)  # someone else, meanwhile

    phone.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("På serveren: Nei")
    expect(conflict).to_contain_text("På denne enheten: Ja")
    expect(page.locator(".sync-summary")).to_contain_text("1 i konflikt")
    screenshot(page, "befarer-konflikt")
    assert_no_axe_violations(page, "Befaring med konflikt")
    assert _server_value(live_app, inspection_id) is False

    conflict.get_by_role("button", name="Behold verdien på enheten").click()
    expect(page.locator(".sync-summary")).to_have_text("Alt er sendt.")
    expect(page.locator(".conflict")).to_have_count(0)
    assert _server_value(live_app, inspection_id) is True


def test_conflict_resolved_with_the_server_value(phone, live_app):
    page = phone
    inspection_id = new_inspection(live_app, "conflict2")
    sign_in(page, live_app, "inspector")
    page.get_by_role("button", name=re.compile("Last ned Konfliktgata 4")).click()
    fieldset = page.locator(f'fieldset[data-item="{ITEM}"]')
    expect(fieldset).to_be_visible()
    phone.context.set_offline(True)
    fieldset.get_by_text("Nei", exact=True).click()
    # The answer waits on the device before the server's value changes (as in the test above).
    expect(page.locator(".sync-summary")).to_contain_text("1 venter på sending")
    _change_on_server(live_app, inspection_id, True)
    phone.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("På serveren: Ja")
    expect(conflict).to_contain_text("På denne enheten: Nei")
    conflict.get_by_role("button", name="Bruk verdien fra serveren").click()
    expect(page.locator(".sync-summary")).to_have_text("Alt er sendt.")
    expect(fieldset.get_by_label("Ja", exact=True)).to_be_checked()
    assert _server_value(live_app, inspection_id) is True

"""Inspector: download an inspection, work it with no network (even after a reload), come
back online and see every answer and the photo arrive on the server exactly once."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.e2e.browser_helpers import (
    assert_no_axe_violations,
    jpeg_file,
    new_inspection,
    screenshot,
    sign_in,
    wait_for_service_worker,
)

pytestmark = pytest.mark.browser

YES_NO = "access.step_free_route"
GRADIENT = "access.route_gradient_percent"
WIDTH = "access.route_width_mm"


def item(page, item_id):
    return page.locator(f'fieldset[data-item="{item_id}"]')


def test_offline_inspection_arrives_once(phone, live_app, tmp_path):
    page = phone
    inspection_id = new_inspection(live_app, "walk")
    sign_in(page, live_app, "inspector")
    expect(page.get_by_role("heading", name="Mine befaringer")).to_be_visible()
    assert_no_axe_violations(page, "Mine befaringer")
    screenshot(page, "befarer-mine-befaringer")
    page.get_by_role("button", name=re.compile("Last ned Befaringsveien 1")).click()
    expect(
        page.get_by_role("heading", name=re.compile("Befaring: Befaringsveien 1"))
    ).to_be_visible()
    wait_for_service_worker(page)

    phone.context.set_offline(True)
    page.reload()  # the shell and the inspection come from the device alone
    expect(
        page.get_by_role("heading", name=re.compile("Befaring: Befaringsveien 1"))
    ).to_be_visible()
    expect(page.locator("#net-state")).to_contain_text("Frakoblet")

    item(page, YES_NO).get_by_text("Ja", exact=True).click()
    gradient = item(page, GRADIENT).get_by_label(re.compile("Målt verdi"))
    expect(gradient).to_have_attribute("inputmode", "decimal")
    gradient.fill("4,5")
    expect(item(page, GRADIENT).locator(".verdict")).to_have_text("✓ Oppfyller kravet")
    gradient.press("Enter")
    gradient.blur()
    width = item(page, WIDTH).get_by_label(re.compile("Målt verdi"))
    width.fill("1250")
    expect(item(page, WIDTH).locator(".verdict")).to_contain_text("Avvik: kravet er minst 1")
    width.blur()
    item(page, WIDTH).get_by_role("button", name=re.compile("^Mer")).click()
    photo = item(page, WIDTH).locator("input.camera-input")
    expect(photo).to_have_attribute("capture", "environment")
    expect(item(page, WIDTH).locator("input[type=file]:not([capture])")).to_have_count(1)
    photo.set_input_files(str(jpeg_file(tmp_path / "dørterskel.jpg")))
    expect(item(page, WIDTH).locator(".photo-state")).to_have_text(re.compile("venter på sending"))
    expect(page.locator(".sync-summary")).to_contain_text("4 venter på sending")
    screenshot(page, "befarer-frakoblet")
    assert_no_axe_violations(page, "Befaring (frakoblet)")
    assert _server_answers(live_app, inspection_id) == {}

    phone.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator(".sync-summary")).to_have_text("Alt er sendt.", timeout=15_000)
    expect(item(page, WIDTH).locator(".photo-state")).to_have_text("Sendt")

    answers = _server_answers(live_app, inspection_id)
    assert answers == {YES_NO: (True, 1), GRADIENT: (4.5, 1), WIDTH: (1250, 1)}
    photos = _server_photos(live_app, inspection_id)
    assert len(photos) == 1 and photos[0][0] == WIDTH
    assert max(photos[0][1:]) <= 2048  # downscaled on the device before upload


def _server_answers(live, inspection_id):
    """{item_id: (value, number of recorded changes)} for the items this test answers."""
    from app.inspections.models import Answer, AnswerChange

    def read(db):
        iid = uuid.UUID(inspection_id)
        out = {}
        for item_id in (YES_NO, GRADIENT, WIDTH):
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


def _server_photos(live, inspection_id):
    from app.inspections.photos.models import Photo

    def read(db):
        rows = db.session.scalars(
            select(Photo).where(Photo.inspection_id == uuid.UUID(inspection_id))
        ).all()
        return [(p.item_id, p.width, p.height) for p in rows]

    return live.query(read)

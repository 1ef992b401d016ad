"""Review of a repeated section: a submitted inspection with two bathrooms answered apart shows
each bathroom by its label, in position order, with its own answers and photo; a comment on
the second bathroom's item goes back with that instance.

Like tests/e2e/test_repeated_sections.py, it publishes the checklist with a repeated bathroom
section (uu-bolig v3), which becomes the newest version, so it has a live server of its own."""

from __future__ import annotations

import io
import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.browser_helpers import (
    assert_no_axe_violations,
    inspection_status,
    jpeg_bytes,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

SHOWER = "bathroom.step_free_shower"
QUESTION = "Har badet trinnfri dusjsone"
SECOND = "Bad ved soverom"


@pytest.fixture
def page(repeated_phone):
    return repeated_phone


def submitted_with_two_bathrooms(live) -> str:
    """Everything answered; bathroom 1 has a step-free shower, the second bathroom ("Bad ved
    soverom", listed first) has not, with a photo of it; submitted for review."""
    from app.auth.models import User
    from app.checklists import services as checklists
    from app.inspections import services
    from app.inspections.photos.services import photo_items, upload
    from tests.factories import passing_answers
    from tests.inspections.repeated_checklist import BATHROOM, VERSION

    def make(db):
        inspector = db.session.query(User).filter_by(email=live.emails["inspector"]).one()
        checklist = checklists.catalogue().checklists[("uu-bolig", VERSION)]
        data = {"id": uuid.uuid4(), "unit_id": live.units["review"], "checklist_version": VERSION}
        created, _ = services.create_inspection(inspector, data)
        db.session.commit()
        inspection = services.get_inspection(inspector, created.id, write=True, lock=True)
        services.save_instance(inspector, inspection, BATHROOM, 2, {"label": SECOND, "position": 0})
        answers = []
        for answer in passing_answers(checklist):
            numbers = [1, 2] if answer["item_id"].startswith("bathroom.") else [1]
            answers.extend({**answer, "instance": n} for n in numbers)
        answers = [
            {**a, "value": False} if (a["item_id"], a["instance"]) == (SHOWER, 2) else a
            for a in answers
        ]
        services.upsert_answers(inspector, inspection, answers)
        db.session.commit()
        upload(
            inspector,
            inspection.id,
            uuid.uuid4(),
            io.BytesIO(jpeg_bytes()),
            SHOWER,
            None,
            instance=2,
        )
        db.session.commit()
        inspection = services.get_inspection(inspector, created.id, write=True, lock=True)
        services.submit(inspector, inspection, photo_items(inspection))
        db.session.commit()
        return str(inspection.id)

    return live.query(make)


def stored_comments(live, inspection_id):
    from app.inspections.models import ItemComment

    def read(db):
        rows = db.session.scalars(
            select(ItemComment).filter_by(inspection_id=uuid.UUID(inspection_id))
        ).all()
        return [(c.item_id, c.instance, c.text) for c in rows]

    return live.query(read)


def test_each_bathroom_is_reviewed_apart(page, repeated_live):
    live = repeated_live
    inspection_id = submitted_with_two_bathrooms(live)
    assert inspection_status(live, inspection_id)[0] == "submitted"
    sign_in(page, live, "facility_manager")
    page.goto(f"{live.url}/#/godkjenning/{inspection_id}")
    expect(
        page.get_by_role("heading", level=1, name=re.compile("Godkjenning: Godkjenningsveien 1"))
    ).to_be_visible()

    # the one deviation names its bathroom, with that bathroom's photo
    expect(page.get_by_role("heading", name="Avvik (1)")).to_be_visible()
    deviation = page.locator(".deviations > li")
    expect(deviation).to_have_count(1)
    expect(deviation.locator("p.hint").first).to_have_text(f"Bad og WC: {SECOND}")
    expect(deviation).to_contain_text("Registrert: Nei.")
    expect(
        deviation.get_by_role("img", name=re.compile(f"Bilde: {SECOND}: {QUESTION}"))
    ).to_be_visible()

    # both bathrooms, by label in position order, each with its own answer
    section = page.locator('.review-section[data-section="bathroom"]')
    section.locator("summary").first.click()
    instances = section.locator(".review-instance")
    expect(instances).to_have_count(2)
    expect(instances.locator("h3")).to_have_text([re.compile(f"^{SECOND}"), re.compile("^Bad 1")])
    second, first = instances.nth(0), instances.nth(1)
    expect(first.locator(f'dt:has-text("{QUESTION}") + dd')).to_have_text(re.compile("^Ja"))
    expect(second.locator(f'dt:has-text("{QUESTION}") + dd')).to_have_text(re.compile("^Nei"))
    expect(second.locator(f'dt:has-text("{QUESTION}")')).to_have_class(re.compile("deviates"))
    expect(second.get_by_role("img")).to_have_count(1)
    expect(first.get_by_role("img")).to_have_count(0)
    # a passing item of each bathroom has a comment box naming that bathroom
    expect(first.locator(".item-comment")).not_to_have_count(0)
    expect(first.locator(".item-comment").first).to_contain_text("Bad 1: ")
    page.wait_for_load_state("networkidle")
    assert_no_axe_violations(page, "Godkjenning: gjentatt seksjon")
    screenshot(page, "forvalter-godkjenning-gjentatt-seksjon")

    # a comment on the second bathroom's shower goes back with instance 2
    comment = "Dusjkaret på badet ved soverommet har kant. Ta mål av kanten."
    deviation.locator(".item-comment summary").click()
    box = page.get_by_label(f"Kommentar til punktet: {SECOND}: {QUESTION}", exact=False)
    expect(box).to_have_count(1)
    box.fill(comment)
    page.get_by_role("button", name="Send tilbake").click()
    expect(page.get_by_role("heading", level=1, name="Til godkjenning")).to_be_visible()
    assert inspection_status(live, inspection_id)[0] == "draft"
    assert stored_comments(live, inspection_id) == [(SHOWER, 2, comment)]

"""Review: a manager approves a submitted inspection or returns it with a comment the
inspector then sees; the inspector's "Send inn" lists what is missing, with links."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser_helpers import (
    assert_no_axe_violations,
    assert_targets_large_enough,
    inspection_status,
    new_inspection,
    open_page,
    screenshot,
    sign_in,
    submitted_inspection,
    wait_until,
)
from tests.e2e.live import PHONE

pytestmark = pytest.mark.browser

PHOTO_ITEM = "access.step_free_route"


def test_manager_approves_a_submitted_inspection(phone, live_app):
    page = phone
    inspection_id = submitted_inspection(live_app, "review", PHOTO_ITEM)
    sign_in(page, live_app, "facility_manager")
    open_page(page, "Til godkjenning")
    expect(page.get_by_role("heading", level=1, name="Til godkjenning")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert_no_axe_violations(page, "Til godkjenning")
    assert_targets_large_enough(page, "Til godkjenning")
    page.get_by_role("link", name=re.compile("Godkjenningsveien 1")).click()

    heading = page.get_by_role("heading", level=1, name=re.compile("Godkjenning: Godkjen"))
    expect(heading).to_be_visible()
    expect(page.locator(".answers").first).to_contain_text("Ja")
    expect(page.get_by_role("heading", name="Avvik (0)")).to_be_visible()
    page.locator(".review-section summary", has_text="Adkomst").click()  # a passing item's photo
    photo = page.get_by_role("img", name=re.compile("Bilde: Inngangen"))
    expect(photo).to_be_visible()
    wait_until(page, "() => [...document.images].every((i) => i.complete && i.naturalWidth > 0)")
    expect(page.get_by_role("radio")).to_have_count(0)  # read-only
    page.wait_for_load_state("networkidle")
    assert_no_axe_violations(page, "Godkjenning av befaring")
    screenshot(page, "forvalter-godkjenning")

    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned befaringsrapport (PDF)").click()
    assert download.value.suggested_filename == f"befaring-{inspection_id}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.get_by_role("button", name="Godkjenn").click()
    expect(page.get_by_role("heading", level=1, name="Til godkjenning")).to_be_visible()
    expect(page.get_by_text("Godkjenningsveien 1")).to_have_count(0)
    assert inspection_status(live_app, inspection_id) == ("approved", None)


def test_returned_inspection_shows_the_comment_to_the_inspector(phone, live_app, live_browser):
    page = phone
    inspection_id = submitted_inspection(live_app, "returned", PHOTO_ITEM)
    sign_in(page, live_app, "facility_manager")
    page.goto(f"{live_app.url}/#/godkjenning/{inspection_id}")
    expect(page.get_by_role("heading", level=1, name=re.compile("Returveien 2"))).to_be_visible()
    page.get_by_role("button", name="Send tilbake").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv en kommentar")
    expect(page.get_by_label(re.compile("Kommentar til befareren"))).to_be_focused()
    assert inspection_status(live_app, inspection_id)[0] == "submitted"
    comment = "Bildet av inngangen er uskarpt. Ta nytt bilde."
    page.get_by_label(re.compile("Kommentar til befareren")).fill(comment)
    page.get_by_role("button", name="Send tilbake").click()
    expect(page.get_by_role("heading", level=1, name="Til godkjenning")).to_be_visible()
    assert inspection_status(live_app, inspection_id) == ("draft", comment)

    context = live_browser.new_context(viewport=PHONE, locale="nb-NO")
    try:
        inspector = context.new_page()
        sign_in(inspector, live_app, "inspector")
        card = inspector.locator("li.card", has_text="Returveien 2")
        expect(card).to_contain_text(f"Sendt tilbake med kommentar: {comment}")
        card.get_by_role("button", name=re.compile("Last ned Returveien 2")).click()
        expect(inspector.locator(".return-comment")).to_have_text(comment)
        assert_no_axe_violations(inspector, "Befaring sendt tilbake")
        screenshot(inspector, "befarer-sendt-tilbake")
    finally:
        context.close()


def test_submit_lists_what_is_missing_with_links(phone, live_app):
    page = phone
    new_inspection(live_app, "missing")
    carried = new_inspection(live_app, "good2")  # starts from the approved answers
    sign_in(page, live_app, "inspector")
    page.get_by_role("button", name=re.compile("Last ned Manglerudveien 3")).click()
    page.locator(f'fieldset[data-item="{PHOTO_ITEM}"]').get_by_text("Nei", exact=True).click()
    expect(page.locator(".sync-summary")).to_have_text("Alt er sendt.")
    page.get_by_role("button", name="Send inn befaringen").click()
    missing = page.get_by_role("alert").filter(has_text="kan ikke sendes inn")
    expect(missing).to_contain_text("punkter mangler")
    expect(missing).to_contain_text("(avviket mangler bilde)")
    expect(missing).to_contain_text("(ikke besvart)")
    expect(missing.locator("strong").first).to_have_text("Adkomst og parkering")
    assert_no_axe_violations(page, "Innsending med mangler")
    screenshot(page, "befarer-mangler")

    link = missing.locator("a", has_text="ikke besvart").last
    target = re.search(r"#/befaring/[\w-]+/(\d+)", link.get_attribute("href")).group(1)
    link.click()
    expect(page).to_have_url(re.compile(f"/{target}$"))
    # the item is focused once its section has rendered: wait for it, do not sample once
    expect(page.locator(":focus")).to_have_attribute("id", re.compile(r"^q-"))

    page.goto(f"{live_app.url}/#/befaringer")
    page.get_by_role("button", name=re.compile("Last ned Storgata 12")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Storgata 12"))).to_be_visible()
    page.get_by_role("button", name="Send inn befaringen").click()
    expect(page.get_by_role("alert").filter(has_text="kan ikke sendes inn")).to_contain_text(
        "(svaret fra forrige befaring er ikke bekreftet)"
    )
    assert inspection_status(live_app, carried)[0] == "draft"

"""The inspector's phone, one hand: compact items and the bottom bar, a scripted full
inspection (scroll height and taps measured), honest progress with a photo shared by two items,
and accessibility (axe light and dark, 44 px targets) on every screen of the flow."""

import json
import re
import uuid
from statistics import median

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.e2e.browser_helpers import (
    OUTPUT,
    assert_accessible_light_and_dark,
    jpeg_file,
    new_inspection,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

# What sticks out to the right of the viewport (the message of a reflow failure).
WIDER_THAN_THE_SCREEN = """[...document.querySelectorAll('main *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(-5).map((e) => `${e.tagName}.${e.className} ${e.textContent.slice(0, 60)}`)"""
# A walk answers about 180 items; on a loaded machine one save or redraw can take longer than
# Playwright's default 5 s without anything being wrong.
WALK_WAIT = 15_000
ROUTE = "access.step_free_route"
SURFACE = "access.route_surface_firm"


def item(page, item_id):
    return page.locator(f'fieldset[data-item="{item_id}"]')


def open_inspection(page, live, unit_key, address, checklist_version=1):
    new_inspection(live, unit_key, checklist_version)
    sign_in(page, live, "inspector")
    page.get_by_role("button", name=re.compile(f"Last ned {address}")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(address))).to_be_visible()
    expect(page.locator("fieldset.item").first).to_be_visible()


def test_items_are_compact_and_the_bar_walks_them(phone, live_app):
    page = phone
    open_inspection(page, live_app, "compact", "Kompaktveien 3")
    heights = page.evaluate(
        "[...document.querySelectorAll('fieldset.item')].map(e => e.getBoundingClientRect().height)"
    )
    assert heights and median(heights) <= 140 and max(heights) <= 175, heights
    viewport = page.viewport_size["height"]
    bar = page.locator(".bottom-bar")
    first = page.locator("fieldset.item").first
    box, bar_box = first.bounding_box(), bar.bounding_box()
    assert box["y"] + box["height"] <= bar_box["y"], "the first item is hidden on opening"
    assert bar_box["y"] + bar_box["height"] <= viewport + 1  # stuck to the bottom

    expect(bar).to_contain_text("1 av 13 i seksjonen")
    bar.get_by_role("button", name="Neste ›").click()
    expect(bar).to_contain_text("2 av 13 i seksjonen")
    expect(page.locator(":focus")).to_have_attribute("id", re.compile(r"^q-access\."))
    bar.get_by_role("button", name="‹ Forrige").click()
    expect(bar).to_contain_text("1 av 13 i seksjonen")

    # help, note and photos open on demand
    more = item(page, ROUTE).get_by_role("button", name=re.compile("^Mer"))
    expect(more).to_have_attribute("aria-expanded", "false")
    more.click()
    expect(item(page, ROUTE).get_by_text("Gå ruten.", exact=False)).to_be_visible()
    expect(item(page, ROUTE).get_by_label("Notat")).to_be_visible()
    expect(item(page, ROUTE).get_by_text("Velg fra galleri")).to_be_visible()
    screenshot(page, "befarer-kompakt-punkt")
    assert_accessible_light_and_dark(page, "Befaring: seksjon med åpent punkt")

    # a measurement typed as people type it, saved without leaving the field
    width = item(page, "access.route_width_mm").get_by_label(re.compile("Målt verdi"))
    width.fill("1,4 m")
    expect(item(page, "access.route_width_mm").locator(".verdict")).to_contain_text("Avvik")
    expect(page.locator(".sync-summary")).to_have_text("Alt er sendt.", timeout=10_000)
    width.fill("14 kg")
    expect(item(page, "access.route_width_mm").locator(".field-error")).to_contain_text(
        "Skriv målet i mm"
    )

    # the section menu: counts and ticks; a section opens with its first item in view
    menu = page.locator("nav.sections")
    menu.locator("summary").click()
    expect(menu).to_contain_text("Inngangsparti")
    expect(menu.locator("a").nth(1)).to_contain_text(re.compile(r"\d+ av \d+"))
    menu.get_by_role("link", name=re.compile("Inngangsparti")).click()
    expect(page.get_by_role("heading", level=2, name="Inngangsparti")).to_be_focused()
    box = page.locator("fieldset.item").first.bounding_box()
    assert (
        box["y"] >= 0
        and box["y"] + box["height"] <= page.locator(".bottom-bar").bounding_box()["y"]
    )
    screenshot(page, "befarer-seksjon-aapnet")


def _passing(live, checklist_version):
    from app.checklists import services as checklists
    from tests.factories import passing_answers

    def read(db):
        checklist = checklists.catalogue().checklists[("uu-bolig", checklist_version)]
        values = {a["item_id"]: a["value"] for a in passing_answers(checklist)}
        choices = {
            i.id: [c.key for c in i.choices] for i in checklist.items.values() if i.type == "choice"
        }
        return values, choices

    return live.query(read)


def _answer(page, item_id, value, choices) -> None:
    """One tap (or one field filled) per item, as a finger would."""
    fieldset = item(page, item_id)
    if isinstance(value, bool):
        target = f"q-{item_id}" if value else f"q-{item_id}-1"
        fieldset.locator(f'label[for="{target}"]').click()
    elif item_id in choices:
        index = choices[item_id].index(value)
        target = f"q-{item_id}" if index == 0 else f"q-{item_id}-{index}"
        fieldset.locator(f'label[for="{target}"]').click()
    else:
        field = fieldset.locator(f'[id="q-{item_id}"]')
        field.fill(str(value).replace(".", ","))
        field.press("Enter")
    expect(fieldset).not_to_have_attribute("data-status", "unanswered", timeout=WALK_WAIT)


def _walk(page, live, unit_key, address, width, checklist_version=1) -> dict:
    page.set_viewport_size({"width": width, "height": 844})
    open_inspection(page, live, unit_key, address, checklist_version)
    values, choices = _passing(live, checklist_version)
    taps, pages, scrolled, items, sections = 0, 0, 0, [], 0
    while True:
        sections += 1
        while (pending := page.locator('fieldset.item[data-status="unanswered"]')).count():
            item_id = pending.first.get_attribute("data-item")
            _answer(page, item_id, values[item_id], choices)
            taps += 1
        height = page.evaluate("document.scrollingElement.scrollHeight")
        pages += height
        scrolled += max(0, height - page.evaluate("window.innerHeight"))
        items += page.evaluate(
            "[...document.querySelectorAll('fieldset.item')].map(e => e.offsetHeight)"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width, page.evaluate(
            WIDER_THAN_THE_SCREEN
        )
        following = page.locator(".pager a.btn-primary")
        if not following.count():
            break
        following.click()
        taps += 1
        expect(page.locator("#section-heading")).to_be_focused(timeout=WALK_WAIT)
    progress = page.locator(".progress label")
    expect(progress).to_have_text(re.compile(r"Fremdrift: (\d+) av \1 punkter ferdig"))
    page.get_by_role("button", name="Send inn befaringen").click()
    taps += 1
    expect(page.get_by_text("Befaringen er sendt inn til godkjenning.")).to_be_visible(
        timeout=15_000
    )
    return {
        "width": width,
        "sections": sections,
        "items": len(items),
        "taps": taps,
        "item_px_median": median(items),
        "item_px_max": max(items),
        "page_px": pages,
        "scrolled_px": scrolled,
        # screens of scrolling: what scrolls past beyond the first screen of each section
        "screens": round(scrolled / 844, 1),
        # the issue's measure: the items' height alone, in screens
        "item_screens": round(sum(items) / 844, 1),
    }


@pytest.mark.parametrize(
    ("width", "unit_key", "address"),
    [(390, "full", "Helrundveien 1"), (320, "full320", "Smalveien 2")],
)
def test_a_full_inspection_fits_in_few_screens(phone, live_app, width, unit_key, address):
    figures = _walk(phone, live_app, unit_key, address, width)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / f"phone-walk-{width}.json").write_text(json.dumps(figures))
    # the checklist fits in 25 screens on a phone; 320 px (400 % zoom) only has to reflow
    assert figures["screens"] <= (25 if width >= 390 else 32), figures
    assert figures["taps"] <= 160, figures  # one tap per item, one per section, one to submit
    screenshot(phone, f"befarer-hel-befaring-{width}")


def test_a_whole_version_2_inspection_on_the_phone(phone, live_app):
    """The current checklist (v2, 192 items) answered item by item on a 390 px phone and
    submitted; its figures are recorded beside v1's (docs/benchmarks.md)."""
    figures = _walk(phone, live_app, "full_v2", "Nyversjonsveien 1", 390, checklist_version=2)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "phone-walk-390-v2.json").write_text(json.dumps(figures))
    assert figures["taps"] <= figures["items"] + figures["sections"] + 1, figures


def _server_photos(live, inspection_id):
    from app.inspections.photos.models import Photo

    def read(db):
        rows = db.session.scalars(
            select(Photo).where(Photo.inspection_id == uuid.UUID(inspection_id))
        )
        return sorted((p.item_id, p.display_key) for p in rows)

    return live.query(read)


def _prefill(live, inspection_id, skip):
    from app.auth.models import User
    from app.inspections import services
    from app.inspections.models import Inspection
    from tests.factories import passing_answers

    def fill(db):
        inspector = db.session.query(User).filter_by(email=live.emails["inspector"]).one()
        inspection = db.session.get(Inspection, uuid.UUID(inspection_id))
        services.upsert_answers(inspector, inspection, passing_answers(skip=skip))
        db.session.commit()

    live.query(fill)


def test_one_photo_on_two_barriers_counts_for_both_and_submits(phone, live_app, tmp_path):
    page = phone
    inspection_id = new_inspection(live_app, "shared")
    _prefill(live_app, inspection_id, skip={ROUTE, SURFACE})
    sign_in(page, live_app, "inspector")
    page.get_by_role("button", name=re.compile("Last ned Fellesbildeveien 4")).click()
    for item_id in (ROUTE, SURFACE):
        item(page, item_id).get_by_text("Nei", exact=True).click()
        expect(item(page, item_id).locator(".flag")).to_have_text("Bilde mangler")
    progress = page.locator(".progress label")
    expect(progress).not_to_have_text(re.compile(r"Fremdrift: (\d+) av \1 "))
    missing = page.get_by_role("button", name="Vis hva som mangler (2)")
    missing.click()
    links = page.get_by_role("alert").locator("a")
    expect(links).to_have_count(2)
    expect(links.first).to_contain_text("avviket mangler bilde")
    screenshot(page, "befarer-bilde-mangler")
    assert_accessible_light_and_dark(page, "Befaring: hva som mangler")

    photo = jpeg_file(tmp_path / "samme.jpg")
    for item_id in (ROUTE, SURFACE):
        with page.expect_file_chooser() as chooser:
            item(page, item_id).get_by_role("button", name=re.compile("^Ta bilde")).click()
        chooser.value.set_files(str(photo))
        # As an inspector does: the photo shows on its item before the next item is touched.
        expect(item(page, item_id).locator(".photos li")).to_have_count(1, timeout=15_000)
    expect(page.locator(".sync-summary")).to_have_text("Alt er sendt.", timeout=15_000)
    for item_id in (ROUTE, SURFACE):
        expect(item(page, item_id).locator(".photo-state")).to_have_text("Sendt")
        expect(item(page, item_id).locator(".flag")).to_have_count(0)
    expect(progress).to_have_text(re.compile(r"Fremdrift: (\d+) av \1 punkter ferdig"))
    rows = _server_photos(live_app, inspection_id)
    assert [r[0] for r in rows] == sorted([ROUTE, SURFACE])
    assert rows[0][1] == rows[1][1]  # one file, linked to both items
    page.get_by_role("button", name="Send inn befaringen").click()
    expect(page.get_by_text("Befaringen er sendt inn til godkjenning.")).to_be_visible()


def _drafts(live, unit_key):
    from app.inspections.models import Inspection

    def count(db):
        return db.session.scalar(
            select(func.count())
            .select_from(Inspection)
            .where(Inspection.unit_id == live.units[unit_key], Inspection.status == "draft")
        )

    return live.query(count)


def test_starting_on_a_unit_with_an_open_draft_opens_it(phone, live_app):
    page = phone
    sign_in(page, live_app, "inspector")
    expect(page.get_by_role("heading", name="Mine befaringer")).to_be_visible()
    existing = new_inspection(live_app, "dupe")  # the office started one meanwhile
    page.get_by_label("Søk etter adresse eller boligkode").fill("Duplikatveien")
    page.get_by_role("button", name="Søk", exact=True).click()
    page.get_by_role("button", name=re.compile("Start befaring: Duplikatveien 5")).click()
    expect(page).to_have_url(re.compile(f"#/befaring/{existing}$"))
    expect(page.get_by_role("heading", level=1, name=re.compile("Duplikatveien 5"))).to_be_visible()
    assert _drafts(live_app, "dupe") == 1
    page.goto(f"{live_app.url}/#/befaringer")
    page.get_by_role("link", name=re.compile("Åpne Duplikatveien 5")).wait_for()
    expect(
        page.get_by_role("button", name=re.compile("Start befaring: Duplikatveien 5"))
    ).to_have_count(0)
    assert _drafts(live_app, "dupe") == 1

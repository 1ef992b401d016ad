"""The office's daily work in the browser, on a desktop and on a 390 px phone: page through
600 units and filter them by need and class; offer a unit to a household and record its
yes; return an inspection with an item comment the inspector then sees at that item; the
checklist versions; the plan as an Excel file. axe and a target-size check on every screen."""

import io
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser_helpers import (
    assert_no_axe_violations,
    assert_targets_large_enough,
    open_page,
    screenshot,
    sign_in,
    submitted_inspection,
    waiting_household,
    wheelchair_demand,
)
from tests.e2e.live import PHONE

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
STREET = "Sideveien"
DOOR = "entrance.door_clear_width_mm"


@pytest.fixture(params=["desktop", "phone"])
def screen(request, live_browser, live_app):
    """A fresh browser context at desktop and at phone size."""
    viewport = DESKTOP if request.param == "desktop" else PHONE
    context = live_browser.new_context(
        viewport=viewport, locale="nb-NO", timezone_id="Europe/Oslo", accept_downloads=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.size = request.param
    yield page
    context.close()
    assert not errors, errors


def _ready(page, title, name):
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert_no_axe_violations(page, name)
    assert_targets_large_enough(page, name)
    screenshot(page, f"{name}-{getattr(page, 'size', 'phone')}")


@pytest.fixture(scope="module")
def many_units(live_app):
    """600 units in 30 buildings of one street (registered, never assessed)."""
    from app.units.importing import normalise_address
    from app.units.models import Building, Unit

    def make(db):
        if db.session.query(Building).filter(Building.address.like(f"{STREET}%")).count():
            return
        for b in range(1, 31):
            address = f"{STREET} {b}"
            building = Building(
                address=address, address_key=normalise_address(address), district="Idd"
            )
            db.session.add(building)
            db.session.flush()
            for floor in (1, 2):
                for n in range(1, 11):
                    number = f"H{floor:02d}{n:02d}"
                    db.session.add(
                        Unit(
                            building_id=building.id,
                            unit_number=number,
                            floor=floor,
                            bedrooms=2,
                            status="let",
                        )
                    )
        db.session.commit()

    live_app.query(make)


def _open(page, live, path):
    """Go straight to a screen once the home screen has finished loading (on SQLite two
    requests that both write, e.g. audit events, can collide; the office does not click
    that fast)."""
    page.wait_for_load_state("networkidle")
    page.goto(f"{live.url}/#/{path}")


def _unit(live, key, address, district, changes=None):
    """A vacant assessed unit of this module's own (other modules' units stay as they are)."""
    from app.auth.models import User
    from tests.factories import assessed_unit

    if key not in live.units:

        def make(db):
            inspector = db.session.query(User).filter_by(email=live.emails["inspector"]).one()
            unit = assessed_unit(inspector, changes, address=address, district=district)
            return unit.id

        live.units[key] = live.query(make)
    return live.units[key]


def test_officer_pages_through_600_units_and_filters_by_need(screen, live_app, many_units):
    page = screen
    sign_in(page, live_app, "allocation_officer")
    open_page(page, "Boliger")
    _ready(page, "Boliger", "boliger-liste")
    page.get_by_label("Søk (adresse eller boligkode)").fill(STREET)
    page.get_by_role("button", name="Vis boliger").click()
    pager = page.get_by_role("navigation", name="Sider: boliger").first
    expect(pager).to_contain_text("Side 1 av 12 (600 treff)")
    seen = set()
    pages = 12 if page.size == "desktop" else 3
    for number in range(1, pages + 1):
        expect(pager).to_contain_text(f"Side {number} av 12")
        rows = page.locator("table tbody tr")
        expect(rows).to_have_count(50)
        seen.update(
            tuple(r.split("\t")[:2]) for r in rows.evaluate_all("rs => rs.map(r => r.innerText)")
        )
        if number < pages:
            pager.get_by_role("button", name="Neste side").click()
    assert len(seen) == 50 * pages  # every page new rows, none twice
    if page.size == "desktop":
        expect(pager.get_by_role("button", name="Neste side")).to_be_disabled()
    expect(page).to_have_url(re.compile(rf"side={pages}"))
    page.reload()  # the address keeps the state: same search, same page
    expect(page.get_by_label("Søk (adresse eller boligkode)")).to_have_value(STREET)
    expect(page.get_by_role("navigation", name="Sider: boliger").first).to_contain_text(
        f"Side {pages} av 12"
    )

    page.get_by_label("Søk (adresse eller boligkode)").fill("")
    page.get_by_label("Behov", exact=True).select_option(label="Manuell rullestol")
    page.get_by_label("Egnethet for behovet").select_option("suitable")
    page.get_by_role("button", name="Vis boliger").click()
    table = page.get_by_role("table", name="Boliger")
    expect(table.locator("thead")).to_contain_text("Egnethet: Manuell rullestol")
    expect(table).to_contain_text("Storgata 10")
    expect(table).not_to_contain_text("Trappeveien 5")
    badges = table.locator("tbody .badge")
    expect(badges.first).to_be_visible()
    for text in badges.all_inner_texts():
        assert text.endswith("Egnet") and "tilpasning" not in text
    expect(page).to_have_url(re.compile(r"suitable_for=wheelchair_manual.*class=suitable"))
    _ready(page, "Boliger", "boliger-egnet-rullestol")

    page.get_by_label("Egnethet for behovet").select_option("unsuitable")
    page.get_by_label("Sortering").select_option(label="Dårligst egnet først (valgt behov)")
    page.get_by_role("button", name="Vis boliger").click()
    expect(table.locator("tbody tr").first.locator(".badge")).not_to_contain_text(re.compile("^✓"))


def test_officer_sees_barriers_per_need_then_offers_and_records_a_yes(screen, live_app):
    page = screen
    unit_id = _unit(
        live_app, f"offer-{page.size}", f"Tilbudsveien {page.size}", "Berg", {DOOR: 700}
    )
    household = waiting_household(
        live_app, f"2026/tilbud-{page.size}", {"wheelchair_manual": "required"}
    )
    sign_in(page, live_app, "allocation_officer")
    _open(page, live_app, f"husstander/{household}")
    card = page.locator(".match", has_text=f"Tilbudsveien {page.size}")
    expect(card).to_be_visible()
    card.locator("summary", has_text="Barrierer og tiltak per behov").click()
    need = card.locator(".need", has_text="Manuell rullestol")
    expect(need).to_contain_text("Registrert: 700 mm")
    expect(need).to_contain_text(re.compile(r"krav ≥ \d[\d\s]* mm"))
    expect(need).to_contain_text("Kilde: TEK17")
    expect(need.locator(".measures li").first).to_contain_text("Billigste tiltak")
    _ready(page, re.compile(r"Husstand 2026.tilbud"), "tildeling-begrunnelse")

    card.get_by_role("button", name=re.compile(f"Tilby bolig: Tilbudsveien {page.size}")).click()
    offers = page.locator(".offers")
    expect(offers).to_contain_text("Tilbudt, venter på svar")
    expect(page.locator(".facts")).to_contain_text("Tilbudt bolig")
    _ready(page, re.compile(r"Husstand 2026.tilbud"), "tildeling-tilbud")
    offers.get_by_role("button", name="Takket nei").click()  # without a reason: refused
    expect(offers.get_by_role("alert")).to_contain_text("Begrunnelse")
    offers.get_by_role("button", name="Takket ja").click()
    expect(page.locator(".offers")).to_contain_text("Takket ja")
    expect(page.locator(".facts")).to_contain_text("Bosatt")

    def statuses(db):
        from app.applicants.models import Applicant
        from app.units.models import Unit

        return db.session.get(Applicant, household).status, db.session.get(Unit, unit_id).status

    assert live_app.query(statuses) == ("housed", "let")


def test_unit_page_shows_the_spread_and_values_with_units(screen, live_app):
    page = screen
    unit_id = _unit(live_app, "narrow-door", "Smaldørveien 1", "Sentrum", {DOOR: 650})
    sign_in(page, live_app, "facility_manager")
    _open(page, live_app, f"boliger/{unit_id}")
    summary = page.locator(".summary")
    expect(summary).to_contain_text("Funksjonsnedsettelser –")
    expect(summary).not_to_contain_text("Samlet: Egnet")
    expect(summary).to_contain_text("Alle beboere")
    verdict = page.locator(".verdicts details", has_text="Manuell rullestol")
    verdict.locator("summary").click()
    expect(verdict).to_contain_text("Registrert: 650 mm")
    expect(verdict).to_contain_text("Kilde: TEK17")
    expect(page.locator("main")).not_to_contain_text("general")
    _ready(page, re.compile("Smaldørveien 1"), "bolig-per-behov")


def test_item_comment_goes_back_to_the_inspector_at_that_item(phone, live_app, live_browser):
    from tests.factories import make_unit

    live_app.units["comment"] = live_app.query(lambda db: make_unit(address="Kommentarveien 1").id)
    inspection_id = submitted_inspection(live_app, "comment", "access.step_free_route")
    page = phone
    sign_in(page, live_app, "facility_manager")
    _open(page, live_app, f"godkjenning/{inspection_id}")
    expect(
        page.get_by_role("heading", level=1, name=re.compile("Kommentarveien 1"))
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name="Endringer siden forrige godkjente befaring")
    ).to_be_visible()
    _ready(page, re.compile("Godkjenning: Kommentarveien"), "godkjenning-oversikt")
    page.locator(".review-section summary", has_text="Inngangsparti").click()
    box = page.locator(f'textarea[name="comment-{DOOR}"]')
    page.locator("details.item-comment", has=box).locator("summary").click()
    comment = "Mål fri bredde med døren helt åpen."
    box.fill(comment)
    assert_targets_large_enough(page, "godkjenning-punktkommentar")
    page.get_by_role("button", name="Send tilbake").click()
    expect(page.get_by_role("heading", level=1, name="Til godkjenning")).to_be_visible()

    context = live_browser.new_context(viewport=PHONE, locale="nb-NO")
    try:
        inspector = context.new_page()
        sign_in(inspector, live_app, "inspector")
        inspector.get_by_role("button", name=re.compile("Last ned Kommentarveien 1")).click()
        banner = inspector.locator(".alert", has_text="Godkjenneren har kommentert 1 punkter")
        expect(banner).to_contain_text(comment)
        banner.get_by_role("link").click()
        item = inspector.locator(f'fieldset[data-item="{DOOR}"]')
        expect(item.locator(".review-comment")).to_have_text(comment)
        item.scroll_into_view_if_needed()
        inspector.wait_for_load_state("networkidle")
        assert_no_axe_violations(inspector, "Punktkommentar hos befareren")
        screenshot(inspector, "befarer-punktkommentar")
    finally:
        context.close()


def test_admin_checklist_versions_and_users(screen, live_app):
    page = screen
    sign_in(page, live_app, "admin")
    open_page(page, "Sjekklister")
    _ready(page, "Sjekklisteversjoner", "admin-sjekklister")
    table = page.get_by_role("table", name="Publiserte versjoner")
    expect(table.locator("tbody tr").first).to_contain_text("uu-bolig")
    assessed = int(
        table.locator("tbody tr").first.locator("td").nth(3).inner_text().replace("\xa0", "")
    )
    assert assessed >= 4  # the seeded assessed units
    open_page(page, "Brukere")
    _ready(page, "Brukere og roller", "admin-brukere-mål")
    card = page.locator(".user", has_text="inspector@e2e.kommune.no")
    expect(card.get_by_label(re.compile("Rolle for"))).to_have_value("inspector")
    expect(card.get_by_label(re.compile("er aktiv"))).to_be_checked()


def test_manager_downloads_the_plan_as_excel(phone, live_app, tmp_path):
    from openpyxl import load_workbook

    # The plan weighs needs by the waiting list: its own households, not another test's.
    wheelchair_demand(live_app)
    page = phone
    sign_in(page, live_app, "facility_manager")
    open_page(page, "Planlegging")
    page.get_by_label("Budsjett (kr)").fill("5 000 000")
    page.get_by_role("button", name="Lag plan").click()
    expect(page.get_by_role("heading", name="Resultat")).to_be_visible()
    _ready(page, "Oppgraderingsplan", "forvalter-plan-resultat")
    with page.expect_download() as info:
        page.get_by_role("button", name="Last ned Excel (XLSX)").click()
    path = tmp_path / "plan.xlsx"
    info.value.save_as(path)
    book = load_workbook(io.BytesIO(path.read_bytes()))
    assert book.sheetnames[:3] == ["Tiltak", "Per bolig", "Per bydel"]
    steps = book["Tiltak"]
    assert steps.freeze_panes == "A2" and steps.auto_filter.ref.startswith("A1:")
    header = [c.value for c in steps[1]]
    cost = header.index("Kostnad typisk") + 1
    assert steps.cell(2, cost).number_format == '#,##0 "kr"'
    suitable = [
        r[header.index("Blir egnet for")] for r in steps.iter_rows(min_row=2, values_only=True)
    ]
    assert any("Manuell rullestol" in v for v in suitable)
    assert not any("_" in v for v in suitable)

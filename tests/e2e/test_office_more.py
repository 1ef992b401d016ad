"""Demand overview, most frequent barriers, upgrade options with feasibility overrides,
household edit (stale edits refused) and delete, and planning scenarios compared."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser_helpers import (
    assert_no_axe_violations,
    assert_targets_large_enough,
    open_page,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


def _ready(page, title, screen):
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert_no_axe_violations(page, screen)
    assert_targets_large_enough(page, screen)
    screenshot(page, screen.lower().replace(" ", "-"))


def test_demand_table_and_barrier_chart(phone, live_app):
    page = phone
    sign_in(page, live_app, "facility_manager")
    open_page(page, "Behov og tilbud")
    _ready(page, "Behov og tilbud", "Behov og tilbud")
    table = page.get_by_role("table", name=re.compile("Ventende husstander og egnede boliger"))
    expect(table.locator("thead th[scope=col]")).to_have_count(5)
    expect(table.locator("tbody th[scope=row]").first).to_be_visible()
    expect(table).to_contain_text("færre enn 5")  # small counts are never shown
    expect(table).to_contain_text("Manuell rullestol")

    open_page(page, "Oversikt")
    expect(page.get_by_role("heading", name="Hyppigste barrierer")).to_be_visible()
    chart = page.locator(".barriers-chart")
    expect(chart.locator("svg.bar")).not_to_have_count(0)
    expect(chart.locator(".bars")).to_contain_text(re.compile(r"\d+ boliger"))
    chart.get_by_text("Vis som tabell").click()
    rows = chart.get_by_role("table").locator("tbody tr")
    # Other tests add units with barriers of their own: the seeded step-free barriers (steps,
    # ramp) are among the counts, and the most frequent barrier comes first.
    step_free = rows.filter(has_text=re.compile("trinnfri gangvei")).first.locator("td")
    assert int(step_free.inner_text()) >= 2
    counts = [int(count) for count in rows.locator("td").all_inner_texts()]
    assert counts == sorted(counts, reverse=True), counts
    _ready(page, re.compile("Oversikt"), "Oversikt med barrierer")


def test_marking_a_measure_infeasible_changes_the_class(phone, live_app):
    page = phone
    sign_in(page, live_app, "facility_manager")
    page.goto(f"{live_app.url}/#/boliger/{live_app.units['ramp']}")
    expect(page.get_by_role("heading", level=1, name=re.compile("Rampeveien 7"))).to_be_visible()
    report = page.get_by_role("link", name="Last ned rapport (PDF)")
    expect(report).to_have_attribute("href", f"/api/v1/units/{live_app.units['ramp']}/report.pdf")
    page.get_by_label("Behov").select_option("wheelchair_manual")
    page.get_by_role("button", name="Vis tiltak").click()
    upgrade = page.locator(".upgrade")
    expect(upgrade.locator(".class-now")).to_contain_text("Egnet etter tilpasning")
    expect(upgrade.get_by_role("table")).to_contain_text("Rampe ved inngang")
    expect(upgrade).to_contain_text("Blir også egnet for")
    _ready(page, re.compile("Rampeveien 7"), "Bolig med tiltak")

    for measure in ("Rampe ved inngang", "Utbedring av gangvei (helning, bredde, dekke)"):
        page.get_by_label("Tiltak", exact=True).select_option(label=measure)
        page.get_by_label("Vurdering").select_option("false")
        page.get_by_label("Begrunnelse").fill("Fredet fasade og smal tomt.")
        page.get_by_role("button", name="Lagre vurdering").click()
        registered = page.get_by_role("table", name=re.compile("Registrerte vurderinger"))
        expect(registered).to_contain_text(measure)
    expect(upgrade.locator(".class-now")).to_contain_text("Ikke egnet")
    expect(upgrade).to_contain_text("Kan ikke bli egnet")
    chart = page.locator(".chart", has_text="Manuell rullestol").first
    expect(chart).to_contain_text("Ikke egnet")
    _ready(page, re.compile("Rampeveien 7"), "Bolig med overstyring")

    for measure in ("Rampe ved inngang", "Utbedring av gangvei (helning, bredde, dekke)"):
        page.get_by_role("button", name=f"Fjern vurderingen av {measure}").click()
        expect(page.get_by_role("button", name=f"Fjern vurderingen av {measure}")).to_have_count(0)
    expect(upgrade.locator(".class-now")).to_contain_text("Egnet etter tilpasning")


def _applicant(live, **changes):
    from app.applicants import services

    def run(db):
        if "id" in changes:
            applicant = services.get(changes.pop("id"))
            services.update(applicant, changes)
        else:
            applicant = services.create(
                {"case_reference": "2026/0815", "household": {"adults": 2}, "needs": []}
            )
        db.session.commit()
        return applicant.id

    return live.query(run)


def _applicant_exists(live, applicant_id):
    from app.applicants.models import Applicant

    return live.query(lambda db: db.session.get(Applicant, applicant_id) is not None)


def test_household_edit_refuses_stale_data_and_delete_confirms(phone, live_app):
    page = phone
    applicant_id = _applicant(live_app)
    sign_in(page, live_app, "allocation_officer")
    page.goto(f"{live_app.url}/#/husstander/{applicant_id}/endre")
    expect(page.get_by_role("heading", level=1, name="Endre husstand 2026/0815")).to_be_visible()
    page.get_by_label("Minste antall soverom").fill("2")
    _applicant(live_app, id=applicant_id, min_bedrooms=3)  # a colleague saves meanwhile
    page.get_by_role("button", name="Lagre husstand").click()
    stale = page.locator(".stale")
    expect(stale).to_contain_text("Noen andre har endret husstanden")
    expect(stale).to_be_focused()
    expect(page.get_by_label("Minste antall soverom")).to_have_value("3")
    assert_no_axe_violations(page, "Husstand endret av andre")

    page.get_by_label("Minste antall soverom").fill("4")
    page.get_by_role("button", name="Lagre husstand").click()
    expect(page.get_by_role("heading", level=1, name="Husstand 2026/0815")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("minst 4")

    page.get_by_role("button", name="Slett husstand").click()
    question = page.locator(".confirm p", has_text="slette husstand 2026/0815 for godt")
    expect(question).to_be_focused()
    assert_no_axe_violations(page, "Bekreft sletting")
    page.get_by_role("button", name="Avbryt").click()
    expect(page.get_by_role("button", name="Slett husstand")).to_be_focused()
    assert _applicant_exists(live_app, applicant_id)
    page.get_by_role("button", name="Slett husstand").click()
    page.get_by_role("button", name="Ja, slett husstanden").click()
    expect(page.get_by_role("heading", level=1, name="Husstander på venteliste")).to_be_visible()
    expect(page.get_by_role("link", name="2026/0815")).to_have_count(0)
    assert not _applicant_exists(live_app, applicant_id)


def test_plans_saved_as_scenarios_and_compared(phone, live_app):
    page = phone
    sign_in(page, live_app, "facility_manager")
    open_page(page, "Planlegging")
    page.get_by_label("Prioritering").select_option("equal")
    for budget, name in (("5 000 000", "Stort budsjett"), ("0", "Null budsjett")):
        page.get_by_label("Budsjett (kr)").fill(budget)
        page.get_by_role("button", name="Lag plan").click()
        expect(page.get_by_role("heading", name="Resultat")).to_be_visible()
        page.get_by_label("Navn på scenarioet").fill(name)
        page.get_by_role("button", name="Lagre scenario").click()
        expect(page.get_by_text(f"Scenarioet «{name}» er lagret.")).to_be_visible()
    for field, name in (("Scenario A", "Null budsjett"), ("Scenario B", "Stort budsjett")):
        select = page.get_by_label(field)
        select.select_option(select.locator("option", has_text=name).get_attribute("value"))
    page.get_by_role("button", name="Sammenlign").click()
    table = page.get_by_role("table", name=re.compile("Sammenligning: Null budsjett og Stort"))
    expect(table).to_contain_text("A: Null budsjett")
    expect(table).to_contain_text("Forskjell (B − A)")
    spent = table.locator("tr", has_text="Brukt")
    expect(spent).to_contain_text(re.compile(r"^Brukt.*0\s*kr.*[1-9]"))
    wheelchair = table.locator("tr", has_text="Manuell rullestol")
    expect(wheelchair.locator("td").last).to_have_text(re.compile(r"^\+[1-9]"))
    _ready(page, "Oppgraderingsplan", "Scenarioer sammenlignet")

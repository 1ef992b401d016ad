"""The administrator's webhook screen: subscribe (secret shown once), send a test event,
see the delivery waiting in the log; wrong addresses refused with the reason."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser_helpers import assert_no_axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_admin_subscribes_and_sees_the_delivery_log(phone, live_app):
    page = phone
    sign_in(page, live_app, "admin")
    page.goto(f"{live_app.url}/#/webhooker")
    expect(page.get_by_role("heading", level=1, name="Webhooker")).to_be_visible()

    page.get_by_label("Mottakerens adresse (https)").fill("https://127.0.0.1/hooks")
    page.get_by_label("Vurdering godkjent").check()
    page.get_by_role("button", name="Opprett abonnement").click()
    # loopback: refused, naming the field by its label and saying why in Norwegian
    expect(page.get_by_role("alert")).to_contain_text(
        "Mottakerens adresse (https): 127.0.0.1 er ikke en offentlig adresse"
    )

    page.get_by_label("Mottakerens adresse (https)").fill("https://sak.halden.kommune.no/uu")
    page.get_by_label("Vurdering godkjent").check()
    page.get_by_label("Boligens egnethet endret").check()
    page.get_by_label("Beskrivelse").fill("Saksbehandlingssystemet")
    page.get_by_role("button", name="Opprett abonnement").click()
    expect(page.locator("code.secret")).to_have_text(re.compile(r"^whsec_[A-Za-z0-9+/=]{40,}$"))
    table = page.get_by_role("table", name="Abonnementer")
    row = table.locator("tbody tr", has_text="sak.halden.kommune.no")
    expect(row).to_contain_text("Vurdering godkjent, Boligens egnethet endret")
    page.wait_for_load_state("networkidle")
    assert_no_axe_violations(page, "Webhooker")
    screenshot(page, "webhooker")

    row.get_by_role("button", name="Send testhendelse").click()
    expect(page.locator("#announcer")).to_have_text("Testhendelsen er lagt i kø.")
    row.get_by_role("button", name="Leveranser").click()
    expect(page.get_by_role("heading", level=1, name="Leveranser")).to_be_visible()
    deliveries = page.get_by_role("table", name=re.compile("Leveranser"))
    expect(deliveries.locator("tbody tr")).to_have_count(1)
    expect(deliveries.locator("tbody tr")).to_contain_text("Testhendelse")
    expect(deliveries.locator("tbody tr")).to_contain_text("Venter")
    page.wait_for_load_state("networkidle")
    assert_no_axe_violations(page, "Webhook-leveranser")

"""Keyboard only: sign in, open an inspection, answer a yes/no item and a measurement, with
the focus always visible. No mouse, no clicks."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser_helpers import PASSWORD, new_inspection

pytestmark = pytest.mark.browser

MAX_TABS = 80
FOCUSED = """([selector, text]) => {
  const el = document.activeElement;
  return Boolean(el?.matches(selector)) && (text === null || el.textContent.includes(text));
}"""


def tab_to(page, selector: str, text: str | None = None) -> None:
    """Press Tab until the element matching selector (and containing text) has the focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED, [selector, text]):
            _assert_focus_visible(page)
            return
    raise AssertionError(f"Tab never reached {selector} {text or ''}")


def _assert_focus_visible(page) -> None:
    style = page.evaluate(
        """() => {
            const el = document.activeElement;
            const own = getComputedStyle(el);
            const label = el.closest('label');
            const around = label ? getComputedStyle(label) : own;
            return [own.outlineStyle, own.boxShadow, around.outlineStyle];
        }"""
    )
    assert style[0] != "none" or style[1] != "none" or style[2] != "none", style


def test_inspector_flow_by_keyboard_only(phone, live_app):
    page = phone
    new_inspection(live_app, "keyboard")
    page.goto(live_app.url + "/")
    tab_to(page, 'input[name="email"]')
    page.keyboard.type(live_app.emails["inspector"])
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Mine befaringer")).to_be_focused()

    # The list shows the newest inspection first: other tests' drafts may come before this one.
    tab_to(page, "button.btn-primary", "Last ned Tastaturveien 3")
    expect(page.locator(":focus")).to_have_text(re.compile("Last ned Tastaturveien 3"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name=re.compile("Tastaturveien 3"))).to_be_focused()

    tab_to(page, 'input[name="answer-access.step_free_route"]')
    page.keyboard.press("Space")
    yes_no = page.locator('fieldset[data-item="access.step_free_route"]')
    expect(yes_no.get_by_label("Ja", exact=True)).to_be_checked()
    expect(yes_no.locator(".verdict")).to_have_text("✓ Oppfyller kravet")

    tab_to(page, '[id="q-access.route_gradient_percent"]')
    page.keyboard.type("9,5")
    gradient = page.locator('fieldset[data-item="access.route_gradient_percent"]')
    expect(gradient.locator(".verdict")).to_contain_text("Avvik")
    page.keyboard.press("Tab")
    expect(page.locator(".sync-summary")).to_have_text("Alt er sendt.", timeout=15_000)

    tab_to(page, "a.btn-primary")  # "Neste: <section>"
    expect(page.locator(":focus")).to_have_text(re.compile("^Neste"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2, name="Inngangsparti")).to_be_visible()


def test_inspection_reflows_at_320_px(phone, live_app):
    """320 CSS px is a 1280 px window at 400 % zoom: no sideways scrolling (WCAG 1.4.10)."""
    page = phone
    new_inspection(live_app, "keyboard")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_app.url + "/")
    page.get_by_label("E-post").fill(live_app.emails["inspector"])
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name=re.compile("Last ned Tastaturveien 3")).first.click()
    expect(page.locator("fieldset.item").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('main button, main .choice, main input[type=text]')]
            .filter((el) => el.offsetParent !== null)
            .map((el) => el.getBoundingClientRect().height)"""
    )
    assert sizes and min(sizes) >= 44  # touch targets for gloved hands

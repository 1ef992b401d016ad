"""Helpers the browser tests share: sign in, screenshots, server-side set-up, test images."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

PASSWORD = "e2e-riktig-hemmelig-passord"
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def sign_in(page, live, role: str) -> None:
    page.goto(live.url + "/")
    page.get_by_label("E-post").fill(live.emails[role])
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.locator("#nav a").first.wait_for(state="attached")


def open_page(page, name: str) -> None:
    """Choose a page in the main menu (folded behind "Meny" on a phone)."""
    toggle = page.locator("#menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.locator("#nav").get_by_role("link", name=name, exact=True).click()


# A JavaScript function's source: "() => ...", "(a) => ...", "async () => ...", "function ...".
_FUNCTION = re.compile(r"\s*(async\s+)?(\(|function\b|[\w$]+\s*=>)")


def wait_until(page, predicate: str, arg=None) -> None:
    """Wait until the JavaScript function `predicate` (source text) returns a truthy value.

    Always a function, never a bare expression: Playwright compiles the text with eval() in
    the page. A function is compiled once, inside the DevTools call that starts (or, after a
    navigation, restarts) the wait, where the page's Content Security Policy does not apply,
    and the polls then only call it. A bare expression is compiled again at every poll (each
    animation frame), where the app's `script-src 'self'` without 'unsafe-eval' blocks it:
    such a wait failed with an EvalError whenever its condition was not true at once.
    The function must return a plain value: a promise is truthy, so it would not wait."""
    assert _FUNCTION.match(predicate), f"wait_until needs a function, not {predicate!r}"
    page.wait_for_function(predicate, arg=arg)


def wait_for_service_worker(page) -> None:
    """Wait until a service worker controls the page (the shell then works offline)."""
    wait_until(page, "() => navigator.serviceWorker?.controller != null")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def new_inspection(live, unit_key: str, checklist_version: int | None = 1) -> str:
    """An inspection assigned to the inspector, created on the server (the office's step);
    the inspector's open draft of the unit when there is one (one open draft per unit).
    Under checklist version 1 by default, whose item ids the tests answer (None: the newest)."""
    from app.auth.models import User
    from app.inspections import services

    def make(db):
        inspector = db.session.query(User).filter_by(email=live.emails["inspector"]).one()
        draft = services.open_draft_of(live.units[unit_key], inspector.id)
        if draft is not None:
            return str(draft.id)
        data = {"id": uuid.uuid4(), "unit_id": live.units[unit_key]}
        if checklist_version is not None:
            data["checklist_version"] = checklist_version
        inspection, _ = services.create_inspection(inspector, data)
        db.session.commit()
        return str(inspection.id)

    return live.query(make)


def jpeg_file(path: Path, size=(3000, 2000)) -> Path:
    """A real camera-sized JPEG, so the device has something to downscale."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (90, 120, 160))
    ImageDraw.Draw(image).rectangle(
        [size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2], fill=(200, 60, 40)
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return path


def assert_no_axe_violations(page, screen: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"axe on {screen}:\n{results.generate_report()}"


def submitted_inspection(live, unit_key: str, photo_item: str) -> str:
    """An inspection answered in full, with one photo, submitted for review (server side)."""
    from app.auth.models import User
    from app.inspections import services
    from app.inspections.photos.services import photo_items, upload
    from tests.factories import passing_answers

    def make(db):
        inspector = db.session.query(User).filter_by(email=live.emails["inspector"]).one()
        data = {"id": uuid.uuid4(), "unit_id": live.units[unit_key], "checklist_version": 1}
        inspection, _ = services.create_inspection(inspector, data)
        services.upsert_answers(inspector, inspection, passing_answers())
        buffer = io.BytesIO(jpeg_bytes())
        upload(inspector, inspection.id, uuid.uuid4(), buffer, photo_item, "Inngangen")
        services.submit(inspector, inspection, photo_items(inspection))
        db.session.commit()
        return str(inspection.id)

    return live.query(make)


def jpeg_bytes(size=(800, 600)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (60, 140, 90)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def inspection_status(live, inspection_id: str) -> tuple[str, str | None]:
    from app.inspections.models import Inspection

    def read(db):
        row = db.session.get(Inspection, uuid.UUID(inspection_id))
        return row.status, row.return_comment

    return live.query(read)


TARGETS = """() => [...document.querySelectorAll(
    'a, button, input:not([type=hidden]):not([type=file]), select, textarea, summary, '
    + 'label.choice, label.file-label'
  )].filter((el) => el.offsetParent !== null || el.closest('.bottom-bar'))
   .filter((el) => !el.closest('label.choice') || el.matches('label.choice'))
   .filter((el) => !el.matches('.skip-link') || document.activeElement === el)
   .map((el) => ({ text: (el.textContent || el.name || el.id || el.tagName).trim().slice(0, 50),
                   w: el.getBoundingClientRect().width, h: el.getBoundingClientRect().height }))
   .filter((r) => r.w > 0 && r.h > 0)"""


def assert_touch_targets(page, screen: str, minimum: float = 44) -> None:
    """Every control a finger can reach is at least 44 x 44 CSS px (radios and checkboxes are
    reached through their label, which is the target)."""
    small = [t for t in page.evaluate(TARGETS) if t["w"] < minimum - 0.5 or t["h"] < minimum - 0.5]
    assert not small, f"touch targets under {minimum} px on {screen}: {small[:10]}"


def assert_accessible_light_and_dark(page, screen: str) -> None:
    """axe (WCAG 2.1 AA) and the touch-target check in the light and the dark theme."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert_no_axe_violations(page, f"{screen} ({scheme})")
        assert_touch_targets(page, f"{screen} ({scheme})")
    page.emulate_media(color_scheme="light")


def waiting_household(live, reference: str, needs: dict[str, str]) -> int:
    """A waiting household with these needs ({limitation: level}), made once (server side),
    so a test that needs demand on the waiting list does not rely on another test's."""
    from app.applicants import services
    from app.applicants.models import Applicant

    def make(db):
        found = db.session.query(Applicant).filter_by(case_reference=reference).one_or_none()
        if found is None:
            found = services.create(
                {
                    "case_reference": reference,
                    "household": {"adults": 1},
                    "needs": [{"limitation": k, "level": v} for k, v in needs.items()],
                    "min_bedrooms": 0,
                }
            )
            db.session.commit()
        return found.id

    return live.query(make)


def wheelchair_demand(live) -> None:
    """Five waiting households that need a manual wheelchair unit: the fewest a facility
    manager's demand-weighted plan sees (smaller counts are suppressed for that role)."""
    for number in range(1, 6):
        waiting_household(live, f"2026/plan-{number}", {"wheelchair_manual": "required"})


# Every control a finger or a pointer hits, measured where the page shows it: a checkbox or
# radio by its label (the label is the target), controls in closed <details> are skipped.
_SMALL_TARGETS = """() => {
  const small = [];
  const controls = "main button, main select, main input, main textarea, main summary, "
    + "main a.btn, main td a, #nav a, #nav button";
  for (const el of document.querySelectorAll(controls)) {
    if (el.matches("input[type=hidden], .file-input")) continue;
    const box = el.matches("input[type=checkbox], input[type=radio]");
    const target = box ? el.closest("label") || el : el;
    const r = target.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    if (r.width < 44 || r.height < 44) {
      const name = el.getAttribute("name") || el.textContent.trim().slice(0, 40);
      const size = `${Math.round(r.width)}×${Math.round(r.height)}`;
      small.push(`${el.tagName.toLowerCase()} «${name}» ${size}`);
    }
  }
  return small;
}"""


def assert_targets_large_enough(page, screen: str) -> None:
    """Touch targets of at least 44 × 44 CSS px (WCAG 2.5.5 / 2.5.8)."""
    small = page.evaluate(_SMALL_TARGETS)
    assert not small, f"targets under 44 × 44 px on {screen}: {small}"

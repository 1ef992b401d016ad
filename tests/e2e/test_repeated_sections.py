"""Repeated sections on the phone: a second bathroom added and named with no network, answered
apart from the first, synced (the instance before its answers); an instance removed; the
missing list naming the instance; and the submit once everything is answered.

The checklist with a repeated bathroom section (uu-bolig v3, tests/inspections/
repeated_checklist.py) becomes the newest version where it is published, so this module has
a live server of its own: the other browser tests keep theirs as it was."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.e2e.browser_helpers import (
    assert_accessible_light_and_dark,
    jpeg_file,
    new_inspection,
    screenshot,
    sign_in,
    wait_for_service_worker,
)

pytestmark = pytest.mark.browser

SHOWER = "bathroom.step_free_shower"
MIXER = "bathroom.single_lever_mixer"
FLOOR = "bathroom.slip_resistant_floor"
SYNCED = 20_000


@pytest.fixture
def page(repeated_phone):
    return repeated_phone


def item(page, item_id):
    return page.locator(f'fieldset[data-item="{item_id}"]')


def tap(page, item_id, yes: bool):
    fieldset = item(page, item_id)
    fieldset.locator(f'label[for="q-{item_id}{"" if yes else "-1"}"]').click()
    expect(fieldset).not_to_have_attribute("data-status", "unanswered")


def bathroom_index(live) -> int:
    from app.checklists import services as checklists
    from tests.inspections.repeated_checklist import BATHROOM, VERSION

    def read(db):
        checklist = checklists.catalogue().checklists[("uu-bolig", VERSION)]
        return [s.id for s in checklist.sections].index(BATHROOM)

    return live.query(read)


def server_state(live, inspection_id):
    """{number: (label, deleted)} of the bathroom's instance rows, and {(item, instance): value}."""
    from app.inspections.models import Answer, SectionInstance

    def read(db):
        iid = uuid.UUID(inspection_id)
        rows = db.session.scalars(select(SectionInstance).filter_by(inspection_id=iid)).all()
        answers = db.session.scalars(select(Answer).filter_by(inspection_id=iid)).all()
        return (
            {
                r.number: (r.label, r.deleted_at is not None)
                for r in rows
                if r.section_id == "bathroom"
            },
            {(a.item_id, a.instance): a.value for a in answers},
        )

    return live.query(read)


def server_photos(live, inspection_id):
    from app.inspections.photos.models import Photo

    def read(db):
        rows = db.session.scalars(select(Photo).filter_by(inspection_id=uuid.UUID(inspection_id)))
        return [(p.item_id, p.instance) for p in rows]

    return live.query(read)


def answer_everything_on_server(live, inspection_id, bathrooms):
    """Passing answers to every item, and to the bathroom's items in each given instance."""
    from app.auth.models import User
    from app.checklists import services as checklists
    from app.inspections import services
    from tests.factories import passing_answers
    from tests.inspections.repeated_checklist import VERSION

    def write(db):
        inspector = db.session.query(User).filter_by(email=live.emails["inspector"]).one()
        checklist = checklists.catalogue().checklists[("uu-bolig", VERSION)]
        answers = []
        for answer in passing_answers(checklist):
            numbers = bathrooms if answer["item_id"].startswith("bathroom.") else [1]
            answers.extend({**answer, "instance": n} for n in numbers)
        inspection = services.get_inspection(
            inspector, uuid.UUID(inspection_id), write=True, lock=True
        )
        services.upsert_answers(inspector, inspection, answers)
        db.session.commit()

    live.query(write)


def synced(page):
    page.locator(".sync-line").get_by_role("button", name="Send nå").click()
    expect(page.locator(".sync-summary")).to_have_text("Alt er sendt.", timeout=SYNCED)


def test_a_second_bathroom_offline(page, repeated_live, tmp_path):
    live = repeated_live
    inspection_id = new_inspection(live, "walk", checklist_version=3)
    index = bathroom_index(live)
    sign_in(page, live, "inspector")
    page.get_by_role("button", name=re.compile("Last ned Befaringsveien 1")).click()
    expect(
        page.get_by_role("heading", level=1, name=re.compile("Befaringsveien 1"))
    ).to_be_visible()
    wait_for_service_worker(page)

    page.context.set_offline(True)
    page.evaluate("(hash) => { location.hash = hash; }", f"#/befaring/{inspection_id}/{index}")
    heading = page.locator("#section-heading")
    expect(heading).to_contain_text("Bad og WC: Bad 1")
    tabs = page.locator(".instance-tabs a")
    expect(tabs).to_have_count(1)
    tap(page, SHOWER, True)
    tap(page, MIXER, False)

    # a second bathroom, named, answered differently: all on the device
    page.get_by_role("button", name="Legg til bad og wc").click()
    expect(heading).to_contain_text("Bad og WC: Bad 2")
    expect(tabs).to_have_count(2)
    expect(item(page, SHOWER)).to_have_attribute("data-status", "unanswered")
    page.locator(".instance-tools summary").click()
    page.get_by_label("Navn", exact=True).fill("Bad ved soverom")
    page.get_by_role("button", name="Lagre navn").click()
    expect(heading).to_contain_text("Bad og WC: Bad ved soverom")
    expect(tabs.nth(1)).to_contain_text("Bad ved soverom")
    tap(page, SHOWER, False)
    tap(page, MIXER, True)
    tap(page, FLOOR, True)
    # the photo of a barrier belongs to this bathroom
    item(page, SHOWER).get_by_role("button", name=re.compile("^Mer")).click()
    item(page, SHOWER).locator("input.camera-input").set_input_files(
        str(jpeg_file(tmp_path / "dusj.jpg"))
    )
    expect(item(page, SHOWER).locator(".photo-state")).to_have_text(re.compile("venter på sending"))
    # counts per instance ("Nei" to a barrier that needs a photo is not done yet)
    expect(tabs.nth(1)).to_contain_text(re.compile(r"\([23] av 1\d\)"))
    expect(tabs.nth(0)).to_contain_text(re.compile(r"\([12] av 1\d\)"))
    expect(page.locator(".sync-summary")).to_contain_text("venter på sending")
    screenshot(page, "befarer-gjentatt-seksjon")

    # each instance keeps its own answers
    tabs.nth(0).click()
    expect(heading).to_contain_text("Bad og WC: Bad 1")
    expect(item(page, SHOWER).locator(f'[id="q-{SHOWER}"]')).to_be_checked()
    expect(item(page, SHOWER).get_by_role("button", name=re.compile("^Mer"))).to_have_text(
        re.compile(r"^Mer:")
    )  # no photo count here
    tabs.nth(1).click()
    expect(item(page, SHOWER).locator(f'[id="q-{SHOWER}-1"]')).to_be_checked()

    # online: the instance goes first, then its answers
    page.context.set_offline(False)
    synced(page)
    instances, answers = server_state(live, inspection_id)
    assert instances[2] == ("Bad ved soverom", False), instances
    assert answers[(SHOWER, 1)] is True and answers[(SHOWER, 2)] is False, answers
    assert answers[(MIXER, 1)] is False and answers[(MIXER, 2)] is True, answers
    assert answers[(FLOOR, 2)] is True and (FLOOR, 1) not in answers, answers
    assert server_photos(live, inspection_id) == [(SHOWER, 2)]

    page.locator(".instance-tools summary").click()
    assert_accessible_light_and_dark(page, "Befaring: gjentatt seksjon")

    # moved first, then removed (after a confirm)
    page.get_by_role("button", name="Flytt opp").click()
    expect(tabs.nth(0)).to_contain_text("Bad ved soverom")
    synced(page)
    page.get_by_role("button", name="Fjern «Bad ved soverom»").click()
    page.get_by_role("button", name="Ja, fjern").click()
    expect(heading).to_contain_text("Bad og WC: Bad 1")
    expect(tabs).to_have_count(1)
    synced(page)
    instances, answers = server_state(live, inspection_id)
    assert instances[2][1] is True, instances
    assert not [key for key in answers if key[1] == 2], answers
    assert server_photos(live, inspection_id) == []

    # a third bathroom takes a new number; a submit names what it misses
    page.get_by_role("button", name="Legg til bad og wc").click()
    expect(heading).to_contain_text("Bad og WC: Bad 3")
    synced(page)
    assert server_state(live, inspection_id)[0][3] == ("Bad 3", False)
    answer_everything_on_server(live, inspection_id, [1])
    page.get_by_role("button", name="Send inn befaringen").click()
    refused = page.locator(".submit [role=alert]")
    expect(refused).to_contain_text("kan ikke sendes inn ennå")
    expect(refused).to_contain_text("Bad 3: ")
    expect(refused).not_to_contain_text("Bad 1: ")

    answer_everything_on_server(live, inspection_id, [1, 3])
    page.get_by_role("button", name="Send inn befaringen").click()
    expect(page.get_by_text("Befaringen er sendt inn til godkjenning.")).to_be_visible(
        timeout=SYNCED
    )


# The device's database as the app before repeated sections left it (version 2: answers keyed
# by inspection and item).
OLD_DATABASE = """async (record) => {
  await new Promise((resolve, reject) => {
    const req = indexedDB.open("uu-bolig", 2);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const name of ["units", "meta", "checklists", "inspections", "photos"]) {
        const keys = { units: "id", meta: "key", checklists: "ref", inspections: "id" };
        const store = db.createObjectStore(name, { keyPath: keys[name] || "id" });
        if (name === "photos") store.createIndex("inspection_id", "inspection_id");
      }
      db.createObjectStore("answers", { keyPath: ["inspection_id", "item_id"] })
        .createIndex("inspection_id", "inspection_id");
    };
    req.onsuccess = () => {
      const tx = req.result.transaction("answers", "readwrite");
      tx.objectStore("answers").put(record);
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  });
  return true;
}"""

READ_NEW = """async ([id, item]) => {
  const db = await import("/pwa/js/db.js");
  const answer = await db.get("answers", [id, item, 1]);
  const all = await db.byInspection("answers", id);
  return { answer, count: all.length };
}"""


def test_answers_stored_before_instances_are_kept(page, repeated_live):
    """An app update moves the answers on the device to their new key, as instance 1."""
    page.goto(repeated_live.url + "/manifest.webmanifest")  # the origin, without the app
    old = {
        "inspection_id": "abc",
        "item_id": SHOWER,
        "value": True,
        "state": "waiting",
        "answered_at": "2026-01-01T10:00:00Z",
    }
    assert page.evaluate(OLD_DATABASE, old)
    page.goto(repeated_live.url + "/")
    found = page.evaluate(READ_NEW, ["abc", SHOWER])
    assert found["count"] == 1
    assert found["answer"] == {**old, "instance": 1}


def test_a_bathroom_added_before_the_inspection_exists_on_the_server(page, repeated_live):
    """Started offline from the downloaded starting point: the inspection is created first,
    then the new instance, then its answers."""
    from app.inspections.models import Inspection

    live = repeated_live
    index = bathroom_index(live)
    sign_in(page, live, "inspector")
    start = page.get_by_role("button", name=re.compile("Start befaring: Gjensynsveien 6"))
    expect(start).to_be_visible()
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.reload()
    page.get_by_role("button", name=re.compile("Start befaring: Gjensynsveien 6")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Gjensynsveien 6"))).to_be_visible()
    local_id = re.search(r"#/befaring/([\w-]+)", page.url).group(1)
    page.evaluate("(hash) => { location.hash = hash; }", f"#/befaring/{local_id}/{index}")
    heading = page.locator("#section-heading")
    expect(heading).to_contain_text("Bad og WC: Bad 1")
    page.get_by_role("button", name="Legg til bad og wc").click()
    expect(heading).to_contain_text("Bad og WC: Bad 2")
    tap(page, SHOWER, True)

    page.context.set_offline(False)
    synced(page)

    def created(db):
        row = db.session.scalars(
            select(Inspection).where(
                Inspection.unit_id == live.units["reinspect"], Inspection.status == "draft"
            )
        ).one()
        return str(row.id)

    inspection_id = live.query(created)
    assert inspection_id == local_id
    instances, answers = server_state(live, inspection_id)
    assert instances[2] == ("Bad 2", False), instances
    assert answers[(SHOWER, 2)] is True, answers

"""A checklist with a repeated section, for the tests of instances: the shipped uu-bolig v2
published once more as v3, with its bathroom section recorded once per bathroom (1 to 4,
prefilled from the unit's register)."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.checklists import services as checklists
from app.checklists.definitions import Checklist
from app.extensions import db

VERSION = 3
BATHROOM = "bathroom"
REPEAT = (
    '    repeat: {label: {nb: "Bad {n}", en: "Bathroom {n}"}, rule: any, min: 1, max: 4, '
    "prefill: bathrooms}\n"
)
SECTION_START = "  - id: bathroom\n"


def publish_repeated_bathroom(app, tmp_path: Path) -> Checklist:
    """Publish uu-bolig v3 (v2 with `repeat:` on the bathroom section); returns it."""
    target = tmp_path / "checklists"
    shutil.copytree(Path(app.config["CHECKLISTS_PATH"]), target)
    v2 = (target / "uu-bolig" / "v2.yaml").read_text(encoding="utf-8")
    assert v2.count("\nversion: 2\n") == 1 and v2.count(SECTION_START) == 1
    head, rest = v2.replace("\nversion: 2\n", f"\nversion: {VERSION}\n").split(SECTION_START)
    title, items = rest.split("    items:\n", 1)
    v3 = head + SECTION_START + title + REPEAT + "    items:\n" + items
    (target / "uu-bolig" / f"v{VERSION}.yaml").write_text(v3, encoding="utf-8")
    checklists.publish(target)
    db.session.commit()
    return checklists.catalogue().checklists[("uu-bolig", VERSION)]


def bathroom_items(checklist: Checklist) -> list[str]:
    return [item.id for item in checklist.repeated[BATHROOM].items]

"""Parse and check a version mapping, `<key>/map-v<from>-v<to>.yaml`.

The mapping says which answers given under the older checklist version still mean the same
under the newer one, so a re-inspection under the newer version starts from them:

    key: uu-bolig
    from: 1
    to: 2
    carry:
      entrance.door_clear_width_mm: entrance.door_clear_width_mm   # old id: new id
      storage.area_m2: [storage.area_m2, storage.area_small_unit_m2]  # or a list of new ids

A list carries one answer to several new items that split the old one by a register fact.
Checked when published: both ids exist, the answer types agree, measurements keep their unit,
every choice of the old item is a choice of the new one (so a carried value is valid), and no
new item gets answers from two old ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from app.checklists.answer_types import ANSWER_TYPES
from app.checklists.definitions import Checklist, Item
from app.checklists.findings import Collector
from app.checklists.yamlsrc import Reader, line_of, parse_yaml

MAPPING_FILE = re.compile(r"^([a-z][a-z0-9-]*)/map-v([1-9][0-9]*)-v([1-9][0-9]*)\.yaml$")


def _mismatch(old: Item, new: Item) -> str | None:
    """Why an answer to `old` cannot stand as an answer to `new`, or None when it can."""
    if old.type != new.type:
        return f"svartypen er ulik ({old.type} og {new.type})"
    if old.unit != new.unit:
        return f"enheten er ulik ({old.unit} og {new.unit})"
    if ANSWER_TYPES[old.type].value == "choice":  # a carried key must be a choice of the new
        missing = {ch.key for ch in old.choices} - {ch.key for ch in new.choices}
        if missing:
            return f"valgene {sorted(missing)} finnes ikke i det nye punktet"
    return None


def parse_mapping(
    c: Collector,
    text: str,
    name: str,
    checklists: Mapping[tuple[str, int], Checklist],
) -> tuple[tuple[str, int, int], dict[str, tuple[str, ...]]] | None:
    """One mapping file checked against the checklists it maps between."""
    match = MAPPING_FILE.match(name)
    if match is None:
        c.add(None, None, "mappingfiler må hete <nøkkel>/map-v<fra>-v<til>.yaml")
        return None
    r = Reader(c, parse_yaml(text, c), None, ("key", "from", "to", "carry"), "mappingen")
    if not r.ok:
        return None
    key, old_version, new_version = r.str("key"), r.int("from"), r.int("to")
    expected = (match.group(1), int(match.group(2)), int(match.group(3)))
    if (key, old_version, new_version) != expected:
        c.add(
            None, None, f"filen skal ha key {expected[0]}, from {expected[1]} og to {expected[2]}"
        )
        return None
    if not expected[1] < expected[2]:
        c.add(None, None, "en mapping går fra en eldre til en nyere versjon (from < to)")
        return None
    old, new = checklists.get(expected[:2]), checklists.get((expected[0], expected[2]))
    if old is None or new is None:
        c.add(None, None, f"sjekklisten {key} mangler versjon {old_version} eller {new_version}")
        return None
    carry = r.mapping("carry", required=True) or {}
    old_items, new_items = old.items, new.items
    result: dict[str, tuple[str, ...]] = {}
    targets: dict[str, str] = {}
    for old_id, new_ids in carry.items():
        line = line_of(carry, old_id)
        if old_id not in old_items:
            c.add(line, old_id, f"punktet finnes ikke i versjon {old_version}")
            continue
        new_ids = new_ids if isinstance(new_ids, list) else [new_ids]
        if not new_ids:
            c.add(line, old_id, "listen over nye punkter er tom")
        for new_id in new_ids:
            if not isinstance(new_id, str) or new_id not in new_items:
                c.add(line, old_id, f"«{new_id}» finnes ikke i versjon {new_version}")
            elif new_id in targets:
                c.add(line, old_id, f"«{new_id}» får allerede svaret fra «{targets[new_id]}»")
            elif (why := _mismatch(old_items[old_id], new_items[new_id])) is not None:
                c.add(line, old_id, f"svaret kan ikke føres over til «{new_id}»: {why}")
            else:
                targets[new_id] = old_id
        result[old_id] = tuple(new_ids)
    if c.findings:
        return None
    return expected, result

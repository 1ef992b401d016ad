"""One table of answer types and condition operators (app/checklists/answer_types.py): the
server reads it, every checklist definition carries it to the phone, and the phone's code
knows no type or operator the table does not (it reads the JS source).

tests/scoring/test_condition_cases.py and tests/e2e/test_condition_cases.py run the shared
condition cases on both sides, the phone with the table shipped here."""

from __future__ import annotations

import json
import re
from dataclasses import fields, replace
from pathlib import Path

import pytest

from app.checklists import services
from app.checklists.answer_types import (
    ANSWER_TYPES,
    JUDGED_BY,
    OPERATORS,
    VALUE_KINDS,
    AnswerType,
    Operator,
    fingerprint,
    shipped,
)
from app.checklists.items import OPS
from app.checklists.loader import CatalogueError, parse_checklist, parse_limitations
from app.checklists.serialize import checklist_to_dict
from tests.checklists.checklist_builders import LIMITATIONS, checklist, dump, items, yes_no

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "app" / "pwa" / "static" / "js"
URL = "/api/v1/checklists/uu-bolig/versions/{}"
LIMS = parse_limitations(dump(LIMITATIONS), "limitations.yaml")


def _js(name: str | None = None) -> str:
    paths = [JS / name] if name else sorted(JS.rglob("*.js"))
    return "\n".join(path.read_text("utf-8") for path in paths)


@pytest.mark.parametrize("version", [1, 2])
def test_the_served_checklist_carries_the_python_table(as_role, version):
    body = as_role("inspector").get(URL.format(version)).get_json()
    table = shipped()
    assert body["answer_types"] == table["answer_types"]
    assert body["operators"] == table["operators"]
    assert json.loads(json.dumps(table)) == table  # JSON as it is: nothing lost on the way
    used = {i["type"] for s in body["sections"] for i in s["items"]}
    assert used <= set(body["answer_types"])


def test_the_definitions_etag_covers_the_table(as_role, monkeypatch):
    inspector = as_role("inspector")
    content = services.checklist_definition("uu-bolig", 1).content_hash
    measures = services.catalogue().measures.version
    before = inspector.get(URL.format(1))
    assert before.headers["ETag"] == f'"{content}-m{measures}-{fingerprint()}"'
    relabelled = replace(ANSWER_TYPES["text"], input_label="Merknad")
    monkeypatch.setitem(ANSWER_TYPES, "text", relabelled)
    after = inspector.get(URL.format(1), headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200  # the phone's copy is stale: it gets the new table
    assert after.get_json()["answer_types"]["text"]["input_label"] == "Merknad"
    assert after.headers["ETag"] == f'"{content}-m{measures}-{fingerprint()}"'
    assert after.headers["ETag"] != before.headers["ETag"]
    again = inspector.get(URL.format(1), headers={"If-None-Match": after.headers["ETag"]})
    assert again.status_code == 304


def test_the_shipped_table_is_the_python_table_field_by_field():
    table = shipped()
    assert list(table["answer_types"]) == list(ANSWER_TYPES)
    assert list(table["operators"]) == list(OPERATORS)
    for name, row in ANSWER_TYPES.items():
        assert set(table["answer_types"][name]) == {f.name for f in fields(AnswerType)}
        for f in fields(AnswerType):
            value = getattr(row, f.name)
            assert table["answer_types"][name][f.name] == (
                list(value) if isinstance(value, tuple) else value
            )
    for name, op in OPERATORS.items():
        assert table["operators"][name] == {
            f.name: list(getattr(op, f.name))
            if isinstance(getattr(op, f.name), tuple)
            else getattr(op, f.name)
            for f in fields(Operator)
        }


def test_checklist_files_accept_exactly_the_table():
    assert tuple(OPERATORS) == OPS
    text = dump(checklist([*items(), yes_no("room.odd", type="yes_maybe")]))
    with pytest.raises(CatalogueError) as info:
        parse_checklist(text, "test/v1.yaml", LIMS)
    problems = [p.message for p in info.value.findings]
    assert any(f"kjente: {', '.join(ANSWER_TYPES)}" in m for m in problems), problems


def test_every_definition_carries_every_type_and_operator():
    body = checklist_to_dict(parse_checklist(dump(checklist()), "test/v1.yaml", LIMS), {})
    assert body["answer_types"] == shipped()["answer_types"]
    assert body["operators"] == shipped()["operators"]


def test_the_docs_list_the_answer_types_and_operators():
    docs = (ROOT / "docs" / "checklists.md").read_text("utf-8")
    listed = re.search(r"type: \w+\s+# ([\w |]+)\n", docs)
    assert listed is not None
    assert [t.strip() for t in listed.group(1).split("|")] == list(ANSWER_TYPES)
    ops = re.search(r"operators `([\w ]+)`", docs)
    assert ops is not None and ops.group(1).split() == list(OPERATORS)


def test_the_server_branches_on_no_answer_type_name():
    # `.type == "choice"`, `.type in ("measurement", "count")`: a list of types of its own,
    # which a new type would have to touch. The code reads the table's properties instead.
    branch = re.compile(r"\.type\s*(?:[!=]=\s*[\"']|(?:not\s+)?in\s*[(\[{]\s*[\"'])")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "app").rglob("*.py"))
        if path.name != "answer_types.py"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if branch.search(line)
    ]
    assert not found, found


# -- the phone's code -------------------------------------------------------------------------

# Names that would be operators if the phone had a list of its own (the old one spelled gte/lte).
OPERATOR_LIKE = {"eq", "ne", "neq", "gt", "ge", "gte", "lt", "le", "lte", "in", "nin", "not_in"}
CONDITION_KEYS = {"item", "fact", "all", "any", "not"}


def test_the_phone_names_no_answer_type_outside_the_table():
    named = set(re.findall(r"\.type\s*[!=]==?\s*\"(\w+)\"", _js()))
    named |= set(re.findall(r"\"(\w+)\"\s*[!=]==?\s*\w+(?:\?)?\.type\b", _js()))
    assert named <= set(ANSWER_TYPES), named - set(ANSWER_TYPES)


def test_the_phone_names_no_operator_outside_the_table():
    source = _js("checklist.js")
    assert not re.search(r"\bOPS\s*=", source), "the phone keeps no list of operators"
    source = source[source.index("function outcome") :]  # conditions (not choices: c.key)
    quoted = set(re.findall(r"\"(\w+)\"", source)) & OPERATOR_LIKE
    read = set(re.findall(r"\b(?:c|condition)\??\.(\w+)", source))
    read |= set(re.findall(r"\"(\w+)\" in (?:c|condition)\b", source))
    assert quoted <= set(OPERATORS), quoted - set(OPERATORS)
    assert read <= set(OPERATORS) | CONDITION_KEYS, read - set(OPERATORS) - CONDITION_KEYS


def test_the_phone_reads_only_properties_the_table_has():
    source = _js()
    type_props = {f.name for f in fields(AnswerType)}
    op_props = {f.name for f in fields(Operator)}
    read = set(re.findall(r"answerType\([^()]*\)\??\.(\w+)", source))
    read |= set(re.findall(r"\bkind\??\.(\w+)", source))
    assert read and read <= type_props, read - type_props
    spec_read = set(re.findall(r"\bspec\.(\w+)", _js("checklist.js")))
    assert spec_read and spec_read <= op_props, spec_read - op_props


def test_the_phone_compares_properties_with_values_the_table_has():
    values = {
        "judged_by": set(JUDGED_BY),
        "value": set(VALUE_KINDS),
        "inputmode": {t.inputmode for t in ANSWER_TYPES.values()},
        "takes": {o.takes for o in OPERATORS.values()},
    }
    record = r"(?:\bkind|\bspec|answerType\([^()]*\))\??\.(\w+)"
    found = re.findall(record + r"\s*[!=]==\s*\"(\w+)\"", _js())
    found += [("judged_by", v) for v in re.findall(r"judgedBy\s*[!=]==\s*\"(\w+)\"", _js())]
    for prop, value in found:
        assert value in values[prop], (prop, value)
    assert {prop for prop, _ in found} == set(values)

"""Parse one checklist item (and its condition, bands and choices) from YAML data.

Checks what can be checked inside one item; rules that need the other items (condition
targets, cycles, scoreability) live in `validation.py`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, get_args

from app.checklists.answer_types import ANSWER_TYPES, OPERATORS, TYPE_FIELDS
from app.checklists.definitions import (
    BUILDING_TYPES,
    FACTS,
    GENERAL,
    Band,
    Choice,
    Condition,
    Item,
    PhotoPolicy,
    Reference,
    ReferenceKind,
    Requirement,
    Severity,
    Text,
)
from app.checklists.findings import Collector
from app.checklists.yamlsrc import Reader, is_number, line_of

PHOTO_POLICIES: tuple[str, ...] = get_args(PhotoPolicy)
REFERENCE_KINDS: tuple[str, ...] = get_args(ReferenceKind)
OPS: tuple[str, ...] = tuple(OPERATORS)
ITEM_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
ITEM_KEYS = (
    "id", "type", "question", "help", "reference", "severity", "not_applicable_allowed",
    "condition", "photo", "unit", "bounds", "requirement", "bands", "choices", "register",
    "no_measure_reason", "satisfied_by",
)  # fmt: skip
# What a missing field of `AnswerType.needs` is called in a message.
NEEDED = {
    "unit": "enhet (unit)",
    "requirement": "krav (requirement) med min eller max",
    "bounds": "fornuftig måleområde (bounds)",
    "bands": "gradering (bands)",
    "choices": "valg (choices)",
    "severity": "alvorlighetsgrad (severity)",
}
REGISTER_TYPES = {"floor": "count", "has_lift": "yes_no", "storeys": "count"}
_EMPTY = Text("", "")


def parse_severity(
    c: Collector, data: Any, item_id: str | None, limitations: Collection[str], line: int | None
) -> Severity | None:
    """A {limitation: 1..4} mapping; None when any entry is wrong."""
    if not isinstance(data, dict):
        c.add(
            line,
            item_id,
            "alvorlighetsgrad (severity) må være en blokk {funksjonsnedsettelse: 1–4}",
        )
        return None
    result: Severity = {}
    for key, value in data.items():
        key_line = line_of(data, key)
        if key not in limitations:
            c.add(key_line, item_id, f"ukjent funksjonsnedsettelse «{key}»")
        elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            c.add(key_line, item_id, f"alvorlighetsgrad for «{key}» må være 1–4, ikke {value!r}")
        else:
            result[key] = value
    return result if len(result) == len(data) else None


def _within(severity: Severity, full: Severity) -> bool:
    return all(key in full and value <= full[key] for key, value in severity.items())


def parse_condition(
    c: Collector, data: Any, item_id: str | None, line: int | None
) -> Condition | None:
    """A condition tree: {item|fact: x, <op>: value}, {all: [...]}, {any: [...]}, {not: {...}}."""
    line = line_of(data) or line
    if not isinstance(data, dict) or not data:
        c.add(line, item_id, "betingelsen (condition) må være en blokk")
        return None
    keys = set(data)
    for combinator in ("all", "any"):
        if combinator in keys:
            children = data[combinator]
            if keys != {combinator} or not isinstance(children, list) or not children:
                c.add(line, item_id, f"«{combinator}» må stå alene og ha en ikke-tom liste")
                return None
            parsed = [parse_condition(c, child, item_id, line) for child in children]
            if any(child is None for child in parsed):
                return None
            return Condition(combinator, children=tuple(p for p in parsed if p is not None))
    if "not" in keys:
        if keys != {"not"}:
            c.add(line, item_id, "«not» må stå alene")
            return None
        child = parse_condition(c, data["not"], item_id, line)
        return None if child is None else Condition("not", children=(child,))
    kind = "item" if "item" in keys else "fact" if "fact" in keys else None
    ops = keys - {"item", "fact"}
    if kind is None or len(keys) != 2 or len(ops) != 1 or next(iter(ops)) not in OPS:
        c.add(
            line,
            item_id,
            f"ugyldig betingelse {dict(data)!r}: bruk item/fact med én av {', '.join(OPS)}",
        )
        return None
    op = next(iter(ops))
    target, value = data[kind], data[op]
    if not isinstance(target, str) or not target:
        c.add(line, item_id, f"betingelsen mangler navnet på {kind}")
        return None
    if OPERATORS[op].takes == "list":
        if not isinstance(value, list) or not value:
            c.add(line, item_id, f"«{op}» krever en ikke-tom liste")
            return None
        value = tuple(value)
    if kind == "fact" and not _fact_value_ok(c, target, op, value, item_id, line):
        return None
    return Condition(kind, target=target, op=op, value=value)


def _fact_value_ok(
    c: Collector, fact: str, op: str, value: Any, item_id: str | None, line: int | None
) -> bool:
    values = value if isinstance(value, tuple) else (value,)
    if fact not in FACTS:
        c.add(line, item_id, f"ukjent faktum «{fact}»; kjente: {', '.join(FACTS)}")
        return False
    if fact == "has_lift" and (
        op not in ("eq", "ne") or not all(isinstance(v, bool) for v in values)
    ):
        c.add(line, item_id, "has_lift kan bare sammenlignes med eq/ne og true/false")
        return False
    if fact in ("floor", "storeys") and not all(
        isinstance(v, int) and not isinstance(v, bool) for v in values
    ):
        c.add(line, item_id, f"{fact} må sammenlignes med et heltall")
        return False
    if fact == "area" and not all(is_number(v) for v in values):
        c.add(line, item_id, "area må sammenlignes med et tall (m²)")
        return False
    if fact == "building_type" and (
        op not in ("eq", "ne", "in") or not all(v in BUILDING_TYPES for v in values)
    ):
        c.add(
            line,
            item_id,
            f"building_type sammenlignes med eq/ne/in og en av {', '.join(BUILDING_TYPES)}",
        )
        return False
    return True


def _parse_reference(r: Reader) -> Reference | None:
    data = r.raw("reference")
    if data is None:
        r.problem(None, "mangler referanse (reference)")
        return None
    ref = Reader(
        r.c,
        data,
        r.item_id,
        ("source", "clause", "kind", "note"),
        "referansen",
        r.line("reference"),
    )
    if not ref.ok:
        return None
    source = ref.str("source", required=False)
    if source is None:
        ref.problem(None, "referansen er tom: mangler kilde (source)")
    clause = ref.str("clause", required=False, default="", empty=True) or ""
    if source == "TEK17" and not clause:
        ref.problem(None, "en TEK17-referanse må oppgi paragraf (clause)")
    kind = ref.str("kind")
    if kind is not None and kind not in REFERENCE_KINDS:
        ref.problem("kind", f"referansetype «{kind}» må være en av {', '.join(REFERENCE_KINDS)}")
        kind = None
    note = ref.str("note", required=False, default="") or ""
    if source is None or kind is None:
        return None
    return Reference(source=source, clause=clause, kind=kind, note=note)  # type: ignore[arg-type]


def _parse_bounds(r: Reader) -> tuple[float, float] | None:
    data = r.sequence("bounds")
    if data is None:
        return None
    if len(data) != 2 or not all(is_number(v) for v in data) or data[0] >= data[1]:
        r.problem("bounds", "måleområdet (bounds) må være [min, maks] med min < maks")
        return None
    return (data[0], data[1])


def _parse_requirement(r: Reader) -> Requirement | None:
    data = r.raw("requirement")
    if data is None:
        return None
    req = Reader(
        r.c, data, r.item_id, ("min", "max", "recommended"), "kravet", r.line("requirement")
    )
    low, high = req.number("min", False), req.number("max", False)
    recommended = req.number("recommended", False)
    if low is None and high is None:
        r.problem("requirement", "kravet (requirement) må ha min eller max")
        return None
    requirement = Requirement(min=low, max=high, recommended=recommended)
    if low is not None and high is not None and low > high:
        r.problem("requirement", "kravet har min større enn max")
        return None
    if recommended is not None and not requirement.passes(recommended):
        r.problem("requirement", "anbefalt verdi (recommended) oppfyller ikke kravet")
    return requirement


def _parse_bands(
    r: Reader, req: Requirement | None, full: Severity, limitations: Collection[str]
) -> tuple[Band, ...]:
    data = r.sequence("bands")
    if not data:
        return ()
    if req is None or (req.min is None) == (req.max is None):
        r.problem("bands", "gradering (bands) krever et krav med nøyaktig én av min og max")
        return ()
    key, threshold = ("at_least", req.min) if req.min is not None else ("at_most", req.max)
    bands: list[Band] = []
    for band_data in data:
        band = Reader(r.c, band_data, r.item_id, (key, "severity"), "graderingen", line_of(data))
        limit = band.number(key)
        severity = band.raw("severity", required=True)
        parsed = (
            None
            if severity is None
            else parse_severity(r.c, severity, r.item_id, limitations, band.line("severity"))
        )
        if limit is None or parsed is None:
            continue
        previous = bands[-1] if bands else None
        line = band.line(key)
        if key == "at_least" and not (limit < (previous.limit if previous else threshold)):
            r.c.add(
                line,
                r.item_id,
                "graderingene må stå mildest først: at_least synkende og under kravet",
            )
        if key == "at_most" and not (limit > (previous.limit if previous else threshold)):
            r.c.add(
                line,
                r.item_id,
                "graderingene må stå mildest først: at_most stigende og over kravet",
            )
        if not _within(parsed, full):
            r.c.add(band.line("severity"), r.item_id,
                    "graderingen kan ikke være strengere enn punktets fulle alvorlighetsgrad "
                    "eller nevne funksjonsnedsettelser punktet ikke vurderer")  # fmt: skip
        if previous and any(previous.severity.get(k, 0) > parsed.get(k, 0) for k in full):
            r.c.add(
                band.line("severity"),
                r.item_id,
                "en strengere gradering kan ikke gi lavere alvorlighetsgrad",
            )
        bands.append(Band(limit=limit, severity=parsed))
    return tuple(bands)


def _parse_choices(r: Reader, full: Severity, limitations: Collection[str]) -> tuple[Choice, ...]:
    data = r.sequence("choices")
    if data is None:
        return ()
    choices: list[Choice] = []
    for choice_data in data:
        ch = Reader(
            r.c,
            choice_data,
            r.item_id,
            ("key", "label", "passes", "severity"),
            "valget",
            line_of(data),
        )
        key, label = ch.str("key"), ch.text("label")
        passes = ch.bool("passes", required=True)
        severity = None
        if ch.has("severity"):
            severity = parse_severity(
                r.c, ch.raw("severity"), r.item_id, limitations, ch.line("severity")
            )
            if severity is not None and not _within(severity, full):
                ch.problem("severity", "valgets alvorlighetsgrad kan ikke overstige punktets fulle")
        if key is not None and key in {choice.key for choice in choices}:
            ch.problem("key", f"valget «{key}» står to ganger")
        elif key is not None and label is not None:
            choices.append(Choice(key=key, label=label, passes=passes, severity=severity))
    if len(choices) < 2 or not any(choice.passes for choice in choices):
        r.problem(
            "choices", "et flervalgspunkt trenger minst to valg, og minst ett som er godkjent"
        )
    if any(not choice.passes for choice in choices) and not full:
        r.problem("choices", "valg som ikke godkjennes krever at punktet har alvorlighetsgrad")
    return tuple(choices)


def parse_item(
    c: Collector, data: Any, section_id: str, limitations: Collection[str], line: int | None
) -> tuple[Item | None, dict[str, int | None]]:
    """One item, and the lines of the item and its condition for later cross-checks."""
    guessed = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    r = Reader(c, data, guessed, ITEM_KEYS, "punktet", line)
    lines = {
        "item": r.line() or line,
        "condition": r.line("condition"),
        "satisfied_by": r.line("satisfied_by"),
    }
    if not r.ok:
        return None, lines
    before = len(c.findings)
    item_id = r.str("id")
    if item_id is not None and not ITEM_ID.match(item_id):
        r.problem("id", f"id «{item_id}» må ha formen seksjon.navn med små bokstaver")
    elif item_id is not None and item_id.split(".")[0] != section_id:
        r.problem("id", f"id «{item_id}» må begynne med seksjonens id «{section_id}.»")
    answer_type = r.str("type")
    if answer_type is not None and answer_type not in ANSWER_TYPES:
        known = ", ".join(ANSWER_TYPES)
        r.problem("type", f"ukjent svartype «{answer_type}»; kjente: {known}")
        answer_type = None
    question, help_text = r.text("question"), r.text("help")
    reference = _parse_reference(r)
    limitations = {*limitations, GENERAL}  # "general": matters for every resident
    severity: Severity = {}
    if r.has("severity"):
        severity = (
            parse_severity(c, r.raw("severity"), item_id, limitations, r.line("severity")) or {}
        )
    condition = None
    if r.has("condition"):
        condition = parse_condition(c, r.raw("condition"), item_id, r.line("condition"))
    satisfied_by = None
    if r.has("satisfied_by"):
        satisfied_by = parse_condition(c, r.raw("satisfied_by"), item_id, r.line("satisfied_by"))
    photo = r.str("photo", required=False, default="optional")
    if photo not in PHOTO_POLICIES:
        r.problem("photo", f"fotoregel «{photo}» må være en av {', '.join(PHOTO_POLICIES)}")
    requirement = _parse_requirement(r)
    register = r.str("register", required=False)
    if register is not None and REGISTER_TYPES.get(register) != answer_type:
        r.problem(
            "register",
            f"register «{register}» passer ikke: bruk floor eller storeys (count) "
            "eller has_lift (yes_no)",
        )
    item = Item(
        id=item_id or "",
        section=section_id,
        type=answer_type or "text",  # type: ignore[arg-type]
        question=question or _EMPTY,
        help=help_text or _EMPTY,
        reference=reference or Reference("", "", "recommendation"),
        severity=severity,
        not_applicable_allowed=r.bool("not_applicable_allowed"),
        condition=condition,
        photo=photo if photo in PHOTO_POLICIES else "optional",  # type: ignore[arg-type]
        unit=r.str("unit", required=False),
        bounds=_parse_bounds(r),
        requirement=requirement,
        bands=_parse_bands(r, requirement, severity, limitations),
        choices=_parse_choices(r, severity, limitations),
        register=register,
        no_measure_reason=r.str("no_measure_reason", required=False),
        satisfied_by=satisfied_by,
    )
    if answer_type is not None:
        _check_type_rules(r, item)
    return (item if len(c.findings) == before else None), lines


def _check_type_rules(r: Reader, item: Item) -> None:
    """The rules of the item's answer type (answer_types.ANSWER_TYPES)."""
    kind = ANSWER_TYPES[item.type]
    for key in TYPE_FIELDS:
        if r.has(key) and key not in kind.allows:
            r.problem(key, f"feltet «{key}» hører ikke til svartypen {item.type}")
    for key in kind.needs:
        if not getattr(item, key):
            r.problem(None, f"{kind.noun}et mangler {NEEDED[key]}")
    if kind.judged_by == "requirement" and item.severity and item.requirement is None:
        r.problem("severity", "et punkt med alvorlighetsgrad må ha et krav (requirement)")
    if kind.judged_by is None and item.severity:
        r.problem("severity", f"{kind.noun}er vurderer ingen funksjonsnedsettelse")
    if item.bounds and item.requirement:
        low, high = item.bounds
        for value in (item.requirement.min, item.requirement.max, *(b.limit for b in item.bands)):
            if value is not None and not low <= value <= high:
                r.problem("bounds", f"verdien {value} ligger utenfor måleområdet [{low}, {high}]")

"""Rules across items and files: condition targets and cycles, scoreability, measures."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from app.checklists.answer_types import ANSWER_TYPES, OPERATORS
from app.checklists.definitions import (
    Checklist,
    Condition,
    Item,
    Limitation,
    Measure,
    Section,
)
from app.checklists.findings import Collector

MOBILITY_GROUP = "bevegelse"
MIN_ITEMS_PER_LIMITATION = 5
BLOCKING = 4

Lines = Mapping[str, Mapping[str, int | None]]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# Per value kind (answer_types.VALUE_KINDS): whether a condition value can equal an answer,
# and what such values are called in a message.
_COMPARABLE = {
    "boolean": (lambda _item, v: isinstance(v, bool), "true/false"),
    "number": (lambda _item, v: _is_number(v), "tall"),
    "integer": (lambda _item, v: _is_number(v), "tall"),
    "choice": (lambda item, v: v in {ch.key for ch in item.choices}, "valgene"),
    "text": (lambda _item, v: isinstance(v, str), "tekst"),
}


def _value_fits(target: Item, op: str, value: Any) -> str | None:
    """Why `value` cannot be compared with answers of `target`, or None when it can."""
    kind = ANSWER_TYPES[target.type]
    values = value if OPERATORS[op].takes == "list" else (value,)
    fits, called = _COMPARABLE[kind.value]
    if op in kind.operators and all(fits(target, v) for v in values):
        return None
    if kind.value == "choice":
        called = f"valgene {sorted(ch.key for ch in target.choices)}"
    if set(kind.operators) == set(OPERATORS):
        return f"{kind.noun}er må sammenlignes med {called}"
    return f"{kind.noun}er kan bare sammenlignes med {'/'.join(kind.operators)} og {called}"


def _walk(condition: Condition) -> Iterable[Condition]:
    yield condition
    for child in condition.children:
        yield from _walk(child)


def check_conditions(
    c: Collector, items: Mapping[str, Item], lines: Lines, known: Collection[str] = ()
) -> None:
    """Every condition names existing items with comparable values, and none forms a cycle.

    `known` holds ids of items that exist but failed to parse, so they are not called unknown.
    """
    graph: dict[str, set[str]] = {}
    for item in items.values():
        for field in ("condition", "satisfied_by"):
            condition = getattr(item, field)
            if condition is None:
                continue
            line = lines.get(item.id, {}).get(field)
            for node in _walk(condition):
                if node.kind != "item":
                    continue
                target = items.get(node.target)
                if target is None and node.target in known:
                    continue
                if target is None:
                    c.add(line, item.id, f"betingelsen viser til ukjent punkt «{node.target}»")
                elif (why := _value_fits(target, node.op, node.value)) is not None:
                    c.add(line, item.id, f"betingelsen på «{node.target}»: {why}")
            graph.setdefault(item.id, set()).update(
                ref for ref in condition.item_refs() if ref in items
            )
    for cycle in _cycles(graph):
        first = cycle[0]
        path = " -> ".join([*cycle, first])
        c.add(
            lines.get(first, {}).get("condition"), first, f"betingelsene danner en syklus: {path}"
        )


def check_repeated_sections(c: Collector, sections: Iterable[Section], lines: Lines) -> None:
    """An item of a repeated section is answered once per instance: a condition may read it
    only from inside the same section (it then reads the same instance), never from outside,
    where "which bathroom?" has no answer."""
    owner = {item.id: section for section in sections for item in section.items}
    for section in sections:
        for item in section.items:
            for field in ("condition", "satisfied_by"):
                condition = getattr(item, field)
                if condition is None:
                    continue
                for ref in sorted(condition.item_refs()):
                    other = owner.get(ref)
                    if other is None or other is section or other.repeat is None:
                        continue
                    c.add(
                        lines.get(item.id, {}).get(field),
                        item.id,
                        f"betingelsen viser til «{ref}» i den gjentatte seksjonen «{other.id}»; "
                        "bare punkter i samme seksjon kan lese den",
                    )


def _cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """One representative of each cycle in the condition graph (depth-first search)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt) :])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def check_scoreable(c: Collector, checklist: Checklist, limitations: Iterable[Limitation]) -> None:
    """Each limitation is rated by enough items, and each mobility limitation can block."""
    items = checklist.items.values()
    for limitation in limitations:
        rating = [item for item in items if limitation.key in item.severity]
        if len(rating) < MIN_ITEMS_PER_LIMITATION:
            c.add(
                None,
                None,
                f"funksjonsnedsettelsen «{limitation.key}» vurderes av bare {len(rating)} punkter; "
                f"minst {MIN_ITEMS_PER_LIMITATION} trengs for å kunne beregne en score",
            )
        blocking = [item for item in rating if item.severity[limitation.key] == BLOCKING]
        if limitation.group == MOBILITY_GROUP and not blocking:
            c.add(
                None,
                None,
                f"bevegelsesnedsettelsen «{limitation.key}» har ingen punkter med "
                f"alvorlighetsgrad 4 (hindrer bruk)",
            )


def measures_by_item(measures: Iterable[Measure]) -> dict[str, tuple[Measure, ...]]:
    """Item id -> the measures that remove it (the link is written once, on the measure)."""
    result: dict[str, list[Measure]] = {}
    for measure in measures:
        for item_id in measure.removes:
            result.setdefault(item_id, []).append(measure)
    return {item_id: tuple(found) for item_id, found in result.items()}


def check_blocking_items_have_measures(
    c: Collector, checklist: Checklist, measures: Iterable[Measure], lines: Lines | None = None
) -> None:
    """A blocking-rated item needs a measure that removes it, or a reason why there is none."""
    removable = measures_by_item(measures)
    for item in checklist.items.values():
        if BLOCKING not in item.severity.values() or item.id in removable:
            continue
        if not item.no_measure_reason:
            line = (lines or {}).get(item.id, {}).get("item")
            c.add(
                line,
                item.id,
                "punktet kan hindre bruk (alvorlighetsgrad 4) men ingen tiltak fjerner det; "
                "legg til et tiltak eller begrunn med no_measure_reason",
            )

"""Parse and check `measures.yaml`, the measures catalogue (tiltakskatalog).

A measure names the items it removes; from catalogue version 2 every cost states its price
year, a measure may be feasible only for units whose register facts meet `feasible_when`, may
fix a measured value only up to `limits`, and may carry a yearly `annual_cost` apart from the
one-off cost. Rules that need the checklists too (scope against section location, severe items
without a measure) are here as well, so the loader stays a driver.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any, get_args

from app.checklists.answer_types import ANSWER_TYPES
from app.checklists.definitions import (
    Checklist,
    Condition,
    Cost,
    Item,
    Measure,
    MeasureCatalogue,
    MeasureScope,
)
from app.checklists.findings import Collector
from app.checklists.items import parse_condition
from app.checklists.validation import measures_by_item
from app.checklists.yamlsrc import Reader, is_number, line_of, parse_yaml

SCOPES: tuple[str, ...] = get_args(MeasureScope)
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
NS3451 = re.compile(r"^[0-9]{2,3}$")
# From this catalogue version on, every cost must state the year of its price level.
YEAR_REQUIRED_FROM = 2
YEARS = (2000, 2100)
SEVERE = 3
# Which section locations a measure of each scope can reach: a unit measure works inside one
# dwelling, a building measure on the common parts; a flight measure (a stair lift) serves one
# flight of stairs, which may be in the common stairwell or inside a dwelling.
REACH: dict[str, set[str]] = {
    "unit": {"unit"},
    "building": {"building"},
    "flight": {"unit", "building"},
}
MEASURE_KEYS = (
    "id", "name", "removes", "cost", "annual_cost", "scope", "feasible_by_default",
    "feasible_when", "limits", "ns3451",
)  # fmt: skip


def _cost(
    c: Collector, data: Any, measure_id: str | None, line: int | None, year_required: bool
) -> Cost | None:
    keys = ("low", "typical", "high", "basis", "year")
    r = Reader(c, data, measure_id, keys, "kostnaden", line)
    low, typical, high, basis = r.int("low"), r.int("typical"), r.int("high"), r.str("basis")
    year = r.int("year", required=year_required)
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        r.problem("year", f"kostnadsåret {year} må ligge mellom {YEARS[0]} og {YEARS[1]}")
        return None
    if low is None or typical is None or high is None or basis is None:
        return None
    if year_required and year is None:
        return None
    if not 0 <= low <= typical <= high:
        r.problem(None, "kostnaden må oppfylle 0 <= low <= typical <= high (hele kroner)")
        return None
    return Cost(low=low, typical=typical, high=high, basis=basis, year=year)


def _walk(condition: Condition) -> Iterable[Condition]:
    yield condition
    for child in condition.children:
        yield from _walk(child)


def _feasible_when(mr: Reader) -> Condition | None:
    if not mr.has("feasible_when"):
        return None
    condition = parse_condition(mr.c, mr.raw("feasible_when"), mr.item_id, mr.line("feasible_when"))
    if condition is not None and any(node.kind == "item" for node in _walk(condition)):
        mr.problem("feasible_when", "feasible_when kan bare vise til fakta fra boligregisteret")
        return None
    return condition


def _limits(mr: Reader, removes: list, items: Mapping[str, Item]) -> dict[str, float] | None:
    """{item: value}: each item removed by the measure, measured against a one-sided
    requirement, with a value beyond that requirement (else the limit says nothing)."""
    data = mr.mapping("limits")
    if data is None:
        return {} if not mr.has("limits") else None
    result: dict[str, float] = {}
    for item_id, value in data.items():
        line = line_of(data, item_id)
        item = items.get(item_id)
        if item_id not in removes:
            mr.c.add(line, mr.item_id, f"grensen gjelder «{item_id}», som tiltaket ikke fjerner")
        elif not is_number(value):
            mr.c.add(line, mr.item_id, f"grensen for «{item_id}» må være et tall")
        elif item is None:
            result[item_id] = value  # an item of a file that failed: reported there
        elif ANSWER_TYPES[item.type].judged_by != "requirement" or item.requirement is None:
            mr.c.add(line, mr.item_id, f"grense krever et måle- eller tellepunkt, ikke «{item_id}»")
        elif (item.requirement.min is None) == (item.requirement.max is None):
            mr.c.add(line, mr.item_id, f"«{item_id}» må ha et krav med nøyaktig én av min og max")
        elif item.requirement.passes(value):
            mr.c.add(
                line,
                mr.item_id,
                f"grensen {value} for «{item_id}» oppfyller kravet; den sier ingenting",
            )
        else:
            result[item_id] = value
    return result if len(result) == len(data) else None


def parse_measures_data(
    c: Collector, text: str, items: Mapping[str, Item], known: Collection[str] = ()
) -> MeasureCatalogue | None:
    """Measures; `known` holds ids of items that exist but failed to parse (not "unknown")."""
    r = Reader(c, parse_yaml(text, c), None, ("version", "measures"), "filen")
    version = r.int("version")
    year_required = version is not None and version >= YEAR_REQUIRED_FROM
    measures: list[Measure] = []
    seen: dict[str, int | None] = {}
    entries = r.sequence("measures", required=True) or []
    if r.ok and not entries and r.has("measures"):
        r.problem("measures", "listen «measures» er tom")
    for data in entries:
        guessed = data.get("id") if isinstance(data, dict) else None
        line = line_of(data) or line_of(entries)
        guessed = guessed if isinstance(guessed, str) else None
        mr = Reader(c, data, guessed, MEASURE_KEYS, "tiltaket", line)
        if not mr.ok:
            continue
        before = len(c.findings)
        measure_id, name = mr.str("id"), mr.text("name")
        if measure_id is not None and not KEY.match(measure_id):
            mr.problem("id", f"tiltaks-id «{measure_id}» kan bare ha små bokstaver, tall og _")
        if measure_id is not None and measure_id in seen:
            first = seen[measure_id]
            mr.problem("id", f"duplisert id «{measure_id}» (første gang på linje {first})")
        elif measure_id is not None:
            seen[measure_id] = mr.line("id")
        removes = mr.sequence("removes", required=True) or []
        if not removes and mr.has("removes"):
            mr.problem("removes", "tiltaket må fjerne minst ett punkt")
        for target in removes:
            if target not in items and target not in known:
                mr.problem("removes", f"tiltaket viser til ukjent punkt «{target}»")
            elif target in items and not items[target].severity:
                mr.problem("removes", f"tiltaket fjerner «{target}», som aldri er en barriere")
        if len(set(map(str, removes))) != len(removes):
            mr.problem("removes", "et punkt står flere ganger i removes")
        cost = _cost(c, mr.raw("cost", required=True), measure_id, mr.line("cost"), year_required)
        annual = None
        if mr.has("annual_cost"):
            annual = _cost(
                c, mr.raw("annual_cost"), measure_id, mr.line("annual_cost"), year_required
            )
        scope = mr.str("scope")
        if scope is not None and scope not in SCOPES:
            mr.problem("scope", f"omfang «{scope}» må være en av {', '.join(SCOPES)}")
        feasible = mr.bool("feasible_by_default", required=True)
        feasible_when = _feasible_when(mr)
        limits = _limits(mr, removes, items)
        ns3451 = mr.raw("ns3451", required=True)
        if ns3451 is not None and not NS3451.match(str(ns3451)):
            mr.problem(
                "ns3451", f"NS 3451-kode «{ns3451}» må være en bygningsdelskode med 2–3 sifre"
            )
        if len(c.findings) == before and measure_id and name and cost and scope:
            measures.append(
                Measure(
                    id=measure_id,
                    name=name,
                    removes=tuple(removes),
                    cost=cost,
                    scope=scope,  # type: ignore[arg-type]
                    feasible_by_default=feasible,
                    ns3451=str(ns3451),
                    feasible_when=feasible_when,
                    limits=limits or {},
                    annual_cost=annual,
                )
            )
    if c.findings or version is None:
        return None
    return MeasureCatalogue(version=version, measures=tuple(measures))


Lines = Mapping[str, Mapping[str, int | None]]


def check_measure_scopes(
    c: Collector, checklists: Iterable[Checklist], measures: Iterable[Measure]
) -> None:
    """A measure removes only items in sections its scope reaches (see REACH)."""
    located = {
        item.id: (section.location, section.id)
        for checklist in checklists
        for section in checklist.sections
        if section.location is not None
        for item in section.items
    }
    for measure in measures:
        for item_id in measure.removes:
            if item_id not in located:
                continue
            location, section = located[item_id]
            if location not in REACH[measure.scope]:
                c.add(
                    None,
                    item_id,
                    f"tiltaket «{measure.id}» har omfang {measure.scope} og kan ikke fjerne "
                    f"«{item_id}» i seksjonen «{section}» ({location})",
                )


def check_severe_items_have_measures(
    c: Collector, checklist: Checklist, measures: Iterable[Measure], lines: Lines | None = None
) -> None:
    """An item that can be a severe or blocking (3–4) barrier for some limitation needs a
    measure that removes it, or a reason (`no_measure_reason`) why there is none."""
    removable = measures_by_item(measures)
    for item in checklist.items.values():
        worst = max(
            (
                *item.severity.values(),
                *(v for b in item.bands for v in b.severity.values()),
                *(v for ch in item.choices if ch.severity for v in ch.severity.values()),
            ),
            default=0,
        )
        if worst < SEVERE or item.id in removable or item.no_measure_reason:
            continue
        c.add(
            (lines or {}).get(item.id, {}).get("item"),
            item.id,
            f"punktet kan være en alvorlig barriere (alvorlighetsgrad {worst}) men ingen tiltak "
            "fjerner det; legg til et tiltak eller begrunn med no_measure_reason",
        )

"""Load and validate the files in `checklists/` into the model; report every problem at once.

Each `parse_*` works on source text (not a path) so stored, published text can be re-parsed.
`build_catalogue` checks a whole set of files together; `load_catalogue` reads them from disk.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from typing import Any, get_args

import yaml

from app.checklists.definitions import (
    INSTANCE_FACTS,
    LIMITATION_KEYS,
    Catalogue,
    Checklist,
    Item,
    Limitation,
    Measure,
    MeasureCatalogue,
    Profile,
    ProfileSet,
    Repeat,
    RepeatRule,
    Section,
    SectionLocation,
)
from app.checklists.findings import CatalogueError, Collector, Finding
from app.checklists.items import parse_item
from app.checklists.mapping import MAPPING_FILE, parse_mapping
from app.checklists.measurefile import (
    check_measure_scopes,
    check_severe_items_have_measures,
    parse_measures_data,
)
from app.checklists.validation import (
    check_blocking_items_have_measures,
    check_conditions,
    check_repeated_sections,
    check_scoreable,
    measures_by_item,
)
from app.checklists.yamlsrc import SAFE_LOADER, Reader, is_number, line_of, parse_yaml

__all__ = [
    "CatalogueError",
    "Finding",
    "build_catalogue",
    "content_hash",
    "load_catalogue",
    "measures_for_item",
    "parse_checklist",
    "parse_limitations",
    "parse_measures",
    "parse_profiles",
]

LIMITATIONS_FILE, PROFILES_FILE, MEASURES_FILE = (
    "limitations.yaml",
    "profiles.yaml",
    "measures.yaml",
)
CHECKLIST_FILE = re.compile(r"^([a-z][a-z0-9-]*)/v([1-9][0-9]*)\.yaml$")
GROUPS = ("bevegelse", "syn", "hørsel", "kognisjon", "miljø", "alder")
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
LOCATIONS: tuple[str, ...] = get_args(SectionLocation)
RULES: tuple[str, ...] = get_args(RepeatRule)
MAX_INSTANCES = 20
# The rule "an item that can be a severe barrier needs a measure or a reason" holds from this
# checklist version on (version 1 was published under the rule for blocking items only).
SEVERE_RULE_FROM = 2


def _entries(r: Reader, key: str, what: str) -> list[tuple[Any, int | None]]:
    data = r.sequence(key, required=True)
    if data is None:
        return []
    if not data:
        r.problem(key, f"listen «{key}» er tom")
    return [(entry, line_of(entry) or line_of(data)) for entry in data]


def _duplicate(
    c: Collector, seen: dict[str, int | None], key: str | None, line: int | None
) -> bool:
    if key is None:
        return False
    if key in seen:
        c.add(line, key, f"duplisert id «{key}» (første gang på linje {seen[key]})")
        return True
    seen[key] = line
    return False


def _repeat(c: Collector, s: Reader) -> Repeat | None:
    """A section's `repeat` block: label, rule (any / every), min, max, prefill."""
    r = Reader(
        c,
        s.raw("repeat"),
        None,
        ("label", "rule", "min", "max", "prefill"),
        "repeat",
        s.line("repeat"),
    )
    if not r.ok:
        return None
    label, rule = r.text("label"), r.str("rule")
    low = r.int("min", required=False)
    high = r.int("max", required=False)
    low, high = 1 if low is None else low, 6 if high is None else high
    prefill = r.str("prefill", required=False)
    if rule is not None and rule not in RULES:
        r.problem("rule", f"regelen «{rule}» må være en av {', '.join(RULES)}")
    if not 1 <= low <= high <= MAX_INSTANCES:
        r.problem("min", f"må ha 1 <= min <= max <= {MAX_INSTANCES} (fikk {low} og {high})")
    if prefill is not None and prefill not in INSTANCE_FACTS:
        r.problem("prefill", f"«{prefill}» må være en av {', '.join(INSTANCE_FACTS)}")
    if label is not None and "{n}" not in label.nb + label.en:
        r.problem("label", "navnet må ha {n} der nummeret skal stå")
    if c.findings or label is None or rule is None:
        return None
    return Repeat(label, rule, low, high, prefill)  # type: ignore[arg-type]


def _checklist(
    c: Collector, text: str, limitations: Iterable[Limitation]
) -> tuple[Checklist | None, dict[str, dict[str, int | None]]]:
    limitations = tuple(limitations)
    keys = {limitation.key for limitation in limitations}
    lines: dict[str, dict[str, int | None]] = {}
    r = Reader(c, parse_yaml(text, c), None, ("key", "version", "title", "sections"), "sjekklisten")
    if not r.ok:
        return None, lines
    key, version, title = r.str("key"), r.int("version"), r.text("title")
    if key is not None and not re.match(r"^[a-z][a-z0-9-]*$", key):
        r.problem("key", f"nøkkelen «{key}» kan bare ha små bokstaver, tall og bindestrek")
    if version is not None and version < 1:
        r.problem("version", "versjonen må være 1 eller høyere")
    sections: list[Section] = []
    seen_sections: dict[str, int | None] = {}
    seen_items: dict[str, int | None] = {}
    for data, line in _entries(r, "sections", "seksjoner"):
        allowed = ("id", "title", "location", "repeat", "items")
        s = Reader(c, data, None, allowed, "seksjonen", line)
        section_id, section_title = s.str("id"), s.text("title")
        location = s.str("location", required=False)
        if location is not None and location not in LOCATIONS:
            s.problem("location", f"plassering «{location}» må være en av {', '.join(LOCATIONS)}")
            location = None
        repeat = _repeat(c, s) if s.has("repeat") else None
        if section_id is not None and not KEY.match(section_id):
            s.problem("id", f"seksjons-id «{section_id}» kan bare ha små bokstaver, tall og _")
        _duplicate(c, seen_sections, section_id, s.line("id"))
        items: list[Item] = []
        for item_data, item_line in _entries(s, "items", "punkter"):
            item, item_lines = parse_item(c, item_data, section_id or "", keys, item_line)
            item_id = item_data.get("id") if isinstance(item_data, dict) else None
            if isinstance(item_id, str) and not _duplicate(
                c, seen_items, item_id, item_lines["item"]
            ):
                lines[item_id] = item_lines
            if item is not None:
                items.append(item)
        if section_id is not None and section_title is not None:
            sections.append(
                Section(section_id, section_title, tuple(items), location, repeat)  # type: ignore[arg-type]
            )
    parsed = {item.id: item for section in sections for item in section.items}
    check_conditions(c, parsed, lines, known=seen_items.keys())
    check_repeated_sections(c, sections, lines)
    if c.findings or key is None or version is None or title is None:
        return None, lines  # scoreability would only repeat the problems above
    checklist = Checklist(key=key, version=version, title=title, sections=tuple(sections))
    check_scoreable(c, checklist, limitations)
    return (None if c.findings else checklist), lines


def parse_checklist(text: str, filename: str, limitations: Iterable[Limitation]) -> Checklist:
    """Parse and validate one checklist version; raises CatalogueError listing every problem."""
    c = Collector(filename)
    checklist, _ = _checklist(c, text, limitations)
    c.raise_if_any()
    assert checklist is not None
    return checklist


def _limitations(c: Collector, text: str) -> tuple[Limitation, ...]:
    r = Reader(c, parse_yaml(text, c), None, ("version", "limitations"), "filen")
    r.int("version")
    result: list[Limitation] = []
    seen: dict[str, int | None] = {}
    for data, line in _entries(r, "limitations", "funksjonsnedsettelser"):
        lr = Reader(c, data, None, ("key", "label", "group"), "funksjonsnedsettelsen", line)
        key, label, group = lr.str("key"), lr.text("label"), lr.str("group")
        if key is not None and key not in LIMITATION_KEYS:
            lr.problem("key", f"ukjent nøkkel «{key}»; kjente: {', '.join(LIMITATION_KEYS)}")
        if group is not None and group not in GROUPS:
            lr.problem("group", f"ukjent gruppe «{group}»; kjente: {', '.join(GROUPS)}")
        if not _duplicate(c, seen, key, lr.line("key")) and key and label and group:
            result.append(Limitation(key=key, label=label, group=group))
    return tuple(result)


def parse_limitations(text: str, filename: str) -> tuple[Limitation, ...]:
    """Parse limitations.yaml; raises CatalogueError listing every problem."""
    c = Collector(filename)
    result = _limitations(c, text)
    c.raise_if_any()
    return result


def _profiles(c: Collector, text: str, limitation_keys: Collection[str]) -> ProfileSet | None:
    top = ("version", "suitable_threshold", "tolerance", "min_coverage", "profiles")
    r = Reader(c, parse_yaml(text, c), None, top, "filen")
    # suitable_threshold belongs to scoring model 1 (profiles version 1); model 2 reads the
    # tolerance for minor and moderate barriers (default 4).
    version, threshold, coverage = (
        r.int("version"),
        r.number("suitable_threshold", required=False),
        r.number("min_coverage"),
    )
    tolerance = r.int("tolerance", required=False)
    if threshold is not None and not 0 <= threshold <= 100:
        r.problem("suitable_threshold", "terskelen for egnet må ligge mellom 0 og 100")
    if tolerance is not None and not 0 <= tolerance <= 100:
        r.problem("tolerance", "toleransen må ligge mellom 0 og 100")
    if coverage is not None and not 0 < coverage <= 1:
        r.problem("min_coverage", "minste dekning må ligge over 0 og høyst 1")
    profiles: list[Profile] = []
    seen: dict[str, int | None] = {}
    for data, line in _entries(r, "profiles", "profiler"):
        pr = Reader(c, data, None, ("key", "label", "weights"), "profilen", line)
        key, label = pr.str("key"), pr.text("label")
        weights = pr.mapping("weights", required=True) or {}
        for limitation, weight in weights.items():
            wline = line_of(weights, limitation)
            if limitation not in limitation_keys:
                c.add(wline, key, f"ukjent funksjonsnedsettelse «{limitation}»")
            elif not is_number(weight) or not 0 < weight <= 1:
                c.add(wline, key, f"vekten for «{limitation}» må ligge over 0 og høyst 1")
        if not _duplicate(c, seen, key, pr.line("key")) and key and label:
            profiles.append(Profile(key=key, label=label, weights=dict(weights)))
    if c.findings or version is None or coverage is None:
        return None
    return ProfileSet(
        version,
        85 if threshold is None else threshold,
        coverage,
        tuple(profiles),
        4 if tolerance is None else tolerance,
    )


def parse_profiles(text: str, filename: str, limitations: Iterable[Limitation]) -> ProfileSet:
    """Parse profiles.yaml (age groups, thresholds); raises CatalogueError listing every problem."""
    c = Collector(filename)
    result = _profiles(c, text, {limitation.key for limitation in limitations})
    c.raise_if_any()
    assert result is not None
    return result


def parse_measures(text: str, filename: str, items: Mapping[str, Item]) -> MeasureCatalogue:
    """Parse measures.yaml against the items it may remove; raises CatalogueError."""
    c = Collector(filename)
    result = parse_measures_data(c, text, items)
    c.raise_if_any()
    assert result is not None
    return result


def measures_for_item(catalogue: MeasureCatalogue | Catalogue) -> dict[str, tuple[Measure, ...]]:
    """Item id -> the measures that remove it, derived from the measures catalogue."""
    measures = catalogue.measures if isinstance(catalogue, Catalogue) else catalogue
    return measures_by_item(measures.measures)


def build_catalogue(sources: Mapping[str, str], publishing: bool = True) -> Catalogue:
    """Parse and cross-check a full set of files, keyed by path inside `checklists/`.

    Keys: limitations.yaml, profiles.yaml, measures.yaml, <key>/v<version>.yaml per checklist
    and <key>/map-v<from>-v<to>.yaml per version mapping. `publishing=False` rebuilds a
    catalogue from published sources: the rules between the measures and the checklists were
    checked when each was published, and an older measures version is still loadable beside a
    newer checklist.
    """
    problems: list[Finding] = []
    collectors: list[Collector] = []

    def collector(name: str) -> Collector:
        collectors.append(Collector(name))
        return collectors[-1]

    for name in (LIMITATIONS_FILE, PROFILES_FILE, MEASURES_FILE):
        if name not in sources:
            problems.append(Finding(name, None, None, "filen mangler"))
    nested = sorted(name for name in sources if name.endswith(".yaml") and "/" in name)
    mapping_names = [name for name in nested if MAPPING_FILE.match(name)]
    checklist_names = [name for name in nested if name not in mapping_names]
    if not checklist_names:
        problems.append(Finding("<key>/v<n>.yaml", None, None, "ingen sjekkliste funnet"))
    if problems:
        raise CatalogueError(problems)
    lc = collector(LIMITATIONS_FILE)
    limitations = _limitations(lc, sources[LIMITATIONS_FILE])
    if lc.findings:
        raise CatalogueError(lc.findings)
    checklists: dict[tuple[str, int], Checklist] = {}
    all_lines: dict[tuple[str, int], dict[str, dict[str, int | None]]] = {}
    known: set[str] = set()  # every item id seen, also in files that failed
    for name in checklist_names:
        c = collector(name)
        match = CHECKLIST_FILE.match(name)
        if match is None:
            c.add(None, None, "sjekklistefiler må hete <nøkkel>/v<versjon>.yaml")
            continue
        checklist, lines = _checklist(c, sources[name], limitations)
        known.update(lines)
        if checklist is None:
            continue
        if (checklist.key, checklist.version) != (match.group(1), int(match.group(2))):
            c.add(None, None, f"filen skal ha key {match.group(1)} og version {match.group(2)}")
            continue
        checklists[(checklist.key, checklist.version)] = checklist
        all_lines[(checklist.key, checklist.version)] = lines
    keys = {limitation.key for limitation in limitations}
    profiles = _profiles(collector(PROFILES_FILE), sources[PROFILES_FILE], keys)
    items = {
        item.id: item for checklist in checklists.values() for item in checklist.items.values()
    }
    measures = parse_measures_data(collector(MEASURES_FILE), sources[MEASURES_FILE], items, known)
    if measures is not None and publishing:
        check_measure_scopes(collector(MEASURES_FILE), checklists.values(), measures.measures)
        for (key, version), checklist in checklists.items():
            c = collector(f"{key}/v{version}.yaml")
            lines = all_lines[(key, version)]
            if version >= SEVERE_RULE_FROM:  # covers the blocking items too
                check_severe_items_have_measures(c, checklist, measures.measures, lines)
            else:
                check_blocking_items_have_measures(c, checklist, measures.measures, lines)
    mappings = {}
    for name in mapping_names:
        parsed = parse_mapping(collector(name), sources[name], name, checklists)
        if parsed is not None:
            mappings[parsed[0]] = parsed[1]
    problems = [problem for c in collectors for problem in c.findings]
    if problems or profiles is None or measures is None:
        raise CatalogueError(problems)
    return Catalogue(
        checklists=checklists,
        limitations=limitations,
        profiles=profiles,
        measures=measures,
        mappings=mappings,
    )


def read_sources(directory: Path) -> dict[str, str]:
    """The catalogue's files under `directory`, keyed by their path inside it."""
    return {
        path.relative_to(directory).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(directory.rglob("*.yaml"))
    }


def load_catalogue(directory: Path) -> Catalogue:
    """Load and validate every file in `directory` (normally `checklists/`)."""
    return build_catalogue(read_sources(directory))


def content_hash(text: str) -> str:
    """sha256 of the file's parsed content as canonical JSON.

    Comments, whitespace, quoting and key order do not change the hash; any change of a value
    does. So a re-publish that only edits comments is recognised as the same content.
    """
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise CatalogueError([Finding("<tekst>", None, None, f"ugyldig YAML: {exc}")]) from exc
    canonical = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

"""What a report says: the stored explanation (the accessibility API's result) in Norwegian.

Pure: plain data and the catalogue in, the template's context out. Nothing is scored again
here; every verdict, barrier, severity and measure comes from the explanation given.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from app.checklists.definitions import Catalogue, Checklist, Item
from app.reports import format as f

# Photos are drawn at most this size on the page (millimetres), keeping their proportions.
PHOTO_BOX_MM = (120.0, 85.0)
GENERAL_LABEL = "Generelt (alle beboere)"


def build(
    *,
    kind: str,
    dwelling: dict,
    inspection: dict,
    explanation: dict,
    catalogue: Catalogue,
    checklist: Checklist,
    photos: list[dict],
    changes: dict | None,
    issued: datetime,
) -> dict:
    """The template context of one report. `kind` is "unit" or "inspection"; `photos` are
    {id, item_id, caption, width, height, missing}; `changes` as the changes API gives them,
    with the previous inspection's `approved_at`."""
    items = checklist.items
    sections = {item.id: s.title.nb for s in checklist.sections for item in s.items}
    figures = {p["id"]: _figure(p, items.get(p.get("item_id") or "")) for p in photos}
    barriers = [
        _barrier(n, b, items.get(b["item_id"]), sections, explanation, catalogue, figures)
        for n, b in enumerate(explanation["barriers"], start=1)  # every barrier of the unit
    ]
    shown = {photo_id for b in barriers for photo_id in b["photo_ids"]}
    title = "Befaringsrapport" if kind == "inspection" else "Tilgjengelighetsrapport"
    return {
        "kind": kind,
        "title": f"{title}: {dwelling['address']}, bolig {dwelling['unit_number']}",
        "heading": title,
        "issued": f.day(issued),
        "issued_iso": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "dwelling": dwelling,
        "facts": _facts(dwelling),
        "inspection": _inspection(inspection),
        "limitations": _verdicts(explanation["limitations"], _labels(catalogue.limitations)),
        "profiles": _verdicts(explanation["profiles"], _labels(catalogue.profiles.profiles)),
        "general": _verdict(GENERAL_LABEL, explanation["general"]),
        "barriers": barriers,
        "other_photos": [fig for photo_id, fig in figures.items() if photo_id not in shown],
        "changes": _changes(changes, items) if changes is not None else None,
    }


def _labels(rows) -> dict[str, str]:
    return {row.key: row.label.nb for row in rows}


def _verdict(label: str, result: dict) -> dict:
    name, icon = f.CLASSES.get(result["class"], f.CLASSES["unknown"])
    return {
        "label": label,
        "class": result["class"],
        "class_label": name,
        "icon": icon,
        "score": f"{f.num(round(result['score']))} av 100",
        "coverage": f"{f.num(round(100 * result['coverage']))} %",
        "barriers": len(result.get("barriers", ())),
    }


def _verdicts(results: dict, labels: dict[str, str]) -> list[dict]:
    ordered = [key for key in labels if key in results]
    ordered += sorted(key for key in results if key not in labels)
    return [_verdict(labels.get(key, key), results[key]) for key in ordered]


def _facts(d: dict) -> list[tuple[str, str]]:
    rows = [
        ("Adresse", ", ".join(p for p in (d["address"], d.get("postal_place")) if p)),
        ("Bolignummer (bruksenhetsnummer)", d["unit_number"]),
        ("Krets", d.get("district") or "–"),
        ("Gårds- og bruksnummer", d.get("cadastre") or "–"),
        ("Bygningstype", f.BUILDING_TYPES.get(d.get("building_type") or "", "–")),
        ("Byggeår", str(d["year_built"]) if d.get("year_built") else "–"),
        ("Etasjer i bygget", f.num(d.get("storeys"))),
        ("Boligens etasje", f.num(d.get("floor"))),
        ("Heis i bygget", _yes_no(d.get("has_lift"))),
        ("Bruksareal (BRA)", f.with_unit(d.get("area"), "m2")),
        ("Rom / soverom", f"{f.num(d.get('rooms'))} / {f.num(d.get('bedrooms'))}"),
    ]
    return rows


def _yes_no(value: bool | None) -> str:
    return "Ikke registrert" if value is None else ("Ja" if value else "Nei")


def _inspection(i: dict) -> list[tuple[str, str]]:
    checklist = f"{i['checklist_title']} ({i['checklist_key']}), versjon {i['checklist_version']}"
    return [
        ("Befaring", str(i["id"])),
        ("Status", f.STATUSES.get(i["status"], i["status"])),
        ("Befarer", i.get("inspector") or "–"),
        ("Sendt inn", f.day(i.get("submitted_at"))),
        ("Godkjent av", i.get("reviewer") or "Ikke godkjent ennå"),
        ("Godkjent", f.day(i.get("approved_at"))),
        ("Sjekkliste", checklist),
        ("Vurderingsmodell", f"versjon {i['model_version']}"),
        ("Profiler (aldersgrupper)", f"versjon {i['profiles_version']}"),
        ("Tiltakskatalog", f"versjon {i['measures_version']}"),
        ("Vurdert", f.day(i.get("scored_at"))),
    ]


def _figure(photo: dict, item: Item | None) -> dict:
    caption = (photo.get("caption") or "").strip()
    subject = f"Bilde til punktet «{item.question.nb}»" if item else "Bilde fra befaringen"
    alt = f"{subject}: {caption}" if caption else subject
    width, height = photo["width"] or 1, photo["height"] or 1
    scale = min(PHOTO_BOX_MM[0] / width, PHOTO_BOX_MM[1] / height)
    return {
        "id": photo["id"],
        "src": f"report:photo/{photo['id']}",
        "alt": alt,
        "caption": caption or subject,
        "width_mm": round(width * scale, 1),
        "height_mm": round(height * scale, 1),
        "missing": bool(photo.get("missing")),
    }


def _measure(option: dict, catalogue: Catalogue) -> dict:
    known = {m.id: m for m in catalogue.measures.measures}.get(option["id"])
    cost = option["cost"]
    year = cost.get("year") or (known.cost.year if known else None)
    return {
        "name": option["name"]["nb"],
        "range": f"{f.kr(cost['low'])} – {f.kr(cost['high'])}",
        "typical": f.kr(cost["typical"]),
        "year": str(year) if year else "Ikke oppgitt",
        "basis": known.cost.basis if known else "",
        "scope": f.SCOPES.get(known.scope, "") if known else "",
    }


def _barrier(n, barrier, item, sections, explanation, catalogue, figures) -> dict:
    item_id = barrier["item_id"]
    unit = barrier.get("unit", item.unit if item else None)
    requirement = barrier.get("requirement")
    if requirement is None and item is not None and item.requirement is not None:
        requirement = asdict(item.requirement)
    reference = barrier.get("reference") or (asdict(item.reference) if item else None)
    stated = (barrier.get("requirement_text") or {}).get("nb")
    note = (item.reference.note if item else "") or (reference or {}).get("note", "")
    feasible = [_measure(m, catalogue) for m in barrier["measures"] if m["feasible"]]
    labels = _labels(catalogue.limitations)
    affected = [
        (labels.get(key, key), b["severity"])
        for key, result in explanation["limitations"].items()
        for b in result["barriers"]
        if b["item_id"] == item_id
    ]
    return {
        "number": n,
        "item_id": item_id,
        "section": sections.get(item_id, ""),
        "question": barrier["question"]["nb"],
        "found": f.answer_text(item, barrier["answer"], unit),
        "requirement": stated or f.requirement_text(item, unit, requirement),
        "reference": f.reference_text(reference),
        "reference_note": note,
        "severity": f"{barrier['severity']} – {f.SEVERITIES.get(barrier['severity'], '')}",
        "affected": ", ".join(f"{label} ({sev})" for label, sev in affected) or "–",
        "photo_ids": list(barrier.get("photo_ids", [])),
        "figures": [figures[p] for p in barrier.get("photo_ids", []) if p in figures],
        "measures": feasible,
        "no_feasible_measure": barrier.get("no_feasible_measure", not feasible),
    }


def _state(item: Item | None, state: dict | None) -> str:
    if state is None:
        return "Ikke besvart"
    if state.get("not_applicable"):
        return "Ikke aktuelt"
    return f.answer_text(item, state.get("value"))


def _changes(changes: dict, items: dict[str, Item]) -> dict:
    rows: list[dict[str, Any]] = []
    for change in changes["changes"]:
        item = items.get(change["item_id"])
        rows.append(
            {
                "question": item.question.nb if item else change["item_id"],
                "before": _state(item, change["previous"]),
                "after": _state(item, change["current"])
                + (" (overført, ikke bekreftet)" if change.get("carried_over") else ""),
            }
        )
    return {
        "previous_id": changes.get("previous_inspection_id"),
        "previous_approved": f.day(changes.get("previous_approved_at")),
        "rows": rows,
    }

"""Render time and peak memory of a unit report with 20 photos, against the same report
without photos (the baseline: the same HTML, tables and fonts, no images).

Usage: python -m bench.report [--rounds N]   (from the repository root)

Pure core only (no database): the shipped checklist scored with a dozen typical barriers,
20 phone-sized photos (4032 x 3024) normalised by the photo pipeline to display size
(2048 px), the report context built by `app.reports.content` and rendered by
`app.reports.render`. Rounds alternate the two cases; the ratio is the median of per-round
ratios (the machine is shared). Peak memory: VmHWM of a fresh interpreter that renders once,
and of one that only builds the inputs.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.checklists.loader import load_catalogue  # noqa: E402
from app.demo.inspections import TYPICAL_BARRIERS, passing_value  # noqa: E402
from app.inspections.photos.processing import process_photo  # noqa: E402
from app.reports import content  # noqa: E402
from app.reports.render import render_pdf  # noqa: E402
from app.scoring import ItemAnswer, prepare, result_to_dict, score  # noqa: E402
from bench.photo_ingest import photo_like  # noqa: E402

PHOTOS = 20
MAX_PIXELS = 60_000_000


def inputs(photos: int) -> tuple[dict, dict[str, bytes]]:
    """The report context and photo bytes for a unit with typical barriers."""
    catalogue = load_catalogue(ROOT / "checklists")
    checklist = catalogue.newest("uu-bolig")
    values = {i.id: passing_value(i) for i in checklist.items.values() if i.type != "text"}
    typical = TYPICAL_BARRIERS[checklist.version]
    values.update({item_id: failing[0] for item_id, (_, _, failing) in typical.items()})
    answers = {k: ItemAnswer(v) for k, v in values.items() if v is not None}
    prepared = prepare(checklist, catalogue.profiles, catalogue.measures, catalogue.limitations)
    result = result_to_dict(score(prepared, answers, {"floor": 2, "has_lift": False}))
    items = [b["item_id"] for b in result["general"]["barriers"]]
    records, files = [], {}
    for n in range(photos):
        buffer = io.BytesIO()
        photo_like((4032, 3024)).save(buffer, "JPEG", quality=90)
        processed = process_photo(buffer.getvalue(), max_pixels=MAX_PIXELS)
        photo_id = f"photo-{n}"
        files[photo_id] = processed.display
        records.append(
            {
                "id": photo_id,
                "item_id": items[n % len(items)],
                "caption": f"Bilde {n + 1} av hindringen, tatt under befaringen",
                "width": processed.width,
                "height": processed.height,
            }
        )
    by_item: dict[str, list[str]] = {}
    for record in records:
        by_item.setdefault(record["item_id"], []).append(record["id"])
    for barrier in result["general"]["barriers"]:
        barrier["photo_ids"] = by_item.get(barrier["item_id"], [])
    now = datetime(2026, 12, 2, tzinfo=UTC)
    context = content.build(
        kind="unit",
        dwelling={"address": "Storgata 12", "unit_number": "H0201", "district": "Sentrum"},
        inspection={
            "id": "bench",
            "status": "approved",
            "inspector": "Befarer",
            "submitted_at": now,
            "reviewer": "Forvalter",
            "approved_at": now,
            "checklist_key": checklist.key,
            "checklist_version": checklist.version,
            "checklist_title": checklist.title.nb,
            "model_version": 1,
            "profiles_version": catalogue.profiles.version,
            "measures_version": catalogue.measures.version,
            "scored_at": now,
        },
        explanation=result,
        catalogue=catalogue,
        checklist=checklist,
        photos=records,
        changes=None,
        issued=now,
    )
    return context, files


def vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb(case: str) -> float:
    args = [sys.executable, "-m", "bench.report", "--memory-case", case]
    output = subprocess.run(args, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.splitlines()[-1])["peak_mb"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--memory-case", choices=["inputs", "photos", "no-photos"])
    args = parser.parse_args()
    if args.memory_case:
        context, files = inputs(0 if args.memory_case == "no-photos" else PHOTOS)
        if args.memory_case != "inputs":
            render_pdf(context, files)
        print(json.dumps({"peak_mb": vm_hwm_mb()}))
        return

    with_photos, files = inputs(PHOTOS)
    without, _ = inputs(0)
    render_pdf(without, {})  # warm fonts and templates
    wall: dict[str, list[float]] = {"photos": [], "no-photos": []}
    cpu: dict[str, list[float]] = {"photos": [], "no-photos": []}
    size = 0
    for _ in range(args.rounds):
        for case, (context, photos) in (
            ("no-photos", (without, {})),
            ("photos", (with_photos, files)),
        ):
            started, started_cpu = time.perf_counter(), time.process_time()
            pdf = render_pdf(context, photos)
            wall[case].append(time.perf_counter() - started)
            cpu[case].append(time.process_time() - started_cpu)
            size = len(pdf) if case == "photos" else size
    print(f"barriers: {len(with_photos['barriers'])}, photos: {PHOTOS}, PDF {size / 1e6:.1f} MB")
    for case in wall:
        print(
            f"{case:10s} wall median {statistics.median(wall[case]):.2f} s, "
            f"CPU median {statistics.median(cpu[case]):.2f} s (min {min(cpu[case]):.2f} s)"
        )
    for name, times in (("wall", wall), ("CPU", cpu)):
        ratios = [p / n for p, n in zip(times["photos"], times["no-photos"], strict=True)]
        print(
            f"ratio photos / no-photos, {name} (median of rounds): {statistics.median(ratios):.2f}"
        )
    memory = {case: peak_mb(case) for case in ("inputs", "no-photos", "photos")}
    print("peak RSS (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in memory.items()))


if __name__ == "__main__":
    main()

"""Benchmark: portfolio plans over 110,000 and 600 units, and the per-unit upgrade options.

Run from the repository root:  python bench/planning.py [--rounds 5]

Candidates are shaped like real output: a pool of generated uu-bolig inspections is scored
with the real checklist and measures catalogue, `upgrade_options` gives each pool unit its
cheapest upgrades, and the portfolio draws its units from the pool into seeded buildings and
districts. Every timing runs side by side with a baseline in the same rounds, so the ratio
holds on a noisy shared machine:
- plan_portfolio against a static greedy (sort every option once by value per krone, take
  while it fits: no re-evaluation, no shared costs, no totals), the least a planner can do;
- the national-size plan as the API answers it (`plan_to_dict`, then JSON as Flask encodes
  it), against the same static greedy;
- upgrade_options (all 18 keys of one unit) against one full `score` of the same unit.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.checklists.loader import load_catalogue
from app.planning import (
    UnitCandidate,
    demand_weights,
    plan_portfolio,
    suitable_supply,
    unit_candidate,
    upgrade_options,
)
from app.planning.services import plan_to_dict
from app.scoring import prepare, score
from bench.scoring import inspection

ROOT = Path(__file__).resolve().parents[1]
POOL = 400


def _pool(prepared, checklist, rng: random.Random):
    """Real per-unit options of generated inspections (some lifts marked feasible)."""
    units = []
    for _ in range(POOL):
        answers, facts = inspection(checklist, rng)
        feasibility = {"lift_installation": True} if rng.random() < 0.2 else {}
        units.append((answers, facts, feasibility))
    return units


def portfolio(options_pool, count: int, districts: int, rng: random.Random):
    """`count` units in buildings of 1-40 units (mean about 12), spread over `districts`."""
    candidates: list[UnitCandidate] = []
    building = 0
    while len(candidates) < count:
        building += 1
        district = f"bydel-{rng.randrange(districts):02d}"
        for _ in range(
            min(rng.choice((1, 2, 4, 6, 8, 12, 12, 18, 24, 40)), count - len(candidates))
        ):
            options = options_pool[rng.randrange(len(options_pool))]
            candidates.append(unit_candidate(len(candidates), building, district, options))
    return candidates


def static_greedy(candidates, budget, weights, catalogue) -> float:
    """Baseline: every option ranked once by its own value per krone, taken while it fits."""
    cost_of = {m.id: m.cost.typical for m in catalogue.measures}
    ranked = []
    for unit in candidates:
        for option in unit.options:
            value = sum(
                weights.get((need, unit.district), 0.0)
                for need in option.needs
                if need not in unit.suitable
            )
            cost = sum(cost_of[m] for m in option.measures)
            if value > 0:
                ranked.append((value / cost if cost else float("inf"), cost, value))
    ranked.sort(reverse=True)
    spent = total = 0.0
    for _, cost, value in ranked:
        if spent + cost <= budget:
            spent += cost
            total += value
    return total


def _demand(candidates, rng: random.Random):
    supply = suitable_supply(candidates)
    needs = sorted(
        {need for need, _ in supply} | {n for u in candidates for o in u.options for n in o.needs}
    )
    districts = sorted({u.district for u in candidates})
    scale = max(1, len(candidates) // 2000)
    waiting = {
        (need, d): rng.choice((0, 0, 1, 2, 5, 10)) * scale for need in needs for d in districts
    }
    return demand_weights(waiting, supply)


def _timed(fn):
    gc.collect()
    c0, w0 = time.process_time(), time.perf_counter()
    result = fn()
    return result, time.process_time() - c0, time.perf_counter() - w0


def bench_plan(label, candidates, budget, weights, catalogue, rounds, keep=None):
    rows = {"plan": [], "static": []}
    plan = None
    for _ in range(rounds):
        plan, cpu, wall = _timed(lambda: plan_portfolio(candidates, budget, weights, catalogue))
        rows["plan"].append((cpu, wall))
        _, cpu, wall = _timed(lambda: static_greedy(candidates, budget, weights, catalogue))
        rows["static"].append((cpu, wall))
    med = statistics.median
    p_cpu, p_wall = med(c for c, _ in rows["plan"]), med(w for _, w in rows["plan"])
    s_cpu = med(c for c, _ in rows["static"])
    ratio = med(p[0] / s[0] for p, s in zip(rows["plan"], rows["static"], strict=True))
    actions = sum(len(u.options) for u in candidates)
    assert plan is not None and plan.spent.typical <= budget
    if keep is not None:
        keep.append(plan)
    return (
        f"| {label}: {len(candidates):,} units, {actions:,} options, budget "
        f"{budget / 1e6:,.0f} MNOK | {p_cpu * 1000:,.0f} ms / {p_wall * 1000:,.0f} ms | "
        f"{s_cpu * 1000:,.0f} ms | {ratio:.1f}x | {len(plan.steps):,} steps, "
        f"spent {plan.spent.typical / 1e6:,.1f} MNOK, value / upper bound "
        f"{plan.value / plan.upper_bound:.3f} |"
    )


def bench_response(plan, candidates, budget, weights, catalogue, rounds):
    """`plan_to_dict` and the JSON encoding of a plan, as the API answers it."""
    labels = {
        u.unit_id: (f"Gate {u.building_id}", f"H{u.unit_id % 10_000:04d}") for u in candidates
    }
    measures = {m.id: m for m in catalogue.measures}
    rows = []
    for _ in range(rounds):
        body, to_dict, _ = _timed(lambda: plan_to_dict(plan, labels, measures))
        # Flask's JSON provider in production: sorted keys, ASCII, compact separators.
        text, encode, _ = _timed(
            lambda body=body: json.dumps(body, sort_keys=True, separators=(",", ":"))
        )
        _, static, _ = _timed(lambda: static_greedy(candidates, budget, weights, catalogue))
        rows.append((to_dict, encode, static))
    med = statistics.median
    ratio = med((d + e) / s for d, e, s in rows)
    return (
        f"| `plan_to_dict` + JSON, national-size plan ({len(plan.steps):,} steps, "
        f"{len(text) / 1e6:.1f} MB) | {med(d for d, _, _ in rows) * 1000:,.0f} ms + "
        f"{med(e for _, e, _ in rows) * 1000:,.0f} ms | {med(s for _, _, s in rows) * 1000:,.0f} "
        f"ms | {ratio:.1f}x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    catalogue = load_catalogue(ROOT / "checklists")
    checklist = catalogue.checklists[("uu-bolig", 1)]
    keys = [lim.key for lim in catalogue.limitations]
    prepared = prepare(checklist, catalogue.profiles, catalogue.measures, keys)
    rng = random.Random(20260601)
    units = _pool(prepared, checklist, rng)

    # Per-unit precompute: all keys of one unit against one full score of the same unit.
    opt_times, score_times, options_pool = [], [], []
    for _ in range(args.rounds):
        for answers, facts, feasibility in units:
            c0 = time.process_time()
            options = upgrade_options(prepared, answers, facts, feasibility)
            c1 = time.process_time()
            score(prepared, answers, facts, feasibility)
            c2 = time.process_time()
            opt_times.append(c1 - c0)
            score_times.append(c2 - c1)
            if len(options_pool) < len(units):
                options_pool.append(options)
    med = statistics.median
    ratios = sorted(o / s for o, s in zip(opt_times, score_times, strict=True) if s > 0)
    q = statistics.quantiles(opt_times, n=100)

    gc.freeze()
    big = portfolio(options_pool, 110_000, 15, random.Random(1))
    small = portfolio(options_pool, 600, 4, random.Random(2))
    big_w, small_w = _demand(big, random.Random(3)), _demand(small, random.Random(4))
    national: list = []
    rows = [
        bench_plan("municipality", small, 5_000_000, small_w, catalogue.measures, args.rounds),
        bench_plan("municipality, all", small, 10**10, small_w, catalogue.measures, args.rounds),
        bench_plan(
            "national-size", big, 500_000_000, big_w, catalogue.measures, args.rounds, national
        ),
        bench_plan("national-size, all", big, 10**12, big_w, catalogue.measures, args.rounds),
    ]
    response = bench_response(national[0], big, 500_000_000, big_w, catalogue.measures, args.rounds)
    lines = [
        "## Upgrade planning (`bench/planning.py`)",
        "",
        f"- Machine: {platform.python_implementation()} {platform.python_version()}, 2 cores "
        f"shared with other work, {datetime.date.today().isoformat()}.",
        f"- Command: `.venv/bin/python bench/planning.py --rounds {args.rounds}`",
        f"- Candidates: {POOL} generated uu-bolig inspections (the scoring benchmark's "
        "generator) with their real `upgrade_options`, 20 % with the lift marked feasible, drawn "
        "into buildings of 1-40 units; demand weights from seeded waiting counts against the "
        "portfolio's own suitable supply.",
        "",
        "| per-unit precompute | median CPU | 99th percentile | ratio to one `score` (median) |",
        "| --- | --- | --- | --- |",
        f"| `upgrade_options`, all 18 keys | {med(opt_times) * 1000:.1f} ms | "
        f"{q[98] * 1000:.1f} ms | {med(ratios):.0f}x |",
        "",
        "| portfolio plan | `plan_portfolio` CPU / wall (median) | static greedy CPU | ratio "
        "| result |",
        "| --- | --- | --- | --- | --- |",
        *rows,
        "",
        "| plan response | CPU (median) | static greedy CPU | ratio |",
        "| --- | --- | --- | --- |",
        response,
        "",
        "Targets: <= 200 ms for a 600-unit municipality, <= 5 s for 110,000 units.",
        "",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""Benchmark: loading and validating the shipped catalogue, as ratios to plain YAML parsing.

Each round runs every variant once, interleaved, so machine noise hits all of them alike;
times are medians over the rounds, ratios medians of per-round ratios. Run from the repo root:
    python -m bench.checklists_load [rounds]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from app.checklists.loader import build_catalogue, content_hash, read_sources
from app.checklists.serialize import checklist_to_dict
from app.checklists.validation import measures_by_item


def main(rounds: int = 40) -> None:
    sources = read_sources(Path(__file__).resolve().parents[1] / "checklists")
    texts = list(sources.values())
    catalogue = build_catalogue(sources)
    checklist = catalogue.checklists[("uu-bolig", 1)]
    by_item = measures_by_item(catalogue.measures.measures)
    fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    variants: dict[str, Callable[[], object]] = {
        "baseline: yaml parse only (libyaml)": lambda: [yaml.load(t, Loader=fast) for t in texts],
        "yaml.safe_load (pure Python)": lambda: [yaml.safe_load(t) for t in texts],
        "build_catalogue (parse + validate)": lambda: build_catalogue(sources),
        "content_hash (all files)": lambda: [content_hash(t) for t in texts],
        "checklist_to_dict": lambda: checklist_to_dict(checklist, by_item),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    base = times[next(iter(variants))]
    print(f"{len(checklist.items)} items, {sum(map(len, texts))} bytes of YAML, {rounds} rounds")
    for name, samples in times.items():
        # Median of per-round ratios: each round's variants ran back to back.
        ratio = statistics.median(t / b for t, b in zip(samples, base, strict=True))
        print(f"{name:40s} {statistics.median(samples) * 1000:8.2f} ms   x{ratio:5.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)

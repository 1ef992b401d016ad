"""Photo ingest speed and memory, as ratios against plain Pillow pipelines run side by side.

Usage: python bench/photo_ingest.py [--rounds N]   (from the repository root)

Cases, timed interleaved in one process (the machine is shared and noisy, so only ratios
between cases of the same run mean anything; ratios are medians of per-round ratios):
- ingest: `process_photo` + `store_photo` on a FilesystemStorage (fsync included);
- reference: reduced-scale decode + resize + thumbnail + JPEG save, nothing else;
- naive: full-size decode, exif_transpose, resize, thumbnail, save.
Peak memory: RSS high-water mark of a fresh subprocess per case, minus one that only imports
(the input bytes are counted as part of the ingest).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageOps  # noqa: E402

from app.inspections.photos.processing import process_photo  # noqa: E402
from app.inspections.photos.storage import FilesystemStorage, store_photo  # noqa: E402

DISPLAY, THUMB, QUALITY = 2048, 400, 85
LANCZOS = Image.Resampling.LANCZOS


def photo_like(size: tuple[int, int], grain: float = 0.4, sigma: float = 50) -> Image.Image:
    """Gradients, coarse shapes and sensor-like grain: compresses roughly like a phone photo."""
    width, height = size
    base = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize(size),
            Image.radial_gradient("L").resize(size),
            Image.linear_gradient("L").rotate(90).resize(size),
        ),
    )
    coarse = Image.effect_noise((width // 64, height // 64), 90).resize(size, Image.BICUBIC)
    medium = Image.effect_noise((width // 8, height // 8), 60).resize(size, Image.BICUBIC)
    fine = Image.effect_noise(size, sigma)
    texture = Image.merge("RGB", (coarse, medium, fine))
    return Image.blend(base, texture, grain)


def phone_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 6  # held upright: stored sideways
    exif[0x010F] = "Telefon"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (63.0, 25.0, 12.3), "E", (10.0, 23.0, 45.6)
    return exif


def make_inputs(workdir: Path) -> dict[str, Path]:
    """Write the test photos once: 12 MP and 48 MP JPEG, 12 MP HEIC."""
    import pillow_heif

    files = {"jpeg12": workdir / "12mp.jpg", "jpeg48": workdir / "48mp.jpg"}
    photo_like((4032, 3024)).save(files["jpeg12"], "JPEG", quality=95, exif=phone_exif())
    photo_like((8064, 6048)).save(files["jpeg48"], "JPEG", quality=90, exif=phone_exif())
    files["heic12"] = workdir / "12mp.heic"
    heif = pillow_heif.from_pillow(photo_like((4032, 3024), grain=0.2, sigma=25))
    heif.save(files["heic12"], quality=60)
    return files


def draft_scale(size: tuple[int, int]) -> int:
    """The 1/2, 1/4, 1/8 JPEG scale that still gives about 2048 px (the same rule as ingest)."""
    return next((s for s in (8, 4, 2) if max(size) / s >= DISPLAY * 0.9), 1)


def _save(img: Image.Image) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=QUALITY)
    return buffer.getvalue()


def reference(data: bytes) -> None:
    img = Image.open(io.BytesIO(data))
    scale = draft_scale(img.size)
    img.draft("RGB", (img.width // scale, img.height // scale))
    img.thumbnail((DISPLAY, DISPLAY), LANCZOS)
    _save(img)
    thumb = img.copy()
    thumb.thumbnail((THUMB, THUMB), LANCZOS)
    _save(thumb)


def naive(data: bytes) -> None:
    img = Image.open(io.BytesIO(data))
    img = ImageOps.exif_transpose(img).convert("RGB")
    img.thumbnail((DISPLAY, DISPLAY), LANCZOS, reducing_gap=None)
    _save(img)
    thumb = img.copy()
    thumb.thumbnail((THUMB, THUMB), LANCZOS, reducing_gap=None)
    _save(thumb)


def heic_decode_only(data: bytes) -> None:
    Image.open(io.BytesIO(data)).load()


def ingest_into(storage: FilesystemStorage) -> Callable[[bytes], None]:
    def ingest(data: bytes) -> None:
        store_photo(storage, uuid.uuid4(), process_photo(data))

    return ingest


def timed(
    cases: dict[str, Callable[[bytes], None]], data: bytes, rounds: int
) -> tuple[dict[str, float], dict[str, float]]:
    """Median seconds per case, and median per-round ratio of each case to the first one."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for function in cases.values():
        function(data)  # warm-up
    for _ in range(rounds):
        for name, function in cases.items():
            start = time.perf_counter()
            function(data)
            samples[name].append(time.perf_counter() - start)
    first = samples[next(iter(cases))]
    medians = {name: statistics.median(values) for name, values in samples.items()}
    ratios = {
        name: statistics.median(v / b for v, b in zip(values, first, strict=True))
        for name, values in samples.items()
    }
    return medians, ratios


def peak_rss_mb(case: str, path: Path | None) -> float:
    """Run one case in a fresh interpreter and return its RSS high-water mark in MB."""
    args = [sys.executable, __file__, "--memory-case", case, str(path or "")]
    output = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(output)["maxrss_kb"] / 1024


def memory_case(case: str, path: str) -> None:
    """Body of the memory subprocess: one ingest (or nothing), then report ru_maxrss."""
    if case != "imports-only":
        data = Path(path).read_bytes()
        with tempfile.TemporaryDirectory() as root:
            if case == "ingest":
                ingest_into(FilesystemStorage(root))(data)
            else:
                {"reference": reference, "naive": naive}[case](data)
    print(json.dumps({"maxrss_kb": _high_water_kb()}))


def _high_water_kb() -> int:
    """Peak RSS of this process since its exec.

    ru_maxrss survives exec, so a child forked from this (large) benchmark process would report
    the parent's size; Linux's VmHWM belongs to the new address space. ru_maxrss elsewhere.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def encode_options(path: Path, rounds: int) -> list[str]:
    """Time and size of the display JPEG saved baseline, optimized and progressive."""
    img = Image.open(path)
    img.draft("RGB", (img.width // 2, img.height // 2))
    img.load()
    lines = []
    for label, options in (
        ("baseline", {}),
        ("optimize", {"optimize": True}),
        ("progressive", {"progressive": True}),
    ):
        times, size = [], 0
        for _ in range(rounds):
            buffer = io.BytesIO()
            start = time.perf_counter()
            img.save(buffer, "JPEG", quality=QUALITY, **options)
            times.append(time.perf_counter() - start)
            size = buffer.tell()
        lines.append(f"| {label} | {statistics.median(times) * 1000:.1f} | {size / 1024:.0f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--memory-case", nargs=2, metavar=("CASE", "PATH"))
    args = parser.parse_args()
    if args.memory_case:
        memory_case(*args.memory_case)
        return

    with tempfile.TemporaryDirectory() as work:
        workdir = Path(work)
        files = make_inputs(workdir)
        storage = FilesystemStorage(workdir / "store")
        ingest = ingest_into(storage)
        print("| input | size | ingest ms | reference ms | naive ms | ingest/ref | naive/ref |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for key, rounds in (("jpeg12", args.rounds), ("jpeg48", max(3, args.rounds // 3))):
            data = files[key].read_bytes()
            cases = {"reference": reference, "ingest": ingest, "naive": naive}
            t, r = timed(cases, data, rounds)
            print(
                f"| {key} | {len(data) / 1e6:.1f} MB | {t['ingest'] * 1000:.0f} | "
                f"{t['reference'] * 1000:.0f} | {t['naive'] * 1000:.0f} | "
                f"{r['ingest']:.2f} | {r['naive']:.2f} |"
            )
        data = files["heic12"].read_bytes()
        cases = {"decode": heic_decode_only, "ingest": ingest}
        t, r = timed(cases, data, max(3, args.rounds // 3))
        print(
            f"\nHEIC 12 MP ({len(data) / 1e6:.1f} MB): ingest {t['ingest'] * 1000:.0f} ms, "
            f"decode alone {t['decode'] * 1000:.0f} ms, ratio {r['ingest']:.2f}"
        )

        base = peak_rss_mb("imports-only", None)
        print(f"\nPeak RSS, imports only: {base:.0f} MB")
        print("| input | case | peak RSS MB | added MB |\n| --- | --- | --- | --- |")
        for key in ("jpeg12", "jpeg48", "heic12"):
            for case in ("ingest", "reference", "naive") if key != "heic12" else ("ingest",):
                peak = peak_rss_mb(case, files[key])
                print(f"| {key} | {case} | {peak:.0f} | {peak - base:.0f} |")

        print("\nDisplay JPEG encoding (2016x1512, q85):")
        print("| option | ms | KiB |\n| --- | --- | --- |")
        print("\n".join(encode_options(files["jpeg12"], args.rounds)))


if __name__ == "__main__":
    main()

"""Benchmark: ``kiosk deck install`` of the bundled deck and of a 10,000-card deck.

    python benchmarks/bench_deck_install.py [--sizes bundled,10000] [--runs 3]

For each deck it times, each run in a fresh Python process and a fresh decks root:

- baseline: what the old README procedure did, a plain copy (``shutil.copytree``)
  then ``kiosk check`` of the copy (``load_deck``);
- ``kiosk deck install FOLDER``;
- ``kiosk deck build`` and ``kiosk deck install BUNDLE`` (the bundle path: copy off
  the source, header scan, streamed extraction with SHA-256 checks);

and prints the median wall and CPU time in the process (interpreter start-up left
out) and the peak RSS of the process, with the ratio to the baseline measured in
the same run. Runs are interleaved. The load average is printed before and after:
on a shared machine wall times drift, the CPU times and ratios less so.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

MEASURE = r"""
import json, resource, shutil, sys, time
from pathlib import Path
kind, source, target = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
wall, cpu = time.perf_counter(), time.process_time()
if kind == "baseline":
    from kiosk.deck.loader import load_deck
    shutil.copytree(source, target / "copy")
    result = load_deck(target / "copy")
    status = 1 if result.errors else 0
else:
    import contextlib, io
    from kiosk.cli import main
    args = {
        "install": ["deck", "install", str(source), "--decks", str(target / "decks")],
        "build": ["deck", "build", str(source), "--out", str(target / "deck.kdeck")],
    }[kind.split("-")[0]]
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(args)
print(json.dumps({"status": status, "wall": time.perf_counter() - wall,
                  "cpu": time.process_time() - cpu,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(kind: str, source: Path, work: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env["KIOSK_SITE"] = ""
    env["PYTHONPATH"] = str(REPO)
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, kind, str(source), str(work)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=900,
    )
    if run.returncode != 0:
        raise SystemExit(f"{kind} failed: {run.stderr}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    if result["status"] != 0:
        raise SystemExit(f"{kind} on {source} returned {result['status']}: {run.stderr}")
    return result


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="bundled,10000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from benchmarks.gen_deck import write_deck
    from kiosk.deck import bundled_cards_dir

    print(f"load average before: {load_average()}  (Python {sys.version.split()[0]})")
    kinds = ["baseline", "install-folder", "build", "install-bundle"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-deck-install-") as scratch:
        for size in args.sizes.split(","):
            if size == "bundled":
                source = bundled_cards_dir()
            else:
                source = Path(scratch) / f"deck-{size}"
                write_deck(source, int(size))
            bundle_dir = Path(scratch) / f"bundle-{size}"
            bundle_dir.mkdir()
            measure("build", source, bundle_dir)
            bundle = bundle_dir / "deck.kdeck"
            results: dict[str, list[dict[str, float]]] = {k: [] for k in kinds}
            for run_number in range(args.runs):
                order = kinds if run_number % 2 == 0 else list(reversed(kinds))
                for kind in order:
                    work = Path(tempfile.mkdtemp(dir=scratch))
                    what = bundle if kind == "install-bundle" else source
                    results[kind].append(measure(kind, what, work))
            base_wall = statistics.median(r["wall"] for r in results["baseline"])
            base_cpu = statistics.median(r["cpu"] for r in results["baseline"])
            for kind in kinds:
                wall = statistics.median(r["wall"] for r in results[kind])
                cpu = statistics.median(r["cpu"] for r in results[kind])
                rss = max(r["rss_mib"] for r in results[kind])
                rows.append((size, kind, wall, cpu, rss, wall / base_wall, cpu / base_cpu))
            if size != "bundled":
                print(f"bundle of {size} cards: {bundle.stat().st_size / 1e6:.1f} MB")
    print(f"\nkiosk deck install, {args.runs} runs each (medians; RSS: peak of the process)")
    header = ("deck", "what", "wall s", "CPU s", "RSS MiB", "wall/base", "CPU/base")
    print("{:>8} {:<15} {:>8} {:>8} {:>8} {:>9} {:>9}".format(*header))
    for row in rows:
        print("{:>8} {:<15} {:8.3f} {:8.3f} {:8.1f} {:9.2f} {:9.2f}".format(*row))
    print(f"\nload average after: {load_average()}")


if __name__ == "__main__":
    main()

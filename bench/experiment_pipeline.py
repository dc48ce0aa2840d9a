"""The book's own experiment from scratch: time, memory and throughput, and whether it reproduces data/.

Runs `scripts/run_experiment.py --fresh` into a temporary folder (the two languages and the five
variants, two worker processes), sampling the memory of the whole process tree (the sum of each
process's proportional set size, so pages the workers share with the parent count once) every 0.2 s;
then fits the three approaches with 1,000 bootstrap resamples each to both languages' tables, as
the chapter does. Prints:

- each language's stages (build, sweep, fits) and its pipeline total (targets: sweep <= 6 min,
  pipeline <= 10 min on the 2-core machine);
- the peak memory of the process tree (target <= 2 GB);
- the model's matrix-product throughput against the machine's own float32 matmul rate, both
  measured in the same run by the script (target >= 40 %);
- whether the tables written are byte-for-byte the committed ones, and if not, the largest
  difference in any loss.

Run: python bench/experiment_pipeline.py     (about 10 minutes)
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import csv  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TABLES = ("experiment_runs.csv", "experiment_curves.csv", "experiment_variants.csv",
          "experiment_language.json")


def _tree_pss_bytes(pid: int) -> int:
    """Proportional set size of ``pid`` and all its descendants, bytes."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            pass
    return total


def _largest_loss_difference(ours: Path, committed: Path) -> float:
    def losses(path):
        with path.open(newline="") as fh:
            return [float(row["loss"]) for row in csv.DictReader(fh)]
    a, b = losses(ours), losses(committed)
    if len(a) != len(b):
        return float("inf")
    return max((abs(x - y) for x, y in zip(a, b)), default=0.0)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out, resume = Path(tmp) / "data", Path(tmp) / "runs"
        out.mkdir()
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "run_experiment.py"), "--fresh",
                                 "--out", str(out), "--resume-dir", str(resume)],
                                stdout=subprocess.PIPE, text=True)
        peak = [0]

        def watch():
            while proc.poll() is None:
                peak[0] = max(peak[0], _tree_pss_bytes(proc.pid))
                time.sleep(0.2)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if not line.startswith("  ["):
                print("  | " + line, end="", flush=True)
        proc.wait()
        watcher.join()
        total = time.perf_counter() - start
        if proc.returncode != 0:
            print(f"run_experiment.py failed with exit code {proc.returncode}")
            return 1

        os.environ["SCALING_BOOK_DATA"] = str(out)
        from scaling_lib.experiment import analysis, sweep

        text = "".join(lines)
        print()
        for seed in sweep.LANGUAGE_SEEDS:
            built = float(re.search(rf"language {seed}: built in ([0-9.]+) s", text).group(1))
            swept = float(re.search(rf"language {seed}: \d+ runs, \d+ of them trained now, in ([0-9.]+) s", text).group(1))
            t0 = time.perf_counter()
            fits = analysis.fit_approaches(analysis.load_sweep(seed), n_resamples=1000)
            analysis.extrapolation(analysis.load_sweep(seed))
            fitted = time.perf_counter() - t0
            print(f"language {seed}: language {built:.1f} s + sweep {swept:.1f} s + fits {fitted:.1f} s "
                  f"= pipeline {built + swept + fitted:.1f} s (a = {fits.a[1]:.3f}, {fits.a[2]:.3f}, "
                  f"{fits.a[3]:.3f})")
        print(f"everything (both languages, five variants, tables): {total:.1f} s")
        print(f"peak memory of the process tree: {peak[0] / 2**30:.2f} GB")
        for line in lines:
            if line.startswith(("matmul rate", "model throughput")):
                print(line, end="")
        same = [name for name in TABLES if (out / name).read_bytes() == (ROOT / "data" / name).read_bytes()]
        if len(same) == len(TABLES):
            print("tables: byte-for-byte identical to the committed data/")
        else:
            for name in TABLES:
                if name not in same:
                    note = ""
                    if name.endswith(".csv"):
                        note = f" (largest loss difference {_largest_loss_difference(out / name, ROOT / 'data' / name):.2e} nats)"
                    print(f"tables: {name} differs from the committed one{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Copy the published training runs the book refits into data/, with a source on every row.

The runs come from the CSV conversions in ``../shared/data/`` (see its README for how each was
made from the authors' repositories). Numbers are copied as the text they are written in, so the
book's tables hold exactly the published values; only column names change (to the book's: units in
the names, snake case) and two columns are added, ``citation`` (a key of ``references.bib``) and
``source`` (where in the authors' repository the row comes from). ``data/README.md`` documents the
columns and licences.

The book never needs ``../shared``: this script is how ``data/`` was made, and is run again only if
the shared conversions change.

Run: python scripts/import_published_runs.py [path/to/shared/data]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHINCHILLA_SOURCE = ("Hoffmann et al. (2022) Figure 4, points read from its vector graphics by Besiroglu et al. "
                     "(2024): github.com/epoch-research/analyzing-chinchilla, data/svg_extracted_data.csv")
PORIAN_RUNS_SOURCE = ("Porian et al. (2024): github.com/formll/resolving-scaling-law-discrepancies, "
                      "data/summary_df*.pickle.xz (orig_n, orig_t, orig_loss of each budget)")
PORIAN_EXPONENTS_SOURCE = ("Porian et al. (2024): exponents fitted by the authors' code "
                           "(github.com/formll/resolving-scaling-law-discrepancies, analysis.py) to their "
                           "summary tables")
MUENNIGHOFF_SOURCE = ("Muennighoff et al. (2023): github.com/huggingface/datablations, "
                      "utils/parametric_fit.ipynb (the runs of the data-constrained fit, decoded from "
                      "their run names with the notebook's own maps)")


def _read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write(name: str, columns: list[str], rows: list[dict]) -> None:
    path = ROOT / "data" / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {path.relative_to(ROOT)}: {len(rows)} rows")


def main(shared: Path) -> int:
    rows = _read(shared / "chinchilla_extracted" / "svg_extracted_data.csv")
    _write("chinchilla_extracted.csv",
           ["n_params", "flops", "loss", "svg_x", "svg_y", "svg_color", "citation", "source"],
           [{"n_params": r["Model Size"], "flops": r["Training FLOP"], "loss": r["loss"], "svg_x": r["x"],
             "svg_y": r["y"], "svg_color": r["hex_color"], "citation": "besiroglu2024chinchilla",
             "source": CHINCHILLA_SOURCE} for r in rows])

    rows = _read(shared / "porian2024" / "isoflop_runs.csv")
    columns = ["dataset", "hparams", "warmup", "decay", "param_count", "loss_split", "flops", "n_params",
               "n_tokens", "loss"]
    _write("porian2024_isoflop_runs.csv", columns + ["citation", "source"],
           [{**{c: r[c] for c in columns}, "citation": "porian2024resolving", "source": PORIAN_RUNS_SOURCE}
            for r in rows])

    rows = _read(shared / "porian2024" / "published_exponents.csv")
    columns = ["dataset", "hparams", "warmup", "decay", "param_count", "loss_split", "a", "a_weighted", "b",
               "a_p05", "a_p95", "n_boot"]
    _write("porian2024_published_exponents.csv", columns + ["citation", "source"],
           [{**{c: r[c] for c in columns}, "citation": "porian2024resolving",
             "source": PORIAN_EXPONENTS_SOURCE} for r in rows])

    rows = _read(shared / "muennighoff2023" / "runs.csv")
    columns = ["run", "n_params", "n_tokens", "unique_tokens", "loss"]
    _write("muennighoff2023_runs.csv", columns + ["citation", "source"],
           [{**{c: r[c] for c in columns}, "citation": "muennighoff2023scaling", "source": MUENNIGHOFF_SOURCE}
            for r in rows])
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"))

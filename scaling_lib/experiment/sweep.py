"""The experiment's sweep: which runs, how they are run on several cores, and the tables they make.

The grid (:data:`BUDGETS`, :data:`WIDTHS`, :func:`sweep_specs`): seven compute budgets
``C = 6 N D`` from 1e9 to 1e12 FLOPs in half-decade steps; for each, 11 widths ``H`` in steps of
``sqrt 2`` (``N = 65 H + 64`` non-embedding parameters spanning a factor of about 32), the window
moving one step up per budget, from ``H = 8 .. 256`` at 1e9 FLOPs to ``H = 64 .. 2048`` at 1e12;
``D = round(C / (6 N))`` fresh tokens per run. At 1e11 FLOPs three widths are run again with two
more seeds (new data order and initial weights): the seed-to-seed spread. 83 runs per language.

:data:`VARIANTS` are languages that differ from the base design (language seed 0) in one setting:
the Zipf exponent of the unigram bias, how fast the teacher's feature importances decay, or the
order of the chain. Each runs the grid's five smallest budgets (1e9 .. 1e11 FLOPs), seed 0 only:
what changes when the language changes.

:func:`run_sweep` trains the runs in worker processes (``fork``, so the language built once in the
parent is shared, not copied), longest first, and keeps each finished run as a small JSON file in a
resume folder, so an interrupted sweep restarts where it stopped. Each run depends only on its own
seeds, so the results do not depend on the number of workers or the order they finish in.

:func:`write_tables` turns the runs into the committed tables (``data/experiment_runs.csv``,
``data/experiment_curves.csv``, ``data/experiment_variants.csv``,
``data/experiment_language.json``); floats are written with ``repr``, so the same runs give the
same bytes.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import _checks
from ..compute import training_flops
from .language import DEFAULTS, MarkovLanguage
from .model import BATCH_SIZE, MAX_WIDTH, HeldOut, heldout_sample, matmul_flops_per_token, parameter_counts
from .training import (BETAS, EPS, EVAL_FRACTIONS, LR_INPUT, OUTPUT_LR_SCALE, WARMUP_FRACTION,
                       tokens_for_budget, train)

#: Compute budgets ``C = 6 N D``, FLOPs: 1e9 .. 1e12 in half-decade steps.
BUDGETS = tuple(10.0 ** (9 + i / 2) for i in range(7))
#: Hidden widths, 8 .. 2048 in steps of sqrt(2).
WIDTHS = tuple(int(round(8 * 2 ** (j / 2))) for j in range(17))
#: Widths per budget: budget ``i`` trains ``WIDTHS[i : i + WIDTHS_PER_BUDGET]``.
WIDTHS_PER_BUDGET = 11
#: Seed replicas: at budget ``REPLICA_BUDGET`` (an index of BUDGETS) the widths at these positions of
#: its window are trained again with each of ``REPLICA_SEEDS``.
REPLICA_BUDGET = 4
REPLICA_POSITIONS = (3, 5, 7)
REPLICA_SEEDS = (1, 2)
#: The book's two languages: the main one and the one that checks robustness without retuning.
LANGUAGE_SEEDS = (0, 1)
#: Languages that change one setting of the base design (seed 0), by name.
VARIANTS = {
    "zipf_0.0": dict(zipf_exponent=0.0),
    "zipf_1.0": dict(zipf_exponent=1.0),
    "tail_0.4": dict(importance_exponent=0.4),
    "tail_0.8": dict(importance_exponent=0.8),
    "order_2": dict(order=2),
}
#: Budgets of the variants' grid: the main grid's five smallest.
VARIANT_BUDGETS = 5
#: Tokens in the held-out sample every run is also scored on.
HELDOUT_TOKENS = 1 << 22
#: What the source column of the generated tables says.
SOURCE = "made by scripts/run_experiment.py (scaling_lib.experiment)"


def language_settings(variant: str = "") -> dict:
    """The design of a language: the base design (``""``) or a key of :data:`VARIANTS`."""
    _checks.choice(variant, "variant", ("",) + tuple(VARIANTS))
    return dict(DEFAULTS, **VARIANTS.get(variant, {}))


@dataclass(frozen=True, order=True)
class RunSpec:
    """One training run of the sweep.

    Attributes
    ----------
    language_seed : int
    budget : float
        Compute budget ``C = 6 N D``, FLOPs (``N`` non-embedding).
    width : int
        Hidden units ``H``.
    seed : int
        Seed of the data order and the initial weights.
    variant : str, default ""
        ``""`` for the base design, else a key of :data:`VARIANTS`.
    """

    language_seed: int
    budget: float
    width: int
    seed: int
    variant: str = ""

    def __post_init__(self):
        checked = dict(
            language_seed=_checks.scalar(self.language_seed, "language_seed", integer=True, nonnegative=True),
            budget=_checks.scalar(self.budget, "budget", positive=True),
            width=_checks.scalar(self.width, "width", integer=True, positive=True, high=MAX_WIDTH),
            seed=_checks.scalar(self.seed, "seed", integer=True, nonnegative=True),
            variant=_checks.choice(self.variant, "variant", ("",) + tuple(VARIANTS)))
        for name, value in checked.items():  # frozen: store the checked (canonical) values
            object.__setattr__(self, name, value)

    @property
    def settings(self) -> dict:
        """The language's design."""
        return language_settings(self.variant)

    @property
    def n_params(self) -> int:
        """Non-embedding parameters ``N`` of the run's model."""
        s = self.settings
        return parameter_counts(self.width, vocab_size=s["vocab_size"], context_length=s["order"])[0]

    @property
    def n_tokens(self) -> int:
        """Training tokens ``D = round(C / (6 N))``."""
        s = self.settings
        return tokens_for_budget(self.budget, self.width, vocab_size=s["vocab_size"], context_length=s["order"])

    @property
    def key(self) -> str:
        """A file name for the run: variant, language seed, budget, width, seed."""
        head = f"{self.variant}-" if self.variant else ""
        return f"{head}lang{self.language_seed}-C{self.budget:.4e}-H{self.width}-s{self.seed}"

    @property
    def eval_fractions(self) -> tuple:
        """When the run computes its exact loss: nine points for the main sweep's training curves,
        the end only for a variant, whose tables keep final losses alone (evaluating never changes
        training)."""
        return (1.0,) if self.variant else EVAL_FRACTIONS

    def cost(self) -> float:
        """Rough cost in matrix-product FLOPs (training plus exact evaluations), for scheduling."""
        s = self.settings
        V, k = s["vocab_size"], s["order"]
        per_eval = 2 * V ** (k + 1) * self.width
        return (matmul_flops_per_token(self.width, vocab_size=V, context_length=k) * self.n_tokens
                + len(self.eval_fractions) * per_eval)


def sweep_specs(language_seed: int = 0) -> list:
    """Every run of the main sweep for one language, in a fixed order (budget, width, seed)."""
    language_seed = _checks.scalar(language_seed, "language_seed", integer=True, nonnegative=True)
    specs = []
    for i, budget in enumerate(BUDGETS):
        window = WIDTHS[i:i + WIDTHS_PER_BUDGET]
        specs += [RunSpec(language_seed, budget, h, 0) for h in window]
        if i == REPLICA_BUDGET:
            specs += [RunSpec(language_seed, budget, window[p], s)
                      for p in REPLICA_POSITIONS for s in REPLICA_SEEDS]
    return sorted(specs)


def variant_specs(variant: str) -> list:
    """The runs of one language variant (a key of :data:`VARIANTS`): the grid's five smallest
    budgets, seed 0, language seed 0."""
    _checks.choice(variant, "variant", tuple(VARIANTS))
    return sorted(RunSpec(0, budget, h, 0, variant) for i, budget in enumerate(BUDGETS[:VARIANT_BUDGETS])
                  for h in WIDTHS[i:i + WIDTHS_PER_BUDGET])


def training_settings(width: int) -> dict:
    """The optimiser's settings of a run of width ``width`` (see :mod:`scaling_lib.experiment.training`)."""
    width = _checks.scalar(width, "width", integer=True, positive=True, high=MAX_WIDTH)
    return dict(batch_size=BATCH_SIZE, lr_input=LR_INPUT, lr_output=OUTPUT_LR_SCALE / width,
                beta1=BETAS[0], beta2=BETAS[1], eps=EPS, warmup_fraction=WARMUP_FRACTION)


# The language and held-out sample the workers use: set in the parent before the pool forks.
_SHARED: dict = {}


def _run(spec: RunSpec) -> dict:
    language, heldout = _SHARED["language"], _SHARED["heldout"]
    r = train(language, spec.width, spec.n_tokens, seed=spec.seed, heldout=heldout,
              eval_fractions=spec.eval_fractions)
    return {
        "spec": asdict(spec),
        "settings": training_settings(spec.width),
        "n_params": r.n_params_nonembedding, "n_params_total": r.n_params_total,
        "n_tokens": r.n_tokens, "flops": r.flops,
        "loss": r.final_loss, "heldout_loss": r.heldout_loss,
        "curve_tokens": [int(t) for t in r.curve_tokens],
        "curve_loss": [float(x) for x in r.curve_loss],
        "curve_heldout": [float(x) for x in r.curve_heldout],
        # timings are kept beside the run, never written to the tables
        "wall_time_s": r.wall_time_s, "eval_time_s": r.eval_time_s,
        "eval_matmul_flops": float(2 * language.n_contexts * language.vocab_size * spec.width
                                   * len(r.curve_loss)),
        "train_matmul_flops": float(matmul_flops_per_token(spec.width, vocab_size=language.vocab_size,
                                                           context_length=language.order) * r.n_tokens),
    }


def budget_index(flops: float, name: str = "budget") -> int:
    """The index in :data:`BUDGETS` of ``flops`` (equal to a relative 1e-6); ``ValueError`` naming
    ``name`` if it is not one of the grid's budgets."""
    name = _checks.text(name, "name", empty=False)
    flops = _checks.scalar(flops, name, positive=True)
    for i, b in enumerate(BUDGETS):
        if abs(b / flops - 1) < 1e-6:
            return i
    raise ValueError(f"{name} must be one of the grid's budgets {[f'{b:.3g}' for b in BUDGETS]}; got {flops!r}")


def slice_specs(budget: float, language_seed: int = 0) -> list:
    """A live slice of the sweep: five of the grid's eleven widths at one of its budgets (every other
    width of the window, from the second), seed 0 — a few models that should land on the committed
    IsoFLOP valley."""
    i = budget_index(budget)
    language_seed = _checks.scalar(language_seed, "language_seed", integer=True, nonnegative=True)
    window = WIDTHS[i:i + WIDTHS_PER_BUDGET]
    return [RunSpec(language_seed, BUDGETS[i], h, 0) for h in window[1::2]]


def _pool_options(workers, resume_dir, heldout, progress, progress_takes: str) -> tuple:
    """Check the options a pool of runs shares (:func:`run_sweep`, ``schedule_runs.run_schedules``):
    returns ``(workers, folder)``, the folder a ``Path`` or ``None``."""
    workers = _checks.scalar(workers, "workers", integer=True, positive=True, high=256)
    if resume_dir is not None:
        _checks.instance(resume_dir, "resume_dir", (str, os.PathLike), "a folder (str or Path) or None")
    if heldout is not None:
        _checks.instance(heldout, "heldout", HeldOut, "a HeldOut (from heldout_sample) or None")
    if progress is not None and not callable(progress):
        raise _checks.ArgumentTypeError(f"progress must be a function of {progress_takes}, or None; got {progress!r}")
    return workers, (None if resume_dir is None else Path(resume_dir))


def run_sweep(language: MarkovLanguage, specs, *, resume_dir=None, workers: int = 2,
              heldout: HeldOut | None = None, progress=None) -> list:
    """Train every run in ``specs`` (skipping those already in ``resume_dir``); return all results.

    Parameters
    ----------
    language : MarkovLanguage
        The language every spec names (``spec.language_seed == language.seed``).
    specs : sequence of RunSpec
    resume_dir : str or Path, optional
        Folder of finished runs, one JSON file each; created if missing. A run found there with the
        same settings is not trained again. Without it nothing is kept.
    workers : int, default 2
        Worker processes (1 trains in this process). For steady timings pin BLAS to one thread per
        process (``OPENBLAS_NUM_THREADS=1`` before numpy is imported), as the sweep script does.
    heldout : HeldOut, optional
        The held-out sample; default :func:`heldout_sample` of ``HELDOUT_TOKENS`` tokens.
    progress : callable, optional
        Called with each finished result (a dict) as it arrives.

    Returns
    -------
    list of dict
        One result per spec, in the order of ``sorted(specs)``.
    """
    _checks.instance(language, "language", MarkovLanguage, "a MarkovLanguage (from build_language)")
    if isinstance(specs, (str, bytes)) or not hasattr(specs, "__iter__"):
        raise _checks.ArgumentTypeError(f"specs must be a non-empty sequence of RunSpec; got {_checks._describe(specs)}")
    specs = list(specs)
    if not specs or not all(isinstance(s, RunSpec) for s in specs):
        raise ValueError("specs must be a non-empty sequence of RunSpec")
    specs = sorted(specs)
    workers, folder = _pool_options(workers, resume_dir, heldout, progress, "a result")
    if any(s.language_seed != language.seed or s.settings != language.settings for s in specs):
        raise ValueError(f"specs must all name this language (seed {language.seed}, {language.settings})")
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    done = {}
    for spec in specs:
        path = folder / (spec.key + ".json") if folder is not None else None
        if path is not None and path.is_file():
            result = json.loads(path.read_text())
            if result.get("settings") == training_settings(spec.width):
                done[spec] = result
    todo = sorted((s for s in specs if s not in done), key=RunSpec.cost, reverse=True)
    if todo:
        _SHARED["language"] = language
        _SHARED["heldout"] = heldout if heldout is not None else heldout_sample(language, HELDOUT_TOKENS)

        def keep(result):
            spec = RunSpec(**result["spec"])
            if folder is not None:
                tmp = folder / (spec.key + ".json.tmp")
                tmp.write_text(json.dumps(result))
                os.replace(tmp, folder / (spec.key + ".json"))  # a run file is whole or absent
            done[spec] = result
            if progress is not None:
                progress(result)

        try:
            if workers == 1:
                for spec in todo:
                    keep(_run(spec))
            else:
                ctx = multiprocessing.get_context("fork")
                with ctx.Pool(workers) as pool:
                    for result in pool.imap_unordered(_run, todo, chunksize=1):
                        keep(result)
        finally:
            _SHARED.clear()
    return [done[s] for s in specs]


RUN_COLUMNS = ("language_seed", "budget_flops", "width", "seed", "n_params", "n_params_total",
               "n_tokens", "flops", "loss", "heldout_loss", "batch_size", "lr_input", "lr_output",
               "beta1", "beta2", "eps", "warmup_fraction", "source")
CURVE_COLUMNS = ("language_seed", "budget_flops", "width", "seed", "n_params", "n_tokens", "flops",
                 "loss", "heldout_loss", "source")
VARIANT_COLUMNS = ("variant", "zipf_exponent", "importance_exponent", "order") + RUN_COLUMNS


def _write_csv(path: Path, columns, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([repr(v) if isinstance(v, float) else v for v in row])


def _variant_of(facts: dict) -> str:
    design = {k: facts[k] for k in DEFAULTS}
    for name in ("",) + tuple(VARIANTS):
        if design == language_settings(name):
            return name
    raise ValueError(f"facts: {design} is neither the base design nor a variant")


def write_tables(results, facts, data_dir) -> list:
    """Write the sweep's tables into ``data_dir``; return the paths written.

    ``experiment_runs.csv`` and ``experiment_curves.csv`` hold the base design's runs,
    ``experiment_variants.csv`` the variants' final losses, ``experiment_language.json`` the facts
    of every language.

    Parameters
    ----------
    results : sequence of dict
        Results of :func:`run_sweep` (any languages, any order: rows are sorted).
    facts : sequence of dict
        :meth:`MarkovLanguage.facts` of the languages the results were trained on.
    data_dir : str or Path
    """
    _checks.instance(data_dir, "data_dir", (str, os.PathLike), "an existing folder (str or Path)")
    for value, name in ((results, "results"), (facts, "facts")):
        if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
            raise _checks.ArgumentTypeError(f"{name} must be a sequence of dicts; got {_checks._describe(value)}")
    results, facts = list(results), list(facts)
    for value, name in ((results, "results"), (facts, "facts")):
        if not all(isinstance(r, dict) for r in value):
            raise _checks.ArgumentTypeError(f"{name} must be a sequence of dicts")
    folder = Path(data_dir)
    if not folder.is_dir():
        raise ValueError(f"data_dir must be an existing folder; got {data_dir!r}")
    results = sorted(results, key=lambda r: RunSpec(**r["spec"]))
    runs, curves, variants = [], [], []
    for r in results:
        spec, st = RunSpec(**r["spec"]), r["settings"]
        head = (spec.language_seed, float(spec.budget), spec.width, spec.seed)
        row = head + (r["n_params"], r["n_params_total"], r["n_tokens"], float(r["flops"]),
                      r["loss"], r["heldout_loss"], st["batch_size"], st["lr_input"],
                      st["lr_output"], st["beta1"], st["beta2"], st["eps"],
                      st["warmup_fraction"], SOURCE)
        if spec.variant:
            design = spec.settings
            variants.append((spec.variant, design["zipf_exponent"], design["importance_exponent"],
                             design["order"]) + row)
            continue
        runs.append(row)
        for t, loss, held in zip(r["curve_tokens"], r["curve_loss"], r["curve_heldout"]):
            curves.append(head + (r["n_params"], t, training_flops(r["n_params"], t), loss, held, SOURCE))
    paths = [folder / "experiment_runs.csv", folder / "experiment_curves.csv",
             folder / "experiment_variants.csv", folder / "experiment_language.json"]
    _write_csv(paths[0], RUN_COLUMNS, runs)
    _write_csv(paths[1], CURVE_COLUMNS, curves)
    _write_csv(paths[2], VARIANT_COLUMNS, variants)
    table = {"source": SOURCE, "languages": [], "variants": {}}
    for f in sorted(facts, key=lambda f: (_variant_of(f), f["seed"])):
        name = _variant_of(f)
        if name:
            table["variants"][name] = f
        else:
            table["languages"].append(f)
    paths[3].write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    return paths


def timing_summary(results) -> dict:
    """Totals over runs: seconds spent in runs and in their evaluations (summed over workers), and
    the matrix-product FLOPs of training and of evaluation."""
    keys = ("wall_time_s", "eval_time_s", "train_matmul_flops", "eval_matmul_flops")
    if isinstance(results, (str, bytes, dict)) or not hasattr(results, "__iter__"):
        raise _checks.ArgumentTypeError(f"results must be a sequence of run results (dicts); got "
                                        f"{_checks._describe(results)}")
    results = list(results)
    if not all(isinstance(r, dict) and all(k in r for k in keys) for r in results):
        raise ValueError(f"results must be run results (dicts from run_sweep with {', '.join(keys)})")
    totals = {key: _checks.scalar(float(sum(_checks.scalar(r[key], f"results' {key}", nonnegative=True)
                                            for r in results)), f"results' {key}")
              for key in keys}
    return totals

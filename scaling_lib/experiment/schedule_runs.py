"""The schedule experiment: the runs that test :mod:`scaling_lib.experiment.schedules` on the book's own
models, the table they write, and the readings of it the chapter after Chinchilla shows.

**The experiment** (:func:`run_schedules`, :data:`SCHEDULE_WIDTHS`, :func:`schedule_budgets`): for
each width, one long run at constant learning rate after a short warm-up, and cooldowns (linear and
``1 - sqrt``) of :data:`COOLDOWN_FRACTION` of each run's steps branched from its checkpoints, one per budget of the
main sweep the width is trained at. Each cooldown ends with the tokens of the matching cosine run
(``D = C / (6 N)``), so its final loss is an IsoFLOP point made without training from scratch.

**Reading the table** (:func:`load_schedules` and the functions after it): the curves of one width
as :func:`scaling_lib.experiment.schedules.fit_tissue_law` takes them, the law fitted on the constant
run and linear cooldowns and its forecast of unseen schedules (:func:`predict_schedules`), the
cooldowns' IsoFLOP minima beside the cosine sweep's, and their cost in FLOPs.
"""

from __future__ import annotations

import csv
import json
import math
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import _checks
from .._report import Report, SelfReporting, number
from ..compute import training_flops
from .language import MarkovLanguage
from .model import BATCH_SIZE, MAX_WIDTH, HeldOut, heldout_sample, parameter_counts
from .schedules import (DECAYS, MAX_STEPS, SHAPES, TissueFit, TissueLaw, cosine_schedule, cosine_warmup_steps,
                        fit_tissue_law, wsd_schedule)
from .sweep import _pool_options
from .training import WARMUP_FRACTION, tokens_for_budget, train

#: Widths of the schedule runs: nine of the sweep's, around its IsoFLOP valleys at 1e9 .. 1e11 FLOPs.
SCHEDULE_WIDTHS = (16, 23, 32, 45, 64, 91, 128, 181, 256)
#: Budgets of the schedule runs: the sweep's five smallest (1e9 .. 1e11 FLOPs).
SCHEDULE_BUDGET_COUNT = 5
#: Share of each cooldown run's steps spent decaying.
COOLDOWN_FRACTION = 0.2
#: Points of the long constant run's curve, spread geometrically over its steps.
LONG_RUN_POINTS = 16
#: Points of each cooldown's curve, as fractions of the cooldown (the last is its end).
COOLDOWN_POINTS = (1 / 3, 2 / 3, 1.0)
#: What the source column of the schedule table says (naming the module these runs lived in when the
#: committed table was made, so that the table reproduces bit for bit).
SOURCE = "made by scripts/run_experiment.py (scaling_lib.experiment.schedules)"


def schedule_budgets() -> tuple:
    """The budgets the schedule runs reproduce: the main sweep's :data:`SCHEDULE_BUDGET_COUNT` smallest."""
    from .sweep import BUDGETS
    return BUDGETS[:SCHEDULE_BUDGET_COUNT]


def cooldown_plan(width: int) -> dict:
    """What one width's schedule runs are: the budgets it is trained at (those of the main sweep whose
    window of widths holds it, among :func:`schedule_budgets`), each cooldown's total steps and
    tokens, the long run's tokens and steps, and the shared warm-up.

    Returns
    -------
    dict
        ``budgets`` (FLOPs), ``tokens`` and ``steps`` of each cooldown run, ``branch_steps`` (the
        step each cooldown starts from), ``long_tokens``, ``long_steps``, ``warmup_steps``
        (5 % of the shortest run's steps, at least 1).
    """
    from .sweep import WIDTHS, WIDTHS_PER_BUDGET
    H = _checks.scalar(width, "width", integer=True, positive=True, high=MAX_WIDTH)
    budgets = [b for i, b in enumerate(schedule_budgets()) if H in WIDTHS[i:i + WIDTHS_PER_BUDGET]]
    if not budgets:
        raise ValueError(f"width must be one the sweep trains at budgets up to {schedule_budgets()[-1]:.3g} "
                         f"FLOPs; got {H}")
    tokens = [tokens_for_budget(b, H) for b in budgets]
    steps = [-(-d // BATCH_SIZE) for d in tokens]
    branch = [s - max(1, round(COOLDOWN_FRACTION * s)) for s in steps]
    warmup = max(1, round(WARMUP_FRACTION * min(steps)))
    if min(branch) <= warmup:
        raise ValueError(f"width {H}: its shortest run is too short for a warm-up and a cooldown")
    return dict(budgets=budgets, tokens=tokens, steps=steps, branch_steps=branch,
                long_tokens=max(tokens), long_steps=max(steps), warmup_steps=warmup)


def _base_design(language) -> None:
    from .sweep import language_settings
    _checks.instance(language, "language", MarkovLanguage, "a MarkovLanguage (from build_language)")
    if language.settings != language_settings(""):
        raise ValueError("language must have the sweep's base design (the budgets and widths of the schedule "
                         f"runs are the main sweep's); got {language.settings}")


def run_cooldown_family(language: MarkovLanguage, width: int, *, heldout: HeldOut | None = None) -> list:
    """Train one width's schedule runs: the long constant run and its cooldowns (see the module
    docstring). Returns rows of the schedule table (dicts, :data:`SCHEDULE_COLUMNS` less the source),
    plus a ``wall_time_s`` entry per row group for the timings (not written to the table)."""
    _base_design(language)
    plan = cooldown_plan(width)
    H, W = int(width), plan["warmup_steps"]
    n_params = parameter_counts(H, vocab_size=language.vocab_size, context_length=language.order)[0]
    long_steps, long_tokens = plan["long_steps"], plan["long_tokens"]
    constant = wsd_schedule(long_steps, warmup_steps=W, cooldown_steps=0)
    grid = np.unique(np.round(np.geomspace(W + 1, long_steps, LONG_RUN_POINTS)).astype(int))
    eval_steps = np.union1d(grid, plan["branch_steps"])
    eval_steps = eval_steps[eval_steps >= 1]
    fractions = np.minimum(eval_steps * BATCH_SIZE / long_tokens, 1.0)
    long = train(language, H, long_tokens, schedule=constant, eval_fractions=fractions, heldout=heldout,
                 checkpoints=[b for b in plan["branch_steps"]])
    rows = []

    def add(kind, budget, total_tokens, cooldown_steps, tokens, losses, helds, wall):
        for t, l, h in zip(tokens, losses, helds):
            rows.append(dict(language_seed=language.seed, width=H, seed=0, n_params=n_params, schedule=kind,
                             budget_flops=budget, run_tokens=int(total_tokens), warmup_steps=W,
                             cooldown_steps=cooldown_steps, step=int(-(-int(t) // BATCH_SIZE)), n_tokens=int(t),
                             flops=training_flops(n_params, int(t)), loss=float(l), heldout_loss=float(h),
                             wall_time_s=wall))

    add("constant", math.nan, long_tokens, 0, long.curve_tokens, long.curve_loss, long.curve_heldout,
        long.wall_time_s)
    states = {s.step: s for s in long.checkpoints}
    for budget, tokens, steps, start in zip(plan["budgets"], plan["tokens"], plan["steps"], plan["branch_steps"]):
        K = steps - start
        at = np.unique(start + np.maximum(1, np.round(np.asarray(COOLDOWN_POINTS) * K)).astype(int))
        for shape in SHAPES:
            sched = wsd_schedule(steps, warmup_steps=W, cooldown_steps=K, shape=shape)
            r = train(language, H, tokens, schedule=sched, resume=states[start], heldout=heldout,
                      eval_fractions=np.minimum(at * BATCH_SIZE / tokens, 1.0))
            add(f"wsd_{shape}", float(budget), tokens, K, r.curve_tokens, r.curve_loss, r.curve_heldout,
                r.wall_time_s)
    return rows


SCHEDULE_COLUMNS = ("language_seed", "width", "seed", "n_params", "schedule", "budget_flops", "run_tokens",
                    "warmup_steps", "cooldown_steps", "step", "n_tokens", "flops", "loss", "heldout_loss",
                    "source")

_SHARED: dict = {}


def _run_width(width: int) -> list:
    return run_cooldown_family(_SHARED["language"], width, heldout=_SHARED["heldout"])


def run_schedules(language: MarkovLanguage, widths=SCHEDULE_WIDTHS, *, resume_dir=None, workers: int = 2,
                  heldout: HeldOut | None = None, progress=None) -> list:
    """Train every width's schedule runs (:func:`run_cooldown_family`) on ``workers`` processes,
    keeping each finished width as a JSON file in ``resume_dir`` (skipped when found again).

    Returns the rows of all widths, ordered by width, schedule, budget and step.
    """
    if isinstance(widths, (str, bytes)) or not hasattr(widths, "__iter__"):
        raise _checks.ArgumentTypeError(f"widths must be a sequence of widths; got {_checks._describe(widths)}")
    widths = sorted({_checks.scalar(w, "widths", integer=True, positive=True, high=MAX_WIDTH) for w in widths})
    if not widths:
        raise ValueError("widths must hold at least one width")
    for w in widths:
        cooldown_plan(w)
    workers, folder = _pool_options(workers, resume_dir, heldout, progress, "(width, rows)")
    _base_design(language)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)

    def path(w):
        return folder / f"schedules-lang{language.seed}-H{w}.json"

    done = {}
    for w in widths:
        if folder is not None and path(w).is_file():
            saved = json.loads(path(w).read_text())
            if saved.get("plan") == _plan_key(w):
                done[w] = saved["rows"]
    todo = [w for w in widths if w not in done]
    if todo:
        _SHARED["language"] = language
        _SHARED["heldout"] = heldout if heldout is not None else heldout_sample(language)
        try:
            def keep(w, rows):
                if folder is not None:
                    tmp = path(w).with_suffix(".json.tmp")
                    tmp.write_text(json.dumps({"plan": _plan_key(w), "rows": rows}))
                    os.replace(tmp, path(w))
                done[w] = rows
                if progress is not None:
                    progress(w, rows)

            if workers == 1 or len(todo) == 1:
                for w in todo:
                    keep(w, _run_width(w))
            else:
                ctx = multiprocessing.get_context("fork")
                with ctx.Pool(min(workers, len(todo))) as pool:
                    # widest first: the longest evaluations start early
                    order = sorted(todo, reverse=True)
                    for w, rows in zip(order, pool.imap(_run_width, order, chunksize=1)):
                        keep(w, rows)
        finally:
            _SHARED.clear()
    rows = [r for w in widths for r in done[w]]
    return sorted(rows, key=_row_order)


def _plan_key(width) -> dict:
    plan = cooldown_plan(width)
    return dict(plan, budgets=[float(b) for b in plan["budgets"]], cooldown_fraction=COOLDOWN_FRACTION,
                long_points=LONG_RUN_POINTS, cooldown_points=list(COOLDOWN_POINTS))


def _row_order(r):
    budget = r["budget_flops"]
    return (r["language_seed"], r["width"], r["schedule"] != "constant",
            0.0 if budget != budget else budget, r["step"])


def write_schedule_table(rows, path) -> Path:
    """Write the schedule runs' rows (from :func:`run_schedules`) as ``path`` (a CSV, floats in full,
    a missing budget as an empty cell); return the path."""
    if isinstance(rows, (str, bytes, dict)) or not hasattr(rows, "__iter__"):
        raise _checks.ArgumentTypeError(f"rows must be a sequence of dicts; got {_checks._describe(rows)}")
    rows = list(rows)
    if not rows or not all(isinstance(r, dict) and all(c in r for c in SCHEDULE_COLUMNS[:-1]) for r in rows):
        raise ValueError("rows must be the rows of run_schedules (dicts with the schedule table's columns)")
    _checks.instance(path, "path", (str, os.PathLike), "a file path (str or Path)")
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"path must be in an existing folder; got {str(path)!r}")
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(SCHEDULE_COLUMNS)
        for r in sorted(rows, key=_row_order):
            cells = []
            for c in SCHEDULE_COLUMNS[:-1]:
                v = r[c]
                cells.append("" if isinstance(v, float) and v != v else repr(v) if isinstance(v, float) else v)
            writer.writerow(cells + [SOURCE])
    return path


# ------------------------------------------------------------------------------------------------
# Reading the committed runs back

_TABLE_FIELDS = ("language_seed", "width", "seed", "n_params", "budget_flops", "run_tokens", "warmup_steps",
                 "cooldown_steps", "step", "n_tokens", "flops", "loss", "heldout_loss")


def load_schedules(language_seed: int = 0) -> dict:
    """The schedule runs of one language (``data/experiment_schedules.csv``) as arrays, one entry per
    evaluation: the table's columns (``schedule`` as strings, ``budget_flops`` NaN on the constant
    run)."""
    from .. import data as _data
    table = _data.load_table("experiment_schedules")
    seeds = sorted({int(s) for s in table["language_seed"]})
    language_seed = _checks.choice(language_seed, "language_seed", seeds)
    table = table.where("language_seed", language_seed)
    out = {k: np.asarray(table[k]) for k in _TABLE_FIELDS}
    out["schedule"] = np.asarray(table["schedule"]).astype(str)
    return out


def _rows(runs: dict, **match) -> np.ndarray:
    keep = np.ones(runs["step"].shape, bool)
    for key, value in match.items():
        col = runs[key]
        keep &= (col == value) if not isinstance(value, float) else np.isclose(col, value, rtol=1e-9)
    return keep


def _check_runs(runs) -> dict:
    if not isinstance(runs, dict) or not all(k in runs for k in _TABLE_FIELDS + ("schedule",)):
        raise _checks.ArgumentTypeError("runs must be the schedule runs as load_schedules returns them (a dict of "
                                        "the table's columns)")
    return runs


def run_curves(runs: dict, width: int, schedule: str) -> list:
    """The curves of one width's runs of one schedule (``"constant"``, ``"wsd_linear"``,
    ``"wsd_sqrt"``), each as :func:`fit_tissue_law` takes them: ``(multipliers, steps, losses,
    warmup_steps)``, one per budget (one for the constant run), with the budget:
    a list of ``(budget, curve)``."""
    runs = _check_runs(runs)
    H = _checks.scalar(width, "width", integer=True, positive=True, high=MAX_WIDTH)
    _checks.choice(schedule, "schedule", ("constant",) + tuple(f"wsd_{s}" for s in SHAPES))
    sel = _rows(runs, width=H) & (runs["schedule"] == schedule)
    if not sel.any():
        raise ValueError(f"runs hold no {schedule} run of width {H}")
    budgets = np.unique(runs["budget_flops"][sel]) if schedule != "constant" else np.array([np.nan])
    out = []
    for b in budgets:
        rows = sel & ((runs["budget_flops"] == b) if b == b else np.isnan(runs["budget_flops"]))
        steps_total = -(-int(runs["run_tokens"][rows][0]) // BATCH_SIZE)
        W, K = int(runs["warmup_steps"][rows][0]), int(runs["cooldown_steps"][rows][0])
        shape = "linear" if schedule == "constant" else schedule[4:]
        eta = wsd_schedule(steps_total, warmup_steps=W, cooldown_steps=K, shape=shape)
        out.append((float(b), (eta, runs["step"][rows].astype(float), runs["loss"][rows].astype(float), W)))
    return out


def cosine_curves(curves: dict, width: int, budgets=None) -> list:
    """The cosine runs of the main sweep at one width (``curves`` as :class:`analysis.Sweep`'s
    ``grid_curves()``), as ``(budget, (multipliers, steps, losses, warmup_steps))``, for the budgets
    ``budgets`` (default :func:`schedule_budgets`)."""
    if not isinstance(curves, dict) or not all(k in curves for k in ("width", "budget_flops", "n_tokens", "loss")):
        raise _checks.ArgumentTypeError("curves must be a sweep's training curves (Sweep.grid_curves())")
    H = _checks.scalar(width, "width", integer=True, positive=True, high=MAX_WIDTH)
    budgets = schedule_budgets() if budgets is None else _checks.array(budgets, "budgets", positive=True, ndim=1)
    out = []
    for b in budgets:
        rows = (curves["width"] == H) & np.isclose(curves["budget_flops"], b, rtol=1e-9)
        if not rows.any():
            continue
        total = tokens_for_budget(float(b), H)
        T = -(-total // BATCH_SIZE)
        steps = np.minimum(np.ceil(curves["n_tokens"][rows] / BATCH_SIZE), T)
        out.append((float(b), (cosine_schedule(T), steps, curves["loss"][rows].astype(float),
                               cosine_warmup_steps(T))))
    if not out:
        raise ValueError(f"curves hold no cosine run of width {H} at these budgets")
    return out


def _after_warmup(curve, min_step):
    eta, steps, losses, W = curve
    keep = steps >= min_step
    return eta, steps[keep], losses[keep], W


@dataclass(frozen=True)
class SchedulePrediction(SelfReporting):
    """Tissue et al.'s law fitted on one width's constant run and linear cooldowns, and its forecast
    of schedules it never saw.

    Attributes
    ----------
    width : int
    fit : TissueFit
    errors : dict
        For each held-out schedule (``"wsd_sqrt"``, ``"cosine"``): ``(mean absolute error of every
        point, mean absolute error of the final losses)``, nats per token.
    finals : dict
        For each held-out schedule: ``(budgets, measured final losses, predicted final losses)``.
    """

    width: int
    fit: TissueFit
    errors: dict
    finals: dict = field(repr=False)

    def _summary(self, level=None) -> Report:
        rows = tuple((name, number(e[0]), number(e[1])) for name, e in self.errors.items())
        return Report(f"width {self.width}: the law fitted on constant + linear cooldowns, forecasting",
                      ("held-out schedule", "MAE, all points", "MAE, final losses"), rows,
                      (f"fit: {self.fit.n_points} points, RMSE {number(self.fit.rmse)} nats, "
                       f"alpha {number(self.fit.law.alpha)}, lambda {number(self.fit.law.decay)}",))

    def report(self) -> str:
        """The held-out errors (nats) of every schedule, and the fit's size, RMSE, alpha and lambda."""
        return self._summary().text()


#: Points earlier than this many warm-up lengths are left out of fits and forecasts: the law
#: describes training after its start-up transient.
MIN_STEP_WARMUPS = 4


def predict_schedules(runs: dict, cosine: dict, width: int, *, decays=DECAYS) -> SchedulePrediction:
    """Fit :class:`TissueLaw` on one width's constant run and linear cooldowns, then forecast its
    ``1 - sqrt`` cooldowns and the main sweep's cosine runs of that width (``cosine`` = the sweep's
    ``grid_curves()``). Points before ``MIN_STEP_WARMUPS`` warm-up lengths are left out throughout."""
    H = _checks.scalar(width, "width", integer=True, positive=True, high=MAX_WIDTH)
    if not isinstance(cosine, dict) or not all(k in cosine for k in ("width", "budget_flops", "n_tokens", "loss")):
        raise _checks.ArgumentTypeError("cosine must be a sweep's training curves (Sweep.grid_curves())")
    fit_set = [c for _, c in run_curves(runs, H, "constant") + run_curves(runs, H, "wsd_linear")]
    min_step = MIN_STEP_WARMUPS * fit_set[0][3]
    kept = [c for c in (_after_warmup(c, min_step) for c in fit_set) if c[1].size]
    fit = fit_tissue_law(kept, decays=decays)
    errors, finals = {}, {}
    for name, held in (("wsd_sqrt", run_curves(runs, H, "wsd_sqrt")), ("cosine", cosine_curves(cosine, H))):
        all_err, budgets, measured, predicted = [], [], [], []
        for budget, curve in held:
            eta, steps, losses, W = _after_warmup(curve, MIN_STEP_WARMUPS * curve[3])
            if steps.size == 0:
                continue
            pred = np.atleast_1d(fit.law.predict(eta, steps, warmup_steps=W))
            all_err.append(np.abs(pred - losses))
            budgets.append(budget)
            measured.append(losses[-1])
            predicted.append(pred[-1])
        measured, predicted = np.array(measured), np.array(predicted)
        errors[name] = (float(np.mean(np.concatenate(all_err))), float(np.mean(np.abs(predicted - measured))))
        finals[name] = (np.array(budgets), measured, predicted)
    return SchedulePrediction(width=H, fit=fit, errors=errors, finals=finals)


def isoflop_comparison(runs: dict, cosine_runs: dict, *, schedule: str = "wsd_linear") -> dict:
    """Each budget's IsoFLOP minimum from the cooldowns (final losses of ``schedule`` at every width)
    and from the main sweep's cosine runs of the same widths (``cosine_runs`` = ``Sweep.grid()``).

    Returns
    -------
    dict
        ``budgets``; ``n_opt_wsd``, ``loss_opt_wsd``, ``n_opt_cosine``, ``loss_opt_cosine``
        (:func:`scaling_lib.chinchilla.isoflop_minimum` of each profile); and per budget the profiles
        themselves under ``profiles`` (``(n_params, wsd losses, cosine losses)``).
    """
    from ..chinchilla import isoflop_minimum
    runs = _check_runs(runs)
    _checks.choice(schedule, "schedule", tuple(f"wsd_{s}" for s in SHAPES))
    if not isinstance(cosine_runs, dict) or not all(k in cosine_runs for k in ("width", "budget_flops", "loss")):
        raise _checks.ArgumentTypeError("cosine_runs must be a sweep's runs (Sweep.grid())")
    final = (runs["schedule"] == schedule) & (runs["n_tokens"] == runs["run_tokens"])
    out = {k: [] for k in ("budgets", "n_opt_wsd", "loss_opt_wsd", "n_opt_cosine", "loss_opt_cosine")}
    out["profiles"] = []
    for b in np.unique(runs["budget_flops"][final]):
        rows = final & (runs["budget_flops"] == b)
        widths, n, l_wsd = runs["width"][rows], runs["n_params"][rows], runs["loss"][rows]
        l_cos = []
        for w in widths:
            hit = (cosine_runs["width"] == w) & np.isclose(cosine_runs["budget_flops"], b, rtol=1e-9)
            l_cos.append(float(cosine_runs["loss"][hit][0]) if hit.any() else np.nan)
        l_cos = np.array(l_cos)
        ok = np.isfinite(l_cos)
        n_w, l_w = isoflop_minimum(n, l_wsd)
        n_c, l_c = isoflop_minimum(n[ok], l_cos[ok])
        for key, value in zip(("budgets", "n_opt_wsd", "loss_opt_wsd", "n_opt_cosine", "loss_opt_cosine"),
                              (float(b), n_w, l_w, n_c, l_c)):
            out[key].append(value)
        out["profiles"].append((n, l_wsd, l_cos))
    for key in ("budgets", "n_opt_wsd", "loss_opt_wsd", "n_opt_cosine", "loss_opt_cosine"):
        out[key] = np.array(out[key])
    return out


def training_cost(runs: dict) -> dict:
    """FLOPs (``6 N D``) of the schedule runs against the cosine runs they stand in for.

    Returns
    -------
    dict
        ``one_long_run``: the long constant runs plus one cooldown per point (linear);
        ``separate_runs``: a separate run from scratch per point (the budgets' sum, as the cosine
        sweep spends); and ``points``, the number of IsoFLOP points.
    """
    runs = _check_runs(runs)
    constant = runs["schedule"] == "constant"
    final = (runs["schedule"] == "wsd_linear") & (runs["n_tokens"] == runs["run_tokens"])
    long_cost = sum(training_flops(float(runs["n_params"][constant & (runs["width"] == w)][0]),
                                   float(runs["run_tokens"][constant & (runs["width"] == w)][0]))
                    for w in np.unique(runs["width"][constant]))
    cooldowns = sum(training_flops(float(n), float(k) * BATCH_SIZE)
                    for n, k in zip(runs["n_params"][final], runs["cooldown_steps"][final]))
    separate = float(np.sum(runs["budget_flops"][final]))
    return dict(one_long_run=float(long_cost + cooldowns), separate_runs=separate, points=int(final.sum()))


def width_curves(runs: dict, width: int) -> tuple:
    """One width's measured curves for plotting: ``(constant, cooldowns)`` with ``constant`` the long
    run's ``(tokens, losses)`` and ``cooldowns`` a dict budget -> ``(tokens, losses)`` of its linear
    cooldowns, each starting from the long run's point at its branch step."""
    runs = _check_runs(runs)
    H = _checks.scalar(width, "width", integer=True, positive=True, high=MAX_WIDTH)
    const = _rows(runs, width=H) & (runs["schedule"] == "constant")
    if not const.any():
        raise ValueError(f"runs hold no run of width {H}")
    constant = (runs["n_tokens"][const].astype(float), runs["loss"][const].astype(float))
    cooldowns = {}
    for budget, (eta, steps, losses, W) in run_curves(runs, H, "wsd_linear"):
        sel = _rows(runs, width=H, budget_flops=budget) & (runs["schedule"] == "wsd_linear")
        at = const & (runs["step"] == eta.size - int(runs["cooldown_steps"][sel][0]))
        cooldowns[budget] = (np.r_[runs["n_tokens"][at], runs["n_tokens"][sel]].astype(float),
                             np.r_[runs["loss"][at], losses].astype(float))
    return constant, cooldowns


def forecast_cosine(law: TissueLaw, width: int, budget: float, *, points: int = 40) -> tuple:
    """``law`` along the experiment's cosine run of ``width`` at ``budget`` FLOPs: ``(tokens, losses)``
    at ``points`` steps from ``MIN_STEP_WARMUPS`` warm-up lengths to the end."""
    _checks.instance(law, "law", TissueLaw, "a TissueLaw")
    H = _checks.scalar(width, "width", integer=True, positive=True, high=MAX_WIDTH)
    b = _checks.scalar(budget, "budget", positive=True, high=1e30)
    n = _checks.scalar(points, "points", integer=True, low=2, high=10_000)
    tokens = tokens_for_budget(b, H)
    T = -(-tokens // BATCH_SIZE)
    if T > MAX_STEPS:
        raise ValueError(f"budget gives {T} steps at width {H}, more than {MAX_STEPS}")
    W = cosine_warmup_steps(T)
    steps = np.unique(np.geomspace(min(MIN_STEP_WARMUPS * W, T), T, n).round())
    return np.minimum(steps * BATCH_SIZE, tokens), law.predict(cosine_schedule(T), steps, warmup_steps=W)


def cosine_tokens(curves: dict, width: int) -> dict:
    """The main sweep's cosine curves of one width for plotting: budget -> ``(tokens, losses)``, for
    the budgets of :func:`schedule_budgets` (``curves`` = ``Sweep.grid_curves()``)."""
    return {b: (np.minimum(c[1] * BATCH_SIZE, tokens_for_budget(b, int(width))), c[2])
            for b, c in cosine_curves(curves, width)}


def final_losses(runs: dict, schedule: str) -> dict:
    """Final losses of every cooldown of one shape (``"wsd_linear"`` or ``"wsd_sqrt"``):
    ``(width, budget) -> loss``."""
    runs = _check_runs(runs)
    _checks.choice(schedule, "schedule", tuple(f"wsd_{s}" for s in SHAPES))
    final = (runs["schedule"] == schedule) & (runs["n_tokens"] == runs["run_tokens"])
    return {(int(w), float(b)): float(l) for w, b, l in
            zip(runs["width"][final], runs["budget_flops"][final], runs["loss"][final])}

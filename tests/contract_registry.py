"""Valid example arguments for every public callable of scaling_lib, for the contract fuzz
(``tests/test_contract.py``), which replaces each argument in turn by bad values.

To register a new callable, add a line to :data:`ENTRIES` under its module's heading, keyed by its
module path (without ``scaling_lib.``) and name:

* a function or a class's constructor: ``"module.name": fn(arg=valid_value, ...)``;
* a method: ``"module.Class.method": on(factory, arg=valid_value, ...)``, ``factory`` returning an
  instance (cache expensive ones with :func:`functools.cache`);
* a result record, which only the library constructs: ``"module.Class": RECORD``.

Give every argument the test should fuzz, including optional ones, with values that make a quick
call (small data, few resamples). ``.allow("inf")`` declares a documented infinite (or NaN) result;
see :class:`Case` for the rest.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from scaling_lib.published import Source


@dataclass(frozen=True)
class Case:
    """One callable's example.

    Attributes
    ----------
    args : dict
        Valid keyword arguments; each is fuzzed in turn.
    instance : callable, optional
        For a method: builds the object whose method is called (afresh for every call).
    nonfinite : tuple of str
        ``"inf"`` and/or ``"nan"``: results the callable returns deliberately and documents.
    run_valid : bool
        Call the example itself too (and require a finite result).
    final_error : str
        For a callable whose real work is too slow for the fuzz (training the book's models): the
        example passes every argument check and is stopped by one last check, whose message
        contains this text. A bad value that is legal ends there too, which counts as accepted.
    skip_values : dict
        ``{argument: labels}`` of bad values not to try, each legal and too slow; say why in a
        comment.
    quotes_input : bool
        The result is text that may quote the (bad) input back, e.g. exercise feedback: its words
        "nan" and "inf" are not results.
    teardown : callable, optional
        Undo a call's side effect (e.g. a registered exercise).
    timeout : float, optional
        Seconds per call, instead of the fuzz's default.
    """

    args: dict
    instance: Callable | None = None
    nonfinite: tuple = ()
    run_valid: bool = True
    final_error: str = ""
    skip_values: dict = field(default_factory=dict)
    quotes_input: bool = False
    teardown: Callable | None = None
    timeout: float | None = None

    @property
    def method(self) -> bool:
        return self.instance is not None

    def allow(self, *kinds: str) -> "Case":
        return replace(self, nonfinite=tuple(kinds))

    def stopped_by(self, message: str) -> "Case":
        return replace(self, final_error=message)

    def skipping(self, **labels) -> "Case":
        return replace(self, skip_values=labels)

    def with_(self, **changes) -> "Case":
        return replace(self, **changes)


class Lazy:
    """A valid argument built when the fuzz first needs it (so importing the registry stays cheap)."""

    def __init__(self, factory: Callable):
        self._factory = functools.cache(factory)

    def get(self):
        return self._factory()


def lazy(factory: Callable) -> Lazy:
    return Lazy(factory)


class Record:
    """A result record (a dataclass that scaling_lib returns or publishes as a constant): its
    constructor is not an entry point and is not fuzzed; its public methods are."""


RECORD = Record()


def fn(**args) -> Case:
    return Case(args)


def on(factory: Callable, **args) -> Case:
    return Case(args, instance=factory)


# ---- shared examples (built once) ----------------------------------------------------------------

X = np.geomspace(1.0, 1e3, 8)
Y = 2.0 * X**-0.3 * np.exp(0.01 * np.sin(np.arange(8.0)))


@functools.cache
def _law():
    from scaling_lib import chinchilla

    return chinchilla.HOFFMANN_2022


def _repetition_law():
    from scaling_lib import data_constrained

    return data_constrained.MUENNIGHOFF_2023


def _shape():
    from scaling_lib import parameter_counts

    return parameter_counts.PEARCE_SONG_2024


@functools.cache
def _isoflop():
    from scaling_lib import chinchilla

    runs = chinchilla.simulate_isoflop_runs(chinchilla.HOFFMANN_2022, [1e18, 1e19, 1e20, 1e21],
                                            models_per_budget=5, noise=0.005, seed=1)
    return {k: v.copy() for k, v in runs.items()}


@functools.cache
def _curves():
    from scaling_lib import chinchilla

    return chinchilla.simulate_training_curves(chinchilla.HOFFMANN_2022, [1e7, 3e7, 1e8, 3e8, 1e9],
                                               points_per_curve=12, seed=1)


#: A small grid of starting points for Approach 3 (the paper's grid takes longer).
STARTS = np.array([[5.0, 5.0, 0.5, 0.3, 0.3], [6.0, 7.0, 0.6, 0.35, 0.3], [4.0, 8.0, 0.4, 0.3, 0.4]])


@functools.cache
def _parametric_fit():
    from scaling_lib import chinchilla

    r = _isoflop()
    return chinchilla.fit_approach3(r["n_params"], r["n_tokens"], r["loss"], starts=STARTS)


@functools.cache
def _allocation_fit():
    from scaling_lib import chinchilla

    r = _isoflop()
    return chinchilla.fit_approach2(r["n_params"], r["flops"], r["loss"])


@functools.cache
def _approach1_fit():
    from scaling_lib import chinchilla

    r = _curves()
    return chinchilla.fit_approach1(r["n_params"], r["flops"], r["loss"])


@functools.cache
def _bootstrap():
    from scaling_lib import chinchilla

    r = _isoflop()
    return chinchilla.bootstrap_allocation(2, r["n_params"], r["flops"], r["loss"], n_resamples=8,
                                           at_flops=1e22)


@functools.cache
def _bootstrap3():
    from scaling_lib import chinchilla

    r = _isoflop()
    return chinchilla.bootstrap_approach3(r["n_params"], r["n_tokens"], r["loss"], n_resamples=8, seed=0,
                                          at_flops=1e22, fit=_parametric_fit())


@functools.cache
def _power_law_fit():
    from scaling_lib import power_laws

    return power_laws.fit_power_law(X, Y)


@functools.cache
def _language():
    from scaling_lib.experiment import language

    return language.build_language(0, vocab_size=4, order=2, n_features=8)


@functools.cache
def _model():
    from scaling_lib.experiment import model

    return model.TanhMLP(3, vocab_size=4, context_length=2, batch_size=16)


@functools.cache
def _heldout():
    from scaling_lib.experiment import model

    return model.heldout_sample(_language(), 256)


@functools.cache
def _sweep():
    from scaling_lib.experiment import analysis

    return analysis.load_sweep(0)


@functools.cache
def _tissue_law():
    from scaling_lib.experiment import schedules

    return schedules.TissueLaw(L0=1.5, A=2.0, alpha=0.5, C=1e-3, decay=0.99)


@functools.cache
def _tissue_curves():
    from scaling_lib.experiment import schedules

    eta = schedules.wsd_schedule(60, warmup_steps=3, cooldown_steps=12)
    steps = np.array([12, 20, 30, 40, 48, 52, 56, 60])
    return [(eta, steps, _tissue_law().predict(eta, steps, warmup_steps=3), 3)]


@functools.cache
def _tissue_fit():
    from scaling_lib.experiment import schedules

    return schedules.fit_tissue_law(_tissue_curves(), decays=(0.99,))


@functools.cache
def _schedule_runs():
    from scaling_lib.experiment import schedule_runs

    return schedule_runs.load_schedules(0)


def _schedule_rows():
    runs = _schedule_runs()
    return [{k: (runs[k][0].item() if hasattr(runs[k][0], "item") else runs[k][0]) for k in runs}]


@functools.cache
def _schedule_prediction():
    from scaling_lib.experiment import schedule_runs

    return schedule_runs.predict_schedules(_schedule_runs(), _sweep().grid_curves(), 64, decays=(0.99,))


@functools.cache
def _schedule_comparison():
    from scaling_lib.experiment import schedule_runs

    return schedule_runs.isoflop_comparison(_schedule_runs(), _sweep().grid())


@functools.cache
def _approach_fits():
    from scaling_lib.experiment import analysis

    return analysis.fit_approaches(_sweep(), max_budget=1e10, n_resamples=2)


@functools.cache
def _trend():
    from scaling_lib import text_stock

    return text_stock.fit_dataset_trend([2018.0, 2019.0, 2020.0, 2022.0], [1e10, 4e10, 3e11, 1.4e12])


@functools.cache
def _table():
    from scaling_lib import data

    return data.load_table("accelerators")


def _task_law():
    from scaling_lib import emergence

    return emergence.TaskLaw()


def _service():
    from scaling_lib import capstone

    return capstone.TrainingService(budget_flops=1e21, seed=3)


def _toy_service():
    from scaling_lib import capstone

    return capstone.ToyTrainingService(budget_flops=1.0, language_seed=0)


def _toy_service_with_data():
    from scaling_lib import capstone

    return capstone.ToyTrainingService(budget_flops=3e11, language_seed=0)


def _figure_axes():
    from scaling_lib import plotting

    return plotting.figure()[1]


def _figure():
    from scaling_lib import plotting

    return plotting.figure(width=2.0, height=1.5)[0]


def _explorer():
    from scaling_lib.widgets import power_laws

    return power_laws.extrapolation_explorer()


def _slider():
    from scaling_lib import widgets

    return widgets.Slider("x", 0.0, 1.0, 0.5)


def _choice():
    from scaling_lib import widgets

    return widgets.Choice("law", ("a", "b"), "a")


def _toggle():
    from scaling_lib import widgets

    return widgets.Toggle("offset", False)


def _view():
    from scaling_lib import widgets

    return widgets.View(png=b"\x89PNG", text="readout", alt="a picture")


def _live_slice():
    from scaling_lib.widgets import experiment

    return experiment.LiveSlice(0)


def _locator():
    from scaling_lib import plotting

    return plotting.SparseMinorLocator()


def _run_spec():
    from scaling_lib.experiment import sweep

    return sweep.RunSpec(0, 1e9, 8, 0)


def _slice_results():
    """Two results shaped as run_sweep returns them, from the committed runs (no training)."""
    g = _sweep().grid()
    rows = np.flatnonzero(g["budget_flops"] == 1e9)[:2]
    return [{"spec": {"language_seed": 0, "budget": 1e9, "width": int(g["width"][i]), "seed": 0, "variant": ""},
             "n_params": int(g["n_params"][i]), "loss": float(g["loss"][i]), "wall_time_s": 1.0} for i in rows]


@functools.cache
def _language_check():
    from scaling_lib.experiment import analysis

    return analysis.check_language(_sweep(), _approach_fits())


@functools.cache
def _variant_comparison():
    from scaling_lib.experiment import analysis

    return analysis.compare_variants()


def _lang_facts():
    return _language().facts()


def _remove_exercise():
    from scaling_lib import exercises

    exercises.EXERCISES.pop("contract.example", None)


def _feedback(answer):
    from scaling_lib import exercises

    return exercises.Feedback("contract.example", True, "ok")


def _objective(x, rows):
    return (x**2).sum(1), 2 * x


# ---- examples for the refits on published runs, the figures and the newer methods -----------------

@functools.cache
def _chinchilla_runs():
    from scaling_lib import published_runs

    return published_runs.load_chinchilla_extracted()


@functools.cache
def _replication():
    from scaling_lib.chinchilla import replication

    return replication.refit_extracted(_chinchilla_runs())


@functools.cache
def _fit_failure():
    """A FitFailure with the converged refit in every role: how_the_fit_went_wrong runs the 4,500-start
    grid twice more (7 s of CPU), and what is fuzzed here (report(), the figure) only reads its tables."""
    from scaling_lib import chinchilla
    from scaling_lib.chinchilla import replication

    fit = _replication().fit
    laws = {"summed, converged": fit.law, "Hoffmann et al. (2022), printed": chinchilla.HOFFMANN_2022}
    runs = _chinchilla_runs()
    return replication.FitFailure(
        summed=fit, averaged=fit, converged=fit, laws=laws,
        exponents={k: (v.alpha, v.beta, chinchilla.allocation_exponents(v)[0]) for k, v in laws.items()},
        tokens_per_parameter={k: float(chinchilla.compute_optimal(5.76e23, v).tokens_per_parameter)
                              for k, v in laws.items()},
        objectives={k: replication.law_objective(v, runs.n_params, runs.n_tokens, runs.loss) for k, v in laws.items()})


@functools.cache
def _interval_comparison():
    from scaling_lib.chinchilla import replication

    return replication.interval_widths(_replication(), n_resamples=8)


@functools.cache
def _porian_runs():
    from scaling_lib import published_runs

    return published_runs.load_porian_runs()


PORIAN_CONFIGURATION = ("rw", "base", "long", "kaplan", "standard", "val")


@functools.cache
def _isoflop_interpolated():
    from scaling_lib import porian

    return porian.fit_configuration(PORIAN_CONFIGURATION, _porian_runs(), n_boot=5)


@functools.cache
def _ladder():
    from scaling_lib import porian

    return porian.reconciliation_ladder("rw", _porian_runs(), n_boot=5)


@functools.cache
def _naive():
    from scaling_lib import porian

    return porian.naive_vs_interpolated(PORIAN_CONFIGURATION, _porian_runs(), n_boot=5)


@functools.cache
def _muennighoff_runs():
    from scaling_lib import published_runs

    return published_runs.load_muennighoff_runs()


@functools.cache
def _dc_refit():
    from scaling_lib import data_constrained

    return data_constrained.refit_data_constrained(_muennighoff_runs())


@functools.cache
def _counting():
    from scaling_lib import parameter_counts

    return parameter_counts.compare_counting((1e4, 1e8), n_points=5)


def _two_axes():
    from scaling_lib import plotting

    return plotting.figure(1, 2)[1]


def _power_law_fits():
    from scaling_lib import power_laws

    y = power_laws.simulate_power_law(X, 5.0, 0.3, 1.0, noise=0.01, seed=1)
    return y, power_laws.fit_power_law(X, y), power_laws.fit_power_law(X, y, offset=True)


def _until():
    from scaling_lib import emergence

    return emergence.sample_until_pass(np.array([0.001, 0.01, 0.1]), 100, seed=1)


GPT3_SIZES = np.array([125e6, 1.3e9, 13e9, 175e9])


# ---- examples for the chapter after Chinchilla ------------------------------------------------------

@functools.cache
def _coverage_fit():
    from scaling_lib import sampling

    k = np.array([1, 10, 100, 1000])
    return sampling.fit_coverage_law(k, sampling.beta_coverage(k, 0.3, 3.0))


def _coverage_law():
    from scaling_lib import sampling

    return sampling.CoverageLaw(a=-3.0, b=-0.4)


def _granular_law():
    from scaling_lib import moe

    return moe.KRAJEWSKI_2024_MOE


def _precision_law():
    from scaling_lib import precision

    return precision.KUMAR_2024


def _supervised_law():
    from scaling_lib import distillation

    return distillation.BUSBRIDGE_2025_SUPERVISED


def _distillation_law():
    from scaling_lib import distillation

    return distillation.BUSBRIDGE_2025


MIX_T = np.array([[-2.0, 0.4, -0.3], [0.3, -2.4, 0.2], [-0.4, 0.5, -1.6]])
MIX_R = np.array([[0.6, 0.3, 0.1], [0.1, 0.6, 0.3], [0.3, 0.1, 0.6], [0.2, 0.2, 0.6], [1 / 3, 1 / 3, 1 / 3],
                  [0.5, 0.1, 0.4], [0.1, 0.8, 0.1]])


@functools.cache
def _mixing_law():
    from scaling_lib import mixing

    return mixing.MixingLaw(c=np.array([1.2, 0.6, 1.0]), k=np.array([0.5, 0.4, 0.45]), t=MIX_T)


def _mixing_losses():
    return np.asarray(_mixing_law().loss(MIX_R)) * np.exp(0.002 * np.sin(np.arange(21.0)).reshape(7, 3))


@functools.cache
def _mixing_fit():
    from scaling_lib import mixing

    return mixing.fit_mixing_law(MIX_R, _mixing_losses())


def _token_law():
    from scaling_lib import frontier

    return frontier.LLAMA3_2024


def _rl_curve():
    from scaling_lib import frontier

    return frontier.RLCurve(A=0.6, B=1.2, C_mid=3000.0, R_0=0.2)


@functools.cache
def _benchmarks():
    from scaling_lib import observational

    return observational.load_benchmarks()


#: A small complete table of scores (models x benchmarks) with one missing entry.
SCORES = np.array([[0.3, 0.4, 0.5], [0.4, 0.5, 0.6], [0.5, 0.55, 0.7], [0.6, 0.7, np.nan],
                   [0.35, 0.42, 0.52], [0.7, 0.75, 0.8]])


@functools.cache
def _pca():
    from scaling_lib import observational

    return observational.pca_impute(SCORES, 2)


SIG_X = np.linspace(-2.0, 2.0, 12)
SIG_Y = 0.25 + 0.75 / (1.0 + np.exp(-2.0 * SIG_X))


@functools.cache
def _sigmoid():
    from scaling_lib import observational

    return observational.fit_sigmoid(SIG_X, SIG_Y)


FAM_FLOPS = np.array([1e20, 1e21, 1e22, 1e20, 1e21, 1e23])
FAM_NAMES = np.array(["a", "a", "a", "b", "b", "b"])
FAM_CAP = 0.5 * np.log10(FAM_FLOPS / 1e21) + np.where(FAM_NAMES == "a", 1.0, -0.5)


@functools.cache
def _family_lines():
    from scaling_lib import observational

    return observational.fit_family_lines(FAM_FLOPS, FAM_CAP, FAM_NAMES)


def _one_axes():
    from scaling_lib import plotting

    return plotting.figure()[1]


def _pair_of_axes():
    from scaling_lib import plotting

    return plotting.figure(1, 2)[1]


# ---- the registry ----------------------------------------------------------------------------------


ENTRIES = {
    # ---- power_laws
    "power_laws.power_law": fn(x=X, A=2.0, alpha=0.3, E=0.5),
    "power_laws.simulate_power_law": fn(x=X, A=2.0, alpha=0.3, E=0.5, noise=0.05, seed=1),
    "power_laws.local_slope": fn(x=X, y=Y),
    "power_laws.per_decade_factor": fn(alpha=0.3, multiplier=10.0),
    "power_laws.scale_for_reduction": fn(alpha=0.3, reduction=2.0),
    "power_laws.PowerLawFit": RECORD,
    "power_laws.PowerLawFit.predict": on(_power_law_fit, x=X),
    "power_laws.PowerLawFit.conf_int": on(_power_law_fit, level=0.9),
    "power_laws.PowerLawFit.predict_interval": on(_power_law_fit, x=X, level=0.9),
    "power_laws.PowerLawFit.report": on(_power_law_fit, level=0.9),
    "power_laws.fit_power_law": fn(x=X, y=Y, offset=False, robust_scale=0.1).allow("inf"),
    "power_laws.ExtrapolationStudy": RECORD,
    "power_laws.extrapolation_study": fn(A=5.0, alpha=0.3, E=1.0, noise=0.02, x_min=1.0, x_max=100.0,
                                         x_target=1e4, offset=True, n_points=8, seed=0).allow("inf"),
    # ---- compute
    "compute.training_flops": fn(n_params=np.array([1e8, 1e9]), n_tokens=np.array([2e9, 2e10])),
    "compute.inference_flops": fn(n_params=np.array([1e8, 1e9]), n_tokens=np.array([1e6, 1e7])),
    "compute.tokens_for_budget": fn(flops=np.array([1e20, 1e21]), n_params=np.array([1e9, 2e9])),
    "compute.forward_flops_per_token": fn(n_params=1e9, n_layers=24, context_length=2048, d_attn=2048),
    "compute.training_flops_per_token": fn(n_params=1e9, n_layers=24, context_length=2048, d_attn=2048),
    "compute.to_pf_days": fn(flops=np.array([1e20, 1e21])),
    "compute.from_pf_days": fn(pf_days=np.array([1.0, 10.0])),
    "compute.gpu_hours": fn(flops=1e21, peak_flops_per_second=3.12e14, utilization=0.4),
    "compute.RunCost": RECORD,
    "compute.run_cost": fn(flops=1e21, peak_flops_per_second=3.12e14, utilization=0.4,
                           dollars_per_gpu_hour=2.0, n_gpus=8),
    "compute.serving_dollars_per_million_tokens": fn(n_params=7e9, peak_flops_per_second=3.12e14,
                                                     utilization=0.2, dollars_per_gpu_hour=2.0),
    "compute.BuildOrBuy": RECORD,
    "compute.build_or_buy": fn(n_params=7e9, n_training_tokens=1.4e11, n_served_tokens=1e12,
                               api_dollars_per_million_tokens=1.0, peak_flops_per_second=3.12e14,
                               training_utilization=0.4, serving_utilization=0.2,
                               dollars_per_gpu_hour=2.0).allow("inf"),
    # ---- kaplan
    "kaplan.KaplanConstants": RECORD,
    "kaplan.loss_n": fn(n_params=np.array([1e6, 1e9])),
    "kaplan.loss_d": fn(n_tokens=np.array([1e8, 1e10])),
    "kaplan.loss_c": fn(min_flops=np.array([1e18, 1e21])),
    "kaplan.loss_nd": fn(n_params=np.array([1e6, 1e9]), n_tokens=np.array([1e9, 1e10]), fit="joint"),
    "kaplan.overfitting_penalty": fn(n_params=np.array([1e6, 1e9]), n_tokens=np.array([1e9, 1e10])),
    "kaplan.tokens_to_avoid_overfitting": fn(n_params=np.array([1e6, 1e9]), penalty=0.02),
    "kaplan.loss_ns": fn(n_params=np.array([1e6, 1e9]), steps=np.array([1e3, 1e5]), fit="joint"),
    "kaplan.converged_loss": fn(n_params=np.array([1e6, 1e9]), fit="separate"),
    "kaplan.critical_batch": fn(loss_value=np.array([3.0, 2.5])),
    "kaplan.RunToLoss": RECORD,
    "kaplan.run_to_loss": fn(n_params=np.array([1e8, 1e9]), target_loss=np.array([3.0, 2.8]),
                             batch_tokens=2.0**19).allow("inf"),
    "kaplan.loss_at_tokens": fn(n_params=np.array([1e8, 1e9]), n_tokens=np.array([1e9, 1e10]),
                                batch_tokens=2.0**19),
    "kaplan.KaplanAllocation": RECORD,
    "kaplan.compute_efficient": fn(flops=np.array([1e19, 1e21])),
    "kaplan.ConvergenceComparison": RECORD,
    "kaplan.efficient_vs_converged": fn(converged_within=0.02),
    "kaplan.excess_compute": fn(model_ratio=np.array([0.5, 2.0])).allow("inf"),
    "kaplan.excess_steps": fn(model_ratio=np.array([0.5, 2.0])).allow("inf"),
    "kaplan.Contradiction": RECORD,
    "kaplan.frontier_contradiction": fn(alpha_D=0.095, D_c=5.4e13),
    "kaplan.params_from_shape": fn(n_layers=np.array([12.0, 24.0]), d_model=np.array([768.0, 1024.0])),
    "kaplan.growth_for_compute": fn(multiplier=10.0, a=0.73, b=0.27),
    # ---- chinchilla
    "chinchilla.law.ParametricLaw": fn(E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28, name="a law",
                                       source=None),
    "chinchilla.law.loss": fn(n_params=np.array([1e8, 1e9]), n_tokens=np.array([2e9, 2e10]), law=lazy(_law)),
    "chinchilla.law.allocation_exponents": fn(law=lazy(_law)),
    "chinchilla.law.Allocation": RECORD,
    "chinchilla.law.compute_optimal": fn(flops=np.array([1e20, 1e22]), law=lazy(_law)),
    "chinchilla.law.frontier_loss": fn(flops=np.array([1e20, 1e22]), law=lazy(_law)),
    "chinchilla.law.compute_for_loss": fn(target_loss=2.0, law=lazy(_law)).allow("inf"),
    "chinchilla.law.iso_loss_tokens": fn(n_params=np.array([1e8, 1e10]), target_loss=2.2,
                                         law=lazy(_law)).allow("inf"),
    "chinchilla.simulate.simulate_isoflop_runs": fn(law=lazy(_law), flops_budgets=np.array([1e18, 1e19]),
                                                    models_per_budget=5, span=16.0, noise=0.01, seed=0),
    "chinchilla.simulate.simulate_training_curves": fn(law=lazy(_law), model_sizes=np.array([1e7, 1e8]),
                                                       max_tokens_per_parameter=100.0,
                                                       points_per_curve=5, noise=0.005, seed=0),
    "chinchilla.allocation.AllocationFit": RECORD,
    "chinchilla.allocation.AllocationFit.predict": on(_allocation_fit, flops=np.array([1e22, 1e23])),
    "chinchilla.allocation.AllocationFit.predict_loss": on(_allocation_fit, flops=np.array([1e22, 1e23])),
    "chinchilla.allocation.AllocationFit.report": on(_allocation_fit, level=0.9),
    "chinchilla.allocation.fit_approach1": fn(n_params=lazy(lambda: _curves()["n_params"]), flops=lazy(lambda: _curves()["flops"]),
                                              losses=lazy(lambda: _curves()["loss"]), bins=8).allow("inf"),
    "chinchilla.allocation.isoflop_minimum": fn(n_params=lazy(lambda: _isoflop()["n_params"][:5]), losses=lazy(lambda: _isoflop()["loss"][:5])),
    "chinchilla.allocation.isoflop_parabola": fn(n_params=lazy(lambda: _isoflop()["n_params"][:5]), losses=lazy(lambda: _isoflop()["loss"][:5])),
    "chinchilla.allocation.fit_approach2": fn(n_params=lazy(lambda: _isoflop()["n_params"]), flops=lazy(lambda: _isoflop()["flops"]),
                                              losses=lazy(lambda: _isoflop()["loss"])).allow("inf"),
    "chinchilla.parametric.initial_grid": fn(),
    "chinchilla.parametric.huber_objective": fn(theta=np.array([6.0, 6.0, 0.5, 0.34, 0.28]),
                                                log_n=lazy(lambda: np.log(_isoflop()["n_params"])), log_d=lazy(lambda: np.log(_isoflop()["n_tokens"])),
                                                log_loss=lazy(lambda: np.log(_isoflop()["loss"])), delta=1e-3,
                                                weights=lazy(lambda: np.ones(_isoflop()["loss"].size))),
    "chinchilla.parametric.ParametricFit": RECORD,
    "chinchilla.parametric.ParametricFit.report": on(_parametric_fit, bootstrap=lazy(_bootstrap3), level=0.9),
    "chinchilla.parametric.fit_approach3": fn(n_params=lazy(lambda: _isoflop()["n_params"]), n_tokens=lazy(lambda: _isoflop()["n_tokens"]),
                                              losses=lazy(lambda: _isoflop()["loss"]), starts=STARTS, screen=3, keep=2, polish=1),
    # starts=None is the paper's full grid: scipy from 4,500 starts, tens of seconds (bench/fit_speed.py)
    "chinchilla.parametric.fit_approach3_per_start_scipy": fn(n_params=lazy(lambda: _isoflop()["n_params"]),
                                                              n_tokens=lazy(lambda: _isoflop()["n_tokens"]), losses=lazy(lambda: _isoflop()["loss"]),
                                                              starts=STARTS[:2]).skipping(starts=("None",)),
    "chinchilla.bootstrap.Bootstrap": RECORD,
    "chinchilla.bootstrap.Bootstrap.interval": on(_bootstrap, name="a", level=0.9),
    "chinchilla.bootstrap.Bootstrap.report": on(_bootstrap, level=0.9),
    "chinchilla.bootstrap.bootstrap_allocation": fn(approach=2, n_params=lazy(lambda: _isoflop()["n_params"]), flops=lazy(lambda: _isoflop()["flops"]),
                                                    losses=lazy(lambda: _isoflop()["loss"]), n_resamples=4, seed=0,
                                                    at_flops=1e22, bins=8).allow("nan"),
    "chinchilla.bootstrap.bootstrap_approach3": fn(n_params=lazy(lambda: _isoflop()["n_params"]), n_tokens=lazy(lambda: _isoflop()["n_tokens"]),
                                                   losses=lazy(lambda: _isoflop()["loss"]), n_resamples=4, seed=0,
                                                   at_flops=1e22, fit=lazy(_parametric_fit)),
    # ---- optim
    "optim.batched_lbfgs": fn(fun=_objective, x0=np.array([[1.0, 2.0], [0.5, -1.0]]), max_iter=20,
                              memory=5, gtol=1e-10, ftol=1e-15, max_step=10.0),
    # ---- emergence, quanta
    "emergence.ModelFamily": RECORD,
    "emergence.TaskLaw": fn(scale_c=2e8, alpha=0.35, E=0.1, unit="parameters"),
    "emergence.TaskLaw.loss": on(_task_law, scale=np.array([1e8, 1e10])),
    "emergence.TaskLaw.token_probability": on(_task_law, scale=np.array([1e8, 1e10])),
    "emergence.TaskLaw.on_compute": on(_task_law, tokens_per_parameter=20.0),
    "emergence.exact_match": fn(p=np.array([0.5, 0.9]), answer_tokens=5),
    "emergence.token_accuracy": fn(p=np.array([0.5, 0.9]), answer_tokens=5),
    "emergence.token_edit_distance": fn(p=np.array([0.5, 0.9]), answer_tokens=5),
    "emergence.answer_log_likelihood": fn(p=np.array([0.5, 0.9]), answer_tokens=5),
    "emergence.multiple_choice": fn(p=np.array([0.5, 0.9]), answer_tokens=5, n_choices=4),
    "emergence.metric": fn(name="exact match", scale=np.array([1e8, 1e10]), answer_tokens=5,
                           law=lazy(_task_law), n_choices=4),
    "emergence.exact_match_scale": fn(level=0.5, answer_tokens=5, law=lazy(_task_law)).allow("inf"),
    "emergence.sharpness": fn(scale=np.array([1e8, 1e9, 1e10]), values=np.array([0.1, 0.2, 0.9])),
    "emergence.rise_midpoint": fn(scale=np.array([1e8, 1e9, 1e10]), values=np.array([0.1, 0.2, 0.9])),
    "emergence.first_scale_above": fn(scale=np.array([1e8, 1e9, 1e10]), values=np.array([0.1, 0.2, 0.9]),
                                      threshold=0.5).allow("inf"),
    "emergence.measured_accuracy": fn(accuracy=np.array([0.01, 0.5]), n_questions=100, seed=0),
    "quanta.quanta_frequencies": fn(n_quanta=100, alpha=0.5),
    "quanta.quanta_learned": fn(n_params=np.array([1e5, 1e7]), params_per_quantum=1e4, n_quanta=500),
    "quanta.quanta_learned_from_data": fn(n_samples=np.array([1e5, 1e7]), alpha=0.5, n_quanta=500,
                                          uses_needed=10.0),
    "quanta.quantum_switched_on": fn(n_params=np.array([1e5, 1e7]), rank=20, params_per_quantum=1e4),
    "quanta.quanta_loss": fn(learned=np.array([0.0, 10.0]), alpha=0.5, n_quanta=1000,
                             loss_unlearned=1.0, loss_learned=0.1),
    "quanta.quanta_loss_exponent": fn(alpha=0.5, resource="data"),
    # ---- data_constrained
    "data_constrained.RepetitionLaw": fn(law=lazy(_law), r_star_d=15.4, r_star_n=5.3,
                                         source=Source("muennighoff2023scaling", "the fit")),
    "data_constrained.effective_tokens": fn(unique_tokens=np.array([1e9, 1e10]), epochs=np.array([1.0, 4.0]),
                                            r_star=15.4),
    "data_constrained.unique_tokens_equivalent": fn(epochs=np.array([1.0, 4.0]), r_star=15.4),
    "data_constrained.effective_params": fn(n_params=np.array([1e9, 1e10]), unique_tokens=np.array([1e10, 1e10]),
                                            law=lazy(_repetition_law)),
    "data_constrained.loss": fn(n_params=np.array([1e9, 1e10]), n_tokens=np.array([1e11, 1e11]),
                                unique_tokens=np.array([1e10, 1e11]), law=lazy(_repetition_law)),
    "data_constrained.repeated_data_loss": fn(n_params=np.array([1e9, 1e10]), unique_tokens=np.array([1e10, 1e10]),
                                              epochs=np.array([1.0, 4.0]), law=lazy(_repetition_law)),
    "data_constrained.ConstrainedAllocation": RECORD,
    "data_constrained.compute_optimal": fn(flops=1e22, unique_tokens=1e11, law=lazy(_repetition_law)),
    "text_stock.TextStock": RECORD,
    "text_stock.DatasetTrend": RECORD,
    "text_stock.DatasetTrend.predict": on(_trend, year=np.array([2024.0, 2030.0])),
    "text_stock.DatasetTrend.year_reaching": on(_trend, tokens=3e14).allow("inf"),
    "text_stock.fit_dataset_trend": fn(years=np.array([2018.0, 2019.0, 2020.0, 2022.0]),
                                             tokens=np.array([1e10, 4e10, 3e11, 1.4e12])),
    "text_stock.largest_per_year": fn(years=np.array([2018.0, 2018.0, 2020.0]),
                                            tokens=np.array([1e10, 4e10, 3e11])),
    # ---- inference_aware
    "inference_aware.LifetimeOptimum": RECORD,
    "inference_aware.smallest_model": fn(target_loss=2.2, law=lazy(_law)),
    "inference_aware.lifetime_flops": fn(n_params=np.array([1e9, 1e10]), target_loss=2.2,
                                         inference_tokens=1e12, law=lazy(_law)).allow("inf"),
    "inference_aware.lifetime_optimum": fn(target_loss=2.2, inference_tokens=1e12, law=lazy(_law)),
    "inference_aware.compute_overhead": fn(size_fraction=np.array([0.5, 2.0]), law=lazy(_law)).allow("inf"),
    "inference_aware.minimum_size_fraction": fn(law=lazy(_law)),
    "inference_aware.size_fraction_for_overhead": fn(overhead=1.0, law=lazy(_law)),
    "inference_aware.implied_inference_tokens": fn(n_params=np.array([1e9, 1e10]),
                                                   n_tokens=np.array([1e11, 1e11]), law=lazy(_law)),
    "inference_aware.TrainedModel": RECORD,
    "inference_aware.overtraining": fn(n_params=7e9, n_tokens=2e12, law=lazy(_law)),
    # ---- footprint
    "footprint.energy_kwh": fn(accelerator_hours=np.array([10.0, 1e5]), watts_per_accelerator=700.0, pue=1.1),
    "footprint.emissions_tonnes": fn(kwh=np.array([10.0, 1e5]), grid_kg_per_kwh=0.4),
    "footprint.Footprint": RECORD,
    "footprint.model_flops_utilization": fn(hardware_utilization=np.array([0.52, 0.3])),
    "footprint.emission_swings": fn(flops=1e25, swings={"grid": ("grid_kg_per_kwh", 0.05, 0.7)},
                                    peak_flops_per_second=9.89e14, utilization=0.39, watts_per_accelerator=700.0,
                                    pue=1.1, grid_kg_per_kwh=0.429),
    # ---- evals
    "evals.accuracy_standard_error": fn(accuracy=np.array([0.5, 0.6]), n_questions=1000),
    "evals.PairedComparison": RECORD,
    "evals.PairedComparison.interval": on(lambda: __import__("scaling_lib.evals").evals.paired_comparison(
        [1.0, 0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 1.0, 1.0]), level=0.95, paired=True),
    "evals.paired_comparison": fn(scores_a=np.array([1.0, 0.0, 1.0, 1.0, 0.0]),
                                  scores_b=np.array([1.0, 0.0, 0.0, 1.0, 1.0])),
    "evals.simulate_two_models": fn(n_questions=200, accuracy_a=0.62, accuracy_b=0.6, difficulty_spread=2.0, seed=0),
    "footprint.training_footprint": fn(flops=3e23, peak_flops_per_second=3.12e14, utilization=0.4,
                                       watts_per_accelerator=400.0, pue=1.1, grid_kg_per_kwh=0.4,
                                       dollars_per_gpu_hour=2.0, n_gpus=1024),
    # ---- functional_forms
    "functional_forms.broken_power_law": fn(x=X, a=0.1, b=2.0, c0=0.3, breaks=((0.2, 30.0, 0.5),)),
    "functional_forms.reducible_exponent": fn(x=X, c0=0.3, breaks=((0.2, 30.0, 0.5),)),
    "functional_forms.apparent_exponent": fn(x=X, A=2.0, alpha=0.3, E=0.5),
    # ---- parameter_counts
    "parameter_counts.ModelShape": fn(vocab=32000.0, aspect=39.2, source=None),
    "parameter_counts.width": fn(non_embedding_params=np.array([1e6, 1e9]), shape=lazy(_shape)),
    "parameter_counts.total_params": fn(non_embedding_params=np.array([1e6, 1e9]), shape=lazy(_shape)),
    "parameter_counts.non_embedding_params": fn(total=np.array([1e7, 1e9]), shape=lazy(_shape)),
    "parameter_counts.embedding_share": fn(non_embedding_params=np.array([1e6, 1e9]), shape=lazy(_shape)),
    "parameter_counts.non_embedding_budget": fn(non_embedding_params=np.array([1e6, 1e9]), law=lazy(_law),
                                                shape=lazy(_shape)),
    "parameter_counts.optimal_non_embedding": fn(flops_non_embedding=np.array([1e18, 1e20]), law=lazy(_law),
                                                 shape=lazy(_shape)),
    "parameter_counts.local_exponent": fn(non_embedding_params=np.array([1e6, 1e9]), law=lazy(_law), shape=lazy(_shape)),
    "parameter_counts.CountingComparison": RECORD,
    "parameter_counts.compare_counting": fn(n_non_embedding_range=(1e4, 1e8), law=lazy(_law), shape=lazy(_shape),
                                            n_points=5),
    # ---- published, data
    "published.Source": fn(citation="kaplan2020scaling", where="Table 5"),
    "data.data_dir": fn(),
    "data.Table": RECORD,
    "data.Table.where": on(_table, column="name", value="NVIDIA H100 SXM"),
    "data.Table.numeric": on(_table, column="name"),
    "data.Accelerator": RECORD,
    "data.accelerators": fn(),
    "data.describe": fn(name="accelerators"),
    "data.load_table": fn(name="accelerators"),
    "data.load_json": fn(name="experiment_language"),
    # ---- exercises
    "exercises.Feedback": fn(exercise="power_laws.halve", correct=False, message="too low"),
    "exercises.Mistake": fn(value=2.0, explanation="that is 2**alpha"),
    "exercises.check_number": fn(exercise="contract.example", answer=7.7, expected=7.68, rel=0.02,
                                 mistakes=(), unit="times").with_(quotes_input=True),
    "exercises.check": fn(exercise="power_laws.halve", answer=7.7).with_(quotes_input=True),
    "exercises.register": fn(exercise="contract.example", prompt="What?", checker=_feedback).with_(
        teardown=_remove_exercise),
    # ---- capstone
    "capstone.hidden_law": fn(seed=3),
    "capstone.TrainingService": fn(budget_flops=1e21, seed=3, noise=0.01),
    "capstone.TrainingService.train": on(_service, n_params=1e8, n_tokens=2e9),
    "capstone.TrainingService.history": on(_service),
    "capstone.TrainingService.truth": on(_service, target_flops=1e23),
    "capstone.ToyTrainingService": fn(budget_flops=3e11, language_seed=2),
    # training builds the 300 MB language (10 s): the example's budget is too small, so the call
    # stops at the budget check, after every argument check
    "capstone.ToyTrainingService.train": on(_toy_service, width=8, n_tokens=1024).stopped_by("budget remain"),
    "capstone.ToyTrainingService.history": on(_toy_service),
    "capstone.ToyTrainingService.truth": on(_toy_service_with_data, target_flops=1e10),
    "capstone.Grade": RECORD,
    "capstone.grade": fn(service=lazy(_service), target_flops=1e23, predicted_n_params=3e10, predicted_loss=2.1),
    # ---- experiment.language
    "experiment.language.teacher_logits": fn(seed=0, first_tokens=np.array([0, 1]), vocab_size=4, order=2,
                                             n_features=8, zipf_exponent=0.3, importance_exponent=0.6,
                                             teacher_gain=4.5, input_scale=1.0),
    "experiment.markov.stationary_distribution": fn(conditional=np.full((16, 4), 0.25), tolerance=1e-12,
                                                    max_iter=1000),
    "experiment.markov.alias_tables": fn(probs=np.array([[0.5, 0.25, 0.25], [0.1, 0.2, 0.7]])),
    "experiment.language.MarkovLanguage": RECORD,
    "experiment.language.MarkovLanguage.context_tokens": on(_language, contexts=np.array([0, 5, 15])),
    "experiment.language.MarkovLanguage.sample": on(_language, n_tokens=100, rng=0),
    "experiment.language.MarkovLanguage.cross_entropy": on(_language, log_probs=np.full((16, 4), np.log(0.25))),
    "experiment.language.MarkovLanguage.facts": on(_language),
    "experiment.markov.conditional_entropies": fn(conditional=np.full((16, 4), 0.25),
                                                  stationary=np.full(16, 1 / 16)),
    "experiment.language.language_from_logits": fn(logits=np.zeros((16, 4)), seed=0, settings=None),
    "experiment.language.build_language": fn(seed=0, vocab_size=4, order=2, n_features=8, zipf_exponent=0.3,
                                             importance_exponent=0.6, teacher_gain=4.5, input_scale=1.0,
                                             workers=1),
    # ---- experiment.model, experiment.training
    "experiment.model.parameter_counts": fn(width=8, vocab_size=64, context_length=3),
    "experiment.model.matmul_flops_per_token": fn(width=8, vocab_size=64, context_length=3),
    "experiment.model.TanhMLP": fn(width=3, vocab_size=4, context_length=2, seed=0, language_seed=0,
                                   dtype=np.float64, batch_size=16),
    "experiment.model.TanhMLP.loss_and_grad": on(_model, tokens=np.array([[0, 1], [2, 3]]), targets=np.array([1, 2])),
    "experiment.model.TanhMLP.log_probs": on(_model, tokens=np.array([[0, 1], [2, 3]])),
    "experiment.model.TanhMLP.population_loss": on(_model, language=lazy(_language), heldout=lazy(_heldout)),
    "experiment.model.HeldOut": RECORD,
    "experiment.model.heldout_sample": fn(language=lazy(_language), n_tokens=256),
    "experiment.training.lr_schedule": fn(step=np.array([0, 5, 99]), total_steps=100, warmup_fraction=0.05),
    "experiment.training.TrainResult": RECORD,
    "experiment.training.tokens_for_budget": fn(flops=1e9, width=8, vocab_size=64, context_length=3),
    "experiment.training.train": fn(language=lazy(_language), width=3, n_tokens=64, seed=0, batch_size=16,
                                 lr_input=0.04, lr_output=0.5, betas=(0.9, 0.99), eps=1e-8,
                                 warmup_fraction=0.05, eval_fractions=(0.5, 1.0), heldout=lazy(_heldout),
                                 sample_block=32, checkpoints=(2,)),
    "experiment.training.TrainState": RECORD,
    # ---- experiment.schedules, experiment.schedule_runs
    "experiment.schedules.wsd_schedule": fn(total_steps=50, warmup_steps=5, cooldown_steps=10, shape="sqrt"),
    "experiment.schedules.cosine_schedule": fn(total_steps=50, warmup_fraction=0.05),
    "experiment.schedules.cosine_warmup_steps": fn(total_steps=50, warmup_fraction=0.05),
    "experiment.schedules.annealing_areas": fn(multipliers=np.linspace(1.0, 0.1, 20), decay=0.9, warmup_steps=2),
    "experiment.schedules.TissueLaw": fn(L0=1.5, A=2.0, alpha=0.5, C=1e-3, decay=0.99),
    "experiment.schedules.TissueLaw.loss": on(_tissue_law, s1=np.array([10.0, 20.0]), s2=np.array([0.0, 1.0])),
    "experiment.schedules.TissueLaw.predict": on(_tissue_law, multipliers=np.linspace(1.0, 0.1, 20),
                                                 steps=np.array([5, 20]), warmup_steps=2),
    "experiment.schedules.TissueLaw.report": on(_tissue_law),
    "experiment.schedules.TissueFit": RECORD,
    "experiment.schedules.TissueFit.report": on(_tissue_fit),
    "experiment.schedules.fit_tissue_law": fn(curves=lazy(_tissue_curves), decays=(0.9, 0.99)),
    "experiment.schedule_runs.schedule_budgets": fn(),
    "experiment.schedule_runs.cooldown_plan": fn(width=64),
    # both train the base design's language (10 s to build): the tiny language is refused by their
    # last check, before any training
    "experiment.schedule_runs.run_cooldown_family": fn(language=lazy(_language), width=64, heldout=None).stopped_by(
        "the sweep's base design"),
    "experiment.schedule_runs.run_schedules": fn(language=lazy(_language), widths=(64,), resume_dir=None, workers=1,
                                             heldout=None, progress=None).stopped_by("the sweep's base design"),
    "experiment.schedule_runs.write_schedule_table": fn(rows=lazy(_schedule_rows), path="/nonexistent/folder/x.csv").stopped_by(
        "path must be in an existing folder"),
    "experiment.schedule_runs.load_schedules": fn(language_seed=0).allow("nan"),  # the long run has no budget
    "experiment.schedule_runs.run_curves": fn(runs=lazy(_schedule_runs), width=64, schedule="wsd_sqrt"),
    "experiment.schedule_runs.cosine_curves": fn(curves=lazy(lambda: _sweep().grid_curves()), width=64, budgets=[1e10]),
    "experiment.schedule_runs.SchedulePrediction": RECORD,
    "experiment.schedule_runs.SchedulePrediction.report": on(_schedule_prediction),
    "experiment.schedule_runs.predict_schedules": fn(runs=lazy(_schedule_runs), cosine=lazy(lambda: _sweep().grid_curves()),
                                                 width=64, decays=(0.99,)),
    "experiment.schedule_runs.isoflop_comparison": fn(runs=lazy(_schedule_runs), cosine_runs=lazy(lambda: _sweep().grid()),
                                                  schedule="wsd_sqrt"),
    "experiment.schedule_runs.training_cost": fn(runs=lazy(_schedule_runs)),
    "experiment.schedule_runs.width_curves": fn(runs=lazy(_schedule_runs), width=64),
    "experiment.schedule_runs.forecast_cosine": fn(law=lazy(_tissue_law), width=64, budget=1e10, points=5),
    "experiment.schedule_runs.cosine_tokens": fn(curves=lazy(lambda: _sweep().grid_curves()), width=64),
    "experiment.schedule_runs.final_losses": fn(runs=lazy(_schedule_runs), schedule="wsd_sqrt"),
    # ---- experiment.sweep
    "experiment.sweep.language_settings": fn(variant="order_2"),
    "experiment.sweep.RunSpec": fn(language_seed=0, budget=1e9, width=8, seed=0, variant=""),
    "experiment.sweep.RunSpec.cost": on(_run_spec),
    "experiment.sweep.sweep_specs": fn(language_seed=1),
    "experiment.sweep.variant_specs": fn(variant="order_2"),
    "experiment.sweep.training_settings": fn(width=8),
    "experiment.sweep.budget_index": fn(flops=1e10, name="flops"),  # name: the caller's argument
    "experiment.sweep.slice_specs": fn(budget=1e10, language_seed=0),
    # run_sweep trains the base design's language (10 s to build): the tiny language does not match
    # the specs, which is run_sweep's last check
    "experiment.sweep.run_sweep": fn(language=lazy(_language), specs=lazy(lambda: [_run_spec()]), resume_dir=None, workers=1,
                                     heldout=None, progress=None).stopped_by("specs must all name this language"),
    "experiment.sweep.write_tables": fn(results=[], facts=[], data_dir="/nonexistent/folder").stopped_by(
        "data_dir must be an existing folder"),
    "experiment.sweep.timing_summary": fn(results=[{"wall_time_s": 1.0, "eval_time_s": 0.5,
                                                    "train_matmul_flops": 1e9, "eval_matmul_flops": 1e8}]),
    # ---- experiment.analysis
    "experiment.analysis.Sweep": RECORD,
    "experiment.analysis.Sweep.grid": on(_sweep, max_budget=1e10),
    "experiment.analysis.Sweep.grid_curves": on(_sweep, max_budget=1e10),
    "experiment.analysis.load_sweep": fn(language_seed=1),
    "experiment.analysis.load_variant": fn(variant="order_2"),
    "experiment.analysis.ApproachFits": RECORD,
    "experiment.analysis.ApproachFits.a_interval": on(_approach_fits, approach=2, level=0.9),
    "experiment.analysis.ApproachFits.report": on(_approach_fits, level=0.9),
    # max_budget None or 1e308: the same fits on the whole sweep (3 s each; tests/test_experiment.py
    # fits it)
    "experiment.analysis.fit_approaches": fn(sweep=lazy(_sweep), max_budget=1e10, n_resamples=2, seed=0).with_(
        timeout=30.0).skipping(max_budget=("None", "1e308")),
    "experiment.analysis.Extrapolation": RECORD,
    "experiment.analysis.extrapolation": fn(sweep=lazy(_sweep)),
    "experiment.analysis.seed_spread": fn(sweep=lazy(_sweep)),
    "experiment.analysis.loss_rises": fn(sweep=lazy(_sweep)),
    "experiment.analysis.isoflop_minima": fn(sweep=lazy(_sweep)),
    "experiment.analysis.LanguageCheck": RECORD,
    "experiment.analysis.LanguageCheck.report": on(_language_check, others=lazy(lambda: [_language_check()])),
    # fits=None fits the sweep itself (200 resamples of each approach, seconds): legal, too slow to fuzz
    "experiment.analysis.check_language": fn(sweep=lazy(_sweep), fits=lazy(_approach_fits)).skipping(
        fits=("None",)),
    "experiment.analysis.VariantFit": RECORD,
    "experiment.analysis.VariantComparison": RECORD,
    "experiment.analysis.VariantComparison.report": on(_variant_comparison),
    "experiment.analysis.compare_variants": fn().with_(timeout=30.0),
    # ---- notebook, plotting
    "notebook.setup": fn(),
    "notebook.setup_cell": fn(repository="https://github.com/scaling-laws-book/scaling-laws-book"),
    "plotting.LogTickFormatter": fn(minor=True),
    "plotting.SparseMinorLocator": fn(),
    "plotting.SparseMinorLocator.tick_values": on(_locator, vmin=2.0, vmax=20.0),
    "plotting.use_style": fn(),
    "plotting.figure": fn(nrows=1, ncols=2, width=4.0, height=2.0, live=False),
    "plotting.log_axes": fn(ax=lazy(_figure_axes), xlabel="N", ylabel="loss", x=True, y=False, title="t"),
    "plotting.to_png": fn(fig=lazy(_figure)),
    "plotting.LiveFigure": fn(nrows=1, ncols=2, width=4.0, height=2.0),
    "plotting.LiveFigure.clear": on(lambda: __import__("scaling_lib.plotting").plotting.LiveFigure()),
    "plotting.LiveFigure.to_png": on(lambda: __import__("scaling_lib.plotting").plotting.LiveFigure()),
    # ---- widgets
    "widgets.Slider": fn(description="x", min=0.0, max=1.0, value=0.5, step=0.1, log=False, integer=False,
                         readout_format=".3g"),
    "widgets.Slider.sweep": on(_slider),
    "widgets.Slider.widget": on(_slider),
    "widgets.Choice": fn(description="law", options=("a", "b"), value="a"),
    "widgets.Choice.sweep": on(_choice),
    "widgets.Choice.widget": on(_choice),
    "widgets.Toggle": fn(description="offset", value=True),
    "widgets.Toggle.sweep": on(_toggle),
    "widgets.Toggle.widget": on(_toggle),
    "widgets.View": fn(png=b"\x89PNG", text="readout", alt="a picture"),
    "widgets.View.html": on(_view),
    "widgets.Explorer": fn(name="x", callback=_objective, controls={}, alt="a picture", layout={"ncols": 2},
                            scenarios=(("a scenario", {}),)),
    "widgets.Explorer.live_figure": on(_explorer),
    "widgets.Explorer.scenario_views": on(_explorer),
    "widgets.Explorer.static": on(_explorer),
    "widgets.Scenarios": fn(name="x", views=lazy(lambda: _explorer().scenario_views()), note="a note"),
    "widgets.check_axes": fn(axes=lazy(_two_axes), count=2, name="axes"),
    "widgets.Explorer.defaults": on(_explorer),
    "widgets.Explorer.render": on(_explorer, alpha=0.4, E=0.5),
    "widgets.Explorer.sweep_points": on(_explorer),
    "widgets.Explorer.show": on(_explorer),
    "widgets.all_explorers": fn(),
    "widgets.power_laws.draw_extrapolation": fn(ax=lazy(_figure_axes), alpha=0.3, E=1.0, noise=0.02, fit_decades=2.0,
                                                extrapolate_by=100.0, offset=True, seed=0),
    "widgets.power_laws.extrapolation_explorer": fn(),
    "widgets.kaplan.gpt3": fn(),
    "widgets.kaplan.draw_budget": fn(ax=lazy(_figure_axes), log10_flops=21.0),
    "widgets.kaplan.budget_explorer": fn(),
    "widgets.kaplan.draw_learning_curves": fn(ax=lazy(_figure_axes), log10_params=8.0, log10_tokens=10.0, batch="critical"),
    "widgets.kaplan.learning_curve_explorer": fn(),
    "widgets.chinchilla.draw_allocation": fn(ax=lazy(_figure_axes), gpu_hours=1e5, accelerator="NVIDIA H100 SXM", utilization=0.4,
                                             dollars_per_gpu_hour=2.0, law="Besiroglu et al. (2024) refit"),
    "widgets.chinchilla.allocation_explorer": fn(),
    "widgets.chinchilla.draw_isoflop": fn(ax=lazy(_figure_axes), log10_flops=21.0, models=9, span=16.0, noise=0.005,
                                          law="Besiroglu et al. (2024) refit"),
    "widgets.chinchilla.isoflop_explorer": fn(),
    "widgets.emergence.draw_metric": fn(ax=lazy(_figure_axes), metric="exact match", answer_tokens=10, models=6),
    "widgets.emergence.metric_explorer": fn(),
    "widgets.emergence.draw_quanta": fn(axes=lazy(_two_axes), alpha=0.5, log10_quanta=3.0),
    "widgets.emergence.quanta_explorer": fn(),
    "widgets.after_chinchilla.draw_coverage": fn(axes=lazy(_two_axes), alpha=0.3, pass_at_1=0.09, k_fit=100.0),
    "widgets.after_chinchilla.coverage_explorer": fn(),
    "widgets.after_chinchilla.draw_quantization": fn(axes=lazy(_figure_axes), post_bits=4, log10_params=8.0),
    "widgets.after_chinchilla.quantization_explorer": fn(),
    "widgets.after_chinchilla.draw_granularity": fn(axes=lazy(_figure_axes), log10_flops=22.0, granularity=8),
    "widgets.after_chinchilla.granularity_explorer": fn(),
    "widgets.limitations.draw_repetition": fn(axes=lazy(_two_axes), log10_unique_tokens=11.0, epochs=4.0, log10_params=9.5),
    "widgets.limitations.repetition_explorer": fn(),
    "widgets.limitations.draw_inference": fn(ax=lazy(_figure_axes), log10_inference_tokens=12.0, log10_flops=23.0),
    "widgets.limitations.inference_explorer": fn(),
    "widgets.limitations.draw_counting": fn(ax=lazy(_figure_axes), vocab_thousands=32.0, log10_smallest=3.0, log10_largest=9.0,
                                            law="Besiroglu et al. (2024) refit"),
    "widgets.limitations.counting_explorer": fn(),
    "widgets.limitations.draw_footprint": fn(axes=lazy(_two_axes), log10_flops=23.5, accelerator="NVIDIA H100 SXM", utilization=0.4,
                                             pue=1.1, grid_kg_per_kwh=0.4, dollars_per_gpu_hour=2.0),
    "widgets.limitations.footprint_explorer": fn(),
    "widgets.experiment.draw_extrapolation": fn(ax=lazy(_figure_axes), language_seed=0, fitted_budgets=5),
    "widgets.experiment.extrapolation_explorer": fn(),
    "widgets.experiment.draw_variant": fn(ax=lazy(_figure_axes), variant="order_2"),
    "widgets.experiment.variant_explorer": fn(),
    "widgets.experiment.draw_slice": fn(results=lazy(_slice_results), language_seed=0),
    "widgets.experiment.LiveSlice": fn(language_seed=0),
    # run() builds the 300 MB language and trains five models: progress=None and budget values that
    # are legal would do that; every other bad value is refused before any work
    "widgets.experiment.LiveSlice.run": on(_live_slice, budget=1e9, progress=print).with_(
        run_valid=False).skipping(progress=("None",)),
    "widgets.experiment.LiveSlice.show": on(_live_slice),
    "widgets.experiment.LiveSlice.static": on(_live_slice),
    "widgets.experiment.SliceNote": fn(),

    # ---- refits on published runs
    "published_runs.ChinchillaRuns": RECORD,
    "published_runs.ChinchillaRuns.without_highest_losses": on(_chinchilla_runs, count=5),
    "published_runs.load_chinchilla_extracted": fn(),
    "published_runs.PorianRuns": RECORD,
    "published_runs.PorianRuns.configuration": on(_porian_runs, configuration=PORIAN_CONFIGURATION),
    "published_runs.load_porian_runs": fn(),
    "published_runs.PorianExponent": RECORD,
    "published_runs.load_porian_exponents": fn(),
    "published_runs.MuennighoffRuns": RECORD,
    "published_runs.load_muennighoff_runs": fn(),
    "chinchilla.replication.law_residuals": fn(law=lazy(_law), n_params=lazy(lambda: _isoflop()["n_params"]),
                                               n_tokens=lazy(lambda: _isoflop()["n_tokens"]),
                                               losses=lazy(lambda: _isoflop()["loss"])),
    "chinchilla.replication.law_objective": fn(law=lazy(_law), n_params=lazy(lambda: _isoflop()["n_params"]),
                                               n_tokens=lazy(lambda: _isoflop()["n_tokens"]),
                                               losses=lazy(lambda: _isoflop()["loss"])),
    "chinchilla.replication.ReplicationRefit": RECORD,
    "chinchilla.replication.ReplicationRefit.report": on(_replication),
    # runs=None loads the same 245 runs: legal, and the same fit
    "chinchilla.replication.refit_extracted": fn(runs=lazy(_chinchilla_runs), drop_highest=5),
    "chinchilla.replication.FitFailure": RECORD,
    "chinchilla.replication.FitFailure.report": on(_fit_failure),
    # every start of the 4,500-start grid to L-BFGS's defaults, twice: 4 s a call, so the example
    # hands over the converged fit and only values that are refused early are tried
    "chinchilla.replication.how_the_fit_went_wrong": fn(runs=lazy(_chinchilla_runs), drop_highest=5,
                                                        converged=lazy(lambda: _replication().fit)).with_(
        run_valid=False, timeout=30.0).skipping(runs=("None",), drop_highest=("0", "integer array", "list"),
                                                converged=("None",)),
    "chinchilla.replication.IntervalComparison": RECORD,
    "chinchilla.replication.IntervalComparison.report": on(_interval_comparison),
    "chinchilla.replication.interval_widths": fn(refit=lazy(_replication), n_resamples=4, seed=0, level=0.8),
    "porian.BudgetProfile": RECORD,
    "porian.IsoflopFit": RECORD,
    "porian.IsoflopFit.interval": on(_isoflop_interpolated, level=0.9),
    "porian.IsoflopFit.predict": on(_isoflop_interpolated, flops=np.array([1e18, 1e20])),
    "porian.fit_isoflop_interpolated": fn(n_params=lazy(lambda: _porian_runs().configuration(PORIAN_CONFIGURATION).n_params),
                                          flops=lazy(lambda: _porian_runs().configuration(PORIAN_CONFIGURATION).flops),
                                          losses=lazy(lambda: _porian_runs().configuration(PORIAN_CONFIGURATION).loss),
                                          noise=0.003, n_boot=4, seed=0, points_per_interval=10).allow("nan"),
    "porian.fit_configuration": fn(configuration=PORIAN_CONFIGURATION, runs=lazy(_porian_runs), n_boot=4, seed=0).allow("nan"),
    "porian.LadderStep": RECORD,
    "porian.Ladder": RECORD,
    "porian.Ladder.report": on(_ladder),
    "porian.reconciliation_ladder": fn(dataset="rw", runs=lazy(_porian_runs), n_boot=4, seed=0).allow("nan"),
    "porian.NaiveComparison": RECORD,
    "porian.NaiveComparison.report": on(_naive),
    "porian.naive_vs_interpolated": fn(configuration=PORIAN_CONFIGURATION, runs=lazy(_porian_runs), near=5,
                                       n_boot=4, seed=0).allow("nan"),
    "data_constrained.RepetitionFit": RECORD,
    "data_constrained.fit_repetition_constants": fn(n_params=lazy(lambda: _muennighoff_runs().n_params),
                                                    n_tokens=lazy(lambda: _muennighoff_runs().n_tokens),
                                                    unique_tokens=lazy(lambda: _muennighoff_runs().unique_tokens),
                                                    losses=lazy(lambda: _muennighoff_runs().loss), base=lazy(_law)),
    "data_constrained.implied_effective_tokens": fn(n_params=lazy(lambda: _muennighoff_runs().n_params),
                                                    n_tokens=lazy(lambda: _muennighoff_runs().n_tokens),
                                                    unique_tokens=lazy(lambda: _muennighoff_runs().unique_tokens),
                                                    losses=lazy(lambda: _muennighoff_runs().loss),
                                                    law=lazy(_repetition_law)).allow("inf"),
    "data_constrained.DataConstrainedRefit": RECORD,
    "data_constrained.DataConstrainedRefit.report": on(_dc_refit),
    "data_constrained.DataConstrainedRefit.example_report": on(_dc_refit),
    "data_constrained.refit_data_constrained": fn(runs=lazy(_muennighoff_runs), base=lazy(_law)),
    # ---- compute, power_laws, emergence: newer methods
    "compute.TransformerFlops": RECORD,
    "compute.transformer_flops": fn(n_layers=12, d_model=768, n_heads=12, d_head=64, d_ff=3072, context_length=1024,
                                    vocab_size=50257),
    "power_laws.interval_coverage": fn(x=X, A=2.0, alpha=0.3, noise=0.1, level=0.9, trials=20, seed=0),
    "emergence.zero_score_probability": fn(accuracy=np.array([0.001, 0.01]), n_questions=100),
    "emergence.PassUntilEstimate": RECORD,
    "emergence.sample_until_pass": fn(pass_rate=np.array([0.001, 0.1]), n_questions=50, passes=1, seed=0),
    "emergence.task_scaling_transform": fn(pass_rate=np.array([0.001, 0.5])),
    "emergence.any_route_exact_match": fn(scale=GPT3_SIZES, laws=lazy(lambda: (_task_law(), __import__("scaling_lib.emergence").emergence.TaskLaw(2e9, 1.0))),
                                          answer_tokens=10),
    "emergence.distractor_accuracy": fn(scale=np.array([1e20, 1e22]), task=lazy(lambda: _task_law().on_compute()),
                                        distractor=lazy(lambda: _task_law().on_compute(100.0)), answer_tokens=4,
                                        distractor_tokens=2, n_choices=2),
    # ---- the chapter after Chinchilla: sampling
    "sampling.pass_at_k": fn(n_samples=np.array([20, 30]), n_correct=np.array([3, 0]), k=5),
    "sampling.plug_in_pass_at_k": fn(n_samples=np.array([20, 30]), n_correct=np.array([3, 0]), k=5),
    "sampling.coverage": fn(p=np.array([0.01, 0.2, 0.5]), k=np.array([1, 10])),
    "sampling.beta_coverage": fn(k=np.array([1, 10, 100]), alpha=0.3, beta=3.0),
    "sampling.CoverageLaw": fn(a=-3.0, b=-0.4, name="law", source=None),
    "sampling.CoverageLaw.coverage": on(_coverage_law, k=np.array([1.0, 10.0])),
    "sampling.CoverageLaw.samples_for": on(_coverage_law, target=0.5),
    "sampling.CoverageFit": RECORD,
    "sampling.CoverageFit.predict": on(_coverage_fit, k=np.array([1.0, 100.0])),
    "sampling.fit_coverage_law": fn(k=np.array([1, 10, 100]), measured=np.array([0.1, 0.3, 0.6])),
    "sampling.simulate_correct": fn(p=np.array([0.1, 0.5]), n_samples=20, seed=0),
    "sampling.beta_problems": fn(n_problems=10, alpha=0.3, beta=3.0, seed=0),
    "sampling.task_coverage": fn(n_params=np.array([1e8, 1e9]), k=3, answer_tokens=np.array([1, 5]),
                                 law=lazy(_task_law)),
    "sampling.samples_at_equal_flops": fn(n_params_large=14e9, n_params_small=1e9),
    "sampling.inference_flops": fn(n_params=1e9, tokens_per_sample=100.0, samples=14.0),
    # ---- moe
    "moe.GranularLaw": fn(a=18.1, alpha=0.115, b=30.8, beta=0.147, g=2.1, gamma=0.58, c=0.47, name="law",
                          source=None),
    "moe.granular_loss": fn(n_params=np.array([1e9, 1e10]), n_tokens=np.array([1e10, 1e11]), granularity=8.0,
                            law=lazy(_granular_law)),
    "moe.total_from_active": fn(n_active=1e9, expansion=64.0),
    "moe.training_flops": fn(n_active=37e9, n_tokens=14.8e12),
    "moe.MoEOptimum": RECORD,
    "moe.compute_optimal": fn(flops=1e20, law=lazy(_granular_law), granularity=8.0, expansion=64.0),
    "moe.ModelReading": RECORD,
    "moe.read_model": fn(name="m", n_total=671e9, n_active=37e9, n_tokens=14.8e12),
    "moe.dense_compute_multiplier": fn(flops=1e20, law=lazy(_granular_law),
                                       dense=lazy(lambda: __import__("scaling_lib.moe").moe.KRAJEWSKI_2024_DENSE),
                                       granularity=8.0, expansion=64.0),
    "moe.sparsity": fn(n_total=671e9, n_active=37e9),
    # ---- precision
    "precision.PrecisionLaw": RECORD,
    "precision.precision_factor": fn(bits=np.array([4.0, 8.0]), part="weights", law=lazy(_precision_law),
                                     offsets=True),
    "precision.effective_parameters": fn(n_params=1e8, weights=8.0, activations=8.0, kv_cache=8.0,
                                         law=lazy(_precision_law), offsets=True),
    "precision.training_loss": fn(n_params=1e8, n_tokens=1e10, bits=8.0, law=lazy(_precision_law),
                                  offsets=True).allow("inf"),
    "precision.ptq_degradation": fn(n_params=1e8, n_tokens=1e10, post_bits=4.0, law=lazy(_precision_law)),
    "precision.quantized_loss": fn(n_params=1e8, n_tokens=1e10, post_bits=4.0, law=lazy(_precision_law)),
    "precision.harmful_tokens": fn(n_params=3e7, post_bits=4.0, law=lazy(_precision_law)).allow("inf"),
    "precision.compute_optimal_bits": fn(law=lazy(_precision_law), offsets=True, low=1.0, high=32.0),
    # ---- distillation
    "distillation.SupervisedLaw": fn(A=3355.0, B=18186.0, E=1.22, alpha=0.408, beta=0.431, gamma=0.452,
                                     source=None),
    "distillation.SupervisedLaw.loss": on(_supervised_law, n_params=np.array([1e8, 1e9]),
                                          n_tokens=np.array([2e9, 2e10])),
    "distillation.SupervisedLaw.allocation_exponents": on(_supervised_law),
    "distillation.DistillationLaw": RECORD,
    "distillation.student_loss": fn(n_student=1e9, n_tokens=2e10, teacher_loss=2.2, law=lazy(_distillation_law)),
    "distillation.best_teacher_loss": fn(n_student=1e9, n_tokens=2e10, law=lazy(_distillation_law), low=1.0,
                                         high=6.0),
    # ---- mixing
    "mixing.mixtures": fn(proportions=MIX_R, name="proportions", domains=3),
    "mixing.MixingLaw": fn(c=np.array([1.2, 0.6, 1.0]), k=np.array([0.5, 0.4, 0.45]), t=MIX_T,
                           domains=("web", "code", "books"), targets=None, source=None),
    "mixing.MixingLaw.normalized": on(_mixing_law),
    "mixing.MixingLaw.loss": on(_mixing_law, proportions=MIX_R),
    "mixing.MixingLaw.total_loss": on(_mixing_law, proportions=MIX_R, weights=np.array([0.5, 0.2, 0.3])),
    "mixing.simulate_mixtures": fn(law=lazy(_mixing_law), n_mixtures=5, noise=0.01, concentration=1.0, seed=0),
    "mixing.MixingFit": RECORD,
    "mixing.MixingFit.predict": on(_mixing_fit, proportions=MIX_R),
    "mixing.MixingFit.report": on(_mixing_fit),
    "mixing.fit_mixing_law": fn(proportions=MIX_R, losses=lazy(_mixing_losses), domains=None, targets=None),
    "mixing.MixtureOptimum": RECORD,
    "mixing.optimal_mixture": fn(law=lazy(_mixing_law), weights=np.array([0.5, 0.2, 0.3]), min_share=0.0),
    # ---- frontier
    "frontier.TokenLaw": fn(A=0.299, alpha=0.537, name="law", source=None),
    "frontier.TokenLaw.tokens": on(_token_law, flops=np.array([1e22, 3.8e25])),
    "frontier.TokenLaw.n_params": on(_token_law, flops=np.array([1e22, 3.8e25])),
    "frontier.TokenLaw.tokens_per_parameter": on(_token_law, flops=np.array([1e22, 3.8e25])),
    "frontier.density_growth": fn(months=np.array([3.0, 12.0]), doubling_months=3.0),
    "frontier.doubling_time": fn(times=np.array([0.0, 1.0, 2.0]), values=np.array([1.0, 2.0, 4.0])),
    "frontier.RLCurve": fn(A=0.6, B=1.2, C_mid=3000.0, R_0=0.2),
    "frontier.RLCurve.pass_rate": on(_rl_curve, compute=np.array([100.0, 1e5])),
    "frontier.RLCurve.compute_for": on(_rl_curve, rate=0.5),
    # ---- observational
    "observational.BenchmarkTable": RECORD,
    "observational.BenchmarkTable.score": on(_benchmarks, benchmark="GSM8K"),
    "observational.BenchmarkTable.task": on(_benchmarks, name="arithmetic_3ds_2_acc").allow("nan"),
    "observational.load_benchmarks": fn(name="ruan2024_base_llm_benchmarks",
                                        emergent="ruan2024_emergent_tasks").allow("nan"),
    "observational.PCAResult": RECORD,
    "observational.PCAResult.project": on(_pca, scores=SCORES[:3]),
    "observational.pca_impute": fn(scores=SCORES, n_components=2, rank=2, iterations=50, tol=1e-10),
    "observational.SigmoidFit": RECORD,
    "observational.SigmoidFit.predict": on(_sigmoid, x=np.array([-1.0, 1.0])),
    "observational.fit_sigmoid": fn(x=SIG_X, y=SIG_Y, floor=None, ceiling=1.0),
    "observational.FamilyLines": RECORD,
    "observational.FamilyLines.predict": on(_family_lines, flops=np.array([1e21, 1e22]), families=np.array(["a", "b"])),
    "observational.FamilyLines.flops_equivalent": on(_family_lines, family="b", reference="a"),
    "observational.FamilyLines.report": on(_family_lines),
    "observational.fit_family_lines": fn(flops=FAM_FLOPS, capability=FAM_CAP, families=FAM_NAMES),
    "observational.Forecast": RECORD,
    "observational.forecast": fn(x=SIG_X, y=SIG_Y, train=SIG_X < 1.0, test=SIG_X >= 1.0, floor=None),
    # ---- figures
    "figures.power_laws.linear_and_log_axes": fn(alphas=(0.1, 0.3), x_max=1e4),
    "figures.power_laws.power_law_or_exponential": fn(alpha=0.3, tau=1e3, x_max=1e5),
    "figures.power_laws.fits_with_and_without_floor": fn(x=X, y=lazy(lambda: _power_law_fits()[0]),
                                                         pure=lazy(lambda: _power_law_fits()[1]),
                                                         with_offset=lazy(lambda: _power_law_fits()[2]),
                                                         A=5.0, alpha=0.3, E=1.0),
    "figures.kaplan.three_laws": fn(),
    "figures.kaplan.overfitting": fn(data_fractions=(10, 6, 0), full_tokens=22e9, n_fixed=1e8),
    "figures.kaplan.learning_curves": fn(sizes=(1e6, 1e8), batch_tokens=2.0**19),
    "figures.kaplan.off_size_cost": fn(low=0.3, high=30.0),
    "figures.kaplan.gpt3_against_allocation": fn(c_gpt3=3.14e23, n_gpt3=175e9, law=lazy(_law), band=(0.6, 2.2)),
    "figures.kaplan.contradiction": fn(point=lazy(lambda: __import__("scaling_lib.kaplan").kaplan.frontier_contradiction()),
                                       pf_days=(1e-8, 1e8)),
    "figures.experiment.draw_valleys": fn(runs=lazy(lambda: _sweep().grid(1e10)), fit=lazy(lambda: _approach_fits().approach2),
                                          ax=lazy(_figure_axes)),
    "figures.experiment.isoflop_valleys": fn(runs=lazy(lambda: _sweep().grid(1e10)),
                                             fit=lazy(lambda: _approach_fits().approach2), entropy_rate=1.57,
                                             title="valleys"),
    "figures.experiment.language_figure": fn(facts=lazy(_lang_facts), stationary=lazy(lambda: _language().stationary)),
    "figures.experiment.envelope_figure": fn(curves=lazy(lambda: _sweep().grid_curves(1e10)),
                                             fit=lazy(lambda: _approach_fits().approach1)),
    "figures.experiment.exponent_figure": fn(fits=lazy(lambda: {0: _approach_fits()})),
    "figures.chinchilla.replication_residuals": fn(refit=lazy(_replication), laws=("refit",)),
    "figures.chinchilla.fit_failure": fn(failure=lazy(_fit_failure)),
    "figures.chinchilla.replication_intervals": fn(intervals=lazy(_interval_comparison)),
    "figures.chinchilla.approach1_envelope": fn(
        n_params=lazy(lambda: _curves()["n_params"]), flops=lazy(lambda: _curves()["flops"]),
        losses=lazy(lambda: _curves()["loss"]), fit=lazy(_approach1_fit)),
    "figures.chinchilla.isoflop_valleys": fn(
        n_params=lazy(lambda: _isoflop()["n_params"]), flops=lazy(lambda: _isoflop()["flops"]),
        losses=lazy(lambda: _isoflop()["loss"]), fit=lazy(_allocation_fit), xlabel="parameters N", title="valleys"),
    "figures.chinchilla.approach3_residuals": fn(
        n_params=lazy(lambda: _isoflop()["n_params"]), n_tokens=lazy(lambda: _isoflop()["n_tokens"]),
        losses=lazy(lambda: _isoflop()["loss"]), fit=lazy(_parametric_fit)),
    "figures.chinchilla.notable_models": fn(
        models=lazy(lambda: __import__("scaling_lib.data").data.load_table("notable_models")), law=lazy(_law),
        flops_range=(1e19, 1e27)),
    "figures.limitations.kaplan_chinchilla_explanations": fn(ladders=lazy(_ladder), counting=lazy(_counting)),
    "figures.limitations.naive_vs_interpolated": fn(comparison=lazy(_naive), budgets=3),
    "figures.limitations.repeated_data": fn(law=lazy(_repetition_law), runs=lazy(_muennighoff_runs),
                                            unique_tokens=1e10, n_params=1e9, max_epochs=50),
    "figures.limitations.data_constrained_residuals": fn(refit=lazy(_dc_refit)),
    "figures.limitations.lifetime_sizing": fn(target_loss=2.1, law=lazy(_law), served=np.geomspace(1e10, 1e14, 5)),
    "figures.limitations.overhead_curves": fn(laws=lazy(lambda: {"law": _law()})),
    "figures.limitations.notable_models": fn(
        models=lazy(lambda: __import__("scaling_lib.data").data.load_table("notable_models")), law=lazy(_law)),
    "figures.limitations.counting_two_ways": fn(law=lazy(_law), shape=lazy(_shape), kaplan_a=0.73),
    "figures.limitations.footprint_sensitivity": fn(ranges={"grid": (300.0, 3000.0), "PUE": (900.0, 1300.0)},
                                                    centre=1000.0, flops=1e25),
    "figures.limitations.data_stock": fn(
        models=lazy(lambda: __import__("scaling_lib.data").data.load_table("notable_models")), trend=lazy(_trend),
        stock=lazy(lambda: __import__("scaling_lib.text_stock").text_stock.VILLALOBOS_2024)),
    "figures.limitations.one_power_law_breaks": fn(
        broken={"a": 0.0, "b": 5.0, "c0": 0.1, "breaks": ((0.3, 1e5, 0.3),)}, x_data=X, y_data=Y,
        single=lazy(_power_law_fit), frontier_points=(np.geomspace(1e18, 1e21, 5), np.array([3.0, 2.8, 2.6, 2.5, 2.4])),
        fits=lazy(lambda: {"pure": _power_law_fit()}), law=lazy(_law)),
    "figures.emergence.reports_figure": fn(reports=lazy(lambda: __import__("scaling_lib.data").data.load_table("emergence_examples"))),
    "figures.emergence.metrics_figure": fn(law=lazy(_task_law), scales=np.geomspace(1e7, 1e13, 20),
                                           names=("exact match", "log-likelihood"), lengths=(1, 5), n_choices=4),
    "figures.emergence.sampling_figure": fn(law=lazy(_task_law), family_sizes=GPT3_SIZES, family_name="GPT-3",
                                            answer_tokens=10, grids=(12, 4), scale_range=(1e7, 1e12)),
    "figures.emergence.forecast_figure": fn(fit=lazy(_power_law_fit), small=X, small_scores=np.linspace(0.01, 0.1, 8),
                                            law=lazy(_task_law), answer_tokens=10, targets=None),
    "figures.emergence.log_exact_match_figure": fn(law=lazy(_task_law), scales=np.geomspace(1e7, 1e13, 20),
                                                   lengths=(1, 5)),
    "figures.emergence.draw_quanta": fn(steps=lazy(lambda: _two_axes()[0]), total=lazy(lambda: _two_axes()[1]),
                                        alpha=0.5, n_quanta=1000, params_per_quantum=1e4, ranks=(1, 100), sizes=None),
    "figures.emergence.quanta_figure": fn(alpha=0.5, n_quanta=1000, params_per_quantum=1e4),
    "figures.emergence.resolution_figure": fn(sizes=np.array([1e8, 1e9, 1e10]), expected=np.array([0.001, 0.01, 0.1]),
                                              small_test=np.array([0.0, 0.0, 0.1]), small_n=100, until=lazy(_until),
                                              family_name="GPT-3"),
    "figures.emergence.acceleration_figure": fn(scales=GPT3_SIZES, one_route=np.array([0.001, 0.01, 0.1, 0.5]),
                                                two_routes=np.array([0.002, 0.03, 0.3, 0.8]),
                                                fit=lazy(_power_law_fit), measured=np.array([0.002, 0.03]),
                                                measured_at=GPT3_SIZES[:2]),
    "figures.emergence.distractor_figure": fn(compute=np.array([1e20, 1e21, 1e22]), accuracy=np.array([0.5, 0.3, 0.7]),
                                              n_choices=2, ranges=(("small", 1e21),)),
    "figures.after_chinchilla.plot_coverage": fn(left=lazy(lambda: _pair_of_axes()[0]), right=lazy(lambda: _pair_of_axes()[1]),
                                                 k=np.array([1.0, 10.0, 100.0]), estimated=None,
                                                 exact=np.array([0.1, 0.3, 0.6]), fit=lazy(_coverage_fit)),
    "figures.after_chinchilla.coverage_figure": fn(k=np.array([1.0, 10.0, 100.0]), estimated=np.array([0.1, 0.3, 0.6]),
                                                   exact=np.array([0.1, 0.3, 0.6]), fit=lazy(_coverage_fit)),
    "figures.after_chinchilla.plot_equal_flops": fn(ax=lazy(_one_axes), sizes=np.array([1e8, 1e9]),
                                                    one_large=np.array([0.1, 0.2]), many_small=np.array([0.2, 0.3]),
                                                    ratio=14.0),
    "figures.after_chinchilla.equal_flops_figure": fn(sizes=np.array([1e8, 1e9]), one_large=np.array([0.1, 0.2]),
                                                      many_small=np.array([0.2, 0.3]), ratio=14.0),
    "figures.after_chinchilla.moe_frontier_figure": fn(flops=np.array([1e19, 1e21]), dense_loss=np.array([3.0, 2.5]),
                                                       moe_loss=np.array([2.8, 2.3]), moe_label="MoE"),
    "figures.after_chinchilla.notable_models_figure": fn(flops=np.array([1e22, 1e23]),
                                                         tokens_per_parameter=np.array([20.0, 200.0]),
                                                         years=np.array([2022, 2023]),
                                                         moe_rows=(("m", 3e24, 400.0, 6e25, 22.0),),
                                                         path_flops=np.array([1e22, 1e24]),
                                                         optimal_ratio=np.array([20.0, 20.0])),
    "figures.after_chinchilla.precision_figure": fn(bits=np.array([4.0, 8.0, 16.0]),
                                                    factors={"weights": np.array([0.5, 0.9, 1.0])},
                                                    tokens=np.array([1e9, 1e10, 1e11]),
                                                    losses={4: np.array([4.0, 3.9, 4.1])}, harmful={4: 1e10},
                                                    n_params=3e7),
    "figures.after_chinchilla.capability_figure": fn(log_flops=np.log10(FAM_FLOPS), capability=FAM_CAP,
                                                     families=FAM_NAMES, lines=lazy(_family_lines), shown=("a", "b")),
    "figures.after_chinchilla.plot_forecast": fn(ax=lazy(_one_axes), x_train=SIG_X[:8], y_train=SIG_Y[:8],
                                                 x_test=SIG_X[8:], y_test=SIG_Y[8:], fit=lazy(_sigmoid),
                                                 xlabel="c", ylabel="s", title="t"),
    "figures.after_chinchilla.forecast_figure": fn(x_train=SIG_X[:8], y_train=SIG_Y[:8], x_test=SIG_X[8:],
                                                   y_test=SIG_Y[8:], fit=lazy(_sigmoid), xlabel="c", ylabel="s",
                                                   title="t"),
    "figures.after_chinchilla.forecast_errors_figure": fn(benchmarks=("A", "B"),
                                                          errors={"x": np.array([0.1, 0.2])}),
    "figures.after_chinchilla.emergent_figure": fn(capability=SIG_X, log_flops=SIG_X + 22.0, tasks={"t": SIG_Y},
                                                   fits=lazy(lambda: {"t": _sigmoid()})),
    "figures.after_chinchilla.distillation_figure": fn(teacher_losses=np.array([1.5, 2.0, 2.5]),
                                                       students={"s": np.array([2.6, 2.5, 2.7])},
                                                       supervised={"s": 2.8}, best={"s": (2.0, 2.5)}),
    "figures.after_chinchilla.schedules_figure": fn(
        constant=(np.array([1e4, 1e5]), np.array([2.2, 2.0])), cooldowns={1e9: (np.array([8e4, 1e5]), np.array([2.0, 1.9]))},
        cosine={1e9: (np.array([5e4, 1e5]), np.array([2.1, 1.9]))}, predicted={1e9: (np.array([5e4, 1e5]), np.array([2.1, 1.95]))},
        comparison=lazy(lambda: _schedule_comparison()), width=64),
    "figures.after_chinchilla.mixing_figure": fn(law=lazy(_mixing_law), weights=np.array([0.5, 0.2, 0.3]),
                                                 proportions=MIX_R, optima={"optimum": MIX_R[4]}, held_out=MIX_R,
                                                 measured=lazy(_mixing_losses), predicted=lazy(_mixing_losses)),
    "figures.after_chinchilla.frontier_figure": fn(flops=np.array([1e20, 1e24]), llama_ratio=np.array([16.0, 30.0]),
                                                   chinchilla_ratio=np.array([23.0, 18.0]),
                                                   compute=np.array([100.0, 1e4]), rl_rate=np.array([0.2, 0.5]),
                                                   rl_curve=lazy(_rl_curve)),
}

"""The book's own experiment (chapter "Measure your own scaling law"): its explorers.

The explorers read the committed sweep (:mod:`scaling_lib.experiment.analysis`) and change which
language is shown and how many budgets a fit may see; the chapter's static figures are in
:mod:`scaling_lib.figures.experiment`. :class:`LiveSlice` trains a few models
for real when the reader presses its button.
"""

from __future__ import annotations

import functools
import os

import numpy as np

from .. import _checks, chinchilla, plotting
from ..experiment import analysis, sweep
from ..figures.experiment import draw_valleys
from . import STATIC_BUILD_ENV, Choice, Explorer, Slider, check_axes

C = plotting.COLORS


@functools.lru_cache(maxsize=None)
def _sweep(language_seed: int) -> analysis.Sweep:
    return analysis.load_sweep(language_seed)


@functools.lru_cache(maxsize=None)
def _held_out_fit(language_seed: int, max_budget: float):
    s = _sweep(language_seed)
    runs = s.grid(max_budget)
    return chinchilla.fit_approach3(runs["n_params"], runs["n_tokens"], runs["loss"])


@functools.lru_cache(maxsize=None)
def _valley_fit(language_seed: int):
    g = _sweep(language_seed).grid()
    return chinchilla.fit_approach2(g["n_params"], g["budget_flops"], g["loss"])


def draw_extrapolation(ax, language_seed: int, fitted_budgets: int):
    """Fit Approach 3 on the smallest ``fitted_budgets`` budgets and carry its compute-optimal
    frontier to the largest: the measured optima (IsoFLOP minima), the prediction, the true entropy.
    ``language_seed`` is one of the book's languages (0, 1); ``fitted_budgets`` from 3 to all of them."""
    ax = check_axes(ax)
    language_seed = _checks.choice(language_seed, "language_seed", sweep.LANGUAGE_SEEDS)
    s = _sweep(language_seed)
    budgets = s.budgets
    fitted_budgets = _checks.scalar(fitted_budgets, "fitted_budgets", integer=True, low=3, high=budgets.size)
    fit = _held_out_fit(language_seed, float(budgets[fitted_budgets - 1]))
    valleys = _valley_fit(language_seed)
    grid = np.geomspace(budgets[0], budgets[-1] * 10, 60)
    ax.plot(grid, chinchilla.frontier_loss(grid, fit), color=C["extrapolation"], lw=1.8,
            label=f"fitted on the {fitted_budgets} smallest budgets")
    used = valleys.flops <= budgets[fitted_budgets - 1] * (1 + 1e-9)
    ax.plot(valleys.flops[used], valleys.loss_opt[used], "o", color=C["observed"], label="IsoFLOP minima used")
    ax.plot(valleys.flops[~used], valleys.loss_opt[~used], "o", mfc="white", color=C["observed"],
            label="IsoFLOP minima held out")
    ax.axhline(s.entropy_rate, color=C["truth"], lw=1, ls="--")
    ax.axhline(fit.E, color=C["fit"], lw=1, ls=":")
    # the two floors labelled on their lines, each on its outer side (cheaper than a longer legend)
    above = fit.E >= s.entropy_rate
    ax.text(grid[0], s.entropy_rate, " true entropy rate", color=C["truth"], fontsize=8.5,
            va="top" if above else "bottom")
    ax.text(grid[0], fit.E, " fitted E", color=C["fit"], fontsize=8.5, va="bottom" if above else "top")
    ax.set_ylim(s.entropy_rate - 0.05, float(valleys.loss_opt.max()) + 0.1)
    plotting.log_axes(ax, "compute C (FLOPs)", "loss at the optimum (nats/token)", y=False)
    ax.legend(loc="upper right", fontsize=8.5)
    top = float(budgets[-1])
    predicted = chinchilla.compute_optimal(top, fit)
    measured_loss, measured_n = float(valleys.loss_opt[-1]), float(valleys.n_opt[-1])
    text = (f"language {language_seed}, fitted on budgets up to {budgets[fitted_budgets - 1]:.3g} FLOPs: "
            f"E = {fit.E:.3f} (true {s.entropy_rate:.3f}). At {top:.0e} FLOPs the fit predicts loss "
            f"{predicted.loss:.4f} ({100 * (predicted.loss / measured_loss - 1):+.1f} % against the "
            f"measured {measured_loss:.4f}) and N = {predicted.n_params:.3g} "
            f"({100 * (predicted.n_params / measured_n - 1):+.0f} % against {measured_n:.3g}).")
    return text


def extrapolation_explorer() -> Explorer:
    return Explorer(
        name="experiment: extrapolation",
        callback=draw_extrapolation,
        controls={
            "language_seed": Choice("language", (("seed 0", 0), ("seed 1", 1)), 0),
            "fitted_budgets": Slider("budgets the fit sees", 3, 7, 6, integer=True),
        },
        alt="Loss at the compute-optimal model against compute on a log axis: filled points are the "
            "IsoFLOP minima the fit used, hollow points those held out, a curve the fitted frontier carried "
            "to ten times the largest budget, a dashed line the true entropy and a dotted line the fitted E.",
        scenarios=tuple((f"the fit sees {k} budgets", {"fitted_budgets": k}) for k in (6, 5, 4, 3)),
    )


#: The variants the explorer offers: a label and a key of sweep.VARIANTS ("" is the base language).
VARIANT_LABELS = (
    ("base language (seed 0)", ""),
    ("no Zipf bias (exponent 0)", "zipf_0.0"),
    ("strong Zipf bias (exponent 1)", "zipf_1.0"),
    ("teacher tail decays slower (i^-0.4)", "tail_0.4"),
    ("teacher tail decays faster (i^-0.8)", "tail_0.8"),
    ("order 2 (4,096 contexts)", "order_2"),
)


@functools.lru_cache(maxsize=None)
def _variant(variant: str):
    v = analysis.load_variant(variant)
    runs = v.runs
    return (v, chinchilla.fit_approach2(runs["n_params"], runs["budget_flops"], runs["loss"]),
            chinchilla.fit_approach3(runs["n_params"], runs["n_tokens"], runs["loss"]))


def draw_variant(ax, variant: str):
    """One language variant's IsoFLOP valleys (budgets 1e9 to 1e11 FLOPs), with Approach 2's minima
    and Approach 3's law, beside the language's true entropy. ``variant`` is a key of
    :data:`scaling_lib.experiment.sweep.VARIANTS`, or ``""`` for the base language."""
    ax = check_axes(ax)
    variant = _checks.choice(variant, "variant", ("",) + tuple(sweep.VARIANTS))
    v, valleys, law = _variant(variant)
    ax.figure.subplots_adjust(right=0.76)  # room for the legend beside the valleys
    draw_valleys(v.runs, valleys, ax)
    ax.axhline(v.entropy_rate, color=C["truth"], lw=1, ls="--", label="true entropy rate")
    ax.set_ylim(1.35, 2.95)  # the same for every variant, so they compare by eye
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8.5)
    a3 = chinchilla.allocation_exponents(law)[0]
    best = chinchilla.compute_optimal(1e11, law)
    text = (f"entropy rate {v.entropy_rate:.3f} nats; Approach 3: E = {law.E:.3f} "
            f"({100 * (law.E / v.entropy_rate - 1):+.1f} %), alpha = {law.alpha:.2f}, beta = {law.beta:.2f}, "
            f"a = {a3:.2f}; Approach 2: a = {valleys.a:.2f}; at 1e11 FLOPs the optimum is N = "
            f"{best.n_params:.3g} on {best.tokens_per_parameter:.0f} tokens per parameter.")
    return text


def variant_explorer() -> Explorer:
    return Explorer(
        name="experiment: language variants",
        callback=draw_variant,
        controls={"variant": Choice("language", VARIANT_LABELS, "")},
        alt="IsoFLOP valleys of one language variant: final loss against non-embedding parameters at five "
            "budgets from 1e9 to 1e11 FLOPs, each with its parabola, black stars at the minima and a dashed "
            "line at the language's true entropy rate.",
        layout={"width": 8.4},
        scenarios=tuple((label, {"variant": key}) for label, key in VARIANT_LABELS),
    )


EXPLORERS = (extrapolation_explorer, variant_explorer)


# ---- the live slice ------------------------------------------------------------------------------

#: Budgets the live slice offers: five models train in well under a minute on one core.
SLICE_BUDGETS = sweep.BUDGETS[:5]


def draw_slice(results: list, language_seed: int = 0):
    """Fresh runs of a slice (results of :func:`scaling_lib.experiment.sweep.run_sweep`) on the
    committed IsoFLOP valley of their budget."""
    language_seed = _checks.choice(language_seed, "language_seed", sweep.LANGUAGE_SEEDS)
    if isinstance(results, (str, bytes, dict)) or not hasattr(results, "__iter__"):
        raise _checks.ArgumentTypeError(f"results must be a list of run results (from run_sweep); got "
                                        f"{_checks._describe(results)}")
    results = list(results)
    keys = ("spec", "n_params", "loss", "wall_time_s")
    if not results or not all(isinstance(r, dict) and all(k in r for k in keys) and isinstance(r["spec"], dict)
                              for r in results):
        raise ValueError(f"results must be a non-empty list of run results (dicts with {', '.join(keys)})")
    budget = float(results[0]["spec"]["budget"])
    s = _sweep(language_seed)
    g = s.grid()
    mine = np.isclose(g["budget_flops"], budget, rtol=1e-6)
    fig, ax = plotting.figure(live=True)
    ax.plot(g["n_params"][mine], g["loss"][mine], "o-", color=C["observed"], lw=1, ms=5,
            label="committed sweep")
    n = np.array([r["n_params"] for r in results])
    loss = np.array([r["loss"] for r in results])
    ax.plot(n, loss, "x", color=C["fit"], ms=11, mew=2.2, label="your runs, just now")
    plotting.log_axes(ax, "non-embedding parameters N", "final loss (nats/token)", y=False,
                      title=f"Your slice at {budget:.3g} FLOPs")
    ax.legend(loc="upper center")
    committed = dict(zip(g["width"][mine].astype(int), g["loss"][mine]))
    worst = max(abs(r["loss"] - committed[r["spec"]["width"]]) for r in results)
    seconds = sum(r["wall_time_s"] for r in results)
    text = (f"{len(results)} models trained in {seconds:.0f} s; largest difference from the committed "
            f"losses {worst:.1e} nats (the seed-to-seed spread is about 2e-3).")
    return fig, text


class LiveSlice:
    """A button that trains a slice of the sweep (:func:`sweep.slice_specs`) and draws it on the
    committed valley. The language is built on the first press (the slowest step: `bench/live_slice.py` times it)."""

    def __init__(self, language_seed: int = 0):
        self.language_seed = _checks.choice(language_seed, "language_seed", sweep.LANGUAGE_SEEDS)

    def run(self, budget: float, progress=None) -> list:
        """Train the slice at ``budget`` FLOPs (one of :data:`SLICE_BUDGETS`) in this process."""
        from ..experiment import language

        if sweep.BUDGETS[sweep.budget_index(budget)] not in SLICE_BUDGETS:
            raise ValueError(f"budget must be one of the slice's budgets {[f'{b:.3g}' for b in SLICE_BUDGETS]}; "
                             f"got {budget!r}")
        if progress is not None and not callable(progress):
            raise _checks.ArgumentTypeError(f"progress must be a function of a result, or None; got {progress!r}")
        specs = sweep.slice_specs(budget, self.language_seed)
        lang = language.build_language(self.language_seed)
        return sweep.run_sweep(lang, specs, workers=1, progress=progress)

    def static(self) -> "SliceNote":
        """The live slice for a page with no kernel: no button, a link to a copy that trains."""
        return SliceNote()

    def show(self):
        """The button and its output as ipywidgets; in the book build (no kernel behind the page)
        :meth:`static` instead."""
        if os.environ.get(STATIC_BUILD_ENV):
            return self.static()
        import ipywidgets as w
        from IPython.display import HTML, display

        from . import View

        budget = w.Dropdown(options=[(f"{b:.3g} FLOPs", b) for b in SLICE_BUDGETS], value=SLICE_BUDGETS[2],
                            description="budget", style={"description_width": "initial"})
        button = w.Button(description="Train 5 models", button_style="primary")
        output = w.Output()

        def press(_):
            button.disabled = True
            with output:
                output.clear_output()
                print("building the language (the slowest step), then training ...")
                results = self.run(budget.value, progress=lambda r: print(
                    f"  H = {r['spec']['width']:5d}: loss {r['loss']:.4f} ({r['wall_time_s']:.1f} s)"))
                fig, text = draw_slice(results, self.language_seed)
                display(HTML(View(png=plotting.to_png(fig), text=text, alt=LIVE_SLICE_ALT).html()))
            button.disabled = False

        button.on_click(press)
        return w.VBox([w.HBox([budget, button]), output])


#: The link target the book's Sphinx extension (scripts/sphinx_ext/explorer_pages.py) replaces by
#: the page's own in-browser copy.
RUN_LIVE_HREF = "explorer:run-live"


class SliceNote:
    """What the static page shows in place of the live slice's button: why there is none, and a
    link to the in-browser copy of the chapter, where the button trains."""

    def __repr__(self) -> str:
        return "<the live slice: it trains only where Python runs>"

    def _repr_html_(self) -> str:
        return ('<div class="explorer-scenarios explorer-live-slice">'
                '<p class="explorer-static-note" role="note">Training needs Python, and none runs behind this '
                f'page, so the button is not here. <a class="explorer-run-live" href="{RUN_LIVE_HREF}">Train '
                'the five models yourself in your browser</a>, or on Binder or Colab (<em>Run this chapter '
                "live</em>, under the chapter's title).</p></div>")


LIVE_SLICE_ALT = ("Final loss against non-embedding parameters at one budget: the committed sweep's "
                  "eleven runs as connected points and the reader's five fresh runs as crosses on them.")

"""The power_laws chapter's explorer: fit a power law on a limited range and see how far its prediction holds."""

from __future__ import annotations

import numpy as np

from .. import _checks, plotting, power_laws
from . import Explorer, Slider, Toggle, check_axes

#: The scale of the reducible part in the explorer's law ``y = E + A x^-alpha`` (x from 1 upward).
EXPLORER_A = 5.0


def draw_extrapolation(ax, alpha: float, E: float, noise: float, fit_decades: float,
                       extrapolate_by: float, offset: bool, seed: int = 0):
    """Fit ``E + 5 x^-alpha`` (plus noise) on ``1 <= x <= 10^fit_decades`` and extrapolate
    ``extrapolate_by`` times further on ``ax``. Returns a one-line readout. Each argument must
    lie in its control's range (:func:`extrapolation_explorer`)."""
    ax = check_axes(ax)
    alpha = _checks.scalar(alpha, "alpha", low=0.05, high=1.0)
    E = _checks.scalar(E, "E", low=0.0, high=2.0)
    noise = _checks.scalar(noise, "noise", low=0.0, high=0.1)
    fit_decades = _checks.scalar(fit_decades, "fit_decades", low=1.0, high=4.0)
    extrapolate_by = _checks.scalar(extrapolate_by, "extrapolate_by", low=2.0, high=1000.0)
    offset = _checks.flag(offset, "offset")
    seed = _checks.scalar(seed, "seed", integer=True, nonnegative=True)
    x_max = 10.0 ** fit_decades
    study = power_laws.extrapolation_study(A=EXPLORER_A, alpha=alpha, E=E, noise=noise, x_min=1.0,
                                         x_max=x_max, x_target=x_max * extrapolate_by,
                                         offset=offset, seed=seed)
    grid = np.geomspace(1.0, study.x_target * 1.5, 200)
    inside = grid <= x_max
    ax.plot(grid, power_laws.power_law(grid, EXPLORER_A, alpha, E), "--", color=plotting.COLORS["truth"],
            lw=1.5, label="true law")
    ax.plot(study.x, study.y, "o", color=plotting.COLORS["observed"], label="data (fit range)")
    fitted = study.fit.predict(grid)
    ax.plot(grid[inside], fitted[inside], color=plotting.COLORS["fit"],
            label="fit with offset E" if offset else "pure power-law fit")
    low, high = study.fit.predict_interval(grid[~inside])
    ax.plot(grid[~inside], fitted[~inside], ":", color=plotting.COLORS["extrapolation"], label="extrapolation")
    ax.fill_between(grid[~inside], low, high, color=plotting.COLORS["extrapolation"], alpha=0.2, lw=0,
                    label="95 % band")
    ax.axvline(study.x_target, color=plotting.COLORS["neutral"], lw=1)
    plotting.log_axes(ax, "scale x", "y")
    ax.legend(loc="upper right")
    text = (f"fit on 1 to {x_max:.3g}, predicted {extrapolate_by:.3g}x further: "
            f"fitted alpha = {study.fit.alpha:.3f} (true {alpha:.3f}), E = {study.fit.E:.3f} (true {E:.3f}); "
            f"at x = {study.x_target:.3g}: predicted {study.predicted:.4g}, true {study.true_value:.4g}, "
            f"error {100 * study.relative_error:+.1f} %, band {'covers' if study.covered else 'misses'} the truth")
    return text


def extrapolation_explorer() -> Explorer:
    return Explorer(
        name="power-law extrapolation",
        callback=draw_extrapolation,
        controls={
            "alpha": Slider("exponent alpha", 0.05, 1.0, 0.3, step=0.01),
            "E": Slider("offset E", 0.0, 2.0, 1.0, step=0.05),
            "noise": Slider("noise (sd of log y)", 0.0, 0.1, 0.02, step=0.005),
            "fit_decades": Slider("fit range (decades)", 1.0, 4.0, 2.0, step=0.25),
            "extrapolate_by": Slider("extrapolate by (x)", 2.0, 1000.0, 100.0, log=True),
            "offset": Toggle("fit the offset E", False),
        },
        alt="Log-log plot of a simulated power law with an offset: data points over the fit range, "
            "the true law as a dashed line, the fitted law, and its extrapolation with a shaded band.",
        scenarios=(
            ("pure fit, offset E = 1 (as it opens)", {}),
            ("offset E = 0: the pure fit is the right model", {"E": 0.0}),
            ("E = 1, fit range widened to 4 decades", {"fit_decades": 4.0}),
            ("fit the offset E, noise raised to 0.08", {"offset": True, "noise": 0.08}),
        ),
    )


EXPLORERS = (extrapolation_explorer,)

"""Figures of the power_laws chapter: what a power law looks like, how it differs from an exponential,
and what an irreducible floor does to a fit."""

from __future__ import annotations

import numpy as np

from .. import _checks, plotting, power_laws

#: Width of the chapter's two-panel figures, inches: at 100 dpi they fit the page's text column
#: with tick labels of about 11 px.
TWO_PANEL_WIDTH = 8.0


@_checks.arguments_named
def linear_and_log_axes(alphas=(0.1, 0.3, 0.6), *, x_max: float = 1e6):
    """Three pure power laws ``x**-alpha`` on linear axes (left) and on log-log axes (right)."""
    alphas = _checks.array(alphas, "alphas", ndim=1)
    x_max = _checks.scalar(x_max, "x_max", low=10.0, high=1e100)
    x = np.geomspace(1.0, x_max, 200)
    fig, (linear, loglog) = plotting.figure(1, 2, width=TWO_PANEL_WIDTH, height=3.4)
    for alpha, color in zip(alphas, plotting.SEQUENCE):
        y = power_laws.power_law(x, A=1.0, alpha=alpha)
        linear.plot(x, y, color=color, label=f"alpha = {alpha}")
        loglog.plot(x, y, color=color, label=f"alpha = {alpha}")
    linear.set(xlabel="scale x", ylabel="y", title="Linear axes: curves")
    plotting.log_axes(loglog, "scale x", "y", title="Log-log axes: straight lines")
    loglog.legend()
    return fig


@_checks.arguments_named
def power_law_or_exponential(*, alpha: float = 0.3, tau: float = 1e3, x_max: float = 1e6):
    """A power law ``x**-alpha`` beside an exponential ``exp(-x/tau)``: the curves on log-log axes
    (left) and their local log-log slopes (right)."""
    alpha = _checks.scalar(alpha, "alpha", low=1e-3, high=10.0)
    tau = _checks.scalar(tau, "tau", low=1e-100, high=1e300)
    x_max = _checks.scalar(x_max, "x_max", low=10.0, high=1e100)
    x = np.geomspace(1.0, x_max, 200)
    power = power_laws.power_law(x, A=1.0, alpha=alpha)
    exponential = np.exp(-x / tau)
    shown = exponential > 1e-6
    fig, (curves, slope) = plotting.figure(1, 2, width=TWO_PANEL_WIDTH, height=3.4)
    power_color, exp_color = plotting.SEQUENCE[0], plotting.SEQUENCE[3]
    curves.plot(x, power, color=power_color, label=f"power law, alpha = {alpha}")
    curves.plot(x[shown], exponential[shown], color=exp_color, label=f"exponential, tau = {tau:g}")
    plotting.log_axes(curves, "scale x", "y", title="A power law stays straight")
    curves.legend()
    slope.plot(x, power_laws.local_slope(x, power), color=power_color, label="power law")
    slope.plot(x, -x / tau, color=exp_color, label="exponential")
    slope.set_ylim(-5, 0.5)
    plotting.log_axes(slope, "scale x", "local slope d log y / d log x", y=False,
                      title="Its local slope is constant")
    slope.legend()
    return fig


@_checks.arguments_named
def fits_with_and_without_floor(x, y, pure, with_offset, *, A: float, alpha: float, E: float):
    """Data drawn from ``E + A x**-alpha``, the true law, and two fits to the data: a pure power law
    (``pure``) and one with a fitted floor (``with_offset``), both :class:`PowerLawFit`."""
    x = _checks.array(x, "x", positive=True, ndim=1)
    y = _checks.array(y, "y", positive=True, ndim=1)
    _checks.same_shape(x=x, y=y)
    for fit, name in ((pure, "pure"), (with_offset, "with_offset")):
        _checks.instance(fit, name, power_laws.PowerLawFit, "a PowerLawFit (power_laws.fit_power_law)")
    C = plotting.COLORS
    grid = np.geomspace(float(np.min(x)), float(np.max(x)), 200)
    fig, ax = plotting.figure()
    ax.axhline(E, color=C["neutral"], lw=1, label=f"floor E = {E:g}")
    ax.plot(grid, power_laws.power_law(grid, A, alpha, E), "--", color=C["truth"], label="true law")
    ax.plot(grid, pure.predict(grid), color=C["extrapolation"],
            label=f"pure fit, alpha = {pure.alpha:.2f}")
    ax.plot(grid, with_offset.predict(grid), color=C["fit"],
            label=f"fit with floor, alpha = {with_offset.alpha:.2f}")
    ax.plot(x, y, "o", color=C["observed"], label="data", zorder=3)
    plotting.log_axes(ax, "scale x", "y", title="A floor bends the log-log line")
    ax.legend()
    return fig

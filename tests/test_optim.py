"""The batched L-BFGS on its own: the minima scipy's L-BFGS-B finds, every row independent of the
others, overflowing trials rejected, arguments checked."""

import numpy as np
import pytest
from scipy import optimize

from scaling_lib.optim import batched_lbfgs


def rosenbrock(x, rows=None):
    """The Rosenbrock function in P dimensions for every row of x, with its gradient."""
    a, b = x[:, :-1], x[:, 1:]
    f = (100.0 * (b - a**2) ** 2 + (1 - a) ** 2).sum(1)
    g = np.zeros_like(x)
    g[:, :-1] += -400.0 * a * (b - a**2) - 2 * (1 - a)
    g[:, 1:] += 200.0 * (b - a**2)
    return f, g


STARTS = np.random.default_rng(0).uniform(-2.0, 2.0, size=(12, 4))


def test_every_row_reaches_the_minimum_scipy_reaches():
    x, f = batched_lbfgs(rosenbrock, STARTS, max_iter=2000)
    for start, xi, fi in zip(STARTS, x, f):
        ref = optimize.minimize(lambda v: tuple(np.ravel(t)[0] if t.ndim == 1 else t[0]
                                                for t in rosenbrock(v[None, :])),
                                start, jac=True, method="L-BFGS-B",
                                options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 5000})
        # Rosenbrock's minimum in 4 dimensions is (1, 1, 1, 1), or a saddle-side local minimum
        # near (-0.78, 0.61, 0.38, 0.16); both methods must agree on which one a start reaches
        assert fi == pytest.approx(ref.fun, abs=1e-10)
        assert np.allclose(xi, ref.x, atol=1e-4)


def test_a_quadratic_is_solved_exactly():
    # f(x) = 1/2 (x - c)^T H (x - c): L-BFGS on a convex quadratic converges to c
    H = np.array([[3.0, 1.0], [1.0, 2.0]])
    c = np.array([0.5, -1.5])

    def quad(x, rows):
        d = x - c
        return 0.5 * np.einsum("ij,jk,ik->i", d, H, d), d @ H

    x, f = batched_lbfgs(quad, np.array([[10.0, 10.0], [-3.0, 7.0]]))
    assert np.allclose(x, c, atol=1e-6) and np.all(f < 1e-12)


def test_rows_do_not_interact():
    together, _ = batched_lbfgs(rosenbrock, STARTS, max_iter=300)
    for i in (0, 5, 11):
        alone, _ = batched_lbfgs(rosenbrock, STARTS[i:i + 1], max_iter=300)
        assert np.array_equal(alone[0], together[i])


def test_rows_argument_names_each_rows_objective():
    # a different objective per row: row i's minimum is at x = i
    targets = np.arange(5.0)[:, None]

    def shifted(x, rows):
        d = x - targets[rows]
        return (d**2).sum(1), 2 * d

    x, _ = batched_lbfgs(shifted, np.zeros((5, 1)))
    assert np.allclose(x, targets, atol=1e-8)


def test_infinite_trials_are_rejected_not_taken():
    # exp overflows far from the minimum; the line search must back off, never accept inf
    def steep(x, rows):
        with np.errstate(over="ignore"):
            e = np.exp(x[:, 0])
        return e - 2 * x[:, 0], (e - 2)[:, None]

    x, f = batched_lbfgs(steep, np.array([[-50.0]]), max_step=1e3)
    assert np.isfinite(f).all() and x[0, 0] == pytest.approx(np.log(2), abs=1e-6)


def test_max_step_bounds_every_move():
    x, _ = batched_lbfgs(rosenbrock, STARTS[:1], max_iter=1, max_step=0.01)
    assert np.abs(x - STARTS[:1]).max() <= 0.01 + 1e-15


@pytest.mark.parametrize("kwargs, match", [
    (dict(x0=np.zeros(3)), "x0"), (dict(x0=[[np.nan, 1.0]]), "x0"), (dict(max_iter=0), "max_iter"),
    (dict(memory=0), "memory"), (dict(gtol=-1.0), "gtol"), (dict(ftol=np.nan), "ftol"),
    (dict(max_step=0.0), "max_step"), (dict(max_step="big"), "max_step"),
])
def test_bad_arguments_are_named(kwargs, match):
    args = {"x0": STARTS[:2], **kwargs}
    with pytest.raises(ValueError, match=match):
        batched_lbfgs(rosenbrock, args.pop("x0"), **args)


def test_fun_must_be_callable():
    with pytest.raises(TypeError, match="fun"):
        batched_lbfgs("rosenbrock", STARTS[:2])


def test_ftol_floor_makes_the_improvement_test_absolute():
    # scipy's L-BFGS-B divides the improvement by max(|f|, 1): a scaled-down objective stops early,
    # while the default, purely relative test is blind to the scale
    def quartic(scale):
        def fun(x, rows):
            return scale * np.sum(x ** 4, axis=1), scale * 4 * x ** 3
        return fun
    x0 = np.full((1, 3), 2.0)
    relative_big, _ = batched_lbfgs(quartic(1.0), x0, ftol=1e-9, gtol=0.0)
    relative_small, _ = batched_lbfgs(quartic(1e-6), x0, ftol=1e-9, gtol=0.0)
    floored_small, _ = batched_lbfgs(quartic(1e-6), x0, ftol=1e-9, gtol=0.0, ftol_floor=1.0)
    np.testing.assert_allclose(relative_small, relative_big, atol=1e-6)
    assert np.abs(floored_small).max() > 10 * np.abs(relative_small).max()
    with pytest.raises(ValueError, match="ftol_floor"):
        batched_lbfgs(quartic(1.0), x0, ftol_floor=0.0)

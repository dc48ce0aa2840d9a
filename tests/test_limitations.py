"""Repeated data, inference-aware sizing, footprints, parameter counting, broken power laws."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scaling_lib import chinchilla, data, data_constrained, footprint, inference_aware, parameter_counts, powerlaw

LAW = chinchilla.BESIROGLU_2024


def test_repetition_constants_are_muennighoffs():
    # Muennighoff et al. 2023: fitted R*_D = 15.4 and R*_N = 5.3
    c = data_constrained.MUENNIGHOFF_2023
    assert (c.R_star_D, c.R_star_N) == (15.4, 5.3)
    assert c.source.citation == "muennighoff2023scaling"


@given(unique=st.floats(1e6, 1e13), epochs=st.floats(1, 1000))
def test_effective_tokens_never_exceed_tokens_seen(unique, epochs):
    worth = data_constrained.effective_tokens(unique, epochs)
    assert unique * (1 - 1e-12) <= worth <= unique * epochs * (1 + 1e-12)


def test_repetition_limits():
    assert data_constrained.effective_tokens(1e10, 1) == pytest.approx(1e10)
    assert data_constrained.effective_tokens(1e10, 1e6) == pytest.approx(1e10 * (1 + 15.4))
    # a few epochs are nearly as good as fresh data (Muennighoff et al.: up to about 4)
    assert data_constrained.effective_tokens(1e10, 4) / 4e10 > 0.9
    epochs = np.arange(1, 100)
    assert np.all(np.diff(data_constrained.effective_tokens(1e10, epochs)) > 0)
    assert np.all(np.diff(data_constrained.repeated_data_loss(1e10, 1e10, epochs, LAW)) < 0)


@pytest.mark.parametrize("budget", [1e21, 1e23])
def test_more_inference_demand_never_makes_the_model_larger(budget):
    target = float(chinchilla.compute_optimal(budget, LAW).loss)
    sizes = [inference_aware.lifetime_optimum(target, t, LAW).n_params for t in (0, 1e10, 1e12, 1e14, 1e16)]
    assert all(a >= b * (1 - 1e-6) for a, b in zip(sizes, sizes[1:]))


def test_zero_demand_recovers_the_compute_optimal_model():
    best = chinchilla.compute_optimal(1e22, LAW)
    opt = inference_aware.lifetime_optimum(float(best.loss), 0, LAW)
    assert opt.n_params == pytest.approx(best.n_params, rel=1e-3)
    assert opt.total_flops == pytest.approx(1e22, rel=1e-6)


def test_smaller_model_overhead():
    overhead = inference_aware.smaller_model_overhead([0.5, 1.0, 2.0], 1e22, LAW)
    assert overhead[1] == pytest.approx(0, abs=1e-6)
    assert overhead[0] > 0 and overhead[2] > 0
    assert np.isinf(inference_aware.smaller_model_overhead(1e-4, 1e22, LAW))


def test_published_footprints_follow_from_their_assumptions():
    # Patterson et al. 2021, Table 4: GPT-3, 1,287 MWh at 0.429 kg/kWh -> 552 t CO2e
    assert footprint.emissions_tonnes(1287e3, 0.429) == pytest.approx(552, rel=0.01)
    # Luccioni et al. 2023: BLOOM, 1,082,990 GPU-hours at 0.4 kW = 433,196 kWh; 24.7 t at 57 g/kWh
    assert footprint.emissions_tonnes(1_082_990 * 0.4, 0.057) == pytest.approx(24.7, rel=0.01)
    table = data.load_table("published_footprints")
    for mwh, tonnes, grid in zip(table["energy_mwh"], table["tonnes_co2e"], table["grid_kg_per_kwh"]):
        assert footprint.emissions_tonnes(mwh * 1000, grid) == pytest.approx(tonnes, rel=0.01)


def test_energy_scales_with_pue_and_inverse_utilization():
    base = dict(peak_flops_per_second=1e15, watts_per_accelerator=500)
    e1 = footprint.energy_kwh(1e21, utilization=0.5, pue=1.0, **base)
    assert footprint.energy_kwh(1e21, utilization=0.25, pue=1.0, **base) == pytest.approx(2 * e1)
    assert footprint.energy_kwh(1e21, utilization=0.5, pue=1.5, **base) == pytest.approx(1.5 * e1)
    assert e1 == pytest.approx(1e21 / 0.5e15 / 3600 * 0.5)


def test_parameter_counting_round_trip_and_the_exponent_shift():
    n = np.array([1e5, 1e7, 1e9])
    assert parameter_counts.non_embedding_params(parameter_counts.total_params(n)) == pytest.approx(n)
    small = np.geomspace(1e16, 1e20, 9)
    total = parameter_counts.fitted_allocation_exponent(small, LAW, count="total")
    non_embedding = parameter_counts.fitted_allocation_exponent(small, LAW, count="non-embedding")
    assert total == pytest.approx(chinchilla.allocation_exponents(LAW)[0], abs=1e-6)
    assert non_embedding > total + 0.1  # pulled towards (and past) Kaplan's 0.73 at small scale
    large = np.geomspace(1e22, 1e26, 9)
    assert parameter_counts.fitted_allocation_exponent(large, LAW, count="non-embedding") == pytest.approx(total, abs=0.01)


def test_broken_power_law_slopes():
    x = np.geomspace(1, 1e8, 400)
    y = powerlaw.broken_power_law(x, a=0.0, b=1.0, c0=0.2, c1=0.3, d1=1e4, f1=0.1)
    slope = powerlaw.local_slope(x, y)
    assert slope[0] == pytest.approx(-0.2, abs=0.01) and slope[-1] == pytest.approx(-0.5, abs=0.01)


@pytest.mark.parametrize("call, argument", [
    (lambda: data_constrained.effective_tokens(1e9, 0.5), "epochs"),
    (lambda: data_constrained.effective_tokens(-1, 2), "unique_tokens"),
    (lambda: data_constrained.effective_tokens(1e9, 2, r_star=0), "r_star"),
    (lambda: inference_aware.lifetime_optimum(1.0, 1e9, LAW), "target_loss"),
    (lambda: inference_aware.lifetime_optimum(2.5, -1, LAW), "inference_tokens"),
    (lambda: inference_aware.smaller_model_overhead(0, 1e22, LAW), "size_fraction"),
    (lambda: footprint.energy_kwh(1e20, peak_flops_per_second=1e15, utilization=0.5, watts_per_accelerator=400, pue=0.9), "pue"),
    (lambda: footprint.emissions_tonnes(100, -0.1), "grid_kg_per_kwh"),
    (lambda: parameter_counts.fitted_allocation_exponent([1e18, 1e19, 1e20], LAW, count="all"), "count"),
    (lambda: parameter_counts.total_params(1e6, vocab=0), "vocab"),
    (lambda: powerlaw.broken_power_law(1.0, a=0, b=1, c0=0.1, c1=0.1, d1=-1, f1=1), "d1"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()

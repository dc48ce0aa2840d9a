"""Energy, emissions and money from FLOPs, checked against published footprints."""

import numpy as np
import pytest

from scaling_lib import compute, data, footprint


def test_gpt3_footprint_follows_from_patterson_et_al_inputs():
    # Patterson et al. 2021, Table 4: 3.14e23 FLOPs on V100s at a measured 24.6 TFLOP/s each, 330 W
    # average per processor, PUE 1.10, 0.429 kg CO2e/kWh -> 1,287 MWh and 552 tCO2e
    run = footprint.training_footprint(3.14e23, peak_flops_per_second=24.6e12, utilization=1.0,
                                       watts_per_accelerator=330, pue=1.10, grid_kg_per_kwh=0.429)
    assert run.mwh == pytest.approx(1287, rel=0.005)
    assert run.tonnes_co2e == pytest.approx(552, rel=0.005)
    # and 10,000 GPUs for 14.8 days is the same number of GPU-hours
    assert run.gpu_hours == pytest.approx(10_000 * 14.8 * 24, rel=0.005)


def test_bloom_footprint_follows_from_luccioni_et_al_inputs():
    # Luccioni et al. 2023: 1,082,990 A100 hours at 400 W = 433,196 kWh; at 57 g/kWh, 24.7 t
    kwh = footprint.energy_kwh(1_082_990, watts_per_accelerator=400)
    assert kwh == pytest.approx(433_196)
    assert footprint.emissions_tonnes(kwh, 0.057) == pytest.approx(24.7, rel=0.005)


def test_published_table_is_consistent_with_its_own_inputs():
    table = data.load_table("published_footprints")
    for row in table.rows:
        pue = row["pue"] if np.isfinite(row["pue"]) else 1.0  # BLOOM's paper states none
        kwh = footprint.energy_kwh(row["accelerator_hours"], watts_per_accelerator=row["watts_per_accelerator"],
                                   pue=pue)
        assert kwh / 1000 == pytest.approx(row["energy_mwh"], rel=0.005), row["model"]
        assert footprint.emissions_tonnes(row["energy_mwh"] * 1000, row["grid_kg_per_kwh"]) \
            == pytest.approx(row["tonnes_co2e"], rel=0.005), row["model"]
        assert row["citation"] and row["source"]


def test_assumptions_table_is_sourced():
    table = data.load_table("footprint_assumptions")
    values = dict(zip(table["key"], table["value"]))
    assert values["grid_gpt3"] == 0.429 and values["grid_france"] == 0.057 and values["pue_cloud"] == 1.10
    for row in table.rows:
        assert row["source"], row["key"]
        assert row["citation"] or "no published source" in row["source"], row["key"]


def test_money_and_hours_are_compute_run_cost():
    kw = dict(peak_flops_per_second=312e12, utilization=0.4, dollars_per_gpu_hour=2.0, n_gpus=1024)
    run = footprint.training_footprint(1e23, watts_per_accelerator=400, pue=1.1, grid_kg_per_kwh=0.4, **kw)
    assert run.run == compute.run_cost(1e23, **kw)
    assert run.dollars == run.gpu_hours * 2.0


def test_energy_scales_as_expected():
    base = dict(peak_flops_per_second=1e15, watts_per_accelerator=500, grid_kg_per_kwh=0.3)
    e1 = footprint.training_footprint(1e21, utilization=0.5, pue=1.0, **base)
    assert footprint.training_footprint(1e21, utilization=0.25, pue=1.0, **base).kwh == pytest.approx(2 * e1.kwh)
    assert footprint.training_footprint(1e21, utilization=0.5, pue=1.5, **base).kwh == pytest.approx(1.5 * e1.kwh)
    assert footprint.training_footprint(2e21, utilization=0.5, pue=1.0, **base).tonnes_co2e \
        == pytest.approx(2 * e1.tonnes_co2e)
    assert e1.kwh == pytest.approx(1e21 / 0.5e15 / 3600 * 0.5)
    assert footprint.emissions_tonnes(np.array([0.0, 1000.0]), 0.5).tolist() == [0.0, 0.5]


@pytest.mark.parametrize("call, argument", [
    (lambda: footprint.energy_kwh(10, watts_per_accelerator=400, pue=0.9), "pue"),
    (lambda: footprint.energy_kwh(-1, watts_per_accelerator=400), "accelerator_hours"),
    (lambda: footprint.energy_kwh(10, watts_per_accelerator=0), "watts_per_accelerator"),
    (lambda: footprint.emissions_tonnes(100, -0.1), "grid_kg_per_kwh"),
    (lambda: footprint.emissions_tonnes("x", 0.1), "kwh"),
    (lambda: footprint.training_footprint(1e21, peak_flops_per_second=1e15, utilization=1.5,
                                          watts_per_accelerator=400, pue=1.1, grid_kg_per_kwh=0.4), "utilization"),
    (lambda: footprint.training_footprint(-1, peak_flops_per_second=1e15, utilization=0.5,
                                          watts_per_accelerator=400, pue=1.1, grid_kg_per_kwh=0.4), "flops"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


def test_hardware_utilization_converts_to_model_utilization():
    # Narayanan et al. (2021): 52 % of peak, counting the recomputed forward pass (8N FLOPs per token
    # executed, 6N counted by 6ND): about 0.39 of peak in model FLOPs
    assert footprint.model_flops_utilization(0.52) == pytest.approx(0.39)
    values = dict(zip(data.load_table("footprint_assumptions")["key"],
                      data.load_table("footprint_assumptions")["value"]))
    # Chowdhery et al. (2022), Table 3: MFU 30.2 % (Megatron-Turing NLG), 46.2 % (PaLM)
    assert values["utilization_mtnlg"] == 0.302 and values["utilization_palm"] == 0.462
    assert values["hfu_megatron"] == 0.52
    with pytest.raises(ValueError, match="hardware_utilization"):
        footprint.model_flops_utilization(1.2)

"""scaling_lib.compute against published compute figures, and its properties."""

import pytest

from scaling_lib import compute

# Published training compute, from the papers themselves.
GPT3_FLOPS = 3.14e23        # Brown et al. 2020, Table D.1 (175B parameters, 300B tokens)
GPT3_PF_DAYS = 3.64e3       # Brown et al. 2020, Table D.1
CHINCHILLA_FLOPS = 5.76e23  # Hoffmann et al. 2022, Table 3 (the Gopher budget), 70B on 1.4T tokens


def test_pf_day_is_1e15_flops_per_second_for_a_day():
    assert compute.PF_DAY_FLOPS == 1e15 * 24 * 3600 == 8.64e19


def test_six_n_d_matches_gpt3():
    assert compute.training_flops(175e9, 300e9) == pytest.approx(GPT3_FLOPS, rel=0.01)


def test_pf_days_match_gpt3():
    assert compute.to_pf_days(GPT3_FLOPS) == pytest.approx(GPT3_PF_DAYS, rel=0.01)
    assert compute.from_pf_days(compute.to_pf_days(1e22)) == pytest.approx(1e22)


def test_six_n_d_matches_chinchilla_within_rounding_of_its_token_count():
    assert compute.training_flops(70e9, 1.4e12) == pytest.approx(CHINCHILLA_FLOPS, rel=0.03)


def test_attention_term_is_small_for_short_contexts():
    # Kaplan et al. 2020, Sec. 2.1: the context term matters only when n_ctx > 12 d_model
    d_model, n_layer = 12288, 96
    n = 12 * n_layer * d_model**2
    per_token = compute.forward_flops_per_token(n, n_layer, 2048, d_model)
    assert per_token / (2 * n) == pytest.approx(1 + 2048 / (12 * d_model))
    assert compute.training_flops_per_token(n, n_layer, 2048, d_model) == pytest.approx(3 * per_token)


def test_inference_is_a_third_of_training_per_token():
    assert compute.inference_flops(1e9, 1.0) * 3 == compute.training_flops(1e9, 1.0)


def test_tokens_for_budget_inverts_training_flops():
    assert compute.tokens_for_budget(compute.training_flops(7e9, 2e12), 7e9) == pytest.approx(2e12)


def test_run_cost_units():
    cost = compute.run_cost(3600 * 1e15, peak_flops_per_second=1e15, utilization=0.5,
                            dollars_per_gpu_hour=2.0, n_gpus=4)
    assert cost.gpu_hours == pytest.approx(2.0)
    assert cost.dollars == pytest.approx(4.0)
    assert cost.wall_clock_days == pytest.approx(0.5 / 24)


def test_build_or_buy_break_even():
    kwargs = dict(api_dollars_per_million_tokens=1.0, peak_flops_per_second=1e15,
                  training_utilization=0.4, serving_utilization=0.2, dollars_per_gpu_hour=2.0)
    few = compute.build_or_buy(1e9, 2e10, 1e6, **kwargs)
    assert few.cheaper == "api"
    many = compute.build_or_buy(1e9, 2e10, few.break_even_tokens * 2, **kwargs)
    assert many.cheaper == "own"
    at = compute.build_or_buy(1e9, 2e10, few.break_even_tokens, **kwargs)
    assert at.own_dollars == pytest.approx(at.api_dollars)


def test_api_cheaper_than_serving_never_breaks_even():
    result = compute.build_or_buy(1e12, 1e12, 1e12, api_dollars_per_million_tokens=1e-9,
                                  peak_flops_per_second=1e15, training_utilization=0.4,
                                  serving_utilization=0.2, dollars_per_gpu_hour=2.0)
    assert result.break_even_tokens == float("inf") and result.cheaper == "api"


@pytest.mark.parametrize("call, argument", [
    (lambda: compute.training_flops(0, 1), "n_params"),
    (lambda: compute.training_flops(1, float("nan")), "n_tokens"),
    (lambda: compute.inference_flops(1, -1), "n_tokens"),
    (lambda: compute.to_pf_days(-1), "flops"),
    (lambda: compute.gpu_hours(1, 1e15, 0), "utilization"),
    (lambda: compute.gpu_hours(1, 1e15, 1.5), "utilization"),
    (lambda: compute.gpu_hours(1, -1, 0.5), "peak_flops_per_second"),
    (lambda: compute.forward_flops_per_token(1e9, 2.5, 2048, 128), "n_layers"),
    (lambda: compute.run_cost(1, peak_flops_per_second=1, utilization=0.5, dollars_per_gpu_hour=-1), "dollars_per_gpu_hour"),
    (lambda: compute.run_cost(1, peak_flops_per_second=1, utilization=0.5, dollars_per_gpu_hour=1, n_gpus=0), "n_gpus"),
    (lambda: compute.build_or_buy(1, 1, -1, api_dollars_per_million_tokens=1, peak_flops_per_second=1,
                                  training_utilization=0.5, serving_utilization=0.5, dollars_per_gpu_hour=1), "n_served_tokens"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()

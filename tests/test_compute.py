"""scaling_lib.compute against published compute figures, and its properties."""

import numpy as np
import pytest

from scaling_lib import compute, data

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


# ---- the detailed count behind C = 6ND (compute.transformer_flops) ---------------------------------

def _shape(row):
    keys = ("n_layers", "d_model", "n_heads", "d_head", "d_ff", "context_length")
    vocab = None if np.isnan(row["vocab_size"]) else int(row["vocab_size"])  # empty for GPT-3's sizes
    return dict({k: int(row[k]) for k in keys}, vocab_size=vocab)


def test_weights_cost_exactly_six_flops_per_parameter_per_token():
    # Kaplan et al. 2020, Table 1: N = 2 d_model n_layer (2 d_attn + d_ff); 2N forward, twice that backward
    f = compute.transformer_flops(n_layers=7, d_model=96, n_heads=3, d_head=40, d_ff=300, context_length=64)
    assert f.non_embedding_params == 2 * 96 * 7 * (2 * 120 + 300)
    assert f.weights == 6 * f.non_embedding_params
    assert f.embeddings == 0 and f.total == f.weights + f.attention


def test_attention_term_is_twice_kaplans_plus_the_softmax():
    # Kaplan's Table 1 counts 2 n_layer n_ctx d_attn forward for the context; App. F of Hoffmann et al.
    # counts the logits and the value products (2 n_ctx d_attn each) and 3 n_heads n_ctx for the softmax
    layers, heads, head, ctx = 12, 12, 64, 2048
    f = compute.transformer_flops(n_layers=layers, d_model=768, n_heads=heads, d_head=head, d_ff=3072,
                                  context_length=ctx)
    kaplan_forward = 2 * layers * ctx * heads * head
    assert f.attention == 3 * (2 * kaplan_forward + 3 * heads * ctx * layers)
    # for the standard shape the context term over 2N is n_ctx / (12 d_model) (Kaplan et al., Sec. 2.1)
    assert kaplan_forward / (f.weights / 3) == pytest.approx(ctx / (12 * 768))


def test_embeddings_count_the_input_and_the_logits():
    f = compute.transformer_flops(n_layers=2, d_model=64, n_heads=2, d_head=32, d_ff=256, context_length=16,
                                  vocab_size=1000)
    assert f.embeddings == 3 * (2 * 1000 * 64 + 2 * 64 * 1000)


def test_hoffmann_table_a4_ratios_reproduced():
    # Hoffmann et al. 2022, Table A4: detailed FLOPs over 6ND for six models, N from Table A9 (rounded to
    # 1M parameters), ratios to two decimals; the layers' count (attention included) reproduces them
    table = data.load_table("transformer_shapes").where("family", "Chinchilla study")
    assert len(table) == 6
    for row in table.rows:
        n = row["params"]
        f = compute.transformer_flops(**_shape(row))
        ratio = (f.weights + f.attention) / (6 * n)
        published = row["flop_ratio"]
        assert ratio == pytest.approx(published, abs=0.005 + published * 0.5e6 / n), row["model"]
        # with the embedding and logit products as well the smallest models would be far above 1.1
        if n < 1e8:
            assert f.total / (6 * n) > 1.4


def test_six_n_d_within_ten_percent_of_the_detailed_count_for_hoffmanns_models():
    table = data.load_table("transformer_shapes").where("family", "Chinchilla study")
    ratios = table["flop_ratio"]
    assert ratios.min() >= 0.99 and ratios.max() <= 1.10


@pytest.mark.parametrize("name", ["n_layers", "d_model", "n_heads", "d_head", "d_ff", "context_length",
                                  "vocab_size"])
def test_transformer_flops_rejects_bad_shapes(name):
    shape = dict(n_layers=2, d_model=64, n_heads=2, d_head=32, d_ff=256, context_length=16, vocab_size=100)
    with pytest.raises(ValueError, match=name):
        compute.transformer_flops(**dict(shape, **{name: 0}))
    with pytest.raises(ValueError, match=name):
        compute.transformer_flops(**dict(shape, **{name: 2.5}))

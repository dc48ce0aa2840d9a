"""Observational scaling laws on Ruan et al.'s table: loading, PCA imputation, sigmoids, families."""

import numpy as np
import pytest

from scaling_lib import observational as ob


@pytest.fixture(scope="module")
def table():
    return ob.load_benchmarks()


def test_table_is_the_published_one(table):
    # The authors' table: 148 base models, eight benchmarks (data/README.md).
    assert len(table) == 148
    assert table.benchmarks == ob.BENCHMARKS
    assert len(set(table.families)) == 47
    # Llama-2-7B: 7B parameters, 2T tokens, 84e21 FLOPs, which is 6ND
    i = list(table.models).index("meta-llama/Llama-2-7b-hf")
    assert table.n_params[i] == 7e9 and table.n_tokens[i] == 2e12
    assert table.flops[i] == pytest.approx(6 * 7e9 * 2e12)
    have = np.isfinite(table.flops)
    assert np.allclose(table.flops[have], 6 * table.n_params[have] * table.n_tokens[have], rtol=1e-6)
    assert np.isfinite(table.emergent).any(axis=1).sum() == 84


def test_pca_imputation_recovers_a_low_rank_table():
    rng = np.random.default_rng(0)
    truth = rng.normal(size=(60, 2)) @ rng.normal(size=(2, 6)) + 0.5
    holes = truth.copy()
    holes[rng.random(truth.shape) < 0.1] = np.nan
    result = ob.pca_impute(holes, 2)
    missing = np.isnan(holes)
    assert np.max(np.abs(result.filled[missing] - truth[missing])) < 1e-6
    assert result.explained.sum() == pytest.approx(1.0, abs=1e-9)
    # capabilities are the projections of the filled table
    assert np.allclose(result.project(result.filled), result.capabilities)


def test_first_component_is_a_general_capability(table):
    pca = ob.pca_impute(table.scores, 3)
    assert pca.explained[0] > 0.6  # one dominant direction
    assert np.all(pca.components[0] > 0)  # every benchmark loads positively on it
    assert np.all(np.diff(pca.explained) < 0)


def test_sigmoid_fit_recovers_its_parameters():
    x = np.linspace(-3, 3, 80)
    y = 0.25 + 0.75 / (1 + np.exp(-(2.0 * x - 1.0)))
    fit = ob.fit_sigmoid(x, y)
    assert fit.floor == pytest.approx(0.25, abs=1e-6)
    assert fit.slope == pytest.approx(2.0, rel=1e-6)
    assert fit.midpoint == pytest.approx(0.5, rel=1e-6)
    fixed = ob.fit_sigmoid(x, y, floor=0.25)
    assert fixed.rms < 1e-9
    two = ob.fit_sigmoid(np.column_stack([x, x[::-1] * 0 + np.cos(x)]), y)
    assert two.rms < 1e-3


def test_family_lines_recover_shared_slope_and_offsets():
    flops = np.array([1e20, 1e21, 1e22, 1e20, 1e21, 1e23])
    fams = np.array(["a", "a", "a", "b", "b", "b"])
    cap = 0.5 * np.log10(flops / 1e21) + np.where(fams == "a", 1.0, -0.5)
    lines = ob.fit_family_lines(flops, cap, fams)
    assert lines.slope == pytest.approx(0.5)
    assert lines.offset == pytest.approx({"a": 1.0, "b": -0.5})
    assert lines.flops_equivalent("b", "a") == pytest.approx(10 ** 3)
    with pytest.raises(ValueError, match="slope"):
        ob.fit_family_lines([1e20, 1e21], [0.0, 1.0], ["a", "b"])


def test_family_lines_report_themselves():
    # exact lines: slope 0.5 per decade, offsets a = 1, b = -0.5, no residual
    flops = np.array([1e20, 1e21, 1e22, 1e20, 1e21, 1e23])
    fams = np.array(["a", "a", "a", "b", "b", "b"])
    cap = 0.5 * np.log10(flops / 1e21) + np.where(fams == "a", 1.0, -0.5)
    lines = ob.fit_family_lines(flops, cap, fams)
    text = lines.report()
    assert str(lines) == text
    assert text.splitlines()[0].startswith("Family lines: capability = slope log10(C / 1e21 FLOPs)")
    rows = {line.split("  ")[1].strip(): line.split()[-1] for line in text.splitlines()[1:6] if "  " in line}
    assert rows["slope per decade of FLOPs"] == "0.5"  # .4g, as every report prints
    assert float(rows["residual RMS"]) < 1e-12
    assert rows["models"] == "6" and rows["families"] == "2"
    assert "highest offset (most capability per FLOP): a, 1;" in text and "lowest: b, -0.5" in text
    html = lines._repr_html_()
    assert html.startswith("<table><caption>Family lines") and "<td>0.5</td>" in html


def test_forecast_reports_errors_on_held_out_models_only(table):
    pca = ob.pca_impute(np.delete(table.scores, 0, axis=1), 3)  # without MMLU itself
    have = np.isfinite(table.flops)
    cut = np.nanpercentile(table.flops, 75)
    result = ob.forecast(pca.capabilities, table.score("MMLU"), have & (table.flops < cut), have & (table.flops >= cut))
    assert result.observed.size == (have & (table.flops >= cut)).sum()
    assert 0 <= result.mae <= result.rmse <= result.max_error
    with pytest.raises(ValueError, match="share"):
        ob.forecast(pca.capabilities, table.score("MMLU"), have, have)


def test_loader_rejects_bad_arguments():
    with pytest.raises(ValueError, match="benchmark"):
        ob.load_benchmarks().score("BoolQ")
    with pytest.raises(ValueError, match="name"):
        ob.load_benchmarks("no_such_table")

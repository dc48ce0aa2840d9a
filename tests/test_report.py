"""scaling_lib._report: published laws list their constants as the papers print them."""

import pytest

from scaling_lib import distillation, moe, precision


def _values(text):
    rows = [line.split(None, 1) for line in text.splitlines()[2:] if not line.strip().startswith("source")]
    return {name: value for name, value in rows}


@pytest.mark.parametrize("law, published", [
    # Krajewski et al. 2024, Table 1 (E = 64): a 18.1, alpha 0.115, b 30.8, beta 0.147, g 2.1, gamma 0.58, c 0.47
    (moe.KRAJEWSKI_2024_MOE, {"a": "18.1", "alpha": "0.115", "b": "30.8", "beta": "0.147", "g": "2.1",
                              "gamma": "0.58", "c": "0.47"}),
    # Kumar et al. 2024, App. K, Table 2
    (precision.KUMAR_2024, {"A": "4299", "alpha": "0.4965", "B": "18060", "E": "2.7648", "C_T": "0.0598"}),
    # Busbridge et al. 2025, App. F.3, Table 6
    (distillation.BUSBRIDGE_2025, {"c0": "2.549", "c1": "522.6", "f1": "0.09", "d1": "1.315"}),
])
def test_published_constants_report_as_published(law, published):
    text = law.report()
    values = _values(text)
    for name, value in published.items():
        assert values[name] == value
    assert f"source: {law.source}" in text
    assert str(law) == text and "<table>" in law._repr_html_()


def test_tables_of_constants_list_every_entry():
    values = _values(precision.KUMAR_2024.report())
    assert values["gamma"] == "weights 2.6745, activations 2.2102, kv_cache 0.9578"

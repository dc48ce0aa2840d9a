"""The published runs in data/: counts as published, and clear errors on malformed files."""

from __future__ import annotations

import csv
import shutil

import numpy as np
import pytest

from scaling_lib import data, published_runs

TABLES = ("chinchilla_extracted", "porian2024_isoflop_runs", "porian2024_published_exponents",
          "muennighoff2023_runs")


def test_the_tables_hold_the_published_counts():
    # Besiroglu et al. (2024): 245 points; Porian et al. (2024): 1,745 points over 15 configurations
    # (shared/data README: 3 rows with missing values removed); Muennighoff et al. (2023, App. A): 182 runs
    chinchilla = published_runs.load_chinchilla_extracted()
    assert len(chinchilla) == 245
    assert len(chinchilla.without_highest_losses(5)) == 240
    porian = published_runs.load_porian_runs()
    assert len(porian) == 1745 and len(porian.configurations) == 15
    assert set(published_runs.load_porian_exponents()) == set(porian.configurations)
    assert len(published_runs.load_muennighoff_runs()) == 182


def test_chinchilla_runs_span_the_papers_range():
    # Hoffmann et al. (2022): models from about 70 million to over 16 billion parameters
    runs = published_runs.load_chinchilla_extracted()
    assert 5e7 < runs.n_params.min() < 1e8 and 1.6e10 < runs.n_params.max() < 1.7e10
    np.testing.assert_allclose(6 * runs.n_params * runs.n_tokens, runs.flops, rtol=1e-12)


def test_dropping_the_highest_losses_drops_exactly_those():
    runs = published_runs.load_chinchilla_extracted()
    kept = runs.without_highest_losses(5)
    assert kept.loss.max() <= np.sort(runs.loss)[-6]
    with pytest.raises(ValueError, match="count"):
        runs.without_highest_losses(-1)


def test_configuration_filter():
    runs = published_runs.load_porian_runs()
    config = ("rw", "base", "long", "kaplan", "standard", "val")
    sub = runs.configuration(config)
    assert len(sub) == 131 and set(sub.dataset) == {"rw"}
    with pytest.raises(ValueError, match="configuration must be one of"):
        runs.configuration(("rw", "base", "long", "kaplan", "standard", "test"))
    with pytest.raises(ValueError, match="configuration must be a tuple"):
        runs.configuration("rw")


def test_muennighoff_epochs():
    runs = published_runs.load_muennighoff_runs()
    # one to several hundred epochs and more (App. A: "epochs ranging from 1 to 500"; the tiny runs go further)
    assert runs.epochs.min() == pytest.approx(1.0) and runs.epochs.max() >= 500


# ---- malformed files ----------------------------------------------------------------------

@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of the four tables in a temporary folder the loaders read; returns a function that
    rewrites one of them through an edit of its rows."""
    for name in TABLES:
        shutil.copy(data.data_dir() / f"{name}.csv", tmp_path / f"{name}.csv")
    shutil.copy(data.data_dir() / "README.md", tmp_path / "README.md")  # it types the columns
    monkeypatch.setenv("SCALING_BOOK_DATA", str(tmp_path))

    def edit(name, change_rows=None, drop_column=None):
        path = tmp_path / f"{name}.csv"
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        columns = [c for c in rows[0] if c != drop_column]
        if change_rows:
            change_rows(rows)
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        return path
    return edit


LOADERS = {
    "chinchilla_extracted": published_runs.load_chinchilla_extracted,
    "porian2024_isoflop_runs": published_runs.load_porian_runs,
    "porian2024_published_exponents": published_runs.load_porian_exponents,
    "muennighoff2023_runs": published_runs.load_muennighoff_runs,
}
COLUMN = {"chinchilla_extracted": "n_params", "porian2024_isoflop_runs": "n_tokens",
          "porian2024_published_exponents": "a", "muennighoff2023_runs": "unique_tokens"}


@pytest.mark.parametrize("name", TABLES)
def test_missing_column_names_file_and_column(data_copy, name):
    path = data_copy(name, drop_column=COLUMN[name])
    with pytest.raises(ValueError, match=rf"{path.name}.*missing column.*{COLUMN[name]}"):
        LOADERS[name]()


@pytest.mark.parametrize("name", TABLES)
def test_nan_row_names_file_and_column(data_copy, name):
    def blank(rows):
        rows[3][COLUMN[name]] = ""
    path = data_copy(name, blank)
    with pytest.raises(ValueError, match=rf"{path.name}.*'{COLUMN[name]}'.*row 4"):
        LOADERS[name]()


@pytest.mark.parametrize("name", TABLES)
def test_text_in_a_number_column(data_copy, name):
    def garble(rows):
        rows[0][COLUMN[name]] = "n/a"
    path = data_copy(name, garble)
    with pytest.raises(ValueError, match=rf"{path.name}.*'{COLUMN[name]}'.*not a number"):
        LOADERS[name]()


@pytest.mark.parametrize("name, column", [("porian2024_isoflop_runs", "n_tokens"),
                                          ("muennighoff2023_runs", "n_tokens"),
                                          ("chinchilla_extracted", "n_params")])
def test_counts_in_billions_are_rejected(data_copy, name, column):
    def in_billions(rows):
        for row in rows:
            row[column] = str(float(row[column]) / 1e9)
    path = data_copy(name, in_billions)
    with pytest.raises(ValueError, match=rf"{path.name}.*'{column}'.*not millions or billions"):
        LOADERS[name]()


def test_flops_that_do_not_match_6nd(data_copy):
    def double(rows):
        rows[10]["flops"] = str(2 * float(rows[10]["flops"]))
    data_copy("porian2024_isoflop_runs", double)
    with pytest.raises(ValueError, match=r"porian2024_isoflop_runs.csv.*row 11.*6 \* n_params \* n_tokens"):
        published_runs.load_porian_runs()


def test_more_unique_tokens_than_seen(data_copy):
    def swap(rows):
        rows[0]["unique_tokens"], rows[0]["n_tokens"] = rows[0]["n_tokens"], rows[0]["unique_tokens"]
    data_copy("muennighoff2023_runs", swap)
    with pytest.raises(ValueError, match="more unique tokens than tokens seen"):
        published_runs.load_muennighoff_runs()


def test_loss_in_the_wrong_unit(data_copy):
    def percent(rows):
        rows[2]["loss"] = "250"
    data_copy("chinchilla_extracted", percent)
    with pytest.raises(ValueError, match=r"chinchilla_extracted.csv.*'loss'.*nats per token"):
        published_runs.load_chinchilla_extracted()


def test_empty_source_is_rejected(data_copy):
    def unsourced(rows):
        rows[5]["source"] = " "
    data_copy("muennighoff2023_runs", unsourced)
    with pytest.raises(ValueError, match=r"muennighoff2023_runs.csv.*'source' is empty"):
        published_runs.load_muennighoff_runs()

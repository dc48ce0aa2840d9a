"""data/: every table names its source on every row; loading errors are clear."""

import csv

import pytest

from scaling_lib import data

SOURCE_COLUMNS = ("source", "sources", "reference", "citation")


def _tables():
    return sorted(data.data_dir().glob("*.csv"))


@pytest.mark.parametrize("path", _tables(), ids=lambda p: p.name)
def test_every_row_has_a_source(path):
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows, f"{path.name} is empty"
    column = next((c for c in SOURCE_COLUMNS if c in rows[0]), None)
    assert column, f"{path.name} has no source column"
    missing = [i for i, row in enumerate(rows) if not (row[column] or "").strip()]
    assert not missing, f"{path.name}: rows {missing[:5]} name no source"


def test_unknown_table_lists_the_available_ones():
    with pytest.raises(ValueError, match="name must be one of"):
        data.load_table("no_such_table")


def test_bad_data_dir_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("SCALING_BOOK_DATA", str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="SCALING_BOOK_DATA"):
        data.data_dir()


def test_table_columns(tmp_path, monkeypatch):
    (tmp_path / "t.csv").write_text("name,value,source\na,1.5,paper\nb,2,paper\n")
    monkeypatch.setenv("SCALING_BOOK_DATA", str(tmp_path))
    table = data.load_table("t")
    assert len(table) == 2 and table.columns == ("name", "value", "source")
    assert table["value"].tolist() == [1.5, 2.0]
    assert table["name"].tolist() == ["a", "b"]
    assert len(table.where("name", "b")) == 1
    with pytest.raises(ValueError, match="column"):
        table["nope"]

"""data/: every table names its source on every row and has a unit for every column; loading is
typed and strict, and its errors name the file and the column."""

import csv

import numpy as np
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


README = """# data/

## t.csv

| column | unit | meaning |
|---|---|---|
| `name` | text | a name |
| `value` | FLOPs | a number |
| `source` | text | where from |
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "README.md").write_text(README)
    monkeypatch.setenv("SCALING_BOOK_DATA", str(tmp_path))
    return tmp_path


def test_table_columns_are_typed(folder):
    (folder / "t.csv").write_text("name,value,source\na,1.5,paper\nb,2,paper\nc,,paper\n")
    table = data.load_table("t")
    assert len(table) == 3 and table.columns == ("name", "value", "source")
    assert table["value"].dtype == float and table["value"][:2].tolist() == [1.5, 2.0]
    assert np.isnan(table["value"][2])  # an empty cell is a missing number
    assert table["name"].tolist() == ["a", "b", "c"]
    assert table.rows[0] == {"name": "a", "value": 1.5, "source": "paper"}
    assert table.units == {"name": "text", "value": "FLOPs", "source": "text"}
    assert len(table.where("name", "b")) == 1
    assert len(table.where("value", 2)) == len(table.where("value", "2.0")) == 1  # compared as numbers
    with pytest.raises(ValueError, match="column"):
        table["nope"]
    with pytest.raises(ValueError, match="number"):
        table.where("value", "two")


@pytest.mark.parametrize("text, message", [
    ("name,source\na,paper\n", r"t\.csv: missing column.*\['value'\]"),         # a described column is absent
    ("name,value,source,extra\na,1,paper,x\n", r"t\.csv: .*\['extra'\].* no unit"),  # a column nobody described
    ("name,value,source\na,1e3,paper\nb,lots,paper\n", r"t\.csv, line 3: column 'value' holds numbers, and 'lots' is not a number"),
    ("name,value,source\na,inf,paper\n", r"t\.csv, line 2: column 'value' must hold finite numbers"),
    ("name,value,source\na,1,paper,surplus\n", r"t\.csv, line 2: 4 cells for 3 columns"),
])
def test_malformed_file_names_the_file_and_the_column(folder, text, message):
    (folder / "t.csv").write_text(text)
    with pytest.raises(ValueError, match=message):
        data.load_table("t")


def test_a_table_the_readme_does_not_describe_does_not_load(folder):
    (folder / "u.csv").write_text("name,source\na,paper\n")
    with pytest.raises(ValueError, match=r"README\.md has no table of columns for u\.csv"):
        data.load_table("u")
    (folder / "README.md").unlink()
    with pytest.raises(ValueError, match=r"README\.md is missing"):
        data.load_table("u")


@pytest.mark.parametrize("path", _tables(), ids=lambda p: p.name)
def test_every_table_loads_with_a_unit_for_every_column(path):
    table = data.load_table(path.stem)
    assert all(unit.strip() for unit in table.units.values())
    for column in table.columns:
        if table.numeric(column):
            assert table[column].dtype == float
        else:  # a text column of numbers would be a numeric column described as text
            cells = [row[column] for row in table.rows if row[column] != ""]
            assert not cells or not all(_is_number(c) for c in cells), f"{path.name}: {column} is all numbers"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_accelerators_are_read_from_their_table():
    table = data.load_table("accelerators")
    chips = data.accelerators()
    assert list(chips) == table["name"].tolist()
    h100 = chips["NVIDIA H100 SXM"]
    assert h100.peak_flops_per_second == 989e12 and h100.max_power_watts == 700.0  # NVIDIA's datasheet

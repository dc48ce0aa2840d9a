"""The book's tables in ``data/``: find them and load them as small typed tables.

Every published row carries its source in a ``source`` column; tables the book makes itself name
the script that wrote them. ``data/README.md`` describes every column of every table, with its unit:
the loader reads that description, so a numeric column loads as numbers (and a table whose file
and description disagree does not load at all).
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from . import _checks

#: The unit that marks a column of text in ``data/README.md``; any other unit makes it numeric.
TEXT = "text"


def data_dir() -> Path:
    """The folder holding the book's tables.

    Looked up in order: the ``SCALING_BOOK_DATA`` environment variable; ``data/`` beside the
    package in a checkout of the repository; a copy bundled inside an installed wheel.
    """
    env = os.environ.get("SCALING_BOOK_DATA")
    if env:
        path = Path(env)
        if not path.is_dir():
            raise ValueError(f"SCALING_BOOK_DATA must name a folder; {path} is not one")
        return path
    checkout = Path(__file__).resolve().parent.parent / "data"
    if checkout.is_dir():
        return checkout
    bundled = resources.files("scaling_lib") / "_data"
    if bundled.is_dir():
        return Path(str(bundled))
    raise ValueError("cannot find the book's data/ folder: set SCALING_BOOK_DATA to its path")


@dataclass(frozen=True)
class Table:
    """A small typed table, loaded by :func:`load_table`.

    ``table["column"]`` is a numpy array: float64 for a numeric column (NaN where a cell is empty),
    str for a text column. ``table.rows`` holds the rows as dictionaries of the same values (Python
    floats and strings); ``table.units[column]`` is the column's unit as ``data/README.md`` states
    it (``"text"`` for text); ``len(table)`` is the number of rows.
    """

    name: str
    columns: tuple
    rows: tuple
    units: dict

    def __len__(self) -> int:
        return len(self.rows)

    def numeric(self, column: str) -> bool:
        """Whether ``column`` holds numbers."""
        _checks.choice(column, "column", self.columns)
        return self.units[column] != TEXT

    def __getitem__(self, column: str) -> np.ndarray:
        numeric = self.numeric(column)
        values = [row[column] for row in self.rows]
        return np.array(values, dtype=float) if numeric else np.array(values, dtype=str)

    def where(self, column: str, value) -> "Table":
        """The rows whose ``column`` equals ``value``: compared as numbers in a numeric column (so
        ``5.76e23`` and ``"5.76e23"`` both match), as text otherwise."""
        if self.numeric(column):
            try:
                target = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"value must be a number to compare with the numeric column {column!r}; "
                                 f"got {value!r}") from None
            keep = tuple(r for r in self.rows if r[column] == target)
        else:
            keep = tuple(r for r in self.rows if r[column] == str(value))
        return Table(self.name, self.columns, keep, self.units)


def _resolve(name: str, suffix: str) -> Path:
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a table name such as 'notable_models'; got {name!r}")
    path = data_dir() / (name if name.endswith(suffix) else name + suffix)
    if not path.is_file():
        available = sorted(p.stem for p in data_dir().glob("*" + suffix))
        raise ValueError(f"name must be one of the tables in data/ {available}; got {name!r}")
    return path


_HEADING = re.compile(r"^#{2,4}\s+`?([\w.-]+\.csv)`?\s*$")


def _cells(line: str) -> list:
    return [cell.strip().strip("`").strip() for cell in line.strip().strip("|").split("|")]


@lru_cache(maxsize=8)
def _described(readme: str, mtime_ns: int) -> dict:
    """``{file name: {column: unit}}`` from the column tables of ``data/README.md``."""
    tables, current, in_table = {}, None, False
    for line in Path(readme).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):  # a heading starts a table's section, or ends one
            heading = _HEADING.match(line)
            current, in_table = (heading.group(1) if heading else None), False
            continue
        if current is None:
            continue
        if line.lstrip().startswith("|"):
            cells = _cells(line)
            if not in_table:
                in_table = cells[:2] == ["column", "unit"]
                if in_table:
                    tables[current] = {}
            elif not set(line.strip()) <= set("|-: "):
                tables[current][cells[0]] = cells[1]
        elif in_table:
            current, in_table = None, False
    return tables


def describe(name: str) -> dict:
    """The columns of ``data/<name>.csv`` as ``data/README.md`` describes them: ``{column: unit}``,
    the unit ``"text"`` for a column of text."""
    path = _resolve(name, ".csv")
    readme = path.parent / "README.md"
    if not readme.is_file():
        raise ValueError(f"{readme} is missing: it describes the columns of every table in {path.parent}")
    columns = _described(str(readme), readme.stat().st_mtime_ns).get(path.name)
    if columns is None:
        raise ValueError(f"{readme} has no table of columns for {path.name}: add a section "
                         f"'## {path.name}' with a table | column | unit | meaning |")
    return dict(columns)


def _number(text: str, path: Path, column: str, line: int) -> float:
    if text.strip() == "":
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{path.name}, line {line}: column {column!r} holds numbers, and {text!r} is not "
                         f"a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{path.name}, line {line}: column {column!r} must hold finite numbers (leave "
                         f"the cell empty for a missing value); got {text!r}")
    return value


def load_table(name: str) -> Table:
    """Load ``data/<name>.csv`` as a :class:`Table`, its columns typed as ``data/README.md`` states.

    Raises
    ------
    ValueError
        If the file and its description disagree (a described column missing from the file, a
        column with no description), a row has the wrong number of cells, or a numeric column holds
        something other than a number; the message names the file and the column.
    """
    units = describe(name)
    path = _resolve(name, ".csv")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        columns = tuple(next(reader, ()))
        raw = [(reader.line_num, row) for row in reader if row]
    missing = [c for c in units if c not in columns]
    if missing:
        raise ValueError(f"{path.name}: missing column(s) {missing}, which data/README.md describes (the "
                         f"file has {list(columns)})")
    undescribed = [c for c in columns if c not in units]
    if undescribed:
        raise ValueError(f"{path.name}: column(s) {undescribed} have no unit in data/README.md")
    numeric = {c for c in columns if units[c] != TEXT}
    rows = []
    for line, cells in raw:
        if len(cells) != len(columns):
            raise ValueError(f"{path.name}, line {line}: {len(cells)} cells for {len(columns)} columns")
        rows.append({c: _number(v, path, c, line) if c in numeric else v for c, v in zip(columns, cells)})
    return Table(path.stem, columns, tuple(rows), {c: units[c] for c in columns})


def load_json(name: str):
    """Load ``data/<name>.json``."""
    return json.loads(_resolve(name, ".json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Accelerator:
    """One row of ``data/accelerators.csv``: an accelerator as its maker's datasheet states it.

    Attributes: ``name``; ``number_format`` (the format the peak is quoted in);
    ``peak_flops_per_second`` (peak dense throughput, FLOP/s); ``memory_gb`` (GB);
    ``max_power_watts`` (maximum board power, W); ``citation`` (a key of ``references.bib``);
    ``source``.
    """

    name: str
    number_format: str
    peak_flops_per_second: float
    memory_gb: float
    max_power_watts: float
    citation: str
    source: str


def accelerators() -> dict:
    """The accelerators of ``data/accelerators.csv`` by name, in the table's order:
    ``{name: Accelerator}``. Used by the explorers of the chapters ``chinchilla`` and ``limitations``."""
    fields = Accelerator.__dataclass_fields__
    return {row["name"]: Accelerator(**{k: row[k] for k in fields}) for row in load_table("accelerators").rows}

"""The book's tables in ``data/``: find them and load them as small column tables.

Every published row carries its source in a ``source`` column; tables the book makes itself name
the script that wrote them.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from . import _checks


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
    """A small table: ``table["column"]`` is a numpy array (float if every entry is a number, else
    str); ``table.rows`` the rows as dictionaries of strings; ``len(table)`` the number of rows."""

    name: str
    columns: tuple
    rows: tuple

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, column: str) -> np.ndarray:
        _checks.choice(column, "column", self.columns)
        values = [row[column] for row in self.rows]
        try:
            return np.array([float(v) if v != "" else np.nan for v in values])
        except ValueError:
            return np.array(values, dtype=str)

    def where(self, column: str, value: str) -> "Table":
        """The rows whose ``column`` equals ``value`` (compared as text)."""
        _checks.choice(column, "column", self.columns)
        return Table(self.name, self.columns, tuple(r for r in self.rows if r[column] == str(value)))


def _resolve(name: str, suffix: str) -> Path:
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a table name such as 'notable_models'; got {name!r}")
    path = data_dir() / (name if name.endswith(suffix) else name + suffix)
    if not path.is_file():
        available = sorted(p.stem for p in data_dir().glob("*" + suffix))
        raise ValueError(f"name must be one of the tables in data/ {available}; got {name!r}")
    return path


def load_table(name: str) -> Table:
    """Load ``data/<name>.csv`` as a :class:`Table`."""
    path = _resolve(name, ".csv")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = tuple(dict(r) for r in reader)
        columns = tuple(reader.fieldnames or ())
    return Table(path.stem, columns, rows)


def load_json(name: str):
    """Load ``data/<name>.json``."""
    return json.loads(_resolve(name, ".json").read_text(encoding="utf-8"))

"""How the book records a published number: the value with the paper and the place it comes from."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where a published value comes from: ``citation`` is a key of ``references.bib``; ``where``
    names the table, figure, equation or section."""

    citation: str
    where: str

    def __post_init__(self):
        from . import _checks

        _checks.text(self.citation, "citation", empty=False)
        _checks.text(self.where, "where")

    def __str__(self) -> str:
        return f"{self.citation}, {self.where}"

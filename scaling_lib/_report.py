"""How scaling_lib's fit results report themselves: a plain-text report and a small HTML table.

Every number is printed to 4 significant digits (``format(value, ".4g")``), intervals as
``low to high``; a result's ``report()`` documents what it lists.
"""

from __future__ import annotations

import dataclasses
import html
import numbers
from dataclasses import dataclass


def number(value) -> str:
    """A number as the reports print it: 4 significant digits (``.4g``)."""
    return format(float(value), ".4g")


def interval(bounds) -> str:
    """An interval ``(low, high)`` as the reports print it: ``low to high``, each to ``.4g``."""
    low, high = bounds
    return f"{number(low)} to {number(high)}"


@dataclass(frozen=True)
class Report:
    """A titled table of named values (columns ``header``, rows of strings) and lines of notes."""

    title: str
    header: tuple
    rows: tuple
    notes: tuple = ()

    def text(self) -> str:
        table = [self.header] + [tuple(r) for r in self.rows]
        widths = [max(len(r[i]) for r in table) for i in range(len(self.header))]
        lines = [self.title]
        lines += ["  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in table]
        lines += ["  " + note for note in self.notes]
        return "\n".join(lines)

    def html(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{esc(h)}</th>" for h in self.header)
        body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in self.rows)
        foot = "".join(f'<tr><td colspan="{len(self.header)}">{esc(n)}</td></tr>' for n in self.notes)
        return (f"<table><caption>{esc(self.title)}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody><tfoot>{foot}</tfoot></table>")


class SelfReporting:
    """What every result that reports itself shares: ``str(result)`` is its ``report()``, and a
    notebook shows its summary as a small HTML table. A subclass defines ``_summary(level) -> Report``
    and ``report`` (documenting what it lists)."""

    def _repr_html_(self) -> str:
        return self._summary().html()

    def __str__(self) -> str:
        return self.report()


class PublishedConstants(SelfReporting):
    """A published law's record (a frozen dataclass) that reports its constants: every number, and
    every table of numbers, among its fields by name, as published (``format(value, "g")``, six
    significant digits, not the fits' four), and its ``source``. The law's ``name`` titles the report,
    or else the first clause of its class's docstring."""

    def _summary(self) -> Report:
        def is_number(v):
            return isinstance(v, numbers.Real) and not isinstance(v, bool)

        rows = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if is_number(value):
                rows.append((f.name, format(value, "g")))
            elif isinstance(value, dict) and value and all(is_number(v) for v in value.values()):
                rows.append((f.name, ", ".join(f"{k} {v:g}" for k, v in value.items())))
        source = getattr(self, "source", None)
        title = getattr(self, "name", "") or (type(self).__doc__ or type(self).__name__).split(";")[0].split("\n")[0]
        return Report(title.rstrip(".:"), ("constant", "value"), tuple(rows),
                      () if source is None else (f"source: {source}",))

    def report(self) -> str:
        """A plain-text list of the law's constants, as published, and its source."""
        return self._summary().text()

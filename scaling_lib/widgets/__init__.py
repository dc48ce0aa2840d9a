"""Explorers: live figures driven by controls, declared so tests can drive them without a kernel.

An :class:`Explorer` is a plain callback (control values in, a ``Figure`` and optionally a line of
text out) plus a declaration of its controls. :meth:`Explorer.show` wires it to ipywidgets; the tests
call :meth:`Explorer.render` over every control's range with no kernel at all.

Each chapter's explorers live in a module of this package that lists their factory functions in
``EXPLORERS``; :func:`all_explorers` collects them for the tests and the benchmark.
"""

from __future__ import annotations

import base64
import html
import importlib
import os
import pkgutil
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from .. import _checks

#: Set by the book build: the explorer then says that on the static page its output cannot change.
STATIC_BUILD_ENV = "SCALING_BOOK_BUILD"

STATIC_NOTE = (
    "<b>This is a picture of the explorer.</b> On the web page the controls move but the figure "
    "keeps its first state, because no Python is running. To make it live, use <em>Run this chapter "
    "live</em> under the chapter's title: in your browser (nothing to install), on Binder or on Colab."
)


@dataclass(frozen=True)
class Slider:
    """A numeric control from ``min`` to ``max`` (logarithmic steps when ``log``)."""

    description: str
    min: float
    max: float
    value: float
    step: float | None = None
    log: bool = False
    integer: bool = False
    readout_format: str = ".3g"

    def __post_init__(self):
        _checks.text(self.description, "description")
        for name in ("min", "max", "value"):
            _checks.scalar(getattr(self, name), name)
        if self.step is not None:
            _checks.scalar(self.step, "step", positive=True)
        _checks.flag(self.log, "log")
        _checks.flag(self.integer, "integer")
        _checks.text(self.readout_format, "readout_format")
        if not self.min < self.max:
            raise ValueError(f"Slider {self.description!r}: min must be < max")
        if not self.min <= self.value <= self.max:
            raise ValueError(f"Slider {self.description!r}: value must lie in [min, max]")
        if self.log and self.min <= 0:
            raise ValueError(f"Slider {self.description!r}: a log slider needs min > 0")

    def sweep(self) -> tuple:
        """The values a sweep tries: both ends, the middle and the default."""
        mid = np.sqrt(self.min * self.max) if self.log else (self.min + self.max) / 2
        values = [self.min, mid, self.value, self.max]
        if self.integer:
            values = [int(round(v)) for v in values]
        return tuple(dict.fromkeys(values))

    def widget(self):
        import ipywidgets as w

        common = dict(description=self.description, continuous_update=False,
                      style={"description_width": "initial"}, layout=w.Layout(width="420px"))
        if self.log:
            return w.FloatLogSlider(value=self.value, base=10, min=np.log10(self.min),
                                    max=np.log10(self.max), step=self.step or 0.05,
                                    readout_format=self.readout_format, **common)
        if self.integer:
            return w.IntSlider(value=int(self.value), min=int(self.min), max=int(self.max),
                               step=int(self.step or 1), **common)
        return w.FloatSlider(value=self.value, min=self.min, max=self.max,
                             step=self.step or (self.max - self.min) / 100,
                             readout_format=self.readout_format, **common)


@dataclass(frozen=True)
class Choice:
    """A choice among ``options``: a tuple of values, or of ``(label, value)`` pairs."""

    description: str
    options: tuple
    value: object

    def _values(self):
        return [o[1] if isinstance(o, tuple) else o for o in self.options]

    def __post_init__(self):
        _checks.text(self.description, "description")
        if not isinstance(self.options, tuple) or not self.options:
            raise _checks.ArgumentTypeError(f"options must be a non-empty tuple of values or (label, value) "
                                            f"pairs; got {_checks._describe(self.options)}")
        _checks.choice(self.value, "value", self._values())

    def sweep(self) -> tuple:
        return tuple(self._values())

    def widget(self):
        import ipywidgets as w

        return w.Dropdown(options=list(self.options), value=self.value, description=self.description,
                          style={"description_width": "initial"})


@dataclass(frozen=True)
class Toggle:
    """An on/off control."""

    description: str
    value: bool = False

    def __post_init__(self):
        _checks.text(self.description, "description")
        _checks.flag(self.value, "value")

    def sweep(self) -> tuple:
        return (False, True)

    def widget(self):
        import ipywidgets as w

        return w.Checkbox(value=self.value, description=self.description, indent=False)


@dataclass(frozen=True)
class View:
    """What an explorer shows for one setting of its controls: a PNG figure and a line of text."""

    png: bytes
    text: str
    alt: str

    def __post_init__(self):
        _checks.instance(self.png, "png", bytes, "the PNG image as bytes")
        _checks.text(self.text, "text")
        _checks.text(self.alt, "alt", empty=False)

    def html(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        body = f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}" style="max-width:100%">'
        if self.text:
            body += f'<p class="explorer-readout" style="font-family:monospace">{html.escape(self.text)}</p>'
        return body


@dataclass(frozen=True)
class Explorer:
    """A live figure: ``callback(**values)`` returns a ``Figure`` or ``(Figure, text)``.

    ``alt`` describes the figure for readers who cannot see it.
    """

    name: str
    callback: Callable
    controls: Mapping[str, object]
    alt: str

    def __post_init__(self):
        _checks.text(self.name, "name", empty=False)
        if not callable(self.callback):
            raise _checks.ArgumentTypeError(f"callback must be a function of the controls; got {self.callback!r}")
        if not isinstance(self.controls, Mapping) or not all(
                isinstance(c, (Slider, Choice, Toggle)) for c in self.controls.values()):
            raise _checks.ArgumentTypeError(f"controls must map names to Slider, Choice or Toggle; got "
                                            f"{_checks._describe(self.controls)}")
        _checks.text(self.alt, "alt", empty=False)

    def defaults(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def render(self, **values) -> View:
        """Run the callback with the defaults updated by ``values`` and render its figure."""
        from ..plotting import to_png

        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"values must name controls of {self.name} {sorted(self.controls)}; got {sorted(unknown)}")
        settings = {**self.defaults(), **values}
        out = self.callback(**settings)
        fig, text = out if isinstance(out, tuple) else (out, "")
        return View(png=to_png(fig), text=str(text), alt=self.alt)

    def sweep_points(self):
        """Settings to try: each control over its sweep with the others at default, plus the
        corners where every control sits at its first or its last sweep value."""
        base = self.defaults()
        seen = []
        for name, control in self.controls.items():
            for v in control.sweep():
                point = {**base, name: v}
                if point not in seen:
                    seen.append(point)
        names = list(self.controls)
        for pick in (0, -1):
            point = {n: self.controls[n].sweep()[pick] for n in names}
            if point not in seen:
                seen.append(point)
        return seen

    def show(self):
        """The explorer as ipywidgets: controls above, figure and readout below."""
        import ipywidgets as w
        from IPython.display import HTML, display

        controls = {name: c.widget() for name, c in self.controls.items()}
        output = w.Output()

        def update(_change=None):
            view = self.render(**{n: c.value for n, c in controls.items()})
            with output:
                output.clear_output(wait=True)
                display(HTML(view.html()))

        for c in controls.values():
            c.observe(update, names="value")
        update()
        children = [w.HBox(list(controls.values()), layout=w.Layout(flex_flow="row wrap")), output]
        if os.environ.get(STATIC_BUILD_ENV):
            children.insert(0, w.HTML(f'<div class="explorer-static-note" role="note">{STATIC_NOTE}</div>'))
        return w.VBox(children)


def all_explorers() -> list:
    """Every explorer of the book, from the ``EXPLORERS`` list of each module of this package."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(factory() for factory in getattr(module, "EXPLORERS", ()))
    return found


__all__ = ["Slider", "Choice", "Toggle", "View", "Explorer", "all_explorers", "STATIC_NOTE"]

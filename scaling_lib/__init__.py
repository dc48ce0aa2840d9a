"""scaling_lib: the shared code of *Scaling Laws, an executable book*.

Layers, each importing only those below it:

* ``data`` and ``published``: loading the tables in ``data/`` and the published records;
* the math, numpy and scipy only: ``power_laws``, ``compute`` and one module per chapter topic;
* ``plotting`` (matplotlib), then ``figures`` (one module per chapter), then ``widgets`` (the
  explorers, ipywidgets), then ``notebook`` (what a chapter's set-up cell calls).

``tests/test_layers.py`` checks every import against this order.

Importing the package does no work beyond defining names; import the modules you need. It
exports the two classes every module's input checks use: :class:`UnidentifiedFitWarning`, warned by
a fit whose data cannot identify its parameters, and :class:`ArgumentTypeError` (a ``TypeError``
that is also a ``ValueError``), raised for an argument of the wrong type.
"""

from ._checks import ArgumentTypeError, UnidentifiedFitWarning

__version__ = "0.1.0"
__all__ = ["ArgumentTypeError", "UnidentifiedFitWarning"]

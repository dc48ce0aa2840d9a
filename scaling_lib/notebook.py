"""What every chapter's setup cell calls: print precision, the house plot style, inline figures."""

from __future__ import annotations

import numpy as np


def setup() -> None:
    """Prepare a notebook: 4-digit printing, the house plot style, figures shown inline as PNG."""
    np.set_printoptions(precision=4, suppress=False)
    from .plotting import use_style

    use_style()
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to configure
        return
    shell = get_ipython()
    if shell is not None:
        shell.run_line_magic("matplotlib", "inline")
        shell.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
        use_style()  # %matplotlib inline resets a few rcParams

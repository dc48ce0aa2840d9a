"""The notebook layer: every chapter's set-up cell, and what it calls.

The set-up cell is written once, here (:func:`setup_cell`); ``scripts/execute_notebooks.py`` puts it
at the top of every chapter it executes, a new chapter included, and ``tests/test_notebooks.py``
checks that each chapter's first cell is exactly this text. The cell cannot simply import this
module: on Colab the notebook arrives alone, so it first makes ``scaling_lib`` importable (clones
the repository on Colab, installs the site's wheel in the browser, does nothing on Binder or in a
checkout) and only then calls :func:`setup`.
"""

from __future__ import annotations

import numpy as np

#: The tag that hides the set-up cell on the website.
SETUP_TAG = "remove-cell"

_SETUP_CELL = '''\
# Setup (hidden on the website): make scaling_lib importable wherever this notebook runs.
import importlib.util, subprocess, sys
BOOK_REPOSITORY = "{repository}"
if sys.platform == "emscripten":  # in the browser (JupyterLite): the site serves the book's wheel
    %pip install scaling_lib ipywidgets
elif importlib.util.find_spec("scaling_lib") is None:  # e.g. Colab, which gets the notebook alone
    subprocess.run(["git", "clone", "--depth=1", BOOK_REPOSITORY, "scaling-book"], check=True)
    sys.path.insert(0, "scaling-book")
from scaling_lib import notebook
notebook.setup()'''


def setup_cell(repository: str) -> str:
    """The source of every chapter's first cell, for the book's ``repository`` URL (``repository.url``
    in ``_config.yml``, which Colab clones)."""
    if not isinstance(repository, str) or not repository.startswith("https://") or '"' in repository:
        raise ValueError(f"repository must be the book's https:// URL (repository.url in _config.yml); "
                         f"got {repository!r}")
    return _SETUP_CELL.format(repository=repository)


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

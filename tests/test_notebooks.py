"""The chapters follow the book's rules: in the toc, set up by the one set-up cell (for the repository
of _config.yml), no definitions in cells, figures with alt text, widget cells tagged for nbval."""

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from scaling_lib import notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import execute_notebooks  # noqa: E402
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def _toc_files(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("file", "root"):
                yield value
            else:
                yield from _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            yield from _toc_files(item)


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _source(cell):
    return "".join(cell["source"])


def test_every_chapter_is_in_the_toc():
    toc = set(_toc_files(yaml.safe_load((ROOT / "_toc.yml").read_text())))
    for path in CHAPTERS:
        assert f"chapters/{path.stem}" in toc, f"{path.name} is not in _toc.yml"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_first_cell_is_the_books_setup_cell(path):
    # written by scripts/execute_notebooks.py from scaling_lib.notebook.setup_cell: run it on the chapter
    first = _cells(path)[0]
    assert first["cell_type"] == "code" and notebook.SETUP_TAG in first["metadata"].get("tags", [])
    assert _source(first) == notebook.setup_cell(CONFIG["repository"]["url"]), \
        f"run: python scripts/execute_notebooks.py --setup-only chapters/{path.name}"


def test_setup_cell_is_put_into_a_new_chapter_and_replaces_an_old_one():
    url = CONFIG["repository"]["url"]
    fresh = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A new chapter")])
    assert execute_notebooks.put_setup_cell(fresh)
    assert [c.cell_type for c in fresh.cells] == ["code", "markdown"]
    assert fresh.cells[0].source == notebook.setup_cell(url) and fresh.cells[0].metadata.tags == ["remove-cell"]
    assert not execute_notebooks.put_setup_cell(fresh)  # already current: nothing changes
    old = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("from scaling_lib import notebook\nnotebook.setup()")])
    assert execute_notebooks.put_setup_cell(old) and len(old.cells) == 1
    assert old.cells[0].source == notebook.setup_cell(url) and "remove-cell" in old.cells[0].metadata.tags
    assert 'BOOK_REPOSITORY = "https://' in notebook.setup_cell(url) and 'sys.platform == "emscripten"' in old.cells[0].source


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_cells_define_nothing(path):
    for i, cell in enumerate(_cells(path)):
        if cell["cell_type"] == "code":
            assert not re.search(r"^\s*(def|class)\s", _source(cell), re.M), f"cell {i} defines a function or class"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_figures_have_alt_text_and_widgets_are_tagged(path):
    for i, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "code":
            continue
        outputs = cell.get("outputs", [])
        has_image = any("image/png" in o.get("data", {}) for o in outputs)
        has_widget = any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
        if has_widget:
            assert "nbval-ignore-output" in cell["metadata"].get("tags", []), f"cell {i}: widget cell not tagged"
        elif has_image:
            assert cell["metadata"].get("mystnb", {}).get("image", {}).get("alt"), f"cell {i}: figure without alt text"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_stored_outputs_are_clean(path):
    for i, cell in enumerate(_cells(path)):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"cell {i} stored an error"
            if out["output_type"] == "stream":
                assert out["name"] == "stdout" or "TCP without encryption" in "".join(out["text"]), f"cell {i} wrote to stderr"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_labels_carry_the_chapters_name(path):
    # one name per chapter everywhere: notebook, modules, and the labels of its exercises and sections
    labels = [m for cell in _cells(path) if cell["cell_type"] == "markdown"
              for m in re.findall(r"^:label: (\S+)|^\(([^)]+)\)=", _source(cell), re.M)]
    labels = [a or b for a, b in labels]
    assert [x for x in labels if not x.startswith(path.stem + "-")] == []

"""The chapters follow the book's rules: in the toc, set up the same way, no definitions in cells,
figures with alt text, widget cells tagged for nbval, the same repository as _config.yml."""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
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
def test_setup_cell(path):
    first = _cells(path)[0]
    assert first["cell_type"] == "code" and "remove-cell" in first["metadata"].get("tags", [])
    source = _source(first)
    assert "notebook.setup()" in source
    url = re.search(r'BOOK_REPOSITORY = "([^"]+)"', source).group(1)
    assert url == CONFIG["repository"]["url"]


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


def test_every_chapter_has_the_same_setup_cell():
    sources = {_source(_cells(path)[0]) for path in CHAPTERS}
    assert len(sources) == 1, "setup cells differ between chapters"
    assert 'sys.platform == "emscripten"' in sources.pop()

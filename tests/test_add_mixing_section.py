"""scripts/add_mixing_section.py: the data-mixing section goes in once, in its place, on a copy."""

import copy
import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("add_mixing_section", ROOT / "scripts" / "add_mixing_section.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_section_inserted_once_in_place_and_idempotent():
    script = _script()
    nb = nbformat.read(ROOT / "chapters" / "after_chinchilla.ipynb", as_version=4)
    once = copy.deepcopy(nb)
    script.add_section(once)
    twice = copy.deepcopy(once)
    assert script.add_section(twice) == []  # nothing left to do
    assert [c.source for c in twice.cells] == [c.source for c in once.cells]
    nbformat.validate(once)
    ids = [c.get("id") for c in once.cells]
    assert len(ids) == len(set(ids))
    for _, cell_id, _, _ in script.SECTION + script.EXERCISE:
        assert ids.count(cell_id) == 1
    text = [c.source for c in once.cells]
    where = {name: next(i for i, s in enumerate(text) if needle in s) for name, needle in (
        ("distillation", "## Distillation"), ("section", "### Data mixtures"),
        ("forecasting", "## Forecasting downstream"), ("exercise", ":label: after-ex-mixing"),
        ("summary", "## Summary"))}
    assert where["distillation"] < where["section"] < where["forecasting"] < where["exercise"] < where["summary"]
    assert not any("computes nothing from one" in s for s in text)
    figure = once.cells[ids.index("mixing-08")]
    assert "hide-input" in figure.metadata["tags"] and figure.metadata["mystnb"]["image"]["alt"]
    assert sum(script.SUMMARY_BULLET in s for s in text) == 1 and sum(script.AIM in s for s in text) == 1

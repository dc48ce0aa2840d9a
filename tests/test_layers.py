"""Rules that hold by design, not by luck: scaling_lib's layers and its imports.

The layers, each importing only those below it (README, "Contributing" and "Module map"):

0. data loading and published records: ``_checks``, ``published``, ``data``;
1. the math, numpy and scipy only: every other module, ``chinchilla`` and ``experiment`` included;
2. ``plotting`` (matplotlib);
3. ``figures`` (one module per chapter);
4. ``widgets`` (the explorers, ipywidgets);
5. ``notebook`` (what a chapter's set-up cell calls).

Checked two ways: statically, every import statement of every module (function-level imports too);
and by running, each module of the two lowest layers imported in a fresh interpreter, after which
matplotlib, ipywidgets and IPython must not be loaded.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scaling_lib"
DATA_LAYER = {"scaling_lib._checks", "scaling_lib.published", "scaling_lib.data"}
UPPER_LAYERS = {"scaling_lib.plotting": 2, "scaling_lib.figures": 3, "scaling_lib.widgets": 4,
                "scaling_lib.notebook": 5}
DISPLAY = ("matplotlib", "ipywidgets", "IPython")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> int:
    if module in DATA_LAYER:
        return 0
    for top, rank in UPPER_LAYERS.items():
        if module == top or module.startswith(top + "."):
            return rank
    return 1


def _imports(module: str, path: Path):
    """``(line, imported name)`` for every import in the file: absolute names, relative ones resolved,
    and ``from package import submodule`` as the submodule."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                yield node.lineno, sub if sub in MODULES else target


def _violations(rule):
    bad = []
    for module, path in MODULES.items():
        for line, name in _imports(module, path):
            problem = rule(module, name)
            if problem:
                bad.append(f"{path.relative_to(ROOT)}:{line}: {problem}")
    return bad


def test_the_module_list_is_complete():
    assert {"scaling_lib.compute", "scaling_lib.chinchilla.law", "scaling_lib.widgets.chinchilla",
            "scaling_lib.plotting", "scaling_lib.data"} <= set(MODULES)


def test_every_module_imports_only_its_own_layer_or_those_below():
    def upward(module, name):
        if name.split(".")[0] == "scaling_lib" and name in MODULES and _layer(name) > _layer(module):
            return f"{module} (layer {_layer(module)}) imports {name} (layer {_layer(name)})"
    assert _violations(upward) == []


def test_the_data_layer_and_the_math_never_import_display_libraries():
    def display(module, name):
        if _layer(module) <= 1 and name.split(".")[0] in DISPLAY:
            return f"{module} imports {name}"
    assert _violations(display) == []


def test_scaling_lib_never_imports_or_reads_the_chapters():
    def chapter(module, name):
        if name.split(".")[0] in ("chapters", "importnb", "nbformat", "nbclient"):
            return f"{module} imports {name}"
    assert _violations(chapter) == []
    for module, path in MODULES.items():  # nor opens a notebook: no string in the code names one
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                   and id(n) not in docstrings]
        assert not [s for s in strings if ".ipynb" in s], f"{module} names a notebook"


# Importing each module of the two lowest layers in one fresh interpreter, in turn: the first one after
# which a display library is loaded is the one that pulled it in (the earlier ones did not).
PROBE = """
import importlib, json, sys
DISPLAY = {display!r}
found = {{}}
for name in {modules!r}:
    importlib.import_module(name)
    loaded = sorted(d for d in DISPLAY if d in sys.modules)
    if loaded:
        found[name] = loaded
        break
print(json.dumps(found))
"""


def test_importing_the_math_loads_no_display_library():
    modules = sorted(m for m in MODULES if _layer(m) <= 1)
    assert len(modules) > 20
    proc = subprocess.run([sys.executable, "-c", PROBE.format(display=DISPLAY, modules=modules)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {}


# ---- no unused imports ---------------------------------------------------------------------------

PYTHON_FILES = sorted(p for folder in ("scaling_lib", "tests", "scripts", "bench")
                      for p in (ROOT / folder).rglob("*.py"))


def _unused_imports(path: Path) -> list:
    """Names a file imports and never uses (``__all__`` counts as a use; a line marked ``noqa`` is
    skipped, as is ``from __future__``)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    imported = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [(node.lineno, a.asname or a.name.split(".")[0]) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            imported += [(node.lineno, a.asname or a.name) for a in node.names if a.name != "*"]
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    for node in ast.walk(tree):  # names listed in __all__
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            used |= {e.value for e in getattr(node.value, "elts", []) if isinstance(e, ast.Constant)}
    return [f"{path.relative_to(ROOT)}:{line}: {name}" for line, name in imported
            if name not in used and "noqa" not in lines[line - 1]]


def test_no_unused_imports():
    assert [u for path in PYTHON_FILES for u in _unused_imports(path)] == []


@pytest.mark.parametrize("text, unused", [
    ("import os\nimport sys\nprint(sys.argv)\n", ["os"]),
    ("from a import b as c, d\nd()\n", ["c"]),
    ("import numpy.linalg\nnumpy.linalg.norm\n", []),
    ("from .x import y\n__all__ = ['y']\n", []),
    ("from __future__ import annotations\nimport z  # noqa: F401\n", []),
])
def test_the_unused_import_check_itself(tmp_path, monkeypatch, text, unused):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    path = tmp_path / "m.py"
    path.write_text(text)
    assert [u.rsplit(": ", 1)[1] for u in _unused_imports(path)] == unused


# ---- the contributors' path ----------------------------------------------------------------------

def test_pull_requests_run_the_readmes_test_command():
    import yaml

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in readme and "## Contributing" in readme
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "test.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "pull_request" in triggers
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "bash scripts/test.sh" in steps
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("exec bash scripts/test.sh")


def test_every_module_is_in_the_readmes_module_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Module map", 1)[1].split("\n## ", 1)[0]
    listed = {name for row in section.splitlines() if row.startswith("| `")
              for name in re.findall(r"`([A-Za-z_.<>]+)`", row.split("|")[1])}
    missing = []
    for module in MODULES:
        name = module.removeprefix("scaling_lib").lstrip(".")
        if not name:
            continue
        top = name.split(".")[0]
        if top in ("figures", "widgets") and "." in name:
            name = f"{top}.<chapter>"
        elif top in ("chinchilla", "experiment") and "." not in name:
            continue  # the packages themselves: their modules are listed
        if name not in listed:
            missing.append(name)
    assert missing == []


# ---- one home for each rule ------------------------------------------------------------------------

def _products_with_six(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
            if any(isinstance(side, ast.Constant) and type(side.value) in (int, float) and side.value == 6
                   for side in (node.left, node.right)):
                yield node.lineno


#: The one product with 6 outside compute.py that is not C = 6 N D: the experiment's count of the FLOPs
#: its matrix products perform, 6 V H in the output layer (three products of 2 V H each).
OTHER_SIXES = {("scaling_lib/experiment/model.py", "return (6 * V + 4 * (k + 1)) * H")}


def test_six_n_d_is_written_once():
    # C = 6 N D and D = C / (6 N) live in scaling_lib/compute.py; everything else calls them
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "compute.py" and path.parent == PACKAGE:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for lineno in _products_with_six(ast.parse("\n".join(lines))):
            where = (str(path.relative_to(ROOT)), lines[lineno - 1].strip())
            if where not in OTHER_SIXES:
                found.append(f"{where[0]}:{lineno}: {where[1]}")
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells[1:], start=1):  # cell 0 is the generated set-up cell
            if cell["cell_type"] == "code":
                source = "".join(cell["source"])
                found += [f"{path.name} cell {i}: {source.splitlines()[n - 1].strip()}"
                          for n in _products_with_six(ast.parse(source))]
    assert found == []

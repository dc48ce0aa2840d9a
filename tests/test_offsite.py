"""The paths a reader takes off this machine, simulated here: Colab (the notebook alone, so the setup
cell clones the repository) and JupyterLite (the browser, so the setup cell installs the wheel the
site serves, with the data inside it)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "sphinx_ext"))
import book_site  # noqa: E402

CHAPTER = ROOT / "chapters" / "power_laws.ipynb"

# Run in a fresh interpreter: make the installed scaling_lib invisible, then run the setup cell the
# way IPython would (its %pip line transformed into a call on get_ipython()).
RUNNER = textwrap.dedent('''
    import json, sys, sysconfig
    from IPython.core.inputtransformer2 import TransformerManager

    # forget the installed (editable) scaling_lib and the repository folder
    sys.meta_path[:] = [f for f in sys.meta_path if not getattr(f, "__module__", "").startswith("__editable__")]
    sys.path[:] = [p for p in sys.path if p not in ("", REPO) and "__editable__" not in p]
    # what sys.platform == "emscripten" would break here is computed before we pretend
    sysconfig.get_config_vars()
    import numpy, scipy, matplotlib, IPython
    cell = json.load(open(NOTEBOOK))["cells"][0]["source"]
    code = TransformerManager().transform_cell("".join(cell))
    code = code.replace(PUBLIC_URL, CLONE_FROM)
    installs = []

    class FakeShell:
        def run_line_magic(self, name, line):
            installs.append((name, line))
            if name == "pip":            # what piplite does in JupyterLite: install from the index
                sys.path.insert(0, WHEEL_SITE)

    get_ipython = lambda: FakeShell()
    if PLATFORM:
        sys.platform = PLATFORM
    exec(compile(code, "setup-cell", "exec"), {"get_ipython": get_ipython, "__name__": "__main__"})
    import scaling_lib, scaling_lib.data as data
    print(json.dumps({"module": scaling_lib.__file__, "data": str(data.data_dir()),
                      "rows": len(data.load_table("accelerators")), "installs": installs}))
''')


def _public_url():
    import yaml
    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def _run_setup_cell(cwd: Path, *, platform: str = "", wheel_site: str = "") -> dict:
    prelude = (f"REPO = {str(ROOT)!r}\nNOTEBOOK = {str(CHAPTER)!r}\nPUBLIC_URL = {_public_url()!r}\n"
               f"CLONE_FROM = {str(ROOT)!r}\nWHEEL_SITE = {wheel_site!r}\nPLATFORM = {platform!r}\n")
    proc = subprocess.run([sys.executable, "-c", prelude + RUNNER], cwd=cwd, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_colab_path_clones_the_book_and_finds_code_and_data(tmp_path):
    result = _run_setup_cell(tmp_path)
    clone = tmp_path / "scaling-book"
    assert result["module"].startswith(str(clone))
    assert result["data"] == str(clone / "data")
    assert result["rows"] >= 1
    assert result["installs"] == []  # no %pip outside the browser


@pytest.fixture(scope="module")
def lite_wheel(tmp_path_factory):
    return book_site.build_wheel(ROOT, tmp_path_factory.mktemp("pypi"))


def test_wheel_carries_the_package_and_every_table(lite_wheel):
    names = zipfile.ZipFile(lite_wheel).namelist()
    tables = sorted(p.name for p in (ROOT / "data").iterdir()
                    if p.suffix in (".csv", ".json") or p.name == "README.md")  # the README types the columns
    assert sorted(n.split("/")[-1] for n in names if n.startswith("scaling_lib/_data/")) == tables
    assert "scaling_lib/widgets/__init__.py" in names


def test_jupyterlite_path_installs_the_sites_wheel(tmp_path, lite_wheel):
    site = tmp_path / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                    str(lite_wheel)], check=True)
    result = _run_setup_cell(tmp_path, platform="emscripten", wheel_site=str(site))
    assert result["installs"][0] == ["pip", "install scaling_lib ipywidgets"]
    assert result["module"].startswith(str(site))
    assert result["data"] == str(site / "scaling_lib" / "_data")
    assert not (tmp_path / "scaling-book").exists()  # the browser path never clones

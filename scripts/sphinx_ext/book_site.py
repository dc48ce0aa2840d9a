"""Sphinx extension for the book's site.

* Builds scaling_lib's wheel, with the tables of data/ inside it, into the package index of the
  in-browser copy of the book (_vendor/lite/pypi), so JupyterLite always runs the code this build
  was made from.
* Puts a "run this chapter live" line under the title of every notebook page: in the browser
  (JupyterLite), on Binder, on Colab.
* sphinx-thebe and sphinx-togglebutton register their inline scripts once per read of the sources,
  so a page can carry them twice and the browser reports "THEBE_JS_URL has already been declared":
  each script is kept once.
* jupyterlite-sphinx adds a Google Fonts stylesheet and the assets of its directives to every page;
  the book uses only its build of the in-browser copy, and a page must load nothing from a CDN, so
  those are dropped.
* Adds the book's page script (chapters/_assets/book.js: display equations shrunk to fit, the page's
  contents behind a button where the third column is hidden for the figures' sake).
* pydata-sphinx-theme writes an empty default colour mode when none is configured, and its script
  then logs an error on every page: default to "auto" (follow the reader's system setting).
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docutils import nodes

LITE_INDEX = Path("_vendor") / "lite" / "pypi"


def build_wheel(root: Path, wheel_dir: Path) -> Path:
    """Build scaling_lib's wheel from the checkout at ``root``, with data/ inside it as
    scaling_lib/_data, into ``wheel_dir``; return the wheel's path."""
    wheel_dir.mkdir(parents=True, exist_ok=True)
    for old in wheel_dir.glob("scaling_lib-*.whl"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "scaling-lib"
        stage.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(root / name, stage / name)
        shutil.copytree(root / "scaling_lib", stage / "scaling_lib",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        shutil.copytree(root / "data", stage / "scaling_lib" / "_data")
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                        "--wheel-dir", str(wheel_dir), str(stage)], check=True)
    return next(wheel_dir.glob("scaling_lib-*.whl"))


def build_lite_wheel(app) -> None:
    build_wheel(Path(app.srcdir), Path(app.srcdir) / LITE_INDEX)


def _launch_links(app, docname: str) -> str:
    stem = docname.rsplit("/", 1)[-1]
    up = "../" * docname.count("/")
    options = app.config.html_theme_options
    repo = options.get("repository_url", "").rstrip("/")
    branch = options.get("repository_branch", "main")
    owner_repo = repo.split("github.com/")[-1]
    path = f"{docname}.ipynb"
    links = [
        (f"{up}lite/notebooks/index.html?path={stem}.ipynb", "in your browser",
         "JupyterLite: Python runs inside this browser tab, nothing to install"),
        (f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{path}", "on Binder",
         "a temporary Jupyter server with everything installed"),
        (f"https://colab.research.google.com/github/{owner_repo}/blob/{branch}/{path}", "on Colab",
         "Google Colab; the first cell fetches the book's code and data"),
    ]
    items = " · ".join(f'<a class="run-live-link" href="{html.escape(href)}" title="{html.escape(tip)}">{label}</a>'
                       for href, label, tip in links)
    return f'<p class="run-live" role="note"><strong>Run this chapter live:</strong> {items}</p>'


def add_run_links(app, doctree) -> None:
    docname = app.env.docname
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title = next(iter(section.findall(nodes.title)), None)
    if title is not None:
        title.parent.insert(title.parent.index(title) + 1,
                            nodes.raw("", _launch_links(app, docname), format="html"))


def _script_key(script) -> tuple:
    filename = getattr(script, "filename", script)
    attributes = getattr(script, "attributes", {})
    return filename or "", attributes.get("body"), attributes.get("type")


UNUSED_ASSETS = ("jupyterlite_sphinx.js", "jupyterlite_sphinx.css")


def _wanted(asset) -> bool:
    filename = getattr(asset, "filename", asset) or ""
    return "://" not in filename and not filename.split("?")[0].endswith(UNUSED_ASSETS)


def tidy_page(app, pagename, templatename, context, doctree) -> None:
    if context.get("css_files"):
        context["css_files"][:] = [css for css in context["css_files"] if _wanted(css)]
    if context.get("script_files"):
        context["script_files"][:] = [js for js in context["script_files"] if _wanted(js)]
    scripts = context.get("script_files")
    if scripts:
        seen, kept = set(), []
        for script in scripts:
            key = _script_key(script)
            if key not in seen:
                seen.add(key)
                kept.append(script)
        scripts[:] = kept
    if not context.get("default_mode"):
        context["default_mode"] = "auto"


def setup(app):
    app.connect("builder-inited", build_lite_wheel)
    app.connect("doctree-read", add_run_links)
    app.connect("html-page-context", tidy_page, priority=900)
    app.add_css_file("book.css")
    app.add_js_file("book.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}

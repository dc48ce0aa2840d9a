"""Sphinx extension for the book's site.

* Builds scaling_lib's wheel, with the tables of data/ inside it, into the package index of the
  in-browser copy of the book (_vendor/lite/pypi), so JupyterLite always runs the code this build
  was made from.
* Writes the in-browser copy's notebooks: the chapters rewritten for reading in JupyterLite
  (notebook_copies.py), and after JupyterLite's build adds to it a notice that appears when Pyodide
  cannot be fetched, saying why and how else to run the chapter.
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
* Takes the theme's 1.5 MB Font Awesome script out of every page: its stylesheet's web font draws the
  same icons.
* pydata-sphinx-theme writes an empty default colour mode when none is configured, and its script
  then logs an error on every page: default to "auto" (follow the reader's system setting).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docutils import nodes

LITE_INDEX = Path("_vendor") / "lite" / "pypi"
#: Where the in-browser copy's notebooks sit in its file system (and so in its ?path= links).
LITE_FOLDER = "chapters"
NOTICE_SCRIPT = Path(__file__).resolve().parent.parent.parent / "chapters" / "_assets" / "lite-notice.js"
PYODIDE_URL = re.compile(r"https://cdn\.jsdelivr\.net/pyodide/[^\"'`]+?/pyodide\.m?js")


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


def write_lite_notebooks(app) -> None:
    """The in-browser copy's notebooks: every chapter rewritten for reading there (notebook_copies,
    the rewriter the student edition uses too), into jupyterlite-sphinx's content folder."""
    import notebook_copies

    target = Path(app.srcdir) / app.config.jupyterlite_content_dir / LITE_FOLDER
    if target.exists():
        shutil.rmtree(target)
    notebook_copies.write_edition(Path(app.srcdir), target, "browser")


def _repository(app) -> tuple[str, str]:
    options = app.config.html_theme_options
    repo = options.get("repository_url", "").rstrip("/")
    return repo.split("github.com/")[-1], options.get("repository_branch", "main")


FONTAWESOME_SCRIPT = re.compile(r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?')


def drop_icon_script(app, exception) -> None:
    """pydata-sphinx-theme loads Font Awesome twice: as a 1.5 MB script that swaps each icon for an
    SVG, and as the web font its stylesheet already carries. The font alone draws every icon, so
    the script is taken out of every page that does not load the widget manager (which locates its
    icon fonts from the page's scripts, so is left as it is)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        if page.is_relative_to(outdir / "lite"):
            continue
        text = page.read_text(encoding="utf-8")
        if "embed-amd.js" in text:  # the widget manager finds its own fonts relative to the last script
            continue
        lighter = FONTAWESOME_SCRIPT.sub("", text)
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")


def add_lite_notice(app, exception) -> None:
    """After JupyterLite is built: a script in its notebook and lab pages that checks whether
    Pyodide's CDN can be reached and, if not, says so in the page with the other ways to run the
    chapter (Binder, Colab, a local install)."""
    lite = Path(app.outdir) / "lite"
    if exception is not None or not lite.is_dir():
        return
    pyodide = None
    for bundle in (lite / "extensions" / "@jupyterlite" / "pyodide-kernel-extension").rglob("*.js"):
        found = PYODIDE_URL.search(bundle.read_text(encoding="utf-8", errors="ignore"))
        if found:
            pyodide = found.group(0)
            break
    owner_repo, branch = _repository(app)
    settings = {"pyodideUrl": pyodide, "repository": owner_repo, "branch": branch, "folder": LITE_FOLDER}
    script = NOTICE_SCRIPT.read_text(encoding="utf-8").replace("/*SETTINGS*/{}", json.dumps(settings))
    (lite / "lite-notice.js").write_text(script, encoding="utf-8")
    for page in ("notebooks", "lab"):
        index = lite / page / "index.html"
        if index.is_file():
            text = index.read_text(encoding="utf-8")
            if "lite-notice.js" not in text:
                index.write_text(text.replace("</body>", '<script src="../lite-notice.js"></script>\n</body>', 1),
                                 encoding="utf-8")


def _launch_links(app, docname: str) -> str:
    stem = docname.rsplit("/", 1)[-1]
    up = "../" * docname.count("/")
    options = app.config.html_theme_options
    repo = options.get("repository_url", "").rstrip("/")
    branch = options.get("repository_branch", "main")
    owner_repo = repo.split("github.com/")[-1]
    path = f"{docname}.ipynb"
    links = [
        (f"{up}lite/notebooks/index.html?path={LITE_FOLDER}/{stem}.ipynb", "in your browser",
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


# --- The bibliography: author-year labels, a link to each paper, the chapters that cite it. ---------

def _bibliography_style():
    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.plain import Style as Plain
    from pybtex.style.labels import BaseLabelStyle
    from pybtex.richtext import Text

    class AuthorYearLabels(BaseLabelStyle):
        """"Hoffmann et al., 2022": the label the chapters' author-year citations use."""

        def format_labels(self, sorted_entries):
            labels = []
            for entry in sorted_entries:
                people = [p for p in entry.persons.get("author", []) if str(p).lower() != "others"]
                last = [Text.from_latex(" ".join(p.last_names)).render_as("text") for p in people]
                if not last:
                    who = entry.key
                elif len(last) == 1:
                    who = last[0] + (" et al." if len(entry.persons.get("author", [])) > 1 else "")
                elif len(last) == 2 and len(entry.persons["author"]) == 2:
                    who = f"{last[0]} and {last[1]}"
                else:
                    who = f"{last[0]} et al."
                labels.append(f"{who}, {entry.fields.get('year', 'n.d.')}")
            for label in set(labels):  # the same authors and year twice: 2022a, 2022b
                same = [i for i, l in enumerate(labels) if l == label]
                if len(same) > 1:
                    for n, i in enumerate(same):
                        labels[i] = label + "abcdefghij"[n]
            return labels

    class BookStyle(Plain):
        """pybtex's plain style with author-year labels, and the arXiv number that the book's
        BibTeX keeps in a journal or note field made a link (as an ``eprint``)."""

        default_label_style = "book_author_year"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            labels = self.label_style.format_labels
            # in the order of the labels: first author, year, title
            self.sort = lambda entries: [e for _, _, e in sorted(
                ((label, e.fields.get("title", ""), e) for label, e in zip(labels(list(entries)), entries)),
                key=lambda item: (item[0].lower(), item[1].lower()))]

        def format_entry(self, label, entry, bib_data=None):
            found = None
            for name in ("journal", "note", "howpublished"):
                match = ARXIV_ID.search(entry.fields.get(name, ""))
                if match:
                    found = name, match
                    break
            if found and "eprint" not in entry.fields and "doi" not in entry.fields:
                key = entry.key
                entry = entry.__class__(entry.type, fields=dict(entry.fields), persons=entry.persons)
                entry.key = key
                name, match = found
                entry.fields["eprint"] = match.group(1)
                rest = ARXIV_ID.sub("", entry.fields[name]).strip(" ,;")
                if name == "journal":
                    entry.fields[name] = rest or "arXiv preprint"
                elif rest:
                    entry.fields[name] = rest
                else:
                    del entry.fields[name]
            return super().format_entry(label, entry, bib_data=bib_data)

    register_plugin("pybtex.style.labels", "book_author_year", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "book", BookStyle)


ARXIV_ID = re.compile(r"(?:arXiv preprint\s*)?arXiv[:\s]*(\d{4}\.\d{4,5})", re.I)


def _toc_order(env) -> list[str]:
    order, todo = [], [env.config.root_doc]
    while todo:
        doc = todo.pop(0)
        if doc not in order:
            order.append(doc)
            todo[0:0] = env.toctree_includes.get(doc, [])
    return order


def add_back_references(app, doctree, docname) -> None:
    """Under each entry of the bibliography, the pages that cite it, linked."""
    domain = app.env.get_domain("cite")
    if not any(c.bibliography_key.docname == docname for c in domain.citations):
        return
    order = _toc_order(app.env)
    cited_in: dict[str, set] = {}
    for ref in domain.citation_refs:
        for target in ref.targets:
            cited_in.setdefault(target.key, set()).add(ref.docname)
    key_of = {c.citation_id: c.key for c in domain.citations}
    for node in list(doctree.findall(nodes.citation)):
        key = next((key_of[i] for i in node["ids"] if i in key_of), None)
        docs = sorted(cited_in.get(key, ()), key=lambda d: order.index(d) if d in order else len(order))
        if not docs:
            continue
        para = nodes.paragraph(classes=["bib-cited-in"])
        para += nodes.Text("Cited in ")
        for n, doc in enumerate(docs):
            if n:
                para += nodes.Text(", ")
            title = app.env.titles[doc].astext() if doc in app.env.titles else doc
            para += nodes.reference("", title, internal=True, refuri=app.builder.get_relative_uri(docname, doc))
        para += nodes.Text(".")
        node += para


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
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    app.connect("builder-inited", build_lite_wheel)
    app.connect("builder-inited", write_lite_notebooks)
    app.connect("build-finished", add_lite_notice, priority=900)
    app.connect("build-finished", drop_icon_script)
    _bibliography_style()
    app.connect("doctree-resolved", add_back_references)
    app.connect("doctree-read", add_run_links)
    app.connect("html-page-context", tidy_page, priority=900)
    app.add_css_file("book.css")
    app.add_js_file("book.js", loading_method="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}

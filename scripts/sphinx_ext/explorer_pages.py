"""The book's explorers on the static site (see scaling_lib.widgets: in the book build an explorer
shows its scenarios, rendered in advance, instead of ipywidgets).

* Each scenario's figure reaches the page as an inline PNG; it is written to ``_images/`` and the
  page links it instead, so a page loads only the figure of the scenario on show (the others are
  ``loading="lazy"`` and hidden until chosen).
* The live slice's link to "train the models yourself" is pointed at the page's in-browser copy.
* Pages that no longer hold any widget do not load the widget JavaScript (myst-nb adds it to every
  notebook whose metadata carries saved widget state, used or not).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from docutils import nodes

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: myst-nb's keys for the widget state and the widget scripts of a page.
WIDGET_SCRIPT_KEYS = re.compile(r"^ipywidgets_")
INLINE_IMAGE = re.compile(r'(<img class="explorer-image"[^>]*?src=")data:image/png;base64,([A-Za-z0-9+/=]+)(")')
#: The placeholder scaling_lib.widgets.experiment.RUN_LIVE_HREF.
RUN_LIVE_HREF = "explorer:run-live"


def drop_unused_widget_scripts(app, doctree) -> None:
    """Forget the widget scripts myst-nb registered for this page when no widget is shown on it."""
    metadata = getattr(app.env, "nb_metadata", {}).get(app.env.docname)
    if not metadata or not metadata.get("js_files"):
        return
    if any(WIDGET_VIEW in node.astext() for node in doctree.findall(nodes.raw)):
        return
    for key in [k for k in metadata["js_files"] if WIDGET_SCRIPT_KEYS.match(k)]:
        del metadata["js_files"][key]


def _lite_link(pagename: str) -> str:
    stem = pagename.rsplit("/", 1)[-1]
    return f"{'../' * pagename.count('/')}lite/notebooks/index.html?path={stem}.ipynb"


def link_explorer_images(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body")
    if not body or ("explorer-image" not in body and RUN_LIVE_HREF not in body):
        return
    images = Path(app.builder.outdir) / "_images"

    def external(match) -> str:
        png = base64.b64decode(match.group(2))
        name = f"explorer-{hashlib.sha256(png).hexdigest()[:20]}.png"
        images.mkdir(parents=True, exist_ok=True)
        if not (images / name).exists():
            (images / name).write_bytes(png)
        return match.group(1) + context["pathto"](f"_images/{name}", 1) + match.group(3)

    body = INLINE_IMAGE.sub(external, body)
    context["body"] = body.replace(f'href="{RUN_LIVE_HREF}"', f'href="{_lite_link(pagename)}"')


def setup(app):
    app.connect("doctree-read", drop_unused_widget_scripts)
    app.connect("html-page-context", link_explorer_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

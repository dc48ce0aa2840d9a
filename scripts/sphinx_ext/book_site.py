"""Sphinx extension for the book's site: small fixes to what the theme stack puts on each page.

* sphinx-thebe registers its inline configuration script once per read of the sources, so a page can
  carry it twice and the browser reports "THEBE_JS_URL has already been declared": keep each script
  once.
* pydata-sphinx-theme writes an empty default colour mode when none is configured, and its script
  then logs an error on every page: default to "auto" (follow the reader's system setting).
"""

from __future__ import annotations


def _script_key(script) -> tuple:
    filename = getattr(script, "filename", script)
    attributes = getattr(script, "attributes", {})
    return filename or "", attributes.get("body"), attributes.get("type")


def tidy_page(app, pagename, templatename, context, doctree):
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
    app.connect("html-page-context", tidy_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""The whole book builds with warnings as errors and nitpicky references, every notebook executed."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.book]


def test_book_builds_without_warnings(book_build):
    proc, html = book_build
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    assert "build succeeded" in log
    assert "WARNING" not in log.replace("[IPKernelApp] WARNING | Kernel is running over TCP", ""), log[-4000:]
    assert (html / "chapters" / "power_laws.html").is_file()


def test_site_serves_its_own_javascript(book_build):
    _, html = book_build
    page = (html / "chapters" / "power_laws.html").read_text()
    for cdn in ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "unpkg.com/@jupyter-widgets"):
        assert cdn not in page, f"the page loads {cdn}"
    assert "_static/mathjax/tex-chtml.js" in page
    # the explorers are pre-rendered scenarios on the static site: no page needs the widget manager
    for chapter in ("power_laws", "experiment", "intro"):
        assert "embed-amd.js" not in (html / "chapters" / f"{chapter}.html").read_text(), chapter

"""Shared fixtures: the repository root, the book built once per session, and that site served on
127.0.0.1 for the browser tests."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def book_build(tmp_path_factory):
    """Build the whole book once, with warnings as errors, into a temporary folder.

    Returns ``(completed_process, html_dir)``."""
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    env = {**os.environ, "SCALING_BOOK_BUILD": "1"}
    proc = subprocess.run([str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going",
                           "--path-output", str(out)], capture_output=True, text=True, env=env,
                          timeout=1800)
    return proc, out / "_build" / "html"


@pytest.fixture(scope="session")
def site(book_build):
    """The built site served on 127.0.0.1; yields its base URL."""
    proc, html = book_build
    if proc.returncode != 0:
        pytest.fail("the book did not build:\n" + proc.stdout[-3000:] + proc.stderr[-3000:])
    handler = functools.partial(QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Skips when it is missing, except on CI."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing on CI: scripts/install.sh test installs it (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()

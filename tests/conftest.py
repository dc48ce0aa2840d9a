"""Shared fixtures: the repository root, the book built once per session (started with the session
when scripts/test.sh asks, so it runs beside the other tests), and that site served on 127.0.0.1 for
the browser tests. With pytest-xdist (scripts/test.sh: ``-n 2 --dist loadscope``, each test file and
each notebook kept on one worker), every worker's book_build waits for that one early build."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def _book_build_command(out: Path) -> list:
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    return [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going", "--path-output", str(out)]


BOOK_ENV = {"SCALING_BOOK_BUILD": "1"}
#: Set (by scripts/test.sh) to start the book build when the session starts, in the background, so it
#: runs beside the other tests; book_build then waits for it.
START_ENV = "SCALING_BOOK_START_BUILD"
#: Where that early build writes; set for pytest-xdist's workers too.
EARLY_BUILD_ENV = "SCALING_BOOK_EARLY_BUILD"
BUILD_TIMEOUT = 1800
BOOK_TESTS = (ROOT / "tests" / "test_book.py", ROOT / "tests" / "test_browser.py")


def _runs_the_book_tests(config) -> bool:
    """Whether the paths the session was given include the book or browser tests."""
    for arg in config.args:
        path = (Path(config.invocation_params.dir) / arg.split("::")[0]).resolve()
        if any(test == path or path in test.parents for test in BOOK_TESTS):
            return True
    return False


def pytest_sessionstart(session):
    """Start the book build now when asked (``SCALING_BOOK_START_BUILD=1``) and the book tests will
    run: in the process that runs the session (with pytest-xdist, the controller, before its workers
    start and inherit the folder's name)."""
    config = session.config
    if not os.environ.get(START_ENV) or os.environ.get(EARLY_BUILD_ENV) or not _runs_the_book_tests(config):
        return
    out = Path(tempfile.mkdtemp(prefix="scaling-book-build-"))
    with (out / "stdout").open("w") as stdout, (out / "stderr").open("w") as stderr:
        proc = subprocess.Popen(_book_build_command(out), stdout=stdout, stderr=stderr, text=True,
                                env={**os.environ, **BOOK_ENV}, start_new_session=True)

    def record():
        try:
            code = proc.wait(timeout=BUILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            code = proc.wait()
        (out / "returncode.tmp").write_text(str(code))
        (out / "returncode.tmp").replace(out / "returncode")

    threading.Thread(target=record, daemon=True).start()
    config.stash[_EARLY] = (proc, out)
    os.environ[EARLY_BUILD_ENV] = str(out)


_EARLY = pytest.StashKey[tuple]()


def pytest_unconfigure(config):
    early = config.stash.get(_EARLY, None)
    if early is not None:
        proc, out = early
        if proc.poll() is None:  # interrupted, or nothing needed it: stop the build
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
        shutil.rmtree(out, ignore_errors=True)
        os.environ.pop(EARLY_BUILD_ENV, None)


@pytest.fixture(scope="session")
def book_build(tmp_path_factory):
    """The whole book built once, with warnings as errors, into a temporary folder: the build started
    with the session (``SCALING_BOOK_START_BUILD=1``) when there is one, else built now.

    Returns ``(completed_process, html_dir)``."""
    early = os.environ.get(EARLY_BUILD_ENV)
    if early:
        out = Path(early)
        deadline = time.monotonic() + BUILD_TIMEOUT + 60
        while not (out / "returncode").exists():
            if time.monotonic() > deadline:
                pytest.fail(f"the book build in {out} did not finish")
            time.sleep(1.0)
        proc = subprocess.CompletedProcess(_book_build_command(out), int((out / "returncode").read_text()),
                                           (out / "stdout").read_text(), (out / "stderr").read_text())
    else:
        out = tmp_path_factory.mktemp("book")
        proc = subprocess.run(_book_build_command(out), capture_output=True, text=True,
                              env={**os.environ, **BOOK_ENV}, timeout=BUILD_TIMEOUT)
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

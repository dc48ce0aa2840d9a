"""The explorers on the built site, in headless Chromium: with no kernel behind the page, every
control a reader can use changes what the explorer shows, and nothing else looks usable."""

import json

import pytest

from conftest import ARTIFACTS, ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

#: Chapters with an explorer: those whose notebook calls ``.show()`` on one.
EXPLORER_PAGES = sorted(
    f"chapters/{nb.stem}.html" for nb in (ROOT / "chapters").glob("*.ipynb")
    if any(".show()" in "".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code"))


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    failed = []
    page.on("response", lambda r: failed.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="networkidle")
    return page, failed


def _shown(box):
    """The image (its loaded source) and readout the explorer ``box`` shows now."""
    panel = box.locator(".explorer-scenario:visible")
    assert panel.count() == 1
    image = panel.locator("img")
    image.scroll_into_view_if_needed()
    image.evaluate("img => img.complete || new Promise(done => img.addEventListener('load', done))")
    loaded = image.evaluate("img => [img.currentSrc, img.naturalWidth]")
    assert loaded[1] > 0, loaded
    readout = panel.locator(".explorer-readout")
    return loaded[0], readout.inner_text() if readout.count() else ""


def test_every_chapter_with_an_explorer_is_checked():
    assert len(EXPLORER_PAGES) == 7


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_every_scenario_changes_image_and_readout(browser, site, path):
    page, failed = _open(browser, f"{site}/{path}")
    boxes = page.locator(".explorer-scenarios:not(.explorer-live-slice)")
    assert boxes.count() >= 1
    for b in range(boxes.count()):
        box = boxes.nth(b)
        choices = box.locator("input.explorer-choice")
        assert choices.count() >= 2
        seen = [_shown(box)]
        for i in range(1, choices.count()):
            box.locator("label").nth(i).click()  # as a reader does: on the label
            assert choices.nth(i).is_checked()
            seen.append(_shown(box))
        images, readouts = [s[0] for s in seen], [s[1] for s in seen]
        assert len(set(images)) == len(seen), images
        assert len(set(readouts)) == len(seen), readouts
        assert all("data:" not in src for src in images), "scenario figures load as files, on demand"
        assert "live" in box.locator(".explorer-static-note").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / ("explorers_" + path.replace("/", "_") + ".png")), full_page=True)
    assert failed == []
    page.close()


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_no_enabled_control_that_does_nothing(browser, site, path):
    """No widget is left on the page: no slider, dropdown, button or checkbox the reader could move
    without effect, and no widget JavaScript loaded for them. The only inputs in any cell output are
    the explorers' scenario choices (each of which changes its figure, tested above)."""
    page, _ = _open(browser, f"{site}/{path}")
    assert page.locator(".jupyter-widgets, .widget-slider, .widget-button").count() == 0
    assert page.locator("script[src*='embed-amd']").count() == 0
    controls = page.evaluate("""() => Array.from(document.querySelectorAll(
        '.cell_output input, .cell_output select, .cell_output button, .cell_output textarea'))
        .filter(e => !e.disabled && !e.classList.contains('copybtn'))  // copy buttons copy
        .map(e => [e.tagName, e.type, e.className])""")
    assert controls and all(tag == "INPUT" and kind == "radio" and "explorer-choice" in cls for tag, kind, cls in controls), controls
    page.close()


def test_live_slice_links_to_a_copy_that_trains(browser, site):
    page, _ = _open(browser, f"{site}/chapters/experiment.html")
    assert page.locator("button", has_text="Train 5 models").count() == 0
    link = page.locator(".explorer-live-slice a.explorer-run-live")
    assert link.count() == 1
    href = link.get_attribute("href")
    assert href.endswith("lite/notebooks/index.html?path=experiment.ipynb")
    assert page.request.get(page.url.rsplit("/", 1)[0] + "/" + href).status == 200
    page.close()

"""Every explorer of the book, driven with no kernel over its whole control range."""

import pytest

from scaling_lib import widgets

EXPLORERS = widgets.all_explorers()


def test_every_chapter_module_is_collected():
    assert {e.name for e in EXPLORERS} >= {"power-law extrapolation"}


@pytest.mark.parametrize("explorer", EXPLORERS, ids=lambda e: e.name)
def test_explorer_sweep_never_raises(explorer):
    points = explorer.sweep_points()
    assert len(points) >= 2 * len(explorer.controls)
    for values in points:
        view = explorer.render(**values)
        assert view.png.startswith(b"\x89PNG"), values
        assert view.alt


@pytest.mark.parametrize("explorer", EXPLORERS, ids=lambda e: e.name)
def test_explorer_builds_its_widgets(explorer, monkeypatch):
    monkeypatch.delenv(widgets.STATIC_BUILD_ENV, raising=False)
    live = explorer.show()
    assert "picture of the explorer" not in str([getattr(c, "value", "") for c in live.children])
    monkeypatch.setenv(widgets.STATIC_BUILD_ENV, "1")
    static = explorer.show()
    assert "picture of the explorer" in static.children[0].value


def test_render_rejects_unknown_controls():
    with pytest.raises(ValueError, match="values"):
        EXPLORERS[0].render(no_such_control=1)


def test_view_html_carries_alt_text():
    view = EXPLORERS[0].render()
    assert 'alt="' in view.html() and "data:image/png;base64," in view.html()


def test_slider_declarations_are_checked():
    with pytest.raises(ValueError):
        widgets.Slider("x", 1.0, 0.0, 0.5)
    with pytest.raises(ValueError):
        widgets.Slider("x", 0.0, 1.0, 0.5, log=True)
    with pytest.raises(ValueError):
        widgets.Choice("x", ("a", "b"), "c")

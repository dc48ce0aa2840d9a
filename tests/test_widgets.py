"""Every explorer of the book, driven with no kernel over its whole control range."""

import pytest

from scaling_lib import widgets

EXPLORERS = widgets.all_explorers()
_FACTORIES = [f for info in __import__("pkgutil").iter_modules(widgets.__path__)
              for f in getattr(__import__(f"scaling_lib.widgets.{info.name}", fromlist=["EXPLORERS"]), "EXPLORERS", ())]


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
def test_explorer_is_widgets_in_a_kernel_and_scenarios_in_the_book_build(explorer, monkeypatch):
    import ipywidgets

    monkeypatch.delenv(widgets.STATIC_BUILD_ENV, raising=False)
    live = explorer.show()
    assert isinstance(live, ipywidgets.VBox)
    assert len(live.children[0].children) == len(explorer.controls)
    monkeypatch.setenv(widgets.STATIC_BUILD_ENV, "1")
    static = explorer.show()
    assert isinstance(static, widgets.Scenarios)
    page = static._repr_html_()
    assert page.count('type="radio"') == len(explorer.scenarios) >= 2
    assert page.count("<img ") == len(explorer.scenarios) and 'loading="lazy"' in page
    assert "<button" not in page and "<select" not in page and 'type="range"' not in page


@pytest.mark.parametrize("explorer", EXPLORERS, ids=lambda e: e.name)
def test_every_scenario_shows_a_different_figure_and_readout(explorer):
    """A scenario that looked like another would be a control that does nothing."""
    views = explorer.scenario_views()
    assert len({v.png for _, _, v in views}) == len(views)
    assert len({v.text for _, _, v in views}) == len(views)
    assert len({settings for _, settings, _ in views}) == len(views)
    for _, settings, _ in views:
        assert all(c.description in settings for c in explorer.controls.values())


@pytest.mark.parametrize("explorer", EXPLORERS, ids=lambda e: e.name)
def test_a_reused_frame_draws_the_same_image_as_a_fresh_one(explorer):
    """The live figure redraws its frame only when the frame changed: rendering the sweep in turn on
    one figure gives, at every point, the PNG a brand-new explorer draws for that point."""
    points = explorer.sweep_points()
    in_turn = [explorer.render(**values).png for values in points]
    factory = next(f for f in _FACTORIES if f().name == explorer.name)
    for values, png in zip(points, in_turn):
        assert factory().render(**values).png == png, values


def test_live_figure_redraws_its_frame_only_when_it_changed():
    from scaling_lib import plotting

    live = plotting.LiveFigure()
    ax = live.clear()
    ax.plot([1, 2, 3], [1, 4, 9])
    first = live.to_png()
    key = list(live._frame_keys)
    ax = live.clear()
    ax.plot([1, 2, 3], [1, 4, 9])
    assert live.to_png() == first and live._frame_keys == key
    ax = live.clear()
    ax.plot([1, 2, 3], [1, 4, 9])
    ax.set_xlabel("now labelled")
    assert live.to_png() != first and live._frame_keys != key


def test_static_live_slice_has_no_button_but_a_link():
    from scaling_lib.widgets import experiment

    page = experiment.LiveSlice().static()._repr_html_()
    assert "<button" not in page and f'href="{experiment.RUN_LIVE_HREF}"' in page


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

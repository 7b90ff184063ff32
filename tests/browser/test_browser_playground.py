"""The Playground's live canvas in a real JupyterLab: play trains fast, the canvas repaints, hovering explains.

The canvas is drawn by the browser (nnlearn/widgets/static/playground.js) from frames the kernel sends; it keeps
a count of its repaints in `data-frames` and shows the epoch in `.nnl-live-epoch`.
"""

from __future__ import annotations

import time

import pytest

from .harness import distinct_colours, poll

pytestmark = pytest.mark.browser

_JS_STATE = """
(canvas) => ({frames: Number(canvas.dataset.frames),
              epoch: Number(canvas.closest('.nnl-live').querySelector('.nnl-live-epoch').textContent.replace(/,/g, '')),
              image: canvas.toDataURL('image/png')})
"""


def _state(canvas) -> dict:
    return canvas.evaluate(_JS_STATE)


def _open_playground(lab_page):
    lab_page.open("lessons/playground.ipynb")
    lab_page.run_all()
    lab_page.assert_no_errors()
    canvas = lab_page.widget(".nnl-live-canvas")
    explorer = canvas.locator("xpath=ancestor::*[contains(@class, 'nnl-explorer')][1]")
    poll(lambda: (_state(canvas)["frames"] >= 1, _state(canvas)["frames"]), 30, "the live canvas's first paint")
    return canvas, explorer


def test_play_trains_over_100_epochs_in_5_seconds_and_the_canvas_changes(lab_page):
    canvas, explorer = _open_playground(lab_page)
    before = _state(canvas)
    assert distinct_colours(before["image"]) > 50, "the live canvas is blank"
    assert before["epoch"] == 200, "the lesson trains 200 epochs before showing the Playground"

    explorer.locator(".nnl-play button").first.click()  # the Play widget's play button
    started = time.monotonic()
    lab_page.page.wait_for_timeout(5000)
    after = _state(canvas)
    seconds = time.monotonic() - started
    explorer.locator(".nnl-play button").nth(1).click()  # pause

    epochs = after["epoch"] - before["epoch"]
    frames = after["frames"] - before["frames"]
    print(f"\nlive Playground: {epochs} epochs and {frames} repaints in {seconds:.1f} s")
    assert epochs > 100, f"only {epochs} epochs in {seconds:.1f} s of play"
    assert frames > 25, f"only {frames} repaints in {seconds:.1f} s of play"
    assert after["image"] != before["image"], "the canvas did not change while playing"
    lab_page.assert_no_errors()


def test_fits_a_1280x800_window_and_hover_explains(lab_page):
    # Layout: in a 1280 x 800 window with the file browser open, controls and the whole picture are on screen
    # together once the explorer's top is scrolled into view.
    lab_page.page.set_viewport_size({"width": 1280, "height": 800})
    canvas, explorer = _open_playground(lab_page)
    lab_page.page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
    lab_page.page.wait_for_timeout(500)
    explorer.evaluate("e => e.scrollIntoView({block: 'start'})")
    lab_page.page.wait_for_timeout(300)
    top, picture = explorer.bounding_box(), canvas.bounding_box()
    sidebar = lab_page.page.locator(".jp-FileBrowser").bounding_box()
    assert sidebar and sidebar["width"] > 100, "the file browser is not open"
    assert top["y"] >= 0 and picture["y"] + picture["height"] <= 800, (top, picture)
    assert picture["x"] + picture["width"] <= 1280, picture

    geometry = canvas.evaluate("c => ({nodes: c.nnlGeometry.nodes, edges: c.nnlGeometry.edges})")
    assert len(geometry["nodes"]) == 2 + 4 + 2 + 1 and len(geometry["edges"]) == 2 * 4 + 4 * 2 + 2 * 1
    box = canvas.bounding_box()
    plain = _state(canvas)

    node = geometry["nodes"][2]  # the first neuron of hidden layer 1
    lab_page.page.mouse.move(box["x"] + node["x"] + node["size"] / 2, box["y"] + node["y"] + node["size"] / 2)
    poll(lambda: (_state(canvas)["image"] != plain["image"], _state(canvas)["frames"]), 10,
         "the hovered neuron to be shown large (a repaint with another picture)")
    assert distinct_colours(_state(canvas)["image"]) > 50

    edge = geometry["edges"][0]  # x1 -> hidden 1, neuron 1: weights[0, 0] of layer 0
    lab_page.page.mouse.move(box["x"] + (edge["x0"] + edge["x1"]) / 2, box["y"] + (edge["y0"] + edge["y1"]) / 2)
    tip = canvas.locator("xpath=..").locator(".nnl-live-tip")
    poll(lambda: (tip.is_visible(), tip.inner_text() if tip.is_visible() else ""), 10, "the edge's tooltip")
    text = tip.inner_text()
    assert text.startswith("weight ") and "weights[0, 0]" in text, text
    lab_page.assert_no_errors()

"""figure.js in chromium (no Jupyter server, as tests/browser/test_browser_figure.py does it): the ``labels``
item, and the scenes of the backprop explorer (lesson 06) and of lesson 10's convolution, RNN and attention
explorers painted and compared with their matplotlib figures, 8 x 8 pixel block by block."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.plots import _style

from .test_browser_figure import _rgb, open_figure_page

pytestmark = pytest.mark.browser


@pytest.fixture
def canvas_painter(browser_context):
    """paint(scene) -> the canvas's RGB pixels (height, width, 3), read back at one pixel per CSS pixel."""
    from PIL import Image

    page, show = open_figure_page(browser_context)

    def paint(width, height, panels, items, arrays) -> np.ndarray:
        show(width, height, panels, items, arrays)
        url = page.evaluate("() => document.querySelector('canvas').toDataURL('image/png')")
        image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB")
        return np.asarray(image.resize((width, height)) if image.size != (width, height) else image).astype(float)

    yield paint
    page.close()


def test_labels_draw_boxes_and_texts(canvas_painter):
    panel = {"box": [0, 0, 200, 100], "xlim": [0, 2], "ylim": [0, 1], "axes": False}
    points = np.array([[0.5, 0.5], [1.5, 0.5], [1.0, 0.9]], np.float32)
    items = [{"kind": "labels", "panel": 0, "buffer": "points", "texts": ["a", "b", ""], "size": 8,
              "width": 0.6, "height": 0.5, "fills": ["#ff0000", "none", "#00ff00"],
              "edges": ["none", "#0000ff", "none"], "edge_widths": 4}]
    pixels = canvas_painter(200, 100, [panel], items, {"points": points})
    # label 1: a red 60 x 50 pixel box around (50, 50), its text in the middle
    assert pixels[30, 25].tolist() == [255, 0, 0] and pixels[70, 75].tolist() == [255, 0, 0]
    assert pixels[50, 15].tolist() == [255, 255, 255]  # outside it
    # label 2: no fill, a blue outline 4 pixels wide on the box's edge (x 120 ... 180)
    assert pixels[35, 120].tolist() == [0, 0, 255] and pixels[35, 130].tolist() == [255, 255, 255]
    # label 3 has no text: nothing is drawn, not even its box
    assert pixels[10, 100].tolist() == [255, 255, 255]
    # a box that fits its text, put under its point by baseline "top"
    items = [{"kind": "labels", "panel": 0, "buffer": "points", "texts": ["wide text here", "", ""], "size": 10,
              "pad": 3, "fills": "#000000", "baseline": "top"}]
    pixels = canvas_painter(200, 100, [panel], items, {"points": points})
    assert pixels[52, 50].tolist() == [0, 0, 0] and pixels[47, 50].tolist() == [255, 255, 255]
    dark = np.flatnonzero((pixels[53] < 60).all(axis=1))
    assert 50 - dark.min() > 25 and dark.max() - 50 > 25  # wider than the 60-pixel box of the first scene


def _blocks(pixels: np.ndarray, size: int = 8) -> np.ndarray:
    height, width = (pixels.shape[0] // size) * size, (pixels.shape[1] // size) * size
    return pixels[:height, :width].reshape(height // size, size, width // size, size, 3).mean(axis=(1, 3))


def _matches_matplotlib(explorer, canvas_painter, share: float) -> None:
    """The canvas picture of the explorer's scene and its matplotlib figure differ, 8 x 8 block by block, by less
    than ``share`` of how much the figure differs from a white page (fonts and anti-aliasing differ a little)."""
    from PIL import Image

    painted = canvas_painter(*explorer.scene())
    figure = np.asarray(Image.open(io.BytesIO(explorer.to_png())).convert("RGB")).astype(float)
    assert painted.shape == figure.shape
    difference = np.abs(_blocks(painted) - _blocks(figure)).mean()
    ink = np.abs(_blocks(figure) - 255.0).mean()
    assert difference < share * ink, (difference, ink)


def test_backprop_scene_looks_like_its_figure(canvas_painter):
    explorer = nl.widgets.explore_backprop(step=4)
    _matches_matplotlib(explorer, canvas_painter, 0.6)  # text only: fonts differ most here
    width, height, panels, items, arrays = explorer.scene()
    pixels = canvas_painter(width, height, panels, items, arrays)
    assert (np.abs(pixels - _rgb(nl.plots.graph.GRADIENT_COLOR)).sum(axis=2) < 30).sum() > 200  # purple drawn
    assert (np.abs(pixels - _rgb("#fbe3c8")).sum(axis=2) < 6).sum() > 300  # the target's box


def test_architecture_scenes_look_like_their_figures(canvas_painter):
    explorer = nl.widgets.explore_convolution(kernel="vertical edges")
    explorer.controls["kernel_0_0"].value = -3.0
    _matches_matplotlib(explorer, canvas_painter, 0.05)

    x = np.random.default_rng(0).normal(size=(3, 6, 4))
    model = nl.Sequential([nl.SelfAttention(4, seed=0), nl.LastStep(), nl.Dense(4, 3, "softmax")], seed=0)
    explorer = nl.widgets.explore_attention(model, x, query=2)
    _matches_matplotlib(explorer, canvas_painter, 0.1)

    bits = (np.random.default_rng(1).random((4, 8, 1)) < 0.5).astype(float)
    rnn = nl.Sequential([nl.SimpleRNN(1, 6), nl.Dense(6, 1)], seed=0)
    explorer = nl.widgets.explore_rnn(rnn, bits, np.cumsum(bits[:, :, 0], axis=1))
    explorer.controls["step"].value = 5
    _matches_matplotlib(explorer, canvas_painter, 0.15)

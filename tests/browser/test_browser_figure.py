"""figure.js (the LiveFigure's painter) in chromium without a Jupyter server: a scene is handed to its render()
through a stand-in model, and the canvas's pixels are read back. Covers the ``bars`` item and the scenes of
lesson 13's two explorers (the optimizer race and the training-health bars)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.playground import palette
from nnlearn.plots import _style

pytestmark = pytest.mark.browser

FIGURE_JS = Path(nl.__file__).parent / "widgets" / "static" / "figure.js"

# The stand-in model: get() gives the palette bytes, on() keeps the message handler, send() is ignored.
_PAGE = """<html><body style="margin:0"><div id="el"></div><script>
%(figure)s
const bytes = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const handlers = {};
const model = {get: (name) => (name === "palette" ? new DataView(bytes("%(palette)s").buffer) : null),
               on: (event, f) => { handlers[event] = f; }, off: () => {}, send: () => {}};
render({model, el: document.getElementById("el")});
window.showScene = (message, buffers) => handlers["msg:custom"](message, buffers.map((b) => new DataView(bytes(b).buffer)));
</script></body></html>"""


def open_figure_page(browser_context):
    """A page running figure.js on a stand-in model: (page, show), where show(width, height, panels, items,
    arrays) hands it one scene and waits until it is painted (and no script error happened)."""
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    script = FIGURE_JS.read_text().replace("export default { render };", "")
    page.set_content(_PAGE % {"figure": script, "palette": base64.b64encode(palette().tobytes()).decode()})

    def show(width, height, panels, items, arrays) -> None:
        names = list(arrays)
        message = {"type": "scene", "width": width, "height": height, "panels": panels, "items": items,
                   "names": names, "dtypes": [arrays[n].dtype.name for n in names]}
        buffers = [base64.b64encode(np.ascontiguousarray(arrays[n]).tobytes()).decode() for n in names]
        frames = int(page.locator("canvas").get_attribute("data-frames"))
        page.evaluate("([m, b]) => window.showScene(m, b)", [json.loads(json.dumps(message)), buffers])
        page.wait_for_function(f"document.querySelector('canvas').dataset.frames === '{frames + 1}'")
        assert errors == []

    return page, show


@pytest.fixture
def painter(browser_context):
    page, show = open_figure_page(browser_context)

    def paint(width, height, panels, items, arrays):
        show(width, height, panels, items, arrays)

        def pixel(x: float, y: float) -> list[int]:  # CSS pixels -> the RGB painted there
            return page.evaluate("""([x, y]) => { const c = document.querySelector('canvas');
                const r = c.width / parseFloat(c.style.width);
                return Array.from(c.getContext('2d').getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data)
                  .slice(0, 3); }""", [float(x), float(y)])

        return pixel

    yield paint
    page.close()


def _rgb(color: str) -> list[int]:
    return [int(color[i:i + 2], 16) for i in (1, 3, 5)]


def test_bars_fill_their_rectangles_in_data_units(painter):
    panel = {"box": [0, 0, 100, 100], "xlim": [0, 10], "ylim": [0, 10], "axes": False}
    rects = np.array([[1, 0, 3, 5], [4, 8, 6, 2], [7, 0, 9, np.nan]], np.float32)  # the 2nd upside down, 3rd NaN
    items = [{"kind": "bars", "panel": 0, "buffer": "one", "color": _style.POSITIVE},
             {"kind": "bars", "panel": 0, "buffer": "valued", "values": "values", "palette": "palette"},
             {"kind": "bars", "panel": 0, "buffer": "faint", "color": "#000000", "alpha": 0.5}]
    arrays = {"one": rects, "valued": np.array([[0, 9, 2, 10]], np.float32), "values": np.float32([-1.0]),
              "faint": np.array([[8, 8, 10, 10]], np.float32)}
    pixel = painter(100, 100, [panel], items, arrays)
    assert pixel(20, 75) == _rgb(_style.POSITIVE)  # inside bar 1 (x 1..3, y 0..5: pixels 10..30, 50..100)
    assert pixel(20, 40) == [255, 255, 255]  # above it
    assert pixel(50, 50) == _rgb(_style.POSITIVE)  # bar 2 given top first
    assert pixel(80, 50) == [255, 255, 255]  # the NaN bar is left out
    assert pixel(10, 5) == palette()[0, :3].tolist()  # value -1: the palette's first row (dark orange)
    assert all(abs(v - 128) <= 1 for v in pixel(95, 5))  # black at alpha 0.5 over white


def test_lesson_13_scenes_paint(painter):
    from nnlearn.widgets import explore_optimizers, explore_training_health

    race = explore_optimizers("ravine", learning_rate=0.1, steps=40)
    race.controls["step"].value = 10
    width, height, panels, items, arrays = race.scene()
    pixel = painter(width, height, panels, items, arrays)
    x, y, w, h = panels[0]["box"]
    (x0, x1), (y0, y1) = panels[0]["xlim"], panels[0]["ylim"]
    start = race.surface.start
    assert pixel(x + (start[0] - x0) / (x1 - x0) * w, y + h - (start[1] - y0) / (y1 - y0) * h) == [255, 255, 255]

    data = nl.datasets.moons(n=80, noise=0.1, seed=0)
    model = nl.Sequential([nl.Dense(2, 8, "relu"), nl.Dense(8, 1, "sigmoid")], seed=0)
    health = explore_training_health(model, *data, "bce", optimizer="adam", epochs=3)
    health.controls["play"].value = 2
    width, height, panels, items, arrays = health.scene()
    pixel = painter(width, height, panels, items, arrays)
    x, y, w, h = panels[1]["box"]  # activation spread: bar 1 from the floor to its height (log10 units)
    (x0, x1), (y0, y1) = panels[1]["xlim"], panels[1]["ylim"]
    top = arrays["bars_0"][0, 3]
    middle = y + h - ((y0 + top) / 2 - y0) / (y1 - y0) * h
    assert pixel(x + (1 - x0) / (x1 - x0) * w, middle) == _rgb(_style.POSITIVE)
    assert pixel(x + (1.5 - x0) / (x1 - x0) * w, middle) == [255, 255, 255]  # between bars 1 and 2

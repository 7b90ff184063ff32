"""PlaygroundView: the Playground's live picture, painted by the browser on a canvas (an anywidget).

The kernel sends only numbers: each frame is the handful of arrays of ``PlaygroundRun.frame_buffers`` (the
decision surface and every neuron's picture as palette indices, the edges' values, colours and widths, the loss
curves; the data points only when they change), as binary buffers of one custom message. The browser paints
the frames one per animation frame (``static/playground.js``) and answers ``{"type": "ready"}`` every second
frame it paints; the kernel keeps a few frames on their way, so it trains the next slices while the browser
paints but never more frames than the browser paints (none is trained in vain, and the queue stays a few frames
short). A frame marked ``flush`` (sent after a change of settings) drops the older frames still waiting.

The view itself only carries messages: ``on_ready(callback)`` registers what the kernel does when the browser
asks for a frame (the Playground trains a time slice and sends the next one).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets

from ..plots import _style

__all__ = ["CanvasPicture", "ExplorerKeys", "LiveFigure", "PlaygroundView"]

_STATIC = Path(__file__).parent / "static"


class ExplorerKeys(anywidget.AnyWidget):
    """A hidden widget every explorer carries: in the browser, its sliders and dropdowns take their own arrow keys.

    JupyterLab and Jupyter Notebook 7 read key presses as notebook shortcuts (ArrowRight on a focused slider in
    Notebook 7 jumps to the next heading; ArrowDown on a focused dropdown moves to the next cell in both). Its
    script (static/keys.js, once per page) marks a control inside an explorer that takes the focus so the
    front end leaves its keys to it, as it does for a text box.

    Shapes: none (a widget with no state).

    Example:
        >>> ExplorerKeys().layout.display
        'none'
    """

    _esm = _STATIC / "keys.js"

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.layout.display = "none"


class _PaletteCanvas(anywidget.AnyWidget):
    """A browser canvas that colours values with the matplotlib pictures' palettes, sent once as RGB bytes."""

    palette = traitlets.Bytes(b"").tag(sync=True)
    palette_light = traitlets.Bytes(b"").tag(sync=True)
    palette_viridis = traitlets.Bytes(b"").tag(sync=True)  # magnitudes, e.g. a loss surface (matplotlib's LUT)

    def __init__(self, **kwargs: Any):
        from ..playground import palette

        super().__init__(**kwargs)
        self.palette = palette(_style.DIVERGING).tobytes()
        self.palette_light = palette(_style.DIVERGING_LIGHT).tobytes()
        self.palette_viridis = _style.colormap_lut(_style.SEQUENTIAL).tobytes()


class PlaygroundView(_PaletteCanvas):
    """The browser-drawn Playground picture: a canvas fed frames as binary buffers.

    ``send_frame(header, buffers)`` sends one frame (``header``: small JSON values; ``buffers``: name -> array);
    ``on_ready(callback)`` runs ``callback(hello)`` when the browser asks for the next frame (``hello`` is True
    when a view has just been rendered and needs everything, the data points included). ``frames_sent``,
    ``acks`` and ``last_ack`` count the traffic.

    Shapes: buffers are any arrays (uint8 or float32, sent as raw bytes with their shape and dtype).

    Example:
        >>> import numpy as np
        >>> view = PlaygroundView()
        >>> view.send_frame({"epoch": 3}, {"loss": np.zeros((2, 4), np.float32)})  # no browser: just counted
        1
        >>> len(view.palette), view.acks
        (1024, 0)
    """

    _esm = _STATIC / "playground.js"
    _css = _STATIC / "playground.css"

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.frames_sent = 0
        self.acks = 0
        self.last_ack = -1.0  # time.monotonic() of the last "ready"; -1: no browser has answered yet
        self.seq = 0
        self.acked = 0  # the newest frame a browser view said it has
        self.roundtrips: list[float] = []  # seconds from sending a frame to its "ready" (the last 200)
        self.handler_seconds = 0.0  # time the kernel spent answering "ready" messages (training, frames)
        self._sent_at: dict[int, float] = {}
        self._ready: Callable[[bool, int], Any] | None = None
        self.on_msg(self._on_message)
        self.add_class("nnl-live-view")

    def on_ready(self, callback: Callable[..., Any]) -> None:
        """``callback(hello, seq)`` runs when a browser view asks for a frame (seq: the frame it just got);
        ``callback(False, -1, hover=k)`` when the mouse moves onto neuron k (``hover=None``: off every neuron)."""
        self._ready = callback

    def _on_message(self, widget: Any, content: dict, buffers: list) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "hover":  # which neuron the mouse is over (None: none), for its large picture
            if self._ready is not None:
                node = content.get("node")
                self._ready(False, -1, hover=None if node is None else int(node))
            return
        if kind not in ("ready", "hello"):
            return
        now = self.last_ack = time.monotonic()
        seq = int(content.get("seq", -1))
        if kind == "ready":
            self.acks += 1
            self.acked = max(self.acked, seq)
            sent = self._sent_at.pop(seq, None)
            if sent is not None:
                self.roundtrips = [*self.roundtrips[-199:], now - sent]
        if self._ready is not None:
            self._ready(kind == "hello", seq)
        self.handler_seconds += time.monotonic() - now

    @property
    def in_flight(self) -> int:
        """Frames sent that no browser view has acknowledged yet."""
        return self.seq - self.acked

    @property
    def browser_active(self) -> bool:
        """True when a browser view answered within the last second (so it, not a timer, paces the frames)."""
        return self.last_ack >= 0 and time.monotonic() - self.last_ack < 1.0

    def send_frame(self, header: dict[str, Any], buffers: dict[str, np.ndarray]) -> int:
        """Send one frame to every browser view; returns its sequence number."""
        self.seq += 1
        names = list(buffers)
        arrays = [np.ascontiguousarray(buffers[name]) for name in names]
        content = {**header, "type": "frame", "seq": self.seq, "names": names,
                   "dtypes": [a.dtype.name for a in arrays], "shapes": [list(a.shape) for a in arrays]}
        if self.comm is not None:
            self.send(content, [memoryview(a).cast("B") for a in arrays])
            self._sent_at[self.seq] = time.monotonic()
            if len(self._sent_at) > 50:  # frames never acknowledged (no view on screen) are forgotten
                self._sent_at.pop(min(self._sent_at))
        self.frames_sent += 1
        return self.seq


# Controls the browser can follow by itself: their value in the browser is the value Python sees.
_FOLLOWABLE = (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider, widgets.Play)


class LiveFigure(_PaletteCanvas):
    """A figure the browser paints on a canvas from a scene: panels (boxes with data limits) and items.

    ``show(width, height, panels, items, arrays)`` sends one scene; items refer to arrays by name: ``image``
    (uint8 palette rows, or RGBA with ``rgba``: True), ``line`` and ``markers`` (float32 (n, 2) points),
    ``segments`` (float32 (n, 4) with per-segment ``values`` in [-1, 1] for the palette and ``widths`` in
    pixels), ``circles`` (points with ``values``), ``bars`` (float32 (n, 4) rectangles x0, y0, x1, y1 in data
    units, with per-bar ``values`` for the palette, ``colors`` (one per bar) or one ``color``, optional
    ``alpha``) and ``text`` (``bold``; ``background`` (with ``background_alpha``, ``pad`` and a ``border``
    colour) for a box behind it, as matplotlib's bbox); ``markers`` take ``shape: "diamond"`` for matplotlib's
    "D" and ``shape: "star"`` for "*" (default: circles); ``labels`` (texts at float32 (n, 2) points, each on a
    box like matplotlib's text bbox: ``texts``, ``colors``, ``fills``, ``edges``, ``edge_widths`` and ``bold``
    are one value for all or a list with one per label, "none" leaves out a fill or an outline, ``size`` and
    ``pad`` are pixels, ``round`` the corner radius, ``width``/``height`` a box size in data units instead of
    one fitting the text, ``baseline`` "top"/"middle"/"bottom" puts the box below/on/above the point).
    Palettes: ``palette``, ``palette_light``, ``palette_viridis``. Panels take ``title_bold``, ``title_color``,
    ``frame_color`` and ``frame_width``; a panel with ``ylog``: True has a log-scale y axis, and may carry
    ``yticklabels`` (one string per ``ytick``, e.g. "10⁻³" on a log10 axis). The browser keeps only the newest
    scene and paints it on its next animation frame, so a slider drag repaints at the display's pace. A view
    that appears later asks for the last scene again. ``scenes_sent`` counts them; a scene equal to the last
    one is not sent again.

    ``follow(controls, on_values)`` lets the browser watch sliders itself: while one is dragged, the view sends
    the new value straight to the kernel (``on_values({name: value})``, which sets the control and so redraws),
    with at most three requests on their way at once. ipywidgets' own sync of a slider waits for the kernel to
    go idle after each message, which halves the repaints of a drag; this path does not wait.

    Shapes: arrays are any uint8 or float32 arrays (sent as raw bytes).

    Example:
        >>> import numpy as np
        >>> figure = LiveFigure()
        >>> panel = {"box": [40, 10, 200, 150], "xlim": [0, 1], "ylim": [0, 1], "axes": True}
        >>> line = {"kind": "line", "panel": 0, "buffer": "curve", "color": "#1b64b4"}
        >>> figure.show(260, 190, [panel], [line], {"curve": np.array([[0, 0], [1, 1]], np.float32)})
        1
    """

    _esm = _STATIC / "figure.js"
    controls = traitlets.List(traitlets.Instance(widgets.Widget)).tag(sync=True, **widgets.widget_serialization)
    control_names = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.scenes_sent = 0
        self.requests = 0  # values the browser sent by itself (``follow``)
        self._last: tuple[dict, list] | None = None
        self._answer: dict | None = None  # the browser request the next scene answers
        self._on_values: Callable[[dict[str, Any]], Any] | None = None
        self.on_msg(self._on_message)
        self.add_class("nnl-live-figure")

    def follow(self, controls: dict[str, widgets.Widget], on_values: Callable[[dict[str, Any]], Any]) -> None:
        """Let the browser send these controls' new values directly: ``on_values({name: value})`` runs in the
        kernel for each request, and the scene it shows answers it. Controls other than sliders and Play are
        left to ipywidgets."""
        followed = {name: control for name, control in controls.items() if isinstance(control, _FOLLOWABLE)}
        self._on_values = on_values
        self.control_names = list(followed)
        self.controls = list(followed.values())

    def _on_message(self, widget: Any, content: dict, buffers: list) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "hello" and self._last is not None:
            self.send(*self._last)
        elif kind == "controls" and isinstance(content.get("values"), dict):
            self.requests += 1
            self._answer = {"view": str(content.get("view", "")), "seq": int(content.get("seq", 0))}
            try:
                if self._on_values is not None:
                    self._on_values({str(k): v for k, v in content["values"].items() if k in self.control_names})
            finally:
                if self._answer is not None and self.comm is not None:  # nothing changed: still answer
                    self.send({"type": "answer", "answer": self._answer})
                self._answer = None

    def show(self, width: int, height: int, panels: list[dict], items: list[dict],
             arrays: dict[str, np.ndarray]) -> int:
        """Send a scene to every browser view; returns how many scenes were sent so far."""
        names = list(arrays)
        data = [np.ascontiguousarray(arrays[name]) for name in names]
        for name, array in zip(names, data):
            if array.dtype not in (np.uint8, np.float32):
                raise TypeError(f"LiveFigure sends uint8 or float32 arrays, but {name!r} is {array.dtype}.")
        content = {"type": "scene", "width": int(width), "height": int(height), "panels": panels, "items": items,
                   "names": names, "dtypes": [a.dtype.name for a in data]}
        scene = (content, [a.tobytes() for a in data])
        if scene == self._last:  # e.g. ipywidgets' own sync of a value the browser already sent: nothing new
            return self.scenes_sent
        self._last = scene
        if self.comm is not None:
            if self._answer is not None:
                self.send({**content, "answer": self._answer}, scene[1])
                self._answer = None
            else:
                self.send(*scene)
        self.scenes_sent += 1
        return self.scenes_sent


class CanvasPicture:
    """Mixin for an Explorer whose picture the browser paints (``self.canvas``, a LiveFigure, or None).

    The layout shows the canvas where the matplotlib figure would be; the notebook output still carries a PNG of
    the matplotlib figure (``savefig``, as a live ipympl figure gives), for GitHub, nbviewer and nbval.

    Shapes: none (layout only).

    Example:
        >>> from nnlearn.widgets import explore_neuron
        >>> explorer = explore_neuron()            # a NeuronExplorer is a CanvasPicture
        >>> explorer.canvas in explorer.widget.children
        True
    """

    canvas: LiveFigure | None = None

    def _use_canvas(self, live: bool | None, canvas: bool | None) -> bool | None:
        """The start of every browser-drawn explorer: make ``self.canvas`` unless ``canvas`` is False (default: a
        canvas unless ``live=True`` asks for ipympl) and return the ``live`` flag for ``Explorer.__init__`` (with a
        canvas the matplotlib figure stays on Agg: the static picture and ``explorer.figure``)."""
        canvas = (live is not True) if canvas is None else bool(canvas)
        self.canvas = LiveFigure() if canvas else None
        return False if canvas else live

    def _figure_view(self) -> Any:
        """The browser canvas, or (without one) the ipympl/PNG figure."""
        if self.canvas is None:
            return super()._figure_view()
        self.canvas.follow(self.controls, self._values_from_browser)
        return self.canvas

    def _values_from_browser(self, values: dict[str, Any]) -> None:
        """Set controls to the values the browser sent while they were dragged, as ipywidgets would (no echo
        back to the browser, whose slider is already there); their observers redraw."""
        def apply() -> None:
            for name, value in values.items():
                control = self.controls[name]
                with control._lock_property(value=value):
                    control.value = value

        self._guard(apply)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        if self.canvas is None:
            return super()._repr_mimebundle_(include=include, exclude=exclude)
        import base64

        layout = self.widget
        self._displayed = True
        bundle = layout._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["image/png"] = base64.b64encode(self.to_png()).decode("ascii")  # as with a live (ipympl) figure
        bundle["text/plain"] = repr(self)
        return bundle


def axes_box(ax: Any, scale: float = 1.0) -> list[float]:
    """Where a matplotlib axes sits in its figure, as a canvas box [left, top, width, height] in CSS pixels
    (the figure's pixels times ``scale``), so a scene's panels stand where the static picture's axes do.

    Shapes: none (an Axes -> 4 numbers).

    Example:
        >>> from nnlearn.widgets import new_figure
        >>> ax = new_figure((4.0, 2.0), dpi=100, live=False).add_axes([0.1, 0.2, 0.5, 0.5])
        >>> axes_box(ax)
        [40.0, 60.0, 200.0, 100.0]
    """
    width, height = (v * scale for v in ax.figure.canvas.get_width_height())
    x0, y0, x1, y1 = ax.get_position().extents
    return [round(float(v), 1) for v in (x0 * width, (1 - y1) * height, (x1 - x0) * width, (y1 - y0) * height)]


def axes_ticks(ax: Any, axis: str, low: float, high: float) -> list[float]:
    """The tick positions matplotlib draws on ``ax`` (``axis`` 'x' or 'y') between these limits.

    Shapes: none (an Axes and two limits -> a list of numbers).

    Example:
        >>> from nnlearn.widgets import new_figure
        >>> ax = new_figure((4.0, 2.0), live=False).add_subplot()
        >>> axes_ticks(ax, "x", -5.0, 5.0)
        [-4.0, -2.0, 0.0, 2.0, 4.0]
    """
    locator = (ax.xaxis if axis == "x" else ax.yaxis).get_major_locator()
    return [float(t) for t in locator.tick_values(low, high) if low - 1e-9 <= t <= high + 1e-9]

"""explore_loss and explore_gradient_descent: how wrong a line is, and the path gradient descent takes downhill.

- ``explore_loss``: sliders for a line's weight and bias over a handful of points; each error is drawn, the loss
  is written out with the live numbers, and a second panel shows the loss as the weight moves.
- ``explore_gradient_descent``: the loss surface over a line's weight and bias with the path of gradient
  descent on it; a learning-rate slider (log scale) and a Play control that walks the path one step per frame.
  When the loss blows up it says so in words, on the figure and under the controls.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import losses as losses_module
from ..descent import BLOWUP, _pick, descent_path, largest_stable_learning_rate, line_points
from ..layers import Dense
from ..network import Sequential
from ..plots import _style
from ..plots.descent import (
    draw_line_fit,
    draw_loss_contours,
    draw_loss_slice,
    draw_step_losses,
    line_fit_data,
    line_loss_surface,
    loss_slice_data,
    surface_with_path,
    update_line_fit,
    update_loss_slice,
    update_step_losses,
)
from ..plots.surface import draw_loss_surface, loss_surface_data, update_loss_surface
from ..validation import as_float_array, check_learning_rate, check_positive_int
from .base import Explorer
from .live import CanvasPicture

__all__ = ["GradientDescentExplorer", "LossExplorer", "explore_gradient_descent", "explore_loss"]


def _points(x: Any, y: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    if x is None and y is None:
        return line_points(n=n, seed=0)
    if x is None or y is None:
        raise ValueError("Give both x and y (the points and their targets), or neither for the default points.")
    x = as_float_array(x, "x")
    x = x.reshape(-1, 1) if x.ndim == 1 else x
    return x, as_float_array(y, "y").reshape(-1)


class LossExplorer(CanvasPicture, Explorer):
    """A line ``weight * x + bias`` over a handful of points: its errors and its mean squared error, live.

    Controls: ``weight``, ``bias``. Left: the points, the line and each error as a red segment. Right: the loss
    as the weight moves with the bias held, with a dot at the current weight. The readout writes the loss out.

    Shapes: x (n, 1), y (n,) -> one error segment per point, and the loss over 141 weights in ``weight_range``.

    Example:
        >>> explorer = LossExplorer(x=[0.0, 1.0, 2.0], y=[1.0, 2.0, 3.0], weight=1.0, bias=1.0, live=False)
        >>> explorer.loss                                  # y = x + 1 exactly
        0.0
        >>> explorer.controls["weight"].value = 0.0        # errors 0, -1, -2: (0 + 1 + 4) / 3
        >>> round(explorer.loss, 3), explorer.artists["slice_marker"].get_xdata()
        (1.667, [0.0])
    """

    title = "Loss of a line"

    def __init__(self, x: Any = None, y: Any = None, *, weight: float = 0.5, bias: float = 0.0,
                 weight_range: tuple[float, float] = (-2.0, 5.0), bias_range: tuple[float, float] = (-3.0, 4.0),
                 live: bool | None = None, canvas: bool | None = None):
        # canvas (default: unless live=True asks for ipympl): the browser paints the picture from numbers, so a
        # slider drag repaints at the display's pace; the matplotlib figure stays the static picture.
        super().__init__(live=self._use_canvas(live, canvas))
        self.x, self.y = _points(x, y, 8)
        if self.x.shape[1] != 1:
            raise ValueError(f"explore_loss fits a line, so each example has one input: x (n, 1), got {self.x.shape}.")
        self.weight_grid = np.linspace(float(weight_range[0]), float(weight_range[1]), 141)
        for name, value, (low, high) in (("weight", weight, weight_range), ("bias", bias, bias_range)):
            low, high = min(low, value), max(high, value)  # a slider clamps silently: widen it instead
            self.add_control(name, widgets.FloatSlider(
                value=float(value), min=float(low), max=float(high), step=0.05, description=name,
                readout_format=".2f", continuous_update=True, layout=widgets.Layout(width="300px")))
        first = self.compute()
        self._xlim, self._ylim = first["fit"].xlim, first["fit"].ylim  # fixed axes: only the line moves
        fig = self.new_figure((9.0, 3.4), dpi=90)
        fit_ax = fig.add_axes([0.07, 0.15, 0.4, 0.72])
        slice_ax = fig.add_axes([0.57, 0.15, 0.4, 0.72])
        self.artists = {**{f"fit_{k}": v for k, v in draw_line_fit(fit_ax, first["fit"]).items()},
                        **{f"slice_{k}": v for k, v in draw_loss_slice(slice_ax, first["slice"]).items()}}
        self.update()

    @property
    def weight(self) -> float:
        """The weight the slider holds now."""
        return float(self.controls["weight"].value)

    @property
    def bias(self) -> float:
        """The bias the slider holds now."""
        return float(self.controls["bias"].value)

    def compute(self) -> dict[str, Any]:
        """The line's errors and the loss cut for the current weight and bias (the compute half)."""
        limits = {} if not hasattr(self, "_xlim") else {"xlim": self._xlim, "ylim": self._ylim}
        return {"fit": line_fit_data(self.x, self.y, self.weight, self.bias, **limits),
                "slice": loss_slice_data(self.x, self.y, self.weight, self.bias, weights=self.weight_grid)}

    def update(self) -> None:
        data = self.compute()
        update_line_fit({k.removeprefix("fit_"): v for k, v in self.artists.items() if k.startswith("fit_")},
                        data["fit"])
        update_loss_slice({k.removeprefix("slice_"): v for k, v in self.artists.items() if k.startswith("slice_")},
                          data["slice"])
        self.loss = data["fit"].loss
        self.set_readout(data["fit"].text)
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene(data))

    def scene(self, data: dict[str, Any] | None = None) -> tuple[int, int, list[dict], list[dict], dict]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the same two
        panels, colours and axis ranges as the matplotlib figure.

        Shapes: points (n, 2), residuals (n, 4), line (2, 2), loss cut (m, 2), all float32.
        """
        data = data or self.compute()
        fit, cut = data["fit"], data["slice"]
        f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
        panels = [
            {"box": [50, 26, 300, 214], "xlim": [float(v) for v in fit.xlim], "ylim": [float(v) for v in fit.ylim],
             "axes": True, "xlabel": "x", "ylabel": "y", "title": self.artists["fit_title"].get_text()},
            {"box": [460, 26, 300, 214], "xlim": [float(cut.weights[0]), float(cut.weights[-1])],
             "ylim": [float(v) for v in cut.ylim], "axes": True, "xlabel": "weight", "ylabel": "loss",
             "title": self.artists["slice_title"].get_text()},
        ]
        arrays = {"residuals": f32(np.asarray(fit.residuals).reshape(-1, 4)), "line": f32(fit.line),
                  "points": f32(np.column_stack([np.ravel(fit.x), fit.y])),
                  "cut": f32(np.column_stack([cut.weights, cut.losses])), "here": f32([[cut.weight, cut.loss]])}
        items = [
            {"kind": "line", "panel": 0, "buffer": "line", "color": _style.POSITIVE, "width": 2.0},
            {"kind": "segments", "panel": 0, "buffer": "residuals", "color": _style.WARNING_COLOR, "width": 1.5},
            {"kind": "markers", "panel": 0, "buffer": "points", "color": _style.TEXT_COLOR, "radius": 3.5},
            {"kind": "line", "panel": 1, "buffer": "cut", "color": _style.TRAIN_COLOR, "width": 1.5},
            {"kind": "markers", "panel": 1, "buffer": "here", "color": _style.WARNING_COLOR, "radius": 5},
        ]
        return 790, 270, panels, items, arrays

    def summary(self) -> str:
        return f"weight {self.weight:.2f}, bias {self.bias:.2f}: loss {self.loss:.3f} on {len(self.x)} points"


def explore_loss(x: Any = None, y: Any = None, *, weight: float = 0.5, bias: float = 0.0,
                 weight_range: tuple[float, float] = (-2.0, 5.0), bias_range: tuple[float, float] = (-3.0, 4.0),
                 hide: Sequence[str] = (), canvas: bool | None = None) -> LossExplorer:
    """Move a line's weight and bias over a handful of points and watch its errors and its loss.

    ``x`` (n,) or (n, 1) and ``y`` (n,) are the points (default: ``nl.descent.line_points(8, seed=0)``). The
    browser paints the picture on a canvas (``canvas=False``: the matplotlib figure, live with ipympl).

    Shapes: x (n,) or (n, 1), y (n,) -> a LossExplorer (one error per point, a loss as the weight moves).

    Example:
        >>> explorer = explore_loss(x=[0.0, 1.0], y=[1.0, 3.0], weight=2.0, bias=1.0)
        >>> explorer.loss
        0.0
        >>> explorer.controls["bias"].value = 0.0              # both predictions now 1 too low
        >>> explorer.readout_text
        'loss = mean of squared errors = ((-1.00)² + (-1.00)²) / 2 = 1.00'
    """
    explorer = LossExplorer(x, y, weight=weight, bias=bias, weight_range=weight_range, bias_range=bias_range,
                            canvas=canvas)
    if hide:
        explorer.hide(hide)
    return explorer


class GradientDescentExplorer(CanvasPicture, Explorer):
    """Gradient descent on a loss surface, one step per frame.

    Controls: ``learning_rate`` (a log-scale slider), ``play`` (Play/pause: walks the path step by step) and
    ``step`` (the step shown; drag it to go back and forth). The left panel shows the loss over the two tracked
    weights with the path so far; the right one the loss after each step. A run whose loss blows up is marked
    "diverged" in words. The whole path is computed once per learning rate; a step only shows more or less of it.

    Shapes: x (n, n_inputs), y (n,) -> ``run.path`` (steps + 1, 2) and ``run.losses`` (steps + 1,); the loss
    surface ``surface.losses`` (resolution, resolution).

    Example:
        >>> explorer = GradientDescentExplorer(x=[0.0, 1.0, 2.0], y=[1.0, 2.0, 3.0], learning_rate=0.1, steps=10,
        ...                                    resolution=21, live=False)
        >>> explorer.run.path.shape, explorer.surface.losses.shape
        ((11, 2), (21, 21))
        >>> explorer.controls["step"].value = 3             # the path drawn so far: the start and 3 steps
        >>> len(explorer.artists["surface_path"].get_xdata())
        4
        >>> explorer.readout_text
        'step 3 of 10: weight = -0.48, bias = 2.60, loss 1.468 (learning rate 0.1)'
    """

    title = "Gradient descent"

    def __init__(self, x: Any = None, y: Any = None, *, learning_rate: float = 0.1, steps: int = 30,
                 start: tuple[float, float] = (-2.0, 2.0), batch_size: int | None = None, seed: int | None = 0,
                 model: Any = None, weights: Sequence[Any] | None = None, loss: str = "mse",
                 center: tuple[float, float] | None = None, span: float | tuple[float, float] | None = None,
                 resolution: int = 41, learning_rate_range: tuple[float, float] = (1e-3, 3.0),
                 live: bool | None = None, canvas: bool | None = None):
        # canvas (default: unless live=True asks for ipympl): the browser paints the picture from numbers, so Play
        # and a drag repaint at the display's pace; the matplotlib figure (Agg) stays the static picture.
        super().__init__(live=self._use_canvas(live, canvas))
        self.x, self.y = _points(x, y, 8)
        self.loss_name = losses_module.get(loss).name
        self.model = model if model is not None else Sequential([Dense(self.x.shape[1], 1)])
        self.weights = [(name, index) for name, _, index in _pick(self.model, weights)]
        self.steps = check_positive_int(steps, "steps")
        self.batch_size = batch_size
        self.seed = seed
        self.start = tuple(float(s) for s in start)
        # For a line with the squared error the stable range is known exactly; say it when a run diverges.
        self.stable_limit = (largest_stable_learning_rate(self.x)
                             if model is None and self.loss_name == "mse" else None)
        center, span = self._view(center, span)
        if model is None:
            self.surface = line_loss_surface(self.x, self.y, center=center, span=span, resolution=resolution)
        else:
            self.surface = loss_surface_data(self.model, self.x, self.y, self.loss_name, self.weights,
                                             center=center, span=span, resolution=resolution, steps=0)
        learning_rate = check_learning_rate(learning_rate, "learning_rate")
        low, high = (float(v) for v in learning_rate_range)
        low, high = min(low, learning_rate), max(high, learning_rate)
        # A new rate reruns the descent (a few ms): live while dragging when the browser paints the picture.
        rate = self.add_control("learning_rate", widgets.FloatLogSlider(
            value=learning_rate, base=10, min=np.log10(low), max=np.log10(high), step=0.05,
            description="learning rate", readout_format=".3g", continuous_update=self.canvas is not None,
            style={"description_width": "initial"}, layout=widgets.Layout(width="360px")),
            on_change=lambda change: self._new_run())
        rate.add_class("nnl-browser-move")
        self.add_control("play", widgets.Play(value=self.steps, min=0, max=self.steps, step=1, interval=250,
                                              description="play"), on_change=lambda change: None)
        self.add_control("step", widgets.IntSlider(value=self.steps, min=0, max=self.steps, description="step",
                                                   layout=widgets.Layout(width="300px")),
                         on_change=lambda change: self.update())
        # Linked in the kernel, so setting either from Python (or the frontend) moves the other.
        self._link = widgets.link((self.controls["play"], "value"), (self.controls["step"], "value"))
        self.run = self.compute_run()
        self._build_figure()
        self.update()

    def _view(self, center: Any, span: Any) -> tuple[tuple[float, float], Any]:
        """Centre the picture on the best line (when it is a line) and make it wide enough to hold the start."""
        if center is None:
            if self.stable_limit is not None:
                design = np.column_stack([self.x, np.ones(len(self.x))])
                best = np.linalg.lstsq(design, self.y, rcond=None)[0]
                center = (float(best[0]), float(best[-1])) if len(best) == 2 else self.start
            else:
                center = self.start
        center = tuple(float(c) for c in center)
        if span is None:
            reach = max(abs(self.start[0] - center[0]), abs(self.start[1] - center[1]), 1.0)
            span = 1.4 * reach
        return center, span

    @property
    def learning_rate(self) -> float:
        """The learning rate the slider holds now."""
        return float(self.controls["learning_rate"].value)

    @property
    def step(self) -> int:
        """How many descent steps the path shows now."""
        return int(self.controls["step"].value)

    def compute_run(self):
        """The whole descent path for the current learning rate (the compute half)."""
        return descent_path(self.model, self.x, self.y, self.loss_name, learning_rate=self.learning_rate,
                            steps=self.steps, batch_size=self.batch_size, seed=self.seed, weights=self.weights,
                            start=self.start)

    def _new_run(self) -> None:
        self.run = self.compute_run()
        self.update()

    def _build_figure(self) -> None:
        fig = self.new_figure((9.0, 3.6), dpi=90)
        surface_ax = fig.add_axes([0.07, 0.14, 0.4, 0.72])
        curve_ax = fig.add_axes([0.58, 0.14, 0.39, 0.72])
        surface = draw_loss_surface(surface_ax, surface_with_path(self.surface, self.run, self.step))
        contours = draw_loss_contours(surface_ax, self.surface)
        # Log scale: the slow end of a good run and the blow-up of a bad one both stay readable.
        lowest = float(np.nanmin(self.surface.losses))
        ylim = (max(lowest * 0.5, 1e-6), float(self.run.losses[0]) * BLOWUP * 3)
        self._lowest, self._curve_ylim = lowest, ylim
        curve = draw_step_losses(curve_ax, self.run, self.step, max_steps=self.steps, ylim=ylim, log=True)
        curve_ax.axhline(lowest, color=_style.MUTED_COLOR, linestyle=":", linewidth=1)
        curve_ax.text(0.5, lowest * 1.15, "lowest loss on the map", ha="left", va="bottom", fontsize=8,
                      color=_style.MUTED_COLOR)
        title = surface_ax.set_title("", fontsize=10, color=_style.TEXT_COLOR)
        box = {"facecolor": "white", "edgecolor": _style.WARNING_COLOR, "alpha": 0.9}
        warning = surface_ax.text(0.5, 0.5, "", transform=surface_ax.transAxes, ha="center", va="center",
                                  fontsize=12, color=_style.WARNING_COLOR, fontweight="bold", zorder=5, bbox=box)
        curve_ax.set_title("loss after each step", fontsize=10, color=_style.TEXT_COLOR)
        self.artists = {**{f"surface_{k}": v for k, v in surface.items()},
                        **{f"curve_{k}": v for k, v in curve.items()}, "title": title, "warning": warning}
        self._contours, self._canvas_parts = contours, None

    def status(self) -> str:
        """In words: where the run is at the shown step, or that it diverged."""
        run, shown = self.run, min(self.step, self.run.n_steps)
        if run.diverged and self.step >= run.diverged_at:
            text = (f"Diverged at step {run.diverged_at}: each step overshoots the bottom of the valley and lands "
                    f"higher up, so the loss grew to over {BLOWUP:g} times its start")
            if self.stable_limit is not None:
                text += f". For these points any learning rate above {self.stable_limit:.2f} diverges"
            return text + "."
        w1, w2 = run.path[shown]
        names = self.surface.names
        return (f"step {shown} of {self.steps}: {names[0]} = {w1:.2f}, {names[1]} = {w2:.2f}, "
                f"loss {run.losses[shown]:.3f} (learning rate {run.learning_rate:.3g})")

    def compute(self) -> dict[str, Any]:
        """What the current step shows of the run (no descent is rerun: Play and the step slider only slice it)."""
        run, step = self.run, self.step
        shown = min(step, run.n_steps)
        diverged = run.diverged and step >= run.diverged_at
        return {"run": run, "step": step, "shown": shown, "diverged": diverged,
                "warning": f"diverged at step {run.diverged_at}" if diverged else "",
                "title": f"learning rate {run.learning_rate:.3g}, step {shown}: "
                         + ("diverged" if diverged else f"loss {run.losses[shown]:.3f}")}

    def update(self) -> None:
        data = self.compute()
        run, step = data["run"], data["step"]
        update_loss_surface({k.removeprefix("surface_"): v for k, v in self.artists.items()
                             if k.startswith("surface_")}, surface_with_path(self.surface, run, step))
        update_step_losses({"curve": self.artists["curve_curve"], "marker": self.artists["curve_marker"]}, run, step)
        self.artists["warning"].set_text(data["warning"])
        self.artists["warning"].set_visible(data["diverged"])
        self.artists["title"].set_text(data["title"])
        self.set_readout(self.status())
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene(data))

    def _static_scene(self, surface_ax: Any, curve_ax: Any, contours: Any) -> dict[str, Any]:
        """The parts of the canvas scene that never change (the surface, its level lines, the axes), made once."""
        from ..playground import _to_index

        surface = self.surface
        pieces = [np.column_stack([line[:-1], line[1:]]) for level in contours.allsegs for line in level
                  if len(line) > 1]
        ticks = lambda values, low, high: [float(v) for v in values if low <= v <= high]  # noqa: E731
        x0, x1, y0, y1 = (float(v) for v in surface.extent)
        low, high = self._curve_ylim
        decades = 10.0 ** np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1)
        panels = [
            {"box": [58, 30, 324, 232], "xlim": [x0, x1], "ylim": [y0, y1], "axes": True,
             "xlabel": surface.names[0], "ylabel": surface.names[1],
             "xticks": ticks(surface_ax.get_xticks(), x0, x1), "yticks": ticks(surface_ax.get_yticks(), y0, y1)},
            {"box": [470, 30, 316, 232], "xlim": [0.0, float(self.steps)], "ylim": [float(low), float(high)],
             "ylog": True, "axes": True, "xlabel": "step", "ylabel": curve_ax.get_ylabel(),
             "title": "loss after each step", "xticks": ticks(curve_ax.get_xticks(), 0, self.steps),
             "yticks": ticks(decades, low, high)},
        ]
        arrays = {
            "surface": _to_index(surface.losses, *surface.limits),
            "contours": np.concatenate(pieces).astype(np.float32) if pieces else np.zeros((0, 4), np.float32),
            "lowest": np.array([[0.0, self._lowest], [self.steps, self._lowest]], dtype=np.float32),
        }
        return {"panels": panels, "arrays": arrays}

    def scene(self, data: dict[str, Any] | None = None) -> tuple[int, int, list[dict], list[dict], dict]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the same two
        panels, colours (viridis for the surface), value ranges and axes as the matplotlib figure.

        Shapes: surface (resolution, resolution) uint8 palette rows; contours (m, 4), path (shown + 1, 2) and
        losses (shown + 1, 2) float32, where shown = min(step, run.n_steps).
        """
        data = data or self.compute()
        run, shown = data["run"], data["shown"]
        if self._canvas_parts is None:  # made on the first scene, then reused by every step and learning rate
            surface_ax, curve_ax = self.figure.axes
            self._canvas_parts = self._static_scene(surface_ax, curve_ax, self._contours)
        parts = self._canvas_parts
        panels = [dict(parts["panels"][0], title=data["title"]), parts["panels"][1]]
        path = run.path[: shown + 1]
        with np.errstate(over="ignore"):  # a blown-up step beyond float32's range is drawn off the panel anyway
            arrays = {**parts["arrays"], "path": path.astype(np.float32), "here": path[-1:].astype(np.float32),
                      "start": run.path[:1].astype(np.float32),
                      "losses": np.column_stack([run.steps[: shown + 1], run.losses[: shown + 1]]).astype(np.float32),
                      "loss_here": np.array([[shown, run.losses[shown]]]).astype(np.float32)}
        items = [
            {"kind": "image", "panel": 0, "buffer": "surface", "shape": list(self.surface.losses.shape),
             "palette": "palette_viridis", "extent": [float(v) for v in self.surface.extent], "smooth": True},
            {"kind": "segments", "panel": 0, "buffer": "contours", "color": "rgba(255, 255, 255, 0.45)",
             "width": 0.7},
            {"kind": "line", "panel": 0, "buffer": "path", "color": "#ffffff", "width": 1.5},
            {"kind": "markers", "panel": 0, "buffer": "path", "color": "#ffffff", "radius": 2},
            {"kind": "markers", "panel": 0, "buffer": "start", "color": "#ffffff", "edge": "#000000", "radius": 4.5},
            {"kind": "markers", "panel": 0, "buffer": "here", "color": _style.CLASS_COLORS[0], "edge": "#000000",
             "radius": 6},
            {"kind": "line", "panel": 1, "buffer": "lowest", "color": _style.MUTED_COLOR, "width": 1,
             "dash": [1.5, 2.5]},
            {"kind": "text", "panel": 1, "x": 0.5, "y": self._lowest * 1.15, "text": "lowest loss on the map",
             "align": "left", "size": 10, "color": _style.MUTED_COLOR},
            {"kind": "line", "panel": 1, "buffer": "losses", "color": _style.TRAIN_COLOR, "width": 1.9},
            {"kind": "markers", "panel": 1, "buffer": "loss_here", "color": _style.WARNING_COLOR, "radius": 4.5},
        ]
        if data["diverged"]:
            items.append({"kind": "text", "panel": 0, "coords": "axes", "x": 0.5, "y": 0.5, "text": data["warning"],
                          "size": 15, "bold": True, "baseline": "middle", "color": _style.WARNING_COLOR,
                          "background": "rgba(255, 255, 255, 0.9)", "border": _style.WARNING_COLOR})
        return 810, 300, panels, items, arrays

    def summary(self) -> str:
        return self.run.summary()


def explore_gradient_descent(x: Any = None, y: Any = None, *, learning_rate: float = 0.1, steps: int = 30,
                             start: tuple[float, float] = (-2.0, 2.0), batch_size: int | None = None,
                             seed: int | None = 0, model: Any = None, weights: Sequence[Any] | None = None,
                             loss: str = "mse", center: tuple[float, float] | None = None,
                             span: float | tuple[float, float] | None = None, resolution: int = 41,
                             learning_rate_range: tuple[float, float] = (1e-3, 3.0),
                             hide: Sequence[str] = (), canvas: bool | None = None) -> GradientDescentExplorer:
    """Watch gradient descent walk down a loss surface; change the learning rate and play it step by step.

    By default it fits a line ``weight * x + bias`` to ``x``, ``y`` (default: ``nl.descent.line_points(8,
    seed=0)``) with the squared error, starting from ``start`` = (weight, bias). Give ``model`` (and ``weights``:
    the two (parameter name, index) pairs to draw) to watch another model; every weight of it is trained.
    ``batch_size`` walks with mini-batches (shuffled with ``seed``). The browser paints the picture on a canvas
    (``canvas=False``: the matplotlib figure, live with ipympl); ``explorer.figure`` is the same picture either way.

    Shapes: x (n,) or (n, n_inputs), y (n,) -> a GradientDescentExplorer whose ``run.path`` is (steps + 1, 2).

    Example:
        >>> explorer = explore_gradient_descent(learning_rate=0.1, steps=30)
        >>> explorer.run.diverged
        False
        >>> explorer.controls["learning_rate"].value = 1.0       # far above the stable limit
        >>> explorer.run.diverged, explorer.readout_text.startswith("Diverged")
        (True, True)
    """
    explorer = GradientDescentExplorer(
        x, y, learning_rate=learning_rate, steps=steps, start=start, batch_size=batch_size, seed=seed, model=model,
        weights=weights, loss=loss, center=center, span=span, resolution=resolution,
        learning_rate_range=learning_rate_range, canvas=canvas,
    )
    if hide:
        explorer.hide(hide)
    return explorer

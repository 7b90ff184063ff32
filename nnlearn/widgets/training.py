"""explore_optimizers and explore_training_health: optimizers raced on a loss surface, and a network's health
watched while it trains.

- ``explore_optimizers``: sgd, momentum, rmsprop and adam (the library's own optimizer classes) started from one
  point of a ravine, a Rosenbrock valley or a real network's two-weight slice; sliders for the learning rate and
  the momentum, a Play control that walks every path one step per frame, and the loss after each step.
- ``explore_initialization``: a deep network's outputs, one histogram row per layer, as the initialisation, the
  activation and the normalisation change (before any training).
- ``explore_training_health``: a Play control trains the network one epoch per frame; four bar charts show each
  layer's activation spread, gradient spread, share of dead ReLUs and update-to-weight ratio
  (``nl.training_health``), next to the loss so far. Drag the epoch slider back to see earlier epochs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import losses as losses_module
from ..descent import Surface2D, optimizer_path, surface as named_surface
from ..health import training_health
from ..optimizers import get as get_optimizer
from ..plots import _style
from ..plots.descent import draw_loss_contours, draw_race, race_surface_data, update_descent_paths
from ..plots.surface import update_loss_surface
from ..plots.training import _PANELS as _HEALTH_PANELS  # (field, title, log scale, limits) of the four charts
from ..plots.training import (
    _bar_values,
    draw_activation_histograms,
    draw_curves,
    draw_training_health,
    health_panel_data,
    update_curves,
    update_training_health,
)
from ..validation import as_float_array, check_learning_rate, check_positive_int, check_rate
from .base import Explorer
from .live import CanvasPicture

__all__ = ["InitializationExplorer", "OptimizerRaceExplorer", "TrainingHealthExplorer", "explore_initialization",
           "explore_optimizers", "explore_training_health"]

RACE_COLORS = ("#ffffff", "#e69f00", "#56b4e9", "#cc79a7", "#009e73")
CURVE_COLORS = ("#333333",) + RACE_COLORS[1:]  # the loss curves: white would vanish on the white panel
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _f32(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)


def _log_axis(low: float, high: float, most: int = 6) -> tuple[list[float], list[float], list[str]]:
    """A log-scale axis for the browser canvas, which draws linear axes: the limits in log10 units, ticks at
    whole powers of ten (at most ``most``, labelled 10⁻³ ...), or at the two ends when no power of ten is inside."""
    low, high = max(float(low), 1e-300), max(float(high), 1e-300)
    lo, hi = float(np.log10(low)), float(np.log10(max(high, low * 1.000001)))
    first, last = int(np.ceil(lo - 1e-9)), int(np.floor(hi + 1e-9))
    if last < first:
        return [lo, hi], [lo, hi], [f"{low:.2g}", f"{high:.2g}"]
    every = max(1, int(np.ceil((last - first + 1) / most)))
    ticks = list(range(first, last + 1, every))
    return [lo, hi], [float(k) for k in ticks], ["10" + str(k).translate(_SUPERSCRIPT) for k in ticks]


def _log10_curve(values: Any, start: int = 0) -> np.ndarray:
    """(x, log10 value) rows of a curve on a log axis, x counting from ``start``; values <= 0 or not finite left out."""
    values = np.asarray(values, dtype=float)
    steps = np.arange(start, start + len(values))
    keep = np.isfinite(values) & (values > 0)
    return _f32(np.column_stack([steps[keep], np.log10(values[keep])]))


def _legend(panels: list[dict], index: int, entries: Sequence[tuple[str, str]], name: str, *,
            dark: bool) -> tuple[list, dict]:
    """Canvas items for a legend in the upper right corner of ``panels[index]``: one short line and one label per
    (label, colour); ``dark`` puts them on a dark box (over a loss surface), as the matplotlib legend does."""
    panel = panels[index]
    x, y, w, h = panel["box"]
    (x0, x1), (y0, y1) = panel["xlim"], panel["ylim"]
    to_data = lambda px, py: [x0 + (px - x) / w * (x1 - x0), y1 - (py - y) / h * (y1 - y0)]  # noqa: E731
    width = 30 + 5.6 * max(len(label) for label, _ in entries)
    left, top = x + w - 6 - width, y + 6
    items, arrays = [], {}
    if dark:
        arrays[f"{name}_box"] = _f32([to_data(left, top + 6 + 14 * len(entries)) + to_data(left + width, top)])
        items.append({"kind": "bars", "panel": index, "buffer": f"{name}_box", "color": "#333333",
                      "alpha": 0.85})
    for k, (label, color) in enumerate(entries):
        row = top + 11 + 14 * k
        arrays[f"{name}_{k}"] = _f32([to_data(left + 5, row), to_data(left + 22, row)])
        items.append({"kind": "line", "panel": index, "buffer": f"{name}_{k}", "color": color, "width": 1.5})
        items.append({"kind": "text", "panel": index, "coords": "axes", "x": (left + 27 - x) / w,
                      "y": 1 - (row - y) / h, "text": label, "size": 10, "align": "left", "baseline": "middle",
                      "color": "#ffffff" if dark else _style.TEXT_COLOR})
    return items, arrays


class OptimizerRaceExplorer(CanvasPicture, Explorer):
    """Several optimizers from one start on one loss surface, drawn at once.

    Controls: ``surface`` ('ravine', 'rosenbrock'; hidden when a Surface2D is given), ``learning_rate`` (log
    slider, the same rate for every optimizer), ``momentum`` (for 'momentum'), ``play`` and ``step`` (how many
    steps the paths show). Left: the surface with every path; right: the loss after each step, log scale.
    The browser paints the picture on a canvas (``canvas=False``: the matplotlib figure, live with ipympl); a
    Play tick only cuts the paths, computed once per learning rate and momentum.

    Shapes: each run's path (steps + 1, 2) at most; ``runs`` maps optimizer name -> DescentPath.

    Example:
        >>> explorer = OptimizerRaceExplorer("ravine", learning_rate=0.1, steps=100, live=False)
        >>> sorted(explorer.runs)
        ['adam', 'momentum', 'rmsprop', 'sgd']
        >>> explorer.controls["momentum"].value = 0.0           # momentum 0 is plain sgd
        >>> bool(np.allclose(explorer.runs["momentum"].path, explorer.runs["sgd"].path))
        True
    """

    title = "Optimizer race"

    def __init__(self, surface: str | Surface2D = "ravine",
                 optimizers: Sequence[str] = ("sgd", "momentum", "rmsprop", "adam"), *, learning_rate: float = 0.1,
                 momentum: float = 0.9, steps: int = 100, resolution: int = 81,
                 learning_rate_range: tuple[float, float] = (1e-3, 1.0), live: bool | None = None,
                 canvas: bool | None = None):
        # canvas (default: unless live=True asks for ipympl): the browser paints the picture from numbers (a
        # LiveFigure); the matplotlib figure (Agg) stays the static picture and ``explorer.figure``.
        super().__init__(live=self._use_canvas(live, canvas))
        self._static_scene: tuple[Any, dict] | None = None  # the surface's pixels and level lines, per surface
        self.optimizer_names = list(optimizers)
        for name in self.optimizer_names:
            get_optimizer(name)  # an unknown name fails here, naming the valid ones
        self.steps = check_positive_int(steps, "steps")
        self.resolution = check_positive_int(resolution, "resolution")
        self._given_surface = surface if isinstance(surface, Surface2D) else None
        choice = self._given_surface.name if self._given_surface is not None else named_surface(surface).name
        learning_rate = check_learning_rate(learning_rate, "learning_rate")
        low, high = min(learning_rate_range[0], learning_rate), max(learning_rate_range[1], learning_rate)
        self.add_control("surface", widgets.Dropdown(
            options=[choice] if self._given_surface is not None else ["ravine", "rosenbrock"], value=choice,
            description="surface", layout=widgets.Layout(width="200px")), on_change=lambda change: self._new_surface())
        rate = self.add_control("learning_rate", widgets.FloatLogSlider(
            value=learning_rate, base=10, min=np.log10(low), max=np.log10(high), step=0.05,
            description="learning rate", readout_format=".3g", continuous_update=False,
            style={"description_width": "initial"}, layout=widgets.Layout(width="340px")),
            on_change=lambda change: self._new_runs())
        rate.add_class("nnl-browser-move")
        self.add_control("momentum", widgets.FloatSlider(
            value=check_rate(momentum, "momentum"), min=0.0, max=0.99, step=0.01, description="momentum",
            readout_format=".2f", continuous_update=False, layout=widgets.Layout(width="300px")),
            on_change=lambda change: self._new_runs())
        self.add_control("play", widgets.Play(value=self.steps, min=0, max=self.steps, step=1, interval=80,
                                              description="play"), on_change=lambda change: None)
        self.add_control("step", widgets.IntSlider(value=self.steps, min=0, max=self.steps, description="step",
                                                   layout=widgets.Layout(width="300px")),
                         on_change=lambda change: self.update())
        self._link = widgets.link((self.controls["play"], "value"), (self.controls["step"], "value"))
        if self._given_surface is not None:
            self.hide(["surface"])
        self.surface = self._current_surface()
        self.runs = self.compute()
        self._build_figure()
        self.update()

    # ------------------------------------------------------------------ compute
    def _current_surface(self) -> Surface2D:
        if self._given_surface is not None:
            return self._given_surface
        return named_surface(self.controls["surface"].value)

    @property
    def learning_rate(self) -> float:
        """The learning rate the slider holds now."""
        return float(self.controls["learning_rate"].value)

    @property
    def momentum(self) -> float:
        """The momentum the slider holds now."""
        return float(self.controls["momentum"].value)

    @property
    def step(self) -> int:
        """How many steps the paths show now."""
        return int(self.controls["step"].value)

    def compute(self) -> dict[str, Any]:
        """Every optimizer's whole path for the current surface, learning rate and momentum (the compute half)."""
        return {name: optimizer_path(self.surface, name, learning_rate=self.learning_rate, steps=self.steps,
                                     momentum=self.momentum if name == "momentum" else None)
                for name in self.optimizer_names}

    def labels(self) -> list[str]:
        """Legend entries: each optimizer and its loss at the shown step (or where it blew up)."""
        out = []
        for name, run in self.runs.items():
            if run.diverged and self.step >= run.diverged_at:
                out.append(f"{name}: diverged at step {run.diverged_at}")
            else:
                out.append(f"{name}: loss {run.losses[min(self.step, run.n_steps)]:.3g}")
        return out

    # ------------------------------------------------------------------ draw
    def _build_figure(self) -> None:
        fig = self.new_figure((9.5, 3.8), dpi=90)
        surface_ax = fig.add_axes([0.06, 0.13, 0.42, 0.75])
        curve_ax = fig.add_axes([0.58, 0.13, 0.39, 0.75])
        race = draw_race(surface_ax, self.surface, list(self.runs.values()), self.labels(),
                         resolution=self.resolution, colors=RACE_COLORS)
        self._contours = race["contours"]
        surface, lines, goal = race["surface"], race["paths"], race["goal"]
        curves = draw_curves(curve_ax, self._loss_curves(), xlabel="step", ylabel="loss",
                             colors=("#333333",) + RACE_COLORS[1:])
        curve_ax.set_xlim(0, self.steps + 1)
        surface_ax.set_title("paths from the same start", fontsize=10, color=_style.TEXT_COLOR)
        curve_ax.set_title("loss after each step", fontsize=10, color=_style.TEXT_COLOR)
        self.artists = {**{f"surface_{k}": v for k, v in surface.items()}, "paths": lines, "goal": goal,
                        "curves": curves["lines"], "curve_axes": curve_ax}

    def _loss_curves(self) -> dict[str, np.ndarray]:
        return {name: run.losses[: min(self.step, run.n_steps) + 1] for name, run in self.runs.items()}

    def _new_surface(self) -> None:
        self.surface = self._current_surface()
        data = race_surface_data(self.surface, self.resolution)
        update_loss_surface({k.removeprefix("surface_"): v for k, v in self.artists.items()
                             if k.startswith("surface_")}, data)
        ax = self.artists["surface_surface"].axes
        self._contours.remove()
        self._contours = draw_loss_contours(ax, data)
        self.artists["goal"].set_data(*([v] for v in (self.surface.minimum or (np.nan, np.nan))))
        self._new_runs()

    def _new_runs(self) -> None:
        self.runs = self.compute()
        self.update()

    def update(self) -> None:
        labels = self.labels()
        update_descent_paths(self.artists["paths"], list(self.runs.values()), labels, upto=self.step)
        curves = self._loss_curves()
        for line, values in zip(self.artists["curves"], curves.values()):
            keep = np.isfinite(values) & (values > 0)
            line.set_data(np.arange(len(values))[keep], values[keep])
        ax = self.artists["curve_axes"]
        positive = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in curves.values()] + [np.array([1.0])])
        ax.set_ylim(max(positive.min() * 0.5, 1e-12), positive.max() * 2.0)
        self.set_readout(self.summary())
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene())

    def _surface_scene(self) -> dict[str, Any]:
        """What stays while the paths move, made once per surface: the surface's RGBA pixels (the matplotlib
        image's own colour map and range), its level lines as segments, and the axes' ticks."""
        if self._static_scene is None or self._static_scene[0] is not self.surface:
            image = self.artists["surface_surface"]
            lines = [np.column_stack([poly[:-1], poly[1:]]) for level in self._contours.allsegs for poly in level
                     if len(poly) > 1]
            ax, curve_ax = image.axes, self.artists["curve_axes"]
            ticks = lambda values, limits: [float(v) for v in values if limits[0] <= v <= limits[1]]  # noqa: E731
            self._static_scene = (self.surface, {
                "rgba": np.ascontiguousarray(image.to_rgba(image.get_array(), bytes=True)),
                "contours": _f32(np.concatenate(lines) if lines else np.zeros((0, 4))),
                "extent": [float(v) for v in image.get_extent()],
                "xticks": ticks(ax.get_xticks(), ax.get_xlim()), "yticks": ticks(ax.get_yticks(), ax.get_ylim()),
                "curve_xticks": ticks(curve_ax.get_xticks(), curve_ax.get_xlim())})
        return self._static_scene[1]

    def scene(self) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the surface with
        every path up to the current step, the loss curves, the same colours and ranges as the matplotlib figure.

        Shapes: surface (resolution, resolution, 4) uint8 RGBA; each path (min(step, k) + 1, 2) float32; each loss
        curve (n, 2) float32 of (step, log10 loss).
        """
        static = self._surface_scene()
        e0, e1, e2, e3 = static["extent"]
        curve_ax = self.artists["curve_axes"]
        ylim, yticks, ylabels = _log_axis(*curve_ax.get_ylim())
        panels = [
            {"box": [50, 28, 370, 262], "xlim": [e0, e1], "ylim": [e2, e3], "axes": True,
             "xlabel": self.surface.names[0], "ylabel": self.surface.names[1], "title": "paths from the same start",
             "xticks": static["xticks"], "yticks": static["yticks"]},
            {"box": [520, 28, 320, 262], "xlim": [0.0, float(self.steps + 1)], "ylim": ylim, "axes": True,
             "xlabel": "step", "ylabel": "loss", "title": "loss after each step", "xticks": static["curve_xticks"],
             "yticks": yticks, "yticklabels": ylabels},
        ]
        rgba = static["rgba"]
        arrays: dict[str, np.ndarray] = {"surface": rgba, "contours": static["contours"],
                                         "start": _f32([self.surface.start])}
        items: list[dict] = [
            {"kind": "image", "panel": 0, "buffer": "surface", "shape": list(rgba.shape[:2]), "rgba": True,
             "extent": static["extent"], "smooth": True},
            {"kind": "segments", "panel": 0, "buffer": "contours", "color": "rgba(255,255,255,0.45)", "width": 0.6},
        ]
        limit = 1e7 * max(e1 - e0, e3 - e2, 1.0)  # a blown-up run's far points stay finite in float32
        ends = []
        for k, (name, run) in enumerate(self.runs.items()):
            last = min(self.step, run.n_steps)
            path = run.path[: last + 1]
            path = np.where(np.isfinite(path), np.clip(path, -limit, limit), np.nan)  # the canvas skips NaN points
            arrays[f"path_{k}"], arrays[f"here_{k}"] = _f32(path), _f32(path[-1:])
            arrays[f"loss_{k}"] = _log10_curve(run.losses[: last + 1])
            arrays[f"now_{k}"] = _log10_curve(run.losses[self.step: self.step + 1], start=self.step)  # if it got there
            items.append({"kind": "line", "panel": 0, "buffer": f"path_{k}", "color": RACE_COLORS[k % 5],
                          "width": 1.6})
            ends.append({"kind": "markers", "panel": 0, "buffer": f"here_{k}", "color": RACE_COLORS[k % 5],
                         "edge": "#000000", "radius": 3.5})
            items.append({"kind": "line", "panel": 1, "buffer": f"loss_{k}", "color": CURVE_COLORS[k % 5],
                          "width": 1.5})
            items.append({"kind": "markers", "panel": 1, "buffer": f"now_{k}", "color": CURVE_COLORS[k % 5],
                          "radius": 3})
        arrays["step_line"] = _f32([[self.step, ylim[0]], [self.step, ylim[1]]])
        items.append({"kind": "line", "panel": 1, "buffer": "step_line", "color": "#bbbbbb", "width": 1.0,
                      "dash": [4, 3]})
        items += [*ends, {"kind": "markers", "panel": 0, "buffer": "start", "color": "#ffffff", "edge": "#000000",
                          "radius": 4.5}]
        if self.surface.minimum is not None:
            arrays["goal"] = _f32([self.surface.minimum])
            items.append({"kind": "markers", "panel": 0, "buffer": "goal", "color": "#ffffff", "edge": "#000000",
                          "radius": 5.5})
        for index, entries, dark in ((0, zip(self.labels(), RACE_COLORS), True),
                                     (1, zip(self.runs, CURVE_COLORS), False)):
            more_items, more_arrays = _legend(panels, index, list(entries), f"legend{index}", dark=dark)
            items += more_items
            arrays.update(more_arrays)
        return 860, 330, panels, items, arrays

    def summary(self) -> str:
        return (f"{self.surface.name}, learning rate {self.learning_rate:.3g}, momentum {self.momentum:.2f}, "
                f"step {self.step}: " + "; ".join(self.labels()))


def explore_optimizers(surface: str | Surface2D = "ravine",
                       optimizers: Sequence[str] = ("sgd", "momentum", "rmsprop", "adam"), *,
                       learning_rate: float = 0.1, momentum: float = 0.9, steps: int = 100,
                       hide: Sequence[str] = (), canvas: bool | None = None) -> OptimizerRaceExplorer:
    """Race optimizers across a loss surface: paths drawn at once, learning-rate and momentum sliders.

    ``surface`` is 'ravine', 'rosenbrock' or a ``nl.descent.Surface2D`` such as
    ``nl.descent.network_surface(model, x, y, "bce", weights=[...])`` (a real network's slice). The browser
    paints the picture on a canvas (``canvas=False``: the matplotlib figure, live with ipympl);
    ``explorer.figure`` is the same picture in matplotlib either way.

    Shapes: none in -> an OptimizerRaceExplorer (each path (steps + 1, 2) at most).

    Example:
        >>> explorer = explore_optimizers("rosenbrock", learning_rate=0.1, steps=200)
        >>> [name for name, run in explorer.runs.items() if not run.diverged]      # only adam survives 0.1 here
        ['adam']
    """
    explorer = OptimizerRaceExplorer(surface, optimizers, learning_rate=learning_rate, momentum=momentum,
                                     steps=steps, canvas=canvas)
    if hide:
        explorer.hide(hide)
    return explorer


class TrainingHealthExplorer(CanvasPicture, Explorer):
    """A network trained one epoch per Play frame, its ``training_health`` drawn after each epoch.

    Controls: ``play`` (trains on: one epoch per frame) and ``epoch`` (linked to it; dragging back shows an
    earlier epoch's numbers, dragging forward trains up to it). Panels: activation spread, gradient spread,
    dead ReLU share and update-to-weight ratio per layer, and the training loss so far. The browser paints the
    picture on a canvas (``canvas=False``: the matplotlib figure, live with ipympl).

    Shapes: x (n, n_inputs), y (n,) -> ``snapshots[e]`` holds the HealthPanelData after e epochs.

    Example:
        >>> import nnlearn as nl
        >>> x, y = nl.datasets.moons(n=100, noise=0.1, seed=0)
        >>> model = nl.Sequential([nl.Dense(2, 16, "relu"), nl.Dense(16, 1, "sigmoid")], seed=0)
        >>> explorer = TrainingHealthExplorer(model, x, y, "bce", optimizer="adam", learning_rate=0.05,
        ...                                   epochs=10, live=False)
        >>> explorer.controls["epoch"].value = 3                # trains three epochs
        >>> explorer.trained_epochs, len(explorer.losses)
        (3, 3)
    """

    title = "Training health"

    def __init__(self, model: Any, x: Any, y: Any, loss: str = "bce", *, optimizer: Any = "sgd",
                 learning_rate: float = 0.05, epochs: int = 30, batch_size: int | None = None, seed: int | None = 0,
                 live: bool | None = None, canvas: bool | None = None):
        # canvas (default: unless live=True asks for ipympl): the browser paints the bars from numbers (a
        # LiveFigure); the matplotlib figure (Agg) stays the static picture and ``explorer.figure``.
        super().__init__(live=self._use_canvas(live, canvas))
        self.model = model
        self.x = as_float_array(x, "x")
        self.y = y
        self.loss_name = losses_module.get(loss).name
        self.epochs = check_positive_int(epochs, "epochs")
        self.batch_size = batch_size
        self.seed = seed
        self.optimizer = get_optimizer(optimizer, check_learning_rate(learning_rate, "learning_rate"))
        self.losses: list[float] = []
        self.trained_epochs = 0
        self.snapshots = [self._snapshot()]
        play = self.add_control("play", widgets.Play(value=0, min=0, max=self.epochs, step=1, interval=300,
                                                     description="train"), on_change=lambda change: None)
        play.add_class("nnl-health-play")  # the browser suite presses this one (the race explorer has a Play too)
        self.add_control("epoch", widgets.IntSlider(value=0, min=0, max=self.epochs, description="epoch",
                                                    layout=widgets.Layout(width="320px")),
                         on_change=lambda change: self.update())
        self._link = widgets.link((self.controls["play"], "value"), (self.controls["epoch"], "value"))
        fig = self.new_figure((10.0, 3.0), dpi=85)
        health_axes = [fig.add_axes([0.05 + 0.165 * k, 0.2, 0.12, 0.6]) for k in range(4)]
        curve_ax = fig.add_axes([0.76, 0.2, 0.22, 0.6])
        health = draw_training_health(health_axes, self.snapshots[0])
        curves = draw_curves(curve_ax, {"training loss": []}, xlabel="epoch", ylabel="loss",
                             title="loss so far")
        curve_ax.set_xlim(0, self.epochs + 1)
        self.artists = {"health": health, "curves": curves, "health_axes": health_axes, "curve_axes": curve_ax}
        self.update()

    @property
    def epoch(self) -> int:
        """The epoch shown now."""
        return int(self.controls["epoch"].value)

    def _snapshot(self):
        report = training_health(self.model, self.x, self.y, loss=self.loss_name,
                                 learning_rate=self.optimizer.learning_rate)
        title = f"after {self.trained_epochs} epochs" + (f": loss {self.losses[-1]:.4g}" if self.losses else "")
        return health_panel_data(report, title)

    def train_to(self, epoch: int) -> None:
        """Train one epoch at a time until ``epoch`` epochs are done, recording the health after each."""
        while self.trained_epochs < epoch:
            seed = None if self.seed is None else self.seed + self.trained_epochs
            history = self.model.fit(self.x, self.y, self.loss_name, optimizer=self.optimizer, epochs=1,
                                     batch_size=self.batch_size, seed=seed, progress=False)
            if not history.loss:  # diverged: fit kept the last finite weights and warned
                self.losses.append(float("nan"))
            else:
                self.losses.append(history.loss[-1])
            self.trained_epochs += 1
            self.snapshots.append(self._snapshot())

    def update(self) -> None:
        self.train_to(self.epoch)
        update_training_health(self.artists["health"], self.snapshots[self.epoch])
        update_curves(self.artists["curves"], {"training loss": self.losses[: self.epoch]})
        self.set_readout(self.summary())
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene())

    def scene(self) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the four bar
        charts of the shown epoch (log10 heights on the log panels, as their axes are) and the loss so far.

        Shapes: bars_0 ... bars_3 (n_layers, 4) float32 rectangles x0, y0, x1, y1; loss (epoch, 2) float32.
        """
        data = self.snapshots[self.epoch]
        positions = np.arange(1, len(data.labels) + 1, dtype=float)
        panels: list[dict] = [{"box": [0, 0, 890, 22], "xlim": [0.0, 1.0], "ylim": [0.0, 1.0], "axes": False,
                               "clip": False}]
        items: list[dict] = [{"kind": "text", "panel": 0, "coords": "axes", "x": 0.5, "y": 0.2, "text": data.title,
                              "size": 12}]
        arrays: dict[str, np.ndarray] = {}
        for k, (ax, (field, title, log, _)) in enumerate(zip(self.artists["health_axes"], _HEALTH_PANELS)):
            low, high = ax.get_ylim()
            if log:
                ylim, yticks, ylabels = _log_axis(low, high, most=5)
                heights = np.log10(_bar_values(getattr(data, field), log=True))
            else:
                ylim, yticks, ylabels = [float(low), float(high)], [0.0, 0.5, 1.0], ["0", "0.5", "1"]
                heights = _bar_values(getattr(data, field), log=False)
            panels.append({"box": [40 + 170 * k, 50, 120, 150], "xlim": [float(v) for v in ax.get_xlim()],
                           "ylim": ylim, "axes": True, "title": title, "xlabel": "layer",
                           "xticks": positions.tolist(), "yticks": yticks, "yticklabels": ylabels})
            arrays[f"bars_{k}"] = _f32(np.column_stack([positions - 0.35, np.full(len(positions), ylim[0]),
                                                         positions + 0.35, heights]))
            items.append({"kind": "bars", "panel": k + 1, "buffer": f"bars_{k}", "color": _style.POSITIVE})
        xlim = panels[4]["xlim"]
        arrays["ratio_guide"] = _f32([[xlim[0], -3.0], [xlim[1], -3.0]])  # the dashed line at 1e-3
        items.append({"kind": "line", "panel": 4, "buffer": "ratio_guide", "color": _style.MUTED_COLOR,
                      "width": 0.8, "dash": [4, 3]})
        curve_ax = self.artists["curve_axes"]
        ylim, yticks, ylabels = _log_axis(*curve_ax.get_ylim(), most=4)
        panels.append({"box": [710, 50, 170, 150], "xlim": [float(v) for v in curve_ax.get_xlim()], "ylim": ylim,
                       "axes": True, "title": "loss so far", "xlabel": "epoch", "ylabel": "loss",
                       "xticks": [float(v) for v in curve_ax.get_xticks() if 0 <= v <= self.epochs + 1],
                       "yticks": yticks, "yticklabels": ylabels})
        arrays["loss"] = _log10_curve(self.losses[: self.epoch], start=1)
        items.append({"kind": "line", "panel": 5, "buffer": "loss", "color": _style.TRAIN_COLOR, "width": 1.5})
        more_items, more_arrays = _legend(panels, 5, [("training loss", _style.TRAIN_COLOR)], "legend", dark=False)
        return 890, 235, panels, items + more_items, {**arrays, **more_arrays}

    def summary(self) -> str:
        data = self.snapshots[self.epoch]
        loss = f", loss {self.losses[self.epoch - 1]:.4g}" if self.epoch else ""
        return (f"epoch {self.epoch}{loss}: gradient spread first/last layer "
                f"{data.gradient_std[0]:.2g}/{data.gradient_std[-1]:.2g}")


def explore_training_health(model: Any, x: Any, y: Any, loss: str = "bce", *, optimizer: Any = "sgd",
                            learning_rate: float = 0.05, epochs: int = 30, batch_size: int | None = None,
                            seed: int | None = 0, hide: Sequence[str] = (),
                            canvas: bool | None = None) -> TrainingHealthExplorer:
    """Watch every layer's health while ``model`` trains on (x, y): press Play to train one epoch per frame.

    The model is trained in place (its weights change); pass a fresh one to start again. The browser paints the
    bars on a canvas (``canvas=False``: the matplotlib figure, live with ipympl).

    Shapes: x (n, n_inputs), y (n,) -> a TrainingHealthExplorer with one bar per layer in each panel.

    Example:
        >>> import nnlearn as nl
        >>> x, y = nl.datasets.moons(n=80, noise=0.1, seed=0)
        >>> model = nl.Sequential([nl.Dense(2, 8, "tanh"), nl.Dense(8, 1, "sigmoid")], seed=0)
        >>> explorer = explore_training_health(model, x, y, "bce", optimizer="adam", learning_rate=0.05, epochs=5)
        >>> explorer.controls["play"].value = 5
        >>> explorer.losses[-1] < explorer.losses[0]
        True
    """
    explorer = TrainingHealthExplorer(model, x, y, loss, optimizer=optimizer, learning_rate=learning_rate,
                                      epochs=epochs, batch_size=batch_size, seed=seed, canvas=canvas)
    if hide:
        explorer.hide(hide)
    return explorer


class InitializationExplorer(Explorer):
    """A deep network's outputs layer by layer as the initialisation, the activation and the normalisation change.

    Controls: ``activation`` ('tanh', 'relu'), ``init`` ('normal(0.01)', 'glorot', 'he', 'normal(1.0)') and
    ``norm`` ('none', 'batch', 'layer'). The figure shows one histogram row per Dense layer (before any
    training) and the readout the spread of the first and the last hidden layer.

    Shapes: x (n, n_inputs) -> ``data.shares`` (depth, bins): one row per Dense layer.

    Example:
        >>> import numpy as np
        >>> explorer = InitializationExplorer(np.random.default_rng(0).normal(size=(100, 2)), live=False)
        >>> explorer.controls["init"].value = "normal(0.01)"
        >>> bool(explorer.data.stds[-2] < 1e-10)          # the signal has faded by the last hidden layer
        True
    """

    title = "Initialisation"
    INITS = ("normal(0.01)", "glorot", "he", "normal(1.0)")

    def __init__(self, x: Any = None, *, depth: int = 10, width: int = 32, activation: str = "tanh",
                 init: str = "glorot", norm: str | None = None, seed: int | None = 0, live: bool | None = None):
        super().__init__(live=live)
        from ..datasets import spirals

        self.x = spirals(n=300, noise=0.1, classes=2, seed=0)[0] if x is None else as_float_array(x, "x")
        self.depth = check_positive_int(depth, "depth")
        self.width = check_positive_int(width, "width")
        self.seed = seed
        choices = {"activation": (["tanh", "relu"], activation), "init": (list(self.INITS), init),
                   "norm": (["none", "batch", "layer"], "none" if norm is None else norm)}
        for name, (options, value) in choices.items():
            if value not in options:
                from ..validation import unknown_name

                raise unknown_name(name, value, options)
            self.add_control(name, widgets.Dropdown(options=options, value=value, description=name,
                                                    layout=widgets.Layout(width="220px")))
        self.data = self.compute()
        fig = self.new_figure((5.0, 3.6), dpi=90)
        ax = fig.add_axes([0.12, 0.14, 0.7, 0.7])
        self.artists = draw_activation_histograms(ax, self.data)
        self._value_range = self.data.value_range
        self.update()

    def compute(self):
        """Build the network for the current choices and histogram every Dense layer's outputs."""
        from ..health import deep_net
        from ..plots.training import activation_histogram_data

        norm = self.controls["norm"].value
        self.model = deep_net(self.x.shape[1], depth=self.depth, width=self.width,
                              activation=self.controls["activation"].value, init=self.controls["init"].value,
                              norm=None if norm == "none" else norm, seed=self.seed)
        return activation_histogram_data(self.model, self.x, layer_types=["Dense"])

    def update(self) -> None:
        from ..plots.training import update_activation_histograms

        self.data = self.compute()
        update_activation_histograms(self.artists, self.data)
        low, high = self.data.value_range
        self.artists["image"].set_extent((low, high, len(self.data.labels) + 0.5, 0.5))
        self.artists["image"].axes.set_xlim(low, high)
        c = self.controls
        self.artists["image"].axes.set_title(f"{c['activation'].value}, {c['init'].value}, norm {c['norm'].value}",
                                             fontsize=10, color=_style.TEXT_COLOR, pad=12)
        self.set_readout(self.summary())
        self.redraw()

    def summary(self) -> str:
        c = self.controls
        return (f"{c['activation'].value}, {c['init'].value}, norm {c['norm'].value}: spread of layer 1 "
                f"{self.data.stds[0]:.2g}, of the last hidden layer {self.data.stds[-2]:.2g}")


def explore_initialization(x: Any = None, *, depth: int = 10, width: int = 32, activation: str = "tanh",
                           init: str = "glorot", norm: str | None = None,
                           hide: Sequence[str] = ()) -> InitializationExplorer:
    """Pick an initialisation, an activation and a normalisation and see every layer's outputs of a deep network
    (``nl.health.deep_net``) before training: one histogram row per Dense layer.

    ``x`` defaults to 300 points of two spirals (``nl.datasets.spirals(seed=0)``).

    Shapes: x (n, n_inputs) -> an InitializationExplorer with ``depth`` histogram rows.

    Example:
        >>> explorer = explore_initialization(activation="relu", init="he")
        >>> explorer.controls["init"].value = "normal(1.0)"      # ReLU with large weights: the signal explodes
        >>> bool(explorer.data.stds[-2] > 1000)
        True
    """
    explorer = InitializationExplorer(x, depth=depth, width=width, activation=activation, init=init, norm=norm)
    if hide:
        explorer.hide(hide)
    return explorer

"""An explorer for generalization: change the data and the network, retrain, and compare train with test.

``explore_generalization`` trains a small classifier afresh (a fifth of a second to over a second) whenever a
slider moves: training-set size, hidden units, label noise, L2 penalty. A setting seen before is not trained again:
its run comes from a cache, so moving a slider back is instant. The figure shows the decision boundary with the
training points (wrong labels ringed in red) and some test points, the train and test loss per epoch, and the
train and test accuracy. The browser paints it on a canvas from numbers (a LiveFigure); the matplotlib figure is
the static picture.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ipywidgets as widgets
import numpy as np

from ..generalization import POOL_SIZE, GeneralizationRun, generalization_data, generalization_run
from ..plots import _style
from ..plots._grid import input_extent
from ..plots.boundary import (
    DecisionBoundaryData,
    decision_boundary_data,
    draw_decision_boundary,
    point_groups,
    update_decision_boundary,
)
from ..plots.curves import draw_loss_curve, loss_curve_data, update_loss_curve
from ..plots.generalization import draw_accuracy_bars, update_accuracy_bars
from .base import Explorer
from .live import CanvasPicture

__all__ = ["GeneralizationExplorer", "explore_generalization"]

HIDDEN_UNITS = (1, 2, 3, 4, 8, 16, 32, 64, 128)
L2_VALUES = (0.0, 0.0003, 0.001, 0.003, 0.01, 0.03)
TEST_POINTS_SHOWN = 150  # of the 500 test points: enough to see, few enough not to hide the boundary
RESOLUTION = 60
RUN_CACHE = 64  # trained runs kept (newest used first out last): about 100 KB each
FIGURE_SIZE, FIGURE_DPI = (9.6, 3.5), 90  # the canvas scene has the same size in CSS pixels: 864 x 315
AXES = {"boundary": (0.065, 0.13, 0.35, 0.78), "loss": (0.49, 0.13, 0.28, 0.78), "bars": (0.84, 0.13, 0.14, 0.78)}
BOUNDARY_TITLE = "dots: training, diamonds: test, red rings: wrong labels"


class GeneralizationExplorer(CanvasPicture, Explorer):
    """Sliders for the training-set size, hidden units, label noise and L2; every new setting retrains.

    Controls: ``n_train``, ``hidden_units``, ``label_noise`` (the control a browser test moves), ``l2``.
    Artists: ``boundary`` (from ``draw_decision_boundary``), ``flipped`` (red rings), ``loss`` (train and
    test loss lines), ``accuracy`` (the two bars). ``run`` is the last GeneralizationRun (the compute half).
    Runs are kept per setting (the last ``cache_size``), so a setting seen before comes back without training.
    ``canvas`` (default: unless ``live=True`` asks for ipympl): the browser paints the picture (``scene``).

    Shapes: ``run.data.x_train`` (n_train, 2), ``run.data.y_train`` (n_train,) -> a decision surface (60, 60),
    a loss per epoch (epochs,) and two accuracies.

    Example:
        >>> explorer = GeneralizationExplorer(n_train=20, hidden_units=2, epochs=50, live=False)
        >>> int(explorer.run.data.flipped.sum()), len(explorer.artists["flipped"].get_xdata())
        (3, 3)
        >>> explorer.controls["label_noise"].value = 0.0      # retrains with every label right: no red rings
        >>> int(explorer.run.data.flipped.sum()), len(explorer.artists["flipped"].get_xdata())
        (0, 0)
    """

    title = "Generalization"

    def __init__(self, dataset: str = "moons", n_train: int = 60, hidden_units: int = 32, label_noise: float = 0.15,
                 l2: float = 0.0, *, noise: float = 0.2, epochs: int = 500, seed: int = 0, live: bool | None = None,
                 canvas: bool | None = None):
        # canvas (default: unless live=True asks for ipympl): the browser paints the picture from numbers (a
        # LiveFigure); the matplotlib figure (Agg) stays the static picture and ``explorer.figure``.
        super().__init__(live=self._use_canvas(live, canvas))
        self.cache_size = RUN_CACHE
        self._runs: OrderedDict[tuple, tuple[GeneralizationRun, DecisionBoundaryData]] = OrderedDict()
        self.dataset, self.noise, self.epochs, self.seed = dataset, float(noise), int(epochs), int(seed)
        units = min(HIDDEN_UNITS, key=lambda u: abs(u - int(hidden_units)))
        l2_value = min(L2_VALUES, key=lambda v: abs(v - float(l2)))
        slider = {"continuous_update": False, "style": {"description_width": "initial"},
                  "layout": widgets.Layout(width="300px")}
        self.add_control("n_train", widgets.IntSlider(value=int(n_train), min=10, max=POOL_SIZE, step=10,
                                                      description="training points", **slider))
        self.add_control("hidden_units", widgets.SelectionSlider(options=list(HIDDEN_UNITS), value=units,
                                                                 description="hidden units", **slider))
        self.add_control("label_noise", widgets.FloatSlider(value=float(label_noise), min=0.0, max=0.45, step=0.05,
                                                            description="wrong labels", readout_format=".0%",
                                                            **slider))
        self.controls["label_noise"].add_class("nnl-browser-move")
        self.add_control("l2", widgets.SelectionSlider(options=[(f"{v:g}", v) for v in L2_VALUES], value=l2_value,
                                                       description="L2 penalty", **slider))
        everything = generalization_data(dataset, POOL_SIZE, noise=self.noise, seed=self.seed)
        self.extent = input_extent(np.concatenate([everything.x_train, everything.x_test]), 0.1)
        self.run: GeneralizationRun | None = None
        self._build_figure()
        self.update()

    def settings(self) -> tuple[int, int, float, float]:
        """The controls' current values: (n_train, hidden_units, label_noise, l2), the key of a run.

        Exactly as the controls hold them (no rounding), so a kept run is always the one these values train."""
        c = self.controls
        return (int(c["n_train"].value), int(c["hidden_units"].value), float(c["label_noise"].value),
                float(c["l2"].value))

    def computed(self) -> tuple[GeneralizationRun, DecisionBoundaryData]:
        """The run and its decision surface for the controls' current values: trained now, or from the cache
        when this setting was seen before (training is seeded, so a cached run is the run training gives)."""
        key = self.settings()
        found = self._runs.get(key)
        if found is None:
            n_train, hidden_units, label_noise, l2 = key
            run = generalization_run(self.dataset, n_train=n_train, hidden_units=hidden_units,
                                     label_noise=label_noise, l2=l2, noise=self.noise, epochs=self.epochs,
                                     seed=self.seed)
            found = self._runs[key] = (run, self.surface(run))
            while len(self._runs) > max(int(self.cache_size), 1):
                self._runs.popitem(last=False)  # forget the setting used longest ago
        self._runs.move_to_end(key)
        return found

    def compute(self) -> GeneralizationRun:
        """Train on the controls' current values (the compute half); a setting seen before comes from the cache."""
        return self.computed()[0]

    def surface(self, run: GeneralizationRun) -> DecisionBoundaryData:
        """The decision surface of a run over the explorer's fixed extent."""
        return decision_boundary_data(run.model, extent=self.extent, resolution=RESOLUTION)

    def _build_figure(self) -> None:
        fig = self.new_figure(FIGURE_SIZE, dpi=FIGURE_DPI)
        ax_boundary = fig.add_axes(AXES["boundary"])
        ax_loss = fig.add_axes(AXES["loss"])
        ax_bars = fig.add_axes(AXES["bars"])
        run, surface = self.computed()
        data = run.data
        shown = slice(0, TEST_POINTS_SHOWN)
        self.artists["boundary"] = draw_decision_boundary(ax_boundary, surface, data.x_train, data.y_train,
                                                          test_x=data.x_test[shown], test_y=data.y_test[shown],
                                                          point_size=4.5)
        (self.artists["flipped"],) = ax_boundary.plot([], [], "o", markersize=9, markerfacecolor="none",
                                                      markeredgecolor=_style.WARNING_COLOR, markeredgewidth=1.2,
                                                      zorder=5)
        ax_boundary.set_title(BOUNDARY_TITLE, fontsize=8)
        self.artists["loss"] = draw_loss_curve(ax_loss, loss_curve_data(run.history))
        ax_loss.set_title("loss per epoch", fontsize=9)
        self.artists["accuracy"] = draw_accuracy_bars(ax_bars, run.train_accuracy, run.test_accuracy)
        self.run = run

    def update(self) -> None:
        run, surface = self.computed()
        data = run.data
        update_decision_boundary(self.artists["boundary"], surface, data.x_train, data.y_train)
        wrong = data.x_train[data.flipped]
        self.artists["flipped"].set_data(wrong[:, 0], wrong[:, 1])
        update_loss_curve(self.artists["loss"], loss_curve_data(run.history))
        update_accuracy_bars(self.artists["accuracy"], run.train_accuracy, run.test_accuracy)
        self.run = run
        self.set_readout(f"{len(data.x_train)} training points ({int(data.flipped.sum())} with a wrong label), "
                         f"{run.model.n_params} weights:  train accuracy {run.train_accuracy:.2f},  "
                         f"test accuracy {run.test_accuracy:.2f},  gap {run.train_accuracy - run.test_accuracy:+.2f}")
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene((run, surface)))

    def _box(self, name: str) -> list[float]:
        """An axes' place in the figure as a canvas box [left, top, width, height] in CSS pixels."""
        left, bottom, width, height = AXES[name]
        w, h = FIGURE_SIZE[0] * FIGURE_DPI, FIGURE_SIZE[1] * FIGURE_DPI
        return [round(left * w, 1), round((1 - bottom - height) * h, 1), round(width * w, 1), round(height * h, 1)]

    @staticmethod
    def _ticks(ax: Any, axis: str, low: float, high: float) -> list[float]:
        """The tick positions matplotlib draws on ``ax`` for these limits (so both pictures have the same)."""
        locator = (ax.xaxis if axis == "x" else ax.yaxis).get_major_locator()
        return [float(t) for t in locator.tick_values(low, high) if low - 1e-9 <= t <= high + 1e-9]

    def scene(self, data: tuple[GeneralizationRun, DecisionBoundaryData] | None = None
              ) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the same three
        panels, palette, value range, colours and axis limits as the matplotlib figure.

        Shapes: the surface (60, 60) as uint8 rows of the light diverging palette; points (n, 2), boundary
        (n_segments, 4), loss curves (epochs, 2), bars (2, 2), all float32.
        """
        from ..playground import _to_index

        run, surface = data if data is not None else self.computed()
        d = run.data
        f32 = lambda a: np.asarray(a, dtype=np.float32).reshape(-1, 2)  # noqa: E731
        e = surface.extent
        ax_boundary = self.artists["boundary"]["surface"].axes
        ax_loss = self.artists["loss"]["train"].axes
        ax_bars = self.artists["accuracy"]["bars"][0].axes
        curves = loss_curve_data(run.history)
        panels = [
            {"box": self._box("boundary"), "xlim": [e[0], e[1]], "ylim": [e[2], e[3]], "axes": True,
             "xlabel": "x1", "ylabel": "x2", "clip": False,  # everything lies inside the extent
             "xticks": self._ticks(ax_boundary, "x", e[0], e[1]), "yticks": self._ticks(ax_boundary, "y", e[2], e[3])},
            {"box": self._box("loss"), "xlim": [float(v) for v in curves.xlim], "ylim": [float(v) for v in curves.ylim],
             "axes": True, "xlabel": "epoch", "ylabel": "loss", "title": "loss per epoch",
             "xticks": self._ticks(ax_loss, "x", *curves.xlim), "yticks": self._ticks(ax_loss, "y", *curves.ylim)},
            {"box": self._box("bars"), "xlim": [float(v) for v in ax_bars.get_xlim()], "ylim": [0.0, 1.0],
             "axes": True, "ylabel": "accuracy", "xticks": [], "yticks": self._ticks(ax_bars, "y", 0.0, 1.0),
             "clip": False},
        ]
        shown = slice(0, TEST_POINTS_SHOWN)
        train_groups, colors = point_groups(d.y_train, surface.kind, surface.n_classes, surface.limits)
        test_groups, _ = point_groups(d.y_test[shown], surface.kind, surface.n_classes, surface.limits)
        hexes = ["#%02x%02x%02x" % tuple(int(round(255 * c)) for c in rgb) for rgb in colors]
        arrays = {
            "surface": _to_index(surface.values, *surface.limits),
            "boundary": np.asarray(surface.boundary, dtype=np.float32).reshape(-1, 4),
            "flipped": f32(d.x_train[d.flipped]),
            "train_loss": f32(np.column_stack([curves.epochs, curves.train])),
            "test_loss": f32(np.column_stack([curves.epochs, curves.test])),
            "bars": np.array([[-0.3, 0.0, 0.3, run.train_accuracy], [0.7, 0.0, 1.3, run.test_accuracy]],
                             dtype=np.float32),  # matplotlib's bars: width 0.6 around x = 0 and 1
        }
        items: list[dict] = [
            {"kind": "image", "panel": 0, "buffer": "surface", "shape": list(surface.values.shape),
             "palette": "palette_light", "extent": [float(v) for v in e]},
            {"kind": "segments", "panel": 0, "buffer": "boundary", "color": _style.TEXT_COLOR, "width": 1.2},
        ]
        # matplotlib's marker sizes are in points (a circle's diameter; a "D" diamond is a square of that side
        # turned 45 degrees, so its corners are sqrt(2) times further out): as radii in pixels
        radius = 4.5 * FIGURE_DPI / 72 / 2
        for k, color in enumerate(hexes):
            arrays[f"train_{k}"] = f32(d.x_train[train_groups == k])
            items.append({"kind": "markers", "panel": 0, "buffer": f"train_{k}", "color": color, "edge": "#333333",
                          "edge_width": 0.4, "radius": radius})
        for k, color in enumerate(hexes):
            arrays[f"test_{k}"] = f32(d.x_test[shown][test_groups == k])
            items.append({"kind": "markers", "panel": 0, "buffer": f"test_{k}", "color": color, "edge": "#000000",
                          "edge_width": 1.0, "radius": radius * 1.1 * 2 ** 0.5, "shape": "diamond"})
        items += [
            {"kind": "markers", "panel": 0, "buffer": "flipped", "color": "rgba(0, 0, 0, 0)",
             "edge": _style.WARNING_COLOR, "edge_width": 1.2, "radius": 9 * FIGURE_DPI / 72 / 2},
            {"kind": "text", "panel": 0, "coords": "axes", "x": 0.5, "y": 1.025, "text": BOUNDARY_TITLE, "size": 10},
            {"kind": "line", "panel": 1, "buffer": "train_loss", "color": _style.TRAIN_COLOR, "width": 1.5},
            {"kind": "line", "panel": 1, "buffer": "test_loss", "color": _style.TEST_COLOR, "width": 1.5,
             "dash": [5, 3]},
            {"kind": "text", "panel": 1, "coords": "axes", "x": 0.96, "y": 0.92, "text": "train loss", "size": 10,
             "align": "right", "color": _style.TRAIN_COLOR},
            {"kind": "text", "panel": 1, "coords": "axes", "x": 0.96, "y": 0.85, "text": "test loss (dashed)",
             "size": 10, "align": "right", "color": _style.TEST_COLOR},
            {"kind": "bars", "panel": 2, "buffer": "bars", "colors": [_style.TRAIN_COLOR, _style.TEST_COLOR]},
        ]
        for i, (name, value) in enumerate((("train", run.train_accuracy), ("test", run.test_accuracy))):
            items += [{"kind": "text", "panel": 2, "x": float(i), "y": 0.04, "text": f"{value:.2f}", "size": 13,
                       "color": "#ffffff", "baseline": "bottom"},
                      {"kind": "text", "panel": 2, "x": float(i), "y": -0.05, "text": name, "size": 10,
                       "color": _style.MUTED_COLOR, "baseline": "top"}]
        width, height = (round(v * FIGURE_DPI) for v in FIGURE_SIZE)
        return width, height, panels, items, arrays

    def control_rows(self) -> list[widgets.Widget]:
        c = self.controls
        return [widgets.HBox([c["n_train"], c["hidden_units"]]), widgets.HBox([c["label_noise"], c["l2"]])]

    def summary(self) -> str:
        if self.run is None:
            return self.title
        return (f"{self.dataset}, {len(self.run.data.x_train)} training points, "
                f"{self.controls['hidden_units'].value} hidden units: train {self.run.train_accuracy:.2f}, "
                f"test {self.run.test_accuracy:.2f}")


def explore_generalization(dataset: str = "moons", n_train: int = 60, hidden_units: int = 32,
                           label_noise: float = 0.15, l2: float = 0.0, *, noise: float = 0.2, epochs: int = 500,
                           seed: int = 0, live: bool | None = None,
                           canvas: bool | None = None) -> GeneralizationExplorer:
    """An explorer that retrains a one-hidden-layer tanh classifier whenever a slider moves.

    Sliders: training points (10 to 400), hidden units (1 to 128), wrong labels (fraction of training labels
    flipped, 0 to 45%), L2 penalty. The test points always have their true labels. A setting seen before comes
    back at once (its run is kept). The browser paints the picture on a canvas (``canvas=False``: the
    matplotlib figure, live with ipympl when ``live=True``); ``explorer.figure`` is the same picture either way.

    Shapes: none in (a data set name and numbers) -> a GeneralizationExplorer training on x (n_train, 2), y (n_train,).

    Example:
        >>> explorer = explore_generalization(n_train=40, hidden_units=4, live=False)
        >>> explorer.controls["n_train"].value = 80          # retrains on 80 points
        >>> len(explorer.run.data.x_train)
        80
    """
    return GeneralizationExplorer(dataset, n_train, hidden_units, label_noise, l2, noise=noise, epochs=epochs,
                                  seed=seed, live=live, canvas=canvas)

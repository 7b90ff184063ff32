"""An explorer for generalization: change the data and the network, retrain, and compare train with test.

``explore_generalization`` trains a small classifier afresh (about a quarter of a second) whenever a slider moves:
training-set size, hidden units, label noise, L2 penalty. The figure shows the decision boundary with the
training points (wrong labels ringed in red) and some test points, the train and test loss per epoch, and the
train and test accuracy.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..generalization import POOL_SIZE, GeneralizationRun, generalization_data, generalization_run
from ..plots import _style
from ..plots._grid import input_extent
from ..plots.boundary import decision_boundary_data, draw_decision_boundary, update_decision_boundary
from ..plots.curves import draw_loss_curve, loss_curve_data, update_loss_curve
from ..plots.generalization import draw_accuracy_bars, update_accuracy_bars
from .base import Explorer

__all__ = ["GeneralizationExplorer", "explore_generalization"]

HIDDEN_UNITS = (1, 2, 3, 4, 8, 16, 32, 64, 128)
L2_VALUES = (0.0, 0.0003, 0.001, 0.003, 0.01, 0.03)
TEST_POINTS_SHOWN = 150  # of the 500 test points: enough to see, few enough not to hide the boundary
RESOLUTION = 60


class GeneralizationExplorer(Explorer):
    """Sliders for the training-set size, hidden units, label noise and L2; every change retrains.

    Controls: ``n_train``, ``hidden_units``, ``label_noise`` (the control a browser test moves), ``l2``.
    Artists: ``boundary`` (from ``draw_decision_boundary``), ``flipped`` (red rings), ``loss`` (train and
    test loss lines), ``accuracy`` (the two bars). ``run`` is the last GeneralizationRun (the compute half).

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
                 l2: float = 0.0, *, noise: float = 0.2, epochs: int = 500, seed: int = 0, live: bool | None = None):
        super().__init__(live=live)
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

    def compute(self) -> GeneralizationRun:
        """Train on the controls' current values (the compute half)."""
        return generalization_run(self.dataset, n_train=self.controls["n_train"].value,
                                  hidden_units=self.controls["hidden_units"].value,
                                  label_noise=self.controls["label_noise"].value, l2=self.controls["l2"].value,
                                  noise=self.noise, epochs=self.epochs, seed=self.seed)

    def surface(self, run: GeneralizationRun):
        """The decision surface of a run over the explorer's fixed extent."""
        return decision_boundary_data(run.model, extent=self.extent, resolution=RESOLUTION)

    def _build_figure(self) -> None:
        fig = self.new_figure((9.6, 3.5), dpi=90)
        ax_boundary = fig.add_axes([0.065, 0.13, 0.35, 0.78])
        ax_loss = fig.add_axes([0.49, 0.13, 0.28, 0.78])
        ax_bars = fig.add_axes([0.84, 0.13, 0.14, 0.78])
        run = self.compute()
        data = run.data
        shown = slice(0, TEST_POINTS_SHOWN)
        self.artists["boundary"] = draw_decision_boundary(ax_boundary, self.surface(run), data.x_train, data.y_train,
                                                          test_x=data.x_test[shown], test_y=data.y_test[shown],
                                                          point_size=4.5)
        (self.artists["flipped"],) = ax_boundary.plot([], [], "o", markersize=9, markerfacecolor="none",
                                                      markeredgecolor=_style.WARNING_COLOR, markeredgewidth=1.2,
                                                      zorder=5)
        ax_boundary.set_title("dots: training, diamonds: test, red rings: wrong labels", fontsize=8)
        self.artists["loss"] = draw_loss_curve(ax_loss, loss_curve_data(run.history))
        ax_loss.set_title("loss per epoch", fontsize=9)
        self.artists["accuracy"] = draw_accuracy_bars(ax_bars, run.train_accuracy, run.test_accuracy)
        self.run = run

    def update(self) -> None:
        run = self.compute()
        data = run.data
        update_decision_boundary(self.artists["boundary"], self.surface(run), data.x_train, data.y_train)
        wrong = data.x_train[data.flipped]
        self.artists["flipped"].set_data(wrong[:, 0], wrong[:, 1])
        update_loss_curve(self.artists["loss"], loss_curve_data(run.history))
        update_accuracy_bars(self.artists["accuracy"], run.train_accuracy, run.test_accuracy)
        self.run = run
        self.set_readout(f"{len(data.x_train)} training points ({int(data.flipped.sum())} with a wrong label), "
                         f"{run.model.n_params} weights:  train accuracy {run.train_accuracy:.2f},  "
                         f"test accuracy {run.test_accuracy:.2f},  gap {run.train_accuracy - run.test_accuracy:+.2f}")
        self.redraw()

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
                           seed: int = 0, live: bool | None = None) -> GeneralizationExplorer:
    """An explorer that retrains a one-hidden-layer tanh classifier whenever a slider moves.

    Sliders: training points (10 to 400), hidden units (1 to 128), wrong labels (fraction of training labels
    flipped, 0 to 45%), L2 penalty. The test points always have their true labels.

    Shapes: none in (a data set name and numbers) -> a GeneralizationExplorer training on x (n_train, 2), y (n_train,).

    Example:
        >>> explorer = explore_generalization(n_train=40, hidden_units=4, live=False)
        >>> explorer.controls["n_train"].value = 80          # retrains on 80 points
        >>> len(explorer.run.data.x_train)
        80
    """
    return GeneralizationExplorer(dataset, n_train, hidden_units, label_noise, l2, noise=noise, epochs=epochs,
                                  seed=seed, live=live)

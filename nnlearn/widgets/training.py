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
from ..plots.training import (
    draw_activation_histograms,
    draw_curves,
    draw_training_health,
    health_panel_data,
    update_curves,
    update_training_health,
)
from ..validation import as_float_array, check_learning_rate, check_positive_int, check_rate
from .base import Explorer

__all__ = ["InitializationExplorer", "OptimizerRaceExplorer", "TrainingHealthExplorer", "explore_initialization",
           "explore_optimizers", "explore_training_health"]

RACE_COLORS = ("#ffffff", "#e69f00", "#56b4e9", "#cc79a7", "#009e73")


class OptimizerRaceExplorer(Explorer):
    """Several optimizers from one start on one loss surface, drawn at once.

    Controls: ``surface`` ('ravine', 'rosenbrock'; hidden when a Surface2D is given), ``learning_rate`` (log
    slider, the same rate for every optimizer), ``momentum`` (for 'momentum'), ``play`` and ``step`` (how many
    steps the paths show). Left: the surface with every path; right: the loss after each step, log scale.

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
                 learning_rate_range: tuple[float, float] = (1e-3, 1.0), live: bool | None = None):
        super().__init__(live=live)
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

    def summary(self) -> str:
        return (f"{self.surface.name}, learning rate {self.learning_rate:.3g}, momentum {self.momentum:.2f}, "
                f"step {self.step}: " + "; ".join(self.labels()))


def explore_optimizers(surface: str | Surface2D = "ravine",
                       optimizers: Sequence[str] = ("sgd", "momentum", "rmsprop", "adam"), *,
                       learning_rate: float = 0.1, momentum: float = 0.9, steps: int = 100,
                       hide: Sequence[str] = ()) -> OptimizerRaceExplorer:
    """Race optimizers across a loss surface: paths drawn at once, learning-rate and momentum sliders.

    ``surface`` is 'ravine', 'rosenbrock' or a ``nl.descent.Surface2D`` such as
    ``nl.descent.network_surface(model, x, y, "bce", weights=[...])`` (a real network's slice).

    Shapes: none in -> an OptimizerRaceExplorer (each path (steps + 1, 2) at most).

    Example:
        >>> explorer = explore_optimizers("rosenbrock", learning_rate=0.1, steps=200)
        >>> [name for name, run in explorer.runs.items() if not run.diverged]      # only adam survives 0.1 here
        ['adam']
    """
    explorer = OptimizerRaceExplorer(surface, optimizers, learning_rate=learning_rate, momentum=momentum,
                                     steps=steps)
    if hide:
        explorer.hide(hide)
    return explorer


class TrainingHealthExplorer(Explorer):
    """A network trained one epoch per Play frame, its ``training_health`` drawn after each epoch.

    Controls: ``play`` (trains on: one epoch per frame) and ``epoch`` (linked to it; dragging back shows an
    earlier epoch's numbers, dragging forward trains up to it). Panels: activation spread, gradient spread,
    dead ReLU share and update-to-weight ratio per layer, and the training loss so far.

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
                 live: bool | None = None):
        super().__init__(live=live)
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
        self.artists = {"health": health, "curves": curves}
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

    def summary(self) -> str:
        data = self.snapshots[self.epoch]
        loss = f", loss {self.losses[self.epoch - 1]:.4g}" if self.epoch else ""
        return (f"epoch {self.epoch}{loss}: gradient spread first/last layer "
                f"{data.gradient_std[0]:.2g}/{data.gradient_std[-1]:.2g}")


def explore_training_health(model: Any, x: Any, y: Any, loss: str = "bce", *, optimizer: Any = "sgd",
                            learning_rate: float = 0.05, epochs: int = 30, batch_size: int | None = None,
                            seed: int | None = 0, hide: Sequence[str] = ()) -> TrainingHealthExplorer:
    """Watch every layer's health while ``model`` trains on (x, y): press Play to train one epoch per frame.

    The model is trained in place (its weights change); pass a fresh one to start again.

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
                                      epochs=epochs, batch_size=batch_size, seed=seed)
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

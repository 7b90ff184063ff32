"""explore_playground: TensorFlow Playground inside JupyterLab, on a real nnlearn model you can keep using.

Everything the Playground has (data sets, noise, train/test split, batch size, input features, hidden layers
changed with +/- buttons, activation, learning rate, regularization, problem type, play/step/reset, show test
data, discretize output), and what it never had: ``playground.model`` is the live ``nl.Sequential``; your own
arrays (``x=``, ``y=``); several classes with a softmax output; accuracy beside the losses; an optimizer
control; settings that change mid-run without resetting the weights; a run that diverges stops and says why;
``set_weight`` to move one weight by hand; edges that can show each weight's gradient; ``hide=[...]`` and
``get_state()`` so a teacher can hand a whole class the same setup.

The logic lives in ``nnlearn.playground`` (``PlaygroundSettings``, ``PlaygroundRun``: data, model, training,
divergence, frames); this module keeps the controls, one observer that passes their values to the run, and two
views of its frames: the live canvas drawn by the browser (``nnlearn.widgets.live.PlaygroundView``), and the
matplotlib figure (``playground.figure``), which is the static picture of GitHub, nbviewer and nbval and the
fallback where the front end cannot load the canvas.

Play: pressing play makes the kernel send a frame; each time the browser has a frame it asks for the next, and
the kernel trains one short time slice (several epochs for small networks) and sends it. Control changes are
ordinary widget messages processed between two slices, so they take effect within one frame.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from ..features import names as feature_names
from ..network import Sequential
from ..playground import (
    CLASSIFICATION_SETS,
    CUSTOM,
    MAX_LAYERS,
    MAX_WIDTH,
    PROBLEMS,
    REGRESSION_SETS,
    REGULARIZATIONS,
    PlaygroundHistory,
    PlaygroundRun,
    PlaygroundSettings,
    activation_choices,
    optimizer_choices,
)
from ..plots.boundary import DecisionBoundaryData
from ..plots.curves import loss_curve_data
from ..plots.playground import (
    PlaygroundFrame,
    draw_playground,
    playground_frame_data,
    playground_layout,
    update_playground,
)
from ..validation import check_positive_int, unknown_name
from .base import Explorer

__all__ = ["HiddenLayers", "Playground", "PlaygroundHistory", "explore_playground"]

DEFAULTS: dict[str, Any] = PlaygroundSettings().as_dict()
STATE_KEYS = tuple(DEFAULTS)
FRAME_SECONDS = 0.025  # a Play tick's budget (no browser canvas): training plus drawing, 40 frames a second
# Training time per browser frame. The kernel, the browser and the server share the machine's cores, so every
# millisecond the kernel trains is taken from the painting: 8 ms leaves room for 50+ frames a second on 2 cores.
LIVE_TRAIN_SECONDS = 0.008
# Small networks train at least this many epochs per frame (2 x 50 frames = 100 epochs a second) when an epoch
# takes under LIVE_SMALL_EPOCH seconds (measured while the browser paints beside it, so a 2-4-2-1 net's 2 ms epoch
# can take 5 ms); bigger ones (6 x 8 on spirals: about 15 ms) keep to the time budget so the frames stay smooth.
LIVE_MIN_EPOCHS = 2
LIVE_SMALL_EPOCH = 0.010
MAX_EPOCHS_PER_FRAME = 200
# Frames sent but not yet painted while playing: the kernel trains the next slices while the last ones travel
# and are painted, so the socket's round trip (about 40 ms on a busy 2-core machine) does not idle it. The browser
# paints them in order, one per animation frame, and acknowledges every second frame it paints (each message to
# the kernel makes JupyterLab redraw its kernel-status toolbar twice), so the kernel trains exactly as many frames
# as are painted and none is wasted. A frame sent after a control change or a reset is marked "flush": the
# browser drops the older frames still waiting, so the change shows on the next animation frame.
FRAMES_IN_FLIGHT = 5


class _SettingError(traitlets.TraitError, ValueError):
    """A control got a value it cannot take (a ValueError, and a TraitError for ipywidgets)."""


class HiddenLayers(widgets.VBox):
    """The hidden layers control: ``value`` is the list of layer widths (0 to 6 layers of 1 to 8 neurons).

    '+ layer'/'- layer' add or remove the last layer; each layer has its own +/- buttons for its width.

    Shapes: none (value is a list of up to 6 widths, each 1 to 8 -> one column of buttons per layer).

    Example:
        >>> layers = HiddenLayers([4, 2])
        >>> layers.value = [3, 3, 1]                  # one column of +/- buttons per layer
        >>> len(layers.children[1].children)
        3
        >>> try:
        ...     layers.value = [9]                    # refused with a message that says the range
        ... except ValueError as error:
        ...     print(error)
        Each hidden layer has 1 to 8 neurons, but got [9]. Use [] for no hidden layer.
    """

    value = traitlets.List(traitlets.Int())

    def __init__(self, value: Sequence[int] = (4, 2), **kwargs: Any):
        self._add = widgets.Button(description="+ layer", layout=widgets.Layout(width="72px"))
        self._remove = widgets.Button(description="- layer", layout=widgets.Layout(width="72px"))
        self._add.add_class("nnl-hidden_layers-add")
        self._remove.add_class("nnl-hidden_layers-remove")
        self._add.on_click(lambda _: self._change_depth(+1))
        self._remove.on_click(lambda _: self._change_depth(-1))
        self._summary = widgets.Label()
        super().__init__(**kwargs)
        self.value = list(value)
        self._rebuild()

    @traitlets.validate("value")
    def _check(self, proposal: dict) -> list[int]:
        widths = list(proposal["value"])
        if len(widths) > MAX_LAYERS:
            raise _SettingError(f"hidden_layers can have at most {MAX_LAYERS} layers, but got {len(widths)}: {widths}.")
        for width in widths:
            if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or not 1 <= width <= MAX_WIDTH:
                raise _SettingError(
                    f"Each hidden layer has 1 to {MAX_WIDTH} neurons, but got {widths}. Use [] for no hidden layer."
                )
        return [int(width) for width in widths]

    @traitlets.observe("value")
    def _on_value(self, change: dict) -> None:
        self._rebuild()

    def _change_depth(self, step: int) -> None:
        if step > 0 and len(self.value) < MAX_LAYERS:
            self.value = [*self.value, 2]
        elif step < 0 and self.value:
            self.value = self.value[:-1]

    def _change_width(self, layer: int, step: int) -> None:
        widths = list(self.value)
        widths[layer] = min(max(widths[layer] + step, 1), MAX_WIDTH)
        self.value = widths

    def _rebuild(self) -> None:
        columns = []
        for k, width in enumerate(self.value):
            plus = widgets.Button(description="+", layout=widgets.Layout(width="32px"), disabled=width >= MAX_WIDTH)
            minus = widgets.Button(description="-", layout=widgets.Layout(width="32px"), disabled=width <= 1)
            plus.add_class(f"nnl-layer-{k + 1}-plus")
            minus.add_class(f"nnl-layer-{k + 1}-minus")
            plus.on_click(lambda _, k=k: self._change_width(k, +1))
            minus.on_click(lambda _, k=k: self._change_width(k, -1))
            label = widgets.Label(f"{width} neuron{'s' if width != 1 else ''}")
            columns.append(widgets.VBox([widgets.HBox([minus, plus]), label]))
        self._add.disabled = len(self.value) >= MAX_LAYERS
        self._remove.disabled = not self.value
        self._summary.value = f"{len(self.value)} hidden layer{'s' if len(self.value) != 1 else ''}"
        self.children = [widgets.HBox([self._remove, self._add, self._summary]), widgets.HBox(columns)]



def _json_value(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _serialized(method: Any) -> Any:
    """Run the method holding the explorer's lock (see Playground._lock)."""

    @functools.wraps(method)
    def locked(self: Playground, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return locked


class Playground(Explorer):
    """The Playground explorer. Build it with ``explore_playground``; see that function for the parameters.

    ``playground.run`` (a ``nnlearn.playground.PlaygroundRun``) owns the data, the model and the training; the
    explorer keeps the controls in step with ``run.settings`` and shows the run's frames, live in the browser
    (``playground.view``) and as a matplotlib figure (``playground.figure``).

    Shapes: x (n_samples, 2), y (n_samples,) -> the output surface (resolution, resolution) and one
    (thumbnail, thumbnail) picture per neuron.

    Example:
        >>> playground = Playground(dataset="xor", hidden_layers=[2], n_samples=60, resolution=20, live=False)
        >>> playground.summary()
        'xor, 2-2-1 network, epoch 0, test loss 0.692'
        >>> playground.controls["hidden_layers"].value = [3, 2]     # a new model with the new shape
        >>> [layer.describe() for layer in playground.model.layers]
        ['Dense layer 1 (2 -> 3)', 'Dense layer 2 (3 -> 2)', 'Dense layer 3 (2 -> 1)']
        >>> playground.artists["surface"].get_array().shape
        (20, 20)
    """

    title = "Playground"
    SETTINGS = tuple(PlaygroundSettings.names())

    def __init__(self, state: dict[str, Any] | None = None, *, x: np.ndarray | None = None,
                 y: np.ndarray | None = None, hide: Iterable[str] = (), seed: int | None = None,
                 n_samples: int | None = None, resolution: int = 100, thumbnail: int = 20,
                 epochs_per_frame: int | None = None, frame_interval: int = 80, live: bool | None = None,
                 **settings: Any):
        # Widget messages can be handled on a kernel subshell thread (JupyterLab 4.4+ sends them there so widgets
        # answer while a cell runs), at the same time as a cell or another message: one lock keeps training and
        # drawing of this run one at a time. Re-entrant: a callback may set a control whose observer runs inside.
        self._lock = threading.RLock()
        # The matplotlib figure is always drawn with Agg (the static picture); the live view is the canvas.
        super().__init__(live=False)
        self.live_view = True if live is None else bool(live)
        state = dict(state or {})
        unknown = set(state) - set(STATE_KEYS) - {"seed", "n_samples", "hide"}
        unknown |= set(settings) - set(STATE_KEYS)
        if unknown:
            raise unknown_name("Playground setting", sorted(unknown)[0], [*STATE_KEYS, "seed", "n_samples", "hide"])
        values = {**{k: v for k, v in state.items() if k in STATE_KEYS}, **settings}
        if "dataset" in settings and "problem" not in settings:
            values.pop("problem", None)  # the data set given here decides the problem, not the saved one
        self.run = PlaygroundRun(
            values, x=x, y=y, seed=int(seed if seed is not None else state.get("seed", 0)),
            n_samples=n_samples if n_samples is not None else state.get("n_samples", 500),
            resolution=check_positive_int(resolution, "resolution"), thumbnail=check_positive_int(thumbnail, "thumbnail"))
        self.epochs_per_frame = check_positive_int(epochs_per_frame, "epochs_per_frame", allow_none=True)
        self._syncing = False
        self._draw_seconds = 0.015
        self._figure_stale = False
        self._sent_data_version = -1
        self._hover: int | None = None  # the neuron the learner's mouse is over in the browser, shown large
        self._mosaic: np.ndarray | None = None
        self._figure = None
        self.view = None
        if self.live_view:
            from .live import PlaygroundView

            self.view = PlaygroundView()
            self.view.on_ready(self._on_view_ready)
        self._build_controls(frame_interval)
        # 840 x 403 pixels: fits a 1280-pixel JupyterLab window with the file browser open.
        self.new_figure((10.0, 4.8), dpi=84)
        self._draw_all()
        hidden = [*state.get("hide", []), *hide]
        if hidden:
            self.hide(hidden)

    # ------------------------------------------------------------------ the run's state, as before
    @property
    def model(self) -> Sequential:
        """The live ``nl.Sequential`` being trained."""
        return self.run.model

    @property
    def optimizer(self) -> Any:
        """The optimizer object (its state survives learning-rate changes)."""
        return self.run.optimizer

    @property
    def history(self) -> PlaygroundHistory:
        """Losses (and accuracies) after every epoch of the current model."""
        return self.run.history

    @property
    def settings(self) -> PlaygroundSettings:
        """The current settings (frozen): ``playground.settings.learning_rate``."""
        return self.run.settings

    seed = property(lambda self: self.run.seed, doc="The seed of the data and the initial weights.")
    n_samples = property(lambda self: self.run.n_samples, doc="How many points the built-in data sets have.")
    resolution = property(lambda self: self.run.resolution, doc="The decision surface's pixels per side.")
    thumbnail = property(lambda self: self.run.thumbnail, doc="Each neuron picture's pixels per side.")
    kind = property(lambda self: self.run.kind, doc="'binary', 'multiclass' or 'regression'.")
    loss = property(lambda self: self.run.loss, doc="The loss: 'bce', 'cross_entropy' or 'mse'.")
    features = property(lambda self: self.run.features, doc="The feature map applied before the model.")
    epoch = property(lambda self: self.run.epoch, doc="How many epochs the current model has been trained.")
    message = property(lambda self: self.run.message, doc="Why training stopped ('' while it goes well).")
    diverged = property(lambda self: self.run.diverged, doc="True when the last training stopped on divergence.")
    x_train = property(lambda self: self.run.x_train, doc="The training points, (n_train, 2).")
    y_train = property(lambda self: self.run.y_train, doc="Their labels (or regression targets), (n_train,).")
    x_test = property(lambda self: self.run.x_test, doc="The test points, (n_test, 2).")
    y_test = property(lambda self: self.run.y_test, doc="Their labels (or regression targets), (n_test,).")
    x_train_features = property(lambda self: self.run.x_train_features,
                                doc="The training points after the feature map: what the model sees.")
    x_test_features = property(lambda self: self.run.x_test_features,
                               doc="The test points after the feature map: what the model sees.")
    n_classes = property(lambda self: self.run.n_classes, doc="How many classes (0 for a regression).")
    extent = property(lambda self: self.run.extent, doc="The plane drawn: (x1 from, x1 to, x2 from, x2 to).")
    surface_limits = property(lambda self: self.run.surface_limits,
                              doc="The colour range of a regression surface (None for classes).")

    def _architecture(self) -> tuple:
        return self.run.architecture

    def _regularization(self) -> tuple[float, float]:
        return self.run.regularization()

    def current_losses(self) -> dict[str, float]:
        """Train and test loss (and accuracy for classification) of the model as it is now."""
        return self.run.current_losses()

    def value(self, name: str) -> Any:
        """A control's current value."""
        return self.controls[name].value

    # ------------------------------------------------------------------ controls: one observer
    def _build_controls(self, interval: int) -> None:
        s = self.run.settings.as_dict()
        small = {"description_width": "initial"}

        def dropdown(name, options, width):
            return widgets.Dropdown(options=options, value=s[name], description=name.replace("_", " "), style=small,
                                    layout=widgets.Layout(width=width))

        def slider(cls, name, low, high, step, fmt, width="158px", description=None):
            return cls(value=s[name], min=low, max=high, step=step, description=description or name.replace("_", " "),
                       readout_format=fmt, continuous_update=False, style=small, layout=widgets.Layout(width=width))

        dataset_options = [(name, name) for name in CLASSIFICATION_SETS + REGRESSION_SETS]
        if self.run.user_data is not None:
            dataset_options = [("your data", CUSTOM), *dataset_options]
        # With the browser canvas the browser paces the frames; the Play widget's own timer would only add
        # messages for the page and the kernel to handle, so it ticks slowly (it paces frames without a canvas).
        tick = interval if self.view is None else max(interval, 1000)
        play = widgets.Play(value=0, min=0, max=10**9, step=1, interval=tick, show_repeat=False,
                            description="play")
        self.add_control("play", play, on_change=self._on_play)
        play.observe(self.callback(self._on_playing), names="playing")
        step = widgets.Button(description="step", tooltip="train one epoch", layout=widgets.Layout(width="50px"))
        reset = widgets.Button(description="reset", tooltip="new weights, epoch 0", layout=widgets.Layout(width="60px"))
        self.add_control("step", step)
        self.add_control("reset", reset)
        step.on_click(self.callback(lambda _: self.step()))
        reset.on_click(self.callback(lambda _: self.reset()))
        observer = self._on_setting
        self.add_control("learning_rate", widgets.FloatLogSlider(
            value=s["learning_rate"], base=10, min=-5, max=1, step=0.1, description="learning rate",
            readout_format=".3g", continuous_update=False, style=small, layout=widgets.Layout(width="215px")),
            on_change=observer)
        self.add_control("optimizer", dropdown("optimizer", optimizer_choices(), "145px"), on_change=observer)
        self.add_control("activation", dropdown("activation", activation_choices(), "150px"), on_change=observer)
        self.add_control("regularization", dropdown("regularization", list(REGULARIZATIONS), "160px"),
                         on_change=observer)
        self.add_control("regularization_rate", slider(widgets.FloatSlider, "regularization_rate", 0.0, 0.3, 0.001,
                                                       ".3f", "160px", "rate"), on_change=observer)
        self.add_control("problem", dropdown("problem", list(PROBLEMS), "170px"), on_change=observer)
        self.add_control("dataset", widgets.Dropdown(options=dataset_options, value=s["dataset"], description="data",
                                                     style=small, layout=widgets.Layout(width="150px")),
                         on_change=observer)
        self.add_control("noise", slider(widgets.FloatSlider, "noise", 0.0, 0.5, 0.05, ".2f", "180px"),
                         on_change=observer)
        self.controls["noise"].add_class("nnl-browser-move")  # the control the real-browser tests move
        self.add_control("train_fraction", slider(widgets.FloatSlider, "train_fraction", 0.1, 0.9, 0.1, ".0%",
                                                  "158px", "train"), on_change=observer)
        self.add_control("batch_size", slider(widgets.IntSlider, "batch_size", 1, 30, 1, "d", "158px", "batch"),
                         on_change=observer)
        self.add_control("features", widgets.SelectMultiple(options=feature_names(), value=tuple(s["features"]),
                                                            description="features", rows=3, style=small,
                                                            layout=widgets.Layout(width="175px")),
                         on_change=observer)
        self.add_control("hidden_layers", HiddenLayers(s["hidden_layers"]), on_change=observer)
        for name, description in (("show_test", "show test data"), ("discretize", "discretize output"),
                                  ("show_gradients", "edges show gradients")):
            self.add_control(name, widgets.Checkbox(value=s[name], description=description, indent=False,
                                                    layout=widgets.Layout(width="auto", margin="0 8px 0 0")),
                             on_change=observer)

    def _on_setting(self, change: dict) -> None:
        """The one observer of every setting control: hand the value to the run, then show the result."""
        if self._syncing:
            return
        name = next(key for key in self.SETTINGS if self.controls.get(key) is change["owner"])
        changed = self.run.change(**{name: change["new"]})
        self._sync_controls()
        if changed & {"dataset", "noise", "train_fraction", "problem", "features", "hidden_layers", "activation"}:
            self._draw_all()
        else:
            self.update()

    def _sync_controls(self) -> None:
        """Show the run's settings in the controls (the data set/problem rule may have changed both)."""
        self._syncing = True
        try:
            for name, value in self.run.settings.as_dict().items():
                control = self.controls[name]
                value = tuple(value) if name == "features" else value
                if control.value != value:
                    control.value = value
        finally:
            self._syncing = False

    def control_rows(self) -> list[widgets.Widget]:
        c = self.controls
        wrap = widgets.Layout(flex_flow="row wrap", align_items="center")
        column = widgets.Layout(margin="0 10px 0 0")
        return [
            widgets.HBox([c["play"], c["step"], c["reset"], c["learning_rate"], c["activation"], c["optimizer"]],
                         layout=wrap),
            widgets.HBox([c["dataset"], c["problem"], c["noise"], c["train_fraction"], c["batch_size"]], layout=wrap),
            widgets.HBox([c["features"], c["hidden_layers"],
                          widgets.VBox([c["regularization"], c["regularization_rate"]], layout=column),
                          widgets.VBox([c["show_test"], c["discretize"], c["show_gradients"]])], layout=wrap),
        ]

    # ------------------------------------------------------------------ training
    @_serialized
    def train(self, epochs: int = 1) -> PlaygroundHistory:
        """Train for ``epochs`` epochs (stopping early if the run diverges), then update the picture once.

        Example:
            >>> playground = explore_playground(dataset="gaussians")
            >>> history = playground.train(5)
            >>> playground.epoch, len(history.test_loss)
            (5, 5)
        """
        epochs = check_positive_int(epochs, "epochs")
        self._train(epochs)
        self.update()
        return self.history

    def _train(self, epochs: int, seconds: float | None = None, min_epochs: int = 1) -> None:
        self.run.train(epochs, seconds=seconds, min_epochs=min(min_epochs, epochs))
        if self.run.diverged and self.controls["play"].playing:
            self.controls["play"].playing = False

    @_serialized
    def step(self) -> None:
        """Train one epoch and redraw (the 'step' button)."""
        self._train(1)
        self.update()

    def epochs_for_frame(self) -> int:
        """Epochs per Play tick without the browser canvas (unless fixed by ``epochs_per_frame``): as many as
        fit beside the drawing in a frame of about 25 ms, between 1 and 20."""
        if self.epochs_per_frame is not None:
            return self.epochs_per_frame
        budget = FRAME_SECONDS - self._draw_seconds
        return int(min(max(budget // max(self.run.epoch_seconds, 1e-6), 1), 20))

    @_serialized
    def frame(self) -> None:
        """One Play tick without the browser canvas: a few epochs of training, then redraw what changed."""
        self._train(self.epochs_for_frame())
        started = time.perf_counter()
        self.update(full=False)
        self._draw_seconds = 0.7 * self._draw_seconds + 0.3 * (time.perf_counter() - started)

    def _on_play(self, change: dict) -> None:
        # The Play widget's own timer ticks: the fallback pace. While a browser canvas asks for frames itself,
        # the ticks are ignored.
        if self.view is not None and self.view.browser_active:
            return
        self.frame()

    def _on_playing(self, change: dict) -> None:
        if change["new"]:
            self.run.message = ""
            if self.view is not None:
                self.view.acked = self.view.seq  # start the count afresh: frames of an earlier play are gone
                while self.view.in_flight < FRAMES_IN_FLIGHT and self.controls["play"].playing:
                    self._live_frame()  # the browser's answer to each frame asks for the next one
        else:
            self.update()  # the static figure and the readout catch up once play stops

    def _on_view_ready(self, hello: bool, seq: int, **hover: Any) -> None:
        self._guard(self._view_ready, hello, seq, *hover.values())

    def _view_ready(self, hello: bool, seq: int, hover: int | None = -2) -> None:
        if hover != -2:  # the mouse moved onto a neuron (or off, None): send its large picture now unless playing
            self._hover = hover
            if not self.controls["play"].playing:
                self._send_live()
            return
        if hello:
            self._sent_data_version = -1
            self._send_live()
        else:
            while self.controls["play"].playing and self.view.in_flight < FRAMES_IN_FLIGHT:
                self._live_frame()

    def _live_frame(self) -> None:
        """One frame of live play: a short time slice of training, then the frame to the browser."""
        epochs = self.epochs_per_frame or MAX_EPOCHS_PER_FRAME
        seconds = None if self.epochs_per_frame else LIVE_TRAIN_SECONDS
        small = self.run.epoch_seconds < LIVE_SMALL_EPOCH
        self._train(epochs, seconds=seconds, min_epochs=LIVE_MIN_EPOCHS if small and seconds else 1)
        self._figure_stale = True
        self._send_live(flush=False)
        if self.run.diverged:
            self.update()

    def _send_live(self, flush: bool = True) -> None:
        """Send the current frame to the browser; ``flush``: the frames still waiting there are out of date."""
        if self.view is None:
            return
        run = self.run
        points = self._sent_data_version != run.data_version
        buffers = run.frame_buffers(points=points, hover=self._hover)
        header = {**self._live_header(), "flush": flush}
        if points:
            header["group_colors"] = run.group_colors().tolist()
            self._sent_data_version = run.data_version
        self.view.send_frame(header, buffers)

    def _live_header(self) -> dict[str, Any]:
        run = self.run
        return {
            "epoch": run.epoch, "details": self._details(), "message": run.message, "kind": run.kind,
            "sizes": list(run.architecture), "titles": run.layer_titles(), "labels": list(run.features.names),
            "resolution": run.resolution, "thumbnail": run.thumbnail, "extent": [float(v) for v in run.extent],
            "surface_rgba": run.kind == "multiclass", "show_test": run.settings.show_test,
            "data_version": run.data_version, "edge_note": self._edge_note(),
            "edge_kind": "gradient" if run.settings.show_gradients else "weight", "hover": self._hover,
        }

    def _details(self) -> str:
        run = self.run
        latest = run.latest or {}
        text = ""
        if latest:
            text = f"train loss {latest['train_loss']:.3f} · test loss {latest['test_loss']:.3f} · "
            if "train_accuracy" in latest:
                text += f"accuracy {latest['train_accuracy']:.1%} / {latest['test_accuracy']:.1%} · "
        sizes = "-".join(str(s) for s in run.architecture)
        return text + f"{sizes} network, {run.model.n_params} parameters, {run.loss} loss"

    @_serialized
    def reset(self) -> None:
        """New initial weights (from the seed) and epoch 0; the data and settings stay."""
        self.run.reset()
        self._draw_all()

    @_serialized
    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        """Set one weight by hand: ``model.layers[layer].weights[i, j] = value`` (layer 0 joins the features to
        the first hidden layer), and redraw the surface and thumbnails."""
        self.run.set_weight(layer, i, j, value)
        self.update()

    # ------------------------------------------------------------------ the static picture (matplotlib)
    @property
    def figure(self) -> Any:
        """The matplotlib figure of the current frame (for saving; brought up to date when read after play)."""
        if self._figure_stale and self._figure is not None:
            self._figure_stale = False
            self._update_artists()
        return self._figure

    @figure.setter
    def figure(self, value: Any) -> None:
        self._figure = value

    def surface_data(self) -> DecisionBoundaryData:
        """The decision surface the figure shows (the compute half), for the current model."""
        return self.run.surface_data()

    def compute(self) -> PlaygroundFrame:
        """Everything one matplotlib frame shows, as arrays (the compute half of the figure)."""
        run = self.run
        grids = run.neuron_grids()
        show = "gradients" if run.settings.show_gradients else "weights"
        if show == "gradients":
            run.edge_values("gradients")  # computes every layer's grad_weights for the diagram
        start = run.history.start
        curve = loss_curve_data([start["train_loss"], *run.history.train_loss],
                                [start["test_loss"], *run.history.test_loss], first_epoch=0)
        if self._mosaic is None or self._mosaic.shape != self._layout.mosaic_shape:
            self._mosaic = np.full(self._layout.mosaic_shape, np.nan)
        return playground_frame_data(run.model, grids, self._layout, run.kind, curve, epoch=run.epoch,
                                     losses=run.latest, limits=run.surface_limits, show=show,
                                     message=run.message, mosaic=self._mosaic)

    def _edge_note(self) -> str:
        if self.run.settings.show_gradients:
            return "edges: gradients (width ~ |gradient|; a step moves blue weights up, orange ones down)"
        return "edges: weights (width ~ |weight|; blue +, orange -) · thumbnails: each neuron's output"

    @_serialized
    def _draw_all(self) -> None:
        """Build every artist from scratch (after the data or the network's shape changed) and redraw fully."""
        run = self.run
        self._layout = playground_layout(run.architecture, run.thumbnail, labels=run.features.names)
        frame = self.compute()
        self._figure.clear()
        self.artists = draw_playground(
            self._figure, self._layout, frame, x_train=run.x_train, y_train=run.y_train, x_test=run.x_test,
            y_test=run.y_test, show_test=run.settings.show_test, discretize=run.settings.discretize,
            layer_titles=run.layer_titles(), edge_note=self._edge_note())
        self._note = self._edge_note()
        self._figure_stale = False
        self.set_dynamic(self.artists["dynamic"])
        self._set_readout()
        self.redraw(full=True)
        self._send_live()

    def _update_artists(self) -> bool:
        frame = self.compute()
        limits_changed = update_playground(self.artists, frame, discretize=self.run.settings.discretize,
                                           show_test=self.run.settings.show_test)
        note = self._edge_note()
        if note != self._note:
            self.artists["note"].set_text(note)
            self._note = note
            limits_changed = True
        return limits_changed

    @_serialized
    def update(self, full: bool = True) -> None:
        """Recompute the frame from the model and settings and show it in both views (``full=False``: redraw only
        the changing artists of the matplotlib figure when possible)."""
        limits_changed = self._update_artists()
        self._figure_stale = False
        self._set_readout()
        self.redraw(full=full or limits_changed)
        self._send_live()

    def _set_readout(self) -> None:
        run = self.run
        parts = [f"epoch {run.epoch}"]
        latest = run.latest or {}
        if latest:
            parts.append(f"train loss {latest['train_loss']:.4f}, test loss {latest['test_loss']:.4f}")
            if "train_accuracy" in latest:
                parts.append(f"accuracy {latest['train_accuracy']:.1%} / {latest['test_accuracy']:.1%}")
        sizes = "-".join(str(s) for s in run.architecture)
        parts.append(f"{sizes} network, {run.model.n_params} parameters, {run.loss} loss")
        if run.message:
            parts.append(run.message.replace("\n", " "))
        self.set_readout(" · ".join(parts))

    # ------------------------------------------------------------------ display
    def _figure_view(self) -> widgets.Widget:
        """The live canvas, or (without one) the figure as a picture."""
        if self.view is None:
            return super()._figure_view()
        self.readout.layout.display = "none"  # the canvas's own header line shows the same numbers
        return self.view

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        import base64

        layout = self.widget
        self._displayed = True
        if self._image is not None:
            self.render(full=True)
            self._image.value = self._buffer_png()
        png = self.to_png()  # the still picture: the same savefig output as a live (ipympl) figure gives
        bundle = layout._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
        bundle["text/plain"] = repr(self)
        return bundle

    def close(self) -> None:
        """Stop playing and close every widget, the live canvas included."""
        self.controls["play"].playing = False
        super().close()
        if self.view is not None:
            self.view.close()

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        """Every setting and the data seed, as a small JSON-serialisable dict: hand it to
        ``explore_playground(state=...)`` to rebuild the same setup (and the same run)."""
        state = {name: _json_value(value) for name, value in self.run.get_state().items()}
        state["hide"] = list(self.hidden)
        json.dumps(state)  # fail here, not in the learner's file, if something is not serialisable
        return state

    @_serialized
    def set_state(self, state: dict[str, Any]) -> None:
        """Take a ``get_state`` dict: its settings, seed and hidden controls (new data and a fresh model)."""
        self.run.set_state(state)
        self._sync_controls()
        if state.get("hide"):
            self.hide(state["hide"])
        self._draw_all()

    def summary(self) -> str:
        return self.run.summary()


def explore_playground(state: dict[str, Any] | None = None, *, x: np.ndarray | None = None,
                       y: np.ndarray | None = None, hide: Iterable[str] = (), seed: int | None = None,
                       n_samples: int | None = None, resolution: int = 100, epochs_per_frame: int | None = None,
                       **settings: Any) -> Playground:
    """TensorFlow Playground in JupyterLab, on a live ``nl.Sequential`` (``playground.model``).

    Controls (``playground.controls[name]``): dataset, noise, train_fraction, batch_size, features,
    hidden_layers (a list of widths, e.g. [4, 2]), activation, learning_rate, regularization,
    regularization_rate, problem, optimizer, play, step, reset, show_test, discretize, show_gradients.
    Any of them can be given as a keyword (``explore_playground(dataset="xor", hidden_layers=[8])``), taken from
    a saved ``state`` (``playground.get_state()``), or hidden (``hide=["problem"]``).

    ``x``, ``y``: your own 2-D inputs (n, 2) with class labels (binary or several classes) or regression
    targets. ``seed`` fixes the data and the initial weights, so the same state gives the same run.
    ``playground.train(epochs)`` trains without the Play button; ``playground.epoch`` and
    ``playground.history`` record it. In JupyterLab the picture is drawn by the browser on a canvas (hover a
    neuron to see it large, an edge to read its weight); ``playground.figure`` is the same frame in matplotlib.

    Shapes: x (n, 2), y (n,) or None (a built-in data set) -> a Playground whose surface is (resolution,
    resolution).

    Example:
        >>> playground = explore_playground(dataset="xor", hidden_layers=[4], learning_rate=0.1)
        >>> playground.train(20).test_loss[-1] < playground.history.start["test_loss"]
        True
        >>> again = explore_playground(state=playground.get_state())
        >>> again.get_state() == playground.get_state()
        True
    """
    return Playground(state, x=x, y=y, hide=hide, seed=seed, n_samples=n_samples, resolution=resolution,
                      epochs_per_frame=epochs_per_frame, **settings)

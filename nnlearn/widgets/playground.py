"""explore_playground: TensorFlow Playground inside JupyterLab, on a real nnlearn model you can keep using.

Everything the Playground has (data sets, noise, train/test split, batch size, input features, hidden layers
changed with +/- buttons, activation, learning rate, regularization, problem type, play/step/reset, show test
data, discretize output), and what it never had: ``playground.model`` is the live ``nl.Sequential``; your own
arrays (``x=``, ``y=``); several classes with a softmax output; accuracy beside the losses; an optimizer
control; settings that change mid-run without resetting the weights; a run that diverges stops and says why;
``set_weight`` to move one weight by hand; edges that can show each weight's gradient; ``hide=[...]`` and
``get_state()`` so a teacher can hand a whole class the same setup.
"""

from __future__ import annotations

import json
import math
import time
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from .. import datasets, losses, optimizers
from ..features import FeatureMap
from ..features import names as feature_names
from ..layers import Dense
from ..network import DivergenceWarning, Sequential
from ..plots._grid import input_extent
from ..plots.boundary import DecisionBoundaryData, boundary_from_outputs, neuron_output_grids
from ..plots.curves import loss_curve_data
from ..plots.playground import (
    PlaygroundFrame,
    draw_playground,
    playground_frame_data,
    playground_layout,
    update_playground,
)
from ..validation import as_float_array, check_positive_int, unknown_name
from .base import Explorer

__all__ = ["HiddenLayers", "Playground", "PlaygroundHistory", "explore_playground"]

CLASSIFICATION_SETS = ("circles", "xor", "gaussians", "spirals", "moons", "blobs")
REGRESSION_SETS = ("plane", "multi_gaussian")
CUSTOM = "custom"  # the dataset value when the learner passes x= and y=
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
REGULARIZATIONS = ("none", "L1", "L2")
PROBLEMS = ("classification", "regression")
OPTIMIZERS = tuple(optimizers.names())  # every optimizer fit accepts: sgd, momentum, rmsprop, adam, adamw
MAX_LAYERS = 6
MAX_WIDTH = 8

# The TensorFlow Playground's defaults (noise is in data units here: points lie in about [-1.5, 1.5]).
DEFAULTS: dict[str, Any] = {
    "dataset": "circles",
    "noise": 0.0,
    "train_fraction": 0.5,
    "batch_size": 10,
    "features": ["x1", "x2"],
    "hidden_layers": [4, 2],
    "activation": "tanh",
    "learning_rate": 0.03,
    "regularization": "none",
    "regularization_rate": 0.0,
    "problem": "classification",
    "optimizer": "sgd",
    "show_test": False,
    "discretize": False,
    "show_gradients": False,
}
STATE_KEYS = tuple(DEFAULTS)
FRAME_SECONDS = 0.025  # a Play frame's budget for training plus drawing: 40 frames a second, some margin

# A run has diverged when its loss is this many times worse than both always guessing the same answer and the
# untrained network: with learning rate 10 the Playground's nets reach 5 times within an epoch or two, while
# runs that are merely noisy (learning rate 3) stay under 2 times.
DIVERGENCE_FACTOR = 3.0


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
        self._add = widgets.Button(description="+ layer", layout=widgets.Layout(width="80px"))
        self._remove = widgets.Button(description="- layer", layout=widgets.Layout(width="80px"))
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


class PlaygroundHistory:
    """Train and test loss (and, for classification, accuracy) after each epoch.

    ``history.train_loss[k]`` is the loss after epoch ``history.epochs[k]`` (epochs count from 1, as in
    ``Sequential.fit``); ``history.start`` holds the values before any training (epoch 0). Keys work too:
    ``history["test_loss"]``, and the names ``fit`` uses: 'loss', 'val_loss', 'accuracy', 'val_accuracy'.

    Shapes: epochs and each recorded value are lists of length n_epochs (accuracies only for classification).

    Example:
        >>> history = PlaygroundHistory({"train_loss": 0.7, "test_loss": 0.7})
        >>> history.append(1, {"train_loss": 0.5, "test_loss": 0.6})
        >>> history.append(2, {"train_loss": 0.4, "test_loss": 0.55})
        >>> history["val_loss"], history.loss, len(history)
        ([0.6, 0.55], [0.5, 0.4], 2)
        >>> history
        PlaygroundHistory(2 epochs, train loss 0.4000, test loss 0.5500)
    """

    KEYS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
    ALIASES = {"loss": "train_loss", "val_loss": "test_loss", "accuracy": "train_accuracy",
               "val_accuracy": "test_accuracy", "train": "train_loss", "test": "test_loss"}

    def __init__(self, start: dict[str, float] | None = None):
        self.epochs: list[int] = []
        self.train_loss: list[float] = []
        self.test_loss: list[float] = []
        self.train_accuracy: list[float] = []
        self.test_accuracy: list[float] = []
        self.start: dict[str, float] = dict(start or {})

    def append(self, epoch: int, values: dict[str, float]) -> None:
        """Record one epoch's numbers (train_loss, test_loss, and the accuracies when there are classes)."""
        self.epochs.append(int(epoch))
        for key in self.KEYS:
            if key in values:
                getattr(self, key).append(float(values[key]))

    def __getitem__(self, key: str) -> list[float]:
        name = self.ALIASES.get(key, key)
        if name not in self.KEYS and name != "epochs":
            raise KeyError(f"The history has {', '.join(self.KEYS)} (and epochs), not {key!r}.")
        return getattr(self, name)

    def __getattr__(self, key: str) -> list[float]:
        aliases = type(self).ALIASES
        if key in aliases:
            return getattr(self, aliases[key])
        raise AttributeError(f"PlaygroundHistory has no {key!r}; it has {', '.join(self.KEYS)}.")

    def keys(self) -> list[str]:
        """The recorded series: 'epochs' and every measure that has values."""
        return ["epochs", *(key for key in self.KEYS if getattr(self, key))]

    def as_dict(self) -> dict[str, list]:
        """Every recorded series as plain lists, e.g. for json or a DataFrame."""
        return {key: list(self[key]) for key in self.keys()}

    def __len__(self) -> int:
        return len(self.epochs)

    def __repr__(self) -> str:
        if not self.epochs:
            return "PlaygroundHistory(no epochs yet)"
        return (f"PlaygroundHistory({len(self)} epochs, train loss {self.train_loss[-1]:.4f}, "
                f"test loss {self.test_loss[-1]:.4f})")


def _labels_if_classes(y: np.ndarray) -> np.ndarray | None:
    """Labels 0..k-1 if y holds classes (one-hot rows, or at most 10 distinct whole numbers), else None.

    Whole numbers are numbered in sorted order, so labels -1/1 become 0/1.
    """
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1).astype(np.int64)
    flat = y.reshape(len(y))
    if np.all(np.equal(np.mod(flat, 1), 0)):
        values, labels = np.unique(flat, return_inverse=True)
        if 2 <= len(values) <= 10:
            return labels.astype(np.int64)
    return None


def _json_value(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


class Playground(Explorer):
    """The Playground explorer. Build it with ``explore_playground``; see that function for the parameters.

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

    def __init__(self, state: dict[str, Any] | None = None, *, x: np.ndarray | None = None,
                 y: np.ndarray | None = None, hide: Iterable[str] = (), seed: int | None = None,
                 n_samples: int | None = None, resolution: int = 100, thumbnail: int = 20,
                 epochs_per_frame: int | None = None, frame_interval: int = 80, live: bool | None = None,
                 **settings: Any):
        super().__init__(live=live)
        state = dict(state or {})
        unknown = set(state) - set(STATE_KEYS) - {"seed", "n_samples", "hide"}
        unknown |= set(settings) - set(STATE_KEYS)
        if unknown:
            raise unknown_name("Playground setting", sorted(unknown)[0], [*STATE_KEYS, "seed", "n_samples", "hide"])
        self.seed = int(seed if seed is not None else state.get("seed", 0))
        self.n_samples = check_positive_int(n_samples if n_samples is not None else state.get("n_samples", 500),
                                            "n_samples")
        self.resolution = check_positive_int(resolution, "resolution")
        self.thumbnail = check_positive_int(thumbnail, "thumbnail")
        self.epochs_per_frame = check_positive_int(epochs_per_frame, "epochs_per_frame", allow_none=True)
        self._user_data = self._check_user_data(x, y)
        explicit = {key for key in state if key in STATE_KEYS} | set(settings)
        values = {**DEFAULTS, **{k: v for k, v in state.items() if k in STATE_KEYS}, **settings}
        if self._user_data is not None and "dataset" not in settings and state.get("dataset", CUSTOM) == CUSTOM:
            values["dataset"] = CUSTOM
            explicit.add("dataset")
        if values["dataset"] == CUSTOM and self._user_data is None:
            raise ValueError("This state was saved with your own data (dataset 'custom'): pass x= and y= again.")
        values = self._normalise(values, explicit)

        self.model: Sequential | None = None
        self.optimizer: optimizers.Optimizer | None = None
        self.history = PlaygroundHistory()
        self.message = ""
        self.diverged = False
        self._holding = False
        self._epoch_seconds = 0.002
        self._draw_seconds = 0.015
        self._latest: dict[str, float] | None = None
        self._structure: tuple | None = None
        self._mosaic: np.ndarray | None = None
        self._build_controls(values, frame_interval)
        self._make_data()
        self._build_model()
        # 840 x 403 pixels: fits a 1280-pixel JupyterLab window with the file browser open.
        self.new_figure((10.0, 4.8), dpi=84)
        self._draw_all()
        hidden = [*state.get("hide", []), *hide]
        if hidden:
            self.hide(hidden)

    # ------------------------------------------------------------------ settings
    @staticmethod
    def _check_user_data(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str] | None:
        """(x, y as given, class labels 0..k-1 or None, the problem it looks like)."""
        if x is None and y is None:
            return None
        if x is None or y is None:
            raise ValueError("Give both x= (inputs, shape (n, 2)) and y= (labels or targets, shape (n,)).")
        x = as_float_array(x, "x")
        y = as_float_array(y, "y")
        if x.ndim != 2 or x.shape[1] != 2:
            raise ValueError(f"The Playground draws 2-D inputs: x must have shape (n, 2), but got {x.shape}.")
        if len(x) != len(y):
            raise ValueError(f"x has {len(x)} samples but y has {len(y)}; give one label or target per sample.")
        if len(x) < 4:
            raise ValueError(f"The Playground needs at least 4 samples to split into train and test, got {len(x)}.")
        labels = _labels_if_classes(y)
        if y.ndim == 2 and y.shape[1] != 1:
            if labels is None:
                raise ValueError(f"y must be labels or targets of shape (n,), or one-hot rows, but got {y.shape}.")
            return x, labels.astype(float), labels, "classification"
        y = y.reshape(len(y))
        return x, y, labels, "classification" if labels is not None else "regression"

    def _normalise(self, values: dict[str, Any], explicit: set[str]) -> dict[str, Any]:
        """Check and canonicalise settings; the problem type follows the data set (or picks one, if only the
        problem was given)."""
        values = dict(values)
        regularization = str(values["regularization"])
        matches = [r for r in REGULARIZATIONS if r.lower() == regularization.lower()]
        if not matches:
            raise unknown_name("regularization", regularization, REGULARIZATIONS)
        values["regularization"] = matches[0]
        values["features"] = FeatureMap(values["features"]).names
        values["hidden_layers"] = [int(w) for w in values["hidden_layers"]]
        values["activation"] = "linear" if values["activation"] in ("identity", "linear") else values["activation"]
        for key, options in (("activation", ACTIVATIONS), ("problem", PROBLEMS), ("optimizer", OPTIMIZERS),
                             ("dataset", CLASSIFICATION_SETS + REGRESSION_SETS + (CUSTOM,))):
            if values[key] not in options:
                raise unknown_name(key, values[key], options)
        if values["dataset"] == CUSTOM:
            if "problem" not in explicit:
                values["problem"] = self._user_data[3]
        else:
            natural = "regression" if values["dataset"] in REGRESSION_SETS else "classification"
            if values["problem"] != natural:
                if "problem" in explicit and "dataset" not in explicit:
                    values["dataset"] = (REGRESSION_SETS if values["problem"] == "regression" else CLASSIFICATION_SETS)[0]
                else:
                    values["problem"] = natural
        return values

    def _build_controls(self, values: dict[str, Any], interval: int) -> None:
        def dropdown(name, options, width="170px"):
            return widgets.Dropdown(options=options, value=values[name], description=name.replace("_", " "),
                                    style={"description_width": "initial"}, layout=widgets.Layout(width=width))

        def slider(cls, name, low, high, step, fmt, width="250px"):
            return cls(value=values[name], min=low, max=high, step=step, description=name.replace("_", " "),
                       readout_format=fmt, continuous_update=False, style={"description_width": "initial"},
                       layout=widgets.Layout(width=width))

        dataset_options = [(name, name) for name in CLASSIFICATION_SETS + REGRESSION_SETS]
        if self._user_data is not None:
            dataset_options = [("your data", CUSTOM), *dataset_options]
        play = widgets.Play(value=0, min=0, max=10**9, step=1, interval=interval, show_repeat=False,
                            description="play")
        step = widgets.Button(description="step", tooltip="train one epoch", layout=widgets.Layout(width="60px"))
        reset = widgets.Button(description="reset", tooltip="new weights, epoch 0", layout=widgets.Layout(width="60px"))
        self.add_control("play", play, on_change=self._on_play)
        self.add_control("step", step)
        self.add_control("reset", reset)
        step.on_click(self.callback(lambda _: self.step()))
        reset.on_click(self.callback(lambda _: self.reset()))
        self.add_control("learning_rate", widgets.FloatLogSlider(
            value=values["learning_rate"], base=10, min=-5, max=1, step=0.1, description="learning rate",
            readout_format=".3g", continuous_update=False, style={"description_width": "initial"},
            layout=widgets.Layout(width="280px")), on_change=self._on_learning_rate)
        self.add_control("optimizer", dropdown("optimizer", list(OPTIMIZERS), "170px"), on_change=self._on_optimizer)
        self.add_control("activation", dropdown("activation", list(ACTIVATIONS)), on_change=self._on_structure)
        self.add_control("regularization", dropdown("regularization", list(REGULARIZATIONS)),
                         on_change=self._on_cosmetic)
        self.add_control("regularization_rate", slider(widgets.FloatSlider, "regularization_rate", 0.0, 0.3, 0.001,
                                                       ".3f"), on_change=self._on_cosmetic)
        self.add_control("problem", dropdown("problem", list(PROBLEMS), "210px"), on_change=self._on_problem)
        self.add_control("dataset", widgets.Dropdown(options=dataset_options, value=values["dataset"],
                                                     description="dataset", layout=widgets.Layout(width="210px")),
                         on_change=self._on_dataset)
        self.add_control("noise", slider(widgets.FloatSlider, "noise", 0.0, 0.5, 0.05, ".2f"),
                         on_change=self._on_data)
        self.controls["noise"].add_class("nnl-browser-move")  # the control the real-browser tests move
        self.add_control("train_fraction", slider(widgets.FloatSlider, "train_fraction", 0.1, 0.9, 0.1, ".0%"),
                         on_change=self._on_data)
        self.add_control("batch_size", slider(widgets.IntSlider, "batch_size", 1, 30, 1, "d"),
                         on_change=self._on_cosmetic)
        self.add_control("features", widgets.SelectMultiple(options=feature_names(), value=tuple(values["features"]),
                                                            description="features", rows=7,
                                                            layout=widgets.Layout(width="200px")),
                         on_change=self._on_structure)
        self.add_control("hidden_layers", HiddenLayers(values["hidden_layers"]), on_change=self._on_structure)
        self.add_control("show_test", widgets.Checkbox(value=values["show_test"], description="show test data"),
                         on_change=self._on_cosmetic)
        self.add_control("discretize", widgets.Checkbox(value=values["discretize"], description="discretize output"),
                         on_change=self._on_cosmetic)
        self.add_control("show_gradients", widgets.Checkbox(value=values["show_gradients"],
                                                            description="edges show gradients"),
                         on_change=self._on_cosmetic)

    def control_rows(self) -> list[widgets.Widget]:
        c = self.controls
        wrap = widgets.Layout(flex_flow="row wrap", align_items="center")
        return [
            widgets.HBox([c["play"], c["step"], c["reset"], c["learning_rate"], c["optimizer"], c["activation"],
                          c["regularization"], c["regularization_rate"], c["problem"]], layout=wrap),
            widgets.HBox([c["dataset"], c["noise"], c["train_fraction"], c["batch_size"], c["show_test"],
                          c["discretize"], c["show_gradients"]], layout=wrap),
            widgets.HBox([c["features"], c["hidden_layers"]], layout=wrap),
        ]

    def value(self, name: str) -> Any:
        """A control's current value."""
        return self.controls[name].value

    # ------------------------------------------------------------------ data and model
    @property
    def kind(self) -> str:
        """'binary', 'multiclass' or 'regression'."""
        if self.value("problem") == "regression":
            return "regression"
        return "multiclass" if self.n_classes > 2 else "binary"

    @property
    def loss(self) -> str:
        """The loss the model trains with: 'bce', 'cross_entropy' or 'mse', from the kind of problem."""
        return {"binary": "bce", "multiclass": "cross_entropy", "regression": "mse"}[self.kind]

    @property
    def features(self) -> FeatureMap:
        """The feature transform applied to the 2-D points before the model."""
        return FeatureMap(self.value("features"))

    @property
    def epoch(self) -> int:
        """How many epochs the current model has been trained."""
        return len(self.history)

    def _make_data(self) -> None:
        dataset = self.value("dataset")
        if dataset == CUSTOM:
            x, y, labels, _ = self._user_data
        else:
            x, y = datasets.load(dataset, n=self.n_samples, noise=float(self.value("noise")), seed=self.seed)
            labels = _labels_if_classes(np.asarray(y, dtype=float))
        problem = self.value("problem")
        if problem == "classification":
            if labels is None:
                raise ValueError(f"The data set {dataset!r} has continuous targets, not classes; choose problem "
                                 "'regression'.")
            y = labels
            self.n_classes = max(int(y.max()) + 1, 2)
        else:
            y = np.asarray(y, dtype=float)
            self.n_classes = 0
        train_fraction = float(self.value("train_fraction"))
        self.x_train, self.x_test, self.y_train, self.y_test = datasets.train_test_split(
            x, y, test_fraction=1.0 - train_fraction, seed=self.seed)
        if dataset == CUSTOM:
            self.extent = input_extent(x, 0.1)
        else:
            reach = max(2.0, math.ceil(float(np.abs(x).max()) * 1.05 * 2) / 2)
            self.extent = (-reach, reach, -reach, reach)
        reach_y = float(np.abs(y).max()) if self.n_classes == 0 else 1.0
        self.surface_limits = (-reach_y, reach_y) if self.n_classes == 0 else None
        self._baseline = self._constant_guess_loss()

    def _constant_guess_loss(self) -> float:
        """The loss of always answering the same (class frequencies, or the mean target)."""
        if self.n_classes == 0:
            return float(np.var(self.y_train)) or 1.0
        frequencies = np.bincount(self.y_train, minlength=self.n_classes) / len(self.y_train)
        frequencies = frequencies[frequencies > 0]
        return float(-(frequencies * np.log(frequencies)).sum()) or math.log(2)

    def _architecture(self) -> tuple:
        n_outputs = 1 if self.kind != "multiclass" else self.n_classes
        return (self.features.n_features, *self.value("hidden_layers"), n_outputs)

    def _build_model(self) -> None:
        """A fresh model for the current settings (the same object when the architecture is unchanged)."""
        sizes = self._architecture()
        activation = "identity" if self.value("activation") == "linear" else self.value("activation")
        output = {"binary": "sigmoid", "multiclass": "softmax", "regression": "identity"}[self.kind]
        same = (self.model is not None and self._model_key == (sizes, activation, output))
        if same:
            self.model.initialize(self.seed)
        else:
            layers = [Dense(sizes[k], sizes[k + 1], activation) for k in range(len(sizes) - 2)]
            layers.append(Dense(sizes[-2], sizes[-1], output))
            self.model = Sequential(layers, seed=self.seed)
            self._model_key = (sizes, activation, output)
        self.optimizer = optimizers.get(self.value("optimizer"), float(self.value("learning_rate")))
        self.x_train_features = self.features(self.x_train)
        self.x_test_features = self.features(self.x_test)
        self.history = PlaygroundHistory(self.current_losses())
        self.message = ""
        self.diverged = False
        self._latest = None

    def current_losses(self) -> dict[str, float]:
        """Train and test loss (and accuracy for classification) of the model as it is now."""
        values = {}
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for part, x, y in (("train", self.x_train_features, self.y_train), ("test", self.x_test_features, self.y_test)):
                values[f"{part}_loss"] = float(self.model.loss(x, y, self.loss))
                if self.kind != "regression":
                    values[f"{part}_accuracy"] = float(self.model.accuracy(x, y))
        return values

    def _regularization(self) -> tuple[float, float]:
        rate = float(self.value("regularization_rate"))
        kind = self.value("regularization")
        return (rate if kind == "L1" else 0.0, rate if kind == "L2" else 0.0)

    # ------------------------------------------------------------------ training
    def _train_epoch(self) -> bool:
        """One epoch of mini-batch training. Returns False (and stops) if the run diverged."""
        l1, l2 = self._regularization()
        snapshot = {key: value.copy() for key, value in self.model.parameters().items()}
        # One seed per epoch: the same state gives the same run however the epochs are grouped into frames.
        seed = int(np.random.SeedSequence([self.seed, self.epoch]).generate_state(1)[0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DivergenceWarning)
            record = self.model.fit(self.x_train_features, self.y_train, self.loss, optimizer=self.optimizer,
                                    epochs=1, batch_size=int(self.value("batch_size")), seed=seed,
                                    validation_data=(self.x_test_features, self.y_test), l1=l1, l2=l2,
                                    progress=False)
        reference = max(self._baseline, self.history.start.get("train_loss", 0.0))
        if record.stopped_early:
            return self._stop(snapshot, "the loss became infinite or NaN")
        if record.loss[0] > DIVERGENCE_FACTOR * reference:
            return self._stop(snapshot, f"the loss jumped to {record.loss[0]:.3g}, more than {DIVERGENCE_FACTOR:g} "
                                        f"times the {reference:.2f} of always guessing the same answer")
        values = {"train_loss": record.loss[0], "test_loss": record.val_loss[0]}
        if self.kind != "regression":
            values.update(train_accuracy=record.accuracy[0], test_accuracy=record.val_accuracy[0])
        self.history.append(self.epoch + 1, values)
        self._latest = values
        self.message = ""
        return True

    def _stop(self, snapshot: dict[str, np.ndarray], reason: str) -> bool:
        for key, value in self.model.parameters().items():
            value[...] = snapshot[key]
        self.optimizer.reset()  # momentum or Adam's averages hold the huge steps: forget them
        self.diverged = True
        self.message = (f"Training stopped in epoch {self.epoch + 1}: {reason}. The steps are too large, so each "
                        f"one overshoots and the weights grow. Lower the learning rate (now {self.optimizer.lr:g}) "
                        "and press play again.")
        self.controls["play"].playing = False
        return False

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

    def _train(self, epochs: int) -> None:
        self.diverged = False
        for _ in range(epochs):
            started = time.perf_counter()
            if not self._train_epoch():
                break
            self._epoch_seconds = 0.7 * self._epoch_seconds + 0.3 * (time.perf_counter() - started)

    def step(self) -> None:
        """Train one epoch and redraw (the 'step' button)."""
        self._train(1)
        self.update()

    def epochs_for_frame(self) -> int:
        """Epochs per Play frame (unless fixed by ``epochs_per_frame``): as many as fit beside the drawing in
        a frame of about 25 ms, between 1 and 20. Small networks train several epochs per frame."""
        if self.epochs_per_frame is not None:
            return self.epochs_per_frame
        budget = FRAME_SECONDS - self._draw_seconds
        return int(min(max(budget // max(self._epoch_seconds, 1e-6), 1), 20))

    def frame(self) -> None:
        """One Play frame: a few epochs of training, then redraw only what changed."""
        self._train(self.epochs_for_frame())
        started = time.perf_counter()
        self.update(full=False)
        self._draw_seconds = 0.7 * self._draw_seconds + 0.3 * (time.perf_counter() - started)

    def _on_play(self, change: dict) -> None:
        if self._holding:
            return
        self.frame()

    def reset(self) -> None:
        """New initial weights (from the seed) and epoch 0; the data and settings stay."""
        self._build_model()
        self._draw_all()

    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        """Set one weight by hand: ``model.layers[layer].weights[i, j] = value`` (layer 0 joins the features to
        the first hidden layer), and redraw the surface and thumbnails."""
        layers = self.model.layers
        if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not -len(layers) <= layer < len(layers):
            raise ValueError(f"layer must be an index into playground.model.layers (0 to {len(layers) - 1}), "
                             f"but got {layer!r}.")
        weights = layers[layer].weights
        if not (0 <= i < weights.shape[0] and 0 <= j < weights.shape[1]):
            raise ValueError(f"model.layers[{layer}].weights has shape {weights.shape}: (i, j) = ({i}, {j}) is "
                             "outside it. i is the input neuron, j the neuron of this layer.")
        weights[i, j] = float(as_float_array(value, "value"))
        self._latest = None
        self.update()

    # ------------------------------------------------------------------ control callbacks
    def _rebuild(self, data: bool = False) -> None:
        if self._holding:
            return
        if data:
            self._make_data()
        self._build_model()
        self._draw_all()

    def _on_dataset(self, change: dict) -> None:
        dataset = change["new"]
        wanted = "regression" if dataset in REGRESSION_SETS else "classification"
        if dataset != CUSTOM and self.value("problem") != wanted:
            self._holding = True
            try:
                self.controls["problem"].value = wanted
            finally:
                self._holding = False
        self._rebuild(data=True)

    def _on_problem(self, change: dict) -> None:
        dataset = self.value("dataset")
        if dataset != CUSTOM:
            sets = REGRESSION_SETS if change["new"] == "regression" else CLASSIFICATION_SETS
            if dataset not in sets:
                self._holding = True
                try:
                    self.controls["dataset"].value = sets[0]
                finally:
                    self._holding = False
        self._rebuild(data=True)

    def _on_data(self, change: dict) -> None:
        self._rebuild(data=True)

    def _on_structure(self, change: dict) -> None:
        if not self.value("features"):
            raise ValueError("Choose at least one feature: the network needs an input.")
        self._rebuild()

    def _on_learning_rate(self, change: dict) -> None:
        self.optimizer.learning_rate = float(change["new"])  # same optimizer, same weights: only the step size
        self.update()

    def _on_optimizer(self, change: dict) -> None:
        self.optimizer = optimizers.get(change["new"], float(self.value("learning_rate")))  # weights stay
        self.update()

    def _on_cosmetic(self, change: dict) -> None:
        self.update()

    # ------------------------------------------------------------------ pictures
    def surface_data(self) -> DecisionBoundaryData:
        """The decision surface the figure shows (the compute half), for the current model."""
        grids = neuron_output_grids(self.model, resolution=self.resolution, extent=self.extent,
                                    features=self.features)
        return boundary_from_outputs(grids.output, grids.x1, grids.x2, self.kind, grids.extent, self.surface_limits,
                                     boundary=False)

    def compute(self) -> PlaygroundFrame:
        """Everything one frame shows, as arrays (the compute half of the figure)."""
        layout = self._layout
        grids = neuron_output_grids(self.model, resolution=self.resolution, extent=self.extent,
                                    features=self.features)
        show = "weights"
        if self.value("show_gradients"):
            l1, l2 = self._regularization()
            with np.errstate(over="ignore", invalid="ignore"):
                self.model.loss_and_gradients(self.x_train_features, self.y_train, self.loss, l1=l1, l2=l2)
            show = "gradients"
        if self._latest is None:
            self._latest = self.current_losses()
        start = self.history.start
        train = [start["train_loss"], *self.history.train_loss]
        test = [start["test_loss"], *self.history.test_loss]
        curve = loss_curve_data(train, test, first_epoch=0)
        if self._mosaic is None or self._mosaic.shape != layout.mosaic_shape:
            self._mosaic = np.full(layout.mosaic_shape, np.nan)
        return playground_frame_data(self.model, grids, layout, self.kind, curve, epoch=self.epoch,
                                     losses=self._latest, limits=self.surface_limits, show=show,
                                     message=self.message, mosaic=self._mosaic)

    def _layer_titles(self) -> list[str]:
        sizes = self._architecture()
        titles = ["features"]
        titles += [f"hidden {k}: {w}" for k, w in enumerate(sizes[1:-1], start=1)]
        titles.append("output" if sizes[-1] == 1 else f"output: {sizes[-1]} classes")
        return titles

    def _edge_note(self) -> str:
        if self.value("show_gradients"):
            return "edges: gradients (width ~ |gradient|; a step moves blue weights up, orange ones down)"
        return "edges: weights (width ~ |weight|; blue +, orange -) · thumbnails: each neuron's output"

    def _draw_all(self) -> None:
        """Build every artist from scratch (after the data or the network's shape changed) and redraw fully."""
        self._layout = playground_layout(self._architecture(), self.thumbnail, labels=self.features.names)
        frame = self.compute()
        self.figure.clear()
        self.artists = draw_playground(
            self.figure, self._layout, frame, x_train=self.x_train, y_train=self.y_train, x_test=self.x_test,
            y_test=self.y_test, show_test=bool(self.value("show_test")), discretize=bool(self.value("discretize")),
            layer_titles=self._layer_titles(), edge_note=self._edge_note())
        self._note = self._edge_note()
        self.set_dynamic(self.artists["dynamic"])
        self._set_readout()
        self.redraw(full=True)

    def update(self, full: bool = True) -> None:
        """Recompute the frame from the model and settings and show it (``full=False``: redraw only the
        changing artists when possible)."""
        frame = self.compute()
        limits_changed = update_playground(self.artists, frame, discretize=bool(self.value("discretize")),
                                           show_test=bool(self.value("show_test")))
        note = self._edge_note()
        if note != self._note:
            self.artists["note"].set_text(note)
            self._note = note
            full = True
        self._set_readout()
        self.redraw(full=full or limits_changed)

    def _set_readout(self) -> None:
        latest = self._latest or {}
        parts = [f"epoch {self.epoch}"]
        if latest:
            parts.append(f"train loss {latest['train_loss']:.4f}, test loss {latest['test_loss']:.4f}")
            if "train_accuracy" in latest:
                parts.append(f"accuracy {latest['train_accuracy']:.1%} / {latest['test_accuracy']:.1%}")
        sizes = "-".join(str(s) for s in self._architecture())
        parts.append(f"{sizes} network, {self.model.n_params} parameters, {self.loss} loss")
        if self.message:
            parts.append(self.message.replace("\n", " "))
        self.set_readout(" · ".join(parts))

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        """Every setting and the data seed, as a small JSON-serialisable dict: hand it to
        ``explore_playground(state=...)`` to rebuild the same setup (and the same run)."""
        state = {name: _json_value(self.value(name)) for name in STATE_KEYS}
        state["features"] = list(state["features"])
        state["hidden_layers"] = list(state["hidden_layers"])
        state["seed"] = self.seed
        state["n_samples"] = self.n_samples
        state["hide"] = list(self.hidden)
        json.dumps(state)  # fail here, not in the learner's file, if something is not serialisable
        return state

    def summary(self) -> str:
        sizes = "-".join(str(s) for s in self._architecture())
        latest = self._latest or {}
        loss = f", test loss {latest['test_loss']:.3f}" if latest else ""
        return f"{self.value('dataset')}, {sizes} network, epoch {self.epoch}{loss}"


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
    ``playground.history`` record it.

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

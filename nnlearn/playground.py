"""The Playground's logic without any widget: its settings, and a run that owns data, model and training.

``PlaygroundSettings`` is a frozen dataclass holding every choice a learner makes (data set, noise, layers,
learning rate, ...). The one rule that ties the data set to the kind of problem lives in ``with_changes``: picking
a regression data set makes the problem a regression, picking the problem 'regression' picks a regression data
set. ``PlaygroundRun`` owns the data, the ``nl.Sequential`` model, the optimizer, the history and the divergence
rule (``Sequential.train_epoch``), and gives each frame as a few compact arrays (``frame_buffers``) that a view,
in the browser or in matplotlib, paints. Nothing here imports ipywidgets or matplotlib, so all of it is tested
with plain NumPy.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from typing import Any

import numpy as np

from . import activations, datasets, optimizers
from .features import FeatureMap
from .layers import Dense
from .network import Sequential
from .plots import _style
from .plots._grid import input_extent
from .plots.boundary import DecisionBoundaryData, NeuronGrids, boundary_from_outputs, neuron_output_grids
from .plots.playground import neuron_scales as _neuron_scales
from .validation import as_float_array, check_positive_int, check_rate, unknown_name

__all__ = [
    "PlaygroundHistory",
    "PlaygroundRun",
    "PlaygroundSettings",
    "activation_choices",
    "optimizer_choices",
    "palette",
]

CLASSIFICATION_SETS = ("circles", "xor", "gaussians", "spirals", "moons", "blobs")
REGRESSION_SETS = ("plane", "multi_gaussian")
CUSTOM = "custom"  # the dataset value when the learner passes x= and y=
REGULARIZATIONS = ("none", "L1", "L2")
PROBLEMS = ("classification", "regression")
MAX_LAYERS = 6
MAX_WIDTH = 8
LOSS_POINTS = 400  # the loss curves the browser draws hold at most this many points per series


def activation_choices() -> list[str]:
    """The activations a Playground's hidden layers can use: the registry's names, 'identity' shown as 'linear'.

    Shapes: none (-> a list of names).

    Example:
        >>> activation_choices()[:5]
        ['linear', 'step', 'sigmoid', 'tanh', 'relu']
    """
    # A hidden layer's neurons each draw their own picture, so only elementwise activations (not softmax, which
    # couples a whole layer). Step stays: that nothing before it learns (its slope is 0) is worth seeing.
    return ["linear" if name == "identity" else name for name in activations.names()
            if activations.get(name).elementwise]


def optimizer_choices() -> list[str]:
    """The optimizers a Playground offers: every name ``nnlearn.optimizers`` registers.

    Shapes: none (-> a list of names).

    Example:
        >>> "adam" in optimizer_choices()
        True
    """
    return optimizers.names()


def palette(name: str = _style.DIVERGING) -> np.ndarray:
    """A colour map of the pictures as 256 RGBA rows of uint8, computed with NumPy alone.

    ``'nnlearn_diverging'`` (orange, white, blue: neurons and weights) or ``'nnlearn_diverging_light'`` (the same
    faded halfway to white: the decision surface under the data points). Row k is the colour of the value
    k / 255 of the colour range, as matplotlib's map gives it.

    Shapes: none (a name -> (256, 4) uint8).

    Example:
        >>> lut = palette()
        >>> lut.shape, lut[0].tolist(), lut[255].tolist()   # dark orange ... dark blue
        ((256, 4), [179, 88, 6, 255], [11, 61, 120, 255])
    """
    if name not in (_style.DIVERGING, _style.DIVERGING_LIGHT):
        raise unknown_name("palette", name, (_style.DIVERGING, _style.DIVERGING_LIGHT))
    stops = np.array([_style.hex_to_rgb(color) for color in _style._DIVERGING_STOPS])
    if name == _style.DIVERGING_LIGHT:
        stops = 0.5 + 0.5 * stops
    where = np.linspace(0.0, 1.0, len(stops))
    x = np.linspace(0.0, 1.0, 256)
    rgb = np.column_stack([np.interp(x, where, stops[:, c]) for c in range(3)])
    rgba = np.column_stack([rgb, np.ones(256)])
    return (rgba * 255).round().astype(np.uint8)


def _to_index(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values in [low, high] as palette rows 0..255 (as matplotlib picks them: floor of the scaled value)."""
    # Scaled to 0 ... 1 first, as matplotlib's Normalize does: a 0 in -L ... L is then exactly row 128.
    scaled = (np.asarray(values, dtype=float) - low) / max(high - low, 1e-300) * 256.0
    return np.clip(np.nan_to_num(scaled, nan=128.0, posinf=255.0, neginf=0.0), 0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------------------------------- settings
def _natural_problem(dataset: str) -> str:
    return "regression" if dataset in REGRESSION_SETS else "classification"


@dataclasses.dataclass(frozen=True)
class PlaygroundSettings:
    """Every choice of a Playground, checked and frozen. TensorFlow Playground's defaults.

    Noise is in data units (the points lie in about [-1.5, 1.5]). ``with_changes(**changes)`` returns new
    settings and applies the one rule between data set and problem: a data set brings its own kind of problem
    (``'plane'`` is a regression), and choosing only the problem picks the first data set of that kind.

    Shapes: none (hidden_layers is a tuple of up to 6 widths, each 1 to 8).

    Example:
        >>> settings = PlaygroundSettings(dataset="xor", hidden_layers=[3])
        >>> settings.hidden_layers, settings.problem
        ((3,), 'classification')
        >>> settings.with_changes(dataset="plane").problem             # the data set decides the problem
        'regression'
        >>> settings.with_changes(problem="regression").dataset        # the problem picks a data set
        'plane'
    """

    dataset: str = "circles"
    noise: float = 0.0
    train_fraction: float = 0.5
    batch_size: int = 10
    features: tuple[str, ...] = ("x1", "x2")
    hidden_layers: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    learning_rate: float = 0.03
    regularization: str = "none"
    regularization_rate: float = 0.0
    problem: str = "classification"
    optimizer: str = "sgd"
    show_test: bool = False
    discretize: bool = False
    show_gradients: bool = False

    def __post_init__(self) -> None:
        put = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731 (frozen: canonicalise once)
        if self.dataset not in (*CLASSIFICATION_SETS, *REGRESSION_SETS, CUSTOM):
            raise unknown_name("dataset", self.dataset, (*CLASSIFICATION_SETS, *REGRESSION_SETS))
        if self.problem not in PROBLEMS:
            raise unknown_name("problem", self.problem, PROBLEMS)
        put("noise", check_rate(self.noise, "noise", high=0.5, include_high=True))
        put("train_fraction", check_rate(self.train_fraction, "train_fraction", low=0.1, high=0.9, include_high=True))
        put("batch_size", check_positive_int(self.batch_size, "batch_size"))
        put("features", tuple(FeatureMap(self.features).names))
        widths = [self.hidden_layers] if isinstance(self.hidden_layers, (int, np.integer)) else list(self.hidden_layers)
        if len(widths) > MAX_LAYERS:
            raise ValueError(f"hidden_layers can have at most {MAX_LAYERS} layers, but got {len(widths)}: {widths}.")
        for width in widths:
            if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or not 1 <= width <= MAX_WIDTH:
                raise ValueError(f"Each hidden layer has 1 to {MAX_WIDTH} neurons, but got {widths}. "
                                 "Use [] for no hidden layer.")
        put("hidden_layers", tuple(int(width) for width in widths))
        activation = "linear" if self.activation in ("identity", "linear", "none") else self.activation
        if activation not in activation_choices():
            raise unknown_name("activation", activation, activation_choices())
        put("activation", activation)
        learning_rate = float(as_float_array(self.learning_rate, "learning_rate"))
        if not learning_rate > 0 or not math.isfinite(learning_rate):
            raise ValueError(f"learning_rate must be a positive number, but got {self.learning_rate!r}.")
        put("learning_rate", learning_rate)
        matches = [r for r in REGULARIZATIONS if r.lower() == str(self.regularization).lower()]
        if not matches:
            raise unknown_name("regularization", self.regularization, REGULARIZATIONS)
        put("regularization", matches[0])
        put("regularization_rate", check_rate(self.regularization_rate, "regularization_rate", high=math.inf))
        if self.optimizer not in optimizer_choices():
            raise unknown_name("optimizer", self.optimizer, optimizer_choices())
        for flag in ("show_test", "discretize", "show_gradients"):
            put(flag, bool(self[flag]))

    def __getitem__(self, name: str) -> Any:
        if name not in self.names():
            raise unknown_name("Playground setting", name, self.names())
        return getattr(self, name)

    @classmethod
    def names(cls) -> list[str]:
        """Every setting's name, in the order of the controls."""
        return [field.name for field in dataclasses.fields(cls)]

    @classmethod
    def create(cls, values: dict[str, Any] | None = None, *, data_problem: str | None = None) -> PlaygroundSettings:
        """Settings from a dict of some values (the rest default), with the data set/problem rule applied.

        ``data_problem``: the problem the learner's own data looks like (dataset 'custom'), used unless
        'problem' is given.
        """
        values = dict(values or {})
        unknown = sorted(set(values) - set(cls.names()))
        if unknown:
            raise unknown_name("Playground setting", unknown[0], cls.names())
        if values.get("dataset") == CUSTOM and "problem" not in values and data_problem is not None:
            values["problem"] = data_problem
        return cls().with_changes(**values)

    def with_changes(self, **changes: Any) -> PlaygroundSettings:
        """New settings with ``changes``; the data set and the problem follow each other (the one rule)."""
        unknown = sorted(set(changes) - set(self.names()))
        if unknown:
            raise unknown_name("Playground setting", unknown[0], self.names())
        values = {**dataclasses.asdict(self), **changes}
        dataset, problem = values["dataset"], values["problem"]
        if dataset != CUSTOM and dataset in (*CLASSIFICATION_SETS, *REGRESSION_SETS) and problem in PROBLEMS:
            if problem != _natural_problem(dataset):
                if "problem" in changes and "dataset" not in changes:
                    values["dataset"] = (REGRESSION_SETS if problem == "regression" else CLASSIFICATION_SETS)[0]
                else:
                    values["problem"] = _natural_problem(dataset)
        return type(self)(**values)

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain JSON values (lists for the tuples)."""
        values = dataclasses.asdict(self)
        values["features"] = list(self.features)
        values["hidden_layers"] = list(self.hidden_layers)
        return values


# ---------------------------------------------------------------------------------------------------- history
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


# ---------------------------------------------------------------------------------------------------- the run
def _labels_if_classes(y: np.ndarray) -> np.ndarray | None:
    """Labels 0..k-1 if y holds classes (one-hot rows, or 2 to 10 distinct whole numbers), else None.

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


def check_user_data(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, str] | None:
    """(x, y, class labels 0..k-1 or None, the problem the data looks like) for a learner's own data, or None.

    Shapes: x (n, 2), y (n,) or one-hot (n, k) -> x (n, 2), y (n,), labels (n,) or None, a problem name.

    Example:
        >>> import numpy as np
        >>> x = np.zeros((4, 2)); _, _, labels, problem = check_user_data(x, [-1, 1, 1, -1])
        >>> labels.tolist(), problem
        ([0, 1, 1, 0], 'classification')
    """
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


_DATA = ("dataset", "noise", "train_fraction", "problem")
_STRUCTURE = ("features", "hidden_layers", "activation")


class PlaygroundRun:
    """One Playground run: its settings, data, model, optimizer, training history and divergence stop.

    ``change(**settings)`` applies new settings between epochs: a new data set, noise, split or problem makes new
    data and a fresh model; new features, layers or activation a fresh model; the learning rate and the optimizer
    keep the weights; the rest changes only the picture. ``train(epochs)`` trains with
    ``Sequential.train_epoch`` (one seed per epoch, so a run does not depend on how its epochs are grouped) and
    stops, weights restored, when the loss diverges. ``frame_buffers()`` gives what a view paints.

    ``settings``: a PlaygroundSettings, or a dict of some settings (a ``get_state()`` dict also gives the seed and
    the number of samples).

    Shapes: x_train (n_train, 2), y_train (n_train,); the model maps (n, len(features)) -> (n, 1) or
    (n, n_classes).

    Example:
        >>> run = PlaygroundRun({"dataset": "xor", "hidden_layers": [4], "learning_rate": 0.3}, n_samples=200)
        >>> run.architecture, run.loss, run.epoch
        ((2, 4, 1), 'bce', 0)
        >>> history = run.train(40)
        >>> run.epoch, history.test_loss[-1] < history.start["test_loss"]
        (40, True)
        >>> run.change(hidden_layers=[3, 3])         # a new network; the epoch count starts again
        {'hidden_layers'}
        >>> run.architecture, run.epoch
        ((2, 3, 3, 1), 0)
    """

    def __init__(self, settings: PlaygroundSettings | dict[str, Any] | None = None, *, x: Any = None,
                 y: Any = None, seed: int | None = None, n_samples: int | None = None, resolution: int = 100,
                 thumbnail: int = 20):
        saved = dict(settings) if isinstance(settings, dict) else {}  # a get_state() dict carries these too
        self.seed = int(seed if seed is not None else saved.pop("seed", 0))
        self.n_samples = check_positive_int(n_samples if n_samples is not None else saved.pop("n_samples", 500),
                                            "n_samples")
        saved.pop("seed", None), saved.pop("n_samples", None), saved.pop("hide", None)
        settings = saved if isinstance(settings, dict) else settings
        self.resolution = check_positive_int(resolution, "resolution")
        self.thumbnail = check_positive_int(thumbnail, "thumbnail")
        self.user_data = check_user_data(x, y)
        if isinstance(settings, PlaygroundSettings):
            self.settings = settings
        else:
            values = dict(settings or {})
            if self.user_data is not None and values.get("dataset", CUSTOM) == CUSTOM:
                values["dataset"] = CUSTOM
            data_problem = self.user_data[3] if self.user_data is not None else None
            self.settings = PlaygroundSettings.create(values, data_problem=data_problem)
        if self.settings.dataset == CUSTOM and self.user_data is None:
            raise ValueError("This state was saved with your own data (dataset 'custom'): pass x= and y= again.")
        self.model: Sequential | None = None
        self._model_key: tuple | None = None
        self.data_version = 0  # goes up whenever the data points change (a view then re-sends them)
        self.structure_version = 0  # goes up whenever the network's shape changes
        self.epoch_seconds = 0.002  # a running average of one epoch's time
        self._make_data()
        self._build_model()

    # ------------------------------------------------------------------ what the run is
    @property
    def kind(self) -> str:
        """'binary', 'multiclass' or 'regression'."""
        if self.settings.problem == "regression":
            return "regression"
        return "multiclass" if self.n_classes > 2 else "binary"

    @property
    def loss(self) -> str:
        """The loss the model trains with: 'bce', 'cross_entropy' or 'mse', from the kind of problem."""
        return {"binary": "bce", "multiclass": "cross_entropy", "regression": "mse"}[self.kind]

    @property
    def features(self) -> FeatureMap:
        """The feature transform applied to the 2-D points before the model."""
        return FeatureMap(self.settings.features)

    @property
    def architecture(self) -> tuple[int, ...]:
        """Layer sizes from the features to the output, e.g. (2, 4, 2, 1)."""
        n_outputs = self.n_classes if self.kind == "multiclass" else 1
        return (self.features.n_features, *self.settings.hidden_layers, n_outputs)

    @property
    def epoch(self) -> int:
        """How many epochs the current model has been trained."""
        return len(self.history)

    def regularization(self) -> tuple[float, float]:
        """(l1, l2) strengths from the regularization settings."""
        rate, kind = self.settings.regularization_rate, self.settings.regularization
        return (rate if kind == "L1" else 0.0, rate if kind == "L2" else 0.0)

    # ------------------------------------------------------------------ data and model
    def _make_data(self) -> None:
        s = self.settings
        if s.dataset == CUSTOM:
            x, y, labels, _ = self.user_data
        else:
            x, y = datasets.load(s.dataset, n=self.n_samples, noise=s.noise, seed=self.seed)
            labels = _labels_if_classes(np.asarray(y, dtype=float))
        if s.problem == "classification":
            if labels is None:
                raise ValueError(f"The data set {s.dataset!r} has continuous targets, not classes; choose problem "
                                 "'regression'.")
            y = labels
            self.n_classes = max(int(y.max()) + 1, 2)
        else:
            y = np.asarray(y, dtype=float)
            self.n_classes = 0
        self.x_train, self.x_test, self.y_train, self.y_test = datasets.train_test_split(
            x, y, test_fraction=1.0 - s.train_fraction, seed=self.seed)
        if s.dataset == CUSTOM:
            self.extent = input_extent(x, 0.1)
        else:
            reach = max(2.0, math.ceil(float(np.abs(x).max()) * 1.05 * 2) / 2)
            self.extent = (-reach, reach, -reach, reach)
        reach_y = float(np.abs(y).max()) if self.n_classes == 0 else 1.0
        self.surface_limits = (-reach_y, reach_y) if self.n_classes == 0 else None
        self.baseline_loss = self._constant_guess_loss()
        self.data_version += 1

    def _constant_guess_loss(self) -> float:
        """The loss of always answering the same (class frequencies, or the mean target)."""
        if self.n_classes == 0:
            return float(np.var(self.y_train)) or 1.0
        frequencies = np.bincount(self.y_train, minlength=self.n_classes) / len(self.y_train)
        frequencies = frequencies[frequencies > 0]
        return float(-(frequencies * np.log(frequencies)).sum()) or math.log(2)

    def _build_model(self) -> None:
        """A fresh model for the current settings (the same object, re-initialised, when the shape is unchanged)."""
        sizes = self.architecture
        activation = "identity" if self.settings.activation == "linear" else self.settings.activation
        output = {"binary": "sigmoid", "multiclass": "softmax", "regression": "identity"}[self.kind]
        if self.model is not None and self._model_key == (sizes, activation, output):
            self.model.initialize(self.seed)
        else:
            layers = [Dense(sizes[k], sizes[k + 1], activation) for k in range(len(sizes) - 2)]
            layers.append(Dense(sizes[-2], sizes[-1], output))
            self.model = Sequential(layers, seed=self.seed)
            self._model_key = (sizes, activation, output)
            self.structure_version += 1
        self.optimizer = optimizers.get(self.settings.optimizer, self.settings.learning_rate)
        self.x_train_features = self.features(self.x_train)
        self.x_test_features = self.features(self.x_test)
        self.history = PlaygroundHistory(self.current_losses())
        self.latest = dict(self.history.start)
        self.message = ""
        self.diverged = False

    def reset(self) -> None:
        """New initial weights (from the seed) and epoch 0; the data and settings stay."""
        self._build_model()

    def change(self, **changes: Any) -> set[str]:
        """Apply new settings (checked first: a bad value changes nothing). Returns the names that changed."""
        new = self.settings.with_changes(**changes)
        changed = {name for name in new.names() if new[name] != self.settings[name]}
        if not changed:
            return changed
        old, self.settings = self.settings, new
        try:
            if changed & set(_DATA):
                self._make_data()
                self._build_model()
            elif changed & set(_STRUCTURE):
                self._build_model()
            else:
                if "optimizer" in changed:
                    self.optimizer = optimizers.get(new.optimizer, new.learning_rate)  # the weights stay
                elif "learning_rate" in changed:
                    self.optimizer.learning_rate = new.learning_rate  # same optimizer, same weights: only the step size
        except Exception:
            self.settings = old
            raise
        return changed

    def current_losses(self) -> dict[str, float]:
        """Train and test loss (and accuracy for classification) of the model as it is now."""
        values = {}
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for part, x, y in (("train", self.x_train_features, self.y_train),
                               ("test", self.x_test_features, self.y_test)):
                values[f"{part}_loss"] = float(self.model.loss(x, y, self.loss))
                if self.kind != "regression":
                    values[f"{part}_accuracy"] = float(self.model.accuracy(x, y))
        return values

    # ------------------------------------------------------------------ training
    def train_one_epoch(self) -> bool:
        """One epoch of mini-batch training. Returns False if the run diverged (weights restored, message set)."""
        l1, l2 = self.regularization()
        # One seed per epoch: the same state gives the same run however the epochs are grouped into frames.
        seed = int(np.random.SeedSequence([self.seed, self.epoch]).generate_state(1)[0])
        reference = max(self.baseline_loss, self.history.start.get("train_loss", 0.0))
        result = self.model.train_epoch(self.x_train_features, self.y_train, self.loss, self.optimizer,
                                        batch_size=self.settings.batch_size, rng=seed, l1=l1, l2=l2,
                                        validation_data=(self.x_test_features, self.y_test),
                                        reference_loss=reference)
        if result.diverged:
            self.diverged = True
            self.message = (f"Training stopped in epoch {self.epoch + 1}: {result.diverged}. The steps are too "
                            "large, so each one overshoots and the weights grow. Lower the learning rate (now "
                            f"{self.optimizer.lr:g}) and press play again.")
            return False
        logs = result.logs
        values = {"train_loss": logs["loss"], "test_loss": logs["val_loss"]}
        if self.kind != "regression":
            values.update(train_accuracy=logs["accuracy"], test_accuracy=logs["val_accuracy"])
        self.history.append(self.epoch + 1, values)
        self.latest = values
        self.message = ""
        return True

    def train(self, epochs: int = 1, *, seconds: float | None = None, min_epochs: int = 1) -> PlaygroundHistory:
        """Train up to ``epochs`` epochs, stopping early when the run diverges or, if given, after ``seconds``
        (but never before ``min_epochs`` epochs: the time slices of a live view)."""
        epochs = check_positive_int(epochs, "epochs")
        min_epochs = check_positive_int(min_epochs, "min_epochs")
        self.diverged = False
        started = time.perf_counter()
        for k in range(epochs):
            begun = time.perf_counter()
            if not self.train_one_epoch():
                break
            now = time.perf_counter()
            self.epoch_seconds = 0.8 * self.epoch_seconds + 0.2 * (now - begun)
            if seconds is not None and k + 1 >= min_epochs and now - started + self.epoch_seconds > seconds:
                break
        return self.history

    def set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        """``model.layers[layer].weights[i, j] = value``, checked (layer 0 joins the features to the first layer)."""
        layers = self.model.layers
        if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not -len(layers) <= layer < len(layers):
            raise ValueError(f"layer must be an index into playground.model.layers (0 to {len(layers) - 1}), "
                             f"but got {layer!r}.")
        weights = layers[layer].weights
        if not (0 <= i < weights.shape[0] and 0 <= j < weights.shape[1]):
            raise ValueError(f"model.layers[{layer}].weights has shape {weights.shape}: (i, j) = ({i}, {j}) is "
                             "outside it. i is the input neuron, j the neuron of this layer.")
        weights[i, j] = float(as_float_array(value, "value"))
        self.latest = self.current_losses()

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        """Every setting, the seed and the number of samples, as a small JSON-serialisable dict."""
        state = {**self.settings.as_dict(), "seed": self.seed, "n_samples": self.n_samples}
        json.dumps(state)  # fail here, not in the learner's file, if something is not serialisable
        return state

    def set_state(self, state: dict[str, Any]) -> None:
        """Take the settings (and seed, n_samples) of a ``get_state`` dict: new data and a fresh model."""
        state = dict(state)
        self.seed = int(state.pop("seed", self.seed))
        self.n_samples = check_positive_int(state.pop("n_samples", self.n_samples), "n_samples")
        state.pop("hide", None)
        data_problem = self.user_data[3] if self.user_data is not None else None
        settings = PlaygroundSettings.create(state, data_problem=data_problem)
        if settings.dataset == CUSTOM and self.user_data is None:
            raise ValueError("This state was saved with your own data (dataset 'custom'): pass x= and y= again.")
        self.settings = settings
        self._make_data()
        self._build_model()

    # ------------------------------------------------------------------ pictures (compute halves)
    def neuron_grids(self, resolution: int | None = None) -> NeuronGrids:
        """Every neuron's output over the input plane (features, hidden layers, output)."""
        return neuron_output_grids(self.model, resolution=resolution or self.resolution, extent=self.extent,
                                   features=self.features)

    def surface_data(self, grids: NeuronGrids | None = None) -> DecisionBoundaryData:
        """The decision surface (the network's answer over the plane) for the current model."""
        grids = grids or self.neuron_grids()
        return boundary_from_outputs(grids.output, grids.x1, grids.x2, self.kind, grids.extent, self.surface_limits,
                                     boundary=False)

    def neuron_scales(self, grids: NeuronGrids) -> list[tuple[float, float]]:
        """(centre, half range) per layer mapping each neuron's output onto [-1, 1] for its picture."""
        # The registry's colour range of each activation, as the static picture uses (plots.playground).
        return _neuron_scales(grids, [layer.activation.name for layer in self.model.layers])

    def edge_values(self, show: str = "weights") -> np.ndarray:
        """Every weight (or its gradient, ``show='gradients'``) in the order edges are drawn: layer by layer,
        source neuron i, then target neuron j (``weights[i, j]``).

        Shapes: -> (n_edges,) with n_edges = sum of n_inputs * n_outputs over the layers.
        """
        if show == "gradients":
            l1, l2 = self.regularization()
            with np.errstate(over="ignore", invalid="ignore"):
                self.model.loss_and_gradients(self.x_train_features, self.y_train, self.loss, l1=l1, l2=l2)
            arrays = [layer.grad_weights for layer in self.model.layers]
        else:
            arrays = [layer.weights for layer in self.model.layers]
        return np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])

    def frame_buffers(self, *, points: bool = False, hover: int | None = None,
                      max_width: float = 5.0) -> dict[str, np.ndarray]:
        """One frame as compact arrays a view paints (the browser canvas gets exactly these bytes).

        - ``surface``: the decision surface as palette rows 0..255 of ``palette('nnlearn_diverging_light')``
          over the surface's colour range (uint8 (r, r), rows going up in x2), or for several classes RGBA
          (uint8 (r, r, 4)); ``discretize`` gives the predicted classes sharply, as the static picture does.
        - ``neurons``: every neuron's output (features first) as palette rows of ``palette()``, centred on the
          activation's neutral value: uint8 (n_nodes, t, t) with t = thumbnail.
        - ``edges``: float32 (n_edges, 3): the value shown (weight or gradient), its colour in [-1, 1] and its
          width in pixels (0 to ``max_width``; weights are measured against at least 1, as in the static picture).
        - ``loss``: float32 (2, m): train and test loss from epoch 0, thinned to at most 400 points.
        - ``points`` (only when asked): float32 (n, 3) rows x1, x2, group (class, or regression band) with a
          ``test`` flag in a fourth column.
        - ``hover`` (only for ``hover=k``): neuron k's picture at the surface's resolution, uint8 (r, r), for the
          view that shows a hovered neuron large.

        Shapes: see the list: surface (r, r) or (r, r, 4); neurons (n_nodes, t, t); edges (n_edges, 3);
        loss (2, m); points (n_train + n_test, 4).

        Example:
            >>> run = PlaygroundRun({"dataset": "xor"}, n_samples=60, resolution=16, thumbnail=8)  # 2-4-2-1
            >>> buffers = run.frame_buffers(points=True)
            >>> {name: (a.dtype.name, a.shape) for name, a in buffers.items()}  # doctest: +NORMALIZE_WHITESPACE
            {'surface': ('uint8', (16, 16)), 'neurons': ('uint8', (9, 8, 8)), 'edges': ('float32', (18, 3)),
             'loss': ('float32', (2, 1)), 'points': ('float32', (60, 4))}
        """
        grids = self.neuron_grids()
        surface = self.surface_data(grids)
        discretize = self.settings.discretize
        if surface.kind == "multiclass":
            k = surface.n_classes
            confidence = np.ones_like(surface.values) if discretize else (surface.values - 1.0 / k) / (1.0 - 1.0 / k)
            rgb = _style.class_color_image(surface.classes, confidence, k)
            surface_pixels = np.concatenate([(rgb * 255).round(), np.full((*rgb.shape[:2], 1), 255.0)], axis=-1)
            surface_pixels = surface_pixels.astype(np.uint8)
        else:
            values = surface.values
            if discretize:
                if surface.kind == "binary":
                    values = surface.classes.astype(float)
                else:
                    step = (surface.limits[1] - surface.limits[0]) / 8.0
                    values = (np.floor(values / step) + 0.5) * step
            surface_pixels = _to_index(values, *surface.limits)
        size = self.thumbnail
        pictures, large = [], []
        for layer, (centre, half) in zip(grids.layers, self.neuron_scales(grids)):
            r = layer.shape[-1]
            pick = np.linspace(0, r - 1, size).round().astype(int)
            pictures.append((layer[:, pick][:, :, pick] - centre) / half)
            large.extend((centre, half, picture) for picture in layer)
        neurons = _to_index(np.concatenate(pictures), -1.0, 1.0)
        show = "gradients" if self.settings.show_gradients else "weights"
        shown = self.edge_values(show)
        finite = np.abs(shown[np.isfinite(shown)])
        scale = float(finite.max()) if finite.size else 0.0
        measure = max(scale, 1.0 if show == "weights" else 0.0)
        colors = np.clip(np.nan_to_num(shown / measure), -1, 1) if measure > 0 else np.zeros_like(shown)
        widths = np.abs(colors) * max_width
        edges = np.column_stack([shown, colors, widths]).astype(np.float32)
        train = [self.history.start["train_loss"], *self.history.train_loss]
        test = [self.history.start["test_loss"], *self.history.test_loss]
        pick = np.unique(np.linspace(0, len(train) - 1, min(len(train), LOSS_POINTS)).round().astype(int))
        loss = np.array([np.asarray(train)[pick], np.asarray(test)[pick]], dtype=np.float32)
        buffers = {"surface": np.ascontiguousarray(surface_pixels), "neurons": neurons, "edges": edges, "loss": loss}
        if points:
            buffers["points"] = self.point_rows()
        if hover is not None and 0 <= hover < len(large):
            centre, half, picture = large[hover]
            buffers["hover"] = _to_index((picture - centre) / half, -1.0, 1.0)
        return buffers

    def point_groups(self) -> tuple[np.ndarray, np.ndarray]:
        """Colour group of each train and each test point: its class, or for regression its target's band
        (11 bands over the colour range)."""
        def groups(y: np.ndarray) -> np.ndarray:
            if self.kind != "regression":
                return np.asarray(y, dtype=np.int64)
            low, high = self.surface_limits
            position = (np.asarray(y, dtype=float) - low) / max(high - low, 1e-12)
            return np.clip((position * 11).astype(int), 0, 10)

        return groups(self.y_train), groups(self.y_test)

    def point_rows(self) -> np.ndarray:
        """Train then test points as float32 rows (x1, x2, colour group, 1 for a test point)."""
        train, test = self.point_groups()
        rows = [np.column_stack([self.x_train, train, np.zeros(len(train))]),
                np.column_stack([self.x_test, test, np.ones(len(test))])]
        return np.concatenate(rows).astype(np.float32)

    def group_colors(self) -> np.ndarray:
        """RGB uint8 of each colour group: the class colours, or for regression the 11 band colours."""
        if self.kind == "regression":
            centres = (np.arange(11) + 0.5) / 11
            return palette()[(centres * 256).astype(int).clip(0, 255), :3]
        return (_style.class_colors(max(self.n_classes, 2)) * 255).round().astype(np.uint8)

    def layer_titles(self) -> list[str]:
        """'features', 'hidden 1: 4', ..., 'output' (or 'output: 3 classes')."""
        sizes = self.architecture
        titles = ["features", *(f"hidden {k}: {w}" for k, w in enumerate(sizes[1:-1], start=1))]
        titles.append("output" if sizes[-1] == 1 else f"output: {sizes[-1]} classes")
        return titles

    def summary(self) -> str:
        """One line: data set, network, epoch and test loss."""
        sizes = "-".join(str(s) for s in self.architecture)
        loss = f", test loss {self.latest['test_loss']:.3f}" if self.latest else ""
        return f"{self.settings.dataset}, {sizes} network, epoch {self.epoch}{loss}"

    def __repr__(self) -> str:
        return f"PlaygroundRun({self.summary()})"

"""Generalization: how well a trained network does on points it never saw, and what helps or hurts.

- ``learning_curve``: train the same network on more and more examples; accuracy on training and test points.
- ``flip_labels``: label noise, an exact fraction of labels made wrong.
- ``best_epoch`` and ``EarlyStopping``: keep the weights of the epoch with the lowest validation loss.
- ``generalization_data``, ``train_classifier``, ``generalization_run``: one small seeded experiment (data set,
  size, label noise, width, L2, dropout, early stopping); the explorer's compute half.
- ``extrapolation_data``: a model asked about inputs outside the range it was trained on.

NumPy only: nothing here imports matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import datasets
from .layers import Dense, Dropout
from .network import History, Sequential
from .validation import as_float_array, check_positive_int, check_rate, check_same_length

__all__ = [
    "EarlyStopping",
    "ExtrapolationData",
    "GeneralizationData",
    "GeneralizationRun",
    "LearningCurve",
    "best_epoch",
    "extrapolation_data",
    "flip_labels",
    "generalization_data",
    "generalization_run",
    "learning_curve",
    "make_classifier",
    "train_classifier",
]


# ---------------------------------------------------------------------------------------------------- label noise
def flip_labels(y: Any, fraction: float, seed: int | None = None, n_classes: int | None = None) -> np.ndarray:
    """A copy of the labels with exactly ``round(fraction * n)`` of them changed to a different class.

    Which labels flip is drawn from ``seed``; with two classes a flipped label becomes the other class, with
    more it becomes one of the others at random. The original ``y`` is not changed.

    Shapes: y (n,) integer labels -> (n,) int64.

    Example:
        >>> y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
        >>> noisy = flip_labels(y, 0.2, seed=0)
        >>> int((noisy != y).sum())          # 0.2 * 10 = 2 labels changed, no more, no less
        2
    """
    labels = as_float_array(y, "y")
    if labels.ndim != 1 or not np.all(labels == np.round(labels)) or (labels < 0).any():
        raise ValueError(f"flip_labels(): y must be whole-number class labels of shape (n,), such as [0, 1, 1, 0], "
                         f"but got shape {labels.shape}.")
    fraction = check_rate(fraction, "fraction", include_high=True)
    labels = labels.astype(np.int64)
    if n_classes is None:
        n_classes = max(2, int(labels.max(initial=0)) + 1)
    rng = np.random.default_rng(seed)
    n_flip = int(round(fraction * len(labels)))
    chosen = rng.choice(len(labels), size=n_flip, replace=False)
    noisy = labels.copy()
    # Adding 1..n_classes-1 (mod n_classes) always lands on a different class.
    shift = rng.integers(1, n_classes, size=n_flip) if n_classes > 2 else np.ones(n_flip, dtype=np.int64)
    noisy[chosen] = (labels[chosen] + shift) % n_classes
    return noisy


# ---------------------------------------------------------------------------------------------------- models
def make_classifier(hidden_units: int | Sequence[int], *, n_inputs: int = 2, activation: str = "tanh",
                    dropout: float = 0.0, seed: int | None = 0) -> Sequential:
    """A binary classifier: hidden tanh layers of the given widths, each optionally followed by Dropout, then one
    sigmoid output.

    Shapes: x (batch, n_inputs) -> (batch, 1), the probability of class 1.

    Example:
        >>> make_classifier([8, 8], seed=0).n_params    # (2*8 + 8) + (8*8 + 8) + (8*1 + 1)
        105
    """
    widths = [hidden_units] if isinstance(hidden_units, (int, np.integer)) else list(hidden_units)
    layers: list = []
    width = n_inputs
    for units in widths:
        units = check_positive_int(units, "hidden_units")
        layers.append(Dense(width, units, activation))
        if dropout:
            layers.append(Dropout(dropout))
        width = units
    layers.append(Dense(width, 1, "sigmoid"))
    return Sequential(layers, seed=seed)


# ---------------------------------------------------------------------------------------------------- learning curve
@dataclass
class LearningCurve:
    """Accuracy against the number of training examples: one entry per size.

    Shapes: sizes, train_accuracy, test_accuracy (n_sizes,).

    Example:
        >>> curve = LearningCurve(np.array([10, 100]), np.array([1.0, 0.95]), np.array([0.7, 0.9]))
        >>> curve                          # few examples: learned by heart; more: nearer on unseen points
        LearningCurve(size: train/test accuracy 10: 1.00/0.70, 100: 0.95/0.90)
        >>> (curve.train_accuracy - curve.test_accuracy).round(2)      # the gap shrinks
        array([0.3 , 0.05])
    """

    sizes: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray

    def __repr__(self) -> str:
        rows = ", ".join(f"{n}: {tr:.2f}/{te:.2f}" for n, tr, te in
                         zip(self.sizes.tolist(), self.train_accuracy, self.test_accuracy))
        return f"LearningCurve(size: train/test accuracy {rows})"


def learning_curve(make_model: Callable[[], Sequential], x_train: Any, y_train: Any, x_test: Any, y_test: Any,
                   sizes: Sequence[int], *, epochs: int = 200, seed: int = 0, loss: str = "bce",
                   optimizer: str = "adam", lr: float = 0.03, batch_size: int | None = None) -> LearningCurve:
    """Train a fresh model on the first n training examples for each n in ``sizes``; measure it on the test set.

    ``make_model()`` builds the network; every run starts from the same weights (initialised from ``seed``) and
    the training set is shuffled once with ``seed``, so each larger set contains the smaller ones.

    Shapes: x_train (n, d), y_train (n,), x_test (m, d), y_test (m,) -> arrays of len(sizes).

    Example:
        >>> x, y = datasets.gaussians(n=300, noise=0.3, seed=0)
        >>> x_train, x_test, y_train, y_test = datasets.train_test_split(x, y, test_fraction=0.5, seed=0)
        >>> curve = learning_curve(lambda: make_classifier(4), x_train, y_train, x_test, y_test, [10, 100], epochs=50)
        >>> curve.sizes.tolist(), bool(curve.test_accuracy[-1] > 0.9)
        ([10, 100], True)
    """
    x_train = as_float_array(x_train, "x_train")
    y_train = as_float_array(y_train, "y_train")
    x_test = as_float_array(x_test, "x_test")
    y_test = as_float_array(y_test, "y_test")
    check_same_length(x_train, y_train, "x_train", "y_train")
    check_same_length(x_test, y_test, "x_test", "y_test")
    sizes = [check_positive_int(n, "size") for n in sizes]
    if not sizes or max(sizes) > len(x_train):
        raise ValueError(f"learning_curve(): sizes must be between 1 and the number of training examples "
                         f"({len(x_train)}), but got {sizes}.")
    order = np.random.default_rng(seed).permutation(len(x_train))
    train_accuracy, test_accuracy = [], []
    for n in sizes:
        chosen = order[:n]
        model = make_model()
        model.initialize(seed)
        model.fit(x_train[chosen], y_train[chosen], loss, optimizer=optimizer, lr=lr, epochs=epochs,
                  batch_size=batch_size, seed=seed, progress=False)
        train_accuracy.append(model.accuracy(x_train[chosen], y_train[chosen]))
        test_accuracy.append(model.accuracy(x_test, y_test))
    return LearningCurve(np.array(sizes), np.array(train_accuracy), np.array(test_accuracy))


# ---------------------------------------------------------------------------------------------------- early stopping
def best_epoch(history: History | Sequence[float], key: str = "val_loss") -> int:
    """The epoch (counted from 1, as ``history.epochs``) with the lowest validation loss; the first one on a tie.

    Shapes: a History or a list of per-epoch losses -> an int.

    Example:
        >>> best_epoch([0.9, 0.6, 0.5, 0.55, 0.7])    # lowest is 0.5, the third epoch
        3
    """
    values = list(history) if isinstance(history, (list, tuple, np.ndarray)) else getattr(history, key)
    if len(values) == 0:
        raise ValueError(f"best_epoch(): the history has no {key!r}. Pass validation_data=(x_test, y_test) to fit.")
    values = np.asarray(values, dtype=float)
    values = np.where(np.isfinite(values), values, np.inf)
    return int(np.argmin(values)) + 1


class EarlyStopping:
    """A ``fit`` callback: remember the weights of the epoch with the lowest validation loss, and stop after
    ``patience`` epochs without a new lowest.

    When it stops training it puts the best weights back (``restore=True``). If training reaches its last epoch
    first, call ``restore_best()`` after ``fit`` (doing it twice is harmless). ``best_epoch`` and ``best_loss`` say
    which epoch was best and how good it was.

    Shapes: none (watches ``logs['val_loss']``, one float per epoch).

    Example:
        >>> x, y = datasets.moons(n=60, noise=0.3, seed=0)
        >>> model = make_classifier(8, seed=0)
        >>> stopper = EarlyStopping(model, patience=5)
        >>> history = model.fit(x[:40], y[:40], "bce", optimizer="adam", lr=0.05, epochs=300,
        ...                     validation_data=(x[40:], y[40:]), callback=stopper, progress=False)
        >>> stopper.best_epoch == best_epoch(history), len(history) == stopper.best_epoch + 5
        (True, True)
    """

    def __init__(self, model: Sequential, patience: int = 20, restore: bool = True):
        self.model = model
        self.patience = check_positive_int(patience, "patience")
        self.restore = bool(restore)
        self.best_epoch = 0
        self.best_loss = math.inf
        self.stopped_epoch: int | None = None
        self._best_weights: list[dict[str, np.ndarray]] | None = None

    def __call__(self, epoch: int, logs: dict[str, float]) -> bool:
        if "val_loss" not in logs:
            raise ValueError("EarlyStopping watches the validation loss: pass validation_data=(x_val, y_val) to fit.")
        if logs["val_loss"] < self.best_loss:
            self.best_loss = float(logs["val_loss"])
            self.best_epoch = int(epoch)
            self._best_weights = self.model.get_weights()
        if epoch - self.best_epoch >= self.patience:
            self.stopped_epoch = int(epoch)
            if self.restore:
                self.restore_best()
            return True
        return False

    def restore_best(self) -> None:
        """Put the remembered best weights back into the model's arrays (in place)."""
        if self._best_weights is not None:
            self.model.set_weights(self._best_weights)

    def __repr__(self) -> str:
        return (f"EarlyStopping(patience={self.patience}, best epoch {self.best_epoch}, "
                f"best val_loss {self.best_loss:.4g})")


# ---------------------------------------------------------------------------------------------------- one experiment
POOL_SIZE = 400  # training (and validation) points come from one fixed draw of this many


@dataclass
class GeneralizationData:
    """A 2-D classification problem split three ways, with label noise on the points a model learns from.

    Training points are the first ``n_train`` of one seeded draw of 400 (so a larger set holds the smaller ones);
    validation points are the last ``n_validation`` of it, with the same rate of label noise (they are for
    choosing, e.g. when to stop); test points are a separate draw with clean labels (only for measuring).
    ``flipped`` marks the training labels that were made wrong.

    Shapes: x_train (n_train, 2), y_train, flipped (n_train,); x_validation (n_validation, 2);
    x_test (n_test, 2), y_test (n_test,).

    Example:
        >>> data = generalization_data("moons", n_train=20, n_validation=10, n_test=30, label_noise=0.1, seed=0)
        >>> data.x_train.shape, data.y_train.shape, data.x_validation.shape, data.x_test.shape
        ((20, 2), (20,), (10, 2), (30, 2))
        >>> int(data.flipped.sum())        # 0.1 * 20 training labels made wrong
        2
    """

    x_train: np.ndarray
    y_train: np.ndarray
    flipped: np.ndarray
    x_validation: np.ndarray
    y_validation: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def generalization_data(dataset: str = "moons", n_train: int = 60, *, n_validation: int = 0, n_test: int = 500,
                        noise: float = 0.2, label_noise: float = 0.0, seed: int = 0) -> GeneralizationData:
    """Draw a 2-D data set (``nl.datasets.load(dataset)``), split it, and flip ``label_noise`` of the training
    and validation labels.

    Shapes: see GeneralizationData.

    Example:
        >>> data = generalization_data("moons", n_train=60, n_validation=40, label_noise=0.15, seed=0)
        >>> len(data.x_train), len(data.x_validation), len(data.x_test), int(data.flipped.sum())   # 0.15 * 60 = 9
        (60, 40, 500, 9)
    """
    n_train = check_positive_int(n_train, "n_train")
    n_validation = int(n_validation)
    if n_validation < 0 or n_train + n_validation > POOL_SIZE:
        raise ValueError(f"generalization_data(): n_train + n_validation can be at most {POOL_SIZE}, but got "
                         f"{n_train} + {n_validation}.")
    x_pool, y_pool = datasets.load(dataset, n=POOL_SIZE, noise=noise, seed=seed)
    if y_pool.max() > 1:
        raise ValueError(f"generalization_data(): the classifiers here have one sigmoid output, so the data set must "
                         f"have two classes, but {dataset!r} has {int(y_pool.max()) + 1}. Use moons, circles, xor or "
                         "gaussians.")
    clean = y_pool[:n_train]
    y_train = flip_labels(clean, label_noise, seed=seed)
    start = POOL_SIZE - n_validation
    y_validation = flip_labels(y_pool[start:], label_noise, seed=seed + 2) if n_validation else y_pool[:0].copy()
    x_test, y_test = datasets.load(dataset, n=n_test, noise=noise, seed=seed + 1)
    return GeneralizationData(x_pool[:n_train], y_train, y_train != clean, x_pool[start:], y_validation,
                              x_test, y_test)


@dataclass
class GeneralizationRun:
    """One trained classifier, its data, and how it does on training and test points.

    ``history`` has 'loss' per epoch and 'val_loss': on the validation points when the data has them, otherwise
    on the test points (then only to draw the curve; nothing is chosen by it). ``stopped_epoch`` is the epoch
    early stopping kept (None without early stopping).

    Shapes: none of its own: data as in GeneralizationData; history one value per epoch; accuracies floats.

    Example:
        >>> run = generalization_run("gaussians", n_train=50, hidden_units=2, noise=0.3, epochs=50)
        >>> len(run.history.loss), len(run.history.val_loss), run.stopped_epoch
        (50, 50, None)
        >>> run.train_accuracy > 0.9, run.test_accuracy > 0.9
        (True, True)
    """

    model: Sequential
    data: GeneralizationData
    history: History
    train_accuracy: float
    test_accuracy: float
    stopped_epoch: int | None = None

    def __repr__(self) -> str:
        return (f"GeneralizationRun({len(self.data.x_train)} training points, {self.model.n_params} weights: "
                f"train accuracy {self.train_accuracy:.2f}, test accuracy {self.test_accuracy:.2f})")


def train_classifier(data: GeneralizationData, hidden_units: int | Sequence[int] = 64, *, l2: float = 0.0,
                     dropout: float = 0.0, patience: int | None = None, epochs: int = 500, lr: float = 0.03,
                     seed: int = 0) -> GeneralizationRun:
    """Train a tanh classifier (``make_classifier``; Adam, full batch) on ``data.x_train`` and measure it.

    ``l2`` penalises large weights, ``dropout`` drops hidden units while training, and ``patience`` turns on
    early stopping on the validation points (which the data must then have).

    Shapes: see GeneralizationData.

    Example:
        >>> data = generalization_data("gaussians", n_train=50, noise=0.3)
        >>> run = train_classifier(data, hidden_units=2, epochs=50)
        >>> run.train_accuracy > 0.9, run.test_accuracy > 0.9
        (True, True)
    """
    model = make_classifier(hidden_units, dropout=dropout, seed=seed)
    stopper = None
    if patience is not None:
        if len(data.x_validation) == 0:
            raise ValueError("Early stopping needs validation points that are not the test points: make the data "
                             "with generalization_data(..., n_validation=40).")
        stopper = EarlyStopping(model, patience=patience)
    watched = (data.x_validation, data.y_validation) if len(data.x_validation) else (data.x_test, data.y_test)
    history = model.fit(data.x_train, data.y_train, "bce", optimizer="adam", lr=lr, epochs=epochs, l2=l2, seed=seed,
                        validation_data=watched, callback=stopper, progress=False)
    if stopper is not None:
        stopper.restore_best()
    return GeneralizationRun(model, data, history, model.accuracy(data.x_train, data.y_train),
                             model.accuracy(data.x_test, data.y_test),
                             stopper.best_epoch if stopper is not None else None)


def generalization_run(dataset: str = "moons", n_train: int = 60, hidden_units: int | Sequence[int] = 64, *,
                       label_noise: float = 0.0, l2: float = 0.0, dropout: float = 0.0, noise: float = 0.2,
                       n_test: int = 500, epochs: int = 500, lr: float = 0.03, seed: int = 0) -> GeneralizationRun:
    """``generalization_data`` then ``train_classifier`` in one call: the explorer's compute half.

    Shapes: see GeneralizationData.

    Example:
        >>> run = generalization_run("gaussians", n_train=50, hidden_units=2, noise=0.3, epochs=50)
        >>> run.data.x_train.shape, run.data.x_test.shape, run.test_accuracy > 0.9
        ((50, 2), (500, 2), True)
    """
    data = generalization_data(dataset, n_train, n_test=n_test, noise=noise, label_noise=label_noise, seed=seed)
    return train_classifier(data, hidden_units, l2=l2, dropout=dropout, epochs=epochs, lr=lr, seed=seed)


# ---------------------------------------------------------------------------------------------------- extrapolation
@dataclass
class ExtrapolationData:
    """A 1-D regression model's answers inside and outside the input range it was trained on.

    ``error_inside`` / ``error_outside``: mean squared error against the true function on the points of ``x``
    inside / outside ``train_range``.

    Shapes: x, truth, prediction, inside (n,).

    Example:
        >>> model = Sequential([Dense(1, 1)])
        >>> model.layers[0].weights[:] = 1.0; model.layers[0].bias[:] = 0.0   # predicts y = x
        >>> data = extrapolation_data(model, np.square, (0, 1), (0, 2), n=3)  # x^2 and x agree on [0, 1] only
        >>> data.x.tolist(), data.inside.tolist(), data.prediction.tolist(), data.truth.tolist()
        ([0.0, 1.0, 2.0], [True, True, False], [0.0, 1.0, 2.0], [0.0, 1.0, 4.0])
        >>> data.error_inside, data.error_outside       # outside: (2 - 4)^2
        (0.0, 4.0)
    """

    x: np.ndarray
    truth: np.ndarray
    prediction: np.ndarray
    inside: np.ndarray
    train_range: tuple[float, float]
    error_inside: float
    error_outside: float


def extrapolation_data(model: Sequential, function: Callable[[np.ndarray], np.ndarray],
                       train_range: tuple[float, float], plot_range: tuple[float, float],
                       n: int = 400) -> ExtrapolationData:
    """Compare a model with the true ``function`` on ``n`` evenly spaced inputs over ``plot_range``.

    Shapes: the model maps (n, 1) -> (n, 1); the returned arrays are (n,).

    Example:
        >>> model = Sequential([Dense(1, 1)])
        >>> model.layers[0].weights[:] = 1.0; model.layers[0].bias[:] = 0.0   # predicts y = x
        >>> data = extrapolation_data(model, np.abs, (0, 1), (-1, 1), n=5)  # right for x >= 0, wrong below
        >>> data.x.tolist(), data.error_inside, data.error_outside          # outside: (-1-1)^2, (-0.5-0.5)^2
        ([-1.0, -0.5, 0.0, 0.5, 1.0], 0.0, 2.5)
    """
    low, high = float(train_range[0]), float(train_range[1])
    x = np.linspace(float(plot_range[0]), float(plot_range[1]), check_positive_int(n, "n"))
    truth = np.asarray(function(x), dtype=float)
    prediction = model.predict(x[:, None])[:, 0]
    inside = (x >= low) & (x <= high)
    squared = (prediction - truth) ** 2
    error_inside = float(squared[inside].mean()) if inside.any() else math.nan
    error_outside = float(squared[~inside].mean()) if (~inside).any() else math.nan
    return ExtrapolationData(x, truth, prediction, inside, (low, high), error_inside, error_outside)

"""Sequential: layers applied one after another, with training, evaluation and saving.

Example:
    >>> import nnlearn as nl
    >>> x, y = nl.datasets.moons(n=200, noise=0.1, seed=0)
    >>> model = nl.Sequential([nl.Dense(2, 8, "tanh"), nl.Dense(8, 1, "sigmoid")], seed=0)
    >>> history = model.fit(x, y, "bce", optimizer="adam", lr=0.05, epochs=100, progress=False)
    >>> history.loss[-1] < history.loss[0]
    True
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import losses as losses_module
from . import optimizers as optimizers_module
from . import schedules as schedules_module
from .layers import _LAYER_CLASSES, Layer
from .validation import as_float_array, check_positive_int, check_rate, check_same_length, describe

__all__ = ["DIVERGENCE_FACTOR", "DivergenceWarning", "EpochResult", "History", "Sequential", "divergence_reason"]

FORMAT_NAME = "nnlearn.Sequential"
FORMAT_VERSION = 1


class DivergenceWarning(UserWarning):
    """Training stopped because the loss became infinite or NaN.

    Shapes: none (a warning category; ``fit`` keeps the last finite weights and says why in its History).

    Example:
        >>> import warnings, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(1, 1)], seed=0)
        >>> x, y = np.array([[1.0], [2.0]]), np.array([1.0, 2.0])
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     history = model.fit(x, y, "mse", lr=1e6, epochs=100, progress=False)    # far too large a step
        >>> caught[0].category.__name__, history.stopped_early, bool(np.isfinite(model.layers[0].weights).all())
        ('DivergenceWarning', True, True)
    """


DIVERGENCE_FACTOR = 3.0


def divergence_reason(loss: float, reference_loss: float | None = None, factor: float = DIVERGENCE_FACTOR) -> str:
    """Why training must stop, or '' when it may go on: the one divergence rule of fit and every explorer.

    A loss that is NaN or infinite has diverged; so has one above ``factor`` times ``reference_loss`` (when given,
    e.g. the loss of always guessing the same answer), since a loss that triples has overshot, not learned.

    Shapes: none (floats -> a sentence).

    Example:
        >>> divergence_reason(0.4, reference_loss=0.7), divergence_reason(float("nan"))
        ('', 'the loss became NaN')
        >>> divergence_reason(5.0, reference_loss=0.7)
        'the loss jumped to 5, more than 3 times the reference 0.7'
    """
    if math.isnan(loss):
        return "the loss became NaN"
    if math.isinf(loss):
        return "the loss became infinite"
    if reference_loss is not None and loss > factor * reference_loss:
        return f"the loss jumped to {loss:.3g}, more than {factor:g} times the reference {reference_loss:.3g}"
    return ""


@dataclasses.dataclass
class EpochResult:
    """What one ``Sequential.train_epoch`` did.

    ``logs``: 'loss' (and 'accuracy', 'val_loss', 'val_accuracy' where they apply) for the epoch; ``diverged``:
    why training must stop ('' when it went well; the weights are then back where the epoch started);
    ``start_weights``: the ``get_weights`` snapshot taken before the epoch.

    Shapes: logs maps names to floats; start_weights is one dict of arrays per layer.

    Example:
        >>> EpochResult(logs={"loss": 0.3}).diverged
        ''
    """

    logs: dict[str, float]
    diverged: str = ""
    start_weights: list[dict[str, np.ndarray]] = dataclasses.field(default_factory=list, repr=False)


class _Text(str):
    """A string that shows as itself (not quoted) when it is the last value of a notebook cell."""

    def __repr__(self) -> str:
        return str(self)


class History:
    """What ``fit`` recorded, one value per epoch: ``history.history["loss"]`` is the same as ``history.loss``.

    Keys: 'loss', and where they apply 'accuracy', 'val_loss', 'val_accuracy'. ``stopped_early`` and
    ``stop_reason`` say whether (and why) training ended before the last epoch.

    Shapes: each key holds a list of floats, one per epoch recorded (len(history) of them).

    Example:
        >>> h = History()
        >>> h.append(loss=0.5, accuracy=0.75)
        >>> h.loss, h.history["accuracy"]
        ([0.5], [0.75])
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epochs: list[int] = []
        self.stopped_early = False
        self.stop_reason = ""

    def append(self, **values: float) -> None:
        """Add one epoch's values."""
        self.epochs.append(len(self.epochs) + 1)
        for key, value in values.items():
            self.history.setdefault(key, []).append(float(value))

    def __getattr__(self, key: str) -> list[float]:
        history = self.__dict__.get("history", {})
        if key in history:
            return history[key]
        if key in ("loss", "val_loss", "accuracy", "val_accuracy"):
            return []
        raise AttributeError(f"History has no {key!r}; it recorded {sorted(history)}.")

    def __len__(self) -> int:
        return len(self.epochs)

    def __repr__(self) -> str:
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        note = f", stopped early: {self.stop_reason}" if self.stopped_early else ""
        return f"History({len(self)} epochs{', last ' + last if last else ''}{note})"


def _progress_bar(total: int, enabled: bool | None):
    """A tqdm bar: a widget in a live notebook, text elsewhere; it appears only on fits longer than 2 s."""
    if enabled is False:
        return None
    from tqdm.std import tqdm as text_tqdm

    bar_class = text_tqdm
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
            from tqdm.notebook import tqdm as notebook_tqdm

            bar_class = notebook_tqdm
    except Exception:  # no IPython, or no widget support: text is fine
        bar_class = text_tqdm
    delay = 0.0 if enabled else 2.0
    try:
        return bar_class(total=total, desc="training", unit="epoch", delay=delay, leave=False)
    except Exception:  # a notebook bar without a widget frontend: fall back to text, never fail a fit
        return text_tqdm(total=total, desc="training", unit="epoch", delay=delay, leave=False)


class Sequential:
    """A network: layers applied in order, trained end to end by backpropagation.

    ``Sequential(layers, seed=s)`` (re)initialises every layer's parameters from ``s``, so the same seed always
    gives the same network.

    Shapes: x (batch, n_inputs) -> (batch, n_outputs) for Dense networks; images (batch, channels, h, w) for
    convolutional ones.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 4, "relu"), nl.Dense(4, 1)], seed=0)
        >>> model.predict(np.zeros((3, 2))).shape
        (3, 1)
    """

    def __init__(self, layers: Iterable[Layer], seed: int | None = None):
        layers = list(layers)
        if not layers:
            raise ValueError("Sequential needs at least one layer, e.g. Sequential([Dense(2, 1)]).")
        for i, layer in enumerate(layers, start=1):
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential layer {i} must be a Layer such as Dense(2, 8), but got {describe(layer)}.")
        self.layers: list[Layer] = layers
        self.seed = seed
        self._number_layers()
        self._check_widths()
        if seed is not None:
            self.initialize(seed)

    # ------------------------------------------------------------------ structure
    def _number_layers(self) -> None:
        for i, layer in enumerate(self.layers, start=1):
            layer.index = i

    def _check_widths(self) -> None:
        """Where consecutive layers state their widths, they must agree (checked at construction)."""
        width = None
        for layer in self.layers:
            n_in = getattr(layer, "n_inputs", None)
            if width is not None and n_in is not None and n_in != width:
                raise ValueError(
                    f"{layer.describe()} expects {n_in} inputs, but the layer before it gives {width} outputs. "
                    f"Make them equal, e.g. {type(layer).__name__}({width}, ...)."
                )
            width = getattr(layer, "n_outputs", width if n_in is None else None)

    def initialize(self, seed: int | np.random.Generator | None = None) -> None:
        """Draw fresh parameters for every layer from one seeded random generator."""
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        for layer in self.layers:
            layer.initialize(rng)

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index: int) -> Layer:
        return self.layers[index]

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self) -> str:
        inner = ",\n".join(f"    {layer!r}" for layer in self.layers)
        return f"Sequential([\n{inner},\n])"

    @property
    def n_params(self) -> int:
        """The number of learned numbers in the whole network."""
        return sum(layer.n_params for layer in self.layers)

    @property
    def n_outputs(self) -> int | None:
        """Width of the last layer that states one (None if no layer does)."""
        for layer in reversed(self.layers):
            if hasattr(layer, "n_outputs"):
                return int(layer.n_outputs)
        return None

    def parameters(self) -> dict[str, np.ndarray]:
        """'layer{i}.{name}' -> the live parameter array, for every layer (1-based as in error messages)."""
        return {
            f"layer{layer.index}.{name}": value for layer in self.layers for name, value in layer.parameters().items()
        }

    def buffers(self) -> dict[str, np.ndarray]:
        """'layer{i}.{name}' -> the live non-learned arrays (e.g. BatchNorm's running mean), saved with the model."""
        return {f"layer{layer.index}.{name}": value for layer in self.layers for name, value in layer.buffers().items()}

    # ------------------------------------------------------------------ computing
    def _set_training(self, training: bool) -> None:
        for layer in self.layers:
            layer.training = training

    def forward(self, x: np.ndarray, training: bool = True) -> np.ndarray:
        """Run x through every layer, each caching what its backward pass needs."""
        return self._forward(as_float_array(x, "x"), training)

    def _forward(self, x: np.ndarray, training: bool) -> np.ndarray:
        self._last_input_shape = x.shape[1:]  # lets summary() show shapes for image networks
        self._set_training(training)
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x, training=False)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Send the loss gradient back through the layers, last to first; returns the gradient for the input."""
        grad = np.asarray(grad_output, dtype=float)
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def predict(self, x: np.ndarray, batch_size: int | None = None) -> np.ndarray:
        """The network's outputs (e.g. probabilities, not labels), with dropout switched off.

        Shapes: x (batch, n_inputs) -> (batch, n_outputs).
        """
        x = as_float_array(x, "x")
        if batch_size is None or len(x) <= batch_size:
            return self._forward(x, training=False)
        return np.concatenate([self._forward(x[i : i + batch_size], False) for i in range(0, len(x), batch_size)])

    def predict_classes(self, x: np.ndarray) -> np.ndarray:
        """Class labels: the largest output for several outputs, output > 0.5 for one sigmoid output.

        Shapes: x (batch, n_inputs) -> (batch,) int.
        """
        return _labels_from_outputs(self.predict(x))

    def _fused_loss(self, loss: losses_module.Loss) -> bool:
        last = self.layers[-1]
        activation = getattr(last, "activation", None)
        return (
            loss.fused_activation is not None
            and activation is not None
            and activation.name == loss.fused_activation
            and hasattr(last, "backward_from_z")
        )

    def _prepare_targets(self, y: Any, loss: losses_module.Loss) -> np.ndarray:
        y = as_float_array(y, "y")
        if isinstance(loss, losses_module.CrossEntropy) and y.ndim == 1 and self.n_outputs is not None:
            from .validation import check_labels

            check_labels(y, self.n_outputs, loss.name)
        return y

    def loss_and_gradients(self, x: np.ndarray, y: np.ndarray, loss: str | losses_module.Loss, *, l1: float = 0.0,
                           l2: float = 0.0, training: bool = True) -> float:
        """Forward, loss, backward: sets every layer's ``grad_*`` and returns the mean loss.

        Softmax + cross_entropy and sigmoid + bce are computed from the last layer's pre-activation z, so the
        gradient reaching z is exactly (p - target) / batch and the loss stays finite for any logits.
        ``l1``/``l2`` add l1 * sum|w| + l2 * sum w^2 over every weight (not biases) to the gradient; the
        returned loss is the data loss without them.
        """
        loss = losses_module.get(loss)
        x = as_float_array(x, "x")
        y = self._prepare_targets(y, loss)
        check_same_length(x, y)
        return self._loss_and_gradients(x, y, loss, l1, l2, training)[0]

    def _loss_and_gradients(self, x, y, loss: losses_module.Loss, l1: float, l2: float,
                            training: bool = True) -> tuple[float, np.ndarray]:
        out = self._forward(x, training)
        last, fused = self.layers[-1], self._fused_loss(loss)
        if fused:
            value, grad = loss.from_logits(last.last_z, y)
        else:
            value, grad = loss(out, y), loss.gradient(out, y)
        # The first layer's gradient for the data goes nowhere: for a Dense net it is a third of that layer's
        # backward work, so the layer is asked to skip it (layers that cannot skip it ignore the attribute).
        first, before = self.layers[0], self.layers[0].input_gradient
        first.input_gradient = False
        try:
            grad = last.backward_from_z(grad) if fused else last.backward(grad)
            for layer in reversed(self.layers[:-1]):
                grad = layer.backward(grad)
        finally:
            first.input_gradient = before
        if l1 or l2:
            for layer in self.layers:
                for name, param in layer.parameters().items():
                    if name.endswith("bias"):
                        continue
                    grad_name = "grad_" + name
                    setattr(layer, grad_name, getattr(layer, grad_name) + l1 * np.sign(param) + 2.0 * l2 * param)
        return value, out

    def _loss_and_outputs(self, x, y, loss: losses_module.Loss) -> tuple[float, np.ndarray]:
        """One forward pass with dropout off: the mean loss and the network's outputs."""
        out = self._forward(x, training=False)
        if self._fused_loss(loss):
            return loss.from_logits(self.layers[-1].last_z, y)[0], out
        return loss(out, y), out

    def loss(self, x: np.ndarray, y: np.ndarray, loss: str | losses_module.Loss) -> float:
        """The mean loss on (x, y) with dropout off, computed stably for softmax/sigmoid outputs."""
        loss = losses_module.get(loss)
        x = as_float_array(x, "x")
        y = self._prepare_targets(y, loss)
        check_same_length(x, y)
        return self._loss_and_outputs(x, y, loss)[0]

    def evaluate(self, x: np.ndarray, y: np.ndarray, loss: str | losses_module.Loss) -> float:
        """The mean loss on (x, y) (dropout off). Use ``accuracy(x, y)`` for the fraction classified right.

        Shapes: x (batch, n_inputs), y (batch,) or (batch, n_outputs) -> a float.
        """
        return float(self.loss(x, y, loss))

    def accuracy(self, x: np.ndarray, y: np.ndarray) -> float:
        """The fraction of samples whose predicted class equals the label (y as labels or one-hot rows)."""
        x = as_float_array(x, "x")
        y = as_float_array(y, "y")
        check_same_length(x, y)
        return _accuracy(self.predict(x), y)

    # ------------------------------------------------------------------ training
    def fit(
        self,
        x: np.ndarray,
        y: np.ndarray,
        loss: str | losses_module.Loss,
        optimizer: str | optimizers_module.Optimizer = "sgd",
        lr: float = 0.01,
        epochs: int = 1,
        batch_size: int | None = None,
        seed: int | None = None,
        validation_data: tuple[np.ndarray, np.ndarray] | None = None,
        l1: float = 0.0,
        l2: float = 0.0,
        progress: bool | None = None,
        callback: Callable[[int, dict[str, float]], Any] | None = None,
        history: History | None = None,
        schedule: str | Callable[[int], float] | None = "constant",
    ) -> History:
        """Train by gradient descent and return a History (one value per epoch).

        Each epoch's 'loss' (and 'accuracy') is the average over the batches as they were trained on, as in
        Keras; 'val_loss'/'val_accuracy' are measured after the epoch with dropout off.

        ``batch_size=None`` uses the whole set at each step (full batch); otherwise samples are shuffled each
        epoch using ``seed`` only, so the same seed gives the same numbers to the bit. ``optimizer`` is 'sgd',
        'momentum', 'adam' or an Optimizer object (whose own learning rate is then used). A loss that becomes
        infinite or NaN stops training with a DivergenceWarning and leaves the last finite weights in place.
        ``progress`` None shows a bar only for fits longer than 2 seconds; False never. ``callback(epoch,
        logs)`` runs after each epoch and may return True to stop.

        ``schedule`` sets the learning rate at the start of each epoch (counted from 0): 'constant' (the
        default: never touched), 'step', 'cosine', 'warmup_cosine' (see ``nnlearn.schedules``, all starting from
        ``lr`` or the optimizer's own rate) or a function ``schedule(epoch) -> learning rate``. A scheduled fit
        records the rate of each epoch in ``history.history['learning_rate']`` and gives the optimizer its
        starting rate back at the end.

        Shapes: x (n, n_inputs); y (n,) labels or targets, or (n, n_outputs).
        """
        loss = losses_module.get(loss)
        if isinstance(optimizer, optimizers_module.Optimizer):
            opt = optimizer
        else:
            opt = optimizers_module.get(optimizer, lr)
        epochs = check_positive_int(epochs, "epochs")
        base_rate = opt.learning_rate
        rates = None if schedule is None or schedule == "constant" else schedules_module.get(schedule, base_rate, epochs)
        x, y, batch_size, l1, l2, validation = self._check_training_inputs(
            "fit", x, y, loss, batch_size, l1, l2, validation_data)
        rng = np.random.default_rng(seed)
        history = history if history is not None else History()
        bar = _progress_bar(epochs, progress)
        previous_start = None
        try:
            for epoch in range(epochs):
                if rates is not None:
                    opt.learning_rate = rates(epoch)
                result = self._train_epoch(x, y, loss, opt, batch_size, rng, l1, l2, validation,
                                           fallback=previous_start)
                if result.diverged:
                    history.stopped_early = True
                    history.stop_reason = (f"{result.diverged} in epoch {len(history) + 1}: the steps are too large, "
                                           "so the weights grew without bound")
                    warnings.warn(
                        f"Training diverged: {history.stop_reason}. Stopped and kept the weights from the end of the "
                        f"last finite epoch. Try a smaller learning rate (now {opt.lr:g}, e.g. {opt.lr / 10:g}), "
                        "or standardise the inputs.",
                        DivergenceWarning,
                        stacklevel=2,
                    )
                    break
                history.append(**result.logs, **({"learning_rate": opt.learning_rate} if rates is not None else {}))
                previous_start = result.start_weights
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(loss=f"{result.logs['loss']:.4f}", refresh=False)
                if callback is not None and callback(len(history), result.logs) is True:
                    history.stopped_early = True
                    history.stop_reason = "the callback asked to stop"
                    break
        finally:
            if bar is not None:
                bar.close()
            if rates is not None:
                opt.learning_rate = base_rate
        self._set_training(False)
        return history

    def train_epoch(
        self,
        x: np.ndarray,
        y: np.ndarray,
        loss: str | losses_module.Loss,
        optimizer: str | optimizers_module.Optimizer,
        *,
        batch_size: int | None = None,
        rng: np.random.Generator | int | None = None,
        l1: float = 0.0,
        l2: float = 0.0,
        validation_data: tuple[np.ndarray, np.ndarray] | None = None,
        reference_loss: float | None = None,
    ) -> EpochResult:
        """One pass over the data, batch by batch: the single training step that ``fit`` and every explorer use.

        Each batch runs forward, loss, backward (``loss_and_gradients``) and one optimizer step. The epoch's
        logs are the running averages over the batches trained on ('loss', 'accuracy' for classification) plus
        'val_loss'/'val_accuracy' after the epoch when ``validation_data`` is given. If the run diverges (see
        ``divergence_reason``; ``reference_loss`` also stops a loss that jumps above DIVERGENCE_FACTOR times it),
        the weights go back to where the epoch started, the optimizer forgets its running averages, and
        ``result.diverged`` says why. An optimizer given by name is a fresh one, so keep an Optimizer object
        across epochs when it has state (momentum, Adam).

        Shapes: x (n, n_inputs); y (n,) labels or targets, or (n, n_outputs) -> an EpochResult.

        Example:
            >>> import nnlearn as nl
            >>> x, y = nl.datasets.moons(n=100, noise=0.1, seed=0)
            >>> model = nl.Sequential([nl.Dense(2, 8, "tanh"), nl.Dense(8, 1, "sigmoid")], seed=0)
            >>> adam = nl.optimizers.get("adam", 0.05)
            >>> first = model.train_epoch(x, y, "bce", adam, batch_size=20, rng=0)
            >>> for _ in range(30):
            ...     last = model.train_epoch(x, y, "bce", adam, batch_size=20, rng=0)
            >>> last.logs["loss"] < first.logs["loss"], last.diverged
            (True, '')
        """
        loss = losses_module.get(loss)
        opt = optimizer if isinstance(optimizer, optimizers_module.Optimizer) else optimizers_module.get(optimizer)
        x, y, batch_size, l1, l2, validation = self._check_training_inputs(
            "train_epoch", x, y, loss, batch_size, l1, l2, validation_data)
        rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        return self._train_epoch(x, y, loss, opt, batch_size, rng, l1, l2, validation, reference_loss=reference_loss)

    def _check_training_inputs(self, caller: str, x, y, loss: losses_module.Loss, batch_size, l1, l2,
                               validation_data) -> tuple:
        """The checks fit and train_epoch share: (x, y, batch_size, l1, l2, validation pair or None)."""
        batch_size = check_positive_int(batch_size, "batch_size", allow_none=True)
        l1 = check_rate(l1, "l1", high=math.inf)
        l2 = check_rate(l2, "l2", high=math.inf)
        x = as_float_array(x, "x")
        y = self._prepare_targets(y, loss)
        check_same_length(x, y)
        if len(x) == 0:
            raise ValueError(f"{caller} needs at least one sample, but x is empty.")
        validation = None
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise TypeError("validation_data must be a pair (x_val, y_val).")
            validation = (as_float_array(validation_data[0], "validation x"),
                          self._prepare_targets(validation_data[1], loss))
            check_same_length(*validation, "validation x", "validation y")
        return x, y, batch_size, l1, l2, validation

    def _train_epoch(self, x, y, loss: losses_module.Loss, opt: optimizers_module.Optimizer, batch_size: int | None,
                     rng: np.random.Generator, l1: float, l2: float, validation=None, *,
                     reference_loss: float | None = None, fallback: list[dict[str, np.ndarray]] | None = None,
                     ) -> EpochResult:
        """``train_epoch`` on checked arrays. ``fallback``: weights to go back to when even the epoch's first batch
        is not finite (the weights it started from are already bad)."""
        start_weights = self.get_weights()
        start_buffers = {name: value.copy() for name, value in self.buffers().items()}  # BatchNorm's averages
        n = len(x)
        if batch_size is None or batch_size >= n:
            batches = [slice(None)]
        else:
            order = rng.permutation(n)
            batches = [order[i : i + batch_size] for i in range(0, n, batch_size)]
        total_loss = total_correct = 0.0
        first_batch_finite = False
        value = math.nan
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for batch in batches:
                xb, yb = x[batch], y[batch]
                value, outputs = self._loss_and_gradients(xb, yb, loss, l1, l2)
                if not math.isfinite(value):
                    break
                first_batch_finite = True
                opt.step(self)
                # Like Keras, the epoch's loss is the average of the batch losses seen while training, so no
                # extra pass over the data is needed.
                total_loss += value * len(xb)
                if loss.is_classification:
                    total_correct += _accuracy(outputs, yb) * len(xb)
            logs = {"loss": total_loss / n if math.isfinite(value) else value}
            if loss.is_classification:
                logs["accuracy"] = total_correct / n
            if all(np.isfinite(p).all() for p in self.parameters().values()):
                if validation is not None:
                    logs.update(self._validation_logs(*validation, loss))
            else:
                logs["loss"] = math.nan
        reason = divergence_reason(logs["loss"], reference_loss) or divergence_reason(logs.get("val_loss", 0.0))
        if reason:
            self.set_weights(start_weights if first_batch_finite or fallback is None else fallback)
            for name, value in self.buffers().items():
                value[...] = start_buffers[name]
            opt.reset()  # momentum or Adam's averages hold the huge steps: forget them
        self._set_training(False)
        return EpochResult(logs=logs, diverged=reason, start_weights=start_weights)

    def get_weights(self) -> list[dict[str, np.ndarray]]:
        """Copies of every layer's parameters, one dict (name -> array) per layer, in order.

        A snapshot to come back to with ``set_weights``: later training does not change it.

        Shapes: one dict per layer, each array shaped as the layer's parameter (weights (n_inputs, n_outputs) ...).

        Example:
            >>> import nnlearn as nl
            >>> model = nl.Sequential([nl.Dense(2, 3), nl.Dense(3, 1)], seed=0)
            >>> [sorted(layer) for layer in model.get_weights()], model.get_weights()[0]["weights"].shape
            ([['bias', 'weights'], ['bias', 'weights']], (2, 3))
        """
        return [{name: value.copy() for name, value in layer.parameters().items()} for layer in self.layers]

    def set_weights(self, weights: Sequence[dict[str, Any]]) -> None:
        """Copy a ``get_weights`` snapshot back into the network's live arrays (in place, so a plot holding
        ``layer.weights`` sees it). Everything is checked first: a wrong count, name or shape changes nothing.

        Shapes: as ``get_weights`` returns: one dict per layer, each array the shape of that parameter.

        Example:
            >>> import nnlearn as nl
            >>> model = nl.Sequential([nl.Dense(2, 1)], seed=0)
            >>> saved = model.get_weights()
            >>> model.layers[0].weights[:] = 0.0
            >>> model.set_weights(saved)
            >>> bool((model.layers[0].weights == saved[0]["weights"]).all())
            True
        """
        if isinstance(weights, dict) or not isinstance(weights, Sequence) or len(weights) != len(self.layers):
            got = f"{len(weights)} entries" if isinstance(weights, Sequence) and not isinstance(weights, dict) \
                else describe(weights)
            raise ValueError(f"set_weights expects a list of {len(self.layers)} dicts (one per layer, as get_weights "
                             f"returns), but got {got}.")
        checked = []
        for layer, given in zip(self.layers, weights):
            params = layer.parameters()
            if not isinstance(given, dict) or set(given) != set(params):
                names = sorted(given) if isinstance(given, dict) else describe(given)
                raise ValueError(f"{layer.describe()} has parameters {sorted(params)}, but set_weights got {names}.")
            for name, live in params.items():
                value = np.asarray(given[name], dtype=live.dtype)
                if value.shape != live.shape:
                    raise ValueError(f"{layer.describe()}: {name} has shape {live.shape}, but set_weights got "
                                     f"{value.shape}.")
                checked.append((live, value))
        for live, value in checked:
            live[...] = value

    def _validation_logs(self, x_val, y_val, loss) -> dict[str, float]:
        """Loss (and accuracy) on the validation set, with dropout off, after the epoch."""
        value, outputs = self._loss_and_outputs(x_val, y_val, loss)
        logs = {"val_loss": value}
        if loss.is_classification:
            logs["val_accuracy"] = _accuracy(outputs, y_val)
        return logs

    # ------------------------------------------------------------------ describing
    def summary(self, input_shape: Sequence[int] | None = None) -> str:
        """A table of the layers, their output shapes and parameter counts.

        ``input_shape`` is one sample's shape (e.g. (1, 16, 16) for images); for Dense networks it is known.
        """
        if input_shape is None:
            input_shape = getattr(self, "_last_input_shape", None)  # what the last forward pass saw
        if input_shape is None and type(self.layers[0]).__name__ == "Dense":
            input_shape = (self.layers[0].n_inputs,)
        shape: tuple[int, ...] | None = tuple(input_shape) if input_shape is not None else None
        rows = [("#", "layer", "output shape", "parameters")]
        for layer in self.layers:
            try:
                shape = layer.output_shape(shape) if shape is not None else None
            except (ValueError, TypeError):
                shape = None
            shape_text = "(batch, " + ", ".join(str(s) for s in shape) + ")" if shape is not None else "?"
            rows.append((str(layer.index), repr(layer), shape_text, f"{layer.n_params:,}"))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        line = "-" * (sum(widths) + 6)
        out = [line]
        for j, row in enumerate(rows):
            out.append("  ".join(cell.ljust(w) if i < 3 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
            if j == 0:
                out.append(line)
        out.append(line)
        out.append(f"Total parameters: {self.n_params:,}")
        return _Text("\n".join(out))

    # ------------------------------------------------------------------ saving
    def get_config(self) -> list[dict[str, Any]]:
        """The architecture as JSON-ready data: each layer's class name and constructor arguments."""
        return [{"class": type(layer).__name__, "config": layer.get_config()} for layer in self.layers]

    def save(self, path: str | os.PathLike) -> Path:
        """Write the architecture and weights to an ``.npz`` file (no pickle).

        The file is written to a temporary file next to it and then moved into place with ``os.replace``, so a
        failed save leaves any old file untouched.
        """
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_suffix(path.suffix + ".npz") if path.suffix else path.with_suffix(".npz")
        arrays = {"__format__": np.array(FORMAT_NAME), "__version__": np.array(FORMAT_VERSION),
                  "__config__": np.array(json.dumps(self.get_config()))}
        for key, value in {**self.parameters(), **self.buffers()}.items():
            arrays[key] = value
        directory = path.parent if str(path.parent) else Path(".")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez_compressed(handle, **arrays)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> Sequential:
        """Rebuild a model saved with ``save``. A corrupt or foreign file gives a clear ValueError."""
        path = Path(path)
        if not path.exists() and path.with_suffix(".npz").exists():
            path = path.with_suffix(".npz")
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {key: data[key] for key in data.files}
        except FileNotFoundError:
            raise
        except Exception as error:
            raise ValueError(f"{path} is not a readable nnlearn model file ({type(error).__name__}: {error}).") from None
        if "__format__" not in arrays or str(arrays["__format__"]) != FORMAT_NAME:
            raise ValueError(f"{path} is an .npz file but not one written by Sequential.save (no nnlearn format tag).")
        version = int(arrays["__version__"])
        if version > FORMAT_VERSION:
            raise ValueError(
                f"{path} was written in nnlearn model format {version}, but this nnlearn reads up to format "
                f"{FORMAT_VERSION}. Upgrade nnlearn."
            )
        try:
            config = json.loads(str(arrays["__config__"]))
            layers = []
            for entry in config:
                layer_class = _LAYER_CLASSES.get(entry["class"])
                if layer_class is None:
                    raise ValueError(f"unknown layer type {entry['class']!r}")
                layers.append(layer_class(**entry["config"]))
        except (KeyError, TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"{path} has a damaged architecture description ({error}).") from None
        model = cls(layers)
        for key, value in {**model.parameters(), **model.buffers()}.items():
            if key not in arrays:
                raise ValueError(f"{path} is missing the array {key!r}.")
            if arrays[key].shape != value.shape:
                raise ValueError(f"{path}: {key} has shape {arrays[key].shape} but the layer needs {value.shape}.")
            value[...] = arrays[key]
        return model


def _labels_from_outputs(outputs: np.ndarray) -> np.ndarray:
    if outputs.ndim == 2 and outputs.shape[1] > 1:
        return outputs.argmax(axis=1)
    return (outputs.reshape(len(outputs), -1)[:, 0] > 0.5).astype(np.int64)


def _accuracy(outputs: np.ndarray, y: np.ndarray) -> float:
    if outputs.ndim == 3 and y.ndim == 2:  # a sequence model: one next-token label per position
        return float(np.mean(outputs.argmax(axis=-1) == y))
    labels = y.argmax(axis=1) if y.ndim == 2 and y.shape[1] > 1 else np.round(y.reshape(len(y), -1)[:, 0])
    return float(np.mean(_labels_from_outputs(outputs) == labels))


"""Loss functions: one small object each, the value and its gradient side by side.

Always ``loss(predictions, targets)``: predictions first, targets second. The value is the mean over the batch;
``gradient`` is d(mean loss)/d(predictions), so it already carries the 1/batch.

Two pairs are computed together with the activation before them, because apart they lose precision: softmax then
cross-entropy, and sigmoid then binary cross-entropy. ``from_logits(z, targets)`` gives the value and the
gradient at the pre-activation z directly: ``(p - target) / batch``, with no log of a probability that rounded to 0.
``Sequential`` uses it whenever the last layer's activation matches.

Example:
    >>> import numpy as np
    >>> from nnlearn import losses
    >>> mse = losses.get("mse")
    >>> mse(np.array([[1.0], [3.0]]), np.array([0.0, 1.0]))   # ((1-0)^2 + (3-1)^2) / 2
    2.5
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_labels, unknown_name

__all__ = ["BinaryCrossEntropy", "CrossEntropy", "Loss", "MeanSquaredError", "get", "names"]

_LOG_FLOOR = -100.0  # log(p) is clamped here, as PyTorch does, so a 0 probability gives a large finite loss


def _safe_log(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(p), _LOG_FLOOR)


class Loss:
    """Base class: ``__call__(predictions, targets) -> float`` and ``gradient(predictions, targets)``.

    Shapes: predictions (batch, outputs); targets (batch, outputs), or (batch,) where the loss allows it.

    Example:
        >>> predictions, targets = Loss().prepare(np.array([[0.5], [1.0]]), np.array([0.0, 1.0]))
        >>> predictions.shape, targets.shape           # targets (batch,) become a column beside one output
        ((2, 1), (2, 1))
        >>> all(isinstance(get(name), Loss) for name in names())
        True
    """

    name: str = ""
    fused_activation: str | None = None  # the activation whose output this loss is best computed from logits
    is_classification: bool = False

    def __call__(self, predictions: np.ndarray, targets: np.ndarray) -> float:
        raise NotImplementedError

    def gradient(self, predictions: np.ndarray, targets: np.ndarray) -> np.ndarray:
        """d(mean loss)/d(predictions), the shape of predictions (the 1/batch of the mean is already in it)."""
        raise NotImplementedError

    def from_logits(self, z: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
        """(mean loss, gradient at the pre-activation z), computed stably. Only for fused losses."""
        raise NotImplementedError(f"{self.name} has no fused form")

    def prepare(self, predictions: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Check both arrays and bring targets to the predictions' shape."""
        predictions = as_float_array(predictions, "predictions", allow_nan=True)
        targets = as_float_array(targets, "targets")
        if predictions.ndim == 1:
            predictions = predictions.reshape(-1, 1)
        if targets.shape != predictions.shape:
            if targets.ndim == 1 and predictions.shape == (targets.shape[0], 1):
                targets = targets.reshape(-1, 1)
            else:
                raise ValueError(
                    f"{self.name}: predictions have shape {predictions.shape} but targets have shape "
                    f"{targets.shape}; they must match (targets of shape (batch,) are fine for one output)."
                )
        return predictions, targets

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    """mean((predictions - targets)^2) over every element, as PyTorch's mse_loss.

    Shapes: predictions (batch, outputs), targets the same (or (batch,) for one output) -> float;
    gradient the shape of predictions.

    Example:
        >>> mse, predictions, targets = MeanSquaredError(), np.array([[1.0], [3.0]]), np.array([1.0, 1.0])
        >>> mse(predictions, targets)                  # (0^2 + 2^2) / 2
        2.0
        >>> mse.gradient(predictions, targets)         # 2 * (p - t) / 2
        array([[0.],
               [2.]])
    """

    name = "mse"

    def __call__(self, predictions, targets):
        predictions, targets = self.prepare(predictions, targets)
        return float(np.mean((predictions - targets) ** 2))

    def gradient(self, predictions, targets):
        predictions, targets = self.prepare(predictions, targets)
        return 2.0 * (predictions - targets) / predictions.size


def _check_probabilities(p: np.ndarray, loss: str, activation: str) -> None:
    if p.size and (p.min() < 0.0 or p.max() > 1.0):
        raise ValueError(
            f"{loss} expects predictions that are probabilities in [0, 1], but got values from {p.min():.3g} "
            f"to {p.max():.3g}. Put activation='{activation}' on the last layer."
        )


def _check_binary_targets(targets: np.ndarray) -> None:
    if targets.size and (targets.min() < 0.0 or targets.max() > 1.0):
        raise ValueError(
            f"bce expects targets in [0, 1] (class labels 0 and 1), but got values from {targets.min():.3g} "
            f"to {targets.max():.3g}. For more than two classes use cross_entropy with a softmax output."
        )


class BinaryCrossEntropy(Loss):
    """-mean(t log p + (1 - t) log(1 - p)) for probabilities p of the positive class and targets t in [0, 1].

    Shapes: predictions (batch, 1) probabilities, targets (batch,) or (batch, 1) -> float; gradient (batch, 1).

    Example:
        >>> bce = BinaryCrossEntropy()
        >>> round(bce(np.array([[0.8], [0.4]]), np.array([1.0, 0.0])), 4)    # -(log 0.8 + log(1 - 0.4)) / 2
        0.367
        >>> value, grad_z = bce.from_logits(np.array([[0.0]]), np.array([1.0]))   # sigmoid(0) = 0.5
        >>> round(value, 4), grad_z                    # log 2; gradient at z: (0.5 - 1) / 1
        (0.6931, array([[-0.5]]))
    """

    name = "bce"
    fused_activation = "sigmoid"
    is_classification = True

    def prepare(self, predictions, targets):
        predictions, targets = super().prepare(predictions, targets)
        _check_probabilities(predictions, self.name, "sigmoid")
        _check_binary_targets(targets)
        return predictions, targets

    def __call__(self, predictions, targets):
        p, t = self.prepare(predictions, targets)
        return float(-np.mean(t * _safe_log(p) + (1.0 - t) * _safe_log(1.0 - p)))

    def gradient(self, predictions, targets):
        p, t = self.prepare(predictions, targets)
        # the 1e-12 floor matches PyTorch's and avoids dividing by 0 when p is exactly 0 or 1
        return (p - t) / np.maximum(p * (1.0 - p), 1e-12) / p.size

    def from_logits(self, z, targets):
        z = as_float_array(z, "logits", allow_nan=True)
        _, t = super().prepare(z, targets)
        _check_binary_targets(t)  # the same target check as the plain path: logits have no range to check
        # -[t log s(z) + (1-t) log(1-s(z))] = softplus(z) - t z, and softplus is computed without overflow.
        e = np.exp(-np.abs(z))  # in (0, 1]: never overflows; used by both the loss and its gradient
        softplus = np.maximum(z, 0.0) + np.log1p(e)
        value = float(np.mean(softplus - t * z))
        probabilities = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))  # sigmoid(z), stable on both sides
        return value, (probabilities - t) / z.size


class CrossEntropy(Loss):
    """-mean over the batch of log p[true class], for rows of class probabilities p.

    Targets are integer labels (batch,) or one-hot rows (batch, classes). A sequence model's output, logits
    (batch, time, vocab) with integer targets (batch, time), is taken as logits (no softmax layer before it):
    the mean over every position of -log softmax(logits)[target].

    Shapes: predictions (batch, classes) probabilities, targets (batch,) or (batch, classes) -> float;
    gradient (batch, classes). Or logits (batch, time, vocab), targets (batch, time) -> float; gradient (batch,
    time, vocab).

    Example:
        >>> ce, p = CrossEntropy(), np.array([[0.25, 0.75], [0.5, 0.5]])
        >>> round(ce(p, np.array([1, 0])), 4)          # -(log 0.75 + log 0.5) / 2
        0.4904
        >>> ce.from_logits(np.zeros((1, 2)), np.array([1]))[1]    # softmax(0, 0) = (0.5, 0.5), minus one-hot (0, 1)
        array([[ 0.5, -0.5]])
        >>> round(ce(np.zeros((2, 3, 4)), np.zeros((2, 3), dtype=int)), 4)   # logits all 0: log 4 at each step
        1.3863
    """

    name = "cross_entropy"
    fused_activation = "softmax"
    is_classification = True

    def prepare(self, predictions, targets):
        predictions = as_float_array(predictions, "predictions", allow_nan=True)
        if predictions.ndim != 2:
            raise ValueError(
                f"cross_entropy expects predictions of shape (batch, classes), but got {predictions.shape}."
            )
        targets = as_float_array(targets, "targets")
        if targets.ndim == 1:
            if len(targets) != len(predictions):  # before the one-hot rows, which would hide a short list
                raise ValueError(
                    f"cross_entropy: predictions have {len(predictions)} rows but got {len(targets)} labels; give "
                    f"one label per row, shape ({len(predictions)},)."
                )
            labels = check_labels(targets, predictions.shape[1], "cross_entropy")
            one_hot = np.zeros_like(predictions)
            one_hot[np.arange(len(labels)), labels] = 1.0
            targets = one_hot
        if targets.shape != predictions.shape:
            raise ValueError(
                f"cross_entropy: predictions have shape {predictions.shape} but targets have shape {targets.shape}. "
                f"Give integer labels of shape ({predictions.shape[0]},) or one-hot rows of shape {predictions.shape}."
            )
        if len(targets) != len(predictions):
            raise ValueError("cross_entropy: predictions and targets have different batch sizes.")
        return predictions, targets

    def __call__(self, predictions, targets):
        if np.ndim(predictions) == 3:
            return self.from_logits(predictions, targets)[0]
        p, t = self.prepare(predictions, targets)
        _check_probabilities(p, self.name, "softmax")
        return float(-np.sum(t * _safe_log(p)) / len(p))

    def gradient(self, predictions, targets):
        if np.ndim(predictions) == 3:
            return self.from_logits(predictions, targets)[1]
        p, t = self.prepare(predictions, targets)
        _check_probabilities(p, self.name, "softmax")
        return -t / np.maximum(p, np.finfo(float).tiny) / len(p)

    def from_logits(self, z, targets):
        if np.ndim(z) == 3:
            return _sequence_cross_entropy(z, targets)
        z, t = self.prepare(z, targets)
        shifted = z - z.max(axis=1, keepdims=True)
        log_sum_exp = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        log_probabilities = shifted - log_sum_exp  # never log(0): stays finite for logits hundreds apart
        value = float(-np.sum(t * log_probabilities) / len(z))
        return value, (np.exp(log_probabilities) - t) / len(z)


def _sequence_cross_entropy(logits, targets) -> tuple[float, np.ndarray]:
    """Cross-entropy of a sequence model: logits (batch, time, vocab) against integer targets (batch, time).

    Every position is one prediction: the value is the mean over batch * time of -log softmax(logits)[target],
    as PyTorch's ``cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1))``; the gradient at the logits is
    (softmax - one_hot) / (batch * time). A float32 model keeps float32 here.
    """
    z = logits if type(logits) is np.ndarray and logits.dtype in (np.float32, np.float64) else (
        as_float_array(logits, "logits", allow_nan=True))
    batch, time, vocab = z.shape
    targets = np.asarray(targets)
    if targets.shape != (batch, time):
        raise ValueError(
            f"cross_entropy: logits of shape {z.shape} (batch, time, vocab) need integer targets of shape "
            f"({batch}, {time}), one next token per position, but got targets of shape {targets.shape}."
        )
    if targets.dtype.kind in "iu":
        labels = targets.reshape(-1)
        if labels.size and (labels.min() < 0 or labels.max() >= vocab):
            check_labels(labels.astype(float), vocab, "cross_entropy")  # says which labels and how to fix it
    else:
        labels = check_labels(as_float_array(targets, "targets").reshape(-1), vocab, "cross_entropy")
    rows = z.reshape(-1, vocab)
    shifted = rows - rows.max(axis=1, keepdims=True)
    probabilities = np.exp(shifted)
    sums = probabilities.sum(axis=1, keepdims=True)
    picked = np.arange(len(rows))
    value = float(np.mean(np.log(sums[:, 0]) - shifted[picked, labels]))  # -log softmax at the target
    probabilities /= sums
    probabilities[picked, labels] -= 1.0
    probabilities *= 1.0 / len(rows)
    return value, probabilities.reshape(z.shape)


_CLASSES: dict[str, type[Loss]] = {cls.name: cls for cls in (MeanSquaredError, BinaryCrossEntropy, CrossEntropy)}
_ALIASES = {
    "binary_cross_entropy": "bce",
    "mean_squared_error": "mse",
    "categorical_cross_entropy": "cross_entropy",
    "crossentropy": "cross_entropy",
}


def names() -> list[str]:
    """Every registered loss name (aliases not included).

    Shapes: none (-> a list of names).

    Example:
        >>> names()
        ['mse', 'bce', 'cross_entropy']
    """
    return list(_CLASSES)


def get(name: str | Loss) -> Loss:
    """Resolve a loss name ('mse', 'bce', 'binary_cross_entropy', 'cross_entropy') or a Loss object.

    Shapes: none (a name -> a Loss).

    Example:
        >>> get("binary_cross_entropy")
        BinaryCrossEntropy()
    """
    if isinstance(name, Loss):
        return name
    if isinstance(name, type) and issubclass(name, Loss):
        return name()
    if not isinstance(name, str):
        raise TypeError(f"loss must be a name such as 'mse' or a Loss object, but got {name!r}.")
    key = name.strip().lower().replace("-", "_")
    key = _ALIASES.get(key, key)
    if key not in _CLASSES:
        raise unknown_name("loss", name, list(_CLASSES) + list(_ALIASES))
    return _CLASSES[key]()

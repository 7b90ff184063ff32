"""Every check of user input lives here, so every error reads the same way.

Each message says what was expected, what came, and where it helps, the fix. Never ``assert`` for user input:
``python -O`` strips asserts.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "as_float_array",
    "check_batch",
    "check_finite",
    "check_labels",
    "check_learning_rate",
    "check_positive_int",
    "check_rate",
    "check_same_length",
    "describe",
    "unknown_name",
]


def describe(x: Any) -> str:
    """A short description of what came: shape and dtype for arrays, the type otherwise."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of length {len(x)}"
    return f"{type(x).__name__} {x!r}"


def unknown_name(kind: str, name: object, valid: Iterable[str]) -> ValueError:
    """A ValueError for an unknown name that lists every valid one and the closest match."""
    valid = sorted(set(valid))
    message = f"Unknown {kind} {name!r}. Valid names: {', '.join(valid)}."
    if isinstance(name, str):
        close = difflib.get_close_matches(name.lower(), valid, n=1, cutoff=0.5)
        if close:
            message += f" Did you mean {close[0]!r}?"
    return ValueError(message)


def as_float_array(x: Any, name: str = "x", *, allow_nan: bool = False) -> np.ndarray:
    """Turn numbers into a float64 array; refuse strings, objects, complex numbers and (by default) NaN/inf.

    Layers pass ``allow_nan=True``: the user's data is checked once where it enters (fit, predict, evaluate),
    and a NaN that appears inside a diverging network is for ``fit`` to report, not for a layer to reject.
    """
    if type(x) is np.ndarray and x.dtype == np.float64 and allow_nan:
        return x  # the common case inside a network: nothing to convert or check
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be numbers (an array of floats), but got the string {x!r}.")
    array = np.asarray(x)
    if array.dtype.kind in "USO":
        raise TypeError(
            f"{name} must hold numbers (float or int), but got dtype {array.dtype}"
            f"{' (strings)' if array.dtype.kind in 'US' else ' (Python objects)'}. "
            f"Convert it first, for example np.asarray({name}, dtype=float)."
        )
    if array.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, but got complex dtype {array.dtype}.")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers, but got dtype {array.dtype}.")
    array = array.astype(np.float64, copy=False)
    if not allow_nan:
        check_finite(array, name)
    return array


def check_finite(array: np.ndarray, name: str = "x") -> None:
    """Raise ValueError if the array holds NaN or infinity, saying how many and where the first is."""
    finite = np.isfinite(array)
    if not finite.all():
        bad = np.argwhere(~finite)
        first = tuple(int(i) for i in bad[0])
        n_nan = int(np.isnan(array).sum())
        n_inf = int(bad.shape[0] - n_nan)
        raise ValueError(
            f"{name} must be finite, but it holds {n_nan} NaN and {n_inf} infinite value(s) "
            f"(the first at index {first if len(first) != 1 else first[0]}). "
            "Remove or fill them before training, e.g. with np.nan_to_num."
        )


def check_batch(x: np.ndarray, n_features: int, layer: str) -> np.ndarray:
    """Check that x is a (batch, n_features) array for the named layer."""
    if x.ndim != 2 or x.shape[1] != n_features:
        message = f"{layer} expects inputs of shape (batch, {n_features}) but got {x.shape}."
        if x.ndim == 1 and x.shape[0] == n_features:
            message += " For one sample use x.reshape(1, -1)."
        elif x.ndim == 2 and x.shape[0] == n_features and x.shape[1] != n_features:
            message += " Rows are samples and columns are features: did you mean x.T?"
        elif x.ndim > 2:
            message += " Put a Flatten() layer before it to turn each sample into one row."
        raise ValueError(message)
    return x


def check_same_length(x: np.ndarray, y: np.ndarray, x_name: str = "x", y_name: str = "y") -> None:
    """Raise ValueError if x and y do not have one row per sample each."""
    if len(x) != len(y):
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of samples, but {x_name} has {len(x)} "
            f"and {y_name} has {len(y)}."
        )


def check_labels(y: np.ndarray, n_classes: int, loss: str) -> np.ndarray:
    """Check integer class labels for a network with n_classes outputs and return them as int64."""
    if y.ndim != 1:
        raise ValueError(f"{loss} expects labels of shape (batch,) or one-hot (batch, {n_classes}), got {y.shape}.")
    if y.size and not np.all(np.equal(np.mod(y, 1), 0)):
        raise ValueError(f"{loss} expects whole-number class labels, but got values such as {y[np.mod(y, 1) != 0][0]}.")
    labels = y.astype(np.int64)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"{loss}: the network has {n_classes} outputs, so labels must be in 0..{n_classes - 1}, "
            f"but got labels from {labels.min()} to {labels.max()}. "
            f"Give the last layer {int(labels.max()) + 1} outputs, or relabel the classes."
        )
    return labels


def check_learning_rate(lr: Any, name: str = "lr") -> float:
    """A learning rate must be a finite positive number."""
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a positive number such as 0.01, but got {describe(lr)}.")
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"{name} must be a positive finite number such as 0.01, but got {lr}.")
    return float(lr)


def check_rate(value: Any, name: str, *, low: float = 0.0, high: float = 1.0, include_high: bool = False) -> float:
    """A number in [low, high) (or [low, high]) such as a dropout rate, a momentum or a regularisation strength."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, but got {describe(value)}.")
    ok = low <= value <= high if include_high else low <= value < high
    if not math.isfinite(value) or not ok:
        upper = f"{high}]" if include_high else f"{high})"
        raise ValueError(f"{name} must be in [{low}, {upper}, but got {value}.")
    return float(value)


def check_positive_int(value: Any, name: str, *, allow_none: bool = False) -> int | None:
    """A count such as epochs, batch_size or a layer width: a whole number >= 1."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number >= 1, but got {describe(value)}.")
    if value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, but got {value}.")
    return int(value)

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
    """A short description of what came: shape and dtype for arrays, the type otherwise.

    Shapes: x anything -> a short text.

    Example:
        >>> describe(np.zeros((2, 3)))
        'an array of shape (2, 3) and dtype float64'
        >>> describe([1, 2]), describe("relu")
        ('a list of length 2', "str 'relu'")
    """
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    if isinstance(x, (list, tuple)):
        return f"a {type(x).__name__} of length {len(x)}"
    return f"{type(x).__name__} {x!r}"


def unknown_name(kind: str, name: object, valid: Iterable[str]) -> ValueError:
    """A ValueError for an unknown name that lists every valid one and the closest match.

    Shapes: none (names -> a ValueError for the caller to raise).

    Example:
        >>> print(unknown_name("activation", "relu6", ["tanh", "relu"]))
        Unknown activation 'relu6'. Valid names: relu, tanh. Did you mean 'relu'?
    """
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

    Shapes: x any shape -> a float64 array of the same shape.

    Example:
        >>> as_float_array([[1, 2], [3, 4]])
        array([[1., 2.],
               [3., 4.]])
        >>> as_float_array(["1.5"], "x")               # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        TypeError: x must hold numbers (float or int), but got dtype <U3 (strings). Convert it first, ...
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
    """Raise ValueError if the array holds NaN or infinity, saying how many and where the first is.

    Shapes: array any shape -> None.

    Example:
        >>> check_finite(np.array([1.0, 2.0]))        # finite: nothing happens
        >>> check_finite(np.array([1.0, np.nan, np.inf]), "x")    # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: x must be finite, but it holds 1 NaN and 1 infinite value(s) (the first at index 1). ...
    """
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
    """Check that x is a (batch, n_features) array for the named layer.

    Shapes: x (batch, n_features) -> the same array.

    Example:
        >>> check_batch(np.zeros((4, 2)), 2, "Dense layer 1 (2 -> 8)").shape
        (4, 2)
        >>> check_batch(np.zeros(2), 2, "Dense layer 1 (2 -> 8)")    # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: Dense layer 1 (2 -> 8) expects inputs of shape (batch, 2) but got (2,). For one sample use ...
    """
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
    """Raise ValueError if x and y do not have one row per sample each.

    Shapes: x (n, ...), y (n, ...) -> None.

    Example:
        >>> check_same_length(np.zeros((3, 2)), np.zeros(3))     # 3 samples each: fine
        >>> check_same_length(np.zeros((3, 2)), np.zeros(2))
        Traceback (most recent call last):
        ...
        ValueError: x and y must have the same number of samples, but x has 3 and y has 2.
    """
    if len(x) != len(y):
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of samples, but {x_name} has {len(x)} "
            f"and {y_name} has {len(y)}."
        )


def check_labels(y: np.ndarray, n_classes: int, loss: str) -> np.ndarray:
    """Check integer class labels for a network with n_classes outputs and return them as int64.

    Shapes: y (batch,) -> int64 labels (batch,).

    Example:
        >>> check_labels(np.array([0.0, 2.0, 1.0]), 3, "cross_entropy")
        array([0, 2, 1])
        >>> check_labels(np.array([0.0, 3.0]), 3, "cross_entropy")    # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: cross_entropy: the network has 3 outputs, so labels must be in 0..2, but got labels from 0 to 3. ...
    """
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
    """A learning rate must be a finite positive number.

    Shapes: none (a number -> a float).

    Example:
        >>> check_learning_rate(1)
        1.0
        >>> check_learning_rate(-0.1)
        Traceback (most recent call last):
        ...
        ValueError: lr must be a positive finite number such as 0.01, but got -0.1.
    """
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a positive number such as 0.01, but got {describe(lr)}.")
    if not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"{name} must be a positive finite number such as 0.01, but got {lr}.")
    return float(lr)


def check_rate(value: Any, name: str, *, low: float = 0.0, high: float = 1.0, include_high: bool = False) -> float:
    """A number in [low, high) (or [low, high]) such as a dropout rate, a momentum or a regularisation strength.

    Shapes: none (a number -> a float).

    Example:
        >>> check_rate(0.5, "rate"), check_rate(1, "fraction", include_high=True)
        (0.5, 1.0)
        >>> check_rate(1.0, "rate")                    # a dropout rate of 1 would drop every unit
        Traceback (most recent call last):
        ...
        ValueError: rate must be in [0.0, 1.0), but got 1.0.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, but got {describe(value)}.")
    ok = low <= value <= high if include_high else low <= value < high
    if not math.isfinite(value) or not ok:
        upper = f"{high}]" if include_high else f"{high})"
        raise ValueError(f"{name} must be in [{low}, {upper}, but got {value}.")
    return float(value)


def check_positive_int(value: Any, name: str, *, allow_none: bool = False) -> int | None:
    """A count such as epochs, batch_size or a layer width: a whole number >= 1.

    Shapes: none (a number -> an int, or None when allowed).

    Example:
        >>> check_positive_int(np.int64(3), "epochs"), check_positive_int(None, "batch_size", allow_none=True)
        (3, None)
        >>> check_positive_int(2.5, "epochs")
        Traceback (most recent call last):
        ...
        TypeError: epochs must be a whole number >= 1, but got float 2.5.
    """
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number >= 1, but got {describe(value)}.")
    if value < 1:
        raise ValueError(f"{name} must be a whole number >= 1, but got {value}.")
    return int(value)


# ---------------------------------------------------------------------- images and convolution (Conv2D, MaxPool2D)
__all__ += ["check_images", "check_int_pair", "check_window_fits"]


def check_int_pair(value: Any, name: str, *, minimum: int = 1) -> tuple[int, int]:
    """A size such as kernel_size, stride or padding: one whole number for both directions, or (height, width).

    Shapes: none (a number or a pair -> a (height, width) pair).

    Example:
        >>> check_int_pair(3, "kernel_size"), check_int_pair((3, 5), "kernel_size")
        ((3, 3), (3, 5))
    """
    pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    smallest = "1" if minimum == 1 else str(minimum)
    if len(pair) != 2 or any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) for v in pair):
        raise TypeError(
            f"{name} must be a whole number or a (height, width) pair of whole numbers, such as 3 or (3, 5), "
            f"but got {describe(value)}."
        )
    if min(pair) < minimum:
        raise ValueError(f"{name} must be at least {smallest} in both directions, but got {value!r}.")
    return int(pair[0]), int(pair[1])


def check_images(x: np.ndarray, n_channels: int | None, layer: str) -> np.ndarray:
    """Check that x is a batch of images (batch, n_channels, height, width) for the named layer.

    ``n_channels=None`` accepts any number of channels (pooling works on each channel separately).

    Shapes: x (batch, n_channels, height, width) -> the same array.

    Example:
        >>> check_images(np.zeros((2, 1, 8, 8)), 1, "Conv2D layer 1").shape
        (2, 1, 8, 8)
        >>> check_images(np.zeros((2, 8, 8)), 1, "Conv2D layer 1")     # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: Conv2D layer 1 expects ... but got (2, 8, 8). For a batch of grey images add the channel axis: ...
    """
    channels = "channels" if n_channels is None else str(n_channels)
    expected = f"{layer} expects inputs of shape (batch, {channels}, height, width) but got {x.shape}."
    if x.ndim == 4 and (n_channels is None or x.shape[1] == n_channels):
        return x
    if x.ndim == 4:
        if x.shape[3] == n_channels:
            hint = (" The channels seem to come last (batch, height, width, channels): move them with "
                    "x.transpose(0, 3, 1, 2).")
        else:
            hint = (f" The images have {x.shape[1]} channels but this layer takes {n_channels}: give it "
                    f"in_channels={x.shape[1]}, or check the out_channels of the layer before it.")
    elif x.ndim == 3 and n_channels is not None and x.shape[0] == n_channels:
        hint = f" For one image use x.reshape(1, {n_channels}, {x.shape[1]}, {x.shape[2]})."
    elif x.ndim == 3 and n_channels in (1, None):
        batch, height, width = x.shape
        hint = f" For a batch of grey images add the channel axis: x.reshape({batch}, 1, {height}, {width})."
    elif x.ndim == 2 and n_channels in (1, None):
        hint = f" For one grey image use x.reshape(1, 1, {x.shape[0]}, {x.shape[1]})."
    elif x.ndim == 2:
        side = math.isqrt(x.shape[1] // n_channels) if x.shape[1] % n_channels == 0 else 0
        hint = (f" If each row is one flattened image use x.reshape(-1, {n_channels}, {side}, {side})."
                if side > 1 and side * side * n_channels == x.shape[1] else "")
    else:
        hint = ""
    raise ValueError(expected + hint)


def check_window_fits(
    height: int,
    width: int,
    window: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int] | None,
    layer: str,
    window_name: str = "kernel",
) -> tuple[int, int]:
    """The output (height, width) of sliding a window over a (padded) image; a clear error if it does not fit.

    output size = (input + 2 * padding - window) // stride + 1 in each direction; ``padding=None`` for layers
    that have none (pooling).

    Shapes: none (sizes in pixels -> the output (height, width)).

    Example:
        >>> check_window_fits(16, 16, (3, 3), (1, 1), (1, 1), "Conv2D layer")
        (16, 16)
    """
    sizes, lines = [], []
    for direction, size, k, s, p in zip(("height", "width"), (height, width), window, stride, padding or (0, 0)):
        out = (size + 2 * p - k) // s + 1
        sizes.append(out)
        if out < 1:
            padded = f"{size} + 2*{p}" if padding is not None else str(size)
            lines.append(f"output {direction} = ({padded} - {k}) // {s} + 1 = {out}")
    if lines:
        if padding is None:
            expected, fixes = f"{window[0]}x{window[1]} pixels", "or larger images"
        else:
            padding_text = str(padding[0]) if padding[0] == padding[1] else str(tuple(padding))
            expected, fixes = f"{window[0]}x{window[1]} pixels once padded (padding {padding_text})", (
                "more padding, or larger images")
        raise ValueError(
            f"{layer} expects images of at least {expected}, but got {height}x{width}: "
            f"{' and '.join(lines)}, but an output needs at least 1 pixel. Use a smaller {window_name}, {fixes}."
        )
    return sizes[0], sizes[1]


# ---------------------------------------------------------------------- sequences, embeddings, interpretability
__all__ += ["check_item_ids", "check_layer_index", "check_sequences", "check_step", "check_targets", "check_unit"]


def check_sequences(x: np.ndarray, n_features: int | None, layer: str) -> np.ndarray:
    """Check that x is a batch of sequences (batch, time, n_features) for the named layer.

    ``n_features=None`` accepts any number of features per step.

    Shapes: x (batch, time, n_features) -> the same array.

    Example:
        >>> check_sequences(np.zeros((4, 10, 1)), 1, "SimpleRNN layer 1 (1 -> 8)").shape
        (4, 10, 1)
    """
    features = "features" if n_features is None else str(n_features)
    if x.ndim == 3 and (n_features is None or x.shape[2] == n_features):
        return x
    message = f"{layer} expects sequences of shape (batch, time, {features}) but got {x.shape}."
    if x.ndim == 2 and n_features == 1 and x.shape[1] != 1:
        message += f" For one number per step add the feature axis: x.reshape({x.shape[0]}, {x.shape[1]}, 1)."
    elif x.ndim == 2 and n_features is not None and x.shape[1] == n_features:
        message += f" For one sequence use x.reshape(1, {x.shape[0]}, {n_features})."
    elif x.ndim == 2:
        message += " Sequences need three axes: one row per sequence, one step per position, then the features."
    elif x.ndim == 3 and x.shape[1] == n_features:
        message += " The features seem to come before the steps: swap them with x.transpose(0, 2, 1)."
    elif x.ndim == 3:
        message += f" Each step has {x.shape[2]} features, but this layer takes {n_features}."
    raise ValueError(message)


def check_item_ids(ids: Any, n_items: int, layer: str) -> np.ndarray:
    """Check integer ids (any shape with a batch axis) for an embedding table of n_items rows; return them as int64.

    Float ids are accepted when they are whole numbers, because ``Sequential`` turns every input into floats.

    Shapes: ids (batch, ...) -> int64 of the same shape.

    Example:
        >>> check_item_ids(np.array([[0.0, 2.0]]), 3, "Embedding layer 1 (3 items, 2 dims)")
        array([[0, 2]])
    """
    array = np.asarray(ids)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{layer} expects whole-number item ids, but got {describe(array)}.")
    if array.ndim == 0:
        raise ValueError(
            f"{layer} expects a batch of item ids such as [3] or [[3, 1, 4]], but got the single number "
            f"{array.item()!r}. For one id use np.array([{array.item()!r}])."
        )
    if array.dtype.kind == "f":
        with np.errstate(invalid="ignore"):  # NaN and inf are reported below, not warned about
            not_whole = ~np.isfinite(array) | (np.mod(array, 1) != 0)
        if not_whole.any():
            bad = float(array[not_whole].flat[0])
            raise ValueError(
                f"{layer} got item id {bad:g}, but ids must be whole numbers in 0..{n_items - 1}: "
                "each id picks one row of the table."
            )
    if array.size and array.min() < 0:
        raise ValueError(
            f"{layer} got item id {int(array.min())}, but ids must be in 0..{n_items - 1}: they count rows of "
            "the table from 0, so none is negative."
        )
    if array.size and array.max() >= n_items:
        raise ValueError(
            f"{layer} got item id {int(array.max())}, but ids must be in 0..{n_items - 1}. "
            f"Give the layer n_items={int(array.max()) + 1} or more, or renumber the items from 0."
        )
    return array.astype(np.int64)


def check_step(index: Any, n_steps: int, layer: str) -> int:
    """Check a time-step index (negative counts from the end, as in Python) for sequences of n_steps steps.

    Shapes: none (an index -> an int, unchanged).

    Example:
        >>> check_step(-1, 10, "SimpleRNN layer 1"), check_step(3, 10, "SimpleRNN layer 1")
        (-1, 3)
        >>> check_step(10, 10, "SimpleRNN layer 1")    # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: SimpleRNN layer 1 picks step 10, but the sequences have 10 steps, so the index must be in -10..9 ...
    """
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"{layer}: the step index must be a whole number such as -1 (the last), but got "
                        f"{describe(index)}.")
    if not -n_steps <= index < n_steps:
        raise ValueError(
            f"{layer} picks step {index}, but the sequences have {n_steps} steps, so the index must be in "
            f"{-n_steps}..{n_steps - 1} (-1 is the last step)."
        )
    return int(index)


def check_targets(target: Any, n_samples: int, n_outputs: int, name: str = "target") -> np.ndarray:
    """Class indices, one per sample (a single int is used for every sample); returned as int64 (n_samples,).

    Shapes: target a scalar or (n_samples,) -> int64 (n_samples,).

    Example:
        >>> check_targets(2, 3, 4)
        array([2, 2, 2])
    """
    array = np.asarray(target)
    with np.errstate(invalid="ignore"):  # NaN or inf: not a whole number, reported below
        not_whole = array.dtype.kind == "f" and not np.all(np.mod(array, 1) == 0)
    if array.dtype.kind not in "biuf" or not_whole:
        raise TypeError(f"{name} must be a class index (a whole number) or one per sample, but got "
                        f"{describe(target)}.")
    array = np.broadcast_to(array, (n_samples,)) if array.ndim == 0 else array
    if array.shape != (n_samples,):
        raise ValueError(f"{name} must be one class index, or one per sample (shape ({n_samples},)), but got "
                         f"shape {array.shape}.")
    # a single sigmoid output still has two classes: 0 (output < 0.5) and 1
    n_classes = max(n_outputs, 2)
    if array.size and (array.min() < 0 or array.max() >= n_classes):
        bad = array.min() if array.min() < 0 else array.max()
        raise ValueError(f"{name} must be a class index in 0..{n_classes - 1} (the model has {n_outputs} "
                         f"output{'s' if n_outputs != 1 else ''}), but got {bad}.")
    return array.astype(np.int64)


def check_layer_index(layers: list, layer: Any) -> int:
    """Resolve a layer given as a Python index into ``model.layers`` (0 is the first, -1 the last) or as the
    layer object itself; return its position in the list.

    Shapes: none (an index or a layer -> a position in 0..len(layers) - 1).

    Example:
        >>> import nnlearn as nl
        >>> layers = [nl.Dense(2, 3), nl.Dense(3, 1)]
        >>> check_layer_index(layers, -1), check_layer_index(layers, layers[0])
        (1, 0)
    """
    for position, candidate in enumerate(layers):
        if candidate is layer:
            return position
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)):
        raise TypeError(f"layer must be an index into model.layers (0 is the first layer) or one of the "
                        f"model's layers, but got {describe(layer)}.")
    if not -len(layers) <= layer < len(layers):
        raise ValueError(f"layer must be an index into model.layers, in {-len(layers)}..{len(layers) - 1} "
                         f"(0 is the first layer, -1 the last), but got {layer}.")
    return int(layer) % len(layers)


def check_unit(unit: Any, sample_shape: tuple[int, ...], layer: str) -> tuple[int, ...]:
    """Check a unit of a layer whose output for one sample has ``sample_shape``; return it as an index tuple.

    An int picks a channel of image outputs (channels, h, w) and a feature (the last axis) otherwise; a tuple
    picks one exact value of the sample's output.

    Shapes: sample_shape (channels, height, width) or (..., features) -> an index tuple.

    Example:
        >>> check_unit(2, (8, 6, 6), "Conv2D layer 1"), check_unit((0, 3, 4), (8, 6, 6), "Conv2D layer 1")
        ((2,), (0, 3, 4))
        >>> check_unit(5, (4,), "Dense layer 2 (8 -> 4)")
        Traceback (most recent call last):
        ...
        ValueError: Dense layer 2 (8 -> 4) has 4 units here, so unit must be in 0..3, but got 5.
    """
    if isinstance(unit, (tuple, list)):
        index = tuple(unit)
        if len(index) != len(sample_shape):
            raise ValueError(f"{layer} gives each sample an output of shape {sample_shape}, so a unit given as a "
                             f"tuple needs {len(sample_shape)} indices, but got {unit!r}.")
        sizes = sample_shape
    else:
        index = (unit,)
        sizes = (sample_shape[0] if len(sample_shape) == 3 else sample_shape[-1],)
    for value, size in zip(index, sizes):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"unit must be a whole number (or a tuple of them), but got {describe(unit)}.")
        if not -size <= value < size:
            what = "channels" if len(sample_shape) == 3 and len(index) == 1 else "units"
            raise ValueError(f"{layer} has {size} {what} here, so unit must be in 0..{size - 1}, but got {unit!r}.")
    return tuple(int(v) for v in index)

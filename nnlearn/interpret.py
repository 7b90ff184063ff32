"""Looking inside a trained network: which inputs a prediction depends on, and what a unit responds to.

* ``saliency``: the gradient of the target class's score with respect to the input. Backprop already computes
  it: send a 1 back from the target's score instead of the loss gradient and read what arrives at the input.
* ``occlusion``: cover one patch of the input at a time and measure how much the target's probability drops.
  No gradients, just repeated predictions, so it is a check of the saliency map by a different route.
* ``occlusion_estimate``: what the saliency map predicts occlusion will measure (gradient times the change that
  covering makes), and ``map_agreement``: how far two such maps agree (rank correlation, top-k overlap).
* ``unit_response`` and ``top_activating``: how strongly one unit (a neuron, or a channel of a convolution)
  responds to each input, and the inputs that excite it most.
* ``as_arithmetic``: a small Dense network's whole computation for one input, written out as plain arithmetic.

They rely only on the layer contract (``forward``, ``backward``, ``last_z``, ``backward_from_z``), so they work
for Dense networks, convolutional ones and sequence models alike. They run the model in prediction mode
(dropout off) and, like any backward pass, overwrite the layers' ``grad_*``.

Example:
    >>> import numpy as np, nnlearn as nl
    >>> model = nl.Sequential([nl.Dense(3, 2, "softmax")], seed=0)
    >>> saliency(model, np.array([1.0, 2.0, 3.0]), target=1).shape      # one sample in, its map out
    (3,)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .validation import (
    as_float_array,
    check_int_pair,
    check_layer_index,
    check_positive_int,
    check_targets,
    check_unit,
    describe,
    unknown_name,
)

__all__ = ["Agreement", "Arithmetic", "as_arithmetic", "map_agreement", "occlusion", "occlusion_estimate", "saliency",
           "top_activating", "unit_response"]

_SCORES = ("logit", "probability")
_REDUCTIONS = ("mean", "max")


def _forward_all(model: Any, x: np.ndarray) -> list[np.ndarray]:
    """Run x through every layer in prediction mode and keep each layer's output."""
    for layer in model.layers:
        layer.training = False
    outputs = []
    for layer in model.layers:
        x = layer.forward(x)
        outputs.append(x)
    return outputs


def _as_batch(model: Any, x: Any) -> tuple[np.ndarray, list[np.ndarray], bool]:
    """(batch of inputs, every layer's output, whether x was one sample).

    x is taken as a batch if the model accepts it as one; if the model refuses it but accepts it with a batch
    axis added in front, it was one sample. Only the layers' own shape checks decide, so this works for any
    layer that follows the contract.
    """
    x = as_float_array(x, "x")
    try:
        return x, _forward_all(model, x), False
    except ValueError as batch_error:
        try:
            return x[None], _forward_all(model, x[None]), True
        except ValueError:
            raise batch_error from None


def _check_class_outputs(out: np.ndarray, where: str) -> None:
    if out.ndim != 2:
        raise ValueError(
            f"{where} needs a model whose output is one row of class scores per sample, (batch, n_outputs), but "
            f"this model gives {out.shape}. End it with a Dense layer (after Flatten() or LastStep() if needed)."
        )


def _target_output(out: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Each sample's output for its target class; for one sigmoid output, p for class 1 and 1 - p for class 0."""
    if out.shape[1] == 1:
        return np.where(targets == 1, out[:, 0], 1.0 - out[:, 0])
    return out[np.arange(len(out)), targets]


def _patch_windows(sample_shape: tuple[int, ...], patch: Any) -> list[tuple]:
    """The index of every patch of one sample: the last axis (vectors) or the last two (images) are cut into
    non-overlapping patches; any channel axis in front is covered whole."""
    if len(sample_shape) == 1:
        sizes = (check_positive_int(patch, "patch"),)
    elif len(sample_shape) in (2, 3):
        sizes = check_int_pair(patch, "patch")
    else:
        raise ValueError(
            f"occlusion covers patches of vectors (n,), images (h, w) or (channels, h, w), but one sample here "
            f"has shape {sample_shape}."
        )
    spatial = sample_shape[-len(sizes):]
    starts = np.meshgrid(*[np.arange(0, n, step) for n, step in zip(spatial, sizes)], indexing="ij")
    return [(...,) + tuple(slice(c, c + step) for c, step in zip(corner, sizes))
            for corner in zip(*(s.ravel() for s in starts))]


def _check_baseline(baseline: Any, sample_shape: tuple[int, ...]) -> np.ndarray:
    baseline = as_float_array(baseline, "baseline")
    try:
        return np.broadcast_to(baseline, sample_shape)
    except ValueError:
        raise ValueError(
            f"baseline must be one number or an array of one sample's shape {sample_shape}, but got "
            f"{describe(baseline)}."
        ) from None


def saliency(model: Any, x: Any, target: Any, *, score: str = "logit") -> np.ndarray:
    """The gradient of the target class's score with respect to each input value: how much a small change of
    that value moves the score.

    ``score="logit"`` (the default) differentiates the last layer's pre-activation z of the target class (the
    score before softmax or sigmoid), when the last layer keeps one (``last_z``); the probability itself
    saturates near 0 and 1, where its gradient is nearly 0 everywhere. ``score="probability"`` differentiates
    the model's output. For one sigmoid output, class 1's score is z (or p) and class 0's is -z (or 1 - p).

    Shapes: x one sample (e.g. (n_inputs,) or (channels, h, w)) or a batch (batch, ...); target an int or
    (batch,) ints -> same shape as x.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 2, "softmax")])
        >>> model.layers[0].weights[:] = [[1.0, -1.0], [3.0, 0.5]]
        >>> saliency(model, np.array([0.2, 0.7]), target=0)     # z_0 = 1*x_0 + 3*x_1: gradient (1, 3)
        array([1., 3.])
    """
    if score not in _SCORES:
        raise unknown_name("score", score, _SCORES)
    xb, outputs, single = _as_batch(model, x)
    out = outputs[-1]
    _check_class_outputs(out, "saliency")
    targets = check_targets(target, len(xb), out.shape[1])
    last = model.layers[-1]
    from_logits = score == "logit" and getattr(last, "last_z", None) is not None and hasattr(last, "backward_from_z")
    # Start backprop from d(score)/d(output): 1 at the target's entry, 0 elsewhere (for one sigmoid output,
    # -1 for class 0, whose score is -z or 1 - p).
    start = np.zeros_like(last.last_z if from_logits else out)
    if out.shape[1] == 1:
        start[:, 0] = np.where(targets == 1, 1.0, -1.0)
    else:
        start[np.arange(len(xb)), targets] = 1.0
    grad = last.backward_from_z(start) if from_logits else last.backward(start)
    for layer in reversed(model.layers[:-1]):
        grad = layer.backward(grad)
    return grad[0] if single else grad


def occlusion(model: Any, x: Any, target: Any, patch: int | tuple[int, int] = 2, baseline: Any = 0.0) -> np.ndarray:
    """How much the target's probability drops when each patch of the input is covered with ``baseline``.

    The input is cut into non-overlapping patches (the last ones may be smaller): patch x patch pixels of an
    image, covering every channel at once, or ``patch`` neighbouring values of a vector. Each value of the
    result is the drop for the patch it belongs to: positive where covering hurt the prediction, near 0 where
    the model did not care. "Probability" is the model's output for the target (use a softmax or sigmoid last
    layer); for one sigmoid output, p for class 1 and 1 - p for class 0.

    Shapes: x one sample or a batch: vectors (n,) / (batch, n), images (h, w) / (batch, h, w), or
    (channels, h, w) / (batch, channels, h, w); target an int or (batch,) ints; baseline a number or an array
    of one sample's shape -> same shape as x.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(4, 1, "sigmoid")])
        >>> model.layers[0].weights[:] = [[2.0], [2.0], [0.0], [0.0]]    # only the first two inputs count
        >>> occlusion(model, np.ones(4), target=1, patch=2).round(3)    # sigmoid(4) - sigmoid(0) = 0.482
        array([0.482, 0.482, 0.   , 0.   ])
    """
    xb, outputs, single = _as_batch(model, x)
    out = outputs[-1]
    _check_class_outputs(out, "occlusion")
    targets = check_targets(target, len(xb), out.shape[1])
    sample_shape = xb.shape[1:]
    windows = _patch_windows(sample_shape, patch)
    baseline = _check_baseline(baseline, sample_shape)
    probability = _target_output(out, targets)
    drops = np.zeros(xb.shape)
    for window in windows:
        covered = xb.copy()
        covered[window] = baseline[window]
        covered_probability = _target_output(_forward_all(model, covered)[-1], targets)
        drop = probability - covered_probability
        drops[window] = drop.reshape((-1,) + (1,) * len(sample_shape))
    return drops[0] if single else drops


def unit_response(model: Any, x: Any, layer: Any, unit: Any, reduce: str | None = "mean") -> np.ndarray:
    """How strongly one unit of one layer responds to each input: the layer's output (after its activation).

    ``layer`` is an index into ``model.layers`` (0 is the first layer, -1 the last; error messages count from
    1, as in "Dense layer 1") or the layer object. ``unit`` is a neuron of a Dense layer, a channel (feature
    map) of an image layer, or a feature of a sequence layer; a tuple picks one exact value of a sample's
    output, such as (channel, row, column). Where a unit has several values per sample (a feature map, a
    sequence), ``reduce`` sums them up as their "mean" or "max"; None returns them all.

    Shapes: x (batch, ...) -> (batch,) (or (batch, h, w) / (batch, time) with reduce=None); one sample -> a
    0-d array.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 3, "relu"), nl.Dense(3, 1)])
        >>> model.layers[0].weights[:] = [[1.0, 0.0, -1.0], [1.0, 2.0, 0.0]]
        >>> unit_response(model, np.array([[1.0, 1.0], [2.0, -1.0]]), layer=0, unit=1)   # relu(2 * x_1)
        array([2., 0.])
    """
    if reduce is not None and reduce not in _REDUCTIONS:
        raise unknown_name("reduce", reduce, _REDUCTIONS)
    position = check_layer_index(model.layers, layer)
    _, outputs, single = _as_batch(model, x)
    response = outputs[position]
    sample_shape = response.shape[1:]
    index = check_unit(unit, sample_shape, model.layers[position].describe())
    if len(index) == len(sample_shape):
        values = response[(slice(None),) + index]
    elif len(sample_shape) == 3:
        values = response[:, index[0]]  # one channel: its whole feature map
    else:
        values = response[..., index[0]]  # one feature, at every step of a sequence
    if values.ndim > 1 and reduce is not None:
        axes = tuple(range(1, values.ndim))
        values = values.mean(axis=axes) if reduce == "mean" else values.max(axis=axes)
    return values[0] if single else values


def top_activating(model: Any, x: Any, layer: Any, unit: Any, k: int = 9, reduce: str = "mean") -> np.ndarray:
    """The indices of the k samples of x that excite one unit most, strongest first (see ``unit_response``).

    Shapes: x (batch, ...) -> (min(k, batch),) int.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(1, 1, "relu")])
        >>> model.layers[0].weights[:] = 1.0
        >>> top_activating(model, np.array([[0.5], [3.0], [-2.0], [1.0]]), layer=0, unit=0, k=2)
        array([1, 3])
    """
    k = check_positive_int(k, "k")
    if reduce not in _REDUCTIONS:
        raise unknown_name("reduce", reduce, _REDUCTIONS)
    responses = np.asarray(unit_response(model, x, layer, unit, reduce=reduce))
    if responses.ndim != 1:
        raise ValueError(f"top_activating needs a batch of samples, but x looks like one sample ({describe(x)}).")
    return np.argsort(-responses, kind="stable")[:k]


def occlusion_estimate(model: Any, x: Any, target: Any, patch: int | tuple[int, int] = 2,
                       baseline: Any = 0.0) -> np.ndarray:
    """What the saliency map predicts ``occlusion`` will measure: for each patch, the gradient of the target's
    probability times the change that covering the patch makes, summed over the patch.

    Covering a patch moves its values from x to ``baseline``; to first order (a straight-line guess along the
    gradient) the probability then drops by sum(gradient * (x - baseline)) over the patch. Where the model is
    close to linear the estimate matches the measured drop; where it is not, they differ, so comparing the two
    (``map_agreement``) checks the saliency map against an experiment.

    Shapes: as ``occlusion``: x one sample or a batch -> same shape as x.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(4, 1, "sigmoid")])
        >>> model.layers[0].weights[:] = [[2.0], [2.0], [0.0], [0.0]]
        >>> # p = sigmoid(4) = 0.982, dp/dx = p (1 - p) * weights = (0.035, 0.035, 0, 0); covering the first patch
        >>> # moves x1 and x2 by -1: estimated drop 0.035 + 0.035 = 0.071 (occlusion measures 0.482: far from linear)
        >>> occlusion_estimate(model, np.ones(4), target=1, patch=2).round(3)
        array([0.071, 0.071, 0.   , 0.   ])
    """
    xb, outputs, single = _as_batch(model, x)
    _check_class_outputs(outputs[-1], "occlusion_estimate")
    sample_shape = xb.shape[1:]
    windows = _patch_windows(sample_shape, patch)
    baseline = _check_baseline(baseline, sample_shape)
    contributions = saliency(model, xb, target, score="probability") * (xb - baseline)
    estimate = np.zeros(xb.shape)
    for window in windows:
        total = contributions[(slice(None),) + window[1:]].reshape(len(xb), -1).sum(axis=1)
        estimate[(slice(None),) + window[1:]] = total.reshape((-1,) + (1,) * len(sample_shape))
    return estimate[0] if single else estimate


@dataclass
class Agreement:
    """How far two importance maps of one input agree.

    ``rank_correlation``: Spearman's correlation of the two maps' values (1: same order, 0: unrelated, -1:
    reversed). ``top_k_overlap``: the fraction of the k highest values of one map that are also among the k
    highest of the other; ``chance``: the overlap two unrelated maps would have on average, k / n_values.

    Shapes: none (a small record).

    Example:
        >>> Agreement(rank_correlation=0.8, top_k_overlap=0.75, k=8, chance=0.125)
        Agreement(rank correlation 0.80, top-8 overlap 6/8 (chance: 1.0/8))
    """

    rank_correlation: float
    top_k_overlap: float
    k: int
    chance: float

    def __repr__(self) -> str:
        shared = self.top_k_overlap * self.k
        return (f"Agreement(rank correlation {self.rank_correlation:.2f}, top-{self.k} overlap "
                f"{shared:.0f}/{self.k} (chance: {self.chance * self.k:.1f}/{self.k}))")


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 0..n-1 of the values, tied values sharing the mean of their ranks."""
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values), dtype=float)
    for value in np.unique(values):
        tied = values == value
        if tied.sum() > 1:
            ranks[tied] = ranks[tied].mean()
    return ranks


def map_agreement(first: Any, second: Any, k: int = 8) -> Agreement:
    """Compare two importance maps of the same input (e.g. ``occlusion_estimate`` and ``occlusion``).

    Both maps are read as "higher = more important". The rank correlation asks whether they put all values in
    the same order; the top-k overlap asks whether they pick the same k most important values, which is what a
    picture of a map shows. If either map is constant there is no order to agree on and the correlation is 0.

    Shapes: first and second of the same shape (any) -> Agreement.

    Example:
        >>> import numpy as np
        >>> map_agreement(np.array([0.9, 0.5, 0.1, 0.0]), np.array([0.7, 0.6, 0.0, 0.2]), k=2)
        Agreement(rank correlation 0.80, top-2 overlap 2/2 (chance: 1.0/2))
    """
    first = as_float_array(first, "first").ravel()
    second = as_float_array(second, "second").ravel()
    if first.shape != second.shape:
        raise ValueError(
            f"map_agreement compares two maps of the same input, so they need the same number of values, but got "
            f"{first.size} and {second.size}."
        )
    k = check_positive_int(k, "k")
    if k > first.size:
        raise ValueError(f"k must be at most the number of values in a map ({first.size}), but got {k}.")
    rank_first, rank_second = _ranks(first), _ranks(second)
    if np.ptp(rank_first) == 0 or np.ptp(rank_second) == 0:
        correlation = 0.0
    else:
        correlation = float(np.corrcoef(rank_first, rank_second)[0, 1])
    top_first = set(np.argsort(-first, kind="stable")[:k].tolist())
    top_second = set(np.argsort(-second, kind="stable")[:k].tolist())
    return Agreement(rank_correlation=correlation, top_k_overlap=len(top_first & top_second) / k, k=k,
                     chance=k / first.size)


@dataclass
class Arithmetic:
    """A network's computation for one input as lines of arithmetic (``lines``) and the outputs they give.

    ``outputs`` are computed by the written-out sums themselves (plain Python multiplication and addition, one
    term at a time), not by the layers' code, so comparing them with ``model.predict`` checks the writing.
    Printed numbers are rounded; the sums use the full numbers.

    Shapes: outputs (n_outputs,).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 1)])
        >>> model.layers[0].weights[:] = [[2.0], [3.0]]; model.layers[0].bias[:] = 1.0
        >>> arithmetic = as_arithmetic(model, np.array([1.0, 0.5]))
        >>> arithmetic.outputs, arithmetic.n_multiplications          # 2*1 + 3*0.5 + 1 = 4.5
        (array([4.5]), 2)
        >>> print(arithmetic.lines[-1])
          out1 = 2.00*x1 + 3.00*x2 + 1.00 = 4.50
        >>> bool(np.allclose(arithmetic.outputs, model.predict(np.array([[1.0, 0.5]]))[0]))
        True
    """

    lines: list[str]
    outputs: np.ndarray
    n_multiplications: int

    def __str__(self) -> str:
        return "\n".join(self.lines)

    def __repr__(self) -> str:
        return str(self)


def _num(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if float(text) == 0.0:
        text = text.lstrip("-")
    return f"({text})" if text.startswith("-") else text


def as_arithmetic(model: Any, x: Any, *, decimals: int = 2, max_multiplications: int = 200) -> Arithmetic:
    """Write a small Dense network's computation for one input as plain arithmetic, with its real numbers.

    One line per unit: ``h1.2 = tanh(0.50*x1 + (-1.20)*x2 + 0.10) = tanh(0.61) = 0.54`` (hidden layer 1,
    unit 2); output units are ``out1``, ``out2``... Supports Dense, Flatten and Dropout (off, as in
    ``predict``). A network needing more than ``max_multiplications`` is refused: its lines would be too many
    to read.

    Shapes: x one sample (n_inputs,) (or an image, if the model starts with Flatten) -> Arithmetic with
    outputs (n_outputs,).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 1, "relu")])
        >>> model.layers[0].weights[:] = [[0.5], [-1.0]]; model.layers[0].bias[:] = 0.25
        >>> print(as_arithmetic(model, np.array([2.0, 1.0])))
        inputs: x1 = 2.00, x2 = 1.00
        Dense layer 1 (2 -> 1), relu:
          out1 = relu(0.50*x1 + (-1.00)*x2 + 0.25) = relu(0.25) = 0.25
    """
    from . import activations
    from .layers import Dense, Dropout, Flatten

    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)) or decimals < 0:
        raise ValueError(f"decimals must be a whole number, 0 or more, but got {describe(decimals)}.")
    dense = [layer for layer in model.layers if isinstance(layer, Dense)]
    for layer in model.layers:
        if not isinstance(layer, (Dense, Dropout, Flatten)):
            raise ValueError(
                f"as_arithmetic writes out Dense networks (with Flatten and Dropout), but this model has "
                f"{layer.describe()}."
            )
    if not dense:
        raise ValueError("as_arithmetic needs a model with at least one Dense layer.")
    n_multiplications = sum(layer.n_inputs * layer.n_outputs for layer in dense)
    if n_multiplications > max_multiplications:
        raise ValueError(
            f"This network needs {n_multiplications:,} multiplications for one input: too many lines to read "
            f"(the limit is max_multiplications={max_multiplications}). Write out a smaller network, such as "
            "Dense(2, 3) then Dense(3, 1), or raise the limit."
        )
    values = [float(v) for v in as_float_array(x, "x").ravel()]
    if len(values) != dense[0].n_inputs:
        raise ValueError(
            f"as_arithmetic writes out one input, so x must hold {dense[0].n_inputs} numbers for "
            f"{dense[0].describe()}, but got {describe(x)}."
        )
    names = [f"x{i + 1}" for i in range(len(values))]
    lines = ["inputs: " + ", ".join(f"{name} = {value:.{decimals}f}" for name, value in zip(names, values))]
    for number, layer in enumerate(dense, start=1):
        last = number == len(dense)
        activation = activations.get(layer.activation.name)
        lines.append(f"{layer.describe()}, {activation.name}:")
        weights, bias = np.asarray(layer.weights, dtype=float), np.asarray(layer.bias, dtype=float)
        sums, terms_of = [], []
        for j in range(layer.n_outputs):
            total = 0.0
            for i, value in enumerate(values):  # one multiplication and one addition at a time, on purpose
                total += float(weights[i, j]) * value
            total += float(bias[j])
            sums.append(total)
            terms = " + ".join(f"{_num(weights[i, j], decimals)}*{names[i]}" for i in range(len(values)))
            terms_of.append(f"{terms} + {_num(bias[j], decimals)}")
        unit_names = [f"out{j + 1}" if last else f"h{number}.{j + 1}" for j in range(layer.n_outputs)]
        outputs = [float(v) for v in np.asarray(activation(np.array([sums])))[0]]
        for j, name in enumerate(unit_names):
            z = f"{sums[j]:.{decimals}f}"
            if activation.name == "identity":
                lines.append(f"  {name} = {terms_of[j]} = {z}")
            elif activation.name == "softmax":
                lines.append(f"  z{j + 1} = {terms_of[j]} = {z}")
            else:
                lines.append(f"  {name} = {activation.name}({terms_of[j]}) = {activation.name}({z}) = "
                             f"{outputs[j]:.{decimals}f}")
        if activation.name == "softmax":
            zs = ", ".join(f"z{j + 1}" for j in range(layer.n_outputs))
            shown = ", ".join(f"{value:.{decimals}f}" for value in outputs)
            lines.append(f"  ({', '.join(unit_names)}) = softmax({zs}) = ({shown})")
        values, names = outputs, unit_names
    return Arithmetic(lines=lines, outputs=np.array(values), n_multiplications=n_multiplications)

"""Looking inside a trained network: which inputs a prediction depends on, and what a unit responds to.

* ``saliency``: the gradient of the target class's score with respect to the input. Backprop already computes
  it: send a 1 back from the target's score instead of the loss gradient and read what arrives at the input.
* ``occlusion``: cover one patch of the input at a time and measure how much the target's probability drops.
  No gradients, just repeated predictions, so it is a check of the saliency map by a different route.
* ``unit_response`` and ``top_activating``: how strongly one unit (a neuron, or a channel of a convolution)
  responds to each input, and the inputs that excite it most.

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

__all__ = ["occlusion", "saliency", "top_activating", "unit_response"]

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
    if len(sample_shape) == 1:
        sizes = (check_positive_int(patch, "patch"),)
    elif len(sample_shape) in (2, 3):
        sizes = check_int_pair(patch, "patch")
    else:
        raise ValueError(
            f"occlusion covers patches of vectors (n,), images (h, w) or (channels, h, w), but one sample here "
            f"has shape {sample_shape}."
        )
    baseline = as_float_array(baseline, "baseline")
    try:
        baseline = np.broadcast_to(baseline, sample_shape)
    except ValueError:
        raise ValueError(
            f"baseline must be one number or an array of one sample's shape {sample_shape}, but got "
            f"{describe(baseline)}."
        ) from None
    # The patched axes are the last one (vectors) or the last two (images); any channel axis is covered whole.
    spatial = sample_shape[-len(sizes):]
    starts = np.meshgrid(*[np.arange(0, n, step) for n, step in zip(spatial, sizes)], indexing="ij")
    probability = _target_output(out, targets)
    drops = np.zeros(xb.shape)
    for corner in zip(*(s.ravel() for s in starts)):
        window = (...,) + tuple(slice(c, c + step) for c, step in zip(corner, sizes))
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

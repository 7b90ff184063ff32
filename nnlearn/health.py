"""Training health: per layer, is the signal alive on the way forward and on the way back?

``training_health(model, x)`` runs one forward and one backward pass and measures, for every layer:

- the mean and spread (standard deviation) of its outputs (activations): a spread shrinking layer after layer
  means the signal is vanishing, one growing means it is exploding; a tanh output with spread near 1 is
  saturated (stuck at -1 or 1, where its slope is 0);
- the mean and spread of the gradient of the loss with respect to those outputs: the same story backwards;
- the share of dead ReLU units: units (output positions) that are 0 for every sample in the batch, so no
  gradient reaches their weights;
- the update-to-weight ratio: how large one step would be next to the weights, ``learning_rate * |grad| /
  |weights|`` (norms over the whole array). Around 1e-3 is a common healthy value; far below, the layer barely
  learns; near 1, each step rewrites it.

Gradients need a loss. Given ``y`` (and ``loss``, default mean squared error), the backward pass starts from that
loss. Without ``y`` it starts from random noise of the output's shape (standard normal, divided by the batch
size, seeded by ``seed``): the gradients then show how the network itself shrinks or amplifies a signal sent
backwards, which is what vanishing and exploding gradients are about, even before there is data to fit.

Example:
    >>> import numpy as np, nnlearn as nl
    >>> model = nl.Sequential([nl.Dense(4, 8, "relu"), nl.Dense(8, 1)], seed=0)
    >>> report = training_health(model, np.random.default_rng(0).normal(size=(32, 4)))
    >>> [row.layer for row in report.layers]
    ['Dense layer 1 (4 -> 8)', 'Dense layer 2 (8 -> 1)']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import losses as losses_module
from .validation import as_float_array, check_learning_rate, check_same_length

__all__ = ["LayerHealth", "TrainingHealth", "deep_net", "training_health"]

_RELU_LIKE = ("relu",)


@dataclass
class LayerHealth:
    """One layer's numbers in a ``training_health`` report (NaN where a number does not apply).

    ``dead_share`` is NaN for layers without a ReLU; ``update_ratio`` is NaN for layers without weights.

    Shapes: none (floats).

    Example:
        >>> row = LayerHealth("Dense layer 1 (2 -> 3)", "relu", 0.5, 1.0, 0.0, 0.01, 0.25, 1e-3)
        >>> row.dead_share
        0.25
    """

    layer: str
    activation: str
    activation_mean: float
    activation_std: float
    gradient_mean: float
    gradient_std: float
    dead_share: float
    update_ratio: float


class TrainingHealth:
    """A ``training_health`` report: one ``LayerHealth`` per layer, shown as a table.

    ``report[i]`` (or iterating) gives layer i's ``LayerHealth``; ``column(name)`` gives one number per layer as
    an array (what the health plots draw); ``activations`` holds each layer's outputs from the measuring pass;
    ``loss`` is the loss of that pass (None without ``y``).

    Shapes: column(name) -> (n_layers,); activations[i] (batch, ...) for layer i.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(3, 3, "tanh"), nl.Dense(3, 1)], seed=0)
        >>> report = training_health(model, np.ones((4, 3)))
        >>> report.column("activation_std").shape
        (2,)
    """

    def __init__(self, layers: list[LayerHealth], activations: list[np.ndarray], loss: float | None):
        self.layers = layers
        self.activations = activations
        self.loss = loss

    def column(self, name: str) -> np.ndarray:
        """One number per layer, e.g. ``column("gradient_std")``."""
        if name not in LayerHealth.__dataclass_fields__ or name in ("layer", "activation"):
            from .validation import unknown_name

            numeric = [k for k in LayerHealth.__dataclass_fields__ if k not in ("layer", "activation")]
            raise unknown_name("health column", name, numeric)
        return np.array([getattr(row, name) for row in self.layers], dtype=float)

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index: int) -> LayerHealth:
        return self.layers[index]

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self) -> str:
        header = ("layer", "act. mean", "act. std", "grad mean", "grad std", "dead ReLU", "update/weight")
        rows = [header]
        for row in self.layers:
            rows.append((
                row.layer, f"{row.activation_mean:.3g}", f"{row.activation_std:.3g}", f"{row.gradient_mean:.2e}",
                f"{row.gradient_std:.2e}", "-" if math.isnan(row.dead_share) else f"{row.dead_share:.0%}",
                "-" if math.isnan(row.update_ratio) else f"{row.update_ratio:.2e}",
            ))
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
                 for r in rows]
        lines.insert(1, "-" * len(lines[0]))
        if self.loss is not None:
            lines.append(f"loss {self.loss:.4g}")
        return "\n".join(lines)


def deep_net(n_inputs: int, n_outputs: int = 1, *, depth: int = 10, width: int = 32, activation: str = "relu",
             init: str = "auto", norm: str | None = None, output_activation: str = "sigmoid",
             seed: int | None = 0) -> Any:
    """A deep plain stack for experiments on trainability: ``depth`` Dense layers, the first ``depth - 1`` of
    ``width`` units with ``activation`` and ``init``, each followed by a ``norm`` layer ('batch' for BatchNorm,
    'layer' for LayerNorm, None for none), and a last Dense(width, n_outputs, output_activation) with Glorot init.

    The norm layer comes after the activation (Dense applies its activation itself), so it hands the next
    layer inputs of mean 0 and spread 1 whatever the weights did to them.

    Shapes: x (batch, n_inputs) -> (batch, n_outputs).

    Example:
        >>> model = deep_net(2, depth=4, width=8, activation="tanh", init="normal(0.01)", norm="batch")
        >>> [type(layer).__name__ for layer in model.layers]
        ['Dense', 'BatchNorm', 'Dense', 'BatchNorm', 'Dense', 'BatchNorm', 'Dense']
    """
    from .layers import Dense
    from .network import Sequential
    from .normalization import BatchNorm, LayerNorm
    from .validation import check_positive_int, unknown_name

    depth = check_positive_int(depth, "depth")
    width = check_positive_int(width, "width")
    norms = {None: None, "batch": BatchNorm, "layer": LayerNorm}
    if norm not in norms:
        raise unknown_name("norm", norm, ["batch", "layer"])
    layers = []
    n_in = check_positive_int(n_inputs, "n_inputs")
    for _ in range(depth - 1):
        layers.append(Dense(n_in, width, activation, init=init))
        if norms[norm] is not None:
            layers.append(norms[norm](width))
        n_in = width
    layers.append(Dense(n_in, n_outputs, output_activation, init="glorot"))
    return Sequential(layers, seed=seed)


def _activation_name(layer: Any) -> str:
    activation = getattr(layer, "activation", None)
    return getattr(activation, "name", "") if activation is not None else ""


def training_health(model: Any, x: Any, y: Any = None, *, loss: str | losses_module.Loss = "mse",
                    learning_rate: float = 0.01, seed: int | None = 0) -> TrainingHealth:
    """Per layer: mean and spread of activations and of gradients, share of dead ReLUs, update-to-weight ratio.

    One forward pass in training mode (dropout and batch statistics as in training) and one backward pass; the
    model's weights are not changed (BatchNorm's running averages do take one step, as in any training pass).
    With ``y`` the backward pass starts from ``loss``; without it from seeded random noise (see the module
    docstring). ``learning_rate`` sizes the hypothetical plain step in ``update_ratio``.

    Shapes: x (batch, n_inputs) (or images), y optional as for ``fit`` -> a TrainingHealth with one row per layer.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> x = np.random.default_rng(0).normal(size=(64, 16))
        >>> tiny = nl.Sequential([nl.Dense(16, 16, "tanh", init="normal(0.01)") for _ in range(4)], seed=0)
        >>> report = training_health(tiny, x)
        >>> bool(report.layers[-1].activation_std < 1e-4)      # too-small weights: the signal fades away
        True
    """
    x = as_float_array(x, "x")
    learning_rate = check_learning_rate(learning_rate, "learning_rate")
    layers = list(model.layers)
    model._set_training(True)
    outputs = []
    signal = x
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in layers:
            signal = layer.forward(signal)
            outputs.append(signal)
        value = None
        if y is not None:
            loss = losses_module.get(loss)
            targets = model._prepare_targets(y, loss)
            check_same_length(x, targets)
            if model._fused_loss(loss):
                value, grad_z = loss.from_logits(layers[-1].last_z, targets)
                # The gradient at the softmax/sigmoid output is ill-defined when saturated; send grad_z through
                # the last layer's z directly and record it as that layer's output gradient.
                grad = grad_z
                output_grads = [None] * len(layers)
                output_grads[-1] = grad
                grad = layers[-1].backward_from_z(grad)
                start = len(layers) - 2
            else:
                value = float(loss(signal, targets))
                grad = loss.gradient(signal, targets)
                output_grads = [None] * len(layers)
                start = len(layers) - 1
        else:
            rng = np.random.default_rng(seed)
            grad = rng.standard_normal(signal.shape) / len(x)
            output_grads = [None] * len(layers)
            start = len(layers) - 1
        for index in range(start, -1, -1):
            output_grads[index] = grad
            grad = layers[index].backward(grad)
    model._set_training(False)

    rows = []
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged network is reported, not warned about
        for layer, out, grad in zip(layers, outputs, output_grads):
            rows.append(_layer_row(layer, out, grad, learning_rate))
    return TrainingHealth(rows, outputs, value)


def _layer_row(layer: Any, out: np.ndarray, grad: np.ndarray, learning_rate: float) -> LayerHealth:
    """One layer's numbers (see ``training_health``)."""
    name = _activation_name(layer)
    dead = math.nan
    if name in _RELU_LIKE:
        flat = out.reshape(len(out), -1)
        dead = float(np.mean(np.all(flat <= 0.0, axis=0)))
    ratio = math.nan
    params = layer.parameters()
    if "weights" in params:
        weight_grad = getattr(layer, "grad_weights", None)
        norm = float(np.linalg.norm(params["weights"]))
        if weight_grad is not None and norm > 0:
            ratio = learning_rate * float(np.linalg.norm(weight_grad)) / norm
    return LayerHealth(
        layer=layer.describe(), activation=name, activation_mean=float(np.mean(out)),
        activation_std=float(np.std(out)), gradient_mean=float(np.mean(grad)), gradient_std=float(np.std(grad)),
        dead_share=dead, update_ratio=ratio,
    )

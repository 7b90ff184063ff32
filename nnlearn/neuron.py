"""One artificial neuron, written out: a weighted sum of the inputs plus a bias, then an activation."""

from __future__ import annotations

import numpy as np

from . import activations
from .validation import as_float_array

__all__ = ["Neuron"]


class Neuron:
    """A single unit: output = activation(x . weights + bias).

    Shapes: x (n_inputs,) -> a float; x (batch, n_inputs) -> (batch,).

    Example:
        >>> n = Neuron(weights=[2.0, -1.0], bias=0.5, activation="relu")
        >>> n.weighted_sum([1.0, 3.0])    # 2*1 + (-1)*3 + 0.5
        -0.5
        >>> n([1.0, 3.0])                 # relu(-0.5)
        0.0
    """

    def __init__(self, weights, bias: float = 0.0, activation: str | activations.Activation = "identity"):
        weights = as_float_array(weights, "weights")
        if weights.ndim != 1:
            raise ValueError(f"Neuron weights must be one number per input, shape (n_inputs,), but got {weights.shape}.")
        self.weights = weights
        self.bias = float(as_float_array(bias, "bias"))
        self.activation = activations.get(activation)

    @property
    def n_inputs(self) -> int:
        """How many inputs (and weights) the neuron has."""
        return self.weights.shape[0]

    def weighted_sum(self, x) -> float | np.ndarray:
        """z = x . weights + bias, before the activation."""
        x = as_float_array(x, "x")
        if x.shape[-1:] != (self.n_inputs,) or x.ndim > 2:
            raise ValueError(
                f"This neuron has {self.n_inputs} weights, so it expects x of shape ({self.n_inputs},) or "
                f"(batch, {self.n_inputs}), but got {x.shape}."
            )
        z = x @ self.weights + self.bias
        return float(z) if x.ndim == 1 else z

    def __call__(self, x) -> float | np.ndarray:
        z = self.weighted_sum(x)
        out = self.activation(np.asarray(z))
        return float(out) if np.ndim(z) == 0 else out

    def __repr__(self) -> str:
        return f"Neuron(weights={self.weights.tolist()}, bias={self.bias}, activation={self.activation.name!r})"

"""Check backpropagation against finite differences, the definition of a derivative.

For every parameter p: (L(p + h) - L(p - h)) / 2h, compared with what ``backward`` computed.
"""

from __future__ import annotations

import numpy as np

from . import losses as losses_module
from .validation import as_float_array

__all__ = ["gradient_check", "numerical_gradient"]


def numerical_gradient(f, array: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar function ``f()`` with respect to every entry of ``array`` (in place).

    Shapes: array (any) -> same shape.

    Example:
        >>> import numpy as np
        >>> w = np.array([3.0])
        >>> numerical_gradient(lambda: float(w[0] ** 2), w).round(6)   # d(w^2)/dw = 2w = 6
        array([6.])
    """
    grad = np.zeros_like(array, dtype=float)
    flat, grad_flat = array.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, array):
        raise ValueError("numerical_gradient needs a contiguous array it can nudge in place")
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + h
        plus = f()
        flat[i] = original - h
        minus = f()
        flat[i] = original
        grad_flat[i] = (plus - minus) / (2.0 * h)
    return grad


def _relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    # |a - b| / (|a| + |b|), with a floor of 1e-3 under the denominator: finite differences carry round-off
    # of about 1e-10, which would otherwise look like a large *relative* error on gradients that are nearly 0.
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-3)))


def gradient_check(model, x, y, loss, h: float = 1e-6, *, return_details: bool = False):
    """Largest relative difference between backprop and central finite differences over every parameter.

    A correct backward pass gives about 1e-7 or less; a bug gives something near 1. Dropout layers keep one
    mask for the whole check so that every evaluation sees the same network.

    Shapes: x, y as for ``model.fit``; returns a float (or, with ``return_details``, a dict per parameter).

    Example:
        >>> import nnlearn as nl
        >>> x, y = nl.datasets.xor(n=20, seed=0)
        >>> model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> nl.gradient_check(model, x, y, "bce") < 1e-6
        True
    """
    loss = losses_module.get(loss)
    x = as_float_array(x, "x")
    frozen = [layer for layer in model.layers if hasattr(layer, "freeze_mask")]
    for layer in frozen:
        layer.freeze_mask = True
    try:
        model.loss_and_gradients(x, y, loss)  # fixes any dropout masks and sets every grad_*
        analytic = {
            f"layer{layer.index}.{name}": np.array(getattr(layer, "grad_" + name), dtype=float)
            for layer in model.layers
            for name in layer.parameters()
        }

        targets = model._prepare_targets(y, loss)

        def loss_value() -> float:
            out = model.forward(x, training=True)
            if model._fused_loss(loss):
                return loss.from_logits(model.layers[-1].last_z, targets)[0]
            return loss(out, targets)

        details = {}
        for key, param in model.parameters().items():
            numeric = numerical_gradient(loss_value, param, h)
            details[key] = _relative_difference(analytic[key], numeric)
    finally:
        for layer in frozen:
            layer.freeze_mask = False
    worst = max(details.values()) if details else 0.0
    return (worst, details) if return_details else worst

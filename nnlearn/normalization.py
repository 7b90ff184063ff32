"""Normalisation layers: rescale each sample's features to zero mean and unit spread, then let the network
choose its own scale (``gain``) and shift (``bias``).

Normalising keeps the numbers that flow through a deep network in a range where activations are neither
saturated nor dead and gradients neither vanish nor explode.

Example:
    >>> import numpy as np
    >>> norm = LayerNorm(4)
    >>> out = norm.forward(np.array([[1.0, 2.0, 3.0, 4.0]]))
    >>> out.mean().round(6), out.std().round(3)
    (np.float64(0.0), np.float64(1.0))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .layers import Layer, register_layer
from .validation import as_float_array, check_positive_int, check_rate

__all__ = ["BatchNorm", "LayerNorm"]


def float_input(x: Any, name: str = "x") -> np.ndarray:
    """x as a float array, keeping float32 as float32 (a float32 network stays float32 end to end); anything
    else goes through ``as_float_array`` (float64, clear errors for strings and objects)."""
    if type(x) is np.ndarray and x.dtype in (np.float32, np.float64):
        return x
    return as_float_array(x, name, allow_nan=True)


def check_dtype(dtype: Any) -> np.dtype:
    """'float64' or 'float32' (or the NumPy types) -> the np.dtype; anything else a clear error."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be 'float64' or 'float32', but got {dtype!r}.")
    return resolved


def _check_features(x: np.ndarray, n_features: int, layer: str) -> np.ndarray:
    if x.ndim < 2 or x.shape[-1] != n_features:
        raise ValueError(
            f"{layer} expects inputs of shape (batch, ..., {n_features}) with the features on the last axis, "
            f"but got shape {x.shape}. For one sample use x.reshape(1, -1)."
        )
    return x


def _check_eps(eps: Any) -> float:
    eps = check_rate(eps, "eps", low=0.0, high=1.0, include_high=True)
    if eps <= 0:
        raise ValueError(f"eps must be above 0 (it keeps the division finite), but got {eps!r}.")
    return eps


def _scale_and_shift_backward(layer: Layer, grad_output: np.ndarray, x_hat: np.ndarray) -> np.ndarray:
    """Backward through output = gain * x_hat + bias: sets grad_gain and grad_bias, returns dLoss/dx_hat."""
    grad_output = np.asarray(grad_output, dtype=x_hat.dtype)
    if grad_output.shape != x_hat.shape:
        raise ValueError(
            f"{layer.describe()}: backward expects a gradient of shape {x_hat.shape} (the output's), "
            f"but got {grad_output.shape}."
        )
    axes = tuple(range(grad_output.ndim - 1))
    layer.grad_gain = (grad_output * x_hat).sum(axis=axes)
    layer.grad_bias = grad_output.sum(axis=axes)
    return grad_output * layer.gain


def _standardisation_backward(grad_x_hat: np.ndarray, x_hat: np.ndarray, inverse_std: np.ndarray,
                              axis: int | tuple[int, ...]) -> np.ndarray:
    """Backward through x_hat = (x - mean) * inverse_std, with the mean and spread taken over ``axis``.

    x_hat depends on x directly and through the mean and the spread: the two means subtract those two paths.
    """
    return inverse_std * (
        grad_x_hat
        - grad_x_hat.mean(axis=axis, keepdims=True)
        - x_hat * (grad_x_hat * x_hat).mean(axis=axis, keepdims=True)
    )


@register_layer
class LayerNorm(Layer):
    """Layer normalisation over the last axis: each sample (and each time step) on its own.

    x_hat = (x - mean(x)) / sqrt(var(x) + eps), both over the last axis; output = gain * x_hat + bias.

    Shapes: x (batch, ..., n_features) -> the same shape; gain and bias (n_features,).

    Example:
        >>> import numpy as np
        >>> norm = LayerNorm(2)
        >>> norm.forward(np.array([[0.0, 2.0], [5.0, 5.0]])).round(3)     # a constant row has nothing to scale
        array([[-1.,  1.],
               [ 0.,  0.]])
    """

    def __init__(self, n_features: int, eps: float = 1e-5, dtype: Any = "float64"):
        self.n_features = check_positive_int(n_features, "n_features")
        self.dtype = check_dtype(dtype)  # float32 halves the memory traffic; the inputs keep their own dtype
        self.eps = _check_eps(eps)
        self.grad_gain: np.ndarray | None = None
        self.grad_bias: np.ndarray | None = None
        self._cache = None
        self.initialize(np.random.default_rng(0))

    def initialize(self, rng: np.random.Generator) -> None:
        self.gain = np.ones(self.n_features, dtype=self.dtype)  # start as a plain standardisation
        self.bias = np.zeros(self.n_features, dtype=self.dtype)

    def parameters(self) -> dict[str, np.ndarray]:
        return {"gain": self.gain, "bias": self.bias}

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = _check_features(float_input(x), self.n_features, self.describe())
        mean = x.mean(axis=-1, keepdims=True)
        centred = x - mean
        inverse_std = 1.0 / np.sqrt((centred**2).mean(axis=-1, keepdims=True) + self.eps)
        x_hat = centred * inverse_std
        self._cache = (x_hat, inverse_std)  # what backward needs, nothing more
        return x_hat * self.gain + self.bias

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        x_hat, inverse_std = self._require_cache()
        grad_x_hat = _scale_and_shift_backward(self, grad_output, x_hat)
        return _standardisation_backward(grad_x_hat, x_hat, inverse_std, axis=-1)  # statistics per sample

    def get_config(self) -> dict[str, Any]:
        config = {"n_features": self.n_features, "eps": self.eps}
        if self.dtype != np.float64:
            config["dtype"] = self.dtype.name
        return config

    def _shape_text(self) -> str:
        return f"{self.n_features} features"


@register_layer
class BatchNorm(Layer):
    """Batch normalisation: each feature standardised over the batch, then scaled by ``gain`` and shifted by ``bias``.

    In training, mean and variance come from the current batch (the variance divides by n) and running averages
    are kept: running = (1 - momentum) * running + momentum * batch value, with the batch variance made unbiased
    (divided by n - 1) for the running one, as PyTorch's BatchNorm1d does. At inference (``training`` False, as
    ``predict`` sets it) the running averages are used instead, so one sample's output no longer depends on the
    rest of its batch. The running averages are buffers: saved and loaded with the model, never trained.

    Shapes: x (batch, n_features) or (batch, ..., n_features) -> the same shape (statistics over every axis but
    the last); gain, bias, running_mean, running_var (n_features,).

    Example:
        >>> import numpy as np
        >>> norm = BatchNorm(1)
        >>> norm.forward(np.array([[1.0], [3.0]])).round(3).ravel().tolist()   # batch mean 2, spread 1
        [-1.0, 1.0]
        >>> norm.running_mean.tolist(), norm.running_var.tolist()   # 0.9 * 0 + 0.1 * 2; 0.9 * 1 + 0.1 * 2
        ([0.2], [1.1])
    """

    def __init__(self, n_features: int, momentum: float = 0.1, eps: float = 1e-5):
        self.n_features = check_positive_int(n_features, "n_features")
        self.momentum = check_rate(momentum, "momentum", include_high=True)
        self.eps = _check_eps(eps)
        self.grad_gain: np.ndarray | None = None
        self.grad_bias: np.ndarray | None = None
        self._cache = None
        self.initialize(np.random.default_rng(0))

    def initialize(self, rng: np.random.Generator) -> None:
        self.gain = np.ones(self.n_features)
        self.bias = np.zeros(self.n_features)
        self.running_mean = np.zeros(self.n_features)  # what inference uses: no batch needed
        self.running_var = np.ones(self.n_features)

    def parameters(self) -> dict[str, np.ndarray]:
        return {"gain": self.gain, "bias": self.bias}

    def buffers(self) -> dict[str, np.ndarray]:
        return {"running_mean": self.running_mean, "running_var": self.running_var}

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = _check_features(as_float_array(x, "x", allow_nan=True), self.n_features, self.describe())
        axes = tuple(range(x.ndim - 1))
        if self.training:
            count = x.size // self.n_features
            if count < 2:
                raise ValueError(
                    f"{self.describe()} in training needs at least 2 values per feature to measure a spread, but "
                    f"got shape {x.shape}. Use a batch of 2 or more, or predict() for a single sample."
                )
            mean = x.mean(axis=axes)
            centred = x - mean
            variance = (centred**2).mean(axis=axes)
            # In place: a plot or a saved model holding these arrays sees the update.
            self.running_mean *= 1.0 - self.momentum
            self.running_mean += self.momentum * mean
            self.running_var *= 1.0 - self.momentum
            self.running_var += self.momentum * variance * count / (count - 1)
        else:
            centred = x - self.running_mean
            variance = self.running_var
        inverse_std = 1.0 / np.sqrt(variance + self.eps)
        x_hat = centred * inverse_std
        self._cache = (x_hat, inverse_std, self.training)  # what backward needs, nothing more
        return x_hat * self.gain + self.bias

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        x_hat, inverse_std, training = self._require_cache()
        grad_x_hat = _scale_and_shift_backward(self, grad_output, x_hat)
        if not training:  # fixed running statistics: a plain per-feature scaling
            return grad_x_hat * inverse_std
        # In training every sample moves the batch statistics, taken over every axis but the features.
        return _standardisation_backward(grad_x_hat, x_hat, inverse_std, axis=tuple(range(x_hat.ndim - 1)))

    def get_config(self) -> dict[str, Any]:
        return {"n_features": self.n_features, "momentum": self.momentum, "eps": self.eps}

    def _shape_text(self) -> str:
        return f"{self.n_features} features"

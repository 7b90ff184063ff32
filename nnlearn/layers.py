"""Layers with explicit backprop: ``forward`` caches what ``backward`` needs, ``backward`` returns dInput.

Every layer follows one contract, so ``Sequential`` can chain any of them:

* ``forward(x)`` computes the output and keeps (in ``self._cache``) exactly what the backward pass needs;
* ``backward(grad_output)`` sets ``grad_<name>`` for each parameter (set, not accumulated: there is no
  ``zero_grad`` to forget) and returns the gradient with respect to the layer's input;
* ``parameters()`` maps names ('weights', 'bias') to the live arrays that optimizers update in place.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from . import activations
from .validation import as_float_array, check_batch, check_positive_int, check_rate, unknown_name

__all__ = ["Dense", "Dropout", "Flatten", "Layer", "register_layer"]

_LAYER_CLASSES: dict[str, type[Layer]] = {}


def register_layer(cls: type[Layer]) -> type[Layer]:
    """Class decorator: make a layer known to ``Sequential.load`` by its class name."""
    _LAYER_CLASSES[cls.__name__] = cls
    return cls


class Layer:
    """Base class for layers. Subclasses implement ``forward``, ``backward`` and, if they learn, ``parameters``.

    Shapes: x (batch, ...) -> (batch, ...), as each subclass documents.

    Example:
        >>> import numpy as np
        >>> class Double(Layer):
        ...     def forward(self, x):
        ...         return 2 * x
        ...     def backward(self, grad_output):
        ...         return 2 * grad_output      # d(2x)/dx = 2
        >>> Double().backward(np.ones(3))
        array([2., 2., 2.])
    """

    training: bool = True  # Sequential switches it off for predict(); only layers like Dropout care
    index: int | None = None  # position in a Sequential (1-based), for error messages
    # Whether backward returns the gradient for the input. Sequential's training step switches it off on the first
    # layer for the backward pass (nobody reads the gradient for the data); layers that cannot skip it ignore it.
    input_gradient: bool = True

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Compute the output for a batch, caching what ``backward`` will need."""
        raise NotImplementedError

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Given dLoss/dOutput, set ``grad_<param>`` for each parameter and return dLoss/dInput."""
        raise NotImplementedError

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def parameters(self) -> dict[str, np.ndarray]:
        """Name -> the live parameter array. Empty for layers that learn nothing."""
        return {}

    def buffers(self) -> dict[str, np.ndarray]:
        """Name -> live arrays the layer keeps but does not learn (e.g. BatchNorm's running averages).

        ``Sequential.save``/``load`` write and read them next to the parameters; optimizers never touch them.
        """
        return {}

    def gradients(self) -> dict[str, np.ndarray | None]:
        """Name -> the gradient of the last backward pass (None before the first)."""
        return {name: getattr(self, "grad_" + name, None) for name in self.parameters()}

    def initialize(self, rng: np.random.Generator) -> None:
        """(Re)draw the parameters from ``rng``. Layers without parameters do nothing."""

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, JSON-serialisable, so ``save``/``load`` can rebuild the layer."""
        return {}

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Per-sample output shape for a per-sample input shape (no batch axis)."""
        return input_shape

    @property
    def n_params(self) -> int:
        """How many numbers this layer learns."""
        return int(sum(p.size for p in self.parameters().values()))

    def describe(self) -> str:
        """How error messages name this layer, e.g. 'Dense layer 2 (8 -> 1)'."""
        where = f" layer {self.index}" if self.index is not None else " layer"
        detail = self._shape_text()
        return f"{type(self).__name__}{where}" + (f" ({detail})" if detail else "")

    def _shape_text(self) -> str:
        return ""

    def _require_cache(self) -> Any:
        cache = getattr(self, "_cache", None)
        if cache is None:
            raise RuntimeError(f"{self.describe()}: call forward() before backward().")
        return cache

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _glorot_or_he(rng: np.random.Generator, n_inputs: int, n_outputs: int,
                  activation: str | activations.Activation, shape) -> np.ndarray:
    """Initial weights whose scale keeps the signal's variance roughly constant from layer to layer."""
    if activations.get(activation).weight_init == "he":
        std = math.sqrt(2.0 / n_inputs)  # He: ReLU zeroes half the signal, so double the variance
    else:
        std = math.sqrt(2.0 / (n_inputs + n_outputs))  # Glorot: balance forward and backward variance
    return rng.normal(0.0, std, size=shape)


_INITS = ("auto", "he", "glorot", "normal(0.01)", "normal(1.0)")
_NORMAL = re.compile(r"^normal\(\s*([0-9.eE+-]+)\s*\)$")


def check_init(init: str | None) -> str:
    """Validate a weight-initialisation name: 'auto', 'he', 'glorot' or 'normal(<std>)' such as 'normal(0.01)'.

    'auto' (the default) picks He for ReLU-like activations and Glorot otherwise. An unknown name lists the
    valid ones and the closest match.

    Shapes: none (a name -> the same name, normalised).

    Example:
        >>> check_init("He"), check_init("normal( 0.5 )")
        ('he', 'normal(0.5)')
    """
    if init is None:
        return "auto"
    if not isinstance(init, str):
        raise TypeError(f"init must be a name such as 'he', 'glorot' or 'normal(0.01)', but got {init!r}.")
    key = init.strip().lower()
    if key in ("auto", "he", "glorot"):
        return key
    match = _NORMAL.match(key)
    if match:
        try:
            std = float(match.group(1))
        except ValueError:
            std = math.nan
        if not (math.isfinite(std) and std > 0):
            raise ValueError(f"init {init!r}: the standard deviation in normal(std) must be a positive number.")
        return f"normal({std!r})"
    raise unknown_name("init", init, _INITS)


def _initial_weights(rng: np.random.Generator, fan_in: int, fan_out: int,
                     activation: str | activations.Activation, shape, init: str = "auto") -> np.ndarray:
    """Draw initial weights by the named rule (see ``check_init``)."""
    if init == "auto":
        return _glorot_or_he(rng, fan_in, fan_out, activation, shape)
    if init == "he":
        std = math.sqrt(2.0 / fan_in)
    elif init == "glorot":
        std = math.sqrt(2.0 / (fan_in + fan_out))
    else:
        std = float(_NORMAL.match(init).group(1))  # a fixed spread, whatever the layer's width
    return rng.normal(0.0, std, size=shape)


@register_layer
class Dense(Layer):
    """Fully connected layer: z = x @ weights + bias, output = activation(z).

    Shapes: x (batch, n_inputs) -> (batch, n_outputs); weights (n_inputs, n_outputs); bias (n_outputs,).

    Example:
        >>> import numpy as np
        >>> layer = Dense(2, 3, activation="relu", seed=0)
        >>> layer.forward(np.ones((4, 2))).shape
        (4, 3)
        >>> float(Dense(400, 400, init="normal(0.01)", seed=0).weights.std().round(3))   # init picks the spread
        0.01
    """

    def __init__(
        self,
        n_inputs: int,
        n_outputs: int,
        activation: str | activations.Activation = "identity",
        seed: int | None = None,
        init: str = "auto",
    ):
        self.n_inputs = check_positive_int(n_inputs, "n_inputs")
        self.n_outputs = check_positive_int(n_outputs, "n_outputs")
        self.activation = activations.get(activation)
        self.init = check_init(init)  # 'auto': He for ReLU-like activations, Glorot otherwise
        self.seed = seed
        self.grad_weights: np.ndarray | None = None
        self.grad_bias: np.ndarray | None = None
        self._cache = None
        self.initialize(np.random.default_rng(seed))

    def initialize(self, rng):
        self.weights = _initial_weights(
            rng, self.n_inputs, self.n_outputs, self.activation, (self.n_inputs, self.n_outputs), self.init
        )
        self.bias = np.zeros(self.n_outputs)

    def parameters(self):
        return {"weights": self.weights, "bias": self.bias}

    def forward(self, x):
        x = as_float_array(x, "x", allow_nan=True)
        if x.ndim != 2 or x.shape[1] != self.n_inputs:  # the layer's name is only built for the message
            check_batch(x, self.n_inputs, self.describe())
        z = x @ self.weights
        z += self.bias  # in place: one pass fewer over the batch
        self._cache = (x, z)  # what backward needs, nothing more
        return self.activation(z)

    def backward(self, grad_output):
        _, z = self._require_cache()
        grad_z = self.activation.backward(z, grad_output)  # through the activation
        return self.backward_from_z(grad_z)

    def backward_from_z(self, grad_z: np.ndarray) -> np.ndarray | None:
        """The backward pass from the gradient at z (used when a loss is fused with the activation).

        With ``self.input_gradient`` False it sets the parameter gradients only and returns None (the first layer
        of a network in training: nobody needs the gradient for the data).
        """
        x, _ = self._require_cache()
        self.grad_weights = x.T @ grad_z  # dL/dW[i, j] = sum over the batch of x[:, i] * dL/dz[:, j]
        self.grad_bias = grad_z.sum(axis=0)
        return grad_z @ self.weights.T if self.input_gradient else None

    @property
    def last_z(self) -> np.ndarray | None:
        """The pre-activation z of the last forward pass."""
        return None if self._cache is None else self._cache[1]

    def get_config(self):
        config = {"n_inputs": self.n_inputs, "n_outputs": self.n_outputs, "activation": self.activation.spec()}
        if self.init != "auto":  # only when chosen, so older save files and reprs stay as they were
            config["init"] = self.init
        return config

    def output_shape(self, input_shape):
        return (self.n_outputs,)

    def _shape_text(self):
        return f"{self.n_inputs} -> {self.n_outputs}"


@register_layer
class Flatten(Layer):
    """Turn each sample into one row, e.g. images (batch, channels, h, w) into (batch, channels*h*w).

    Shapes: x (batch, d1, d2, ...) -> (batch, d1*d2*...).

    Example:
        >>> import numpy as np
        >>> Flatten().forward(np.zeros((5, 2, 3, 3))).shape
        (5, 18)
    """

    def __init__(self):
        self._cache = None

    def forward(self, x):
        x = as_float_array(x, "x", allow_nan=True)
        if x.ndim < 2:
            raise ValueError(f"{self.describe()} expects a batch (batch, ...) but got shape {x.shape}.")
        self._cache = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad_output):
        return grad_output.reshape(self._require_cache())

    def output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)


@register_layer
class Dropout(Layer):
    """While training, zero each value with probability ``rate`` and scale the rest by 1/(1 - rate).

    At predict time it is the identity, so the expected output is the same in both modes (inverted dropout).

    Shapes: x (batch, ...) -> same shape.

    Example:
        >>> import numpy as np
        >>> layer = Dropout(0.5, seed=0)
        >>> out = layer.forward(np.ones((2, 4)))
        >>> sorted(set(out.ravel().tolist()))   # dropped, or kept and doubled
        [0.0, 2.0]
    """

    def __init__(self, rate: float, seed: int | None = None):
        self.rate = check_rate(rate, "Dropout rate")
        self.seed = seed
        self._rng = np.random.default_rng(seed)
        self.freeze_mask = False  # gradient_check sets this so every forward pass drops the same units
        self._mask: np.ndarray | None = None
        self._cache = None

    def initialize(self, rng):
        self._rng = np.random.default_rng(rng.integers(2**63))

    def forward(self, x):
        x = as_float_array(x, "x", allow_nan=True)
        if not self.training or self.rate == 0.0:
            self._cache = None
            self._mask = None
            return x
        if not (self.freeze_mask and self._mask is not None and self._mask.shape == x.shape):
            keep = self._rng.random(x.shape) >= self.rate
            self._mask = keep / (1.0 - self.rate)
        self._cache = self._mask
        return x * self._mask

    def backward(self, grad_output):
        if self._cache is None:  # identity in evaluation mode
            return grad_output
        return grad_output * self._cache

    def get_config(self):
        return {"rate": self.rate}

    def _shape_text(self):
        return f"rate {self.rate}"

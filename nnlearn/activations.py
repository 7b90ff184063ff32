"""Activation functions: one small object each, value and derivative side by side.

Every activation takes the pre-activation ``z`` and works elementwise, except softmax, which works row by row.
``backward(z, grad_output)`` turns the gradient at the output into the gradient at ``z`` (the chain rule); for
elementwise functions that is ``grad_output * derivative(z)``.

Example:
    >>> import numpy as np
    >>> from nnlearn import activations
    >>> relu = activations.get("relu")
    >>> relu(np.array([-1.0, 2.0])), relu.derivative(np.array([-1.0, 2.0]))
    (array([0., 2.]), array([0., 1.]))
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .validation import unknown_name

__all__ = [
    "Activation",
    "ELU",
    "GELU",
    "Identity",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Softplus",
    "Step",
    "Tanh",
    "get",
    "names",
    "register",
]


class Activation:
    """Base class. Subclasses give ``name``, ``__call__(z)`` and ``derivative(z)``.

    Everything the rest of nnlearn needs to know about an activation lives on its class, so adding one touches
    this file only (decorate it with ``@register`` to make its name known):

    - ``weight_init``: 'he' for ReLU-like functions that zero about half the signal, else 'glorot' (layers draw
      their first weights with it);
    - ``colour_range``: (centre, half-width) of a bounded output, e.g. (0.5, 0.5) for sigmoid, used to colour
      neuron pictures; None for unbounded functions (the picture then scales to the values it shows);
    - ``binary_output``: True when one output of it reads as the probability of class 1 (decision boundaries);
    - ``elementwise``: False for softmax, which mixes a whole row;
    - ``torch_module(nn)``: the equivalent PyTorch module (for ``to_torch``);
    - ``get_config()``: its parameters (the public attributes, named as the constructor's arguments), which
      layers save with the model.

    Shapes: z (...) -> same shape.

    Example:
        >>> class Square(Activation):                 # a new activation needs only its value and its slope
        ...     name = "square"
        ...     def __call__(self, z): return np.asarray(z, dtype=float) ** 2
        ...     def derivative(self, z): return 2.0 * np.asarray(z, dtype=float)
        >>> Square().backward(np.array([3.0]), np.array([0.5]))    # grad_output * derivative = 0.5 * (2 * 3)
        array([3.])
    """

    name: str = ""
    weight_init: str = "glorot"
    colour_range: tuple[float, float] | None = None
    binary_output: bool = False
    elementwise: bool = True

    def __call__(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, z: np.ndarray) -> np.ndarray:
        """d activation / dz, elementwise, at the pre-activation z."""
        raise NotImplementedError

    def backward(self, z: np.ndarray, grad_output: np.ndarray) -> np.ndarray:
        """Gradient at z given the gradient at the output: the chain rule, one link."""
        return grad_output * self.derivative(z)

    def get_config(self) -> dict[str, Any]:
        """The activation's parameters, e.g. {'slope': 0.2} for LeakyReLU(0.2): ``type(a)(**a.get_config())``
        rebuilds it. Parameters are the public attributes, stored under the constructor arguments' names."""
        return {key: value for key, value in vars(self).items() if not key.startswith("_")}

    def spec(self) -> str | dict[str, Any]:
        """What a layer's config stores: the name alone, or {'name': ..., parameters} when it has parameters.

        ``get(activation.spec())`` gives back an equal activation.
        """
        config = self.get_config()
        return {"name": self.name, **config} if config else self.name

    def torch_module(self, nn: Any) -> Any:
        """The equivalent ``torch.nn`` module (None for the identity), given ``torch.nn``; used by ``to_torch``."""
        raise ValueError(
            f"the {self.name!r} activation has no PyTorch module; give {type(self).__name__} a "
            "torch_module(nn) method that returns one."
        )

    def __repr__(self) -> str:
        args = ", ".join(f"{key}={value!r}" for key, value in self.get_config().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash(type(self))


class Identity(Activation):
    """f(z) = z. A layer with it is purely linear.

    Shapes: z (...) -> same shape.

    Example:
        >>> z = np.array([-2.0, 3.0])
        >>> Identity()(z), Identity().derivative(z)
        (array([-2.,  3.]), array([1., 1.]))
    """

    name = "identity"

    def __call__(self, z):
        return np.asarray(z, dtype=float)

    def derivative(self, z):
        return np.ones_like(z, dtype=float)

    def torch_module(self, nn):
        return None


class Step(Activation):
    """f(z) = 1 if z > 0 else 0: the original perceptron. Its slope is 0 everywhere, so gradients cannot train it.

    Shapes: z (...) -> same shape.

    Example:
        >>> z = np.array([-1.0, 0.0, 2.0])
        >>> Step()(z), Step().derivative(z)          # the slope is 0 even where the output jumps
        (array([0., 0., 1.]), array([0., 0., 0.]))
    """

    name = "step"
    colour_range = (0.5, 0.5)
    binary_output = True

    def __call__(self, z):
        return (np.asarray(z) > 0).astype(float)

    def derivative(self, z):
        return np.zeros_like(z, dtype=float)

    def torch_module(self, nn):
        raise ValueError(
            "the 'step' activation has no PyTorch module: its gradient is 0 everywhere, so PyTorch models do not "
            "use it. Use 'sigmoid' for a smooth step."
        )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # exp(-|z|) never overflows, so sigmoid(+-1000) is exactly 1 or 0 with no warning.
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class Sigmoid(Activation):
    """f(z) = 1 / (1 + exp(-z)), squashing any number into (0, 1).

    Shapes: z (...) -> same shape.

    Example:
        >>> z = np.array([0.0, 2.0])
        >>> Sigmoid()(z).round(3), Sigmoid().derivative(z).round(3)     # slope s(1 - s): 0.5 * 0.5 at z = 0
        (array([0.5  , 0.881]), array([0.25 , 0.105]))
    """

    name = "sigmoid"
    colour_range = (0.5, 0.5)
    binary_output = True

    def __call__(self, z):
        return _sigmoid(z)

    def derivative(self, z):
        s = _sigmoid(z)
        return s * (1.0 - s)

    def torch_module(self, nn):
        return nn.Sigmoid()


class Tanh(Activation):
    """f(z) = tanh(z), squashing into (-1, 1) and centred on 0.

    Shapes: z (...) -> same shape.

    Example:
        >>> z = np.array([-1.0, 0.0, 1.0])
        >>> Tanh()(z).round(3), Tanh().derivative(z).round(3)     # slope 1 - tanh^2: 1 at z = 0
        (array([-0.762,  0.   ,  0.762]), array([0.42, 1.  , 0.42]))
    """

    name = "tanh"
    colour_range = (0.0, 1.0)

    def __call__(self, z):
        return np.tanh(z)

    def derivative(self, z):
        return 1.0 - np.tanh(z) ** 2

    def torch_module(self, nn):
        return nn.Tanh()


class ReLU(Activation):
    """f(z) = max(0, z). Slope 1 for z > 0 and 0 otherwise (we take 0 at z = 0, as PyTorch does).

    Shapes: z (...) -> same shape.

    Example:
        >>> z = np.array([-1.0, 0.0, 2.0])
        >>> ReLU()(z), ReLU().derivative(z)
        (array([0., 0., 2.]), array([0., 0., 1.]))
    """

    name = "relu"
    weight_init = "he"

    def __call__(self, z):
        return np.maximum(z, 0.0)

    def derivative(self, z):
        return (np.asarray(z) > 0).astype(float)

    def torch_module(self, nn):
        return nn.ReLU()


class LeakyReLU(Activation):
    """f(z) = z for z > 0, slope * z otherwise, so negative inputs still pass a little gradient.

    Shapes: z (...) -> same shape.

    Example:
        >>> z = np.array([-2.0, 3.0])
        >>> LeakyReLU(slope=0.1)(z), LeakyReLU(slope=0.1).derivative(z)     # 0.1 * (-2) = -0.2
        (array([-0.2,  3. ]), array([0.1, 1. ]))
    """

    name = "leaky_relu"
    weight_init = "he"

    def __init__(self, slope: float = 0.01):
        self.slope = float(slope)

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        return np.where(z > 0, z, self.slope * z)

    def derivative(self, z):
        return np.where(np.asarray(z) > 0, 1.0, self.slope)

    def torch_module(self, nn):
        return nn.LeakyReLU(self.slope)


class ELU(Activation):
    """f(z) = z for z > 0, alpha * (exp(z) - 1) otherwise: smooth, and negative outputs down to -alpha.

    Shapes: z (...) -> same shape.

    Example:
        >>> z = np.array([-1.0, 2.0])
        >>> ELU()(z).round(3), ELU().derivative(z).round(3)      # exp(-1) - 1 = -0.632; slope exp(-1) = 0.368
        (array([-0.632,  2.   ]), array([0.368, 1.   ]))
    """

    name = "elu"
    weight_init = "he"

    def __init__(self, alpha: float = 1.0):
        self.alpha = float(alpha)

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        # expm1 of min(z, 0) never overflows for large positive z.
        return np.where(z > 0, z, self.alpha * np.expm1(np.minimum(z, 0.0)))

    def derivative(self, z):
        z = np.asarray(z, dtype=float)
        return np.where(z > 0, 1.0, self.alpha * np.exp(np.minimum(z, 0.0)))

    def torch_module(self, nn):
        return nn.ELU(self.alpha)


class Softplus(Activation):
    """f(z) = log(1 + exp(z)): a smooth ReLU. Its slope is the sigmoid.

    Shapes: z (...) -> same shape.

    Example:
        >>> z = np.array([0.0, 20.0])
        >>> Softplus()(z).round(3), Softplus().derivative(z).round(3)    # log 2 = 0.693; far right almost z
        (array([ 0.693, 20.   ]), array([0.5, 1. ]))
    """

    name = "softplus"

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        # log(1 + e^z) = max(z, 0) + log(1 + e^-|z|): finite for z = +-1000.
        return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))

    def derivative(self, z):
        return _sigmoid(z)

    def torch_module(self, nn):
        return nn.Softplus()


_erf = np.frompyfunc(math.erf, 1, 1)


class GELU(Activation):
    """f(z) = z * Phi(z), Phi the standard normal CDF (the exact form, as PyTorch's default).

    Shapes: z (...) -> same shape.

    Example:
        >>> z = np.array([-1.0, 0.0, 1.0])
        >>> GELU()(z).round(3), GELU().derivative(z).round(3)     # 1 * Phi(1) = 0.841; -1 * Phi(-1) = -0.159
        (array([-0.159,  0.   ,  0.841]), array([-0.083,  0.5  ,  1.083]))
    """

    name = "gelu"
    weight_init = "he"

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        return z * self._cdf(z)

    def derivative(self, z):
        z = np.asarray(z, dtype=float)
        pdf = np.exp(-0.5 * z**2) / math.sqrt(2.0 * math.pi)
        return self._cdf(z) + z * pdf

    def torch_module(self, nn):
        return nn.GELU()

    @staticmethod
    def _cdf(z: np.ndarray) -> np.ndarray:
        return 0.5 * (1.0 + _erf(z / math.sqrt(2.0)).astype(float))


class Softmax(Activation):
    """Row-wise softmax: exp(z_i) / sum_j exp(z_j) over the last axis, giving probabilities that sum to 1.

    ``derivative(z)`` is only the diagonal of the Jacobian, s * (1 - s); ``backward`` uses the whole Jacobian
    (the vector-Jacobian product s * (g - sum(g * s))), which is what training needs.

    Shapes: z (batch, classes) -> same shape, each row summing to 1.

    Example:
        >>> s = Softmax()(np.array([[0.0, np.log(3.0)], [5.0, 5.0]]))     # e^0 : e^log3 = 1 : 3
        >>> s.round(3), s.sum(axis=1)
        (array([[0.25, 0.75],
               [0.5 , 0.5 ]]), array([1., 1.]))
    """

    name = "softmax"
    colour_range = (0.5, 0.5)
    elementwise = False

    def __call__(self, z):
        z = np.asarray(z, dtype=float)
        # Subtracting the row maximum changes nothing mathematically and keeps exp() from overflowing.
        shifted = z - z.max(axis=-1, keepdims=True)
        e = np.exp(shifted)
        return e / e.sum(axis=-1, keepdims=True)

    def derivative(self, z):
        s = self(z)
        return s * (1.0 - s)

    def backward(self, z, grad_output):
        s = self(z)
        return s * (grad_output - (grad_output * s).sum(axis=-1, keepdims=True))

    def torch_module(self, nn):
        return nn.Softmax(dim=-1)


_CLASSES: dict[str, type[Activation]] = {}
_ALIASES = {"linear": "identity", "none": "identity"}


def register(cls: type[Activation]) -> type[Activation]:
    """Class decorator: make an Activation subclass known by its ``name`` to ``get``, layers, ``load`` and plots.

    Shapes: none (a class -> the same class).

    Example:
        >>> @register
        ... class Square(Activation):
        ...     name = "square"
        ...     def __call__(self, z): return np.asarray(z, dtype=float) ** 2
        ...     def derivative(self, z): return 2.0 * np.asarray(z, dtype=float)
        >>> get("square")(np.array([3.0]))
        array([9.])
        >>> del _CLASSES["square"]                  # (keep this example out of the registry)
    """
    if not (isinstance(cls, type) and issubclass(cls, Activation)):
        raise TypeError(f"register expects an Activation subclass, but got {cls!r}.")
    key = cls.name
    if not isinstance(key, str) or not key or key != key.strip().lower().replace("-", "_"):
        raise ValueError(
            f"{cls.__name__} needs a lower-case name such as 'square' (class attribute name = ...), but has {key!r}."
        )
    taken = _CLASSES.get(key) or _CLASSES.get(_ALIASES.get(key, ""))
    if key in _ALIASES or (taken is not None and taken.__qualname__ != cls.__qualname__):
        raise ValueError(f"the activation name {key!r} is already taken by {(taken or Identity).__name__}.")
    _CLASSES[key] = cls
    return cls


for _cls in (Identity, Step, Sigmoid, Tanh, ReLU, LeakyReLU, ELU, Softplus, Softmax, GELU):
    register(_cls)


def names() -> list[str]:
    """Every registered activation name (aliases not included).

    Shapes: none (-> a list of names).

    Example:
        >>> names()
        ['identity', 'step', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'softplus', 'softmax', 'gelu']
    """
    return list(_CLASSES)


def get(name_or_object: str | dict[str, Any] | Activation | None) -> Activation:
    """Resolve a name ('relu', 'linear', ...), a spec {'name': ..., parameters}, an Activation object, or None
    (identity) to an Activation.

    Shapes: none (a name -> an Activation).

    Example:
        >>> get("linear")
        Identity()
        >>> get("sigmoid")(0.0)
        array(0.5)
        >>> get({"name": "leaky_relu", "slope": 0.2})       # what a saved layer stores (Activation.spec())
        LeakyReLU(slope=0.2)
    """
    if name_or_object is None:
        return Identity()
    if isinstance(name_or_object, Activation):
        return name_or_object
    if isinstance(name_or_object, type) and issubclass(name_or_object, Activation):
        return name_or_object()
    if isinstance(name_or_object, dict):
        config = dict(name_or_object)
        name = config.pop("name", None)
        if not isinstance(name, str):
            raise ValueError(f"an activation spec needs a 'name' such as {{'name': 'leaky_relu', 'slope': 0.2}}, "
                             f"but got {name_or_object!r}.")
        cls = type(get(name))
        try:
            return cls(**config)
        except TypeError as error:
            raise ValueError(f"{cls.__name__} does not take the parameters {sorted(config)} ({error}).") from None
    if not isinstance(name_or_object, str):
        raise TypeError(
            f"activation must be a name such as 'relu' or an Activation object, but got {name_or_object!r}."
        )
    key = name_or_object.strip().lower().replace("-", "_")
    key = _ALIASES.get(key, key)
    if key not in _CLASSES:
        raise unknown_name("activation", name_or_object, list(_CLASSES) + list(_ALIASES))
    return _CLASSES[key]()

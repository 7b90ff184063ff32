"""Hand-made input features for 2-D problems: x1, x2, x1^2, x2^2, x1*x2, sin x1, sin x2.

A network that only sees x1 and x2 must build curved boundaries out of its hidden neurons; giving it x1^2 and
x2^2 lets a single neuron draw a circle. The Playground's ``features`` control uses this module, and so can
your own code: ``FeatureMap(["x1", "x2", "x1*x2"])(x)`` turns raw points into the columns a model expects.

Example:
    >>> import numpy as np
    >>> transform(np.array([[1.0, 2.0]]), ["x1", "x2^2", "x1*x2"])
    array([[1., 4., 2.]])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from .validation import as_float_array, unknown_name

__all__ = ["FEATURES", "FeatureMap", "names", "transform"]

# name -> function of the raw (n, 2) inputs giving one column. The order is the Playground's.
FEATURES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "x1": lambda x: x[:, 0],
    "x2": lambda x: x[:, 1],
    "x1^2": lambda x: x[:, 0] ** 2,
    "x2^2": lambda x: x[:, 1] ** 2,
    "x1*x2": lambda x: x[:, 0] * x[:, 1],
    "sin x1": lambda x: np.sin(x[:, 0]),
    "sin x2": lambda x: np.sin(x[:, 1]),
}

# Spellings people type, squeezed (lower case, no spaces or brackets) -> the canonical name.
_SPELLINGS = {name.replace(" ", ""): name for name in FEATURES}
_SPELLINGS.update({"x1**2": "x1^2", "x2**2": "x2^2", "x1²": "x1^2", "x2²": "x2^2", "x1x2": "x1*x2", "x2*x1": "x1*x2"})


def names() -> list[str]:
    """Every feature name, in the order the Playground shows them.

    Shapes: none (-> a list of names).

    Example:
        >>> names()
        ['x1', 'x2', 'x1^2', 'x2^2', 'x1*x2', 'sin x1', 'sin x2']
    """
    return list(FEATURES)


def _canonical(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"A feature is named by a string such as 'x1^2', but got {name!r}.")
    squeezed = name.strip().lower().replace(" ", "").replace("(", "").replace(")", "")
    if squeezed not in _SPELLINGS:
        raise unknown_name("feature", name, FEATURES)
    return _SPELLINGS[squeezed]


class FeatureMap:
    """Turns raw 2-D points into the chosen feature columns, in the order given.

    Shapes: x (n, 2) -> (n, len(features)).

    Example:
        >>> import numpy as np
        >>> features = FeatureMap(["x1", "sin x2"])
        >>> features.names, features.n_features
        (['x1', 'sin x2'], 2)
        >>> features(np.array([[3.0, 0.0]]))
        array([[3., 0.]])
    """

    def __init__(self, features: Iterable[str] = ("x1", "x2")):
        if isinstance(features, str):
            features = [features]
        chosen = [_canonical(name) for name in features]
        if not chosen:
            raise ValueError("Choose at least one feature, e.g. ['x1', 'x2'].")
        if len(set(chosen)) != len(chosen):
            raise ValueError(f"Each feature may be chosen once, but got {chosen}.")
        self.names = chosen

    @property
    def n_features(self) -> int:
        """How many columns the map makes: one per feature name."""
        return len(self.names)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x, "x")
        if x.ndim != 2 or x.shape[1] != 2:
            raise ValueError(f"Features are made from 2-D points, so x must have shape (n, 2), but got {x.shape}.")
        if self.names == ["x1", "x2"]:
            return x  # the common case: nothing to compute
        return np.column_stack([FEATURES[name](x) for name in self.names])

    def __repr__(self) -> str:
        return f"FeatureMap({self.names!r})"


def transform(x: np.ndarray, features: Iterable[str] = ("x1", "x2")) -> np.ndarray:
    """The chosen feature columns of raw 2-D points (a one-off ``FeatureMap(features)(x)``).

    Shapes: x (n, 2) -> (n, len(features)).

    Example:
        >>> transform(np.array([[2.0, 3.0], [-1.0, 0.5]]), ["x1^2", "x1*x2"])    # 2^2, 2*3; (-1)^2, -1*0.5
        array([[ 4. ,  6. ],
               [ 1. , -0.5]])
    """
    return FeatureMap(features)(x)

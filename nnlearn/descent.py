"""Gradient descent, one recorded step at a time: how the loss changes as weights move, and where steps lead.

NumPy only. The pictures (a loss surface with the path on it, loss curves) live in ``nnlearn.plots``; this module
computes what they show:

- ``line_points``: a handful of points near a line, the running example of the loss lesson.
- ``line_loss``: the mean squared error of the line ``weight * x + bias``, for one weight or a whole grid of them.
- ``descent_path``: plain gradient descent on a model, every step recorded (the two weights it tracks and the
  loss on all the data), stopped and flagged when it diverges. Full batch or mini-batches.
- ``compare_learning_rates``: one path per learning rate, from the same start.
- ``largest_stable_learning_rate``: for a line (a linear model) and the squared error, the learning rate above
  which full-batch gradient descent must diverge.

Example:
    >>> import nnlearn as nl
    >>> x, y = line_points(n=8, seed=0)
    >>> model = nl.Sequential([nl.Dense(1, 1)])
    >>> run = descent_path(model, x, y, learning_rate=0.1, steps=50, start=(0.0, 0.0))
    >>> bool(run.losses[-1] < run.losses[0]), run.diverged_at
    (True, None)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import losses as losses_module
from .network import divergence_reason
from .optimizers import SGD
from .validation import as_float_array, check_learning_rate, check_positive_int, check_same_length

__all__ = [
    "DescentPath",
    "compare_learning_rates",
    "descent_path",
    "largest_stable_learning_rate",
    "line_loss",
    "line_points",
]

# A run counts as diverged once its loss is this many times the loss it started from (or infinite/NaN): a loss
# that grows that far above its start is not coming back down with the same steps. The rule is fit's
# (network.divergence_reason), with a looser factor than fit's 3 so the lessons can show a run climbing for a while.
BLOWUP = 10.0


def line_points(n: int = 8, *, weight: float = 2.0, bias: float = 1.0, noise: float = 0.5, low: float = -1.0,
                high: float = 2.0, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered around the line y = weight * x + bias: x uniform in [low, high], y with Gaussian noise.

    Shapes: -> x (n, 1) (one input per example, ready for Dense(1, 1)), y (n,).

    Example:
        >>> x, y = line_points(n=4, noise=0.0, seed=0)
        >>> x.shape, bool(np.allclose(y, 2.0 * x[:, 0] + 1.0))
        ((4, 1), True)
    """
    n = check_positive_int(n, "n")
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"line_points needs low < high, but got low={low}, high={high}.")
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise is a standard deviation, so it must be >= 0, but got {noise}.")
    rng = np.random.default_rng(seed)
    x = rng.uniform(low, high, size=(n, 1))
    y = weight * x[:, 0] + bias + rng.normal(0.0, noise, size=n)
    return x, y


def _one_input(x: Any) -> np.ndarray:
    x = as_float_array(x, "x")
    if x.ndim == 2 and x.shape[1] == 1:
        return x[:, 0]
    if x.ndim != 1:
        raise ValueError(f"A line has one input per example, so x must have shape (n,) or (n, 1), but got {x.shape}.")
    return x


def line_loss(weight: float | np.ndarray, bias: float | np.ndarray, x: Any, y: Any) -> float | np.ndarray:
    """Mean squared error of the line ``prediction = weight * x + bias`` on the points (x, y).

    ``weight`` and ``bias`` may be arrays (they broadcast against each other), giving one loss per pair: a grid
    of weights gives the loss over that grid.

    Shapes: x (n,) or (n, 1), y (n,); weight, bias scalars or arrays -> a float or their broadcast shape.

    Example:
        >>> x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0])   # exactly y = 2x + 1
        >>> line_loss(2.0, 1.0, x, y), line_loss(2.0, 0.0, x, y)          # each prediction 1 too low: 1^2
        (0.0, 1.0)
        >>> line_loss(np.array([1.0, 2.0, 3.0]), 1.0, x, y).tolist()      # (0 + 1 + 4) / 3, 0, 5 / 3
        [1.6666666666666667, 0.0, 1.6666666666666667]
    """
    x = _one_input(x)
    y = as_float_array(y, "y").reshape(-1)
    check_same_length(x, y)
    weight = np.asarray(weight, dtype=float)
    bias = np.asarray(bias, dtype=float)
    errors = weight[..., None] * x + bias[..., None] - y  # the last axis runs over the examples
    value = np.mean(errors**2, axis=-1)
    return float(value) if value.ndim == 0 else value


def largest_stable_learning_rate(x: Any) -> float:
    """The learning rate above which full-batch gradient descent on a linear model with squared error diverges.

    For predictions ``x @ weights + bias`` the mean squared error is a bowl whose curvature is the same
    everywhere: the Hessian H = (2 / n) A^T A with A = [x, 1]. A step of size lr multiplies the distance to the
    bottom along H's steepest direction by (1 - lr * curvature), so any lr above 2 / (largest eigenvalue of H)
    overshoots by more than it started and the loss grows every step.

    Shapes: x (n, n_inputs) or (n,) -> a float.

    Example:
        >>> largest_stable_learning_rate(np.array([[-1.0], [1.0]]))   # H = [[2, 0], [0, 2]]: 2 / 2
        1.0
    """
    x = as_float_array(x, "x")
    x = x.reshape(-1, 1) if x.ndim == 1 else x
    if x.ndim != 2 or len(x) == 0:
        raise ValueError(f"x must have shape (n, n_inputs) with n >= 1, but got {x.shape}.")
    design = np.column_stack([x, np.ones(len(x))])
    hessian = 2.0 / len(x) * design.T @ design
    return float(2.0 / np.linalg.eigvalsh(hessian).max())


@dataclass
class DescentPath:
    """A recorded gradient-descent run: where two chosen weights went, and the loss on all data after each step.

    ``path[k]`` holds the two tracked weights after step k (``path[0]`` is the start) and ``losses[k]`` the loss
    on the whole data set there. ``diverged_at`` is the first step whose loss was infinite, NaN, or more than
    ``BLOWUP`` times the starting loss (the run stops there), or None. ``batch_size`` None means full batch.

    Shapes: path (k + 1, 2), losses (k + 1,), steps (k + 1,).

    Example:
        >>> import nnlearn as nl
        >>> x, y = np.array([[-1.0], [1.0]]), np.array([-2.0, 2.0])        # y = 2x
        >>> run = descent_path(nl.Sequential([nl.Dense(1, 1)]), x, y, learning_rate=0.25, steps=2, start=(0, 0))
        >>> run.names, run.path.shape, run.n_steps
        (('layer1.weights[0, 0]', 'layer1.bias[0]'), (3, 2), 2)
        >>> run.losses.tolist(), run.diverged      # the weight goes 0 -> 1 -> 1.5: errors 2, then 1, then 0.5
        ([4.0, 1.0, 0.25], False)
    """

    names: tuple[str, str]
    learning_rate: float
    batch_size: int | None
    path: np.ndarray
    losses: np.ndarray
    diverged_at: int | None

    @property
    def steps(self) -> np.ndarray:
        """Step numbers 0, 1, ..., k (0 is the start)."""
        return np.arange(len(self.losses))

    @property
    def n_steps(self) -> int:
        """How many steps were taken."""
        return len(self.losses) - 1

    @property
    def diverged(self) -> bool:
        """True when the loss blew up."""
        return self.diverged_at is not None

    @property
    def final_loss(self) -> float:
        """The loss after the last step taken."""
        return float(self.losses[-1])

    def summary(self) -> str:
        """One line in words: the final loss, or the step at which the run diverged.

        Example:
            >>> DescentPath(("w", "b"), 0.1, None, np.zeros((3, 2)), np.array([4.0, 1.0, 0.25]), None).summary()
            'learning rate 0.1: loss 4 -> 0.25 after 2 steps'
        """
        if self.diverged:
            return f"learning rate {self.learning_rate:g}: diverged at step {self.diverged_at}"
        return (f"learning rate {self.learning_rate:g}: loss {self.losses[0]:.3g} -> {self.final_loss:.3g} "
                f"after {self.n_steps} steps")

    def __repr__(self) -> str:
        batch = "full batch" if self.batch_size is None else f"batch size {self.batch_size}"
        return f"DescentPath({self.summary()}, {batch})"


def _pick(model: Any, weights: Sequence[Any] | None) -> list[tuple[str, np.ndarray, tuple[int, ...]]]:
    """(parameter name, live array, index) for the two weights to track; default: the model's first two numbers."""
    params = model.parameters()
    if weights is None:
        chosen = []
        for name, array in params.items():
            for flat in range(array.size):
                chosen.append((name, tuple(int(i) for i in np.unravel_index(flat, array.shape))))
                if len(chosen) == 2:
                    break
            if len(chosen) == 2:
                break
        if len(chosen) < 2:
            raise ValueError("The model has fewer than two numbers to learn, so there is no path in a plane to draw.")
        weights = chosen
    weights = list(weights)
    if len(weights) != 2:
        raise ValueError(f"Choose exactly two weights to track, as (parameter name, index) pairs, but got {len(weights)}.")
    return [_resolve_weight(model, choice) for choice in weights]


def _resolve_weight(model: Any, choice: Any) -> tuple[str, np.ndarray, tuple[int, ...]]:
    """(parameter name, live array, index) of one weight: ``"layer1.bias"`` (its first number) or
    ``("layer1.weights", (0, 1))``; a clear error for an unknown name, an index out of range or a slice."""
    params = model.parameters()
    if isinstance(choice, str):
        name, index = choice, (0,) * np.ndim(params.get(choice, 0))
    else:
        name, *rest = choice
        index = tuple(rest[0]) if len(rest) == 1 and isinstance(rest[0], (tuple, list)) else tuple(rest)
    if name not in params:
        raise ValueError(f"Unknown parameter {name!r}. This model has: {', '.join(params)}.")
    array = params[name]
    try:
        value = array[index]
    except (IndexError, TypeError):
        raise ValueError(f"{name} has shape {array.shape}, so the index {index} does not exist.") from None
    if np.ndim(value) != 0:
        raise ValueError(f"{name}{list(index)} picks {np.shape(value)} numbers; give an index for one weight.")
    return name, array, index


def _label(name: str, index: tuple[int, ...]) -> str:
    return f"{name}[{', '.join(str(i) for i in index)}]"


def descent_path(
    model: Any,
    x: Any,
    y: Any,
    loss: str | losses_module.Loss = "mse",
    *,
    learning_rate: float,
    steps: int = 30,
    batch_size: int | None = None,
    seed: int | None = None,
    weights: Sequence[Any] | None = None,
    start: tuple[float, float] | None = None,
    blowup: float = BLOWUP,
) -> DescentPath:
    """Plain gradient descent on every weight of ``model``, recording two of them and the loss after each step.

    Each step takes a batch (all examples when ``batch_size`` is None; otherwise the examples are shuffled each
    pass through the data, seeded by ``seed``, as ``Sequential.fit`` does), computes every gradient on it by
    backpropagation and moves each weight: ``weight -= learning_rate * gradient``. After each step the loss on ALL
    the examples is recorded, so full-batch and mini-batch runs are measured alike.

    ``weights`` picks the two weights to record, as (parameter name, index) pairs such as
    ``[("layer1.weights", (0, 0)), ("layer1.bias", (0,))]`` (default: the first two numbers of the model).
    ``start`` sets those two before the first step (the others start where the model has them). The run stops
    at the first step whose loss is infinite, NaN or above ``blowup`` times the starting loss (``diverged_at``).
    The model's weights are left as they were.

    Shapes: x (n, n_inputs), y (n,) -> path (k + 1, 2), losses (k + 1,) with k <= steps.

    Example:
        >>> import nnlearn as nl
        >>> x, y = np.array([[-1.0], [1.0]]), np.array([-2.0, 2.0])        # y = 2x: best weight 2, bias 0
        >>> model = nl.Sequential([nl.Dense(1, 1)])
        >>> run = descent_path(model, x, y, learning_rate=0.25, steps=1, start=(0.0, 0.0))
        >>> run.path.tolist()     # gradient of the weight: 2 * mean((0 - y) * x) = -4, so 0 - 0.25 * (-4) = 1
        [[0.0, 0.0], [1.0, 0.0]]
        >>> run.losses.tolist()   # mean of 2^2 and 2^2, then of 1^2 and 1^2
        [4.0, 1.0]
    """
    loss = losses_module.get(loss)
    learning_rate = check_learning_rate(learning_rate, "learning_rate")
    steps = int(steps)
    if steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, but got {steps}.")
    batch_size = check_positive_int(batch_size, "batch_size", allow_none=True)
    x = as_float_array(x, "x")
    y = as_float_array(y, "y")
    check_same_length(x, y)
    if len(x) == 0:
        raise ValueError("descent_path needs at least one example, but x is empty.")
    chosen = _pick(model, weights)
    saved = model.get_weights()
    sgd = SGD(learning_rate)  # plain: weight -= learning_rate * gradient
    rng = np.random.default_rng(seed)
    n = len(x)

    def tracked() -> tuple[float, float]:
        return tuple(float(array[index]) for _, array, index in chosen)

    def batches() -> Iterable[np.ndarray | slice]:
        while True:
            if batch_size is None or batch_size >= n:
                yield slice(None)
                continue
            order = rng.permutation(n)
            for i in range(0, n, batch_size):
                yield order[i : i + batch_size]

    try:
        if start is not None:
            start = tuple(float(s) for s in start)
            if len(start) != 2:
                raise ValueError(f"start must be two numbers, one per tracked weight, but got {len(start)}.")
            for (_, array, index), value in zip(chosen, start):
                array[index] = value
        path = [tracked()]
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            first = model.loss(x, y, loss)
            values = [first]
            reference = max(first, 1e-12)
            diverged_at = None if math.isfinite(first) else 0
            batch_source = batches()
            for step in range(1, steps + 1 if diverged_at is None else 1):
                batch = next(batch_source)
                # The one training step fit uses, on this step's batch; it undoes a step whose weights overflow.
                overflowed = model.train_epoch(x[batch], y[batch], loss, sgd).diverged
                value = math.nan if overflowed else model.loss(x, y, loss)
                path.append((math.nan, math.nan) if overflowed else tracked())
                values.append(value)
                if divergence_reason(value, reference, factor=blowup):
                    diverged_at = step
                    break
    finally:
        model.set_weights(saved)
    return DescentPath(
        names=tuple(_label(name, index) for name, _, index in chosen), learning_rate=learning_rate,
        batch_size=batch_size, path=np.array(path, dtype=float), losses=np.array(values, dtype=float),
        diverged_at=diverged_at,
    )


def compare_learning_rates(model: Any, x: Any, y: Any, loss: str | losses_module.Loss = "mse", *,
                           learning_rates: Sequence[float], steps: int = 30, **options: Any) -> list[DescentPath]:
    """One ``descent_path`` per learning rate, all from the same start and with the same options.

    Shapes: as descent_path; one DescentPath per learning rate.

    Example:
        >>> import nnlearn as nl
        >>> x, y = np.array([[-1.0], [1.0]]), np.array([-2.0, 2.0])
        >>> runs = compare_learning_rates(nl.Sequential([nl.Dense(1, 1)]), x, y, learning_rates=[0.1, 1.5],
        ...                               steps=40, start=(0.0, 0.0))
        >>> [run.diverged for run in runs]      # above largest_stable_learning_rate(x) = 1.0 it blows up
        [False, True]
    """
    return [descent_path(model, x, y, loss, learning_rate=lr, steps=steps, **options) for lr in learning_rates]

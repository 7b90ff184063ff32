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
    "Surface2D",
    "compare_learning_rates",
    "descent_path",
    "largest_stable_learning_rate",
    "line_loss",
    "line_points",
    "network_surface",
    "optimizer_path",
    "race",
    "surface",
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


def _chosen_gradients(model: Any, x: np.ndarray, y: np.ndarray, loss: Any,
                      chosen: Sequence[tuple[str, np.ndarray, tuple[int, ...]]]) -> list[float]:
    """One backward pass, then dLoss/dweight for each chosen weight ('layer{i}.{name}', array, index)."""
    model.loss_and_gradients(x, y, loss)
    grads = []
    for name, _, index in chosen:
        layer_number, param = name.split(".", 1)
        layer = model.layers[int(layer_number.removeprefix("layer")) - 1]
        grads.append(float(getattr(layer, "grad_" + param)[index]))
    return grads


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


# ---------------------------------------------------------------------------------------------------------------
# Optimizers raced on a surface of two weights: the same optimizer objects that train networks (nnlearn.optimizers),
# stepping a point across a function whose value and gradient are known.


@dataclass
class Surface2D:
    """A loss of two numbers with its gradient, for racing optimizers: ``value(w1, w2)`` broadcasts over grids.

    ``gradient(w1, w2)`` returns (d/dw1, d/dw2) at one point; ``start`` is where races begin, ``extent`` (w1 low,
    w1 high, w2 low, w2 high) the region a picture shows, ``minimum`` the lowest point where it is known.

    Shapes: value: w1, w2 scalars or arrays (broadcast) -> the same shape; gradient -> (2,).

    Example:
        >>> bowl = surface("ravine")
        >>> bowl.value(0.0, 0.0), bowl.gradient(1.0, 1.0).tolist()
        (0.0, [0.1, 4.0])
    """

    name: str
    value_function: Any
    gradient_function: Any
    start: tuple[float, float]
    extent: tuple[float, float, float, float]
    minimum: tuple[float, float] | None = None
    names: tuple[str, str] = ("w1", "w2")

    def value(self, w1: Any, w2: Any) -> Any:
        """The loss at (w1, w2); arrays broadcast, giving one value per pair."""
        out = self.value_function(np.asarray(w1, dtype=float), np.asarray(w2, dtype=float))
        return float(out) if np.ndim(out) == 0 else out

    def gradient(self, w1: float, w2: float) -> np.ndarray:
        """(dL/dw1, dL/dw2) at one point."""
        return np.asarray(self.gradient_function(float(w1), float(w2)), dtype=float)

    def grid(self, resolution: int = 81) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Axes and values over ``extent``: w1 (resolution,), w2 (resolution,), losses[j, i] at (w1[i], w2[j])."""
        resolution = check_positive_int(resolution, "resolution")
        w1 = np.linspace(self.extent[0], self.extent[1], resolution)
        w2 = np.linspace(self.extent[2], self.extent[3], resolution)
        with np.errstate(over="ignore", invalid="ignore"):
            return w1, w2, np.asarray(self.value(w1[None, :], w2[:, None]), dtype=float)


def _ravine() -> Surface2D:
    # Curvature 0.1 along w1 and 4 along w2: forty times steeper across the valley than along it.
    return Surface2D("ravine", lambda a, b: 0.05 * a**2 + 2.0 * b**2, lambda a, b: (0.1 * a, 4.0 * b),
                     start=(-9.0, 1.5), extent=(-10.0, 2.0, -2.5, 2.5), minimum=(0.0, 0.0))


def _rosenbrock() -> Surface2D:
    # Rosenbrock's banana with a gentler wall (10 instead of the classic 100): a curved valley floor to (1, 1).
    return Surface2D(
        "rosenbrock", lambda a, b: (1.0 - a) ** 2 + 10.0 * (b - a**2) ** 2,
        lambda a, b: (-2.0 * (1.0 - a) - 40.0 * a * (b - a**2), 20.0 * (b - a**2)),
        start=(-1.5, 2.0), extent=(-2.0, 2.0, -1.0, 3.0), minimum=(1.0, 1.0),
    )


_SURFACES = {"ravine": _ravine, "rosenbrock": _rosenbrock}


def surface(name: str) -> Surface2D:
    """A ready-made surface for races: 'ravine' (a long narrow valley) or 'rosenbrock' (a curved one).

    Shapes: none (a name -> a Surface2D).

    Example:
        >>> banana = surface("rosenbrock")
        >>> banana.value(1.0, 1.0), banana.minimum
        (0.0, (1.0, 1.0))
    """
    from .validation import unknown_name

    key = str(name).strip().lower()
    if key not in _SURFACES:
        raise unknown_name("surface", name, _SURFACES)
    return _SURFACES[key]()


def network_surface(model: Any, x: Any, y: Any, loss: str | losses_module.Loss = "mse", *,
                    weights: Sequence[Any] | None = None, span: float = 2.0) -> Surface2D:
    """A real network's loss as a function of two of its weights, all the others held where they are.

    ``weights`` picks the two as (parameter name, index) pairs (default: the model's first two numbers). The
    gradient is the network's own backpropagated gradient for those two. The model's weights are put back
    after every evaluation. ``start`` is their current values; ``extent`` spans ``span`` around it.

    Shapes: x (n, n_inputs), y (n,) -> a Surface2D over two weights.

    Example:
        >>> import nnlearn as nl
        >>> x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])          # y = 2 x
        >>> model = nl.Sequential([nl.Dense(1, 1)])
        >>> s = network_surface(model, x, y, weights=[("layer1.weights", (0, 0)), ("layer1.bias", (0,))])
        >>> s.value(2.0, 0.0), s.gradient(0.0, 0.0).tolist()       # dL/dw = 2 mean((0 - y) x) = -10
        (0.0, [-10.0, -6.0])
    """
    loss = losses_module.get(loss)
    x = as_float_array(x, "x")
    y = as_float_array(y, "y")
    check_same_length(x, y)
    chosen = _pick(model, weights)
    original = tuple(float(array[index]) for _, array, index in chosen)

    def at(a: float, b: float, job):
        saved = [array[index] for _, array, index in chosen]
        try:
            chosen[0][1][chosen[0][2]] = a
            chosen[1][1][chosen[1][2]] = b
            return job()
        finally:
            for (_, array, index), value in zip(chosen, saved):
                array[index] = value

    def value(a, b):
        a, b = np.broadcast_arrays(a, b)
        out = np.empty(a.shape)
        for k in np.ndindex(a.shape):
            out[k] = at(a[k], b[k], lambda: model.loss(x, y, loss))
        return out if out.ndim else out[()]

    def gradient(a, b):
        return at(a, b, lambda: _chosen_gradients(model, x, y, loss, chosen))

    return Surface2D("network", value, gradient, start=original,
                     extent=(original[0] - span, original[0] + span, original[1] - span, original[1] + span),
                     names=tuple(_label(name, index) for name, _, index in chosen))


class _Point:
    """Two numbers dressed as a one-layer model, so the library's optimizers can step them."""

    def __init__(self, start: tuple[float, float]):
        self.weights = np.array(start, dtype=float)
        self.grad_weights = np.zeros(2)

    def parameters(self) -> dict[str, np.ndarray]:
        return {"weights": self.weights}

    def describe(self) -> str:
        return "point"


def optimizer_path(surface: Surface2D, optimizer: Any = "sgd", *, learning_rate: float = 0.01, steps: int = 100,
                   start: tuple[float, float] | None = None, momentum: float | None = None,
                   blowup: float = BLOWUP) -> DescentPath:
    """Where an optimizer ('sgd', 'momentum', 'rmsprop', 'adam', 'adamw' or an Optimizer) takes a point.

    The same optimizer classes that train networks step the two numbers; ``momentum`` sets the momentum of
    'momentum' (default 0.9) and 'rmsprop'. The run stops at the first step whose loss is infinite, NaN or above
    ``blowup`` times the start (``diverged_at``).

    Shapes: none in -> path (k + 1, 2), losses (k + 1,) with k <= steps.

    Example:
        >>> bowl = surface("ravine")
        >>> plain = optimizer_path(bowl, "sgd", learning_rate=0.4, steps=50)
        >>> heavy = optimizer_path(bowl, "momentum", learning_rate=0.4, steps=50, momentum=0.9)
        >>> bool(heavy.final_loss < plain.final_loss)      # momentum keeps moving along the flat valley floor
        True
    """
    from .optimizers import get as get_optimizer

    learning_rate = check_learning_rate(learning_rate, "learning_rate")
    steps = int(steps)
    if steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, but got {steps}.")
    opt = get_optimizer(optimizer, learning_rate, momentum=momentum)
    opt.reset()
    point = _Point(surface.start if start is None else tuple(float(s) for s in start))
    layers = [point]
    path = [point.weights.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        first = surface.value(*point.weights)
        values = [first]
        limit = blowup * max(first, 1e-12)
        diverged_at = None if math.isfinite(first) else 0
        for step in range(1, steps + 1 if diverged_at is None else 1):
            point.grad_weights[:] = surface.gradient(*point.weights)
            opt.step(layers)
            value = surface.value(*point.weights)
            path.append(point.weights.copy())
            values.append(value)
            if not math.isfinite(value) or value > limit:
                diverged_at = step
                break
    return DescentPath(names=surface.names, learning_rate=learning_rate, batch_size=None, path=np.array(path),
                       losses=np.array(values, dtype=float), diverged_at=diverged_at)


def race(surface: Surface2D, optimizers: Sequence[str] = ("sgd", "momentum", "rmsprop", "adam"), *,
         learning_rate: float = 0.01, steps: int = 100, momentum: float | None = None,
         start: tuple[float, float] | None = None) -> dict[str, DescentPath]:
    """One ``optimizer_path`` per optimizer, all from the same start with the same learning rate.

    Shapes: none in -> name -> DescentPath (path (k + 1, 2) each).

    Example:
        >>> runs = race(surface("ravine"), learning_rate=0.1, steps=100)
        >>> {name: round(run.final_loss, 3) for name, run in runs.items()}
        {'sgd': 0.543, 'momentum': 0.0, 'rmsprop': 0.0, 'adam': 0.121}
    """
    return {name: optimizer_path(surface, name, learning_rate=learning_rate, steps=steps, momentum=momentum,
                                 start=start) for name in optimizers}

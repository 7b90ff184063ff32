"""Learning-rate schedules: the learning rate for each epoch of a fit, from one base rate.

``Sequential.fit(..., schedule=...)`` takes a name or a function of the epoch and sets the optimizer's
learning rate from it at the start of every epoch (epochs are counted from 0):

- ``"constant"``: the base rate throughout;
- ``"step"``: the base rate, divided by 10 at half the epochs and again at three quarters;
- ``"cosine"``: from the base rate down to (nearly) 0 along half a cosine wave;
- ``"warmup_cosine"``: a linear warm-up over the first tenth of the epochs (at least one), then cosine;
- any callable ``schedule(epoch) -> learning rate``.

Example:
    >>> get("step", 0.1, epochs=8).rates().round(6).tolist()
    [0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001]
"""

from __future__ import annotations

import math
from collections.abc import Callable
import numpy as np

from .validation import check_learning_rate, check_positive_int, unknown_name

__all__ = ["Schedule", "constant", "cosine", "get", "learning_rates", "names", "step", "warmup_cosine"]

_NAMES = ("constant", "step", "cosine", "warmup_cosine")


class Schedule:
    """A learning rate per epoch: ``schedule(epoch)`` for epochs 0, 1, ..., epochs - 1.

    Shapes: none per call (an epoch -> a float); ``rates()`` -> (epochs,).

    Example:
        >>> schedule = Schedule("half", 0.2, 4, lambda epoch: 0.2 / 2**epoch)
        >>> schedule(1), schedule.rates().tolist()
        (0.1, [0.2, 0.1, 0.05, 0.025])
    """

    def __init__(self, name: str, learning_rate: float, epochs: int, function: Callable[[int], float]):
        self.name = name
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.function = function

    def __call__(self, epoch: int) -> float:
        value = self.function(int(epoch))
        try:
            return check_learning_rate(float(value), f"the learning rate the schedule gives for epoch {epoch}")
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"Schedule {self.name!r} must give a positive finite learning rate for every epoch, but for epoch "
                f"{epoch} it gave {value!r}. ({error})"
            ) from None

    def rates(self) -> np.ndarray:
        """The learning rate of every epoch, as an array (what a plot of the schedule draws).

        Example:
            >>> get("constant", 0.05, epochs=3).rates().tolist()
            [0.05, 0.05, 0.05]
        """
        return np.array([self(epoch) for epoch in range(self.epochs)])

    def __repr__(self) -> str:
        return f"Schedule({self.name!r}, learning_rate={self.learning_rate:g}, epochs={self.epochs})"


def constant(learning_rate: float, epochs: int) -> Schedule:
    """The same learning rate in every epoch.

    Shapes: none (-> a Schedule over ``epochs`` epochs).

    Example:
        >>> constant(0.1, 3)(2)
        0.1
    """
    learning_rate = check_learning_rate(learning_rate, "learning_rate")
    return Schedule("constant", learning_rate, check_positive_int(epochs, "epochs"), lambda epoch: learning_rate)


def step(learning_rate: float, epochs: int, factor: float = 0.1) -> Schedule:
    """Piecewise constant: times ``factor`` at half the epochs and again at three quarters.

    Shapes: none (-> a Schedule over ``epochs`` epochs).

    Example:
        >>> step(1.0, 4).rates().tolist()      # drops at epoch 2 (half) and epoch 3 (three quarters)
        [1.0, 1.0, 0.1, 0.010000000000000002]
    """
    learning_rate = check_learning_rate(learning_rate, "learning_rate")
    epochs = check_positive_int(epochs, "epochs")
    factor = check_learning_rate(factor, "factor")
    milestones = (epochs // 2, (3 * epochs) // 4)
    return Schedule("step", learning_rate, epochs,
                    lambda epoch: learning_rate * factor ** sum(epoch >= m for m in milestones if m > 0))


def cosine(learning_rate: float, epochs: int) -> Schedule:
    """Half a cosine wave: lr * (1 + cos(pi * epoch / epochs)) / 2, from lr at epoch 0 towards 0.

    Shapes: none (-> a Schedule over ``epochs`` epochs).

    Example:
        >>> cosine(1.0, 4).rates().round(3).tolist()
        [1.0, 0.854, 0.5, 0.146]
    """
    learning_rate = check_learning_rate(learning_rate, "learning_rate")
    epochs = check_positive_int(epochs, "epochs")
    return Schedule("cosine", learning_rate, epochs,
                    lambda epoch: learning_rate * 0.5 * (1.0 + math.cos(math.pi * epoch / epochs)))


def warmup_cosine(learning_rate: float, epochs: int, warmup: int | None = None) -> Schedule:
    """A linear warm-up, lr * (epoch + 1) / (warmup + 1) for the first ``warmup`` epochs, then cosine down.

    ``warmup`` defaults to a tenth of the epochs (at least 1). Starting small lets the early, large and
    erratic gradients of a fresh network settle before the full rate applies.

    Shapes: none (-> a Schedule over ``epochs`` epochs).

    Example:
        >>> warmup_cosine(1.0, 6, warmup=2).rates().round(3).tolist()
        [0.333, 0.667, 1.0, 0.854, 0.5, 0.146]
    """
    learning_rate = check_learning_rate(learning_rate, "learning_rate")
    epochs = check_positive_int(epochs, "epochs")
    warmup = max(1, epochs // 10) if warmup is None else check_positive_int(warmup, "warmup")
    warmup = min(warmup, epochs)
    remaining = max(epochs - warmup, 1)

    def rate(epoch: int) -> float:
        if epoch < warmup:
            return learning_rate * (epoch + 1) / (warmup + 1)
        return learning_rate * 0.5 * (1.0 + math.cos(math.pi * (epoch - warmup) / remaining))

    return Schedule("warmup_cosine", learning_rate, epochs, rate)


_BUILDERS = {"constant": constant, "step": step, "cosine": cosine, "warmup_cosine": warmup_cosine}


def names() -> list[str]:
    """The schedule names ``fit`` accepts (besides a callable of the epoch).

    Shapes: none (-> a list of names).

    Example:
        >>> names()
        ['constant', 'step', 'cosine', 'warmup_cosine']
    """
    return list(_NAMES)


def get(schedule: str | Callable[[int], float] | Schedule | None, learning_rate: float, epochs: int) -> Schedule:
    """A Schedule from a name, a callable ``f(epoch) -> learning rate`` or a Schedule (returned as it is).

    None means "constant". An unknown name lists the valid ones and the closest match.

    Shapes: none (-> a Schedule over ``epochs`` epochs).

    Example:
        >>> get(lambda epoch: 0.1 / (1 + epoch), 0.1, epochs=3).rates().round(3).tolist()
        [0.1, 0.05, 0.033]
        >>> get("cosin", 0.1, 3)
        Traceback (most recent call last):
        ...
        ValueError: Unknown schedule 'cosin'. Valid names: constant, cosine, step, warmup_cosine. Did you mean 'cosine'?
    """
    if isinstance(schedule, Schedule):
        return schedule
    epochs = check_positive_int(epochs, "epochs")
    if schedule is None:
        return constant(learning_rate, epochs)
    if isinstance(schedule, str):
        key = schedule.strip().lower().replace("-", "_").replace(" ", "_")
        if key not in _BUILDERS:
            raise unknown_name("schedule", schedule, _NAMES)
        return _BUILDERS[key](learning_rate, epochs)
    if callable(schedule):
        name = getattr(schedule, "__name__", "custom")
        return Schedule(name, learning_rate, epochs, schedule)
    raise TypeError(
        f"schedule must be one of {', '.join(_NAMES)} or a function of the epoch giving the learning rate, "
        f"but got {type(schedule).__name__} {schedule!r}."
    )


def learning_rates(schedule: str | Callable[[int], float], learning_rate: float, epochs: int) -> np.ndarray:
    """The learning rate of every epoch under a schedule: ``get(schedule, learning_rate, epochs).rates()``.

    Shapes: none -> (epochs,).

    Example:
        >>> learning_rates("warmup_cosine", 0.1, 10).round(4).tolist()[:3]
        [0.05, 0.1, 0.097]
    """
    return get(schedule, learning_rate, epochs).rates()

"""Loss curves: training and test loss per epoch.

Compute: ``loss_curve_data(train, test)`` or ``loss_curve_data(history)`` (NumPy only).
Draw: ``draw_loss_curve(ax, data)``; ``update_loss_curve(artists, data)`` returns True when the axis limits had
to grow (the caller may then redraw the axes' ticks).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _style
from ._grid import PlotData

__all__ = ["LossCurveData", "draw_loss_curve", "loss_curve_data", "nice_ceiling", "update_loss_curve"]


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is >= value (axis limits that rarely change).

    Example:
        >>> nice_ceiling(0.7), nice_ceiling(130), nice_ceiling(2.0)
        (1.0, 200.0, 2.0)
    """
    if not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10.0 * power


@dataclass
class LossCurveData(PlotData):
    """Loss per epoch. ``epochs`` start at ``first_epoch`` (0 when the loss before training is included).

    ``xlim``/``ylim`` are rounded up (``nice_ceiling``) so they change only now and then during training.

    Shapes: epochs (n_epochs,), train (n_epochs,), test (n_epochs,) or None.

    Example:
        >>> data = loss_curve_data([0.9, 0.4], first_epoch=0)
        >>> data.epochs.tolist(), data.train.tolist(), data.test, data.ylim
        ([0, 1], [0.9, 0.4], None, (0.0, 1.0))
    """

    epochs: np.ndarray
    train: np.ndarray
    test: np.ndarray | None
    xlim: tuple[float, float]
    ylim: tuple[float, float]


def _series(source: Any, *names: str) -> list[float] | None:
    for name in names:
        try:
            values = source[name]
        except (KeyError, TypeError, IndexError):
            values = getattr(source, name, None)
        if values is not None and len(values):
            return list(values)
    return None


def loss_curve_data(train: Sequence[float] | Any, test: Sequence[float] | None = None, *,
                    first_epoch: int = 1, min_epochs: int = 10) -> LossCurveData:
    """Arrays for a loss curve from lists of losses, or from a History (``loss``/``val_loss``) or the
    Playground's history (``train_loss``/``test_loss``).

    Shapes: train (n,), test (n,) or None -> epochs (n,).

    Example:
        >>> data = loss_curve_data([0.7, 0.5, 0.3], [0.8, 0.6, 0.45])
        >>> data.epochs.tolist(), data.xlim, data.ylim
        ([1, 2, 3], (0.0, 10.0), (0.0, 1.0))
    """
    if not isinstance(train, (list, tuple, np.ndarray)):
        source = train
        train = _series(source, "train_loss", "loss") or []
        if test is None:
            test = _series(source, "test_loss", "val_loss")
        first_epoch = int(getattr(source, "first_epoch", first_epoch))
    train_values = np.asarray(train, dtype=float).ravel()
    test_values = None if test is None else np.asarray(test, dtype=float).ravel()
    if test_values is not None and len(test_values) != len(train_values):
        raise ValueError(f"train and test losses need one value per epoch each, but got {len(train_values)} and "
                         f"{len(test_values)}.")
    epochs = np.arange(first_epoch, first_epoch + len(train_values))
    both = train_values if test_values is None else np.concatenate([train_values, test_values])
    finite = both[np.isfinite(both)]
    top = nice_ceiling(float(finite.max()) * 1.05) if finite.size else 1.0
    last = epochs[-1] if len(epochs) else 0
    return LossCurveData(epochs=epochs, train=train_values, test=test_values,
                         xlim=(0.0, nice_ceiling(max(last, min_epochs))), ylim=(0.0, top))


def draw_loss_curve(ax: Any, data: LossCurveData, *, legend: bool = True) -> dict[str, Any]:
    """Draw the train (solid) and test (dashed) loss lines on ``ax``. Returns {'train': Line2D, 'test': Line2D}.

    Shapes: the arrays of data (see LossCurveData) -> dict of artists.

    Example:
        >>> from nnlearn.plots import figure, loss_curve_data
        >>> artists = draw_loss_curve(figure().add_subplot(), loss_curve_data([0.7, 0.5, 0.3], [0.8, 0.6, 0.45]))
        >>> artists["train"].get_ydata().tolist(), artists["test"].get_xdata().tolist()
        ([0.7, 0.5, 0.3], [1, 2, 3])
    """
    _style.style_axes(ax)
    (train,) = ax.plot(data.epochs, data.train, color=_style.TRAIN_COLOR, linewidth=1.5, label="train loss")
    test_values = data.test if data.test is not None else np.full(len(data.epochs), np.nan)
    (test,) = ax.plot(data.epochs, test_values, color=_style.TEST_COLOR, linewidth=1.5, linestyle="--",
                      label="test loss")
    ax.set_xlim(*data.xlim)
    ax.set_ylim(*data.ylim)
    ax.set_xlabel("epoch", fontsize=8, color=_style.MUTED_COLOR)
    ax.set_ylabel("loss", fontsize=8, color=_style.MUTED_COLOR)
    if legend:
        ax.legend(loc="upper right", fontsize=7, frameon=False)
    return {"train": train, "test": test}


def update_loss_curve(artists: dict[str, Any], data: LossCurveData) -> bool:
    """Show new losses in the lines of ``draw_loss_curve``. Returns True if the axis limits changed.

    Shapes: the arrays of data (see LossCurveData) -> bool.

    Example:
        >>> from nnlearn.plots import figure, loss_curve_data
        >>> artists = draw_loss_curve(figure().add_subplot(), loss_curve_data([0.7, 0.5, 0.3]))
        >>> update_loss_curve(artists, loss_curve_data([0.7, 0.5, 0.3, 0.2]))  # fits in the old limits
        False
        >>> artists["train"].get_xdata().tolist()
        [1, 2, 3, 4]
        >>> update_loss_curve(artists, loss_curve_data([2.0, 1.5]))  # the loss went above 1: the y axis grows
        True
    """
    artists["train"].set_data(data.epochs, data.train)
    test_values = data.test if data.test is not None else np.full(len(data.epochs), np.nan)
    artists["test"].set_data(data.epochs, test_values)
    ax = artists["train"].axes
    changed = tuple(ax.get_xlim()) != data.xlim or tuple(ax.get_ylim()) != data.ylim
    if changed:
        ax.set_xlim(*data.xlim)
        ax.set_ylim(*data.ylim)
    return changed

"""Pictures of generalization: learning curves, train against test accuracy, and a model outside its training range.

Compute lives in ``nnlearn.generalization`` (``learning_curve``, ``generalization_run``, ``extrapolation_data``);
here are the drawing halves: ``draw_<noun>(ax, data) -> artists`` and ``update_<noun>(artists, data)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..generalization import ExtrapolationData, LearningCurve
from . import _style

__all__ = [
    "draw_accuracy_bars",
    "draw_extrapolation",
    "draw_learning_curve",
    "update_accuracy_bars",
    "update_extrapolation",
    "update_learning_curve",
]


def draw_learning_curve(ax: Any, curve: LearningCurve, *, label: str = "", color: str | None = None,
                        show_train: bool = True) -> dict[str, Any]:
    """Test accuracy (solid) and training accuracy (dotted) against the number of training examples, on a log
    axis. Returns {'train': Line2D, 'test': Line2D}.

    Example:
        >>> import numpy as np
        >>> from nnlearn.plots import figure
        >>> curve = LearningCurve(np.array([10, 100]), np.array([1.0, 0.95]), np.array([0.7, 0.9]))
        >>> artists = draw_learning_curve(figure().add_subplot(), curve)
        >>> artists["test"].get_ydata().tolist()
        [0.7, 0.9]
    """
    _style.style_axes(ax)
    color = color or _style.TEST_COLOR
    prefix = f"{label}: " if label else ""
    (test,) = ax.plot(curve.sizes, curve.test_accuracy, "o-", color=color, linewidth=1.6, markersize=4,
                      label=f"{prefix}test")
    (train,) = ax.plot(curve.sizes, curve.train_accuracy, "o:", color=color, linewidth=1.2, markersize=3,
                       alpha=0.7, label=f"{prefix}train")
    train.set_visible(show_train)
    ax.set_xscale("log")
    ax.set_xticks(curve.sizes, [str(n) for n in curve.sizes.tolist()])
    ax.minorticks_off()
    ax.set_ylim(0.4, 1.02)
    ax.set_xlabel("training examples", fontsize=9)
    ax.set_ylabel("accuracy", fontsize=9)
    return {"train": train, "test": test}


def update_learning_curve(artists: dict[str, Any], curve: LearningCurve) -> None:
    """Show a new LearningCurve in the lines of ``draw_learning_curve``."""
    artists["train"].set_data(curve.sizes, curve.train_accuracy)
    artists["test"].set_data(curve.sizes, curve.test_accuracy)


def draw_accuracy_bars(ax: Any, train_accuracy: float, test_accuracy: float) -> dict[str, Any]:
    """Two bars, training and test accuracy, with their values written on them.

    Returns {'bars': BarContainer, 'labels': [Text, Text]}.
    """
    _style.style_axes(ax)
    bars = ax.bar([0, 1], [train_accuracy, test_accuracy], color=[_style.TRAIN_COLOR, _style.TEST_COLOR], width=0.6)
    labels = [ax.text(i, 0.04, "", ha="center", va="bottom", fontsize=10, color="white", fontweight="bold")
              for i in (0, 1)]
    ax.set_xticks([0, 1], ["train", "test"])
    ax.set_ylim(0, 1.0)
    ax.set_ylabel("accuracy", fontsize=9)
    artists = {"bars": bars, "labels": labels}
    update_accuracy_bars(artists, train_accuracy, test_accuracy)
    return artists


def update_accuracy_bars(artists: dict[str, Any], train_accuracy: float, test_accuracy: float) -> None:
    """Set the bar heights and their printed values."""
    for bar, text, value in zip(artists["bars"], artists["labels"], (train_accuracy, test_accuracy)):
        bar.set_height(value)
        text.set_text(f"{value:.2f}")


def draw_extrapolation(ax: Any, data: ExtrapolationData, *, x_train: np.ndarray | None = None,
                       y_train: np.ndarray | None = None) -> dict[str, Any]:
    """The true function (grey), the model's answer (blue), the training range shaded, and the training points.

    Returns {'truth': Line2D, 'prediction': Line2D, 'region': Polygon, 'points': Line2D}.
    """
    _style.style_axes(ax)
    region = ax.axvspan(*data.train_range, color="#e8eef6", zorder=0, label="training range")
    (truth,) = ax.plot(data.x, data.truth, color=_style.MUTED_COLOR, linewidth=2.0, label="true function")
    (prediction,) = ax.plot(data.x, data.prediction, color=_style.POSITIVE, linewidth=1.8, label="network")
    xs = np.zeros(0) if x_train is None else np.asarray(x_train, dtype=float).ravel()
    ys = np.zeros(0) if y_train is None else np.asarray(y_train, dtype=float).ravel()
    (points,) = ax.plot(xs, ys, "o", markersize=2.5, color=_style.TRAIN_COLOR, alpha=0.5, label="training points")
    ax.set_xlim(data.x[0], data.x[-1])
    ax.set_xlabel("x", fontsize=9)
    ax.set_ylabel("y", fontsize=9)
    return {"truth": truth, "prediction": prediction, "region": region, "points": points}


def update_extrapolation(artists: dict[str, Any], data: ExtrapolationData) -> None:
    """Show new ExtrapolationData in the artists of ``draw_extrapolation`` (the training range stays)."""
    artists["truth"].set_data(data.x, data.truth)
    artists["prediction"].set_data(data.x, data.prediction)

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

    Shapes: curve.sizes, curve.train_accuracy, curve.test_accuracy (n_sizes,) -> dict of two lines.

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
    """Show a new LearningCurve in the lines of ``draw_learning_curve``.

    Shapes: curve.sizes, curve.train_accuracy, curve.test_accuracy (n_sizes,) -> None (the lines change).

    Example:
        >>> from nnlearn.plots import figure
        >>> sizes = np.array([10, 100])
        >>> artists = draw_learning_curve(figure().add_subplot(), LearningCurve(sizes, np.ones(2), np.zeros(2)))
        >>> update_learning_curve(artists, LearningCurve(sizes, np.array([0.9, 0.95]), np.array([0.7, 0.9])))
        >>> artists["train"].get_ydata().tolist(), artists["test"].get_ydata().tolist()
        ([0.9, 0.95], [0.7, 0.9])
    """
    artists["train"].set_data(curve.sizes, curve.train_accuracy)
    artists["test"].set_data(curve.sizes, curve.test_accuracy)


def draw_accuracy_bars(ax: Any, train_accuracy: float, test_accuracy: float) -> dict[str, Any]:
    """Two bars, training and test accuracy, with their values written on them.

    Returns {'bars': BarContainer, 'labels': [Text, Text]}.

    Shapes: none (two accuracies -> dict of two bars and their labels).

    Example:
        >>> from nnlearn.plots import figure
        >>> artists = draw_accuracy_bars(figure().add_subplot(), 0.98, 0.81)    # overfitting: test well below
        >>> [bar.get_height() for bar in artists["bars"]], [text.get_text() for text in artists["labels"]]
        ([0.98, 0.81], ['0.98', '0.81'])
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
    """Set the bar heights and their printed values.

    Shapes: none (two accuracies -> None; the artists of ``draw_accuracy_bars`` change).

    Example:
        >>> from nnlearn.plots import figure
        >>> artists = draw_accuracy_bars(figure().add_subplot(), 0.5, 0.5)
        >>> update_accuracy_bars(artists, 0.9, 0.85)
        >>> [bar.get_height() for bar in artists["bars"]], [text.get_text() for text in artists["labels"]]
        ([0.9, 0.85], ['0.90', '0.85'])
    """
    for bar, text, value in zip(artists["bars"], artists["labels"], (train_accuracy, test_accuracy)):
        bar.set_height(value)
        text.set_text(f"{value:.2f}")


def draw_extrapolation(ax: Any, data: ExtrapolationData, *, x_train: np.ndarray | None = None,
                       y_train: np.ndarray | None = None) -> dict[str, Any]:
    """The true function (grey), the model's answer (blue), the training range shaded, and the training points.

    Returns {'truth': Line2D, 'prediction': Line2D, 'region': Polygon, 'points': Line2D}.

    Shapes: data.x, data.truth, data.prediction (n,); x_train, y_train (n_train,) or (n_train, 1) -> dict of
    artists.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.generalization import extrapolation_data
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Dense(1, 1)])
        >>> model.layers[0].weights[:] = 1.0; model.layers[0].bias[:] = 0.0    # predicts y = x
        >>> data = extrapolation_data(model, np.abs, (0, 1), (-1, 1), n=5)      # right for x >= 0 only
        >>> artists = draw_extrapolation(figure().add_subplot(), data, x_train=[0.0, 1.0], y_train=[0.0, 1.0])
        >>> artists["truth"].get_ydata().tolist(), artists["prediction"].get_ydata().tolist()
        ([1.0, 0.5, 0.0, 0.5, 1.0], [-1.0, -0.5, 0.0, 0.5, 1.0])
        >>> artists["points"].get_xdata().tolist()
        [0.0, 1.0]
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
    """Show new ExtrapolationData in the artists of ``draw_extrapolation`` (the training range stays).

    Shapes: data.x, data.truth, data.prediction (n,) -> None (the lines change).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.generalization import extrapolation_data
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Dense(1, 1)])
        >>> model.layers[0].weights[:] = 1.0; model.layers[0].bias[:] = 0.0    # predicts y = x
        >>> data = extrapolation_data(model, np.abs, (0, 1), (-1, 1), n=3)
        >>> artists = draw_extrapolation(figure().add_subplot(), data)
        >>> model.layers[0].weights[:] = 0.0; model.layers[0].bias[:] = 0.5    # now predicts y = 0.5
        >>> update_extrapolation(artists, extrapolation_data(model, np.abs, (0, 1), (-1, 1), n=3))
        >>> artists["prediction"].get_ydata().tolist()
        [0.5, 0.5, 0.5]
    """
    artists["truth"].set_data(data.x, data.truth)
    artists["prediction"].set_data(data.x, data.prediction)

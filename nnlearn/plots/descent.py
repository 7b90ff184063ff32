"""Pictures for loss and gradient descent: a line's errors on a few points, the loss along one weight, descent paths.

Compute (NumPy only): ``line_fit_data(x, y, weight, bias)`` (predictions, errors, the loss written out),
``loss_slice_data(x, y, weight, bias)`` (the loss as the weight moves, bias held), ``surface_with_path(surface,
run, upto)`` (a ``LossSurfaceData`` from ``loss_surface_data`` showing a recorded ``DescentPath`` up to a step),
``line_loss_surface(x, y)`` (that surface for a line's weight and bias).
Draw: ``draw_line_fit``/``update_line_fit``, ``draw_loss_slice``/``update_loss_slice``,
``draw_step_losses``/``update_step_losses`` (loss after each step), ``draw_descent_paths`` (several paths on one
surface), ``draw_loss_contours`` (level lines that make the bowl's shape visible). The loss surface itself is
drawn by ``draw_loss_surface`` from ``nnlearn.plots.surface``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..descent import DescentPath, line_loss
from ..validation import as_float_array, check_same_length
from . import _style
from ._grid import PlotData
from .curves import nice_ceiling
from .surface import LossSurfaceData, draw_loss_surface, loss_surface_data

__all__ = [
    "LineFitData",
    "LossSliceData",
    "draw_descent_paths",
    "draw_loss_contours",
    "draw_race",
    "draw_line_fit",
    "draw_loss_slice",
    "draw_step_losses",
    "line_fit_data",
    "line_loss_surface",
    "loss_slice_data",
    "race_surface_data",
    "surface_with_path",
    "update_line_fit",
    "update_loss_slice",
    "update_descent_paths",
    "update_step_losses",
]

PATH_COLORS = ("#ffffff", "#e69f00", "#56b4e9", "#cc79a7")  # white first: it reads best on viridis


def _number(value: float, digits: int = 2) -> str:
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


@dataclass
class LineFitData(PlotData):
    """A line ``weight * x + bias`` against points: each prediction, its error, and the mean squared error.

    ``residuals`` (n, 2, 2) are the vertical segments from each point to the line; ``line`` (2, 2) the line's ends
    at ``xlim``; ``text`` the loss written out with the live numbers.

    Shapes: x, y, predictions, errors (n,); residuals (n, 2, 2); line (2, 2).

    Example:
        >>> data = line_fit_data([0.0, 1.0], [1.0, 2.0], weight=2.0, bias=0.0)
        >>> data.residuals.tolist()    # from each point (x, y) down or up to the line (x, 2x)
        [[[0.0, 1.0], [0.0, 0.0]], [[1.0, 2.0], [1.0, 2.0]]]
        >>> data.line.shape, data.predictions.tolist()
        ((2, 2), [0.0, 2.0])
    """

    x: np.ndarray
    y: np.ndarray
    weight: float
    bias: float
    predictions: np.ndarray
    errors: np.ndarray
    loss: float
    residuals: np.ndarray
    line: np.ndarray
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    text: str


def line_fit_data(x: Any, y: Any, weight: float, bias: float, *, xlim: tuple[float, float] | None = None,
                  ylim: tuple[float, float] | None = None) -> LineFitData:
    """Predictions, errors and loss of the line ``weight * x + bias`` on the points (x, y).

    Shapes: x (n,) or (n, 1), y (n,) -> predictions, errors (n,); residuals (n, 2, 2).

    Example:
        >>> data = line_fit_data([0.0, 1.0], [1.0, 2.0], weight=2.0, bias=0.0)
        >>> data.errors.tolist(), data.loss          # predictions 0 and 2: errors -1 and 0
        ([-1.0, 0.0], 0.5)
        >>> data.text
        'loss = mean of squared errors = ((-1.00)² + 0.00²) / 2 = 0.50'
    """
    x = as_float_array(x, "x")
    x = x[:, 0] if x.ndim == 2 and x.shape[1] == 1 else x.reshape(-1)
    y = as_float_array(y, "y").reshape(-1)
    check_same_length(x, y)
    weight, bias = float(weight), float(bias)
    predictions = weight * x + bias
    errors = predictions - y
    loss = float(line_loss(weight, bias, x, y))
    if xlim is None:
        span = max(float(x.max() - x.min()), 1.0)
        xlim = (float(x.min()) - 0.15 * span, float(x.max()) + 0.15 * span)
    if ylim is None:
        span = max(float(y.max() - y.min()), 1.0)
        ylim = (float(y.min()) - 0.3 * span, float(y.max()) + 0.3 * span)
    ends = np.array(xlim, dtype=float)
    line = np.column_stack([ends, weight * ends + bias])
    residuals = np.stack([np.column_stack([x, y]), np.column_stack([x, predictions])], axis=1)
    shown = [f"({_number(e)})²" if _number(e).startswith("-") else f"{_number(e)}²" for e in errors]
    if len(shown) > 6:  # keep the line readable: first three, ..., last
        shown = shown[:3] + ["..."] + shown[-1:]
    text = f"loss = mean of squared errors = ({' + '.join(shown)}) / {len(x)} = {_number(loss)}"
    return LineFitData(x=x, y=y, weight=weight, bias=bias, predictions=predictions, errors=errors, loss=loss,
                       residuals=residuals, line=line, xlim=tuple(xlim), ylim=tuple(ylim), text=text)


def draw_line_fit(ax: Any, data: LineFitData) -> dict[str, Any]:
    """Draw the points, the line and each error as a vertical segment; the title says the loss.

    Returns the artists: 'points' (Line2D), 'line' (Line2D), 'residuals' (LineCollection), 'title' (Text).

    Shapes: the arrays of data (see LineFitData) -> dict of artists (one residual segment per point).

    Example:
        >>> from nnlearn.plots import figure
        >>> data = line_fit_data([0.0, 1.0], [1.0, 2.0], weight=2.0, bias=0.0)
        >>> artists = draw_line_fit(figure().add_subplot(), data)
        >>> artists["title"].get_text()    # errors -1 and 0: ((-1)² + 0²) / 2
        'weight 2.00, bias 0.00: loss 0.50'
        >>> len(artists["residuals"].get_segments())
        2
    """
    from matplotlib.collections import LineCollection

    _style.style_axes(ax)
    residuals = LineCollection(data.residuals, colors=_style.WARNING_COLOR, linewidths=1.5, zorder=2)
    ax.add_collection(residuals, autolim=False)
    (line,) = ax.plot(data.line[:, 0], data.line[:, 1], color=_style.POSITIVE, linewidth=2, zorder=1)
    (points,) = ax.plot(data.x, data.y, "o", color=_style.TEXT_COLOR, markersize=5, zorder=3)
    ax.set_xlim(*data.xlim)
    ax.set_ylim(*data.ylim)
    ax.set_xlabel("x", fontsize=9)
    ax.set_ylabel("y", fontsize=9)
    title = ax.set_title("", fontsize=10, color=_style.TEXT_COLOR)
    artists = {"points": points, "line": line, "residuals": residuals, "title": title}
    update_line_fit(artists, data)
    return artists


def update_line_fit(artists: dict[str, Any], data: LineFitData) -> None:
    """Show a new line (and its errors) in the artists of ``draw_line_fit``.

    Shapes: dict of artists, the arrays of data (see LineFitData) -> None (in place).

    Example:
        >>> from nnlearn.plots import figure
        >>> artists = draw_line_fit(figure().add_subplot(), line_fit_data([0.0, 1.0], [1.0, 2.0], 2.0, 0.0))
        >>> update_line_fit(artists, line_fit_data([0.0, 1.0], [1.0, 2.0], weight=1.0, bias=1.0))
        >>> artists["title"].get_text()    # y = x + 1 goes through both points
        'weight 1.00, bias 1.00: loss 0.00'
    """
    artists["points"].set_data(data.x, data.y)
    artists["line"].set_data(data.line[:, 0], data.line[:, 1])
    artists["residuals"].set_segments(data.residuals)
    artists["title"].set_text(f"weight {_number(data.weight)}, bias {_number(data.bias)}: loss {_number(data.loss)}")


@dataclass
class LossSliceData(PlotData):
    """The loss as the weight moves with the bias held: a cut through the loss surface.

    ``losses[i]`` is the loss at ``weights[i]``; ``weight``/``loss`` mark the current line.

    Shapes: weights (m,), losses (m,); weight, loss and bias are numbers.

    Example:
        >>> data = loss_slice_data([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], weight=2.0, bias=0.0, weights=[1.0, 2.0, 3.0])
        >>> data.losses.round(3).tolist()    # bias held at 0, not 1: w = 2 misses every point by 1
        [4.667, 1.0, 0.667]
        >>> data.weights.shape, data.loss
        ((3,), 1.0)
    """

    weights: np.ndarray
    losses: np.ndarray
    bias: float
    weight: float
    loss: float
    ylim: tuple[float, float]


def loss_slice_data(x: Any, y: Any, weight: float, bias: float, *, weights: Any = None,
                    ylim: tuple[float, float] | None = None) -> LossSliceData:
    """The mean squared error of ``w * x + bias`` for every w in ``weights`` (default: weight +- 3).

    Shapes: weights (m,) -> losses (m,).

    Example:
        >>> data = loss_slice_data([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], weight=2.0, bias=1.0, weights=[1.0, 2.0, 3.0])
        >>> data.losses.round(3).tolist(), data.loss
        ([1.667, 0.0, 1.667], 0.0)
    """
    weights = np.linspace(weight - 3.0, weight + 3.0, 121) if weights is None else as_float_array(weights, "weights")
    losses = np.asarray(line_loss(weights.reshape(-1), float(bias), x, y), dtype=float).reshape(-1)
    loss = float(line_loss(float(weight), float(bias), x, y))
    if ylim is None:
        ylim = (0.0, nice_ceiling(float(np.max(losses)) * 1.05))
    return LossSliceData(weights=weights.reshape(-1), losses=losses, bias=float(bias), weight=float(weight),
                         loss=loss, ylim=tuple(ylim))


def draw_loss_slice(ax: Any, data: LossSliceData) -> dict[str, Any]:
    """Draw the loss against the weight and a dot at the current weight.

    Returns the artists: 'curve' and 'marker' (Line2D), 'title' (Text).

    Shapes: the arrays of data (see LossSliceData) -> dict of artists (the curve has m points).

    Example:
        >>> from nnlearn.plots import figure
        >>> data = loss_slice_data([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], weight=2.0, bias=1.0, weights=[1.0, 2.0, 3.0])
        >>> artists = draw_loss_slice(figure().add_subplot(), data)
        >>> artists["marker"].get_data()    # the current weight sits at the bottom: y = 2x + 1 fits exactly
        ([2.0], [0.0])
        >>> artists["title"].get_text()
        'loss as the weight moves (bias held at 1.00)'
    """
    _style.style_axes(ax)
    (curve,) = ax.plot(data.weights, data.losses, color=_style.TRAIN_COLOR, linewidth=1.5)
    (marker,) = ax.plot([data.weight], [data.loss], "o", color=_style.WARNING_COLOR, markersize=8, zorder=3)
    ax.set_xlim(float(data.weights[0]), float(data.weights[-1]))
    ax.set_ylim(*data.ylim)
    ax.set_xlabel("weight", fontsize=9)
    ax.set_ylabel("loss", fontsize=9)
    title = ax.set_title("", fontsize=10, color=_style.TEXT_COLOR)
    artists = {"curve": curve, "marker": marker, "title": title}
    update_loss_slice(artists, data)
    return artists


def update_loss_slice(artists: dict[str, Any], data: LossSliceData) -> None:
    """Show a new cut (the bias changed) or a new current weight in the artists of ``draw_loss_slice``.

    Shapes: dict of artists, the arrays of data (see LossSliceData) -> None (in place).

    Example:
        >>> from nnlearn.plots import figure
        >>> x, y, grid = [0.0, 1.0, 2.0], [1.0, 3.0, 5.0], [1.0, 2.0, 3.0]
        >>> artists = draw_loss_slice(figure().add_subplot(), loss_slice_data(x, y, 2.0, 1.0, weights=grid))
        >>> update_loss_slice(artists, loss_slice_data(x, y, 2.0, 0.0, weights=grid))    # bias 1 -> 0
        >>> artists["curve"].get_ydata().round(3).tolist(), artists["marker"].get_data()
        ([4.667, 1.0, 0.667], ([2.0], [1.0]))
    """
    artists["curve"].set_data(data.weights, data.losses)
    artists["marker"].set_data([data.weight], [data.loss])
    artists["title"].set_text(f"loss as the weight moves (bias held at {_number(data.bias)})")
    ax = artists["curve"].axes
    ax.set_xlim(float(data.weights[0]), float(data.weights[-1]))
    ax.set_ylim(*data.ylim)


def surface_with_path(surface: LossSurfaceData, run: DescentPath, upto: int | None = None) -> LossSurfaceData:
    """The same loss surface showing ``run``'s path from the start up to step ``upto`` (default: every step).

    No loss is recomputed on the grid: only the path changes, so a Play control can move it step by step.

    Shapes: path (min(upto, run.n_steps) + 1, 2).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.descent import descent_path
        >>> x, y = np.array([[-1.0], [1.0]]), np.array([-2.0, 2.0])      # y = 2x
        >>> run = descent_path(nl.Sequential([nl.Dense(1, 1)]), x, y, learning_rate=0.25, steps=4, start=(0, 0))
        >>> surface = surface_with_path(line_loss_surface(x, y, resolution=5), run, upto=2)
        >>> surface.path.tolist(), surface.path_losses.tolist()    # each step halves the distance to weight 2
        ([[0.0, 0.0], [1.0, 0.0], [1.5, 0.0]], [4.0, 1.0, 0.25])
    """
    last = run.n_steps if upto is None else max(0, min(int(upto), run.n_steps))
    return dataclasses.replace(surface, path=run.path[: last + 1], path_losses=run.losses[: last + 1],
                               start=tuple(float(v) for v in run.path[0]))


def line_loss_surface(x: Any, y: Any, *, center: tuple[float, float] | None = None,
                      span: float | tuple[float, float] = 4.0, resolution: int = 41) -> LossSurfaceData:
    """The mean squared error of a line ``weight * x + bias`` over a grid of weights and biases.

    The line is a real ``nl.Dense(1, 1)`` and the grid comes from ``loss_surface_data``; the axes are named
    'weight' and 'bias'. ``center`` defaults to the best line (least squares), so the bottom of the bowl is in
    the middle.

    Shapes: x (n, 1) or (n,), y (n,) -> losses (resolution, resolution).

    Example:
        >>> surface = line_loss_surface([0.0, 1.0, 2.0], [1.0, 3.0, 5.0], span=1.0, resolution=3)
        >>> surface.names, round(float(surface.losses[1, 1]), 9)    # the centre is the best line y = 2x + 1
        (('weight', 'bias'), 0.0)
    """
    from ..layers import Dense
    from ..network import Sequential

    x = as_float_array(x, "x")
    x = x.reshape(-1, 1) if x.ndim == 1 else x
    y = as_float_array(y, "y").reshape(-1)
    if center is None:
        design = np.column_stack([x[:, 0], np.ones(len(x))])
        center = tuple(float(v) for v in np.linalg.lstsq(design, y, rcond=None)[0])
    line = Sequential([Dense(1, 1)])
    surface = loss_surface_data(line, x, y, "mse", [("layer1.weights", (0, 0)), ("layer1.bias", (0,))],
                                center=center, span=span, resolution=resolution, steps=0)
    return dataclasses.replace(surface, names=("weight", "bias"))


def draw_loss_contours(ax: Any, surface: LossSurfaceData, levels: int = 10) -> Any:
    """Add level lines of the loss (spaced evenly on a log scale, so the bottom of the bowl gets lines too).

    Returns the ContourSet.

    Shapes: surface.losses (resolution, resolution) -> ``levels`` level lines.

    Example:
        >>> from nnlearn.plots import figure
        >>> surface = line_loss_surface([-1.0, 1.0], [-2.0, 2.0], span=2.0, resolution=5)
        >>> contours = draw_loss_contours(figure().add_subplot(), surface, levels=4)
        >>> contours.levels.round(3).tolist()    # evenly spaced on a log scale up to the largest loss, 8
        [0.001, 0.02, 0.4, 8.0]
    """
    finite = surface.losses[np.isfinite(surface.losses)]
    low, high = float(finite.min()), float(finite.max())
    low = max(low, high * 1e-4, 1e-12)
    values = np.geomspace(low * 1.25, high, levels)
    return ax.contour(surface.w1, surface.w2, surface.losses, levels=values, colors="white", linewidths=0.5,
                      alpha=0.45, zorder=1)


def draw_step_losses(ax: Any, run: DescentPath, upto: int | None = None, *, max_steps: int | None = None,
                     ylim: tuple[float, float] | None = None, log: bool = False) -> dict[str, Any]:
    """Draw the loss after each step of a run, with a dot at step ``upto``.

    ``log`` puts the loss on a log scale, so a run that settles and a run that blows up fit on one axis.
    Returns the artists: 'curve' and 'marker' (Line2D).

    Shapes: run.losses (k + 1,) -> dict of artists (a curve of min(upto, k) + 1 points and one marker).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.descent import descent_path
        >>> from nnlearn.plots import figure
        >>> x, y = np.array([[-1.0], [1.0]]), np.array([-2.0, 2.0])
        >>> run = descent_path(nl.Sequential([nl.Dense(1, 1)]), x, y, learning_rate=0.25, steps=4, start=(0, 0))
        >>> artists = draw_step_losses(figure().add_subplot(), run, upto=2)
        >>> artists["curve"].get_ydata().tolist(), artists["marker"].get_ydata().tolist()
        ([4.0, 1.0, 0.25], [0.25])
    """
    _style.style_axes(ax)
    (curve,) = ax.plot([], [], "-", color=_style.TRAIN_COLOR, linewidth=1.5)
    (marker,) = ax.plot([], [], "o", color=_style.WARNING_COLOR, markersize=6, zorder=3)
    ax.set_xlim(0, max_steps if max_steps is not None else max(run.n_steps, 1))
    if log:
        ax.set_yscale("log")
    if ylim is None:
        top = float(run.losses[0]) * 1.1
        ylim = (top * 1e-3, top) if log else (0.0, nice_ceiling(top))
    ax.set_ylim(*ylim)
    ax.set_xlabel("step", fontsize=9)
    ax.set_ylabel("loss on all examples" + (" (log scale)" if log else ""), fontsize=9)
    artists = {"curve": curve, "marker": marker}
    update_step_losses(artists, run, upto)
    return artists


def update_step_losses(artists: dict[str, Any], run: DescentPath, upto: int | None = None) -> None:
    """Show ``run``'s losses up to step ``upto`` in the artists of ``draw_step_losses``.

    Shapes: dict of artists, run.losses (k + 1,) -> None (in place).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.descent import descent_path
        >>> from nnlearn.plots import figure
        >>> x, y = np.array([[-1.0], [1.0]]), np.array([-2.0, 2.0])
        >>> run = descent_path(nl.Sequential([nl.Dense(1, 1)]), x, y, learning_rate=0.25, steps=4, start=(0, 0))
        >>> artists = draw_step_losses(figure().add_subplot(), run, upto=0)
        >>> update_step_losses(artists, run)    # every step: the loss falls to a quarter each time
        >>> artists["curve"].get_ydata().tolist(), artists["marker"].get_xdata().tolist()
        ([4.0, 1.0, 0.25, 0.0625, 0.015625], [4])
    """
    last = run.n_steps if upto is None else max(0, min(int(upto), run.n_steps))
    steps = run.steps[: last + 1]
    losses = run.losses[: last + 1]
    artists["curve"].set_data(steps, losses)
    artists["marker"].set_data(steps[-1:], losses[-1:])


def draw_descent_paths(ax: Any, runs: Sequence[DescentPath], labels: Sequence[str] | None = None,
                       colors: Sequence[str] = PATH_COLORS) -> list[Any]:
    """Add several descent paths to an axes (usually over ``draw_loss_surface``), one colour each, with a legend.

    Returns one Line2D per run.

    Shapes: each run.path (k + 1, 2) -> one line of k + 1 points per run.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.descent import descent_path
        >>> from nnlearn.plots import figure
        >>> x, y, model = np.array([[-1.0], [1.0]]), np.array([-2.0, 2.0]), nl.Sequential([nl.Dense(1, 1)])
        >>> runs = [descent_path(model, x, y, learning_rate=lr, steps=2, start=(0, 0)) for lr in (0.25, 0.5)]
        >>> lines = draw_descent_paths(figure().add_subplot(), runs)
        >>> [line.get_xdata().tolist() for line in lines]    # learning rate 0.5 lands on weight 2 in one step
        [[0.0, 1.0, 1.5], [0.0, 2.0, 2.0]]
        >>> lines[1].get_label()
        'learning rate 0.5: loss 4 -> 0 after 2 steps'
    """
    lines = []
    labels = labels if labels is not None else [run.summary() for run in runs]
    for k, (run, label) in enumerate(zip(runs, labels)):
        (line,) = ax.plot(run.path[:, 0], run.path[:, 1], "-", color=colors[k % len(colors)], linewidth=1.3,
                          label=label, zorder=2 + k)
        lines.append(line)
    if lines:
        legend = ax.legend(loc="upper right", fontsize=7, framealpha=0.85)
        legend.get_frame().set_facecolor("#333333")
        for text in legend.get_texts():
            text.set_color("#ffffff")
    return lines


def race_surface_data(surface: Any, resolution: int = 81, *, clip_quantile: float = 0.6) -> LossSurfaceData:
    """A ``LossSurfaceData`` for a ``nnlearn.descent.Surface2D`` (ravine, Rosenbrock, a network's slice), ready
    for ``draw_loss_surface`` and ``draw_loss_contours``.

    The colour scale stops at the ``clip_quantile`` of the values, so a steep wall does not wash out the valley.
    The path fields hold just the start (the race's paths are drawn with ``draw_descent_paths``).

    Shapes: -> losses (resolution, resolution); w1, w2 (resolution,).

    Example:
        >>> from nnlearn.descent import surface
        >>> data = race_surface_data(surface("ravine"), resolution=5)
        >>> data.losses.shape, data.names, data.path.tolist()
        ((5, 5), ('w1', 'w2'), [[-9.0, 1.5]])
    """
    w1, w2, losses = surface.grid(resolution)
    finite = losses[np.isfinite(losses)]
    low = float(finite.min()) if finite.size else 0.0
    high = float(np.quantile(finite, clip_quantile)) if finite.size else 1.0
    start = tuple(float(s) for s in surface.start)
    return LossSurfaceData(names=tuple(surface.names), w1=w1, w2=w2, losses=losses, start=start,
                           path=np.array([start]), path_losses=np.array([surface.value(*start)]),
                           extent=(float(w1[0]), float(w1[-1]), float(w2[0]), float(w2[-1])),
                           limits=(low, max(high, low + 1e-12)))


def update_descent_paths(lines: Sequence[Any], runs: Sequence[DescentPath], labels: Sequence[str] | None = None,
                         upto: int | None = None) -> None:
    """Put new runs (up to step ``upto``) into the lines of ``draw_descent_paths``, in place.

    Shapes: each run.path (k + 1, 2) -> its line's data (min(k, upto) + 1 points).

    Example:
        >>> from nnlearn.descent import race, surface
        >>> from nnlearn.plots import figure
        >>> runs = list(race(surface("ravine"), learning_rate=0.1, steps=5).values())
        >>> lines = draw_descent_paths(figure().add_subplot(), runs)
        >>> update_descent_paths(lines, runs, upto=2)
        >>> len(lines[0].get_xdata())
        3
    """
    for k, (line, run) in enumerate(zip(lines, runs)):
        last = len(run.path) if upto is None else min(upto, run.n_steps) + 1
        line.set_data(run.path[:last, 0], run.path[:last, 1])
        if labels is not None:
            line.set_label(labels[k])
    if lines and labels is not None:
        legend = lines[0].axes.get_legend()
        if legend is not None:
            for text, label in zip(legend.get_texts(), labels):
                text.set_text(label)


def draw_race(ax: Any, surface: Any, runs: Sequence[DescentPath], labels: Sequence[str] | None = None, *,
              resolution: int = 81, colors: Sequence[str] = ("#ffffff", "#e69f00", "#56b4e9", "#cc79a7", "#009e73"),
              ) -> dict[str, Any]:
    """An optimizer race on one axes: the surface (``race_surface_data``), its level lines, every path from the
    common start (a ring), and the lowest point as a white star where it is known.

    Returns 'surface' (the artists of ``draw_loss_surface``, its own path hidden), 'contours', 'paths' (one
    Line2D per run) and 'goal'.

    Shapes: each run.path (k + 1, 2) -> one line per run.

    Example:
        >>> from nnlearn.descent import race, surface
        >>> from nnlearn.plots import figure
        >>> banana = surface("rosenbrock")
        >>> runs = race(banana, learning_rate=0.01, steps=20)
        >>> artists = draw_race(figure().add_subplot(), banana, list(runs.values()), list(runs), resolution=11)
        >>> len(artists["paths"]), artists["goal"].get_xydata().tolist()
        (4, [[1.0, 1.0]])
    """
    data = race_surface_data(surface, resolution)
    drawn = draw_loss_surface(ax, data)
    drawn["path"].set_visible(False)
    drawn["end"].set_visible(False)
    contours = draw_loss_contours(ax, data)
    paths = draw_descent_paths(ax, runs, labels, colors=colors)
    minimum = surface.minimum if surface.minimum is not None else (np.nan, np.nan)
    (goal,) = ax.plot([minimum[0]], [minimum[1]], "*", color="#ffffff", markeredgecolor="black", markersize=12,
                      zorder=9)
    return {"surface": drawn, "contours": contours, "paths": paths, "goal": goal}

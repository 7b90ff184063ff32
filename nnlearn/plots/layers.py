"""Pictures of a layer: its matrix product drawn as grids of numbers, and the line each of its units draws.

Compute (NumPy only): ``unit_lines_data(layer, extent)``: for a layer with two inputs, the line where each
unit's weighted sum z is 0 (the unit's own decision line), as segments inside ``extent``.
Draw: ``draw_unit_lines(ax, data)`` / ``update_unit_lines(artists, data)``; ``draw_matrix(ax, values, title)``
shows an array as a grid of cells with its numbers written in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..validation import as_float_array
from . import _style
from ._grid import PlotData, check_extent

__all__ = ["UnitLinesData", "draw_matrix", "draw_unit_lines", "hidden_units_figure", "unit_lines_data", "update_unit_lines"]

# Apart from the classes' orange and blue and from the boundary's black, so every unit's line stays its own.
UNIT_COLORS = ("#009e73", "#cc79a7", "#7b3294", "#8c510a", "#01665e", "#999999", "#b8a800", "#e7298a")


@dataclass
class UnitLinesData(PlotData):
    """Each unit's z = 0 line: ``segments[j]`` (k, 2, 2) for unit j, clipped to ``extent``.

    ``label_points[j]`` is where to write the unit's name (the middle of its visible line, NaN when the line
    misses the box).

    Shapes: weights (2, n_units), bias (n_units,); segments: n_units arrays (1, 2, 2) or (0, 2, 2);
    label_points (n_units, 2).

    Example:
        >>> import nnlearn as nl
        >>> layer = nl.Dense(2, 2)
        >>> layer.weights[:] = [[1.0, 0.0], [-1.0, 1.0]]; layer.bias[:] = [0.0, -0.5]
        >>> data = unit_lines_data(layer, (-1, 1, -1, 1))
        >>> data.labels, data.label_points.round(2).tolist()    # 80% along each line, from its left end
        (['unit 1', 'unit 2'], [[0.6, 0.6], [0.6, 0.5]])
    """

    extent: tuple[float, float, float, float]
    weights: np.ndarray
    bias: np.ndarray
    segments: list[np.ndarray]
    label_points: np.ndarray
    labels: list[str]


def _clip_line(w1: float, w2: float, b: float, extent: tuple[float, float, float, float]) -> np.ndarray:
    """The part of the line w1 * x1 + w2 * x2 + b = 0 inside the box: (1, 2, 2), or (0, 2, 2) if it misses."""
    x1_min, x1_max, x2_min, x2_max = extent
    points = []
    if w2 != 0:  # crossings with the left and right edges
        for x1 in (x1_min, x1_max):
            x2 = -(w1 * x1 + b) / w2
            if x2_min <= x2 <= x2_max:
                points.append((x1, x2))
    if w1 != 0:  # crossings with the bottom and top edges
        for x2 in (x2_min, x2_max):
            x1 = -(w2 * x2 + b) / w1
            if x1_min <= x1 <= x1_max:
                points.append((x1, x2))
    if len(points) < 2:
        return np.zeros((0, 2, 2))
    points = np.array(points)
    # Through a corner the same point is found twice: keep the two that lie farthest apart.
    gaps = np.linalg.norm(points[:, None] - points[None], axis=-1)
    i, j = np.unravel_index(np.argmax(gaps), gaps.shape)
    if gaps[i, j] == 0:
        return np.zeros((0, 2, 2))
    return np.array([[points[i], points[j]]])


def unit_lines_data(layer: Any, extent: tuple[float, float, float, float]) -> UnitLinesData:
    """Where each unit of a two-input layer has z = x1 * w1j + x2 * w2j + bj = 0: one straight line per unit.

    ``layer`` is anything with ``weights`` (2, n_units) and ``bias`` (n_units,), such as ``nl.Dense(2, 3)``.
    Each line is clipped to ``extent`` exactly (one segment per unit, none when the line misses the box).

    Shapes: weights (2, n_units) -> n_units arrays of segments (1, 2, 2) or (0, 2, 2).

    Example:
        >>> import nnlearn as nl
        >>> layer = nl.Dense(2, 2)
        >>> layer.weights[:] = [[1.0, 0.0], [-1.0, 1.0]]; layer.bias[:] = [0.0, -0.5]
        >>> data = unit_lines_data(layer, (-1, 1, -1, 1))
        >>> data.segments[0].tolist()       # x1 - x2 = 0: the diagonal, corner to corner
        [[[-1.0, -1.0], [1.0, 1.0]]]
        >>> data.segments[1].tolist()       # x2 - 0.5 = 0: a level line at x2 = 0.5
        [[[-1.0, 0.5], [1.0, 0.5]]]
    """
    weights = as_float_array(layer.weights if hasattr(layer, "weights") else layer, "weights")
    if weights.ndim != 2 or weights.shape[0] != 2:
        raise ValueError(f"Unit lines live in the plane of two inputs, so weights must be (2, n_units), "
                         f"but got {weights.shape}.")
    bias = as_float_array(getattr(layer, "bias", np.zeros(weights.shape[1])), "bias").reshape(-1)
    extent = check_extent(extent)
    segments = [_clip_line(float(weights[0, j]), float(weights[1, j]), float(bias[j]), extent)
                for j in range(weights.shape[1])]
    # Names go near one end of each line (80% of the way along), so lines that cross in the middle keep apart.
    label_points = np.array([seg[0, 0] + 0.8 * (seg[0, 1] - seg[0, 0]) if len(seg) else [np.nan, np.nan]
                             for seg in segments])
    labels = [f"unit {j + 1}" for j in range(weights.shape[1])]
    return UnitLinesData(extent=extent, weights=weights, bias=bias, segments=segments, label_points=label_points,
                         labels=labels)


def draw_unit_lines(ax: Any, data: UnitLinesData, *, labels: bool = True) -> dict[str, Any]:
    """Draw each unit's z = 0 line dashed, one colour per unit, with its name beside it.

    Returns the artists: 'lines' (one LineCollection per unit), 'labels' (one Text per unit).

    Shapes: the arrays of data (see UnitLinesData) -> dict of artists (n_units lines and labels).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> layer = nl.Dense(2, 2)
        >>> layer.weights[:] = [[1.0, 0.0], [-1.0, 1.0]]; layer.bias[:] = [0.0, -0.5]
        >>> artists = draw_unit_lines(figure().add_subplot(), unit_lines_data(layer, (-1, 1, -1, 1)))
        >>> [line.get_segments()[0].tolist() for line in artists["lines"]]    # x1 = x2, then x2 = 0.5
        [[[-1.0, -1.0], [1.0, 1.0]], [[-1.0, 0.5], [1.0, 0.5]]]
    """
    from matplotlib.collections import LineCollection

    lines, texts = [], []
    for j, segments in enumerate(data.segments):
        color = UNIT_COLORS[j % len(UNIT_COLORS)]
        line = LineCollection(segments, colors=color, linewidths=2.0, linestyles="--", zorder=4)
        ax.add_collection(line, autolim=False)
        lines.append(line)
        text = ax.text(0, 0, data.labels[j], color=color, fontsize=9, fontweight="bold", zorder=5,
                       bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 1})
        text.set_visible(labels)
        texts.append(text)
    artists = {"lines": lines, "labels": texts}
    update_unit_lines(artists, data, labels=labels)
    return artists


def update_unit_lines(artists: dict[str, Any], data: UnitLinesData, *, labels: bool = True) -> None:
    """Move the lines (and their names) of ``draw_unit_lines`` to new weights; the number of units must match.

    Shapes: dict of artists, the arrays of data (see UnitLinesData; same n_units) -> None (in place).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> layer = nl.Dense(2, 2)
        >>> layer.weights[:] = [[1.0, 0.0], [-1.0, 1.0]]; layer.bias[:] = [0.0, -0.5]
        >>> artists = draw_unit_lines(figure().add_subplot(), unit_lines_data(layer, (-1, 1, -1, 1)))
        >>> layer.bias[1] = -5.0                                 # unit 2's line moves up to x2 = 5
        >>> update_unit_lines(artists, unit_lines_data(layer, (-1, 1, -1, 1)))
        >>> len(artists["lines"][1].get_segments()), artists["labels"][1].get_visible()    # outside the box
        (0, False)
    """
    if len(artists["lines"]) != len(data.segments):
        raise ValueError(f"These artists show {len(artists['lines'])} units but the data has {len(data.segments)}.")
    for line, text, segments, point in zip(artists["lines"], artists["labels"], data.segments, data.label_points):
        line.set_segments(segments)
        visible = labels and bool(np.isfinite(point).all())
        text.set_visible(visible)
        if visible:
            text.set_position(point)


def draw_matrix(ax: Any, values: Any, title: str = "", *, digits: int = 2, limit: float | None = None,
                n_rows: int | None = None, row_label: str = "", column_label: str = "") -> dict[str, Any]:
    """Draw an array as a grid of cells coloured by sign and size, each with its number written in.

    A 1-D array is drawn as one row. ``limit`` fixes the colour range (+-limit), so several matrices drawn
    side by side share one scale; ``n_rows`` makes the axes that many rows tall (the array sits at the top), so
    matrices of different heights get cells of one size. Returns 'image' (AxesImage) and 'texts' (list of Text).

    Shapes: values (rows, columns) or (columns,).

    Example:
        >>> from nnlearn.plots import figure
        >>> artists = draw_matrix(figure().add_subplot(), [[1.0, -2.0], [0.5, 0.0]], "weights")
        >>> [text.get_text() for text in artists["texts"]], artists["image"].axes.get_title()
        (['1.00', '-2.00', '0.50', '0.00'], 'weights (2, 2)')
    """
    values = as_float_array(values, "values")
    shape = values.shape  # written in the title as the code sees it: (3,) for a bias, not (1, 3)
    values = values.reshape(1, -1) if values.ndim == 1 else values
    if values.ndim != 2:
        raise ValueError(f"draw_matrix shows 1-D or 2-D arrays, but got shape {values.shape}.")
    limit = float(np.abs(values).max()) if limit is None else float(limit)
    limit = limit if limit > 0 else 1.0
    image = ax.imshow(values, cmap=_style.colormap(_style.DIVERGING), vmin=-limit, vmax=limit, aspect="equal")
    texts = []
    for (i, j), value in np.ndenumerate(values):
        strong = abs(value) > 0.6 * limit
        texts.append(ax.text(j, i, f"{value:.{digits}f}", ha="center", va="center", fontsize=8,
                             color="white" if strong else _style.TEXT_COLOR))
    ax.set_xticks(range(values.shape[1]))
    ax.set_yticks(range(values.shape[0]))
    if n_rows is not None and n_rows > values.shape[0]:
        ax.set_ylim(n_rows - 0.5, -0.5)  # rows count down from the top, as in imshow
        ax.set_xticks([])  # column numbers far below the cells would read as belonging to nothing
    ax.tick_params(labelsize=7, colors=_style.MUTED_COLOR, length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(f"{title} {shape}" if title else str(shape), fontsize=9, color=_style.TEXT_COLOR)
    if row_label:
        ax.set_ylabel(row_label, fontsize=8, color=_style.MUTED_COLOR)
    if column_label:
        ax.set_xlabel(column_label, fontsize=8, color=_style.MUTED_COLOR)
    return {"image": image, "texts": texts}


def hidden_units_figure(model: Any, x: Any, y: Any, *, resolution: int = 80, figsize: tuple[float, float] = (9.5, 3.6),
                        dpi: float = 90) -> Any:
    """The first layer's units one at a time, then the whole network, on 2-D data.

    Left, one small panel per unit of the first layer: its output over the plane (blue high, orange low) and its
    z = 0 line. Right: the network's decision surface and boundary (black) with every unit's line dashed over
    the data. Returns a matplotlib Figure (shown as a picture when it is the last value of a notebook cell).

    Shapes: x (n, 2), y (n,); the first layer must have 2 inputs and at most 8 units.

    Example:
        >>> import nnlearn as nl
        >>> x, y = nl.datasets.xor(n=40, seed=0)
        >>> model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> fig = hidden_units_figure(model, x, y, resolution=20)
        >>> [ax.get_title() for ax in fig.axes]    # one panel per hidden unit, then the whole network
        ['unit 1', 'unit 2', 'unit 3', 'the network: black = its boundary']
    """
    from matplotlib.collections import LineCollection

    from .boundary import decision_boundary_data, draw_decision_boundary, neuron_output_grids

    layers = [layer for layer in getattr(model, "layers", []) if hasattr(layer, "weights")]
    if not layers or np.shape(layers[0].weights)[0] != 2:
        raise ValueError("hidden_units_figure draws networks whose first layer has two inputs, such as "
                         "nl.Sequential([nl.Dense(2, 4, 'tanh'), nl.Dense(4, 1, 'sigmoid')]).")
    n_units = layers[0].weights.shape[1]
    if n_units > 8:
        raise ValueError(f"hidden_units_figure shows at most 8 units side by side, but the first layer has {n_units}.")
    grids = neuron_output_grids(model, x, resolution)
    lines = unit_lines_data(layers[0], grids.extent)
    outputs = grids.layers[1]
    low, high = float(np.nanmin(outputs)), float(np.nanmax(outputs))
    middle = 0.0 if low < 0 else 0.5  # tanh-like units are centred on 0, sigmoid-like on 0.5
    reach = max(abs(high - middle), abs(low - middle), 1e-9)

    fig = _style.figure(figsize, dpi)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.12, top=0.9)
    columns = (n_units + 1) // 2
    grid = fig.add_gridspec(2, columns + 1, width_ratios=[1.0] * columns + [2.2 if n_units > 1 else 1.6],
                            wspace=0.25, hspace=0.35)
    x = as_float_array(x, "x")
    for j in range(n_units):
        ax = fig.add_subplot(grid[j // columns, j % columns])   # read like text: unit 1, 2 on top, then 3, 4
        _style.style_axes(ax, f"unit {j + 1}")
        ax.imshow(outputs[j], origin="lower", extent=grids.extent, cmap=_style.colormap(_style.DIVERGING),
                  vmin=middle - reach, vmax=middle + reach, aspect="auto", interpolation="nearest")
        ax.scatter(x[:, 0], x[:, 1], s=2, color=_style.TEXT_COLOR, alpha=0.4, linewidths=0)
        ax.add_collection(LineCollection(lines.segments[j], colors=UNIT_COLORS[j % len(UNIT_COLORS)],
                                         linewidths=2.0, linestyles="--"), autolim=False)
        ax.set_xlim(grids.extent[0], grids.extent[1])
        ax.set_ylim(grids.extent[2], grids.extent[3])
        ax.set_xticks([])
        ax.set_yticks([])
        ax.title.set_color(UNIT_COLORS[j % len(UNIT_COLORS)])
    big = fig.add_subplot(grid[:, columns])
    draw_decision_boundary(big, decision_boundary_data(model, x, resolution, extent=grids.extent), x, y)
    draw_unit_lines(big, lines)
    big.set_title("the network: black = its boundary", fontsize=9, color=_style.TEXT_COLOR)
    return fig

"""The loss as a landscape over two chosen weights, with the path gradient descent takes across it.

Compute: ``loss_surface_data(model, x, y, loss, weights=...)`` (NumPy only; the model is left as it was).
Draw: ``draw_loss_surface(ax, data)``; ``update_loss_surface(artists, data)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import losses as losses_module
from ..descent import _chosen_gradients, _label, _resolve_weight
from ..validation import as_float_array, check_positive_int
from . import _style
from ._grid import PlotData

__all__ = ["LossSurfaceData", "draw_loss_surface", "loss_surface_data", "update_loss_surface"]

WeightChoice = tuple  # (parameter name such as 'layer1.weights', index such as (0, 1))


@dataclass
class LossSurfaceData(PlotData):
    """Loss on a grid of two weights (all others held fixed), and a descent path.

    ``losses[j, i]`` is the loss with the first weight at ``w1[i]`` and the second at ``w2[j]`` (rows go up in
    the second weight, ready for ``imshow(origin="lower")``). ``path`` (steps + 1, 2) holds the two weights after
    each step from ``start`` and ``path_losses`` the loss there.

    Shapes: w1 (resolution,), w2 (resolution,); losses (resolution, resolution); path (steps + 1, 2);
    path_losses (steps + 1,).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(1, 1)])
        >>> model.layers[0].weights[:] = 0.0; model.layers[0].bias[:] = 0.0
        >>> x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])     # y = 2 x
        >>> pair = [("layer1.weights", (0, 0)), ("layer1.bias", (0,))]
        >>> data = loss_surface_data(model, x, y, "mse", pair, span=3.0, resolution=7, steps=3)
        >>> data.names, data.losses.shape
        (('layer1.weights[0, 0]', 'layer1.bias[0]'), (7, 7))
        >>> data.path.round(2).tolist()  # three steps of descent from (0, 0) towards (2, 0)
        [[0.0, 0.0], [1.0, 0.6], [1.32, 0.78], [1.43, 0.83]]
        >>> data.path_losses.round(2).tolist()  # mean of (2 - 0)**2 and (4 - 0)**2 is 10 at the start
        [10.0, 1.06, 0.17, 0.08]
    """

    names: tuple[str, str]
    w1: np.ndarray
    w2: np.ndarray
    losses: np.ndarray
    start: tuple[float, float]
    path: np.ndarray
    path_losses: np.ndarray
    extent: tuple[float, float, float, float]
    limits: tuple[float, float]


def loss_surface_data(
    model: Any,
    x: np.ndarray,
    y: np.ndarray,
    loss: str | losses_module.Loss = "mse",
    weights: Sequence[Any] | None = None,
    *,
    span: float | tuple[float, float] = 2.0,
    resolution: int = 41,
    center: tuple[float, float] | None = None,
    path: np.ndarray | None = None,
    steps: int = 20,
    learning_rate: float = 0.1,
) -> LossSurfaceData:
    """The loss over a grid of two weights, and the path of gradient descent on those two weights.

    ``weights`` picks the two weights as (parameter name, index) pairs, e.g. ``[("layer1.weights", (0, 0)),
    ("layer1.bias", (0,))]``; by default the first two numbers of the first parameter. The grid spans
    ``center +- span`` (center: the current values). The path is ``path`` if given (an array of weight pairs),
    otherwise ``steps`` steps of full-batch gradient descent on just those two weights with ``learning_rate``.
    The model's weights are put back afterwards.

    Shapes: x (n, n_inputs), y (n,) -> losses (resolution, resolution), path (k, 2).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(1, 1)])
        >>> x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])     # y = 2 x
        >>> model.layers[0].weights[:] = 0.0; model.layers[0].bias[:] = 0.0
        >>> data = loss_surface_data(model, x, y, "mse", [("layer1.weights", (0, 0)), ("layer1.bias", (0,))],
        ...                          center=(2.0, 0.0), span=1.0, resolution=3, steps=0)
        >>> float(data.losses[1, 1])    # w = 2, b = 0 fits exactly
        0.0
    """
    loss = losses_module.get(loss)
    x = as_float_array(x, "x")
    resolution = check_positive_int(resolution, "resolution")
    if weights is None:
        first_name, first = next(iter(model.parameters().items()))
        if first.size < 2:
            raise ValueError(f"{first_name} has only one number; choose two weights with weights=[...].")
        flat = [np.unravel_index(k, first.shape) for k in (0, 1)]
        weights = [(first_name, tuple(int(i) for i in flat[0])), (first_name, tuple(int(i) for i in flat[1]))]
    if len(weights) != 2:
        raise ValueError(f"Choose exactly two weights to vary, but got {len(weights)}.")
    chosen = [_resolve_weight(model, choice) for choice in weights]
    original = [float(array[index]) for _, array, index in chosen]
    center = tuple(float(c) for c in center) if center is not None else tuple(original)
    spans = (float(span), float(span)) if np.ndim(span) == 0 else tuple(float(s) for s in span)
    w1 = np.linspace(center[0] - spans[0], center[0] + spans[0], resolution)
    w2 = np.linspace(center[1] - spans[1], center[1] + spans[1], resolution)

    def set_pair(a: float, b: float) -> None:
        chosen[0][1][chosen[0][2]] = a
        chosen[1][1][chosen[1][2]] = b

    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            losses = np.empty((resolution, resolution))
            for j, b in enumerate(w2):
                for i, a in enumerate(w1):
                    set_pair(a, b)
                    losses[j, i] = model.loss(x, y, loss)
            if path is not None:
                points = as_float_array(path, "path").reshape(-1, 2)
            else:
                points = [center]
                current = np.array(center, dtype=float)
                for _ in range(int(steps)):
                    set_pair(*current)
                    grads = _chosen_gradients(model, x, y, loss, chosen)
                    current = current - learning_rate * np.array(grads)
                    if not np.isfinite(current).all():
                        break
                    points.append(tuple(current))
                points = np.array(points, dtype=float)
            path_losses = np.empty(len(points))
            for k, (a, b) in enumerate(points):
                set_pair(a, b)
                path_losses[k] = model.loss(x, y, loss)
    finally:
        set_pair(*original)
    finite = losses[np.isfinite(losses)]
    limits = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    return LossSurfaceData(
        names=tuple(_label(name, index) for name, _, index in chosen), w1=w1, w2=w2, losses=losses,
        start=center, path=points, path_losses=path_losses, extent=(w1[0], w1[-1], w2[0], w2[-1]), limits=limits,
    )


def draw_loss_surface(ax: Any, data: LossSurfaceData) -> dict[str, Any]:
    """Draw the loss landscape (image, viridis, lower is darker) and the descent path with its start and end.

    Returns the artists: 'surface' (AxesImage), 'path' (Line2D with markers), 'start' and 'end' (Line2D).

    Shapes: the arrays of data (see LossSurfaceData) -> dict of artists.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(1, 1)])
        >>> model.layers[0].weights[:] = 0.0; model.layers[0].bias[:] = 0.0
        >>> x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])     # y = 2 x
        >>> pair = [("layer1.weights", (0, 0)), ("layer1.bias", (0,))]
        >>> from nnlearn.plots import figure
        >>> data = loss_surface_data(model, x, y, "mse", pair, span=3.0, resolution=7, steps=3)
        >>> artists = draw_loss_surface(figure().add_subplot(), data)
        >>> artists["surface"].get_array().shape, len(artists["path"].get_xdata())
        ((7, 7), 4)
        >>> artists["end"].get_xydata().round(2).tolist()  # the star marks the last step
        [[1.43, 0.83]]
    """
    _style.style_axes(ax)
    surface = ax.imshow(data.losses, origin="lower", extent=data.extent, cmap=_style.colormap(_style.SEQUENTIAL),
                        vmin=data.limits[0], vmax=data.limits[1], aspect="auto", interpolation="bilinear", zorder=0)
    (path,) = ax.plot(data.path[:, 0], data.path[:, 1], "-o", color="white", markersize=3, linewidth=1.2, zorder=2)
    (start,) = ax.plot(data.path[:1, 0], data.path[:1, 1], "o", color="white", markeredgecolor="black",
                       markersize=7, zorder=3)
    (end,) = ax.plot(data.path[-1:, 0], data.path[-1:, 1], "*", color=_style.CLASS_COLORS[0],
                     markeredgecolor="black", markersize=12, zorder=3)
    ax.set_xlim(data.extent[0], data.extent[1])
    ax.set_ylim(data.extent[2], data.extent[3])
    ax.set_xlabel(data.names[0], fontsize=9)
    ax.set_ylabel(data.names[1], fontsize=9)
    return {"surface": surface, "path": path, "start": start, "end": end}


def update_loss_surface(artists: dict[str, Any], data: LossSurfaceData) -> None:
    """Show a new landscape and path in the artists of ``draw_loss_surface``.

    Shapes: the arrays of data (see LossSurfaceData) -> None (the artists change in place).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(1, 1)])
        >>> model.layers[0].weights[:] = 0.0; model.layers[0].bias[:] = 0.0
        >>> x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])     # y = 2 x
        >>> pair = [("layer1.weights", (0, 0)), ("layer1.bias", (0,))]
        >>> from nnlearn.plots import figure
        >>> artists = draw_loss_surface(figure().add_subplot(), loss_surface_data(model, x, y, "mse", pair))
        >>> data = loss_surface_data(model, x, y, "mse", pair, center=(2.0, 0.0), span=1.0, resolution=5, steps=0)
        >>> update_loss_surface(artists, data)
        >>> [float(v) for v in artists["surface"].get_extent()], artists["end"].get_xydata().tolist()
        ([1.0, 3.0, -1.0, 1.0], [[2.0, 0.0]])
    """
    surface = artists["surface"]
    surface.set_data(data.losses)
    surface.set_clim(*data.limits)
    surface.set_extent(data.extent)
    artists["path"].set_data(data.path[:, 0], data.path[:, 1])
    artists["start"].set_data(data.path[:1, 0], data.path[:1, 1])
    artists["end"].set_data(data.path[-1:, 0], data.path[-1:, 1])
    ax = surface.axes
    ax.set_xlim(data.extent[0], data.extent[1])
    ax.set_ylim(data.extent[2], data.extent[3])

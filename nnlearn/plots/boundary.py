"""What a model says at every point of the 2-D input plane: decision surfaces and every neuron's output.

Compute: ``decision_boundary_data`` and ``neuron_output_grids`` return arrays (NumPy only).
Draw: ``draw_decision_boundary(ax, data, x, y)`` returns artists; ``update_decision_boundary`` changes them in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..features import FeatureMap
from ..validation import as_float_array
from . import _style
from ._grid import PlotData, check_extent, grid_points, input_extent, level_segments

__all__ = [
    "DecisionBoundaryData",
    "NeuronGrids",
    "PointGroups",
    "boundary_from_outputs",
    "decision_boundary_data",
    "draw_decision_boundary",
    "neuron_output_grids",
    "point_colors",
    "surface_pixels",
    "update_decision_boundary",
]

KINDS = ("binary", "multiclass", "regression")


def _feature_function(features: Iterable[str] | Callable | None) -> Callable[[np.ndarray], np.ndarray] | None:
    if features is None or callable(features):
        return features
    return FeatureMap(features)


def _layers(model: Any) -> list:
    layers = getattr(model, "layers", None)
    if layers is None:
        raise TypeError(f"Expected a network with .layers (such as nl.Sequential), but got {type(model).__name__}.")
    return list(layers)


def _output_kind(model: Any, n_outputs: int, kind: str | None) -> str:
    """'binary' (one probability), 'multiclass' (one probability per class) or 'regression' (a value)."""
    if kind is not None:
        if kind == "classification":
            return "multiclass" if n_outputs > 1 else "binary"
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS + ('classification',)} or None, but got {kind!r}.")
        return kind
    if n_outputs > 1:
        return "multiclass"
    layers = getattr(model, "layers", None)
    activation = getattr(layers[-1], "activation", None) if layers else getattr(model, "activation", None)
    return "binary" if getattr(activation, "binary_output", False) else "regression"


@dataclass
class DecisionBoundaryData(PlotData):
    """A model's answer over a grid of the input plane.

    Rows of the (resolution, resolution) arrays go up in x2 and columns go right in x1, ready for
    ``imshow(origin="lower", extent=extent)``.

    - ``values``: binary, the probability of class 1; multiclass, the largest class probability; regression, the
      output.
    - ``classes``: the predicted class at each point (None for regression).
    - ``probabilities``: (resolution, resolution, n_classes) for multiclass models, else None.
    - ``boundary``: (n, 2, 2) segments where the predicted class changes.
    - ``limits``: the colour range (vmin, vmax).

    Shapes: x1 (resolution,), x2 (resolution,); values, classes (resolution, resolution); probabilities
    (resolution, resolution, n_classes) or None; boundary (n_segments, 2, 2).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 1, "sigmoid")])
        >>> model.layers[0].weights[:] = [[4.0], [0.0]]; model.layers[0].bias[:] = 0.0  # class 1 where x1 > 0
        >>> data = decision_boundary_data(model, extent=(-1, 1, -1, 1), resolution=3)
        >>> data.kind, data.n_classes, data.limits, data.probabilities
        ('binary', 2, (0.0, 1.0), None)
        >>> data.values[0].round(2).tolist(), data.classes[0].tolist()  # one row: sigmoid(4 * x1)
        ([0.02, 0.5, 0.98], [0, 0, 1])
        >>> data.boundary.tolist()  # the line x1 = 0, in two segments
        [[[0.0, -1.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 1.0]]]
    """

    kind: str
    extent: tuple[float, float, float, float]
    x1: np.ndarray
    x2: np.ndarray
    values: np.ndarray
    classes: np.ndarray | None
    probabilities: np.ndarray | None
    n_classes: int
    boundary: np.ndarray
    limits: tuple[float, float]


def boundary_from_outputs(outputs: np.ndarray, x1: np.ndarray, x2: np.ndarray, kind: str,
                          extent: tuple[float, float, float, float], limits: tuple[float, float] | None = None,
                          boundary: bool = True) -> DecisionBoundaryData:
    """Turn a model's outputs at ``grid_points`` into a DecisionBoundaryData (used when the outputs are known).

    Shapes: outputs (len(x2) * len(x1), n_outputs) -> arrays of shape (len(x2), len(x1)).

    Example:
        >>> import numpy as np
        >>> from nnlearn.plots import grid_points
        >>> x1, x2, points = grid_points((-1, 1, -1, 1), 3)
        >>> outputs = np.column_stack([points[:, 0] > 0, points[:, 0] <= 0]).astype(float)  # two classes
        >>> data = boundary_from_outputs(outputs, x1, x2, "multiclass", (-1, 1, -1, 1))
        >>> data.probabilities.shape, data.classes.tolist(), data.limits
        ((3, 3, 2), [[1, 1, 0], [1, 1, 0], [1, 1, 0]], (0.5, 1.0))
    """
    shape = (len(x2), len(x1))
    outputs = np.asarray(outputs, dtype=float).reshape(shape[0] * shape[1], -1)
    probabilities = None
    if kind == "multiclass":
        n_classes = outputs.shape[1]
        probabilities = outputs.reshape(*shape, n_classes)
        classes = probabilities.argmax(axis=-1)
        values = probabilities.max(axis=-1)
        default_limits = (1.0 / n_classes, 1.0)
        segments = []
        if boundary:
            for k in range(n_classes):
                others = np.delete(probabilities, k, axis=-1).max(axis=-1)
                segments.append(level_segments(probabilities[..., k] - others, x1, x2, 0.0))
        lines = np.concatenate(segments) if segments else np.zeros((0, 2, 2))
    elif kind == "binary":
        n_classes = 2
        values = outputs[:, 0].reshape(shape)
        classes = (values > 0.5).astype(np.int64)
        default_limits = (0.0, 1.0)
        lines = level_segments(values, x1, x2, 0.5) if boundary else np.zeros((0, 2, 2))
    elif kind == "regression":
        n_classes = 0
        values = outputs[:, 0].reshape(shape)
        classes = None
        finite = values[np.isfinite(values)]
        biggest = float(np.abs(finite).max()) if finite.size else 1.0
        default_limits = (-max(biggest, 1e-9), max(biggest, 1e-9))
        lines = np.zeros((0, 2, 2))
    else:
        raise ValueError(f"kind must be one of {KINDS}, but got {kind!r}.")
    return DecisionBoundaryData(
        kind=kind, extent=extent, x1=x1, x2=x2, values=values, classes=classes, probabilities=probabilities,
        n_classes=n_classes, boundary=lines, limits=tuple(limits) if limits is not None else default_limits,
    )


def decision_boundary_data(
    model: Any,
    x: np.ndarray | None = None,
    resolution: int = 100,
    *,
    extent: tuple[float, float, float, float] | None = None,
    features: Iterable[str] | Callable | None = None,
    kind: str | None = None,
    margin: float = 0.1,
) -> DecisionBoundaryData:
    """Evaluate a model on a grid covering the inputs ``x`` (or ``extent``): its decision surface.

    ``features`` (names such as ['x1', 'x2', 'x1^2'] or a function) turns the 2-D grid points into the model's
    inputs. ``kind`` is guessed from the last layer (several outputs: multiclass; one sigmoid output: binary;
    otherwise regression) or given as 'binary', 'multiclass', 'classification' or 'regression'.

    Shapes: x (n, 2) -> values, classes (resolution, resolution); boundary (n_segments, 2, 2).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 1)])
        >>> model.layers[0].weights[:] = [[1.0], [2.0]]; model.layers[0].bias[:] = 0.5
        >>> data = decision_boundary_data(model, extent=(0, 1, 0, 1), resolution=2)
        >>> data.kind, data.values.tolist()    # 1*x1 + 2*x2 + 0.5 at the four corners
        ('regression', [[0.5, 1.5], [2.5, 3.5]])
    """
    extent = check_extent(extent) if extent is not None else input_extent(x, margin)
    x1, x2, points = grid_points(extent, resolution)
    transform = _feature_function(features)
    inputs = transform(points) if transform is not None else points
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        outputs = model.predict(inputs) if hasattr(model, "predict") else model(inputs)
    outputs = np.asarray(outputs, dtype=float).reshape(len(points), -1)
    return boundary_from_outputs(outputs, x1, x2, _output_kind(model, outputs.shape[1], kind), extent)


@dataclass
class NeuronGrids(PlotData):
    """Every neuron's output over the input plane, layer by layer, starting with the input features.

    ``layers[0]`` holds the features the model sees (n_features, r, r); ``layers[k]`` the outputs (after the
    activation) of the k-th layer with neurons (Dense layers; layers such as Dropout are skipped).

    Shapes: x1 (r,), x2 (r,); layers[0] (n_features, r, r); layers[k] (n_neurons_k, r, r); output (r * r, n_outputs).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> grids = neuron_output_grids(model, resolution=4, extent=(-1, 1, -1, 1))
        >>> grids.names, grids.output.shape
        (['features', 'Dense layer 1 (2 -> 3)', 'Dense layer 2 (3 -> 1)'], (16, 1))
        >>> grids.layers[0][0, 0].round(2).tolist()  # feature x1 along the bottom row
        [-1.0, -0.33, 0.33, 1.0]
    """

    extent: tuple[float, float, float, float]
    x1: np.ndarray
    x2: np.ndarray
    layers: list[np.ndarray]
    names: list[str]

    @property
    def output(self) -> np.ndarray:
        """The last layer's outputs as rows of the grid: (r * r, n_outputs)."""
        last = self.layers[-1]
        return last.reshape(last.shape[0], -1).T


def neuron_output_grids(
    model: Any,
    x: np.ndarray | None = None,
    resolution: int = 30,
    *,
    extent: tuple[float, float, float, float] | None = None,
    features: Iterable[str] | Callable | None = None,
    feature_names: list[str] | None = None,
    margin: float = 0.1,
) -> NeuronGrids:
    """Each neuron's output at every point of a grid of the 2-D input plane (features, hidden, output).

    One forward pass of the whole grid, keeping every layer's output: the thumbnails of the Playground.

    Shapes: layers[k] (n_neurons_k, resolution, resolution).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> grids = neuron_output_grids(model, resolution=5)
        >>> [layer.shape for layer in grids.layers]
        [(2, 5, 5), (3, 5, 5), (1, 5, 5)]
    """
    extent = check_extent(extent) if extent is not None else input_extent(x, margin)
    x1, x2, points = grid_points(extent, resolution)
    transform = _feature_function(features)
    values = transform(points) if transform is not None else points
    values = as_float_array(values, "features of the grid")
    shape = (len(x2), len(x1))
    if feature_names is None:
        feature_names = list(getattr(transform, "names", [f"x{i + 1}" for i in range(values.shape[1])]))
    grids = [values.T.reshape(values.shape[1], *shape)]
    names = ["features"]
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for layer in _layers(model):
            layer.training = False  # predict mode: dropout off
            values = layer.forward(values)
            if hasattr(layer, "n_outputs"):
                grids.append(values.T.reshape(values.shape[1], *shape))
                names.append(layer.describe())
    return NeuronGrids(extent=extent, x1=x1, x2=x2, layers=grids, names=names)


# ---------------------------------------------------------------------------------------------------- drawing
def surface_pixels(data: DecisionBoundaryData, discretize: bool = False) -> np.ndarray:
    """The array an image shows for a decision surface: values (colour-mapped), or RGB for several classes.

    ``discretize`` shows the predicted classes sharply (regression: the output in eight bands).

    Shapes: data's values (r, r) -> (r, r) or, for several classes, RGB (r, r, 3).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 1, "sigmoid")])
        >>> model.layers[0].weights[:] = [[4.0], [0.0]]; model.layers[0].bias[:] = 0.0  # class 1 where x1 > 0
        >>> data = decision_boundary_data(model, extent=(-1, 1, -1, 1), resolution=3)
        >>> surface_pixels(data)[0].round(2).tolist(), surface_pixels(data, discretize=True)[0].tolist()
        ([0.02, 0.5, 0.98], [0.0, 0.0, 1.0])
    """
    if data.kind == "multiclass":
        k = data.n_classes
        confidence = np.ones_like(data.values) if discretize else (data.values - 1.0 / k) / (1.0 - 1.0 / k)
        return _style.class_color_image(data.classes, confidence, k)
    if data.kind == "binary":
        return data.classes.astype(float) if discretize else data.values
    if discretize:
        step = (data.limits[1] - data.limits[0]) / 8.0
        return (np.floor(data.values / step) + 0.5) * step
    return data.values


REGRESSION_BANDS = 11  # regression targets are drawn in this many colour bands


def point_groups(y: np.ndarray, kind: str, n_classes: int = 2,
                 limits: tuple[float, float] = (-1.0, 1.0)) -> tuple[np.ndarray, np.ndarray]:
    """Which colour each data point gets: its class, or for regression the band of its target.

    Returns (group of each point (n,) int, RGB colour of each group (n_groups, 3)).
    """
    y = np.asarray(y)
    if kind == "regression":
        low, high = limits
        position = (y.astype(float).reshape(len(y)) - low) / max(high - low, 1e-12)
        groups = np.clip((position * REGRESSION_BANDS).astype(int), 0, REGRESSION_BANDS - 1)
        centres = (np.arange(REGRESSION_BANDS) + 0.5) / REGRESSION_BANDS
        return groups, np.asarray(_style.colormap(_style.DIVERGING)(centres))[:, :3]
    labels = y.argmax(axis=1) if y.ndim == 2 else y.astype(np.int64).reshape(len(y))
    count = max(n_classes, int(labels.max(initial=0)) + 1)
    return labels, _style.class_colors(count)


def point_colors(y: np.ndarray, kind: str, n_classes: int = 2, limits: tuple[float, float] = (-1.0, 1.0)) -> np.ndarray:
    """RGB colours for data points: class colours, or the diverging map (in bands) for regression targets.

    Shapes: y (n,) -> (n, 3).
    """
    groups, colors = point_groups(y, kind, n_classes, limits)
    return colors[groups]


class PointGroups:
    """Data points drawn as one marker line per colour: Agg stamps markers far faster than it draws a scatter
    of separate points (0.5 ms against 6 ms for 1000 points), which matters when redrawing every frame.

    Behaves like one artist for showing, hiding and redrawing; ``x`` and ``y`` keep the points as given.
    """

    def __init__(self, ax: Any, *, size: float = 4.0, edgecolor: str = "#333333", edgewidth: float = 0.4,
                 marker: str = "o", zorder: float = 3):
        self.ax = ax
        self.style = {"marker": marker, "markersize": size, "markeredgecolor": edgecolor,
                      "markeredgewidth": edgewidth, "linestyle": "none", "zorder": zorder}
        self.lines: list = []
        self.x = np.zeros((0, 2))
        self.y = np.zeros(0)
        self._visible = True
        self._animated = False

    def set_points(self, x: np.ndarray | None, y: np.ndarray | None, kind: str, n_classes: int = 2,
                   limits: tuple[float, float] = (-1.0, 1.0)) -> None:
        """Show points x (n, 2) coloured by y (labels or targets); None shows none."""
        if x is None or y is None:
            x, y = np.zeros((0, 2)), np.zeros(0)
        self.x, self.y = np.asarray(x, dtype=float)[:, :2], np.asarray(y)
        groups, colors = point_groups(self.y, kind, n_classes, limits) if len(self.y) else (np.zeros(0, int), [])
        while len(self.lines) < len(colors):
            (line,) = self.ax.plot([], [], **self.style)
            line.set_visible(self._visible)
            line.set_animated(self._animated)
            self.lines.append(line)
        for k, line in enumerate(self.lines):
            chosen = self.x[groups == k] if k < len(colors) else np.zeros((0, 2))
            line.set_data(chosen[:, 0], chosen[:, 1])
            if k < len(colors):
                line.set_markerfacecolor(colors[k])

    def get_offsets(self) -> np.ndarray:
        """The points shown, as (n, 2) in the order given."""
        return self.x

    def get_visible(self) -> bool:
        return self._visible

    def set_visible(self, visible: bool) -> None:
        self._visible = bool(visible)
        for line in self.lines:
            line.set_visible(self._visible)

    def set_animated(self, animated: bool) -> None:
        self._animated = bool(animated)
        for line in self.lines:
            line.set_animated(self._animated)

    def draw(self, renderer: Any) -> None:
        for line in self.lines:
            line.draw(renderer)


def draw_decision_boundary(
    ax: Any,
    data: DecisionBoundaryData,
    x: np.ndarray | None = None,
    y: np.ndarray | None = None,
    *,
    test_x: np.ndarray | None = None,
    test_y: np.ndarray | None = None,
    discretize: bool = False,
    show_boundary: bool = True,
    point_size: float = 4.0,
) -> dict[str, Any]:
    """Draw the surface (an image), the boundary line and the data points on ``ax``.

    Returns the artists: 'surface' (AxesImage), 'boundary' (LineCollection), 'points' and 'test_points'
    (PointGroups: one marker line per colour; empty when no data is given).

    Shapes: the arrays of data (see DecisionBoundaryData), x (n, 2), y (n,) -> dict of artists.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 1, "sigmoid")])
        >>> model.layers[0].weights[:] = [[4.0], [0.0]]; model.layers[0].bias[:] = 0.0  # class 1 where x1 > 0
        >>> from nnlearn.plots import figure
        >>> data = decision_boundary_data(model, extent=(-1, 1, -1, 1), resolution=3)
        >>> x, y = np.array([[-0.5, 0.0], [0.5, 0.0]]), np.array([0, 1])
        >>> artists = draw_decision_boundary(figure().add_subplot(), data, x, y)
        >>> artists["surface"].get_array().shape, len(artists["boundary"].get_segments())
        ((3, 3), 2)
        >>> [line.get_xdata().tolist() for line in artists["points"].lines]  # one marker line per class
        [[-0.5], [0.5]]
    """
    from matplotlib.collections import LineCollection

    _style.style_axes(ax)
    cmap = _style.colormap(_style.DIVERGING_LIGHT)  # faded, so the data points stand out on it
    surface = ax.imshow(
        surface_pixels(data, discretize), origin="lower", extent=data.extent, cmap=cmap, vmin=data.limits[0],
        vmax=data.limits[1], interpolation="nearest", aspect="auto", zorder=0,
    )
    boundary = LineCollection(data.boundary, colors=_style.TEXT_COLOR, linewidths=1.2, zorder=2)
    boundary.set_visible(show_boundary)
    ax.add_collection(boundary, autolim=False)
    points = PointGroups(ax, size=point_size)
    test_points = PointGroups(ax, size=point_size * 1.1, edgecolor="black", edgewidth=1.0, marker="D", zorder=4)
    ax.set_xlim(data.extent[0], data.extent[1])
    ax.set_ylim(data.extent[2], data.extent[3])
    ax.set_xlabel("x1", fontsize=9)
    ax.set_ylabel("x2", fontsize=9)
    points.set_points(x, y, data.kind, data.n_classes, data.limits)
    test_points.set_points(test_x, test_y, data.kind, data.n_classes, data.limits)
    return {"surface": surface, "boundary": boundary, "points": points, "test_points": test_points}


def update_decision_boundary(
    artists: dict[str, Any],
    data: DecisionBoundaryData,
    x: np.ndarray | None = None,
    y: np.ndarray | None = None,
    *,
    discretize: bool = False,
) -> None:
    """Show new DecisionBoundaryData in the artists of ``draw_decision_boundary`` (and new points if given).

    Shapes: the arrays of data (see DecisionBoundaryData), x (n, 2), y (n,) -> None (the artists change in place).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 1, "sigmoid")])
        >>> model.layers[0].weights[:] = [[4.0], [0.0]]; model.layers[0].bias[:] = 0.0  # class 1 where x1 > 0
        >>> from nnlearn.plots import figure
        >>> box = (-1, 1, -1, 1)
        >>> artists = draw_decision_boundary(figure().add_subplot(), decision_boundary_data(model, extent=box))
        >>> model.layers[0].weights[:] = [[0.0], [4.0]]  # now class 1 where x2 > 0
        >>> update_decision_boundary(artists, decision_boundary_data(model, extent=box, resolution=3))
        >>> [segment.tolist() for segment in artists["boundary"].get_segments()]  # the line x2 = 0
        [[[0.0, 0.0], [-1.0, 0.0]], [[1.0, 0.0], [0.0, 0.0]]]
    """
    surface = artists["surface"]
    surface.set_data(surface_pixels(data, discretize))
    surface.set_clim(*data.limits)
    surface.set_extent(data.extent)
    artists["boundary"].set_segments(data.boundary)
    if x is not None and y is not None:
        artists["points"].set_points(x, y, data.kind, data.n_classes, data.limits)

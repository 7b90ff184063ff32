"""Shared compute helpers for pictures of the input plane: data records, grids, and level lines. NumPy only."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ..validation import as_float_array, check_positive_int


class PlotData:
    """Base for the records that compute functions return: fields by attribute or by key (``data["values"]``).

    Shapes: none of its own; each record (a dataclass) lists the shapes of its array fields.

    Example:
        >>> import dataclasses
        >>> import numpy as np
        >>> @dataclasses.dataclass
        ... class Points(PlotData):
        ...     x: np.ndarray
        ...     label: str
        >>> data = Points(x=np.zeros((3, 2)), label="three points")
        >>> data.keys(), data["x"].shape, "label" in data
        (['x', 'label'], (3, 2), True)
    """

    def __getitem__(self, key: str) -> Any:
        if key not in self.keys():
            raise KeyError(f"{type(self).__name__} has no {key!r}; it has {self.keys()}.")
        return getattr(self, key)

    def keys(self) -> list[str]:
        """The record's field names, in the order they are declared."""
        return [field.name for field in dataclasses.fields(self)]  # type: ignore[arg-type]

    def __contains__(self, key: object) -> bool:
        return key in self.keys()


def check_extent(extent: Any) -> tuple[float, float, float, float]:
    """(x1_min, x1_max, x2_min, x2_max) with each minimum below its maximum."""
    values = as_float_array(extent, "extent").ravel()
    if values.shape != (4,) or not (values[0] < values[1] and values[2] < values[3]):
        raise ValueError(
            f"extent must be (x1_min, x1_max, x2_min, x2_max) with min < max on each axis, but got {extent!r}."
        )
    return tuple(float(v) for v in values)  # type: ignore[return-value]


def input_extent(x: np.ndarray | None, margin: float = 0.1, *, default: float = 2.0) -> tuple[float, float, float, float]:
    """A square-ish box around 2-D inputs with ``margin`` (a fraction of the span) on each side.

    With no inputs, the box is [-default, default] on both axes.

    Shapes: x (n, 2) -> (x1_min, x1_max, x2_min, x2_max).

    Example:
        >>> import numpy as np
        >>> input_extent(np.array([[0.0, 0.0], [1.0, 2.0]]), margin=0.5)
        (-0.5, 1.5, -1.0, 3.0)
    """
    if x is None:
        return (-default, default, -default, default)
    x = as_float_array(x, "x")
    if x.ndim != 2 or x.shape[1] < 2 or len(x) == 0:
        raise ValueError(f"The input plane needs 2-D points of shape (n, 2), but got {x.shape}.")
    low = x[:, :2].min(axis=0)
    high = x[:, :2].max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    low, high = low - margin * span, high + margin * span
    return (float(low[0]), float(high[0]), float(low[1]), float(high[1]))


def grid_points(extent: Any, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evenly spaced points covering ``extent``, row by row from the bottom (row j has x2 = x2_axis[j]).

    Shapes: -> x1_axis (resolution,), x2_axis (resolution,), points (resolution * resolution, 2).

    Example:
        >>> x1, x2, points = grid_points((0, 1, 0, 2), 3)
        >>> x2.tolist(), points[:4].tolist()
        ([0.0, 1.0, 2.0], [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0], [0.0, 1.0]])
    """
    x1_min, x1_max, x2_min, x2_max = check_extent(extent)
    resolution = check_positive_int(resolution, "resolution")
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2 points per axis, but got {resolution}.")
    x1_axis = np.linspace(x1_min, x1_max, resolution)
    x2_axis = np.linspace(x2_min, x2_max, resolution)
    grid_1, grid_2 = np.meshgrid(x1_axis, x2_axis)
    return x1_axis, x2_axis, np.column_stack([grid_1.ravel(), grid_2.ravel()])


def level_segments(values: np.ndarray, x1_axis: np.ndarray, x2_axis: np.ndarray, level: float = 0.0) -> np.ndarray:
    """The line where ``values`` crosses ``level``, as straight segments (marching squares).

    Each grid cell whose corners lie on both sides of the level gets one segment (two at a saddle) between the
    points where its edges cross, found by linear interpolation. A linear function's level line is found exactly.

    Shapes: values (len(x2_axis), len(x1_axis)) -> (n_segments, 2, 2) as [[x1, x2], [x1, x2]] pairs.

    Example:
        >>> import numpy as np
        >>> axis = np.array([0.0, 1.0])
        >>> level_segments(np.array([[0.0, 1.0], [0.0, 1.0]]), axis, axis, level=0.5).tolist()
        [[[0.5, 0.0], [0.5, 1.0]]]
    """
    values = np.asarray(values, dtype=float)
    if values.shape != (len(x2_axis), len(x1_axis)):
        raise ValueError(f"values must have shape {(len(x2_axis), len(x1_axis))} (x2 rows, x1 columns), got {values.shape}.")
    a = values[:-1, :-1]  # bottom left corner of each cell
    b = values[:-1, 1:]  # bottom right
    c = values[1:, 1:]  # top right
    d = values[1:, :-1]  # top left
    left, right = np.broadcast_to(x1_axis[:-1], a.shape), np.broadcast_to(x1_axis[1:], a.shape)
    bottom, top = np.broadcast_to(x2_axis[:-1, None], a.shape), np.broadcast_to(x2_axis[1:, None], a.shape)

    def crossing(v0, v1, p0, p1):
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (level - v0) / (v1 - v0)
        return p0 + t * (p1 - p0), (v0 > level) != (v1 > level)

    # The four edges in order bottom, right, top, left: the crossing point and whether it exists.
    bx, b_hit = crossing(a, b, left, right)
    ry, r_hit = crossing(b, c, bottom, top)
    tx, t_hit = crossing(d, c, left, right)
    ly, l_hit = crossing(a, d, bottom, top)
    points = np.stack(
        [np.stack([bx, bottom], -1), np.stack([right, ry], -1), np.stack([tx, top], -1), np.stack([left, ly], -1)]
    )
    hits = np.stack([b_hit, r_hit, t_hit, l_hit])
    count = hits.sum(axis=0)

    segments = []
    two = count == 2
    if two.any():
        first = np.argmax(hits, axis=0)[two]
        second = 3 - np.argmax(hits[::-1], axis=0)[two]
        cells = np.nonzero(two)
        segments.append(np.stack([points[first, *cells], points[second, *cells]], axis=1))
    four = count == 4
    if four.any():
        cells = np.nonzero(four)
        centre_above = (a + b + c + d)[four] / 4.0 > level
        corner_above = a[four] > level
        # If the centre sides with corner a, the a-c diagonal is connected and corners b and d are cut off.
        same = centre_above == corner_above
        pair_1 = np.where(same, 0, 0), np.where(same, 1, 3)
        pair_2 = np.where(same, 2, 1), np.where(same, 3, 2)
        for start, end in (pair_1, pair_2):
            segments.append(np.stack([points[start, *cells], points[end, *cells]], axis=1))
    if not segments:
        return np.zeros((0, 2, 2))
    out = np.concatenate(segments)
    return out[np.isfinite(out).all(axis=(1, 2))]

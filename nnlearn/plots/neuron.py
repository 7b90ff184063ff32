"""One neuron seen two ways: its weighted sum written out with numbers, and its output over the input plane.

Compute: ``weighted_sum_text`` and ``neuron_plane_data`` (NumPy only). Draw: ``draw_neuron_plane(ax, data)``;
``update_neuron_plane(artists, data)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import activations
from ..validation import as_float_array
from . import _style
from ._grid import PlotData, check_extent, grid_points, level_segments

__all__ = ["NeuronPlaneData", "draw_neuron_plane", "neuron_plane_data", "update_neuron_plane", "weighted_sum_text"]


def _number(value: float) -> str:
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def weighted_sum_text(weights: Any, inputs: Any, bias: float, activation: str | activations.Activation) -> str:
    """The neuron's arithmetic with the live numbers: z = w1*x1 + ... + b, then the activation of z.

    Shapes: weights (n_inputs,), inputs (n_inputs,) -> one line of text.

    Example:
        >>> weighted_sum_text([2.0, -1.0], [1.0, 3.0], 0.5, "relu")
        'z = 2.00*1.00 + (-1.00)*3.00 + 0.50 = -0.50;  relu(z) = 0.00'
    """
    weights = as_float_array(weights, "weights").ravel()
    inputs = as_float_array(inputs, "inputs").ravel()
    activation = activations.get(activation)
    terms = []
    for w, x in zip(weights, inputs):
        w_text = _number(w)
        terms.append(f"({w_text})*{_number(x)}" if w_text.startswith("-") else f"{w_text}*{_number(x)}")
    bias_text = _number(bias)
    z = float(weights @ inputs + bias)
    output = float(np.asarray(activation(np.array([z])))[0]) if activation.name != "softmax" else 1.0
    joined = " + ".join(terms + [f"({bias_text})" if bias_text.startswith("-") else bias_text])
    return f"z = {joined} = {_number(z)};  {activation.name}(z) = {_number(output)}"


@dataclass
class NeuronPlaneData(PlotData):
    """A neuron's output over the (x1, x2) plane, other inputs held at their given values.

    ``outputs[j, i]`` is the output at (x1[i], x2[j]); ``z`` the weighted sum there; ``zero_line`` the two ends
    (2, 2) of the straight line where z = 0 inside the plane (empty (0, 2) if it misses the plane); ``point`` the current input (x1, x2) and ``point_z``/``point_output``
    its weighted sum and output; ``center`` the output at z = 0, where the colour map is white.

    Shapes: x1 (resolution,), x2 (resolution,); z, outputs (resolution, resolution); zero_line (2, 2) or (0, 2).

    Example:
        >>> data = neuron_plane_data([1.0, -1.0], 0.0, "sigmoid", inputs=[1.0, 0.0], extent=(-1, 1, -1, 1),
        ...                          resolution=3)
        >>> data.outputs.shape, data.zero_line.tolist()  # z = x1 - x2 is 0 on the diagonal x1 = x2
        ((3, 3), [[-1.0, -1.0], [1.0, 1.0]])
        >>> data.point, round(data.point_output, 3), data.center  # sigmoid(1) at the point; sigmoid(0) = 0.5
        ((1.0, 0.0), 0.731, 0.5)
    """

    extent: tuple[float, float, float, float]
    x1: np.ndarray
    x2: np.ndarray
    z: np.ndarray
    outputs: np.ndarray
    zero_line: np.ndarray
    point: tuple[float, float]
    point_z: float
    point_output: float
    center: float
    limits: tuple[float, float]


def _zero_line_ends(w1: float, w2: float, c: float, x1: np.ndarray, x2: np.ndarray) -> np.ndarray | None:
    """Where the line w1*x1 + w2*x2 + c = 0 crosses the border of the grid (0 or 2 points), or None when the
    weights are both 0 (then z is constant and the grid itself decides)."""
    if w1 == 0.0 and w2 == 0.0:
        return None
    left, right, bottom, top = float(x1[0]), float(x1[-1]), float(x2[0]), float(x2[-1])
    found = []
    if w1 != 0.0:
        for y in (bottom, top):
            x = -(w2 * y + c) / w1
            if left <= x <= right:
                found.append((x, y))
    if w2 != 0.0:
        for x in (left, right):
            y = -(w1 * x + c) / w2
            if bottom <= y <= top:
                found.append((x, y))
    unique = []
    for point in found:  # a line through a corner meets two edges there
        if all(abs(point[0] - q[0]) > 1e-12 or abs(point[1] - q[1]) > 1e-12 for q in unique):
            unique.append(point)
    return np.array(unique, dtype=float).reshape(-1, 2) if len(unique) >= 2 else np.zeros((0, 2))


def neuron_plane_data(weights: Any, bias: float, activation: str | activations.Activation = "sigmoid",
                      inputs: Any = None, *, extent: tuple[float, float, float, float] = (-3.0, 3.0, -3.0, 3.0),
                      resolution: int = 101) -> NeuronPlaneData:
    """The output of activation(x . weights + bias) at every point of a grid of (x1, x2).

    With more than two inputs, inputs 3, 4, ... stay at their values in ``inputs`` (default 0); with one input
    the plane is x1 against a second axis that has no effect.

    Shapes: weights (n_inputs,), inputs (n_inputs,) -> outputs, z (resolution, resolution).

    Example:
        >>> data = neuron_plane_data([1.0, 1.0], 0.0, "identity", extent=(-1, 1, -1, 1), resolution=3)
        >>> data.z.tolist()
        [[-2.0, -1.0, 0.0], [-1.0, 0.0, 1.0], [0.0, 1.0, 2.0]]
    """
    weights = as_float_array(weights, "weights").ravel()
    activation = activations.get(activation)
    n = weights.size
    inputs = np.zeros(n) if inputs is None else as_float_array(inputs, "inputs").ravel()
    if inputs.size != n:
        raise ValueError(f"The neuron has {n} weights but got {inputs.size} inputs.")
    extent = check_extent(extent)
    x1, x2, points = grid_points(extent, resolution)
    rest = float(inputs[2:] @ weights[2:]) if n > 2 else 0.0  # the held inputs add a constant to z
    w2 = weights[1] if n > 1 else 0.0
    z = (points[:, 0] * weights[0] + points[:, 1] * w2 + rest + bias).reshape(len(x2), len(x1))
    outputs = np.asarray(activation(z), dtype=float)
    point_z = float(inputs @ weights + bias)
    point_output = float(np.asarray(activation(np.array([point_z])))[0])
    center = float(np.asarray(activation(np.array([0.0])))[0])
    spread = float(np.abs(outputs - center).max())
    spread = spread if spread > 1e-9 else 1.0
    # z is linear in (x1, x2), so z = 0 is one straight line: its two ends where it crosses the grid's border
    # (what the level-0 segments of the grid would give, without tracing them: this runs on every slider move).
    ends = _zero_line_ends(float(weights[0]), float(w2), rest + float(bias), x1, x2)
    if ends is None:
        ends = level_segments(z, x1, x2, 0.0).reshape(-1, 2)
    if len(ends):
        along = ends @ np.array([-w2, weights[0]])
        ends = ends[[int(np.argmin(along)), int(np.argmax(along))]]
    return NeuronPlaneData(
        extent=extent, x1=x1, x2=x2, z=z, outputs=outputs, zero_line=ends,
        point=(float(inputs[0]), float(inputs[1]) if n > 1 else 0.0), point_z=point_z, point_output=point_output,
        center=center, limits=(center - spread, center + spread),
    )


def draw_neuron_plane(ax: Any, data: NeuronPlaneData) -> dict[str, Any]:
    """Draw the output (image), the line z = 0 and the current input point on ``ax``.

    Returns the artists: 'outputs' (AxesImage), 'zero_line' and 'point' (Line2D).

    Shapes: the arrays of data (see NeuronPlaneData) -> dict of artists.

    Example:
        >>> from nnlearn.plots import figure, neuron_plane_data
        >>> data = neuron_plane_data([1.0, -1.0], 0.0, inputs=[1.0, 0.0], resolution=11)
        >>> artists = draw_neuron_plane(figure().add_subplot(), data)
        >>> artists["outputs"].get_array().shape, artists["point"].get_xydata().tolist()
        ((11, 11), [[1.0, 0.0]])
    """
    _style.style_axes(ax)
    image = ax.imshow(data.outputs, origin="lower", extent=data.extent, cmap=_style.colormap(_style.DIVERGING),
                      vmin=data.limits[0], vmax=data.limits[1], aspect="auto", interpolation="bilinear", zorder=0)
    (zero_line,) = ax.plot(data.zero_line[:, 0], data.zero_line[:, 1], "--", color=_style.TEXT_COLOR, linewidth=1.5,
                           zorder=2)
    (point,) = ax.plot([data.point[0]], [data.point[1]], "o", color="white", markeredgecolor="black", markersize=8,
                       zorder=3)
    ax.set_xlim(data.extent[0], data.extent[1])
    ax.set_ylim(data.extent[2], data.extent[3])
    ax.set_xlabel("x1", fontsize=9)
    ax.set_ylabel("x2", fontsize=9)
    return {"outputs": image, "zero_line": zero_line, "point": point}


def update_neuron_plane(artists: dict[str, Any], data: NeuronPlaneData) -> None:
    """Show new outputs, z = 0 line and point in the artists of ``draw_neuron_plane``.

    Shapes: the arrays of data (see NeuronPlaneData) -> None (the artists change in place).

    Example:
        >>> from nnlearn.plots import figure, neuron_plane_data
        >>> box = (-1, 1, -1, 1)
        >>> artists = draw_neuron_plane(figure().add_subplot(), neuron_plane_data([1.0, -1.0], 0.0, extent=box))
        >>> update_neuron_plane(artists, neuron_plane_data([1.0, 0.0], 0.5, inputs=[0.5, 1.0], extent=box))
        >>> artists["zero_line"].get_xydata().tolist()  # z = x1 + 0.5 is 0 on the line x1 = -0.5
        [[-0.5, -1.0], [-0.5, 1.0]]
        >>> artists["point"].get_xydata().tolist()
        [[0.5, 1.0]]
    """
    artists["outputs"].set_data(data.outputs)
    artists["outputs"].set_clim(*data.limits)
    artists["zero_line"].set_data(data.zero_line[:, 0], data.zero_line[:, 1])
    artists["point"].set_data([data.point[0]], [data.point[1]])

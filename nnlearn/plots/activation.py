"""An activation's curve and its slope, with a point that moves along it.

Compute: ``activation_curve_data(activation, z)`` (NumPy only). Draw: ``draw_activation_curve(ax, data)``;
``update_activation_curve(artists, data)`` moves the point and the tangent (and swaps the curve if the
activation changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import activations
from . import _style
from ._grid import PlotData

__all__ = ["ActivationCurveData", "activation_curve_data", "draw_activation_curve", "update_activation_curve"]


def _evaluate(activation: activations.Activation, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Value and slope elementwise. Softmax works on rows, so it is shown for the first of two logits (z, 0)."""
    if activation.name == "softmax":
        pair = np.stack([z, np.zeros_like(z)], axis=-1)
        return activation(pair)[..., 0], activation.derivative(pair)[..., 0]
    return np.asarray(activation(z), dtype=float), np.asarray(activation.derivative(z), dtype=float)


def _title(name: str) -> str:
    return "softmax of (z, 0)" if name == "softmax" else name


@dataclass
class ActivationCurveData(PlotData):
    """The curve f(z) and its slope f'(z) on a range of z, and one point (z, f(z)) with its tangent line.

    ``tangent`` is the segment [[z - h, f(z) - h f'(z)], [z + h, f(z) + h f'(z)]] with h = ``tangent_half``.

    Shapes: z, values, derivative (n,); tangent (2, 2); point_z, point_value, point_slope floats.

    Example:
        >>> data = activation_curve_data("sigmoid", z=0.0, n=5, z_range=(-2, 2))
        >>> data.z.shape, data.point_value, data.point_slope
        ((5,), 0.5, 0.25)
        >>> data.tangent.tolist()  # slope 0.25 through (0, 0.5), one unit either side
        [[-1.0, 0.25], [1.0, 0.75]]
    """

    name: str
    z: np.ndarray
    values: np.ndarray
    derivative: np.ndarray
    point_z: float
    point_value: float
    point_slope: float
    tangent: np.ndarray
    ylim: tuple[float, float]


def activation_curve_data(activation: str | activations.Activation, z: float = 0.0, *,
                          z_range: tuple[float, float] = (-5.0, 5.0), n: int = 201,
                          tangent_half: float = 1.0) -> ActivationCurveData:
    """Sample an activation and its derivative on ``z_range`` and evaluate them at the point ``z``.

    Shapes: z, values, derivative (n,); tangent (2, 2).

    Example:
        >>> data = activation_curve_data("relu", z=2.0, n=3, z_range=(-1, 1))
        >>> data.values.tolist(), data.point_value, data.point_slope
        ([0.0, 0.0, 1.0], 2.0, 1.0)
    """
    activation = activations.get(activation)
    grid = np.linspace(float(z_range[0]), float(z_range[1]), int(n))
    values, slopes = _evaluate(activation, grid)
    point_value, point_slope = (float(v[0]) for v in _evaluate(activation, np.array([float(z)])))
    offsets = np.array([-tangent_half, tangent_half])
    tangent = np.column_stack([float(z) + offsets, point_value + point_slope * offsets])
    both = np.concatenate([values, slopes])
    low, high = float(min(both.min(), -0.1)), float(max(both.max(), 1.1))
    pad = 0.08 * (high - low)
    return ActivationCurveData(
        name=activation.name, z=grid, values=values, derivative=slopes, point_z=float(z), point_value=point_value,
        point_slope=point_slope, tangent=tangent, ylim=(low - pad, high + pad),
    )


def draw_activation_curve(ax: Any, data: ActivationCurveData, *, show_derivative: bool = True,
                          title: bool = True) -> dict[str, Any]:
    """Draw the curve, its derivative (dashed), the point and its tangent on ``ax``.

    Returns the artists: 'curve', 'derivative', 'tangent', 'point', 'slope_point' (Line2D) and 'title' (Text).

    Shapes: the arrays of data (see ActivationCurveData) -> dict of artists.

    Example:
        >>> from nnlearn.plots import activation_curve_data, figure
        >>> data = activation_curve_data("sigmoid", z=0.0, n=5, z_range=(-2, 2))
        >>> artists = draw_activation_curve(figure().add_subplot(), data)
        >>> artists["title"].get_text(), artists["point"].get_ydata().tolist()
        ('sigmoid', [0.5])
    """
    _style.style_axes(ax)
    ax.axhline(0.0, color="#dddddd", linewidth=0.8, zorder=0)
    ax.axvline(0.0, color="#dddddd", linewidth=0.8, zorder=0)
    (curve,) = ax.plot(data.z, data.values, color=_style.POSITIVE, linewidth=2.0, label="f(z)")
    (derivative,) = ax.plot(data.z, data.derivative, color=_style.NEGATIVE, linewidth=1.3, linestyle="--",
                            label="f'(z)")
    derivative.set_visible(show_derivative)
    (tangent,) = ax.plot(data.tangent[:, 0], data.tangent[:, 1], color=_style.TEXT_COLOR, linewidth=1.0, alpha=0.7)
    (point,) = ax.plot([data.point_z], [data.point_value], "o", color=_style.POSITIVE, markeredgecolor="black",
                       markersize=8, zorder=4)
    (slope_point,) = ax.plot([data.point_z], [data.point_slope], "o", color=_style.NEGATIVE, markersize=5,
                             zorder=4)
    slope_point.set_visible(show_derivative)
    ax.set_xlim(data.z[0], data.z[-1])
    ax.set_ylim(*data.ylim)
    ax.set_xlabel("z", fontsize=9)
    heading = ax.set_title(_title(data.name) if title else "", fontsize=10, color=_style.TEXT_COLOR)
    return {"curve": curve, "derivative": derivative, "tangent": tangent, "point": point,
            "slope_point": slope_point, "title": heading}


def update_activation_curve(artists: dict[str, Any], data: ActivationCurveData) -> None:
    """Move the point and tangent (and redraw the curves' data) in the artists of ``draw_activation_curve``.

    Shapes: the arrays of data (see ActivationCurveData) -> None (the artists change in place).

    Example:
        >>> from nnlearn.plots import activation_curve_data, figure
        >>> artists = draw_activation_curve(figure().add_subplot(), activation_curve_data("sigmoid", z=0.0))
        >>> update_activation_curve(artists, activation_curve_data("tanh", z=1.0))
        >>> artists["title"].get_text(), round(float(artists["point"].get_ydata()[0]), 3)  # tanh(1)
        ('tanh', 0.762)
    """
    artists["curve"].set_data(data.z, data.values)
    artists["derivative"].set_data(data.z, data.derivative)
    artists["tangent"].set_data(data.tangent[:, 0], data.tangent[:, 1])
    artists["point"].set_data([data.point_z], [data.point_value])
    artists["slope_point"].set_data([data.point_z], [data.point_slope])
    if artists["title"].get_text():
        artists["title"].set_text(_title(data.name))
    ax = artists["curve"].axes
    if tuple(ax.get_ylim()) != data.ylim:
        ax.set_ylim(*data.ylim)

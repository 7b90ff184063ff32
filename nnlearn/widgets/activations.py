"""explore_activations: every registered activation and its slope, with one point moved by a slider."""

from __future__ import annotations

import math
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np

from .. import activations
from ..plots import _style
from ..plots.activation import activation_curve_data, draw_activation_curve, update_activation_curve
from .base import Explorer
from .live import CanvasPicture, axes_box, axes_ticks

__all__ = ["ActivationExplorer", "explore_activations"]


CANVAS_WIDTH = 820  # CSS pixels: a wider static figure is drawn smaller on the canvas, so it fits the page


class ActivationExplorer(CanvasPicture, Explorer):
    """A small panel per activation (solid: f(z), dashed: its derivative f'(z)) and a point at the same z on
    every panel. Controls: ``z`` (the point), ``activation`` (which panel is highlighted and read out), and
    ``show_derivative``.

    ``canvas`` (default: unless ``live=True`` asks for ipympl): the browser paints the picture (``scene``) from
    numbers, so a drag of ``z`` repaints at the display's pace; the matplotlib figure stays ``explorer.figure``
    and the static picture.

    Shapes: each panel's curves are z (201,) -> f(z) (201,) and f'(z) (201,) over ``z_range``; the point is one
    (z, f(z)).

    Example:
        >>> explorer = ActivationExplorer(["relu", "tanh"], z=-1.0, live=False)
        >>> explorer.controls["z"].value = 2.0            # every panel's point moves to z = 2
        >>> explorer.artists["relu_point"].get_data()
        ([2.0], [2.0])
        >>> explorer.artists["relu_curve"].get_xdata().shape
        (201,)
    """

    title = "Activation functions"

    def __init__(self, names: Sequence[str] | None = None, z: float = 1.0, activation: str | None = None,
                 z_range: tuple[float, float] = (-5.0, 5.0), *, live: bool | None = None,
                 canvas: bool | None = None):
        super().__init__(live=self._use_canvas(live, canvas))
        self._tick_cache: dict[tuple, list[float]] = {}
        self.names = [activations.get(name).name for name in (names or activations.names())]
        if not self.names:
            raise ValueError("Give at least one activation name, e.g. names=['relu', 'tanh'].")
        default = "sigmoid" if "sigmoid" in self.names else self.names[0]
        chosen = activations.get(activation).name if activation is not None else default
        if chosen not in self.names:
            raise ValueError(f"activation {chosen!r} is not among the shown ones: {self.names}.")
        self.z_range = (float(z_range[0]), float(z_range[1]))
        self.add_control("z", widgets.FloatSlider(value=float(z), min=self.z_range[0], max=self.z_range[1],
                                                   step=0.05, description="z", readout_format=".2f",
                                                   layout=widgets.Layout(width="360px")))
        self.add_control("activation", widgets.Dropdown(options=self.names, value=chosen, description="activation",
                                                        layout=widgets.Layout(width="240px")))
        self.add_control("show_derivative", widgets.Checkbox(value=True, description="show f'(z)"))
        self.controls["z"].add_class("nnl-browser-move")  # the control the real-browser tests move
        self._build_figure()
        self.update()

    def compute(self) -> dict:
        """The curve data of every activation at the current z."""
        z = float(self.controls["z"].value)
        return {name: activation_curve_data(name, z, z_range=self.z_range) for name in self.names}

    def _build_figure(self) -> None:
        n = len(self.names)
        columns = min(n, 5)
        rows = math.ceil(n / columns)
        fig = self.new_figure((2.3 * columns, 2.2 * rows))
        data = self.compute()
        self.panels = {}
        for k, name in enumerate(self.names):
            ax = fig.add_subplot(rows, columns, k + 1)
            artists = draw_activation_curve(ax, data[name])
            ax.set_xlabel("")
            self.panels[name] = artists
            for key, artist in artists.items():
                self.artists[f"{name}_{key}"] = artist
        fig.subplots_adjust(left=0.05, right=0.98, top=0.9, bottom=0.08, wspace=0.3, hspace=0.45)

    def update(self) -> None:
        data = self.compute()
        chosen = self.controls["activation"].value
        show_derivative = bool(self.controls["show_derivative"].value)
        for name, artists in self.panels.items():
            update_activation_curve(artists, data[name])
            artists["derivative"].set_visible(show_derivative)
            artists["slope_point"].set_visible(show_derivative)
            selected = name == chosen
            artists["title"].set_fontweight("bold" if selected else "normal")
            artists["title"].set_color(_style.POSITIVE if selected else _style.TEXT_COLOR)
            for spine in artists["curve"].axes.spines.values():
                spine.set_color(_style.POSITIVE if selected else "#bbbbbb")
                spine.set_linewidth(2.0 if selected else 0.8)
        point = data[chosen]
        self.set_readout(f"{chosen}({point.point_z:.2f}) = {point.point_value:.3f};  "
                         f"slope {chosen}'({point.point_z:.2f}) = {point.point_slope:.3f}")
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene(data))

    def scene(self, data: dict | None = None) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the same panels
        (one per activation, the chosen one framed in blue), colours and axis limits as the matplotlib figure,
        drawn smaller when the figure is wider than 820 pixels (JupyterLab's output area on a 1280-pixel screen
        with its side bar open is about 850).

        Shapes: per activation ``<name>_curve`` and ``<name>_derivative`` (201, 2), ``<name>_tangent`` (2, 2),
        ``<name>_point`` and ``<name>_slope_point`` (1, 2), all float32.
        """
        data = data or self.compute()
        chosen = self.controls["activation"].value
        show_derivative = bool(self.controls["show_derivative"].value)
        fig_width, fig_height = self.figure.canvas.get_width_height()
        scale = min(1.0, CANVAS_WIDTH / fig_width)
        px = self.figure.dpi / 72.0 * scale  # matplotlib's points -> the canvas's pixels
        f32 = lambda a: np.asarray(a, dtype=np.float32).reshape(-1, 2)  # noqa: E731
        panels: list[dict] = []
        items: list[dict] = []
        arrays: dict[str, np.ndarray] = {}
        for k, (name, artists) in enumerate(self.panels.items()):
            curve = data[name]
            ax = artists["curve"].axes
            z0, z1 = float(curve.z[0]), float(curve.z[-1])
            y0, y1 = (float(v) for v in curve.ylim)
            selected = name == chosen
            panels.append({"box": axes_box(ax, scale), "xlim": [z0, z1], "ylim": [y0, y1], "axes": True,
                           "title": artists["title"].get_text(), "title_bold": selected,
                           "title_color": _style.POSITIVE if selected else _style.TEXT_COLOR,
                           "frame_color": _style.POSITIVE if selected else "#bbbbbb",
                           "frame_width": 2.0 if selected else 1.0,
                           "xticks": self._ticks(ax, "x", z0, z1), "yticks": self._ticks(ax, "y", y0, y1)})
            arrays.update({f"{name}_zero_h": f32([[z0, 0.0], [z1, 0.0]]),
                           f"{name}_zero_v": f32([[0.0, y0], [0.0, y1]]),
                           f"{name}_curve": f32(np.column_stack([curve.z, curve.values])),
                           f"{name}_derivative": f32(np.column_stack([curve.z, curve.derivative])),
                           f"{name}_tangent": f32(curve.tangent),
                           f"{name}_point": f32([curve.point_z, curve.point_value]),
                           f"{name}_slope_point": f32([curve.point_z, curve.point_slope])})
            items += [
                {"kind": "line", "panel": k, "buffer": f"{name}_zero_h", "color": "#dddddd", "width": 0.8 * px},
                {"kind": "line", "panel": k, "buffer": f"{name}_zero_v", "color": "#dddddd", "width": 0.8 * px},
                {"kind": "line", "panel": k, "buffer": f"{name}_curve", "color": _style.POSITIVE, "width": 2.0 * px},
            ]
            if show_derivative:
                items.append({"kind": "line", "panel": k, "buffer": f"{name}_derivative", "color": _style.NEGATIVE,
                              "width": 1.3 * px, "dash": [5, 3]})
            items += [
                {"kind": "line", "panel": k, "buffer": f"{name}_tangent", "color": _style.TEXT_COLOR,
                 "width": 1.0 * px, "alpha": 0.7},
                {"kind": "markers", "panel": k, "buffer": f"{name}_point", "color": _style.POSITIVE,
                 "edge": "#000000", "radius": 4.0 * px},
            ]
            if show_derivative:
                items.append({"kind": "markers", "panel": k, "buffer": f"{name}_slope_point",
                              "color": _style.NEGATIVE, "radius": 2.5 * px})
        return round(fig_width * scale), round(fig_height * scale), panels, items, arrays

    def _ticks(self, ax, axis: str, low: float, high: float) -> list[float]:
        """matplotlib's tick positions for these limits, kept (the limits do not move as z does)."""
        key = (id(ax), axis, low, high)
        if key not in self._tick_cache:
            self._tick_cache[key] = axes_ticks(ax, axis, low, high)
        return self._tick_cache[key]

    def summary(self) -> str:
        return f"{len(self.names)} activations at z = {self.controls['z'].value:.2f}"


def explore_activations(names: Sequence[str] | None = None, z: float = 1.0, activation: str | None = None,
                        z_range: tuple[float, float] = (-5.0, 5.0), *, hide: Sequence[str] = (),
                        canvas: bool | None = None) -> ActivationExplorer:
    """Explore every registered activation (or those in ``names``) and its derivative: the slider ``z`` moves a
    point along every curve; ``activation`` picks the one read out with numbers. The browser paints the picture
    on a canvas (``canvas=False``: the matplotlib figure, live with ipympl); ``explorer.figure`` is the same
    picture in matplotlib either way.

    Shapes: none in (activation names and numbers) -> an ActivationExplorer whose curves are (201,) over z_range.

    Example:
        >>> explorer = explore_activations(z=0.0)
        >>> explorer.controls["activation"].value = "tanh"
        >>> explorer.readout_text
        "tanh(0.00) = 0.000;  slope tanh'(0.00) = 1.000"
    """
    explorer = ActivationExplorer(names, z, activation, z_range, canvas=canvas)
    if hide:
        explorer.hide(hide)
    return explorer

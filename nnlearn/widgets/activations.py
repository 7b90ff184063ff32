"""explore_activations: every registered activation and its slope, with one point moved by a slider."""

from __future__ import annotations

import math
from collections.abc import Sequence

import ipywidgets as widgets

from .. import activations
from ..plots import _style
from ..plots.activation import activation_curve_data, draw_activation_curve, update_activation_curve
from .base import Explorer

__all__ = ["ActivationExplorer", "explore_activations"]


class ActivationExplorer(Explorer):
    """A small panel per activation (solid: f(z), dashed: its derivative f'(z)) and a point at the same z on
    every panel. Controls: ``z`` (the point), ``activation`` (which panel is highlighted and read out), and
    ``show_derivative``.

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
                 z_range: tuple[float, float] = (-5.0, 5.0), *, live: bool | None = None):
        super().__init__(live=live)
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

    def summary(self) -> str:
        return f"{len(self.names)} activations at z = {self.controls['z'].value:.2f}"


def explore_activations(names: Sequence[str] | None = None, z: float = 1.0, activation: str | None = None,
                        z_range: tuple[float, float] = (-5.0, 5.0), *, hide: Sequence[str] = ()) -> ActivationExplorer:
    """Explore every registered activation (or those in ``names``) and its derivative: the slider ``z`` moves a
    point along every curve; ``activation`` picks the one read out with numbers.

    Shapes: none in (activation names and numbers) -> an ActivationExplorer whose curves are (201,) over z_range.

    Example:
        >>> explorer = explore_activations(z=0.0)
        >>> explorer.controls["activation"].value = "tanh"
        >>> explorer.readout_text
        "tanh(0.00) = 0.000;  slope tanh'(0.00) = 1.000"
    """
    explorer = ActivationExplorer(names, z, activation, z_range)
    if hide:
        explorer.hide(hide)
    return explorer

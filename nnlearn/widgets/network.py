"""explore_network: a real model drawn as a graph, with one input's values flowing through it.

Wiring only: ``nnlearn.plots.flow`` computes (``network_flow_data``) and draws (``draw_network_flow``,
``update_network_flow``); the decision surface beside it comes from ``nnlearn.plots.boundary``.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from ..plots import _style
from ..plots.boundary import decision_boundary_data, draw_decision_boundary
from ..plots.flow import draw_network_flow, network_flow_data, update_network_flow
from ..validation import as_float_array
from .base import Explorer

__all__ = ["NetworkExplorer", "explore_network"]


class NetworkExplorer(Explorer):
    """Sliders for the input values, a menu to pick a unit, the network with every unit's live value, and (for
    two inputs) where the input sits on the model's decision surface. The readout writes the picked unit's
    arithmetic with its numbers.

    Controls: ``x1``, ``x2``, ... (FloatSlider, the first is the one a browser test moves) and ``node``
    (Dropdown of unit labels, value = node index).

    Shapes: x (n_inputs,) -> every unit's value, ``flow.z`` (n_units,) counting the inputs; with two inputs
    the decision surface beside it is (80, 80) over ``input_range`` squared.

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 2, "relu"), nl.Dense(2, 1, "sigmoid")], seed=0)
        >>> explorer = NetworkExplorer(model, x=[1.0, 0.0], live=False)
        >>> explorer.controls["x1"].value = -1.0           # the star on the surface follows the input
        >>> [float(v[0]) for v in explorer.artists["input_marker"].get_data()]
        [-1.0, 0.0]
        >>> explorer.flow.z.shape                          # 2 inputs + 2 hidden units + 1 output
        (5,)
    """

    title = "Network explorer"

    def __init__(self, model: Any, x: Any = None, *, data: tuple[Any, Any] | None = None,
                 input_range: tuple[float, float] = (-2.0, 2.0), input_names: list[str] | None = None,
                 node: int | str | None = None, show_plane: bool | None = None, live: bool | None = None):
        super().__init__(live=live)
        self.model = model
        first = network_flow_data(model, np.zeros(self._n_inputs(model)), node, input_names=input_names)
        n_inputs = first.diagram.layer_sizes[0]
        values = np.zeros(n_inputs) if x is None else as_float_array(x, "x").ravel()
        if values.shape != (n_inputs,):
            raise ValueError(f"This network has {n_inputs} inputs, so x needs {n_inputs} numbers, but got {values.size}.")
        low, high = (float(v) for v in input_range)
        if not low < high:
            raise ValueError(f"input_range must be (low, high) with low < high, but got {input_range!r}.")
        self.input_names = list(first.diagram.labels[:n_inputs])
        self._input_names_given = input_names
        for k, name in enumerate(self.input_names):
            slider = widgets.FloatSlider(value=float(np.clip(values[k], low, high)), min=low, max=high, step=0.05,
                                         description=name, continuous_update=True, readout_format=".2f",
                                         layout=widgets.Layout(width="260px"))
            self.add_control(f"x{k + 1}", slider)
            if k == 0:
                slider.add_class("nnl-browser-move")
        options = [(label, index) for index, label in enumerate(first.diagram.labels) if index >= n_inputs]
        self.add_control("node", widgets.Dropdown(options=options, value=first.node, description="unit",
                                                  layout=widgets.Layout(width="200px")))

        self.show_plane = (n_inputs == 2) if show_plane is None else bool(show_plane)
        if self.show_plane and n_inputs != 2:
            raise ValueError(f"show_plane needs a model with 2 inputs, but this one has {n_inputs}.")
        fig = self.new_figure((9.0, 3.8) if self.show_plane else (6.0, 3.8), dpi=90)
        if self.show_plane:
            diagram_ax, plane_ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.5, 1.0]})
        else:
            diagram_ax, plane_ax = fig.add_subplot(), None
        flow = self.flow_data()
        self.artists = draw_network_flow(diagram_ax, flow)
        if plane_ax is not None:
            points, labels = (None, None) if data is None else data
            extent = (low, high, low, high)
            surface = decision_boundary_data(model, resolution=80, extent=extent)
            self.artists.update(draw_decision_boundary(plane_ax, surface, points, labels))
            (marker,) = plane_ax.plot([flow.x[0]], [flow.x[1]], "*", markersize=15, color="white",
                                      markeredgecolor="black", zorder=5)
            self.artists["input_marker"] = marker
            plane_ax.set_title("the model's answer over the plane; ★ = your input", fontsize=9,
                               color=_style.TEXT_COLOR)
        diagram_ax.set_title("each unit's value for your input", fontsize=9, color=_style.TEXT_COLOR)
        fig.tight_layout()
        self.set_readout(flow.formula)
        self.flow = flow

    @staticmethod
    def _n_inputs(model: Any) -> int:
        from ..plots.network import dense_weights

        return int(np.asarray(dense_weights(model)[0][1].weights).shape[0])

    def inputs(self) -> np.ndarray:
        """The input values the sliders hold now."""
        return np.array([self.controls[f"x{k + 1}"].value for k in range(len(self.input_names))], dtype=float)

    def flow_data(self):
        """The compute half for the controls' current values."""
        return network_flow_data(self.model, self.inputs(), self.controls["node"].value,
                                 input_names=self._input_names_given)

    def update(self) -> None:
        self.flow = self.flow_data()
        update_network_flow(self.artists, self.flow)
        if "input_marker" in self.artists:
            self.artists["input_marker"].set_data([self.flow.x[0]], [self.flow.x[1]])
        self.set_readout(self.flow.formula)
        self.redraw()

    def control_rows(self) -> list[widgets.Widget]:
        sliders = [self.controls[f"x{k + 1}"] for k in range(len(self.input_names))]
        return [widgets.HBox(sliders + [self.controls["node"]], layout=widgets.Layout(flex_flow="row wrap"))]

    def summary(self) -> str:
        return f"{self.title}: {self.flow.formula}"


def explore_network(model: Any, x: Any = None, *, data: tuple[Any, Any] | None = None,
                    input_range: tuple[float, float] = (-2.0, 2.0), input_names: list[str] | None = None,
                    node: int | str | None = None, show_plane: bool | None = None,
                    live: bool | None = None) -> NetworkExplorer:
    """A real model drawn as a graph, with the values of one input flowing through it.

    Move the input sliders and every unit's value changes; pick a unit to see its weighted sum and activation
    written out with the numbers. For a model with two inputs, the right panel shows where the input sits on the
    model's decision surface (``data=(x, y)`` adds the training points).

    Shapes: x (n_inputs,).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 3, "relu"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> explorer = explore_network(model, x=[0.5, -1.0], live=False)
        >>> explorer.controls["x1"].value = 1.0
        >>> explorer.flow.x.tolist()
        [1.0, -1.0]
    """
    return NetworkExplorer(model, x, data=data, input_range=input_range, input_names=input_names, node=node,
                           show_plane=show_plane, live=live)

"""explore_neuron: move a neuron's weights and bias and watch its arithmetic, its activation and its output."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np

from .. import activations
from ..neuron import Neuron
from ..plots import _style
from ..plots.activation import activation_curve_data, draw_activation_curve, update_activation_curve
from ..plots.network import draw_network_diagram, network_diagram_data, update_network_diagram
from ..plots.neuron import draw_neuron_plane, neuron_plane_data, update_neuron_plane, weighted_sum_text
from ..validation import as_float_array, check_positive_int
from .base import Explorer

__all__ = ["NeuronExplorer", "explore_neuron"]


def _neuron_activations() -> tuple[str, ...]:
    # Softmax (of a single output, always 1) teaches nothing here: only elementwise activations, read from the
    # registry each time so one registered later is offered too.
    return tuple(name for name in activations.names() if activations.get(name).elementwise)


NEURON_ACTIVATIONS = _neuron_activations()


def _slider(value: float, limit: float, description: str) -> widgets.FloatSlider:
    limit = max(limit, abs(float(value)))  # a slider clamps values outside its range silently: widen it instead
    return widgets.FloatSlider(value=float(value), min=-limit, max=limit, step=0.05, description=description,
                               continuous_update=True, readout_format=".2f",
                               style={"description_width": "initial"}, layout=widgets.Layout(width="260px"))


class NeuronExplorer(Explorer):
    """One neuron: z = x . weights + bias, output = activation(z), with a slider per number.

    Controls: ``weight_1`` ... ``weight_n``, ``bias``, ``activation``, and the input point ``x_1`` ... ``x_n``.
    The readout writes the weighted sum with the live numbers; the figure shows the neuron as a diagram, the
    activation's curve with the current (z, output) point, and the output over the (x1, x2) plane with the line
    where z = 0 and the input point.

    Shapes: weights (n_inputs,), inputs (n_inputs,), bias a number -> the plane's outputs (resolution,
    resolution) over (x1, x2), and one (z, output) point on the activation's curve.

    Example:
        >>> explorer = NeuronExplorer(weights=[1.0, -1.0], bias=0.0, inputs=[1.0, 0.5], resolution=21, live=False)
        >>> explorer.controls["bias"].value = 1.0        # z = 1*1 + (-1)*0.5 + 1 = 1.5
        >>> explorer.readout_text
        'z = 1.00*1.00 + (-1.00)*0.50 + 1.00 = 1.50;  sigmoid(z) = 0.82'
        >>> z, output = explorer.artists["point"].get_data()
        >>> z, round(output[0], 3)
        ([1.5], 0.818)
        >>> explorer.artists["plane"].get_array().shape
        (21, 21)
    """

    title = "One neuron"

    def __init__(self, n_inputs: int = 2, activation: str = "sigmoid", weights: Sequence[float] | None = None,
                 bias: float = 0.0, inputs: Sequence[float] | None = None, *, extent: float = 3.0,
                 resolution: int = 101, weight_range: float = 5.0, live: bool | None = None):
        super().__init__(live=live)
        self.n_inputs = check_positive_int(n_inputs, "n_inputs")
        weights = np.ones(self.n_inputs) if weights is None else as_float_array(weights, "weights").ravel()
        if weights.size != self.n_inputs:
            raise ValueError(f"weights must have one number per input ({self.n_inputs}), but got {weights.size}.")
        default_inputs = np.resize([1.0, 0.5], self.n_inputs)
        inputs = default_inputs if inputs is None else as_float_array(inputs, "inputs").ravel()
        if inputs.size != self.n_inputs:
            raise ValueError(f"inputs must have one number per input ({self.n_inputs}), but got {inputs.size}.")
        activation = activations.get(activation).name
        self.extent = (-float(extent), float(extent), -float(extent), float(extent))
        self.resolution = resolution

        for i, w in enumerate(weights, start=1):
            self.add_control(f"weight_{i}", _slider(w, weight_range, f"weight {i}"))
        self.controls["weight_1"].add_class("nnl-browser-move")  # the control the real-browser tests move
        self.add_control("bias", _slider(bias, weight_range, "bias"))
        self.add_control("activation", widgets.Dropdown(options=list(_neuron_activations()), value=activation,
                                                        description="activation", layout=widgets.Layout(width="220px")))
        for i, x in enumerate(inputs, start=1):
            self.add_control(f"x_{i}", _slider(x, float(extent), f"input x{i}"))
        self._build_figure()
        self.update()

    # The current numbers, read from the controls
    @property
    def weights(self) -> np.ndarray:
        """The weights the sliders hold now, shape (n_inputs,)."""
        return np.array([self.controls[f"weight_{i}"].value for i in range(1, self.n_inputs + 1)])

    @property
    def bias(self) -> float:
        """The bias the slider holds now."""
        return float(self.controls["bias"].value)

    @property
    def inputs(self) -> np.ndarray:
        """The input point the sliders hold now, shape (n_inputs,)."""
        return np.array([self.controls[f"x_{i}"].value for i in range(1, self.n_inputs + 1)])

    @property
    def activation(self) -> str:
        """The name of the activation chosen in the menu."""
        return self.controls["activation"].value

    @property
    def neuron(self) -> Neuron:
        """The neuron the controls describe now, as an nnlearn Neuron."""
        return Neuron(self.weights, self.bias, self.activation)

    def compute(self) -> dict:
        """Every picture's data for the current control values (the compute half)."""
        plane = neuron_plane_data(self.weights, self.bias, self.activation, self.inputs, extent=self.extent,
                                  resolution=self.resolution)
        reach = max(5.0, float(np.ceil(abs(plane.point_z))) + 1.0)
        return {
            "diagram": network_diagram_data(self.neuron, self.inputs, max_width=6.0,
                                            scale=max(float(np.abs(self.weights).max()), 1.0)),
            "curve": activation_curve_data(self.activation, plane.point_z, z_range=(-reach, reach)),
            "plane": plane,
            "text": weighted_sum_text(self.weights, self.inputs, self.bias, self.activation),
        }

    def _build_figure(self) -> None:
        fig = self.new_figure((10.5, 3.4))
        data = self.compute()
        diagram_ax = fig.add_axes([0.01, 0.08, 0.24, 0.8])
        curve_ax = fig.add_axes([0.33, 0.16, 0.28, 0.72])
        plane_ax = fig.add_axes([0.69, 0.16, 0.28, 0.72])
        diagram = draw_network_diagram(diagram_ax, data["diagram"], node_size=900)
        diagram_ax.set_title("the neuron (edge width ~ |weight|)", fontsize=9, color=_style.MUTED_COLOR)
        curve = draw_activation_curve(curve_ax, data["curve"])
        curve_ax.legend(loc="upper left", fontsize=8, frameon=False)
        plane = draw_neuron_plane(plane_ax, data["plane"])
        plane_ax.set_title("output over the inputs (dashed: z = 0)", fontsize=9, color=_style.MUTED_COLOR)
        self.artists = {**{f"diagram_{k}": v for k, v in diagram.items()},
                        **{f"curve_{k}": v for k, v in curve.items()},
                        **{f"plane_{k}": v for k, v in plane.items()}}
        self.artists.update(edges=diagram["edges"], nodes=diagram["nodes"], curve=curve["curve"],
                            point=curve["point"], plane=plane["outputs"], zero_line=plane["zero_line"],
                            input_point=plane["point"])

    def update(self) -> None:
        data = self.compute()
        update_network_diagram({"edges": self.artists["diagram_edges"], "nodes": self.artists["diagram_nodes"],
                                "values": self.artists["diagram_values"]}, data["diagram"])
        update_activation_curve({k.removeprefix("curve_"): v for k, v in self.artists.items()
                                 if k.startswith("curve_")}, data["curve"])
        curve_ax = self.artists["curve"].axes
        curve_ax.set_xlim(data["curve"].z[0], data["curve"].z[-1])
        update_neuron_plane({"outputs": self.artists["plane_outputs"], "zero_line": self.artists["plane_zero_line"],
                             "point": self.artists["plane_point"]}, data["plane"])
        self.set_readout(data["text"])
        self.redraw()

    def control_rows(self) -> list[widgets.Widget]:
        weights = [self.controls[f"weight_{i}"] for i in range(1, self.n_inputs + 1)]
        inputs = [self.controls[f"x_{i}"] for i in range(1, self.n_inputs + 1)]
        wrap = widgets.Layout(flex_flow="row wrap")
        return [widgets.HBox([*weights, self.controls["bias"], self.controls["activation"]], layout=wrap),
                widgets.HBox(inputs, layout=wrap)]

    def summary(self) -> str:
        return f"{self.activation} neuron, weights {np.round(self.weights, 2).tolist()}, bias {self.bias:.2f}"


def explore_neuron(n_inputs: int = 2, activation: str = "sigmoid", weights: Sequence[float] | None = None,
                   bias: float = 0.0, inputs: Sequence[float] | None = None, *, extent: float = 3.0,
                   resolution: int = 101, hide: Sequence[str] = ()) -> NeuronExplorer:
    """Explore one neuron: sliders for each weight and the bias, a dropdown for the activation.

    Shows z = w1*x1 + w2*x2 + ... + b written with the live numbers, the activation curve with the current
    point, and the neuron's output over the (x1, x2) input plane with its z = 0 line. ``hide`` hides controls
    by name (e.g. ``hide=["activation"]``).

    Shapes: weights (n_inputs,), inputs (n_inputs,), bias a number -> a NeuronExplorer whose output plane is
    (resolution, resolution).

    Example:
        >>> explorer = explore_neuron(weights=[2.0, -1.0], bias=0.5)
        >>> explorer.controls["weight_1"].value = 1.0          # the picture and the readout follow
        >>> explorer.readout_text
        'z = 1.00*1.00 + (-1.00)*0.50 + 0.50 = 1.00;  sigmoid(z) = 0.73'
    """
    explorer = NeuronExplorer(n_inputs, activation, weights, bias, inputs, extent=extent, resolution=resolution)
    if hide:
        explorer.hide(hide)
    return explorer

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
from .live import CanvasPicture

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


class NeuronExplorer(CanvasPicture, Explorer):
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
                 resolution: int = 101, weight_range: float = 5.0, live: bool | None = None,
                 canvas: bool | None = None):
        # canvas (default: unless live=True asks for ipympl): the browser paints the picture from numbers (a
        # LiveFigure), so a slider drag repaints at the display's pace; the matplotlib figure (Agg) stays the
        # static picture and ``explorer.figure``.
        super().__init__(live=self._use_canvas(live, canvas))
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
        if self.canvas is not None:
            self.canvas.show(*self.scene(data))

    def scene(self, data: dict | None = None) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the same three
        panels, palettes and value ranges as the matplotlib figure.

        Shapes: the plane's outputs (resolution, resolution) as uint8 palette rows; curves (n, 2) float32.
        """
        from ..playground import _to_index

        data = data or self.compute()
        diagram, curve, plane = data["diagram"], data["curve"], data["plane"]
        n_rows = max(diagram.layer_sizes)
        values = diagram.node_values if diagram.node_values is not None else np.zeros(len(diagram.positions))
        biggest = float(np.nanmax(np.abs(values), initial=0.0))
        biggest = biggest if np.isfinite(biggest) and biggest > 0 else 1.0
        panels = [
            {"box": [10, 26, 200, 220], "xlim": [-0.5, len(diagram.layer_sizes) - 0.5],
             "ylim": [-n_rows / 2.0, n_rows / 2.0 + 0.2], "axes": False, "clip": False,
             "title": "the neuron (edge width ~ |weight|)", "title_color": _style.MUTED_COLOR},
            {"box": [290, 26, 230, 214], "xlim": [float(curve.z[0]), float(curve.z[-1])],
             "ylim": [float(v) for v in curve.ylim], "axes": True, "xlabel": "z", "title": curve.name,
             "xticks": [float(curve.z[0]), 0.0, float(curve.z[-1])]},
            {"box": [600, 26, 214, 214], "xlim": [plane.extent[0], plane.extent[1]],
             "ylim": [plane.extent[2], plane.extent[3]], "axes": True, "xlabel": "x1", "ylabel": "x2",
             "title": "output over the inputs (dashed: z = 0)", "title_color": _style.MUTED_COLOR},
        ]
        f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
        arrays = {
            "segments": f32(diagram.segments.reshape(-1, 4)), "edge_values": f32(diagram.colors),
            "edge_widths": f32(np.asarray(diagram.widths) * 1.3), "nodes": f32(diagram.positions),
            "node_values": f32(values / biggest),
            "zero_h": f32([[curve.z[0], 0.0], [curve.z[-1], 0.0]]), "zero_v": f32([[0.0, curve.ylim[0]],
                                                                                  [0.0, curve.ylim[1]]]),
            "curve": f32(np.column_stack([curve.z, curve.values])),
            "derivative": f32(np.column_stack([curve.z, curve.derivative])), "tangent": f32(curve.tangent),
            "point": f32([[curve.point_z, curve.point_value]]), "slope_point": f32([[curve.point_z, curve.point_slope]]),
            "plane": _to_index(plane.outputs, *plane.limits), "zero_line": f32(plane.zero_line),
            "input_point": f32([plane.point]),
        }
        items = [
            {"kind": "segments", "panel": 0, "buffer": "segments", "values": "edge_values", "widths": "edge_widths",
             "palette": "palette"},
            {"kind": "circles", "panel": 0, "buffer": "nodes", "values": "node_values", "palette": "palette",
             "radius": 17},
            *({"kind": "text", "panel": 0, "x": float(x), "y": float(y) + 0.36, "text": label, "size": 10,
               "color": _style.MUTED_COLOR} for (x, y), label in zip(diagram.positions, diagram.labels)),
            *({"kind": "text", "panel": 0, "x": float(x), "y": float(y), "text": f"{v:.2f}", "size": 10,
               "baseline": "middle", "color": "#ffffff" if abs(v) > 0.55 * biggest else _style.TEXT_COLOR}
              for (x, y), v in zip(diagram.positions, values)),
            {"kind": "line", "panel": 1, "buffer": "zero_h", "color": "#dddddd", "width": 0.8},
            {"kind": "line", "panel": 1, "buffer": "zero_v", "color": "#dddddd", "width": 0.8},
            {"kind": "line", "panel": 1, "buffer": "curve", "color": _style.POSITIVE, "width": 2.0},
            {"kind": "line", "panel": 1, "buffer": "derivative", "color": _style.NEGATIVE, "width": 1.3,
             "dash": [5, 3]},
            {"kind": "line", "panel": 1, "buffer": "tangent", "color": _style.TEXT_COLOR, "width": 1.0, "alpha": 0.7},
            {"kind": "markers", "panel": 1, "buffer": "point", "color": _style.POSITIVE, "edge": "#000000",
             "radius": 5},
            {"kind": "markers", "panel": 1, "buffer": "slope_point", "color": _style.NEGATIVE, "radius": 3},
            {"kind": "text", "panel": 1, "coords": "axes", "x": 0.03, "y": 0.92, "text": "f(z)", "align": "left",
             "color": _style.POSITIVE},
            {"kind": "text", "panel": 1, "coords": "axes", "x": 0.03, "y": 0.84, "text": "f'(z) dashed",
             "align": "left", "color": _style.NEGATIVE},
            {"kind": "image", "panel": 2, "buffer": "plane", "shape": list(plane.outputs.shape), "palette": "palette",
             "extent": [float(v) for v in plane.extent], "smooth": True},
            {"kind": "line", "panel": 2, "buffer": "zero_line", "color": _style.TEXT_COLOR, "width": 1.5,
             "dash": [6, 4]},
            {"kind": "markers", "panel": 2, "buffer": "input_point", "color": "#ffffff", "edge": "#000000",
             "radius": 5},
        ]
        return 830, 270, panels, items, arrays

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
                   resolution: int = 101, hide: Sequence[str] = (), canvas: bool | None = None) -> NeuronExplorer:
    """Explore one neuron: sliders for each weight and the bias, a dropdown for the activation.

    Shows z = w1*x1 + w2*x2 + ... + b written with the live numbers, the activation curve with the current
    point, and the neuron's output over the (x1, x2) input plane with its z = 0 line. ``hide`` hides controls
    by name (e.g. ``hide=["activation"]``). The browser paints the picture on a canvas (``canvas=False``: the
    matplotlib figure, live with ipympl); ``explorer.figure`` is the same picture in matplotlib either way.

    Shapes: weights (n_inputs,), inputs (n_inputs,), bias a number -> a NeuronExplorer whose output plane is
    (resolution, resolution).

    Example:
        >>> explorer = explore_neuron(weights=[2.0, -1.0], bias=0.5)
        >>> explorer.controls["weight_1"].value = 1.0          # the picture and the readout follow
        >>> explorer.readout_text
        'z = 1.00*1.00 + (-1.00)*0.50 + 0.50 = 1.00;  sigmoid(z) = 0.73'
    """
    explorer = NeuronExplorer(n_inputs, activation, weights, bias, inputs, extent=extent, resolution=resolution,
                              canvas=canvas)
    if hide:
        explorer.hide(hide)
    return explorer

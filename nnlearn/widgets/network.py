"""explore_network: a real model drawn as a graph, with one input's values flowing through it.

Wiring only: ``nnlearn.plots.flow`` computes (``network_flow_data``) and draws (``draw_network_flow``,
``update_network_flow``); the decision surface beside it comes from ``nnlearn.plots.boundary``.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from ..plots import _style
from ..plots.boundary import decision_boundary_data, draw_decision_boundary, point_groups, surface_pixels
from ..plots.flow import NetworkFlowData, draw_network_flow, network_flow_data, update_network_flow
from ..validation import as_float_array
from .base import Explorer
from .live import CanvasPicture, axes_box, axes_ticks

__all__ = ["NetworkExplorer", "explore_network"]


NODE_SIZE = 650.0  # the diagram's node area in points² (draw_network_flow's default)
PLANE_TITLE = "the model's answer over the plane; ★ = your input"
DIAGRAM_TITLE = "each unit's value for your input"


class NetworkExplorer(CanvasPicture, Explorer):
    """Sliders for the input values, a menu to pick a unit, the network with every unit's live value, and (for
    two inputs) where the input sits on the model's decision surface. The readout writes the picked unit's
    arithmetic with its numbers.

    Controls: ``x1``, ``x2``, ... (FloatSlider, the first is the one a browser test moves) and ``node``
    (Dropdown of unit labels, value = node index).

    ``canvas`` (default: unless ``live=True`` asks for ipympl): the browser paints the picture (``scene``) from
    numbers, so a slider drag repaints at the display's pace; the matplotlib figure stays ``explorer.figure``
    and the static picture.

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
                 node: int | str | None = None, show_plane: bool | None = None, live: bool | None = None,
                 canvas: bool | None = None):
        super().__init__(live=self._use_canvas(live, canvas))
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
        self.artists = draw_network_flow(diagram_ax, flow, node_size=NODE_SIZE)
        self.surface = None  # the model's decision surface (it does not change as the input moves)
        if plane_ax is not None:
            points, labels = (None, None) if data is None else data
            extent = (low, high, low, high)
            self.surface = surface = decision_boundary_data(model, resolution=80, extent=extent)
            self.artists.update(draw_decision_boundary(plane_ax, surface, points, labels))
            (marker,) = plane_ax.plot([flow.x[0]], [flow.x[1]], "*", markersize=15, color="white",
                                      markeredgecolor="black", zorder=5)
            self.artists["input_marker"] = marker
            plane_ax.set_title(PLANE_TITLE, fontsize=9, color=_style.TEXT_COLOR)
        diagram_ax.set_title(DIAGRAM_TITLE, fontsize=9, color=_style.TEXT_COLOR)
        fig.tight_layout()
        self.set_readout(flow.formula)
        self.flow = flow
        if self.canvas is not None:
            self.canvas.show(*self.scene(flow))

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
        if self.canvas is not None:
            self.canvas.show(*self.scene(self.flow))

    def scene(self, flow: NetworkFlowData | None = None
              ) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the same panels,
        palettes, value ranges, colours and axis limits as the matplotlib figure.

        Shapes: edges (n_edges, 4) with values and widths (n_edges,); nodes (n_nodes, 2) with values
        (n_nodes,) in [-1, 1]; the chosen unit's incoming edges (fan_in, 4); with the plane, the surface
        (80, 80) uint8 rows of the light diverging palette (RGBA (80, 80, 4) for several classes), its boundary
        (n_segments, 4) and the input (1, 2); all others float32.
        """
        flow = flow if flow is not None else self.flow_data()
        diagram = flow.diagram
        width, height = self.figure.canvas.get_width_height()
        px = self.figure.dpi / 72.0  # matplotlib's points -> the canvas's pixels
        f32 = lambda a, n=2: np.asarray(a, dtype=np.float32).reshape(-1, n)  # noqa: E731
        ax = self.artists["edges"].axes
        panels = [{"box": axes_box(ax), "xlim": [float(v) for v in ax.get_xlim()],
                   "ylim": [float(v) for v in ax.get_ylim()], "axes": False, "clip": False, "title": DIAGRAM_TITLE}]
        values = np.nan_to_num(diagram.node_values if diagram.node_values is not None
                               else np.zeros(len(diagram.positions)), nan=0.0, posinf=0.0, neginf=0.0)
        biggest = float(np.abs(values).max(initial=0.0))
        biggest = biggest if biggest > 0 else 1.0  # the nodes' colour range is -biggest .. biggest, as in matplotlib
        incoming = flow.incoming
        arrays = {
            "highlight": f32(diagram.segments[incoming], 4),
            "highlight_widths": np.asarray((diagram.widths[incoming] + 3.0) * px, dtype=np.float32),
            "edges": f32(diagram.segments, 4), "edge_values": np.asarray(diagram.colors, dtype=np.float32),
            "edge_widths": np.asarray(diagram.widths * px, dtype=np.float32),
            "ring": f32(diagram.positions[flow.node]), "nodes": f32(diagram.positions),
            "node_values": np.asarray(values / biggest, dtype=np.float32),
        }
        items: list[dict] = [
            {"kind": "segments", "panel": 0, "buffer": "highlight", "widths": "highlight_widths",
             "color": _style.TEXT_COLOR},
            {"kind": "segments", "panel": 0, "buffer": "edges", "values": "edge_values", "widths": "edge_widths",
             "palette": "palette"},
            {"kind": "markers", "panel": 0, "buffer": "ring", "color": "rgba(0, 0, 0, 0)", "edge": _style.TEXT_COLOR,
             "edge_width": 2.0 * px, "radius": float(np.sqrt(NODE_SIZE)) * 1.2 / 2 * px},
            {"kind": "circles", "panel": 0, "buffer": "nodes", "values": "node_values", "palette": "palette",
             "radius": float(np.sqrt(NODE_SIZE)) / 2 * px},
        ]
        lut = self._palette()
        for (x, y), label, value in zip(diagram.positions, diagram.labels, arrays["node_values"]):
            r, g, b = lut[min(255, max(0, int(np.floor((float(value) + 1.0) * 128))))][:3] / 255.0
            dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5  # white on strongly coloured nodes, as in matplotlib
            items.append({"kind": "text", "panel": 0, "x": float(x), "y": float(y) + 0.32, "text": label,
                          "size": 8 * px, "baseline": "bottom", "color": _style.MUTED_COLOR})
            items.append({"kind": "text", "panel": 0, "x": float(x), "y": float(y),
                          "text": "" if diagram.node_values is None else f"{value * biggest:.2f}", "size": 7 * px,
                          "baseline": "middle", "color": "#ffffff" if dark else _style.TEXT_COLOR})
        for edge in incoming:
            (x0, y0), (x1, y1) = diagram.segments[edge]
            items.append({"kind": "text", "panel": 0, "x": float(x0 + 0.5 * (x1 - x0)),
                          "y": float(y0 + 0.5 * (y1 - y0)),
                          "text": f"{diagram.weights[edge]:.2f}", "size": 7 * px, "baseline": "middle",
                          "color": _style.TEXT_COLOR, "background": "#ffffff", "background_alpha": 0.85,
                          "pad": 0.15 * 7 * px})
        if self.surface is not None:
            self._plane_scene(flow, px, panels, items, arrays)
        return width, height, panels, items, arrays

    def _plane_scene(self, flow: NetworkFlowData, px: float, panels: list, items: list, arrays: dict) -> None:
        """The decision surface panel: the surface, its boundary, the data points and the input's star."""
        from ..playground import _to_index

        surface = self.surface
        ax = self.artists["surface"].axes
        e = [float(v) for v in surface.extent]
        panels.append({"box": axes_box(ax), "xlim": e[:2], "ylim": e[2:], "axes": True, "xlabel": "x1",
                       "ylabel": "x2", "title": PLANE_TITLE, "xticks": axes_ticks(ax, "x", *e[:2]),
                       "yticks": axes_ticks(ax, "y", *e[2:])})
        pixels = surface_pixels(surface)
        if pixels.ndim == 3:  # several classes: RGB colours, sent as RGBA bytes
            rgba = np.concatenate([pixels, np.ones(pixels.shape[:2] + (1,))], axis=-1)
            arrays["surface"] = np.clip(np.round(rgba * 255), 0, 255).astype(np.uint8)
            image = {"rgba": True}
        else:
            arrays["surface"] = _to_index(pixels, *surface.limits)
            image = {"palette": "palette_light"}
        arrays["boundary"] = np.asarray(surface.boundary, dtype=np.float32).reshape(-1, 4)
        arrays["input"] = np.asarray([flow.x[:2]], dtype=np.float32)
        items += [
            {"kind": "image", "panel": 1, "buffer": "surface", "shape": list(pixels.shape[:2]), "extent": e, **image},
            {"kind": "segments", "panel": 1, "buffer": "boundary", "color": _style.TEXT_COLOR, "width": 1.2 * px},
        ]
        points = self.artists["points"]
        if len(points.y):
            groups, colors = point_groups(points.y, surface.kind, surface.n_classes, surface.limits)
            for k, rgb in enumerate(colors):
                arrays[f"points_{k}"] = np.asarray(points.x[groups == k], dtype=np.float32).reshape(-1, 2)
                items.append({"kind": "markers", "panel": 1, "buffer": f"points_{k}",
                              "color": "#%02x%02x%02x" % tuple(int(round(255 * c)) for c in rgb[:3]),
                              "edge": "#333333", "edge_width": 0.4 * px, "radius": 4.0 / 2 * px})
        items.append({"kind": "markers", "panel": 1, "buffer": "input", "shape": "star", "color": "#ffffff",
                      "edge": "#000000", "edge_width": 1.0 * px, "radius": 15.0 / 2 * px})

    def _palette(self) -> np.ndarray:
        """The diverging palette the canvas colours nodes with, as (256, 4) uint8 (kept)."""
        if getattr(self, "_lut", None) is None:
            from ..playground import palette

            self._lut = palette(_style.DIVERGING)
        return self._lut

    def control_rows(self) -> list[widgets.Widget]:
        sliders = [self.controls[f"x{k + 1}"] for k in range(len(self.input_names))]
        return [widgets.HBox(sliders + [self.controls["node"]], layout=widgets.Layout(flex_flow="row wrap"))]

    def summary(self) -> str:
        return f"{self.title}: {self.flow.formula}"


def explore_network(model: Any, x: Any = None, *, data: tuple[Any, Any] | None = None,
                    input_range: tuple[float, float] = (-2.0, 2.0), input_names: list[str] | None = None,
                    node: int | str | None = None, show_plane: bool | None = None,
                    live: bool | None = None, canvas: bool | None = None) -> NetworkExplorer:
    """A real model drawn as a graph, with the values of one input flowing through it.

    Move the input sliders and every unit's value changes; pick a unit to see its weighted sum and activation
    written out with the numbers. For a model with two inputs, the right panel shows where the input sits on the
    model's decision surface (``data=(x, y)`` adds the training points). The browser paints the picture on a
    canvas (``canvas=False``: the matplotlib figure, live with ipympl with ``live=True``); ``explorer.figure`` is
    the same picture in matplotlib either way.

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
                           show_plane=show_plane, live=live, canvas=canvas)

"""explore_backprop: step backward through a small computational graph and watch each gradient appear.

Compute: ``nnlearn.graph`` (values, local gradients, the backward steps) and ``nnlearn.plots.graph``
(``graph_picture_data``). Draw: ``draw_graph`` / ``update_graph``. This module only wires controls to them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import ipywidgets as widgets
import numpy as np

from ..graph import ACTIVATIONS, Graph, neuron_graph
from ..plots import _style
from ..plots.graph import EDGE_COLOR, GRADIENT_COLOR, ROLE_COLORS, draw_graph, graph_picture_data, update_graph
from .base import Explorer
from .live import CanvasPicture

__all__ = ["BackpropExplorer", "explore_backprop"]


def control_name(leaf: str) -> str:
    """A leaf's control name, usable as a CSS class: 'w1[1,2]' -> 'w1_1_2'."""
    return re.sub(r"[^A-Za-z0-9]+", "_", leaf).strip("_")


def _slider(value: float, limit: float, description: str) -> widgets.FloatSlider:
    limit = max(limit, abs(float(value)))  # a slider clamps values outside its range silently: widen it instead
    return widgets.FloatSlider(value=float(value), min=-limit, max=limit, step=0.1, description=description,
                               readout_format=".2f", continuous_update=True, style={"description_width": "initial"},
                               layout=widgets.Layout(width="190px"))


class BackpropExplorer(CanvasPicture, Explorer):
    """A computational graph with every forward value and local gradient, and a backward pass you step through.

    Controls: ``step`` (how many backward steps are shown, 0 = forward pass only; moved by ``play``), one slider
    per leaf (``x1``, ``w1``, ``b``, ``t``, ... named after the leaf) and, for the one-neuron graph, the
    ``activation``. The readout and the caption write the current step as chain-rule arithmetic. The browser
    paints the picture on a canvas (``scene()``; ``canvas=False``, or ``live=True``: the matplotlib figure).

    Shapes: no arrays in (a Graph of scalar nodes) -> one box and one gradient label per node (``graph_names``
    order), one step per node after the loss.

    Example:
        >>> from nnlearn.graph import neuron_graph
        >>> graph = neuron_graph(x=[1.0, 2.0], weights=[0.5, -0.5], bias=0.0, target=1.0, activation="identity")
        >>> explorer = BackpropExplorer(graph, live=False)   # a = 0.5 - 1 = -0.5, e = a - t = -1.5, L = e² = 2.25
        >>> explorer.controls["step"].value = 2               # dL/de = 2e = -3
        >>> [label.get_text() for label in explorer.artists["gradients"] if label.get_text()]
        ['∂L/∂e = -3.000', '∂L/∂L = 1.000']
    """

    title = "Backpropagation, step by step"

    def __init__(self, graph: Graph, *, step: int = 0, activation_control: bool = False, value_range: float = 3.0,
                 figsize: tuple[float, float] | None = None, live: bool | None = None, canvas: bool | None = None):
        # canvas (default: unless live=True asks for ipympl): the browser paints the graph from numbers, so Play
        # and a slider drag repaint at the display's pace; the matplotlib figure stays the static picture.
        super().__init__(live=self._use_canvas(live, canvas))
        self.graph = graph
        n_steps = len(self.graph.backward())
        step = int(min(max(int(step), 0), n_steps))

        self.add_control("play", widgets.Play(value=step, min=0, max=n_steps, step=1, interval=900,
                                              description="play backward", show_repeat=False),
                         on_change=lambda change: None)
        slider = self.add_control("step", widgets.IntSlider(value=step, min=0, max=n_steps, description="backward step",
                                                            style={"description_width": "initial"},
                                                            layout=widgets.Layout(width="320px")))
        slider.add_class("nnl-browser-move")
        # Linked in the kernel, so Play, the slider and Python all move each other.
        self._link = widgets.link((self.controls["play"], "value"), (self.controls["step"], "value"))
        self.leaf_controls: dict[str, str] = {}
        for leaf in self.graph.leaves():
            name = control_name(leaf)
            self.leaf_controls[name] = leaf
            self.add_control(name, _slider(self.graph.value(leaf), value_range, leaf),
                             on_change=lambda change, leaf=leaf: self._set_leaf(leaf, change["new"]))
        if activation_control:  # only for the one-neuron graph, which is rebuilt with the new activation
            activation = self.graph.node("a").operation
            self.add_control("activation", widgets.Dropdown(
                options=list(ACTIVATIONS), value=activation, description="activation",
                layout=widgets.Layout(width="200px")), on_change=lambda change: self._new_activation(change["new"]))
        self._build_figure(figsize)
        self.update()

    # ------------------------------------------------------------------ state
    @property
    def step(self) -> int:
        """How many backward steps are shown (0: only the forward pass)."""
        return int(self.controls["step"].value)

    @property
    def graph_names(self) -> list[str]:
        """The nodes in the order of the artists' lists (``boxes``, ``gradients``)."""
        return list(self.graph.nodes)

    def _set_leaf(self, leaf: str, value: float) -> None:
        self.graph.set_value(leaf, value)
        self.update()

    def _new_activation(self, name: str) -> None:
        values = {leaf: self.graph.value(leaf) for leaf in self.graph.leaves()}
        self.graph = neuron_graph(x=[values["x1"], values["x2"]], weights=[values["w1"], values["w2"]],
                                  bias=values["b"], target=values["t"], activation=name)
        self.update()

    def compute(self):
        """What the picture shows for the current controls (the compute half)."""
        return graph_picture_data(self.graph, self.step)

    # ------------------------------------------------------------------ drawing
    def _build_figure(self, figsize: tuple[float, float] | None) -> None:
        n_nodes = len(self.graph.nodes)
        small = n_nodes <= 14
        figsize = figsize or ((9.2, 3.6) if small else (12.0, 5.2))   # 9.2 in at 90 dpi fits a lab window with the side bar open
        self._fontsize = 8.5 if small else 7.0
        fig = self.new_figure(figsize, dpi=90)
        ax = fig.add_axes([0.01, 0.01, 0.98, 0.98])
        self.artists = draw_graph(ax, self.compute(), fontsize=self._fontsize, show_formulas=True)

    def update(self) -> None:
        data = self.compute()
        update_graph(self.artists, data)
        self.data = data
        self.set_readout(data.caption)
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene(data))

    def scene(self, data=None) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the same boxes,
        colours, texts and axis limits as the matplotlib figure (sizes in pixels at its 90 dpi).

        Shapes: nodes (n_nodes, 2), formula and gradient anchors (n_nodes, 2), edges (n_edges, 4), edge widths
        (n_edges,) twice (grey: 0 where active; purple: 0 where not), edge labels (n_edges, 2); all float32.
        """
        data = data or self.compute()
        fig, ax = self.figure, self.artists["caption"].axes
        width, height = (int(round(v)) for v in fig.get_size_inches() * fig.dpi)
        left, bottom, w, h = ax.get_position().bounds
        box = [float(left * width), float((1 - bottom - h) * height), float(w * width), float(h * height)]
        px = fig.dpi / 72.0  # matplotlib's points -> pixels
        size = self._fontsize * px
        f32 = lambda a: np.asarray(a, dtype=np.float32)  # noqa: E731
        active = np.asarray(data.active_edges, dtype=bool)
        current = [k == data.current for k in range(len(data.names))]
        arrays = {
            "nodes": f32(data.positions), "formulas": f32(data.positions + [0.0, 0.3]),
            "gradients": f32(data.positions - [0.0, 0.27]), "edges": f32(data.segments.reshape(-1, 4)),
            "edge_widths": f32(np.where(active, 0.0, 1.2)), "active_widths": f32(np.where(active, 2.6, 0.0)),
            "edge_labels": f32(data.edge_label_positions.reshape(-1, 2)),
        }
        panels = [{"box": box, "xlim": [float(v) for v in ax.get_xlim()], "ylim": [float(v) for v in ax.get_ylim()],
                   "axes": False, "clip": False}]
        items = [
            {"kind": "segments", "panel": 0, "buffer": "edges", "widths": "edge_widths", "color": EDGE_COLOR},
            {"kind": "segments", "panel": 0, "buffer": "edges", "widths": "active_widths", "color": GRADIENT_COLOR},
            {"kind": "labels", "panel": 0, "buffer": "edge_labels", "texts": list(data.edge_texts),
             "size": size - 1.5 * px, "pad": 0.12 * (self._fontsize - 1.5) * px, "round": 2, "fills": "#ffffff",
             "colors": [GRADIENT_COLOR if on else _style.MUTED_COLOR for on in active],
             "bold": [bool(on) for on in active]},
            {"kind": "labels", "panel": 0, "buffer": "nodes", "texts": list(data.value_texts), "size": size,
             "pad": 0.3 * size, "round": 0.3 * size, "fills": [ROLE_COLORS[role] for role in data.roles],
             "edges": [GRADIENT_COLOR if on else "#888888" for on in current],
             "edge_widths": [(2.4 if on else 0.8) * px for on in current], "colors": _style.TEXT_COLOR},
            {"kind": "labels", "panel": 0, "buffer": "formulas", "texts": list(data.formulas), "size": size - 1.5 * px,
             "baseline": "bottom", "colors": _style.MUTED_COLOR},
            {"kind": "labels", "panel": 0, "buffer": "gradients", "texts": list(data.gradient_texts), "size": size,
             "pad": 0.05 * size, "baseline": "top", "fills": "rgba(255,255,255,0.85)", "colors": GRADIENT_COLOR,
             "bold": True},
            {"kind": "text", "panel": 0, "coords": "axes", "x": 0.0, "y": 0.0, "text": data.caption, "align": "left",
             "baseline": "bottom", "size": size + px, "color": _style.TEXT_COLOR},
        ]
        return width, height, panels, items, arrays

    def control_rows(self) -> list[widgets.Widget]:
        wrap = widgets.Layout(flex_flow="row wrap")
        stepping = [self.controls["play"], self.controls["step"]]
        if "activation" in self.controls:
            stepping.append(self.controls["activation"])
        leaves = [self.controls[name] for name in self.leaf_controls]
        return [widgets.HBox(stepping, layout=wrap), widgets.HBox(leaves, layout=wrap)]

    def summary(self) -> str:
        return f"{len(self.graph.nodes)}-node graph, loss {self.graph.loss:.4f}, step {self.step} of {self.data.n_steps}"


def explore_backprop(graph: Graph | None = None, *, x: Sequence[float] | None = None,
                     weights: Sequence[float] | None = None, bias: float | None = None, target: float | None = None,
                     activation: str = "sigmoid", step: int = 0, value_range: float = 3.0,
                     hide: Sequence[str] = (), canvas: bool | None = None) -> BackpropExplorer:
    """Step backward through a computational graph: every node's value, every edge's local gradient, and each
    gradient ∂L/∂node appearing as the step slider (or Play) walks from the loss back to the weights.

    Default: one neuron with two inputs and a squared-error loss (``nl.graph.neuron_graph``), with sliders for
    x1, x2, w1, w2, b and the target t, and a dropdown for the activation. Pass ``graph`` (e.g.
    ``nl.graph.network_graph(model, x, target)``) to explore another graph; it gets a slider per leaf. The
    browser paints the picture on a canvas (``canvas=False``: the matplotlib figure, live with ipympl).

    Shapes: x (2,) and weights (2,) for the neuron, bias and target numbers (or a Graph) -> a BackpropExplorer.

    Example:
        >>> explorer = explore_backprop(x=[2.0, 1.0], weights=[1.5, -1.0], bias=0.5, target=1.0, activation="relu")
        >>> explorer.controls["step"].value = 2                 # L, then e
        >>> explorer.readout_text
        'Step 2 of 11:  ∂L/∂e = ∂L/∂L × ∂L/∂e = 1 × 3 = 3'
        >>> explorer.controls["t"].value = 2.0                  # e = 2.5 - 2 = 0.5, so dL/de = 1
        >>> explorer.readout_text
        'Step 2 of 11:  ∂L/∂e = ∂L/∂L × ∂L/∂e = 1 × 1 = 1'
    """
    if graph is not None and any(v is not None for v in (x, weights, bias, target)):
        raise ValueError("Give either a graph or the neuron's numbers (x, weights, bias, target), not both.")
    neuron = graph is None
    if neuron:
        defaults = neuron_graph()
        graph = neuron_graph(
            x=x if x is not None else [defaults.value("x1"), defaults.value("x2")],
            weights=weights if weights is not None else [defaults.value("w1"), defaults.value("w2")],
            bias=bias if bias is not None else defaults.value("b"),
            target=target if target is not None else defaults.value("t"),
            activation=activation,
        )
    explorer = BackpropExplorer(graph, step=step, activation_control=neuron, value_range=value_range,
                                canvas=canvas)
    if hide:
        explorer.hide(hide)
    return explorer

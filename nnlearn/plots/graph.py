"""The computational-graph picture: boxes with forward values, edges labelled with local gradients, and the
gradients appearing node by node as the backward pass walks from the loss to the weights.

Compute: ``graph_picture_data(graph, step)`` (NumPy only) says what every box and edge shows after ``step``
backward steps. Draw: ``draw_graph(ax, data)`` returns the artists; ``update_graph(artists, data)`` changes
their texts and colours in place (same graph shape).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..graph import OPERATIONS, Graph
from . import _style
from ._grid import PlotData

__all__ = ["GraphPictureData", "draw_graph", "graph_picture_data", "node_formula", "update_graph"]

GRADIENT_COLOR = "#7b3294"  # purple: a gradient, never confused with the orange/blue of a sign or a class
ROLE_COLORS = {"input": "#eeeeee", "parameter": "#d6e6f5", "target": "#fbe3c8", "operation": "#ffffff"}
EDGE_COLOR = "#b5b5b5"


def _number(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text  # no "-0.00"


def node_formula(graph: Graph, name: str) -> str:
    """How a node is computed from its parents, e.g. 'w1·x1', 'p1+p2+b', 'σ(z)', 'e²'; '' for a leaf.

    Example:
        >>> from nnlearn.graph import neuron_graph
        >>> g = neuron_graph()
        >>> [node_formula(g, n) for n in ("p1", "z", "a", "e", "L", "w1")]
        ['w1·x1', 'p1+p2+b', 'σ(z)', 'a−t', 'e²', '']
    """
    node = graph.node(name)
    if node.is_leaf:
        return ""
    p = node.parents
    if node.operation == "multiply":
        return f"{p[0]}·{p[1]}"
    if node.operation == "add":
        return "+".join(p) if len(p) <= 3 else f"sum of {len(p)}"
    if node.operation == "subtract":
        return f"{p[0]}−{p[1]}"
    if node.operation == "square":
        return f"{p[0]}²"
    if node.operation == "mean":
        return f"mean of {len(p)}"
    if node.operation == "identity":
        return p[0]
    return f"{OPERATIONS[node.operation].symbol}({p[0]})"


@dataclass
class GraphPictureData(PlotData):
    """What the graph picture shows after ``step`` of ``n_steps`` backward steps (0 = forward pass only).

    Node k sits at ``positions[k]`` (x = column, y = -row) and shows ``value_texts[k]`` and, once the backward
    pass has reached it, ``gradient_texts[k]`` ('' before). Edge e runs ``segments[e]`` from its parent to its
    child and is labelled ``edge_texts[e]`` (the local gradient d child / d parent) at ``edge_label_positions[e]``.
    ``current`` is the node of the latest step (None at step 0); ``active_edges`` marks the edges that step used.

    Shapes: positions (n_nodes, 2), gradients (n_nodes,), done (n_nodes,) bool; segments (n_edges, 2, 2),
    edge_label_positions (n_edges, 2), active_edges (n_edges,) bool; the text lists have one entry per node or edge.

    Example:
        >>> from nnlearn.graph import neuron_graph
        >>> data = graph_picture_data(neuron_graph(), step=0)
        >>> data.positions.shape, data.segments.shape, data.n_steps    # 12 nodes, 11 edges, 11 backward steps
        ((12, 2), (11, 2, 2), 11)
        >>> bool(data.done.any()), data.current                        # step 0: no gradient revealed yet
        (False, None)
    """

    names: list[str]
    roles: list[str]
    positions: np.ndarray
    value_texts: list[str]
    formulas: list[str]
    gradient_texts: list[str]
    gradients: np.ndarray  # dL/dnode, NaN where not reached yet
    done: np.ndarray
    current: int | None
    segments: np.ndarray
    edge_parents: list[str]
    edge_children: list[str]
    edge_texts: list[str]
    edge_label_positions: np.ndarray
    active_edges: np.ndarray
    step: int
    n_steps: int
    caption: str


def graph_picture_data(graph: Graph, step: int | None = None, *, digits: int = 3,
                       row_height: float = 1.0) -> GraphPictureData:
    """Everything the picture needs after ``step`` backward steps (None: all of them).

    Runs the backward pass on ``graph`` (its values must be current) and reveals the first ``step`` gradients.

    Shapes: positions (n_nodes, 2); segments (n_edges, 2, 2); gradients (n_nodes,).

    Example:
        >>> from nnlearn.graph import neuron_graph
        >>> g = neuron_graph(x=[2.0, 1.0], weights=[1.5, -1.0], bias=0.5, target=1.0, activation="relu")
        >>> data = graph_picture_data(g, step=2)
        >>> data.names[data.current], data.gradient_texts[data.names.index("e")]   # dL/de = 2e = 2*1.5
        ('e', '∂L/∂e = 3.000')
        >>> data.gradient_texts[data.names.index("w1")]                             # not reached yet
        ''
    """
    steps = graph.backward()
    n_steps = len(steps)
    step = n_steps if step is None else int(np.clip(int(step), 0, n_steps))
    names = list(graph.nodes)
    index = {name: k for k, name in enumerate(names)}
    places = graph.positions()
    positions = np.array([[places[n][0], -places[n][1] * row_height] for n in names], dtype=float)

    revealed = {s.node: s.gradient for s in steps[:step]}
    gradients = np.array([revealed.get(n, np.nan) for n in names])
    done = ~np.isnan(gradients)
    gradient_texts = [f"∂L/∂{n} = {_number(revealed[n], digits)}" if n in revealed else "" for n in names]
    value_texts = [f"{n} = {_number(graph.nodes[n].value, digits)}" for n in names]

    edges = graph.edges()
    segments = np.array([[positions[index[e.parent]], positions[index[e.child]]] for e in edges]).reshape(-1, 2, 2)
    label_positions = segments.mean(axis=1)
    current = None
    active = np.zeros(len(edges), dtype=bool)
    if step > 0:
        latest = steps[step - 1]
        current = index[latest.node]
        used = {child for child, _, _ in latest.terms}
        active = np.array([e.parent == latest.node and e.child in used for e in edges], dtype=bool)
        caption = f"Step {step} of {n_steps}:  {latest.formula(digits)}"
    else:
        caption = (f"Forward pass done: L = {_number(graph.loss, digits)}. Step backward to see each node's "
                   f"gradient ∂L/∂node.")
    return GraphPictureData(
        names=names, roles=[graph.nodes[n].role for n in names], positions=positions, value_texts=value_texts,
        formulas=[node_formula(graph, n) for n in names], gradient_texts=gradient_texts, gradients=gradients,
        done=done, current=current, segments=segments, edge_parents=[e.parent for e in edges],
        edge_children=[e.child for e in edges], edge_texts=[_number(e.local_gradient, digits) for e in edges],
        edge_label_positions=label_positions, active_edges=active, step=step, n_steps=n_steps, caption=caption,
    )


# ---------------------------------------------------------------------------------------------------- drawing
def draw_graph(ax: Any, data: GraphPictureData, *, fontsize: float = 8.0, show_edge_labels: bool = True,
               show_formulas: bool = True) -> dict[str, Any]:
    """Draw the boxes, edges, local-gradient labels and the step caption on ``ax``.

    Returns the artists: 'edges' (LineCollection), 'boxes' and 'gradients' (lists of Text, one per node),
    'formulas' (Text per node), 'edge_labels' (Text per edge), 'caption' (Text).

    Shapes: the arrays of data (see GraphPictureData) -> dict of artists (n_nodes boxes, n_edges edge labels).

    Example:
        >>> from nnlearn.graph import neuron_graph
        >>> from nnlearn.plots import figure
        >>> g = neuron_graph(x=[2.0, 1.0], weights=[1.5, -1.0], bias=0.5, target=1.0, activation="relu")
        >>> data = graph_picture_data(g, step=0)
        >>> artists = draw_graph(figure().add_subplot(), data)
        >>> artists["boxes"][data.names.index("L")].get_text()    # z = 3 - 1 + 0.5 = 2.5, L = (2.5 - 1)² = 2.25
        'L = 2.250'
        >>> len(artists["boxes"]), len(artists["edge_labels"])
        (12, 11)
    """
    from matplotlib.collections import LineCollection

    _style.style_axes(ax, frame=False)
    ax.set_xticks([])
    ax.set_yticks([])
    edges = LineCollection(data.segments, colors=EDGE_COLOR, linewidths=1.2, zorder=1)
    ax.add_collection(edges, autolim=False)
    edge_labels = []
    for (px, py), text in zip(data.edge_label_positions, data.edge_texts):
        label = ax.text(px, py, text, ha="center", va="center", fontsize=fontsize - 1.5, color=_style.MUTED_COLOR,
                        zorder=2, bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none"})
        label.set_visible(show_edge_labels)
        edge_labels.append(label)
    boxes, gradients, formulas = [], [], []
    for k, (px, py) in enumerate(data.positions):
        boxes.append(ax.text(px, py, data.value_texts[k], ha="center", va="center", fontsize=fontsize, zorder=3,
                             color=_style.TEXT_COLOR,
                             bbox={"boxstyle": "round,pad=0.3", "facecolor": ROLE_COLORS[data.roles[k]],
                                   "edgecolor": "#888888", "linewidth": 0.8}))
        formulas.append(ax.text(px, py + 0.3, data.formulas[k], ha="center", va="bottom", fontsize=fontsize - 1.5,
                                color=_style.MUTED_COLOR, zorder=3, visible=show_formulas))
        # a white backing so edges passing under a gradient do not cross its digits
        gradients.append(ax.text(px, py - 0.27, "", ha="center", va="top", fontsize=fontsize, zorder=4,
                                 color=GRADIENT_COLOR, fontweight="bold",
                                 bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none",
                                       "alpha": 0.85}))
    caption = ax.text(0.0, 0.0, "", transform=ax.transAxes, ha="left", va="bottom", fontsize=fontsize + 1,
                      color=_style.TEXT_COLOR)
    x_low, x_high = data.positions[:, 0].min(), data.positions[:, 0].max()
    y_low, y_high = data.positions[:, 1].min(), data.positions[:, 1].max()
    ax.set_xlim(x_low - 0.55, x_high + 0.55)
    ax.set_ylim(y_low - 0.85, y_high + 0.55)  # room below for the last gradient and the caption
    artists = {"edges": edges, "boxes": boxes, "gradients": gradients, "formulas": formulas,
               "edge_labels": edge_labels, "caption": caption}
    update_graph(artists, data)
    return artists


def update_graph(artists: dict[str, Any], data: GraphPictureData) -> None:
    """Show new values, revealed gradients and the current step in the artists of ``draw_graph``.

    Shapes: dict of artists, the arrays of data (see GraphPictureData; same graph shape) -> None (in place).

    Example:
        >>> from nnlearn.graph import neuron_graph
        >>> from nnlearn.plots import figure
        >>> g = neuron_graph(x=[2.0, 1.0], weights=[1.5, -1.0], bias=0.5, target=1.0, activation="relu")
        >>> artists = draw_graph(figure().add_subplot(), graph_picture_data(g, step=0))
        >>> data = graph_picture_data(g)                  # every backward step done
        >>> update_graph(artists, data)
        >>> artists["gradients"][data.names.index("w1")].get_text()    # 2e * x1 = 2*1.5 * 2
        '∂L/∂w1 = 6.000'
    """
    for k, box in enumerate(artists["boxes"]):
        box.set_text(data.value_texts[k])
        patch = box.get_bbox_patch()
        is_current = data.current == k
        patch.set_edgecolor(GRADIENT_COLOR if is_current else "#888888")
        patch.set_linewidth(2.4 if is_current else 0.8)
        artists["gradients"][k].set_text(data.gradient_texts[k])
    colors = np.where(data.active_edges, GRADIENT_COLOR, EDGE_COLOR)
    artists["edges"].set_colors(list(colors))
    artists["edges"].set_linewidths(np.where(data.active_edges, 2.6, 1.2))
    for e, label in enumerate(artists["edge_labels"]):
        label.set_text(data.edge_texts[e])
        label.set_color(GRADIENT_COLOR if data.active_edges[e] else _style.MUTED_COLOR)
        label.set_fontweight("bold" if data.active_edges[e] else "normal")
    artists["caption"].set_text(data.caption)

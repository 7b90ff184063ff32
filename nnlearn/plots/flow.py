"""Values flowing through a network for one input: the network diagram plus one unit's arithmetic, written out.

Compute: ``network_flow_data(model, x, node)`` (NumPy only) runs one input forward layer by layer and keeps every
unit's weighted sum z and output, and writes the chosen unit's computation with its live numbers.
Draw: ``draw_network_flow(ax, data)`` draws the diagram (``draw_network_diagram``), outlines the chosen unit's
incoming edges and labels them with their weights; ``update_network_flow(artists, data)`` changes all that in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..validation import as_float_array
from . import _style
from ._grid import PlotData
from .network import NetworkDiagramData, dense_weights, draw_network_diagram, network_diagram_data, update_network_diagram

__all__ = ["NetworkFlowData", "draw_network_flow", "network_flow_data", "unit_formula", "update_network_flow"]


def _number(value: float) -> str:
    text = f"{value:.2f}"
    text = "0.00" if text == "-0.00" else text
    return f"({text})" if text.startswith("-") else text


def unit_formula(label: str, weights: np.ndarray, inputs: np.ndarray, input_labels: list[str], bias: float,
                 activation: str, max_terms: int = 4) -> str:
    """One unit's computation with its numbers: label = activation(w1*v1 + ... + b) = activation(z) = output.

    With more than ``max_terms`` inputs the middle terms are summed into '... (k more)'.

    Example:
        >>> import numpy as np
        >>> unit_formula("h1", np.array([0.5, -1.0]), np.array([2.0, 1.0]), ["x1", "x2"], 0.25, "relu")
        'h1 = relu(0.50*2.00 + (-1.00)*1.00 + 0.25) = relu(0.25) = 0.25'
    """
    from .. import activations

    function = activations.get(activation)
    products = weights * inputs
    z = float(products.sum() + bias)
    output = float(np.asarray(function(np.array([z])))[0]) if function.name != "softmax" else float("nan")
    terms = [f"{_number(w)}*{_number(v)}" for w, v in zip(weights, inputs)]
    if len(terms) > max_terms:
        hidden = products[max_terms - 1 : -1].sum()
        terms = terms[: max_terms - 1] + [f"... ({len(terms) - max_terms} more: {_number(hidden)})", terms[-1]]
    inner = " + ".join(terms + [_number(bias)])
    if function.name == "identity":
        return f"{label} = {inner} = {z:.2f}"
    if function.name == "softmax":
        return f"{label}: z = {inner} = {z:.2f}, then softmax over the layer"
    return f"{label} = {function.name}({inner}) = {function.name}({z:.2f}) = {output:.2f}"


@dataclass
class NetworkFlowData(PlotData):
    """The diagram for one input, every unit's z and output, and the chosen unit's arithmetic.

    ``diagram`` is the network diagram (its ``node_values`` are each unit's output for ``x``); ``z`` holds each
    node's weighted sum (NaN for inputs); ``node`` is the chosen node's index, ``incoming`` the indices of its
    incoming edges and ``formula`` its computation written out.

    Shapes: x (n_inputs,); z (n_nodes,); incoming (n_inputs_of_node,); formulas: one string per node.

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 2, "relu"), nl.Dense(2, 1)])
        >>> model.layers[0].weights[:] = [[0.5, 1.0], [-1.0, 2.0]]; model.layers[0].bias[:] = [0.25, 0.0]
        >>> model.layers[1].weights[:] = [[1.0], [-0.5]]; model.layers[1].bias[:] = 0.0
        >>> data = network_flow_data(model, [2.0, 1.0])
        >>> data.z.tolist()    # inputs have no z; h1.1 = 1 - 1 + 0.25, h1.2 = 2 + 2, out1 = 0.25 - 0.5*4
        [nan, nan, 0.25, 4.0, -1.75]
        >>> data.diagram.labels[data.node], data.incoming.tolist()
        ('out1', [4, 5])
    """

    diagram: NetworkDiagramData
    x: np.ndarray
    z: np.ndarray
    node: int
    incoming: np.ndarray
    formula: str
    formulas: list[str]


def network_flow_data(model: Any, x: Any, node: int | str | None = None, *,
                      input_names: list[str] | None = None, max_width: float = 6.0,
                      scale: float | None = None) -> NetworkFlowData:
    """Run one input ``x`` through a Dense network and write out the arithmetic of unit ``node``.

    ``node`` is a node index (inputs first, as in the diagram) or its label ('h1.2', 'out1'); default the first
    output unit.

    Shapes: x (n_inputs,) -> z (n_nodes,); incoming (n_inputs_of_node,).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 1, "relu")])
        >>> model.layers[0].weights[:] = [[0.5], [-1.0]]; model.layers[0].bias[:] = 0.25
        >>> network_flow_data(model, [2.0, 1.0]).formula
        'out1 = relu(0.50*2.00 + (-1.00)*1.00 + 0.25) = relu(0.25) = 0.25'
    """
    values = as_float_array(x, "x").ravel()
    diagram = network_diagram_data(model, values, input_names=input_names, max_width=max_width, scale=scale)
    layers = dense_weights(model)
    starts = np.concatenate([[0], np.cumsum(diagram.layer_sizes)])
    z_all = [np.full(diagram.layer_sizes[0], np.nan)]
    outputs = [values]
    formulas = [f"{name} = {value:.2f} (an input)" for name, value in zip(diagram.labels, values)]
    for k, (_, layer) in enumerate(layers):
        weights = np.asarray(layer.weights, dtype=float)
        bias = np.asarray(layer.bias, dtype=float)
        with np.errstate(over="ignore", invalid="ignore"):
            z = outputs[-1] @ weights + bias
            out = np.asarray(layer.activation(z[None, :]), dtype=float)[0]
        previous = diagram.labels[starts[k] : starts[k + 1]]
        for j in range(weights.shape[1]):
            formulas.append(unit_formula(diagram.labels[starts[k + 1] + j], weights[:, j], outputs[-1], previous,
                                         float(bias[j]), layer.activation.name))
        z_all.append(z)
        outputs.append(out)
    n_nodes = len(diagram.labels)
    if node is None:
        index = starts[-2]
    elif isinstance(node, str):
        if node not in diagram.labels:
            raise ValueError(f"Unknown node {node!r}. This network's nodes are: {', '.join(diagram.labels)}.")
        index = diagram.labels.index(node)
    else:
        index = int(node)
        if not 0 <= index < n_nodes:
            raise ValueError(f"node must be between 0 and {n_nodes - 1} (or a label such as 'out1'), but got {node}.")
    return NetworkFlowData(
        diagram=diagram, x=values, z=np.concatenate(z_all), node=int(index),
        incoming=np.flatnonzero(diagram.targets == index), formula=formulas[index], formulas=formulas,
    )


# ---------------------------------------------------------------------------------------------------- drawing
def draw_network_flow(ax: Any, data: NetworkFlowData, *, node_size: float = 650.0) -> dict[str, Any]:
    """Draw the diagram with live values, outline the chosen unit and its incoming edges, label their weights.

    Returns the diagram's artists plus 'highlight' (LineCollection), 'ring' (Line2D around the chosen node) and
    'weight_labels' (Text, one per possible incoming edge; unused ones are hidden).

    Shapes: the arrays of data (see NetworkFlowData) -> dict of artists.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Dense(2, 2, "relu"), nl.Dense(2, 1)])
        >>> model.layers[0].weights[:] = [[0.5, 1.0], [-1.0, 2.0]]; model.layers[0].bias[:] = [0.25, 0.0]
        >>> model.layers[1].weights[:] = [[1.0], [-0.5]]; model.layers[1].bias[:] = 0.0
        >>> artists = draw_network_flow(figure().add_subplot(), network_flow_data(model, [2.0, 1.0]))
        >>> [text.get_text() for text in artists["values"]]           # every node's output for x = (2, 1)
        ['2.00', '1.00', '0.25', '4.00', '-1.75']
        >>> [text.get_text() for text in artists["weight_labels"]]    # the weights into out1
        ['1.00', '-0.50']
    """
    from matplotlib.collections import LineCollection

    artists = draw_network_diagram(ax, data.diagram, node_size=node_size)
    highlight = LineCollection(np.zeros((0, 2, 2)), colors=_style.TEXT_COLOR, zorder=0.9, capstyle="round")
    ax.add_collection(highlight, autolim=False)
    (ring,) = ax.plot([], [], "o", markersize=np.sqrt(node_size) * 1.2, markerfacecolor="none",
                      markeredgecolor=_style.TEXT_COLOR, markeredgewidth=2.0, zorder=1.5)
    largest_fan_in = max(data.diagram.layer_sizes[:-1])
    labels = [ax.text(0, 0, "", fontsize=7, ha="center", va="center", color=_style.TEXT_COLOR, zorder=4,
                      bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
              for _ in range(largest_fan_in)]
    artists.update(highlight=highlight, ring=ring, weight_labels=labels)
    _show_choice(artists, data)
    return artists


def _readable_values(artists: dict[str, Any]) -> None:
    faces = artists["nodes"].to_rgba(artists["nodes"].get_array())
    for text, face in zip(artists["values"], faces):
        luminance = 0.299 * face[0] + 0.587 * face[1] + 0.114 * face[2]
        text.set_color("white" if luminance < 0.5 else _style.TEXT_COLOR)


def _show_choice(artists: dict[str, Any], data: NetworkFlowData) -> None:
    diagram = data.diagram
    edges = data.incoming
    artists["highlight"].set_segments(diagram.segments[edges])
    artists["highlight"].set_linewidths(diagram.widths[edges] + 3.0)
    artists["ring"].set_data([diagram.positions[data.node, 0]], [diagram.positions[data.node, 1]])
    for k, text in enumerate(artists["weight_labels"]):
        if k < len(edges):
            (x0, y0), (x1, y1) = diagram.segments[edges[k]]
            text.set_position((x0 + 0.5 * (x1 - x0), y0 + 0.5 * (y1 - y0)))
            text.set_text(f"{diagram.weights[edges[k]]:.2f}")
            text.set_visible(True)
        else:
            text.set_visible(False)
    _readable_values(artists)


def update_network_flow(artists: dict[str, Any], data: NetworkFlowData) -> None:
    """Show a new input (and chosen unit) in the artists of ``draw_network_flow``: same network shape.

    Shapes: dict of artists, the arrays of data (see NetworkFlowData) -> None (in place).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Dense(2, 2, "relu"), nl.Dense(2, 1)])
        >>> model.layers[0].weights[:] = [[0.5, 1.0], [-1.0, 2.0]]; model.layers[0].bias[:] = [0.25, 0.0]
        >>> model.layers[1].weights[:] = [[1.0], [-0.5]]; model.layers[1].bias[:] = 0.0
        >>> artists = draw_network_flow(figure().add_subplot(), network_flow_data(model, [2.0, 1.0]))
        >>> update_network_flow(artists, network_flow_data(model, [0.0, 1.0], node="h1.1"))
        >>> [text.get_text() for text in artists["values"]]    # h1.1 = relu(-1 + 0.25) = 0
        ['0.00', '1.00', '0.00', '2.00', '-1.00']
        >>> [text.get_text() for text in artists["weight_labels"]]    # now the weights into h1.1
        ['0.50', '-1.00']
    """
    update_network_diagram(artists, data.diagram)
    _show_choice(artists, data)

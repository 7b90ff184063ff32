"""The network diagram: neurons in columns, one edge per weight, its width and colour showing size and sign.

Compute: ``network_diagram_data(model, x=None)`` (NumPy only). Draw: ``draw_network_diagram(ax, data)``;
``update_network_diagram(artists, data)`` changes edge widths, colours and node values in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..validation import as_float_array, describe
from . import _style
from ._grid import PlotData

__all__ = ["NetworkDiagramData", "dense_weights", "draw_network_diagram", "network_diagram_data",
           "node_positions", "update_network_diagram"]


def dense_weights(model: Any) -> list[tuple[int, Any]]:
    """(index in model.layers, layer) for each layer with a weight matrix, from a Sequential, a list of layers,
    a single Dense layer or a Neuron (whose weights become one column)."""
    if hasattr(model, "weights") and np.ndim(model.weights) == 1:  # a Neuron: n_inputs weights into one output
        return [(0, _NeuronAsLayer(model))]
    layers = getattr(model, "layers", None)
    if layers is None:
        layers = model if isinstance(model, (list, tuple)) else [model]
    found = []
    for index, layer in enumerate(layers):
        weights = getattr(layer, "weights", None)
        if weights is None:
            if layer.parameters() if hasattr(layer, "parameters") else False:
                raise ValueError(
                    f"The network diagram draws Dense networks, but {layer.describe()} has parameters it cannot show."
                )
            continue  # Dropout, Flatten: no neurons of their own
        if np.ndim(weights) != 2:
            raise ValueError(f"The network diagram needs (n_inputs, n_outputs) weights, but layer {index} has "
                             f"{describe(np.asarray(weights))}.")
        found.append((index, layer))
    if not found:
        raise ValueError("The network diagram needs at least one layer with weights, such as nl.Dense(2, 1).")
    return found


class _NeuronAsLayer:
    """A Neuron seen as a Dense layer with one output, so the diagram draws both the same way."""

    def __init__(self, neuron: Any):
        self.weights = np.asarray(neuron.weights, dtype=float).reshape(-1, 1)
        self.bias = np.array([float(neuron.bias)])
        self.activation = neuron.activation
        self.grad_weights = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        return self.activation(x @ self.weights + self.bias)


def node_positions(layer_sizes: list[int], layer_gap: float = 1.0, node_gap: float = 1.0) -> np.ndarray:
    """Centres of the nodes, layer by layer from the left, each column centred on y = 0, first node on top.

    Shapes: -> (sum(layer_sizes), 2).

    Example:
        >>> node_positions([2, 1]).tolist()
        [[0.0, 0.5], [0.0, -0.5], [1.0, 0.0]]
    """
    rows = []
    for column, size in enumerate(layer_sizes):
        heights = ((size - 1) / 2.0 - np.arange(size)) * node_gap
        rows.append(np.column_stack([np.full(size, column * layer_gap), heights]))
    return np.concatenate(rows)


@dataclass
class NetworkDiagramData(PlotData):
    """Everything needed to draw a Dense network.

    Nodes are numbered layer by layer (inputs first). Edge e joins node ``sources[e]`` to node ``targets[e]``
    and carries ``weights[e]``, which is ``model.layers[edge_index[e, 0]].weights[edge_index[e, 1],
    edge_index[e, 2]]``. ``widths`` are proportional to |weight| (the largest is ``max_width``); ``colors``
    are weight / scale in [-1, 1] for a diverging colour map (negative orange, positive blue).

    Shapes: positions (n_nodes, 2); node_layer, biases, node_values (n_nodes,); segments (n_edges, 2, 2);
    sources, targets, weights, widths, colors, gradients (n_edges,); edge_index (n_edges, 3).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> data = network_diagram_data(model)
        >>> data.layer_sizes, data.positions.shape, data.segments.shape
        ([2, 3, 1], (6, 2), (9, 2, 2))
        >>> data.labels
        ['x1', 'x2', 'h1.1', 'h1.2', 'h1.3', 'out1']
        >>> data.edge_index[-1].tolist()  # the last edge is model.layers[1].weights[2, 0]
        [1, 2, 0]
    """

    layer_sizes: list[int]
    positions: np.ndarray
    node_layer: np.ndarray
    labels: list[str]
    segments: np.ndarray
    sources: np.ndarray
    targets: np.ndarray
    edge_index: np.ndarray
    weights: np.ndarray
    widths: np.ndarray
    colors: np.ndarray
    scale: float
    biases: np.ndarray
    node_values: np.ndarray | None
    gradients: np.ndarray | None


def network_diagram_data(
    model: Any,
    x: np.ndarray | None = None,
    *,
    input_names: list[str] | None = None,
    max_width: float = 6.0,
    scale: float | None = None,
    show: str = "weights",
) -> NetworkDiagramData:
    """Node positions in layers and one edge per weight, sized and coloured by the weight.

    ``x``: one sample (n_inputs,) gives every node's live value (its output for that input); a batch gives the
    mean over the batch. ``scale`` fixes the weight that maps to ``max_width`` (default: the largest |weight|),
    so widths can be compared across calls. ``show='gradients'`` sizes and colours edges by each weight's last
    gradient (``grad_weights``) instead, pointing the way a step will move it (colour of -gradient).

    Shapes: positions (n_nodes, 2); segments (n_edges, 2, 2); weights, widths, colors (n_edges,).

    Example:
        >>> import nnlearn as nl
        >>> neuron = nl.Neuron(weights=[2.0, -1.0], bias=0.5)
        >>> data = network_diagram_data(neuron, max_width=4.0)
        >>> data.layer_sizes, data.weights.tolist(), data.widths.tolist()
        ([2, 1], [2.0, -1.0], [4.0, 2.0])
    """
    if show not in ("weights", "gradients"):
        raise ValueError(f"show must be 'weights' or 'gradients', but got {show!r}.")
    layers = dense_weights(model)
    sizes = [layers[0][1].weights.shape[0]] + [layer.weights.shape[1] for _, layer in layers]
    positions = node_positions(sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    node_layer = np.repeat(np.arange(len(sizes)), sizes)
    names = list(input_names) if input_names is not None else [f"x{i + 1}" for i in range(sizes[0])]
    if len(names) != sizes[0]:
        raise ValueError(f"input_names has {len(names)} names but the network has {sizes[0]} inputs.")
    labels = names + [f"h{k}.{i + 1}" if k < len(sizes) - 1 else f"out{i + 1}"
                      for k in range(1, len(sizes)) for i in range(sizes[k])]

    sources, targets, index, weights, gradients = [], [], [], [], []
    for k, (layer_number, layer) in enumerate(layers):
        n_in, n_out = layer.weights.shape
        i, j = np.meshgrid(np.arange(n_in), np.arange(n_out), indexing="ij")
        sources.append(starts[k] + i.ravel())
        targets.append(starts[k + 1] + j.ravel())
        index.append(np.column_stack([np.full(i.size, layer_number), i.ravel(), j.ravel()]))
        weights.append(np.asarray(layer.weights, dtype=float).ravel())
        grad = getattr(layer, "grad_weights", None)
        gradients.append(np.asarray(grad, dtype=float).ravel() if grad is not None else np.full(i.size, np.nan))
    sources, targets = np.concatenate(sources), np.concatenate(targets)
    weights = np.concatenate(weights)
    gradients = np.concatenate(gradients)
    shown = weights if show == "weights" else -gradients
    shown = np.nan_to_num(shown, nan=0.0, posinf=0.0, neginf=0.0)
    biggest = float(np.abs(shown).max(initial=0.0))
    scale = float(scale) if scale is not None else biggest
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.clip(shown / scale, -1.0, 1.0) if scale > 0 else np.zeros_like(shown)
    biases = np.concatenate([np.full(sizes[0], np.nan)] + [np.asarray(layer.bias, dtype=float) for _, layer in layers])

    node_values = None
    if x is not None:
        values = as_float_array(x, "x")
        values = values.reshape(1, -1) if values.ndim == 1 else values
        if values.ndim != 2 or values.shape[1] != sizes[0]:
            raise ValueError(f"x must be one sample ({sizes[0]},) or a batch (batch, {sizes[0]}), got {values.shape}.")
        outputs = [values.mean(axis=0)]
        with np.errstate(over="ignore", invalid="ignore"):
            for _, layer in layers:
                layer.training = False
                values = layer.forward(values)
                outputs.append(values.mean(axis=0))
        node_values = np.concatenate(outputs)

    return NetworkDiagramData(
        layer_sizes=sizes, positions=positions, node_layer=node_layer, labels=labels,
        segments=np.stack([positions[sources], positions[targets]], axis=1), sources=sources, targets=targets,
        edge_index=np.concatenate(index), weights=weights, widths=max_width * np.abs(ratio), colors=ratio,
        scale=scale, biases=biases, node_values=node_values,
        gradients=None if np.isnan(gradients).all() else gradients,
    )


# ---------------------------------------------------------------------------------------------------- drawing
def draw_network_diagram(ax: Any, data: NetworkDiagramData, *, node_size: float = 500.0,
                         show_labels: bool = True) -> dict[str, Any]:
    """Draw edges (a LineCollection coloured by ``data.colors``) and nodes (a scatter) on ``ax``.

    Returns the artists: 'edges', 'nodes', and 'labels'/'values' (lists of Text, one per node).

    Shapes: the arrays of data (see NetworkDiagramData) -> dict of artists.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure, network_diagram_data
        >>> neuron = nl.Neuron(weights=[2.0, -1.0], bias=0.5)
        >>> data = network_diagram_data(neuron, x=[1.0, 1.0], max_width=4.0)
        >>> artists = draw_network_diagram(figure().add_subplot(), data)
        >>> [text.get_text() for text in artists["values"]]  # z = 2*1 + (-1)*1 + 0.5
        ['1.00', '1.00', '1.50']
        >>> [float(width) for width in artists["edges"].get_linewidths()]  # |weight| 2 is the widest
        [4.0, 2.0]
    """
    from matplotlib.collections import LineCollection

    cmap = _style.colormap(_style.DIVERGING)
    _style.style_axes(ax, frame=False)
    ax.set_xticks([])
    ax.set_yticks([])
    edges = LineCollection(data.segments, cmap=cmap, linewidths=data.widths, zorder=1, capstyle="round")
    edges.set_array(data.colors)
    edges.set_clim(-1.0, 1.0)
    ax.add_collection(edges, autolim=False)
    values = data.node_values if data.node_values is not None else np.zeros(len(data.positions))
    nodes = ax.scatter(data.positions[:, 0], data.positions[:, 1], s=node_size, c=values, cmap=cmap,
                       edgecolors=_style.TEXT_COLOR, linewidths=1.0, zorder=2)
    nodes.set_clim(*_value_limits(values))
    labels, value_texts = [], []
    for (px, py), label in zip(data.positions, data.labels):
        if show_labels:
            labels.append(ax.text(px, py + 0.32, label, ha="center", va="bottom", fontsize=8, color=_style.MUTED_COLOR))
        value_texts.append(ax.text(px, py, "", ha="center", va="center", fontsize=7, color=_style.TEXT_COLOR, zorder=3))
    _set_value_texts(value_texts, data.node_values, nodes.get_clim())
    n_rows = max(data.layer_sizes)
    ax.set_xlim(-0.5, len(data.layer_sizes) - 0.5)
    ax.set_ylim(-n_rows / 2.0, n_rows / 2.0 + 0.2)
    return {"edges": edges, "nodes": nodes, "labels": labels, "values": value_texts}


def _value_limits(values: np.ndarray) -> tuple[float, float]:
    biggest = float(np.nanmax(np.abs(values), initial=0.0))
    biggest = biggest if np.isfinite(biggest) and biggest > 0 else 1.0
    return -biggest, biggest


def _set_value_texts(texts: list, node_values: np.ndarray | None, limits: tuple[float, float]) -> None:
    for k, text in enumerate(texts):
        text.set_text("" if node_values is None else f"{node_values[k]:.2f}")
        if node_values is not None:  # white on strongly coloured nodes, dark on pale ones
            strong = abs(node_values[k]) > 0.55 * max(abs(limits[0]), abs(limits[1]))
            text.set_color("white" if strong else _style.TEXT_COLOR)


def update_network_diagram(artists: dict[str, Any], data: NetworkDiagramData) -> None:
    """Show new weights (and node values) in the artists of ``draw_network_diagram``: same network shape.

    Shapes: the arrays of data (see NetworkDiagramData) -> None (the artists change in place).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure, network_diagram_data
        >>> neuron = nl.Neuron(weights=[2.0, -1.0], bias=0.5)
        >>> artists = draw_network_diagram(figure().add_subplot(), network_diagram_data(neuron, x=[1.0, 1.0]))
        >>> neuron.weights[:] = [1.0, 1.0]
        >>> update_network_diagram(artists, network_diagram_data(neuron, x=[1.0, 1.0], max_width=4.0))  # z = 2.5
        >>> artists["values"][-1].get_text(), [float(width) for width in artists["edges"].get_linewidths()]
        ('2.50', [4.0, 4.0])
    """
    edges = artists["edges"]
    edges.set_segments(data.segments)
    edges.set_array(data.colors)
    edges.set_linewidths(data.widths)
    if data.node_values is not None:
        artists["nodes"].set_array(data.node_values)
        artists["nodes"].set_clim(*_value_limits(data.node_values))
    _set_value_texts(artists["values"], data.node_values, artists["nodes"].get_clim())

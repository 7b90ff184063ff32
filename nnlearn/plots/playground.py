"""The Playground picture: every neuron's output as a thumbnail laid out as the network, the decision surface
with the data, and the loss curves.

Compute (NumPy only): ``playground_layout`` places the thumbnails; ``thumbnail_mosaic`` paints every neuron's
output into one array (drawn as one image per layer column, so Agg only resamples the columns' pixels, not the
whole panel); ``playground_frame_data`` gathers one frame. Draw: ``draw_playground(fig, layout, frame)`` builds the axes and artists once; ``update_playground``
changes them in place and says whether the loss axes had to grow (then the caller redraws everything, else it
can redraw only the changed artists).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import activations
from . import _style
from ._grid import PlotData
from .boundary import (
    DecisionBoundaryData,
    NeuronGrids,
    boundary_from_outputs,
    draw_decision_boundary,
    surface_pixels,
)
from .curves import LossCurveData, draw_loss_curve, update_loss_curve
from .network import network_diagram_data

__all__ = [
    "PlaygroundFrame",
    "PlaygroundLayout",
    "draw_playground",
    "neuron_scales",
    "playground_frame_data",
    "playground_layout",
    "thumbnail_mosaic",
    "update_playground",
]


@dataclass
class PlaygroundLayout(PlotData):
    """Thumbnail slots in the network panel, whose data coordinates are the mosaic's pixels.

    Node k's thumbnail fills mosaic rows ``slots[k, 0]:slots[k, 1]`` and columns ``slots[k, 2]:slots[k, 3]``;
    ``columns[l]`` is the box (rows and columns, the same way) holding layer l's thumbnails; edge e runs from
    the right side of its source thumbnail to the left side of its target.

    Shapes: centers (n_nodes, 2); slots (n_nodes, 4) int; columns (n_layers, 4) int; segments (n_edges, 2, 2);
    mosaic_shape (height, width) in pixels.

    Example:
        >>> layout = playground_layout([2, 3, 1], thumbnail=10)
        >>> layout.mosaic_shape, layout.slots.shape, layout.segments.shape  # 2*3 + 3*1 edges
        ((48, 84), (6, 4), (9, 2, 2))
        >>> layout.columns.tolist()  # each layer's box: rows from, to; columns from, to
        [[12, 36, 5, 15], [5, 43, 37, 47], [19, 29, 69, 79]]
    """

    layer_sizes: list[int]
    thumbnail: int
    centers: np.ndarray
    slots: np.ndarray
    columns: np.ndarray
    segments: np.ndarray
    mosaic_shape: tuple[int, int]
    labels: list[str]


def playground_layout(layer_sizes: Sequence[int], thumbnail: int = 20, *, labels: Sequence[str] | None = None,
                      layer_gap: float = 3.2, node_gap: float = 1.35) -> PlaygroundLayout:
    """Place one ``thumbnail`` x ``thumbnail`` pixel slot per neuron, layers left to right, centred vertically.

    Shapes: centers (n_nodes, 2); slots (n_nodes, 4) int; segments (n_edges, 2, 2).

    Example:
        >>> layout = playground_layout([2, 1], thumbnail=10)
        >>> layout.mosaic_shape, layout.slots.tolist()
        ((34, 52), [[19, 29, 5, 15], [5, 15, 5, 15], [12, 22, 37, 47]])
    """
    sizes = [int(s) for s in layer_sizes]
    column_step = int(round(layer_gap * thumbnail))
    row_step = int(round(node_gap * thumbnail))
    margin = thumbnail // 2
    height = (max(sizes) - 1) * row_step + thumbnail + 2 * margin
    width = (len(sizes) - 1) * column_step + thumbnail + 2 * margin
    slots, centers = [], []
    for column, size in enumerate(sizes):
        left = margin + column * column_step
        column_height = (size - 1) * row_step + thumbnail
        first_bottom = (height - column_height) // 2 + (size - 1) * row_step  # first node on top
        for k in range(size):
            bottom = first_bottom - k * row_step
            slots.append((bottom, bottom + thumbnail, left, left + thumbnail))
            centers.append((left + thumbnail / 2.0, bottom + thumbnail / 2.0))
    slots = np.array(slots, dtype=int)
    centers = np.array(centers, dtype=float)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    columns = np.array([(slots[a:b, 0].min(), slots[a:b, 1].max(), slots[a, 2], slots[a, 3])
                        for a, b in zip(starts[:-1], starts[1:])], dtype=int)
    segments = []
    for k in range(len(sizes) - 1):
        for i in range(sizes[k]):
            for j in range(sizes[k + 1]):
                a, b = centers[starts[k] + i], centers[starts[k + 1] + j]
                segments.append(((a[0] + thumbnail / 2.0, a[1]), (b[0] - thumbnail / 2.0, b[1])))
    names = list(labels) if labels is not None else [""] * sizes[0]
    return PlaygroundLayout(layer_sizes=sizes, thumbnail=thumbnail, centers=centers, slots=slots, columns=columns,
                            segments=np.array(segments, dtype=float).reshape(-1, 2, 2), mosaic_shape=(height, width),
                            labels=names)


def neuron_scales(grids: NeuronGrids, activation_names: Sequence[str]) -> list[tuple[float, float]]:
    """(centre, half range) per layer that maps each neuron's output onto [-1, 1] for the thumbnails.

    Bounded activations use their own range (sigmoid: 0.5 +- 0.5, tanh: 0 +- 1); features and unbounded
    activations use the largest |value| on the grid (at least 1), so shapes stay visible.
    """
    scales = []
    for k, layer in enumerate(grids.layers):
        name = activation_names[k - 1] if k > 0 else "features"
        colour_range = activations.get(name).colour_range if name in activations.names() else None  # registry
        if colour_range is not None:
            scales.append(colour_range)
        else:
            finite = np.abs(layer[np.isfinite(layer)])
            biggest = float(finite.max()) if finite.size else 1.0
            scales.append((0.0, max(biggest, 1.0 if k > 0 else 1e-9)))
    return scales


def thumbnail_mosaic(grids: NeuronGrids, layout: PlaygroundLayout, scales: Sequence[tuple[float, float]],
                     out: np.ndarray | None = None) -> np.ndarray:
    """Paint every neuron's output (subsampled to the thumbnail size, scaled to [-1, 1]) into its slot.

    Shapes: grids.layers[k] (n_k, r, r) -> (mosaic height, mosaic width), NaN outside the thumbnails.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> from nnlearn.plots import neuron_output_grids, playground_layout
        >>> from nnlearn.plots.playground import neuron_scales
        >>> model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> layout = playground_layout([2, 3, 1], thumbnail=10)
        >>> grids = neuron_output_grids(model, resolution=10, extent=(-1, 1, -1, 1))
        >>> mosaic = thumbnail_mosaic(grids, layout, neuron_scales(grids, ["tanh", "sigmoid"]))
        >>> mosaic.shape, int(np.isfinite(mosaic).sum())  # six 10 x 10 thumbnails
        ((48, 84), 600)
        >>> bottom, top, left, right = layout.slots[0]
        >>> mosaic[bottom, left:right].round(2).tolist()  # feature x1 from -1 to 1 along a row
        [-1.0, -0.78, -0.56, -0.33, -0.11, 0.11, 0.33, 0.56, 0.78, 1.0]
    """
    size = layout.thumbnail
    mosaic = out if out is not None else np.full(layout.mosaic_shape, np.nan)
    node = 0
    for layer, (centre, half) in zip(grids.layers, scales):
        r = layer.shape[-1]
        pick = np.linspace(0, r - 1, size).round().astype(int)
        small = (layer[:, pick][:, :, pick] - centre) / half
        for k in range(layer.shape[0]):
            row0, row1, col0, col1 = layout.slots[node]
            mosaic[row0:row1, col0:col1] = small[k]
            node += 1
    np.clip(mosaic, -1.0, 1.0, out=mosaic)
    return mosaic


@dataclass
class PlaygroundFrame(PlotData):
    """One frame: the surface, the thumbnails, the edges (width ~ |weight| or |gradient|), texts and curves.

    Shapes: surface (see DecisionBoundaryData); mosaic (mosaic height, mosaic width); edge_values, edge_widths,
    edge_colors (n_edges,); curve (see LossCurveData).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import loss_curve_data, neuron_output_grids, playground_layout
        >>> model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> layout = playground_layout([2, 3, 1], thumbnail=10)
        >>> grids = neuron_output_grids(model, resolution=10)
        >>> curve = loss_curve_data([0.7, 0.6], [0.72, 0.65], first_epoch=0)
        >>> frame = playground_frame_data(model, grids, layout, "binary", curve, epoch=1)
        >>> frame.header, frame.mosaic.shape, frame.edge_widths.shape, frame.surface.values.shape
        ('Epoch 1', (48, 84), (9,), (10, 10))
    """

    surface: DecisionBoundaryData
    mosaic: np.ndarray
    edge_values: np.ndarray
    edge_widths: np.ndarray
    edge_colors: np.ndarray
    header: str
    details: str
    message: str
    curve: LossCurveData


def playground_frame_data(
    model: Any,
    grids: NeuronGrids,
    layout: PlaygroundLayout,
    kind: str,
    curve: LossCurveData,
    *,
    epoch: int = 0,
    losses: dict[str, float] | None = None,
    limits: tuple[float, float] | None = None,
    show: str = "weights",
    message: str = "",
    max_width: float = 5.0,
    mosaic: np.ndarray | None = None,
) -> PlaygroundFrame:
    """Gather one frame from the model's neuron grids (``neuron_output_grids``) and the training record.

    ``losses`` holds 'train_loss', 'test_loss' and, for classification, 'train_accuracy', 'test_accuracy'.

    Shapes: grids.layers[k] (n_k, r, r) -> a PlaygroundFrame (surface (r, r), mosaic layout.mosaic_shape,
    edges (n_edges,)).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import loss_curve_data, neuron_output_grids, playground_layout
        >>> model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> layout = playground_layout([2, 3, 1], thumbnail=10)
        >>> grids = neuron_output_grids(model, resolution=10)
        >>> curve = loss_curve_data([0.7, 0.6], [0.72, 0.65], first_epoch=0)
        >>> losses = {"train_loss": 0.6, "test_loss": 0.65, "train_accuracy": 0.7, "test_accuracy": 0.6}
        >>> frame = playground_frame_data(model, grids, layout, "binary", curve, epoch=1, losses=losses)
        >>> print(frame.details)
        train loss 0.600   test loss 0.650
        train accuracy 70.0%   test accuracy 60.0%
        >>> frame.surface.kind, frame.edge_values.shape  # one edge per weight: 2*3 + 3*1
        ('binary', (9,))
    """
    activation_names = [getattr(getattr(layer, "activation", None), "name", "identity")
                        for layer in model.layers if hasattr(layer, "n_outputs")]
    surface = boundary_from_outputs(grids.output, grids.x1, grids.x2, kind, grids.extent, limits, boundary=False)
    picture = thumbnail_mosaic(grids, layout, neuron_scales(grids, activation_names), out=mosaic)
    diagram = network_diagram_data(model, show=show, max_width=max_width)
    # Weights are measured against at least 1, so a fresh network of small weights draws thin edges.
    floor = 1.0 if show == "weights" else 0.0
    shrink = diagram.scale / max(diagram.scale, floor) if diagram.scale > 0 else 0.0
    widths, colors = diagram.widths * shrink, diagram.colors * shrink
    losses = losses or {}
    details = ""
    if "train_loss" in losses:
        details = f"train loss {losses['train_loss']:.3f}   test loss {losses['test_loss']:.3f}"
        if "train_accuracy" in losses:
            details += f"\ntrain accuracy {losses['train_accuracy']:.1%}   test accuracy {losses['test_accuracy']:.1%}"
    shown = diagram.gradients if show == "gradients" else diagram.weights
    return PlaygroundFrame(surface=surface, mosaic=picture, edge_values=shown if shown is not None else diagram.weights,
                           edge_widths=widths, edge_colors=colors, header=f"Epoch {epoch:,}", details=details,
                           message=message, curve=curve)


# ---------------------------------------------------------------------------------------------------- drawing
def _column_pixels(mosaic: np.ndarray, box: np.ndarray) -> np.ndarray:
    """One layer's thumbnails as RGBA bytes (gaps see-through)."""
    return _style.to_rgba8(mosaic[box[0] : box[1], box[2] : box[3]], -1.0, 1.0)


def _wrap(text: str, width: int = 44) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def draw_playground(fig: Any, layout: PlaygroundLayout, frame: PlaygroundFrame, *,
                    x_train: np.ndarray | None = None, y_train: np.ndarray | None = None,
                    x_test: np.ndarray | None = None, y_test: np.ndarray | None = None,
                    show_test: bool = False, discretize: bool = False, layer_titles: Sequence[str] | None = None,
                    edge_note: str = "") -> dict[str, Any]:
    """Build the Playground's axes on an empty figure and draw a first frame.

    Returns the artists by name; ``artists["dynamic"]`` lists the ones that change from frame to frame (in
    drawing order), for redrawing only them.

    Shapes: the arrays of layout and frame (see PlaygroundLayout, PlaygroundFrame), x_train (n, 2),
    y_train (n,) -> dict of artists.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import loss_curve_data, neuron_output_grids, playground_layout
        >>> model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> layout = playground_layout([2, 3, 1], thumbnail=10)
        >>> grids = neuron_output_grids(model, resolution=10)
        >>> curve = loss_curve_data([0.7, 0.6], [0.72, 0.65], first_epoch=0)
        >>> from nnlearn.plots import figure, playground_frame_data
        >>> frame = playground_frame_data(model, grids, layout, "binary", curve, epoch=1)
        >>> artists = draw_playground(figure((8, 4)), layout, frame)
        >>> artists["header"].get_text(), len(artists["thumbnails"]), len(artists["edges"].get_paths())
        ('Epoch 1', 3, 9)
    """
    from matplotlib.collections import LineCollection

    fig.set_facecolor(_style.FACECOLOR)
    width_px, height_px = fig.get_size_inches() * fig.dpi
    side = min(0.56 * height_px, 0.3 * width_px)  # the square surface, in pixels
    surface_box = [0.655, 0.30, side / width_px, side / height_px]
    network = fig.add_axes([0.01, 0.04, 0.60, 0.82])
    _style.style_axes(network, frame=False)
    network.set_xticks([])
    network.set_yticks([])
    height, width = layout.mosaic_shape
    network.set_xlim(0, width)
    network.set_ylim(0, height)
    network.set_aspect("equal", adjustable="box")
    edges = LineCollection(layout.segments, cmap=_style.colormap(_style.DIVERGING), linewidths=frame.edge_widths,
                           zorder=1, capstyle="butt")
    edges.set_array(frame.edge_colors)
    edges.set_clim(-1.0, 1.0)
    network.add_collection(edges, autolim=False)
    thumbnails = [network.imshow(_column_pixels(frame.mosaic, box), origin="lower", extent=(box[2], box[3], box[0], box[1]),
                                 interpolation="nearest", aspect="equal", zorder=2) for box in layout.columns]
    network.set_xlim(0, width)  # imshow moved the limits to its own extent
    network.set_ylim(0, height)
    size = layout.thumbnail
    for (cx, cy), label in zip(layout.centers[: layout.layer_sizes[0]], layout.labels):
        network.text(cx - size * 0.6, cy, label, ha="right", va="center", fontsize=8, color=_style.TEXT_COLOR)
    starts = np.concatenate([[0], np.cumsum(layout.layer_sizes)])
    titles = layer_titles or [""] * len(layout.layer_sizes)
    for k, title in enumerate(titles):
        top = layout.slots[starts[k] : starts[k + 1], 1].max()
        network.text(layout.centers[starts[k], 0], top + size * 0.35, title, ha="center", va="bottom", fontsize=8,
                     color=_style.MUTED_COLOR)
    note = network.text(0.0, 0.0, edge_note, transform=network.transAxes, ha="left", va="bottom", fontsize=7,
                        color=_style.MUTED_COLOR)

    surface_ax = fig.add_axes(surface_box)
    boundary_artists = draw_decision_boundary(surface_ax, frame.surface, x_train, y_train, test_x=x_test,
                                              test_y=y_test, discretize=discretize, show_boundary=False,
                                              point_size=3.2)
    boundary_artists["test_points"].set_visible(show_test)
    surface_ax.set_xlabel("")
    surface_ax.set_ylabel("")
    header = surface_ax.text(0.0, 1.14, frame.header, transform=surface_ax.transAxes, ha="left", va="bottom",
                             fontsize=12, fontweight="bold", color=_style.TEXT_COLOR)
    details = surface_ax.text(0.0, 1.02, frame.details, transform=surface_ax.transAxes, ha="left", va="bottom",
                              fontsize=8, color=_style.TEXT_COLOR, linespacing=1.4)
    message = surface_ax.text(0.5, 0.5, _wrap(frame.message), transform=surface_ax.transAxes, ha="center",
                              va="center", fontsize=8, color=_style.WARNING_COLOR, zorder=6,
                              bbox={"facecolor": "white", "edgecolor": _style.WARNING_COLOR, "alpha": 0.92})
    message.set_visible(bool(frame.message))

    curve_ax = fig.add_axes([surface_box[0], 0.07, surface_box[2], 0.13])
    curves = draw_loss_curve(curve_ax, frame.curve, legend=False)
    curve_ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=7, frameon=False,
                    borderaxespad=0.1)
    curve_ax.set_xlabel("")
    curve_ax.set_ylabel("")

    dynamic = [boundary_artists["surface"], boundary_artists["points"], boundary_artists["test_points"], edges,
               *thumbnails, header, details, message, curves["train"], curves["test"]]
    return {"network": network, "surface_axes": surface_ax, "curve_axes": curve_ax, "edges": edges,
            "thumbnails": thumbnails, "columns": layout.columns, "header": header, "details": details, "message": message, "note": note,
            "curves": curves, "dynamic": dynamic, **{f"surface_{k}": v for k, v in boundary_artists.items()},
            "surface": boundary_artists["surface"], "points": boundary_artists["points"],
            "test_points": boundary_artists["test_points"]}


def update_playground(artists: dict[str, Any], frame: PlaygroundFrame, *, discretize: bool = False,
                      show_test: bool | None = None) -> bool:
    """Show a new frame in the artists of ``draw_playground``. Returns True if the loss axes' limits changed.

    Shapes: the arrays of frame (see PlaygroundFrame) -> bool.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import loss_curve_data, neuron_output_grids, playground_layout
        >>> model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> layout = playground_layout([2, 3, 1], thumbnail=10)
        >>> grids = neuron_output_grids(model, resolution=10)
        >>> curve = loss_curve_data([0.7, 0.6], [0.72, 0.65], first_epoch=0)
        >>> from nnlearn.plots import figure, playground_frame_data
        >>> artists = draw_playground(figure((8, 4)), layout, playground_frame_data(model, grids, layout, "binary",
        ...                                                                         curve))
        >>> later = loss_curve_data([0.7, 0.6, 0.5], first_epoch=0)
        >>> update_playground(artists, playground_frame_data(model, grids, layout, "binary", later, epoch=2))
        False
        >>> artists["header"].get_text()
        'Epoch 2'
        >>> diverged = loss_curve_data([0.7, 0.6, 3.0], first_epoch=0)  # the loss axis must grow
        >>> update_playground(artists, playground_frame_data(model, grids, layout, "binary", diverged, epoch=3,
        ...                                                  message="The loss grew."))
        True
        >>> artists["message"].get_visible()
        True
    """
    surface = artists["surface"]
    surface.set_data(surface_pixels(frame.surface, discretize))
    surface.set_clim(*frame.surface.limits)
    for image, box in zip(artists["thumbnails"], artists["columns"]):
        image.set_data(_column_pixels(frame.mosaic, box))
    artists["edges"].set_array(frame.edge_colors)
    artists["edges"].set_linewidths(frame.edge_widths)
    artists["header"].set_text(frame.header)
    artists["details"].set_text(frame.details)
    artists["message"].set_text(_wrap(frame.message))
    artists["message"].set_visible(bool(frame.message))
    if show_test is not None:
        artists["test_points"].set_visible(show_test)
    return update_loss_curve(artists["curves"], frame.curve)

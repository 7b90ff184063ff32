"""Pictures of what the layers of a network respond to: filters, feature maps, top patches, neuron thumbnails.

Compute (NumPy only): ``filter_grid_data``, ``feature_maps_data``, ``top_patches_data``,
``layer_thumbnails_data``. Draw (matplotlib, loaded when first called): ``draw_filters``, ``draw_feature_maps``,
``draw_top_patches``, ``draw_layer_thumbnails``, ``draw_tuning_curves``, ``filters_before_after_figure``;
``update_filters`` and ``update_top_patches`` change the artists in place. The measurements behind them
(gratings, receptive fields, activation maximisation) are in ``nnlearn.hierarchy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..hierarchy import (
    crop_patch,
    grating_responses,
    orientation_selectivity,
    receptive_field,
)
from ..interpret import unit_response
from ..validation import as_float_array, check_layer_index, check_positive_int, check_unit, describe
from . import _style
from ._grid import PlotData
from .boundary import NeuronGrids, neuron_output_grids
from .images import ImageGridData, draw_image_grid, image_grid_data, update_image_grid
from .playground import neuron_scales, playground_layout, thumbnail_mosaic

__all__ = [
    "FeatureMapsData",
    "LayerThumbnailsData",
    "TopPatchesData",
    "draw_feature_maps",
    "draw_filters",
    "draw_layer_thumbnails",
    "draw_top_patches",
    "draw_tuning_curves",
    "feature_maps_data",
    "filter_grid_data",
    "filters_before_after_figure",
    "layer_thumbnails_data",
    "top_patches_data",
    "update_filters",
    "update_top_patches",
]


# ---------------------------------------------------------------------------------------------- filters
def filter_grid_data(filters: Any, n_columns: int | None = None) -> ImageGridData:
    """A Conv2D layer's filters (or its weights) as one mosaic, each tile scaled to its own largest |weight|.

    Each filter's own scale shows its pattern (which pixels it adds, which it subtracts) even when filters
    differ in size. Tiles run filter by filter, and within a filter input channel by input channel.

    Shapes: weights (out_channels, in_channels, kh, kw) -> out_channels * in_channels tiles of kh x kw.

    Example:
        >>> import nnlearn as nl
        >>> data = filter_grid_data(nl.Conv2D(1, 8, 3, seed=0), n_columns=8)
        >>> data.n_images, data.mosaic.shape, data.limits
        (8, (3, 31), (-1.0, 1.0))
    """
    weights = as_float_array(getattr(filters, "weights", filters), "filters")
    if weights.ndim == 2:
        weights = weights[None, None]
    if weights.ndim == 3:
        weights = weights[:, None]
    if weights.ndim != 4:
        raise ValueError(f"filters must be a Conv2D layer or weights (out_channels, in_channels, kh, kw), but got "
                         f"{describe(weights)}.")
    return image_grid_data(weights, n_columns, normalize="each", diverging=True)


def draw_filters(ax: Any, data: ImageGridData) -> dict[str, Any]:
    """Draw a filter mosaic: blue pixels are added (positive weights), orange subtracted, white ignored.

    Returns {'image': AxesImage}.

    Shapes: data.mosaic (height, width) (from ``filter_grid_data``) -> dict of one AxesImage.

    Example:
        >>> from nnlearn.plots import figure
        >>> filters = np.array([[[[1.0, 0.0], [0.0, -1.0]]], [[[0.0, 2.0], [0.0, 0.0]]]])    # two 2x2 filters
        >>> artists = draw_filters(figure().add_subplot(), filter_grid_data(filters))
        >>> artists["image"].get_array().tolist()    # side by side, each on its own scale, a gap (None) between
        [[1.0, 0.0, None, 0.0, 1.0], [0.0, -1.0, None, 0.0, 0.0]]
        >>> artists["image"].get_clim()
        (-1.0, 1.0)
    """
    return draw_image_grid(ax, data, cmap=_style.DIVERGING)


def update_filters(artists: dict[str, Any], data: ImageGridData) -> None:
    """Show new filters (same grid shape) in the artists of ``draw_filters``.

    Shapes: data.mosaic (height, width), the same as drawn -> None (the image changes).

    Example:
        >>> from nnlearn.plots import figure
        >>> artists = draw_filters(figure().add_subplot(), filter_grid_data(np.array([[1.0, 0.0], [0.0, -1.0]])))
        >>> update_filters(artists, filter_grid_data(np.array([[0.0, 3.0], [-3.0, 0.0]])))
        >>> artists["image"].get_array().tolist()    # scaled to its largest |weight|, 3
        [[0.0, 1.0], [-1.0, 0.0]]
    """
    update_image_grid(artists, data)


def draw_tuning_curves(axes: Any, angles: Any, responses: Any, *, labels: Any = None, colors: Any = None,
                       styles: Any = None) -> list[Any]:
    """One small panel per filter: its response (``grating_responses``) against the stripes' angle.

    ``responses`` is one (n_filters, n_angles) array or a list of them (e.g. before and after training), drawn
    on top of each other with ``labels``, ``colors`` and line ``styles``. Each panel's title gives the
    selectivity of every curve. Returns the Line2D artists.

    Shapes: angles (n_angles,), responses (n_filters, n_angles) or a list of them -> list of Line2D.

    Example:
        >>> from nnlearn.hierarchy import grating_responses
        >>> from nnlearn.plots import figure
        >>> vertical_edge = np.array([[-1.0, 0.0, 1.0]] * 3)
        >>> responses = grating_responses(vertical_edge, angles=[0, 45, 90], frequency=0.25)
        >>> lines = draw_tuning_curves([figure().add_subplot()], [0, 45, 90], responses)
        >>> lines[0].get_ydata().round(3).tolist(), lines[0].axes.get_title()    # deaf at 0 degrees: selective
        ([0.0, 1.196, 2.121], '1.00')
    """
    angles = np.asarray(angles, dtype=float)
    sets = [as_float_array(responses, "responses")] if np.ndim(responses) == 2 else [
        as_float_array(r, "responses") for r in responses]
    if len(sets) == 1:
        colors, styles = colors or [_style.POSITIVE], styles or ["-"]
    else:  # the first set (e.g. before training) dashed grey, the next ones solid in colour
        colors = colors or [_style.MUTED_COLOR, _style.POSITIVE, _style.NEGATIVE, _style.TEST_COLOR][: len(sets)]
        styles = styles or ["--", "-", "-", "-"][: len(sets)]
    axes = list(np.ravel(axes))
    top = max(float(r.max()) for r in sets) * 1.1 or 1.0
    lines = []
    for k, ax in enumerate(axes):
        _style.style_axes(ax)
        if k >= sets[0].shape[0]:
            ax.set_visible(False)
            continue
        for j, r in enumerate(sets):
            label = labels[j] if labels is not None and k == 0 else None
            (line,) = ax.plot(angles, r[k], styles[j], color=colors[j], lw=1.6, label=label)
            lines.append(line)
        ax.set_ylim(0, top)
        ax.set_xticks([0, 90, 180] if angles.max() > 150 else [0, 90])
        ax.set_yticks([])
        ax.tick_params(labelsize=7)
        selectivities = " / ".join(f"{orientation_selectivity(r[k : k + 1])[0]:.2f}" for r in sets)
        ax.set_title(selectivities, fontsize=8)
    return lines


def filters_before_after_figure(before: Any, after: Any, angles: Any = None, *, figsize: tuple[float, float] = (9.5, 4.2),
                                dpi: float = 90) -> Any:
    """First-layer filters at initialisation and after training, and their measured orientation tuning.

    Top row: each filter before training; middle row: the same filter after training (each tile on its own
    colour scale); bottom row: its response to stripes at every angle before (grey, dashed) and after (blue),
    titled with both selectivities. Returns a matplotlib Figure.

    Shapes: before, after: Conv2D layers or weights (n_filters, 1, kh, kw), the same shape.

    Example:
        >>> import nnlearn as nl
        >>> before = nl.Conv2D(1, 3, 3, seed=0)
        >>> after = before.weights.copy(); after[0, 0] = [[-1.0, 0.0, 1.0]] * 3    # filter 0 learns an edge
        >>> fig = filters_before_after_figure(before, after, angles=[0, 45, 90, 135])
        >>> len(fig.axes), [ax.get_title() for ax in fig.axes[6:]]    # 3 rows of 3; selectivity before / after
        (9, ['0.31 / 1.00', '0.10 / 0.10', '0.38 / 0.38'])
    """
    from ._style import figure

    before_w = as_float_array(getattr(before, "weights", before), "before")
    after_w = as_float_array(getattr(after, "weights", after), "after")
    if before_w.shape != after_w.shape or before_w.ndim != 4:
        raise ValueError(f"before and after must be filters of the same shape (n_filters, in_channels, kh, kw), but "
                         f"got {describe(before_w)} and {describe(after_w)}.")
    angles = np.arange(0, 181, 15) if angles is None else np.asarray(angles)
    n = before_w.shape[0]
    fig = figure(figsize, dpi=dpi)
    grid = fig.add_gridspec(3, n, height_ratios=[1, 1, 1.1], hspace=0.55, wspace=0.25)
    for row, (weights, name) in enumerate(((before_w, "at initialisation"), (after_w, "after training"))):
        for k in range(n):
            ax = fig.add_subplot(grid[row, k])
            draw_filters(ax, filter_grid_data(weights[k : k + 1]))
            if k == 0:
                ax.set_ylabel(name, fontsize=8)
                ax.yaxis.set_visible(True)
                ax.set_yticks([])
    axes = [fig.add_subplot(grid[2, k]) for k in range(n)]
    draw_tuning_curves(axes, angles, [grating_responses(before_w, angles), grating_responses(after_w, angles)],
                       labels=["before", "after"])
    axes[0].set_ylabel("response", fontsize=8)
    axes[0].set_xlabel("stripe angle", fontsize=7)
    axes[0].legend(fontsize=6, frameon=False, loc="upper left", bbox_to_anchor=(0.0, -0.35), ncol=2)
    fig.suptitle("each filter before and after training; bottom: its response to stripes at each angle, "
                 "titled with its selectivity before / after", fontsize=9)
    return fig


# ---------------------------------------------------------------------------------------------- feature maps
@dataclass
class FeatureMapsData(PlotData):
    """One image and what every layer makes of it.

    ``maps[k]`` is layer k's output for the image: (channels, h, w) for image layers, (n_units,) after
    Flatten/Dense. ``names[k]`` is the layer's description.

    Shapes: image (channels, h, w); maps[k] (channels, h, w) or (n_units,).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Conv2D(1, 2, 2), nl.Flatten(), nl.Dense(8, 3, "softmax")], seed=0)
        >>> data = feature_maps_data(model, np.arange(9.0).reshape(3, 3))
        >>> data.image.shape, [m.shape for m in data.maps]    # two 2x2 maps, flattened to 8, then 3 classes
        ((1, 3, 3), [(2, 2, 2), (8,), (3,)])
        >>> data.names[0]
        'Conv2D layer 1 (1 -> 2 channels, 2x2)'
    """

    image: np.ndarray
    maps: list[np.ndarray]
    names: list[str]


def feature_maps_data(model: Any, image: Any) -> FeatureMapsData:
    """Run one image through the model (prediction mode) and keep every layer's output.

    Shapes: image (channels, h, w) or (h, w) for one channel -> maps[k] one sample's output of layer k.

    Example:
        >>> import numpy as np
        >>> from nnlearn.hierarchy import shapes_cnn
        >>> data = feature_maps_data(shapes_cnn(seed=0), np.zeros((16, 16)))
        >>> [m.shape for m in data.maps]
        [(8, 16, 16), (8, 8, 8), (16, 8, 8), (16, 4, 4), (256,), (6,)]
    """
    image = as_float_array(image, "image")
    if image.ndim == 2:
        image = image[None]
    if image.ndim != 3:
        raise ValueError(f"feature_maps_data takes one image, (channels, h, w) or (h, w), but got {describe(image)}.")
    out = image[None]
    maps, names = [], []
    for layer in model.layers:
        layer.training = False
        out = layer.forward(out)
        maps.append(out[0].copy())
        names.append(layer.describe())
    return FeatureMapsData(image=image, maps=maps, names=names)


def draw_feature_maps(fig: Any, data: FeatureMapsData, *, class_names: Any = None, n_columns: int = 8) -> dict[str, Any]:
    """Draw the image, then one row of feature maps per image layer, then the output as bars.

    Each map has its own grey scale (white = strongest). Flatten is skipped (it only reshapes). Returns
    {'axes': [...], 'images': [...], 'bars': BarContainer or None}.

    Shapes: the image and maps of ``data`` (see FeatureMapsData) -> dict of artists.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Conv2D(1, 2, 2), nl.Flatten(), nl.Dense(8, 3, "softmax")], seed=0)
        >>> data = feature_maps_data(model, np.arange(9.0).reshape(3, 3))
        >>> artists = draw_feature_maps(figure(), data, class_names=["a", "b", "c"])
        >>> len(artists["axes"]), len(artists["images"])    # input, one row of maps, the output bars
        (3, 1)
        >>> bool(np.allclose([bar.get_height() for bar in artists["bars"]], data.maps[-1]))
        True
    """
    image_layers = [k for k, m in enumerate(data.maps) if m.ndim == 3]
    last = len(data.maps) - 1
    show_output = data.maps[last].ndim == 1
    rows = len(image_layers) + (1 if show_output else 0)
    grid = fig.add_gridspec(rows, 2, width_ratios=[1, 6], hspace=0.5, wspace=0.05)
    ax = fig.add_subplot(grid[:, 0])
    _style.style_axes(ax, frame=False)
    ax.imshow(data.image[0], cmap="gray", vmin=0, vmax=max(1.0, float(data.image.max())), interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title("input", fontsize=9)
    axes, images = [ax], []
    for row, k in enumerate(image_layers):
        ax = fig.add_subplot(grid[row, 1])
        maps = data.maps[k]
        grid_data = image_grid_data(maps, n_columns=min(n_columns * 2, maps.shape[0]), normalize="each",
                                    diverging=False)
        images.append(draw_image_grid(ax, grid_data, cmap="gray")["image"])
        ax.set_title(f"{data.names[k]}: {maps.shape[0]} maps of {maps.shape[1]}x{maps.shape[2]}", fontsize=8,
                     loc="left")
        axes.append(ax)
    bars = None
    if show_output:
        ax = fig.add_subplot(grid[rows - 1, 1])
        _style.style_axes(ax)
        values = data.maps[last]
        names = list(class_names) if class_names is not None else [str(i) for i in range(len(values))]
        bars = ax.bar(np.arange(len(values)), values, color=_style.POSITIVE)
        ax.set_xticks(np.arange(len(values)), names, fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        ax.set_title(f"{data.names[last]}: output", fontsize=8, loc="left")
        axes.append(ax)
    return {"axes": axes, "images": images, "bars": bars}


# ---------------------------------------------------------------------------------------------- top patches
@dataclass
class TopPatchesData(PlotData):
    """The k inputs that excite one unit most, cut to what the unit sees.

    ``patches`` (k, size, size): the unit's receptive field around its strongest position for an image layer,
    the whole image for a Dense unit; ``values`` the unit's response there; ``indices`` the images' positions
    in the data set; ``field`` the receptive field size in pixels (the image size for Dense units).

    Shapes: patches (k, size, size); values, indices (k,).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 1, "relu")])
        >>> model.layers[1].weights[:] = [[1.0], [0.0], [0.0], [0.0]]; model.layers[1].bias[:] = 0.0
        >>> images = np.zeros((3, 2, 2)); images[:, 0, 0] = [0.2, 0.9, 0.5]    # the unit sees the top-left pixel
        >>> data = top_patches_data(model, images, layer=1, unit=0, k=2)
        >>> data.indices.tolist(), data.values.tolist(), data.patches.shape, data.field
        ([1, 2], [0.9, 0.5], (2, 2, 2), 2)
    """

    patches: np.ndarray
    values: np.ndarray
    indices: np.ndarray
    field: int
    name: str


def top_patches_data(model: Any, images: Any, layer: Any, unit: int, k: int = 9) -> TopPatchesData:
    """The k images of a data set that excite one unit most, each cut to the part of the image the unit sees.

    For a channel of an image layer (Conv2D, MaxPool2D) the strength of an image is the channel's largest
    value, and the patch is the receptive field (``nnlearn.hierarchy.receptive_field``) of the position where
    it occurs; for a Dense unit (after Flatten) it is the unit's output and the patch is the whole image.

    Shapes: images (n, channels, h, w) -> patches (min(k, n), size, size) (the first channel), values (min(k, n),).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> from nnlearn.hierarchy import shapes_cnn
        >>> images, _ = nl.datasets.shapes(n=30, seed=0)
        >>> data = top_patches_data(shapes_cnn(seed=0), images[:, None], layer=2, unit=0, k=4)
        >>> data.patches.shape, data.field, bool(np.all(np.diff(data.values) <= 0))
        ((4, 8, 8), 8, True)
    """
    images = as_float_array(images, "images")
    if images.ndim == 3:
        images = images[:, None]
    if images.ndim != 4:
        raise ValueError(f"images must be a batch (n, channels, h, w) (or (n, h, w) for one channel), but got "
                         f"{describe(images)}.")
    k = check_positive_int(k, "k")
    position = check_layer_index(model.layers, layer)
    responses = np.asarray(unit_response(model, images, position, unit, reduce=None))
    name = f"{model.layers[position].describe()}, unit {unit}"
    if responses.ndim == 3:  # a feature map per image: strongest position of each
        flat = responses.reshape(len(images), -1)
        best = flat.argmax(axis=1)
        values = flat[np.arange(len(images)), best]
        order = np.argsort(-values, kind="stable")[:k]
        field = receptive_field(model, position)
        rows, cols = np.unravel_index(best[order], responses.shape[1:])
        patches = np.stack([crop_patch(images[i], field, r, c)[0] for i, r, c in zip(order, rows, cols)])
        return TopPatchesData(patches=patches, values=values[order], indices=order, field=field.size, name=name)
    if responses.ndim != 1:
        raise ValueError(f"top_patches_data shows units of image layers and Dense layers; {name} gives "
                         f"{responses.shape[1:]} per image.")
    order = np.argsort(-responses, kind="stable")[:k]
    return TopPatchesData(patches=images[order, 0].copy(), values=responses[order], indices=order,
                          field=images.shape[-1], name=name)


def _patch_grid(data: TopPatchesData, n_columns: int | None) -> ImageGridData:
    grid = image_grid_data(data.patches, n_columns, normalize="all", diverging=False)
    grid.limits = (0.0, max(1.0, grid.limits[1]))  # same grey scale as the images
    return grid


def draw_top_patches(ax: Any, data: TopPatchesData, n_columns: int | None = None) -> dict[str, Any]:
    """Draw the top patches as one grey mosaic, strongest first (row by row). Returns {'image', 'grid'}.

    Shapes: data.patches (k, size, size) -> dict: 'image' shows a mosaic (height, width), 'grid' its layout.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 1, "relu")])
        >>> model.layers[1].weights[:] = [[1.0], [0.0], [0.0], [0.0]]; model.layers[1].bias[:] = 0.0
        >>> images = np.zeros((3, 2, 2)); images[:, 0, 0] = [0.2, 0.9, 0.5]
        >>> artists = draw_top_patches(figure().add_subplot(), top_patches_data(model, images, 1, 0, k=2))
        >>> artists["image"].get_array()[0].tolist()    # the top rows of images 1 and 2, a gap between
        [0.9, 0.0, None, 0.5, 0.0]
    """
    grid = _patch_grid(data, n_columns)
    artists = draw_image_grid(ax, grid, cmap="gray")
    artists["grid"] = grid
    return artists


def update_top_patches(artists: dict[str, Any], data: TopPatchesData, n_columns: int | None = None) -> None:
    """Show new patches in the artists of ``draw_top_patches`` (the patch size may change).

    Shapes: data.patches (k, size, size) -> None (the mosaic and the axes limits change).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 1, "relu")])
        >>> model.layers[1].weights[:] = [[1.0], [0.0], [0.0], [0.0]]; model.layers[1].bias[:] = 0.0
        >>> images = np.zeros((3, 2, 2)); images[:, 0, 0] = [0.2, 0.9, 0.5]
        >>> artists = draw_top_patches(figure().add_subplot(), top_patches_data(model, images, 1, 0, k=2))
        >>> update_top_patches(artists, top_patches_data(model, images, 1, 0, k=3))
        >>> artists["image"].get_array().shape, artists["grid"].n_images    # 3 patches of 2x2: a 2x2 grid
        ((5, 5), 3)
    """
    grid = _patch_grid(data, n_columns)
    image = artists["image"]
    image.set_data(grid.mosaic)
    image.set_clim(*grid.limits)
    height, width = grid.mosaic.shape
    image.set_extent((-0.5, width - 0.5, height - 0.5, -0.5))
    image.axes.set_xlim(-0.5, width - 0.5)
    image.axes.set_ylim(height - 0.5, -0.5)
    artists["grid"] = grid


# ---------------------------------------------------------------------------------------------- 2-D networks
@dataclass
class LayerThumbnailsData(PlotData):
    """Every neuron's output over the input plane, laid out as the network (the Playground's thumbnails).

    ``mosaic`` holds the thumbnails (scaled to [-1, 1], NaN between them); ``segments`` the edges, with
    ``weights`` their weights in the same order; ``titles`` one per column of the layout.

    Shapes: mosaic (height, width); segments (n_edges, 2, 2); weights (n_edges,); centers (n_neurons, 2).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 2, "tanh"), nl.Dense(2, 1, "sigmoid")], seed=0)
        >>> data = layer_thumbnails_data(model, resolution=10, thumbnail=10)
        >>> data.centers.shape, data.segments.shape, data.weights.shape    # 2 + 2 + 1 neurons, 2*2 + 2*1 edges
        ((5, 2), (6, 2, 2), (6,))
    """

    grids: NeuronGrids
    mosaic: np.ndarray
    segments: np.ndarray
    weights: np.ndarray
    centers: np.ndarray
    thumbnail: int
    titles: list[str]


def layer_thumbnails_data(model: Any, x: Any = None, resolution: int = 40, thumbnail: int = 24) -> LayerThumbnailsData:
    """The Playground's neuron thumbnails of a Dense network on 2-D inputs, with its weights as edges.

    Shapes: model Dense layers 2 -> n_1 -> ... -> n_out; mosaic (height, width); segments (n_edges, 2, 2).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> data = layer_thumbnails_data(model, resolution=10, thumbnail=10)
        >>> data.segments.shape, data.titles
        ((9, 2, 2), ['inputs', 'layer 1', 'layer 2'])
    """
    grids = neuron_output_grids(model, x, resolution)
    layers = [layer for layer in model.layers if hasattr(layer, "n_outputs")]
    sizes = [grid.shape[0] for grid in grids.layers]
    layout = playground_layout(sizes, thumbnail, labels=grids.names)
    scales = neuron_scales(grids, [layer.activation.name for layer in layers])
    mosaic = thumbnail_mosaic(grids, layout, scales)
    weights = np.concatenate([np.asarray(layer.weights).reshape(-1) for layer in layers])
    titles = ["inputs"] + [f"layer {k + 1}" for k in range(len(layers))]
    return LayerThumbnailsData(grids=grids, mosaic=mosaic, segments=layout.segments, weights=weights,
                               centers=layout.centers, thumbnail=thumbnail, titles=titles)


def draw_layer_thumbnails(ax: Any, data: LayerThumbnailsData, *, max_width: float = 3.0) -> dict[str, Any]:
    """Draw the thumbnails (blue: the neuron's output is high, orange: low) joined by weight edges (blue
    positive, orange negative, width ~ |weight|). Returns {'image', 'edges'}.

    Shapes: data.mosaic (height, width), data.segments (n_edges, 2, 2) -> dict of an AxesImage and a
    LineCollection.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Dense(2, 2, "tanh"), nl.Dense(2, 1, "sigmoid")], seed=0)
        >>> data = layer_thumbnails_data(model, resolution=10, thumbnail=10)
        >>> artists = draw_layer_thumbnails(figure().add_subplot(), data)
        >>> len(artists["edges"].get_segments()), round(float(max(artists["edges"].get_linewidths())), 2)  # 0.3 + 3.0
        (6, 3.3)
    """
    from matplotlib.collections import LineCollection

    _style.style_axes(ax, frame=False)
    height, width = data.mosaic.shape
    biggest = float(np.abs(data.weights).max()) or 1.0
    colors = [_style.POSITIVE if w > 0 else _style.NEGATIVE for w in data.weights]
    edges = LineCollection(data.segments, colors=colors, linewidths=0.3 + max_width * np.abs(data.weights) / biggest,
                           alpha=0.7, zorder=1)
    ax.add_collection(edges)
    image = ax.imshow(data.mosaic, cmap=_style.colormap(_style.DIVERGING), vmin=-1, vmax=1, origin="lower",
                      interpolation="nearest", zorder=2)
    columns = sorted({round(c) for c in data.centers[:, 0]})
    for column, title in zip(columns, data.titles):
        ax.text(column, height, title, ha="center", va="bottom", fontsize=9)
    ax.set_xlim(0, width)
    ax.set_ylim(0, height + data.thumbnail * 0.6)
    ax.set_xticks([])
    ax.set_yticks([])
    return {"image": image, "edges": edges}

"""Pictures for looking inside an image classifier: saliency and occlusion maps, units, labelled predictions.

Compute (NumPy only):
- ``saliency_view_data(model, images, index, ...)``: one image, its saliency map, the drop that saliency
  predicts for covering each patch, the drop occlusion measures, their agreement, and the class probabilities.
- ``unit_gallery_data(model, images, units, ...)``: hidden units' incoming weights as images, and the images
  that excite each unit most.
- ``as_image(sample)``: any one-image layout a model takes ((h, w), (1, h, w) or a flat square) as (h, w).

Draw: ``draw_saliency_view(axes, data)`` / ``update_saliency_view(artists, data)``; ``draw_unit_gallery(fig,
data)``; ``draw_predicted_images(axes, images, probabilities, labels)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..interpret import Agreement, map_agreement, occlusion, occlusion_estimate, saliency, top_activating
from ..validation import as_float_array, check_layer_index, check_positive_int
from . import _style
from ._grid import PlotData

__all__ = [
    "SaliencyViewData", "UnitGalleryData", "as_image", "draw_predicted_images", "draw_saliency_view",
    "draw_unit_gallery", "saliency_view_data", "unit_gallery_data", "update_saliency_view",
]


def as_image(sample: Any) -> np.ndarray:
    """One sample as a 2-D picture: (h, w) as it is, (1, h, w) without its channel axis, a flat vector with a
    square number of values as a square.

    Shapes: (h, w), (1, h, w) or (h * w,) with h == w -> (h, w).

    Example:
        >>> as_image(np.arange(4.0)).tolist()
        [[0.0, 1.0], [2.0, 3.0]]
    """
    sample = as_float_array(sample, "image")
    if sample.ndim == 3 and sample.shape[0] == 1:
        return sample[0]
    if sample.ndim == 2:
        return sample
    if sample.ndim == 1:
        side = math.isqrt(sample.size)
        if side * side == sample.size:
            return sample.reshape(side, side)
    raise ValueError(
        f"Expected one grey-scale image: (height, width), (1, height, width) or a flat square (e.g. 64 values "
        f"for 8x8), but got shape {sample.shape}."
    )


@dataclass
class SaliencyViewData(PlotData):
    """Everything the saliency picture of one image shows.

    ``saliency``: gradient of the predicted class's score (logit) per pixel. ``estimate``: the probability drop
    the gradient predicts for covering each patch with 0 (``occlusion_estimate``). ``occlusion``: the drop
    measured by covering it. ``agreement`` compares ``estimate`` and ``occlusion``. ``label`` is -1 if unknown.

    Shapes: image, saliency, estimate, occlusion (h, w); probabilities (n_classes,).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 2, "softmax")])
        >>> weights = model.layers[1].weights
        >>> weights[:] = 0.0; weights[0, 0] = 1.0    # class 0's score is the top-left pixel
        >>> data = saliency_view_data(model, np.eye(2)[None], 0)
        >>> data.predicted, data.probabilities.round(3).tolist()    # softmax of the scores (1, 0)
        (0, [0.731, 0.269])
        >>> data.saliency.tolist()    # only the top-left pixel moves class 0's score
        [[1.0, 0.0], [0.0, 0.0]]
        >>> data.occlusion.round(3).tolist()    # covering it: 0.731 -> softmax(0, 0) = 0.5
        [[0.231, 0.0], [0.0, 0.0]]
    """

    index: int
    image: np.ndarray
    saliency: np.ndarray
    estimate: np.ndarray
    occlusion: np.ndarray
    probabilities: np.ndarray
    predicted: int
    label: int
    patch: int
    agreement: Agreement


def saliency_view_data(model: Any, images: Any, index: int, labels: Any = None, *, patch: int = 1,
                       k: int = 8) -> SaliencyViewData:
    """Saliency, its predicted and the measured occlusion drop for image ``index``, all for the predicted class.

    ``images`` in the layout the model takes: (n, h, w), (n, 1, h, w) or (n, h * w).

    Shapes: images (n, ...) -> maps (h, w); probabilities (n_classes,).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 2, "softmax")], seed=0)
        >>> data = saliency_view_data(model, np.ones((3, 2, 2)), 1, patch=1, k=2)
        >>> data.image.shape, data.occlusion.shape, data.probabilities.shape
        ((2, 2), (2, 2), (2,))
    """
    images = as_float_array(images, "images")
    index = int(index)
    if not 0 <= index < len(images):
        raise ValueError(f"index must be in 0..{len(images) - 1} (there are {len(images)} images), but got {index}.")
    patch = check_positive_int(patch, "patch")
    x = images[index]
    probabilities = np.asarray(model.predict(x[None]))[0]
    predicted = int(np.argmax(probabilities)) if probabilities.size > 1 else int(probabilities[0] > 0.5)
    label = -1 if labels is None else int(np.asarray(labels)[index])
    # (for flat images, patches are runs of neighbouring values in a row rather than squares)
    estimate = occlusion_estimate(model, x, predicted, patch=patch)
    measured = occlusion(model, x, predicted, patch=patch)
    return SaliencyViewData(
        index=index, image=as_image(x), saliency=as_image(saliency(model, x, predicted)),
        estimate=as_image(estimate), occlusion=as_image(measured), probabilities=probabilities,
        predicted=predicted, label=label, patch=patch, agreement=map_agreement(estimate, measured, k=min(k, estimate.size)),
    )


def _symmetric(values: np.ndarray) -> float:
    biggest = float(np.max(np.abs(values)))
    return biggest if biggest > 0 else 1.0


_VIEW_TITLES = ("image", "saliency: d(score)/d(pixel)", "drop predicted by saliency", "drop measured by covering")


def draw_saliency_view(axes: Any, data: SaliencyViewData) -> dict[str, Any]:
    """Draw the image, the saliency map, the predicted and the measured drop (four image axes) and the class
    probabilities (a fifth axes, bars). Maps use the diverging map centred on 0: blue raises the predicted
    class's score (or its probability drops when covered), orange lowers it.

    Returns {'image', 'saliency', 'estimate', 'occlusion': AxesImage, 'bars': BarContainer, 'titles': [Text]}.

    Shapes: the maps of ``data`` (h, w) and its probabilities (n_classes,) -> dict of artists.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 2, "softmax")])
        >>> weights = model.layers[1].weights
        >>> weights[:] = 0.0; weights[0, 0] = 1.0    # class 0's score is the top-left pixel
        >>> data = saliency_view_data(model, np.eye(2)[None], 0)
        >>> artists = draw_saliency_view(figure().subplots(1, 5), data)
        >>> artists["saliency"].get_array().tolist()
        [[1.0, 0.0], [0.0, 0.0]]
        >>> [round(bar.get_width(), 3) for bar in artists["bars"]]    # the class probabilities
        [0.731, 0.269]
    """
    axes = list(axes)
    if len(axes) != 5:
        raise ValueError(f"draw_saliency_view needs 5 axes (4 maps and the probabilities), but got {len(axes)}.")
    artists: dict[str, Any] = {"titles": []}
    for ax, key, title in zip(axes[:4], ("image", "saliency", "estimate", "occlusion"), _VIEW_TITLES):
        _style.style_axes(ax, title, frame=False)
        ax.title.set_fontsize(8)
        values = data[key]
        if key == "image":
            artist = ax.imshow(values, cmap="gray_r", vmin=0.0, vmax=max(1.0, float(values.max())),
                               interpolation="nearest")
        else:
            limit = _symmetric(values)
            artist = ax.imshow(values, cmap=_style.colormap(_style.DIVERGING), vmin=-limit, vmax=limit,
                               interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        artists[key] = artist
        artists["titles"].append(ax.title)
    bar_ax = axes[4]
    _style.style_axes(bar_ax, "probabilities")
    bar_ax.title.set_fontsize(8)
    classes = np.arange(len(data.probabilities))
    artists["bars"] = bar_ax.barh(classes, data.probabilities, color=_style.MUTED_COLOR, height=0.7)
    bar_ax.set_xlim(0, 1)
    bar_ax.set_yticks(classes)
    bar_ax.invert_yaxis()
    bar_ax.set_xticks([0, 0.5, 1])
    _color_bars(artists["bars"], data)
    return artists


def _color_bars(bars: Any, data: SaliencyViewData) -> None:
    for k, bar in enumerate(bars):
        bar.set_width(float(data.probabilities[k]))
        right = data.label < 0 or data.predicted == data.label
        if k == data.predicted:
            bar.set_color(_style.POSITIVE if right else _style.WARNING_COLOR)
        else:
            bar.set_color("#bbbbbb")


def update_saliency_view(artists: dict[str, Any], data: SaliencyViewData) -> None:
    """Show another image (or patch size) in the artists of ``draw_saliency_view``.

    Shapes: the maps of ``data`` (h, w) and its probabilities (n_classes,) -> None (the artists change).

    Example:
        >>> import nnlearn as nl
        >>> from matplotlib.colors import to_hex
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 2, "softmax")])
        >>> weights = model.layers[1].weights
        >>> weights[:] = 0.0; weights[0, 0] = 1.0; weights[3, 1] = 1.0    # class 0: top-left, class 1: bottom-right
        >>> images = np.zeros((2, 2, 2)); images[0, 0, 0] = 1.0; images[1, 1, 1] = 1.0
        >>> artists = draw_saliency_view(figure().subplots(1, 5), saliency_view_data(model, images, 0, [0, 0]))
        >>> update_saliency_view(artists, saliency_view_data(model, images, 1, [0, 0]))
        >>> artists["saliency"].get_array().tolist()    # the gradient of class 1's score now
        [[0.0, 0.0], [0.0, 1.0]]
        >>> [round(bar.get_width(), 3) for bar in artists["bars"]], to_hex(artists["bars"][1].get_facecolor())
        ([0.269, 0.731], '#b00020')
    """
    for key in ("image", "saliency", "estimate", "occlusion"):
        artists[key].set_data(data[key])
        if key == "image":
            artists[key].set_clim(0.0, max(1.0, float(data.image.max())))
        else:
            limit = _symmetric(data[key])
            artists[key].set_clim(-limit, limit)
    _color_bars(artists["bars"], data)


@dataclass
class UnitGalleryData(PlotData):
    """For each unit: its incoming weights as an image (``weights`` (n_units, h, w)), and the indices and pictures
    of the images that excite it most (``top`` (n_units, k), ``top_images`` (n_units, k, h, w)).

    Shapes: weights (n_units, h, w), top (n_units, k), top_images (n_units, k, h, w).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 1, "relu")])
        >>> model.layers[1].weights[:] = [[1.0], [0.0], [0.0], [0.0]]; model.layers[1].bias[:] = 0.0
        >>> images = np.zeros((3, 2, 2)); images[:, 0, 0] = [0.2, 0.9, 0.5]    # the unit sees the top-left pixel
        >>> data = unit_gallery_data(model, images, [0], layer=1, k=2)
        >>> data.weights.tolist(), data.top.tolist()    # the brightest top-left pixels: images 1, then 2
        ([[[1.0, 0.0], [0.0, 0.0]]], [[1, 2]])
    """

    units: list[int]
    weights: np.ndarray
    top: np.ndarray
    top_images: np.ndarray
    layer: int


def unit_gallery_data(model: Any, images: Any, units: Any, *, layer: int = 0, k: int = 6) -> UnitGalleryData:
    """What units of a Dense layer that reads the pixels respond to: their weights and their top images.

    ``layer``: index into ``model.layers`` of that Dense layer, or of a Flatten right before it.

    Shapes: images (n, h, w) -> weights (n_units, h, w), top (n_units, k), top_images (n_units, k, h, w).

    Example:
        >>> import nnlearn as nl
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 3, "relu")], seed=0)
        >>> data = unit_gallery_data(model, np.random.default_rng(0).random((5, 2, 2)), [0, 2], layer=1, k=2)
        >>> data.weights.shape, data.top.shape, data.top_images.shape
        ((2, 2, 2), (2, 2), (2, 2, 2, 2))
    """
    images = as_float_array(images, "images")
    position = check_layer_index(model.layers, layer)
    dense = model.layers[position]
    if not hasattr(dense, "weights") or getattr(dense, "weights").ndim != 2:
        raise ValueError(f"unit_gallery_data shows Dense layers, but layer {layer} is {dense.describe()}.")
    pixels = int(np.prod(images.shape[1:]))
    if dense.weights.shape[0] != pixels:
        raise ValueError(
            f"{dense.describe()} has {dense.weights.shape[0]} inputs, but one image has {pixels} pixels: pick the "
            "Dense layer that reads the pixels (the first one)."
        )
    units = [int(u) for u in np.atleast_1d(units)]
    k = check_positive_int(k, "k")
    side_shape = as_image(images[0]).shape
    weights = np.stack([dense.weights[:, u].reshape(side_shape) for u in units])
    top = np.stack([top_activating(model, images, position, u, k=k) for u in units])
    top_images = np.stack([[as_image(images[i]) for i in row] for row in top])
    return UnitGalleryData(units=units, weights=weights, top=top, top_images=top_images, layer=position)


def draw_unit_gallery(fig: Any, data: UnitGalleryData) -> dict[str, Any]:
    """One row per unit: its weights (blue raises the unit's sum, orange lowers it), then its top images.

    Returns {'weights': [AxesImage per unit], 'top': [[AxesImage]]}.

    Shapes: weights (n_units, h, w) and top_images (n_units, k, h, w) of ``data`` -> dict of artists.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 3, "relu")], seed=0)
        >>> images = np.random.default_rng(0).random((5, 2, 2))
        >>> data = unit_gallery_data(model, images, [0, 2], layer=1, k=3)
        >>> artists = draw_unit_gallery(figure(), data)
        >>> len(artists["weights"]), [len(row) for row in artists["top"]]    # a row per unit: weights, 3 images
        (2, [3, 3])
        >>> bool((artists["top"][1][0].get_array() == images[data.top[1, 0]]).all())
        True
    """
    n_units, k = data.top.shape
    grid = fig.subplots(n_units, k + 1, squeeze=False)
    artists: dict[str, Any] = {"weights": [], "top": []}
    for row, unit in enumerate(data.units):
        ax = grid[row, 0]
        _style.style_axes(ax, frame=False)
        limit = _symmetric(data.weights[row])
        artists["weights"].append(ax.imshow(data.weights[row], cmap=_style.colormap(_style.DIVERGING), vmin=-limit,
                                            vmax=limit, interpolation="nearest"))
        ax.set_ylabel(f"unit {unit}", fontsize=9, color=_style.TEXT_COLOR)
        row_artists = []
        for column in range(k):
            ax = grid[row, column + 1]
            _style.style_axes(ax, frame=False)
            row_artists.append(ax.imshow(data.top_images[row, column], cmap="gray_r", vmin=0.0, vmax=1.0,
                                         interpolation="nearest"))
        artists["top"].append(row_artists)
        for ax in grid[row]:
            ax.set_xticks([])
            ax.set_yticks([])
    grid[0, 0].set_title("weights", fontsize=9, color=_style.TEXT_COLOR)
    grid[0, (k + 2) // 2].set_title("the test digits that excite the unit most", fontsize=9, color=_style.TEXT_COLOR)
    return artists


def draw_predicted_images(axes: Any, images: Any, probabilities: Any, labels: Any = None,
                          names: list[str] | None = None) -> dict[str, Any]:
    """Each image with the class a model predicts and its probability as the title; red when it is wrong.

    ``probabilities`` (n, n_classes) from ``model.predict``; ``labels`` (n,) the right classes, or None (e.g.
    for nonsense inputs); ``names`` an optional first title line per image.

    Shapes: images (n, h, w) (or any layout ``as_image`` reads), probabilities (n, n_classes).

    Returns {'images': [AxesImage], 'titles': [Text]}.

    Example:
        >>> from matplotlib.colors import to_hex
        >>> from nnlearn.plots import figure
        >>> probabilities = np.array([[0.9, 0.1], [0.3, 0.7]])
        >>> artists = draw_predicted_images(figure().subplots(1, 2), np.zeros((2, 4)), probabilities, labels=[0, 0])
        >>> [title.get_text() for title in artists["titles"]]    # predicted class (its probability)
        ['0 (0.90)', '1 (0.70)']
        >>> to_hex(artists["titles"][1].get_color())    # the second is wrong: red
        '#b00020'
    """
    axes = list(np.ravel(axes))
    probabilities = as_float_array(probabilities, "probabilities")
    if len(axes) != len(probabilities) or len(images) != len(probabilities):
        raise ValueError(
            f"Need one axes and one row of probabilities per image: got {len(axes)} axes, {len(images)} images, "
            f"{len(probabilities)} rows."
        )
    artists: dict[str, Any] = {"images": [], "titles": []}
    for n, ax in enumerate(axes):
        predicted = int(np.argmax(probabilities[n]))
        wrong = labels is not None and predicted != int(np.asarray(labels)[n])
        _style.style_axes(ax, frame=False)
        artists["images"].append(ax.imshow(as_image(images[n]), cmap="gray_r", vmin=0.0, vmax=1.0,
                                           interpolation="nearest"))
        title = f"{predicted} ({probabilities[n, predicted]:.2f})"
        if names is not None:
            title = f"{names[n]}\n{title}"
        ax.set_title(title, fontsize=9, color=_style.WARNING_COLOR if wrong else _style.TEXT_COLOR)
        ax.set_xticks([])
        ax.set_yticks([])
        artists["titles"].append(ax.title)
    return artists

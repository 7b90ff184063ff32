"""explore_saliency: pick an image and see which pixels its prediction depends on, by gradient and by covering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from ..plots import _style
from ..plots.interpret import _VIEW_TITLES, draw_saliency_view, saliency_view_data, update_saliency_view
from ..validation import as_float_array
from .architectures import _image_item, _panel, _rgba
from .base import Explorer
from .live import CanvasPicture

__all__ = ["SaliencyExplorer", "explore_saliency"]


_MAPS = ("image", "saliency", "estimate", "occlusion")
CACHE_SIZE = 512  # computed pictures kept, one per (image, patch): a few KB each for 8x8 digits


class SaliencyExplorer(CanvasPicture, Explorer):
    """One image of a set, its saliency map, and the occlusion check of that map.

    Controls: ``image`` (which image; the control a browser test moves) and ``patch`` (the size of the square
    covered at a time by occlusion). The figure shows the image, the saliency map (gradient of the predicted
    class's score), the probability drop the gradient predicts for covering each patch, the drop measured by
    covering it, and the class probabilities. The readout gives the label, the prediction and how far the
    predicted and the measured drops agree. The browser paints the picture on a canvas (``scene()``;
    ``canvas=False``, or ``live=True``: the matplotlib figure, which is kept up to date either way as the
    static PNG). Each (image, patch) is computed once and kept, so dragging back and forth over the images
    only looks the maps up; the kept maps are dropped when the model's weights change.

    Shapes: images (n, ...) in the model's input layout, labels (n,) or None -> for the chosen image the
    saliency, predicted-drop and occlusion maps (h, w) and the class probabilities (n_classes,).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 3, "softmax")], seed=0)
        >>> images = np.random.default_rng(0).random((5, 2, 2))
        >>> explorer = SaliencyExplorer(model, images, [0, 1, 2, 0, 1], live=False)
        >>> explorer.controls["image"].value = 2                   # every map follows the chosen image
        >>> bool(np.allclose(explorer.artists["image"].get_array(), images[2]))
        True
        >>> explorer.data.saliency.shape, explorer.data.probabilities.shape
        ((2, 2), (3,))
        >>> explorer.summary()
        'image 2 of 5, predicted 0'
    """

    title = "Saliency and occlusion"

    def __init__(self, model: Any, images: Any, labels: Any = None, *, index: int = 0, patch: int = 1, k: int = 8,
                 live: bool | None = None, canvas: bool | None = None):
        # canvas (default: unless live=True asks for ipympl): the image slider moves continuously, so the browser
        # paints the maps from numbers; the matplotlib figure stays the static picture.
        super().__init__(live=self._use_canvas(live, canvas))
        self.model = model
        self.images = as_float_array(images, "images")
        if self.images.ndim < 2 or len(self.images) == 0:
            raise ValueError(f"images must be a batch of images (n, ...), but got shape {self.images.shape}.")
        self.labels = labels
        self.k = k
        self._cache: dict[tuple[int, int], Any] = {}
        self._weights_seen: tuple | None = None
        n = len(self.images)
        image_slider = widgets.IntSlider(value=min(max(int(index), 0), n - 1), min=0, max=n - 1, description="image",
                                         continuous_update=True, layout=widgets.Layout(width="360px"))
        self.add_control("image", image_slider)
        image_slider.add_class("nnl-browser-move")
        self.add_control("patch", widgets.IntSlider(value=int(patch), min=1, max=4, description="patch",
                                                    continuous_update=False, layout=widgets.Layout(width="240px")))
        self.data = self.compute()
        fig = self.new_figure((10.0, 2.5), dpi=90)
        axes = [fig.add_axes([0.01 + 0.19 * column, 0.03, 0.17, 0.82]) for column in range(4)]
        axes.append(fig.add_axes([0.8, 0.12, 0.18, 0.73]))
        self.artists = draw_saliency_view(axes, self.data)
        self.update()

    def _weights_fingerprint(self) -> tuple:
        """A cheap summary of the model's weights (a sum per array): it changes when the model is trained more."""
        parameters = self.model.parameters() if hasattr(self.model, "parameters") else {}
        return tuple((name, float(np.sum(values))) for name, values in parameters.items())

    def compute(self):
        """The picture's data for the current controls (the compute half), computed once per (image, patch)."""
        fingerprint = self._weights_fingerprint()
        if fingerprint != self._weights_seen:
            self._cache.clear()
            self._weights_seen = fingerprint
        key = (int(self.controls["image"].value), int(self.controls["patch"].value))
        data = self._cache.get(key)
        if data is None:
            if len(self._cache) >= CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))  # the oldest first
            data = self._cache[key] = saliency_view_data(self.model, self.images, key[0], self.labels,
                                                         patch=key[1], k=self.k)
        return data

    def update(self) -> None:
        self.data = self.compute()
        update_saliency_view(self.artists, self.data)
        data = self.data
        label = "" if data.label < 0 else f"label {data.label}, "
        agreement = data.agreement
        self.set_readout(
            f"image {data.index}: {label}predicted {data.predicted} "
            f"(p = {data.probabilities[data.predicted]:.2f});  predicted vs measured drop: rank correlation "
            f"{agreement.rank_correlation:.2f}, top-{agreement.k} pixels shared "
            f"{agreement.top_k_overlap * agreement.k:.0f}/{agreement.k} (chance {agreement.chance * agreement.k:.1f})"
        )
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene(data))

    def scene(self, data: Any = None) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the image
        (grey, 0 ... max(1, brightest pixel)), the three maps (nnlearn's diverging map over +-their largest size)
        and the class probabilities as bars, in the matplotlib figure's places, colours and titles.

        Shapes: image and maps (h, w, 4) uint8 RGBA, rows bottom to top; bars (n_classes, 4) float32 rectangles.
        """
        data = data or self.compute()
        fig, artists = self.figure, self.artists
        width, height = (int(round(v)) for v in fig.get_size_inches() * fig.dpi)
        arrays: dict[str, np.ndarray] = {}
        panels: list[dict] = []
        items: list[dict] = []
        for k, (key, title) in enumerate(zip(_MAPS, _VIEW_TITLES)):
            values = data[key]
            if key == "image":
                arrays[key] = _rgba(values, 0.0, max(1.0, float(values.max())), "gray_r")
            else:
                limit = float(np.max(np.abs(values)))
                limit = limit if limit > 0 else 1.0  # as plots.interpret colours a map
                arrays[key] = _rgba(values, -limit, limit, _style.DIVERGING)
            panels.append(_panel(artists[key].axes, title))
            items.append(_image_item(k, key, artists[key], values.shape))
        bar_ax = artists["bars"][0].axes
        classes = np.arange(len(data.probabilities), dtype=float)
        arrays["bars"] = np.column_stack([np.zeros_like(classes), classes - 0.35, data.probabilities,
                                          classes + 0.35]).astype(np.float32)  # barh: height 0.7 around each class
        right = data.label < 0 or data.predicted == data.label
        colors = ["#bbbbbb"] * len(classes)
        colors[data.predicted] = _style.POSITIVE if right else _style.WARNING_COLOR
        panels.append(_panel(bar_ax, "probabilities", axes=True, xticks=[0.0, 0.5, 1.0],
                             yticks=[float(c) for c in classes]))
        items.append({"kind": "bars", "panel": 4, "buffer": "bars", "colors": colors})
        return width, height, panels, items, arrays

    def summary(self) -> str:
        return f"image {self.data.index} of {len(self.images)}, predicted {self.data.predicted}"


def explore_saliency(model: Any, images: Any, labels: Any = None, *, index: int = 0, patch: int = 1,
                     hide: Sequence[str] = (), canvas: bool | None = None) -> SaliencyExplorer:
    """Pick an image with a slider; see its saliency map, the occlusion check and the predicted probabilities.

    ``images`` in the layout the model takes, e.g. (n, 8, 8) for a model that starts with Flatten; ``labels``
    (n,) or None. Maps are for the predicted class. The browser paints the picture on a canvas
    (``canvas=False``: the matplotlib figure, live with ipympl).

    Shapes: images (n, ...), labels (n,) or None -> a SaliencyExplorer with (h, w) maps of the chosen image.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 3, "softmax")], seed=0)
        >>> explorer = explore_saliency(model, np.random.default_rng(0).random((5, 2, 2)), [0, 1, 2, 0, 1])
        >>> explorer.controls["image"].value = 3                 # the maps and the readout follow
        >>> explorer.readout_text.startswith("image 3: label 0, predicted")
        True
    """
    explorer = SaliencyExplorer(model, images, labels, index=index, patch=patch, canvas=canvas)
    if hide:
        explorer.hide(hide)
    return explorer

"""explore_saliency: pick an image and see which pixels its prediction depends on, by gradient and by covering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from ..plots.interpret import draw_saliency_view, saliency_view_data, update_saliency_view
from ..validation import as_float_array
from .base import Explorer

__all__ = ["SaliencyExplorer", "explore_saliency"]


class SaliencyExplorer(Explorer):
    """One image of a set, its saliency map, and the occlusion check of that map.

    Controls: ``image`` (which image; the control a browser test moves) and ``patch`` (the size of the square
    covered at a time by occlusion). The figure shows the image, the saliency map (gradient of the predicted
    class's score), the probability drop the gradient predicts for covering each patch, the drop measured by
    covering it, and the class probabilities. The readout gives the label, the prediction and how far the
    predicted and the measured drops agree.

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
                 live: bool | None = None):
        super().__init__(live=live)
        self.model = model
        self.images = as_float_array(images, "images")
        if self.images.ndim < 2 or len(self.images) == 0:
            raise ValueError(f"images must be a batch of images (n, ...), but got shape {self.images.shape}.")
        self.labels = labels
        self.k = k
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

    def compute(self):
        """The picture's data for the current controls (the compute half)."""
        return saliency_view_data(self.model, self.images, self.controls["image"].value, self.labels,
                                  patch=self.controls["patch"].value, k=self.k)

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

    def summary(self) -> str:
        return f"image {self.data.index} of {len(self.images)}, predicted {self.data.predicted}"


def explore_saliency(model: Any, images: Any, labels: Any = None, *, index: int = 0, patch: int = 1,
                     hide: Sequence[str] = ()) -> SaliencyExplorer:
    """Pick an image with a slider; see its saliency map, the occlusion check and the predicted probabilities.

    ``images`` in the layout the model takes, e.g. (n, 8, 8) for a model that starts with Flatten; ``labels``
    (n,) or None. Maps are for the predicted class.

    Shapes: images (n, ...), labels (n,) or None -> a SaliencyExplorer with (h, w) maps of the chosen image.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Flatten(), nl.Dense(4, 3, "softmax")], seed=0)
        >>> explorer = explore_saliency(model, np.random.default_rng(0).random((5, 2, 2)), [0, 1, 2, 0, 1])
        >>> explorer.controls["image"].value = 3                 # the maps and the readout follow
        >>> explorer.readout_text.startswith("image 3: label 0, predicted")
        True
    """
    explorer = SaliencyExplorer(model, images, labels, index=index, patch=patch)
    if hide:
        explorer.hide(hide)
    return explorer

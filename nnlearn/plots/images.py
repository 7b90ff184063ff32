"""Grids of small images: convolution filters, feature maps, image samples.

Compute: ``image_grid_data(images)`` packs the tiles into one mosaic array with see-through gaps (NumPy only),
so a whole grid is a single image artist that updates in one ``set_data``.
Draw: ``draw_image_grid(ax, data)``; ``update_image_grid(artists, data)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..validation import as_float_array
from . import _style
from ._grid import PlotData

__all__ = ["ImageGridData", "draw_image_grid", "image_grid_data", "update_image_grid"]


@dataclass
class ImageGridData(PlotData):
    """Tiles packed row by row into ``mosaic`` (NaN between tiles).

    ``diverging`` is True when the values have both signs (filters): draw them with a diverging map centred
    on 0 and ``limits`` symmetric. ``boxes[k]`` is tile k's (left, right, bottom, top) in mosaic pixels.

    Shapes: mosaic (n_rows * (h + gap) - gap, n_columns * (w + gap) - gap); boxes (n_images, 4); tile_shape (h, w).

    Example:
        >>> import numpy as np
        >>> data = image_grid_data(np.array([[[1.0, -1.0], [0.0, 0.0]], [[0.0, 2.0], [0.0, 0.0]]]))
        >>> data.mosaic.shape, data.diverging, data.limits  # both signs: a range symmetric around 0
        ((2, 5), True, (-2.0, 2.0))
        >>> data.boxes.tolist()  # the second tile starts after one column of gap
        [[0.0, 2.0, 2.0, 0.0], [3.0, 5.0, 2.0, 0.0]]
    """

    mosaic: np.ndarray
    n_images: int
    n_rows: int
    n_columns: int
    tile_shape: tuple[int, int]
    limits: tuple[float, float]
    diverging: bool
    boxes: np.ndarray


def image_grid_data(images: np.ndarray, n_columns: int | None = None, *, gap: int = 1,
                    normalize: str = "all", diverging: bool | None = None) -> ImageGridData:
    """Lay out images in a grid.

    ``images``: (n, h, w); (h, w) for one image; (n, c, h, w) such as conv filters (out, in, kh, kw) becomes
    n * c tiles. ``normalize='all'`` shares one colour range (compare tiles), ``'each'`` scales every tile to
    its own range (see each tile's pattern). ``diverging`` defaults to "the values have both signs".

    Shapes: images (n, h, w) -> mosaic (rows * (h + gap) - gap, columns * (w + gap) - gap).

    Example:
        >>> import numpy as np
        >>> data = image_grid_data(np.ones((3, 2, 2)), n_columns=2)
        >>> data.mosaic.shape, data.n_rows, int(np.isnan(data.mosaic).sum())
        ((5, 5), 2, 13)
    """
    images = as_float_array(images, "images", allow_nan=True)
    if images.ndim == 2:
        images = images[None]
    elif images.ndim == 4:
        images = images.reshape(-1, *images.shape[2:])
    if images.ndim != 3 or images.shape[0] == 0:
        raise ValueError(f"images must have shape (n, h, w), (h, w) or (n, c, h, w), but got {images.shape}.")
    if normalize not in ("all", "each"):
        raise ValueError(f"normalize must be 'all' or 'each', but got {normalize!r}.")
    n, h, w = images.shape
    if diverging is None:
        diverging = bool(np.nanmin(images) < 0 < np.nanmax(images))
    if normalize == "each":
        if diverging:
            scale = np.nanmax(np.abs(images), axis=(1, 2), keepdims=True)
            images = images / np.where(scale > 0, scale, 1.0)
        else:
            low = np.nanmin(images, axis=(1, 2), keepdims=True)
            span = np.nanmax(images, axis=(1, 2), keepdims=True) - low
            images = (images - low) / np.where(span > 0, span, 1.0)
    n_columns = int(n_columns) if n_columns else int(math.ceil(math.sqrt(n)))
    n_rows = int(math.ceil(n / n_columns))
    mosaic = np.full((n_rows * (h + gap) - gap, n_columns * (w + gap) - gap), np.nan)
    boxes = np.empty((n, 4))
    for k in range(n):
        row, column = divmod(k, n_columns)
        top, left = row * (h + gap), column * (w + gap)
        mosaic[top : top + h, left : left + w] = images[k]
        boxes[k] = (left, left + w, top + h, top)
    if diverging:
        biggest = float(np.nanmax(np.abs(images))) or 1.0
        limits = (-biggest, biggest)
    else:
        low, high = float(np.nanmin(images)), float(np.nanmax(images))
        limits = (low, high if high > low else low + 1.0)
    return ImageGridData(mosaic=mosaic, n_images=n, n_rows=n_rows, n_columns=n_columns, tile_shape=(h, w),
                         limits=limits, diverging=diverging, boxes=boxes)


def draw_image_grid(ax: Any, data: ImageGridData, *, cmap: str | None = None) -> dict[str, Any]:
    """Draw the mosaic on ``ax`` (no ticks). Returns {'image': AxesImage}.

    Shapes: the arrays of data (see ImageGridData) -> dict of artists.

    Example:
        >>> import numpy as np
        >>> from nnlearn.plots import figure, image_grid_data
        >>> data = image_grid_data(np.array([[[1.0, -1.0], [0.0, 0.0]], [[0.0, 2.0], [0.0, 0.0]]]))
        >>> image = draw_image_grid(figure().add_subplot(), data)["image"]
        >>> image.get_array().shape, image.get_clim(), image.get_cmap().name
        ((2, 5), (-2.0, 2.0), 'nnlearn_diverging')
    """
    name = cmap or (_style.DIVERGING if data.diverging else "gray")
    _style.style_axes(ax, frame=False)
    image = ax.imshow(data.mosaic, cmap=_style.colormap(name), vmin=data.limits[0], vmax=data.limits[1],
                      interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    return {"image": image}


def update_image_grid(artists: dict[str, Any], data: ImageGridData) -> None:
    """Show new tiles (same grid shape) in the artist of ``draw_image_grid``.

    Shapes: the arrays of data (see ImageGridData) -> None (the artist changes in place).

    Example:
        >>> import numpy as np
        >>> from nnlearn.plots import figure, image_grid_data
        >>> artists = draw_image_grid(figure().add_subplot(), image_grid_data(np.zeros((2, 2, 2))))
        >>> update_image_grid(artists, image_grid_data(np.arange(8.0).reshape(2, 2, 2)))
        >>> artists["image"].get_clim(), artists["image"].get_array()[0, :2].tolist()
        ((0.0, 7.0), [0.0, 1.0])
    """
    artists["image"].set_data(data.mosaic)
    artists["image"].set_clim(*data.limits)

"""Colours shared by every picture, chosen to stay readable for colour-blind learners and in dark themes.

The colours are plain data (hex strings) so compute code can use them without importing matplotlib; the
matplotlib colour maps are built on first use.

- Sign matters (weights, gradients, a neuron's output around its midpoint): a diverging map from orange
  (negative, class 0) through near-white to blue (positive, class 1). Orange against blue is told apart with
  every common colour-vision deficiency (Okabe and Ito's palette).
- Several classes: the Okabe-Ito palette.
- Magnitudes (a loss surface): viridis, perceptually uniform and colour-blind-safe.
- Figures get an explicit white face, so black labels stay visible in JupyterLab's dark theme.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

FACECOLOR = "#ffffff"
TEXT_COLOR = "#222222"
MUTED_COLOR = "#777777"
WARNING_COLOR = "#b00020"

NEGATIVE = "#e66100"  # orange: negative values, class 0
POSITIVE = "#1b64b4"  # blue: positive values, class 1
TRAIN_COLOR = "#333333"
TEST_COLOR = "#d55e00"

# Okabe & Ito (2008), "Color Universal Design": class 0 orange and class 1 blue, as in the diverging map.
CLASS_COLORS = ("#e69f00", "#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")

_DIVERGING_STOPS = ("#b35806", NEGATIVE, "#fdb863", "#f7f7f7", "#92c5de", POSITIVE, "#0b3d78")

SEQUENTIAL = "viridis"
DIVERGING = "nnlearn_diverging"
DIVERGING_LIGHT = "nnlearn_diverging_light"  # the same map faded halfway to white: a background for data points


def hex_to_rgb(color: str) -> np.ndarray:
    """'#rrggbb' -> RGB floats in [0, 1]."""
    color = color.lstrip("#")
    return np.array([int(color[i : i + 2], 16) / 255.0 for i in (0, 2, 4)])


def class_colors(n_classes: int) -> np.ndarray:
    """RGB rows for classes 0..n_classes-1 (the palette repeats past eight classes).

    Shapes: -> (n_classes, 3).

    Example:
        >>> colors = class_colors(9)
        >>> colors.shape, colors[0].round(2).tolist()  # class 0 is orange
        ((9, 3), [0.9, 0.62, 0.0])
        >>> bool((colors[8] == colors[0]).all())  # the ninth class reuses the first colour
        True
    """
    return np.array([hex_to_rgb(CLASS_COLORS[k % len(CLASS_COLORS)]) for k in range(n_classes)])


def class_color_image(classes: np.ndarray, confidence: np.ndarray, n_classes: int) -> np.ndarray:
    """An RGB picture of predicted classes: each pixel is its class colour, faded towards white where unsure.

    ``confidence`` in [0, 1] (0 = no better than guessing, 1 = certain).

    Shapes: classes (h, w) int, confidence (h, w) -> (h, w, 3).
    """
    colors = class_colors(n_classes)[classes]
    strength = np.clip(confidence, 0.0, 1.0)[..., None]
    return 1.0 - strength * (1.0 - colors) * 0.6  # 0.6: even a certain region stays lighter than the points


@lru_cache(maxsize=None)
def colormap(name: str = DIVERGING) -> Any:
    """A matplotlib colour map by name; ``DIVERGING`` is nnlearn's orange-white-blue map."""
    import matplotlib

    if name in (DIVERGING, DIVERGING_LIGHT):
        from matplotlib.colors import LinearSegmentedColormap

        stops = [hex_to_rgb(color) for color in _DIVERGING_STOPS]
        if name == DIVERGING_LIGHT:
            stops = [0.5 + 0.5 * rgb for rgb in stops]
        cmap = LinearSegmentedColormap.from_list(name, stops, N=256)
    else:
        cmap = matplotlib.colormaps[name]
    return cmap.with_extremes(bad=(0.0, 0.0, 0.0, 0.0))  # NaN is see-through: gaps between thumbnails


@lru_cache(maxsize=None)
def colormap_lut(name: str = DIVERGING) -> np.ndarray:
    """The colour map as 256 RGBA rows of uint8, for colouring arrays by hand."""
    return (np.asarray(colormap(name)(np.linspace(0.0, 1.0, 256))) * 255).round().astype(np.uint8)


def to_rgba8(values: np.ndarray, vmin: float, vmax: float, name: str = DIVERGING) -> np.ndarray:
    """Colour an array through a colour map into RGBA uint8 (NaN becomes see-through).

    An image given RGBA bytes skips matplotlib's masking and normalising, about three times faster to redraw
    for a mosaic with gaps.

    Shapes: values (h, w) -> (h, w, 4).
    """
    scaled = (np.asarray(values, dtype=float) - vmin) * (255.0 / (vmax - vmin))
    missing = ~np.isfinite(scaled)
    index = np.clip(np.nan_to_num(scaled, nan=0.0), 0, 255).astype(np.intp)
    rgba = colormap_lut(name)[index]
    rgba[missing] = 0
    return rgba


def figure(figsize: tuple[float, float] = (6.0, 4.0), dpi: float = 100) -> Any:
    """A matplotlib Figure with a white face and an Agg canvas, made without pyplot (so it is never shown twice).

    In a notebook, a Figure left as the last value of a cell is shown as a PNG.

    Shapes: none (figsize in inches, dpi -> a Figure of figsize * dpi pixels).

    Example:
        >>> fig = figure((3, 2), dpi=50)
        >>> fig.canvas.get_width_height(), fig.get_facecolor()
        ((150, 100), (1.0, 1.0, 1.0, 1.0))
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, facecolor=FACECOLOR)
    FigureCanvasAgg(fig)
    return fig


def style_axes(ax: Any, title: str | None = None, *, frame: bool = True) -> None:
    """The small house style: white face, muted spines, small ticks."""
    ax.set_facecolor(FACECOLOR)
    if title is not None:
        ax.set_title(title, fontsize=10, color=TEXT_COLOR)
    ax.tick_params(labelsize=8, colors=MUTED_COLOR, length=3)
    for spine in ax.spines.values():
        spine.set_color("#bbbbbb")
        spine.set_visible(frame)

"""Explorer for lesson 08: pick a layer and a unit of a trained CNN and see what it responds to.

``explore_hierarchy(model, images)``: a layer menu and a unit slider; the figure shows the unit's filter (the
weights it applies to its input channels), the image patches of the data set that excite it most, and the
picture that excites it most (activation maximisation, computed once per unit and cached).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from ..hierarchy import activation_maximization, receptive_field
from ..plots import _style
from ..plots.hierarchy import draw_filters, draw_top_patches, filter_grid_data, top_patches_data, update_top_patches
from ..validation import as_float_array, check_positive_int, describe
from .architectures import _image_item, _panel, _rgba
from .base import Explorer
from .live import CanvasPicture

__all__ = ["HierarchyExplorer", "explore_hierarchy"]


_DENSE_NOTE = "a Dense unit weighs every\nvalue of the layer below:\nno small filter to show"


class HierarchyExplorer(CanvasPicture, Explorer):
    """One unit of a trained network at a time: its filter, its top patches, its activation-maximisation picture.

    Controls: ``layer`` (a menu of the layers with units: Conv2D and Dense) and ``unit`` (a slider; the control
    a browser test moves). ``pictures`` caches the activation-maximisation pictures by (layer, unit), and the
    whole picture's data (top patches included) is kept by (layer, unit) too, so going back to a unit is
    instant. The browser paints the picture on a canvas (``scene()``; ``canvas=False``, or ``live=True``: the
    matplotlib figure, which is kept up to date either way as the static PNG); with the canvas the unit slider
    follows a drag.

    Shapes: images (n, channels, h, w) or (n, h, w) -> for the chosen unit its filter (channels, kh, kw) as a
    mosaic, its k top patches, and its picture cut to the receptive field (field, field).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.hierarchy import shapes_cnn
        >>> images, _ = nl.datasets.shapes(n=20, seed=0)
        >>> explorer = HierarchyExplorer(shapes_cnn(seed=0), images, k=4, steps=3, live=False)
        >>> explorer.artists["picture"].get_array().shape      # a 3x3 filter sees a 3x3 square
        (3, 3)
        >>> explorer.controls["unit"].value = 2                # computed once, then cached
        >>> sorted(explorer.pictures)
        [(0, 0), (0, 2)]
    """

    title = "What one unit responds to"

    def __init__(self, model: Any, images: Any, *, layer: int | None = None, unit: int = 0, k: int = 9,
                 steps: int = 100, seed: int | None = 0, live: bool | None = None, canvas: bool | None = None):
        # canvas (default: unless live=True asks for ipympl): the browser paints the mosaics from numbers, so the
        # unit slider can follow a drag; the matplotlib figure stays the static picture.
        super().__init__(live=self._use_canvas(live, canvas))
        self.model = model
        images = as_float_array(images, "images")
        self.images = images[:, None] if images.ndim == 3 else images
        if self.images.ndim != 4:
            raise ValueError(f"images must be a batch (n, channels, h, w) or (n, h, w), but got {describe(images)}.")
        self.k = check_positive_int(k, "k")
        self.steps = check_positive_int(steps, "steps")
        self.seed = seed
        self.pictures: dict[tuple[int, int], np.ndarray] = {}
        self._computed: dict[tuple[int, int], dict[str, Any]] = {}
        options = [(f"layer {i + 1}: {lay.describe()}", i) for i, lay in enumerate(model.layers)
                   if hasattr(lay, "weights")]
        if not options:
            raise ValueError("explore_hierarchy needs a model with Conv2D or Dense layers.")
        layer = options[0][1] if layer is None else int(layer) % len(model.layers)
        if layer not in [value for _, value in options]:
            raise ValueError(f"layer {layer} of this model has no units; choose one of {[v for _, v in options]}.")
        self.add_control("layer", widgets.Dropdown(options=options, value=layer, description="layer",
                                                   layout=widgets.Layout(width="330px")), on_change=self._on_layer)
        self.add_control("unit", widgets.IntSlider(value=0, min=0, max=self._n_units(layer) - 1, description="unit",
                                                   continuous_update=self.canvas is not None))
        self.controls["unit"].add_class("nnl-browser-move")
        self.controls["unit"].value = min(int(unit), self.controls["unit"].max)
        self._build_figure()
        self.update()

    # ------------------------------------------------------------------ compute
    def _n_units(self, layer: int) -> int:
        current = self.model.layers[layer]
        return int(getattr(current, "out_channels", getattr(current, "n_outputs", 1)))

    def picture(self, layer: int, unit: int) -> np.ndarray:
        """The activation-maximisation picture of (layer, unit), computed on first use, as (h, w)."""
        key = (int(layer), int(unit))
        if key not in self.pictures:
            full = activation_maximization(self.model, layer, unit, input_shape=self.images.shape[1:],
                                           steps=self.steps, seed=self.seed)
            self.pictures[key] = full[0]
        return self.pictures[key]

    def compute(self) -> dict[str, Any]:
        """Everything the figure shows for the chosen layer and unit (the compute half), computed once each."""
        key = (int(self.controls["layer"].value), int(self.controls["unit"].value))
        if key not in self._computed:
            self._computed[key] = self._compute(*key)
        return self._computed[key]

    def _compute(self, layer: int, unit: int) -> dict[str, Any]:
        current = self.model.layers[layer]
        patches = top_patches_data(self.model, self.images, layer, unit, k=self.k)
        picture = self.picture(layer, unit)
        if hasattr(current, "kernel_size"):
            field = receptive_field(self.model, layer)
            # The picture is made for the map's centre pixel: show the square that pixel sees.
            center = [(s - 1) // 2 for s in self._map_shape(layer)[1:]]
            top, left = field.top(center[0]), field.top(center[1])
            window = np.zeros((field.size, field.size))
            rows = slice(max(top, 0), min(top + field.size, picture.shape[0]))
            cols = slice(max(left, 0), min(left + field.size, picture.shape[1]))
            window[rows.start - top : rows.stop - top, cols.start - left : cols.stop - left] = picture[rows, cols]
            picture = window
            weights = current.weights[unit]
        else:
            weights = None
        return {"layer": layer, "unit": unit, "patches": patches, "picture": picture,
                "filters": None if weights is None else filter_grid_data(weights[None], n_columns=min(4, len(weights)))}

    def _map_shape(self, layer: int) -> tuple[int, ...]:
        shape = tuple(self.images.shape[1:])
        for current in self.model.layers[: layer + 1]:
            shape = tuple(current.output_shape(shape))
        return shape

    # ------------------------------------------------------------------ drawing
    def _build_figure(self) -> None:
        fig = self.new_figure((9.6, 3.4), dpi=90)
        self.axes = [fig.add_axes([0.02, 0.08, 0.28, 0.74]), fig.add_axes([0.36, 0.08, 0.28, 0.74]),
                     fig.add_axes([0.70, 0.08, 0.28, 0.74])]
        data = self.compute()
        filters = data["filters"] or filter_grid_data(np.zeros((1, 1, 3, 3)))
        self.artists["filter"] = draw_filters(self.axes[0], filters)["image"]
        self.artists["filter_note"] = self.axes[0].text(0.5, 0.5, "", ha="center", va="center", fontsize=9,
                                                        transform=self.axes[0].transAxes, wrap=True)
        self.artists["patches"] = draw_top_patches(self.axes[1], data["patches"], n_columns=3)
        self.artists["picture"] = self.axes[2].imshow(data["picture"], cmap="gray", vmin=0, vmax=1,
                                                      interpolation="nearest")
        for ax in self.axes:
            ax.set_xticks([])
            ax.set_yticks([])

    @staticmethod
    def _show(image: Any, mosaic: np.ndarray, limits: tuple[float, float] | None = None) -> None:
        image.set_data(mosaic)
        if limits is not None:
            image.set_clim(*limits)
        height, width = mosaic.shape
        image.set_extent((-0.5, width - 0.5, height - 0.5, -0.5))
        image.axes.set_xlim(-0.5, width - 0.5)
        image.axes.set_ylim(height - 0.5, -0.5)

    def update(self) -> None:
        data = self.compute()
        self.data = data
        layer, unit = data["layer"], data["unit"]
        filters = data["filters"]
        if filters is None:
            self.artists["filter"].set_visible(False)
            self.artists["filter_note"].set_text(_DENSE_NOTE)
            self.axes[0].set_title("filter", fontsize=9)
        else:
            self.artists["filter"].set_visible(True)
            self.artists["filter_note"].set_text("")
            self._show(self.artists["filter"], filters.mosaic, filters.limits)
            n_in = filters.n_images
            self.axes[0].set_title(f"filter: {n_in} input channel{'s' if n_in > 1 else ''} (blue +, orange -)",
                                   fontsize=9)
        patches = data["patches"]
        update_top_patches(self.artists["patches"], patches, n_columns=3)
        self.axes[1].set_title(f"top {len(patches.values)} patches ({patches.field}x{patches.field} pixels)",
                               fontsize=9)
        self._show(self.artists["picture"], data["picture"])
        self.axes[2].set_title("the input it likes most (activation max.)", fontsize=9)
        self.set_readout(f"layer {layer + 1}, unit {unit}: strongest response {patches.values[0]:.2f}, weakest of "
                         f"the top {len(patches.values)} {patches.values[-1]:.2f}")
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene(data))

    def scene(self, data: Any = None) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the filter
        mosaic (nnlearn's diverging map, each tile on its own scale), the top patches and the favourite input
        (grey), with the matplotlib figure's places, colour ranges and titles; a Dense unit's note instead of a
        filter. The scene is read from the figure's artists, which ``update()`` has just set from ``data`` (the
        argument is there for the explorers' common ``scene(data)`` call).

        Shapes: filter, patches, picture (h, w, 4) uint8 RGBA mosaics (gaps see-through), rows bottom to top.
        """
        from matplotlib.colors import to_hex

        fig, artists, axes = self.figure, self.artists, self.axes
        width, height = (int(round(v)) for v in fig.get_size_inches() * fig.dpi)
        arrays: dict[str, np.ndarray] = {}
        panels = [_panel(ax, ax.get_title()) for ax in axes]
        for panel, ax in zip(panels, axes):
            spine = ax.spines["left"]
            if spine.get_visible():  # the favourite input's axes keeps matplotlib's frame: a frame, no ticks
                panel.update(axes=True, xticks=[], yticks=[], frame_color=to_hex(spine.get_edgecolor()),
                             frame_width=float(spine.get_linewidth()) * fig.dpi / 72)
        items: list[dict] = []
        for k, (name, cmap) in enumerate((("filter", _style.DIVERGING), ("patches", "gray"), ("picture", "gray"))):
            artist = artists[name]["image"] if name == "patches" else artists[name]
            if not artist.get_visible():
                continue
            values = np.ma.filled(np.ma.asarray(artist.get_array(), dtype=float), np.nan)  # gaps: NaN, see-through
            arrays[name] = _rgba(values, *artist.get_clim(), cmap)
            items.append(_image_item(k, name, artist, values.shape))
        if not artists["filter"].get_visible():
            lines = artists["filter_note"].get_text().split("\n")
            step = 14.0 / panels[0]["box"][3]  # one line of 11 px text, in the panel's height
            items += [{"kind": "text", "panel": 0, "coords": "axes", "x": 0.5,
                       "y": 0.5 + step * ((len(lines) - 1) / 2 - i), "text": line, "size": 11, "baseline": "middle",
                       "color": _style.TEXT_COLOR} for i, line in enumerate(lines)]
            panels[0]["clip"] = False  # the note may be wider than a thin filter strip
        return width, height, panels, items, arrays

    def _on_layer(self, change: dict) -> None:
        slider = self.controls["unit"]
        new_max = self._n_units(change["new"]) - 1
        if slider.value > new_max:
            slider.value = new_max  # fires an update with the new layer already chosen
        slider.max = new_max
        self.update()

    def summary(self) -> str:
        layer, unit = self.controls["layer"].value, self.controls["unit"].value
        return f"layer {layer + 1} ({self.model.layers[layer].describe()}), unit {unit}"


def explore_hierarchy(model: Any, images: Any, *, layer: int | None = None, unit: int = 0, k: int = 9,
                      steps: int = 100, seed: int | None = 0, hide: Sequence[str] = (),
                      canvas: bool | None = None) -> HierarchyExplorer:
    """Pick a layer and a unit of a trained network; see its filter, its top patches and its favourite input.

    ``images`` (n, channels, h, w) or (n, h, w): the data set the top patches come from. ``layer`` is an index
    into model.layers (default: the first layer with units); ``steps`` and ``seed`` go to
    ``activation_maximization``. The browser paints the picture on a canvas (``canvas=False``: the matplotlib
    figure, live with ipympl).

    Shapes: images (n, channels, h, w) or (n, h, w) -> a HierarchyExplorer over the model's Conv2D and Dense units.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.hierarchy import shapes_cnn
        >>> images, _ = nl.datasets.shapes(n=30, seed=0)
        >>> explorer = explore_hierarchy(shapes_cnn(seed=0), images, steps=5)
        >>> explorer.controls["unit"].value = 3
        >>> explorer.summary()
        'layer 1 (Conv2D layer 1 (1 -> 8 channels, 3x3, padding 1)), unit 3'
    """
    explorer = HierarchyExplorer(model, images, layer=layer, unit=unit, k=k, steps=steps, seed=seed, canvas=canvas)
    if hide:
        explorer.hide(hide)
    return explorer

"""Explorers for the architectures tour: edit a convolution kernel, step through a recurrent net, read attention.

- ``explore_convolution``: a 3x3 grid of sliders (and a menu of classic kernels) for the kernel slid over an
  image; the output map follows.
- ``explore_rnn``: a trained recurrent model unrolled over one sequence; a step slider (and Play) reveals the
  hidden state and the answer read from it one step at a time.
- ``explore_attention``: pick a sequence and a query position; the queries, keys and attention weights follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from ..datasets import sample_image
from ..plots import _style
from ..plots.architectures import (
    KERNELS,
    attention_data,
    convolution_data,
    draw_attention,
    draw_convolution,
    draw_rnn_unrolled,
    kernel as named_kernel,
    rnn_unroll_data,
    update_attention,
    update_convolution,
    update_rnn_unrolled,
)
from ..validation import as_float_array
from .base import Explorer
from .live import CanvasPicture

__all__ = ["AttentionExplorer", "ConvolutionExplorer", "RNNExplorer", "explore_attention", "explore_convolution",
           "explore_rnn"]

CUSTOM = "custom"
KERNEL_LIMIT = 5.0  # the sliders' range: enough for every preset (sharpen's centre is 5)


def _pixel_box(ax: Any) -> list[float]:
    """Where an axes is drawn, in CSS pixels of its figure from the top left: [x, y, width, height]."""
    fig = ax.figure
    ax.apply_aspect()  # an image axes with aspect "equal" shrinks into its slot at draw time
    left, bottom, width, height = ax.get_position().bounds
    fig_width, fig_height = fig.get_size_inches() * fig.dpi
    return [float(left * fig_width), float((1 - bottom - height) * fig_height), float(width * fig_width),
            float(height * fig_height)]


def _rgba(values: np.ndarray, low: float, high: float, cmap: str) -> np.ndarray:
    """Values coloured as matplotlib's imshow colours them (row floor(256 (v - low) / (high - low)) of the map),
    NaN see-through; rows reversed, since the canvas puts row 0 at the bottom and imshow at the top.

    Shapes: values (h, w) -> (h, w, 4) uint8."""
    from ..playground import _to_index

    values = np.asarray(values, dtype=float)
    rgba = _style.colormap_lut(cmap)[_to_index(values, low, high)]
    rgba[~np.isfinite(values)] = 0
    return np.ascontiguousarray(rgba[::-1])


def _image_item(panel: int, name: str, artist: Any, shape: tuple[int, ...]) -> dict[str, Any]:
    """A canvas image item drawn where the matplotlib AxesImage ``artist`` is (its extent, rows flipped)."""
    return {"kind": "image", "panel": panel, "buffer": name, "rgba": True, "shape": [int(shape[0]), int(shape[1])],
            "extent": [float(v) for v in artist.get_extent()]}


def _panel(ax: Any, title: str = "", **extra: Any) -> dict[str, Any]:
    """A canvas panel where ``ax`` is, with its data limits (an inverted y axis stays inverted)."""
    return {"box": _pixel_box(ax), "xlim": [float(v) for v in ax.get_xlim()],
            "ylim": [float(v) for v in ax.get_ylim()], "axes": False, "title": title, **extra}


def _faded(color: str, alpha: float) -> str:
    """A '#rrggbb' colour with an alpha, as CSS: how matplotlib shows an artist with ``set_alpha``."""
    red, green, blue = (int(round(255 * c)) for c in _style.hex_to_rgb(color))
    return f"rgba({red},{green},{blue},{alpha:g})"


def _kernel_slider(value: float) -> widgets.FloatSlider:
    limit = max(KERNEL_LIMIT, abs(float(value)))  # a slider clamps silently: widen it instead
    return widgets.FloatSlider(value=float(value), min=-limit, max=limit, step=0.1, description="",
                               readout_format=".2f", continuous_update=True, layout=widgets.Layout(width="220px"))


class ConvolutionExplorer(CanvasPicture, Explorer):
    """A 3x3 kernel slid over an image: one slider per kernel weight, a menu of classic kernels.

    Controls: ``preset`` (a kernel by name, or "custom" once you move a slider away from it) and
    ``kernel_<row>_<column>`` for row, column in 0, 1, 2 (row 0 is the top of the window). The centre weight
    ``kernel_1_1`` is the control a browser test moves. The figure shows the image, the kernel with its
    numbers and the output map; the readout gives the kernel's sum and the output's range. The browser paints
    the picture on a canvas (``scene()``; ``canvas=False``, or ``live=True``: the matplotlib figure).

    Shapes: image (height, width), kernel (3, 3) -> output map (height - 2, width - 2).

    Example:
        >>> import numpy as np
        >>> image = np.zeros((4, 4)); image[:, 2:] = 1.0      # dark left half, bright right half
        >>> explorer = ConvolutionExplorer(image, "blur", live=False)
        >>> explorer.artists["output"].get_array().shape
        (2, 2)
        >>> explorer.controls["preset"].value = "vertical edges"
        >>> explorer.readout_text
        'kernel sum = 0.00 (flat areas give 0: it only sees changes);  output from 4.00 to 4.00'
    """

    title = "Convolution"

    def __init__(self, image: Any = None, kernel: Any = None, *, live: bool | None = None,
                 canvas: bool | None = None):
        # canvas (default: unless live=True asks for ipympl): the browser paints the maps from numbers, so a
        # slider drag repaints at the display's pace; the matplotlib figure stays the static picture.
        super().__init__(live=self._use_canvas(live, canvas))
        self.image = sample_image() if image is None else as_float_array(image, "image")
        if self.image.ndim != 2:
            raise ValueError(f"image must be one grey-scale picture (height, width), but got {self.image.shape}.")
        if kernel is None:
            kernel = "vertical edges"
        start = named_kernel(kernel) if isinstance(kernel, str) else as_float_array(kernel, "kernel")
        if start.shape != (3, 3):
            raise ValueError(f"The explorer has a 3x3 grid of sliders, so kernel must be (3, 3), but got "
                             f"{start.shape}.")
        self._syncing = False
        preset = self._matching_preset(start)
        self.add_control("preset", widgets.Dropdown(options=[*KERNELS, CUSTOM], value=preset, description="kernel",
                                                    layout=widgets.Layout(width="260px")),
                         on_change=self._on_preset)
        for (row, column), value in np.ndenumerate(start):
            self.add_control(f"kernel_{row}_{column}", _kernel_slider(value), on_change=self._on_weight)
        self.controls["kernel_1_1"].add_class("nnl-browser-move")
        self._build_figure()
        self.update()

    @property
    def kernel(self) -> np.ndarray:
        """The kernel the sliders hold now, (3, 3)."""
        return np.array([[self.controls[f"kernel_{r}_{c}"].value for c in range(3)] for r in range(3)])

    def compute(self):
        """The picture's data for the current kernel (the compute half)."""
        return convolution_data(self.image, self.kernel)

    @staticmethod
    def _matching_preset(values: np.ndarray) -> str:
        for name in KERNELS:
            if np.allclose(values, named_kernel(name), atol=1e-9):
                return name
        return CUSTOM

    def set_kernel(self, values: Any) -> None:
        """Put a whole (3, 3) kernel into the sliders with one redraw."""
        values = as_float_array(values, "kernel")
        if values.shape != (3, 3):
            raise ValueError(f"kernel must be (3, 3), but got {values.shape}.")
        self._syncing = True
        try:
            for (row, column), value in np.ndenumerate(values):
                slider = self.controls[f"kernel_{row}_{column}"]
                slider.min, slider.max = min(slider.min, value), max(slider.max, value)
                slider.value = float(value)
            self.controls["preset"].value = self._matching_preset(self.kernel)
        finally:
            self._syncing = False
        self.update()

    def _on_preset(self, change: dict) -> None:
        if self._syncing or change["new"] == CUSTOM:
            return
        self.set_kernel(named_kernel(change["new"]))

    def _on_weight(self, change: dict) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self.controls["preset"].value = self._matching_preset(self.kernel)
        finally:
            self._syncing = False
        self.update()

    def _build_figure(self) -> None:
        fig = self.new_figure((9.6, 3.3), dpi=90)
        axes = [fig.add_axes([0.01, 0.06, 0.3, 0.82]), fig.add_axes([0.36, 0.2, 0.2, 0.55]),
                fig.add_axes([0.6, 0.06, 0.3, 0.82])]
        self.artists = draw_convolution(axes, self.compute())

    def update(self) -> None:
        data = self.compute()
        update_convolution(self.artists, data)
        total = float(data.kernel.sum())
        meaning = "flat areas give 0: it only sees changes" if abs(total) < 1e-9 else (
            "flat areas keep their brightness" if abs(total - 1.0) < 1e-9 else
            f"flat areas are multiplied by {total:.2f}")
        self.set_readout(f"kernel sum = {total:.2f} ({meaning});  output from {data.output.min():.2f} "
                         f"to {data.output.max():.2f}")
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene(data))

    def scene(self, data: Any = None) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the image, the
        kernel with its numbers and the output map with its colour bar, in the matplotlib figure's places,
        colour maps and colour ranges.

        Shapes: image (h, w, 4), kernel (3, 3, 4), output (h - 2, w - 2, 4), colour bar (256, 1, 4): uint8 RGBA,
        rows bottom to top.
        """
        data = data or self.compute()
        fig, artists = self.figure, self.artists
        width, height = (int(round(v)) for v in fig.get_size_inches() * fig.dpi)
        image_low, image_high = artists["image"].get_clim()
        low, high = data.limits
        limit = float(np.abs(data.kernel).max()) or 1.0  # as plots.draw_matrix colours a kernel
        arrays = {"image": _rgba(data.image, image_low, image_high, "gray"),
                  "kernel": _rgba(data.kernel, -limit, limit, _style.DIVERGING),
                  "output": _rgba(data.output, low, high, "gray"),
                  "bar": _rgba(np.linspace(high, low, 256)[:, None], low, high, "gray")}
        (kh, kw), (oh, ow) = data.kernel.shape, data.output.shape
        panels = [_panel(artists["image"].axes, f"image ({data.image.shape[0]} x {data.image.shape[1]})"),
                  _panel(artists["kernel"].axes, f"kernel ({kh}, {kw})"),
                  _panel(artists["output"].axes, f"output map ({oh} x {ow})")]
        items = [_image_item(0, "image", artists["image"], data.image.shape),
                 _image_item(1, "kernel", artists["kernel"], data.kernel.shape),
                 *({"kind": "text", "panel": 1, "x": float(j), "y": float(i), "text": f"{value:.2f}", "size": 10,
                    "baseline": "middle", "color": "#ffffff" if abs(value) > 0.6 * limit else _style.TEXT_COLOR}
                   for (i, j), value in np.ndenumerate(data.kernel)),
                 _image_item(2, "output", artists["output"], data.output.shape)]
        if "colorbar" in artists:
            bar = artists["colorbar"].ax
            panels.append({"box": _pixel_box(bar), "xlim": [0.0, 1.0], "ylim": [low, high], "axes": True,
                           "xticks": [], "yticks": [], "clip": False})  # a frame, its ticks written on the right
            ticks = [float(t) for t in bar.yaxis.get_major_locator().tick_values(low, high) if low <= t <= high]
            items += [{"kind": "image", "panel": 3, "buffer": "bar", "rgba": True, "shape": [256, 1],
                       "extent": [0.0, 1.0, low, high]},
                      *({"kind": "text", "panel": 3, "x": 1.0 + 5.0 / panels[3]["box"][2], "y": t,
                         "text": f"{t:.3g}", "size": 9, "align": "left", "baseline": "middle",
                         "color": _style.MUTED_COLOR} for t in ticks)]
        return width, height, panels, items, arrays

    def control_rows(self) -> list[widgets.Widget]:
        grid = [widgets.HBox([self.controls[f"kernel_{r}_{c}"] for c in range(3)]) for r in range(3)]
        return [self.controls["preset"], *grid]

    def summary(self) -> str:
        return f"{self.controls['preset'].value} kernel on a {self.image.shape[0]}x{self.image.shape[1]} image"


def explore_convolution(image: Any = None, kernel: Any = None, *, hide: Sequence[str] = (),
                        canvas: bool | None = None) -> ConvolutionExplorer:
    """Edit a 3x3 convolution kernel with sliders and watch the output map of sliding it over an image.

    ``image``: a grey-scale (height, width) array, default ``nl.datasets.sample_image()``. ``kernel``: a name
    from ``nl.plots.KERNELS`` (default "vertical edges") or a (3, 3) array. The browser paints the picture on a
    canvas (``canvas=False``: the matplotlib figure, live with ipympl).

    Shapes: image (height, width), kernel (3, 3) -> a ConvolutionExplorer with output map (height - 2, width - 2).

    Example:
        >>> explorer = explore_convolution(kernel="blur")
        >>> explorer.controls["preset"].value = "vertical edges"     # all nine sliders follow
        >>> explorer.controls["kernel_0_2"].value
        1.0
        >>> explorer.controls["kernel_1_1"].value = 1.0              # edit one weight: now a custom kernel
        >>> explorer.controls["preset"].value
        'custom'
    """
    explorer = ConvolutionExplorer(image, kernel, canvas=canvas)
    if hide:
        explorer.hide(hide)
    return explorer


class RNNExplorer(CanvasPicture, Explorer):
    """A recurrent model unrolled over one sequence, revealed one step at a time.

    Controls: ``sample`` (which sequence), ``play`` (Play/pause: one step per frame) and ``step`` (the steps
    shown; linked with ``play``). The figure shows the chain of states with each input and the answer read from
    each state (see ``plots.rnn_unroll_data``), the hidden state as colours, and the answers against the right
    ones. The browser paints the picture on a canvas (``scene()``; ``canvas=False``, or ``live=True``: the
    matplotlib figure).

    Shapes: x (n, time, features), targets (n, time) or None -> for the chosen sequence ``data.inputs``
    (time,), ``data.hidden`` (time, hidden), ``data.answers`` (time,).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> counter = nl.Sequential([nl.SimpleRNN(1, 1, "identity"), nl.Dense(1, 1)])
        >>> for array in counter.parameters().values():
        ...     array[...] = 1.0 if array.ndim == 2 else 0.0      # h_t = h_(t-1) + x_t, output = h
        >>> explorer = RNNExplorer(counter, np.array([[[1.0], [1.0], [0.0]], [[0.0], [1.0], [1.0]]]), live=False)
        >>> explorer.data.answers.tolist()                       # running count of sequence 0
        [1.0, 2.0, 2.0]
        >>> explorer.controls["sample"].value = 1
        >>> explorer.controls["play"].value = 2                  # Play moves the linked step slider
        >>> explorer.readout_text
        'sequence 1, step 2 of 3: input 1, answer read from h2: 1.00'
    """

    title = "Recurrent network, step by step"

    def __init__(self, model: Any, x: Any, targets: Any = None, *, sample: int = 0, fill: float = 0.0,
                 live: bool | None = None, canvas: bool | None = None):
        super().__init__(live=self._use_canvas(live, canvas))
        self.model = model
        self.x = as_float_array(x, "x")
        if self.x.ndim != 3:
            raise ValueError(f"x must be sequences of shape (n, time, features), but got {self.x.shape}.")
        n, n_steps = self.x.shape[:2]
        self.targets = None if targets is None else as_float_array(targets, "targets").reshape(n, n_steps)
        self.fill = float(fill)
        self.n_steps = n_steps
        self.add_control("sample", widgets.IntSlider(value=int(sample), min=0, max=n - 1, description="sequence",
                                                     layout=widgets.Layout(width="320px")),
                         on_change=lambda change: self._new_sample())
        self.add_control("play", widgets.Play(value=n_steps, min=1, max=n_steps, step=1, interval=600,
                                              description="play"), on_change=lambda change: None)
        self.add_control("step", widgets.IntSlider(value=n_steps, min=1, max=n_steps, description="step",
                                                   layout=widgets.Layout(width="320px")),
                         on_change=lambda change: self.update())
        # Linked in the kernel, so setting either from Python (or the frontend) moves the other.
        self._link = widgets.link((self.controls["play"], "value"), (self.controls["step"], "value"))
        self.data = self.compute()
        self._build_figure()
        self.update()

    @property
    def sample(self) -> int:
        """Which sequence of the data is shown."""
        return int(self.controls["sample"].value)

    @property
    def step(self) -> int:
        """How many time steps of the sequence the unrolled picture shows."""
        return int(self.controls["step"].value)

    def compute(self):
        """The unrolled data of the chosen sequence (the compute half)."""
        targets = None if self.targets is None else self.targets[self.sample]
        return rnn_unroll_data(self.model, self.x[self.sample], targets, fill=self.fill)

    def _new_sample(self) -> None:
        self.data = self.compute()
        self.update()

    def _build_figure(self) -> None:
        fig = self.new_figure((9.0, 4.6), dpi=90)
        axes = [fig.add_axes([0.04, 0.7, 0.94, 0.27]), fig.add_axes([0.04, 0.4, 0.94, 0.27]),
                fig.add_axes([0.04, 0.1, 0.94, 0.28])]
        self.artists = draw_rnn_unrolled(axes, self.data, self.step)

    def status(self) -> str:
        """In words: the step shown, its input, and the answer the state holds."""
        data, t = self.data, self.step - 1
        text = (f"sequence {self.sample}, step {self.step} of {self.n_steps}: input {data.inputs[t]:g}, "
                f"answer read from h{self.step}: {data.answers[t]:.2f}")
        if data.targets is not None:
            text += f" (right answer so far: {data.targets[t]:g})"
        return text

    def update(self) -> None:
        update_rnn_unrolled(self.artists, self.data, self.step)
        self.set_readout(self.status())
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene())

    def scene(self, data: Any = None) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: the chain of
        states (steps not reached yet faded), the hidden states so far (nnlearn's diverging map over -1 ... 1)
        and the answers against the right ones, in the matplotlib figure's places and colours.

        Shapes: states (n_hidden, time, 4) uint8 RGBA (rows bottom to top, steps not shown see-through); boxes
        and texts (time, 2), arrows (3 time + 6 time, 4) with widths (…,), answers (step, 2), targets
        (2 time, 2): float32.
        """
        from matplotlib.cbook import pts_to_midstep

        data = data or self.data
        fig, artists = self.figure, self.artists
        width, height = (int(round(v)) for v in fig.get_size_inches() * fig.dpi)
        n_steps, n_hidden = data.hidden.shape
        step = min(max(self.step, 1), n_steps)
        t = np.arange(n_steps, dtype=float)
        seen = t < step
        chain, states, answers = (_panel(artists["boxes"][0].axes), _panel(artists["states"].axes, axes=True),
                                  _panel(artists["answer_line"].axes, axes=True, xlabel="step"))
        px = fig.dpi / 72.0  # points -> pixels
        # arrows: h(t-1) -> h(t), x(t) -> h(t), h(t) -> answer, with two short strokes as each head
        (x0, x1), (y0, y1), box = chain["xlim"], chain["ylim"], chain["box"]
        per_x, per_y = box[2] / (x1 - x0), box[3] / (y1 - y0)  # pixels per data unit
        tails = np.concatenate([np.column_stack([t - 0.66, 0 * t]), np.column_stack([t, 0 * t - 0.5]),
                                np.column_stack([t, 0 * t + 0.28])])
        tips = np.concatenate([np.column_stack([t - 0.34, 0 * t]), np.column_stack([t, 0 * t - 0.28]),
                               np.column_stack([t, 0 * t + 0.5])])
        shafts = np.column_stack([tails, tips])
        direction = (tips - tails) * [per_x, per_y]
        direction /= np.linalg.norm(direction, axis=1, keepdims=True)
        heads = []
        for turn in (np.radians(150), np.radians(-150)):  # 6 px strokes back from the tip, 30 degrees off
            rotated = direction @ np.array([[np.cos(turn), np.sin(turn)], [-np.sin(turn), np.cos(turn)]])
            heads.append(np.column_stack([tips, tips + 6.0 * rotated / [per_x, per_y]]))
        arrows = np.concatenate([shafts, *heads])
        lit = np.tile(seen, 3 * 3)
        current = t == step - 1
        shown = np.full(data.hidden.T.shape, np.nan)
        shown[:, :step] = data.hidden[:step].T
        arrays = {
            "arrows": arrows.astype(np.float32), "arrows_seen": np.where(lit, 1.0, 0.0).astype(np.float32),
            "arrows_faded": np.where(lit, 0.0, 1.0).astype(np.float32),
            "boxes": np.column_stack([t, 0 * t]).astype(np.float32),
            "inputs": np.column_stack([t, 0 * t - 0.62]).astype(np.float32),
            "answer_texts": np.column_stack([t, 0 * t + 0.62]).astype(np.float32),
            "side": np.array([[-0.85, 0.0], [-0.85, -0.62], [-0.85, 0.62]], dtype=np.float32),
            "states": _rgba(shown, -1.0, 1.0, _style.DIVERGING),
            "answers": np.column_stack([t[:step], data.answers[:step]]).astype(np.float32),
        }
        alpha = np.where(seen, 1.0, 0.25)
        items = [
            {"kind": "segments", "panel": 0, "buffer": "arrows", "widths": "arrows_seen", "color": _style.MUTED_COLOR},
            {"kind": "segments", "panel": 0, "buffer": "arrows", "widths": "arrows_faded",
             "color": _faded(_style.MUTED_COLOR, 0.25)},
            {"kind": "labels", "panel": 0, "buffer": "boxes", "texts": [f"h{k + 1}" for k in range(n_steps)],
             "size": 8 * px, "width": 0.68, "height": 0.54, "round": 2,
             "fills": [_faded("#eef3fa", a) for a in alpha], "edges": [_faded(_style.POSITIVE, a) for a in alpha],
             "edge_widths": [(2.6 if c else 1.2) * px for c in current],
             "colors": [_faded(_style.TEXT_COLOR, a) for a in alpha]},
            {"kind": "labels", "panel": 0, "buffer": "inputs", "texts": [a.get_text() for a in artists["inputs"]],
             "size": 8 * px, "colors": [_faded(_style.TEXT_COLOR, a) for a in alpha]},
            {"kind": "labels", "panel": 0, "buffer": "answer_texts", "size": 8 * px, "bold": True,
             "texts": [a.get_text() for a in artists["answers"]], "colors": _style.POSITIVE},
            {"kind": "labels", "panel": 0, "buffer": "side", "texts": ["h0 = 0", "input", "answer"], "size": 7 * px,
             "colors": _style.MUTED_COLOR},
            _image_item(1, "states", artists["states"], shown.shape),
            {"kind": "text", "panel": 1, "x": -0.85, "y": (n_hidden + 1) / 2, "text": "hidden", "size": 7 * px,
             "baseline": "bottom", "color": _style.MUTED_COLOR},
            {"kind": "text", "panel": 1, "x": -0.85, "y": (n_hidden + 1) / 2, "text": "state", "size": 7 * px,
             "baseline": "top", "color": _style.MUTED_COLOR},
        ]
        states.update(xticks=[], yticks=[float(v) for v in artists["states"].axes.get_yticks()])  # no "unit": no room
        # the answers: steps numbered from 1 under the axis, the right answers as steps, a legend at the top left
        (a0, a1), (b0, b1), box = answers["xlim"], answers["ylim"], answers["box"]
        below = b0 - 12.0 * (b1 - b0) / box[3]
        answers.update(xticks=[], yticks=[float(v) for v in artists["answer_line"].axes.yaxis.get_major_locator()
                                          .tick_values(b0, b1) if b0 <= v <= b1])
        items += [{"kind": "text", "panel": 2, "x": float(k), "y": below, "text": str(k + 1), "size": 10,
                   "color": _style.MUTED_COLOR} for k in range(n_steps)]
        answers["clip"] = False
        legend = []
        if data.targets is not None:
            arrays["targets"] = np.column_stack(pts_to_midstep(t, data.targets)).astype(np.float32)
            items.append({"kind": "line", "panel": 2, "buffer": "targets", "color": _style.MUTED_COLOR,
                          "width": 1.5 * px})
            legend.append(("right answer so far", _style.MUTED_COLOR))
        items += [{"kind": "line", "panel": 2, "buffer": "answers", "color": _style.POSITIVE, "width": 1.5 * px},
                  {"kind": "markers", "panel": 2, "buffer": "answers", "color": _style.POSITIVE, "radius": 2 * px}]
        legend.append(("answer read from the state", _style.POSITIVE))
        for k, (label, color) in enumerate(legend):
            y = b1 - (14.0 + 13.0 * k) * (b1 - b0) / box[3]  # 14, 27 pixels under the top
            x_start, x_end = a0 + 8.0 * (a1 - a0) / box[2], a0 + 28.0 * (a1 - a0) / box[2]
            arrays[f"legend_{k}"] = np.array([[x_start, y], [x_end, y]], dtype=np.float32)
            if color == _style.POSITIVE:  # the answers' line has dots
                arrays[f"legend_{k}_dot"] = np.array([[(x_start + x_end) / 2, y]], dtype=np.float32)
            items += [{"kind": "line", "panel": 2, "buffer": f"legend_{k}", "color": color, "width": 1.5 * px},
                      *([{"kind": "markers", "panel": 2, "buffer": f"legend_{k}_dot", "color": color,
                          "radius": 2 * px}] if color == _style.POSITIVE else []),
                      {"kind": "text", "panel": 2, "x": a0 + 34.0 * (a1 - a0) / box[2], "y": y, "text": label,
                       "size": 7 * px, "align": "left", "baseline": "middle", "color": _style.TEXT_COLOR}]
        return width, height, [chain, states, answers], items, arrays

    def summary(self) -> str:
        return f"sequence {self.sample} of {len(self.x)}, step {self.step} of {self.n_steps}"


def explore_rnn(model: Any, x: Any, targets: Any = None, *, sample: int = 0, fill: float = 0.0,
                hide: Sequence[str] = (), canvas: bool | None = None) -> RNNExplorer:
    """Step through a trained recurrent model on one sequence: its hidden state and the answer it holds.

    ``model``: an ``nl.Sequential`` whose first layer is an ``nl.SimpleRNN``; ``x`` (n, time, features) the
    sequences to choose from; ``targets`` (n, time), optional: the right answer after each step, drawn for
    comparison. The answer after step t is the model's output for the sequence cut there and filled up with
    ``fill`` (0 adds nothing to a count). The browser paints the picture on a canvas (``canvas=False``: the
    matplotlib figure, live with ipympl).

    Shapes: x (n, time, features), targets (n, time) or None -> an RNNExplorer with one step per time step.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> counter = nl.Sequential([nl.SimpleRNN(1, 1, "identity"), nl.Dense(1, 1)])
        >>> for array in counter.parameters().values():
        ...     array[...] = 1.0 if array.ndim == 2 else 0.0      # h_t = h_(t-1) + x_t, output = h
        >>> explorer = explore_rnn(counter, np.array([[[1.0], [0.0], [1.0]]]))
        >>> explorer.controls["step"].value = 2
        >>> explorer.readout_text
        'sequence 0, step 2 of 3: input 0, answer read from h2: 1.00'
    """
    explorer = RNNExplorer(model, x, targets, sample=sample, fill=fill, canvas=canvas)
    if hide:
        explorer.hide(hide)
    return explorer


class AttentionExplorer(CanvasPicture, Explorer):
    """Queries, keys and attention weights of a model's self-attention layer, one sequence at a time.

    Controls: ``sample`` (which sequence) and ``query`` (which row, i.e. which position's question, to pick
    out). The readout says where the picked row puts most of its weight and what the model answers. The
    browser paints the picture on a canvas (``scene()``; ``canvas=False``, or ``live=True``: the matplotlib
    figure).

    Shapes: x (n, time, features), y (n,) or None -> for the chosen sequence the attention weights (time, time),
    queries and keys (time, n_dims).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> layer = nl.SelfAttention(2)
        >>> layer.query_weights[:] = 0.0                   # every score 0: each row spreads its weight evenly
        >>> explorer = AttentionExplorer(nl.Sequential([layer]), np.ones((2, 3, 2)), live=False)
        >>> explorer.artists["weights"].get_array().shape
        (3, 3)
        >>> explorer.controls["query"].value = 0
        >>> explorer.readout_text
        'row 0 (0) puts 0.33 of its weight on 0'
    """

    title = "Self-attention"

    def __init__(self, model: Any, x: Any, y: Any = None, *, labels: Any = None, class_names: Any = None,
                 sample: int = 0, query: int = -1, live: bool | None = None, canvas: bool | None = None):
        super().__init__(live=self._use_canvas(live, canvas))
        self.model = model
        self.x = as_float_array(x, "x")
        if self.x.ndim != 3:
            raise ValueError(f"x must be sequences of shape (n, time, features), but got {self.x.shape}.")
        n, n_steps = self.x.shape[:2]
        self.y = None if y is None else np.asarray(y).reshape(-1)
        self.labels = labels
        self.class_names = None if class_names is None else [str(name) for name in class_names]
        self.add_control("sample", widgets.IntSlider(value=int(sample), min=0, max=n - 1, description="sequence",
                                                     layout=widgets.Layout(width="320px")))
        self.add_control("query", widgets.IntSlider(value=int(query) % n_steps, min=0, max=n_steps - 1,
                                                    description="query row", layout=widgets.Layout(width="320px")))
        self._build_figure()
        self.update()

    def compute(self):
        """The attention picture's data for the chosen sequence and row (the compute half)."""
        return attention_data(self.model, self.x, self.controls["sample"].value, self.controls["query"].value,
                              self.labels)

    def _build_figure(self) -> None:
        fig = self.new_figure((10.0, 3.9), dpi=90)
        axes = [fig.add_axes([0.07, 0.2, 0.2, 0.7]), fig.add_axes([0.36, 0.2, 0.2, 0.7]),
                fig.add_axes([0.66, 0.2, 0.3, 0.7])]
        self.data = self.compute()
        self.artists = draw_attention(axes, self.data)

    def _class_name(self, index: int) -> str:
        return self.class_names[index] if self.class_names else str(index)

    def status(self) -> str:
        """In words: where the picked row looks, and the model's answer."""
        data, row = self.data, self.data.query
        top = int(data.weights[row].argmax())
        text = (f"row {row} ({data.labels[row]}) puts {data.weights[row, top]:.2f} of its weight on "
                f"{data.labels[top]}")
        if data.outputs.ndim == 1 and data.outputs.size > 1:  # class probabilities
            answer = int(data.outputs.argmax())
            text += f";  model answer: {self._class_name(answer)} (probability {data.outputs[answer]:.2f})"
            if self.y is not None:
                right = int(self.y[self.controls["sample"].value])
                text += ", right" if answer == right else f", wrong (right: {self._class_name(right)})"
        return text

    def update(self) -> None:
        self.data = self.compute()
        update_attention(self.artists, self.data)
        self.set_readout(self.status())
        self.redraw()
        if self.canvas is not None:
            self.canvas.show(*self.scene(self.data))

    def scene(self, data: Any = None) -> tuple[int, int, list[dict], list[dict], dict[str, np.ndarray]]:
        """The picture as a canvas scene (width, height, panels, items, arrays) for the browser: queries, keys
        (nnlearn's diverging map over +-their largest size) and the attention weights (viridis over 0 ... 1) with
        the picked row outlined, in the matplotlib figure's places.

        Shapes: queries and keys (time, n_dims, 4), weights (time, time, 4): uint8 RGBA, rows bottom to top;
        the outlines (5, 2) float32.
        """
        data = data or self.compute()
        fig, artists = self.figure, self.artists
        width, height = (int(round(v)) for v in fig.get_size_inches() * fig.dpi)
        n_steps, row = data.n_steps, data.query
        reach = float(max(np.abs(data.query_vectors).max(), np.abs(data.key_vectors).max())) or 1.0
        arrays = {"queries": _rgba(data.query_vectors, -reach, reach, _style.DIVERGING),
                  "keys": _rgba(data.key_vectors, -reach, reach, _style.DIVERGING),
                  "weights": _rgba(data.weights, 0.0, 1.0, _style.SEQUENTIAL)}
        panels, items = [], []
        for k, (name, values) in enumerate((("queries", data.query_vectors), ("keys", data.key_vectors))):
            panels.append(_panel(artists[name].axes, f"{name} ({values.shape[0]} x {values.shape[1]})", axes=True,
                                 xticks=[], yticks=[], xlabel="dimension"))
            items.append(_image_item(k, name, artists[name], values.shape))
        panels.append(_panel(artists["weights_axes"], "attention weights", axes=True, xticks=[], yticks=[],
                             xlabel="", ylabel="asking (query)"))
        items.append(_image_item(2, "weights", artists["weights"], data.weights.shape))
        dims = data.query_vectors.shape[1]
        arrays["query_outline"] = np.array([[-0.5, row - 0.5], [dims - 0.5, row - 0.5], [dims - 0.5, row + 0.5],
                                            [-0.5, row + 0.5], [-0.5, row - 0.5]], dtype=np.float32)
        arrays["weights_outline"] = np.array([[-0.5, row - 0.5], [n_steps - 0.5, row - 0.5],
                                              [n_steps - 0.5, row + 0.5], [-0.5, row + 0.5], [-0.5, row - 0.5]],
                                             dtype=np.float32)
        items += [{"kind": "line", "panel": 0, "buffer": "query_outline", "color": "#000000", "width": 2.0},
                  {"kind": "line", "panel": 2, "buffer": "weights_outline", "color": "#d62728", "width": 2.0}]
        if artists["texts"]:
            items += [{"kind": "text", "panel": 2, "x": float(j), "y": float(i), "text": f"{value:.2f}".lstrip("0"),
                       "size": 8, "baseline": "middle", "color": "#000000" if value > 0.6 else "#ffffff"}
                      for (i, j), value in np.ndenumerate(data.weights) if value >= 0.05]
        # the names of the positions, as the tick labels: left of each panel's rows, under the weights' columns
        for k in range(3):
            box, (x0, x1) = panels[k]["box"], panels[k]["xlim"]
            left = x0 - 4.0 * (x1 - x0) / box[2]  # 4 pixels left of the panel
            items += [{"kind": "text", "panel": k, "x": left, "y": float(t), "text": label, "size": 9,
                       "align": "right", "baseline": "middle", "color": _style.MUTED_COLOR}
                      for t, label in enumerate(data.labels)]
            panels[k]["clip"] = False
        bottom = panels[2]["ylim"][0] + 6.0 * abs(panels[2]["ylim"][0] - panels[2]["ylim"][1]) / panels[2]["box"][3]
        items += [{"kind": "text", "panel": 2, "x": float(t), "y": bottom, "text": label, "size": 9,
                   "baseline": "top", "color": _style.MUTED_COLOR} for t, label in enumerate(data.labels)]
        items.append({"kind": "text", "panel": 2, "coords": "axes", "x": 0.5, "y": -0.16, "text": "looked at (key)",
                      "size": 10, "color": _style.MUTED_COLOR})
        return width, height, panels, items, arrays

    def summary(self) -> str:
        return f"sequence {self.controls['sample'].value}, query row {self.controls['query'].value}"


def explore_attention(model: Any, x: Any, y: Any = None, *, labels: Any = None, class_names: Any = None,
                      sample: int = 0, query: int = -1, hide: Sequence[str] = (),
                      canvas: bool | None = None) -> AttentionExplorer:
    """Look inside a self-attention layer: pick a sequence and a query row, see queries, keys and weights.

    ``model``: an ``nl.Sequential`` with an ``nl.SelfAttention`` layer; ``x`` (n, time, features) the
    sequences; ``y`` (n,), optional, the right answers; ``labels`` a name per position or one list per
    sequence (``nl.plots.lookup_tokens(x, n_symbols)`` for the lookup task); ``class_names`` names for the
    model's classes. The browser paints the picture on a canvas (``canvas=False``: the matplotlib figure, live
    with ipympl).

    Shapes: x (n, time, features), y (n,) or None -> an AttentionExplorer with weights (time, time).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> layer = nl.SelfAttention(2)
        >>> layer.query_weights[:] = 0.0              # every score 0: plain averages
        >>> explorer = explore_attention(nl.Sequential([layer]), np.ones((2, 4, 2)))
        >>> explorer.readout_text
        'row 3 (3) puts 0.25 of its weight on 0'
    """
    explorer = AttentionExplorer(model, x, y, labels=labels, class_names=class_names, sample=sample, query=query,
                                 canvas=canvas)
    if hide:
        explorer.hide(hide)
    return explorer

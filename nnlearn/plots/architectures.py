"""Pictures of four architectures: a convolution, a recurrent net unrolled, an attention matrix, an embedding map.

Compute (NumPy only, no matplotlib):

- ``convolve2d(image, kernel)``: one image, one kernel, through ``nl.Conv2D``'s own forward pass; ``KERNELS``
  and ``kernel(name)``: classic 3x3 kernels (edges, blur, sharpen ...); ``convolution_data``.
- ``rnn_unroll_data(model, sequence)``: every step's hidden state of a recurrent model, and the answer the
  model reads from each of them.
- ``lookup_tokens(x, n_symbols)``: readable names for the tokens of ``nl.datasets.lookup_task``;
  ``attention_data(model, x, sample)``: queries, keys and the attention weights for one sequence.
- ``embedding_map_data(vectors, ...)``: learned vectors as points of a 2-D map.

Draw: ``kernel_gallery_figure``, ``draw_convolution`` / ``update_convolution``,
``draw_rnn_unrolled`` / ``update_rnn_unrolled``,
``draw_attention`` / ``update_attention``, ``draw_embedding_map``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..attention import SelfAttention
from ..conv import Conv2D
from ..recurrent import SimpleRNN
from ..validation import as_float_array, check_int_pair, unknown_name
from . import _style
from ._grid import PlotData

__all__ = [
    "KERNELS", "AttentionData", "ConvolutionData", "EmbeddingMapData", "RNNUnrollData",
    "attention_data", "convolution_data", "convolve2d", "draw_attention", "draw_convolution",
    "draw_embedding_map", "draw_rnn_unrolled", "embedding_map_data", "kernel", "kernel_gallery_figure",
    "lookup_tokens",
    "rnn_unroll_data", "update_attention", "update_convolution", "update_rnn_unrolled",
]

# ----------------------------------------------------------------------------------------------- convolution

# Classic hand-made 3x3 kernels. Row 0 is the top of the window, as in the image.
KERNELS: dict[str, tuple[tuple[float, ...], ...]] = {
    "identity": ((0, 0, 0), (0, 1, 0), (0, 0, 0)),
    "vertical edges": ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)),      # Sobel: right minus left
    "horizontal edges": ((-1, -2, -1), (0, 0, 0), (1, 2, 1)),    # Sobel: below minus above
    "blur": ((1 / 9, 1 / 9, 1 / 9), (1 / 9, 1 / 9, 1 / 9), (1 / 9, 1 / 9, 1 / 9)),
    "sharpen": ((0, -1, 0), (-1, 5, -1), (0, -1, 0)),
    "outline": ((-1, -1, -1), (-1, 8, -1), (-1, -1, -1)),
    "emboss": ((-2, -1, 0), (-1, 1, 1), (0, 1, 2)),
}


def kernel(name: str) -> np.ndarray:
    """A fresh copy of one of the named 3x3 kernels in ``KERNELS``.

    Shapes: returns (3, 3).

    Example:
        >>> kernel("vertical edges")
        array([[-1.,  0.,  1.],
               [-2.,  0.,  2.],
               [-1.,  0.,  1.]])
    """
    if name not in KERNELS:
        raise unknown_name("kernel", name, KERNELS)
    return np.array(KERNELS[name], dtype=float)


def _check_image(image: Any, name: str = "image") -> np.ndarray:
    image = as_float_array(image, name)
    if image.ndim != 2:
        raise ValueError(f"{name} must be one grey-scale picture of shape (height, width), but got {image.shape}. "
                         "For one channel of a batch use images[k, 0].")
    return image


def convolve2d(image: Any, kernel: Any, padding: int = 0) -> np.ndarray:
    """Slide ``kernel`` over ``image``: output[i, j] = sum over (a, b) of kernel[a, b] * image[i + a, j + b].

    Computed by an ``nl.Conv2D(1, 1, kernel.shape)`` layer holding the kernel as its weights (bias 0), so this
    is exactly what a convolutional network's first layer does. Like every deep-learning library it does not
    flip the kernel (mathematicians call this cross-correlation). ``padding`` adds that many rows and columns of
    zeros around the image first; without it the output is smaller by kernel size - 1.

    Shapes: image (height, width), kernel (kh, kw) -> (height + 2 * padding - kh + 1, width + 2 * padding - kw + 1).

    Example:
        >>> import numpy as np
        >>> image = np.array([[0, 0, 1, 1]] * 3, dtype=float)    # dark left half, bright right half
        >>> convolve2d(image, [[-1, 0, 1]] * 3)                   # right minus left, in each of the 3 rows
        array([[3., 3.]])
    """
    image = _check_image(image)
    kernel = as_float_array(kernel, "kernel")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be a 2-D grid of weights such as a (3, 3) array, but got shape {kernel.shape}.")
    padding = check_int_pair(padding, "padding", minimum=0)
    layer = Conv2D(1, 1, kernel.shape, padding=padding)
    layer.weights[0, 0] = kernel
    layer.bias[:] = 0.0
    return layer.forward(image[None, None])[0, 0]


def _output_limits(output: np.ndarray) -> tuple[float, float]:
    """Colour range of a feature map, ignoring the brightest and darkest 0.5% of pixels (a few extremes would
    otherwise grey out the rest). A map centred on 0 (edges: flat areas give 0) gets a range symmetric around
    0, so mid-grey means 0; a map of brightnesses (blur, sharpen) gets its own low ... high."""
    reach = float(np.abs(output).max())
    if reach < 1e-12:
        return (-1.0, 1.0)  # an all-zero map: mid-grey
    if np.median(output) > 0.1 * reach:
        low, high = (float(v) for v in np.percentile(output, [0.5, 99.5]))
        return (low, high) if high > low else (low - 0.5, high + 0.5)
    reach = float(np.percentile(np.abs(output), 99.5)) or reach
    return (-reach, reach)


@dataclass
class ConvolutionData(PlotData):
    """An image, a kernel and the output map of sliding the kernel over it; ``limits`` is the output's colour range.

    Shapes: image (h, w), kernel (kh, kw), output (h - kh + 1, w - kw + 1) without padding; limits (low, high).

    Example:
        >>> image = np.array([[0, 0, 0, 1, 1]] * 4, dtype=float)    # dark on the left, bright on the right
        >>> data = convolution_data(image, kernel("vertical edges"))
        >>> data.output.tolist()    # 0 where the window is flat; 1 + 2 + 1 = 4 where it holds the edge
        [[0.0, 4.0, 4.0], [0.0, 4.0, 4.0]]
    """

    image: np.ndarray
    kernel: np.ndarray
    output: np.ndarray
    limits: tuple[float, float]


def convolution_data(image: Any, kernel: Any, padding: int = 0) -> ConvolutionData:
    """Everything ``draw_convolution`` shows: the image, the kernel and ``convolve2d(image, kernel)``.

    Shapes: image (h, w), kernel (kh, kw) -> output (h - kh + 1, w - kw + 1) without padding.

    Example:
        >>> import numpy as np
        >>> data = convolution_data(np.eye(4), np.ones((3, 3)))
        >>> data.output                   # each 3x3 window holds 3, 2, 2, 3 ones of the diagonal
        array([[3., 2.],
               [2., 3.]])
    """
    image = _check_image(image)
    kernel = as_float_array(kernel, "kernel")
    output = convolve2d(image, kernel, padding)
    return ConvolutionData(image=image, kernel=kernel, output=output, limits=_output_limits(output))


def _update_matrix(artists: dict[str, Any], values: np.ndarray, digits: int = 2) -> None:
    """Put new numbers into a grid drawn by ``plots.draw_matrix`` (same shape), rescaling its colours."""
    limit = float(np.abs(values).max()) or 1.0
    artists["image"].set_data(values)
    artists["image"].set_clim(-limit, limit)
    for text, value in zip(artists["texts"], values.ravel()):
        text.set_text(f"{value:.{digits}f}")
        text.set_color("white" if abs(value) > 0.6 * limit else _style.TEXT_COLOR)


def draw_convolution(axes: Any, data: ConvolutionData, *, colorbar: bool = True) -> dict[str, Any]:
    """Draw the image, the kernel (its numbers written in) and the output map on three axes.

    Returns 'image', 'kernel' (the AxesImage of the kernel), 'kernel_texts', 'output' (AxesImage) and, with
    ``colorbar``, 'colorbar'. Dark is low, light is high; in a map centred on 0 mid-grey is 0.

    Shapes: the arrays of data (see ConvolutionData) on three axes -> dict of artists.

    Example:
        >>> from nnlearn.plots import figure
        >>> image = np.array([[0, 0, 0, 1, 1]] * 4, dtype=float)
        >>> artists = draw_convolution(figure().subplots(1, 3), convolution_data(image, kernel("vertical edges")))
        >>> artists["output"].get_array().tolist(), [text.get_text() for text in artists["kernel_texts"][:3]]
        ([[0.0, 4.0, 4.0], [0.0, 4.0, 4.0]], ['-1.00', '0.00', '1.00'])
    """
    from .layers import draw_matrix

    image_ax, kernel_ax, output_ax = axes
    for ax in (image_ax, output_ax):
        _style.style_axes(ax, frame=False)
        ax.set_xticks([])
        ax.set_yticks([])
    image = image_ax.imshow(data.image, cmap="gray", vmin=0.0, vmax=max(1.0, float(data.image.max())),
                            interpolation="nearest")
    height, width = data.image.shape
    image_ax.set_title(f"image ({height} x {width})", fontsize=9, color=_style.TEXT_COLOR)
    grid = draw_matrix(kernel_ax, data.kernel, "kernel")
    kernel_ax.set_xticks([])
    kernel_ax.set_yticks([])
    output = output_ax.imshow(data.output, cmap="gray", vmin=data.limits[0], vmax=data.limits[1],
                              interpolation="nearest")
    out_height, out_width = data.output.shape
    output_ax.set_title(f"output map ({out_height} x {out_width})", fontsize=9, color=_style.TEXT_COLOR)
    artists = {"image": image, "kernel": grid["image"], "kernel_texts": grid["texts"], "output": output}
    if colorbar:
        bar = output_ax.figure.colorbar(output, ax=output_ax, fraction=0.046, pad=0.03)
        bar.ax.tick_params(labelsize=7, colors=_style.MUTED_COLOR)
        artists["colorbar"] = bar
    return artists


def update_convolution(artists: dict[str, Any], data: ConvolutionData) -> None:
    """Show a new kernel and its output map (same shapes) in the artists of ``draw_convolution``.

    Shapes: dict of artists, the arrays of data (see ConvolutionData; same shapes) -> None (in place).

    Example:
        >>> from nnlearn.plots import figure
        >>> image = np.array([[0, 0, 0, 1, 1]] * 4, dtype=float)
        >>> artists = draw_convolution(figure().subplots(1, 3), convolution_data(image, kernel("vertical edges")))
        >>> update_convolution(artists, convolution_data(image, kernel("horizontal edges")))
        >>> artists["output"].get_array().tolist()    # the edge is vertical: nothing changes from top to bottom
        [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
        >>> [text.get_text() for text in artists["kernel_texts"][:3]]
        ['-1.00', '-2.00', '-1.00']
    """
    artists["image"].set_data(data.image)
    _update_matrix({"image": artists["kernel"], "texts": artists["kernel_texts"]}, data.kernel)
    artists["output"].set_data(data.output)
    artists["output"].set_clim(*data.limits)  # the colour bar follows its image


def kernel_gallery_figure(image: Any, names: Any = ("blur", "sharpen", "vertical edges", "horizontal edges"),
                          *, figsize: tuple[float, float] = (9.5, 4.2), dpi: float = 90) -> Any:
    """Several kernels side by side: each kernel (numbers written in) above its output map on ``image``.

    The first column shows the image itself. ``names`` are keys of ``KERNELS`` or (name, (3, 3) array) pairs.
    Returns a matplotlib Figure (shown as a picture when it is the last value of a notebook cell).

    Shapes: image (h, w), each kernel (kh, kw) -> a Figure: the image, then a kernel above each output map.

    Example:
        >>> fig = kernel_gallery_figure(np.eye(5), names=("blur", "vertical edges"))
        >>> [ax.get_title() for ax in fig.axes if ax.get_title()]    # the diagonal blurred, then its two sides
        ['the image', 'blur', 'output: 0.1 ... 0.3', 'vertical edges', 'output: -2.0 ... 2.0']
    """
    from .layers import draw_matrix

    image = _check_image(image)
    chosen = [(name, kernel(name)) if isinstance(name, str) else (str(name[0]), as_float_array(name[1], "kernel"))
              for name in names]
    fig = _style.figure(figsize, dpi)
    columns = len(chosen) + 1
    grid = fig.add_gridspec(2, columns, height_ratios=[1, 2.2], left=0.01, right=0.99, bottom=0.02, top=0.9,
                            wspace=0.08, hspace=0.25)
    image_ax = fig.add_subplot(grid[1, 0])
    image_ax.imshow(image, cmap="gray", vmin=0.0, vmax=max(1.0, float(image.max())), interpolation="nearest")
    image_ax.set_title("the image", fontsize=9, color=_style.TEXT_COLOR)
    fig.add_subplot(grid[0, 0]).axis("off")
    for column, (name, values) in enumerate(chosen, start=1):
        kernel_ax = fig.add_subplot(grid[0, column])
        draw_matrix(kernel_ax, values, digits=1 if np.allclose(values, np.round(values, 1)) else 2)
        kernel_ax.set_title(name, fontsize=9, color=_style.TEXT_COLOR)
        kernel_ax.set_xticks([])
        kernel_ax.set_yticks([])
        output = convolve2d(image, values)
        limits = _output_limits(output)
        output_ax = fig.add_subplot(grid[1, column])
        output_ax.imshow(output, cmap="gray", vmin=limits[0], vmax=limits[1], interpolation="nearest")
        output_ax.set_title(f"output: {output.min():.1f} ... {output.max():.1f}", fontsize=8,
                            color=_style.MUTED_COLOR)
    for ax in fig.axes:
        if ax.images and ax.images[0].get_array().shape != (3, 3):
            _style.style_axes(ax, frame=False)
            ax.set_xticks([])
            ax.set_yticks([])
    return fig


# ------------------------------------------------------------------------------------------------- recurrent


@dataclass
class RNNUnrollData(PlotData):
    """One sequence through a recurrent model, step by step.

    ``inputs[t]`` is the input at step t (first feature), ``hidden[t]`` the state h_(t+1) after it,
    ``answers[t]`` the model's answer read from that state (see ``rnn_unroll_data``), ``targets[t]`` the right
    answer so far when known (else None).

    Shapes: inputs (time,), hidden (time, n_hidden), answers (time,), targets (time,) or None.

    Example:
        >>> import nnlearn as nl
        >>> counter = nl.Sequential([nl.SimpleRNN(1, 1, "identity"), nl.Dense(1, 1)])
        >>> for array in counter.parameters().values():
        ...     array[...] = 1.0 if array.ndim == 2 else 0.0      # h_t = h_(t-1) + x_t: it counts the ones
        >>> data = rnn_unroll_data(counter, [1, 0, 1, 1], targets=[1, 1, 2, 3])
        >>> data.n_steps, data.hidden.shape, data.answers.tolist()
        (4, (4, 1), [1.0, 1.0, 2.0, 3.0])
    """

    inputs: np.ndarray
    hidden: np.ndarray
    answers: np.ndarray
    targets: np.ndarray | None
    fill: float

    @property
    def n_steps(self) -> int:
        """The number of time steps (the length of ``inputs``)."""
        return len(self.inputs)


def _recurrent_layer(model: Any) -> SimpleRNN:
    layers = getattr(model, "layers", None)
    if not layers or not isinstance(layers[0], SimpleRNN):
        raise ValueError("rnn_unroll_data expects a model whose first layer is an nl.SimpleRNN, such as "
                         "nl.Sequential([nl.SimpleRNN(1, 8), nl.Dense(8, 1)]).")
    return layers[0]


def rnn_unroll_data(model: Any, sequence: Any, targets: Any = None, *, fill: float = 0.0) -> RNNUnrollData:
    """Run one sequence through a recurrent model and keep every step's hidden state and answer.

    The answer after step t is what the model outputs for the sequence cut after step t, with every later step
    set to ``fill``. For counting ones, a 0 adds nothing, so that answer is the count the state h_t holds.
    Answers are the model's single output, or the predicted class when it has several.

    Shapes: sequence (time, features) (or (time,) for one feature), targets (time,) ->
    inputs (time,), hidden (time, n_hidden), answers (time,).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> counter = nl.Sequential([nl.SimpleRNN(1, 1, "identity"), nl.Dense(1, 1)])
        >>> for array in counter.parameters().values():
        ...     array[...] = 1.0 if array.ndim == 2 else 0.0      # h_t = h_(t-1) + x_t, output = h
        >>> data = rnn_unroll_data(counter, [1, 0, 1, 1])
        >>> data.hidden[:, 0], data.answers
        (array([1., 1., 2., 3.]), array([1., 1., 2., 3.]))
    """
    rnn = _recurrent_layer(model)
    sequence = as_float_array(sequence, "sequence")
    if sequence.ndim == 1:
        sequence = sequence[:, None]
    if sequence.ndim != 2 or sequence.shape[1] != rnn.n_inputs:
        raise ValueError(f"sequence must be one sequence of shape (time, {rnn.n_inputs}), but got "
                         f"{sequence.shape}. For sample k of a data set x (n, time, features) use x[k].")
    n_steps = len(sequence)
    # Row t of this batch is the sequence cut after step t and filled up: one forward pass gives every answer.
    cut = np.repeat(sequence[None], n_steps, axis=0)
    later = np.arange(n_steps)[None, :] > np.arange(n_steps)[:, None]
    cut[later] = fill
    outputs = np.asarray(model.predict(cut))
    answers = outputs[:, 0] if outputs.shape[1] == 1 else outputs.argmax(axis=1).astype(float)
    hidden = rnn.hidden_states[-1].copy()  # the last row was not cut: the states of the sequence itself
    if targets is not None:
        targets = as_float_array(targets, "targets").reshape(-1)
        if len(targets) != n_steps:
            raise ValueError(f"targets must hold one right answer per step ({n_steps}), but got {len(targets)}.")
    return RNNUnrollData(inputs=sequence[:, 0].copy(), hidden=hidden, answers=answers, targets=targets,
                         fill=float(fill))


def _shown_step(data: RNNUnrollData, step: int | None) -> int:
    return data.n_steps if step is None else int(np.clip(step, 1, data.n_steps))


def _format_number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _one_decimal(value: float) -> str:
    """``value`` with one decimal; a small negative number that rounds to zero reads "0.0", not "-0.0"."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def draw_rnn_unrolled(axes: Any, data: RNNUnrollData, step: int | None = None) -> dict[str, Any]:
    """Draw a recurrent model unrolled over one sequence, up to ``step`` (1..time; default every step).

    Three axes, one column per step: the chain of states h_1 ... h_T with the input under each and the answer
    read from it above; the hidden state as colours (one row per unit, tanh's range -1 ... 1); the answers
    against the right answers. Returns the artists for ``update_rnn_unrolled``.

    Shapes: the arrays of data (see RNNUnrollData) on three axes -> dict of artists (one box per step).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> counter = nl.Sequential([nl.SimpleRNN(1, 1, "identity"), nl.Dense(1, 1)])
        >>> for array in counter.parameters().values():
        ...     array[...] = 1.0 if array.ndim == 2 else 0.0      # h_t = h_(t-1) + x_t: it counts the ones
        >>> data = rnn_unroll_data(counter, [1, 0, 1, 1])
        >>> artists = draw_rnn_unrolled(figure().subplots(3, 1), data, step=2)
        >>> [text.get_text() for text in artists["answers"]]    # only the first two steps are shown so far
        ['1.0', '1.0', '', '']
    """
    from matplotlib.patches import FancyBboxPatch

    chain_ax, states_ax, answers_ax = axes
    n_steps, n_hidden = data.hidden.shape
    steps = np.arange(n_steps)

    _style.style_axes(chain_ax, frame=False)
    chain_ax.set_xlim(-1.2, n_steps - 0.5)
    chain_ax.set_ylim(-1.0, 1.05)
    chain_ax.set_xticks([])
    chain_ax.set_yticks([])
    chain_ax.text(-0.85, 0.0, "h0 = 0", ha="center", va="center", fontsize=7, color=_style.MUTED_COLOR)
    boxes, arrows, input_texts, answer_texts, state_texts = [], [], [], [], []
    for t in steps:
        box = FancyBboxPatch((t - 0.32, -0.25), 0.64, 0.5, boxstyle="round,pad=0.02", facecolor="#eef3fa",
                             edgecolor=_style.POSITIVE, linewidth=1.2)
        chain_ax.add_patch(box)
        boxes.append(box)
        state_texts.append(chain_ax.text(t, 0.0, f"h{t + 1}", ha="center", va="center", fontsize=8,
                                         color=_style.TEXT_COLOR))
        arrow_style = {"arrowstyle": "->", "color": _style.MUTED_COLOR, "lw": 1.0}
        # h_(t-1) -> h_t, x_t -> h_t and h_t -> answer: the three roads through one step
        arrows.append([chain_ax.annotate("", xy=(t - 0.34, 0.0), xytext=(t - 0.66, 0.0), arrowprops=arrow_style),
                       chain_ax.annotate("", xy=(t, -0.28), xytext=(t, -0.5), arrowprops=arrow_style),
                       chain_ax.annotate("", xy=(t, 0.5), xytext=(t, 0.28), arrowprops=arrow_style)])
        input_texts.append(chain_ax.text(t, -0.62, f"x={_format_number(data.inputs[t])}", ha="center", va="center",
                                         fontsize=8, color=_style.TEXT_COLOR))
        answer_texts.append(chain_ax.text(t, 0.62, "", ha="center", va="center", fontsize=8,
                                          color=_style.POSITIVE, fontweight="bold"))
    chain_ax.text(-0.85, -0.62, "input", ha="center", va="center", fontsize=7, color=_style.MUTED_COLOR)
    chain_ax.text(-0.85, 0.62, "answer", ha="center", va="center", fontsize=7, color=_style.MUTED_COLOR)

    _style.style_axes(states_ax)
    shown = np.full((n_hidden, n_steps), np.nan)
    states = states_ax.imshow(shown, cmap=_style.colormap(_style.DIVERGING), vmin=-1.0, vmax=1.0, aspect="auto",
                              interpolation="nearest", extent=(-0.5, n_steps - 0.5, n_hidden + 0.5, 0.5))
    states_ax.set_xlim(-1.2, n_steps - 0.5)
    states_ax.set_xticks([])
    states_ax.set_yticks([1, n_hidden] if n_hidden > 1 else [1])
    states_ax.set_ylabel("unit", fontsize=8, color=_style.MUTED_COLOR)
    states_ax.text(-0.85, (n_hidden + 1) / 2, "hidden\nstate", ha="center", va="center", fontsize=7,
                   color=_style.MUTED_COLOR)

    _style.style_axes(answers_ax)
    answers_ax.set_xlim(-1.2, n_steps - 0.5)
    answers_ax.set_xticks(steps)
    answers_ax.set_xticklabels([str(t + 1) for t in steps])
    answers_ax.set_xlabel("step", fontsize=8, color=_style.MUTED_COLOR)
    values = data.answers if data.targets is None else np.concatenate([data.answers, data.targets])
    low, high = float(min(values.min(), 0.0)), float(values.max())
    answers_ax.set_ylim(low - 0.5, high + 0.8)
    target_line = None
    if data.targets is not None:
        (target_line,) = answers_ax.step(steps, data.targets, where="mid", color=_style.MUTED_COLOR, lw=1.5,
                                         label="right answer so far")
    (answer_line,) = answers_ax.plot([], [], "o-", color=_style.POSITIVE, lw=1.5, ms=4,
                                     label="answer read from the state")
    answers_ax.legend(fontsize=7, frameon=False, loc="upper left")
    artists = {"boxes": boxes, "arrows": arrows, "inputs": input_texts, "answers": answer_texts,
               "state_names": state_texts, "states": states, "answer_line": answer_line, "target_line": target_line}
    update_rnn_unrolled(artists, data, step)
    return artists


def update_rnn_unrolled(artists: dict[str, Any], data: RNNUnrollData, step: int | None = None) -> None:
    """Show steps 1..``step`` of ``data`` (same number of steps and units) in the artists of ``draw_rnn_unrolled``.

    Shapes: dict of artists, the arrays of data (see RNNUnrollData; same time and n_hidden) -> None (in place).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> counter = nl.Sequential([nl.SimpleRNN(1, 1, "identity"), nl.Dense(1, 1)])
        >>> for array in counter.parameters().values():
        ...     array[...] = 1.0 if array.ndim == 2 else 0.0      # h_t = h_(t-1) + x_t: it counts the ones
        >>> data = rnn_unroll_data(counter, [1, 0, 1, 1])
        >>> artists = draw_rnn_unrolled(figure().subplots(3, 1), data, step=1)
        >>> update_rnn_unrolled(artists, data, step=4)
        >>> [text.get_text() for text in artists["answers"]], artists["answer_line"].get_ydata().tolist()
        (['1.0', '1.0', '2.0', '3.0'], [1.0, 1.0, 2.0, 3.0])
    """
    n_steps = data.n_steps
    if len(artists["boxes"]) != n_steps:
        raise ValueError(f"These artists show {len(artists['boxes'])} steps but the data has {n_steps}.")
    step = _shown_step(data, step)
    for t in range(n_steps):
        seen = t < step
        alpha = 1.0 if seen else 0.25
        box = artists["boxes"][t]
        box.set_alpha(alpha)
        box.set_linewidth(2.6 if t == step - 1 else 1.2)
        for arrow in artists["arrows"][t]:
            arrow.arrow_patch.set_alpha(alpha)
        artists["state_names"][t].set_alpha(alpha)
        artists["inputs"][t].set_text(f"x={_format_number(data.inputs[t])}")
        artists["inputs"][t].set_alpha(alpha)
        artists["answers"][t].set_text(_one_decimal(data.answers[t]) if seen else "")
    shown = np.full(data.hidden.T.shape, np.nan)
    shown[:, :step] = data.hidden[:step].T
    artists["states"].set_data(shown)
    artists["answer_line"].set_data(np.arange(step), data.answers[:step])
    if artists.get("target_line") is not None and data.targets is not None:
        artists["target_line"].set_data(np.arange(n_steps), data.targets)


# ------------------------------------------------------------------------------------------------- attention

SYMBOL_NAMES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def lookup_tokens(x: Any, n_symbols: int) -> list[list[str]]:
    """Names for the tokens of ``nl.datasets.lookup_task``: "2:C" is symbol C at position 2, "ask 2" the query.

    Shapes: x (n, length, n_symbols + length) -> n lists of length names.

    Example:
        >>> import nnlearn as nl
        >>> x, y = nl.datasets.lookup_task(n=1, length=4, n_symbols=3, seed=0)
        >>> lookup_tokens(x, 3)[0], "ABC"[y[0]]
        (['0:C', '1:B', '2:B', 'ask 0'], 'C')
    """
    x = as_float_array(x, "x")
    if x.ndim == 2:
        x = x[None]
    length = x.shape[1]
    if x.ndim != 3 or x.shape[2] != n_symbols + length:
        raise ValueError(f"x must be lookup_task sequences of shape (n, length, n_symbols + length) = "
                         f"(n, {length}, {n_symbols + length}), but got {x.shape}. Is n_symbols right?")
    names = []
    for sequence in x:
        row = [f"{t}:{SYMBOL_NAMES[int(sequence[t, :n_symbols].argmax()) % 26]}" for t in range(length - 1)]
        row.append(f"ask {int(sequence[-1, n_symbols:n_symbols + length - 1].argmax())}")
        names.append(row)
    return names


@dataclass
class AttentionData(PlotData):
    """One sequence through a model with a self-attention layer.

    ``weights[i, j]``: how much position i takes from position j (rows sum to 1); ``query_vectors`` and
    ``key_vectors`` (time, n_dims), one row per position (named so because ``keys()`` lists a record's
    fields); ``labels`` a name per position; ``query`` the row picked out; ``outputs`` the model's
    output for this sequence (e.g. class probabilities).

    Shapes: weights (time, time), query_vectors and key_vectors (time, n_dims), outputs (n_outputs,); labels: time
    names.

    Example:
        >>> import nnlearn as nl
        >>> layer = nl.SelfAttention(2)
        >>> layer.query_weights[:] = 0.0              # every score 0: each position takes the plain average
        >>> data = attention_data(nl.Sequential([layer]), np.ones((1, 3, 2)))
        >>> data.weights.round(3).tolist(), data.key_vectors.shape, data.query    # query -1: the last position
        ([[0.333, 0.333, 0.333], [0.333, 0.333, 0.333], [0.333, 0.333, 0.333]], (3, 2), 2)
    """

    weights: np.ndarray
    query_vectors: np.ndarray
    key_vectors: np.ndarray
    labels: list[str]
    query: int
    outputs: np.ndarray

    @property
    def n_steps(self) -> int:
        """The number of time steps (the length of ``weights``)."""
        return len(self.weights)


def _attention_layer(model: Any) -> SelfAttention:
    for layer in getattr(model, "layers", [model]):
        if isinstance(layer, SelfAttention):
            return layer
    raise ValueError("attention_data expects a model with an nl.SelfAttention layer, such as "
                     "nl.Sequential([nl.SelfAttention(14), nl.LastStep(), nl.Dense(14, 6, 'softmax')]).")


def attention_data(model: Any, x: Any, sample: int = 0, query: int = -1, labels: Any = None) -> AttentionData:
    """The queries, keys and attention weights of a model's (first) SelfAttention layer for sequence ``sample``.

    ``labels``: a name per position, or one such list per sequence (as ``lookup_tokens`` returns); default
    "0", "1", ... ``query``: the row to pick out (negative counts from the end).

    Shapes: x (n, time, features) -> weights (time, time), queries and keys (time, n_dims).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> layer = nl.SelfAttention(2)
        >>> layer.query_weights[:] = 0.0              # every score 0: each position takes the plain average
        >>> data = attention_data(nl.Sequential([layer]), np.ones((1, 4, 2)))
        >>> data.weights[data.query]
        array([0.25, 0.25, 0.25, 0.25])
    """
    layer = _attention_layer(model)
    x = as_float_array(x, "x")
    if x.ndim != 3:
        raise ValueError(f"x must be sequences of shape (n, time, features), but got {x.shape}.")
    n, n_steps = x.shape[:2]
    if not -n <= int(sample) < n:
        raise ValueError(f"sample must be between 0 and {n - 1} (x holds {n} sequences), but got {sample}.")
    if not -n_steps <= int(query) < n_steps:
        raise ValueError(f"query must be a position between 0 and {n_steps - 1}, but got {query}.")
    sample, query = int(sample) % n, int(query) % n_steps
    outputs = np.asarray(model.predict(x[sample : sample + 1]))[0]
    if labels is None:
        names = [str(t) for t in range(n_steps)]
    elif len(labels) and not isinstance(labels[0], str):
        names = list(labels[sample])
    else:
        names = list(labels)
    if len(names) != n_steps:
        raise ValueError(f"labels must name each of the {n_steps} positions, but got {len(names)} names.")
    return AttentionData(weights=layer.attention_weights[0].copy(), query_vectors=layer.queries[0].copy(),
                         key_vectors=layer.keys[0].copy(), labels=names, query=query, outputs=outputs)


def draw_attention(axes: Any, data: AttentionData, *, numbers: bool = True) -> dict[str, Any]:
    """Draw the queries, the keys and the attention weights (rows: who asks, columns: who is looked at).

    ``axes``: three axes (queries, keys, weights), or one axis for the weights alone. The picked query row is
    outlined in the queries and in the weights. With ``numbers`` each weight of 0.05 or more is written in.
    Returns the artists for ``update_attention``.

    Shapes: the arrays of data (see AttentionData) on three axes or one -> dict of artists.

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> layer = nl.SelfAttention(2)
        >>> layer.query_weights[:] = 0.0              # every score 0: each of 4 positions gets 1/4
        >>> artists = draw_attention(figure().add_subplot(), attention_data(nl.Sequential([layer]), np.ones((1, 4, 2))))
        >>> [text.get_text() for text in artists["texts"][:4]], artists["outlines"][0].get_y()    # row 3 outlined
        (['.25', '.25', '.25', '.25'], 2.5)
    """
    from matplotlib.patches import Rectangle

    axes = list(axes) if isinstance(axes, (list, tuple, np.ndarray)) else [axes]
    artists: dict[str, Any] = {"outlines": []}
    n_steps = data.n_steps
    if len(axes) == 3:
        reach = float(max(np.abs(data.query_vectors).max(), np.abs(data.key_vectors).max())) or 1.0
        for name, ax, values in (("queries", axes[0], data.query_vectors), ("keys", axes[1], data.key_vectors)):
            _style.style_axes(ax)
            artists[name] = ax.imshow(values, cmap=_style.colormap(_style.DIVERGING), vmin=-reach, vmax=reach,
                                      aspect="auto", interpolation="nearest")
            ax.set_title(f"{name} ({values.shape[0]} x {values.shape[1]})", fontsize=9, color=_style.TEXT_COLOR)
            ax.set_xlabel("dimension", fontsize=8, color=_style.MUTED_COLOR)
            ax.set_yticks(range(n_steps))
            ax.set_xticks([])
        artists["query_labels"] = axes[0]
        artists["key_labels"] = axes[1]
        outline = Rectangle((-0.5, data.query - 0.5), data.query_vectors.shape[1], 1.0, fill=False,
                            edgecolor="black", lw=2.0)
        axes[0].add_patch(outline)
        artists["outlines"].append(outline)
    weights_ax = axes[-1]
    _style.style_axes(weights_ax)
    artists["weights"] = weights_ax.imshow(data.weights, cmap=_style.colormap(_style.SEQUENTIAL), vmin=0.0,
                                           vmax=1.0, interpolation="nearest")
    weights_ax.set_title("attention weights", fontsize=9, color=_style.TEXT_COLOR)
    weights_ax.set_xticks(range(n_steps))
    weights_ax.set_yticks(range(n_steps))
    weights_ax.set_xlabel("looked at (key)", fontsize=8, color=_style.MUTED_COLOR)
    weights_ax.set_ylabel("asking (query)", fontsize=8, color=_style.MUTED_COLOR)
    weights_ax.tick_params(axis="x", labelrotation=90)
    outline = Rectangle((-0.5, data.query - 0.5), n_steps, 1.0, fill=False, edgecolor="#d62728", lw=2.0)
    weights_ax.add_patch(outline)
    artists["outlines"].append(outline)
    artists["weights_axes"] = weights_ax
    artists["texts"] = []
    if numbers:
        for (i, j), _ in np.ndenumerate(data.weights):
            artists["texts"].append(weights_ax.text(j, i, "", ha="center", va="center", fontsize=6.5))
    update_attention(artists, data)
    return artists


def update_attention(artists: dict[str, Any], data: AttentionData) -> None:
    """Show another sequence or query row (same length) in the artists of ``draw_attention``.

    Shapes: dict of artists, the arrays of data (see AttentionData; same time) -> None (in place).

    Example:
        >>> import nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model, x = nl.Sequential([nl.SelfAttention(2, seed=0)]), np.ones((1, 4, 2))
        >>> artists = draw_attention(figure().add_subplot(), attention_data(model, x))
        >>> update_attention(artists, attention_data(model, x, query=1, labels=["a", "b", "c", "d"]))
        >>> artists["outlines"][0].get_y(), [label.get_text() for label in artists["weights_axes"].get_xticklabels()]
        (0.5, ['a', 'b', 'c', 'd'])
    """
    artists["weights"].set_data(data.weights)
    if "queries" in artists:
        reach = float(max(np.abs(data.query_vectors).max(), np.abs(data.key_vectors).max())) or 1.0
        for name, values in (("queries", data.query_vectors), ("keys", data.key_vectors)):
            artists[name].set_data(values)
            artists[name].set_clim(-reach, reach)
    for name in ("query_labels", "key_labels"):
        if name in artists:
            artists[name].set_yticks(range(data.n_steps), data.labels, fontsize=7)
    weights_ax = artists["weights_axes"]
    weights_ax.set_xticks(range(data.n_steps), data.labels, fontsize=7, rotation=90)
    weights_ax.set_yticks(range(data.n_steps), data.labels, fontsize=7)
    for outline in artists["outlines"]:
        outline.set_y(data.query - 0.5)
    for text, value in zip(artists["texts"], data.weights.ravel()):
        text.set_text(f"{value:.2f}".lstrip("0") if value >= 0.05 else "")
        text.set_color("black" if value > 0.6 else "white")  # viridis is light at the top


# ------------------------------------------------------------------------------------------------ embeddings


@dataclass
class EmbeddingMapData(PlotData):
    """Points of a 2-D map of learned vectors, with names, groups (e.g. hidden genres) and an optional user arrow.

    ``axis_names`` say what the two axes are ("dimension 1" or, for vectors of more than 2 numbers, the
    principal directions).

    Shapes: points (n, 2), groups (n,) or None, user (2,) or None, highlight (k,) indices; labels: n names.

    Example:
        >>> data = embedding_map_data(np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), groups=[0, 1, 1],
        ...                           user_vector=[2.0, 0.0], highlight=[0])
        >>> data.points.shape, data.user.tolist(), data.highlight.tolist(), data.axis_names
        ((3, 2), [2.0, 0.0], [0], ('dimension 1', 'dimension 2'))
    """

    points: np.ndarray
    labels: list[str]
    groups: np.ndarray | None
    group_names: list[str]
    user: np.ndarray | None
    user_label: str
    highlight: np.ndarray
    axis_names: tuple[str, str]


def embedding_map_data(vectors: Any, labels: Any = None, groups: Any = None, group_names: Any = None,
                       user_vector: Any = None, user_label: str = "user", highlight: Any = ()) -> EmbeddingMapData:
    """Learned vectors (one row per item) as points of a map.

    Two-number vectors are drawn as they are, so a user vector drawn as an arrow keeps its meaning: the
    dot product user . item is large for items far along the arrow's direction. Longer vectors are projected
    onto their two main directions (principal components), and the user vector with them.
    ``highlight``: indices of points to ring (e.g. recommended items).

    Shapes: vectors (n, n_dims), groups (n,) whole numbers, user_vector (n_dims,) -> points (n, 2).

    Example:
        >>> import numpy as np
        >>> data = embedding_map_data(np.array([[1.0, 0.0], [0.0, 2.0]]), groups=[0, 1])
        >>> data.points.tolist(), data.labels, data.group_names
        ([[1.0, 0.0], [0.0, 2.0]], ['0', '1'], ['group 0', 'group 1'])
    """
    vectors = as_float_array(getattr(vectors, "weights", vectors), "vectors")
    if vectors.ndim != 2 or vectors.shape[1] < 2:
        raise ValueError(f"vectors must be (n, n_dims) with n_dims >= 2, such as items.weights, but got "
                         f"{vectors.shape}.")
    n = len(vectors)
    user = None if user_vector is None else as_float_array(user_vector, "user_vector").reshape(-1)
    if user is not None and len(user) != vectors.shape[1]:
        raise ValueError(f"user_vector must have {vectors.shape[1]} numbers like the item vectors, got {len(user)}.")
    if vectors.shape[1] == 2:
        points, axis_names = vectors.copy(), ("dimension 1", "dimension 2")
    else:
        center = vectors.mean(axis=0)
        directions = np.linalg.svd(vectors - center, full_matrices=False)[2][:2]
        points, axis_names = (vectors - center) @ directions.T, ("main direction 1", "main direction 2")
        user = None if user is None else user @ directions.T
    names = [str(k) for k in range(n)] if labels is None else [str(label) for label in labels]
    if len(names) != n:
        raise ValueError(f"labels must name each of the {n} points, but got {len(names)}.")
    group_ids = None
    if groups is not None:
        group_ids = np.asarray(groups).astype(int).reshape(-1)
        if len(group_ids) != n or group_ids.min() < 0:
            raise ValueError(f"groups must be one whole number >= 0 per point ({n}), but got {np.shape(groups)}.")
        count = int(group_ids.max()) + 1
        group_list = [f"group {k}" for k in range(count)] if group_names is None else list(group_names)
        if len(group_list) < count:
            raise ValueError(f"group_names must name all {count} groups, but got {len(group_list)} names.")
    else:
        group_list = []
    chosen = np.asarray(highlight, dtype=int).reshape(-1)
    return EmbeddingMapData(points=points, labels=names, groups=group_ids, group_names=group_list, user=user,
                            user_label=str(user_label), highlight=chosen, axis_names=axis_names)


def draw_embedding_map(ax: Any, data: EmbeddingMapData, *, names: str = "highlight",
                       fontsize: float = 7.0) -> dict[str, Any]:
    """Draw the points coloured by group, the user as an arrow from 0, highlighted points ringed.

    ``names``: write the name of "all" points, only of the "highlight"ed ones (default; with no highlights,
    of all), or of "none". Returns 'points' (one PathCollection per group, or one), 'labels' (Text), 'arrow',
    'user_label' (the user's name, half way along the arrow) and 'rings' (each None when not drawn).

    Shapes: the arrays of data (see EmbeddingMapData) -> dict of artists (one scatter per group).

    Example:
        >>> from nnlearn.plots import figure
        >>> data = embedding_map_data(np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]), labels=["a", "b", "c"],
        ...                           groups=[0, 1, 1], user_vector=[2.0, 0.0], highlight=[0])
        >>> artists = draw_embedding_map(figure().add_subplot(), data)
        >>> [points.get_offsets().tolist() for points in artists["points"]]    # group 0, then group 1
        [[[1.0, 0.0]], [[0.0, 2.0], [1.0, 1.0]]]
        >>> [label.get_text() for label in artists["labels"]], artists["rings"].get_offsets().tolist()
        (['a'], [[1.0, 0.0]])
    """
    if names not in ("all", "highlight", "none"):
        raise ValueError(f"names must be 'all', 'highlight' or 'none', but got {names!r}.")
    if names == "highlight" and not len(data.highlight):
        names = "all"
    named = {"all": range(len(data.points)), "highlight": data.highlight, "none": []}[names]
    _style.style_axes(ax)
    ax.axhline(0.0, color="#dddddd", lw=0.8, zorder=0)
    ax.axvline(0.0, color="#dddddd", lw=0.8, zorder=0)
    points = []
    if data.groups is None:
        points.append(ax.scatter(*data.points.T, s=28, color=_style.MUTED_COLOR, zorder=3))
    else:
        colors = _style.class_colors(len(data.group_names))
        for k, name in enumerate(data.group_names):
            where = data.groups == k
            if where.any():
                points.append(ax.scatter(*data.points[where].T, s=28, color=colors[k], label=name, zorder=3,
                                         edgecolors="white", linewidths=0.5))
    labels = [ax.annotate(data.labels[k], data.points[k], xytext=(6, 4), textcoords="offset points",
                          fontsize=fontsize, color=_style.TEXT_COLOR,
                          bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.7, "pad": 0.5})
              for k in named]
    rings = None
    if len(data.highlight):
        rings = ax.scatter(*data.points[data.highlight].T, s=130, facecolors="none", edgecolors="black",
                           linewidths=1.4, zorder=4, label="recommended")
    arrow = user_text = None
    if data.user is not None:
        arrow = ax.annotate("", xy=tuple(data.user), xytext=(0.0, 0.0), zorder=5,
                            arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.8})
        # named at the middle of the arrow: its tip often lands among the items the user likes, under their names
        user_text = ax.annotate(data.user_label, tuple(data.user / 2), xytext=(6, -4), textcoords="offset points",
                                fontsize=8, fontweight="bold", color="black", zorder=6,
                                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.5})
    everything = data.points if data.user is None else np.vstack([data.points, data.user, [0.0, 0.0]])
    low, high = everything.min(axis=0), everything.max(axis=0)
    margin = 0.12 * np.maximum(high - low, 1e-6)
    ax.set_xlim(low[0] - margin[0], high[0] + 2 * margin[0])
    ax.set_ylim(low[1] - margin[1], high[1] + margin[1])
    ax.set_xlabel(data.axis_names[0], fontsize=8, color=_style.MUTED_COLOR)
    ax.set_ylabel(data.axis_names[1], fontsize=8, color=_style.MUTED_COLOR)
    if data.groups is not None or rings is not None:
        ax.legend(fontsize=7, frameon=False, loc="best")
    return {"points": points, "labels": labels, "arrow": arrow, "user_label": user_text, "rings": rings}

"""What the layers of a trained convolutional network respond to: edges first, then parts, then whole objects.

Compute only (NumPy); the pictures are in ``nnlearn.plots.hierarchy`` and the explorer in
``nnlearn.widgets.hierarchy``.

* ``shapes_cnn``: the small CNN of lesson 08 for ``nl.datasets.shapes`` (also the benchmark's network).
* ``grating``, ``grating_responses``, ``orientation_selectivity``, ``preferred_angle``: measure whether a
  convolution's filters are edge detectors by showing them striped images (sine gratings) at many angles. A
  filter that responds to one stripe direction much more than to the others is *orientation-selective*.
* ``receptive_field``: which square of input pixels one unit of a layer can see.
* ``activation_maximization``: the input picture that excites one unit most, found by gradient ascent on the
  input, using the layers' own ``backward``.

Angles are in degrees and give the direction of the stripes, counter-clockwise from horizontal as on a
screen: 0 = horizontal stripes (the brightness changes from top to bottom), 90 = vertical stripes, 45 = stripes
rising to the right ("/").

Example:
    >>> import numpy as np, nnlearn as nl
    >>> layer = nl.Conv2D(1, 2, 3)
    >>> layer.weights[0, 0] = [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]     # left minus right: a vertical edge
    >>> layer.weights[1, 0] = 1.0                                       # a flat blur: no preferred direction
    >>> responses = grating_responses(layer, angles=[0, 45, 90, 135])
    >>> orientation_selectivity(responses).round(2)
    array([1.  , 0.06])
    >>> preferred_angle(responses, [0, 45, 90, 135])[0]                # stripes parallel to the edge
    np.int64(90)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .validation import as_float_array, check_layer_index, check_positive_int, check_unit, describe

__all__ = [
    "STRIPE_FREQUENCIES",
    "ReceptiveField",
    "crop_patch",
    "activation_maximization",
    "blur_image",
    "grating",
    "grating_responses",
    "orientation_selectivity",
    "preferred_angle",
    "receptive_field",
    "shapes_cnn",
]


def shapes_cnn(seed: int | None = 0, n_classes: int | None = None) -> Any:
    """The small CNN of lesson 08 for the 16x16 images of ``nl.datasets.shapes``.

    Conv2D(1, 8, 3x3, relu) -> MaxPool2D(2) -> Conv2D(8, 16, 3x3, relu) -> MaxPool2D(2) -> Flatten ->
    Dense(256, n_classes, softmax); both convolutions pad by 1 so they keep the image size.

    Shapes: input (batch, 1, 16, 16) -> (batch, n_classes); n_classes defaults to len(SHAPE_NAMES) (6).

    Example:
        >>> model = shapes_cnn(seed=0)
        >>> model.predict(np.zeros((2, 1, 16, 16))).shape, model.n_params
        ((2, 6), 2790)
    """
    from .conv import Conv2D, MaxPool2D
    from .datasets import SHAPE_NAMES
    from .layers import Dense, Flatten
    from .network import Sequential

    n_classes = len(SHAPE_NAMES) if n_classes is None else check_positive_int(n_classes, "n_classes")
    return Sequential(
        [
            Conv2D(1, 8, 3, padding=1, activation="relu"),
            MaxPool2D(2),
            Conv2D(8, 16, 3, padding=1, activation="relu"),
            MaxPool2D(2),
            Flatten(),
            Dense(16 * 4 * 4, n_classes, activation="softmax"),
        ],
        seed=seed,
    )


# ---------------------------------------------------------------------------------------------- gratings
def grating(size: int, angle: float, frequency: float = 0.25, phase: float = 0.0) -> np.ndarray:
    """A sine grating: stripes in direction ``angle`` (degrees), ``frequency`` stripes (cycles) per pixel.

    Values 0.5 + 0.5 * sin(...), in [0, 1] like the image sets. ``phase`` (radians) slides the stripes sideways.

    Shapes: -> (size, size).

    Example:
        >>> grating(4, angle=90, frequency=0.25).round(2)      # vertical stripes: columns repeat every 4 pixels
        array([[0.5, 1. , 0.5, 0. ],
               [0.5, 1. , 0.5, 0. ],
               [0.5, 1. , 0.5, 0. ],
               [0.5, 1. , 0.5, 0. ]])
    """
    size = check_positive_int(size, "size")
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float64)
    theta = np.deg2rad(float(angle))
    # Distance across the stripes, along the normal (sin, -cos) of the stripe direction (cos, sin), whose y
    # axis points up while rows count down: constant along a stripe, so at 45 degrees along "/" lines.
    across = cols * np.sin(theta) + rows * np.cos(theta)
    return 0.5 + 0.5 * np.sin(2.0 * np.pi * float(frequency) * across + float(phase))


def _filters_of(conv_layer: Any) -> np.ndarray:
    """A Conv2D layer's weights (out_channels, in_channels, kh, kw), or such an array given directly."""
    weights = getattr(conv_layer, "weights", conv_layer)
    weights = as_float_array(weights, "conv_layer.weights")
    if weights.ndim == 2:
        weights = weights[None, None]
    elif weights.ndim == 3:
        weights = weights[:, None]
    if weights.ndim != 4:
        raise ValueError(
            "grating_responses measures convolution filters: pass a Conv2D layer or its weights "
            f"(out_channels, in_channels, kh, kw), but got {describe(weights)}."
        )
    return weights


STRIPE_FREQUENCIES = (0.125, 0.1875, 0.25, 0.3125)  # periods of 8, 5.3, 4 and 3.2 pixels


def grating_responses(conv_layer: Any, angles: Any = None, size: int = 16,
                      frequency: float | Any = STRIPE_FREQUENCIES, n_phases: int = 8) -> np.ndarray:
    """How strongly each filter's weighted sum swings when stripes at each angle pass under it.

    For every angle, ``n_phases`` gratings (``grating``) shifted sideways are shown to every filter (the same
    grating in every input channel). The response is the root-mean-square, over all positions and phases, of
    the filter's weighted sum minus its value on a plain grey image: 0 when the filter does not see the stripes
    at all, large when they match its pattern. Bias and activation are left out, so the number describes the
    filter's weights alone. A Conv2D layer is not changed (its cache and gradients are left alone).

    ``angles`` defaults to 0, 15, ..., 165 degrees. ``frequency`` is in stripes (cycles) per pixel; given
    several (the default: four stripe widths from 8 down to 3.2 pixels per cycle), the responses are averaged
    over them, so a filter counts as tuned to a direction only if it is tuned at every stripe width, not
    because one width happens to fit its random pattern.

    Shapes: weights (out_channels, in_channels, kh, kw), angles (n_angles,) -> (out_channels, n_angles).

    Example:
        >>> vertical_edge = np.array([[-1.0, 0.0, 1.0]] * 3)             # right minus left
        >>> grating_responses(vertical_edge, angles=[0, 90], frequency=0.25).round(3)   # deaf to horizontal stripes
        array([[0.   , 2.121]])
    """
    weights = _filters_of(conv_layer)
    angles = np.arange(0, 180, 15) if angles is None else as_float_array(angles, "angles").reshape(-1)
    n_phases = check_positive_int(n_phases, "n_phases")
    kernel_height, kernel_width = weights.shape[2:]
    size = check_positive_int(size, "size")
    if size < max(kernel_height, kernel_width):
        raise ValueError(f"size must be at least the filter size {kernel_height}x{kernel_width}, but got {size}.")
    frequencies = as_float_array(frequency, "frequency").reshape(-1)
    if frequencies.size == 0 or (frequencies <= 0).any():
        raise ValueError(f"frequency must be one or more positive numbers (stripes per pixel, e.g. 0.25), "
                         f"but got {frequency!r}.")
    phases = np.arange(n_phases) * 2.0 * np.pi / n_phases
    # Every input channel sees the same stripes, so a filter acts as the sum of its channels' weights.
    flat = weights.sum(axis=1)  # (out_channels, kh, kw)
    responses = np.zeros((weights.shape[0], len(angles)))
    for f in frequencies:
        # (angles, phases, size, size), minus the grey 0.5 so only the stripes are left
        stripes = np.stack([[grating(size, a, f, p) for p in phases] for a in angles]) - 0.5
        windows = sliding_window_view(stripes, (kernel_height, kernel_width), axis=(2, 3))
        sums = np.einsum("apxyij,fij->fapxy", windows, flat, optimize=True)
        responses += np.sqrt((sums**2).mean(axis=(2, 3, 4)))
    return responses / len(frequencies)


def orientation_selectivity(responses: Any) -> np.ndarray:
    """How much each filter prefers one stripe direction: (max - min) / (max + min) over the angles.

    1 for a filter that ignores some direction completely (an edge detector), near 0 for one that responds
    the same to every direction (a blur, a dot), 0 for a filter that responds to nothing.

    Shapes: responses (n_filters, n_angles) -> (n_filters,).

    Example:
        >>> orientation_selectivity([[3.0, 1.0], [2.0, 2.0], [0.0, 0.0]])    # (3 - 1) / (3 + 1) = 0.5
        array([0.5, 0. , 0. ])
    """
    responses = as_float_array(responses, "responses")
    if responses.ndim != 2:
        raise ValueError(f"responses must be (n_filters, n_angles), as grating_responses returns, but got "
                         f"{describe(responses)}.")
    if (responses < 0).any():
        raise ValueError("responses must be 0 or more (they are sizes of responses, as grating_responses gives).")
    high, low = responses.max(axis=1), responses.min(axis=1)
    total = high + low
    return np.where(total > 0, (high - low) / np.where(total > 0, total, 1.0), 0.0)


def preferred_angle(responses: Any, angles: Any = None) -> np.ndarray:
    """The angle (degrees) of the stripes each filter responds to most.

    Shapes: responses (n_filters, n_angles), angles (n_angles,) -> (n_filters,).

    Example:
        >>> preferred_angle([[1.0, 5.0, 2.0]], angles=[0, 60, 120])
        array([60])
    """
    responses = as_float_array(responses, "responses")
    if responses.ndim != 2:
        raise ValueError(f"responses must be (n_filters, n_angles), but got {describe(responses)}.")
    angles = np.arange(0, 180, 15) if angles is None else np.asarray(angles).reshape(-1)
    if len(angles) != responses.shape[1]:
        raise ValueError(f"responses has {responses.shape[1]} angles per filter but {len(angles)} angles were given.")
    return angles[responses.argmax(axis=1)]


# ---------------------------------------------------------------------------------------------- receptive fields
@dataclass(frozen=True)
class ReceptiveField:
    """Which input pixels one unit of a layer sees.

    ``size``: the square's width in input pixels; ``jump``: how far apart (in input pixels) neighbouring units
    of the layer look; ``start``: the input pixel (row or column, may be a half) at the centre of the first
    unit's square. Unit (row i, column j) sees rows ``top(i) .. top(i) + size - 1``.

    Shapes: none (size, jump and start count input pixels).

    Example:
        >>> field = ReceptiveField(size=3, jump=1, start=1.0)     # a 3x3 convolution without padding
        >>> field.top(0), field.top(5)                             # unit 0 sees rows 0..2, unit 5 rows 5..7
        (0, 5)
        >>> ReceptiveField(size=3, jump=1, start=0.0).top(0)      # with padding 1 the square starts above row 0
        -1
    """

    size: int
    jump: int
    start: float

    def top(self, index: int) -> int:
        """The first input row (or column) seen by the unit at row (or column) ``index``; may be < 0 (padding)."""
        return int(round(self.start + index * self.jump - (self.size - 1) / 2.0))


def receptive_field(model: Any, layer: Any) -> ReceptiveField:
    """The receptive field of the units of ``layer`` (an index into model.layers, or the layer itself).

    Each layer with a window (Conv2D, MaxPool2D) widens it: size += (kernel - 1) * jump, then jump *= stride.
    Layers without a window keep it; a Dense layer after Flatten sees the whole image (size None is never
    returned: ask only about image layers).

    Shapes: none.

    Example:
        >>> model = shapes_cnn()
        >>> [receptive_field(model, k).size for k in range(4)]    # 3, then 3 + 1 = 4, 4 + 2 * 2 = 8, 8 + 1 * 2 = 10
        [3, 4, 8, 10]
    """
    position = check_layer_index(model.layers, layer)
    size, jump, start = 1, 1, 0.0
    for current in model.layers[: position + 1]:
        window = getattr(current, "kernel_size", getattr(current, "size", None))
        if window is None:
            if current is model.layers[position]:
                raise ValueError(f"{current.describe()} has no image units: receptive fields are for Conv2D and "
                                 f"MaxPool2D layers (a Dense unit after Flatten sees the whole image).")
            continue
        kernel, stride = int(window[0]), int(current.stride[0])
        padding = int(getattr(current, "padding", (0, 0))[0])
        start += ((kernel - 1) / 2.0 - padding) * jump
        size += (kernel - 1) * jump
        jump *= stride
    return ReceptiveField(size=size, jump=jump, start=start)


def crop_patch(image: np.ndarray, field: ReceptiveField, row: int, col: int) -> np.ndarray:
    """The field.size x field.size square of ``image`` seen by unit (row, col); outside the image counts as 0.

    Shapes: image (channels, h, w) -> (channels, size, size).

    Example:
        >>> image = np.arange(16.0).reshape(1, 4, 4)
        >>> crop_patch(image, ReceptiveField(size=2, jump=2, start=0.5), 1, 0)    # rows 2..3, columns 0..1
        array([[[ 8.,  9.],
                [12., 13.]]])
        >>> crop_patch(image, ReceptiveField(size=3, jump=1, start=0.0), 0, 0)[0]   # padding: a border of zeros
        array([[0., 0., 0.],
               [0., 0., 1.],
               [0., 4., 5.]])
    """
    size = field.size
    top, left = field.top(row), field.top(col)
    channels, height, width = image.shape
    patch = np.zeros((channels, size, size))
    rows = slice(max(top, 0), min(top + size, height))
    cols = slice(max(left, 0), min(left + size, width))
    patch[:, rows.start - top : rows.stop - top, cols.start - left : cols.stop - left] = image[:, rows, cols]
    return patch


# ---------------------------------------------------------------------------------------------- activation max
def blur_image(image: Any, sigma: float) -> np.ndarray:
    """Gaussian blur of the last two axes (zeros beyond the border); sigma in pixels, 0 leaves it unchanged.

    Shapes: (..., h, w) -> (..., h, w).

    Example:
        >>> spot = np.pad([[1.0]], 2)                       # one bright pixel in the middle of a 5x5 image
        >>> blur_image(spot, 1.0)[2].round(3)               # its row after the blur: 0.399 * (0.054, ..., 0.054)
        array([0.022, 0.097, 0.159, 0.097, 0.022])
        >>> float(blur_image(np.pad([[1.0]], 3), 1.0).sum().round(3))    # the ink is spread, not lost
        1.0
    """
    image = as_float_array(image, "image")
    sigma = float(sigma)
    if sigma <= 0:
        return image.copy()
    radius = int(np.ceil(3 * sigma))
    offsets = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * (offsets / sigma) ** 2)
    kernel /= kernel.sum()
    # Separable: blur the rows, then the columns.
    out = image
    for axis in (-1, -2):
        padded = np.pad(out, [(0, 0)] * (out.ndim + axis) + [(radius, radius)] + [(0, 0)] * (-axis - 1))
        windows = sliding_window_view(padded, len(kernel), axis=axis)
        out = windows @ kernel
    return out


def _unit_gradient(model: Any, x: np.ndarray, position: int, index: tuple[int, ...]) -> tuple[float, np.ndarray]:
    """The chosen unit's pre-activation (or output) value for one input, and its gradient w.r.t. the input."""
    layers = model.layers
    for layer in layers:
        layer.training = False
    out = x[None]
    for layer in layers[: position + 1]:
        out = layer.forward(out)
    target = layers[position]
    # Start from z (before the activation) when the layer keeps it: a ReLU unit that is off, or a saturated
    # softmax, would otherwise pass back no gradient at all.
    use_z = getattr(target, "last_z", None) is not None and hasattr(target, "backward_from_z")
    values = target.last_z if use_z else out
    start = np.zeros_like(values)
    start[(0,) + index] = 1.0
    grad = target.backward_from_z(start) if use_z else target.backward(start)
    for layer in reversed(layers[:position]):
        grad = layer.backward(grad)
    return float(values[(0,) + index]), grad[0]


def _unit_index(model: Any, position: int, unit: Any, input_shape: tuple[int, ...]) -> tuple[int, ...]:
    """The exact output position to maximise: a channel's centre for image layers, the unit itself otherwise."""
    shape = tuple(input_shape)
    for layer in model.layers[: position + 1]:
        shape = tuple(layer.output_shape(shape))
    index = check_unit(unit, shape, model.layers[position].describe())
    if len(shape) == 3 and len(index) == 1:
        index = (index[0] % shape[0], (shape[1] - 1) // 2, (shape[2] - 1) // 2)
    return index


def activation_maximization(model: Any, layer: Any, unit: Any, *, input_shape: tuple[int, ...] | None = None,
                            steps: int = 150, lr: float = 0.05, l2: float = 0.05, blur: float = 0.5,
                            jitter: int = 1, seed: int | None = 0) -> np.ndarray:
    """The input that excites one unit most: start from faint noise and climb the unit's gradient.

    Each step: shift the image by up to ``jitter`` pixels (at random), take the gradient of the unit's value
    with respect to the input through the layers' own ``backward``, shift it back, step up by ``lr`` times the
    gradient scaled to unit size, shrink the image by ``l2`` (the L2 penalty: pixels the unit does not care
    about fade to 0), blur it with ``blur`` pixels (no speckles a unit would like but nobody could read), and
    clip it to [0, 1], the range of the images. For an image layer the unit is the channel's centre pixel, so
    the picture fills that pixel's receptive field; for a Dense layer it is the neuron's z (the logit of an
    output), because the probability saturates.

    ``input_shape`` is one sample's shape; None works for a Dense first layer, an image model needs e.g.
    (1, 16, 16). The layers' caches and ``grad_*`` are overwritten (as by any backward pass).

    Shapes: -> input_shape, e.g. (1, 16, 16).

    Example:
        >>> model = shapes_cnn(seed=0)
        >>> picture = activation_maximization(model, layer=0, unit=3, input_shape=(1, 16, 16), steps=60)
        >>> picture.shape, bool(picture.min() >= 0 and picture.max() <= 1)
        ((1, 16, 16), True)
        >>> bool(picture[0, :4].max() < 0.05)    # far from the centre's 3x3 field the L2 penalty wins
        True
    """
    position = check_layer_index(model.layers, layer)
    if input_shape is None:
        first = model.layers[0]
        if not hasattr(first, "n_inputs"):
            raise ValueError("activation_maximization needs input_shape, one sample's shape, for a model that "
                             "does not start with a Dense layer, e.g. input_shape=(1, 16, 16) for 16x16 images.")
        input_shape = (first.n_inputs,)
    input_shape = tuple(int(s) for s in input_shape)
    steps = check_positive_int(steps, "steps")
    index = _unit_index(model, position, unit, input_shape)
    rng = np.random.default_rng(seed)
    image = rng.uniform(0.0, 0.5, size=input_shape)  # bright enough that ReLU units are on and pass gradient
    jitter = int(jitter) if len(input_shape) == 3 else 0
    for _ in range(steps):
        shift = tuple(rng.integers(-jitter, jitter + 1, size=2)) if jitter else (0, 0)
        moved = np.roll(image, shift, axis=(-2, -1)) if jitter else image
        _, grad = _unit_gradient(model, moved, position, index)
        if jitter:
            grad = np.roll(grad, (-shift[0], -shift[1]), axis=(-2, -1))
        size = np.sqrt(np.mean(grad**2))
        if size == 0:  # every ReLU on the way is off: no gradient to follow, so try a fresh random start
            image = rng.uniform(0.0, 1.0, size=input_shape)
            continue
        image = image + lr * grad / size - l2 * image
        if blur and len(input_shape) >= 2:
            image = blur_image(image, blur)
        image = np.clip(image, 0.0, 1.0)
    return image

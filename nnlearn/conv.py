"""Convolution and max-pooling layers for images, with the backward pass written out next to the forward pass.

Images are ``(batch, channels, height, width)``, as in PyTorch. A convolution slides a small stack of weights (a
filter) over the image and takes a weighted sum at every position. Written as one matrix product (the "im2col"
idea): copy every patch the filter sees into a column, then ``weights @ columns`` computes every weighted sum at
once. The backward pass runs the same bookkeeping in reverse: each column's gradient is added back onto the pixels
that patch came from.

Example:
    >>> import numpy as np
    >>> layer = Conv2D(1, 4, kernel_size=3, padding=1, seed=0)
    >>> layer.forward(np.zeros((2, 1, 8, 8))).shape
    (2, 4, 8, 8)
    >>> MaxPool2D(2).forward(np.zeros((2, 4, 8, 8))).shape
    (2, 4, 4, 4)
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import activations
from .layers import Layer, _initial_weights, check_init, register_layer
from .validation import as_float_array, check_images, check_int_pair, check_positive_int, check_window_fits

__all__ = ["Conv2D", "MaxPool2D"]


def _size_config(pair: tuple[int, int]) -> int | list[int]:
    """3 for (3, 3), [3, 5] for (3, 5): the short form for save files and repr."""
    return pair[0] if pair[0] == pair[1] else list(pair)


def _size_text(pair: tuple[int, int], times: bool = True) -> str:
    """'3x3' for a window, '2' or '(2, 1)' for a stride or padding."""
    if times:
        return f"{pair[0]}x{pair[1]}"
    return str(pair[0]) if pair[0] == pair[1] else str(pair)


def _window_slice(offset: int, n_windows: int, stride: int) -> slice:
    """The pixels at one offset inside the window, one per window: offset, offset + stride, ..."""
    return slice(offset, offset + stride * (n_windows - 1) + 1, stride)


def _image_shape(input_shape, n_channels: int | None, layer: str) -> tuple[int, int, int]:
    """Check one image's shape (channels, height, width), as ``summary(input_shape=...)`` passes it."""
    shape = tuple(int(s) for s in input_shape)
    if len(shape) != 3 or (n_channels is not None and shape[0] != n_channels):
        channels = "channels" if n_channels is None else n_channels
        raise ValueError(f"{layer} expects one image of shape ({channels}, height, width) but got {shape}.")
    return shape


@register_layer
class Conv2D(Layer):
    """2-D convolution: slide out_channels filters over the image, z = weighted sum + bias, output = activation(z).

    Output size in each direction: (input + 2 * padding - kernel) // stride + 1.

    Shapes: x (batch, in_channels, height, width) -> (batch, out_channels, out_height, out_width);
    weights (out_channels, in_channels, kernel_height, kernel_width); bias (out_channels,).

    Example:
        >>> import numpy as np
        >>> layer = Conv2D(1, 1, kernel_size=2)
        >>> layer.weights[:] = [[[[1.0, 0.0], [0.0, -1.0]]]]      # top-left minus bottom-right
        >>> image = np.array([[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]])
        >>> layer.forward(image)[0, 0]                              # 1 - 5, 2 - 6, 4 - 8, 5 - 9
        array([[-4., -4.],
               [-4., -4.]])
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        activation: str | activations.Activation = "identity",
        seed: int | None = None,
        init: str = "auto",
    ):
        self.in_channels = check_positive_int(in_channels, "in_channels")
        self.out_channels = check_positive_int(out_channels, "out_channels")
        self.kernel_size = check_int_pair(kernel_size, "kernel_size")
        self.stride = check_int_pair(stride, "stride")
        self.padding = check_int_pair(padding, "padding", minimum=0)
        self.activation = activations.get(activation)
        if not self.activation.elementwise:
            raise ValueError(
                f"Conv2D does not take a {self.activation.name} activation: it works on a whole row (as softmax "
                "turns one row of class scores into probabilities), and a convolution gives a map per channel. End "
                "the network with Flatten() and Dense(n_inputs, n_classes, 'softmax')."
            )
        self.init = check_init(init)  # 'auto': He for ReLU-like activations, Glorot otherwise
        self.seed = seed
        self.grad_weights: np.ndarray | None = None
        self.grad_bias: np.ndarray | None = None
        self._cache = None
        self.initialize(np.random.default_rng(seed))

    def initialize(self, rng):
        kernel_height, kernel_width = self.kernel_size
        # Each output pixel sums in_channels * kh * kw inputs: that is the fan-in the variance rule needs.
        fan_in = self.in_channels * kernel_height * kernel_width
        fan_out = self.out_channels * kernel_height * kernel_width
        shape = (self.out_channels, self.in_channels, kernel_height, kernel_width)
        self.weights = _initial_weights(rng, fan_in, fan_out, self.activation, shape, self.init)
        self.bias = np.zeros(self.out_channels)

    def parameters(self):
        return {"weights": self.weights, "bias": self.bias}

    def forward(self, x):
        x = check_images(as_float_array(x, "x", allow_nan=True), self.in_channels, self.describe())
        batch, _, height, width = x.shape
        out_height, out_width = check_window_fits(
            height, width, self.kernel_size, self.stride, self.padding, self.describe()
        )
        pad_h, pad_w = self.padding
        padded = np.pad(x, ((0, 0), (0, 0), (pad_h, pad_h), (pad_w, pad_w))) if pad_h or pad_w else x
        columns = self._image_to_columns(padded, out_height, out_width)
        # One matrix product per image: (out_channels, in_channels*kh*kw) @ (in_channels*kh*kw, out_pixels).
        z = self.weights.reshape(self.out_channels, -1) @ columns
        z = z.reshape(batch, self.out_channels, out_height, out_width)
        z += self.bias[:, None, None]
        self._cache = (x.shape, padded.shape, columns, z)  # what backward needs, nothing more
        return self.activation(z)

    def backward(self, grad_output):
        z = self._require_cache()[3]
        grad_z = self.activation.backward(z, grad_output)  # through the activation
        return self.backward_from_z(grad_z)

    def backward_from_z(self, grad_z: np.ndarray) -> np.ndarray | None:
        """The backward pass from the gradient at z (used when a loss is fused with the activation).

        With ``self.input_gradient`` False it sets the parameter gradients only and returns None.
        """
        input_shape, padded_shape, columns, z = self._require_cache()
        batch = grad_z.shape[0]
        grad_z = grad_z.reshape(batch, self.out_channels, -1)  # (batch, out_channels, out_pixels)
        weights = self.weights.reshape(self.out_channels, -1)
        # z = weights @ columns + bias, image by image, so as for Dense: dW = dz @ columns^T summed over images...
        self.grad_weights = (grad_z @ columns.transpose(0, 2, 1)).sum(axis=0).reshape(self.weights.shape)
        self.grad_bias = grad_z.sum(axis=(0, 2))
        if not self.input_gradient:
            return None
        # ...and d columns = W^T @ dz, which _columns_to_image adds back onto the pixels each patch came from.
        grad_columns = weights.T @ grad_z
        grad_padded = self._columns_to_image(grad_columns, padded_shape, z.shape[2], z.shape[3])
        pad_h, pad_w = self.padding
        height, width = input_shape[2], input_shape[3]
        return grad_padded[:, :, pad_h : pad_h + height, pad_w : pad_w + width]  # padding pixels get no gradient

    def _image_to_columns(self, padded: np.ndarray, out_height: int, out_width: int) -> np.ndarray:
        """Every patch the filters see, one column per output pixel.

        Shapes: padded (batch, in_channels, H, W) -> (batch, in_channels*kh*kw, out_height*out_width).
        """
        stride_h, stride_w = self.stride
        # A view, no copy: windows[b, c, i, j] is the kh x kw patch whose top-left pixel is (i, j).
        windows = sliding_window_view(padded, self.kernel_size, axis=(2, 3))
        # With a stride, keep every stride-th window: top-left pixels 0, stride, 2 * stride, ...
        windows = windows[:, :, _window_slice(0, out_height, stride_h), _window_slice(0, out_width, stride_w)]
        # Order the rows (channel, kernel row, kernel column) to match weights.reshape(out_channels, -1).
        columns = windows.transpose(0, 1, 4, 5, 2, 3)
        return columns.reshape(padded.shape[0], -1, out_height * out_width)  # the one copy

    def _columns_to_image(self, grad_columns: np.ndarray, padded_shape, out_height: int, out_width: int) -> np.ndarray:
        """The reverse of _image_to_columns: add each column's gradient back onto the pixels it was copied from.

        Shapes: grad_columns (batch, in_channels*kh*kw, out_height*out_width) -> padded_shape.
        """
        kernel_height, kernel_width = self.kernel_size
        stride_h, stride_w = self.stride
        batch, channels = padded_shape[:2]
        grad_columns = grad_columns.reshape(batch, channels, kernel_height, kernel_width, out_height, out_width)
        grad_padded = np.zeros(padded_shape)
        # A pixel sits in several overlapping patches, so its gradient is a sum. One strided add per kernel
        # offset (kh * kw of them) covers every patch and every image at once.
        for i in range(kernel_height):
            rows = _window_slice(i, out_height, stride_h)
            for j in range(kernel_width):
                grad_padded[:, :, rows, _window_slice(j, out_width, stride_w)] += grad_columns[:, :, i, j]
        return grad_padded

    @property
    def last_z(self) -> np.ndarray | None:
        """The pre-activation z of the last forward pass."""
        return None if self._cache is None else self._cache[3]

    def get_config(self):
        config = {
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "kernel_size": _size_config(self.kernel_size),
            "stride": _size_config(self.stride),
            "padding": _size_config(self.padding),
            "activation": self.activation.spec(),
        }
        if self.init != "auto":  # only when chosen, so older save files and reprs stay as they were
            config["init"] = self.init
        return config

    def output_shape(self, input_shape):
        """Per-sample output shape, e.g. (1, 16, 16) -> (8, 16, 16) for Conv2D(1, 8, 3, padding=1)."""
        _, height, width = _image_shape(input_shape, self.in_channels, self.describe())
        out_height, out_width = check_window_fits(
            height, width, self.kernel_size, self.stride, self.padding, self.describe()
        )
        return (self.out_channels, out_height, out_width)

    def _shape_text(self):
        text = f"{self.in_channels} -> {self.out_channels} channels, {_size_text(self.kernel_size)}"
        if self.stride != (1, 1):
            text += f", stride {_size_text(self.stride, times=False)}"
        if self.padding != (0, 0):
            text += f", padding {_size_text(self.padding, times=False)}"
        return text


@register_layer
class MaxPool2D(Layer):
    """Keep the largest value of each size x size window, channel by channel (stride defaults to size).

    As in PyTorch, a last partial window is dropped: out = (input - size) // stride + 1. The gradient goes to
    the one pixel that held the maximum; where several tie, to the first of them (row by row), as PyTorch does.

    Shapes: x (batch, channels, height, width) -> (batch, channels, out_height, out_width); no parameters.

    Example:
        >>> import numpy as np
        >>> x = np.array([[[[1.0, 2.0, 0.0, 0.0],
        ...                 [3.0, 4.0, 0.0, 5.0]]]])
        >>> pool = MaxPool2D(2)
        >>> pool.forward(x)                        # max(1, 2, 3, 4), max(0, 0, 0, 5)
        array([[[[4., 5.]]]])
        >>> pool.backward(np.array([[[[10.0, 20.0]]]]))
        array([[[[ 0.,  0.,  0.,  0.],
                 [ 0., 10.,  0., 20.]]]])
    """

    def __init__(self, size: int | tuple[int, int], stride: int | tuple[int, int] | None = None):
        self.size = check_int_pair(size, "size")
        self.stride = self.size if stride is None else check_int_pair(stride, "stride")
        self._cache = None

    def forward(self, x):
        x = check_images(as_float_array(x, "x", allow_nan=True), None, self.describe())
        out_height, out_width = check_window_fits(
            x.shape[2], x.shape[3], self.size, self.stride, None, self.describe(), "pooling window"
        )
        # Walk through the offsets inside the window; each strided slice holds that offset's pixel of every
        # window, so np.maximum compares all windows at once (much faster than an argmax over each window).
        out = None
        for rows, cols in self._offsets(out_height, out_width):
            out = x[:, :, rows, cols].copy() if out is None else np.maximum(out, x[:, :, rows, cols], out=out)
        self._cache = (x, out)
        return out

    def backward(self, grad_output):
        x, out = self._require_cache()
        grad_x = np.zeros(x.shape)
        not_routed = np.ones(out.shape, dtype=bool)
        # Same walk: the first offset that holds the window's maximum receives the gradient, later ties none.
        for rows, cols in self._offsets(out.shape[2], out.shape[3]):
            winner = x[:, :, rows, cols] == out
            winner &= not_routed
            not_routed ^= winner  # winner is inside not_routed, so this removes it
            grad_x[:, :, rows, cols] += grad_output * winner  # += because overlapping windows share pixels
        return grad_x

    def _offsets(self, out_height: int, out_width: int):
        """(rows, cols) slices for every offset in the window, row by row."""
        for i in range(self.size[0]):
            for j in range(self.size[1]):
                yield _window_slice(i, out_height, self.stride[0]), _window_slice(j, out_width, self.stride[1])

    def get_config(self):
        return {"size": _size_config(self.size), "stride": _size_config(self.stride)}

    def output_shape(self, input_shape):
        """Per-sample output shape, e.g. (8, 16, 16) -> (8, 8, 8) for MaxPool2D(2)."""
        channels, height, width = _image_shape(input_shape, None, self.describe())
        out_height, out_width = check_window_fits(
            height, width, self.size, self.stride, None, self.describe(), "pooling window"
        )
        return (channels, out_height, out_width)

    def _shape_text(self):
        text = _size_text(self.size)
        return text + (f", stride {_size_text(self.stride, times=False)}" if self.stride != self.size else "")

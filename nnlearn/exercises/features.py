"""Exercises about learned features: what one unit of a convolutional network can see."""

from __future__ import annotations

from . import exercise


@exercise(
    "receptive_field_size",
    "The lesson's CNN is Conv2D(3x3, padding 1) -> MaxPool2D(2) -> Conv2D(3x3, padding 1). How many pixels "
    "wide is the square of the input image that one unit of the second convolution sees?",
    hint="A 3x3 window on the input sees 3 pixels. Pooling by 2 makes neighbouring values 2 input pixels apart "
         "and widens the view to 4; a 3x3 window on top of that spans 3 pooled values, 2 steps of 2 pixels more.",
    solution=(
        "size = 8\n"
        "conv 1: 3 pixels (neighbours 1 pixel apart); pool 2x2: 3 + (2 - 1) * 1 = 4, neighbours now 2 apart;\n"
        "conv 2: 4 + (3 - 1) * 2 = 8. nl.hierarchy.receptive_field(model, 2).size gives the same 8: half of the\n"
        "16x16 image, room for a stroke or a corner but not for a whole square."
    ),
    concept="features",
)
def receptive_field_size(size):
    if isinstance(size, bool) or not isinstance(size, (int, float)) or size != int(size):
        raise ValueError(f"size must be a whole number of pixels, but got {size!r}")
    size = int(size)
    if size == 8:
        return True, "8 pixels: each 3x3 convolution widens the view by 2 steps, and pooling doubles the step."
    if size == 9:
        return False, "9 would be two 3x3 windows multiplied; they overlap instead of stacking side by side."
    if size == 5:
        return False, "5 is two 3x3 convolutions without the pooling between them: pooling doubles the step."
    return False, f"one unit of the second convolution does not see {size} pixels across."

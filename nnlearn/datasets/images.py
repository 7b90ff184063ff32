"""Small grey-scale image sets: generated stroke shapes, the real 8x8 handwritten digits and a sample scene.

Pixel values are float64 in [0, 1], 0 black and 1 white; images are (height, width) with row 0 at the top.
The digits and the sample scene are read from files shipped in `nnlearn/datasets/data/` (see its README.md).
"""

from __future__ import annotations

from importlib import resources

import numpy as np

from ._checks import check_count, check_noise

SHAPE_NAMES = ("horizontal line", "vertical line", "cross", "square", "triangle", "circle")

# Which strokes (parts) each object is built from: edges -> strokes -> objects is the hierarchy a CNN can learn.
SHAPE_PARTS = {
    "horizontal line": ("horizontal stroke",),
    "vertical line": ("vertical stroke",),
    "cross": ("horizontal stroke", "vertical stroke"),
    "square": ("horizontal stroke", "horizontal stroke", "vertical stroke", "vertical stroke"),
    "triangle": ("rising diagonal stroke", "falling diagonal stroke", "horizontal stroke"),
    "circle": ("curved stroke",),
}


def _distance_to_segment(rows: np.ndarray, cols: np.ndarray, start: tuple[float, float],
                         end: tuple[float, float]) -> np.ndarray:
    """Distance from every pixel centre to the segment from start to end, points given as (row, col)."""
    direction = np.subtract(end, start)
    to_pixel_row, to_pixel_col = rows - start[0], cols - start[1]
    # where along the segment (0 at start, 1 at end) the closest point is
    along = np.clip((to_pixel_row * direction[0] + to_pixel_col * direction[1]) / (direction @ direction), 0, 1)
    return np.hypot(to_pixel_row - along * direction[0], to_pixel_col - along * direction[1])


def _strokes(label: int, row: float, col: float, half: float) -> list[tuple[tuple[float, float], ...]]:
    """The straight strokes of shape `label` centred at (row, col) with half-size `half`."""
    top, bottom, left, right = row - half, row + half, col - half, col + half
    horizontal = ((row, left), (row, right))
    vertical = ((top, col), (bottom, col))
    if label == 0:
        return [horizontal]
    if label == 1:
        return [vertical]
    if label == 2:
        return [horizontal, vertical]
    if label == 3:
        return [((top, left), (top, right)), ((bottom, left), (bottom, right)),
                ((top, left), (bottom, left)), ((top, right), (bottom, right))]
    if label == 4:
        apex = (top, col)
        return [((bottom, left), apex), (apex, (bottom, right)), ((bottom, left), (bottom, right))]
    return []  # the circle is drawn from its radius instead


def _draw_shape(label: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """One anti-aliased shape with a little random position, size and stroke-width jitter."""
    scale = size / 16.0
    row, col = (size - 1) / 2.0 + rng.uniform(-1.5, 1.5, size=2) * scale
    half = rng.uniform(0.24, 0.32) * size
    width = rng.uniform(1.0, 2.0) * scale
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float64)
    if label == 5:
        distance = np.abs(np.hypot(rows - row, cols - col) - half)
    else:
        distance = np.min([_distance_to_segment(rows, cols, start, end)
                           for start, end in _strokes(label, row, col, half)], axis=0)
    # ink falls off linearly over one pixel at the stroke's edge, which smooths the steps of the pixel grid
    return np.clip(width / 2.0 + 0.5 - distance, 0.0, 1.0)


def shapes(n: int = 600, size: int = 16, noise: float = 0.05,
           seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """White stroke drawings of simple objects on black, one class per name in SHAPE_NAMES.

    Shapes: images (n, size, size) float64 in [0, 1], labels (n,) int64 in 0..len(SHAPE_NAMES)-1.

    Each object is made of strokes (see SHAPE_PARTS): a cross is a horizontal plus a vertical stroke, a square
    four of them. Position jitters by up to 1.5 pixels (at size 16), size and stroke width vary a little, then
    Gaussian pixel noise of standard deviation `noise` is added and the result clipped to [0, 1].
    The classes are balanced (counts differ by at most one).

    Example:
    >>> images, labels = shapes(n=12, seed=0)
    >>> images.shape, labels.shape, [SHAPE_NAMES[label] for label in labels[:3]]
    ((12, 16, 16), (12,), ['triangle', 'vertical line', 'square'])
    """
    n = check_count(n, "n", "shapes()")
    size = check_count(size, "size (image height and width in pixels)", "shapes()", minimum=8)
    noise = check_noise(noise, "shapes()")
    rng = np.random.default_rng(seed)
    n_classes = len(SHAPE_NAMES)
    counts = np.full(n_classes, n // n_classes)
    counts[: n % n_classes] += 1
    labels = rng.permutation(np.repeat(np.arange(n_classes, dtype=np.int64), counts))
    images = np.stack([_draw_shape(int(label), size, rng) for label in labels])
    images += rng.normal(0.0, noise, size=images.shape)
    return np.clip(images, 0.0, 1.0), labels


def _read_npz(filename: str) -> dict[str, np.ndarray]:
    """Every array in the shipped file data/<filename>."""
    with resources.files(__package__).joinpath("data").joinpath(filename).open("rb") as file:
        with np.load(file) as archive:
            return {key: archive[key] for key in archive.files}


def digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1797 real 8x8 handwritten digits of the UCI "Optical Recognition of Handwritten Digits" set.

    Shapes: images (1797, 8, 8) float64 in [0, 1], labels (1797,) int64 in 0..9.

    Each pixel counted the ink in a 4x4 block of a 32x32 scan (0..16); here it is divided by 16.
    Source: Alpaydin & Kaynak (1998), UCI Machine Learning Repository, CC BY 4.0 (see data/README.md).

    Example:
    >>> images, labels = digits()
    >>> images.shape, labels.shape, float(images.max()), labels[:5].tolist()
    ((1797, 8, 8), (1797,), 1.0, [0, 1, 2, 3, 4])
    """
    arrays = _read_npz("digits.npz")
    return arrays["images"].astype(np.float64) / 16.0, arrays["labels"].astype(np.int64)


SAMPLE_IMAGES = ("house",)


def sample_image(name: str = "house") -> np.ndarray:
    """A 128x128 grey-scale scene with edges in many directions, for trying out convolution filters.

    Shapes: returns (128, 128) float64 in [0, 1].

    "house": a house with a roof, windows and a door, a tree, the sun, hills and a textured lawn.
    It is drawn by scripts/make_sample_image.py (self-made, public domain) and shipped as data/sample_image.npz.

    Example:
    >>> image = sample_image()
    >>> image.shape, image.dtype, float(image.min()) >= 0.0, float(image.max()) <= 1.0
    ((128, 128), dtype('float64'), True, True)
    """
    if name not in SAMPLE_IMAGES:
        valid = ", ".join(repr(valid_name) for valid_name in SAMPLE_IMAGES)
        raise ValueError(f"sample_image(): unknown image {name!r}. Valid names are {valid}.")
    return _read_npz("sample_image.npz")[name].astype(np.float64) / 255.0

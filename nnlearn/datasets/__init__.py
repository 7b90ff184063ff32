"""Data sets for the lessons: generated on the spot from a seed, or read from files shipped with the package.

- 2-D problems (`planar`): xor, moons, circles, spirals, blobs, gaussians; regression_1d, plane, multi_gaussian;
  `load(name)` picks one by name, `train_test_split` holds out a test set.
- Images (`images`): shapes (generated strokes), digits (real 8x8 handwriting), sample_image (a scene).
- Sequences (`sequences`): sine_sequences, running_sum, running_parity, lookup_task (for attention).
- Recommendation (`recommend`): ratings with hidden genres and tastes.
- Text (`text`): names (32,033 first names) and shakespeare (1,115,394 characters), shipped compressed.

Nothing is downloaded and every random choice comes from `np.random.default_rng(seed)`.
"""

from .images import SAMPLE_IMAGES, SHAPE_NAMES, SHAPE_PARTS, digits, sample_image, shapes
from .planar import (
    CLASSIFICATION,
    REGRESSION,
    blob_centers,
    blobs,
    circles,
    gaussians,
    load,
    moons,
    multi_gaussian,
    multi_gaussian_surface,
    plane,
    regression_1d,
    spirals,
    train_test_split,
    xor,
)
from .recommend import GENRE_NAMES, Ratings, ratings
from .sequences import lookup_task, running_parity, running_sum, sine_sequences
from .text import names, shakespeare

__all__ = [
    "CLASSIFICATION", "REGRESSION", "xor", "moons", "circles", "spirals", "blobs", "blob_centers", "gaussians",
    "regression_1d", "plane", "multi_gaussian", "multi_gaussian_surface", "train_test_split", "load",
    "SHAPE_NAMES", "SHAPE_PARTS", "shapes", "digits", "SAMPLE_IMAGES", "sample_image",
    "sine_sequences", "running_sum", "running_parity", "lookup_task",
    "GENRE_NAMES", "Ratings", "ratings",
    "names", "shakespeare",
]

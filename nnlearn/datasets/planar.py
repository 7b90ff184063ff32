"""Two-dimensional toy problems in the spirit of the TensorFlow Playground, plus a seeded train/test split.

Every function draws its clean geometry first and its Gaussian noise last, so the same seed with a different
`noise` moves the same points by a different amount. Inputs lie roughly in [-1.5, 1.5] on both axes.
`seed` is anything `np.random.default_rng` accepts (None, an int, or a Generator).
"""

from __future__ import annotations

import difflib

import numpy as np

from ._checks import check_count, check_noise, check_open_fraction


def _balanced_labels(n: int, n_classes: int, rng: np.random.Generator) -> np.ndarray:
    """Labels 0..n_classes-1 whose counts differ by at most one, in a random order."""
    counts = np.full(n_classes, n // n_classes)
    counts[: n % n_classes] += 1
    return rng.permutation(np.repeat(np.arange(n_classes, dtype=np.int64), counts))


def _add_noise(clean: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    return clean + rng.normal(0.0, noise, size=clean.shape)


def xor(n: int = 400, noise: float = 0.1, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Points in four quadrants; label 1 where the two coordinates have opposite signs (XOR of the signs).

    Shapes: x (n, 2) float64, y (n,) int64 with labels 0 and 1.

    A gap of 0.1 is kept around both axes before the noise (standard deviation `noise`) is added.

    Example:
    >>> x, y = xor(n=100, seed=0)
    >>> x.shape, y.shape, sorted(set(y.tolist()))
    ((100, 2), (100,), [0, 1])
    """
    n = check_count(n, "n", "xor()")
    noise = check_noise(noise, "xor()")
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, 2, rng)
    first_sign = rng.choice([-1.0, 1.0], size=n)
    second_sign = np.where(y == 1, -first_sign, first_sign)
    magnitude = rng.uniform(0.1, 1.0, size=(n, 2))
    x = magnitude * np.column_stack([first_sign, second_sign])
    return _add_noise(x, noise, rng), y


def moons(n: int = 400, noise: float = 0.1, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles of radius 1: label 0 arches up, label 1 hangs down.

    Shapes: x (n, 2) float64, y (n,) int64 with labels 0 and 1.

    Without noise, label 0 lies on the upper half of the unit circle around (-0.5, -0.25) and label 1 on the
    lower half of the unit circle around (0.5, 0.25); the pair is centred on the origin.

    Example:
    >>> x, y = moons(n=6, noise=0.0, seed=0)
    >>> x.shape, y.tolist()
    ((6, 2), [1, 0, 1, 1, 0, 0])
    """
    n = check_count(n, "n", "moons()")
    noise = check_noise(noise, "moons()")
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, 2, rng)
    angle = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(angle) - 0.5, np.sin(angle) - 0.25])
    lower = np.column_stack([0.5 - np.cos(angle), 0.25 - np.sin(angle)])
    x = np.where(y[:, None] == 0, upper, lower)
    return _add_noise(x, noise, rng), y


def circles(n: int = 400, noise: float = 0.1, seed: int | None = None,
            factor: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """An outer ring of radius 1 (label 0) around an inner circle of radius `factor` (label 1).

    Shapes: x (n, 2) float64, y (n,) int64 with labels 0 and 1.

    Example:
    >>> x, y = circles(n=200, noise=0.0, seed=0)
    >>> radius = np.linalg.norm(x, axis=1)
    >>> sorted(set(radius[y == 0].round(6).tolist())), sorted(set(radius[y == 1].round(6).tolist()))
    ([1.0], [0.5])
    """
    n = check_count(n, "n", "circles()")
    noise = check_noise(noise, "circles()")
    factor = check_open_fraction(factor, "factor (inner radius / outer radius)", "circles()")
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, 2, rng)
    angle = rng.uniform(0.0, 2.0 * np.pi, size=n)
    radius = np.where(y == 1, factor, 1.0)
    x = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _add_noise(x, noise, rng), y


SPIRAL_TURNS = 1.0  # turns per arm: enough to need a curved boundary, few enough for a 2-16-16-k net


def spirals(n: int = 400, noise: float = 0.1, seed: int | None = None,
            classes: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """`classes` interleaved spiral arms around the origin, one label per arm.

    Shapes: x (n, 2) float64, y (n,) int64 with labels 0..classes-1.

    Arm k at parameter t in [0, 1] sits at radius 0.15 + 1.25 t and angle 2 pi (SPIRAL_TURNS t + k / classes).

    Example:
    >>> x, y = spirals(n=300, classes=3, seed=0)
    >>> x.shape, np.bincount(y).tolist()
    ((300, 2), [100, 100, 100])
    """
    n = check_count(n, "n", "spirals()")
    noise = check_noise(noise, "spirals()")
    classes = check_count(classes, "classes (the number of spiral arms)", "spirals()", minimum=2)
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, classes, rng)
    t = rng.uniform(0.0, 1.0, size=n)
    radius = 0.15 + 1.25 * t
    angle = 2.0 * np.pi * (SPIRAL_TURNS * t + y / classes)
    x = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _add_noise(x, noise, rng), y


def blob_centers(centers: int = 3, seed: int | None = None) -> np.ndarray:
    """The well-separated centres `blobs` uses for the same `centers` and `seed`.

    Shapes: returns (centers, 2) float64.

    The centres go round a circle in order, each with a random angle jitter and a radius in [0.6, 1.1], so
    neighbours are always at least 0.6 * 2 sin(pi / (2 centers)) apart (0.6 for three centres).

    Example:
    >>> blob_centers(3, seed=0).shape
    (3, 2)
    """
    centers = check_count(centers, "centers (the number of blobs)", "blob_centers()", minimum=2)
    rng = np.random.default_rng(seed)
    return _blob_centers(centers, rng)


def _blob_centers(centers: int, rng: np.random.Generator) -> np.ndarray:
    step = 2.0 * np.pi / centers
    angle = rng.uniform(0.0, 2.0 * np.pi) + step * (np.arange(centers) + rng.uniform(-0.25, 0.25, centers))
    radius = rng.uniform(0.6, 1.1, size=centers)
    return radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])


def blobs(n: int = 400, noise: float = 0.1, seed: int | None = None,
          centers: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Round Gaussian blobs, one per label; `noise` is each blob's standard deviation.

    Shapes: x (n, 2) float64, y (n,) int64 with labels 0..centers-1.

    The centres are drawn from `seed` too (see `blob_centers`); with noise=0 every point sits on its centre.

    Example:
    >>> x, y = blobs(n=90, centers=3, seed=0)
    >>> x.shape, np.bincount(y).tolist()
    ((90, 2), [30, 30, 30])
    """
    n = check_count(n, "n", "blobs()")
    noise = check_noise(noise, "blobs()")
    centers = check_count(centers, "centers (the number of blobs)", "blobs()", minimum=2)
    rng = np.random.default_rng(seed)
    middle = _blob_centers(centers, rng)
    y = _balanced_labels(n, centers, rng)
    return _add_noise(middle[y], noise, rng), y


def gaussians(n: int = 400, noise: float = 0.1, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds, label 0 around (-0.6, -0.6) and label 1 around (0.6, 0.6); `noise` is their spread.

    Shapes: x (n, 2) float64, y (n,) int64 with labels 0 and 1.

    A straight line separates them, so this is the problem for a single neuron.

    Example:
    >>> x, y = gaussians(n=4, noise=0.0, seed=0)
    >>> x[y == 1][0].tolist()
    [0.6, 0.6]
    """
    n = check_count(n, "n", "gaussians()")
    noise = check_noise(noise, "gaussians()")
    rng = np.random.default_rng(seed)
    y = _balanced_labels(n, 2, rng)
    middle = np.where(y[:, None] == 1, 0.6, -0.6) * np.ones((n, 2))
    return _add_noise(middle, noise, rng), y


def regression_1d(n: int = 200, noise: float = 0.1, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A wavy curve to fit: y = sin(3 x) + 0.3 x plus Gaussian noise, with x uniform in [-1.5, 1.5].

    Shapes: x (n, 1) float64 (one feature per sample, ready for a Dense layer), y (n,) float64.

    Example:
    >>> x, y = regression_1d(n=50, noise=0.0, seed=0)
    >>> x.shape, y.shape, bool(np.allclose(y, np.sin(3 * x[:, 0]) + 0.3 * x[:, 0]))
    ((50, 1), (50,), True)
    """
    n = check_count(n, "n", "regression_1d()")
    noise = check_noise(noise, "regression_1d()")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, size=(n, 1))
    clean = np.sin(3.0 * x[:, 0]) + 0.3 * x[:, 0]
    return x, _add_noise(clean, noise, rng)


def plane(n: int = 400, noise: float = 0.1, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A tilted plane to fit: y = 0.75 x1 - 0.5 x2 plus Gaussian noise, with x uniform in [-1.5, 1.5]^2.

    Shapes: x (n, 2) float64, y (n,) float64.

    A single linear neuron can learn it exactly: weights (0.75, -0.5), bias 0.

    Example:
    >>> x, y = plane(n=20, noise=0.0, seed=0)
    >>> x.shape, bool(np.allclose(y, 0.75 * x[:, 0] - 0.5 * x[:, 1]))
    ((20, 2), True)
    """
    n = check_count(n, "n", "plane()")
    noise = check_noise(noise, "plane()")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, size=(n, 2))
    clean = 0.75 * x[:, 0] - 0.5 * x[:, 1]
    return x, _add_noise(clean, noise, rng)


# (centre x1, centre x2, sign): a 3 x 2 checkerboard of bumps, like the Playground's "multi gaussian".
MULTI_GAUSSIAN_BUMPS = (
    (-1.0, 0.6, 1.0), (0.0, 0.6, -1.0), (1.0, 0.6, 1.0),
    (-1.0, -0.6, -1.0), (0.0, -0.6, 1.0), (1.0, -0.6, -1.0),
)
MULTI_GAUSSIAN_WIDTH = 0.35  # standard deviation of each bump


def multi_gaussian_surface(x: np.ndarray) -> np.ndarray:
    """The noise-free target of `multi_gaussian`: a sum of signed Gaussian bumps, values in about [-1, 1].

    Shapes: x (n, 2) -> (n,).

    Example:
    >>> multi_gaussian_surface(np.array([[-1.0, 0.6], [0.0, 0.6]])).round(2).tolist()
    [0.98, -0.96]
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"multi_gaussian_surface(): x must have shape (n, 2), but got {x.shape}.")
    total = np.zeros(len(x))
    for centre_1, centre_2, sign in MULTI_GAUSSIAN_BUMPS:
        squared_distance = (x[:, 0] - centre_1) ** 2 + (x[:, 1] - centre_2) ** 2
        total += sign * np.exp(-squared_distance / (2.0 * MULTI_GAUSSIAN_WIDTH ** 2))
    return total


def multi_gaussian(n: int = 400, noise: float = 0.1, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A bumpy surface to fit: six signed Gaussian bumps (see `multi_gaussian_surface`) plus Gaussian noise.

    Shapes: x (n, 2) float64 uniform in [-1.5, 1.5]^2, y (n,) float64.

    Example:
    >>> x, y = multi_gaussian(n=30, noise=0.0, seed=0)
    >>> x.shape, bool(np.allclose(y, multi_gaussian_surface(x)))
    ((30, 2), True)
    """
    n = check_count(n, "n", "multi_gaussian()")
    noise = check_noise(noise, "multi_gaussian()")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.5, 1.5, size=(n, 2))
    return x, _add_noise(multi_gaussian_surface(x), noise, rng)


def train_test_split(x: np.ndarray, y: np.ndarray, test_fraction: float = 0.2,
                     seed: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the samples and hold out `test_fraction` of them for testing.

    Shapes: x (n, ...), y (n, ...) -> x_train (n - k, ...), x_test (k, ...), y_train (n - k, ...), y_test (k, ...)
    with k = round(test_fraction * n), kept between 1 and n - 1.

    Example:
    >>> x, y = moons(n=100, seed=0)
    >>> x_train, x_test, y_train, y_test = train_test_split(x, y, test_fraction=0.25, seed=0)
    >>> x_train.shape, x_test.shape, y_train.shape, y_test.shape
    ((75, 2), (25, 2), (75,), (25,))
    """
    x = np.asarray(x)
    y = np.asarray(y)
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise ValueError("train_test_split(): x and y must have the same number of samples (first dimension), "
                         f"but got x of shape {x.shape} and y of shape {y.shape}.")
    if len(x) < 2:
        raise ValueError(f"train_test_split(): need at least 2 samples to split, but got {len(x)}.")
    test_fraction = check_open_fraction(test_fraction, "test_fraction", "train_test_split()")
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x))
    n_test = min(max(int(round(test_fraction * len(x))), 1), len(x) - 1)
    test, train = order[:n_test], order[n_test:]
    return x[train], x[test], y[train], y[test]


CLASSIFICATION = ("xor", "moons", "circles", "spirals", "blobs", "gaussians")
REGRESSION = ("regression_1d", "plane", "multi_gaussian")

_SETS = {
    "xor": xor, "moons": moons, "circles": circles, "spirals": spirals, "blobs": blobs,
    "gaussians": gaussians, "regression_1d": regression_1d, "plane": plane, "multi_gaussian": multi_gaussian,
}


def load(name: str, **kwargs: object) -> tuple[np.ndarray, np.ndarray]:
    """Make the 2-D data set called `name` (one of CLASSIFICATION + REGRESSION), passing `kwargs` on.

    Shapes: as the named function, e.g. x (n, 2), y (n,).

    Spelling is forgiving about case, spaces and hyphens ("Multi-Gaussian" works).

    Example:
    >>> x, y = load("circles", n=50, seed=0)
    >>> x.shape, y.shape
    ((50, 2), (50,))
    """
    key = name.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(name, str) else name
    if key not in _SETS:
        valid = ", ".join(repr(valid_name) for valid_name in _SETS)
        close = difflib.get_close_matches(str(key), list(_SETS), n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"load(): unknown data set {name!r}.{hint} Valid names are {valid}.")
    return _SETS[key](**kwargs)

"""Tests for nnlearn.datasets: shapes, exact reproducibility, clean geometry, learnability and teaching errors."""

import ast
import doctest
from pathlib import Path

import numpy as np
import pytest

from nnlearn import datasets
from nnlearn.datasets import images, planar, recommend, sequences

ALL_2D = datasets.CLASSIFICATION + datasets.REGRESSION
N_CLASSES = {"xor": 2, "moons": 2, "circles": 2, "spirals": 3, "blobs": 3, "gaussians": 2}
DATA_DIR = Path(datasets.__file__).parent / "data"


def train_tiny_mlp(x, y, n_classes, hidden=(16, 16), steps=1500, learning_rate=0.02, seed=0):
    """Full-batch Adam on a tanh MLP (sigmoid output for 2 classes, softmax otherwise); returns train accuracy.

    A stand-in for the library's own network, so these tests check the data, not the model.
    """
    rng = np.random.default_rng(seed)
    n_outputs = 1 if n_classes == 2 else n_classes
    sizes = [x.shape[1], *hidden, n_outputs]
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        params += [rng.normal(0.0, 1.0 / np.sqrt(n_in), (n_in, n_out)), np.zeros(n_out)]
    first_moment = [np.zeros_like(p) for p in params]
    second_moment = [np.zeros_like(p) for p in params]
    target = y[:, None].astype(float) if n_outputs == 1 else np.eye(n_classes)[y]

    def forward():
        outputs = [x]
        for layer in range(len(sizes) - 1):
            z = outputs[-1] @ params[2 * layer] + params[2 * layer + 1]
            outputs.append(np.tanh(z) if layer < len(sizes) - 2 else z)
        return outputs

    for step in range(1, steps + 1):
        outputs = forward()
        logits = outputs[-1]
        if n_outputs == 1:
            probability = 0.5 * (1.0 + np.tanh(logits / 2.0))  # sigmoid without overflow
        else:
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
            probability = shifted / shifted.sum(axis=1, keepdims=True)
        grad = (probability - target) / len(x)  # the same for sigmoid+BCE and softmax+cross-entropy
        grads = [None] * len(params)
        for layer in reversed(range(len(sizes) - 1)):
            grads[2 * layer] = outputs[layer].T @ grad
            grads[2 * layer + 1] = grad.sum(axis=0)
            if layer > 0:
                grad = (grad @ params[2 * layer].T) * (1.0 - outputs[layer] ** 2)
        for i, g in enumerate(grads):
            first_moment[i] = 0.9 * first_moment[i] + 0.1 * g
            second_moment[i] = 0.999 * second_moment[i] + 0.001 * g ** 2
            corrected = first_moment[i] / (1 - 0.9 ** step)
            params[i] -= learning_rate * corrected / (np.sqrt(second_moment[i] / (1 - 0.999 ** step)) + 1e-8)
    logits = forward()[-1]
    predicted = (logits[:, 0] > 0).astype(int) if n_outputs == 1 else logits.argmax(axis=1)
    return float(np.mean(predicted == y))


# ---------------------------------------------------------------- 2-D sets: contract shared by all of them


@pytest.mark.parametrize("name", ALL_2D)
@pytest.mark.parametrize("n", [1, 7, 400])
def test_2d_sets_return_exactly_n_samples_with_contract_dtypes(name, n):
    x, y = datasets.load(name, n=n, seed=0)
    features = 1 if name == "regression_1d" else 2
    assert x.shape == (n, features) and x.dtype == np.float64
    assert y.shape == (n,)
    assert y.dtype == (np.int64 if name in datasets.CLASSIFICATION else np.float64)
    assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))


@pytest.mark.parametrize("name", ALL_2D)
def test_2d_sets_default_sizes(name):
    x, y = datasets.load(name)
    assert len(x) == len(y) == (200 if name == "regression_1d" else 400)


@pytest.mark.parametrize("name", ALL_2D)
def test_2d_sets_same_seed_same_data_other_seed_other_data(name):
    x1, y1 = datasets.load(name, seed=3)
    x2, y2 = datasets.load(name, seed=3)
    x3, y3 = datasets.load(name, seed=4)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)
    assert not np.array_equal(x1, x3)


@pytest.mark.parametrize("name", ALL_2D)
def test_2d_sets_accept_a_generator_as_seed(name):
    x1, _ = datasets.load(name, seed=np.random.default_rng(5))
    x2, _ = datasets.load(name, seed=5)
    assert np.array_equal(x1, x2)


@pytest.mark.parametrize("name", ALL_2D)
def test_2d_sets_stay_in_the_plotting_window(name):
    x, _ = datasets.load(name, n=2000, noise=0.1, seed=0)
    assert np.abs(x).max() < 2.0
    assert np.abs(x).max() > 0.8  # and use it


@pytest.mark.parametrize("name", datasets.CLASSIFICATION)
def test_noise_moves_the_same_clean_points_by_gaussian_jitter(name):
    clean, y_clean = datasets.load(name, n=4000, noise=0.0, seed=1)
    noisy, y_noisy = datasets.load(name, n=4000, noise=0.2, seed=1)
    assert np.array_equal(y_clean, y_noisy)
    shift = noisy - clean
    assert abs(shift.mean()) < 0.02
    assert shift.std() == pytest.approx(0.2, rel=0.05)


@pytest.mark.parametrize("name", datasets.REGRESSION)
def test_regression_noise_is_added_to_the_target_only(name):
    x_clean, y_clean = datasets.load(name, n=4000, noise=0.0, seed=1)
    x_noisy, y_noisy = datasets.load(name, n=4000, noise=0.3, seed=1)
    assert np.array_equal(x_clean, x_noisy)
    assert (y_noisy - y_clean).std() == pytest.approx(0.3, rel=0.05)


@pytest.mark.parametrize("name", datasets.CLASSIFICATION)
def test_classes_are_balanced_to_within_one(name):
    for n in (400, 401, 1000):
        _, y = datasets.load(name, n=n, seed=2)
        counts = np.bincount(y, minlength=N_CLASSES[name])
        assert sorted(set(y.tolist())) == list(range(N_CLASSES[name]))
        assert counts.max() - counts.min() <= 1
        assert counts.sum() == n


@pytest.mark.parametrize("name", datasets.CLASSIFICATION)
def test_labels_are_not_sorted_by_class(name):
    _, y = datasets.load(name, n=400, seed=0)
    assert np.count_nonzero(np.diff(y)) > 100  # shuffled, so mini-batches see every class


# ---------------------------------------------------------------- clean geometry (noise=0)


def test_xor_label_is_one_exactly_when_signs_differ_and_keeps_a_gap_at_the_axes():
    x, y = datasets.xor(n=1000, noise=0.0, seed=0)
    assert np.array_equal(y, (np.sign(x[:, 0]) != np.sign(x[:, 1])).astype(np.int64))
    assert np.abs(x).min() >= 0.1 and np.abs(x).max() <= 1.0
    quadrants = np.bincount(2 * (x[:, 0] > 0) + (x[:, 1] > 0), minlength=4)
    assert quadrants.min() > 200  # four clusters, roughly a quarter each


def test_moons_lie_on_their_unit_half_circles():
    x, y = datasets.moons(n=1000, noise=0.0, seed=0)
    upper, lower = x[y == 0], x[y == 1]
    np.testing.assert_allclose(np.linalg.norm(upper - [-0.5, -0.25], axis=1), 1.0)
    np.testing.assert_allclose(np.linalg.norm(lower - [0.5, 0.25], axis=1), 1.0)
    assert upper[:, 1].min() >= -0.25 - 1e-12 and lower[:, 1].max() <= 0.25 + 1e-12
    np.testing.assert_allclose(x.mean(axis=0), [0.0, 0.0], atol=0.05)


@pytest.mark.parametrize("factor", [0.3, 0.5, 0.8])
def test_circles_have_radius_one_and_factor(factor):
    x, y = datasets.circles(n=500, noise=0.0, seed=0, factor=factor)
    radius = np.linalg.norm(x, axis=1)
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], factor)


@pytest.mark.parametrize("classes", [2, 3, 5])
def test_spiral_arms_are_rotated_copies(classes):
    x, y = datasets.spirals(n=1500, noise=0.0, seed=0, classes=classes)
    radius = np.linalg.norm(x, axis=1)
    assert radius.min() >= 0.15 and radius.max() <= 1.4
    # on arm k the angle grows with the radius: angle = 2 pi (turns * t + k / classes), t = (radius - 0.15) / 1.25
    t = (radius - 0.15) / 1.25
    expected = 2 * np.pi * (datasets.planar.SPIRAL_TURNS * t + y / classes)
    angle_error = np.angle(np.exp(1j * (np.arctan2(x[:, 1], x[:, 0]) - expected)))
    np.testing.assert_allclose(angle_error, 0.0, atol=1e-9)
    assert sorted(set(y.tolist())) == list(range(classes))


def test_blobs_without_noise_sit_on_well_separated_centres():
    for centers in (2, 3, 6):
        x, y = datasets.blobs(n=300, noise=0.0, seed=7, centers=centers)
        middle = datasets.blob_centers(centers, seed=7)
        np.testing.assert_array_equal(x, middle[y])
        gaps = np.linalg.norm(middle[:, None] - middle[None], axis=2)[np.triu_indices(centers, 1)]
        assert gaps.min() >= 0.6 * 2 * np.sin(np.pi / (2 * centers)) - 1e-12
    assert not np.array_equal(datasets.blob_centers(3, seed=1), datasets.blob_centers(3, seed=2))


def test_blobs_noise_is_each_blobs_standard_deviation():
    x, y = datasets.blobs(n=3000, noise=0.2, seed=0)
    middle = datasets.blob_centers(3, seed=0)
    assert (x - middle[y]).std() == pytest.approx(0.2, rel=0.05)


def test_gaussians_centres_and_linear_separability():
    x, y = datasets.gaussians(n=10, noise=0.0, seed=0)
    np.testing.assert_array_equal(x[y == 1], np.full((5, 2), 0.6))
    np.testing.assert_array_equal(x[y == 0], np.full((5, 2), -0.6))
    x, y = datasets.gaussians(n=400, noise=0.1, seed=0)
    assert np.array_equal((x.sum(axis=1) > 0).astype(int), y)  # the line x1 + x2 = 0 separates them


def test_regression_1d_is_sine_plus_slope():
    x, y = datasets.regression_1d(n=300, noise=0.0, seed=0)
    np.testing.assert_allclose(y, np.sin(3 * x[:, 0]) + 0.3 * x[:, 0])
    assert x.min() >= -1.5 and x.max() <= 1.5


def test_plane_least_squares_recovers_the_documented_weights():
    x, y = datasets.plane(n=2000, noise=0.1, seed=0)
    design = np.column_stack([x, np.ones(len(x))])
    weights, *_ = np.linalg.lstsq(design, y, rcond=None)
    np.testing.assert_allclose(weights, [0.75, -0.5, 0.0], atol=0.02)


def test_multi_gaussian_peaks_have_the_documented_signs():
    centres = np.array([bump[:2] for bump in datasets.planar.MULTI_GAUSSIAN_BUMPS])
    signs = np.array([bump[2] for bump in datasets.planar.MULTI_GAUSSIAN_BUMPS])
    values = datasets.multi_gaussian_surface(centres)
    np.testing.assert_array_equal(np.sign(values), signs)
    assert np.all(np.abs(values) > 0.9)
    assert datasets.multi_gaussian_surface(np.array([[5.0, 5.0]]))[0] == pytest.approx(0.0, abs=1e-12)
    x, y = datasets.multi_gaussian(n=100, noise=0.0, seed=0)
    np.testing.assert_allclose(y, datasets.multi_gaussian_surface(x))


# ---------------------------------------------------------------- learnable by the lessons' small networks


@pytest.mark.parametrize("name", ["moons", "circles", "xor"])
def test_binary_sets_are_learnable_by_a_2_16_16_1_tanh_net(name):
    x, y = datasets.load(name, n=400, noise=0.1, seed=0)
    assert train_tiny_mlp(x, y, n_classes=2) >= 0.95


def test_three_spirals_are_learnable_by_a_2_16_16_3_tanh_net():
    x, y = datasets.spirals(n=400, noise=0.1, seed=0, classes=3)
    assert train_tiny_mlp(x, y, n_classes=3, steps=3000) >= 0.90


# ---------------------------------------------------------------- train_test_split and load


def test_train_test_split_partitions_the_samples_and_keeps_pairs():
    x = np.arange(50, dtype=float).reshape(25, 2)
    y = np.arange(25)
    x_train, x_test, y_train, y_test = datasets.train_test_split(x, y, test_fraction=0.2, seed=0)
    assert x_train.shape == (20, 2) and x_test.shape == (5, 2) and y_train.shape == (20,) and y_test.shape == (5,)
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(25))
    np.testing.assert_array_equal(x_train[:, 0], 2 * y_train)  # each x stays with its y
    np.testing.assert_array_equal(x_test[:, 0], 2 * y_test)
    assert not np.array_equal(y_train, np.arange(20))  # shuffled


def test_train_test_split_is_seeded_and_works_on_images():
    images, labels = datasets.shapes(n=60, seed=0)
    first = datasets.train_test_split(images, labels, test_fraction=0.5, seed=1)
    again = datasets.train_test_split(images, labels, test_fraction=0.5, seed=1)
    other = datasets.train_test_split(images, labels, test_fraction=0.5, seed=2)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[3], other[3])
    assert first[0].shape == (30, 16, 16)


def test_train_test_split_keeps_at_least_one_sample_on_each_side():
    x, y = np.zeros((3, 2)), np.zeros(3)
    assert len(datasets.train_test_split(x, y, test_fraction=0.01, seed=0)[1]) == 1
    assert len(datasets.train_test_split(x, y, test_fraction=0.99, seed=0)[0]) == 1


@pytest.mark.parametrize("name", ALL_2D)
def test_load_matches_calling_the_function(name):
    function = getattr(datasets, name)
    x1, y1 = datasets.load(name, n=30, seed=9)
    x2, y2 = function(n=30, seed=9)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2)


def test_registry_names_are_exactly_the_contract():
    assert datasets.CLASSIFICATION == ("xor", "moons", "circles", "spirals", "blobs", "gaussians")
    assert datasets.REGRESSION == ("regression_1d", "plane", "multi_gaussian")


def test_load_forgives_case_spaces_and_hyphens():
    x1, _ = datasets.load("Multi-Gaussian", n=10, seed=0)
    x2, _ = datasets.load("multi_gaussian", n=10, seed=0)
    assert np.array_equal(x1, x2)


@pytest.mark.parametrize("wrong, suggestion", [("moon", "moons"), ("spiral", "spirals"), ("circle", "circles"),
                                               ("blob", "blobs"), ("plain", "plane")])
def test_load_unknown_name_lists_names_and_suggests_the_closest(wrong, suggestion):
    with pytest.raises(ValueError, match=f"unknown data set '{wrong}'. Did you mean '{suggestion}'") as info:
        datasets.load(wrong)
    for name in ALL_2D:
        assert repr(name) in str(info.value)


def test_load_passes_bad_keywords_through_as_the_functions_own_error():
    with pytest.raises(TypeError):
        datasets.load("moons", colour="red")


# ---------------------------------------------------------------- errors that teach

BAD_ARGUMENTS = [
    (datasets.moons, {"n": 0}, r"moons\(\): n must be a positive whole number, but got 0"),
    (datasets.xor, {"n": -5}, r"xor\(\): n must be a positive whole number, but got -5"),
    (datasets.circles, {"n": 2.5}, r"n must be a positive whole number, but got 2.5"),
    (datasets.spirals, {"n": True}, r"n must be a positive whole number, but got True"),
    (datasets.moons, {"noise": -0.1}, r"moons\(\): noise must be a number >= 0 \(0 means no noise\), but got -0.1"),
    (datasets.blobs, {"noise": float("nan")}, r"noise must be a number >= 0"),
    (datasets.plane, {"noise": "lots"}, r"noise must be a number >= 0, but got 'lots'"),
    (datasets.circles, {"factor": 1.0}, r"factor \(inner radius / outer radius\) must be a number in \(0, 1\)"),
    (datasets.circles, {"factor": 0}, r"factor .* must be a number in \(0, 1\), but got 0"),
    (datasets.spirals, {"classes": 1}, r"spirals\(\): classes \(the number of spiral arms\) must be a whole number"
                                       r" >= 2, but got 1"),
    (datasets.blobs, {"centers": 1}, r"centers \(the number of blobs\) must be a whole number >= 2, but got 1"),
    (datasets.regression_1d, {"n": 0}, r"regression_1d\(\): n must be"),
    (datasets.multi_gaussian, {"noise": -1}, r"multi_gaussian\(\): noise must be"),
    (datasets.gaussians, {"n": 0}, r"gaussians\(\): n must be"),
    (datasets.shapes, {"n": 0}, r"shapes\(\): n must be a positive whole number"),
    (datasets.shapes, {"size": 4}, r"size \(image height and width in pixels\) must be a whole number >= 8, but got 4"),
    (datasets.shapes, {"noise": -0.05}, r"shapes\(\): noise must be"),
    (datasets.sample_image, {"name": "castle"}, r"unknown image 'castle'. Valid names are 'house'"),
    (datasets.sine_sequences, {"length": 0}, r"length \(steps per window\) must be a positive whole number"),
    (datasets.sine_sequences, {"noise": -1.0}, r"sine_sequences\(\): noise must be"),
    (datasets.running_sum, {"n": 0}, r"running_sum\(\): n must be"),
    (datasets.running_parity, {"length": 0}, r"running_parity\(\): length \(bits per sequence\) must be"),
    (datasets.lookup_task, {"length": 1}, r"length \(symbol tokens plus the query token\) must be a whole number >= 2"),
    (datasets.lookup_task, {"n_symbols": 1}, r"n_symbols must be a whole number >= 2, but got 1"),
    (datasets.ratings, {"density": 0.0}, r"density \(the fraction of pairs rated\) must be a number in \(0, 1\]"),
    (datasets.ratings, {"density": 1.5}, r"but got 1.5"),
    (datasets.ratings, {"n_items": 3, "n_factors": 4}, r"n_factors \(the number of genres\) must be at most n_items"),
    (datasets.ratings, {"n_users": 0}, r"ratings\(\): n_users must be a positive whole number"),
    (datasets.ratings, {"noise": -0.3}, r"ratings\(\): noise must be"),
    (datasets.train_test_split, {"x": np.zeros((4, 2)), "y": np.zeros(3)},
     r"same number of samples .* x of shape \(4, 2\) and y of shape \(3,\)"),
    (datasets.train_test_split, {"x": np.zeros((4, 2)), "y": np.zeros(4), "test_fraction": 1.0},
     r"test_fraction must be a number in \(0, 1\), but got 1.0"),
    (datasets.train_test_split, {"x": np.zeros((1, 2)), "y": np.zeros(1)}, r"need at least 2 samples"),
    (datasets.multi_gaussian_surface, {"x": np.zeros(2)}, r"x must have shape \(n, 2\), but got \(2,\)"),
]


@pytest.mark.parametrize("function, kwargs, message", BAD_ARGUMENTS,
                         ids=[f"{f.__name__}-{'-'.join(k)}" for f, k, _ in BAD_ARGUMENTS])
def test_bad_arguments_raise_value_error_saying_what_was_expected(function, kwargs, message):
    with pytest.raises(ValueError, match=message):
        function(**kwargs)


def test_numpy_integers_are_accepted_as_counts():
    x, _ = datasets.moons(n=np.int64(12), seed=0)
    assert x.shape == (12, 2)


# ---------------------------------------------------------------- shapes


def test_shapes_contract():
    images, labels = datasets.shapes(seed=0)
    assert images.shape == (600, 16, 16) and images.dtype == np.float64
    assert labels.shape == (600,) and labels.dtype == np.int64
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert np.bincount(labels).tolist() == [100] * len(datasets.SHAPE_NAMES)
    assert set(datasets.SHAPE_PARTS) == set(datasets.SHAPE_NAMES)


def test_shapes_reproducible_and_seed_dependent():
    first = datasets.shapes(n=50, seed=1)
    again = datasets.shapes(n=50, seed=1)
    other = datasets.shapes(n=50, seed=2)
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
    assert not np.array_equal(first[0], other[0])


def test_shapes_other_sizes():
    images, labels = datasets.shapes(n=13, size=28, seed=0)
    assert images.shape == (13, 28, 28) and labels.shape == (13,)


def test_shapes_noise_is_clipped_pixel_noise_on_the_same_drawings():
    clean, labels_clean = datasets.shapes(n=200, noise=0.0, seed=3)
    noisy, labels_noisy = datasets.shapes(n=200, noise=0.05, seed=3)
    assert np.array_equal(labels_clean, labels_noisy)
    inside = (clean > 0.2) & (clean < 0.8)  # away from the clipping at 0 and 1
    assert (noisy - clean)[inside].std() == pytest.approx(0.05, rel=0.15)
    background = clean == 0
    assert background.mean() > 0.6  # strokes on a dark background


def _ink_spread(images):
    """Standard deviation of the ink's row and column positions, per image."""
    rows, cols = np.mgrid[0:images.shape[1], 0:images.shape[2]]
    total = images.sum(axis=(1, 2))
    mean_row = (images * rows).sum(axis=(1, 2)) / total
    mean_col = (images * cols).sum(axis=(1, 2)) / total
    row_spread = np.sqrt((images * (rows - mean_row[:, None, None]) ** 2).sum(axis=(1, 2)) / total)
    col_spread = np.sqrt((images * (cols - mean_col[:, None, None]) ** 2).sum(axis=(1, 2)) / total)
    return row_spread, col_spread


def test_shapes_lines_run_the_way_their_names_say():
    images, labels = datasets.shapes(n=300, noise=0.0, seed=0)
    row_spread, col_spread = _ink_spread(images)
    horizontal = labels == datasets.SHAPE_NAMES.index("horizontal line")
    vertical = labels == datasets.SHAPE_NAMES.index("vertical line")
    assert np.all(col_spread[horizontal] > 2 * row_spread[horizontal])
    assert np.all(row_spread[vertical] > 2 * col_spread[vertical])
    # a cross has the ink of both lines, so about twice the ink of one
    cross = labels == datasets.SHAPE_NAMES.index("cross")
    ink = images.sum(axis=(1, 2))
    assert 1.5 < ink[cross].mean() / ink[horizontal].mean() < 2.3


def test_shapes_classes_have_distinct_mean_images():
    images, labels = datasets.shapes(n=1200, seed=0)
    means = np.stack([images[labels == label].mean(axis=0) for label in range(len(datasets.SHAPE_NAMES))])
    distances = np.linalg.norm(means[:, None] - means[None], axis=(2, 3))
    assert distances[np.triu_indices(len(means), 1)].min() > 1.0


def test_shapes_are_learnable_from_a_held_out_set():
    images, labels = datasets.shapes(n=600, seed=0)
    x_train, x_test, y_train, y_test = datasets.train_test_split(images.reshape(600, -1), labels, seed=0)
    # even softmax regression on raw pixels generalises; the lessons' small CNN does better still
    rng = np.random.default_rng(0)
    weights = rng.normal(0, 0.05, (256, 6))
    bias = np.zeros(6)
    for _ in range(300):  # softmax regression, full-batch gradient descent
        logits = x_train @ weights + bias
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - np.eye(6)[y_train]) / len(x_train)
        weights -= 0.5 * x_train.T @ grad
        bias -= 0.5 * grad.sum(axis=0)
    accuracy = np.mean((x_test @ weights + bias).argmax(axis=1) == y_test)
    assert accuracy >= 0.9


# ---------------------------------------------------------------- digits and the sample image


def test_digits_are_the_real_uci_digits():
    images, labels = datasets.digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.float64
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.min() == 0.0 and images.max() == 1.0
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    raw = images * 16
    np.testing.assert_array_equal(raw, np.round(raw))  # whole ink counts 0..16
    assert int(raw.sum()) == 561718
    assert labels[:10].tolist() == list(range(10))
    # the first image is a zero: ink on the left and right, a hole in the middle
    assert raw[0, 3].tolist() == [0, 4, 12, 0, 0, 8, 8, 0]


def test_digits_returns_fresh_arrays():
    images, _ = datasets.digits()
    images[:] = 0
    assert datasets.digits()[0].max() == 1.0


def test_sample_image_is_a_small_grey_scene_with_edges_both_ways():
    image = datasets.sample_image()
    assert image.shape == (128, 128) and image.dtype == np.float64
    assert 0.0 <= image.min() and image.max() <= 1.0 and image.std() > 0.15
    vertical_change = np.abs(np.diff(image, axis=0))
    horizontal_change = np.abs(np.diff(image, axis=1))
    assert (vertical_change > 0.2).sum() > 200 and (horizontal_change > 0.2).sum() > 200
    assert np.array_equal(image, datasets.sample_image("house"))


@pytest.mark.parametrize("filename", ["digits.npz", "sample_image.npz"])
def test_shipped_files_are_small(filename):
    assert (DATA_DIR / filename).stat().st_size < 100_000


def test_data_readme_names_source_and_licence():
    text = (DATA_DIR / "README.md").read_text()
    for needed in ("Alpaydin", "Kaynak", "1998", "UCI", "CC BY 4.0", "make_digits_npz.py", "make_sample_image.py"):
        assert needed in text


# ---------------------------------------------------------------- sequences


def test_sine_sequences_target_continues_the_wave():
    x, y = datasets.sine_sequences(n=50, length=20, noise=0.0, seed=0)
    assert x.shape == (50, 20, 1) and y.shape == (50, 1) and x.dtype == y.dtype == np.float64
    wave = x[:, :, 0]
    # a pure sine obeys s[t+1] = c s[t] - s[t-1] with c = 2 cos(step angle): fit c, then extrapolate one step
    c = np.sum((wave[:, 2:] + wave[:, :-2]) * wave[:, 1:-1], axis=1) / np.sum(wave[:, 1:-1] ** 2, axis=1)
    np.testing.assert_allclose(y[:, 0], c * wave[:, -1] - wave[:, -2], atol=1e-9)
    period = 2 * np.pi / np.arccos(c / 2)
    assert period.min() >= 8 - 1e-6 and period.max() <= 20 + 1e-6


def test_sine_sequences_noise_on_inputs_only():
    x_clean, y_clean = datasets.sine_sequences(n=400, noise=0.0, seed=1)
    x_noisy, y_noisy = datasets.sine_sequences(n=400, noise=0.05, seed=1)
    assert np.array_equal(y_clean, y_noisy)
    assert (x_noisy - x_clean).std() == pytest.approx(0.05, rel=0.05)
    assert not np.array_equal(x_clean, datasets.sine_sequences(n=400, noise=0.0, seed=2)[0])


def test_running_sum_and_parity_count_the_ones():
    x, y = datasets.running_sum(n=300, length=10, seed=0)
    assert x.shape == (300, 10, 1) and y.dtype == np.int64
    assert set(np.unique(x).tolist()) == {0.0, 1.0}
    np.testing.assert_array_equal(y, x[:, :, 0].sum(axis=1))
    x_parity, y_parity = datasets.running_parity(n=300, length=10, seed=0)
    np.testing.assert_array_equal(x_parity, x)  # same bits for the same seed
    np.testing.assert_array_equal(y_parity, y % 2)
    assert 0.4 < y_parity.mean() < 0.6
    assert not np.array_equal(datasets.running_sum(n=300, seed=1)[0], x)


def test_lookup_task_format_matches_its_docstring():
    n, length, n_symbols = 500, 8, 6
    x, y = datasets.lookup_task(n=n, length=length, n_symbols=n_symbols, seed=0)
    assert x.shape == (n, length, n_symbols + length) and x.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    symbols, positions, flag = x[..., :n_symbols], x[..., n_symbols:-1], x[..., -1]
    np.testing.assert_array_equal(symbols[:, :-1].sum(axis=2), 1)  # one symbol per item token
    np.testing.assert_array_equal(symbols[:, -1], 0)  # none on the query token
    np.testing.assert_array_equal(positions[:, :-1], np.broadcast_to(np.eye(length - 1), (n, length - 1, length - 1)))
    np.testing.assert_array_equal(positions[:, -1].sum(axis=1), 1)
    np.testing.assert_array_equal(flag, np.broadcast_to(np.eye(length)[-1], (n, length)))
    asked = positions[:, -1].argmax(axis=1)
    np.testing.assert_array_equal(y, symbols[np.arange(n), asked].argmax(axis=1))
    assert np.bincount(y, minlength=n_symbols).min() > 50


def test_lookup_task_is_solved_exactly_by_one_attention_head():
    n_symbols, length = 5, 7
    x, y = datasets.lookup_task(n=300, length=length, n_symbols=n_symbols, seed=1)
    # queries and keys read the position block (keys also get -10 for the query flag); values read the symbols
    query = x[:, -1, n_symbols:]                                   # (n, length): position one-hot, flag
    keys = np.concatenate([x[:, :, n_symbols:-1], -10 * x[:, :, -1:]], axis=2)
    scores = 5.0 * np.einsum("nd,ntd->nt", query, keys)
    attention = np.exp(scores - scores.max(axis=1, keepdims=True))
    attention /= attention.sum(axis=1, keepdims=True)
    output = np.einsum("nt,nts->ns", attention, x[:, :, :n_symbols])
    np.testing.assert_array_equal(output.argmax(axis=1), y)


# ---------------------------------------------------------------- ratings


def test_ratings_contract_and_hidden_structure():
    data = datasets.ratings(seed=0)
    m = round(0.5 * 40 * 30)
    assert data.user_ids.shape == data.item_ids.shape == data.ratings.shape == (m,)
    assert data.user_ids.dtype == data.item_ids.dtype == np.int64 and data.ratings.dtype == np.float64
    assert data.ratings.min() >= 1.0 and data.ratings.max() <= 5.0
    assert data.n_users == 40 and data.n_items == 30
    assert data.user_tastes.shape == (40, 2) and np.abs(data.user_tastes).max() <= 1.0
    assert data.item_genres.shape == (30,) and np.bincount(data.item_genres).tolist() == [15, 15]
    pairs = data.user_ids * data.n_items + data.item_ids
    assert len(np.unique(pairs)) == m  # no pair rated twice
    assert data.genre_names == ("Space Saga", "Romcom")
    for name, genre in zip(data.item_names, data.item_genres):
        assert name.rsplit(" ", 1)[0] == data.genre_names[genre]
    assert len(set(data.item_names)) == 30
    taste = data.user_tastes[data.user_ids, data.item_genres[data.item_ids]]
    assert np.corrcoef(taste, data.ratings)[0, 1] > 0.9


def test_ratings_without_noise_follow_the_formula():
    data = datasets.ratings(n_users=10, n_items=8, n_factors=3, density=1.0, noise=0.0, seed=2)
    expected = 3 + 2 * data.user_tastes[data.user_ids, data.item_genres[data.item_ids]]
    np.testing.assert_allclose(data.ratings, expected)
    table = data.to_matrix()
    assert table.shape == (10, 8) and not np.isnan(table).any()
    np.testing.assert_allclose(table, 3 + 2 * data.user_tastes[:, data.item_genres])


def test_ratings_matrix_has_nan_where_unrated_and_is_reproducible():
    data = datasets.ratings(n_users=6, n_items=5, density=0.4, seed=3)
    table = data.to_matrix()
    assert np.count_nonzero(~np.isnan(table)) == 12
    np.testing.assert_array_equal(table[data.user_ids, data.item_ids], data.ratings)
    again = datasets.ratings(n_users=6, n_items=5, density=0.4, seed=3)
    assert np.array_equal(again.ratings, data.ratings) and np.array_equal(again.item_ids, data.item_ids)
    assert not np.array_equal(datasets.ratings(n_users=6, n_items=5, density=0.4, seed=4).ratings, data.ratings)


def test_ratings_many_genres_get_generic_names():
    data = datasets.ratings(n_items=20, n_factors=10, seed=0)
    assert data.genre_names[:2] == ("Space Saga", "Romcom") and data.genre_names[-1] == "Genre 10"


# ---------------------------------------------------------------- the package stays light


def test_datasets_modules_import_numpy_and_the_standard_library_only():
    allowed = {"numpy", "__future__", "difflib", "math", "operator", "dataclasses", "importlib"}
    for path in Path(datasets.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module]
            else:
                continue
            for module in modules:
                assert module.split(".")[0] in allowed, f"{path.name} imports {module}"


@pytest.mark.parametrize("module", [planar, images, sequences, recommend], ids=lambda module: module.__name__)
def test_docstring_examples_print_what_they_claim(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0

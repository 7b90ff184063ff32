"""Optimizer races on two-weight surfaces (nnlearn.descent): gradients of the surfaces against finite differences,
paths identical to stepping by hand, and the known behaviours (momentum crosses a ravine, divergence caught)."""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.descent import network_surface, optimizer_path, race, surface


@pytest.mark.parametrize("name", ["ravine", "rosenbrock"])
def test_surface_gradients_match_finite_differences(name, rng):
    s = surface(name)
    for a, b in rng.normal(size=(5, 2)):
        h = 1e-6
        numeric = [(s.value(a + h, b) - s.value(a - h, b)) / (2 * h), (s.value(a, b + h) - s.value(a, b - h)) / (2 * h)]
        np.testing.assert_allclose(s.gradient(a, b), numeric, rtol=1e-6, atol=1e-8)
    assert s.value(*s.minimum) == 0.0
    w1, w2, values = s.grid(7)
    assert values.shape == (7, 7) and values[3, 0] == s.value(w1[0], w2[3])


def test_network_surface_gradient_is_backprop_and_model_is_left_alone(rng):
    x, y = nl.datasets.moons(n=30, noise=0.1, seed=0)
    model = nl.Sequential([nl.Dense(2, 4, "tanh"), nl.Dense(4, 1, "sigmoid")], seed=0)
    before = {k: v.copy() for k, v in model.parameters().items()}
    s = network_surface(model, x, y, "bce", weights=[("layer1.weights", (0, 0)), ("layer2.bias", (0,))])
    a, b = 0.3, -0.2
    h = 1e-6
    numeric = [(s.value(a + h, b) - s.value(a - h, b)) / (2 * h), (s.value(a, b + h) - s.value(a, b - h)) / (2 * h)]
    np.testing.assert_allclose(s.gradient(a, b), numeric, rtol=1e-6)
    assert s.value(np.array([a, 0.0]), np.array([b, b])).shape == (2,)
    for key, value in model.parameters().items():
        np.testing.assert_array_equal(value, before[key])
    assert s.start == (before["layer1.weights"][0, 0], before["layer2.bias"][0])


def test_sgd_path_is_plain_gradient_steps():
    s = surface("ravine")
    run = optimizer_path(s, "sgd", learning_rate=0.1, steps=3)
    point = np.array(s.start)
    for k in range(1, 4):
        point = point - 0.1 * s.gradient(*point)
        np.testing.assert_allclose(run.path[k], point, rtol=1e-12)
    assert run.losses[-1] == pytest.approx(s.value(*point))


def test_momentum_path_by_hand():
    s = surface("ravine")
    run = optimizer_path(s, "momentum", learning_rate=0.1, momentum=0.5, steps=2)
    g0 = s.gradient(*s.start)
    p1 = np.array(s.start) - 0.1 * g0
    v1 = 0.5 * g0 + s.gradient(*p1)
    np.testing.assert_allclose(run.path[2], p1 - 0.1 * v1, rtol=1e-12)


def test_momentum_and_rmsprop_cross_the_ravine_that_sgd_crawls_along():
    runs = race(surface("ravine"), learning_rate=0.1, steps=100)
    assert runs["sgd"].final_loss > 100 * runs["momentum"].final_loss
    assert runs["sgd"].final_loss > 100 * runs["rmsprop"].final_loss


def test_divergence_is_caught_on_the_steep_valley():
    runs = race(surface("rosenbrock"), learning_rate=0.1, steps=200)
    assert runs["sgd"].diverged and runs["momentum"].diverged
    assert not runs["adam"].diverged and runs["adam"].final_loss < 0.05  # Adam's step is capped near lr


def test_unknown_names_teach():
    with pytest.raises(ValueError, match="Did you mean 'rosenbrock'"):
        surface("rosenbrok")
    with pytest.raises(ValueError, match="Did you mean 'rmsprop'"):
        optimizer_path(surface("ravine"), "rmsprob")

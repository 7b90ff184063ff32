"""Losses: hand-worked values, gradients against finite differences, fused forms at extreme logits."""

import warnings

import numpy as np
import pytest

import nnlearn as nl
from nnlearn import losses


def numeric_gradient(f, p, h=1e-6):
    grad = np.zeros_like(p)
    for idx in np.ndindex(*p.shape):
        plus, minus = p.copy(), p.copy()
        plus[idx] += h
        minus[idx] -= h
        grad[idx] = (f(plus) - f(minus)) / (2 * h)
    return grad


def cases(rng):
    probs = rng.dirichlet(np.ones(3), size=5)
    return {
        "mse": (rng.normal(size=(5, 2)), rng.normal(size=(5, 2))),
        "bce": (rng.uniform(0.05, 0.95, size=(5, 1)), rng.integers(0, 2, size=5).astype(float)),
        "cross_entropy": (probs, rng.integers(0, 3, size=5)),
    }


@pytest.mark.parametrize("name", losses.names())
def test_gradient_matches_finite_differences(name, rng):
    loss = losses.get(name)
    predictions, targets = cases(rng)[name]
    analytic = loss.gradient(predictions, targets)
    numeric = numeric_gradient(lambda p: loss(p, targets), predictions)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("name", [n for n in losses.names() if losses.get(n).fused_activation])
def test_from_logits_matches_activation_then_loss(name, rng):
    loss = losses.get(name)
    act = nl.activations.get(loss.fused_activation)
    z = rng.normal(size=(6, 3 if name == "cross_entropy" else 1))
    targets = rng.integers(0, z.shape[1] if name == "cross_entropy" else 2, size=6)
    value, grad_z = loss.from_logits(z, targets)
    np.testing.assert_allclose(value, loss(act(z), targets), rtol=1e-12)
    # the fused gradient equals the chain rule through the activation
    np.testing.assert_allclose(grad_z, act.backward(z, loss.gradient(act(z), targets)), rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(grad_z, numeric_gradient(lambda zz: loss.from_logits(zz, targets)[0], z), atol=1e-7)


def test_mse_hand_worked():
    # ((1 - 0)^2 + (3 - 1)^2) / 2 = 2.5; gradient 2 (p - t) / n = [1, 2]
    p, t = np.array([[1.0], [3.0]]), np.array([0.0, 1.0])
    assert losses.get("mse")(p, t) == 2.5
    np.testing.assert_allclose(losses.get("mse").gradient(p, t), [[1.0], [2.0]])


def test_mse_is_mean_over_every_element():
    p = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert losses.get("mse")(p, np.zeros((2, 2))) == pytest.approx((1 + 4 + 9 + 16) / 4)


def test_bce_hand_worked_and_targets_of_shape_n():
    # -(log 0.8 + log(1 - 0.4)) / 2
    p = np.array([[0.8], [0.4]])
    assert losses.get("bce")(p, np.array([1, 0])) == pytest.approx(-(np.log(0.8) + np.log(0.6)) / 2)
    assert losses.get("binary_cross_entropy")(p, np.array([[1], [0]])) == losses.get("bce")(p, np.array([1, 0]))


def test_cross_entropy_labels_and_one_hot_agree():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    ce = losses.get("cross_entropy")
    expected = -(np.log(0.7) + np.log(0.8)) / 2
    assert ce(p, np.array([0, 2])) == pytest.approx(expected)
    assert ce(p, np.array([[1, 0, 0], [0, 0, 1.0]])) == pytest.approx(expected)


def test_softmax_cross_entropy_with_logits_hundreds_apart():
    # logits 30 and -30: the true class (index 1) is 60 below the other, loss = 60 + log(1 + e^-60) ~ 60
    z = np.array([[30.0, -30.0], [0.0, 500.0]])
    labels = np.array([1, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = losses.get("cross_entropy").from_logits(z, labels)
    assert value == pytest.approx((60.0 + 0.0) / 2, abs=1e-12)
    p = nl.activations.get("softmax")(z)
    np.testing.assert_allclose(grad, (p - np.eye(2)[labels]) / 2)


def test_network_reports_true_loss_and_gradient_for_extreme_logits():
    model = nl.Sequential([nl.Dense(2, 2, "softmax")], seed=0)
    layer = model.layers[0]
    layer.weights[:] = [[30.0, -30.0], [0.0, 0.0]]
    layer.bias[:] = 0.0
    x = np.array([[1.0, 0.0], [10.0, 0.0]])  # logits [30, -30] and [300, -300]
    y = np.array([1, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert model.evaluate(x, y, "cross_entropy") == pytest.approx((60 + 600) / 2)
        model.loss_and_gradients(x, y, "cross_entropy")
    # dL/dz = (p - onehot) / batch = [[1, -1], [1, -1]] / 2, so dL/dbias = [1, -1]
    np.testing.assert_allclose(layer.grad_bias, [1.0, -1.0])
    history = model.fit(x, y, "cross_entropy", lr=0.01, epochs=5, progress=False)
    assert all(np.isfinite(history.loss)) and history.loss[-1] < history.loss[0]


def test_sigmoid_bce_with_extreme_logits():
    model = nl.Sequential([nl.Dense(1, 1, "sigmoid")], seed=0)
    model.layers[0].weights[:] = 100.0
    x = np.array([[5.0], [-5.0]])  # logits +500 and -500, labels opposite: loss 500 each
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert model.evaluate(x, np.array([0, 1]), "bce") == pytest.approx(500.0)
        model.loss_and_gradients(x, np.array([0, 1]), "bce")
    # (p - y) / n = ([1 - 0], [0 - 1]) / 2; grad_bias = 0
    np.testing.assert_allclose(model.layers[0].grad_bias, [0.0], atol=1e-12)
    np.testing.assert_allclose(model.layers[0].grad_weights, [[(5 * 1 + -5 * -1) / 2]])


def test_unknown_loss_and_bad_shapes():
    with pytest.raises(ValueError, match="Did you mean 'mse'"):
        losses.get("mes")
    with pytest.raises(ValueError, match="must match"):
        losses.get("mse")(np.zeros((3, 2)), np.zeros((3, 3)))
    with pytest.raises(ValueError, match="labels must be in 0..2"):
        losses.get("cross_entropy")(np.full((2, 3), 1 / 3), np.array([0, 3]))
    with pytest.raises(ValueError, match="softmax"):
        losses.get("cross_entropy")(np.array([[2.0, -1.0]]), np.array([0]))
    with pytest.raises(ValueError, match="targets in \\[0, 1\\]"):
        losses.get("bce")(np.array([[0.5]]), np.array([2.0]))

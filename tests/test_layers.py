"""Dense, Flatten, Dropout: forward values, backward against finite differences, clear errors."""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn import activations


def test_dense_hand_worked_forward_and_backward():
    layer = nl.Dense(2, 1)
    layer.weights[:] = [[2.0], [-1.0]]
    layer.bias[:] = [0.5]
    x = np.array([[1.0, 3.0], [0.0, 1.0]])
    # z = [2*1 - 1*3 + 0.5, 2*0 - 1*1 + 0.5] = [-0.5, -0.5]
    np.testing.assert_allclose(layer.forward(x), [[-0.5], [-0.5]])
    grad_in = layer.backward(np.array([[1.0], [2.0]]))
    # grad_weights = x.T @ g = [[1*1 + 0*2], [3*1 + 1*2]] = [[1], [5]]; grad_bias = 1 + 2
    np.testing.assert_allclose(layer.grad_weights, [[1.0], [5.0]])
    np.testing.assert_allclose(layer.grad_bias, [3.0])
    # grad_input = g @ W.T = [[2, -1], [4, -2]]
    np.testing.assert_allclose(grad_in, [[2.0, -1.0], [4.0, -2.0]])


@pytest.mark.parametrize("activation", activations.names())
def test_dense_input_gradient_matches_finite_differences(activation, rng):
    layer = nl.Dense(3, 4, activation=activation, seed=1)
    x = rng.normal(size=(5, 3))
    upstream = rng.normal(size=(5, 4))
    layer.forward(x)
    grad_x = layer.backward(upstream)
    numeric = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += 1e-6
        minus[idx] -= 1e-6
        numeric[idx] = (np.sum(upstream * layer.forward(plus)) - np.sum(upstream * layer.forward(minus))) / 2e-6
    np.testing.assert_allclose(grad_x, numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("activation", [a for a in activations.names() if a != "step"])
def test_dense_network_gradient_check(activation, rng):
    x = rng.normal(size=(8, 2))
    y = rng.normal(size=(8, 1))
    model = nl.Sequential([nl.Dense(2, 5, activation), nl.Dense(5, 1)], seed=3)
    assert nl.gradient_check(model, x, y, "mse") < 1e-6


def test_step_activation_has_zero_gradient():
    layer = nl.Dense(2, 2, "step", seed=0)
    layer.forward(np.ones((3, 2)))
    assert np.all(layer.backward(np.ones((3, 2))) == 0)
    assert np.all(layer.grad_weights == 0)


def test_same_seed_same_weights():
    a, b = nl.Dense(3, 4, seed=7), nl.Dense(3, 4, seed=7)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert not np.array_equal(a.weights, nl.Dense(3, 4, seed=8).weights)
    assert a.weights.shape == (3, 4) and a.bias.shape == (4,)


def test_dense_shape_error_names_layer_expected_got_and_fix():
    model = nl.Sequential([nl.Dense(2, 8), nl.Dense(8, 1)])
    with pytest.raises(ValueError) as info:
        model.predict(np.array([1.0, 2.0]))
    assert str(info.value) == (
        "Dense layer 1 (2 -> 8) expects inputs of shape (batch, 2) but got (2,). For one sample use x.reshape(1, -1)."
    )


def test_backward_before_forward_is_clear():
    with pytest.raises(RuntimeError, match="call forward"):
        nl.Dense(2, 2).backward(np.ones((1, 2)))


def test_flatten_round_trip():
    x = np.arange(24.0).reshape(2, 3, 2, 2)
    flat = nl.Flatten()
    out = flat.forward(x)
    assert out.shape == (2, 12)
    np.testing.assert_array_equal(flat.backward(out), x)


def test_dropout_scales_and_is_identity_at_predict():
    layer = nl.Dropout(0.25, seed=0)
    x = np.ones((400, 50))
    out = layer.forward(x)
    kept = out != 0
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(out[kept], 1 / 0.75)
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), out)  # same mask
    layer.training = False
    np.testing.assert_array_equal(layer.forward(x), x)
    with pytest.raises(ValueError, match=r"Dropout rate must be in \[0.0, 1.0\)"):
        nl.Dropout(1.0)


def test_gradient_check_with_dropout(rng):
    model = nl.Sequential([nl.Dense(3, 6, "tanh"), nl.Dropout(0.3), nl.Dense(6, 2, "softmax")], seed=2)
    x = rng.normal(size=(10, 3))
    y = rng.integers(0, 2, size=10)
    assert nl.gradient_check(model, x, y, "cross_entropy") < 1e-6


def test_gradient_check_catches_a_wrong_backward(rng):
    class Broken(nl.Dense):
        def backward_from_z(self, grad_z):
            out = super().backward_from_z(grad_z)
            self.grad_weights = self.grad_weights * 1.1  # 10% wrong
            return out

    model = nl.Sequential([Broken(2, 3, "tanh"), nl.Dense(3, 1)], seed=0)
    assert nl.gradient_check(model, rng.normal(size=(6, 2)), rng.normal(size=(6, 1)), "mse") > 1e-2

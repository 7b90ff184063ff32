"""Activations: values, derivatives against finite differences, stability at extremes, the registry."""

import warnings

import numpy as np
import pytest

from nnlearn import activations

ALL = activations.names()
ELEMENTWISE = [name for name in ALL if name != "softmax"]


def finite_difference(f, z, h=1e-6):
    return (f(z + h) - f(z - h)) / (2 * h)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_finite_differences(name, rng):
    act = activations.get(name)
    # stay away from the kinks of relu/step/leaky_relu/elu at 0, where the derivative is not defined
    z = rng.uniform(-3, 3, size=50)
    z = z[np.abs(z) > 1e-3]
    np.testing.assert_allclose(act.derivative(z), finite_difference(act, z), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ALL)
def test_backward_is_vector_jacobian_product(name, rng):
    act = activations.get(name)
    z = rng.uniform(-3, 3, size=(4, 5))
    z[np.abs(z) < 1e-3] = 0.5
    grad_output = rng.normal(size=z.shape)
    # d/dz of sum(grad_output * f(z)), entry by entry
    numeric = np.zeros_like(z)
    for idx in np.ndindex(*z.shape):
        plus, minus = z.copy(), z.copy()
        plus[idx] += 1e-6
        minus[idx] -= 1e-6
        numeric[idx] = (np.sum(grad_output * act(plus)) - np.sum(grad_output * act(minus))) / 2e-6
    np.testing.assert_allclose(act.backward(z, grad_output), numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("name", ALL)
def test_stable_at_extremes(name):
    act = activations.get(name)
    z = np.array([[-1000.0, 1000.0, 0.0, -2000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = act(z)
        d = act.derivative(z)
        b = act.backward(z, np.ones_like(z))
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(d)) and np.all(np.isfinite(b))


def test_hand_worked_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(activations.get("relu")(z), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(activations.get("leaky_relu")(z), [-0.02, 0.0, 3.0])  # slope 0.01 * -2
    np.testing.assert_allclose(activations.get("step")(z), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(activations.get("sigmoid")(np.array([0.0])), [0.5])
    # elu(-2) = 1 * (e^-2 - 1) = -0.8646647...
    np.testing.assert_allclose(activations.get("elu")(z)[0], np.exp(-2) - 1)
    # softplus(0) = log 2; gelu(1) = 1 * Phi(1) = 0.841344746...
    np.testing.assert_allclose(activations.get("softplus")(np.array([0.0])), [np.log(2)])
    np.testing.assert_allclose(activations.get("gelu")(np.array([1.0])), [0.8413447460685429])
    np.testing.assert_allclose(activations.get("sigmoid")(np.array([-1000.0, 1000.0])), [0.0, 1.0])
    np.testing.assert_allclose(activations.get("softplus")(np.array([-1000.0, 1000.0])), [0.0, 1000.0])


def test_softmax_rows_sum_to_one_even_when_far_apart():
    z = np.array([[0.0, 2000.0, -2000.0], [1.0, 2.0, 3.0]])
    s = activations.get("softmax")(z)
    np.testing.assert_allclose(s.sum(axis=1), [1.0, 1.0])
    np.testing.assert_allclose(s[0], [0.0, 1.0, 0.0])
    # softmax([1,2,3]) = e^[1,2,3] / (e + e^2 + e^3)
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(s[1], e / e.sum())


def test_aliases_and_objects():
    assert activations.get("linear").name == "identity"
    assert activations.get("ReLU").name == "relu"
    relu = activations.get("relu")
    assert activations.get(relu) is relu
    assert activations.get(None).name == "identity"


def test_unknown_name_lists_valid_names_and_closest():
    with pytest.raises(ValueError) as info:
        activations.get("rleu")
    message = str(info.value)
    for name in ALL:
        assert name in message
    assert "Did you mean 'relu'" in message


def test_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="activation must be a name"):
        activations.get(3)

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


# ---------------------------------------------------------------- issue 16: a new activation touches one place
@pytest.fixture
def new_activations(monkeypatch):
    """Two activations defined and registered here only, as a user would; the registry is restored afterwards."""
    monkeypatch.setattr(activations, "_CLASSES", dict(activations._CLASSES))

    @activations.register
    class Swish(activations.Activation):
        """z * sigmoid(beta z): ReLU-like, unbounded, with one parameter and a PyTorch twin."""

        name = "swish"
        weight_init = "he"

        def __init__(self, beta=1.0):
            self.beta = float(beta)

        def __call__(self, z):
            return z * activations.Sigmoid()(self.beta * z)

        def derivative(self, z):
            s = activations.Sigmoid()(self.beta * z)
            return s + self.beta * z * s * (1.0 - s)

        def torch_module(self, nn):
            beta = self.beta

            class TorchSwish(nn.Module):
                def forward(self, z):
                    return z * (beta * z).sigmoid()

            return TorchSwish()

    @activations.register
    class HardSigmoid(activations.Activation):
        """clip((z + 1) / 2, 0, 1): a probability-like output in [0, 1], with no PyTorch module given."""

        name = "hard_sigmoid"
        colour_range = (0.5, 0.5)
        binary_output = True

        def __call__(self, z):
            return np.clip((np.asarray(z, dtype=float) + 1.0) / 2.0, 0.0, 1.0)

        def derivative(self, z):
            return np.where(np.abs(np.asarray(z)) < 1.0, 0.5, 0.0)

    return Swish, HardSigmoid


def test_a_registered_activation_is_known_by_name(new_activations):
    swish, hard = new_activations
    assert activations.names()[-2:] == ["swish", "hard_sigmoid"]
    assert activations.get("Swish") == swish()
    assert activations.get({"name": "swish", "beta": 2.0}).beta == 2.0
    with pytest.raises(ValueError, match="swish"):
        activations.get("swihs")  # the close-match message lists it


def test_a_registered_activation_sets_the_initial_weight_scale(new_activations):
    import nnlearn as nl

    for name, std in (("swish", np.sqrt(2.0 / 400)), ("hard_sigmoid", np.sqrt(2.0 / (400 + 300)))):
        weights = nl.Dense(400, 300, name, seed=0).weights
        expected = np.random.default_rng(0).normal(0.0, std, size=(400, 300))  # He for swish, Glorot otherwise
        np.testing.assert_array_equal(weights, expected)


def test_a_registered_activation_survives_save_and_load(new_activations, tmp_path):
    import nnlearn as nl

    swish, _ = new_activations
    model = nl.Sequential([nl.Dense(2, 3, swish(beta=1.7)), nl.Dense(3, 1, "hard_sigmoid")], seed=0)
    again = nl.Sequential.load(model.save(tmp_path / "new.npz"))
    assert again.layers[0].activation == swish(beta=1.7)
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    np.testing.assert_array_equal(again.predict(x), model.predict(x))


def test_a_registered_activation_goes_to_torch_or_says_why_not(new_activations):
    torch = pytest.importorskip("torch")  # as in tests/test_torch_reference.py
    import nnlearn as nl

    swish, _ = new_activations
    model = nl.Sequential([nl.Dense(2, 3, swish(beta=1.7)), nl.Dense(3, 1)], seed=0)
    x = np.array([[0.3, -1.2], [2.0, 0.5]])
    out = nl.to_torch(model)(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(out, model.predict(x), rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match=r"Dense layer 2 \(3 -> 1\) cannot go to PyTorch: the 'hard_sigmoid'.*"
                                         r"torch_module"):
        nl.to_torch(nl.Sequential([nl.Dense(2, 3), nl.Dense(3, 1, "hard_sigmoid")], seed=0))


def test_a_registered_activation_reaches_the_boundary_plot_and_the_colour_range(new_activations):
    import nnlearn as nl
    from nnlearn.plots import decision_boundary_data, neuron_output_grids
    from nnlearn.plots.playground import neuron_scales

    model = nl.Sequential([nl.Dense(2, 3, "swish"), nl.Dense(3, 1, "hard_sigmoid")], seed=0)
    assert decision_boundary_data(model, resolution=5).kind == "binary"  # one hard_sigmoid output: a probability
    swish_output = nl.Sequential([nl.Dense(2, 1, "swish")], seed=0)
    assert decision_boundary_data(swish_output, resolution=5).kind == "regression"
    grids = neuron_output_grids(model, resolution=5)
    scales = neuron_scales(grids, ["swish", "hard_sigmoid"])
    assert scales[2] == (0.5, 0.5)  # the output layer: the activation's own colour_range
    biggest = np.abs(grids.layers[1]).max()
    assert scales[1] == (0.0, max(biggest, 1.0))  # swish is unbounded: scaled to what the grid shows


def test_register_refuses_a_taken_or_missing_name():
    class Nameless(activations.Activation):
        pass

    class Other(activations.Activation):
        name = "relu"

    with pytest.raises(ValueError, match="needs a lower-case name"):
        activations.register(Nameless)
    with pytest.raises(ValueError, match="'relu' is already taken by ReLU"):
        activations.register(Other)
    with pytest.raises(TypeError, match="Activation subclass"):
        activations.register(int)
    assert activations.get("relu") == activations.ReLU()


@pytest.mark.parametrize("name", ALL)
def test_spec_rebuilds_every_registered_activation(name):
    default = activations.get(name)
    changed = type(default)(**{key: value + 0.25 for key, value in default.get_config().items()})
    assert activations.get(changed.spec()) == changed
    assert repr(changed).startswith(type(default).__name__ + "(")

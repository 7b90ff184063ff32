"""SimpleRNN, SelectStep, LastStep: hand-worked values, backprop through time against finite differences and
PyTorch, saving, summaries, clear errors, and learning the sequence tasks."""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn import activations
from nnlearn.recurrent import LastStep, SelectStep, SimpleRNN

SMOOTH_ACTIVATIONS = [name for name in activations.names() if name not in ("step", "relu", "leaky_relu")]


def numeric_input_gradient(layer, x, upstream, h=1e-6):
    """d sum(upstream * layer(x)) / dx by central differences."""
    numeric = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += h
        minus[idx] -= h
        numeric[idx] = (np.sum(upstream * layer.forward(plus)) - np.sum(upstream * layer.forward(minus))) / (2 * h)
    return numeric


def test_hand_worked_forward_and_backprop_through_time():
    rnn = SimpleRNN(1, 1, activation="identity")
    rnn.input_weights[:] = 1.0
    rnn.recurrent_weights[:] = 0.5
    rnn.bias[:] = 0.0
    x = np.array([[[1.0], [2.0], [4.0]]])
    # h1 = 1, h2 = 0.5 * 1 + 2 = 2.5, h3 = 0.5 * 2.5 + 4 = 5.25
    np.testing.assert_allclose(rnn.forward(x), [[5.25]])
    np.testing.assert_allclose(rnn.hidden_states[0, :, 0], [1.0, 2.5, 5.25])
    grad_x = rnn.backward(np.array([[1.0]]))
    # dL/dh3 = 1, dL/dh2 = 0.5 * 1 = 0.5, dL/dh1 = 0.5 * 0.5 = 0.25 (identity: dL/dz_t = dL/dh_t)
    # grad_input_weights = sum_t x_t dL/dz_t = 4 * 1 + 2 * 0.5 + 1 * 0.25 = 5.25
    # grad_recurrent_weights = sum_t h_(t-1) dL/dz_t = 2.5 * 1 + 1 * 0.5 + 0 * 0.25 = 3.0
    # grad_bias = 1 + 0.5 + 0.25 = 1.75; dL/dx_t = dL/dz_t * input_weights = [0.25, 0.5, 1]
    np.testing.assert_allclose(rnn.grad_input_weights, [[5.25]])
    np.testing.assert_allclose(rnn.grad_recurrent_weights, [[3.0]])
    np.testing.assert_allclose(rnn.grad_bias, [1.75])
    np.testing.assert_allclose(grad_x, [[[0.25], [0.5], [1.0]]])


def test_return_sequences_gives_every_state(rng):
    x = rng.normal(size=(3, 5, 2))
    last = SimpleRNN(2, 4, seed=0)
    every = SimpleRNN(2, 4, return_sequences=True, seed=0)
    out_last, out_every = last.forward(x), every.forward(x)
    assert out_last.shape == (3, 4) and out_every.shape == (3, 5, 4)
    np.testing.assert_array_equal(out_every, every.hidden_states)
    np.testing.assert_array_equal(out_every[:, -1], out_last)
    # the first state only saw the first input: h1 = tanh(x1 @ input_weights + bias)
    np.testing.assert_allclose(out_every[:, 0], np.tanh(x[:, 0] @ every.input_weights + every.bias))


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("activation", SMOOTH_ACTIVATIONS + ["relu"])
def test_input_gradient_matches_finite_differences(activation, return_sequences, rng):
    rnn = SimpleRNN(3, 4, activation=activation, return_sequences=return_sequences, seed=2)
    rnn.bias[:] = 0.1  # keeps relu away from its kink at exactly 0
    x = rng.normal(size=(2, 5, 3))
    upstream = rng.normal(size=rnn.forward(x).shape)
    grad_x = rnn.backward(upstream)
    np.testing.assert_allclose(grad_x, numeric_input_gradient(rnn, x, upstream), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("activation", SMOOTH_ACTIVATIONS)
def test_network_gradient_check(activation, rng):
    x = rng.normal(size=(6, 4, 2))
    y = rng.normal(size=(6, 1))
    model = nl.Sequential([SimpleRNN(2, 3, activation), nl.Dense(3, 1)], seed=3)
    assert nl.gradient_check(model, x, y, "mse") < 1e-6


def test_gradient_check_with_sequences_and_select_step(rng):
    x = rng.normal(size=(5, 4, 2))
    labels = rng.integers(0, 3, size=5)
    for reader in (nl.Flatten(), LastStep(), SelectStep(1)):
        width = 4 * 3 if isinstance(reader, nl.Flatten) else 3
        model = nl.Sequential([SimpleRNN(2, 3, return_sequences=True), reader, nl.Dense(width, 3, "softmax")], seed=1)
        assert nl.gradient_check(model, x, labels, "cross_entropy") < 1e-6


def test_gradients_are_set_not_accumulated(rng):
    rnn = SimpleRNN(2, 3, seed=0)
    x = rng.normal(size=(4, 3, 2))
    upstream = rng.normal(size=(4, 3))
    rnn.forward(x)
    rnn.backward(upstream)
    first = rnn.grad_recurrent_weights.copy()
    rnn.forward(x)
    rnn.backward(upstream)
    np.testing.assert_array_equal(rnn.grad_recurrent_weights, first)


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_agrees_with_pytorch_rnn(activation, return_sequences, rng):
    torch = pytest.importorskip("torch")
    rnn = SimpleRNN(3, 5, activation=activation, return_sequences=return_sequences, seed=1)
    rnn.bias[:] = rng.normal(size=5)
    x = rng.normal(size=(4, 6, 3))
    out = rnn.forward(x)
    upstream = rng.normal(size=out.shape)
    grad_x = rnn.backward(upstream)

    reference = torch.nn.RNN(3, 5, nonlinearity=activation, batch_first=True, bias=True).double()
    with torch.no_grad():  # PyTorch stores weights as (n_hidden, n_inputs) and has a second bias, set to 0
        reference.weight_ih_l0.copy_(torch.tensor(rnn.input_weights.T))
        reference.weight_hh_l0.copy_(torch.tensor(rnn.recurrent_weights.T))
        reference.bias_ih_l0.copy_(torch.tensor(rnn.bias))
        reference.bias_hh_l0.zero_()
    xt = torch.tensor(x, requires_grad=True)
    states, _ = reference(xt)
    ref_out = states if return_sequences else states[:, -1]
    (ref_out * torch.tensor(upstream)).sum().backward()

    def same(ours, theirs):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=0, atol=1e-10)

    same(out, ref_out)
    same(rnn.hidden_states, states)
    same(grad_x, xt.grad)
    same(rnn.grad_input_weights, reference.weight_ih_l0.grad.T)
    same(rnn.grad_recurrent_weights, reference.weight_hh_l0.grad.T)
    same(rnn.grad_bias, reference.bias_ih_l0.grad)


def test_initialisation_is_seeded_and_recurrent_weights_orthogonal():
    a, b = SimpleRNN(2, 6, seed=5), SimpleRNN(2, 6, seed=5)
    np.testing.assert_array_equal(a.input_weights, b.input_weights)
    np.testing.assert_array_equal(a.recurrent_weights, b.recurrent_weights)
    assert not np.array_equal(a.recurrent_weights, SimpleRNN(2, 6, seed=6).recurrent_weights)
    np.testing.assert_allclose(a.recurrent_weights.T @ a.recurrent_weights, np.eye(6), atol=1e-12)
    assert a.input_weights.shape == (2, 6) and a.bias.shape == (6,)
    assert set(a.parameters()) == {"input_weights", "recurrent_weights", "bias"}
    assert a.n_params == 2 * 6 + 6 * 6 + 6


def test_save_load_round_trip(tmp_path, rng):
    model = nl.Sequential([SimpleRNN(2, 4, "relu", return_sequences=True), LastStep(), nl.Dense(4, 1)], seed=0)
    x = rng.normal(size=(3, 5, 2))
    loaded = nl.Sequential.load(model.save(tmp_path / "rnn"))
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    assert loaded.layers[0].get_config() == {
        "n_inputs": 2, "n_hidden": 4, "activation": "relu", "return_sequences": True}
    other = nl.Sequential.load(nl.Sequential([SelectStep(0), nl.Dense(2, 1)], seed=0).save(tmp_path / "s"))
    assert other.layers[0].step == 0


def test_summary_shows_sequence_shapes():
    model = nl.Sequential([SimpleRNN(1, 8, return_sequences=True), LastStep(), nl.Dense(8, 1)], seed=0)
    text = model.summary(input_shape=(10, 1))
    assert "(batch, 10, 8)" in text and "(batch, 8)" in text and "(batch, 1)" in text
    assert f"Total parameters: {1 * 8 + 8 * 8 + 8 + 8 + 1}" in text
    assert model.layers[0].describe() == "SimpleRNN layer 1 (1 -> 8, every step)"


def test_clear_errors():
    rnn = SimpleRNN(2, 4)
    with pytest.raises(ValueError, match=r"expects sequences of shape \(batch, time, 2\) but got \(6, 2\)\. "
                                         r"For one sequence use x.reshape\(1, 6, 2\)"):
        rnn.forward(np.zeros((6, 2)))
    with pytest.raises(ValueError, match=r"x.reshape\(5, 7, 1\)"):
        SimpleRNN(1, 3).forward(np.zeros((5, 7)))
    with pytest.raises(ValueError, match=r"transpose\(0, 2, 1\)"):
        rnn.forward(np.zeros((3, 2, 5)))
    with pytest.raises(TypeError, match="return_sequences must be True or False"):
        SimpleRNN(2, 4, return_sequences="yes")
    with pytest.raises(ValueError, match="Dense layer 2 .* expects 5 inputs, but the layer before it gives 4"):
        nl.Sequential([SimpleRNN(2, 4), nl.Dense(5, 1)])
    with pytest.raises(RuntimeError, match="call forward"):
        SimpleRNN(2, 4).backward(np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"picks step 3, but the sequences have 3 steps.*-3\.\.2"):
        SelectStep(3).forward(np.zeros((1, 3, 2)))
    with pytest.raises(TypeError, match="SelectStep index must be a whole number"):
        SelectStep(1.5)


def test_select_step_hand_worked():
    x = np.arange(12.0).reshape(2, 3, 2)
    layer = SelectStep(1)
    np.testing.assert_array_equal(layer.forward(x), [[2.0, 3.0], [8.0, 9.0]])
    grad = layer.backward(np.array([[1.0, 2.0], [3.0, 4.0]]))
    # only step 1 reached the output
    np.testing.assert_array_equal(grad, [[[0, 0], [1, 2], [0, 0]], [[0, 0], [3, 4], [0, 0]]])
    assert LastStep().output_shape((7, 3)) == (3,)
    assert repr(LastStep()) == "LastStep()" and repr(SelectStep(0)) == "SelectStep(index=0)"


def test_learns_running_sum():
    x, y = nl.datasets.running_sum(n=500, length=10, seed=0)
    x_test, y_test = nl.datasets.running_sum(n=500, length=10, seed=1)
    model = nl.Sequential([SimpleRNN(1, 8), nl.Dense(8, 1)], seed=0)
    # the count is scaled to 0..1 for training, then read back in ones
    model.fit(x, y[:, None] / 10, "mse", optimizer="adam", lr=0.02, epochs=300, progress=False)
    counted = model.predict(x_test)[:, 0] * 10
    assert np.mean((counted - y_test) ** 2) < 0.06  # measured 0.025
    assert np.mean(np.round(counted) == y_test) > 0.97  # measured 0.998


def test_learns_next_value_of_a_sine():
    x, y = nl.datasets.sine_sequences(n=500, length=20, seed=0)
    x_test, y_test = nl.datasets.sine_sequences(n=500, length=20, seed=1)
    model = nl.Sequential([SimpleRNN(1, 16), nl.Dense(16, 1)], seed=0)
    model.fit(x, y, "mse", optimizer="adam", lr=0.02, epochs=150, progress=False)
    # predicting 0 would cost about 0.5 (the mean of sin^2)
    assert model.evaluate(x_test, y_test, "mse") < 0.01  # measured 0.0029

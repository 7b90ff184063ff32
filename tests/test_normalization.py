"""BatchNorm (and the shared LayerNorm): hand-worked values, gradients against finite differences, training vs
inference statistics, and running averages that survive save/load. PyTorch agreement is in test_torch_reference."""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.gradcheck import numerical_gradient


def test_batchnorm_hand_worked_training_step():
    norm = nl.BatchNorm(2)
    x = np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 13.0]])
    out = norm.forward(x)
    # feature 0: mean 3, variance (4 + 0 + 4) / 3 = 8/3; feature 1: mean 11, variance (1 + 1 + 4) / 3 = 2
    expected = np.column_stack([(x[:, 0] - 3.0) / np.sqrt(8 / 3 + 1e-5), (x[:, 1] - 11.0) / np.sqrt(2 + 1e-5)])
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    # running averages: 0.9 * start + 0.1 * batch value, the variance made unbiased (times 3 / 2)
    np.testing.assert_allclose(norm.running_mean, [0.3, 1.1], rtol=1e-12)
    np.testing.assert_allclose(norm.running_var, [0.9 + 0.1 * 4.0, 0.9 + 0.1 * 3.0], rtol=1e-12)


def test_batchnorm_output_is_standardised_then_scaled(rng):
    norm = nl.BatchNorm(3)
    norm.gain[:] = [1.0, 2.0, 0.5]
    norm.bias[:] = [0.0, -1.0, 3.0]
    out = norm.forward(rng.normal(5.0, 4.0, size=(50, 3)))
    np.testing.assert_allclose(out.mean(axis=0), norm.bias, atol=1e-10)
    np.testing.assert_allclose(out.std(axis=0), norm.gain, rtol=1e-5)


def test_batchnorm_inference_uses_running_statistics():
    norm = nl.BatchNorm(1, momentum=1.0)  # momentum 1: the running values are the last batch's
    norm.forward(np.array([[0.0], [2.0], [4.0]]))  # mean 2, unbiased variance 4
    norm.training = False
    one = norm.forward(np.array([[6.0]]))
    np.testing.assert_allclose(one, [[(6.0 - 2.0) / np.sqrt(4.0 + 1e-5)]], rtol=1e-12)
    np.testing.assert_allclose(norm.running_mean, [2.0])  # inference leaves them alone
    norm.forward(np.array([[100.0], [200.0]]))
    np.testing.assert_allclose(norm.running_mean, [2.0])


def test_sequential_switches_batchnorm_between_modes(rng):
    model = nl.Sequential([nl.Dense(3, 4), nl.BatchNorm(4), nl.Dense(4, 1)], seed=0)
    x = rng.normal(size=(16, 3))
    model.forward(x, training=True)
    single_train = model.forward(x[:2], training=True)[0]
    single_predict = model.predict(x[:2])[0]
    alone = model.predict(x[:1])[0]
    np.testing.assert_allclose(single_predict, alone, rtol=1e-12)  # at inference a sample ignores its batch
    assert not np.allclose(single_train, single_predict)


@pytest.mark.parametrize("shape", [(6, 3), (4, 5, 3)])
def test_batchnorm_gradients_match_finite_differences(shape, rng):
    norm = nl.BatchNorm(3)
    norm.gain[:] = rng.normal(size=3)
    norm.bias[:] = rng.normal(size=3)
    x = rng.normal(size=shape)
    weights = rng.normal(size=shape)  # a loss sum(weights * out) makes every output's gradient different

    def loss():
        return float(np.sum(weights * norm.forward(x)))

    loss()
    grad_x = norm.backward(weights)
    np.testing.assert_allclose(grad_x, numerical_gradient(loss, x), rtol=1e-6, atol=1e-8)
    norm.forward(x)
    norm.backward(weights)
    np.testing.assert_allclose(norm.grad_gain, numerical_gradient(loss, norm.gain), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(norm.grad_bias, numerical_gradient(loss, norm.bias), rtol=1e-6, atol=1e-8)


def test_batchnorm_inference_gradient(rng):
    norm = nl.BatchNorm(2)
    norm.running_mean[:] = [1.0, -1.0]
    norm.running_var[:] = [4.0, 0.25]
    norm.training = False
    x = rng.normal(size=(5, 2))
    weights = rng.normal(size=(5, 2))

    def loss():
        return float(np.sum(weights * norm.forward(x)))

    loss()
    np.testing.assert_allclose(norm.backward(weights), numerical_gradient(loss, x), rtol=1e-6, atol=1e-8)


def test_network_with_batchnorm_passes_gradient_check(rng):
    x, y = nl.datasets.moons(n=24, noise=0.1, seed=0)
    model = nl.Sequential([nl.Dense(2, 5, "tanh"), nl.BatchNorm(5), nl.Dense(5, 1, "sigmoid")], seed=3)
    assert nl.gradient_check(model, x, y, "bce") < 1e-6


def test_batchnorm_running_averages_survive_save_and_load(tmp_path, rng):
    x, y = nl.datasets.moons(n=64, noise=0.1, seed=0)
    x = x * 3.0 + 5.0  # far from mean 0, spread 1: running averages matter
    model = nl.Sequential([nl.Dense(2, 6, "relu"), nl.BatchNorm(6), nl.Dense(6, 1, "sigmoid")], seed=0)
    model.fit(x, y, "bce", optimizer="adam", lr=0.01, epochs=20, batch_size=16, seed=0, progress=False)
    before = model.predict(x)
    assert set(model.buffers()) == {"layer2.running_mean", "layer2.running_var"}
    loaded = nl.Sequential.load(model.save(tmp_path / "bn"))
    np.testing.assert_array_equal(loaded.predict(x), before)
    np.testing.assert_array_equal(loaded.layers[1].running_var, model.layers[1].running_var)
    # The round trip is a real test: a fresh layer's defaults (mean 0, variance 1) give other predictions.
    loaded.layers[1].initialize(np.random.default_rng(0))
    loaded.layers[1].gain[:] = model.layers[1].gain
    loaded.layers[1].bias[:] = model.layers[1].bias
    assert np.abs(loaded.predict(x) - before).max() > 0.05


def test_load_refuses_a_file_missing_a_buffer(tmp_path):
    model = nl.Sequential([nl.Dense(2, 3), nl.BatchNorm(3)], seed=0)
    path = model.save(tmp_path / "m")
    with np.load(path) as data:
        arrays = {k: data[k] for k in data.files if k != "layer2.running_var"}
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="missing the array 'layer2.running_var'"):
        nl.Sequential.load(path)


def test_batchnorm_errors_teach():
    norm = nl.BatchNorm(3)
    with pytest.raises(ValueError, match=r"BatchNorm layer \(3 features\) expects inputs of shape \(batch, ..., 3\)"):
        norm.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="at least 2 values per feature"):
        norm.forward(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="momentum must be in"):
        nl.BatchNorm(3, momentum=1.5)
    with pytest.raises(ValueError, match="eps must be above 0"):
        nl.BatchNorm(3, eps=0.0)
    norm.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"backward expects a gradient of shape \(2, 3\)"):
        norm.backward(np.ones((3, 3)))


def test_batchnorm_config_round_trip():
    norm = nl.BatchNorm(4, momentum=0.2, eps=1e-3)
    again = nl.BatchNorm(**norm.get_config())
    assert (again.n_features, again.momentum, again.eps) == (4, 0.2, 1e-3)
    assert norm.n_params == 8  # gain and bias; running averages are buffers, not learned


def test_layernorm_gradients_match_finite_differences(rng):
    norm = nl.LayerNorm(4)
    norm.gain[:] = rng.normal(size=4)
    x = rng.normal(size=(3, 2, 4))
    weights = rng.normal(size=x.shape)

    def loss():
        return float(np.sum(weights * norm.forward(x)))

    loss()
    np.testing.assert_allclose(norm.backward(weights), numerical_gradient(loss, x), rtol=1e-6, atol=1e-8)

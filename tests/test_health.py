"""training_health: numbers checked by hand on tiny nets, and the symptoms it exists to show (vanishing signal,
dead ReLUs, too-large updates) appearing where they should."""

import math

import numpy as np
import pytest

import nnlearn as nl


def test_hand_worked_single_layer():
    layer = nl.Dense(2, 2, "relu")
    layer.weights[:] = [[1.0, -1.0], [0.0, -2.0]]
    layer.bias[:] = [0.0, -1.0]
    model = nl.Sequential([layer])
    x = np.array([[1.0, 0.0], [3.0, 1.0]])
    y = np.array([[0.0, 0.0], [0.0, 0.0]])
    report = nl.training_health(model, x, y, loss="mse", learning_rate=0.1)
    # z = [[1, -2], [3, -6]] -> outputs [[1, 0], [3, 0]]: unit 2 is 0 for both samples (dead), unit 1 never
    row = report.layers[0]
    assert row.activation_mean == pytest.approx(1.0)
    assert row.activation_std == pytest.approx(np.std([1, 0, 3, 0]))
    assert row.dead_share == 0.5
    # mse gradient at the output: 2 * (out - y) / 4 values
    grad_out = 2 * np.array([[1.0, 0.0], [3.0, 0.0]]) / 4
    assert row.gradient_mean == pytest.approx(grad_out.mean())
    assert row.gradient_std == pytest.approx(grad_out.std())
    grad_w = x.T @ (grad_out * np.array([[1, 0], [1, 0]]))
    assert row.update_ratio == pytest.approx(0.1 * np.linalg.norm(grad_w) / np.linalg.norm(layer.weights))
    assert report.loss == pytest.approx(np.mean([1, 0, 9, 0]))


def test_weights_are_left_unchanged(rng):
    model = nl.Sequential([nl.Dense(3, 4, "relu"), nl.Dense(4, 1)], seed=0)
    before = {k: v.copy() for k, v in model.parameters().items()}
    nl.training_health(model, rng.normal(size=(10, 3)), rng.normal(size=10))
    for key, value in model.parameters().items():
        np.testing.assert_array_equal(value, before[key])


def deep(init, activation="tanh", depth=10, width=32):
    layers = [nl.Dense(8 if i == 0 else width, width, activation, init=init) for i in range(depth)]
    return nl.Sequential(layers, seed=0)


def test_vanishing_and_exploding_signals_show_in_the_spreads(rng):
    x = rng.normal(size=(128, 8))
    small = nl.training_health(deep("normal(0.01)"), x).column("activation_std")
    good = nl.training_health(deep("glorot"), x).column("activation_std")
    large = nl.training_health(deep("normal(1.0)"), x).column("activation_std")
    assert small[-1] < 1e-6 < small[0]              # shrinks ~ 0.01 * sqrt(32) per layer
    assert np.all(np.diff(np.log(small)) < 0)
    assert 0.1 < good[-1] < 0.9                     # Glorot keeps tanh in its working range
    assert large[-1] > 0.9                          # saturated: outputs pinned near -1 and 1 (spread of ±1 is 1)


def test_gradients_vanish_backwards_with_small_weights(rng):
    x = rng.normal(size=(64, 8))
    grads = nl.training_health(deep("normal(0.01)"), x, seed=1).column("gradient_std")
    assert grads[0] < 1e-6 * grads[-1]              # the first layer hears almost nothing


def test_dead_relus_are_counted(rng):
    model = nl.Sequential([nl.Dense(4, 50, "relu")], seed=0)
    model.layers[0].bias[:25] = -100.0              # half the units can never switch on
    report = nl.training_health(model, rng.normal(size=(40, 4)))
    assert report.layers[0].dead_share == 0.5
    assert math.isnan(nl.training_health(deep("he", "tanh", depth=1), rng.normal(size=(5, 8))).layers[0].dead_share)


def test_update_ratio_scales_with_learning_rate(rng):
    model = deep("he", "relu", depth=3)
    x = rng.normal(size=(32, 8))
    a = nl.training_health(model, x, learning_rate=0.01).column("update_ratio")
    b = nl.training_health(model, x, learning_rate=0.1).column("update_ratio")
    np.testing.assert_allclose(b, 10 * a, rtol=1e-12)


def test_fused_softmax_loss_and_layers_without_weights(rng):
    model = nl.Sequential([nl.Dense(3, 6, "relu"), nl.BatchNorm(6), nl.Dropout(0.0), nl.Dense(6, 3, "softmax")],
                          seed=0)
    x, labels = rng.normal(size=(20, 3)), rng.integers(0, 3, size=20)
    report = nl.training_health(model, x, labels, loss="cross_entropy")
    assert len(report) == 4
    assert math.isnan(report.layers[1].update_ratio) and math.isnan(report.layers[2].update_ratio)
    assert report.loss == pytest.approx(model.loss(x, labels, "cross_entropy"), rel=0.2)
    # the gradient at the softmax layer's z is (p - onehot) / n: it sums to 0 over each row
    assert abs(report.layers[3].gradient_mean) < 1e-12
    text = repr(report)
    assert "dead ReLU" in text and "BatchNorm layer 2" in text and "loss" in text


def test_unknown_column_names_a_close_match(rng):
    report = nl.training_health(deep("he", depth=1), rng.normal(size=(4, 8)))
    with pytest.raises(ValueError, match="Did you mean 'gradient_std'"):
        report.column("gradient_sd")


def test_deep_net_builds_the_stack_it_describes():
    model = nl.health.deep_net(3, 2, depth=5, width=7, activation="tanh", init="normal(0.01)", norm="layer",
                               output_activation="softmax")
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "LayerNorm"] * 4 + ["Dense"]
    assert model.layers[0].n_inputs == 3 and model.layers[-1].n_outputs == 2
    assert model.layers[0].init == "normal(0.01)" and model.layers[-1].init == "glorot"
    assert model.layers[2].weights.std() < 0.02
    with pytest.raises(ValueError, match="Did you mean 'batch'"):
        nl.health.deep_net(2, norm="bach")


def test_report_is_indexable_and_iterable(rng):
    model = deep("he", "relu", depth=3)
    report = nl.training_health(model, rng.normal(size=(16, 8)))
    assert report[0] is report.layers[0] and [row.layer for row in report] == [r.layer for r in report.layers]
    assert report.loss is None and len(report.activations) == 3 and report.activations[0].shape == (16, 32)

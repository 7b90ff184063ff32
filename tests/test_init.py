"""Initialisation choice on Dense and Conv2D: the named rules give the spreads they promise, the default is
unchanged, the choice survives save/load, and a wrong name teaches."""

import numpy as np
import pytest

import nnlearn as nl


@pytest.mark.parametrize("init, expected", [
    ("he", np.sqrt(2 / 400)),
    ("glorot", np.sqrt(2 / (400 + 300))),
    ("normal(0.01)", 0.01),
    ("normal(1.0)", 1.0),
])
def test_dense_init_spreads(init, expected):
    layer = nl.Dense(400, 300, "tanh", init=init, seed=0)
    assert layer.weights.std() == pytest.approx(expected, rel=0.01)
    assert abs(layer.weights.mean()) < 0.01 * expected * 10
    np.testing.assert_array_equal(layer.bias, 0.0)


def test_default_is_the_automatic_choice_unchanged():
    # Same random draws as before the option existed: He for relu, Glorot for tanh.
    for activation, rule in (("relu", "he"), ("tanh", "glorot")):
        auto = nl.Dense(30, 20, activation, seed=5)
        named = nl.Dense(30, 20, activation, seed=5, init=rule)
        np.testing.assert_array_equal(auto.weights, named.weights)
        assert auto.init == "auto" and "init" not in auto.get_config()


def test_conv_init_uses_fan_in_of_the_window():
    layer = nl.Conv2D(4, 64, kernel_size=3, init="he", seed=0)  # fan_in = 4 * 3 * 3 = 36
    assert layer.weights.std() == pytest.approx(np.sqrt(2 / 36), rel=0.03)
    small = nl.Conv2D(4, 64, kernel_size=3, init="normal(0.01)", seed=0)
    assert small.weights.std() == pytest.approx(0.01, rel=0.03)


def test_init_survives_save_and_load(tmp_path):
    model = nl.Sequential([nl.Dense(2, 5, "relu", init="normal(0.01)"), nl.Dense(5, 1, init="glorot")], seed=0)
    loaded = nl.Sequential.load(model.save(tmp_path / "m"))
    assert [layer.init for layer in loaded.layers] == ["normal(0.01)", "glorot"]
    loaded.initialize(1)  # re-drawing keeps the chosen rule
    assert loaded.layers[0].weights.std() < 0.05
    conv = nl.Sequential([nl.Conv2D(1, 2, 3, init="he"), nl.Flatten()], seed=0)
    assert nl.Sequential.load(conv.save(tmp_path / "c")).layers[0].init == "he"


def test_unknown_init_names_a_close_match():
    with pytest.raises(ValueError, match=r"Unknown init 'glorrot'.*Did you mean 'glorot'"):
        nl.Dense(2, 3, init="glorrot")
    with pytest.raises(ValueError, match="positive number"):
        nl.Dense(2, 3, init="normal(-1)")
    with pytest.raises(TypeError, match="init must be a name"):
        nl.Conv2D(1, 1, 3, init=0.01)

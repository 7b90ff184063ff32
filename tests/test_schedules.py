"""Learning-rate schedules: each named rule worked out by hand, errors that teach, and fit really using them."""

import math

import numpy as np
import pytest

import nnlearn as nl
from nnlearn import schedules


def test_names():
    assert schedules.names() == ["constant", "step", "cosine", "warmup_cosine"]


def test_constant_and_step_by_hand():
    assert schedules.get("constant", 0.3, 4).rates().tolist() == [0.3] * 4
    # 10 epochs: times 0.1 from epoch 5 (half), again from epoch 7 (three quarters: 30 // 4)
    np.testing.assert_allclose(schedules.get("step", 1.0, 10).rates(), [1] * 5 + [0.1] * 2 + [0.01] * 3)


def test_cosine_by_hand():
    rates = schedules.get("cosine", 0.2, 8).rates()
    np.testing.assert_allclose(rates, [0.1 * (1 + math.cos(math.pi * e / 8)) for e in range(8)])
    assert rates[0] == 0.2 and rates[4] == pytest.approx(0.1) and np.all(np.diff(rates) < 0)


def test_warmup_cosine_by_hand():
    rates = schedules.warmup_cosine(1.0, 12, warmup=3).rates()
    np.testing.assert_allclose(rates[:3], [0.25, 0.5, 0.75])          # (epoch + 1) / (warmup + 1)
    assert rates[3] == 1.0                                             # the full rate once warm
    np.testing.assert_allclose(rates[3:], [0.5 * (1 + math.cos(math.pi * k / 9)) for k in range(9)])
    assert schedules.get("warmup_cosine", 1.0, 20).rates()[:3].round(3).tolist() == [0.333, 0.667, 1.0]


def test_callable_schedule_and_its_checks():
    assert schedules.get(lambda epoch: 0.5 ** epoch, 1.0, 3).rates().tolist() == [1.0, 0.5, 0.25]
    with pytest.raises(ValueError, match="for epoch 0 it gave 0"):
        schedules.get(lambda epoch: 0.0, 1.0, 3)(0)
    with pytest.raises(ValueError, match="for epoch 1 it gave nan"):
        schedules.get(lambda epoch: 1.0 if epoch == 0 else float("nan"), 1.0, 3).rates()


def test_unknown_and_wrong_types_teach():
    with pytest.raises(ValueError, match=r"Unknown schedule 'warmup-cosin'.*Did you mean 'warmup_cosine'"):
        schedules.get("warmup-cosin", 0.1, 5)
    with pytest.raises(TypeError, match="a function of the epoch"):
        schedules.get(3, 0.1, 5)
    with pytest.raises(ValueError, match="learning_rate"):
        schedules.get("cosine", -0.1, 5)


def moons_net():
    x, y = nl.datasets.moons(n=80, noise=0.1, seed=0)
    return nl.Sequential([nl.Dense(2, 8, "tanh"), nl.Dense(8, 1, "sigmoid")], seed=0), x, y


@pytest.mark.parametrize("name", ["step", "cosine", "warmup_cosine"])
def test_fit_uses_the_schedule_each_epoch(name):
    model, x, y = moons_net()
    history = model.fit(x, y, "bce", optimizer="sgd", lr=0.5, epochs=12, schedule=name, progress=False)
    np.testing.assert_allclose(history.history["learning_rate"], schedules.get(name, 0.5, 12).rates())
    # The same run by hand: plain sgd, full batch, the epoch's rate set before its step.
    by_hand, _, _ = moons_net()
    for rate in schedules.get(name, 0.5, 12).rates():
        by_hand.fit(x, y, "bce", optimizer="sgd", lr=rate, epochs=1, progress=False)
    for ours, theirs in zip(model.parameters().values(), by_hand.parameters().values()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_fit_with_a_callable_and_an_optimizer_object_gives_its_rate_back():
    model, x, y = moons_net()
    adam = nl.optimizers.get("adam", 0.05)
    history = model.fit(x, y, "bce", optimizer=adam, epochs=4, schedule=lambda epoch: 0.01 * (epoch + 1),
                        progress=False)
    np.testing.assert_allclose(history.history["learning_rate"], [0.01, 0.02, 0.03, 0.04])
    assert adam.learning_rate == 0.05


def test_constant_schedule_changes_nothing():
    a, x, y = moons_net()
    b, _, _ = moons_net()
    ha = a.fit(x, y, "bce", optimizer="momentum", lr=0.1, epochs=5, progress=False)
    hb = b.fit(x, y, "bce", optimizer="momentum", lr=0.1, epochs=5, schedule="constant", progress=False)
    assert ha.loss == hb.loss and "learning_rate" not in hb.history
    with pytest.raises(ValueError, match="Did you mean 'cosine'"):
        a.fit(x, y, "bce", epochs=2, schedule="cosin", progress=False)

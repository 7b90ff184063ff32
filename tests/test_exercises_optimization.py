"""The optimization exercises (nnlearn/exercises/optimization.py): stubs as shipped, right answers checked against
the library itself, and the typical wrong answers each named."""

import numpy as np
import pytest

import nnlearn as nl


@pytest.mark.parametrize("name, stub", [
    ("momentum_update", {"velocity": None, "weight": None}),
    ("batchnorm_forward", {"outputs": None, "running_mean": None}),
    ("warmup_schedule", {"schedule": None}),
])
def test_stubs_are_not_done_yet(name, stub):
    verdict = nl.exercises.check(name, **stub)
    assert not verdict.done and not verdict.passed
    assert nl.exercises.get(name).concept == "optimization"


def test_momentum_answer_is_what_sgd_does():
    model = nl.Sequential([nl.Dense(1, 1)])
    model.layers[0].weights[:] = 1.0
    model.layers[0].grad_weights = np.array([[2.0]])
    model.layers[0].grad_bias = np.array([0.0])
    opt = nl.optimizers.SGD(0.1, momentum=0.9)
    opt.velocities[(0, "weights")] = np.array([[0.5]])
    opt.velocities[(0, "bias")] = np.array([0.0])
    opt.step(model)
    velocity, weight = opt.velocities[(0, "weights")][0, 0], model.layers[0].weights[0, 0]
    assert nl.exercises.check("momentum_update", velocity=velocity, weight=weight).passed
    assert (velocity, weight) == pytest.approx((2.45, 0.755))


@pytest.mark.parametrize("velocity, weight, says", [
    (2.0, 0.8, "just the gradient"),
    (2.45, 1.245, "uphill"),
    (0.65, 0.935, "the other way round"),
])
def test_momentum_wrong_answers_are_named(velocity, weight, says):
    verdict = nl.exercises.check("momentum_update", velocity=velocity, weight=weight)
    assert not verdict.passed and says in verdict.message


def test_batchnorm_answer_is_what_the_layer_computes():
    norm = nl.BatchNorm(1)
    norm.gain[:] = 2.0
    norm.bias[:] = 1.0
    out = norm.forward(np.array([[2.0], [4.0], [6.0], [8.0]])).ravel()
    verdict = nl.exercises.check("batchnorm_forward", outputs=out, running_mean=norm.running_mean[0])
    assert verdict.passed
    np.testing.assert_allclose(out, [-1.683, 0.106, 1.894, 3.683], atol=1e-3)


def test_batchnorm_wrong_answers_are_named():
    x = np.array([2.0, 4.0, 6.0, 8.0])
    unbiased = 2 * (x - 5) / np.sqrt(x.var(ddof=1) + 1e-5) + 1
    assert "n - 1" in nl.exercises.check("batchnorm_forward", outputs=unbiased, running_mean=0.5).message
    plain = (x - 5) / np.sqrt(5 + 1e-5)
    assert "gain" in nl.exercises.check("batchnorm_forward", outputs=plain, running_mean=0.5).message
    right = 2 * plain + 1
    assert "10%" in nl.exercises.check("batchnorm_forward", outputs=right, running_mean=5.0).message
    assert "could not be checked" in nl.exercises.check("batchnorm_forward", outputs=[1, 2], running_mean=0.5).message


def test_warmup_schedule_right_and_usable_by_fit():
    def schedule(epoch):
        return 0.1 * (epoch + 1) / 5 if epoch < 5 else 0.1

    assert nl.exercises.check("warmup_schedule", schedule=schedule).passed
    np.testing.assert_allclose(nl.schedules.get(schedule, 0.1, 20).rates()[:6], [0.02, 0.04, 0.06, 0.08, 0.1, 0.1])


def test_warmup_schedule_wrong_answers():
    assert "is 0" in nl.exercises.check("warmup_schedule", schedule=lambda e: 0.1 * min(e / 5, 1)).message
    verdict = nl.exercises.check("warmup_schedule", schedule=lambda e: 0.1)
    assert not verdict.passed and "At epoch 0" in verdict.message
    assert "raised ZeroDivisionError" in nl.exercises.check("warmup_schedule", schedule=lambda e: 1 / 0).message
    assert "could not be checked" in nl.exercises.check("warmup_schedule", schedule=0.1).message

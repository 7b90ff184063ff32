"""Exercises about making training work: one momentum update, one BatchNorm forward pass, a warm-up schedule."""

from __future__ import annotations

import math

import numpy as np

from . import exercise


def _number(value, name: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, but got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, but got {value!r}")
    return number


@exercise(
    "momentum_update",
    "SGD with momentum 0.9 and learning rate 0.1: a weight is 1.0, its velocity from the last step is 0.5 and its "
    "new gradient is 2.0. Give the new velocity and the new weight (velocity = momentum * velocity + gradient; "
    "weight -= learning_rate * velocity).",
    hint="First the velocity: 0.9 times the old one, plus the gradient. Then step the weight by the learning rate "
         "times that new velocity (not times the gradient).",
    solution=(
        "velocity = 0.9 * 0.5 + 2.0 = 2.45\n"
        "weight = 1.0 - 0.1 * 2.45 = 0.755\n"
        "Check: model = nl.Sequential([nl.Dense(1, 1)]); set weights to 1, grad_weights to 2 and "
        "opt = nl.optimizers.SGD(0.1, momentum=0.9) with opt.velocities[(0, 'weights')] = np.array([[0.5]])."
    ),
    concept="optimization",
)
def momentum_update(velocity, weight):
    velocity, weight = _number(velocity, "velocity"), _number(weight, "weight")
    ok_velocity, ok_weight = abs(velocity - 2.45) < 1e-6, abs(weight - 0.755) < 1e-6
    if ok_velocity and ok_weight:
        return True, "velocity 0.9 * 0.5 + 2 = 2.45, weight 1 - 0.1 * 2.45 = 0.755: the old velocity adds to the push."
    notes = []
    if not ok_velocity:
        if abs(velocity - 2.0) < 1e-6:
            notes.append("velocity 2.0 is just the gradient: momentum keeps 0.9 of the old velocity as well")
        elif abs(velocity - 0.65) < 1e-6:
            notes.append("velocity 0.65 mixes them the other way round: 0.9 goes with the OLD velocity")
        else:
            notes.append(f"velocity {velocity:g} is not 0.9 * 0.5 + 2.0")
    if not ok_weight:
        if abs(weight - 0.8) < 1e-6:
            notes.append("weight 0.8 stepped by the gradient alone: step by the velocity")
        elif abs(weight - 1.245) < 1e-6:
            notes.append("the weight moved uphill: subtract learning_rate * velocity")
        else:
            notes.append(f"weight {weight:g} is not 1.0 - 0.1 * velocity")
    message = "; ".join(notes) + "."
    return False, message[0].upper() + message[1:]


BATCH = np.array([2.0, 4.0, 6.0, 8.0])
GAIN, BIAS = 2.0, 1.0


def _batchnorm(values: np.ndarray, unbiased: bool = False) -> np.ndarray:
    variance = values.var(ddof=1 if unbiased else 0)
    return GAIN * (values - values.mean()) / math.sqrt(variance + 1e-5) + BIAS


@exercise(
    "batchnorm_forward",
    "One feature, a training batch of four samples: 2, 4, 6, 8. BatchNorm has gain 2, bias 1 and eps 1e-5. Give "
    "its four outputs (training mode) and its running mean after this batch (it started at 0, momentum 0.1).",
    hint="Mean of the batch, then the variance dividing by n (not n - 1), then (x - mean) / sqrt(variance + eps), "
         "times the gain, plus the bias. Running mean = 0.9 * old + 0.1 * batch mean.",
    solution=(
        "mean 5; variance (9 + 1 + 1 + 9) / 4 = 5; x_hat = (x - 5) / sqrt(5.00001) = -1.342, -0.447, 0.447, 1.342\n"
        "outputs = 2 * x_hat + 1 = -1.683, 0.106, 1.894, 3.683\n"
        "running mean = 0.9 * 0 + 0.1 * 5 = 0.5\n"
        "Check: nl.BatchNorm(1) with gain[:] = 2, bias[:] = 1, then forward(np.array([[2.], [4.], [6.], [8.]]))"
    ),
    concept="optimization",
)
def batchnorm_forward(outputs, running_mean):
    values = np.asarray(outputs, dtype=float).reshape(-1)
    if values.size != 4:
        raise ValueError(f"give four outputs, one per sample, but got {values.size}")
    running = _number(running_mean, "running_mean")
    right = _batchnorm(BATCH)
    ok_outputs = np.allclose(values, right, atol=2e-3)
    ok_running = abs(running - 0.5) < 1e-6
    if ok_outputs and ok_running:
        return True, ("Outputs " + ", ".join(f"{v:.3f}" for v in right) + " (mean 1 = the bias, spread 2 = the gain); "
                      "running mean 0.5.")
    notes = []
    if not ok_outputs:
        if np.allclose(values, _batchnorm(BATCH, unbiased=True), atol=2e-3):
            notes.append("the outputs used the variance divided by n - 1; in training BatchNorm divides by n")
        elif np.allclose(values, (BATCH - 5.0) / math.sqrt(5.0 + 1e-5), atol=2e-3):
            notes.append("those are the standardised values: now multiply by the gain 2 and add the bias 1")
        else:
            notes.append("the outputs are not gain * (x - mean) / sqrt(variance + eps) + bias")
    if not ok_running:
        if abs(running - 5.0) < 1e-6:
            notes.append("5 is the batch mean; the running mean moves only 10% of the way there from 0")
        else:
            notes.append(f"running mean {running:g} is not 0.9 * 0 + 0.1 * 5")
    message = "; ".join(notes) + "."
    return False, message[0].upper() + message[1:]


WARMUP_EPOCHS, BASE_RATE, TOTAL_EPOCHS = 5, 0.1, 20


def _expected_rate(epoch: int) -> float:
    if epoch < WARMUP_EPOCHS:
        return BASE_RATE * (epoch + 1) / WARMUP_EPOCHS
    return BASE_RATE


@exercise(
    "warmup_schedule",
    "Write schedule(epoch) for fit(..., schedule=schedule): epochs count from 0; over the first 5 epochs the "
    "learning rate climbs in equal steps to 0.1 (0.02, 0.04, 0.06, 0.08, 0.1), then it stays at 0.1 up to epoch 19.",
    hint="For epoch < 5 return 0.1 * (epoch + 1) / 5; otherwise return 0.1. Why epoch + 1? At epoch 0 a learning "
         "rate of 0 would take no step at all (fit refuses it).",
    solution=(
        "def schedule(epoch):\n"
        "    if epoch < 5:\n"
        "        return 0.1 * (epoch + 1) / 5\n"
        "    return 0.1"
    ),
    concept="optimization",
)
def warmup_schedule(schedule):
    if not callable(schedule):
        raise TypeError(f"schedule must be a function of the epoch, but got {type(schedule).__name__}")
    expected = [_expected_rate(epoch) for epoch in range(TOTAL_EPOCHS)]
    try:
        given = [float(schedule(epoch)) for epoch in range(TOTAL_EPOCHS)]
    except Exception as error:  # the learner's function: say what it did, whatever it raised
        return False, f"Calling schedule(epoch) raised {type(error).__name__}: {error}"
    wrong = [epoch for epoch in range(TOTAL_EPOCHS) if not math.isclose(given[epoch], expected[epoch], rel_tol=1e-9)]
    if not wrong:
        return True, "0.02, 0.04, 0.06, 0.08, then 0.1 from epoch 4 on: a warm-up, then the full rate."
    first = wrong[0]
    if given[0] == 0.0:
        return False, "schedule(0) is 0: a learning rate of 0 takes no step. Count the warm-up from epoch + 1."
    return False, (f"At epoch {first} your schedule gives {given[first]:g}, but the warm-up asks for "
                   f"{expected[first]:g}.")

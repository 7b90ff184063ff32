"""Exercises about single neurons: weighted sums, biases and the lines they draw."""

from __future__ import annotations

import numpy as np

from . import exercise

_FOUR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def _gate(weights, bias, expected, name):
    weights = np.asarray(weights, dtype=float).reshape(-1)
    if weights.shape != (2,):
        raise ValueError(f"weights must be two numbers, one per input, but got {weights.size}")
    bias = float(bias)
    outputs = (_FOUR_INPUTS @ weights + bias > 0).astype(int)
    shown = ", ".join(str(o) for o in outputs)
    if np.array_equal(outputs, expected):
        return True, f"weights {weights.tolist()} and bias {bias} give {shown} on the four inputs."
    wrong = [tuple(int(v) for v in _FOUR_INPUTS[i]) for i in np.flatnonzero(outputs != expected)]
    return False, f"with a step activation your neuron gives {shown}; it is wrong for inputs {wrong}."


@exercise(
    "and_gate",
    "Choose two weights and a bias so that step(x1*w1 + x2*w2 + b) is 1 only when x1 = x2 = 1.",
    hint="The output must be above 0 only when both inputs are 1. Try equal weights and a negative bias.",
    solution=(
        "weights = [1.0, 1.0]; bias = -1.5\n"
        "(0,0): -1.5 -> 0;  (0,1) and (1,0): -0.5 -> 0;  (1,1): 0.5 -> 1.\n"
        "Any bias between -2 and -1 works with these weights: the line x1 + x2 = 1.5 separates (1,1) from the rest."
    ),
    concept="neurons",
)
def and_gate(weights, bias):
    return _gate(weights, bias, np.array([0, 0, 0, 1]), "and_gate")


@exercise(
    "or_gate",
    "Choose two weights and a bias so that step(x1*w1 + x2*w2 + b) is 1 when at least one input is 1.",
    hint="Only (0, 0) should stay below 0: a small negative bias and positive weights.",
    solution="weights = [1.0, 1.0]; bias = -0.5: only (0,0) gives -0.5 < 0.",
    concept="neurons",
)
def or_gate(weights, bias):
    return _gate(weights, bias, np.array([0, 1, 1, 1]), "or_gate")


@exercise(
    "nand_gate",
    "Choose two weights and a bias so that step(x1*w1 + x2*w2 + b) is 0 only when x1 = x2 = 1 (NOT AND).",
    hint="Start from an AND neuron and flip the sign of every weight and of the bias: the line stays, the sides swap.",
    solution=(
        "weights = [-1.0, -1.0]; bias = 1.5\n"
        "(0,0): 1.5 -> 1;  (0,1) and (1,0): 0.5 -> 1;  (1,1): -0.5 -> 0.\n"
        "It is the AND neuron (weights [1, 1], bias -1.5) times -1: the same line x1 + x2 = 1.5, with the sides swapped."
    ),
    concept="neurons",
)
def nand_gate(weights, bias):
    return _gate(weights, bias, np.array([1, 1, 1, 0]), "nand_gate")


# The unit of lesson 01, written out in its prompt so the learner can work it with pencil and paper.
UNIT_INPUTS = np.array([2.0, -1.0, 0.5])
UNIT_WEIGHTS = np.array([0.5, 1.5, -2.0])
UNIT_BIAS = 1.0


@exercise(
    "unit_by_hand",
    "A unit has inputs x = [2, -1, 0.5], weights [0.5, 1.5, -2] and bias 1, and a ReLU activation. "
    "Work out its weighted sum z and its output y = relu(z) by hand.",
    hint="Multiply each input by its weight, add the three products, then add the bias. relu(z) = max(0, z).",
    solution=(
        "z = 0.5*2 + 1.5*(-1) + (-2)*0.5 + 1 = 1 - 1.5 - 1 + 1 = -0.5\n"
        "y = relu(-0.5) = max(0, -0.5) = 0.0   (a negative sum is cut to zero: this unit stays silent)"
    ),
    concept="neurons",
)
def unit_by_hand(weighted_sum, output):
    z = float(UNIT_INPUTS @ UNIT_WEIGHTS + UNIT_BIAS)
    y = max(z, 0.0)
    z_given, y_given = float(weighted_sum), float(output)
    if not np.isclose(z_given, z, atol=1e-6):
        if np.isclose(z_given, z - UNIT_BIAS, atol=1e-6):
            return False, f"z = {z_given} is the sum of the products without the bias; add the bias (1)."
        return False, f"z = {z_given} is not the weighted sum plus bias. Check each product's sign."
    if not np.isclose(y_given, y, atol=1e-6):
        return False, f"z = {z_given} is right, but relu(z) is not {y_given}: ReLU keeps positive z and cuts the rest to 0."
    return True, f"z = {z:.1f} and y = relu(z) = {y:.1f}: plain arithmetic, nothing more."

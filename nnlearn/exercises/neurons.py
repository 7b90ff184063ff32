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

"""Exercises about activation functions: why a network needs a non-linearity between its layers."""

from __future__ import annotations

import numpy as np

from . import exercise

# Two linear layers of lesson 03: x -> x @ W1 + b1 -> (that) @ W2 + b2. The learner folds them into one.
STACK_WEIGHTS_1 = np.array([[1.0, 2.0], [0.0, -1.0]])
STACK_BIAS_1 = np.array([1.0, 0.0])
STACK_WEIGHTS_2 = np.array([[3.0], [1.0]])
STACK_BIAS_2 = np.array([-2.0])


@exercise(
    "linear_collapse",
    "Two linear layers (no activation) compute (x @ W1 + b1) @ W2 + b2 with W1 = [[1, 2], [0, -1]], b1 = [1, 0], "
    "W2 = [[3], [1]], b2 = [-2]. Give ONE weight matrix and ONE bias that compute the same for every x.",
    hint="Multiply the bracket out: x @ W1 @ W2 + (b1 @ W2 + b2). The weights are one matrix product, and the "
         "first bias travels through W2.",
    solution=(
        "weights = W1 @ W2 = [[1*3 + 2*1], [0*3 + (-1)*1]] = [[5], [-1]]\n"
        "bias = b1 @ W2 + b2 = [1*3 + 0*1] + [-2] = [1]\n"
        "So the two layers are one layer: x @ [[5], [-1]] + [1]. Stacking linear layers never adds power."
    ),
    concept="activations",
)
def linear_collapse(weights, bias):
    weights = np.asarray(weights, dtype=float)
    bias = np.asarray(bias, dtype=float).reshape(-1)
    if weights.size != 2:
        raise ValueError(f"weights must map 2 inputs to 1 output, shape (2, 1), but got {weights.size} numbers")
    if bias.size != 1:
        raise ValueError(f"bias must be one number (one output), but got {bias.size}")
    weights = weights.reshape(2, 1)
    right_weights = STACK_WEIGHTS_1 @ STACK_WEIGHTS_2
    right_bias = STACK_BIAS_1 @ STACK_WEIGHTS_2 + STACK_BIAS_2
    probe = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [2.0, -3.0]])
    stack = (probe @ STACK_WEIGHTS_1 + STACK_BIAS_1) @ STACK_WEIGHTS_2 + STACK_BIAS_2
    yours = probe @ weights + bias
    if np.allclose(yours, stack, atol=1e-9):
        return True, (f"weights {weights.ravel().tolist()} and bias {bias.tolist()} give the stack's output for "
                      "every x: two linear layers are one.")
    if np.allclose(weights, right_weights) and not np.allclose(bias, right_bias):
        return False, (f"the weights are right; the bias {bias.tolist()} is not. At x = [0, 0] the stack gives "
                       f"{stack[0, 0]:g}, yours gives {yours[0, 0]:g}.")
    k = int(np.flatnonzero(~np.isclose(yours[:, 0], stack[:, 0], atol=1e-9))[0])
    return False, (f"at x = {probe[k].tolist()} the stack gives {stack[k, 0]:g} but yours gives {yours[k, 0]:g}.")


@exercise(
    "sigmoid_saturation",
    "Find the size |z| beyond which sigmoid's slope is below 0.01 (it is 0.25 at z = 0): give it to one decimal.",
    hint="sigmoid'(z) = s (1 - s) with s = sigmoid(z). Print it for z = 3, 4, 5, ... or solve s (1 - s) = 0.01.",
    solution=(
        "s (1 - s) = 0.01 gives s = (1 + sqrt(0.96)) / 2 = 0.98990, so z = log(s / (1 - s)) = 4.58.\n"
        "Beyond |z| of about 4.6 a sigmoid unit passes back less than 1/25 of what it passes at z = 0: it saturates."
    ),
    concept="activations",
)
def sigmoid_saturation(z):
    z = abs(float(z))
    s = (1.0 + np.sqrt(0.96)) / 2.0
    exact = float(np.log(s / (1.0 - s)))
    if abs(z - exact) <= 0.051:
        return True, f"|z| = {exact:.2f}: past it the slope is below 0.01, 25 times flatter than at z = 0."
    slope = float(np.exp(-z) / (1.0 + np.exp(-z)) ** 2)
    direction = "too small: the slope there is still" if z < exact else "too large: the slope there is already"
    return False, f"|z| = {z:g} is {direction} {slope:.4f}."

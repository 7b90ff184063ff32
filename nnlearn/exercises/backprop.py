"""Exercises about backpropagation: the chain rule worked by hand on small graphs (checked with nnlearn.graph)."""

from __future__ import annotations

import numpy as np

from ..graph import network_graph, neuron_graph
from ..layers import Dense
from ..network import Sequential
from . import exercise

# The neuron of lesson 06's check-yourself, with numbers chosen so every step is pencil arithmetic.
HAND_NEURON = {"x": [3.0, -1.0], "weights": [0.5, 2.0], "bias": 1.0, "target": 1.0, "activation": "relu"}


def hand_neuron():
    """The graph of the hand-worked neuron (relu, x = [3, -1], weights [0.5, 2], bias 1, target 1)."""
    return neuron_graph(**HAND_NEURON)


def _number(value, name):
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be one number, but got {value!r}") from None


@exercise(
    "neuron_gradient_by_hand",
    "A ReLU neuron has inputs x1 = 3, x2 = -1, weights w1 = 0.5, w2 = 2, bias b = 1 and target t = 1; its loss is "
    "L = (a - t)² with a = relu(w1 x1 + w2 x2 + b). Walk backward from L and give ∂L/∂w1 and ∂L/∂b.",
    hint="Forward first: z, a, e = a - t. Then backward, multiplying local gradients: ∂L/∂e = 2e, ∂e/∂a = 1, "
         "∂a/∂z = 1 if z > 0 else 0, ∂z/∂b = 1, ∂z/∂p1 = 1, ∂p1/∂w1 = x1.",
    solution=(
        "Forward:  z = 0.5*3 + 2*(-1) + 1 = 1.5 - 2 + 1 = 0.5;  a = relu(0.5) = 0.5;  e = a - t = -0.5;  L = 0.25\n"
        "Backward: ∂L/∂e = 2e = -1\n"
        "          ∂L/∂a = ∂L/∂e × ∂e/∂a = -1 × 1 = -1\n"
        "          ∂L/∂z = ∂L/∂a × ∂a/∂z = -1 × 1 = -1      (z > 0, so ReLU passes the gradient)\n"
        "          ∂L/∂b = ∂L/∂z × ∂z/∂b = -1 × 1 = -1\n"
        "          ∂L/∂w1 = ∂L/∂z × ∂z/∂p1 × ∂p1/∂w1 = -1 × 1 × x1 = -3\n"
        "Both are negative: raising w1 or b would lower the loss (a is 0.5, below the target 1)."
    ),
    concept="backprop",
)
def neuron_gradient_by_hand(grad_w1, grad_b):
    graph = hand_neuron()
    right_w1, right_b = graph.gradient("w1"), graph.gradient("b")  # -3 and -1
    grad_w1, grad_b = _number(grad_w1, "grad_w1"), _number(grad_b, "grad_b")
    w1_ok, b_ok = np.isclose(grad_w1, right_w1, atol=1e-6), np.isclose(grad_b, right_b, atol=1e-6)
    if w1_ok and b_ok:
        return True, (f"∂L/∂w1 = {right_w1:g} and ∂L/∂b = {right_b:g}: the same numbers nl.Dense.backward "
                      "gives. Each is a product of local gradients along the path back from L.")
    problems = []
    if not b_ok:
        if np.isclose(grad_b, -right_b):
            problems.append(f"∂L/∂b = {grad_b:g} has the wrong sign: e = a - t = 0.5 - 1 is negative")
        elif np.isclose(grad_b, right_b / 2):
            problems.append(f"∂L/∂b = {grad_b:g} is half the answer: the slope of e² is 2e, not e")
        else:
            problems.append(f"∂L/∂b = {grad_b:g} is not it: find ∂L/∂z first; a sum passes it to b unchanged")
    if not w1_ok:
        x1 = HAND_NEURON["x"][0]
        w1 = HAND_NEURON["weights"][0]
        if np.isclose(grad_w1, right_w1 / x1):
            problems.append(f"∂L/∂w1 = {grad_w1:g} is ∂L/∂z; one more step: ∂p1/∂w1 = x1 = {x1:g}")
        elif np.isclose(grad_w1, right_w1 / x1 * w1):
            problems.append(f"∂L/∂w1 = {grad_w1:g} used w1 as the local gradient; for p1 = w1 x1 the slope with "
                            f"respect to w1 is the OTHER factor, x1 = {x1:g}")
        elif np.isclose(grad_w1, -right_w1):
            problems.append(f"∂L/∂w1 = {grad_w1:g} has the wrong sign: e = a - t is negative")
        elif np.isclose(grad_w1, right_w1 / 2):
            problems.append(f"∂L/∂w1 = {grad_w1:g} is half the answer: the slope of e² is 2e, not e")
        else:
            problems.append(f"∂L/∂w1 = {grad_w1:g} is not it: multiply the local gradients from L back to w1")
    return False, "; ".join(problems) + "."


# Lesson 06's two-path example: x1 feeds two hidden units (no activation), both feed the output.
TWO_PATH_WEIGHTS_1 = np.array([[2.0, -1.0]])
TWO_PATH_WEIGHTS_2 = np.array([[3.0], [1.0]])
TWO_PATH_X, TWO_PATH_TARGET = 1.0, 4.0


def two_path_model() -> Sequential:
    """x1 -> h1 = 2 x1 and h2 = -x1 -> out = 3 h1 + h2, every bias 0 and no activation."""
    model = Sequential([Dense(1, 2), Dense(2, 1)])
    model.layers[0].weights[:] = TWO_PATH_WEIGHTS_1
    model.layers[0].bias[:] = 0.0
    model.layers[1].weights[:] = TWO_PATH_WEIGHTS_2
    model.layers[1].bias[:] = 0.0
    return model


@exercise(
    "two_paths_gradient",
    "x1 = 1 feeds two hidden units, h1 = 2·x1 and h2 = -1·x1 (no activation); the output is out = 3·h1 + 1·h2 "
    "and the loss L = (out - 4)². Give ∂L/∂x1.",
    hint="x1 reaches L along two paths, through h1 and through h2. Work out ∂L/∂h1 and ∂L/∂h2, multiply each by "
         "its local gradient back to x1 (2 and -1), and ADD the two.",
    solution=(
        "Forward:  h1 = 2, h2 = -1, out = 3*2 + 1*(-1) = 5, L = (5 - 4)² = 1\n"
        "Backward: ∂L/∂out = 2(out - 4) = 2\n"
        "          ∂L/∂h1 = 2 × 3 = 6;   ∂L/∂h2 = 2 × 1 = 2\n"
        "          ∂L/∂x1 = ∂L/∂h1 × 2 + ∂L/∂h2 × (-1) = 12 - 2 = 10\n"
        "A node that feeds several others collects the gradient from every one of them: the paths add."
    ),
    concept="backprop",
)
def two_paths_gradient(grad_x1):
    grad_x1 = _number(grad_x1, "grad_x1")
    graph = network_graph(two_path_model(), [TWO_PATH_X], TWO_PATH_TARGET)
    right = graph.gradient("x1")  # 10
    through_h1 = 2.0 * 3.0 * 2.0  # dL/dout * dout/dh1 * dh1/dx1 = 12
    through_h2 = 2.0 * 1.0 * -1.0  # = -2
    if np.isclose(grad_x1, right, atol=1e-6):
        return True, (f"∂L/∂x1 = {through_h1:g} (through h1) + ({through_h2:g}) (through h2) = {right:g}. "
                      "Dense.backward does this sum for every input at once: grad_z @ weights.T.")
    if np.isclose(grad_x1, through_h1):
        return False, f"{grad_x1:g} is the path through h1 only; x1 also reaches L through h2. Add that path."
    if np.isclose(grad_x1, through_h2):
        return False, f"{grad_x1:g} is the path through h2 only; x1 also reaches L through h1. Add that path."
    if np.isclose(grad_x1, through_h1 * through_h2):
        return False, f"{grad_x1:g} multiplies the two paths; paths into a node ADD, only the steps along one path multiply."
    if np.isclose(grad_x1, right / 2):
        return False, f"{grad_x1:g} is half the answer: the slope of (out - 4)² is 2(out - 4)."
    return False, f"{grad_x1:g} is not it: find ∂L/∂h1 and ∂L/∂h2 first, then the two paths back to x1."

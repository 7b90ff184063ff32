"""Exercises about reading a trained network: its computation is arithmetic you can do by hand."""

from __future__ import annotations

import numpy as np

from . import exercise

# A tiny network: 2 inputs -> 2 ReLU units -> 1 sigmoid output. Weights are (n_inputs, n_outputs), as in Dense.
HAND_HIDDEN_WEIGHTS = np.array([[1.0, -1.0], [2.0, 0.5]])
HAND_HIDDEN_BIAS = np.array([0.0, 0.0])
HAND_OUTPUT_WEIGHTS = np.array([[1.5], [-2.0]])
HAND_OUTPUT_BIAS = np.array([0.5])
HAND_INPUT = np.array([1.0, 0.5])


def hand_network():
    """The tiny network of the exercise ``network_by_hand`` as an ``nl.Sequential``.

    Shapes: inputs (batch, 2) -> outputs (batch, 1).

    Example:
        >>> round(float(hand_network().predict(HAND_INPUT[None])[0, 0]), 4)
        0.9707
    """
    from ..layers import Dense
    from ..network import Sequential

    hidden, output = Dense(2, 2, "relu"), Dense(2, 1, "sigmoid")
    hidden.weights[:], hidden.bias[:] = HAND_HIDDEN_WEIGHTS, HAND_HIDDEN_BIAS
    output.weights[:], output.bias[:] = HAND_OUTPUT_WEIGHTS, HAND_OUTPUT_BIAS
    return Sequential([hidden, output])


def _sigmoid(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-z)))


@exercise(
    "network_by_hand",
    "A network with 2 inputs, 2 ReLU units and 1 sigmoid output has hidden weights [[1, -1], [2, 0.5]] (row i: "
    "the weights leaving input i), hidden bias [0, 0], output weights [[1.5], [-2]] and output bias [0.5]. "
    "Compute its output for the input x = [1, 0.5] by hand.",
    hint="Unit 1 gets 1*x1 + 2*x2 + 0, unit 2 gets -1*x1 + 0.5*x2 + 0: apply ReLU (negative becomes 0) to each. "
         "Then the output's sum 1.5*h1 - 2*h2 + 0.5, and sigmoid(z) = 1 / (1 + exp(-z)).",
    solution=(
        "h1 = relu(1*1 + 2*0.5 + 0) = relu(2.0) = 2.0\n"
        "h2 = relu((-1)*1 + 0.5*0.5 + 0) = relu(-0.75) = 0.0\n"
        "out = sigmoid(1.5*2.0 + (-2)*0.0 + 0.5) = sigmoid(3.5) = 0.9707\n"
        "Check: nl.interpret.as_arithmetic(model, x) writes the same lines for any small Dense network."
    ),
    concept="interpretability",
)
def network_by_hand(output):
    answer = float(output)
    right = _sigmoid(3.5)
    if abs(answer - right) < 0.002:
        return True, (f"{answer:.4f}: the network's whole 'decision' is these few multiplications, additions, "
                      "a ReLU and a sigmoid, and model.predict gives the same number.")
    if abs(answer - 3.5) < 0.01:
        return False, f"{answer:.4f} is the output unit's weighted sum z; the output is sigmoid(z)."
    if abs(answer - _sigmoid(5.0)) < 0.002:
        return False, (f"{answer:.4f} uses h2 = -0.75, but ReLU turns a negative sum into 0, so h2 = 0.")
    if not 0.0 < answer < 1.0:
        return False, f"{answer:.4f} cannot be right: a sigmoid output lies between 0 and 1."
    return False, f"{answer:.4f} is not it. Write each unit's sum out, one line per unit, as in section 5."

"""Exercises about layers and networks: the shapes of a layer, counting weights, and XOR built by hand."""

from __future__ import annotations

import numpy as np

from . import exercise

_FOUR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_XOR = np.array([0, 1, 1, 0])


def _shape(value, name: str) -> tuple[int, ...]:
    if isinstance(value, (int, np.integer)):
        return (int(value),)
    try:
        shape = tuple(int(v) for v in value)
    except TypeError:
        raise ValueError(f"{name} must be a shape such as (3, 5), but got {value!r}") from None
    if any(float(v) != int(v) for v in value):
        raise ValueError(f"{name} must hold whole numbers, but got {value!r}")
    return shape


@exercise(
    "layer_shapes",
    "A Dense layer with 3 inputs and 5 outputs gets a batch of 10 examples. Give the shapes of its weights, "
    "its bias and its output.",
    hint="Each of the 5 neurons has one weight per input and one bias; each example gets one number per neuron.",
    solution=(
        "weights = (3, 5): one row per input, one column per neuron.\n"
        "bias = (5,): one per neuron.\n"
        "output = (10, 5): x (10, 3) @ weights (3, 5) + bias (5,) -> (10, 5), one row per example.\n"
        "Check: nl.Dense(3, 5).forward(np.zeros((10, 3))).shape"
    ),
    concept="layers",
)
def layer_shapes(weights, bias, output):
    given = {"weights": _shape(weights, "weights"), "bias": _shape(bias, "bias"), "output": _shape(output, "output")}
    expected = {"weights": (3, 5), "bias": (5,), "output": (10, 5)}
    wrong = [f"{name} should have shape {expected[name]}, not {given[name]}"
             for name in expected if given[name] != expected[name]]
    if not wrong:
        return True, "x (10, 3) @ weights (3, 5) + bias (5,) -> output (10, 5)."
    if given["weights"] == (5, 3):
        wrong.append("nnlearn keeps weights as (n_inputs, n_outputs) so that x @ weights works")
    message = "; ".join(wrong) + "."
    return False, message[0].upper() + message[1:]


@exercise(
    "count_parameters",
    "How many numbers does training adjust in nl.Sequential([nl.Dense(2, 4), nl.Dense(4, 3), nl.Dense(3, 1)])?",
    hint="A Dense(n_in, n_out) layer has n_in * n_out weights plus n_out biases. Add the three layers.",
    solution=(
        "Dense(2, 4): 2*4 + 4 = 12;  Dense(4, 3): 4*3 + 3 = 15;  Dense(3, 1): 3*1 + 1 = 4.  Total 31.\n"
        "Check: nl.Sequential([nl.Dense(2, 4), nl.Dense(4, 3), nl.Dense(3, 1)]).n_params"
    ),
    concept="layers",
)
def count_parameters(answer):
    value = float(answer)
    if value == 31:
        return True, "12 + 15 + 4 = 31 weights and biases."
    if value == 27:
        return False, "27 counts the weights only (8 + 12 + 3): every neuron also has a bias."
    if value == 8:
        return False, "8 counts the neurons (4 + 3 + 1); training adjusts every weight and bias instead."
    return False, f"{answer} is not the count."


def _step(z: np.ndarray) -> np.ndarray:
    return (np.asarray(z) > 0).astype(int)


@exercise(
    "xor_by_hand",
    "Choose the weights of a 2-2-1 network with step activations (output 1 when z > 0, else 0) so that it "
    "computes XOR of two inputs that are 0 or 1.",
    hint=("Make hidden neuron 1 an OR gate and hidden neuron 2 an AND gate (lesson 02), then let the output fire "
          "when OR is on and AND is off."),
    solution=(
        "hidden_weights = [[1, 1], [1, 1]]   # column 1: OR, column 2: AND (weights are (n_inputs, n_units))\n"
        "hidden_bias = [-0.5, -1.5]\n"
        "output_weights = [1, -1]              # OR and not AND\n"
        "output_bias = -0.5\n"
        "(0,0): hidden 0,0 -> -0.5 -> 0;  (0,1), (1,0): hidden 1,0 -> 0.5 -> 1;  (1,1): hidden 1,1 -> -0.5 -> 0."
    ),
    concept="layers",
)
def xor_by_hand(hidden_weights, hidden_bias, output_weights, output_bias):
    hidden_weights = np.asarray(hidden_weights, dtype=float)
    hidden_bias = np.asarray(hidden_bias, dtype=float).reshape(-1)
    output_weights = np.asarray(output_weights, dtype=float).reshape(-1)
    output_bias = float(np.asarray(output_bias, dtype=float).reshape(-1)[0])
    if hidden_weights.ndim != 2 or hidden_weights.shape[0] != 2:
        raise ValueError(f"hidden_weights must be (2, n_hidden): one row per input, but got {hidden_weights.shape}")
    n_hidden = hidden_weights.shape[1]
    if hidden_bias.shape != (n_hidden,):
        raise ValueError(f"hidden_bias needs one number per hidden neuron ({n_hidden}), but got {hidden_bias.size}")
    if output_weights.shape != (n_hidden,):
        raise ValueError(f"output_weights needs one number per hidden neuron ({n_hidden}), but got {output_weights.size}")
    hidden = _step(_FOUR_INPUTS @ hidden_weights + hidden_bias)
    outputs = _step(hidden @ output_weights + output_bias)
    rows = ", ".join(f"{tuple(int(v) for v in x)} -> {o}" for x, o in zip(_FOUR_INPUTS, outputs))
    if np.array_equal(outputs, _XOR):
        return True, f"Your network gives {rows}: XOR."
    wrong = [tuple(int(v) for v in _FOUR_INPUTS[i]) for i in np.flatnonzero(outputs != _XOR)]
    return False, f"Your network gives {rows}; XOR is wrong for {wrong}."

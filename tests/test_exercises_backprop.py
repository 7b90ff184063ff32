"""The backpropagation exercises (nnlearn/exercises/backprop.py): the stub as shipped, right and wrong answers.

Each must say "Not done yet" for the shipped stub (never raise), "Well done" for a right answer, and
"Not quite" with a message naming the mistake for a wrong one.
"""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.exercises.backprop import hand_neuron, two_path_model

# name -> (the stub's answers as shipped, a right answer)
EXERCISES = {
    "neuron_gradient_by_hand": ({"grad_w1": None, "grad_b": None}, {"grad_w1": -3.0, "grad_b": -1.0}),
    "two_paths_gradient": ({"grad_x1": None}, {"grad_x1": 10.0}),
}


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_shipped_stub_is_not_done_yet_and_gives_the_hint(name):
    stub, _ = EXERCISES[name]
    verdict = nl.exercises.check(name, **stub)
    assert not verdict.passed and not verdict.done
    assert repr(verdict).startswith(f"Not done yet: {name}.")
    assert nl.exercises.hint(name) in repr(verdict)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_right_answer_passes_and_solution_is_kept_in_the_package(name):
    _, right = EXERCISES[name]
    verdict = nl.exercises.check(name, **right)
    assert verdict.passed, repr(verdict)
    assert repr(verdict).startswith(f"Well done: {name}.")
    assert nl.exercises.solution(name)
    assert nl.exercises.get(name).concept == "backprop"


def test_the_hand_neuron_answers_agree_with_dense_backward():
    # z = 0.5*3 + 2*(-1) + 1 = 0.5, a = 0.5, e = -0.5: dL/dz = 2e * 1 = -1, dL/dw1 = -1 * 3 = -3, dL/db = -1
    layer = nl.Dense(2, 1, "relu")
    layer.weights[:] = [[0.5], [2.0]]
    layer.bias[:] = 1.0
    out = layer.forward(np.array([[3.0, -1.0]]))
    layer.backward(nl.losses.get("mse").gradient(out, np.array([[1.0]])))
    assert layer.grad_weights[0, 0] == -3.0 and layer.grad_bias[0] == -1.0
    assert hand_neuron().gradient("w1") == -3.0


@pytest.mark.parametrize("grad_w1, grad_b, says", [
    (-3.0, -0.5, "half the answer"),        # forgot the 2 of 2e for the bias
    (-1.0, -1.0, "is ∂L/∂z; one more step"),  # stopped at z
    (-0.5, -1.0, "OTHER factor"),            # used w1 instead of x1
    (3.0, 1.0, "wrong sign"),                # e = t - a
    (7.0, 2.0, "not it"),
])
def test_neuron_gradient_by_hand_names_the_mistake(grad_w1, grad_b, says):
    verdict = nl.exercises.check("neuron_gradient_by_hand", grad_w1=grad_w1, grad_b=grad_b)
    assert not verdict.passed and verdict.done
    assert says in repr(verdict)


def test_neuron_gradient_by_hand_rejects_a_malformed_answer_kindly():
    verdict = nl.exercises.check("neuron_gradient_by_hand", grad_w1=[1, 2], grad_b=0)
    assert not verdict.passed and "could not be checked" in repr(verdict) and "one number" in repr(verdict)


@pytest.mark.parametrize("grad_x1, says", [
    (12.0, "through h1 only"),
    (-2.0, "through h2 only"),
    (-24.0, "paths into a node ADD"),
    (5.0, "half the answer"),
    (3.0, "not it"),
])
def test_two_paths_gradient_names_the_mistake(grad_x1, says):
    verdict = nl.exercises.check("two_paths_gradient", grad_x1=grad_x1)
    assert not verdict.passed and says in repr(verdict)


def test_two_path_model_sums_both_paths_in_dense_backward():
    # out = 3*2 + 1*(-1) = 5; dL/dout = 2(5 - 4) = 2; dL/dx1 = 2*(3*2 + 1*(-1)) = 10
    model = two_path_model()
    assert model.predict(np.array([[1.0]])).tolist() == [[5.0]]
    model.forward(np.array([[1.0]]))
    assert model.backward(np.array([[2.0]])).tolist() == [[10.0]]

"""The check-yourself exercises of lessons 04 and 05 (layers, loss and gradient descent).

Each exercise must say "Not done yet" for the stub as shipped (never raise), "Well done" for a right answer, and
"Not quite" with a message that points at the mistake for a wrong one.
"""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.descent import descent_path

# name -> (the stub's answers as shipped, a right answer, a wrong answer and a phrase its verdict must contain)
EXERCISES = {
    "layer_shapes": (
        {"weights": None, "bias": None, "output": None},
        {"weights": (3, 5), "bias": (5,), "output": (10, 5)},
        ({"weights": (5, 3), "bias": (5,), "output": (10, 5)}, "(n_inputs, n_outputs)"),
    ),
    "count_parameters": (
        {"answer": None},
        {"answer": 31},
        ({"answer": 27}, "every neuron also has a bias"),
    ),
    "xor_by_hand": (
        {"hidden_weights": None, "hidden_bias": None, "output_weights": None, "output_bias": None},
        {"hidden_weights": [[1, 1], [1, 1]], "hidden_bias": [-0.5, -1.5], "output_weights": [1, -1],
         "output_bias": -0.5},
        # output = OR + AND: fires for (1, 1) too
        ({"hidden_weights": [[1, 1], [1, 1]], "hidden_bias": [-0.5, -1.5], "output_weights": [1, 1],
          "output_bias": -0.5}, "XOR is wrong for [(1, 1)]"),
    ),
    "mse_by_hand": (
        {"loss": None},
        {"loss": 5 / 3},
        ({"loss": 5.0}, "divide by the 3 examples"),
    ),
    "descent_step": (
        {"weight": None, "bias": None},
        {"weight": 1.0, "bias": 0.6},
        ({"weight": -1.0, "bias": 0.6}, "moved uphill"),
    ),
    "good_learning_rate": (
        {"learning_rate": None},
        {"learning_rate": 0.3},
        ({"learning_rate": 0.02}, "still on its way down"),
    ),
}


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_shipped_stub_is_not_done_yet_and_gives_the_hint(name):
    stub = EXERCISES[name][0]
    verdict = nl.exercises.check(name, **stub)
    assert not verdict.passed and not verdict.done
    assert repr(verdict).startswith(f"Not done yet: {name}.")
    assert nl.exercises.hint(name) in repr(verdict)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_right_answer_passes_and_the_solution_stays_in_the_package(name):
    right = EXERCISES[name][1]
    verdict = nl.exercises.check(name, **right)
    assert verdict.passed, repr(verdict)
    assert repr(verdict).startswith(f"Well done: {name}.")
    assert nl.exercises.solution(name)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_wrong_answer_says_what_is_wrong(name):
    wrong, phrase = EXERCISES[name][2]
    verdict = nl.exercises.check(name, **wrong)
    assert not verdict.passed and verdict.done
    assert repr(verdict).startswith(f"Not quite: {name}.")
    assert phrase in repr(verdict)


def test_xor_solution_in_the_package_really_computes_xor():
    # The worked solution: hidden OR (bias -0.5) and AND (bias -1.5), output OR - AND - 0.5.
    # (0,0): hidden (0,0) -> -0.5 -> 0;  (0,1): (1,0) -> 0.5 -> 1;  (1,1): (1,1) -> 1 - 1 - 0.5 = -0.5 -> 0.
    solution = nl.exercises.solution("xor_by_hand")
    assert "hidden_weights = [[1, 1], [1, 1]]" in solution and "output_bias = -0.5" in solution
    # Any 2-2-1 step network works, e.g. hidden NAND and OR, output AND.
    assert nl.exercises.check("xor_by_hand", hidden_weights=[[-1, 1], [-1, 1]], hidden_bias=[1.5, -0.5],
                              output_weights=[1, 1], output_bias=-1.5).passed
    # More hidden neurons are allowed: a third one that the output ignores.
    assert nl.exercises.check("xor_by_hand", hidden_weights=[[1, 1, 5], [1, 1, 5]], hidden_bias=[-0.5, -1.5, 0],
                              output_weights=[1, -1, 0], output_bias=-0.5).passed


def test_xor_by_hand_explains_malformed_answers():
    verdict = nl.exercises.check("xor_by_hand", hidden_weights=[1, 1], hidden_bias=[0, 0], output_weights=[1, 1],
                                 output_bias=0)
    assert not verdict.passed and "(2, n_hidden)" in repr(verdict)
    verdict = nl.exercises.check("xor_by_hand", hidden_weights=[[1, 1], [1, 1]], hidden_bias=[0, 0, 0],
                                 output_weights=[1, 1], output_bias=0)
    assert "one number per hidden neuron (2)" in repr(verdict)


def test_layer_shapes_accepts_lists_and_a_bare_number_for_the_bias():
    assert nl.exercises.check("layer_shapes", weights=[3, 5], bias=5, output=[10, 5]).passed
    # The answer agrees with a real layer.
    layer = nl.Dense(3, 5)
    assert layer.weights.shape == (3, 5) and layer.bias.shape == (5,)
    assert layer.forward(np.zeros((10, 3))).shape == (10, 5)
    wrong = nl.exercises.check("layer_shapes", weights=(3, 5), bias=(5,), output=(5, 10))
    assert "Output should have shape (10, 5), not (5, 10)" in repr(wrong)


def test_count_parameters_matches_the_library():
    model = nl.Sequential([nl.Dense(2, 4), nl.Dense(4, 3), nl.Dense(3, 1)])
    assert nl.exercises.check("count_parameters", answer=model.n_params).passed
    assert "counts the neurons" in repr(nl.exercises.check("count_parameters", answer=8))


def test_mse_by_hand_matches_the_library_loss():
    # errors 1, 0, -2 -> (1 + 0 + 4) / 3
    value = nl.losses.get("mse")(np.array([2.0, 0.0, 3.0]), np.array([1.0, 0.0, 5.0]))
    assert nl.exercises.check("mse_by_hand", loss=value).passed
    assert "square each error" in repr(nl.exercises.check("mse_by_hand", loss=1.0))
    assert "could not be checked" in repr(nl.exercises.check("mse_by_hand", loss="a lot"))


def test_descent_step_matches_descent_path_and_names_each_mistake():
    run = descent_path(nl.Sequential([nl.Dense(1, 1)]), [[1.0], [2.0]], [2.0, 4.0], learning_rate=0.1, steps=1,
                       start=(0.0, 0.0))
    weight, bias = run.path[1]
    assert nl.exercises.check("descent_step", weight=weight, bias=bias).passed
    half = repr(nl.exercises.check("descent_step", weight=0.5, bias=0.3))  # forgot the factor 2 in both
    assert "factor 2" in half and "The weight is half" in half
    assert "The bias moved uphill" in repr(nl.exercises.check("descent_step", weight=1.0, bias=-0.6))


@pytest.mark.parametrize("rate, phrase", [(0.62, "went up on the way"), (0.7, "blew up at step"),
                                          (0.58, "zigzags across the valley")])
def test_good_learning_rate_tells_too_large_apart_from_diverging(rate, phrase):
    verdict = nl.exercises.check("good_learning_rate", learning_rate=rate)
    assert not verdict.passed and phrase in repr(verdict)


def test_good_learning_rate_rejects_non_positive_rates():
    verdict = nl.exercises.check("good_learning_rate", learning_rate=-0.1)
    assert not verdict.passed and "must be positive" in repr(verdict)

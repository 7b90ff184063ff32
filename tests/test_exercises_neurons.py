"""The check-yourself exercises of lessons 00 to 03: the stub as shipped, right answers and wrong ones.

Each exercise must say "Not done yet" for the shipped stub (never raise), "Well done" for a right answer, and
"Not quite" with a hint that points at the mistake for a wrong one.
"""

import numpy as np
import pytest

import nnlearn as nl

# name -> (the stub's answers as shipped, a right answer)
EXERCISES = {
    "nand_gate": ({"weights": None, "bias": None}, {"weights": [-1.0, -1.0], "bias": 1.5}),
    "unit_by_hand": ({"weighted_sum": None, "output": None}, {"weighted_sum": -0.5, "output": 0.0}),
    "linear_collapse": ({"weights": None, "bias": None}, {"weights": [[5.0], [-1.0]], "bias": [1.0]}),
    "sigmoid_saturation": ({"z": None}, {"z": 4.6}),
    "first_model": ({"model": None}, {"model": nl.Sequential([nl.Dense(2, 4, "tanh"), nl.Dense(4, 1, "sigmoid")])}),
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
    assert nl.exercises.solution(name)  # a worked solution exists


def test_nand_gate_grades_every_input():
    # weights [-1, -1], bias 1.5: (0,0) 1.5 -> 1; (0,1), (1,0) 0.5 -> 1; (1,1) -0.5 -> 0. Any bias in (1, 2] works.
    assert nl.exercises.check("nand_gate", weights=[-1, -1], bias=1.2).passed
    wrong = nl.exercises.check("nand_gate", weights=[1.0, 1.0], bias=-1.5)  # AND: every output flipped
    assert not wrong.passed and "wrong for inputs [(0, 0), (0, 1), (1, 0), (1, 1)]" in repr(wrong)
    too_low = nl.exercises.check("nand_gate", weights=[-1.0, -1.0], bias=0.5)  # (0,1): -0.5 -> 0, should be 1
    assert "wrong for inputs [(0, 1), (1, 0)]" in repr(too_low)
    malformed = nl.exercises.check("nand_gate", weights=[1.0, 2.0, 3.0], bias=0.0)
    assert not malformed.passed and "two numbers" in repr(malformed)


def test_unit_by_hand_names_the_mistake():
    # z = 0.5*2 + 1.5*(-1) + (-2)*0.5 + 1 = -0.5, relu(-0.5) = 0
    forgot_bias = nl.exercises.check("unit_by_hand", weighted_sum=-1.5, output=0.0)
    assert not forgot_bias.passed and "add the bias" in repr(forgot_bias)
    no_relu = nl.exercises.check("unit_by_hand", weighted_sum=-0.5, output=-0.5)
    assert not no_relu.passed and "cuts the rest to 0" in repr(no_relu)
    sign_slip = nl.exercises.check("unit_by_hand", weighted_sum=2.5, output=2.5)
    assert not sign_slip.passed and "sign" in repr(sign_slip)


def test_linear_collapse_checks_the_whole_affine_map():
    # W1 @ W2 = [[1*3 + 2*1], [0*3 - 1*1]] = [[5], [-1]]; b1 @ W2 + b2 = 1*3 + 0*1 - 2 = 1
    assert nl.exercises.check("linear_collapse", weights=np.array([5.0, -1.0]), bias=1.0).passed
    bias_only = nl.exercises.check("linear_collapse", weights=[[5.0], [-1.0]], bias=[-2.0])  # forgot b1 @ W2
    assert not bias_only.passed and "the weights are right" in repr(bias_only)
    wrong_product = nl.exercises.check("linear_collapse", weights=[[3.0], [1.0]], bias=[1.0])  # W2 alone
    assert not wrong_product.passed and "at x = [1.0, 0.0] the stack gives 6 but yours gives 4" in repr(wrong_product)
    shape = nl.exercises.check("linear_collapse", weights=[[1.0, 2.0], [0.0, -1.0]], bias=[1.0])
    assert not shape.passed and "shape (2, 1)" in repr(shape)


def test_sigmoid_saturation_says_which_way_to_go():
    # sigmoid'(z) = 0.01 at |z| = log(s / (1 - s)) with s = (1 + sqrt(0.96)) / 2: 4.585
    assert nl.exercises.check("sigmoid_saturation", z=-4.58).passed  # the size |z| counts
    small = nl.exercises.check("sigmoid_saturation", z=3.0)
    assert not small.passed and "too small" in repr(small) and "0.0452" in repr(small)
    large = nl.exercises.check("sigmoid_saturation", z=6.0)
    assert not large.passed and "too large" in repr(large)


def test_first_model_describes_what_was_built():
    relu = nl.Sequential([nl.Dense(2, 4, "relu"), nl.Dense(4, 1, "sigmoid")])
    verdict = nl.exercises.check("first_model", model=relu)
    assert not verdict.passed and "Dense(2, 4, 'relu') then Dense(4, 1, 'sigmoid')" in repr(verdict)
    too_wide = nl.exercises.check("first_model", model=nl.Sequential([nl.Dense(2, 8, "tanh"), nl.Dense(8, 1, "sigmoid")]))
    assert not too_wide.passed
    a_list = nl.exercises.check("first_model", model=[nl.Dense(2, 4, "tanh")])
    assert not a_list.passed and "nl.Sequential" in repr(a_list)
    # 2*4 weights + 4 biases + 4*1 weights + 1 bias = 17
    right = nl.exercises.check("first_model", model=nl.Sequential([nl.Dense(2, 4, "tanh"), nl.Dense(4, 1, "sigmoid")]))
    assert "17 numbers to learn" in repr(right)

"""The training exercises (nnlearn/exercises/training.py): the stub as shipped, the right answer, wrong ones.

The checker really trains the network the learner describes, so these tests train a few tiny networks too.
"""

import pytest

import nnlearn as nl
from nnlearn.exercises.training import FEWEST_UNITS, PASS_ACCURACY, circle_accuracy


def test_shipped_stub_is_not_done_yet_and_gives_the_hint():
    verdict = nl.exercises.check("fewest_units_for_circles", hidden_units=None)
    assert not verdict.passed and not verdict.done
    assert repr(verdict).startswith("Not done yet: fewest_units_for_circles.")
    assert nl.exercises.hint("fewest_units_for_circles") in repr(verdict)


def test_three_units_is_right_and_the_solution_says_why():
    verdict = nl.exercises.check("fewest_units_for_circles", hidden_units=3)
    assert verdict.passed and repr(verdict).startswith("Well done: fewest_units_for_circles.")
    assert "hidden_units = 3" in nl.exercises.solution("fewest_units_for_circles")
    assert nl.exercises.get("fewest_units_for_circles").concept == "training"


def test_the_answer_is_really_the_fewest():
    # two tanh units draw two lines: a band, not a closed shape, so the ring defeats them; three lines close it
    assert circle_accuracy(FEWEST_UNITS - 1)[1] < PASS_ACCURACY <= circle_accuracy(FEWEST_UNITS)[1]


@pytest.mark.parametrize("units, says", [
    (0, "With 0 units the network reaches only"),
    (2, "With 2 units the network reaches only"),
    (6, "so they are enough; but fewer would do too"),
])
def test_wrong_answers_say_which_way_to_go(units, says):
    verdict = nl.exercises.check("fewest_units_for_circles", hidden_units=units)
    assert not verdict.passed and verdict.done and says in repr(verdict)


@pytest.mark.parametrize("answer", [2.5, "3", True, -1, 1000])
def test_malformed_answers_are_explained_not_raised(answer):
    verdict = nl.exercises.check("fewest_units_for_circles", hidden_units=answer)
    assert not verdict.passed and "could not be checked" in repr(verdict)

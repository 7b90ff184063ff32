"""Exercises about loss and gradient descent: a loss by hand, one descent step by hand, a learning rate that works."""

from __future__ import annotations

import math

import numpy as np

from . import exercise


def _number(value, name: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, but got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, but got {value!r}")
    return number


@exercise(
    "mse_by_hand",
    "A model predicts 2, 0 and 3 for three examples whose targets are 1, 0 and 5. What is the mean squared error?",
    hint="Errors are prediction - target; square each one, then take the mean (divide by the number of examples).",
    solution="errors 1, 0, -2 -> squares 1, 0, 4 -> (1 + 0 + 4) / 3 = 5/3 = 1.667",
    concept="descent",
)
def mse_by_hand(loss):
    value = _number(loss, "loss")
    if abs(value - 5.0 / 3.0) < 1e-2:
        return True, "(1 + 0 + 4) / 3 = 1.667."
    if abs(value - 5.0) < 1e-9:
        return False, "5 is the sum of the squared errors: divide by the 3 examples to get the mean."
    if abs(value - 1.0) < 1e-9:
        return False, "1 is the mean of the errors' sizes (1 + 0 + 2) / 3: square each error first."
    return False, f"{value:g} is not the mean of the squared errors."


@exercise(
    "descent_step",
    "A line prediction = weight * x + bias starts at weight 0, bias 0. The points are (x=1, y=2) and (x=2, y=4); "
    "the loss is the mean squared error. Take one gradient-descent step with learning rate 0.1: what are the new "
    "weight and bias?",
    hint=("dL/dweight = 2 * mean(error * x) and dL/dbias = 2 * mean(error), with error = prediction - y. "
          "Then new = old - 0.1 * gradient."),
    solution=(
        "predictions 0, 0 -> errors -2, -4\n"
        "dL/dweight = 2 * mean(-2*1, -4*2) = 2 * (-5) = -10;  dL/dbias = 2 * mean(-2, -4) = -6\n"
        "weight = 0 - 0.1 * (-10) = 1.0;  bias = 0 - 0.1 * (-6) = 0.6\n"
        "Check: nl.descent.descent_path(nl.Sequential([nl.Dense(1, 1)]), [[1.0], [2.0]], [2.0, 4.0], "
        "learning_rate=0.1, steps=1, start=(0, 0)).path[1]"
    ),
    concept="descent",
)
def descent_step(weight, bias):
    weight, bias = _number(weight, "weight"), _number(bias, "bias")
    ok_weight, ok_bias = abs(weight - 1.0) < 1e-6, abs(bias - 0.6) < 1e-6
    if ok_weight and ok_bias:
        return True, "Both gradients are negative (the line is too low), so both numbers go up: 1.0 and 0.6."
    notes = []
    if not ok_weight:
        if abs(weight + 1.0) < 1e-6:
            notes.append("the weight moved uphill: subtract learning_rate * gradient, do not add it")
        elif abs(weight - 0.5) < 1e-6:
            notes.append("the weight is half what it should be: the derivative of error^2 has a factor 2")
        else:
            notes.append(f"weight {weight:g} is not right")
    if not ok_bias:
        if abs(bias + 0.6) < 1e-6:
            notes.append("the bias moved uphill: subtract learning_rate * gradient")
        elif abs(bias - 0.3) < 1e-6:
            notes.append("the bias is half what it should be: remember the factor 2")
        else:
            notes.append(f"bias {bias:g} is not right")
    message = "; ".join(notes) + "."
    return False, message[0].upper() + message[1:]


@exercise(
    "good_learning_rate",
    "On nl.descent.line_points(8, seed=0), starting from weight -2 and bias 2, find a learning rate with which 20 "
    "steps of gradient descent get the loss within 1% of the best possible loss.",
    hint=("Try it in explore_gradient_descent with steps=20. Too small crawls, too large zigzags or blows up; "
          "the good range is below nl.descent.largest_stable_learning_rate(x)."),
    solution=(
        "Any learning rate from about 0.17 to 0.55 works, e.g. 0.3.\n"
        "Above nl.descent.largest_stable_learning_rate(x) = 0.61 every step overshoots more than it gains."
    ),
    concept="descent",
)
def good_learning_rate(learning_rate):
    from ..descent import descent_path, line_loss, line_points
    from ..layers import Dense
    from ..network import Sequential

    rate = _number(learning_rate, "learning_rate")
    if rate <= 0:
        raise ValueError(f"a learning rate must be positive, but got {rate:g}")
    x, y = line_points(8, seed=0)
    design = np.column_stack([x, np.ones(len(x))])
    best = float(line_loss(*np.linalg.lstsq(design, y, rcond=None)[0], x, y))
    run = descent_path(Sequential([Dense(1, 1)]), x, y, learning_rate=rate, steps=20, start=(-2.0, 2.0))
    if run.diverged:
        return False, f"With {rate:g} the loss blew up at step {run.diverged_at}: the steps are too large."
    ratio = run.final_loss / best
    if ratio <= 1.01:
        return True, f"After 20 steps the loss is {run.final_loss:.4f}, the best possible is {best:.4f}."
    moves = np.diff(run.path, axis=0)
    turns = np.sum(moves[1:] * moves[:-1], axis=1) < 0  # a step that points back against the one before
    if np.any(np.diff(run.losses) > 0):
        return False, (f"With {rate:g} the loss after 20 steps is {run.final_loss:.3f} ({ratio:.1f} times the best) "
                       "and it went up on the way: the steps are too large.")
    if turns.mean() > 0.5:
        return False, (f"With {rate:g} the loss after 20 steps is {run.final_loss:.4f}, {ratio:.2f} times the best "
                       f"{best:.4f}: the path zigzags across the valley, so the steps are a little too large.")
    return False, (f"With {rate:g} the loss after 20 steps is {run.final_loss:.3f}, {ratio:.2f} times the best "
                   f"{best:.3f}: still on its way down. Larger steps would get there sooner.")

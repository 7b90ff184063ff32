"""Exercises about training a network: what a network needs in order to learn a pattern from examples."""

from __future__ import annotations

import numbers

from .. import datasets
from ..layers import Dense
from ..network import Sequential
from . import exercise

# Lesson 07's ring: 400 noisy points, half for training, half held out.
CIRCLES = {"n": 400, "noise": 0.1, "seed": 0}
PASS_ACCURACY = 0.9
FEWEST_UNITS = 3  # tanh units: three lines are the fewest that can close around the inner ring


def circle_accuracy(hidden_units: int, seed: int = 0) -> tuple[float, float]:
    """(train, test) accuracy of a 2-hidden_units-1 tanh network trained on lesson 07's circles.

    ``hidden_units = 0`` means no hidden layer: one sigmoid neuron.
    """
    x, y = datasets.circles(**CIRCLES)
    x_train, x_test, y_train, y_test = datasets.train_test_split(x, y, test_fraction=0.5, seed=0)
    if hidden_units == 0:
        layers = [Dense(2, 1, "sigmoid")]
    else:
        layers = [Dense(2, hidden_units, "tanh"), Dense(hidden_units, 1, "sigmoid")]
    model = Sequential(layers, seed=seed)
    model.fit(x_train, y_train, "bce", optimizer="adam", lr=0.03, epochs=300, batch_size=20, seed=seed,
              progress=False)
    return model.accuracy(x_train, y_train), model.accuracy(x_test, y_test)


@exercise(
    "fewest_units_for_circles",
    "Find the fewest tanh units in ONE hidden layer that let a network learn the circles (an inner blob inside a "
    f"ring) to a test accuracy of at least {PASS_ACCURACY:.0%}. Give that number as hidden_units.",
    hint="Try it in the Playground: dataset 'circles', one hidden layer, and remove units with the - button. Each "
         "tanh unit draws one line (lesson 04); how many straight lines does it take to fence in the inner blob?",
    solution=(
        "hidden_units = 3\n"
        "No hidden layer (one neuron) draws one line: about half the test points right. One unit is still one line; "
        "two units give a band between two lines (about 80%). Three lines can close a triangle around the inner "
        "blob, and the output neuron combines them: about 96% on the test points. Nobody wrote 'inside a circle' "
        "anywhere; the three lines were found from the examples."
    ),
    concept="training",
)
def fewest_units_for_circles(hidden_units):
    if isinstance(hidden_units, bool) or not isinstance(hidden_units, numbers.Integral):
        raise ValueError(f"hidden_units must be a whole number such as 5, but got {hidden_units!r}")
    units = int(hidden_units)
    if units < 0 or units > 64:
        raise ValueError(f"hidden_units must be between 0 and 64, but got {units}")
    train, test = circle_accuracy(units)
    if units == FEWEST_UNITS:
        return True, (f"{units} tanh units reach {test:.0%} on the held-out points ({train:.0%} on the training "
                      "points), and 2 do not: three lines are the fewest that can fence in the inner blob.")
    if test >= PASS_ACCURACY:
        return False, (f"{units} units reach {test:.0%} on the test points, so they are enough; but fewer would "
                       "do too. Remove units until it fails.")
    return False, (f"With {units} unit{'s' if units != 1 else ''} the network reaches only {test:.0%} on the test "
                   f"points (it needs {PASS_ACCURACY:.0%}): too few lines to go around the inner blob.")

"""Exercises about putting a model together with nnlearn: layers, sizes and activations."""

from __future__ import annotations

from typing import Any

from . import exercise


def _layer_text(layer: Any) -> str:
    activation = getattr(getattr(layer, "activation", None), "name", "?")
    return f"Dense({layer.n_inputs}, {layer.n_outputs}, {activation!r})" if hasattr(layer, "n_inputs") else type(
        layer).__name__


@exercise(
    "first_model",
    "Build an nl.Sequential with 2 inputs, one hidden layer of 4 tanh units and 1 sigmoid output unit.",
    hint="Two nl.Dense layers in a list: the first takes 2 inputs to 4 units with 'tanh', the second takes those "
         "4 to 1 unit with 'sigmoid'.",
    solution='model = nl.Sequential([nl.Dense(2, 4, "tanh"), nl.Dense(4, 1, "sigmoid")], seed=0)',
    concept="models",
)
def first_model(model):
    layers = getattr(model, "layers", None)
    if layers is None:
        return False, f"expected an nl.Sequential, but got {type(model).__name__}. Wrap the layers in nl.Sequential([...])."
    built = [_layer_text(layer) for layer in layers]
    wanted = ["Dense(2, 4, 'tanh')", "Dense(4, 1, 'sigmoid')"]
    if built == wanted:
        return True, f"{built[0]} then {built[1]}: {model.n_params} numbers to learn (8 + 4 weights and biases "\
                     f"in, 4 + 1 out)."
    return False, f"your model is {' then '.join(built) or 'empty'}; the exercise asks for {' then '.join(wanted)}."

"""Issue 16: the fused path (loss computed from the last layer's z) and the plain path (loss of the activation's
output) must refuse the same bad inputs with the same error.

Softmax + cross_entropy and sigmoid + bce are computed together from the logits (``Loss.from_logits``); every
other pair goes through ``loss(predictions, targets)`` and ``loss.gradient``. A check that lives in only one of
the two lets a mistake train silently on the other (``fit(x, [0, 1, 2, 3], "bce")`` did).
"""

import re

import numpy as np
import pytest

import nnlearn as nl
from nnlearn import losses
from nnlearn.layers import _LAYER_CLASSES

FUSED_LOSSES = [name for name in losses.names() if losses.get(name).fused_activation]


def error_of(call):
    """(type name, message) of the error call() raises, or None when it raises nothing."""
    try:
        call()
    except Exception as error:  # the property is "the same error", whatever it is
        return type(error).__name__, str(error)
    return None


def bad_targets(loss_name, output_shape):
    """Targets that are wrong for a network whose outputs have output_shape (batch first): name -> array."""
    n = output_shape[0]
    good = np.zeros(output_shape)
    cases = {
        "one too few": good[:-1],
        "one too many": np.concatenate([good, good[:1]]),
        "NaN": np.where(np.arange(good.size).reshape(output_shape) == 0, np.nan, good),
        "wrong trailing shape": np.zeros((n, output_shape[-1] + 1)),
    }
    if loss_name == "bce":
        cases["labels 0..3"] = np.arange(good.size).reshape(output_shape) % 4
        cases["negative"] = good - 1.0
    if loss_name == "cross_entropy" and len(output_shape) == 3:  # a sequence: one label per (row, position)
        rows, steps, classes = output_shape
        cases = {
            "one row too few": np.zeros((rows - 1, steps)),
            "one position too many": np.zeros((rows, steps + 1)),
            "NaN": np.where(np.arange(rows * steps).reshape(rows, steps) == 0, np.nan, 0.0),
            "label too large": np.full((rows, steps), classes),
            "negative label": np.full((rows, steps), -1),
            "fractional label": np.full((rows, steps), 0.5),
        }
    elif loss_name == "cross_entropy":
        classes = output_shape[1]
        cases["two labels for three rows"] = np.arange(n - 1) % classes
        cases["four labels for three rows"] = np.arange(n + 1) % classes
        cases["label too large"] = np.full(n, classes)
        cases["negative label"] = np.full(n, -1)
        cases["fractional label"] = np.full(n, 0.5)
    if loss_name == "mse":
        cases["labels for a column"] = np.zeros(n + 2)
    return cases


# ---------------------------------------------------------------- the two named bugs, as the issue states them
def test_fit_with_bce_refuses_labels_outside_0_1_on_the_fused_path():
    x = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    model = nl.Sequential([nl.Dense(2, 1, "sigmoid")], seed=0)  # sigmoid + bce: the fused path
    before = model.get_weights()
    with pytest.raises(ValueError, match=re.escape("bce expects targets in [0, 1]")):
        model.fit(x, [0, 1, 2, 3], "bce", epochs=2, progress=False)
    np.testing.assert_array_equal(model.layers[0].weights, before[0]["weights"])  # nothing was trained
    plain = error_of(lambda: losses.get("bce")(model.predict(x), [0, 1, 2, 3]))
    fused = error_of(lambda: losses.get("bce").from_logits(model.layers[0].last_z, [0, 1, 2, 3]))
    assert fused == plain and plain is not None


@pytest.mark.parametrize("labels", [[0, 1], [0, 1, 1, 0]], ids=["two for three rows", "four for three rows"])
def test_cross_entropy_says_how_many_labels_it_expected(labels):
    p = np.full((3, 2), 0.5)
    ce = losses.get("cross_entropy")
    message = f"predictions have 3 rows but got {len(labels)} labels"
    for call in (lambda: ce(p, labels), lambda: ce.gradient(p, labels), lambda: ce.from_logits(np.zeros((3, 2)), labels)):
        with pytest.raises(ValueError, match=message):  # a ValueError naming both counts, not an IndexError
            call()


# ---------------------------------------------------------------- the property, for every loss and every layer
@pytest.mark.parametrize("loss_name", FUSED_LOSSES)
def test_from_logits_and_the_plain_loss_refuse_the_same_targets(loss_name, rng):
    loss = losses.get(loss_name)
    activation = nl.activations.get(loss.fused_activation)
    z = rng.normal(size=(3, 2 if loss_name == "cross_entropy" else 1))
    for case, targets in bad_targets(loss_name, z.shape).items():
        fused = error_of(lambda: loss.from_logits(z, targets))
        value = error_of(lambda: loss(activation(z), targets))
        gradient = error_of(lambda: loss.gradient(activation(z), targets))
        assert fused is not None, f"{loss_name} from_logits accepted {case} targets"
        assert fused == value == gradient, f"{loss_name}, {case}: fused {fused}, plain {value}, gradient {gradient}"


def _last_layers():
    """One small network per (layer that can end a fused pair, loss): layer class name -> builder(activation)."""
    return {
        "Dense": (lambda activation: nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 2 if activation == "softmax"
                                                                                     else 1, activation)], seed=0),
                  np.linspace(-1.0, 1.0, 6).reshape(3, 2)),
        "Conv2D": (lambda activation: nl.Sequential([nl.Conv2D(1, 1, 3, activation=activation)], seed=0),
                   np.linspace(-1.0, 1.0, 27).reshape(3, 1, 3, 3)),
        "SequenceDense": (lambda activation: nl.Sequential(
            [nl.transformer.SequenceDense(2, 3 if activation == "softmax" else 1, activation)], seed=0),
            np.linspace(-1.0, 1.0, 24).reshape(3, 4, 2)),
    }


def test_every_layer_with_a_fused_path_is_in_the_property_test():
    fusable = sorted(name for name, cls in _LAYER_CLASSES.items() if hasattr(cls, "backward_from_z"))
    assert fusable == sorted(_last_layers()), "a new layer with backward_from_z needs a builder in _last_layers()"


def _cases():
    for layer_name in sorted(_last_layers()):
        for loss_name in losses.names():
            activation = losses.get(loss_name).fused_activation or "identity"
            if layer_name == "Conv2D" and loss_name == "cross_entropy":
                continue  # cross_entropy needs (batch, classes) rows, and Conv2D refuses softmax (see test_conv)
            yield layer_name, loss_name, activation


@pytest.mark.parametrize("layer_name, loss_name, activation", list(_cases()))
def test_fused_and_plain_training_steps_refuse_the_same_inputs(layer_name, loss_name, activation, monkeypatch):
    build, x = _last_layers()[layer_name]
    model = build(activation)
    output_shape = model.predict(x).shape
    cases = bad_targets(loss_name, output_shape)
    bad_x = x.copy()
    bad_x.flat[0] = np.nan
    inputs = {f"targets {case}": (x, targets) for case, targets in cases.items()}
    inputs["x with a NaN"] = (bad_x, np.zeros(output_shape))
    inputs["x of the wrong width"] = (x[..., :-1], np.zeros(output_shape))
    fused = {case: error_of(lambda: model.loss_and_gradients(xi, yi, loss_name)) for case, (xi, yi) in inputs.items()}
    fused_fit = {case: error_of(lambda: model.fit(xi, yi, loss_name, progress=False))
                 for case, (xi, yi) in inputs.items()}
    uses_fused_path = losses.get(loss_name).fused_activation == activation
    assert model._fused_loss(losses.get(loss_name)) is uses_fused_path
    monkeypatch.setattr(nl.Sequential, "_fused_loss", lambda self, loss: False)  # the same network, plain path
    plain = {case: error_of(lambda: model.loss_and_gradients(xi, yi, loss_name)) for case, (xi, yi) in inputs.items()}
    plain_fit = {case: error_of(lambda: model.fit(xi, yi, loss_name, progress=False))
                 for case, (xi, yi) in inputs.items()}
    for case in inputs:
        assert plain[case] is not None, f"{layer_name} + {loss_name}: the plain path accepted {case}"
        assert fused[case] == plain[case], f"{case}: fused {fused[case]} but plain {plain[case]}"
        assert fused_fit[case] == plain_fit[case] == plain[case], case


def test_the_fused_path_gives_the_plain_paths_gradients():
    # The property above is about refusing; this is the other half: on good inputs both paths agree.
    x, y = nl.datasets.moons(n=16, noise=0.1, seed=0)
    model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
    fused_value = model.loss_and_gradients(x, y, "bce")
    fused = [g.copy() for layer in model.layers for g in layer.gradients().values()]
    out = model.forward(x)
    model.backward(losses.get("bce").gradient(out, y))
    plain = [g for layer in model.layers for g in layer.gradients().values()]
    assert fused_value == pytest.approx(losses.get("bce")(out, y), rel=1e-12)
    for a, b in zip(fused, plain):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)

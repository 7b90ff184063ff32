"""The Playground: controls, training, state, and the artists matching the compute half."""

import base64
import json

import numpy as np
import pytest

import nnlearn as nl
from nnlearn import plots
from nnlearn.widgets import HiddenLayers, explore_playground

CONTROLS = ["dataset", "noise", "train_fraction", "batch_size", "features", "hidden_layers", "activation",
            "learning_rate", "regularization", "regularization_rate", "problem", "play", "step", "reset",
            "show_test", "discretize", "optimizer", "show_gradients"]


def weights_of(model):
    return {key: value.copy() for key, value in model.parameters().items()}


@pytest.fixture
def playground():
    return explore_playground(dataset="xor", n_samples=200)


# ------------------------------------------------------------------------------------------------ controls
def test_every_control_is_there_with_its_css_class():
    playground = explore_playground()
    assert set(CONTROLS) <= set(playground.controls)
    for name in CONTROLS:
        assert f"nnl-{name}" in playground.controls[name]._dom_classes
    assert "nnl-readout" in playground.readout._dom_classes


def test_defaults_are_the_playgrounds():
    playground = explore_playground()
    value = playground.value
    assert list(value("features")) == ["x1", "x2"] and value("hidden_layers") == [4, 2]
    assert value("batch_size") == 10 and value("activation") == "tanh" and value("learning_rate") == 0.03
    assert playground._architecture() == (2, 4, 2, 1)
    assert isinstance(playground.model, nl.Sequential) and playground.loss == "bce"


def test_options_of_the_choice_controls():
    playground = explore_playground()
    datasets = [value for _, value in playground.controls["dataset"].options]
    assert {"circles", "xor", "gaussians", "spirals", "moons", "blobs", "plane", "multi_gaussian"} == set(datasets)
    # Taken from the registries, so a new activation or optimizer appears without touching the Playground.
    expected = ["linear" if name == "identity" else name for name in nl.activations.names() if name != "softmax"]
    assert list(playground.controls["activation"].options) == expected
    assert {"relu", "tanh", "sigmoid", "linear"} <= set(expected)
    assert list(playground.controls["regularization"].options) == ["none", "L1", "L2"]
    assert list(playground.controls["problem"].options) == ["classification", "regression"]
    assert list(playground.controls["optimizer"].options) == nl.optimizers.names()  # incl. rmsprop, adamw
    assert list(playground.controls["features"].options) == nl.features.names()


# ------------------------------------------------------------------------------------------------ the test
def test_xor_with_tanh_learns_in_300_epochs():
    playground = explore_playground()  # defaults: features x1, x2; hidden layers [4, 2]; batch size 10
    playground.controls["dataset"].value = "xor"
    playground.controls["activation"].value = "tanh"
    playground.controls["learning_rate"].value = 0.03
    start = playground.history.start["test_loss"]
    playground.train(300)
    final = playground.history.test_loss[-1]
    assert playground.epoch == 300 and len(playground.history) == 300
    assert final < 0.2 and final < start / 2


# ------------------------------------------------------------------------------------------------ hidden layers
def test_hidden_layers_control_value_is_the_list_of_widths(playground):
    control = playground.controls["hidden_layers"]
    control.value = [3, 5, 1]
    assert playground._architecture() == (2, 3, 5, 1, 1)
    assert [layer.weights.shape for layer in playground.model.layers] == [(2, 3), (3, 5), (5, 1), (1, 1)]
    control._change_width(0, +1)  # what the first layer's '+' button does
    control._change_depth(-1)  # '- layer'
    assert control.value == [4, 5] and playground._architecture() == (2, 4, 5, 1)
    control.value = []
    assert len(playground.model.layers) == 1


def test_hidden_layers_buttons_and_limits():
    control = HiddenLayers([8, 1])
    plus, minus = (control.children[1].children[0].children[0].children[k] for k in (1, 0))
    assert plus.disabled and not minus.disabled  # 8 neurons is the most
    control._add.click()
    control.children[1].children[2].children[0].children[1].click()  # the new layer's '+'
    assert control.value == [8, 1, 3]
    with pytest.raises(ValueError, match="at most 6 layers"):
        control.value = [1] * 7
    with pytest.raises(ValueError, match="1 to 8 neurons"):
        control.value = [0]


# ------------------------------------------------------------------------------------------------ settings
def test_features_are_applied_before_the_model(playground):
    playground.controls["features"].value = ("x1^2", "x2^2", "x1*x2")
    assert playground.model.layers[0].weights.shape[0] == 3
    assert np.allclose(playground.x_train_features, nl.features.transform(playground.x_train, ["x1^2", "x2^2", "x1*x2"]))
    assert playground.artists["surface"].get_array().shape == (100, 100)


def test_multiclass_uses_softmax_and_cross_entropy():
    playground = explore_playground(dataset="spirals", n_samples=150)
    assert playground.kind == "multiclass" and playground.loss == "cross_entropy"
    assert playground.model.layers[-1].activation.name == "softmax" and playground.model.n_outputs == 3
    history = playground.train(2)
    assert len(history.train_accuracy) == 2 and playground.artists["surface"].get_array().shape == (100, 100, 3)
    playground.controls["dataset"].value = "blobs"
    assert playground.model.n_outputs == 3


def test_regression_and_problem_switching(playground):
    playground.controls["problem"].value = "regression"
    assert playground.value("dataset") == "plane" and playground.loss == "mse"
    assert playground.model.layers[-1].activation.name == "identity"
    playground.controls["dataset"].value = "circles"  # a classification set switches the problem back
    assert playground.value("problem") == "classification" and playground.loss == "bce"
    assert explore_playground(problem="regression").value("dataset") == "plane"


def test_learning_rate_regularization_and_optimizer_change_mid_run(playground):
    playground.train(3)
    before = weights_of(playground.model)
    optimizer = playground.optimizer
    playground.controls["learning_rate"].value = 0.3
    playground.controls["regularization"].value = "L2"
    playground.controls["regularization_rate"].value = 0.01
    playground.controls["batch_size"].value = 20
    assert playground.optimizer is optimizer and optimizer.lr == 0.3  # the same optimizer, a new step size
    assert all(np.array_equal(before[k], v) for k, v in playground.model.parameters().items())
    playground.controls["optimizer"].value = "adam"
    assert isinstance(playground.optimizer, nl.optimizers.Adam) and playground.optimizer.lr == 0.3
    assert all(np.array_equal(before[k], v) for k, v in playground.model.parameters().items())
    assert playground.epoch == 3
    playground.train(1)
    assert playground.epoch == 4 and playground._regularization() == (0.0, 0.01)


def test_data_changes_reset_the_run(playground):
    playground.train(2)
    playground.controls["noise"].value = 0.2
    assert playground.epoch == 0
    playground.controls["train_fraction"].value = 0.8
    assert len(playground.x_train) == 160 and len(playground.x_test) == 40


# ------------------------------------------------------------------------------------------------ your own data
def test_own_binary_data():
    x, y = nl.datasets.moons(n=120, seed=1)
    playground = explore_playground(x=x, y=y)
    assert playground.value("dataset") == "custom" and playground.kind == "binary"
    assert len(playground.x_train) + len(playground.x_test) == 120
    playground.train(2)
    state = playground.get_state()
    with pytest.raises(ValueError, match="pass x= and y= again"):
        explore_playground(state=state)
    assert explore_playground(state=state, x=x, y=y).get_state() == state


def test_own_multiclass_labels_and_regression_targets():
    x, y = nl.datasets.blobs(n=90, centers=4, seed=0)
    assert explore_playground(x=x, y=y).model.n_outputs == 4
    signs = np.where(y % 2 == 0, -1, 1)  # labels -1 and 1 become classes 0 and 1
    assert explore_playground(x=x, y=signs).kind == "binary"
    x, y = nl.datasets.plane(n=80, seed=0)
    playground = explore_playground(x=x, y=y)
    assert playground.kind == "regression" and playground.loss == "mse"
    with pytest.raises(ValueError, match="shape \\(n, 2\\)"):
        explore_playground(x=np.zeros((10, 3)), y=np.zeros(10))


# ------------------------------------------------------------------------------------------------ state
def test_state_is_small_json_and_rebuilds_the_same_run():
    playground = explore_playground(dataset="moons", hidden_layers=[3], features=["x1", "x2", "sin x1"], noise=0.15,
                                    learning_rate=0.1, seed=7, n_samples=100, hide=["problem"])
    state = playground.get_state()
    assert set(CONTROLS) - {"play", "step", "reset"} <= set(state) and state["seed"] == 7
    assert state["hide"] == ["problem"]
    json.loads(json.dumps(state))
    again = explore_playground(state=json.loads(json.dumps(state)))
    assert again.get_state() == state
    assert again.controls["problem"].layout.display == "none"
    playground.train(5)
    again.train(5)
    assert playground.history.test_loss == again.history.test_loss  # seeded: the same run to the bit


def test_epochs_do_not_depend_on_how_they_are_grouped():
    one = explore_playground(dataset="gaussians", n_samples=60)
    other = explore_playground(dataset="gaussians", n_samples=60, epochs_per_frame=3)
    one.train(6)
    other.frame()
    other.frame()
    assert one.history.train_loss == other.history.train_loss


def test_unknown_setting():
    with pytest.raises(ValueError, match="Unknown Playground setting 'learning_rte'"):
        explore_playground(learning_rte=0.1)


# ------------------------------------------------------------------------------------------------ training controls
def test_play_step_and_reset(playground):
    initial = weights_of(playground.model)
    playground.epochs_per_frame = 2
    playground.controls["play"].value += 1  # one Play tick: one frame of two epochs
    assert playground.epoch == 2
    playground.controls["step"].click()
    assert playground.epoch == 3 and playground.artists["header"].get_text() == "Epoch 3"
    playground.controls["reset"].click()
    assert playground.epoch == 0
    assert all(np.array_equal(initial[k], v) for k, v in playground.model.parameters().items())


def test_history_names():
    playground = explore_playground(dataset="gaussians", n_samples=60)
    history = playground.train(2)
    assert history is playground.history and history.epochs == [1, 2]
    assert history["val_loss"] == history.test_loss == history["test_loss"]
    assert history.loss == history.train_loss and len(history.test_accuracy) == 2
    assert set(history.start) == {"train_loss", "test_loss", "train_accuracy", "test_accuracy"}


def test_diverging_run_stops_and_says_so_in_words():
    playground = explore_playground(learning_rate=10.0)
    playground.controls["play"].playing = True
    playground.train(20)
    assert playground.diverged and playground.epoch < 20
    assert playground.controls["play"].playing is False
    message = playground.artists["message"]
    assert message.get_visible() and "learning rate" in message.get_text() and "stopped" in message.get_text()
    assert all(np.isfinite(v).all() for v in playground.model.parameters().values())
    playground.controls["learning_rate"].value = 0.03
    playground.train(2)
    assert not playground.diverged and not playground.artists["message"].get_visible()


def test_set_weight_changes_the_surface(playground):
    before = playground.artists["surface"].get_array().copy()
    playground.set_weight(0, 1, 2, 3.0)
    assert playground.model.layers[0].weights[1, 2] == 3.0
    after = playground.artists["surface"].get_array()
    assert not np.array_equal(before, after)
    assert np.array_equal(after, playground.surface_data().values)
    with pytest.raises(ValueError, match="outside it"):
        playground.set_weight(0, 5, 0, 1.0)
    with pytest.raises(ValueError, match="index into playground.model.layers"):
        playground.set_weight(7, 0, 0, 1.0)


# ------------------------------------------------------------------------------------------------ pictures
def test_artists_hold_the_compute_half(playground):
    playground.train(3)
    frame = playground.compute()
    assert np.array_equal(playground.artists["surface"].get_array(), frame.surface.values)
    expected = plots.decision_boundary_data(playground.model, extent=playground.extent, resolution=100,
                                            features=playground.value("features"))
    assert np.allclose(frame.surface.values, expected.values)
    for image, box in zip(playground.artists["thumbnails"], playground.artists["columns"]):
        pixels = plots._style.to_rgba8(frame.mosaic[box[0]:box[1], box[2]:box[3]], -1.0, 1.0)
        assert np.array_equal(image.get_array(), pixels)
    weights = np.concatenate([layer.weights.ravel() for layer in playground.model.layers])
    widths = playground.artists["edges"].get_linewidths()
    assert np.allclose(widths, 5.0 * np.abs(weights) / max(np.abs(weights).max(), 1.0))
    assert np.allclose(playground.artists["curves"]["test"].get_ydata(),
                       [playground.history.start["test_loss"], *playground.history.test_loss])
    assert np.allclose(playground.artists["points"].get_offsets(), playground.x_train)
    assert "test loss" in playground.artists["details"].get_text()


def test_neuron_thumbnails_show_each_neuron(playground):
    grids = plots.neuron_output_grids(playground.model, resolution=100, extent=playground.extent)
    frame = playground.compute()
    r0, r1, c0, c1 = playground._layout.slots[2]  # the first hidden neuron
    pick = np.linspace(0, 99, playground.thumbnail).round().astype(int)
    assert np.allclose(frame.mosaic[r0:r1, c0:c1], np.clip(grids.layers[1][0][pick][:, pick], -1, 1))


def test_cosmetic_controls(playground):
    playground.controls["discretize"].value = True
    assert np.array_equal(playground.artists["surface"].get_array(), playground.surface_data().classes.astype(float))
    playground.controls["show_test"].value = True
    assert playground.artists["test_points"].get_visible()
    assert np.allclose(playground.artists["test_points"].get_offsets(), playground.x_test)


def test_show_gradients_on_the_edges(playground):
    playground.controls["show_gradients"].value = True
    playground.model.loss_and_gradients(playground.x_train_features, playground.y_train, playground.loss)
    gradients = np.concatenate([layer.grad_weights.ravel() for layer in playground.model.layers])
    widths = playground.artists["edges"].get_linewidths()
    assert np.allclose(widths, 5.0 * np.abs(gradients) / np.abs(gradients).max())
    assert "gradients" in playground.artists["note"].get_text()


def test_display_has_a_png_and_a_live_widget(playground):
    playground.train(2)
    bundle = playground._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "<Playground: xor, 2-4-2-1 network, epoch 2, test loss " + \
        f"{playground.history.test_loss[-1]:.3f}>"
    playground.frame()  # on screen now: a frame blits onto the saved background and refreshes the PNG
    assert playground.epoch > 2


def test_hide_any_control():
    playground = explore_playground(hide=["problem", "dataset"])
    assert playground.controls["problem"].layout.display == "none"
    assert playground.get_state()["hide"] == ["problem", "dataset"]

"""nnlearn.playground without widgets: the settings rule, the run, its frame buffers; and the live loop's messages."""

import json

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.playground import PlaygroundRun, PlaygroundSettings, activation_choices, optimizer_choices, palette
from nnlearn.plots import _style
from nnlearn.widgets import explore_playground


# ------------------------------------------------------------------------------------------------ settings
def test_settings_are_frozen_and_checked():
    settings = PlaygroundSettings()
    with pytest.raises(AttributeError):
        settings.noise = 0.3  # frozen: change through with_changes
    assert settings.hidden_layers == (4, 2) and settings.features == ("x1", "x2")
    with pytest.raises(ValueError, match="1 to 8 neurons"):
        PlaygroundSettings(hidden_layers=[9])
    with pytest.raises(ValueError, match="at most 6 layers"):
        PlaygroundSettings(hidden_layers=[1] * 7)
    with pytest.raises(ValueError, match="Unknown optimizer 'adma'.*adam"):
        PlaygroundSettings(optimizer="adma")
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        PlaygroundSettings(learning_rate=0.0)
    assert PlaygroundSettings(activation="identity").activation == "linear"
    assert PlaygroundSettings(regularization="l2").regularization == "L2"


def test_the_dataset_problem_rule_is_written_once():
    settings = PlaygroundSettings()
    assert settings.with_changes(dataset="multi_gaussian").problem == "regression"
    assert settings.with_changes(problem="regression").dataset == "plane"
    regression = settings.with_changes(problem="regression")
    assert regression.with_changes(dataset="spirals").problem == "classification"
    assert regression.with_changes(problem="classification").dataset == "circles"
    # Both given and at odds: the data set wins, as a data set cannot change its kind.
    assert settings.with_changes(dataset="plane", problem="classification").problem == "regression"
    assert PlaygroundSettings.create({"problem": "regression"}).dataset == "plane"


def test_choices_come_from_the_registries():
    assert "softmax" not in activation_choices()  # not elementwise: it couples a whole layer
    elementwise = [name for name in nl.activations.names() if nl.activations.get(name).elementwise]
    assert len(activation_choices()) == len(elementwise)
    assert optimizer_choices() == nl.optimizers.names()


def test_palette_matches_matplotlibs_colour_maps():
    for name in (_style.DIVERGING, _style.DIVERGING_LIGHT):
        difference = np.abs(palette(name).astype(int) - _style.colormap_lut(name).astype(int))
        assert difference.max() <= 1, name  # the same colours, rounding aside


# ------------------------------------------------------------------------------------------------ the run
@pytest.fixture
def run():
    return PlaygroundRun({"dataset": "xor", "learning_rate": 0.1}, n_samples=120, resolution=24, thumbnail=6)


def test_run_trains_with_train_epoch_and_records_history(run):
    start = run.history.start["test_loss"]
    run.train(30)
    assert run.epoch == 30 and run.history.epochs == list(range(1, 31))
    assert run.history.test_loss[-1] < start and set(run.latest) == set(run.history.start)


def test_time_slices_train_at_least_one_epoch():
    run = PlaygroundRun({"dataset": "xor"}, n_samples=60)
    run.train(50, seconds=0.0)
    assert run.epoch == 1


def test_divergence_restores_the_weights_and_says_why():
    run = PlaygroundRun({"dataset": "circles", "learning_rate": 10.0}, n_samples=200)
    run.train(20)
    assert run.diverged and run.epoch < 20
    assert "Lower the learning rate (now 10)" in run.message and "stopped in epoch" in run.message
    assert all(np.isfinite(value).all() for value in run.model.parameters().values())


def test_change_says_what_changed_and_keeps_weights_when_it_can(run):
    run.train(3)
    weights = run.model.get_weights()
    assert run.change(learning_rate=0.5) == {"learning_rate"}
    assert run.optimizer.learning_rate == 0.5 and run.epoch == 3
    assert all(np.array_equal(a["weights"], b["weights"]) for a, b in zip(weights, run.model.get_weights()))
    assert run.change(show_test=True) == {"show_test"} and run.epoch == 3
    assert run.change(noise=0.2) == {"noise"} and run.epoch == 0  # new data, new model
    assert run.change(problem="regression") == {"problem", "dataset"} and run.loss == "mse"
    assert run.change(noise=0.2) == set()


def test_a_bad_change_changes_nothing(run):
    before = run.settings
    with pytest.raises(ValueError, match="Choose at least one feature"):
        run.change(features=[])
    assert run.settings is before


def test_state_round_trip(run):
    run.change(hidden_layers=[3], activation="relu")
    run.train(4)
    state = run.get_state()
    json.dumps(state)
    again = PlaygroundRun(state, n_samples=state["n_samples"], resolution=24, thumbnail=6)
    again.train(4)
    assert again.history.test_loss == run.history.test_loss
    other = PlaygroundRun()
    other.set_state(state)
    assert other.settings == run.settings and other.architecture == (2, 3, 1)


# ------------------------------------------------------------------------------------------------ frame buffers
def test_frame_buffers_shapes_dtypes_and_ranges(run):
    run.train(2)
    buffers = run.frame_buffers(points=True)
    assert buffers["surface"].dtype == np.uint8 and buffers["surface"].shape == (24, 24)
    n_nodes = sum(run.architecture)
    assert buffers["neurons"].dtype == np.uint8 and buffers["neurons"].shape == (n_nodes, 6, 6)
    n_edges = sum(a * b for a, b in zip(run.architecture[:-1], run.architecture[1:]))
    edges = buffers["edges"]
    assert edges.dtype == np.float32 and edges.shape == (n_edges, 3)
    assert np.abs(edges[:, 1]).max() <= 1.0 and edges[:, 2].min() >= 0.0 and edges[:, 2].max() <= 5.0
    weights = np.concatenate([layer.weights.ravel() for layer in run.model.layers])
    assert np.allclose(edges[:, 0], weights)  # weights[i, j] in drawing order
    assert buffers["loss"].shape == (2, 3) and np.allclose(buffers["loss"][1, -1], run.history.test_loss[-1])
    points = buffers["points"]
    assert points.shape == (len(run.x_train) + len(run.x_test), 4)
    assert set(np.unique(points[:, 2])) <= {0.0, 1.0} and points[:, 3].sum() == len(run.x_test)


def test_surface_buffer_is_the_probability_in_palette_rows(run):
    surface = run.surface_data()
    expected = np.clip(np.floor(surface.values * 256), 0, 255).astype(np.uint8)  # binary: colour range 0..1
    assert np.array_equal(run.frame_buffers()["surface"], expected)


def test_neuron_buffer_of_a_feature_is_its_coordinate(run):
    neurons = run.frame_buffers()["neurons"]
    x1 = neurons[0]  # feature x1 grows along each row, the same on every row
    assert (np.diff(x1.astype(int), axis=1) >= 0).all() and (x1 == x1[0]).all()
    assert x1[0, 0] < 40 and x1[0, -1] > 215  # orange on the left, blue on the right


def test_each_control_changes_its_own_buffer(run):
    run.train(2)
    base = run.frame_buffers(points=True)

    def changed(**settings):
        probe = PlaygroundRun(run.get_state(), n_samples=120, resolution=24, thumbnail=6)
        probe.train(2)
        before = probe.frame_buffers(points=True)
        probe.change(**settings)
        after = probe.frame_buffers(points=True)
        return {name for name in after if after[name].shape != before[name].shape
                or not np.array_equal(after[name], before[name])}

    assert all(np.array_equal(base[name], value) for name, value in run.frame_buffers(points=True).items())
    assert changed(discretize=True) == {"surface"}
    assert changed(show_gradients=True) == {"edges"}
    assert changed(show_test=True) == set()  # the view draws the test points it already has
    assert changed(learning_rate=0.3) == set()  # only the next steps change
    assert "points" in changed(noise=0.3)
    assert {"neurons", "edges"} <= changed(hidden_layers=[3])


def test_multiclass_surface_is_rgba():
    run = PlaygroundRun({"dataset": "spirals"}, n_samples=90, resolution=12, thumbnail=4)
    surface = run.frame_buffers()["surface"]
    assert surface.shape == (12, 12, 4) and (surface[..., 3] == 255).all()
    assert run.group_colors().shape == (3, 3)


# ------------------------------------------------------------------------------------------------ the live loop
def _ready(playground, seq=None):
    view = playground.view
    view._on_message(view, {"type": "ready", "seq": view.seq if seq is None else seq}, [])


def test_control_changes_send_a_frame():
    playground = explore_playground(dataset="xor", n_samples=100, resolution=20)
    sent = playground.view.frames_sent
    playground.controls["noise"].value = 0.2
    assert playground.view.frames_sent == sent + 1
    playground.controls["discretize"].value = True
    assert playground.view.frames_sent == sent + 2


def test_play_keeps_frames_in_flight_and_each_ready_refills_them():
    from nnlearn.widgets.playground import FRAMES_IN_FLIGHT

    playground = explore_playground(dataset="xor", n_samples=100, resolution=20, epochs_per_frame=3)
    playground.controls["play"].playing = True  # FRAMES_IN_FLIGHT frames go out at once, 3 epochs each
    assert playground.epoch == 3 * FRAMES_IN_FLIGHT and playground.view.in_flight == FRAMES_IN_FLIGHT
    _ready(playground, seq=playground.view.seq - FRAMES_IN_FLIGHT + 2)  # the browser has the first two
    assert playground.epoch == 3 * (FRAMES_IN_FLIGHT + 2) and playground.view.in_flight == FRAMES_IN_FLIGHT
    playground.controls["learning_rate"].value = 0.5  # a control change between two frames
    _ready(playground)  # the browser has them all: the pipe is refilled with frames of the new rate
    assert playground.optimizer.learning_rate == 0.5 and playground.epoch == 3 * (2 * FRAMES_IN_FLIGHT + 2)
    epoch = playground.epoch
    playground.controls["play"].playing = False
    _ready(playground)
    assert playground.epoch == epoch  # stopped: a late "ready" trains nothing
    assert playground.artists["header"].get_text() == f"Epoch {epoch}"  # the static figure caught up


def test_frames_after_a_change_tell_the_browser_to_drop_older_ones():
    # Play frames are painted in order; the frame sent for a control change makes the ones still waiting stale.
    playground = explore_playground(dataset="xor", n_samples=100, resolution=20, epochs_per_frame=2)
    frames = []
    send = playground.view.send_frame
    playground.view.send_frame = lambda header, buffers: frames.append(header) or send(header, buffers)
    playground.controls["play"].playing = True
    assert [f["flush"] for f in frames] == [False] * len(frames) and len(frames) > 1
    playground.controls["learning_rate"].value = 0.1
    changed = len(frames) - 1
    assert frames[changed]["flush"] is True and frames[changed]["epoch"] == playground.epoch
    _ready(playground)  # play goes on: new frames, in order, none of them flushing
    later = frames[changed + 1:]
    assert later and [f["flush"] for f in later] == [False] * len(later)
    assert [f["epoch"] for f in later] == [frames[changed]["epoch"] + 2 * (k + 1) for k in range(len(later))]
    playground.controls["play"].playing = False


def test_play_stops_when_the_run_diverges():
    playground = explore_playground(learning_rate=10.0, n_samples=200, resolution=20, epochs_per_frame=5)
    playground.controls["play"].playing = True
    for _ in range(10):
        _ready(playground)
    assert playground.diverged and playground.controls["play"].playing is False
    assert playground.artists["message"].get_visible()


def test_a_new_view_gets_the_points_again():
    playground = explore_playground(dataset="xor", n_samples=100, resolution=20)
    view = playground.view
    frames = []
    view.send_frame = lambda header, buffers: frames.append((header, buffers)) or 0
    view._on_message(view, {"type": "hello"}, [])
    header, buffers = frames[-1]
    assert "points" in buffers and header["group_colors"] and header["sizes"] == [2, 4, 2, 1]
    playground.step()
    assert "points" not in frames[-1][1] and frames[-1][0]["epoch"] == 1


def test_the_browser_code_ships_with_the_package():
    from pathlib import Path

    from nnlearn.widgets.live import LiveFigure, PlaygroundView

    view, figure = PlaygroundView(), LiveFigure()
    assert view._esm.startswith("// The Playground drawn in the browser") and "export default" in view._esm
    assert ".nnl-live-canvas" in view._css and "export default" in figure._esm
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert '"nnlearn.widgets" = ["static/*.js", "static/*.css"]' in pyproject  # in the wheel, not only the tree


def test_hovering_a_neuron_sends_it_at_full_resolution():
    playground = explore_playground(dataset="xor", n_samples=100, resolution=20)
    view = playground.view
    frames = []
    view.send_frame = lambda header, buffers: frames.append((header, buffers)) or 0
    view._on_message(view, {"type": "hover", "node": 3}, [])  # the second neuron of hidden layer 1
    header, buffers = frames[-1]
    grids = playground.run.neuron_grids()
    expected = np.clip(np.floor((grids.layers[1][1] + 1.0) * 128), 0, 255).astype(np.uint8)  # tanh: -1..1
    assert header["hover"] == 3 and np.array_equal(buffers["hover"], expected)
    view._on_message(view, {"type": "hover", "node": None}, [])
    assert frames[-1][0]["hover"] is None and "hover" not in frames[-1][1]


def test_callbacks_from_two_threads_take_turns():
    # JupyterLab 4.4+ can deliver widget messages on a kernel subshell thread while a cell runs on the main one:
    # training from both at once must not mix one batch's forward pass with another's backward pass.
    import sys
    import threading

    playground = explore_playground(dataset="xor", n_samples=200, resolution=20, epochs_per_frame=2)
    errors = []
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so an unguarded run fails every time (it does)

    def work(call):
        try:
            for _ in range(15):
                call()
        except Exception as error:  # noqa: BLE001 - any error fails the test below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(lambda: playground.train(1),)),
               threading.Thread(target=work, args=(lambda: playground._guard(playground.frame),)),
               threading.Thread(target=work, args=(lambda: playground.update(),))]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == [] and playground.epoch == 15 + 15 * 2

"""Lesson 13's explorers: move a control from Python (observers fire synchronously) and check the artists hold
what the compute half gives."""

import base64

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.descent import network_surface, optimizer_path, surface
from nnlearn.widgets import explore_optimizers, explore_training_health

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_race_paths_are_the_optimizer_paths():
    explorer = explore_optimizers("ravine", learning_rate=0.1, steps=40)
    for name, line in zip(explorer.runs, explorer.artists["paths"]):
        expected = optimizer_path(surface("ravine"), name, learning_rate=0.1, steps=40,
                                  momentum=0.9 if name == "momentum" else None)
        np.testing.assert_array_equal(np.column_stack(line.get_data()), expected.path)


def test_race_learning_rate_and_momentum_sliders_rerun():
    explorer = explore_optimizers("ravine", learning_rate=0.1, steps=40)
    explorer.controls["learning_rate"].value = 0.01
    expected = optimizer_path(surface("ravine"), "sgd", learning_rate=0.01, steps=40)
    np.testing.assert_allclose(explorer.runs["sgd"].path, expected.path)
    explorer.controls["momentum"].value = 0.5
    expected = optimizer_path(surface("ravine"), "momentum", learning_rate=0.01, steps=40, momentum=0.5)
    np.testing.assert_allclose(explorer.artists["paths"][1].get_xdata(), expected.path[:, 0])
    assert "momentum 0.50" in explorer.readout_text


def test_race_step_slider_and_play_walk_the_paths():
    explorer = explore_optimizers("ravine", learning_rate=0.1, steps=40)
    explorer.controls["play"].value = 5  # linked to the step slider
    assert explorer.controls["step"].value == 5
    assert all(len(line.get_xdata()) == 6 for line in explorer.artists["paths"])
    assert len(explorer.artists["curves"][0].get_xdata()) == 6
    loss_at_5 = explorer.runs["sgd"].losses[5]
    assert f"sgd: loss {loss_at_5:.3g}" in explorer.readout_text


def test_race_surface_switch_and_divergence_in_words():
    explorer = explore_optimizers("ravine", learning_rate=0.1, steps=100)
    explorer.controls["surface"].value = "rosenbrock"
    assert explorer.surface.name == "rosenbrock"
    np.testing.assert_allclose(explorer.artists["surface_surface"].get_array(), surface("rosenbrock").grid(81)[2])
    assert explorer.artists["goal"].get_xdata()[0] == 1.0
    assert "sgd: diverged at step" in explorer.readout_text


def test_race_on_a_network_slice_hides_the_surface_menu():
    x, y = nl.datasets.moons(n=40, noise=0.1, seed=0)
    model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
    s = network_surface(model, x, y, "bce", weights=[("layer1.weights", (0, 0)), ("layer1.weights", (1, 0))])
    explorer = explore_optimizers(s, learning_rate=0.1, steps=10)
    assert "surface" in explorer.hidden
    assert explorer.runs["adam"].losses[-1] < explorer.runs["adam"].losses[0]


def test_race_shows_a_png():
    bundle = explore_optimizers(steps=10)._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_SIGNATURE)


def _scene_arrays_are_uint8_or_float32(arrays):
    return all(a.dtype in (np.uint8, np.float32) for a in arrays.values())


def test_race_canvas_scene_follows_every_control():
    from matplotlib.colors import Normalize

    from nnlearn.plots import race_surface_data
    from nnlearn.plots._style import colormap

    explorer = explore_optimizers("ravine", learning_rate=0.1, momentum=0.9, steps=40)
    assert explorer.canvas in explorer.widget.children
    moves = [("step", 7), ("play", 9), ("step", 7), ("learning_rate", 0.01), ("momentum", 0.5)]
    for name, value in moves:
        sent = explorer.canvas.scenes_sent
        explorer.controls[name].value = value
        assert explorer.canvas.scenes_sent == sent + 1, name  # one scene per change (Play moves the step once)
    width, height, panels, items, arrays = explorer.scene()
    assert _scene_arrays_are_uint8_or_float32(arrays)
    for k, name in enumerate(["sgd", "momentum", "rmsprop", "adam"]):
        expected = optimizer_path(surface("ravine"), name, learning_rate=0.01, steps=40,
                                  momentum=0.5 if name == "momentum" else None)
        assert arrays[f"path_{k}"].shape == (8, 2)  # the start and 7 steps
        np.testing.assert_allclose(arrays[f"path_{k}"], expected.path[:8], rtol=1e-6)
        np.testing.assert_allclose(arrays[f"here_{k}"], expected.path[7:8], rtol=1e-6)
        np.testing.assert_allclose(10.0 ** arrays[f"loss_{k}"][:, 1], expected.losses[:8], rtol=1e-5)
    assert np.allclose(arrays["step_line"][:, 0], 7)
    # The surface's pixels: viridis over the matplotlib image's range, from the grid itself.
    data = race_surface_data(surface("ravine"), 81)
    expected = colormap("viridis")(Normalize(*data.limits)(data.losses), bytes=True)
    assert arrays["surface"].dtype == np.uint8 and np.array_equal(arrays["surface"], expected)
    assert panels[0]["xlim"] == [-10.0, 2.0] and panels[0]["ylim"] == [-2.5, 2.5]
    assert len(arrays["contours"]) > 100 and arrays["contours"].shape[1] == 4
    legend = [item["text"] for item in items if item["kind"] == "text" and item["panel"] == 0]
    assert legend == explorer.labels() and legend[0] == f"sgd: loss {explorer.runs['sgd'].losses[7]:.3g}"
    # A new surface: new pixels and level lines, its own lowest point.
    sent = explorer.canvas.scenes_sent
    explorer.controls["surface"].value = "rosenbrock"
    assert explorer.canvas.scenes_sent == sent + 1
    arrays = explorer.scene()[4]
    data = race_surface_data(surface("rosenbrock"), 81)
    assert np.array_equal(arrays["surface"], colormap("viridis")(Normalize(*data.limits)(data.losses), bytes=True))
    assert arrays["goal"].tolist() == [[1.0, 1.0]]
    # At learning rate 0.1 sgd blows up on the valley at step 2: its path stops there and no dot marks step 7.
    explorer.controls["learning_rate"].value = 0.1
    arrays = explorer.scene()[4]
    assert explorer.runs["sgd"].diverged_at == 2 and arrays["path_0"].shape == (3, 2)
    assert arrays["now_0"].shape == (0, 2)
    adam = explorer.runs["adam"]
    assert not adam.diverged and arrays["path_3"].shape == (8, 2)
    np.testing.assert_allclose(arrays["now_3"], [[7.0, np.log10(adam.losses[7])]], rtol=1e-6)


def test_race_without_canvas_keeps_the_matplotlib_picture():
    explorer = explore_optimizers("ravine", learning_rate=0.1, steps=20, canvas=False)
    assert explorer.canvas is None
    explorer.controls["step"].value = 4
    assert all(len(line.get_xdata()) == 5 for line in explorer.artists["paths"])
    assert base64.b64decode(explorer._repr_mimebundle_()["image/png"]).startswith(PNG_SIGNATURE)


def test_log_axis_for_the_canvas():
    from nnlearn.widgets.training import _log_axis

    assert _log_axis(1e-8, 10.0, most=5) == ([-8.0, 1.0], [-8.0, -6.0, -4.0, -2.0, 0.0],
                                             ["10⁻⁸", "10⁻⁶", "10⁻⁴", "10⁻²", "10⁰"])
    limits, ticks, labels = _log_axis(0.4, 0.55)  # no power of ten inside: the ends, written out
    assert ticks == limits and labels == ["0.4", "0.55"]


def small_net():
    x, y = nl.datasets.moons(n=100, noise=0.1, seed=0)
    model = nl.Sequential([nl.Dense(2, 8, "relu"), nl.Dense(8, 8, "relu"), nl.Dense(8, 1, "sigmoid")], seed=0)
    return model, x, y


def test_health_trains_while_playing_and_shows_each_epoch():
    model, x, y = small_net()
    reference, _, _ = small_net()
    explorer = explore_training_health(model, x, y, "bce", optimizer="adam", learning_rate=0.05, epochs=10)
    start = [bar.get_height() for bar in explorer.artists["health"]["bars"][0]]
    explorer.controls["play"].value = 4
    assert explorer.trained_epochs == 4 and explorer.controls["epoch"].value == 4
    # the same training by hand gives the same weights and the same health numbers
    optimizer = nl.optimizers.get("adam", 0.05)
    for epoch in range(4):
        reference.fit(x, y, "bce", optimizer=optimizer, epochs=1, seed=epoch, progress=False)
    for ours, theirs in zip(model.parameters().values(), reference.parameters().values()):
        np.testing.assert_array_equal(ours, theirs)
    report = nl.training_health(reference, x, y, loss="bce", learning_rate=0.05)
    heights = [bar.get_height() for bar in explorer.artists["health"]["bars"][1]]
    np.testing.assert_allclose(heights, report.column("gradient_std"))
    assert explorer.artists["health"]["title"].get_text().startswith("after 4 epochs")
    assert len(explorer.artists["curves"]["lines"][0].get_xdata()) == 4
    explorer.controls["epoch"].value = 0  # back: the stored numbers from before training, no retraining
    assert explorer.trained_epochs == 4
    np.testing.assert_allclose([bar.get_height() for bar in explorer.artists["health"]["bars"][0]], start)
    assert explorer.readout_text.startswith("epoch 0:")


def test_health_canvas_bars_are_the_health_numbers_of_the_shown_epoch():
    model, x, y = small_net()
    explorer = explore_training_health(model, x, y, "bce", optimizer="adam", learning_rate=0.05, epochs=6)
    assert explorer.canvas in explorer.widget.children
    sent = explorer.canvas.scenes_sent
    explorer.controls["play"].value = 1  # one Play tick: one epoch trained, one scene
    assert explorer.canvas.scenes_sent == sent + 1
    after_one = explorer.scene()[4]
    explorer.controls["epoch"].value = 3  # two more epochs, still one scene
    assert explorer.canvas.scenes_sent == sent + 2
    width, height, panels, items, arrays = explorer.scene()
    assert _scene_arrays_are_uint8_or_float32(arrays)
    report = nl.training_health(model, x, y, loss="bce", learning_rate=0.05)  # the model after 3 epochs
    tops = {name: arrays[f"bars_{k}"][:, 3] for k, name in
            enumerate(["activation_std", "gradient_std", "dead_share", "update_ratio"])}
    np.testing.assert_allclose(10.0 ** tops["activation_std"], report.column("activation_std"), rtol=1e-5)
    np.testing.assert_allclose(10.0 ** tops["gradient_std"], report.column("gradient_std"), rtol=1e-5)
    np.testing.assert_allclose(tops["dead_share"], np.nan_to_num(report.column("dead_share")), atol=1e-7)
    np.testing.assert_allclose(10.0 ** tops["update_ratio"], report.column("update_ratio"), rtol=1e-5)
    assert [p.get("title") for p in panels[1:]] == ["activation spread", "gradient spread", "dead ReLUs (share)",
                                                    "update / weight", "loss so far"]
    assert np.allclose(arrays["bars_0"][:, 1], -8.0) and np.allclose(arrays["bars_2"][:, 1], 0.0)  # from the floor
    np.testing.assert_allclose(arrays["bars_0"][:, [0, 2]], [[0.65, 1.35], [1.65, 2.35], [2.65, 3.35]], rtol=1e-6)
    np.testing.assert_allclose(10.0 ** arrays["loss"][:, 1], explorer.losses, rtol=1e-5)
    assert arrays["loss"][:, 0].tolist() == [1.0, 2.0, 3.0]
    title = [item["text"] for item in items if item["kind"] == "text" and item["panel"] == 0]
    assert title == [explorer.artists["health"]["title"].get_text()] and title[0].startswith("after 3 epochs")
    explorer.controls["epoch"].value = 1  # back: the bars of epoch 1 again, nothing retrained
    again = explorer.scene()[4]
    assert explorer.trained_epochs == 3
    for k in range(4):
        np.testing.assert_array_equal(again[f"bars_{k}"], after_one[f"bars_{k}"])


def test_health_without_canvas_keeps_the_matplotlib_picture():
    model, x, y = small_net()
    explorer = explore_training_health(model, x, y, "bce", optimizer="adam", epochs=3, canvas=False)
    assert explorer.canvas is None
    explorer.controls["play"].value = 2
    assert explorer.trained_epochs == 2 and len(explorer.artists["curves"]["lines"][0].get_xdata()) == 2
    assert base64.b64decode(explorer._repr_mimebundle_()["image/png"]).startswith(PNG_SIGNATURE)


def test_health_records_a_diverging_run_without_crashing():
    x = np.linspace(-3, 3, 20).reshape(-1, 2)
    model = nl.Sequential([nl.Dense(2, 4, "relu"), nl.Dense(4, 1)], seed=0)
    explorer = explore_training_health(model, x, x[:, 0], "mse", optimizer="sgd", learning_rate=1e6, epochs=6)
    with pytest.warns(nl.DivergenceWarning):
        explorer.controls["epoch"].value = 6
    assert explorer.trained_epochs == 6
    assert np.isnan(explorer.losses).any()


# ------------------------------------------------------------------------------------------ plots.training
def test_activation_histograms_count_every_value_and_filter_layers(rng):
    model = nl.health.deep_net(2, depth=3, width=5, activation="tanh", norm="batch")
    x = rng.normal(size=(40, 2))
    data = nl.plots.activation_histogram_data(model, x, bins=8, layer_types=["Dense"])
    assert data.labels == ["1", "3", "5"]
    first = np.tanh(x @ model.layers[0].weights + model.layers[0].bias)
    counts, _ = np.histogram(first, bins=np.linspace(-1, 1, 9))
    np.testing.assert_allclose(data.shares[0], counts / first.size)
    assert data.stds[0] == pytest.approx(first.std())
    with pytest.raises(ValueError, match="matches no layer; this model has BatchNorm, Dense"):
        nl.plots.activation_histogram_data(model, x, layer_types=["Conv2D"])


def test_health_panel_bars_hold_the_report():
    model = nl.health.deep_net(2, depth=3, width=6, activation="relu")
    x = np.linspace(-1, 1, 20).reshape(10, 2)
    report = nl.training_health(model, x)
    fig = nl.plots.figure((8, 2))
    artists = nl.plots.draw_training_health(fig.subplots(1, 4), nl.plots.health_panel_data(report, "start"))
    np.testing.assert_allclose([b.get_height() for b in artists["bars"][0]], report.column("activation_std"))
    assert artists["bars"][3][2].get_height() == pytest.approx(report.layers[2].update_ratio)
    assert artists["title"].get_text() == "start"


def test_playground_offers_and_trains_with_the_new_optimizers():
    from nnlearn.widgets import explore_playground

    playground = explore_playground()
    assert {"rmsprop", "adamw"} <= set(playground.controls["optimizer"].options)
    playground.controls["optimizer"].value = "rmsprop"
    assert type(playground.optimizer).__name__ == "RMSprop"
    playground.controls["optimizer"].value = "adamw"
    assert type(playground.optimizer).__name__ == "AdamW"


def test_initialization_explorer_shows_the_histograms_of_the_chosen_net(rng):
    from nnlearn.widgets import explore_initialization

    x = rng.normal(size=(60, 2))
    explorer = explore_initialization(x, depth=6, width=16, activation="tanh", init="glorot")
    explorer.controls["activation"].value = "relu"
    explorer.controls["init"].value = "normal(0.01)"
    explorer.controls["norm"].value = "batch"
    model = nl.health.deep_net(2, depth=6, width=16, activation="relu", init="normal(0.01)", norm="batch")
    expected = nl.plots.activation_histogram_data(model, x, layer_types=["Dense"])
    np.testing.assert_allclose(explorer.artists["image"].get_array(), np.sqrt(expected.shares))
    assert explorer.artists["image"].get_array().shape[0] == 6
    assert explorer.readout_text.startswith("relu, normal(0.01), norm batch: spread of layer 1")
    assert explorer.artists["stds"][0].get_text() == f"{expected.stds[0]:.2g}"
    with pytest.raises(ValueError, match="Did you mean 'glorot'"):
        explore_initialization(x, init="glorott")

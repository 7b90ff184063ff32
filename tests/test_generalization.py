"""Generalization: label noise, learning curves, early stopping, extrapolation, and the explorer's wiring."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.generalization import (
    EarlyStopping,
    best_epoch,
    extrapolation_data,
    flip_labels,
    generalization_data,
    generalization_run,
    learning_curve,
    make_classifier,
    train_classifier,
)
from nnlearn.plots import figure
from nnlearn.plots.boundary import decision_boundary_data
from nnlearn.plots.generalization import (
    draw_accuracy_bars,
    draw_extrapolation,
    draw_learning_curve,
    update_accuracy_bars,
    update_extrapolation,
    update_learning_curve,
)
from nnlearn.widgets.generalization import explore_generalization


# ---------------------------------------------------------------------------------------------------- flip_labels
@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.25, 0.5, 1.0])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_flip_labels_changes_exactly_the_fraction(fraction, n_classes):
    y = np.arange(200) % n_classes
    noisy = flip_labels(y, fraction, seed=1)
    assert int((noisy != y).sum()) == round(fraction * 200)
    assert set(noisy.tolist()) <= set(range(n_classes))
    assert np.array_equal(y, np.arange(200) % n_classes), "the input is not changed"


def test_flip_labels_by_hand():
    # Two classes: a flipped 0 becomes 1 and a flipped 1 becomes 0. 0.3 * 10 = 3 labels change.
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
    noisy = flip_labels(y, 0.3, seed=0)
    changed = noisy != y
    assert changed.sum() == 3
    assert np.array_equal(noisy[changed], 1 - y[changed])
    assert np.array_equal(flip_labels(y, 0.3, seed=0), noisy), "same seed, same flips"


@pytest.mark.parametrize("bad", [[0.5, 1.0], [[0, 1]], [-1, 0]])
def test_flip_labels_refuses_non_labels(bad):
    with pytest.raises(ValueError, match="class labels"):
        flip_labels(bad, 0.1)


def test_flip_labels_refuses_fraction_above_one():
    with pytest.raises(ValueError):
        flip_labels([0, 1], 1.5)


# ---------------------------------------------------------------------------------------------------- learning curve
def test_learning_curve_rises_on_an_easy_set():
    x, y = nl.datasets.circles(n=400, noise=0.1, seed=1)
    x_test, y_test = nl.datasets.circles(n=400, noise=0.1, seed=2)
    curve = learning_curve(lambda: make_classifier(8), x, y, x_test, y_test, [5, 20, 80, 320], epochs=200)
    assert curve.sizes.tolist() == [5, 20, 80, 320]
    assert curve.test_accuracy[-1] > 0.95
    assert curve.test_accuracy[-1] > curve.test_accuracy[0] + 0.2
    # monotone-ish: never drops by more than a few points from one size to the next
    assert np.all(np.diff(curve.test_accuracy) > -0.05)
    assert np.all(curve.train_accuracy >= 0.9)


def test_learning_curve_nests_the_training_sets_and_is_seeded():
    x, y = nl.datasets.gaussians(n=100, noise=0.3, seed=0)
    a = learning_curve(lambda: make_classifier(2), x, y, x, y, [10, 50], epochs=20, seed=3)
    b = learning_curve(lambda: make_classifier(2), x, y, x, y, [10, 50], epochs=20, seed=3)
    assert np.array_equal(a.test_accuracy, b.test_accuracy)


def test_learning_curve_refuses_sizes_beyond_the_data():
    x, y = nl.datasets.gaussians(n=20, seed=0)
    with pytest.raises(ValueError, match="between 1 and the number of training examples"):
        learning_curve(lambda: make_classifier(2), x, y, x, y, [10, 30])


# ---------------------------------------------------------------------------------------------------- early stopping
def test_best_epoch_by_hand():
    # losses 0.9, 0.6, 0.5, 0.55, 0.7: the smallest, 0.5, is the third value, so epoch 3 (epochs count from 1)
    assert best_epoch([0.9, 0.6, 0.5, 0.55, 0.7]) == 3
    assert best_epoch([0.4, 0.3, 0.3]) == 2, "a tie keeps the first"
    assert best_epoch([0.4, float("nan"), 0.5]) == 1, "NaN never wins"


def test_best_epoch_reads_a_history_and_explains_a_missing_val_loss():
    history = nl.History()
    for value in (0.8, 0.4, 0.6):
        history.append(loss=0.1, val_loss=value)
    assert best_epoch(history) == 2
    with pytest.raises(ValueError, match="validation_data"):
        best_epoch(nl.History())


def test_early_stopping_keeps_the_argmin_weights_and_stops_after_patience():
    x, y = nl.datasets.moons(n=100, noise=0.3, seed=0)
    x_train, y_train, x_val, y_val = x[:30], y[:30], x[30:], y[30:]
    model = make_classifier([32, 32], seed=0)
    stopper = EarlyStopping(model, patience=10)
    history = model.fit(x_train, y_train, "bce", optimizer="adam", lr=0.05, epochs=400,
                        validation_data=(x_val, y_val), callback=stopper, progress=False)
    assert stopper.best_epoch == best_epoch(history) == int(np.argmin(history.val_loss)) + 1
    assert len(history) == stopper.best_epoch + 10 == stopper.stopped_epoch
    # the weights in the model are those of the best epoch: their validation loss is the smallest recorded
    assert model.loss(x_val, y_val, "bce") == pytest.approx(min(history.val_loss), rel=1e-12)


def test_early_stopping_needs_a_validation_loss():
    stopper = EarlyStopping(make_classifier(2), patience=2)
    with pytest.raises(ValueError, match="validation_data"):
        stopper(1, {"loss": 0.5})


def test_early_stopping_exercise_agrees_with_best_epoch():
    from nnlearn.exercises.generalization import VALIDATION_LOSSES, stopping_epochs

    kept, stop = stopping_epochs()
    # losses ... 0.39 (epoch 5), 0.40, 0.38 (epoch 7), 0.41, 0.45, 0.50: epochs 8, 9, 10 fail to beat 0.38
    assert (kept, stop) == (7, 10) == (best_epoch(list(VALIDATION_LOSSES)), 10)
    assert nl.exercises.check("early_stopping_epoch", kept_epoch=7, stop_epoch=10).passed
    assert not nl.exercises.check("early_stopping_epoch", kept_epoch=5, stop_epoch=8).passed
    assert not nl.exercises.check("early_stopping_epoch", kept_epoch=None, stop_epoch=None).done


# ---------------------------------------------------------------------------------------------------- experiments
def test_generalization_data_splits_and_flips():
    data = generalization_data("moons", 60, n_validation=40, label_noise=0.15, seed=0)
    assert data.x_train.shape == (60, 2) and data.x_validation.shape == (40, 2) and data.x_test.shape == (500, 2)
    assert data.flipped.sum() == 9  # 0.15 * 60
    x_pool, y_pool = nl.datasets.moons(n=400, noise=0.2, seed=0)
    assert np.array_equal(data.x_train, x_pool[:60]) and np.array_equal(data.x_validation, x_pool[360:])
    assert np.array_equal(data.y_train[~data.flipped], y_pool[:60][~data.flipped])
    with pytest.raises(ValueError, match="at most 400"):
        generalization_data("moons", 380, n_validation=40)
    with pytest.raises(ValueError, match="two classes"):
        generalization_data("spirals", 60)


def test_big_network_overfits_a_small_noisy_set_and_regularisation_helps():
    data = generalization_data("moons", 60, n_validation=40, label_noise=0.15, seed=0)
    big = train_classifier(data, [32, 32])
    small = train_classifier(data, 3)
    l2 = train_classifier(data, [32, 32], l2=0.003)
    stopped = train_classifier(data, [32, 32], patience=50)
    assert big.train_accuracy > 0.95 > small.train_accuracy  # the big one learns the wrong labels too
    assert small.test_accuracy > big.test_accuracy + 0.05
    assert l2.test_accuracy > big.test_accuracy + 0.05
    assert stopped.test_accuracy > big.test_accuracy + 0.05
    assert stopped.stopped_epoch == best_epoch(stopped.history)


def test_early_stopping_without_validation_points_is_refused():
    data = generalization_data("moons", 40)
    with pytest.raises(ValueError, match="n_validation"):
        train_classifier(data, 4, patience=5)


def test_extrapolation_by_hand():
    # y = x against |x| on -1, -0.5, 0, 0.5, 1 with training range [0, 1]:
    # inside (0, 0.5, 1) the errors are 0; outside (-1, -0.5) they are (-1 - 1)^2 = 4 and (-0.5 - 0.5)^2 = 1.
    model = nl.Sequential([nl.Dense(1, 1)])
    model.layers[0].weights[:] = 1.0
    model.layers[0].bias[:] = 0.0
    data = extrapolation_data(model, np.abs, (0, 1), (-1, 1), n=5)
    assert data.inside.tolist() == [False, False, True, True, True]
    assert data.error_inside == 0.0
    assert data.error_outside == pytest.approx((4 + 1) / 2)


# ---------------------------------------------------------------------------------------------------- drawing
def test_draw_and_update_learning_curve():
    from nnlearn.generalization import LearningCurve

    curve = LearningCurve(np.array([10, 100]), np.array([1.0, 0.95]), np.array([0.7, 0.9]))
    artists = draw_learning_curve(figure().add_subplot(), curve)
    assert artists["train"].get_ydata().tolist() == [1.0, 0.95]
    update_learning_curve(artists, LearningCurve(np.array([10, 100]), np.array([0.9, 0.8]), np.array([0.6, 0.7])))
    assert artists["test"].get_ydata().tolist() == [0.6, 0.7]


def test_draw_and_update_accuracy_bars():
    artists = draw_accuracy_bars(figure().add_subplot(), 0.98, 0.82)
    assert [bar.get_height() for bar in artists["bars"]] == [0.98, 0.82]
    update_accuracy_bars(artists, 0.5, 0.25)
    assert [bar.get_height() for bar in artists["bars"]] == [0.5, 0.25]
    assert [text.get_text() for text in artists["labels"]] == ["0.50", "0.25"]


def test_draw_and_update_extrapolation():
    model = nl.Sequential([nl.Dense(1, 1)], seed=0)
    data = extrapolation_data(model, np.sin, (-3, 3), (-6, 6), n=50)
    artists = draw_extrapolation(figure().add_subplot(), data, x_train=[0.0], y_train=[0.0])
    assert np.array_equal(artists["prediction"].get_ydata(), data.prediction)
    model.layers[0].bias[:] += 1.0
    moved = extrapolation_data(model, np.sin, (-3, 3), (-6, 6), n=50)
    update_extrapolation(artists, moved)
    assert np.allclose(artists["prediction"].get_ydata(), data.prediction + 1.0)


# ---------------------------------------------------------------------------------------------------- explorer
@pytest.fixture(scope="module")
def explorer():
    return explore_generalization(n_train=40, hidden_units=8, label_noise=0.1, epochs=150, live=False)


def _check_artists_match(explorer, **settings):
    run = generalization_run("moons", hidden_units=explorer.controls["hidden_units"].value,
                             n_train=explorer.controls["n_train"].value,
                             label_noise=explorer.controls["label_noise"].value, l2=explorer.controls["l2"].value,
                             epochs=explorer.epochs, **settings)
    boundary = explorer.artists["boundary"]
    expected = decision_boundary_data(run.model, extent=explorer.extent, resolution=60)
    assert np.allclose(boundary["surface"].get_array(), expected.values)
    assert np.array_equal(boundary["points"].get_offsets(), run.data.x_train)
    flipped = explorer.artists["flipped"]
    assert np.array_equal(np.column_stack(flipped.get_data()).reshape(-1, 2), run.data.x_train[run.data.flipped])
    assert np.allclose(explorer.artists["loss"]["train"].get_ydata(), run.history.loss)
    assert np.allclose(explorer.artists["loss"]["test"].get_ydata(), run.history.val_loss)
    heights = [bar.get_height() for bar in explorer.artists["accuracy"]["bars"]]
    assert heights == pytest.approx([run.train_accuracy, run.test_accuracy])
    assert f"test accuracy {run.test_accuracy:.2f}" in explorer.readout_text


@pytest.mark.parametrize("name, value", [("label_noise", 0.3), ("n_train", 120), ("hidden_units", 2), ("l2", 0.01)])
def test_moving_a_control_retrains_and_redraws(explorer, name, value):
    explorer.controls[name].value = value
    assert explorer.controls[name].value == value
    _check_artists_match(explorer)


def test_explorer_classes_and_one_browser_control(explorer):
    assert "nnl-explorer" in explorer.widget._dom_classes
    moving = [name for name, control in explorer.controls.items() if "nnl-browser-move" in control._dom_classes]
    assert moving == ["label_noise"]
    for name, control in explorer.controls.items():
        assert f"nnl-{name}" in control._dom_classes


def test_explorer_shows_a_png_everywhere(explorer):
    bundle = explorer._repr_mimebundle_()
    assert "image/png" in bundle and "test" in bundle["text/plain"]


# ---------------------------------------------------------------------------------------------------- browser canvas
def _check_scene_matches(explorer):
    """The canvas scene shows the run a fresh training gives, drawn as the matplotlib figure draws it."""
    from nnlearn.playground import palette
    from nnlearn.plots import _style

    c = explorer.controls
    run = generalization_run("moons", n_train=c["n_train"].value, hidden_units=c["hidden_units"].value,
                             label_noise=c["label_noise"].value, l2=c["l2"].value, epochs=explorer.epochs)
    width, height, panels, items, arrays = explorer.scene()
    assert (width, height) == explorer.figure.canvas.get_width_height()  # the same size as the static picture
    assert all(a.dtype in (np.uint8, np.float32) for a in arrays.values())
    # The surface: the model's probabilities as rows of the light palette, the rows matplotlib's image picks.
    expected = decision_boundary_data(run.model, extent=explorer.extent, resolution=60)
    image = explorer.artists["boundary"]["surface"]
    assert np.allclose(image.get_array(), expected.values)
    rows = np.clip(np.floor((expected.values - 0.0) * 256 / (1.0 - 0.0)), 0, 255)
    assert arrays["surface"].dtype == np.uint8 and np.array_equal(arrays["surface"], rows)
    assert np.array_equal(arrays["surface"], np.clip(np.floor(image.norm(image.get_array()) * 256), 0, 255))
    surface_item = next(item for item in items if item["kind"] == "image")
    assert surface_item["palette"] == "palette_light" and surface_item["extent"] == list(explorer.extent)
    assert explorer.canvas.palette_light == palette(_style.DIVERGING_LIGHT).tobytes()
    painted = palette(_style.DIVERGING_LIGHT)[arrays["surface"]]
    assert np.abs(painted.astype(int) - image.to_rgba(image.get_array(), bytes=True).astype(int)).max() <= 1
    assert np.allclose(arrays["boundary"], expected.boundary.reshape(-1, 4), atol=1e-5)
    # The points: one marker item per class and set, in the class colours; diamonds for the test points.
    data = run.data
    test_x, test_y = data.x_test[:150], data.y_test[:150]
    for k in (0, 1):
        assert np.array_equal(arrays[f"train_{k}"], data.x_train[data.y_train == k].astype(np.float32))
        assert np.array_equal(arrays[f"test_{k}"], test_x[test_y == k].astype(np.float32))
        train_item = next(item for item in items if item.get("buffer") == f"train_{k}")
        test_item = next(item for item in items if item.get("buffer") == f"test_{k}")
        assert train_item["color"] == test_item["color"] == _style.CLASS_COLORS[k]
        assert test_item["shape"] == "diamond" and "shape" not in train_item
    assert len(arrays["train_0"]) + len(arrays["train_1"]) == len(data.x_train)
    assert np.array_equal(arrays["flipped"], data.x_train[data.flipped].astype(np.float32))
    # The curves: one point per epoch, ending at the run's last losses; the bars are the two accuracies.
    assert arrays["train_loss"].shape == (explorer.epochs, 2) == arrays["test_loss"].shape
    assert np.allclose(arrays["train_loss"][-1], [explorer.epochs, run.history.loss[-1]])
    assert np.allclose(arrays["test_loss"][:, 1], run.history.val_loss, atol=1e-6)
    assert np.allclose(arrays["bars"], [[-0.3, 0.0, 0.3, run.train_accuracy], [0.7, 0.0, 1.3, run.test_accuracy]])
    texts = [item["text"] for item in items if item["kind"] == "text"]
    assert f"{run.train_accuracy:.2f}" in texts and f"{run.test_accuracy:.2f}" in texts
    # The same axis limits and ticks as the matplotlib axes.
    axes = [image.axes, explorer.artists["loss"]["train"].axes, explorer.artists["accuracy"]["bars"][0].axes]
    for panel, ax in zip(panels, axes):
        assert np.allclose(panel["xlim"], ax.get_xlim()) and np.allclose(panel["ylim"], ax.get_ylim())
        low, high = ax.get_ylim()
        assert panel["yticks"] == [t for t in ax.get_yticks() if low - 1e-9 <= t <= high + 1e-9]


def test_canvas_scene_follows_every_control():
    explorer = explore_generalization(n_train=40, hidden_units=8, label_noise=0.1, epochs=60)
    assert explorer.canvas in explorer.widget.children
    _check_scene_matches(explorer)
    for name, value in [("label_noise", 0.3), ("n_train", 120), ("hidden_units", 2), ("l2", 0.01)]:
        sent = explorer.canvas.scenes_sent
        explorer.controls[name].value = value
        assert explorer.canvas.scenes_sent == sent + 1, name  # one scene per change
        _check_scene_matches(explorer)
        _check_artists_match(explorer)  # the static figure follows too


def test_a_setting_seen_before_is_not_trained_again(monkeypatch):
    import nnlearn.widgets.generalization as module

    explorer = explore_generalization(n_train=40, hidden_units=8, label_noise=0.1, epochs=60)
    first = explorer.run
    trained = []
    real = module.generalization_run
    monkeypatch.setattr(module, "generalization_run",
                        lambda *args, **kwargs: trained.append(kwargs) or real(*args, **kwargs))
    sent = explorer.canvas.scenes_sent
    explorer.controls["label_noise"].value = 0.3  # new: trains
    explorer.controls["label_noise"].value = 0.1  # back: the kept run, no training
    assert len(trained) == 1 and explorer.run is first and explorer.canvas.scenes_sent == sent + 2
    assert explorer.settings() == (40, 8, 0.1, 0.0)
    _check_scene_matches(explorer)
    explorer.cache_size = 2  # keeps the two settings used last
    explorer.controls["n_train"].value = 50
    explorer.controls["n_train"].value = 60
    assert len(trained) == 3 and len(explorer._runs) == 2
    explorer.controls["n_train"].value = 40  # forgotten by now: trained again, to the same numbers
    assert len(trained) == 4 and explorer.run is not first
    assert explorer.run.test_accuracy == first.test_accuracy and np.array_equal(explorer.run.history.loss,
                                                                                first.history.loss)


def test_without_a_canvas_the_png_and_ipympl_pictures_still_follow():
    import base64

    import ipywidgets as widgets

    explorer = explore_generalization(n_train=40, hidden_units=8, epochs=60, canvas=False)
    assert explorer.canvas is None
    explorer._repr_mimebundle_()  # on screen: the PNG image under the controls is refreshed after each change
    image = [child for child in explorer.widget.children if isinstance(child, widgets.Image)][0]
    before = image.value
    explorer.controls["hidden_units"].value = 2
    assert image.value != before and bytes(image.value).startswith(b"\x89PNG")
    _check_artists_match(explorer)
    live = explore_generalization(n_train=40, hidden_units=8, epochs=60, live=True)
    from ipympl.backend_nbagg import Canvas

    assert live.canvas is None and isinstance(live.figure.canvas, Canvas) and live.figure.canvas in live.widget.children
    live.controls["label_noise"].value = 0.3
    _check_artists_match(live)
    assert base64.b64decode(live._repr_mimebundle_()["image/png"]).startswith(b"\x89PNG")

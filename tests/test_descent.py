"""Loss and gradient descent: the compute half (nnlearn/descent.py, plots/descent.py), the drawing half, and the
wiring of explore_loss and explore_gradient_descent (widgets/descent.py).

Wiring tests set a control's ``.value`` and assert that the artists show what the compute half returns.
"""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.descent import (
    BLOWUP,
    DescentPath,
    compare_learning_rates,
    descent_path,
    largest_stable_learning_rate,
    line_loss,
    line_points,
)
from nnlearn.plots import descent as pictures
from nnlearn.plots._style import figure
from nnlearn.plots.surface import draw_loss_surface
from nnlearn.widgets.descent import explore_gradient_descent, explore_loss


def a_line(weight=0.0, bias=0.0):
    model = nl.Sequential([nl.Dense(1, 1)])
    model.layers[0].weights[:] = weight
    model.layers[0].bias[:] = bias
    return model


# ------------------------------------------------------------------------------------------------ compute
def test_line_points_are_seeded_and_lie_around_the_line():
    x, y = line_points(n=50, weight=-1.0, bias=3.0, noise=0.0, low=0.0, high=1.0, seed=4)
    assert x.shape == (50, 1) and y.shape == (50,)
    np.testing.assert_allclose(y, -x[:, 0] + 3.0)
    assert 0.0 <= x.min() and x.max() <= 1.0
    again = line_points(n=50, seed=4)
    np.testing.assert_array_equal(again[0], line_points(n=50, seed=4)[0])
    assert not np.array_equal(again[1], line_points(n=50, seed=5)[1])
    with pytest.raises(ValueError, match="low < high"):
        line_points(low=1.0, high=0.0)
    with pytest.raises(ValueError, match="noise"):
        line_points(noise=-1.0)


def test_line_loss_hand_worked_and_over_a_grid():
    x, y = np.array([[0.0], [1.0], [2.0]]), np.array([1.0, 3.0, 5.0])  # exactly y = 2x + 1
    # weight 1, bias 0: predictions 0, 1, 2 -> errors -1, -2, -3 -> (1 + 4 + 9) / 3
    assert line_loss(1.0, 0.0, x, y) == pytest.approx(14.0 / 3.0)
    assert line_loss(2.0, 1.0, x, y) == 0.0
    weights, biases = np.meshgrid(np.linspace(0, 3, 4), np.linspace(-1, 2, 5))
    grid = line_loss(weights, biases, x, y)
    assert grid.shape == (5, 4)
    for (j, i), value in np.ndenumerate(grid):
        assert value == pytest.approx(line_loss(weights[j, i], biases[j, i], x, y))
    with pytest.raises(ValueError, match="one input per example"):
        line_loss(1.0, 0.0, np.zeros((3, 2)), y)


def test_line_loss_equals_the_library_mse_of_a_dense_line():
    x, y = line_points(n=12, seed=2)
    model = a_line(1.3, -0.4)
    assert line_loss(1.3, -0.4, x, y) == pytest.approx(model.loss(x, y, "mse"))


def test_largest_stable_learning_rate_hand_worked():
    # x = -1, 1: A = [[-1, 1], [1, 1]], H = (2 / 2) A^T A = [[2, 0], [0, 2]] -> 2 / 2 = 1
    assert largest_stable_learning_rate(np.array([[-1.0], [1.0]])) == pytest.approx(1.0)
    # x = 0, 2: A^T A = [[4, 2], [2, 2]], H = that; eigenvalues 3 +- sqrt(5) -> 2 / (3 + sqrt 5)
    assert largest_stable_learning_rate([0.0, 2.0]) == pytest.approx(2.0 / (3.0 + np.sqrt(5.0)))


@pytest.mark.parametrize("factor, diverges", [(0.5, False), (0.95, False), (1.05, True), (2.0, True)])
def test_the_stable_limit_separates_converging_from_diverging_runs(factor, diverges):
    x, y = line_points(n=16, seed=3)
    rate = factor * largest_stable_learning_rate(x)
    run = descent_path(a_line(), x, y, learning_rate=rate, steps=400, start=(-3.0, 3.0))
    assert run.diverged is diverges
    if not diverges:
        best = np.linalg.lstsq(np.column_stack([x, np.ones(len(x))]), y, rcond=None)[0]
        np.testing.assert_allclose(run.path[-1], best, atol=1e-6)


def test_one_step_by_hand():
    # x = -1, 1; y = -2, 2; start w = b = 0. Predictions 0, 0: errors 2, -2.
    # dL/dw = 2 * mean(error * x) = 2 * mean(-2, -2) = -4; dL/db = 2 * mean(2, -2) = 0.
    # learning rate 0.25: w = 0 - 0.25 * (-4) = 1, b = 0. Losses: mean(4, 4) = 4, then mean(1, 1) = 1.
    run = descent_path(a_line(5.0, 5.0), [[-1.0], [1.0]], [-2.0, 2.0], learning_rate=0.25, steps=1, start=(0, 0))
    np.testing.assert_allclose(run.path, [[0.0, 0.0], [1.0, 0.0]])
    np.testing.assert_allclose(run.losses, [4.0, 1.0])
    assert run.names == ("layer1.weights[0, 0]", "layer1.bias[0]")
    assert run.diverged_at is None and run.n_steps == 1 and run.steps.tolist() == [0, 1]


def test_descent_path_matches_plain_numpy_and_leaves_the_model_alone():
    x, y = line_points(n=8, seed=0)
    model = a_line(0.7, -0.2)
    run = descent_path(model, x, y, learning_rate=0.3, steps=5, start=(-2.0, 2.0))
    w, b = -2.0, 2.0
    for step in range(1, 6):
        errors = w * x[:, 0] + b - y
        w, b = w - 0.3 * 2 * np.mean(errors * x[:, 0]), b - 0.3 * 2 * np.mean(errors)
        np.testing.assert_allclose(run.path[step], [w, b], rtol=1e-12)
        assert run.losses[step] == pytest.approx(line_loss(w, b, x, y))
    assert model.layers[0].weights[0, 0] == 0.7 and model.layers[0].bias[0] == -0.2


def test_full_batch_path_matches_sequential_fit_with_sgd():
    x, y = nl.datasets.plane(n=30, seed=1)
    model = nl.Sequential([nl.Dense(2, 1)], seed=2)
    run = descent_path(model, x, y, learning_rate=0.05, steps=7)  # tracks weights[0, 0] and weights[1, 0]
    model.fit(x, y, "mse", optimizer="sgd", lr=0.05, epochs=7, progress=False)
    np.testing.assert_allclose(run.path[-1], model.layers[0].weights[:, 0], rtol=1e-12)
    assert run.losses[-1] == pytest.approx(model.loss(x, y, "mse"))


def test_tracks_the_chosen_weights_of_a_bigger_model():
    x, y = nl.datasets.xor(n=40, seed=0)
    model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
    chosen = [("layer2.weights", (2, 0)), ("layer1.bias", (1,))]
    run = descent_path(model, x, y, "bce", learning_rate=0.5, steps=3, weights=chosen)
    assert run.names == ("layer2.weights[2, 0]", "layer1.bias[1]")
    assert run.path[0].tolist() == [model.layers[1].weights[2, 0], model.layers[0].bias[1]]
    with pytest.raises(ValueError, match="Unknown parameter 'layer3.bias'"):
        descent_path(model, x, y, "bce", learning_rate=0.5, weights=[("layer3.bias", (0,)), ("layer1.bias", (0,))])
    with pytest.raises(ValueError, match="exactly two"):
        descent_path(model, x, y, "bce", learning_rate=0.5, weights=[("layer1.bias", (0,))])
    with pytest.raises(ValueError, match="does not exist"):
        descent_path(model, x, y, "bce", learning_rate=0.5, weights=[("layer1.bias", (7,)), ("layer1.bias", (0,))])


def test_mini_batches_are_seeded_noisy_and_full_when_the_batch_holds_everything():
    x, y = line_points(n=32, seed=1)
    first = descent_path(a_line(), x, y, learning_rate=0.1, steps=20, batch_size=1, seed=0)
    again = descent_path(a_line(), x, y, learning_rate=0.1, steps=20, batch_size=1, seed=0)
    other = descent_path(a_line(), x, y, learning_rate=0.1, steps=20, batch_size=1, seed=1)
    full = descent_path(a_line(), x, y, learning_rate=0.1, steps=20)
    np.testing.assert_array_equal(first.path, again.path)
    assert not np.allclose(first.path, other.path)
    assert not np.allclose(first.path, full.path)
    everything = descent_path(a_line(), x, y, learning_rate=0.1, steps=20, batch_size=32, seed=0)
    np.testing.assert_allclose(everything.path, full.path)
    assert first.batch_size == 1 and full.batch_size is None


def test_a_batch_step_uses_the_gradient_of_its_batch_only():
    # Two points, batch size 1, one step: the step is the gradient of whichever point was drawn.
    x, y = np.array([[1.0], [-1.0]]), np.array([3.0, 0.0])
    run = descent_path(a_line(), x, y, learning_rate=0.5, steps=1, batch_size=1, seed=0, start=(0.0, 0.0))
    first = np.random.default_rng(0).permutation(2)[0]
    # error = 0 - y[first]; dL/dw = 2 * error * x, dL/db = 2 * error
    error = -y[first]
    np.testing.assert_allclose(run.path[1], [-0.5 * 2 * error * x[first, 0], -0.5 * 2 * error])


def test_divergence_is_flagged_where_the_loss_passes_the_blowup():
    x, y = line_points(n=8, seed=0)
    run = descent_path(a_line(), x, y, learning_rate=0.7, steps=50, start=(-2.0, 2.0))
    k = run.diverged_at
    assert run.diverged and k == run.n_steps and k < 50
    assert run.losses[k] > BLOWUP * run.losses[0] >= run.losses[:k].max()
    assert run.summary() == f"learning rate 0.7: diverged at step {k}"
    huge = descent_path(a_line(), x, y, learning_rate=1e6, steps=50)
    assert huge.diverged_at == 1


def test_summary_and_repr_say_what_happened():
    run = DescentPath(("w", "b"), 0.1, 8, np.zeros((3, 2)), np.array([4.0, 1.0, 0.25]), None)
    assert run.summary() == "learning rate 0.1: loss 4 -> 0.25 after 2 steps"
    assert repr(run) == "DescentPath(learning rate 0.1: loss 4 -> 0.25 after 2 steps, batch size 8)"
    assert run.final_loss == 0.25 and not run.diverged


def test_descent_path_rejects_bad_settings():
    x, y = line_points(n=4, seed=0)
    with pytest.raises(ValueError, match="learning_rate"):
        descent_path(a_line(), x, y, learning_rate=0.0)
    with pytest.raises(ValueError, match="steps"):
        descent_path(a_line(), x, y, learning_rate=0.1, steps=-1)
    with pytest.raises(ValueError, match="start must be two numbers"):
        descent_path(a_line(), x, y, learning_rate=0.1, start=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="fewer than two numbers"):
        descent_path(_one_number_model(), x, y, learning_rate=0.1)


def _one_number_model():
    class OneNumber(nl.Layer):
        def __init__(self):
            self.weight = np.zeros(1)

        def parameters(self):
            return {"weight": self.weight}

    model = nl.Sequential([nl.Dense(1, 1)])
    model.layers = [OneNumber()]
    return model


def test_compare_learning_rates_starts_every_run_at_the_same_point():
    x, y = line_points(n=8, seed=0)
    runs = compare_learning_rates(a_line(), x, y, learning_rates=[0.02, 0.3, 0.55, 0.7], steps=20, start=(-2, 2))
    assert [run.learning_rate for run in runs] == [0.02, 0.3, 0.55, 0.7]
    assert all(run.path[0].tolist() == [-2.0, 2.0] for run in runs)
    # too small ends high, right and too large reach the bottom, the last one diverges
    best = 0.1031
    assert runs[0].final_loss > 10 * best
    assert runs[1].final_loss == pytest.approx(best, abs=1e-3) and runs[2].final_loss == pytest.approx(best, abs=2e-3)
    assert runs[3].diverged
    # too large zigzags: consecutive steps point against each other
    moves = np.diff(runs[2].path, axis=0)
    assert (np.sum(moves[1:] * moves[:-1], axis=1) < 0).mean() > 0.5


# ------------------------------------------------------------------------------------------------ pictures
def test_line_fit_data_hand_worked():
    # weight 2, bias 0 on (0, 1) and (1, 2): predictions 0 and 2, errors -1 and 0, loss (1 + 0) / 2
    data = pictures.line_fit_data([[0.0], [1.0]], [1.0, 2.0], 2.0, 0.0, xlim=(-1.0, 2.0))
    np.testing.assert_allclose(data.predictions, [0.0, 2.0])
    np.testing.assert_allclose(data.errors, [-1.0, 0.0])
    assert data.loss == 0.5
    np.testing.assert_allclose(data.line, [[-1.0, -2.0], [2.0, 4.0]])
    np.testing.assert_allclose(data.residuals, [[[0.0, 1.0], [0.0, 0.0]], [[1.0, 2.0], [1.0, 2.0]]])
    assert data.text == "loss = mean of squared errors = ((-1.00)² + 0.00²) / 2 = 0.50"


def test_line_fit_text_shortens_many_points():
    x, y = line_points(n=10, seed=0)
    text = pictures.line_fit_data(x, y, 1.0, 0.0).text
    assert text.count("²") == 4 and "+ ... +" in text and text.endswith(f"/ 10 = {line_loss(1.0, 0.0, x, y):.2f}")


def test_loss_slice_and_surface_agree_with_line_loss():
    x, y = line_points(n=8, seed=0)
    cut = pictures.loss_slice_data(x, y, 1.0, 0.5, weights=np.linspace(-1, 3, 9))
    np.testing.assert_allclose(cut.losses, [line_loss(w, 0.5, x, y) for w in np.linspace(-1, 3, 9)])
    assert cut.loss == pytest.approx(line_loss(1.0, 0.5, x, y)) and cut.ylim[0] == 0.0
    surface = pictures.line_loss_surface(x, y, span=2.0, resolution=5)
    assert surface.names == ("weight", "bias")
    for (j, i), value in np.ndenumerate(surface.losses):
        assert value == pytest.approx(line_loss(surface.w1[i], surface.w2[j], x, y))
    best = np.linalg.lstsq(np.column_stack([x, np.ones(8)]), y, rcond=None)[0]
    np.testing.assert_allclose(surface.start, best)
    assert surface.losses.min() == pytest.approx(surface.losses[2, 2])  # the centre is the bottom


def test_surface_with_path_shows_a_run_up_to_a_step():
    x, y = line_points(n=8, seed=0)
    surface = pictures.line_loss_surface(x, y, resolution=5)
    run = descent_path(a_line(), x, y, learning_rate=0.3, steps=10, start=(-2.0, 2.0))
    shown = pictures.surface_with_path(surface, run, 4)
    np.testing.assert_array_equal(shown.path, run.path[:5])
    np.testing.assert_array_equal(shown.path_losses, run.losses[:5])
    assert shown.losses is surface.losses and shown.start == (-2.0, 2.0)
    assert len(pictures.surface_with_path(surface, run, 99).path) == 11
    assert len(pictures.surface_with_path(surface, run).path) == 11


def test_draw_and_update_line_fit():
    x, y = line_points(n=6, seed=0)
    ax = figure().add_subplot()
    artists = pictures.draw_line_fit(ax, pictures.line_fit_data(x, y, 0.5, 0.0))
    data = pictures.line_fit_data(x, y, 2.0, 1.0, xlim=ax.get_xlim(), ylim=ax.get_ylim())
    pictures.update_line_fit(artists, data)
    np.testing.assert_allclose(np.column_stack(artists["line"].get_data()), data.line)
    np.testing.assert_allclose(np.array(artists["residuals"].get_segments()), data.residuals)
    assert artists["title"].get_text() == f"weight 2.00, bias 1.00: loss {data.loss:.2f}"


def test_draw_and_update_loss_slice_and_step_losses():
    x, y = line_points(n=6, seed=0)
    ax = figure().add_subplot()
    artists = pictures.draw_loss_slice(ax, pictures.loss_slice_data(x, y, 0.0, 0.0))
    cut = pictures.loss_slice_data(x, y, 1.5, 2.0)
    pictures.update_loss_slice(artists, cut)
    np.testing.assert_allclose(artists["curve"].get_ydata(), cut.losses)
    assert artists["marker"].get_data() == ([1.5], [cut.loss])
    assert "bias held at 2.00" in artists["title"].get_text()

    run = descent_path(a_line(), x, y, learning_rate=0.2, steps=8)
    curve_ax = figure().add_subplot()
    steps = pictures.draw_step_losses(curve_ax, run, 3, log=True)
    np.testing.assert_allclose(steps["curve"].get_ydata(), run.losses[:4])
    np.testing.assert_allclose(steps["marker"].get_data(), [[3], [run.losses[3]]])
    assert curve_ax.get_yscale() == "log"
    pictures.update_step_losses(steps, run)
    np.testing.assert_allclose(steps["curve"].get_xdata(), np.arange(9))


def test_draw_descent_paths_and_contours():
    x, y = line_points(n=8, seed=0)
    surface = pictures.line_loss_surface(x, y, resolution=9)
    runs = [descent_path(a_line(), x, y, learning_rate=lr, steps=5) for lr in (0.1, 0.3)]
    ax = figure().add_subplot()
    draw_loss_surface(ax, pictures.surface_with_path(surface, runs[0]))
    lines = pictures.draw_descent_paths(ax, runs, ["slow", "fast"])
    assert [line.get_label() for line in lines] == ["slow", "fast"]
    np.testing.assert_allclose(np.column_stack(lines[1].get_data()), runs[1].path)
    contours = pictures.draw_loss_contours(ax, surface, levels=6)
    assert len(contours.levels) == 6 and contours.levels[-1] == pytest.approx(surface.losses.max())


# ------------------------------------------------------------------------------------------------ explorers
def test_explore_loss_moves_the_line_and_writes_the_loss():
    x, y = line_points(n=8, seed=0)
    explorer = explore_loss(x, y, weight=0.5, bias=0.5)
    assert "nnl-explorer" in explorer.widget._dom_classes
    assert "nnl-weight" in explorer.controls["weight"]._dom_classes
    explorer.controls["weight"].value = 2.0
    expected = pictures.line_fit_data(x, y, 2.0, 0.5)
    np.testing.assert_allclose(explorer.artists["fit_line"].get_ydata(), 2.0 * np.array(explorer._xlim) + 0.5)
    np.testing.assert_allclose(np.array(explorer.artists["fit_residuals"].get_segments()), expected.residuals)
    assert explorer.readout_text == expected.text
    assert explorer.artists["slice_marker"].get_data() == ([2.0], [expected.loss])
    explorer.controls["bias"].value = -1.0  # the cut through the surface moves with the bias
    np.testing.assert_allclose(explorer.artists["slice_curve"].get_ydata(),
                               line_loss(explorer.weight_grid, -1.0, x, y))
    assert explorer.loss == pytest.approx(line_loss(2.0, -1.0, x, y))
    assert "weight 2.00, bias -1.00" in repr(explorer)


def test_explore_loss_default_points_and_errors():
    explorer = explore_loss()
    np.testing.assert_array_equal(explorer.x, line_points(8, seed=0)[0])
    with pytest.raises(ValueError, match="Give both x and y"):
        explore_loss(x=[1.0, 2.0])
    with pytest.raises(ValueError, match="one input"):
        explore_loss(x=np.zeros((3, 2)), y=np.zeros(3))


def test_explore_gradient_descent_follows_the_learning_rate_and_the_step():
    x, y = line_points(n=8, seed=0)
    explorer = explore_gradient_descent(x, y, learning_rate=0.1, steps=20, start=(-2.0, 2.0))
    rate = explorer.controls["learning_rate"]
    assert "nnl-browser-move" in rate._dom_classes and "nnl-learning_rate" in rate._dom_classes
    rate.value = 0.3
    expected = descent_path(a_line(), x, y, learning_rate=0.3, steps=20, start=(-2.0, 2.0))
    np.testing.assert_allclose(explorer.run.path, expected.path)
    np.testing.assert_allclose(np.column_stack(explorer.artists["surface_path"].get_data()), expected.path)
    np.testing.assert_allclose(explorer.artists["curve_curve"].get_ydata(), expected.losses)

    explorer.controls["step"].value = 5  # walk back: the path is shown up to step 5
    np.testing.assert_allclose(np.column_stack(explorer.artists["surface_path"].get_data()), expected.path[:6])
    np.testing.assert_allclose(np.column_stack(explorer.artists["surface_end"].get_data()), expected.path[5:6])
    assert explorer.controls["play"].value == 5  # Play and the step slider are linked
    assert explorer.readout_text.startswith("step 5 of 20: weight = ")
    explorer.controls["play"].value = 7
    assert explorer.step == 7 and len(explorer.artists["surface_path"].get_xdata()) == 8


def test_explore_gradient_descent_says_in_words_when_the_run_diverges():
    x, y = line_points(n=8, seed=0)
    explorer = explore_gradient_descent(x, y, learning_rate=0.1, steps=30, start=(-2.0, 2.0))
    assert not explorer.artists["warning"].get_visible()
    explorer.controls["learning_rate"].value = 0.7
    k = explorer.run.diverged_at
    assert k == descent_path(a_line(), x, y, learning_rate=0.7, steps=30, start=(-2.0, 2.0)).diverged_at
    assert explorer.readout_text.startswith(f"Diverged at step {k}:")
    assert "any learning rate above 0.61 diverges" in explorer.readout_text
    assert explorer.artists["warning"].get_visible()
    assert explorer.artists["warning"].get_text() == f"diverged at step {k}"
    explorer.controls["step"].value = k - 1  # before the blow-up it is still an ordinary step
    assert not explorer.artists["warning"].get_visible() and explorer.readout_text.startswith(f"step {k - 1}")


def test_explore_gradient_descent_on_another_model_and_with_mini_batches():
    x, y = nl.datasets.plane(n=40, seed=0)
    model = nl.Sequential([nl.Dense(2, 1)], seed=0)
    explorer = explore_gradient_descent(x, y, model=model, learning_rate=0.05, steps=10, batch_size=4, seed=3,
                                        span=1.5, resolution=9)
    assert explorer.stable_limit is None
    assert explorer.surface.names == ("layer1.weights[0, 0]", "layer1.weights[1, 0]")
    expected = descent_path(model, x, y, learning_rate=0.05, steps=10, batch_size=4, seed=3,
                            start=explorer.start)
    np.testing.assert_allclose(explorer.run.path, expected.path)
    explorer.hide(["play"])
    assert explorer.controls["play"].layout.display == "none"


# ------------------------------------------------------------------------------------------------ browser canvas
def test_explore_gradient_descent_canvas_scene_follows_the_step_and_the_learning_rate():
    x, y = line_points(n=8, seed=0)
    explorer = explore_gradient_descent(x, y, learning_rate=0.1, steps=20, start=(-2.0, 2.0))
    assert explorer.canvas in explorer.widget.children
    assert explorer.controls["learning_rate"].continuous_update  # a rerun is cheap: live while dragging
    slow = descent_path(a_line(), x, y, learning_rate=0.1, steps=20, start=(-2.0, 2.0))

    sent = explorer.canvas.scenes_sent
    explorer.controls["step"].value = 5
    assert explorer.canvas.scenes_sent == sent + 1  # one scene per change
    width, height, panels, items, arrays = explorer.scene()
    assert all(a.dtype in (np.uint8, np.float32) for a in arrays.values())
    assert arrays["path"].dtype == np.float32 and arrays["path"].shape == (6, 2)  # the start and 5 steps
    np.testing.assert_allclose(arrays["path"], slow.path[:6], rtol=1e-6)
    np.testing.assert_allclose(arrays["here"], slow.path[5:6], rtol=1e-6)
    np.testing.assert_allclose(arrays["start"], [[-2.0, 2.0]])
    np.testing.assert_allclose(arrays["losses"], np.column_stack([np.arange(6), slow.losses[:6]]), rtol=1e-6)
    np.testing.assert_allclose(arrays["loss_here"], [[5, slow.losses[5]]], rtol=1e-6)
    title = f"learning rate 0.1, step 5: loss {slow.losses[5]:.3f}"
    assert panels[0]["title"] == explorer.artists["title"].get_text() == title
    curve_ax = explorer.artists["curve_curve"].axes
    assert panels[1]["ylog"] and panels[1]["ylim"] == list(curve_ax.get_ylim()) and panels[1]["xlim"] == [0.0, 20.0]
    assert not any(item["kind"] == "text" and item.get("bold") for item in items)  # no blow-up message

    explorer.controls["play"].value = 7  # a Play tick: one scene, the path sliced one step further
    assert explorer.canvas.scenes_sent == sent + 2 and explorer.scene()[4]["path"].shape == (8, 2)
    static = explorer.scene()[4]["surface"]
    explorer.controls["learning_rate"].value = 0.3  # a new run, shown up to the same step
    assert explorer.canvas.scenes_sent == sent + 3
    fast = descent_path(a_line(), x, y, learning_rate=0.3, steps=20, start=(-2.0, 2.0))
    arrays = explorer.scene()[4]
    np.testing.assert_allclose(arrays["path"], fast.path[:8], rtol=1e-6)
    np.testing.assert_allclose(arrays["losses"][:, 1], fast.losses[:8], rtol=1e-6)
    assert not np.allclose(arrays["path"], slow.path[:8])
    assert arrays["surface"] is static  # the surface and its level lines are made once, never per tick


def test_explore_gradient_descent_canvas_surface_matches_the_matplotlib_image():
    explorer = explore_gradient_descent(resolution=31)
    width, height, panels, items, arrays = explorer.scene()
    image = explorer.artists["surface_surface"]
    low, high = image.get_clim()
    assert (low, high) == explorer.surface.limits
    expected = np.clip(np.floor((np.asarray(image.get_array()) - low) * 256 / (high - low)), 0, 255)
    assert arrays["surface"].dtype == np.uint8 and arrays["surface"].shape == (31, 31)
    np.testing.assert_array_equal(arrays["surface"], expected.astype(np.uint8))
    # Through the canvas' viridis palette the pixels get matplotlib's colours (its bytes truncate, ours round).
    palette = np.frombuffer(explorer.canvas.palette_viridis, dtype=np.uint8).reshape(256, 4)
    drawn = palette[arrays["surface"]].astype(int)
    assert np.abs(drawn - image.to_rgba(image.get_array(), bytes=True).astype(int)).max() <= 1
    surface_item = [item for item in items if item["kind"] == "image"][0]
    assert surface_item["palette"] == "palette_viridis" and surface_item["extent"] == list(explorer.surface.extent)
    assert panels[0]["xlim"] == list(image.axes.get_xlim()) and panels[0]["ylim"] == list(image.axes.get_ylim())
    # The level lines: every piece of every line of matplotlib's contour set, as segments.
    lines = [line for level in explorer._contours.allsegs for line in level]
    assert arrays["contours"].shape == (sum(max(len(line) - 1, 0) for line in lines), 4)
    np.testing.assert_allclose(arrays["contours"][0], np.concatenate([lines[0][0], lines[0][1]]), rtol=1e-6)


def test_explore_gradient_descent_canvas_says_when_the_loss_blows_up():
    x, y = line_points(n=8, seed=0)
    explorer = explore_gradient_descent(x, y, learning_rate=0.7, steps=30, start=(-2.0, 2.0))
    k = explorer.run.diverged_at
    words = [item for item in explorer.scene()[3] if item["kind"] == "text" and item.get("bold")]
    assert [item["text"] for item in words] == [f"diverged at step {k}"] == [explorer.artists["warning"].get_text()]
    arrays = explorer.scene()[4]
    assert arrays["path"].shape == (k + 1, 2)  # the run stops where it blew up, though the slider says 30
    explorer.controls["step"].value = k - 1
    assert not [item for item in explorer.scene()[3] if item["kind"] == "text" and item.get("bold")]
    # A step far beyond float32's range (a wild model) is sent as inf, not a RuntimeWarning turned error.
    import dataclasses

    explorer.run = dataclasses.replace(explorer.run, path=explorer.run.path * 1e300)
    assert np.isinf(explorer.scene()[4]["path"][-1]).any()


def test_explore_gradient_descent_without_the_canvas_keeps_the_old_pictures():
    import base64

    from nnlearn.widgets.descent import GradientDescentExplorer

    explorer = explore_gradient_descent(canvas=False, steps=10)  # no browser canvas, no ipympl: a PNG image
    assert explorer.canvas is None and not explorer.controls["learning_rate"].continuous_update
    bundle = explorer._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    image = explorer._image
    before = image.value
    explorer.controls["step"].value = 3
    assert image.value != before and len(explorer.artists["surface_path"].get_xdata()) == 4
    assert explorer.scene()[4]["path"].shape == (4, 2)  # the scene can still be asked for

    from ipympl.backend_nbagg import Canvas

    live = GradientDescentExplorer(steps=10, live=True)  # live=True: ipympl, as before
    assert live.canvas is None and isinstance(live.figure.canvas, Canvas)
    assert live.figure.canvas in live.widget.children
    live.controls["step"].value = 2
    assert len(live.artists["surface_path"].get_xdata()) == 3

"""nnlearn.plots: the compute halves are checked by value, the draw halves by the data of their Agg artists."""

import json
import subprocess
import sys

import numpy as np
import pytest

import nnlearn as nl
from nnlearn import features, plots
from nnlearn.plots import _style
from nnlearn.plots.boundary import PointGroups, point_groups
from nnlearn.plots.curves import nice_ceiling


def linear_model(weights, bias, activation="identity"):
    """A one-layer model with weights set by hand."""
    model = nl.Sequential([nl.Dense(len(weights), 1, activation)])
    model.layers[0].weights[:, 0] = weights
    model.layers[0].bias[:] = bias
    return model


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@pytest.fixture
def ax():
    return plots.figure((4, 3)).add_subplot()


# ------------------------------------------------------------------------------------------------ imports
def test_compute_halves_and_import_nnlearn_load_neither_matplotlib_nor_ipywidgets():
    code = (
        "import sys, numpy as np, nnlearn as nl\n"
        "from nnlearn import plots, features\n"
        "model = nl.Sequential([nl.Dense(2, 3, 'tanh'), nl.Dense(3, 1, 'sigmoid')], seed=0)\n"
        "x, y = nl.datasets.moons(n=40, seed=0)\n"
        "plots.decision_boundary_data(model, x, resolution=10)\n"
        "plots.neuron_output_grids(model, x, resolution=5, features=['x1', 'x2'])\n"
        "plots.network_diagram_data(model, x[0])\n"
        "plots.loss_surface_data(model, x, y, 'bce', resolution=3, steps=2)\n"
        "plots.activation_curve_data('tanh', 0.5)\n"
        "plots.loss_curve_data([0.5, 0.4])\n"
        "plots.image_grid_data(np.zeros((2, 3, 3)))\n"
        "plots.neuron_plane_data([1.0, 2.0], 0.5)\n"
        "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------------------------------------ features
def test_features_hand_worked():
    x = np.array([[2.0, -1.0]])
    # x1 = 2, x2 = -1, x1^2 = 4, x2^2 = 1, x1*x2 = -2, sin x1 = sin 2, sin x2 = sin -1
    expected = [[2.0, -1.0, 4.0, 1.0, -2.0, np.sin(2.0), np.sin(-1.0)]]
    assert np.allclose(features.transform(x, features.names()), expected)
    assert features.names() == ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin x1", "sin x2"]


def test_feature_spellings_and_errors():
    assert features.FeatureMap(["X1", "x2²", "sin(x1)", "x1 * x2"]).names == ["x1", "x2^2", "sin x1", "x1*x2"]
    with pytest.raises(ValueError, match="Did you mean 'x1\\^2'"):
        features.FeatureMap(["x1^3"])
    with pytest.raises(ValueError, match="at least one"):
        features.FeatureMap([])
    with pytest.raises(ValueError, match="shape \\(n, 2\\)"):
        features.transform(np.zeros((3, 3)), ["x1"])


# ------------------------------------------------------------------------------------------------ grids
def test_grid_points_rows_go_up_in_x2():
    x1, x2, points = plots.grid_points((0, 2, 10, 11), 3)
    assert x1.tolist() == [0.0, 1.0, 2.0] and x2.tolist() == [10.0, 10.5, 11.0]
    assert points.reshape(3, 3, 2)[2, 0].tolist() == [0.0, 11.0]  # row 2 is the top, column 0 the left


def test_input_extent_pads_by_margin():
    assert plots.input_extent(np.array([[0.0, -1.0], [4.0, 1.0]]), margin=0.25) == (-1.0, 5.0, -1.5, 1.5)


def test_level_segments_of_a_linear_function_lie_on_its_line():
    axis = np.linspace(-1, 1, 21)
    grid_1, grid_2 = np.meshgrid(axis, axis)
    values = 2.0 * grid_1 - grid_2 + 0.3
    segments = plots.level_segments(values, axis, axis, 0.0)
    ends = segments.reshape(-1, 2)
    assert len(segments) > 10
    assert np.allclose(2.0 * ends[:, 0] - ends[:, 1] + 0.3, 0.0)


def test_level_segments_saddle_and_empty():
    axis = np.array([0.0, 1.0])
    saddle = np.array([[1.0, 0.0], [0.0, 1.0]])  # corners above and below alternate: two segments
    assert plots.level_segments(saddle, axis, axis, 0.5).shape == (2, 2, 2)
    assert plots.level_segments(np.ones((2, 2)), axis, axis, 0.5).shape == (0, 2, 2)


# ------------------------------------------------------------------------------------------------ boundary
def test_decision_surface_of_a_known_linear_model():
    model = linear_model([1.0, 2.0], 0.5)
    data = plots.decision_boundary_data(model, extent=(0, 1, 0, 1), resolution=3)
    # values[j, i] = 1 * x1[i] + 2 * x2[j] + 0.5; e.g. top right: 1 + 2 + 0.5 = 3.5
    expected = np.array([[0.5, 1.0, 1.5], [1.5, 2.0, 2.5], [2.5, 3.0, 3.5]])
    assert data.kind == "regression"
    assert np.allclose(data.values, expected)
    assert data.classes is None and data["limits"] == (-3.5, 3.5)


def test_binary_surface_boundary_is_where_z_is_zero():
    model = linear_model([1.0, -1.0], 0.23, "sigmoid")  # 0.23: no grid point lies exactly on the line
    data = plots.decision_boundary_data(model, extent=(-1, 1, -1, 1), resolution=41)
    z = data.x1[None, :] - data.x2[:, None] + 0.23
    assert data.kind == "binary" and data.n_classes == 2
    assert np.allclose(data.values, sigmoid(z))
    assert np.array_equal(data.classes, (z > 0).astype(int))
    ends = data.boundary.reshape(-1, 2)
    assert len(ends) and np.allclose(sigmoid(ends[:, 0] - ends[:, 1] + 0.23), 0.5, atol=2e-3)


def test_multiclass_surface():
    model = nl.Sequential([nl.Dense(2, 3, "softmax")], seed=1)
    data = plots.decision_boundary_data(model, np.random.default_rng(0).normal(size=(30, 2)), resolution=20)
    assert data.kind == "multiclass" and data.probabilities.shape == (20, 20, 3)
    assert np.allclose(data.probabilities.sum(-1), 1.0)
    assert np.array_equal(data.classes, data.probabilities.argmax(-1))
    assert np.allclose(data.values, data.probabilities.max(-1))
    assert len(data.boundary) > 0


def test_surface_through_features_draws_a_circle():
    # sigmoid(x1^2 + x2^2 - 1): the boundary is the unit circle
    model = linear_model([1.0, 1.0], -1.0, "sigmoid")
    data = plots.decision_boundary_data(model, extent=(-2, 2, -2, 2), resolution=81, features=["x1^2", "x2^2"])
    radius = np.linalg.norm(data.boundary.reshape(-1, 2), axis=1)
    assert np.allclose(radius, 1.0, atol=0.01)


def test_kind_can_be_given():
    model = linear_model([1.0, 1.0], 0.0)
    assert plots.decision_boundary_data(model, resolution=4, kind="classification").kind == "binary"
    with pytest.raises(ValueError, match="kind must be"):
        plots.decision_boundary_data(model, resolution=4, kind="clusters")


def test_neuron_output_grids_layer_by_layer():
    model = nl.Sequential([nl.Dense(3, 4, "tanh"), nl.Dropout(0.5), nl.Dense(4, 2, "softmax")], seed=0)
    grids = plots.neuron_output_grids(model, extent=(-1, 1, -1, 1), resolution=6, features=["x1", "x2", "x1*x2"])
    assert [g.shape for g in grids.layers] == [(3, 6, 6), (4, 6, 6), (2, 6, 6)]
    _, _, points = plots.grid_points((-1, 1, -1, 1), 6)
    inputs = features.transform(points, ["x1", "x2", "x1*x2"])
    assert np.allclose(grids.layers[0][2], inputs[:, 2].reshape(6, 6))  # the x1*x2 feature over the plane
    assert np.allclose(grids.layers[1][0], np.tanh(inputs @ model.layers[0].weights + model.layers[0].bias)[:, 0]
                       .reshape(6, 6))
    assert np.allclose(grids.output, model.predict(inputs))  # dropout is off, as in predict


# ------------------------------------------------------------------------------------------------ network
def test_diagram_edge_widths_are_proportional_to_weight_size():
    model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=3)
    data = plots.network_diagram_data(model, max_width=8.0)
    weights = np.concatenate([model.layers[0].weights.ravel(), model.layers[1].weights.ravel()])
    assert np.allclose(data.weights, weights)
    assert np.allclose(data.widths, 8.0 * np.abs(weights) / np.abs(weights).max())
    assert np.array_equal(np.sign(data.colors), np.sign(weights))
    assert data.layer_sizes == [2, 3, 1] and data.segments.shape == (9, 2, 2)
    for (layer, i, j), w in zip(data.edge_index, data.weights):
        assert model.layers[layer].weights[i, j] == w


def test_diagram_hand_worked_neuron_with_live_values():
    neuron = nl.Neuron(weights=[2.0, -1.0], bias=0.5, activation="relu")
    data = plots.network_diagram_data(neuron, x=[1.0, 3.0], scale=4.0, max_width=4.0)
    # widths = 4 * |w| / 4 = |w|; node values: inputs 1 and 3, output relu(2*1 - 1*3 + 0.5) = relu(-0.5) = 0
    assert data.widths.tolist() == [2.0, 1.0]
    assert data.colors.tolist() == [0.5, -0.25]
    assert data.node_values.tolist() == [1.0, 3.0, 0.0]
    assert data.positions.tolist() == [[0.0, 0.5], [0.0, -0.5], [1.0, 0.0]]


def test_diagram_gradients_mode():
    model = nl.Sequential([nl.Dense(2, 2, "tanh"), nl.Dense(2, 1)], seed=0)
    x, y = np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([1.0, 0.0])
    model.loss_and_gradients(x, y, "mse")
    data = plots.network_diagram_data(model, show="gradients", max_width=1.0)
    gradients = np.concatenate([model.layers[0].grad_weights.ravel(), model.layers[1].grad_weights.ravel()])
    assert np.allclose(data.gradients, gradients)
    assert np.allclose(data.widths, np.abs(gradients) / np.abs(gradients).max())
    assert np.array_equal(np.sign(data.colors), -np.sign(gradients))  # the way a step moves each weight


# ------------------------------------------------------------------------------------------------ curves
def test_loss_curve_data_hand_worked():
    data = plots.loss_curve_data([0.9, 0.6, 0.45], [1.1, 0.8, 0.7])
    assert data.epochs.tolist() == [1, 2, 3]
    assert data.ylim == (0.0, 2.0)  # 1.1 * 1.05 = 1.155, rounded up to 2
    assert data.xlim == (0.0, 10.0)


def test_loss_curve_from_history():
    x, y = nl.datasets.gaussians(n=40, seed=0)
    model = nl.Sequential([nl.Dense(2, 1, "sigmoid")], seed=0)
    history = model.fit(x, y, "bce", epochs=3, validation_data=(x, y), progress=False)
    data = plots.loss_curve_data(history)
    assert np.allclose(data.train, history.loss) and np.allclose(data.test, history.val_loss)


@pytest.mark.parametrize(("value", "expected"), [(0.7, 1.0), (1.0, 1.0), (130, 200.0), (2.1, 2.5), (0, 1.0)])
def test_nice_ceiling(value, expected):
    assert nice_ceiling(value) == expected


# ------------------------------------------------------------------------------------------------ activation
@pytest.mark.parametrize("name", nl.activations.names())
def test_activation_curve_matches_the_registry(name):
    activation = nl.activations.get(name)
    data = plots.activation_curve_data(name, z=0.7, n=11)
    z = np.linspace(-5, 5, 11)
    if name == "softmax":  # shown for the first of two logits (z, 0)
        pair = np.stack([z, np.zeros_like(z)], -1)
        assert np.allclose(data.values, activation(pair)[:, 0])
    else:
        assert np.allclose(data.values, activation(z))
        assert np.allclose(data.derivative, activation.derivative(z))
    slope = (data.tangent[1, 1] - data.tangent[0, 1]) / (data.tangent[1, 0] - data.tangent[0, 0])
    assert np.isclose(slope, data.point_slope)
    assert data.ylim[0] < data.values.min() and data.ylim[1] > data.values.max()


# ------------------------------------------------------------------------------------------------ loss surface
def test_loss_surface_of_a_line_fit():
    # y = 2 x on x = 1, 2; model w x + b. Loss(w, b) = ((w + b - 2)^2 + (2w + b - 4)^2) / 2.
    model = linear_model([0.0], 0.0)
    x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])
    data = plots.loss_surface_data(model, x, y, "mse", [("layer1.weights", (0, 0)), ("layer1.bias", (0,))],
                                   center=(2.0, 0.0), span=1.0, resolution=3, steps=25, learning_rate=0.1)
    w, b = np.meshgrid(data.w1, data.w2)
    assert np.allclose(data.losses, ((w + b - 2) ** 2 + (2 * w + b - 4) ** 2) / 2)
    assert data.losses[1, 1] == 0.0  # w = 2, b = 0 fits exactly
    assert data.names == ("layer1.weights[0, 0]", "layer1.bias[0]")
    assert np.all(np.diff(data.path_losses) <= 1e-12) and data.path_losses[-1] < 1e-3  # it starts at the minimum
    assert model.layers[0].weights[0, 0] == 0.0 and model.layers[0].bias[0] == 0.0  # the model is put back


def test_loss_surface_descent_path_goes_downhill():
    model = linear_model([0.0], 0.0)
    x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])
    data = plots.loss_surface_data(model, x, y, "mse", [("layer1.weights", 0, 0), ("layer1.bias", 0)],
                                   resolution=5, steps=10, learning_rate=0.1)
    # first step from (0, 0): dL/dw = -(2 + 8) = -10, dL/db = -(2 + 4) = -6, so (0, 0) -> (1.0, 0.6)
    assert np.allclose(data.path[1], [1.0, 0.6])
    assert np.all(np.diff(data.path_losses) < 0)
    with pytest.raises(ValueError, match="Unknown parameter"):
        plots.loss_surface_data(model, x, y, "mse", [("layer9.weights", 0, 0), ("layer1.bias", 0)])


# ------------------------------------------------------------------------------------------------ images
def test_image_grid_places_tiles():
    images = np.arange(3 * 2 * 2, dtype=float).reshape(3, 2, 2)
    data = plots.image_grid_data(images, n_columns=2)
    assert data.mosaic.shape == (5, 5) and (data.n_rows, data.n_columns) == (2, 2)
    assert np.array_equal(data.mosaic[3:5, 0:2], images[2])
    assert np.isnan(data.mosaic[2]).all() and not data.diverging and data.limits == (0.0, 11.0)


def test_image_grid_filters_are_diverging_and_normalised_each():
    filters = np.array([[[[1.0, -2.0], [0.0, 0.5]]], [[[4.0, 0.0], [0.0, -1.0]]]])  # (out 2, in 1, 2, 2)
    data = plots.image_grid_data(filters, normalize="each")
    assert data.diverging and data.limits == (-1.0, 1.0)
    assert np.allclose(data.mosaic[0:2, 0:2], filters[0, 0] / 2.0)  # divided by its own largest |value|


# ------------------------------------------------------------------------------------------------ neuron
def test_weighted_sum_text_hand_worked():
    # z = 0.5*2 + (-1)*1 + 0.25 = 0.25; tanh(0.25) = 0.2449
    assert plots.weighted_sum_text([0.5, -1.0], [2.0, 1.0], 0.25, "tanh") == (
        "z = 0.50*2.00 + (-1.00)*1.00 + 0.25 = 0.25;  tanh(z) = 0.24")


def test_neuron_plane_data():
    data = plots.neuron_plane_data([1.0, -2.0, 0.5], 0.3, "sigmoid", inputs=[1.0, 0.0, 2.0],
                                   extent=(-1, 1, -1, 1), resolution=11)
    # inputs beyond x2 are held: z = x1 - 2 x2 + 0.5 * 2 + 0.3
    z = data.x1[None, :] - 2.0 * data.x2[:, None] + 1.3
    assert np.allclose(data.z, z) and np.allclose(data.outputs, sigmoid(z))
    assert np.allclose(data.zero_line[:, 0] - 2.0 * data.zero_line[:, 1] + 1.3, 0.0)
    assert data.point == (1.0, 0.0) and np.isclose(data.point_z, 1.0 + 1.0 + 0.3)
    assert data.center == 0.5 and np.isclose(sum(data.limits) / 2, 0.5)


# ------------------------------------------------------------------------------------------------ playground
def test_playground_layout_and_mosaic():
    layout = plots.playground_layout([2, 3, 1], thumbnail=4)
    slots = layout.slots
    assert slots.shape == (6, 4) and np.all(slots[:, 1] - slots[:, 0] == 4) and np.all(slots[:, 3] - slots[:, 2] == 4)
    covered = np.zeros(layout.mosaic_shape, int)
    for r0, r1, c0, c1 in slots:
        covered[r0:r1, c0:c1] += 1
    assert covered.max() == 1 and covered.sum() == 6 * 16  # thumbnails never overlap
    assert len(layout.segments) == 2 * 3 + 3 * 1
    model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=0)
    grids = plots.neuron_output_grids(model, resolution=4)
    mosaic = plots.thumbnail_mosaic(grids, layout, [(0.0, 2.0), (0.0, 1.0), (0.5, 0.5)])
    r0, r1, c0, c1 = slots[5]
    assert np.allclose(mosaic[r0:r1, c0:c1], (grids.layers[2][0] - 0.5) / 0.5)  # the output, scaled to [-1, 1]
    assert np.isnan(mosaic).sum() == mosaic.size - 6 * 16


# ------------------------------------------------------------------------------------------------ drawing
def test_style_colours():
    cmap = _style.colormap(_style.DIVERGING)
    low, middle, high = cmap(0.0), cmap(0.5), cmap(1.0)
    assert min(middle[:3]) > 0.9  # near white in the middle
    assert low[0] > low[2] and high[2] > high[0]  # orange for negative, blue for positive
    fig = plots.figure()
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert np.array_equal(_style.to_rgba8(np.array([[np.nan, 1.0]]), -1, 1)[0, 0], [0, 0, 0, 0])


def test_draw_and_update_decision_boundary(ax):
    model = linear_model([1.0, -1.0], 0.0, "sigmoid")
    x = np.array([[0.5, -0.5], [-0.5, 0.5], [0.2, 0.1]])
    y = np.array([1, 0, 1])
    data = plots.decision_boundary_data(model, x, resolution=30)
    artists = plots.draw_decision_boundary(ax, data, x, y)
    assert np.array_equal(artists["surface"].get_array(), data.values)
    assert np.allclose(np.array(artists["boundary"].get_segments()), data.boundary)
    assert np.allclose(artists["points"].get_offsets(), x)
    class_one = [line for line in artists["points"].lines if len(line.get_xdata()) == 2][0]
    assert np.allclose(class_one.get_xdata(), [0.5, 0.2])
    model.layers[0].bias[:] = 1.0
    new = plots.decision_boundary_data(model, x, resolution=30)
    plots.update_decision_boundary(artists, new, discretize=True)
    assert np.array_equal(artists["surface"].get_array(), new.classes.astype(float))
    ax.figure.canvas.draw()


def test_draw_regression_and_multiclass_surfaces(ax):
    regression = plots.decision_boundary_data(linear_model([1.0, 1.0], 0.0), resolution=10)
    artists = plots.draw_decision_boundary(ax, regression, np.zeros((2, 2)), np.array([-1.0, 1.0]))
    assert np.array_equal(artists["surface"].get_array(), regression.values)
    assert artists["surface"].get_clim() == regression.limits
    multi = plots.decision_boundary_data(nl.Sequential([nl.Dense(2, 3, "softmax")], seed=0), resolution=10)
    plots.update_decision_boundary(artists, multi)
    assert artists["surface"].get_array().shape == (10, 10, 3)  # RGB: one colour per class


def test_point_groups_hand_worked():
    groups, colors = point_groups(np.array([0, 2, 1, 2]), "multiclass", 3)
    assert groups.tolist() == [0, 2, 1, 2] and colors.shape == (3, 3)
    bands, _ = point_groups(np.array([-1.0, 0.0, 1.0]), "regression", limits=(-1.0, 1.0))
    assert bands.tolist() == [0, 5, 10]  # 11 bands over [-1, 1]: the ends and the middle


def test_point_groups_redraw_as_one_artist(ax):
    points = PointGroups(ax)
    points.set_points(np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([0, 1]), "binary")
    points.set_visible(False)
    assert [line.get_visible() for line in points.lines] == [False, False]
    points.set_points(None, None, "binary")
    assert all(len(line.get_xdata()) == 0 for line in points.lines)


def test_draw_and_update_network_diagram(ax):
    model = nl.Sequential([nl.Dense(2, 2, "tanh"), nl.Dense(2, 1)], seed=0)
    data = plots.network_diagram_data(model, x=[1.0, -1.0])
    artists = plots.draw_network_diagram(ax, data)
    assert np.allclose(artists["edges"].get_linewidths(), data.widths)
    assert np.allclose(artists["edges"].get_array(), data.colors)
    assert np.allclose(artists["nodes"].get_offsets(), data.positions)
    assert artists["values"][0].get_text() == "1.00"
    model.layers[0].weights *= -2.0
    new = plots.network_diagram_data(model, x=[1.0, -1.0])
    plots.update_network_diagram(artists, new)
    assert np.allclose(artists["edges"].get_linewidths(), new.widths)
    assert np.allclose(artists["nodes"].get_array(), new.node_values)


def test_draw_and_update_activation_curve(ax):
    artists = plots.draw_activation_curve(ax, plots.activation_curve_data("relu", z=-1.0))
    assert artists["point"].get_data() == ([-1.0], [0.0])
    plots.update_activation_curve(artists, plots.activation_curve_data("tanh", z=0.5))
    assert np.allclose(artists["point"].get_ydata(), np.tanh(0.5))
    assert np.allclose(artists["slope_point"].get_ydata(), 1 - np.tanh(0.5) ** 2)
    assert artists["title"].get_text() == "tanh"


def test_draw_and_update_loss_curve(ax):
    artists = plots.draw_loss_curve(ax, plots.loss_curve_data([0.8, 0.5], [0.9, 0.6]))
    assert artists["train"].get_ydata().tolist() == [0.8, 0.5]
    assert plots.update_loss_curve(artists, plots.loss_curve_data([0.8, 0.5, 0.4], [0.9, 0.6, 0.5])) is False
    assert artists["test"].get_ydata().tolist() == [0.9, 0.6, 0.5]
    assert plots.update_loss_curve(artists, plots.loss_curve_data(np.linspace(0.8, 0.1, 12))) is True  # 12 > 10
    assert ax.get_xlim() == (0.0, 20.0)


def test_draw_and_update_loss_surface(ax):
    model = linear_model([0.0], 0.0)
    x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])
    data = plots.loss_surface_data(model, x, y, "mse", resolution=4, steps=3,
                                   weights=[("layer1.weights", 0, 0), ("layer1.bias", 0)])
    artists = plots.draw_loss_surface(ax, data)
    assert np.array_equal(artists["surface"].get_array(), data.losses)
    assert np.allclose(np.column_stack(artists["path"].get_data()), data.path)
    model.layers[0].bias[:] = 1.0
    new = plots.loss_surface_data(model, x, y, "mse", resolution=4, steps=3,
                                  weights=[("layer1.weights", 0, 0), ("layer1.bias", 0)])
    plots.update_loss_surface(artists, new)
    assert np.allclose(np.column_stack(artists["path"].get_data()), new.path)


def test_draw_and_update_image_grid(ax):
    data = plots.image_grid_data(np.ones((4, 3, 3)))
    artists = plots.draw_image_grid(ax, data)
    assert np.array_equal(artists["image"].get_array(), data.mosaic, equal_nan=True)
    new = plots.image_grid_data(-np.ones((4, 3, 3)) * np.arange(1, 5)[:, None, None])
    plots.update_image_grid(artists, new)
    assert artists["image"].get_clim() == new.limits


def test_draw_and_update_neuron_plane(ax):
    data = plots.neuron_plane_data([1.0, 1.0], 0.0, "tanh", [0.5, 0.5])
    artists = plots.draw_neuron_plane(ax, data)
    assert np.array_equal(artists["outputs"].get_array(), data.outputs)
    new = plots.neuron_plane_data([1.0, -1.0], 0.5, "tanh", [0.5, 0.5])
    plots.update_neuron_plane(artists, new)
    assert np.array_equal(artists["outputs"].get_array(), new.outputs)
    assert np.allclose(np.column_stack(artists["zero_line"].get_data()), new.zero_line)


def test_plot_data_records_act_like_dicts():
    data = plots.activation_curve_data("relu")
    assert data["name"] == "relu" and "tangent" in data and "z" in data.keys()
    with pytest.raises(KeyError, match="has no"):
        data["colour"]
    json.dumps({key: np.asarray(data[key]).tolist() for key in data.keys()})

"""Pictures of a layer (nnlearn/plots/layers.py): each unit's z = 0 line, matrices drawn with their numbers,
and the hidden-units figure of lesson 04."""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.plots import layers as pictures
from nnlearn.plots._style import figure


def layer_with(weights, bias):
    layer = nl.Dense(2, len(bias))
    layer.weights[:] = weights
    layer.bias[:] = bias
    return layer


def test_unit_lines_hand_worked():
    box = (-1.0, 1.0, -2.0, 2.0)
    # unit 1: x1 - 0.5 = 0 (vertical at x1 = 0.5); unit 2: x2 + 1 = 0 (horizontal at x2 = -1);
    # unit 3: x1 + x2 - 5 = 0 misses the box; unit 4: 2 x1 - x2 = 0 runs from (-1, -2) to (1, 2), corner to corner.
    layer = layer_with([[1.0, 0.0, 1.0, 2.0], [0.0, 1.0, 1.0, -1.0]], [-0.5, 1.0, -5.0, 0.0])
    data = pictures.unit_lines_data(layer, box)
    assert sorted(map(tuple, data.segments[0][0])) == [(0.5, -2.0), (0.5, 2.0)]
    assert sorted(map(tuple, data.segments[1][0])) == [(-1.0, -1.0), (1.0, -1.0)]
    assert data.segments[2].shape == (0, 2, 2) and np.isnan(data.label_points[2]).all()
    assert sorted(map(tuple, data.segments[3][0])) == [(-1.0, -2.0), (1.0, 2.0)]
    assert data.labels == ["unit 1", "unit 2", "unit 3", "unit 4"]


def test_every_end_of_a_unit_line_has_z_zero_and_lies_on_the_box():
    layer = nl.Dense(2, 6, seed=3)
    box = (-2.0, 3.0, -1.0, 1.5)
    data = pictures.unit_lines_data(layer, box)
    for j, segments in enumerate(data.segments):
        for point in segments.reshape(-1, 2):
            assert point @ layer.weights[:, j] + layer.bias[j] == pytest.approx(0.0, abs=1e-12)
            on_edge = np.isclose(point[0], box[:2]).any() or np.isclose(point[1], box[2:]).any()
            assert on_edge and box[0] - 1e-12 <= point[0] <= box[1] + 1e-12


def test_unit_lines_need_two_inputs():
    with pytest.raises(ValueError, match=r"\(2, n_units\)"):
        pictures.unit_lines_data(nl.Dense(3, 2), (-1, 1, -1, 1))


def test_draw_and_update_unit_lines():
    box = (-1.0, 1.0, -1.0, 1.0)
    ax = figure().add_subplot()
    artists = pictures.draw_unit_lines(ax, pictures.unit_lines_data(layer_with([[1.0, 0.0], [0.0, 1.0]], [0, 0]), box))
    moved = pictures.unit_lines_data(layer_with([[1.0, 0.0], [0.0, 1.0]], [-0.5, 5.0]), box)  # unit 2 leaves the box
    pictures.update_unit_lines(artists, moved)
    np.testing.assert_allclose(np.array(artists["lines"][0].get_segments()), moved.segments[0])
    assert len(artists["lines"][1].get_segments()) == 0
    assert artists["labels"][0].get_visible() and not artists["labels"][1].get_visible()
    np.testing.assert_allclose(artists["labels"][0].get_position(), moved.label_points[0])
    with pytest.raises(ValueError, match="show 2 units but the data has 1"):
        pictures.update_unit_lines(artists, pictures.unit_lines_data(nl.Dense(2, 1), box))


def test_draw_matrix_writes_every_number_and_keeps_one_colour_scale():
    ax = figure().add_subplot()
    artists = pictures.draw_matrix(ax, np.array([0.0, 1.0, -0.5]), "b", digits=1, limit=2.0, n_rows=4)
    assert [t.get_text() for t in artists["texts"]] == ["0.0", "1.0", "-0.5"]
    assert artists["image"].get_clim() == (-2.0, 2.0)
    assert ax.get_title() == "b (3,)"  # the shape as the code sees it
    assert ax.get_ylim() == (3.5, -0.5)  # four rows tall, so cells match a (4, n) matrix beside it
    artists = pictures.draw_matrix(figure().add_subplot(), [[1.0, -3.0], [2.0, 0.0]])
    assert artists["image"].get_clim() == (-3.0, 3.0)
    np.testing.assert_allclose(artists["image"].get_array(), [[1.0, -3.0], [2.0, 0.0]])


def test_hidden_units_figure_draws_each_unit_and_the_network():
    x, y = nl.datasets.xor(n=60, seed=0)
    model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1, "sigmoid")], seed=1)
    fig = pictures.hidden_units_figure(model, x, y, resolution=20)
    axes = fig.get_axes()
    assert [ax.get_title() for ax in axes[:3]] == ["unit 1", "unit 2", "unit 3"]
    big = axes[-1]
    lines = pictures.unit_lines_data(model.layers[0], big.get_xlim() + big.get_ylim())
    drawn = [c for c in big.collections if len(c.get_segments()) == 1 and c.get_linestyle()[0][1] is not None]
    assert len(drawn) == 3
    for collection, segments in zip(drawn, lines.segments):
        np.testing.assert_allclose(np.array(collection.get_segments()), segments)
    with pytest.raises(ValueError, match="two inputs"):
        pictures.hidden_units_figure(nl.Sequential([nl.Dense(3, 2), nl.Dense(2, 1)]), np.zeros((2, 3)), [0, 1])

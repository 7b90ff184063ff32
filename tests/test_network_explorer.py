"""Values flowing through a network: the compute half (plots/flow.py) and the explorer's wiring (widgets/network.py).

Wiring tests set a control's ``.value`` and assert that the artists show what the compute half returns.
"""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.plots import flow
from nnlearn.plots._style import figure
from nnlearn.widgets.network import explore_network


def small_model():
    """2 inputs -> 2 relu units -> 1 identity output, with weights chosen so the arithmetic is easy by hand."""
    model = nl.Sequential([nl.Dense(2, 2, "relu"), nl.Dense(2, 1)])
    model.layers[0].weights[:] = [[1.0, -1.0], [2.0, 0.5]]
    model.layers[0].bias[:] = [0.5, 0.0]
    model.layers[1].weights[:] = [[2.0], [-3.0]]
    model.layers[1].bias[:] = [1.0]
    return model


def test_flow_hand_worked_example():
    # x = (1, 1): h1.1 = relu(1*1 + 2*1 + 0.5) = 3.5; h1.2 = relu(-1*1 + 0.5*1 + 0) = relu(-0.5) = 0
    # out1 = 2*3.5 + (-3)*0 + 1 = 8
    data = flow.network_flow_data(small_model(), [1.0, 1.0])
    np.testing.assert_allclose(data.diagram.node_values, [1.0, 1.0, 3.5, 0.0, 8.0])
    np.testing.assert_allclose(data.z[2:], [3.5, -0.5, 8.0])
    assert np.isnan(data.z[:2]).all()
    assert data.node == 4 and data.incoming.tolist() == [4, 5]  # edges h1.1 -> out1 and h1.2 -> out1
    assert data.formula == "out1 = 2.00*3.50 + (-3.00)*0.00 + 1.00 = 8.00"
    assert flow.network_flow_data(small_model(), [1.0, 1.0], "h1.2").formula == (
        "h1.2 = relu((-1.00)*1.00 + 0.50*1.00 + 0.00) = relu(-0.50) = 0.00")


def test_flow_agrees_with_predict_and_rejects_unknown_nodes():
    model = nl.Sequential([nl.Dense(3, 4, "tanh"), nl.Dense(4, 2, "sigmoid")], seed=3)
    x = np.array([0.3, -1.2, 2.0])
    data = flow.network_flow_data(model, x)
    np.testing.assert_allclose(data.diagram.node_values[-2:], model.predict(x[None])[0])
    assert len(data.formulas) == 3 + 4 + 2
    with pytest.raises(ValueError, match="Unknown node 'h9'"):
        flow.network_flow_data(model, x, "h9")
    with pytest.raises(ValueError, match="between 0 and 8"):
        flow.network_flow_data(model, x, 12)


def test_unit_formula_shortens_long_sums():
    weights, inputs = np.arange(1.0, 7.0), np.ones(6)
    text = flow.unit_formula("h", weights, inputs, [f"x{i}" for i in range(6)], 0.0, "identity", max_terms=4)
    # shown: 1*1, 2*1, 3*1, then 4 + 5 = 9 hidden, then 6*1; z = 21
    assert text == "h = 1.00*1.00 + 2.00*1.00 + 3.00*1.00 + ... (2 more: 9.00) + 6.00*1.00 + 0.00 = 21.00"


def test_draw_network_flow_outlines_the_chosen_units_edges():
    data = flow.network_flow_data(small_model(), [1.0, 1.0], "h1.1")
    artists = flow.draw_network_flow(figure().add_subplot(), data)
    # h1.1 (node 2) receives edges 0 (x1 -> h1.1, weight 1) and 2 (x2 -> h1.1, weight 2).
    assert data.incoming.tolist() == [0, 2]
    np.testing.assert_allclose(np.array(artists["highlight"].get_segments()), data.diagram.segments[[0, 2]])
    shown = [t.get_text() for t in artists["weight_labels"] if t.get_visible()]
    assert shown == ["1.00", "2.00"]
    assert [t.get_text() for t in artists["values"]] == ["1.00", "1.00", "3.50", "0.00", "8.00"]
    np.testing.assert_allclose(np.column_stack(artists["ring"].get_data()), [data.diagram.positions[2]])


def test_moving_an_input_slider_updates_values_readout_and_marker():
    explorer = explore_network(small_model(), x=[1.0, 1.0], live=False)
    assert explorer.readout_text == "out1 = 2.00*3.50 + (-3.00)*0.00 + 1.00 = 8.00"
    explorer.controls["x2"].value = -1.0
    # x = (1, -1): h1.1 = relu(1 - 2 + 0.5) = 0; h1.2 = relu(-1 - 0.5) = 0; out1 = 1
    expected = flow.network_flow_data(small_model(), [1.0, -1.0])
    assert [t.get_text() for t in explorer.artists["values"]] == ["1.00", "-1.00", "0.00", "0.00", "1.00"]
    np.testing.assert_allclose(explorer.artists["nodes"].get_array(), expected.diagram.node_values)
    assert explorer.readout_text == expected.formula == "out1 = 2.00*0.00 + (-3.00)*0.00 + 1.00 = 1.00"
    np.testing.assert_allclose(np.column_stack(explorer.artists["input_marker"].get_data()), [[1.0, -1.0]])


def test_picking_a_unit_writes_its_arithmetic():
    explorer = explore_network(small_model(), x=[1.0, 1.0], live=False)
    labels = [label for label, _ in explorer.controls["node"].options]
    assert labels == ["h1.1", "h1.2", "out1"]  # inputs are not units
    explorer.controls["node"].value = 3
    assert explorer.readout_text == "h1.2 = relu((-1.00)*1.00 + 0.50*1.00 + 0.00) = relu(-0.50) = 0.00"
    np.testing.assert_allclose(np.array(explorer.artists["highlight"].get_segments()),
                               explorer.flow.diagram.segments[[1, 3]])


def test_one_control_is_marked_for_the_browser_and_the_png_fallback_exists():
    explorer = explore_network(small_model(), live=False)
    marked = [name for name, control in explorer.controls.items() if "nnl-browser-move" in control._dom_classes]
    assert marked == ["x1"]
    assert "nnl-explorer" in explorer.widget._dom_classes
    bundle = explorer._repr_mimebundle_()
    assert bundle["image/png"] and bundle["text/plain"].startswith("<NetworkExplorer:")


def test_plane_panel_shows_the_models_surface_for_two_inputs_only():
    model = small_model()
    explorer = explore_network(model, x=[0.0, 0.0], input_range=(-1.0, 1.0), live=False)
    surface = explorer.artists["surface"].get_array()
    # The surface is the model's output over the grid: its corner (x1, x2) = (-1, -1) gives
    # h1.1 = relu(-1 - 2 + 0.5) = 0, h1.2 = relu(1 - 0.5) = 0.5, out = -1.5 + 1 = -0.5.
    assert surface[0, 0] == pytest.approx(-0.5)
    three = nl.Sequential([nl.Dense(3, 2, "relu"), nl.Dense(2, 1)], seed=0)
    assert "surface" not in explore_network(three, live=False).artists
    with pytest.raises(ValueError, match="2 inputs"):
        explore_network(three, show_plane=True, live=False)
    with pytest.raises(ValueError, match="needs 2 numbers"):
        explore_network(model, x=[1.0, 2.0, 3.0], live=False)


# ---------------------------------------------------------------------------------------------------- browser canvas
def test_canvas_scene_shows_the_flow_as_the_matplotlib_figure_does():
    explorer = explore_network(small_model(), x=[1.0, 1.0], input_range=(-1.0, 1.0))
    assert explorer.canvas in explorer.widget.children
    width, height, panels, items, arrays = explorer.scene()
    assert (width, height) == explorer.figure.canvas.get_width_height()
    assert all(a.dtype in (np.uint8, np.float32) for a in arrays.values())
    assert {item["buffer"] for item in items if "buffer" in item} <= set(arrays)
    # Nodes x1, x2, h1.1, h1.2, out1 = 1, 1, 3.5, 0, 8 (the hand-worked example), coloured on -8 .. 8.
    assert arrays["nodes"].shape == (5, 2) and arrays["node_values"].dtype == np.float32
    np.testing.assert_allclose(arrays["node_values"], np.array([1.0, 1.0, 3.5, 0.0, 8.0]) / 8.0)
    shown = [item["text"] for item in items if item["kind"] == "text" and item.get("baseline") == "middle"
             and "background" not in item]
    assert shown == ["1.00", "1.00", "3.50", "0.00", "8.00"] == [t.get_text() for t in explorer.artists["values"]]
    diagram = explorer.flow.diagram
    np.testing.assert_allclose(arrays["edges"], diagram.segments.reshape(-1, 4))
    np.testing.assert_allclose(arrays["edge_values"], diagram.colors)  # weight / largest |weight| = w / 3
    np.testing.assert_allclose(arrays["edge_values"], np.array([1.0, -1.0, 2.0, 0.5, 2.0, -3.0]) / 3.0, rtol=1e-6)
    np.testing.assert_allclose(arrays["edge_widths"], diagram.widths * explorer.figure.dpi / 72, rtol=1e-6)
    # out1 is chosen: its incoming edges (4 and 5) are outlined and labelled with their weights, as in matplotlib.
    np.testing.assert_allclose(arrays["highlight"], diagram.segments[[4, 5]].reshape(-1, 4))
    labels = [item["text"] for item in items if "background" in item]
    assert labels == ["2.00", "-3.00"] == [t.get_text() for t in explorer.artists["weight_labels"] if t.get_visible()]
    np.testing.assert_allclose(arrays["ring"], [diagram.positions[4]])
    # The plane: the model's surface in the palette rows matplotlib picks, the input as a star.
    surface = explorer.artists["surface"].get_array()
    low, high = explorer.surface.limits
    expected = np.clip(np.floor((surface - low) * 256 / (high - low)), 0, 255).astype(np.uint8)
    assert arrays["surface"].shape == (80, 80) and np.array_equal(arrays["surface"], expected)
    assert panels[1]["xlim"] == [-1.0, 1.0] and panels[1]["ylim"] == [-1.0, 1.0]
    assert panels[0]["xlim"] == list(explorer.artists["edges"].axes.get_xlim())
    np.testing.assert_allclose(arrays["input"], [[1.0, 1.0]])
    assert [item.get("shape") for item in items if item.get("buffer") == "input"] == ["star"]


def test_canvas_scene_follows_every_control():
    explorer = explore_network(small_model(), x=[1.0, 1.0])
    for name, value in (("x2", -1.0), ("x1", 0.5), ("node", 3)):
        sent = explorer.canvas.scenes_sent
        explorer.controls[name].value = value
        assert explorer.canvas.scenes_sent == sent + 1, name  # exactly one scene per change
    _, _, _, items, arrays = explorer.scene()
    # x = (0.5, -1): h1.1 = relu(0.5 - 2 + 0.5) = 0, h1.2 = relu(-0.5 - 0.5) = 0, out1 = 1; h1.2 is chosen.
    np.testing.assert_allclose(arrays["node_values"], np.array([0.5, -1.0, 0.0, 0.0, 1.0]) / 1.0)
    np.testing.assert_allclose(arrays["input"], [[0.5, -1.0]])
    np.testing.assert_allclose(arrays["ring"], [explorer.flow.diagram.positions[3]])
    assert [item["text"] for item in items if "background" in item] == ["-1.00", "0.50"]  # weights into h1.2
    assert explorer.readout_text == "h1.2 = relu((-1.00)*0.50 + 0.50*(-1.00) + 0.00) = relu(-1.00) = 0.00"


def test_canvas_for_other_models_and_without_a_canvas():
    three = nl.Sequential([nl.Dense(3, 2, "relu"), nl.Dense(2, 1)], seed=0)
    width, height, panels, items, arrays = explore_network(three).scene()
    assert len(panels) == 1 and "surface" not in arrays and arrays["nodes"].shape == (6, 2)
    # Three classes: the surface is sent as the RGBA colours matplotlib shows.
    classes = nl.Sequential([nl.Dense(2, 4, "tanh"), nl.Dense(4, 3, "softmax")], seed=1)
    x = np.random.default_rng(0).normal(size=(30, 2))
    explorer = explore_network(classes, data=(x, np.arange(30) % 3))
    arrays = explorer.scene()[4]
    rgb = explorer.artists["surface"].get_array()
    assert arrays["surface"].shape == (80, 80, 4) and arrays["surface"].dtype == np.uint8
    assert np.array_equal(arrays["surface"][..., :3], np.round(rgb * 255).astype(np.uint8))
    assert sum(len(arrays[f"points_{k}"]) for k in range(3)) == 30
    np.testing.assert_allclose(arrays["points_2"], x[2::3])
    static = explore_network(small_model(), x=[1.0, 1.0], canvas=False)
    assert static.canvas is None
    bundle = static._repr_mimebundle_()
    assert bundle["image/png"]
    static.controls["x1"].value = -1.0
    np.testing.assert_allclose(np.column_stack(static.artists["input_marker"].get_data()), [[-1.0, 1.0]])

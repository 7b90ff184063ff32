"""The computational graph (nnlearn/graph.py), its picture (plots/graph.py) and explore_backprop's wiring.

The graph's numbers are checked three ways: a hand-worked example, nl.Dense.backward / Sequential on the same
weights, and central finite differences for every node.
"""

import math

import ipywidgets as widgets
import numpy as np
import pytest

import nnlearn as nl
from nnlearn.graph import ACTIVATIONS, OPERATIONS, Graph, network_graph, neuron_graph
from nnlearn.plots._style import figure
from nnlearn.plots.graph import GRADIENT_COLOR, draw_graph, graph_picture_data, node_formula, update_graph
from nnlearn.widgets.backprop import explore_backprop


# ------------------------------------------------------------------------------------------- hand-worked
def test_hand_worked_relu_neuron():
    g = neuron_graph(x=[3.0, -1.0], weights=[0.5, 2.0], bias=1.0, target=1.0, activation="relu")
    # forward: p1 = 0.5*3 = 1.5;  p2 = 2*(-1) = -2;  z = 1.5 - 2 + 1 = 0.5;  a = relu(0.5) = 0.5
    #          e = a - t = -0.5;  L = e^2 = 0.25
    values = g.values()
    assert [values[n] for n in ("p1", "p2", "z", "a", "e", "L")] == [1.5, -2.0, 0.5, 0.5, -0.5, 0.25]
    # backward: dL/dL = 1;  dL/de = 1 * 2e = -1;  dL/da = -1 * 1 = -1;  dL/dz = -1 * relu'(0.5) = -1 * 1 = -1
    #           a sum passes it on: dL/dp1 = dL/dp2 = dL/db = -1
    #           dL/dw1 = dL/dp1 * x1 = -3;  dL/dx1 = dL/dp1 * w1 = -0.5
    #           dL/dw2 = dL/dp2 * x2 = 1;   dL/dx2 = dL/dp2 * w2 = -2
    expected = {"L": 1.0, "e": -1.0, "a": -1.0, "z": -1.0, "p1": -1.0, "p2": -1.0, "b": -1.0,
                "w1": -3.0, "x1": -0.5, "w2": 1.0, "x2": -2.0}
    assert g.gradients() == expected
    # the local gradient on each edge: d child / d parent
    local = {(e.parent, e.child): e.local_gradient for e in g.edges()}
    assert local[("w1", "p1")] == 3.0 and local[("x1", "p1")] == 0.5  # the other factor
    assert local[("z", "a")] == 1.0 and local[("t", "e")] == -1.0 and local[("e", "L")] == -1.0  # 2e


def test_relu_blocks_the_gradient_when_z_is_negative():
    # z = 0.5*3 + 2*(-1) - 1 = -1.5 < 0: relu'(z) = 0, so nothing reaches the weights
    g = neuron_graph(x=[3.0, -1.0], weights=[0.5, 2.0], bias=-1.0, target=1.0, activation="relu")
    assert g.value("a") == 0.0 and g.gradient("a") == -2.0  # dL/da = 2(0 - 1)
    assert g.gradient("z") == 0.0 and g.gradient("w1") == 0.0 and g.gradient("b") == 0.0


def test_steps_are_the_chain_rule_in_order():
    g = neuron_graph()
    steps = g.backward()
    order = [s.node for s in steps]
    assert order == ["L", "e", "a", "z", "p1", "b", "p2", "w1", "x1", "w2", "x2"]  # no step for the target
    assert steps[0].terms == () and steps[0].gradient == 1.0
    position = {name: k for k, name in enumerate(order)}
    for step in steps[1:]:
        # every node it feeds was visited first, and its gradient is the sum of products
        assert all(position[child] < position[step.node] for child, _, _ in step.terms)
        assert step.gradient == pytest.approx(sum(g_child * local for _, g_child, local in step.terms))
    z_step = steps[3]
    assert z_step.terms == (("a", steps[2].gradient, g.node("a").local_gradients[0]),)
    assert z_step.formula().startswith("∂L/∂z = ∂L/∂a × ∂a/∂z = ")


def test_a_node_feeding_two_others_adds_both_paths():
    # x1 -> h1 = 2 x1, h2 = -x1 -> out = 3 h1 + h2; x1 = 1, t = 4: out = 5, dL/dout = 2
    # dL/dx1 = 2*3*2 (through h1) + 2*1*(-1) (through h2) = 12 - 2 = 10
    model = nl.Sequential([nl.Dense(1, 2), nl.Dense(2, 1)])
    model.layers[0].weights[:] = [[2.0, -1.0]]
    model.layers[0].bias[:] = 0.0
    model.layers[1].weights[:] = [[3.0], [1.0]]
    model.layers[1].bias[:] = 0.0
    g = network_graph(model, [1.0], 4.0)
    step = next(s for s in g.backward() if s.node == "x1")
    assert len(step.terms) == 2 and step.gradient == 10.0
    assert " + " in step.formula()
    model.forward(np.array([[1.0]]))
    assert model.backward(np.array([[2.0]])).tolist() == [[10.0]]  # Dense.backward sums the paths too


# ------------------------------------------------------------------------------ against Dense and the network
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_neuron_graph_matches_dense_backward(activation):
    x, weights, bias, target = [1.5, -0.5], [0.8, -0.4], 0.1, 1.0
    g = neuron_graph(x, weights, bias, target, activation)
    layer = nl.Dense(2, 1, activation)
    layer.weights[:] = np.reshape(weights, (2, 1))
    layer.bias[:] = bias
    out = layer.forward(np.array([x]))
    mse = nl.losses.get("mse")
    grad_x = layer.backward(mse.gradient(out, np.array([[target]])))
    assert g.value("a") == pytest.approx(out[0, 0], abs=1e-12)
    assert g.loss == pytest.approx(mse(out, np.array([[target]])), abs=1e-12)
    grads = g.gradients_by_parameter()
    np.testing.assert_allclose(grads["layer1.weights"], layer.grad_weights, atol=1e-12)
    np.testing.assert_allclose(grads["layer1.bias"], layer.grad_bias, atol=1e-12)
    np.testing.assert_allclose([g.gradient("x1"), g.gradient("x2")], grad_x[0], atol=1e-12)


@pytest.mark.parametrize("sizes, activations", [
    ([2, 2, 1], ["tanh", "sigmoid"]),
    ([2, 3, 2], ["relu", "identity"]),
    ([3, 2, 2, 1], ["sigmoid", "tanh", "identity"]),
])
def test_network_graph_matches_sequential(sizes, activations):
    model = nl.Sequential([nl.Dense(a, b, act) for a, b, act in zip(sizes, sizes[1:], activations)], seed=3)
    x = np.linspace(-1.0, 1.2, sizes[0])
    target = np.linspace(0.2, 0.9, sizes[-1])
    g = network_graph(model, x, target)
    loss = model.loss_and_gradients(x[None], target[None], "mse")
    grad_x = model.backward(nl.losses.get("mse").gradient(model.forward(x[None]), target[None]))
    assert g.loss == pytest.approx(loss, abs=1e-12)
    grads = g.gradients_by_parameter()
    for k, layer in enumerate(model.layers, start=1):
        np.testing.assert_allclose(grads[f"layer{k}.weights"], layer.grad_weights, atol=1e-12)
        np.testing.assert_allclose(grads[f"layer{k}.bias"], layer.grad_bias, atol=1e-12)
    np.testing.assert_allclose([g.gradient(f"x{i + 1}") for i in range(sizes[0])], grad_x[0], atol=1e-12)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_gradient_matches_finite_differences(activation):
    g = neuron_graph(x=[1.2, -0.7], weights=[0.6, 1.1], bias=-0.3, target=0.5, activation=activation)
    checked = g.check_gradients()
    assert set(checked) == set(g.backward_order()) and len(checked) == 11
    for name, (backprop, numeric) in checked.items():
        assert backprop == pytest.approx(numeric, abs=1e-7), name
    # checking leaves nothing nudged behind
    assert g.value("w1") == 0.6 and g.loss == pytest.approx(neuron_graph(
        x=[1.2, -0.7], weights=[0.6, 1.1], bias=-0.3, target=0.5, activation=activation).loss)


def test_finite_differences_of_an_inner_node_hold_it_fixed():
    # L = (a - t)^2 with a held at a + h: dL/da = 2(a - t), whatever computed a
    g = neuron_graph(activation="tanh")
    a, t = g.value("a"), g.value("t")
    assert g.numerical_gradient("a") == pytest.approx(2 * (a - t), abs=1e-8)
    assert g.value("a") == a  # put back


def test_gradient_table_lists_every_node_with_both_gradients():
    table = neuron_graph().gradient_table()
    lines = str(table).splitlines()
    assert lines[0].split() == ["node", "value", "backprop", "finite", "diff", "|difference|"]
    assert [line.split()[0] for line in lines[1:]] == neuron_graph().backward_order()
    for line in lines[1:]:
        _, _, backprop, numeric, gap = line.split()
        assert backprop == numeric and float(gap) < 1e-8


def test_every_operation_gives_value_and_matching_local_gradients():
    points = {"multiply": (1.3, -0.4), "add": (0.2, 0.5, -1.0), "subtract": (0.7, 0.2), "square": (-0.6,),
              "mean": (1.0, 2.0, 4.0), "identity": (0.3,), "sigmoid": (0.4,), "tanh": (-0.8,), "relu": (0.9,)}
    assert set(points) == set(OPERATIONS)
    h = 1e-6
    for name, inputs in points.items():
        value, local = OPERATIONS[name].compute(*inputs)
        for k in range(len(inputs)):
            up = list(inputs)
            down = list(inputs)
            up[k] += h
            down[k] -= h
            slope = (OPERATIONS[name].compute(*up)[0] - OPERATIONS[name].compute(*down)[0]) / (2 * h)
            assert local[k] == pytest.approx(slope, abs=1e-7), (name, k)
    assert OPERATIONS["sigmoid"].compute(-800.0)[0] == 0.0  # no overflow far out


# ------------------------------------------------------------------------------------------- the graph API
def test_set_value_recomputes_and_clears_gradients():
    g = neuron_graph(activation="identity", x=[1.0, 2.0], weights=[0.5, -0.5], bias=0.0, target=1.0)
    g.backward()
    g.set_value("b", 1.0)  # z = 0.5 - 1 + 1 = 0.5; L = (0.5 - 1)^2 = 0.25
    assert g.value("z") == 0.5 and g.loss == 0.25
    assert all(node.gradient is None for node in g.nodes.values()) and g.steps == []
    g.update({"w1": 1.5, "t": 0.5})  # z = 1.5 - 1 + 1 = 1.5; L = 1
    assert g.loss == 1.0


def test_errors_say_what_to_do():
    g = neuron_graph()
    with pytest.raises(ValueError, match="only leaves can be set"):
        g.set_value("z", 1.0)
    with pytest.raises(ValueError, match="Unknown node 'w3'"):
        g.value("w3")
    with pytest.raises(ValueError, match="the target"):
        g.gradient("t")
    with pytest.raises(ValueError, match="already has a node called 'x1'"):
        g.leaf("x1", 0.0)
    with pytest.raises(ValueError, match="not in the graph yet"):
        g.apply("add", "x1", "q", name="r")
    with pytest.raises(ValueError, match="Unknown operation 'divide'"):
        g.apply("divide", "x1", "w1", name="r")
    with pytest.raises(ValueError, match="Unknown activation for the graph 'softmax'"):
        neuron_graph(activation="softmax")
    with pytest.raises(ValueError, match="x must hold 2 numbers"):
        neuron_graph(x=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="one number"):
        g.set_value("x1", [1.0, 2.0])
    with pytest.raises(ValueError, match="Dense layers only"):
        network_graph(nl.Sequential([nl.Dense(2, 2), nl.Dropout(0.5), nl.Dense(2, 1)]), [0.0, 0.0], 0.0)
    bare = Graph()
    bare.leaf("x", 1.0)
    with pytest.raises(ValueError, match="neuron_graph"):
        bare.gradients_by_parameter()


def test_positions_put_the_bias_beside_the_sum_and_the_loss_on_the_right():
    places = neuron_graph().positions()
    # columns: x, w in 0; products and the bias in 1; z 2; a and t 3; e 4; L 5
    assert {n: c for n, (c, _) in places.items()} == {"x1": 0, "w1": 0, "x2": 0, "w2": 0, "b": 1, "t": 3,
                                                       "p1": 1, "p2": 1, "z": 2, "a": 3, "e": 4, "L": 5}
    # rows: w1 0, x1 1, w2 2, x2 3; p1 between w1 and x1; b level with z, between p1 and p2; t below a
    rows = {n: r for n, (_, r) in places.items()}
    assert rows["p1"] == 0.5 and rows["p2"] == 2.5 and rows["z"] == rows["b"] == rows["L"] == 1.5
    assert rows["t"] == 2.5


def test_graph_doctest_example_in_words():
    g = Graph()
    g.leaf("x", 3.0)
    g.leaf("w", 2.0, role="parameter")
    g.apply("multiply", "x", "w", name="y")
    g.apply("square", "y", name="L")  # L = (2*3)^2 = 36; dL/dw = 2*6*3 = 36; dL/dx = 2*6*2 = 24
    assert g.loss == 36.0 and g.gradient("w") == 36.0 and g.gradient("x") == 24.0
    assert math.isclose(g.numerical_gradient("w"), 36.0, abs_tol=1e-6)


# ----------------------------------------------------------------------------------------------- the picture
def test_picture_reveals_gradients_step_by_step():
    g = neuron_graph(x=[3.0, -1.0], weights=[0.5, 2.0], bias=1.0, target=1.0, activation="relu")
    start = graph_picture_data(g, 0)
    assert start.current is None and not start.done.any() and set(start.gradient_texts) == {""}
    assert start.caption.startswith("Forward pass done: L = 0.250")
    four = graph_picture_data(g, 4)  # L, e, a, z revealed
    assert [four.names[k] for k in np.flatnonzero(four.done)] == ["z", "a", "e", "L"]
    assert four.names[four.current] == "z"
    assert four.gradient_texts[four.names.index("z")] == "∂L/∂z = -1.000"
    # the step from a to z used one edge: z -> a
    used = [(p, c) for p, c, on in zip(four.edge_parents, four.edge_children, four.active_edges) if on]
    assert used == [("z", "a")]
    assert four.caption == "Step 4 of 11:  ∂L/∂z = ∂L/∂a × ∂a/∂z = -1 × 1 = -1"
    every = graph_picture_data(g)
    assert every.step == every.n_steps == 11 and every.done.sum() == 11
    assert every.value_texts[every.names.index("w1")] == "w1 = 0.500"
    assert every.edge_texts[every.edge_parents.index("w1")] == "3.000"  # dp1/dw1 = x1
    assert graph_picture_data(g, 99).step == 11 and graph_picture_data(g, -3).step == 0


def test_node_formulas():
    g = neuron_graph(activation="tanh")
    assert [node_formula(g, n) for n in ("p2", "z", "a", "e", "L", "t")] == ["w2·x2", "p1+p2+b", "tanh(z)", "a−t",
                                                                            "e²", ""]


def test_draw_and_update_graph_show_the_data():
    g = neuron_graph()
    data = graph_picture_data(g, 2)
    artists = draw_graph(figure((10, 3.6)).add_subplot(), data)
    assert [t.get_text() for t in artists["boxes"]] == data.value_texts
    assert [t.get_text() for t in artists["gradients"]] == data.gradient_texts
    assert [t.get_text() for t in artists["edge_labels"]] == data.edge_texts
    np.testing.assert_allclose(np.array(artists["edges"].get_segments()), data.segments)
    current = artists["boxes"][data.current].get_bbox_patch()
    assert current.get_linewidth() == 2.4
    later = graph_picture_data(g, 5)
    update_graph(artists, later)
    assert [t.get_text() for t in artists["gradients"]] == later.gradient_texts
    assert artists["boxes"][data.current].get_bbox_patch().get_linewidth() == 0.8  # no longer current
    widths = artists["edges"].get_linewidths()
    assert [w for w, on in zip(widths, later.active_edges) if on] == [2.6]
    assert artists["caption"].get_text() == later.caption
    bold = [t for t in artists["edge_labels"] if t.get_color() == GRADIENT_COLOR]
    assert len(bold) == 1


# ------------------------------------------------------------------------------------------- the explorer
def test_moving_the_step_slider_reveals_the_next_gradient():
    explorer = explore_backprop(x=[3.0, -1.0], weights=[0.5, 2.0], bias=1.0, target=1.0, activation="relu")
    assert explorer.step == 0 and set(t.get_text() for t in explorer.artists["gradients"]) == {""}
    explorer.controls["step"].value = 4
    expected = graph_picture_data(explorer.graph, 4)
    assert [t.get_text() for t in explorer.artists["gradients"]] == expected.gradient_texts
    assert explorer.readout_text == expected.caption == "Step 4 of 11:  ∂L/∂z = ∂L/∂a × ∂a/∂z = -1 × 1 = -1"
    explorer.controls["play"].value = 11  # Play is linked to the slider in the kernel
    assert explorer.controls["step"].value == 11
    assert explorer.artists["gradients"][explorer.graph_names.index("w1")].get_text() == "∂L/∂w1 = -3.000"


def test_moving_a_leaf_slider_changes_values_and_gradients():
    explorer = explore_backprop(x=[3.0, -1.0], weights=[0.5, 2.0], bias=1.0, target=1.0, activation="relu", step=11)
    explorer.controls["b"].value = 2.0  # z = 1.5, a = 1.5, e = 0.5: dL/dw1 = 2*0.5*3 = 3
    assert explorer.graph.value("z") == 1.5
    texts = [t.get_text() for t in explorer.artists["boxes"]]
    assert texts == graph_picture_data(explorer.graph, 11).value_texts
    assert "z = 1.500" in texts
    assert explorer.artists["gradients"][explorer.graph_names.index("w1")].get_text() == "∂L/∂w1 = 3.000"


def test_activation_dropdown_rebuilds_the_neuron_with_the_same_numbers():
    explorer = explore_backprop(x=[3.0, -1.0], weights=[0.5, 2.0], bias=1.0, target=1.0, activation="relu", step=11)
    explorer.controls["activation"].value = "sigmoid"
    assert explorer.graph.node("a").operation == "sigmoid" and explorer.graph.value("x1") == 3.0
    s = 1.0 / (1.0 + math.exp(-0.5))  # dL/dw1 = 2(s - 1) * s(1 - s) * 3
    assert explorer.graph.gradient("w1") == pytest.approx(2 * (s - 1) * s * (1 - s) * 3)
    box = explorer.artists["boxes"][explorer.graph_names.index("a")]
    assert box.get_text() == f"a = {s:.3f}"


def test_explorer_for_a_network_graph_and_css_classes():
    model = nl.Sequential([nl.Dense(2, 2, "tanh"), nl.Dense(2, 1, "sigmoid")], seed=0)
    explorer = explore_backprop(network_graph(model, [0.5, -1.0], 1.0), step=3)
    assert "w1_1_2" in explorer.controls and "activation" not in explorer.controls
    explorer.controls["w1_1_2"].value = 0.25
    assert explorer.graph.value("w1[1,2]") == 0.25
    marked = [name for name, control in explorer.controls.items() if "nnl-browser-move" in control._dom_classes]
    assert marked == ["step"]
    assert "nnl-explorer" in explorer.widget._dom_classes
    assert all(f"nnl-{name}" in control._dom_classes for name, control in explorer.controls.items())
    with pytest.raises(ValueError, match="not both"):
        explore_backprop(network_graph(model, [0.5, -1.0], 1.0), x=[1.0, 2.0])


def test_explorer_has_a_static_picture():
    explorer = explore_backprop(step=3)
    bundle = explorer._repr_mimebundle_()
    assert bundle["image/png"] and "step 3 of 11" in bundle["text/plain"]


# ------------------------------------------------------------------------------------- the browser canvas
def _labels(items, buffer):
    return next(item for item in items if item["kind"] == "labels" and item["buffer"] == buffer)


def test_backprop_canvas_scene_follows_step_play_and_leaves():
    explorer = explore_backprop(x=[3.0, -1.0], weights=[0.5, 2.0], bias=1.0, target=1.0, activation="relu")
    canvas = explorer.canvas
    assert canvas in explorer.widget.children and explorer._image is None  # the canvas, not a PNG widget
    # The browser may send the sliders and Play by itself, not the activation menu.
    assert canvas.control_names == ["play", "step", *(name for name in explorer.leaf_controls)]
    assert set(explorer.leaf_controls) == {"x1", "x2", "w1", "w2", "b", "t"}
    sent = canvas.scenes_sent
    explorer.controls["step"].value = 4  # L, e, a, z: the latest step is z, through the edge z -> a
    assert canvas.scenes_sent == sent + 1
    width, height, panels, items, arrays = explorer.scene()
    data = graph_picture_data(explorer.graph, 4)
    fig = explorer.figure
    assert (width, height) == (round(fig.get_figwidth() * fig.dpi), round(fig.get_figheight() * fig.dpi))
    assert panels[0]["xlim"] == list(explorer.artists["caption"].axes.get_xlim())
    assert {name: (a.shape, a.dtype.name) for name, a in arrays.items()} == {
        "nodes": ((12, 2), "float32"), "formulas": ((12, 2), "float32"), "gradients": ((12, 2), "float32"),
        "edges": ((11, 4), "float32"), "edge_widths": ((11,), "float32"), "active_widths": ((11,), "float32"),
        "edge_labels": ((11, 2), "float32")}
    assert np.allclose(arrays["nodes"], data.positions) and np.allclose(arrays["edges"], data.segments.reshape(-1, 4))
    gradients = _labels(items, "gradients")["texts"]
    assert gradients == data.gradient_texts == [t.get_text() for t in explorer.artists["gradients"]]
    assert gradients[data.names.index("z")] == "∂L/∂z = -1.000" and gradients[data.names.index("w1")] == ""
    edges = [(p, c) for p, c in zip(data.edge_parents, data.edge_children)]
    thick = [edges[k] for k in np.flatnonzero(arrays["active_widths"])]
    assert thick == [("z", "a")] and arrays["edge_widths"][edges.index(("z", "a"))] == 0.0
    # the same widths as the matplotlib edges: grey 1.2 everywhere but the active edge, purple 2.6 there
    assert np.allclose(arrays["edge_widths"] + arrays["active_widths"], explorer.artists["edges"].get_linewidths())
    assert np.allclose(sorted(set(arrays["edge_widths"].tolist())), [0.0, 1.2])
    boxes = _labels(items, "nodes")
    assert boxes["texts"] == [t.get_text() for t in explorer.artists["boxes"]]
    outlined = [name for name, edge in zip(data.names, boxes["edges"]) if edge == GRADIENT_COLOR]
    assert outlined == ["z"]
    assert explorer.artists["boxes"][data.names.index("z")].get_bbox_patch().get_linewidth() == 2.4
    caption = next(item for item in items if item["kind"] == "text")
    assert caption["text"] == explorer.artists["caption"].get_text()
    assert caption["text"] == "Step 4 of 11:  ∂L/∂z = ∂L/∂a × ∂a/∂z = -1 × 1 = -1"

    explorer.controls["play"].value = 11  # a Play tick moves the step (linked in the kernel): one scene
    assert canvas.scenes_sent == sent + 2
    assert _labels(explorer.scene()[3], "gradients")["texts"][data.names.index("w1")] == "∂L/∂w1 = -3.000"
    explorer.controls["b"].value = 2.0  # z = 1.5, a = 1.5, e = 0.5: dL/dw1 = 2*0.5*3 = 3
    assert canvas.scenes_sent == sent + 3
    items = explorer.scene()[3]
    assert "z = 1.500" in _labels(items, "nodes")["texts"]
    assert _labels(items, "gradients")["texts"][data.names.index("w1")] == "∂L/∂w1 = 3.000"
    explorer.controls["activation"].value = "sigmoid"
    assert canvas.scenes_sent == sent + 4
    assert _labels(explorer.scene()[3], "formulas")["texts"][data.names.index("a")] == "σ(z)"


def test_backprop_canvas_answers_the_browsers_requests(recording_comm):
    explorer = explore_backprop(x=[3.0, -1.0], weights=[0.5, 2.0], bias=1.0, target=1.0, activation="relu")
    canvas = explorer.canvas
    explorer.widget
    canvas.comm = recording_comm()
    sent = canvas.scenes_sent
    canvas._on_message(canvas, {"type": "controls", "view": "v", "seq": 1, "values": {"step": 2}}, [])
    assert explorer.step == 2 and explorer.controls["play"].value == 2 and canvas.scenes_sent == sent + 1
    scene = canvas.comm.sent[-1]["content"]
    assert scene["type"] == "scene" and scene["answer"] == {"view": "v", "seq": 1}
    assert scene["names"][0] == "nodes" and scene["dtypes"] == ["float32"] * 7


def test_backprop_without_canvas_keeps_the_png_picture():
    explorer = explore_backprop(step=3, canvas=False)
    assert explorer.canvas is None
    bundle = explorer._repr_mimebundle_()
    image = [child for child in explorer.widget.children if isinstance(child, widgets.Image)][0]
    before = image.value
    explorer.controls["step"].value = 4
    assert bundle["image/png"] and image.value != before
    assert explore_backprop(step=3)._repr_mimebundle_()["image/png"]  # the canvas output still carries a PNG

"""nnlearn.widgets: set a control's value from Python (observers fire synchronously) and check that the artists
hold what the compute half gives; the display carries a live widget and a PNG; callback errors are not lost."""

import base64

import ipywidgets as widgets
import numpy as np
import pytest

import nnlearn as nl
from nnlearn import plots
from nnlearn.widgets import Explorer, explore_activations, explore_neuron, live_backend, new_figure
from nnlearn.widgets.neuron import NeuronExplorer

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_tests_run_without_a_live_backend():
    assert live_backend() is False  # MPLBACKEND=Agg (conftest): the PNG fallback is what these tests exercise


# ------------------------------------------------------------------------------------------------ explore_neuron
def test_neuron_controls_and_css_classes():
    explorer = explore_neuron()
    names = ["weight_1", "weight_2", "bias", "activation", "x_1", "x_2"]
    assert list(explorer.controls) == names
    for name in names:
        assert f"nnl-{name}" in explorer.controls[name]._dom_classes
    assert "nnl-readout" in explorer.readout._dom_classes
    assert isinstance(explorer.readout, widgets.HTML)
    assert "weight_3" in explore_neuron(n_inputs=3).controls


def test_moving_weight_1_updates_plane_curve_and_readout():
    explorer = explore_neuron(weights=[1.0, 1.0], bias=0.0, activation="sigmoid", inputs=[1.0, 0.5])
    explorer.controls["weight_1"].value = -2.0
    expected = plots.neuron_plane_data([-2.0, 1.0], 0.0, "sigmoid", [1.0, 0.5], extent=explorer.extent,
                                       resolution=explorer.resolution)
    assert np.array_equal(explorer.artists["plane"].get_array(), expected.outputs)
    assert np.allclose(np.column_stack(explorer.artists["zero_line"].get_data()), expected.zero_line)
    # z = -2 * 1 + 1 * 0.5 + 0 = -1.5; sigmoid(-1.5) = 0.1824
    assert explorer.readout_text == "z = (-2.00)*1.00 + 1.00*0.50 + 0.00 = -1.50;  sigmoid(z) = 0.18"
    assert "(-2.00)*1.00" in explorer.readout.value
    assert explorer.artists["point"].get_xdata()[0] == -1.5
    assert np.isclose(explorer.artists["point"].get_ydata()[0], 1 / (1 + np.exp(1.5)))
    assert np.isclose(explorer.artists["edges"].get_linewidths()[0], 6.0)  # |-2| is the largest weight


def test_neuron_bias_activation_and_inputs():
    explorer = explore_neuron(weights=[0.5, -1.0])
    explorer.controls["activation"].value = "relu"
    explorer.controls["bias"].value = 2.0
    explorer.controls["x_2"].value = 1.0
    # z = 0.5 * 1 + (-1) * 1 + 2 = 1.5; relu(1.5) = 1.5
    assert explorer.readout_text.endswith("= 1.50;  relu(z) = 1.50")
    plane = explorer.compute()["plane"]
    assert np.array_equal(explorer.artists["plane"].get_array(), plane.outputs)
    assert np.allclose(plane.outputs, np.maximum(plane.z, 0.0))
    assert explorer.artists["input_point"].get_data() == ([1.0], [1.0])
    assert explorer.neuron(np.array([1.0, 1.0])) == 1.5


def test_neuron_rejects_wrong_lengths():
    with pytest.raises(ValueError, match="one number per input"):
        explore_neuron(n_inputs=2, weights=[1.0, 2.0, 3.0])


def test_slider_range_widens_for_large_values():
    explorer = explore_neuron(weights=[7.0, 0.0])
    assert explorer.controls["weight_1"].value == 7.0  # not silently clamped to the default range


# ------------------------------------------------------------------------------------------------ explore_activations
def test_activations_explorer_shows_every_activation():
    explorer = explore_activations(z=0.0)
    assert set(explorer.panels) == set(nl.activations.names())
    assert {"z", "activation"} <= set(explorer.controls)
    assert "nnl-z" in explorer.controls["z"]._dom_classes


@pytest.mark.parametrize("name", nl.activations.names())
def test_moving_z_moves_every_point(name):
    explorer = explore_activations(z=0.0, activation=name)
    explorer.controls["z"].value = 1.5
    expected = plots.activation_curve_data(name, 1.5, z_range=explorer.z_range)
    point = explorer.panels[name]["point"]
    assert point.get_xdata()[0] == 1.5 and np.isclose(point.get_ydata()[0], expected.point_value)
    assert f"{name}(1.50) = {expected.point_value:.3f}" in explorer.readout_text


def test_activation_selection_and_derivative_toggle():
    explorer = explore_activations(z=0.0)
    explorer.controls["activation"].value = "tanh"
    assert explorer.readout_text == "tanh(0.00) = 0.000;  slope tanh'(0.00) = 1.000"
    assert explorer.panels["tanh"]["title"].get_fontweight() == "bold"
    explorer.controls["show_derivative"].value = False
    assert not explorer.panels["relu"]["derivative"].get_visible()


def test_activations_canvas_scene_follows_every_control():
    explorer = explore_activations(["relu", "sigmoid", "tanh"], z=0.0, activation="sigmoid")
    assert explorer.canvas in explorer.widget.children
    for name, value in (("z", 1.5), ("activation", "relu"), ("show_derivative", False)):
        sent = explorer.canvas.scenes_sent
        explorer.controls[name].value = value
        assert explorer.canvas.scenes_sent == sent + 1, name  # exactly one scene per change
    explorer.controls["show_derivative"].value = True
    width, height, panels, items, arrays = explorer.scene()
    assert (width, height) == explorer.figure.canvas.get_width_height()  # narrow enough: drawn at full size
    assert all(a.dtype in (np.uint8, np.float32) for a in arrays.values())
    assert {item["buffer"] for item in items if "buffer" in item} <= set(arrays)
    for k, name in enumerate(["relu", "sigmoid", "tanh"]):
        expected = plots.activation_curve_data(name, 1.5, z_range=explorer.z_range)
        curve = arrays[f"{name}_curve"]
        assert curve.shape == (201, 2) and curve.dtype == np.float32
        np.testing.assert_allclose(curve, np.column_stack([expected.z, expected.values]), rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(arrays[f"{name}_derivative"][:, 1], expected.derivative, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(arrays[f"{name}_tangent"], expected.tangent, rtol=1e-6)
        # The same axis limits as the matplotlib panel, and the panel in the same place.
        ax = explorer.panels[name]["curve"].axes
        assert panels[k]["xlim"] == [-5.0, 5.0] and np.allclose(panels[k]["ylim"], ax.get_ylim())
        x0, y0, x1, y1 = ax.get_position().extents
        assert np.allclose(panels[k]["box"], [x0 * width, (1 - y1) * height, (x1 - x0) * width, (y1 - y0) * height],
                           atol=0.1)
    # The point at z = 1.5 on every panel: relu(1.5) = 1.5 with slope 1; tanh'(1.5) = 1 - tanh(1.5)².
    np.testing.assert_allclose(arrays["relu_point"], [[1.5, 1.5]])
    np.testing.assert_allclose(arrays["relu_slope_point"], [[1.5, 1.0]])
    np.testing.assert_allclose(arrays["sigmoid_point"], [[1.5, 1 / (1 + np.exp(-1.5))]], rtol=1e-6)
    np.testing.assert_allclose(arrays["tanh_slope_point"], [[1.5, 1 - np.tanh(1.5) ** 2]], rtol=1e-6)
    # The chosen activation's panel is framed and titled in blue, as in the matplotlib figure.
    assert [p["frame_color"] for p in panels] == [nl.plots._style.POSITIVE, "#bbbbbb", "#bbbbbb"]
    assert [p["title_bold"] for p in panels] == [True, False, False]
    assert [p["title"] for p in panels] == ["relu", "sigmoid", "tanh"]
    dashed = [item["buffer"] for item in items if item.get("dash")]
    assert dashed == ["relu_derivative", "sigmoid_derivative", "tanh_derivative"]
    explorer.controls["show_derivative"].value = False  # the dashed curves and slope points leave the canvas
    items = explorer.scene()[3]
    assert not [item for item in items if item.get("buffer", "").endswith(("_derivative", "_slope_point"))]


def test_activations_canvas_shrinks_a_wide_figure_and_can_be_turned_off():
    explorer = explore_activations(z=-1.0)  # ten panels: 1150 pixels wide in matplotlib
    width, height, panels, _, arrays = explorer.scene()
    fig_width, fig_height = explorer.figure.canvas.get_width_height()
    from nnlearn.widgets.activations import CANVAS_WIDTH

    assert fig_width > CANVAS_WIDTH and width == CANVAS_WIDTH and height == round(fig_height * CANVAS_WIDTH / fig_width)
    assert max(p["box"][0] + p["box"][2] for p in panels) <= width and len(panels) == len(nl.activations.names())
    np.testing.assert_allclose(arrays["relu_point"], [[-1.0, 0.0]])
    static = explore_activations(z=0.0, canvas=False)  # the PNG (or ipympl) path of before
    assert static.canvas is None
    static._repr_mimebundle_()
    image = [child for child in static.widget.children if isinstance(child, widgets.Image)][0]
    before = image.value
    static.controls["z"].value = 2.0
    assert image.value != before and bytes(image.value).startswith(PNG_SIGNATURE)
    assert static.panels["relu"]["point"].get_data() == ([2.0], [2.0])


# ------------------------------------------------------------------------------------------------ Explorer base
def test_display_carries_live_widget_png_and_one_line_text():
    explorer = explore_neuron()
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_SIGNATURE)
    assert "\n" not in bundle["text/plain"] and bundle["text/plain"].startswith("<NeuronExplorer")
    assert explorer.figure.get_facecolor()[:3] == (1.0, 1.0, 1.0)


def test_static_fallback_image_follows_the_controls():
    explorer = explore_neuron(canvas=False)  # no browser canvas, no ipympl: a PNG under the controls
    explorer._repr_mimebundle_()  # on screen: the PNG image widget is now refreshed after each change
    image = [child for child in explorer.widget.children if isinstance(child, widgets.Image)][0]
    before = image.value
    explorer.controls["bias"].value = 3.0
    assert image.value != before and bytes(image.value).startswith(PNG_SIGNATURE)


def test_browser_canvas_scene_follows_the_controls():
    explorer = explore_neuron(weights=[1.0, -1.0], bias=0.0, resolution=21)
    assert explorer.canvas in explorer.widget.children
    sent = explorer.canvas.scenes_sent
    explorer.controls["bias"].value = 1.0
    assert explorer.canvas.scenes_sent == sent + 1  # one scene per change
    width, height, panels, items, arrays = explorer.scene()
    plane = explorer.compute()["plane"]
    assert arrays["plane"].dtype == np.uint8 and arrays["plane"].shape == (21, 21)
    # The same colour range as the matplotlib image: the palette row of each output.
    low, high = plane.limits
    expected = np.clip(np.floor((plane.outputs - low) * 256 / (high - low)), 0, 255)
    assert np.array_equal(arrays["plane"], expected.astype(np.uint8))
    assert np.allclose(arrays["input_point"], [plane.point]) and np.allclose(arrays["zero_line"], plane.zero_line)
    curve = explorer.compute()["curve"]
    assert np.allclose(arrays["point"], [[curve.point_z, curve.point_value]])
    assert [p["title"] for p in panels][1] == "sigmoid" and {i["kind"] for i in items} >= {"image", "line", "text"}
    assert np.array_equal(explorer.artists["plane"].get_array(), plane.outputs)  # the static figure follows too


def test_browser_follows_sliders_and_each_request_gets_one_answer(recording_comm):
    explorer = explore_neuron(weights=[1.0, -1.0], bias=0.0, resolution=21)
    canvas = explorer.canvas
    explorer.widget  # built: the canvas now knows which controls the browser may send by itself
    assert canvas.control_names == ["weight_1", "weight_2", "bias", "x_1", "x_2"]  # not the activation menu
    assert canvas.controls == [explorer.controls[name] for name in canvas.control_names]
    slider_comm, canvas_comm = recording_comm(), recording_comm()
    explorer.controls["bias"].comm, canvas.comm = slider_comm, canvas_comm
    sent = canvas.scenes_sent

    def request(seq, values):
        canvas._on_message(canvas, {"type": "controls", "view": "v1", "seq": seq, "values": values}, [])

    request(1, {"bias": 1.0})
    assert explorer.controls["bias"].value == 1.0 and canvas.scenes_sent == sent + 1 and canvas.requests == 1
    assert explorer.readout_text == "z = 1.00*1.00 + (-1.00)*0.50 + 1.00 = 1.50;  sigmoid(z) = 0.82"
    scene = canvas_comm.sent[-1]["content"]
    assert scene["type"] == "scene" and scene["answer"] == {"view": "v1", "seq": 1}
    # The browser's slider is already there: the value is not sent back to it.
    assert not [m for m in slider_comm.sent if "value" in m.get("state", {})]
    # ipywidgets' own (later) sync of the same value changes nothing and sends no second scene.
    explorer.controls["bias"].set_state({"value": 1.0})
    assert canvas.scenes_sent == sent + 1
    # The same value again: no new scene, but the request is still answered.
    request(2, {"bias": 1.0})
    assert canvas.scenes_sent == sent + 1 and canvas_comm.sent[-1]["content"] == {
        "type": "answer", "answer": {"view": "v1", "seq": 2}}
    # Names the figure does not follow are ignored; a value out of range is clamped as the slider does.
    request(3, {"activation": "relu", "bias": 99.0})
    assert explorer.activation == "sigmoid" and explorer.bias == explorer.controls["bias"].max
    # A Python change still draws as before, with no answer attached.
    explorer.controls["weight_1"].value = 2.0
    assert canvas.scenes_sent == sent + 3 and "answer" not in canvas_comm.sent[-1]["content"]


def test_live_ipympl_canvas_without_a_frontend():
    explorer = NeuronExplorer(live=True)
    from ipympl.backend_nbagg import Canvas

    assert isinstance(explorer.figure.canvas, Canvas) and explorer.figure.canvas in explorer.widget.children
    explorer.controls["weight_2"].value = -1.0
    assert np.array_equal(explorer.artists["plane"].get_array(), explorer.compute()["plane"].outputs)
    assert base64.b64decode(explorer._repr_mimebundle_()["image/png"]).startswith(PNG_SIGNATURE)


class Broken(Explorer):
    """An explorer whose update fails when its control says so."""

    def __init__(self):
        super().__init__()
        self.new_figure((2, 2))
        self.add_control("amount", widgets.IntSlider(value=0))
        self.updates = 0

    def update(self):
        if self.controls["amount"].value == 3:
            raise ValueError("three is not allowed")
        self.updates += 1


def test_callback_errors_are_raised_outside_a_kernel_and_kept():
    explorer = Broken()
    with pytest.raises(ValueError, match="three"):
        explorer.controls["amount"].value = 3
    assert isinstance(explorer.last_error, ValueError)
    explorer.controls["amount"].value = 4  # a later success clears it
    assert explorer.last_error is None and explorer.updates == 1


def test_hide_controls():
    explorer = explore_neuron(hide=["activation"])
    assert explorer.controls["activation"].layout.display == "none"
    assert explorer.hidden == ["activation"]
    with pytest.raises(ValueError, match="Unknown control 'colour'"):
        explorer.hide(["colour"])


@pytest.mark.parametrize("canvas", [True, False])
def test_every_explorer_carries_hidden_keys_for_its_controls(canvas):
    from nnlearn.widgets.live import ExplorerKeys

    explorer = explore_neuron(canvas=canvas)
    keys = [child for child in explorer.widget.children if isinstance(child, ExplorerKeys)]
    assert len(keys) == 1 and keys[0].layout.display == "none"
    assert "data-lm-suppress-shortcuts" in keys[0]._esm and ".nnl-explorer" in keys[0]._esm
    assert "nnl-explorer" in explorer.widget._dom_classes
    explorer.close()
    assert keys[0].comm is None  # closed with the explorer


def test_new_figure_without_pyplot():
    fig = new_figure((3, 2), live=False)
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    import matplotlib.pyplot as plt

    assert fig not in [plt.figure(n) for n in plt.get_fignums()]  # never queued for a second display


def test_zero_line_from_the_formula_matches_the_traced_level_line():
    # neuron_plane_data finds z = 0 where the line crosses the grid's border (fast enough for a slider drag);
    # tracing the level-0 segments of the grid gives the same two ends.
    from nnlearn.plots._grid import level_segments
    from nnlearn.plots.neuron import neuron_plane_data

    rng = np.random.default_rng(0)
    for k in range(300):
        weights = rng.normal(size=2) * rng.choice([0.0, 1.0, 3.0], size=2)
        data = neuron_plane_data(weights, rng.normal() * 2, "tanh", rng.normal(size=2), resolution=31)
        ends = level_segments(data.z, data.x1, data.x2, 0.0).reshape(-1, 2)
        if len(ends):
            along = ends @ np.array([-weights[1], weights[0]])
            ends = ends[[int(np.argmin(along)), int(np.argmax(along))]]
        assert ends.shape == data.zero_line.shape and np.allclose(ends, data.zero_line, atol=1e-9), weights


def test_loss_explorer_canvas_scene_follows_the_sliders():
    from nnlearn.widgets import explore_loss

    explorer = explore_loss(x=[0.0, 1.0], y=[1.0, 3.0], weight=2.0, bias=1.0)
    assert explorer.canvas in explorer.widget.children
    sent = explorer.canvas.scenes_sent
    explorer.controls["bias"].value = 0.0  # both predictions 1 too low
    assert explorer.canvas.scenes_sent == sent + 1
    width, height, panels, items, arrays = explorer.scene()
    assert np.allclose(arrays["residuals"], [[0.0, 1.0, 0.0, 0.0], [1.0, 3.0, 1.0, 2.0]])  # point to prediction
    assert np.allclose(arrays["here"], [[2.0, 1.0]])  # weight 2, loss 1 on the loss cut
    assert panels[0]["title"] == explorer.artists["fit_title"].get_text() == "weight 2.00, bias 0.00: loss 1.00"
    assert explore_loss(canvas=False).canvas is None


def test_every_explorer_callback_takes_the_explorers_lock():
    # Widget messages may be handled on a kernel subshell thread while a cell runs: callbacks must take turns.
    import threading
    import time

    from nnlearn.widgets.base import Explorer

    explorer = Explorer(live=False)
    running, most = [0], [0]

    def callback():
        running[0] += 1
        most[0] = max(most[0], running[0])
        time.sleep(0.01)
        running[0] -= 1

    threads = [threading.Thread(target=explorer._guard, args=(callback,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1
    explorer._guard(lambda: explorer._guard(callback))  # re-entrant: a callback may set a control

"""The architectures tour: compute (plots/architectures.py), drawing, explorer wiring (widgets/architectures.py)
and the exercises (exercises/architectures.py).

Wiring tests set a control's ``.value`` and assert that the artists show what the compute half returns.
"""

import math

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.plots import architectures as arch
from nnlearn.plots._style import figure
from nnlearn.widgets.architectures import explore_attention, explore_convolution, explore_rnn


# ------------------------------------------------------------------------------------------------ convolution


def test_convolve2d_hand_worked_example():
    image = np.array([[1.0, 2.0, 0.0],
                      [0.0, 1.0, 3.0],
                      [4.0, 0.0, 1.0]])
    kernel = np.array([[1.0, 0.0],
                       [0.0, -1.0]])  # top-left minus bottom-right of each 2x2 window
    # windows: [[1,2],[0,1]] -> 1-1 = 0;  [[2,0],[1,3]] -> 2-3 = -1;
    #          [[0,1],[4,0]] -> 0-0 = 0;  [[1,3],[0,1]] -> 1-1 = 0
    np.testing.assert_array_equal(arch.convolve2d(image, kernel), [[0.0, -1.0], [0.0, 0.0]])


def test_convolve2d_equals_the_sum_over_each_window(rng):
    image, kernel = rng.normal(size=(7, 9)), rng.normal(size=(3, 3))
    expected = np.array([[np.sum(kernel * image[i:i + 3, j:j + 3]) for j in range(7)] for i in range(5)])
    np.testing.assert_allclose(arch.convolve2d(image, kernel), expected, atol=1e-12)
    padded = arch.convolve2d(image, kernel, padding=1)
    assert padded.shape == image.shape
    np.testing.assert_allclose(padded[1:-1, 1:-1], expected, atol=1e-12)


def test_named_kernels_on_the_sample_image():
    image = nl.datasets.sample_image()
    np.testing.assert_allclose(arch.convolve2d(image, arch.kernel("identity")), image[1:-1, 1:-1])
    # blur averages the 9 pixels of each window
    np.testing.assert_allclose(arch.convolve2d(image, arch.kernel("blur"))[0, 0], image[:3, :3].mean())
    for name in ("vertical edges", "horizontal edges", "outline"):
        assert arch.kernel(name).sum() == 0.0  # flat areas give 0
    assert arch.kernel("sharpen").sum() == 1.0  # flat areas keep their brightness
    # a vertical edge kernel answers a left-to-right step with 4 (= 1 + 2 + 1) per unit of brightness
    step = np.repeat([[0.0, 0.0, 1.0, 1.0]], 3, axis=0)
    np.testing.assert_array_equal(arch.convolve2d(step, arch.kernel("vertical edges")), [[4.0, 4.0]])
    np.testing.assert_array_equal(arch.convolve2d(step, arch.kernel("horizontal edges")), [[0.0, 0.0]])
    kernel = arch.kernel("blur")
    kernel[0, 0] = 5.0
    assert arch.KERNELS["blur"][0][0] == pytest.approx(1 / 9), "kernel() hands out a copy"


def test_convolution_errors():
    with pytest.raises(ValueError, match="Unknown kernel 'blurr'.*Did you mean 'blur'"):
        arch.kernel("blurr")
    with pytest.raises(ValueError, match=r"one grey-scale picture of shape \(height, width\)"):
        arch.convolve2d(np.zeros((1, 1, 5, 5)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="kernel must be a 2-D grid"):
        arch.convolve2d(np.zeros((5, 5)), np.ones(3))


def test_output_limits():
    # a map centred on 0 (edges) is shown symmetric around 0; a brightness map with its own range
    edges = arch.convolution_data(nl.datasets.sample_image(), arch.kernel("vertical edges"))
    assert edges.limits[1] > 0 and edges.limits[0] == -edges.limits[1]
    blurred = arch.convolution_data(nl.datasets.sample_image(), arch.kernel("blur"))
    assert 0.0 <= blurred.limits[0] < blurred.limits[1] <= 1.0
    assert arch.convolution_data(np.zeros((4, 4)), np.ones((3, 3))).limits == (-1.0, 1.0)


def test_draw_and_update_convolution():
    image = nl.datasets.sample_image()[:20, :20]
    data = arch.convolution_data(image, arch.kernel("blur"))
    fig = figure((8, 3))
    artists = arch.draw_convolution(fig.subplots(1, 3), data)
    np.testing.assert_array_equal(artists["output"].get_array(), data.output)
    assert [t.get_text() for t in artists["kernel_texts"]] == ["0.11"] * 9
    sharper = arch.convolution_data(image, arch.kernel("sharpen"))
    arch.update_convolution(artists, sharper)
    np.testing.assert_array_equal(artists["output"].get_array(), sharper.output)
    np.testing.assert_array_equal(artists["kernel"].get_array(), arch.kernel("sharpen"))
    assert artists["kernel_texts"][4].get_text() == "5.00"
    assert artists["output"].get_clim() == sharper.limits


def test_kernel_gallery_figure():
    fig = arch.kernel_gallery_figure(nl.datasets.sample_image()[:16, :16], ["blur", ("mine", np.eye(3))])
    images = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    assert len(images) == 5  # the image, then (kernel, output) twice
    np.testing.assert_array_equal(images[-1], arch.convolve2d(nl.datasets.sample_image()[:16, :16], np.eye(3)))


def test_moving_a_kernel_slider_updates_the_output_map():
    image = nl.datasets.sample_image()[:24, :24]
    explorer = explore_convolution(image=image)
    assert explorer.controls["preset"].value == "vertical edges"
    np.testing.assert_array_equal(explorer.artists["output"].get_array(),
                                  arch.convolve2d(image, arch.kernel("vertical edges")))
    explorer.controls["kernel_1_1"].value = 1.0  # add the image itself to the edges
    expected = arch.kernel("vertical edges")
    expected[1, 1] = 1.0
    np.testing.assert_array_equal(explorer.artists["output"].get_array(), arch.convolve2d(image, expected))
    assert explorer.artists["kernel_texts"][4].get_text() == "1.00"
    assert explorer.controls["preset"].value == "custom"
    assert explorer.readout_text.startswith("kernel sum = 1.00 (flat areas keep their brightness)")


def test_choosing_a_preset_sets_all_sliders_with_one_redraw():
    image = nl.datasets.sample_image()[:24, :24]
    explorer = explore_convolution(image=image, kernel="identity")
    updates = []
    original = explorer.update
    explorer.update = lambda: (updates.append(1), original())
    explorer.controls["preset"].value = "sharpen"
    assert len(updates) == 1
    np.testing.assert_array_equal(explorer.kernel, arch.kernel("sharpen"))
    np.testing.assert_array_equal(explorer.artists["output"].get_array(),
                                  arch.convolve2d(image, arch.kernel("sharpen")))
    # moving the sliders back onto a preset names it again
    explorer.set_kernel(arch.kernel("blur"))
    assert explorer.controls["preset"].value == "blur"


def test_convolution_explorer_classes_and_errors():
    explorer = explore_convolution(image=np.zeros((8, 8)), kernel=np.ones((3, 3)))
    assert explorer.controls["preset"].value == "custom"
    moved = [name for name, control in explorer.controls.items() if "nnl-browser-move" in control._dom_classes]
    assert moved == ["kernel_1_1"]
    assert "nnl-explorer" in explorer.widget._dom_classes
    with pytest.raises(ValueError, match=r"kernel must be \(3, 3\)"):
        explore_convolution(kernel=np.ones((5, 5)))


def _gray(values, low, high):
    """The grey level matplotlib's 'gray' map gives each value of an image coloured over low ... high."""
    return np.clip(np.floor((np.asarray(values) - low) * 256 / (high - low)), 0, 255).astype(np.uint8)


def test_convolution_canvas_scene_follows_the_kernel_sliders_and_the_preset():
    image = nl.datasets.sample_image()[:24, :24]
    explorer = explore_convolution(image=image)
    canvas = explorer.canvas
    assert canvas in explorer.widget.children and explorer._image is None
    explorer.widget
    assert canvas.control_names == [f"kernel_{r}_{c}" for r in range(3) for c in range(3)]  # not the menu
    sent = canvas.scenes_sent
    explorer.controls["kernel_1_1"].value = 1.0  # the edges plus the image itself
    assert canvas.scenes_sent == sent + 1
    width, height, panels, items, arrays = explorer.scene()
    expected = arch.kernel("vertical edges")
    expected[1, 1] = 1.0
    output = arch.convolve2d(image, expected)
    assert {name: (a.shape, a.dtype.name) for name, a in arrays.items()} == {
        "image": ((24, 24, 4), "uint8"), "kernel": ((3, 3, 4), "uint8"), "output": ((22, 22, 4), "uint8"),
        "bar": ((256, 1, 4), "uint8")}
    low, high = explorer.artists["output"].get_clim()
    assert (low, high) == arch.convolution_data(image, expected).limits
    # grey levels of the output as matplotlib colours them, rows bottom to top (the canvas's row 0 is the bottom)
    grey = arrays["output"][::-1]
    assert np.array_equal(grey[..., 0], _gray(output, low, high)) and np.array_equal(grey[..., 0], grey[..., 2])
    assert np.array_equal(arrays["image"][::-1, :, 0], _gray(image, 0.0, max(1.0, image.max())))
    texts = [item["text"] for item in items if item["kind"] == "text" and item["panel"] == 1]
    assert texts == [t.get_text() for t in explorer.artists["kernel_texts"]]
    assert texts[4] == "1.00" and texts[3] == "-2.00"
    # the kernel's colours: nnlearn's diverging map over +-max |weight| (2 here): -2 is the darkest orange
    assert arrays["kernel"][::-1][1, 0].tolist() == [179, 88, 6, 255]
    assert [p["title"] for p in panels[:3]] == ["image (24 x 24)", "kernel (3, 3)", "output map (22 x 22)"]
    assert panels[2]["ylim"] == [21.5, -0.5] and panels[3]["ylim"] == [low, high]  # imshow: row 0 at the top
    assert (width, height) == (864, 297)
    explorer.controls["preset"].value = "blur"  # nine sliders move, one redraw, one scene
    assert canvas.scenes_sent == sent + 2
    assert np.array_equal(explorer.scene()[4]["output"][::-1, :, 0],
                          _gray(arch.convolve2d(image, arch.kernel("blur")), *explorer.artists["output"].get_clim()))
    assert explore_convolution(image=image, canvas=False).canvas is None


# --------------------------------------------------------------------------------------------------- recurrent


def counter_model():
    """h_t = h_(t-1) + x_t (identity activation), output = h: a hand-built counter of ones."""
    model = nl.Sequential([nl.SimpleRNN(1, 1, "identity"), nl.Dense(1, 1)])
    for array in model.parameters().values():
        array[...] = 1.0 if array.ndim == 2 else 0.0
    return model


def test_rnn_unroll_data_of_a_hand_built_counter():
    data = arch.rnn_unroll_data(counter_model(), [[1.0], [0.0], [1.0], [1.0]], targets=[1, 1, 2, 3])
    # states: 0 + 1 = 1, 1 + 0 = 1, 1 + 1 = 2, 2 + 1 = 3; the answer after step t reads the state
    np.testing.assert_array_equal(data.hidden[:, 0], [1.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(data.answers, [1.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(data.inputs, [1.0, 0.0, 1.0, 1.0])
    assert data.n_steps == 4


def test_rnn_answers_are_the_outputs_for_the_cut_and_filled_sequences(rng):
    model = nl.Sequential([nl.SimpleRNN(2, 3), nl.Dense(3, 1)], seed=0)
    sequence = rng.normal(size=(5, 2))
    data = arch.rnn_unroll_data(model, sequence, fill=0.5)
    for t in range(5):
        cut = sequence.copy()
        cut[t + 1:] = 0.5
        assert data.answers[t] == pytest.approx(model.predict(cut[None])[0, 0])
    model.predict(sequence[None])
    np.testing.assert_allclose(data.hidden, model.layers[0].hidden_states[0])
    # a classifier's answer is its predicted class
    classifier = nl.Sequential([nl.SimpleRNN(2, 3), nl.Dense(3, 4, "softmax")], seed=1)
    classes = arch.rnn_unroll_data(classifier, sequence).answers
    assert set(classes) <= {0.0, 1.0, 2.0, 3.0}


def test_rnn_unroll_errors():
    with pytest.raises(ValueError, match="first layer is an nl.SimpleRNN"):
        arch.rnn_unroll_data(nl.Sequential([nl.Dense(2, 1)]), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"one sequence of shape \(time, 1\).*use x\[k\]"):
        arch.rnn_unroll_data(counter_model(), np.zeros((2, 3, 1)))
    with pytest.raises(ValueError, match="one right answer per step"):
        arch.rnn_unroll_data(counter_model(), np.zeros(3), targets=[0, 0])


def test_draw_rnn_unrolled_shows_only_the_steps_so_far():
    data = arch.rnn_unroll_data(counter_model(), [1.0, 0.0, 1.0, 1.0], targets=[1, 1, 2, 3])
    fig = figure((8, 5))
    artists = arch.draw_rnn_unrolled(fig.subplots(3, 1), data, step=2)
    shown = artists["states"].get_array()
    np.testing.assert_array_equal(shown[0, :2], [1.0, 1.0])
    assert np.ma.getmaskarray(shown)[0].tolist() == [False, False, True, True]  # NaN: not reached yet
    assert [t.get_text() for t in artists["answers"]] == ["1.0", "1.0", "", ""]
    np.testing.assert_array_equal(artists["answer_line"].get_ydata(), [1.0, 1.0])
    assert artists["boxes"][1].get_linewidth() > artists["boxes"][0].get_linewidth()  # the current step
    arch.update_rnn_unrolled(artists, data)  # every step
    np.testing.assert_array_equal(artists["states"].get_array()[0], [1.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(artists["target_line"].get_ydata(), [1.0, 1.0, 2.0, 3.0])


def test_answers_that_round_to_zero_read_without_a_minus_sign():
    data = arch.rnn_unroll_data(counter_model(), [1.0, 0.0])
    data.answers = np.array([-0.04, -0.06])  # -0.04 rounds to 0.0; -0.06 rounds to -0.1
    fig = figure((6, 4))
    artists = arch.draw_rnn_unrolled(fig.subplots(3, 1), data)
    assert [t.get_text() for t in artists["answers"]] == ["0.0", "-0.1"]


def test_moving_the_step_and_sample_sliders_updates_the_rnn_picture():
    x = np.array([[[1.0], [0.0], [1.0]], [[0.0], [1.0], [1.0]]])
    targets = np.cumsum(x[:, :, 0], axis=1)
    explorer = explore_rnn(counter_model(), x, targets)
    assert explorer.controls["step"].value == 3
    explorer.controls["step"].value = 1
    assert explorer.controls["play"].value == 1  # linked
    shown = explorer.artists["states"].get_array()
    assert shown[0, 0] == 1.0 and np.ma.getmaskarray(shown)[0].tolist() == [False, True, True]
    explorer.controls["sample"].value = 1
    expected = arch.rnn_unroll_data(counter_model(), x[1], targets[1])
    np.testing.assert_array_equal(explorer.data.answers, expected.answers)
    explorer.controls["play"].value = 3
    np.testing.assert_array_equal(explorer.artists["states"].get_array()[0], [0.0, 1.0, 2.0])
    assert explorer.readout_text == ("sequence 1, step 3 of 3: input 1, answer read from h3: 2.00 "
                                     "(right answer so far: 2)")
    assert not any("nnl-browser-move" in c._dom_classes for c in explorer.controls.values())


def test_rnn_canvas_scene_follows_step_play_and_sample():
    x = np.array([[[1.0], [0.0], [1.0]], [[0.0], [1.0], [1.0]]])
    targets = np.cumsum(x[:, :, 0], axis=1)
    explorer = explore_rnn(counter_model(), x, targets)
    canvas = explorer.canvas
    assert canvas in explorer.widget.children and canvas.control_names == ["sample", "play", "step"]
    sent = canvas.scenes_sent
    explorer.controls["step"].value = 2
    assert canvas.scenes_sent == sent + 1
    explorer.controls["play"].value = 1  # Play's tick moves the linked step: one scene
    assert canvas.scenes_sent == sent + 2 and explorer.step == 1
    explorer.controls["sample"].value = 1
    assert canvas.scenes_sent == sent + 3
    explorer.controls["step"].value = 2
    width, height, panels, items, arrays = explorer.scene()
    data = arch.rnn_unroll_data(counter_model(), x[1], targets[1])  # states 0, 1, 1: two steps shown
    assert arrays["states"].shape == (1, 3, 4) and arrays["states"].dtype == np.uint8
    lut = nl.plots._style.colormap_lut("nnlearn_diverging")
    assert arrays["states"][0, :2].tolist() == [lut[128].tolist(), lut[255].tolist()]  # 0 and 1 over -1 ... 1
    assert arrays["states"][0, 2, 3] == 0  # step 3 not shown yet: see-through
    np.testing.assert_allclose(arrays["answers"], [[0.0, data.answers[0]], [1.0, data.answers[1]]], atol=1e-6)
    assert arrays["answers"].dtype == np.float32
    np.testing.assert_allclose(arrays["targets"][:, 1], [0, 0, 1, 1, 2, 2])  # right answers 0, 1, 2 as steps
    np.testing.assert_allclose(arrays["targets"][:, 0], [0, 0.5, 0.5, 1.5, 1.5, 2])
    labels = {item["buffer"]: item for item in items if item["kind"] == "labels"}
    assert labels["answer_texts"]["texts"] == [t.get_text() for t in explorer.artists["answers"]] == ["0.0", "1.0", ""]
    assert labels["inputs"]["texts"] == ["x=0", "x=1", "x=1"]
    assert labels["boxes"]["edge_widths"] == [1.2 * 1.25, 2.6 * 1.25, 1.2 * 1.25]  # the current step stands out
    assert [fill.endswith(",1)") for fill in labels["boxes"]["fills"]] == [True, True, False]  # step 3 faded
    # arrows: three shafts and two head strokes per step; those of step 3 drawn faded
    assert arrays["arrows"].shape == (27, 4) and arrays["arrows_seen"].tolist() == [1.0, 1.0, 0.0] * 9
    assert np.allclose(arrays["arrows"][:3], [[-0.66, 0, -0.34, 0], [0.34, 0, 0.66, 0], [1.34, 0, 1.66, 0]])
    assert panels[1]["ylim"] == list(explorer.artists["states"].axes.get_ylim())
    assert explore_rnn(counter_model(), x, canvas=False).canvas is None


# --------------------------------------------------------------------------------------------------- attention


def test_lookup_tokens_name_every_position():
    x, y = nl.datasets.lookup_task(n=3, length=5, n_symbols=4, seed=2)
    names = arch.lookup_tokens(x, 4)
    for sequence, answer, row in zip(x, y, names):
        asked = int(row[-1].split()[1])
        assert row[asked] == f"{asked}:{'ABCD'[answer]}"  # the asked position holds the answer
        assert [name.split(":")[0] for name in row[:-1]] == ["0", "1", "2", "3"]
    with pytest.raises(ValueError, match="Is n_symbols right"):
        arch.lookup_tokens(x, 5)


def test_attention_data_equals_the_softmax_of_scaled_dot_products(rng):
    layer = nl.SelfAttention(3, seed=0)
    model = nl.Sequential([layer, nl.LastStep(), nl.Dense(3, 2, "softmax")], seed=0)
    x = rng.normal(size=(4, 5, 3))
    data = arch.attention_data(model, x, sample=2, query=-1, labels=list("abcde"))
    queries, keys = x[2] @ layer.query_weights, x[2] @ layer.key_weights
    scores = queries @ keys.T / math.sqrt(3)
    expected = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(data.weights, expected, atol=1e-12)
    np.testing.assert_allclose(data.query_vectors, queries, atol=1e-12)
    np.testing.assert_allclose(data.key_vectors, keys, atol=1e-12)
    assert data.query == 4 and data.labels == list("abcde")
    np.testing.assert_allclose(data.outputs, model.predict(x[2:3])[0])


def test_attention_data_errors():
    model = nl.Sequential([nl.SelfAttention(2)])
    with pytest.raises(ValueError, match="an nl.SelfAttention layer"):
        arch.attention_data(nl.Sequential([nl.Dense(2, 1)]), np.zeros((1, 3, 2)))
    with pytest.raises(ValueError, match="sample must be between 0 and 0"):
        arch.attention_data(model, np.zeros((1, 3, 2)), sample=1)
    with pytest.raises(ValueError, match="labels must name each of the 3 positions"):
        arch.attention_data(model, np.zeros((1, 3, 2)), labels=["a"])


def test_draw_and_update_attention():
    layer = nl.SelfAttention(2)
    layer.query_weights[:] = 0.0  # every score 0: each row is 1/3, 1/3, 1/3
    model = nl.Sequential([layer])
    data = arch.attention_data(model, np.ones((1, 3, 2)), query=1, labels=["a", "b", "c"])
    fig = figure((9, 3))
    artists = arch.draw_attention(fig.subplots(1, 3), data)
    np.testing.assert_allclose(artists["weights"].get_array(), np.full((3, 3), 1 / 3))
    assert [t.get_text() for t in artists["texts"]] == [".33"] * 9
    assert [o.get_y() for o in artists["outlines"]] == [0.5, 0.5]
    assert [t.get_text() for t in artists["weights_axes"].get_yticklabels()] == ["a", "b", "c"]
    data.query = 2
    arch.update_attention(artists, data)
    assert [o.get_y() for o in artists["outlines"]] == [1.5, 1.5]


def test_attention_canvas_scene_follows_sample_and_query():
    layer = nl.SelfAttention(2, seed=0)
    model = nl.Sequential([layer])
    x = np.random.default_rng(0).normal(size=(3, 4, 2))
    explorer = explore_attention(model, x, labels=list("abcd"))
    canvas = explorer.canvas
    assert canvas in explorer.widget.children and canvas.control_names == ["sample", "query"]
    sent = canvas.scenes_sent
    explorer.controls["sample"].value = 2
    assert canvas.scenes_sent == sent + 1
    explorer.controls["query"].value = 1
    assert canvas.scenes_sent == sent + 2
    width, height, panels, items, arrays = explorer.scene()
    data = arch.attention_data(model, x, sample=2, query=1, labels=list("abcd"))
    assert {name: (a.shape, a.dtype.name) for name, a in arrays.items()} == {
        "queries": ((4, 2, 4), "uint8"), "keys": ((4, 2, 4), "uint8"), "weights": ((4, 4, 4), "uint8"),
        "query_outline": ((5, 2), "float32"), "weights_outline": ((5, 2), "float32")}
    # viridis over 0 ... 1 as matplotlib colours the weights, rows bottom to top
    lut = nl.plots._style.colormap_lut("viridis")
    index = np.clip(np.floor(data.weights * 256), 0, 255).astype(int)
    assert np.array_equal(arrays["weights"][::-1], lut[index])
    assert np.array_equal(explorer.artists["weights"].get_array(), data.weights)  # the static figure too
    reach = max(np.abs(data.query_vectors).max(), np.abs(data.key_vectors).max())
    index = np.clip(np.floor((data.key_vectors + reach) * 128 / reach), 0, 255).astype(int)
    assert np.array_equal(arrays["keys"][::-1], nl.plots._style.colormap_lut("nnlearn_diverging")[index])
    # the picked row (1) outlined in the queries and the weights: rows 0.5 ... 1.5
    assert np.allclose(arrays["weights_outline"][:, 1], [0.5, 0.5, 1.5, 1.5, 0.5])
    assert np.allclose(arrays["query_outline"][:, 0], [-0.5, 1.5, 1.5, -0.5, -0.5])
    numbers = [item["text"] for item in items if item["kind"] == "text" and item["panel"] == 2
               and item.get("baseline") == "middle" and item.get("align") != "right"]
    assert numbers == [f"{w:.2f}".lstrip("0") for w in data.weights.ravel() if w >= 0.05]
    labels = [item["text"] for item in items if item["kind"] == "text" and item.get("align") == "right"]
    assert labels == list("abcd") * 3
    assert [p["title"] for p in panels] == ["queries (4 x 2)", "keys (4 x 2)", "attention weights"]
    assert panels[2]["ylim"] == [3.5, -0.5]
    assert explore_attention(model, x, canvas=False).canvas is None


def trained_lookup_model():
    x, y = nl.datasets.lookup_task(n=1000, length=8, n_symbols=6, seed=0)
    attention = nl.SelfAttention(14)
    model = nl.Sequential([attention, nl.LastStep(), nl.Dense(14, 6, "softmax")], seed=0)
    model.fit(x, y, "cross_entropy", optimizer="adam", lr=0.02, epochs=30, batch_size=50, seed=0, progress=False)
    return model


def test_moving_sample_and_query_updates_the_attention_picture():
    model = trained_lookup_model()
    x, y = nl.datasets.lookup_task(n=20, length=8, n_symbols=6, seed=1)
    explorer = explore_attention(model, x, y, labels=arch.lookup_tokens(x, 6), class_names="ABCDEF")
    explorer.controls["sample"].value = 5
    expected = arch.attention_data(model, x, 5, -1, arch.lookup_tokens(x, 6))
    np.testing.assert_allclose(explorer.artists["weights"].get_array(), expected.weights)
    np.testing.assert_allclose(explorer.artists["queries"].get_array(), expected.query_vectors)
    labels = [t.get_text() for t in explorer.artists["weights_axes"].get_xticklabels()]
    assert labels == arch.lookup_tokens(x, 6)[5]
    # the query token of the trained model looks at the asked position and answers right
    asked = int(labels[-1].split()[1])
    assert expected.weights[-1].argmax() == asked
    assert explorer.readout_text.startswith(f"row 7 (ask {asked}) puts ")
    assert explorer.readout_text.endswith(", right")
    explorer.controls["query"].value = 0
    assert [o.get_y() for o in explorer.artists["outlines"]] == [-0.5, -0.5]
    assert explorer.readout_text.startswith(f"row 0 ({labels[0]}) ")


# -------------------------------------------------------------------------------------------------- embeddings


def test_embedding_map_data_two_dims_and_projection():
    vectors = np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, -1.0]])
    data = arch.embedding_map_data(vectors, labels=["a", "b", "c"], groups=[0, 1, 1], group_names=["x", "y"],
                                   user_vector=[0.5, 0.5], highlight=[1])
    np.testing.assert_array_equal(data.points, vectors)
    np.testing.assert_array_equal(data.user, [0.5, 0.5])
    assert data.axis_names == ("dimension 1", "dimension 2")
    # three numbers per item: projected onto the two main directions; a line of points stays a line
    line = np.outer(np.arange(5.0), [1.0, 2.0, 2.0])
    projected = arch.embedding_map_data(line).points
    np.testing.assert_allclose(np.abs(projected[:, 0]), np.abs(np.arange(5.0) - 2.0) * 3.0, atol=1e-12)
    np.testing.assert_allclose(projected[:, 1], 0.0, atol=1e-12)
    with pytest.raises(ValueError, match="user_vector must have 2 numbers"):
        arch.embedding_map_data(vectors, user_vector=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="group_names must name all 2 groups"):
        arch.embedding_map_data(vectors, groups=[0, 1, 1], group_names=["x"])


def test_draw_embedding_map():
    vectors = np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, -1.0]])
    data = arch.embedding_map_data(vectors, labels=["a", "b", "c"], groups=[0, 1, 1], user_vector=[0.5, 0.5],
                                   highlight=[1])
    ax = figure().add_subplot()
    artists = arch.draw_embedding_map(ax, data)
    np.testing.assert_array_equal(artists["points"][1].get_offsets(), vectors[1:])
    assert [t.get_text() for t in artists["labels"]] == ["b"]  # only the highlighted point is named
    np.testing.assert_array_equal(artists["rings"].get_offsets(), vectors[[1]])
    assert artists["arrow"].xy == (0.5, 0.5)
    assert artists["user_label"].xy == (0.25, 0.25)  # half way along the arrow, clear of the items at its tip
    named = arch.draw_embedding_map(figure().add_subplot(), data, names="all")
    assert [t.get_text() for t in named["labels"]] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="names must be"):
        arch.draw_embedding_map(figure().add_subplot(), data, names="some")


# --------------------------------------------------------------------------------------------------- exercises

EXERCISES = {
    "horizontal_edge_kernel": ({"kernel": None}, {"kernel": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]}),
    "attention_by_hand": ({"weights": None}, {"weights": [0.768, 0.187, 0.045]}),
}


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_exercise_stub_right_answer_and_solution(name):
    stub, right = EXERCISES[name]
    verdict = nl.exercises.check(name, **stub)
    assert not verdict.done and repr(verdict).startswith(f"Not done yet: {name}.")
    verdict = nl.exercises.check(name, **right)
    assert verdict.passed, repr(verdict)
    assert nl.exercises.solution(name) and nl.exercises.get(name).concept == "architectures"


@pytest.mark.parametrize("kernel, mistake", [
    ([[1 / 9] * 3] * 3, "weights add up to 1.00, not 0"),                  # blur: flat areas stay bright
    ([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], "horizontal edge should give at least 1"),  # the vertical one
    ([[-1, -1, 0], [0, 0, 0], [1, 0, 1]], "also reacts to the vertical edge"),
])
def test_horizontal_edge_kernel_names_the_mistake(kernel, mistake):
    verdict = nl.exercises.check("horizontal_edge_kernel", kernel=kernel)
    assert not verdict.passed and mistake in repr(verdict)


def test_attention_by_hand_solution_and_mistakes():
    # scores q . k = 2, 0, -2, divided by sqrt(2): 1.414, 0, -1.414; softmax: 4.113, 1, 0.243 over 5.356
    np.testing.assert_allclose(arch_softmax([2.0, 0.0, -2.0], math.sqrt(2)), [0.768, 0.187, 0.045], atol=5e-4)
    unscaled = nl.exercises.check("attention_by_hand", weights=arch_softmax([2.0, 0.0, -2.0], 1.0))
    assert "divide the scores by sqrt(2)" in repr(unscaled)
    scores = nl.exercises.check("attention_by_hand", weights=[1.414, 0.0, -1.414])
    assert "are the scores" in repr(scores)
    assert "add up to 0.900" in repr(nl.exercises.check("attention_by_hand", weights=[0.5, 0.3, 0.1]))


def arch_softmax(scores, scale):
    exps = np.exp(np.asarray(scores) / scale)
    return exps / exps.sum()

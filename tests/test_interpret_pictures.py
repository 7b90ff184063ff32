"""Lesson 11's additions: occlusion_estimate, map_agreement and as_arithmetic (nnlearn/interpret.py), the pictures
(plots/interpret.py), the saliency explorer (widgets/interpret.py) and the exercise (exercises/interpret.py).

Wiring tests set a control's ``.value`` and assert that the artists show what the compute half returns.
"""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.exercises.interpret import HAND_INPUT, hand_network
from nnlearn.interpret import Agreement, as_arithmetic, map_agreement, occlusion, occlusion_estimate, saliency
from nnlearn.plots import interpret as pictures
from nnlearn.plots import _style
from nnlearn.plots._style import figure
from nnlearn.widgets.interpret import explore_saliency


@pytest.fixture(scope="module")
def digits_model():
    images, labels = nl.datasets.digits()
    model = nl.Sequential([nl.Flatten(), nl.Dense(64, 32, "relu"), nl.Dense(32, 10, "softmax")], seed=0)
    model.fit(images[:1200], labels[:1200], "cross_entropy", optimizer="adam", lr=0.01, epochs=30, batch_size=64,
              seed=0, progress=False)
    return model, images[1200:1300], labels[1200:1300]


# ------------------------------------------------------------------------------------------------ occlusion_estimate


def test_hand_worked_occlusion_estimate():
    model = nl.Sequential([nl.Dense(4, 1, "sigmoid")])
    model.layers[0].weights[:] = [[2.0], [2.0], [0.0], [-1.0]]
    x = np.array([1.0, 1.0, 3.0, 2.0])
    # z = 2 + 2 + 0 - 2 = 2, p = sigmoid(2) = 0.8808, dp/dz = p (1 - p) = 0.1050
    # dp/dx = 0.1050 * (2, 2, 0, -1); covering with 0 moves x by -x, so the drop is dp/dx * x, summed per patch:
    # patch 1: 0.1050 * (2 * 1 + 2 * 1) = 0.4200;  patch 2: 0.1050 * (0 * 3 + (-1) * 2) = -0.2100
    slope = 0.8807970779778823 * (1 - 0.8807970779778823)
    np.testing.assert_allclose(occlusion_estimate(model, x, 1, patch=2),
                               [4 * slope, 4 * slope, -2 * slope, -2 * slope])
    # covering with the input itself moves nothing
    np.testing.assert_array_equal(occlusion_estimate(model, x, 1, patch=2, baseline=x), 0.0)


@pytest.mark.parametrize("target", [0, 2])
def test_occlusion_estimate_matches_occlusion_for_a_tiny_change(target, rng):
    # Covering with a baseline very close to x is a tiny move: first order is then nearly exact.
    model = nl.Sequential([nl.Flatten(), nl.Dense(16, 5, "tanh"), nl.Dense(5, 3, "softmax")], seed=0)
    x = rng.random((4, 4))
    baseline = x - 1e-5
    np.testing.assert_allclose(occlusion_estimate(model, x, target, patch=2, baseline=baseline),
                               occlusion(model, x, target, patch=2, baseline=baseline), rtol=1e-3, atol=1e-12)


def test_occlusion_estimate_with_one_pixel_patches_is_gradient_times_input(rng):
    model = nl.Sequential([nl.Flatten(), nl.Dense(9, 3, "softmax")], seed=1)
    x = rng.random((3, 3))
    np.testing.assert_allclose(occlusion_estimate(model, x, 2, patch=1),
                               saliency(model, x, 2, score="probability") * x)


def test_estimate_agrees_with_occlusion_on_digits(digits_model):
    model, x, y = digits_model
    predicted = model.predict_classes(x)
    agreements = [map_agreement(occlusion_estimate(model, x[i], predicted[i], patch=1),
                                occlusion(model, x[i], predicted[i], patch=1), k=8) for i in range(len(x))]
    assert np.mean([a.rank_correlation for a in agreements]) > 0.8   # measured 0.90
    assert np.mean([a.top_k_overlap for a in agreements]) > 0.8      # measured 0.92; chance is 8/64 = 0.125


# ------------------------------------------------------------------------------------------------ map_agreement


def test_hand_worked_map_agreement():
    first = np.array([0.9, 0.5, 0.1, 0.0])
    second = np.array([0.7, 0.6, 0.0, 0.2])
    # ranks (0 = smallest): first (3, 2, 1, 0), second (3, 2, 0, 1); d = (0, 0, 1, -1), sum d^2 = 2
    # Spearman without ties: 1 - 6 * 2 / (4 * (16 - 1)) = 1 - 12 / 60 = 0.8
    agreement = map_agreement(first, second, k=2)
    assert agreement.rank_correlation == pytest.approx(0.8)
    assert agreement.top_k_overlap == 1.0 and agreement.chance == 0.5 and agreement.k == 2
    # reversed order: -1, and the top-2 sets {0, 1} and {2, 3} share nothing
    reverse = map_agreement(first, -first, k=2)
    assert reverse.rank_correlation == pytest.approx(-1.0) and reverse.top_k_overlap == 0.0


def test_tied_values_share_their_rank():
    # first has a tie: ranks (0.5, 0.5, 2, 3); second ranks (0, 1, 2, 3)
    # correlation of (0.5, 0.5, 2, 3) and (0, 1, 2, 3): centred (-1, -1, 0.5, 1.5) . (-1.5, -0.5, 0.5, 1.5) = 4.5,
    # norms sqrt(4.5) and sqrt(5): 4.5 / sqrt(22.5) = 0.9487
    agreement = map_agreement([1.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0], k=1)
    assert agreement.rank_correlation == pytest.approx(4.5 / np.sqrt(22.5))
    assert map_agreement(np.zeros((2, 2)), np.arange(4.0), k=1).rank_correlation == 0.0  # constant: no order


def test_agreement_text():
    assert repr(Agreement(0.8, 0.75, 8, 0.125)) == \
        "Agreement(rank correlation 0.80, top-8 overlap 6/8 (chance: 1.0/8))"


def test_map_agreement_errors():
    with pytest.raises(ValueError, match="same number of values, but got 4 and 3"):
        map_agreement(np.zeros(4), np.zeros(3))
    with pytest.raises(ValueError, match=r"k must be at most the number of values in a map \(4\), but got 5"):
        map_agreement(np.zeros(4), np.zeros(4), k=5)


# ------------------------------------------------------------------------------------------------ as_arithmetic


def test_hand_worked_arithmetic():
    text = str(as_arithmetic(hand_network(), HAND_INPUT))
    # h1 = relu(1*1 + 2*0.5) = 2, h2 = relu(-1*1 + 0.5*0.5) = relu(-0.75) = 0, out = sigmoid(1.5*2 - 2*0 + 0.5)
    assert text.splitlines() == [
        "inputs: x1 = 1.00, x2 = 0.50",
        "Dense layer 1 (2 -> 2), relu:",
        "  h1.1 = relu(1.00*x1 + 2.00*x2 + 0.00) = relu(2.00) = 2.00",
        "  h1.2 = relu((-1.00)*x1 + 0.50*x2 + 0.00) = relu(-0.75) = 0.00",
        "Dense layer 2 (2 -> 1), sigmoid:",
        "  out1 = sigmoid(1.50*h1.1 + (-2.00)*h1.2 + 0.50) = sigmoid(3.50) = 0.97",
    ]
    assert as_arithmetic(hand_network(), HAND_INPUT).outputs[0] == pytest.approx(1 / (1 + np.exp(-3.5)))


@pytest.mark.parametrize("activation", [name for name in nl.activations.names() if name != "softmax"])
def test_arithmetic_equals_predict_for_every_activation(activation, rng):
    model = nl.Sequential([nl.Dense(3, 4, activation), nl.Dense(4, 3, "softmax")], seed=0)
    x = rng.normal(size=3)
    trace = as_arithmetic(model, x, decimals=3)
    np.testing.assert_allclose(trace.outputs, model.predict(x[None])[0], rtol=1e-12, atol=1e-12)
    assert trace.n_multiplications == 3 * 4 + 4 * 3
    assert f"Dense layer 1 (3 -> 4), {activation}:" in trace.lines
    assert trace.lines[-1].startswith("  (out1, out2, out3) = softmax(z1, z2, z3) = (")


def test_arithmetic_through_flatten_and_dropout(rng):
    model = nl.Sequential([nl.Flatten(), nl.Dense(4, 2, "tanh"), nl.Dropout(0.5, seed=0), nl.Dense(2, 1)], seed=3)
    image = rng.random((2, 2))
    trace = as_arithmetic(model, image, decimals=1)
    np.testing.assert_allclose(trace.outputs, model.predict(image[None])[0], rtol=1e-12)
    assert trace.lines[0] == "inputs: " + ", ".join(f"x{i + 1} = {v:.1f}" for i, v in enumerate(image.ravel()))
    assert trace.lines[-1].startswith("  out1 = ") and "identity" not in trace.lines[-1]


def test_arithmetic_errors(rng):
    with pytest.raises(ValueError, match=r"needs 2,368 multiplications for one input: too many lines to read"):
        as_arithmetic(nl.Sequential([nl.Dense(64, 32, "relu"), nl.Dense(32, 10, "softmax")]), np.zeros(64))
    with pytest.raises(ValueError, match=r"x must hold 2 numbers for Dense layer 1 \(2 -> 2\)"):
        as_arithmetic(hand_network(), np.zeros(3))
    with pytest.raises(ValueError, match="writes out Dense networks .* but this model has Conv2D"):
        as_arithmetic(nl.Sequential([nl.Conv2D(1, 1, 2), nl.Flatten(), nl.Dense(4, 1)]), np.zeros((1, 3, 3)))
    with pytest.raises(ValueError, match="decimals must be a whole number"):
        as_arithmetic(hand_network(), HAND_INPUT, decimals=-1)


# ------------------------------------------------------------------------------------------------ pictures


def test_as_image_layouts():
    square = np.arange(9.0).reshape(3, 3)
    for layout in (square, square[None], square.ravel()):
        np.testing.assert_array_equal(pictures.as_image(layout), square)
    with pytest.raises(ValueError, match=r"flat square .* but got shape \(5,\)"):
        pictures.as_image(np.zeros(5))


def test_saliency_view_data_matches_the_core(digits_model):
    model, x, y = digits_model
    data = pictures.saliency_view_data(model, x, 4, y, patch=2, k=8)
    predicted = int(np.argmax(model.predict(x[4:5])[0]))
    assert data.predicted == predicted and data.label == y[4] and data.index == 4 and data.patch == 2
    np.testing.assert_array_equal(data.image, x[4])
    np.testing.assert_array_equal(data.saliency, saliency(model, x[4], predicted))
    np.testing.assert_array_equal(data.estimate, occlusion_estimate(model, x[4], predicted, patch=2))
    np.testing.assert_array_equal(data.occlusion, occlusion(model, x[4], predicted, patch=2))
    assert data.agreement == map_agreement(data.estimate, data.occlusion, k=8)
    with pytest.raises(ValueError, match=r"index must be in 0\.\.99 \(there are 100 images\), but got 100"):
        pictures.saliency_view_data(model, x, 100)


def test_draw_and_update_saliency_view(digits_model):
    model, x, y = digits_model
    fig = figure((10, 2.5))
    axes = [fig.add_subplot(1, 5, i + 1) for i in range(5)]
    first = pictures.saliency_view_data(model, x, 0, y)
    artists = pictures.draw_saliency_view(axes, first)
    np.testing.assert_array_equal(artists["occlusion"].get_array(), first.occlusion)
    second = pictures.saliency_view_data(model, x, 7, y, patch=3)
    pictures.update_saliency_view(artists, second)
    for key in ("image", "saliency", "estimate", "occlusion"):
        np.testing.assert_array_equal(artists[key].get_array(), second[key])
    limit = np.abs(second.saliency).max()
    assert artists["saliency"].get_clim() == (-limit, limit)  # centred on 0: white means no effect
    widths = [bar.get_width() for bar in artists["bars"]]
    np.testing.assert_allclose(widths, second.probabilities)
    with pytest.raises(ValueError, match="needs 5 axes"):
        pictures.draw_saliency_view(axes[:4], first)


def test_unit_gallery(digits_model):
    model, x, _ = digits_model
    data = pictures.unit_gallery_data(model, x, [3, 10], layer=1, k=4)
    np.testing.assert_array_equal(data.weights[1], model.layers[1].weights[:, 10].reshape(8, 8))
    np.testing.assert_array_equal(data.top[0], nl.top_activating(model, x, 1, 3, k=4))
    np.testing.assert_array_equal(data.top_images[0, 0], x[data.top[0, 0]])
    fig = figure((6, 3))
    artists = pictures.draw_unit_gallery(fig, data)
    assert len(artists["weights"]) == 2 and len(artists["top"][1]) == 4
    np.testing.assert_array_equal(artists["top"][1][2].get_array(), x[data.top[1, 2]])
    with pytest.raises(ValueError, match="has 32 inputs, but one image has 64 pixels"):
        pictures.unit_gallery_data(model, x, [0], layer=2)


def test_draw_predicted_images_marks_wrong_answers():
    probabilities = np.array([[0.1, 0.9], [0.8, 0.2]])
    fig = figure((4, 2))
    artists = pictures.draw_predicted_images(fig.subplots(1, 2), np.zeros((2, 2, 2)), probabilities, labels=[1, 1],
                                             names=["a", "b"])
    assert [t.get_text() for t in artists["titles"]] == ["a\n1 (0.90)", "b\n0 (0.80)"]
    assert artists["titles"][0].get_color() != artists["titles"][1].get_color()  # the wrong one is red


# ------------------------------------------------------------------------------------------------ explorer


def test_moving_the_image_slider_updates_every_map(digits_model):
    model, x, y = digits_model
    explorer = explore_saliency(model, x, y)
    assert "nnl-explorer" in explorer.widget._dom_classes
    image = explorer.controls["image"]
    assert {"nnl-image", "nnl-browser-move"} <= set(image._dom_classes)
    assert sum("nnl-browser-move" in c._dom_classes for c in explorer.controls.values()) == 1
    image.value = 12
    expected = pictures.saliency_view_data(model, x, 12, y, patch=1)
    for key in ("image", "saliency", "estimate", "occlusion"):
        np.testing.assert_array_equal(explorer.artists[key].get_array(), expected[key])
    np.testing.assert_allclose([bar.get_width() for bar in explorer.artists["bars"]], expected.probabilities)
    assert explorer.readout_text.startswith(f"image 12: label {y[12]}, predicted {expected.predicted} (p = ")
    explorer.controls["patch"].value = 2
    np.testing.assert_array_equal(explorer.artists["occlusion"].get_array(),
                                  occlusion(model, x[12], expected.predicted, patch=2))
    png = explorer._repr_mimebundle_()["image/png"]
    assert len(png) > 1000  # a static picture for GitHub and nbval
    explorer.close()


def test_explorer_errors():
    model = nl.Sequential([nl.Flatten(), nl.Dense(4, 2, "softmax")], seed=0)
    with pytest.raises(ValueError, match="images must be a batch of images"):
        explore_saliency(model, np.zeros(4))


# ------------------------------------------------------------------------------------------------ exercise


def test_network_by_hand_exercise():
    assert not nl.exercises.check("network_by_hand", output=None).done
    assert nl.exercises.check("network_by_hand", output=0.9707).passed
    assert nl.exercises.check("network_by_hand", output=float(hand_network().predict(HAND_INPUT[None])[0, 0]))
    forgot_relu = nl.exercises.check("network_by_hand", output=0.9933)
    assert not forgot_relu.passed and "ReLU turns a negative sum into 0" in forgot_relu.message
    assert "weighted sum z" in nl.exercises.check("network_by_hand", output=3.5).message
    assert "sigmoid(3.5) = 0.9707" in nl.exercises.solution("network_by_hand")


def test_saliency_canvas_scene_is_the_matplotlib_picture_and_follows_the_controls(digits_model):
    model, x, y = digits_model
    explorer = explore_saliency(model, x, y, index=2)
    canvas = explorer.canvas
    assert canvas in explorer.widget.children and explorer._image is None
    assert canvas.control_names == ["image", "patch"]
    sent = canvas.scenes_sent
    explorer.controls["image"].value = 12
    assert canvas.scenes_sent == sent + 1
    width, height, panels, items, arrays = explorer.scene()
    assert (width, height) == (900, 225)
    assert {name: (a.shape, a.dtype.name) for name, a in arrays.items()} == {
        "image": ((8, 8, 4), "uint8"), "saliency": ((8, 8, 4), "uint8"), "estimate": ((8, 8, 4), "uint8"),
        "occlusion": ((8, 8, 4), "uint8"), "bars": ((10, 4), "float32")}
    expected = pictures.saliency_view_data(model, x, 12, y, patch=1)
    for key in ("image", "saliency", "estimate", "occlusion"):
        artist = explorer.artists[key]
        np.testing.assert_array_equal(artist.get_array(), expected[key])
        # the canvas's colours are matplotlib's for this image (rows bottom to top on the canvas): the same row of
        # the same colour map, picked from the artist's own colour range (matplotlib truncates the row's colour
        # to bytes where the canvas rounds it: at most 1 apart)
        rows = np.clip(np.floor(artist.norm(artist.get_array()).filled(np.nan) * 256), 0, 255).astype(int)
        np.testing.assert_array_equal(arrays[key][::-1], _style.colormap_lut(artist.cmap.name)[rows])
        np.testing.assert_allclose(arrays[key][::-1], artist.to_rgba(artist.get_array(), bytes=True), atol=1)
    # the brightest digit pixel is black (gray_r), a 0 pixel white; the map's largest |value| is a full colour
    image = arrays["image"][::-1]
    assert image[np.unravel_index(np.argmax(expected.image), (8, 8))].tolist() == [0, 0, 0, 255]
    assert image[np.unravel_index(np.argmin(expected.image), (8, 8))].tolist() == [255, 255, 255, 255]
    assert [p["title"] for p in panels] == [
        "image", "saliency: d(score)/d(pixel)", "drop predicted by saliency", "drop measured by covering",
        "probabilities"]
    bars = arrays["bars"]
    np.testing.assert_allclose(bars[:, 2], expected.probabilities, rtol=1e-6)
    np.testing.assert_allclose(bars[:, 2], [bar.get_width() for bar in explorer.artists["bars"]], rtol=1e-6)
    np.testing.assert_allclose(bars[:, [1, 3]], [[bar.get_y(), bar.get_y() + bar.get_height()]
                                                 for bar in explorer.artists["bars"]], rtol=1e-6)
    colors = next(item["colors"] for item in items if item["kind"] == "bars")
    from matplotlib.colors import to_hex
    assert colors == [to_hex(bar.get_facecolor()) for bar in explorer.artists["bars"]]
    assert panels[4]["ylim"] == [float(v) for v in explorer.artists["bars"][0].axes.get_ylim()]
    assert panels[4]["ylim"][0] > panels[4]["ylim"][1]  # class 0 at the top, as barh + invert_yaxis
    # the patch slider: one more scene, the measured drop of 2x2 patches
    explorer.controls["patch"].value = 2
    assert canvas.scenes_sent == sent + 2
    arrays = explorer.scene()[4]
    measured = occlusion(model, x[12], expected.predicted, patch=2)
    limit = np.abs(measured).max()
    np.testing.assert_allclose(arrays["occlusion"][::-1], explorer.artists["occlusion"].to_rgba(
        measured, bytes=True), atol=1)
    assert arrays["occlusion"][::-1][np.unravel_index(np.argmax(measured), (8, 8))].tolist() == \
        _style.colormap_lut(_style.DIVERGING)[255].tolist()  # the largest drop: the map's last colour
    assert explorer.artists["occlusion"].get_clim() == (-limit, limit)
    # dragging back: the maps come from the cache (the same object), and one scene per move
    first = explorer.data
    explorer.controls["image"].value = 13
    explorer.controls["image"].value = 12
    assert explorer.data is first and canvas.scenes_sent == sent + 4
    # the browser's own path (follow): one request, one scene
    canvas._on_message(canvas, {"type": "controls", "values": {"image": 20}, "seq": 1}, [])
    assert explorer.controls["image"].value == 20 and canvas.scenes_sent == sent + 5
    explorer.close()


def test_saliency_cache_is_dropped_when_the_model_learns_more(digits_model):
    images, labels = nl.datasets.digits()
    model = nl.Sequential([nl.Flatten(), nl.Dense(64, 10, "softmax")], seed=0)
    explorer = explore_saliency(model, images[:5], labels[:5])
    before = explorer.data.saliency.copy()
    model.fit(images[:200], labels[:200], "cross_entropy", optimizer="adam", lr=0.05, epochs=2, seed=0,
              progress=False)
    explorer.controls["image"].value = 1
    explorer.controls["image"].value = 0
    assert not np.allclose(explorer.data.saliency, before)
    np.testing.assert_array_equal(explorer.data.saliency, pictures.saliency_view_data(model, images[:5], 0).saliency)
    explorer.close()


def test_saliency_without_canvas_keeps_the_png_picture(digits_model):
    model, x, y = digits_model
    explorer = explore_saliency(model, x, y, canvas=False)
    assert explorer.canvas is None
    explorer.controls["image"].value = 7
    expected = pictures.saliency_view_data(model, x, 7, y)
    np.testing.assert_array_equal(explorer.artists["saliency"].get_array(), expected.saliency)
    assert len(explorer._repr_mimebundle_()["image/png"]) > 1000
    assert nl.widgets.SaliencyExplorer(model, x, y, live=True).canvas is None  # live=True asks for ipympl
    explorer.close()

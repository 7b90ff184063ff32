"""Seeing the hierarchy: gratings and orientation selectivity, receptive fields, activation maximisation, top
patches, the pictures' compute halves and the explorer (nnlearn/hierarchy.py, plots/hierarchy.py,
widgets/hierarchy.py)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import nnlearn as nl
from nnlearn import hierarchy
from nnlearn.hierarchy import _unit_gradient
from nnlearn.plots import hierarchy as pictures
from nnlearn.widgets.hierarchy import explore_hierarchy

VERTICAL_EDGE = np.array([[-1.0, 0.0, 1.0]] * 3)  # right minus left
HORIZONTAL_EDGE = VERTICAL_EDGE.T  # below minus above
ANGLES = np.arange(0, 180, 15)


def test_grating_by_hand():
    # angle 90, f = 0.25: value 0.5 + 0.5 sin(2 pi * 0.25 * col) = 0.5 + 0.5 sin(pi/2 * col): 0.5, 1, 0.5, 0
    expected_row = [0.5, 1.0, 0.5, 0.0]
    np.testing.assert_allclose(hierarchy.grating(4, 90, 0.25), [expected_row] * 4, atol=1e-12)
    # angle 0: horizontal stripes, constant along each row
    stripes = hierarchy.grating(6, 0, 0.25)
    np.testing.assert_allclose(stripes, stripes[:, :1].repeat(6, axis=1))
    # angle 45: "/" stripes: constant where col + row is constant, e.g. (0, 2), (1, 1), (2, 0)
    diagonal = hierarchy.grating(5, 45, 0.2)
    assert diagonal[0, 2] == pytest.approx(diagonal[1, 1]) == pytest.approx(diagonal[2, 0])


@pytest.mark.parametrize("kernel, angle", [(VERTICAL_EDGE, 90), (HORIZONTAL_EDGE, 0),
                                           # bright upper right, dark lower left: the boundary runs "\"
                                           (np.array([[0, 1, 1], [-1, 0, 1], [-1, -1, 0.0]]), 135),
                                           (np.array([[1, 1, 0], [1, 0, -1], [0, -1, -1.0]]), 45)])
def test_edge_kernels_are_selective_and_peak_at_their_angle(kernel, angle):
    responses = hierarchy.grating_responses(kernel, ANGLES)
    assert responses.shape == (1, len(ANGLES))
    assert hierarchy.preferred_angle(responses, ANGLES)[0] == angle
    assert hierarchy.orientation_selectivity(responses)[0] > 0.9


def test_vertical_edge_response_by_hand():
    # Vertical stripes at f = 0.25 under the kernel: sum = 3 * (s[c + 1] - s[c - 1]) with s = 0.5 sin(pi/2 c),
    # so the swing is 3 * 0.5 * 2 sin(pi/2) * cos(...) = 3 cos(...): amplitude 3, root-mean-square 3 / sqrt 2.
    responses = hierarchy.grating_responses(VERTICAL_EDGE, [0, 90], frequency=0.25)
    np.testing.assert_allclose(responses, [[0.0, 3 / np.sqrt(2)]], atol=1e-9)


def test_flat_and_zero_kernels_are_not_selective():
    flat = hierarchy.orientation_selectivity(hierarchy.grating_responses(np.ones((3, 3)), ANGLES))
    zero = hierarchy.orientation_selectivity(hierarchy.grating_responses(np.zeros((3, 3)), ANGLES))
    assert flat[0] < 0.1
    assert zero[0] == 0.0


def test_grating_responses_leave_the_layer_alone_and_sum_channels():
    layer = nl.Conv2D(2, 1, 3, seed=0)
    layer.weights[0, 0] = VERTICAL_EDGE
    layer.weights[0, 1] = VERTICAL_EDGE
    responses = hierarchy.grating_responses(layer, [0, 90], frequency=0.25)
    assert layer._cache is None and layer.grad_weights is None
    np.testing.assert_allclose(responses, [[0.0, 2 * 3 / np.sqrt(2)]], atol=1e-9)  # both channels add up


def test_orientation_selectivity_by_hand_and_errors():
    # (4 - 1) / (4 + 1) = 0.6 ; equal responses: 0
    np.testing.assert_allclose(hierarchy.orientation_selectivity([[1.0, 4.0, 2.0], [2.0, 2.0, 2.0]]), [0.6, 0.0])
    with pytest.raises(ValueError, match="0 or more"):
        hierarchy.orientation_selectivity([[1.0, -1.0]])
    with pytest.raises(ValueError, match="n_filters, n_angles"):
        hierarchy.orientation_selectivity([1.0, 2.0])
    with pytest.raises(ValueError, match="frequency"):
        hierarchy.grating_responses(VERTICAL_EDGE, frequency=0.0)


def test_receptive_fields_of_the_lessons_cnn():
    model = hierarchy.shapes_cnn(seed=0)
    fields = [hierarchy.receptive_field(model, k) for k in range(4)]
    # conv 3: 3 px; pool 2: 3 + 1 = 4, step 2; conv 3: 4 + 2 * 2 = 8; pool 2: 8 + 1 * 2 = 10, step 4
    assert [f.size for f in fields] == [3, 4, 8, 10]
    assert [f.jump for f in fields] == [1, 2, 2, 4]
    # conv 1 unit (0, 0) sees rows -1..1 (padding 1); conv 2 unit 3 sees rows 0.5 + 2 * 3 - 3.5 = 3 .. 10
    assert fields[0].top(0) == -1 and fields[2].top(3) == 3
    with pytest.raises(ValueError, match="whole image"):
        hierarchy.receptive_field(model, 4)


def test_crop_patch_fills_outside_with_zero():
    image = np.arange(16.0).reshape(1, 4, 4)
    field = hierarchy.ReceptiveField(size=3, jump=1, start=0.0)  # a 3x3 conv with padding 1
    np.testing.assert_array_equal(hierarchy.crop_patch(image, field, 0, 0)[0], [[0, 0, 0], [0, 0, 1], [0, 4, 5]])


def test_blur_spreads_but_keeps_the_ink():
    spot = np.pad([[1.0]], 4)
    blurred = hierarchy.blur_image(spot, 1.0)
    assert blurred.sum() == pytest.approx(1.0, abs=1e-3)
    assert blurred[4, 4] < 1.0 and blurred[4, 5] > 0
    np.testing.assert_array_equal(hierarchy.blur_image(spot, 0), spot)


def test_unit_gradient_matches_finite_differences():
    model = nl.Sequential([nl.Conv2D(1, 2, 3, padding=1, activation="tanh", seed=1), nl.MaxPool2D(2),
                           nl.Flatten(), nl.Dense(8, 3, "softmax", seed=2)], seed=0)
    x = np.random.default_rng(0).uniform(0, 1, size=(1, 4, 4))
    for position, index in ((0, (1, 2, 1)), (3, (2,))):
        value, grad = _unit_gradient(model, x, position, index)
        numeric = np.zeros_like(x)
        for pixel in np.ndindex(x.shape):
            step = np.zeros_like(x)
            step[pixel] = 1e-6
            up, _ = _unit_gradient(model, x + step, position, index)
            down, _ = _unit_gradient(model, x - step, position, index)
            numeric[pixel] = (up - down) / 2e-6
        np.testing.assert_allclose(grad, numeric, atol=1e-7)


def test_activation_maximization_of_one_neuron():
    # z = x0 - x1: the best input in [0, 1] turns x0 on, x1 off, and the L2 penalty leaves x2, x3 at 0.
    model = nl.Sequential([nl.Dense(4, 1)])
    model.layers[0].weights[:] = [[1.0], [-1.0], [0.0], [0.0]]
    picture = hierarchy.activation_maximization(model, 0, 0, steps=100, lr=0.1, l2=0.05, seed=0)
    assert picture.shape == (4,)
    assert picture[0] > 0.9 and picture[1] == 0.0 and picture[2] < 0.01 and picture[3] < 0.01


def test_activation_maximization_of_a_vertical_edge_filter_draws_the_edge():
    model = nl.Sequential([nl.Conv2D(1, 1, 3, padding=1)])
    model.layers[0].weights[0, 0] = VERTICAL_EDGE
    picture = hierarchy.activation_maximization(model, 0, 0, input_shape=(1, 9, 9), steps=60, blur=0, jitter=0)[0]
    # the centre unit (4, 4) sees rows and columns 3..5: dark on the left column, bright on the right
    assert picture[3:6, 5].min() > 0.9 and picture[3:6, 3].max() == 0.0
    with pytest.raises(ValueError, match="input_shape"):
        hierarchy.activation_maximization(model, 0, 0)


def test_shapes_cnn_is_the_benchmarks_network():
    model = hierarchy.shapes_cnn(seed=0)
    # 8 * 9 + 8 = 80; 16 * 8 * 9 + 16 = 1168; 256 * 6 + 6 = 1542
    assert model.n_params == 80 + 1168 + 1542
    assert model.predict(np.zeros((3, 1, 16, 16))).shape == (3, 6)


# ---------------------------------------------------------------------------------------------- pictures
def _pixel_model():
    """One 3x3 conv that copies the centre pixel: a unit's response is the brightness where it looks."""
    model = nl.Sequential([nl.Conv2D(1, 1, 3, padding=1), nl.Flatten(), nl.Dense(16, 2)], seed=0)
    model.layers[0].weights[0, 0] = [[0, 0, 0], [0, 1.0, 0], [0, 0, 0]]
    return model


def test_top_patches_of_a_conv_unit_are_its_receptive_field_around_the_peak():
    images = np.zeros((3, 1, 4, 4))
    images[0, 0, 1, 2] = 0.5
    images[1, 0, 3, 3] = 0.9
    images[2, 0, 0, 0] = 0.2
    data = pictures.top_patches_data(_pixel_model(), images, layer=0, unit=0, k=2)
    np.testing.assert_array_equal(data.indices, [1, 0])
    np.testing.assert_allclose(data.values, [0.9, 0.5])
    assert data.field == 3 and data.patches.shape == (2, 3, 3)
    # image 1's peak (3, 3) sits in the corner: the patch's centre, the rest outside the image is 0
    np.testing.assert_allclose(data.patches[0], [[0, 0, 0], [0, 0.9, 0], [0, 0, 0]])


def test_top_patches_of_a_dense_unit_are_whole_images():
    model = _pixel_model()
    model.layers[2].weights[:] = 0.0
    model.layers[2].weights[5, 1] = 1.0  # unit 1 reads pixel (1, 1)
    images = np.zeros((3, 4, 4))
    images[2, 1, 1] = 1.0
    data = pictures.top_patches_data(model, images, layer=-1, unit=1, k=1)
    assert data.indices.tolist() == [2] and data.field == 4
    np.testing.assert_array_equal(data.patches[0], images[2])


def test_filter_grid_and_feature_maps():
    layer = nl.Conv2D(1, 4, 3, seed=0)
    data = pictures.filter_grid_data(layer, n_columns=4)
    assert data.n_images == 4 and data.limits == (-1.0, 1.0)
    np.testing.assert_allclose(data.mosaic[:, :3], layer.weights[0, 0] / np.abs(layer.weights[0, 0]).max())
    maps = pictures.feature_maps_data(hierarchy.shapes_cnn(seed=0), np.zeros((16, 16)))
    assert [m.shape for m in maps.maps] == [(8, 16, 16), (8, 8, 8), (16, 8, 8), (16, 4, 4), (256,), (6,)]
    fig = nl.plots.figure()
    artists = pictures.draw_feature_maps(fig, maps, class_names=nl.datasets.SHAPE_NAMES)
    assert len(artists["images"]) == 4 and len(artists["bars"]) == 6


def test_layer_thumbnails_follow_the_network():
    model = nl.Sequential([nl.Dense(2, 8, "tanh"), nl.Dense(8, 4, "tanh"), nl.Dense(4, 1, "sigmoid")], seed=0)
    data = pictures.layer_thumbnails_data(model, resolution=12, thumbnail=12)
    assert [g.shape[0] for g in data.grids.layers] == [2, 8, 4, 1]
    assert data.segments.shape == (2 * 8 + 8 * 4 + 4, 2, 2) and data.weights.shape == (52,)
    artists = pictures.draw_layer_thumbnails(nl.plots.figure().add_subplot(), data)
    np.testing.assert_array_equal(artists["image"].get_array(), data.mosaic)


def test_before_after_figure_has_a_panel_per_filter():
    layer = nl.Conv2D(1, 3, 3, seed=0)
    fig = pictures.filters_before_after_figure(layer.weights * 0.5, layer)
    assert len(fig.axes) == 9


# ---------------------------------------------------------------------------------------------- explorer
@pytest.fixture(scope="module")
def explorer():
    images, _ = nl.datasets.shapes(n=40, seed=0)
    return explore_hierarchy(hierarchy.shapes_cnn(seed=0), images, steps=3)


def test_explorer_classes(explorer):
    assert "nnl-explorer" in explorer.widget._dom_classes
    assert "nnl-browser-move" in explorer.controls["unit"]._dom_classes
    assert [value for _, value in explorer.controls["layer"].options] == [0, 2, 5]


def test_moving_the_unit_slider_redraws_from_the_compute_half(explorer):
    explorer.controls["layer"].value = 0
    before = explorer.artists["patches"]["image"].get_array().copy()
    explorer.controls["unit"].value = 5
    data = explorer.compute()
    expected = pictures.top_patches_data(explorer.model, explorer.images, 0, 5, k=9)
    np.testing.assert_array_equal(explorer.artists["patches"]["image"].get_array(),
                                  pictures.image_grid_data(expected.patches, 3, diverging=False).mosaic)
    np.testing.assert_array_equal(explorer.artists["filter"].get_array(), data["filters"].mosaic)
    np.testing.assert_array_equal(explorer.artists["picture"].get_array(), data["picture"])
    np.testing.assert_array_equal(explorer.data["patches"].indices, expected.indices)
    assert not np.array_equal(before, explorer.artists["patches"]["image"].get_array(), equal_nan=True)
    assert (0, 5) in explorer.pictures  # cached


def test_switching_layers_adjusts_the_slider_and_cache(explorer):
    explorer.controls["layer"].value = 2
    explorer.controls["unit"].value = 15
    assert explorer.controls["unit"].max == 15
    assert explorer.data["patches"].field == 8 and explorer.data["picture"].shape == (8, 8)
    explorer.controls["layer"].value = 5  # the output layer has 6 units: the slider comes down to 5
    assert explorer.controls["unit"].max == 5 and explorer.controls["unit"].value == 5
    assert explorer.data["filters"] is None and not explorer.artists["filter"].get_visible()
    assert explorer.data["picture"].shape == (16, 16)
    cached = explorer.pictures[(5, 5)]
    explorer.controls["unit"].value = 4
    explorer.controls["unit"].value = 5
    assert explorer.pictures[(5, 5)] is cached


def _canvas_colours(artist, cmap):
    """The RGBA rows matplotlib's imshow picks for this artist's data (gaps see-through), rows bottom to top."""
    from nnlearn.plots import _style

    values = np.ma.filled(np.ma.asarray(artist.get_array(), dtype=float), np.nan)
    rows = np.clip(np.floor(artist.norm(values) * 256), 0, 255)
    rgba = _style.colormap_lut(cmap)[np.nan_to_num(rows).astype(int)]
    rgba[np.isnan(values)] = 0
    return rgba[::-1]


def test_hierarchy_canvas_scene_is_the_matplotlib_picture_and_follows_the_controls():
    images, _ = nl.datasets.shapes(n=40, seed=0)
    explorer = explore_hierarchy(hierarchy.shapes_cnn(seed=0), images, layer=2, steps=3)
    canvas = explorer.canvas
    assert canvas in explorer.widget.children and explorer._image is None
    assert canvas.control_names == ["unit"] and explorer.controls["unit"].continuous_update  # the menu: ipywidgets
    sent = canvas.scenes_sent
    explorer.controls["unit"].value = 7
    assert canvas.scenes_sent == sent + 1
    width, height, panels, items, arrays = explorer.scene()
    assert (width, height) == (864, 306)
    data = explorer.data
    expected = pictures.top_patches_data(explorer.model, explorer.images, 2, 7, k=9)
    np.testing.assert_array_equal(data["patches"].indices, expected.indices)
    # 16 filters of 3x3 per input channel: 8 tiles in a 2 x 4 grid with one-pixel gaps; 9 patches 8x8 in 3 x 3
    assert {name: (a.shape, a.dtype.name) for name, a in arrays.items()} == {
        "filter": ((7, 15, 4), "uint8"), "patches": ((26, 26, 4), "uint8"), "picture": ((8, 8, 4), "uint8")}
    for name, cmap in (("filter", nl.plots._style.DIVERGING), ("patches", "gray"), ("picture", "gray")):
        artist = explorer.artists[name]["image"] if name == "patches" else explorer.artists[name]
        np.testing.assert_array_equal(arrays[name], _canvas_colours(artist, cmap))
    assert arrays["filter"][::-1][3, 0, 3] == 0 and arrays["filter"][::-1][0, 3, 3] == 0  # the gaps
    # the strongest patch's brightest pixel is white in the grey map over 0 ... max(1, brightest)
    top = expected.patches[0]
    assert arrays["patches"][::-1][np.unravel_index(np.argmax(top), top.shape)].tolist()[:3] == \
        [int(np.floor(min(top.max() / max(1.0, expected.patches.max()) * 256, 255)))] * 3
    np.testing.assert_array_equal(arrays["picture"][::-1, :, 0], np.clip(np.floor(
        explorer.data["picture"] * 256), 0, 255).astype(np.uint8))  # vmin 0, vmax 1
    assert [p["title"] for p in panels] == [ax.get_title() for ax in explorer.axes] == [
        "filter: 8 input channels (blue +, orange -)", "top 9 patches (8x8 pixels)",
        "the input it likes most (activation max.)"]
    assert [p["axes"] for p in panels] == [False, False, True] and panels[2]["frame_color"] == "#000000"
    assert [item["extent"] for item in items] == [[float(v) for v in a.get_extent()] for a in (
        explorer.artists["filter"], explorer.artists["patches"]["image"], explorer.artists["picture"])]
    # back to a unit seen before: nothing is computed again
    first = explorer.data
    explorer.controls["unit"].value = 3
    explorer.controls["unit"].value = 7
    assert explorer.data is first and canvas.scenes_sent == sent + 3
    # the layer menu: one scene, the Dense layer's note instead of a filter
    explorer.controls["layer"].value = 5
    assert canvas.scenes_sent == sent + 4 and explorer.controls["unit"].value == 5
    width, height, panels, items, arrays = explorer.scene()
    assert sorted(arrays) == ["patches", "picture"] and arrays["picture"].shape == (16, 16, 4)
    texts = [item["text"] for item in items if item["kind"] == "text"]
    assert "\n".join(texts) == explorer.artists["filter_note"].get_text() and panels[0]["title"] == "filter"
    # the browser's own path (follow): one request, one scene
    canvas._on_message(canvas, {"type": "controls", "values": {"unit": 2}, "seq": 1}, [])
    assert explorer.controls["unit"].value == 2 and canvas.scenes_sent == sent + 5
    explorer.close()


def test_hierarchy_without_canvas_keeps_the_png_picture():
    images, _ = nl.datasets.shapes(n=40, seed=0)
    explorer = explore_hierarchy(hierarchy.shapes_cnn(seed=0), images, steps=3, canvas=False)
    assert explorer.canvas is None and not explorer.controls["unit"].continuous_update
    explorer.controls["unit"].value = 4
    expected = pictures.top_patches_data(explorer.model, explorer.images, 0, 4, k=9)
    np.testing.assert_array_equal(explorer.artists["patches"]["image"].get_array(),
                                  pictures.image_grid_data(expected.patches, 3, diverging=False).mosaic)
    np.testing.assert_array_equal(explorer.artists["picture"].get_array(), explorer.data["picture"])
    assert explorer.data["picture"].shape == (3, 3) and (0, 4) in explorer.pictures
    assert len(explorer._repr_mimebundle_()["image/png"]) > 1000
    explorer.close()


def test_receptive_field_exercise():
    assert not nl.exercises.check("receptive_field_size", size=None).done
    assert nl.exercises.check("receptive_field_size", size=8).passed
    assert not nl.exercises.check("receptive_field_size", size=5).passed

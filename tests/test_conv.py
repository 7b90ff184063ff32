"""Conv2D and MaxPool2D: hand-worked values, finite differences, PyTorch agreement, networks, errors."""

import json

import numpy as np
import pytest

import nnlearn as nl
from nnlearn import activations
from nnlearn.conv import Conv2D, MaxPool2D

CONV_ACTIVATIONS = [name for name in activations.names() if name != "softmax"]  # softmax is refused, tested below


def lesson_cnn(n_classes=6, seed=0):
    return nl.Sequential(
        [
            Conv2D(1, 8, 3, padding=1, activation="relu"),
            MaxPool2D(2),
            Conv2D(8, 16, 3, padding=1, activation="relu"),
            MaxPool2D(2),
            nl.Flatten(),
            nl.Dense(16 * 4 * 4, n_classes, "softmax"),
        ],
        seed=seed,
    )


def shapes_split(n=900, n_train=600):
    images, labels = nl.datasets.shapes(n=n, seed=0)
    x = images.reshape(n, 1, 16, 16)
    return x[:n_train], x[n_train:], labels[:n_train], labels[n_train:]


def input_gradient_by_finite_differences(layer, x, upstream, h=1e-6):
    """d sum(upstream * layer(x)) / dx, one input number at a time."""
    numeric = np.zeros_like(x)
    for index in np.ndindex(*x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += h
        minus[index] -= h
        numeric[index] = (np.sum(upstream * layer.forward(plus)) - np.sum(upstream * layer.forward(minus))) / (2 * h)
    return numeric


# ---------------------------------------------------------------------------------------------- hand-worked
def test_conv2d_hand_worked_forward_and_backward():
    layer = Conv2D(1, 1, kernel_size=2)
    layer.weights[:] = [[[[1.0, 2.0], [0.0, -1.0]]]]
    layer.bias[:] = [0.5]
    x = np.array([[[[1.0, 0.0, 2.0], [3.0, 1.0, 0.0], [0.0, 2.0, 1.0]]]])
    # Each output pixel: 1*top-left + 2*top-right + 0*bottom-left - 1*bottom-right + 0.5
    # (0, 0): 1*1 + 2*0 - 1*1 + 0.5 = 0.5     (0, 1): 1*0 + 2*2 - 1*0 + 0.5 = 4.5
    # (1, 0): 1*3 + 2*1 - 1*2 + 0.5 = 3.5     (1, 1): 1*1 + 2*0 - 1*1 + 0.5 = 0.5
    np.testing.assert_allclose(layer.forward(x), [[[[0.5, 4.5], [3.5, 0.5]]]])
    grad_output = np.array([[[[1.0, 0.0], [0.0, 2.0]]]])
    grad_x = layer.backward(grad_output)
    # grad_weights[i, j] = sum over outputs of grad * the input pixel under weight (i, j):
    # (0, 0): 1*x[0,0] + 2*x[1,1] = 1 + 2 = 3      (0, 1): 1*x[0,1] + 2*x[1,2] = 0 + 0 = 0
    # (1, 0): 1*x[1,0] + 2*x[2,1] = 3 + 4 = 7      (1, 1): 1*x[1,1] + 2*x[2,2] = 1 + 2 = 3
    np.testing.assert_allclose(layer.grad_weights, [[[[3.0, 0.0], [7.0, 3.0]]]])
    np.testing.assert_allclose(layer.grad_bias, [3.0])  # 1 + 0 + 0 + 2
    # Output (0, 0) with grad 1 sends weights * 1 to pixels (0..1, 0..1); output (1, 1) sends weights * 2 to
    # pixels (1..2, 1..2); they overlap at pixel (1, 1): -1*1 + 1*2 = 1.
    np.testing.assert_allclose(grad_x, [[[[1.0, 2.0, 0.0], [0.0, 1.0, 4.0], [0.0, 0.0, -2.0]]]])


def test_conv2d_stride_and_padding_hand_worked():
    layer = Conv2D(1, 1, kernel_size=3, stride=2, padding=1)
    layer.weights[:] = 1.0  # each output is the sum of a 3x3 patch of the zero-padded image
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    # output size = (4 + 2*1 - 3) // 2 + 1 = 2; patches centred on pixels (0,0), (0,2), (2,0), (2,2)
    # (0, 0): 0+1+4+5 = 10    (0, 1): 1+2+3+5+6+7 = 24    (1, 0): 4+5+8+9+12+13 = 51
    # (1, 1): 5+6+7+9+10+11+13+14+15 = 90
    np.testing.assert_allclose(layer.forward(x), [[[[10.0, 24.0], [51.0, 90.0]]]])


def test_maxpool_hand_worked_with_a_tie_goes_to_the_first_maximum():
    x = np.array([[[[1.0, 3.0, 0.0, 0.0],
                    [3.0, 2.0, 0.0, 0.0],
                    [5.0, 1.0, 7.0, 7.0],
                    [0.0, 2.0, 7.0, 7.0]]]])
    pool = MaxPool2D(2)
    np.testing.assert_allclose(pool.forward(x), [[[[3.0, 0.0], [5.0, 7.0]]]])
    grad_x = pool.backward(np.array([[[[10.0, 20.0], [30.0, 40.0]]]]))
    # Top-left window: 3 appears twice; row by row the first is (0, 1), so it takes all of the 10.
    # Top-right: four zeros tie, the first (0, 2) takes 20. Bottom-right: four 7s, (2, 2) takes 40.
    np.testing.assert_allclose(
        grad_x,
        [[[[0.0, 10.0, 20.0, 0.0], [0.0, 0.0, 0.0, 0.0], [30.0, 0.0, 40.0, 0.0], [0.0, 0.0, 0.0, 0.0]]]],
    )


def test_maxpool_drops_the_partial_window_and_supports_overlap():
    x = np.arange(25.0).reshape(1, 1, 5, 5)
    np.testing.assert_allclose(MaxPool2D(2).forward(x), [[[[6.0, 8.0], [16.0, 18.0]]]])  # row 4, column 4 dropped
    overlapping = MaxPool2D(3, stride=1)
    out = overlapping.forward(x)
    # The max of each 3x3 window is its bottom-right pixel: 12, 13, 14 / 17, 18, 19 / 22, 23, 24
    np.testing.assert_allclose(out[0, 0], [[12.0, 13.0, 14.0], [17.0, 18.0, 19.0], [22.0, 23.0, 24.0]])
    grad_x = overlapping.backward(np.ones_like(out))
    assert grad_x.sum() == 9.0 and grad_x[0, 0, 2:, 2:].sum() == 9.0


# ---------------------------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("activation", CONV_ACTIVATIONS)
def test_conv2d_input_gradient_matches_finite_differences(activation, rng):
    layer = Conv2D(2, 3, kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), activation=activation, seed=1)
    layer.bias[:] = rng.normal(size=3)
    x = rng.normal(size=(2, 2, 5, 4))
    upstream = rng.normal(size=layer.forward(x).shape)
    layer.forward(x)
    grad_x = layer.backward(upstream)
    np.testing.assert_allclose(grad_x, input_gradient_by_finite_differences(layer, x, upstream), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("size, stride", [(2, None), (3, 2), ((2, 3), (1, 2)), (3, 1)])
def test_maxpool_input_gradient_matches_finite_differences(size, stride, rng):
    pool = MaxPool2D(size, stride)
    x = rng.normal(size=(2, 2, 7, 7))  # continuous values: no ties, so the max is differentiable
    upstream = rng.normal(size=pool.forward(x).shape)
    pool.forward(x)
    np.testing.assert_allclose(pool.backward(upstream), input_gradient_by_finite_differences(pool, x, upstream),
                               rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("activation", ["tanh", "relu", "identity"])
def test_gradient_check_through_a_cnn_with_stride_and_padding(activation, rng):
    model = nl.Sequential(
        [
            Conv2D(2, 3, 3, stride=2, padding=1, activation=activation),
            MaxPool2D(2),
            Conv2D(3, 2, (2, 1), padding=(0, 1), activation="tanh"),
            nl.Flatten(),
            nl.Dense(2 * 1 * 3, 3, "softmax"),
        ],
        seed=3,
    )
    x = rng.normal(size=(4, 2, 7, 6))  # conv: 4x3, pool: 2x1, conv (pads width by 1): 1x3 -> 6 numbers
    y = np.array([0, 1, 2, 1])
    assert nl.gradient_check(model, x, y, "cross_entropy") < 1e-6


def test_backward_from_z_is_backward_without_the_activation(rng):
    layer = Conv2D(1, 2, 3, activation="tanh", seed=0)
    x = rng.normal(size=(2, 1, 5, 5))
    out = layer.forward(x)
    grad_z = rng.normal(size=out.shape)
    np.testing.assert_allclose(layer.last_z, np.arctanh(out), atol=1e-12)
    from_z = layer.backward_from_z(grad_z)
    via_activation = layer.backward(grad_z / (1.0 - out**2))  # undo tanh' so the two gradients at z are equal
    np.testing.assert_allclose(from_z, via_activation, atol=1e-12)


# ---------------------------------------------------------------------------------------------- PyTorch
CONV_CASES = [
    # (in_channels, out_channels, kernel, stride, padding, image height, image width)
    (1, 4, 3, 1, 0, 8, 8),
    (2, 3, 3, 1, 1, 7, 9),
    (3, 2, 3, 2, 1, 8, 8),
    (2, 2, (2, 3), (2, 1), (1, 0), 9, 6),
    (2, 3, 5, 3, 2, 11, 7),
    (3, 5, 1, 1, 0, 4, 4),
    (1, 1, (3, 1), 1, (0, 1), 5, 5),
    (2, 2, 4, 2, 0, 9, 9),  # the last row and column are never covered: their gradient is 0
]


@pytest.mark.parametrize("case", CONV_CASES, ids=lambda c: f"k{c[2]}-s{c[3]}-p{c[4]}-{c[5]}x{c[6]}")
def test_conv2d_agrees_with_pytorch(case, rng):
    torch = pytest.importorskip("torch")
    in_channels, out_channels, kernel, stride, padding, height, width = case
    layer = Conv2D(in_channels, out_channels, kernel, stride=stride, padding=padding, seed=1)
    layer.bias[:] = rng.normal(size=out_channels)
    x = rng.normal(size=(3, in_channels, height, width))
    z = layer.forward(x)
    grad_z = rng.normal(size=z.shape)
    grad_x = layer.backward(grad_z)

    x_t = torch.tensor(x, requires_grad=True)
    weights_t = torch.tensor(layer.weights, requires_grad=True)
    bias_t = torch.tensor(layer.bias, requires_grad=True)
    z_t = torch.nn.functional.conv2d(x_t, weights_t, bias_t, stride=stride, padding=padding)
    z_t.backward(torch.tensor(grad_z))
    for ours, theirs in [(z, z_t), (grad_x, x_t.grad), (layer.grad_weights, weights_t.grad),
                         (layer.grad_bias, bias_t.grad)]:
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-12, atol=1e-12)


POOL_CASES = [(2, None, 8, 8), (2, None, 7, 9), (3, 2, 9, 8), ((2, 3), (1, 2), 6, 7), (3, 1, 5, 5), (2, 3, 8, 8)]


@pytest.mark.parametrize("ties", [False, True], ids=["continuous", "many-ties"])
@pytest.mark.parametrize("case", POOL_CASES, ids=lambda c: f"size{c[0]}-stride{c[1]}-{c[2]}x{c[3]}")
def test_maxpool_agrees_with_pytorch(case, ties, rng):
    torch = pytest.importorskip("torch")
    size, stride, height, width = case
    x = rng.normal(size=(2, 3, height, width))
    if ties:
        x = np.maximum(np.round(x), 0.0)  # whole numbers after a ReLU: most windows hold equal maxima
    pool = MaxPool2D(size, stride)
    out = pool.forward(x)
    grad_out = rng.normal(size=out.shape)
    grad_x = pool.backward(grad_out)

    x_t = torch.tensor(x, requires_grad=True)
    out_t = torch.nn.functional.max_pool2d(x_t, size, stride)
    out_t.backward(torch.tensor(grad_out))
    np.testing.assert_array_equal(out, out_t.detach().numpy())
    np.testing.assert_allclose(grad_x, x_t.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_lesson_cnn_step_agrees_with_pytorch():
    torch = pytest.importorskip("torch")
    model = lesson_cnn()
    x, _, y, _ = shapes_split(n=40, n_train=32)
    loss = model.loss_and_gradients(x, y, "cross_entropy")
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(256, 6),
    ).double()
    pairs = [(net[0], model[0], False), (net[3], model[2], False), (net[7], model[5], True)]
    with torch.no_grad():
        for theirs, ours, transpose in pairs:
            theirs.weight.copy_(torch.tensor(ours.weights.T if transpose else ours.weights))
            theirs.bias.copy_(torch.tensor(ours.bias))
    loss_t = torch.nn.functional.cross_entropy(net(torch.tensor(x)), torch.tensor(y))
    loss_t.backward()
    assert loss == pytest.approx(loss_t.item(), abs=1e-12)
    for theirs, ours, transpose in pairs:
        grad = theirs.weight.grad.numpy()
        np.testing.assert_allclose(ours.grad_weights, grad.T if transpose else grad, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.grad_bias, theirs.bias.grad.numpy(), rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------------------------------------- networks
def test_small_cnn_learns_shapes_in_a_few_epochs():
    x_train, x_test, y_train, y_test = shapes_split()
    model = lesson_cnn()
    history = model.fit(x_train, y_train, "cross_entropy", optimizer="adam", lr=0.01, epochs=3, batch_size=32,
                        seed=0, validation_data=(x_test, y_test), progress=False)
    assert history.loss[-1] < history.loss[0]
    assert history.val_accuracy[-1] >= 0.95
    assert model.accuracy(x_test, y_test) == history.val_accuracy[-1]


def test_save_and_load_give_the_same_predictions(tmp_path, rng):
    model = nl.Sequential(
        [Conv2D(1, 3, (3, 2), stride=(1, 2), padding=(1, 0), activation="relu"), MaxPool2D(2, stride=(2, 1)),
         nl.Flatten(), nl.Dense(3 * 4 * 2, 2, "softmax")],
        seed=5,
    )
    x = rng.normal(size=(5, 1, 8, 6))  # conv: 8x3, pool: 4x2
    path = model.save(tmp_path / "cnn")
    loaded = nl.Sequential.load(path)
    assert [type(layer) for layer in loaded] == [Conv2D, MaxPool2D, nl.Flatten, nl.Dense]
    assert loaded.get_config() == model.get_config()
    assert loaded[0].kernel_size == (3, 2) and loaded[0].stride == (1, 2) and loaded[1].stride == (2, 1)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def test_config_is_json_and_rebuilds_the_layer():
    layer = Conv2D(3, 4, (3, 5), stride=2, padding=(1, 2), activation="tanh")
    config = json.loads(json.dumps(layer.get_config()))
    assert config == {"in_channels": 3, "out_channels": 4, "kernel_size": [3, 5], "stride": 2,
                      "padding": [1, 2], "activation": "tanh"}
    rebuilt = Conv2D(**config)
    assert (rebuilt.kernel_size, rebuilt.stride, rebuilt.padding) == ((3, 5), (2, 2), (1, 2))
    assert MaxPool2D(**json.loads(json.dumps(MaxPool2D(3, 2).get_config()))).get_config() == {"size": 3, "stride": 2}


def test_summary_follows_image_shapes_through_the_layers():
    model = lesson_cnn()
    text = model.summary(input_shape=(1, 16, 16))
    for shape in ["(batch, 8, 16, 16)", "(batch, 8, 8, 8)", "(batch, 16, 8, 8)", "(batch, 16, 4, 4)",
                  "(batch, 256)", "(batch, 6)"]:
        assert shape in text
    # parameters: 8*1*3*3 + 8 = 80, 16*8*3*3 + 16 = 1168, 256*6 + 6 = 1542
    assert "Total parameters: 2,790" in text and model.n_params == 80 + 1168 + 1542


@pytest.mark.parametrize(
    "layer, input_shape, expected",
    [
        (Conv2D(1, 8, 3), (1, 16, 16), (8, 14, 14)),
        (Conv2D(1, 8, 3, padding=1), (1, 16, 16), (8, 16, 16)),
        (Conv2D(2, 4, 3, stride=2, padding=1), (2, 9, 8), (4, 5, 4)),  # (9 + 2 - 3) // 2 + 1 = 5, (8+2-3)//2+1 = 4
        (Conv2D(1, 1, (5, 1)), (1, 7, 7), (1, 3, 7)),
        (MaxPool2D(2), (8, 16, 16), (8, 8, 8)),
        (MaxPool2D(2), (8, 7, 9), (8, 3, 4)),
        (MaxPool2D(3, stride=1), (2, 5, 6), (2, 3, 4)),
    ],
)
def test_output_shape_matches_forward(layer, input_shape, expected):
    assert layer.output_shape(input_shape) == expected
    assert layer.forward(np.zeros((2, *input_shape))).shape == (2, *expected)


def test_sequential_width_check_ignores_channels():
    # Conv2D states in_channels/out_channels, not n_inputs/n_outputs, so the Dense after Flatten is not compared
    # with a channel count.
    model = lesson_cnn()
    assert not hasattr(model[0], "n_inputs") and not hasattr(model[0], "n_outputs")
    assert model.n_outputs == 6


# ---------------------------------------------------------------------------------------------- initialisation
@pytest.mark.parametrize("activation, expected_std", [
    ("relu", np.sqrt(2.0 / (4 * 3 * 3))),                    # He: fan_in = 4 channels * 3 * 3 = 36
    ("tanh", np.sqrt(2.0 / (4 * 3 * 3 + 64 * 3 * 3))),       # Glorot: fan_in + fan_out = 36 + 576
])
def test_initial_weights_scale_with_the_fan_in(activation, expected_std):
    layer = Conv2D(4, 64, 3, activation=activation, seed=0)  # 2,304 weights: the sample std is within ~3%
    assert layer.weights.std() == pytest.approx(expected_std, rel=0.05)
    np.testing.assert_array_equal(layer.bias, np.zeros(64))


def test_seeds_make_layers_and_networks_reproducible():
    np.testing.assert_array_equal(Conv2D(1, 4, 3, seed=7).weights, Conv2D(1, 4, 3, seed=7).weights)
    assert not np.array_equal(Conv2D(1, 4, 3, seed=7).weights, Conv2D(1, 4, 3, seed=8).weights)
    np.testing.assert_array_equal(lesson_cnn(seed=2)[2].weights, lesson_cnn(seed=2)[2].weights)


# ---------------------------------------------------------------------------------------------- errors
def test_wrong_rank_says_the_layer_and_the_fix():
    model = nl.Sequential([Conv2D(1, 8, 3), MaxPool2D(2)])
    with pytest.raises(ValueError) as error:
        model.predict(np.zeros((16, 16)))
    assert str(error.value) == (
        "Conv2D layer 1 (1 -> 8 channels, 3x3) expects inputs of shape (batch, 1, height, width) but got "
        "(16, 16). For one grey image use x.reshape(1, 1, 16, 16)."
    )
    with pytest.raises(ValueError, match=r"add the channel axis: x.reshape\(10, 1, 16, 16\)"):
        model.predict(np.zeros((10, 16, 16)))
    with pytest.raises(ValueError, match=r"MaxPool2D layer \(2x2\) expects inputs of shape \(batch, channels"):
        MaxPool2D(2).forward(np.zeros((4, 4)))


def test_channel_mismatch_names_both_counts():
    with pytest.raises(ValueError, match=r"got \(2, 3, 8, 8\)\. The images have 3 channels but this layer takes 1"):
        Conv2D(1, 4, 3).forward(np.zeros((2, 3, 8, 8)))
    with pytest.raises(ValueError, match=r"channels seem to come last .* x.transpose\(0, 3, 1, 2\)"):
        Conv2D(3, 4, 3).forward(np.zeros((2, 8, 8, 3)))
    # Inside a network: the second conv expects the first one's 8 channels.
    model = nl.Sequential([Conv2D(1, 8, 3, padding=1), Conv2D(4, 2, 3)])
    with pytest.raises(ValueError, match=r"Conv2D layer 2 \(4 -> 2 channels, 3x3\) .* 8 channels but this layer"):
        model.predict(np.zeros((1, 1, 6, 6)))


def test_kernel_larger_than_the_padded_input_shows_the_arithmetic():
    model = nl.Sequential([Conv2D(1, 8, 20)])
    with pytest.raises(ValueError) as error:
        model.predict(np.zeros((2, 1, 16, 16)))
    message = str(error.value)
    assert message.startswith("Conv2D layer 1 (1 -> 8 channels, 20x20) expects images of at least 20x20 pixels")
    assert "but got 16x16" in message
    assert "output height = (16 + 2*0 - 20) // 1 + 1 = -3" in message
    assert "output width = (16 + 2*0 - 20) // 1 + 1 = -3" in message
    with pytest.raises(ValueError, match=r"output width = \(4 - 5\) // 1 \+ 1 = 0") as error:
        MaxPool2D((2, 5), stride=1).forward(np.zeros((1, 1, 9, 4)))
    assert "output height" not in str(error.value)  # only the direction that does not fit
    assert Conv2D(1, 1, 5, padding=1).output_shape((1, 3, 3)) == (1, 1, 1)  # (3 + 2 - 5) // 1 + 1 = 1 fits


@pytest.mark.parametrize("kwargs, error, text", [
    ({"kernel_size": 0}, ValueError, "kernel_size must be at least 1"),
    ({"kernel_size": (3, 3, 3)}, TypeError, "kernel_size must be a whole number or a \\(height, width\\) pair"),
    ({"kernel_size": 2.5}, TypeError, "kernel_size must be a whole number"),
    ({"kernel_size": 3, "stride": 0}, ValueError, "stride must be at least 1"),
    ({"kernel_size": 3, "padding": -1}, ValueError, "padding must be at least 0"),
    ({"kernel_size": 3, "activation": "softmax"}, ValueError, "Conv2D does not take a softmax"),
    ({"kernel_size": 3, "activation": "rleu"}, ValueError, "Did you mean 'relu'"),
])
def test_bad_constructor_arguments(kwargs, error, text):
    with pytest.raises(error, match=text):
        Conv2D(1, 2, **kwargs)


def test_maxpool_bad_size_and_backward_before_forward():
    with pytest.raises(ValueError, match="size must be at least 1"):
        MaxPool2D(0)
    with pytest.raises(RuntimeError, match=r"MaxPool2D layer \(2x2\): call forward\(\) before backward\(\)"):
        MaxPool2D(2).backward(np.zeros((1, 1, 1, 1)))
    with pytest.raises(RuntimeError, match="call forward"):
        Conv2D(1, 1, 3).backward(np.zeros((1, 1, 1, 1)))


def test_describe_shows_stride_and_padding_only_when_set():
    assert Conv2D(1, 8, 3).describe() == "Conv2D layer (1 -> 8 channels, 3x3)"
    assert Conv2D(1, 8, (3, 5), stride=2, padding=(1, 0)).describe() == (
        "Conv2D layer (1 -> 8 channels, 3x5, stride 2, padding (1, 0))"
    )
    assert MaxPool2D(3, stride=2).describe() == "MaxPool2D layer (3x3, stride 2)"

"""Sequential: training reaches its targets, reproducibility, divergence, saving, summary, errors."""

import json
import re
import os
import warnings

import numpy as np
import pytest

import nnlearn as nl


def mlp(n_outputs=1, activation="sigmoid", seed=0):
    return nl.Sequential(
        [nl.Dense(2, 16, "tanh"), nl.Dense(16, 16, "tanh"), nl.Dense(16, n_outputs, activation)], seed=seed
    )


@pytest.mark.parametrize("dataset", ["moons", "circles", "xor"])
def test_fit_reaches_95_percent_on_2d_sets(dataset):
    x, y = getattr(nl.datasets, dataset)(n=400, noise=0.1, seed=0)
    model = mlp()
    history = model.fit(x, y, "bce", optimizer="adam", lr=0.01, epochs=400, progress=False)
    assert history.accuracy[-1] >= 0.95
    assert model.accuracy(x, y) >= 0.95
    assert len(history.history["loss"]) == 400 and history.loss is history.history["loss"]


def test_fit_reaches_90_percent_on_three_spirals():
    x, y = nl.datasets.spirals(n=400, noise=0.1, seed=0, classes=3)
    model = mlp(n_outputs=3, activation="softmax")
    history = model.fit(x, y, "cross_entropy", optimizer="adam", lr=0.01, epochs=400, progress=False)
    assert history.accuracy[-1] >= 0.90


def test_same_seed_same_numbers_to_the_bit():
    x, y = nl.datasets.moons(n=200, noise=0.1, seed=1)
    runs = []
    for _ in range(2):
        model = mlp(seed=5)
        h = model.fit(x, y, "bce", optimizer="adam", lr=0.01, epochs=20, batch_size=16, seed=3, progress=False)
        runs.append((h.loss, model.layers[0].weights.copy()))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    other = mlp(seed=5).fit(x, y, "bce", optimizer="adam", lr=0.01, epochs=20, batch_size=16, seed=4, progress=False)
    assert other.loss != runs[0][0]


def test_sequential_seed_reinitialises_every_layer():
    a = nl.Sequential([nl.Dense(2, 3, seed=1), nl.Dense(3, 1, seed=2)], seed=9)
    b = nl.Sequential([nl.Dense(2, 3, seed=5), nl.Dense(3, 1, seed=6)], seed=9)
    for la, lb in zip(a.layers, b.layers):
        np.testing.assert_array_equal(la.weights, lb.weights)
    assert isinstance(a.layers, list)


def test_full_batch_sgd_step_by_hand():
    # one Dense(1, 1) with w = 1, b = 0 on x = [1, 2], y = [1, 3], mse:
    # predictions [1, 2], residual [0, -1]; dL/dw = 2/2 * (0*1 + -1*2) = -2, dL/db = 2/2 * (0 + -1) = -1
    model = nl.Sequential([nl.Dense(1, 1)])
    model.layers[0].weights[:] = 1.0
    model.layers[0].bias[:] = 0.0
    history = model.fit(np.array([[1.0], [2.0]]), np.array([1.0, 3.0]), "mse", lr=0.1, epochs=1, progress=False)
    np.testing.assert_allclose(model.layers[0].weights, [[1.2]])  # 1 - 0.1 * -2
    np.testing.assert_allclose(model.layers[0].bias, [0.1])
    # the recorded loss is the one the step was computed from: (0^2 + 1^2) / 2
    assert history.loss[0] == pytest.approx(0.5)
    # evaluated after the step: predictions [1.3, 2.5], mse = (0.3^2 + 0.5^2) / 2
    assert model.evaluate(np.array([[1.0], [2.0]]), np.array([1.0, 3.0]), "mse") == pytest.approx(0.17)


def test_validation_data_and_accuracy_keys():
    x, y = nl.datasets.moons(n=200, noise=0.1, seed=2)
    h = mlp().fit(x[:150], y[:150], "bce", optimizer="adam", lr=0.01, epochs=3,
                  validation_data=(x[150:], y[150:]), progress=False)
    assert set(h.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in h.history.values())
    regression = nl.Sequential([nl.Dense(1, 1)]).fit(np.ones((4, 1)), np.ones(4), "mse", epochs=2, progress=False)
    assert set(regression.history) == {"loss"}


def test_l2_shrinks_weights():
    x, y = nl.datasets.moons(n=200, noise=0.2, seed=0)
    plain, decayed = mlp(seed=1), mlp(seed=1)
    plain.fit(x, y, "bce", optimizer="adam", lr=0.01, epochs=100, progress=False)
    decayed.fit(x, y, "bce", optimizer="adam", lr=0.01, epochs=100, l2=0.01, progress=False)
    norm = lambda m: sum(np.sum(layer.weights**2) for layer in m.layers)  # noqa: E731
    assert norm(decayed) < 0.7 * norm(plain)


def test_l1_and_l2_gradient_terms():
    model = nl.Sequential([nl.Dense(1, 1)])
    model.layers[0].weights[:] = 2.0
    model.loss_and_gradients(np.zeros((1, 1)), np.zeros(1), "mse", l1=0.5, l2=0.25)
    # data gradient is 0 (x = 0); l1 * sign(2) + 2 * l2 * 2 = 0.5 + 1.0
    np.testing.assert_allclose(model.layers[0].grad_weights, [[1.5]])
    np.testing.assert_allclose(model.layers[0].grad_bias, [0.0])


def test_diverging_fit_stops_warns_and_keeps_finite_weights():
    x, y = nl.datasets.regression_1d(n=100, noise=0.1, seed=0)
    model = nl.Sequential([nl.Dense(1, 16, "relu"), nl.Dense(16, 1)], seed=0)
    with pytest.warns(nl.DivergenceWarning, match="smaller learning rate"):
        history = model.fit(x * 100, y * 100, "mse", lr=10.0, epochs=50, progress=False)
    assert history.stopped_early and "epoch" in history.stop_reason
    assert len(history) < 50
    assert all(np.isfinite(v).all() for v in model.parameters().values())
    assert np.isfinite(model.evaluate(x, y, "mse"))


def test_predict_and_predict_classes():
    model = nl.Sequential([nl.Dense(2, 3, "softmax")], seed=0)
    p = model.predict(np.ones((4, 2)))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict_classes(np.ones((4, 2))), p.argmax(axis=1))


def test_summary_table():
    model = nl.Sequential([nl.Dense(2, 16, "tanh"), nl.Dense(16, 1, "sigmoid")])
    text = model.summary()
    assert "Dense(n_inputs=2, n_outputs=16, activation='tanh')" in text
    assert "(batch, 16)" in text and "(batch, 1)" in text
    assert "48" in text and "17" in text  # 2*16 + 16 and 16*1 + 1
    assert "Total parameters: 65" in text
    assert repr(text) == str(text)


def test_construction_catches_mismatched_widths():
    with pytest.raises(ValueError, match="Dense layer 2 .* expects 4 inputs, but the layer before it gives 8"):
        nl.Sequential([nl.Dense(2, 8), nl.Dense(4, 1)])
    with pytest.raises(ValueError, match="at least one layer"):
        nl.Sequential([])
    with pytest.raises(TypeError, match="must be a Layer"):
        nl.Sequential(["dense"])


def test_save_and_load_round_trip(tmp_path):
    x, y = nl.datasets.moons(n=50, seed=0)
    model = nl.Sequential([nl.Dense(2, 4, "relu"), nl.Dropout(0.1), nl.Dense(4, 1, "sigmoid")], seed=0)
    model.fit(x, y, "bce", epochs=3, progress=False)
    path = model.save(tmp_path / "model.npz")
    again = nl.Sequential.load(path)
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    assert [type(layer).__name__ for layer in again.layers] == ["Dense", "Dropout", "Dense"]
    with np.load(path, allow_pickle=False) as data:  # no pickle anywhere in the file
        assert int(data["__version__"]) == 1
        json.loads(str(data["__config__"]))


def test_failed_save_leaves_old_file_intact(tmp_path, monkeypatch):
    model = nl.Sequential([nl.Dense(2, 2)], seed=0)
    path = model.save(tmp_path / "model.npz")
    before = path.read_bytes()

    def broken_write(*args, **kwargs):
        handle = args[0]
        handle.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez_compressed", broken_write)
    other = nl.Sequential([nl.Dense(2, 2)], seed=1)
    with pytest.raises(OSError, match="disk full"):
        other.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]  # no temporary file left behind
    monkeypatch.undo()
    np.testing.assert_array_equal(nl.Sequential.load(path).layers[0].weights, model.layers[0].weights)


def test_load_rejects_corrupt_and_foreign_files(tmp_path):
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(b"this is not a zip file")
    with pytest.raises(ValueError, match="not a readable nnlearn model file"):
        nl.Sequential.load(corrupt)
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, a=np.zeros(3))
    with pytest.raises(ValueError, match="not one written by Sequential.save"):
        nl.Sequential.load(foreign)
    future = tmp_path / "future.npz"
    model = nl.Sequential([nl.Dense(2, 2)])
    path = model.save(future)
    with np.load(path) as data:
        arrays = dict(data)
    arrays["__version__"] = np.array(99)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="format 99"):
        nl.Sequential.load(path)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(lr=0.0), ValueError, "lr must be a positive finite number"),
        (dict(lr=-0.1), ValueError, "lr must be a positive"),
        (dict(optimizer="adm"), ValueError, "Did you mean 'adam'"),
        (dict(epochs=0), ValueError, "epochs must be a whole number >= 1"),
        (dict(batch_size=2.5), TypeError, "batch_size must be a whole number"),
    ],
)
def test_fit_rejects_bad_settings(kwargs, error, match):
    x, y = nl.datasets.xor(n=20, seed=0)
    with pytest.raises(error, match=match):
        mlp().fit(x, y, "bce", progress=False, **kwargs)


def test_fit_rejects_bad_data():
    model = mlp()
    x, y = nl.datasets.xor(n=20, seed=0)
    bad = x.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"x must be finite, but it holds 1 NaN .* index \(3, 1\)"):
        model.fit(bad, y, "bce", progress=False)
    with pytest.raises(ValueError, match="same number of samples, but x has 20 and y has 19"):
        model.fit(x, y[:-1], "bce", progress=False)
    with pytest.raises(TypeError, match="strings"):
        model.fit(x.astype(str), y, "bce", progress=False)
    with pytest.raises(TypeError, match="Python objects"):
        model.fit(np.array([[1, None]] * 20, dtype=object), y, "bce", progress=False)
    with pytest.raises(ValueError, match="Did you mean 'bce'"):
        model.fit(x, y, "bec", progress=False)
    three = mlp(n_outputs=3, activation="softmax")
    with pytest.raises(ValueError, match="labels must be in 0..2, but got labels from 0 to 5"):
        three.fit(x, np.arange(20) % 6, "cross_entropy", progress=False)


def test_no_runtime_warning_when_training_normally():
    x, y = nl.datasets.spirals(n=100, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mlp(n_outputs=3, activation="softmax").fit(x, y, "cross_entropy", optimizer="adam", lr=0.05, epochs=20,
                                                   progress=False)


def test_progress_bar_text_without_frontend(capsys):
    x, y = nl.datasets.xor(n=20, seed=0)
    mlp().fit(x, y, "bce", epochs=3, progress=True)
    assert "training" in capsys.readouterr().err
    mlp().fit(x, y, "bce", epochs=3, progress=False)
    assert capsys.readouterr().err == ""


def test_training_skips_the_data_gradient_but_keeps_every_parameter_gradient():
    calls = []

    class Recording(nl.Dense):
        def backward_from_z(self, grad_z):
            calls.append(self.input_gradient)
            return super().backward_from_z(grad_z)

    x, y = nl.datasets.moons(n=32, noise=0.1, seed=0)
    model = nl.Sequential([Recording(2, 5, "tanh"), Recording(5, 3, "relu"), nl.Dense(3, 1, "sigmoid")], seed=0)
    model.loss_and_gradients(x, y, "bce")
    assert calls == [True, False]  # layer 2 must pass a gradient on; layer 1's would go to the data
    assert model.layers[0].input_gradient is True  # switched off for the training step only
    skipped = {k: v.copy() for layer in model.layers for k, v in layer.gradients().items()}
    # The full backward pass (as model.backward does) gives the same parameter gradients.
    out = model.forward(x)
    assert model.backward(nl.losses.get("bce").gradient(out, y)).shape == (32, 2)  # and still reaches the data
    full = {k: v for layer in model.layers for k, v in layer.gradients().items()}
    assert all(np.array_equal(skipped[k], full[k]) for k in full)


def test_a_dense_subclass_that_ignores_the_input_gradient_attribute_still_trains():
    class Old(nl.Dense):
        def backward_from_z(self, grad_z):  # written without the attribute: always returns the input gradient
            super().backward_from_z(grad_z)
            return grad_z @ self.weights.T

    x, y = nl.datasets.moons(n=64, noise=0.1, seed=0)
    model = nl.Sequential([Old(2, 8, "tanh"), Old(8, 1, "sigmoid")], seed=0)
    history = model.fit(x, y, "bce", optimizer="adam", lr=0.05, epochs=50, progress=False)
    assert history.loss[-1] < history.loss[0] / 2


# ---------------------------------------------------------------- get_weights / set_weights / train_epoch
def test_get_weights_is_a_copy_and_set_weights_restores_in_place():
    model = nl.Sequential([nl.Dense(2, 3, "tanh"), nl.Dense(3, 1)], seed=0)
    live = model.layers[0].weights
    saved = model.get_weights()
    live += 1.0
    assert not np.allclose(saved[0]["weights"], live)
    model.set_weights(saved)
    assert model.layers[0].weights is live  # same array object: plots holding it see the change
    np.testing.assert_array_equal(live, saved[0]["weights"])


@pytest.mark.parametrize(
    "bad, words",
    [
        ([{}], "a list of 2 dicts"),
        ([{"weights": np.zeros((2, 3))}, {}], "has parameters"),
        ([{"weights": np.zeros((3, 2)), "bias": np.zeros(3)}, {"weights": np.zeros((3, 1)), "bias": np.zeros(1)}],
         "has shape (2, 3)"),
    ],
)
def test_set_weights_rejects_a_wrong_snapshot_and_changes_nothing(bad, words):
    model = nl.Sequential([nl.Dense(2, 3), nl.Dense(3, 1)], seed=0)
    before = model.get_weights()
    with pytest.raises(ValueError, match=re.escape(words)):
        model.set_weights(bad)
    for layer, saved in zip(model.layers, before):
        np.testing.assert_array_equal(layer.weights, saved["weights"])


def test_fit_is_train_epoch_repeated():
    x, y = nl.datasets.moons(n=120, noise=0.1, seed=1)
    a = nl.Sequential([nl.Dense(2, 6, "tanh"), nl.Dense(6, 1, "sigmoid")], seed=3)
    b = nl.Sequential([nl.Dense(2, 6, "tanh"), nl.Dense(6, 1, "sigmoid")], seed=3)
    history = a.fit(x, y, "bce", optimizer="adam", lr=0.05, epochs=5, batch_size=16, seed=7, progress=False)
    adam, rng = nl.optimizers.get("adam", 0.05), np.random.default_rng(7)
    losses = [b.train_epoch(x, y, "bce", adam, batch_size=16, rng=rng).logs["loss"] for _ in range(5)]
    assert losses == history.loss
    np.testing.assert_array_equal(a.layers[0].weights, b.layers[0].weights)


def test_train_epoch_stops_a_jump_above_the_reference_and_restores_the_start():
    x, y = nl.datasets.moons(n=100, noise=0.1, seed=0)
    model = nl.Sequential([nl.Dense(2, 8, "relu"), nl.Dense(8, 1)], seed=0)
    start = model.get_weights()
    result = model.train_epoch(x, y, "mse", nl.optimizers.get("sgd", 3.0), batch_size=10, rng=0, reference_loss=0.25)
    assert "jumped" in result.diverged or "became" in result.diverged
    for layer, saved in zip(model.layers, start):
        np.testing.assert_array_equal(layer.weights, saved["weights"])


def test_divergence_reason_is_one_rule():
    assert nl.network.divergence_reason(0.74, 0.25) == ""
    assert nl.network.divergence_reason(0.76, 0.25).startswith("the loss jumped to 0.76")
    assert nl.network.divergence_reason(float("inf")) == "the loss became infinite"


# ---------------------------------------------------------------- issue 16: save/load keeps activation parameters
def _non_default(name):
    """The registered activation with every parameter moved away from its default (slope 0.01 -> 0.2, ...)."""
    default = nl.activations.get(name)
    config = {key: 20.0 * value if abs(value) < 0.1 else value + 0.7 for key, value in default.get_config().items()}
    return type(default)(**config)


def test_leaky_relu_slope_survives_save_and_load(tmp_path):
    # The case: a slope of 0.2 came back as the default 0.01 and the prediction moved (0.880 -> 0.810).
    model = nl.Sequential([nl.Dense(2, 4, nl.activations.LeakyReLU(0.2)), nl.Dense(4, 1, "sigmoid")], seed=3)
    x = np.array([[-1.5, -2.0], [1.0, -3.0]])
    again = nl.Sequential.load(model.save(tmp_path / "leaky.npz"))
    assert again.layers[0].activation.slope == 0.2
    np.testing.assert_array_equal(again.predict(x), model.predict(x))


@pytest.mark.parametrize("name", nl.activations.names())
@pytest.mark.parametrize("layer_kind", ["Dense", "Conv2D", "SimpleRNN"])
def test_every_activation_round_trips_with_non_default_parameters(name, layer_kind, tmp_path):
    activation = _non_default(name)
    assert nl.activations.get(activation.spec()) == activation  # the spec alone rebuilds it
    if layer_kind == "Dense":
        layer, x = nl.Dense(3, 2, activation), np.linspace(-2.0, 2.0, 12).reshape(4, 3)
    elif layer_kind == "Conv2D":
        if not activation.elementwise:
            return _conv_refuses(activation)
        layer, x = nl.Conv2D(1, 2, 2, activation=activation), np.linspace(-2.0, 2.0, 18).reshape(2, 1, 3, 3)
    else:
        layer, x = nl.SimpleRNN(2, 3, activation=activation), np.linspace(-2.0, 2.0, 12).reshape(2, 3, 2)
    model = nl.Sequential([layer], seed=1)
    again = nl.Sequential.load(model.save(tmp_path / "model.npz"))
    assert again.layers[0].activation == activation
    assert again.layers[0].activation.get_config() == activation.get_config()
    np.testing.assert_array_equal(again.predict(x), model.predict(x))


def _conv_refuses(activation):
    with pytest.raises(ValueError, match="Conv2D does not take"):
        nl.Conv2D(1, 2, 2, activation=activation)


def test_activations_without_parameters_are_still_saved_by_name():
    config = nl.Sequential([nl.Dense(2, 3, "relu"), nl.Dense(3, 1, nl.activations.ELU(0.5))]).get_config()
    assert config[0]["config"]["activation"] == "relu"  # older files (names only) load as before
    assert config[1]["config"]["activation"] == {"name": "elu", "alpha": 0.5}


@pytest.mark.parametrize("make, x", [
    (lambda: nl.Dense(3, 2, "tanh", seed=0), np.linspace(-1.0, 1.0, 12).reshape(4, 3)),
    (lambda: nl.Conv2D(1, 2, 2, activation="relu", seed=0), np.linspace(-1.0, 1.0, 18).reshape(2, 1, 3, 3)),
])
def test_input_gradient_is_a_plain_attribute_that_skips_only_the_data_gradient(make, x):
    layer = make()
    upstream = np.cos(np.arange(layer.forward(x).size)).reshape(layer.forward(x).shape)
    full = layer.backward(upstream)
    expected = {name: grad.copy() for name, grad in layer.gradients().items()}
    assert full.shape == x.shape
    layer.input_gradient = False
    assert layer.backward(upstream) is None
    for name, grad in layer.gradients().items():
        np.testing.assert_array_equal(grad, expected[name])


def test_a_diverging_epoch_also_restores_batchnorm_running_averages():
    x, y = nl.datasets.moons(n=100, noise=0.1, seed=0)
    model = nl.Sequential([nl.Dense(2, 8, "relu"), nl.BatchNorm(8), nl.Dense(8, 1)], seed=0)
    model.fit(x, y, "mse", lr=0.01, epochs=2, progress=False)
    before = {name: value.copy() for name, value in model.buffers().items()}
    assert before, "BatchNorm keeps running averages"
    result = model.train_epoch(x, y, "mse", nl.optimizers.get("sgd", 1e6), batch_size=10, rng=0)
    assert result.diverged
    for name, value in model.buffers().items():
        np.testing.assert_array_equal(value, before[name])

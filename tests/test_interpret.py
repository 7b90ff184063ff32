"""saliency, occlusion, unit_response, top_activating: hand-worked values, finite differences, Dense,
convolutional and sequence models, one sample or a batch, and saliency agreeing with occlusion on digits."""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.attention import SelfAttention
from nnlearn.conv import Conv2D, MaxPool2D
from nnlearn.embedding import Embedding
from nnlearn.interpret import occlusion, saliency, top_activating, unit_response
from nnlearn.recurrent import LastStep, SimpleRNN


def dense_model():
    return nl.Sequential([nl.Dense(4, 6, "tanh"), nl.Dense(6, 3, "softmax")], seed=0)


def cnn_model():
    return nl.Sequential([Conv2D(1, 3, 3, padding=1, activation="tanh"), MaxPool2D(2), nl.Flatten(),
                          nl.Dense(3 * 3 * 3, 3, "softmax")], seed=1)


def rnn_model():
    return nl.Sequential([SimpleRNN(2, 4), nl.Dense(4, 3, "softmax")], seed=2)


def attention_model():
    return nl.Sequential([SelfAttention(2), LastStep(), nl.Dense(2, 3, "softmax")], seed=3)


MODELS = {"dense": (dense_model, (4,)), "cnn": (cnn_model, (1, 6, 6)), "rnn": (rnn_model, (5, 2)),
          "attention": (attention_model, (4, 2))}


def numeric_score_gradient(score, x, h=1e-6):
    numeric = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += h
        minus[idx] -= h
        numeric[idx] = (score(plus) - score(minus)) / (2 * h)
    return numeric


def test_hand_worked_saliency_is_a_column_of_weights():
    model = nl.Sequential([nl.Dense(2, 2, "softmax")])
    model.layers[0].weights[:] = [[1.0, -1.0], [3.0, 0.5]]
    # z_0 = 1 * x_0 + 3 * x_1 + b: the gradient of class 0's score is the weights' column 0, for any x
    np.testing.assert_allclose(saliency(model, np.array([0.2, 0.7]), target=0), [1.0, 3.0])
    np.testing.assert_allclose(saliency(model, np.array([[5.0, -2.0], [0.0, 0.0]]), target=[1, 0]),
                               [[-1.0, 0.5], [1.0, 3.0]])


@pytest.mark.parametrize("kind", MODELS)
def test_saliency_is_the_gradient_of_the_logit(kind, rng):
    make, sample_shape = MODELS[kind]
    model = make()
    x = rng.normal(size=(2,) + sample_shape)
    targets = np.array([2, 0])
    got = saliency(model, x, targets)
    assert got.shape == x.shape

    def logit(values):
        model.predict(values)
        return float(np.sum(model.layers[-1].last_z[np.arange(2), targets]))

    np.testing.assert_allclose(got, numeric_score_gradient(logit, x), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("kind", ["dense", "cnn"])
def test_saliency_of_the_probability(kind, rng):
    make, sample_shape = MODELS[kind]
    model = make()
    x = rng.normal(size=(1,) + sample_shape)
    got = saliency(model, x, 1, score="probability")
    numeric = numeric_score_gradient(lambda values: float(model.predict(values)[0, 1]), x)
    np.testing.assert_allclose(got, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("kind", MODELS)
def test_one_sample_gives_the_same_map_as_a_batch_of_one(kind, rng):
    make, sample_shape = MODELS[kind]
    model = make()
    x = rng.normal(size=sample_shape)
    one = saliency(model, x, 1)
    assert one.shape == sample_shape
    np.testing.assert_array_equal(one, saliency(model, x[None], 1)[0])
    occluded = occlusion(model, x, 1, patch=2)
    assert occluded.shape == sample_shape
    np.testing.assert_array_equal(occluded, occlusion(model, x[None], 1, patch=2)[0])


def test_single_sigmoid_output_class_zero_is_the_negative_score(rng):
    model = nl.Sequential([nl.Dense(3, 4, "tanh"), nl.Dense(4, 1, "sigmoid")], seed=0)
    x = rng.normal(size=(3, 3))
    np.testing.assert_allclose(saliency(model, x, 0), -saliency(model, x, 1))
    p = model.predict(x)[:, 0]
    # probability: d(1 - p)/dx = -dp/dx, and p' = p (1 - p) z'
    np.testing.assert_allclose(saliency(model, x, 1, score="probability"),
                               (p * (1 - p))[:, None] * saliency(model, x, 1), atol=1e-12)


def test_saliency_through_an_embedding_is_zero():
    model = nl.Sequential([Embedding(5, 2), nl.Flatten(), nl.Dense(6, 2, "softmax")], seed=0)
    np.testing.assert_array_equal(saliency(model, np.array([[1, 4, 0]]), 1), np.zeros((1, 3)))


def test_hand_worked_occlusion():
    model = nl.Sequential([nl.Dense(4, 1, "sigmoid")])
    model.layers[0].weights[:] = [[2.0], [2.0], [0.0], [-1.0]]
    x = np.ones(4)
    # p = sigmoid(2 + 2 + 0 - 1) = sigmoid(3). Covering inputs 0 and 1: sigmoid(-1); inputs 2 and 3: sigmoid(4)
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    expected = [sigmoid(3) - sigmoid(-1)] * 2 + [sigmoid(3) - sigmoid(4)] * 2
    np.testing.assert_allclose(occlusion(model, x, target=1, patch=2), expected)
    # class 0's probability is 1 - p, so its drops are the opposite
    np.testing.assert_allclose(occlusion(model, x, target=0, patch=2), -np.array(expected))
    # the baseline is what covers the patch: covering with the input itself changes nothing
    np.testing.assert_array_equal(occlusion(model, x, 1, patch=2, baseline=x), 0.0)


def test_occlusion_of_images_covers_every_pixel_once(rng):
    model = nl.Sequential([Conv2D(2, 2, 3, activation="relu"), nl.Flatten(), nl.Dense(2 * 5 * 5, 3, "softmax")],
                          seed=0)
    x = rng.random((2, 2, 7, 7))
    targets = np.array([0, 2])
    drops = occlusion(model, x, targets, patch=(3, 2), baseline=0.5)
    assert drops.shape == x.shape
    p = model.predict(x)[np.arange(2), targets]
    # the patch in rows 6..7 (only row 6 exists) and columns 4..5, covered by hand
    covered = x.copy()
    covered[:, :, 6:9, 4:6] = 0.5
    expected = p - model.predict(covered)[np.arange(2), targets]
    np.testing.assert_allclose(drops[:, :, 6, 4], np.repeat(expected[:, None], 2, axis=1))
    np.testing.assert_allclose(drops[:, 0, 6:, 4:6], np.broadcast_to(expected[:, None, None], (2, 1, 2)))
    # channels share their patch's drop
    np.testing.assert_array_equal(drops[:, 0], drops[:, 1])


def test_occlusion_of_flattened_grey_images(rng):
    model = nl.Sequential([nl.Flatten(), nl.Dense(16, 2, "softmax")], seed=0)
    x = rng.random((4, 4))  # one grey image, as (h, w)
    drops = occlusion(model, x, 1, patch=2)
    assert drops.shape == (4, 4)
    # the four 2x2 blocks each hold one value
    assert len(np.unique(drops.round(12))) <= 4 and np.unique(drops[:2, :2]).size == 1


@pytest.fixture(scope="module")
def digit_models():
    images, labels = nl.datasets.digits()
    x, y = images[:1200, None], labels[:1200]
    cnn = nl.Sequential([Conv2D(1, 8, 3, padding=1, activation="relu"), MaxPool2D(2), nl.Flatten(),
                         nl.Dense(128, 10, "softmax")], seed=0)
    cnn.fit(x, y, "cross_entropy", optimizer="adam", lr=0.01, epochs=8, batch_size=64, seed=0, progress=False)
    dense = nl.Sequential([nl.Flatten(), nl.Dense(64, 32, "relu"), nl.Dense(32, 10, "softmax")], seed=0)
    dense.fit(x, y, "cross_entropy", optimizer="adam", lr=0.01, epochs=30, batch_size=64, seed=0, progress=False)
    return {"cnn": cnn, "dense": dense}, images[1200:1300, None], labels[1200:1300]


@pytest.mark.parametrize("kind", ["cnn", "dense"])
def test_saliency_agrees_with_occlusion_on_digits(kind, digit_models):
    models, x, y = digit_models
    model = models[kind]
    assert model.accuracy(x, y) > 0.9  # measured 0.96 for both
    # Covering a pixel with 0 changes the input by -x, so to first order the probability drops by
    # gradient . x: the saliency map times the image predicts the occlusion map.
    predicted_drop = saliency(model, x, y, score="probability") * x
    drops = occlusion(model, x, y, patch=1)
    correlations = [np.corrcoef(predicted_drop[i].ravel(), drops[i].ravel())[0, 1] for i in range(len(x))]
    assert np.mean(correlations) > 0.6  # measured 0.77 (cnn) and 0.75 (dense)
    # and the 8 pixels each method ranks highest are mostly the same ones
    top_saliency = np.argsort(-predicted_drop.reshape(len(x), -1), axis=1)[:, :8]
    top_occlusion = np.argsort(-drops.reshape(len(x), -1), axis=1)[:, :8]
    overlap = np.mean([len(set(a) & set(b)) / 8 for a, b in zip(top_saliency, top_occlusion)])
    assert overlap > 0.6  # measured 0.77 (cnn) and 0.92 (dense)


def test_hand_worked_unit_response_and_top_activating():
    model = nl.Sequential([nl.Dense(2, 3, "relu"), nl.Dense(3, 1)])
    model.layers[0].weights[:] = [[1.0, 0.0, -1.0], [1.0, 2.0, 0.0]]
    x = np.array([[1.0, 1.0], [2.0, -1.0], [0.0, 3.0], [-1.0, 0.5]])
    # unit 1 computes relu(0 * x_0 + 2 * x_1) = relu(2, -2, 6, 1) = (2, 0, 6, 1)
    np.testing.assert_array_equal(unit_response(model, x, 0, 1), [2.0, 0.0, 6.0, 1.0])
    np.testing.assert_array_equal(top_activating(model, x, 0, 1, k=3), [2, 0, 3])
    np.testing.assert_array_equal(top_activating(model, x, 0, 1, k=10), [2, 0, 3, 1])  # k larger than the batch
    # the layer as an object, or counted from the end; one sample gives one number
    np.testing.assert_array_equal(unit_response(model, x, model.layers[0], 1), unit_response(model, x, -2, 1))
    assert unit_response(model, x[2], 0, 1) == 6.0


def test_unit_response_of_a_convolution_channel(rng):
    model = cnn_model()
    x = rng.normal(size=(5, 1, 6, 6))
    maps = model.layers[0].forward(x)[:, 2]  # channel 2's feature maps, (5, 6, 6)
    np.testing.assert_allclose(unit_response(model, x, 0, 2), maps.mean(axis=(1, 2)))
    np.testing.assert_allclose(unit_response(model, x, 0, 2, reduce="max"), maps.max(axis=(1, 2)))
    np.testing.assert_allclose(unit_response(model, x, 0, 2, reduce=None), maps)
    np.testing.assert_allclose(unit_response(model, x, 0, (2, 3, 4)), maps[:, 3, 4])
    best = top_activating(model, x, 0, 2, k=1, reduce="max")
    assert best[0] == np.argmax(maps.max(axis=(1, 2)))
    # after pooling: layer 1 is MaxPool2D, channel 2 again
    pooled = model.layers[1].forward(model.layers[0].forward(x))[:, 2]
    np.testing.assert_allclose(unit_response(model, x, 1, 2), pooled.mean(axis=(1, 2)))


def test_unit_response_of_a_sequence_layer(rng):
    model = nl.Sequential([SimpleRNN(2, 4, return_sequences=True), LastStep(), nl.Dense(4, 2, "softmax")], seed=0)
    x = rng.normal(size=(3, 5, 2))
    states = model.layers[0].forward(x)[:, :, 1]  # feature 1 at every step, (3, 5)
    np.testing.assert_allclose(unit_response(model, x, 0, 1, reduce=None), states)
    np.testing.assert_allclose(unit_response(model, x, 0, 1), states.mean(axis=1))


def test_clear_errors(rng):
    model = dense_model()
    x = rng.normal(size=(2, 4))
    with pytest.raises(ValueError, match=r"Unknown score 'logits'.*Did you mean 'logit'"):
        saliency(model, x, 0, score="logits")
    with pytest.raises(ValueError, match=r"class index in 0\.\.2 \(the model has 3 outputs\), but got 3"):
        saliency(model, x, 3)
    with pytest.raises(ValueError, match=r"one per sample \(shape \(2,\)\)"):
        saliency(model, x, [0, 1, 2])
    with pytest.raises(ValueError, match=r"layer must be an index into model.layers, in -2\.\.1"):
        unit_response(model, x, 2, 0)
    with pytest.raises(ValueError, match=r"Dense layer 1 \(4 -> 6\) has 6 units here, so unit must be in 0\.\.5"):
        unit_response(model, x, 0, 6)
    with pytest.raises(ValueError, match=r"Dense layer 1 \(4 -> 6\) expects inputs of shape \(batch, 4\)"):
        saliency(model, rng.normal(size=(2, 5)), 0)
    sequence_out = nl.Sequential([SelfAttention(2)], seed=0)
    with pytest.raises(ValueError, match="one row of class scores per sample"):
        saliency(sequence_out, rng.normal(size=(1, 3, 2)), 0)
    with pytest.raises(ValueError, match=r"baseline must be one number or an array of one sample's shape \(4,\)"):
        occlusion(model, x, 0, baseline=np.zeros(3))
    with pytest.raises(ValueError, match="x looks like one sample"):
        top_activating(model, x[0], 0, 1)

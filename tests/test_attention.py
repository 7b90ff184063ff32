"""SelfAttention: hand-worked weights, the causal mask, backward against finite differences and a hand-written
PyTorch version, saving, summaries, and learning the lookup task with the attention on the right position."""

import math
import warnings

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.attention import SelfAttention
from nnlearn.recurrent import LastStep


def numeric_input_gradient(layer, x, upstream, h=1e-6):
    numeric = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += h
        minus[idx] -= h
        numeric[idx] = (np.sum(upstream * layer.forward(plus)) - np.sum(upstream * layer.forward(minus))) / (2 * h)
    return numeric


def test_hand_worked_scores_weights_and_output():
    layer = SelfAttention(1)
    layer.query_weights[:] = layer.key_weights[:] = layer.value_weights[:] = 1.0
    x = np.array([[[1.0], [2.0]]])
    out = layer.forward(x)
    # scores = q k^T / sqrt(1) = [[1*1, 1*2], [2*1, 2*2]] = [[1, 2], [2, 4]]
    # row 0: softmax(1, 2) = (1/(1+e), e/(1+e)); row 1: softmax(2, 4) = (1/(1+e^2), e^2/(1+e^2))
    e = math.e
    expected_weights = [[1 / (1 + e), e / (1 + e)], [1 / (1 + e**2), e**2 / (1 + e**2)]]
    np.testing.assert_allclose(layer.attention_weights[0], expected_weights)
    # output_i = sum_j weight_ij * value_j with values (1, 2): 0.2689 + 2 * 0.7311 = 1.7311, ... = 1.8808
    np.testing.assert_allclose(out[0, :, 0], [1 / (1 + e) + 2 * e / (1 + e), 1 / (1 + e**2) + 2 * e**2 / (1 + e**2)])
    np.testing.assert_allclose(out[0, :, 0], [1.7311, 1.8808], atol=1e-4)


def test_scores_are_scaled_by_sqrt_of_n_dims():
    layer = SelfAttention(4)
    layer.query_weights[:] = layer.key_weights[:] = np.eye(4)
    x = np.array([[[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]])
    layer.forward(x)
    # scores of position 0: (x0 . x0, x0 . x1) / sqrt(4) = (2/2, 0) = (1, 0)
    np.testing.assert_allclose(layer.attention_weights[0, 0], [math.e / (math.e + 1), 1 / (math.e + 1)])


def test_causal_mask_hides_the_future_without_warnings(rng):
    layer = SelfAttention(3, causal=True, seed=0)
    x = rng.normal(scale=50.0, size=(2, 5, 3))  # huge scores: the mask and softmax must stay finite
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = layer.forward(x)
        grad_x = layer.backward(rng.normal(size=out.shape))
    weights = layer.attention_weights
    assert np.isfinite(out).all() and np.isfinite(grad_x).all()
    np.testing.assert_array_equal(weights[:, np.triu_indices(5, k=1)[0], np.triu_indices(5, k=1)[1]], 0.0)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0)
    # changing the last two steps leaves the outputs of the first three unchanged
    changed = x.copy()
    changed[:, 3:] = rng.normal(size=(2, 2, 3))
    np.testing.assert_array_equal(layer.forward(changed)[:, :3], out[:, :3])
    # the first position can only attend to itself
    np.testing.assert_array_equal(weights[:, 0, 0], 1.0)


def test_uniform_averages_when_every_score_is_zero():
    layer = SelfAttention(1, causal=True)
    layer.query_weights[:] = layer.key_weights[:] = 0.0
    layer.value_weights[:] = 1.0
    out = layer.forward(np.array([[[3.0], [5.0], [10.0]]]))
    np.testing.assert_allclose(out[0, :, 0], [3.0, 4.0, 6.0])  # 3, (3+5)/2, (3+5+10)/3


@pytest.mark.parametrize("causal", [False, True])
def test_input_gradient_matches_finite_differences(causal, rng):
    layer = SelfAttention(3, seed=1, causal=causal)
    x = rng.normal(size=(2, 4, 3))
    upstream = rng.normal(size=(2, 4, 3))
    layer.forward(x)
    grad_x = layer.backward(upstream)
    np.testing.assert_allclose(grad_x, numeric_input_gradient(layer, x, upstream), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("causal", [False, True])
def test_network_gradient_check(causal, rng):
    x = rng.normal(size=(5, 4, 3))
    labels = rng.integers(0, 2, size=5)
    model = nl.Sequential([SelfAttention(3, causal=causal), LastStep(), nl.Dense(3, 2, "softmax")], seed=2)
    assert nl.gradient_check(model, x, labels, "cross_entropy") < 1e-6


@pytest.mark.parametrize("causal", [False, True])
def test_agrees_with_hand_written_pytorch_attention(causal, rng):
    torch = pytest.importorskip("torch")
    layer = SelfAttention(4, seed=3, causal=causal)
    x = rng.normal(scale=2.0, size=(3, 5, 4))
    out = layer.forward(x)
    upstream = rng.normal(size=out.shape)
    grad_x = layer.backward(upstream)

    xt = torch.tensor(x, requires_grad=True)
    w = {name: torch.tensor(getattr(layer, name + "_weights"), requires_grad=True)
         for name in ("query", "key", "value")}
    scores = (xt @ w["query"]) @ (xt @ w["key"]).transpose(1, 2) / math.sqrt(4)
    if causal:
        scores = scores.masked_fill(torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1), float("-inf"))
    attention = torch.softmax(scores, dim=-1)
    ref_out = attention @ (xt @ w["value"])
    (ref_out * torch.tensor(upstream)).sum().backward()

    def same(ours, theirs):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=0, atol=1e-10)

    same(out, ref_out)
    same(layer.attention_weights, attention)
    same(grad_x, xt.grad)
    for name in ("query", "key", "value"):
        same(getattr(layer, f"grad_{name}_weights"), w[name].grad)


def test_queries_keys_values_are_kept_for_plotting(rng):
    layer = SelfAttention(2, seed=0)
    assert layer.attention_weights is None
    x = rng.normal(size=(1, 3, 2))
    layer.forward(x)
    np.testing.assert_allclose(layer.queries, x @ layer.query_weights)
    np.testing.assert_allclose(layer.keys, x @ layer.key_weights)
    np.testing.assert_allclose(layer.values, x @ layer.value_weights)
    assert layer.attention_weights.shape == (1, 3, 3)


def test_save_load_summary_and_describe(tmp_path, rng):
    model = nl.Sequential([SelfAttention(3, causal=True), LastStep(), nl.Dense(3, 2, "softmax")], seed=0)
    x = rng.normal(size=(4, 5, 3))
    loaded = nl.Sequential.load(model.save(tmp_path / "attention"))
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    assert loaded.layers[0].causal is True
    text = model.summary(input_shape=(5, 3))
    assert "(batch, 5, 3)" in text and "(batch, 2)" in text and "Total parameters: 35" in text  # 27 + 8
    assert model.layers[0].describe() == "SelfAttention layer 1 (3 dims, causal)"
    assert set(model.layers[0].parameters()) == {"query_weights", "key_weights", "value_weights"}


def test_clear_errors():
    layer = SelfAttention(4)
    with pytest.raises(ValueError, match=r"expects sequences of shape \(batch, time, 4\) but got \(5, 4\)\. "
                                         r"For one sequence use x.reshape\(1, 5, 4\)"):
        layer.forward(np.zeros((5, 4)))
    with pytest.raises(ValueError, match=r"Each step has 3 features, but this layer takes 4"):
        layer.forward(np.zeros((2, 5, 3)))
    with pytest.raises(TypeError, match="causal must be True or False"):
        SelfAttention(4, causal="yes")
    with pytest.raises(ValueError, match=r"expects one sequence of shape \(time, 4\)"):
        layer.output_shape((4,))


def test_learns_the_lookup_task_and_attends_to_the_asked_position():
    n_symbols, length = 6, 8
    x, y = nl.datasets.lookup_task(n=1000, length=length, n_symbols=n_symbols, seed=0)
    x_test, y_test = nl.datasets.lookup_task(n=500, length=length, n_symbols=n_symbols, seed=1)
    attention = SelfAttention(n_symbols + length)
    model = nl.Sequential([attention, LastStep(), nl.Dense(n_symbols + length, n_symbols, "softmax")], seed=0)
    model.fit(x, y, "cross_entropy", optimizer="adam", lr=0.02, epochs=30, batch_size=50, seed=0, progress=False)
    assert model.accuracy(x_test, y_test) > 0.98  # measured 1.0; chance is 1/6
    # the query token (last row of the heatmap) puts most of its weight on the position it asks about
    asked = x_test[:, -1, n_symbols:n_symbols + length - 1].argmax(axis=1)
    from_query = attention.attention_weights[:, -1]  # (n, length), kept from the accuracy pass
    on_asked = from_query[np.arange(len(x_test)), asked]
    assert on_asked.mean() > 0.75  # measured 0.90
    assert np.mean(from_query.argmax(axis=1) == asked) > 0.98  # measured 1.0

"""The transformer parts: gradients against finite differences, masks, shapes, dtypes, errors, and the
sequence form of cross_entropy. (PyTorch agreement is in test_torch_reference.py.)"""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.transformer import gelu, gelu_backward


def randomize(layer, rng, scale=0.5):
    for value in layer.parameters().values():
        value[...] = rng.normal(scale=scale, size=value.shape)


def check_layer_gradients(layer, x, rng, tol=1e-7):
    """dLoss/dx and every dLoss/dparameter against central differences, for loss = sum(output * g)."""
    g = rng.normal(size=layer.forward(x).shape)

    def loss():
        return float((layer.forward(x) * g).sum())

    layer.forward(x)
    grad_x = layer.backward(g)
    grads = {name: getattr(layer, "grad_" + name).copy() for name in layer.parameters()}
    np.testing.assert_allclose(grad_x, nl.numerical_gradient(loss, x), atol=tol, rtol=1e-6)
    for name, value in layer.parameters().items():
        np.testing.assert_allclose(grads[name], nl.numerical_gradient(loss, value), atol=tol, rtol=1e-6,
                                   err_msg=name)


@pytest.mark.parametrize("causal", [False, True])
def test_multi_head_attention_gradients(causal, rng):
    layer = nl.MultiHeadAttention(8, 2, causal=causal, seed=0)
    randomize(layer, rng)
    check_layer_gradients(layer, rng.normal(size=(3, 5, 8)), rng)


def test_transformer_block_gradients(rng):
    block = nl.TransformerBlock(8, 4, 16, seed=0)
    randomize(block, rng)
    check_layer_gradients(block, rng.normal(size=(2, 6, 8)), rng)


def test_positions_and_sequence_dense_gradients(rng):
    check_layer_gradients(nl.PositionalEmbedding(7, 4, seed=0), rng.normal(size=(3, 5, 4)), rng)
    check_layer_gradients(nl.SequenceDense(4, 3, seed=0), rng.normal(size=(3, 5, 4)), rng)
    check_layer_gradients(nl.SequenceDense(4, 3, activation="tanh", seed=0), rng.normal(size=(2, 5, 4)), rng)


def test_whole_language_model_gradient_check(rng):
    model = nl.language_model(5, context=6, d_model=8, n_heads=2, n_layers=2, d_hidden=12, seed=0)
    for layer in model.layers:
        randomize(layer, rng, scale=0.3)
    x = rng.integers(0, 5, size=(3, 6))
    y = rng.integers(0, 5, size=(3, 6))
    ce = nl.losses.get("cross_entropy")

    def loss():
        return ce(model.forward(x), y)

    nl.text.train_step(model, x, y, nl.optimizers.SGD(lr=1e-300))  # sets every grad_*; the step moves nothing
    for layer in model.layers:
        for name, value in layer.parameters().items():
            np.testing.assert_allclose(getattr(layer, "grad_" + name), nl.numerical_gradient(loss, value),
                                       atol=1e-7, rtol=1e-5, err_msg=f"{layer.describe()} {name}")


def test_attention_weights_rows_sum_to_one_and_causal_mask_hides_the_future(rng):
    layer = nl.MultiHeadAttention(6, 3, causal=True, seed=0)
    randomize(layer, rng, scale=1.0)
    layer.forward(rng.normal(size=(2, 5, 6)))
    weights = layer.attention_
    assert weights.shape == (2, 3, 5, 5)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0)
    assert np.all(weights[..., np.triu_indices(5, k=1)[0], np.triu_indices(5, k=1)[1]] == 0.0)
    # a non-causal layer with the same weights reads the future too
    open_layer = nl.MultiHeadAttention(6, 3, causal=False)
    for name, value in layer.parameters().items():
        open_layer.parameters()[name][...] = value
    open_layer.forward(rng.normal(size=(2, 5, 6)))
    assert open_layer.attention_[0, 0, 0, 1:].sum() > 0


def test_changing_a_later_token_does_not_change_earlier_outputs(rng):
    model = nl.language_model(7, context=8, d_model=8, n_heads=2, d_hidden=16, seed=0)
    tokens = rng.integers(0, 7, size=(1, 8))
    changed = tokens.copy()
    changed[0, 5] = (changed[0, 5] + 1) % 7
    before, after = model.predict(tokens), model.predict(changed)
    np.testing.assert_allclose(before[0, :5], after[0, :5], atol=1e-12)
    assert np.abs(before[0, 5:] - after[0, 5:]).max() > 1e-6


def test_one_head_is_lesson_10s_self_attention(rng):
    x = rng.normal(size=(2, 4, 3))
    single = nl.SelfAttention(3, seed=0, causal=True)
    heads = nl.MultiHeadAttention(3, 1, causal=True)
    heads.query_weights[...] = single.query_weights
    heads.key_weights[...] = single.key_weights
    heads.value_weights[...] = single.value_weights
    heads.output_weights[...] = np.eye(3)  # no mixing after the one head; all biases are 0
    np.testing.assert_allclose(heads.forward(x), single.forward(x), atol=1e-12)
    np.testing.assert_allclose(heads.attention_[:, 0], single.attention_weights, atol=1e-12)


def test_block_with_zero_output_weights_is_the_identity(rng):
    block = nl.TransformerBlock(8, 2, 16, seed=0)
    block.attention.output_weights[...] = 0.0
    block.output_weights[...] = 0.0
    x = rng.normal(size=(2, 3, 8))
    np.testing.assert_allclose(block.forward(x), x)  # both residual paths add 0
    grad = rng.normal(size=x.shape)
    np.testing.assert_allclose(block.backward(grad), grad)  # and the gradient passes straight through


def test_positions_add_row_t_and_collect_gradients_over_the_batch():
    positions = nl.PositionalEmbedding(4, 2)
    positions.weights[...] = np.arange(8.0).reshape(4, 2)
    out = positions.forward(np.zeros((3, 2, 2)))
    np.testing.assert_allclose(out[1], [[0.0, 1.0], [2.0, 3.0]])
    positions.backward(np.ones((3, 2, 2)))
    np.testing.assert_allclose(positions.grad_weights, [[3.0, 3.0], [3.0, 3.0], [0.0, 0.0], [0.0, 0.0]])


def test_gelu_tanh_form_and_its_derivative(rng):
    z = rng.normal(scale=2.0, size=50)
    value, t = gelu(z)
    np.testing.assert_allclose(value, 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3))))
    h = 1e-6
    numeric = (gelu(z + h)[0] - gelu(z - h)[0]) / (2 * h)
    np.testing.assert_allclose(gelu_backward(z, t, np.ones_like(z)), numeric, atol=1e-8)


def test_dropout_only_in_training(rng):
    block = nl.TransformerBlock(8, 2, 16, dropout=0.5, seed=0)
    randomize(block, rng)
    x = rng.normal(size=(2, 5, 8))
    block.training = False
    first, second = block.forward(x), block.forward(x)
    np.testing.assert_allclose(first, second)
    block.training = True
    assert np.abs(block.forward(x) - first).max() > 1e-3


def test_float32_stays_float32_end_to_end(rng):
    model = nl.language_model(11, context=8, d_model=16, n_heads=4, d_hidden=32, seed=0, dtype="float32")
    assert all(value.dtype == np.float32 for value in model.parameters().values())
    x = rng.integers(0, 11, size=(4, 8))
    logits = model.forward(x)
    assert logits.dtype == np.float32
    nl.text.train_step(model, x, x, nl.optimizers.Adam(1e-3))
    for layer in model.layers:
        for name, grad in layer.gradients().items():
            assert grad.dtype == np.float32, f"{layer.describe()} grad_{name} is {grad.dtype}"
    assert all(value.dtype == np.float32 for value in model.parameters().values())


def test_float32_and_float64_models_agree(rng):
    x = rng.integers(0, 11, size=(2, 8))
    wide = nl.language_model(11, context=8, d_model=16, n_heads=4, d_hidden=32, seed=3)
    narrow = nl.language_model(11, context=8, d_model=16, n_heads=4, d_hidden=32, seed=3, dtype="float32")
    np.testing.assert_allclose(narrow.predict(x), wide.predict(x), atol=1e-4)


def test_save_and_load_round_trip(tmp_path, rng):
    model = nl.language_model(9, context=6, d_model=8, n_heads=2, d_hidden=8, seed=1, dtype="float32")
    x = rng.integers(0, 9, size=(2, 6))
    path = model.save(tmp_path / "lm.npz")
    loaded = nl.Sequential.load(path)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    assert loaded.layers[2].dtype == np.float32


def test_errors_that_teach():
    with pytest.raises(ValueError, match="d_model=10 must be divisible by n_heads=4"):
        nl.MultiHeadAttention(10, 4)
    with pytest.raises(ValueError, match="divisible"):
        nl.language_model(27, 16, d_model=30, n_heads=4)
    model = nl.language_model(5, context=4, d_model=8, n_heads=2, d_hidden=8)
    with pytest.raises(ValueError, match=r"up to 4 steps \(its context\), but got 6 steps"):
        model.predict(np.zeros((1, 6), dtype=int))
    with pytest.raises(ValueError, match=r"got item id 7, but ids must be in 0..4"):
        model.predict(np.array([[0, 1, 7]]))
    with pytest.raises(ValueError, match=r"expects sequences of shape \(batch, time, 8\)"):
        nl.TransformerBlock(8, 2, 8).forward(np.zeros((2, 3, 5)))
    with pytest.raises(ValueError, match="dtype must be 'float64' or 'float32'"):
        nl.language_model(5, 4, dtype="int8")


def test_sequence_cross_entropy_value_and_gradient(rng):
    ce = nl.losses.get("cross_entropy")
    logits = rng.normal(size=(2, 3, 4))
    targets = rng.integers(0, 4, size=(2, 3))
    log_p = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    expected = -np.mean(np.take_along_axis(log_p, targets[..., None], axis=-1))
    assert ce(logits, targets) == pytest.approx(expected, rel=1e-12)
    value, grad = ce.from_logits(logits, targets)
    assert value == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(grad, nl.numerical_gradient(lambda: ce(logits, targets), logits), atol=1e-8)
    np.testing.assert_allclose(ce.gradient(logits, targets), grad)
    # hand-worked: all logits 0 over 4 tokens -> log 4 per position
    assert ce(np.zeros((1, 2, 4)), np.array([[0, 3]])) == pytest.approx(np.log(4))


def test_sequence_cross_entropy_errors():
    ce = nl.losses.get("cross_entropy")
    with pytest.raises(ValueError, match=r"need integer targets of shape \(2, 3\)"):
        ce(np.zeros((2, 3, 4)), np.zeros((2, 4), dtype=int))
    with pytest.raises(ValueError, match="labels must be in 0..3"):
        ce(np.zeros((2, 3, 4)), np.full((2, 3), 4))
    with pytest.raises(ValueError, match="whole-number"):
        ce(np.zeros((1, 2, 4)), np.array([[0.5, 1.0]]))


def test_embedding_on_tokens_gives_sequences_and_keeps_one_d_ids():
    table = nl.Embedding(5, 3, seed=0)
    assert table.forward(np.array([[0, 1], [4, 4]])).shape == (2, 2, 3)
    table.backward(np.ones((2, 2, 3)))
    np.testing.assert_allclose(table.grad_weights[4], [2.0, 2.0, 2.0])  # row 4 read twice
    assert table.forward(np.array([1, 2, 3])).shape == (3, 3)


def test_transformer_step_benchmark_child_runs_and_reports(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, str(root / "benchmarks" / "transformer_step.py"), "--lib", "numpy",
                          "--dtype", "float32", "--warmup", "1", "--steps", "2"], capture_output=True, text=True,
                         check=True, cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["lib"] == "numpy" and result["dtype"] == "float32" and len(result["times_ms"]) == 2
    assert result["first_loss"] == pytest.approx(np.log(27), abs=0.05)  # the untrained model guesses uniformly


@pytest.mark.parametrize("n_items", [6, 1_000_000])  # a one-hot product for small tables, np.add.at for huge ones
def test_embedding_gradient_adds_repeats_either_way(n_items):
    table = nl.Embedding(n_items, 2, seed=0)
    ids = np.array([[1, 5, 1]])
    table.forward(ids)
    table.backward(np.array([[[1.0, 2.0], [3.0, 4.0], [10.0, 20.0]]]))
    np.testing.assert_allclose(table.grad_weights[1], [11.0, 22.0])
    np.testing.assert_allclose(table.grad_weights[5], [3.0, 4.0])
    assert np.count_nonzero(table.grad_weights) == 4


def test_block_and_attention_expose_the_weights_of_the_last_forward(rng):
    block = nl.TransformerBlock(8, 2, 16, seed=0)
    block.forward(rng.normal(size=(3, 4, 8)))
    assert block.attention_ is block.attention.attention_ is block.attention.attention_weights
    assert block.attention_.shape == (3, 2, 4, 4)

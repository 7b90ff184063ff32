"""Lesson 12's pictures (compute, then draw), the sampling explorer's wiring, and its exercises."""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn import plots
from nnlearn.widgets import explore_sampling


@pytest.fixture(scope="module")
def tiny():
    text = "\nann\nbob\ncyd\nada\n"
    tokenizer = nl.text.CharTokenizer(text)
    model = nl.language_model(tokenizer.vocab_size, context=6, d_model=8, n_heads=2, d_hidden=8, seed=0)
    nl.text.train(model, tokenizer.encode(text * 5), steps=30, lr=0.01, seed=0)
    return tokenizer, model


def test_bigram_picture_holds_the_table(tiny):
    tokenizer, _ = tiny
    table = nl.text.bigram_table(tokenizer.encode("\nann\nbob\n"), tokenizer.vocab_size)
    data = plots.bigram_data(table, tokenizer)
    assert data.labels[0] == "↵" and data.labels[1] == "a"
    artists = plots.draw_bigram(plots.figure().add_subplot(), data)
    np.testing.assert_allclose(artists["image"].get_array(), table)
    with pytest.raises(ValueError, match="must be"):
        plots.bigram_data(np.eye(3), tokenizer)


def test_loss_picture_draws_both_baselines():
    history = nl.History()
    history.append(step=100, loss=2.6, val_loss=2.5)
    history.append(step=200, loss=2.3, val_loss=2.2)
    data = plots.language_loss_data(history, 2.45, 27)
    artists = plots.draw_language_loss(plots.figure().add_subplot(), data)
    np.testing.assert_allclose(artists["val_loss"].get_ydata(), [2.5, 2.2])
    np.testing.assert_allclose(artists["bigram"].get_ydata(), [2.45, 2.45])
    np.testing.assert_allclose(artists["uniform"].get_ydata(), [np.log(27)] * 2)


def test_next_token_bars_follow_the_model(tiny):
    tokenizer, model = tiny
    data = plots.next_token_data(model, tokenizer, "a", temperature=0.7, top_k=3)
    np.testing.assert_allclose(data.probabilities,
                               nl.next_token_probabilities(model, tokenizer, "a", temperature=0.7, top_k=3))
    artists = plots.draw_next_token(plots.figure().add_subplot(), data)
    heights = [bar.get_height() for bar in artists["bars"]]
    np.testing.assert_allclose(heights, data.probabilities)
    assert "next is" in artists["title"].get_text()


def test_attention_heads_picture(tiny):
    tokenizer, model = tiny
    data = plots.attention_heads_data(model, tokenizer, "ann", block=1)
    assert data.weights.shape == (2, 4, 4) and data.labels == ["↵", "a", "n", "n"]
    np.testing.assert_allclose(data.weights.sum(axis=-1), 1.0)
    np.testing.assert_allclose(data.weights, model.layers[3].attention.attention_[0])
    fig = plots.figure((6, 3))
    artists = plots.draw_attention_heads(fig.subplots(1, 2), data)
    np.testing.assert_allclose(artists["images"][1].get_array(), data.weights[1])
    with pytest.raises(ValueError, match="block must be in 0..1"):
        plots.attention_heads_data(model, tokenizer, "ann", block=2)


def test_character_embedding_picture_is_a_projection(tiny):
    tokenizer, model = tiny
    data = plots.character_embedding_data(model, tokenizer)
    table = model.layers[0].weights
    centred = table - table.mean(axis=0)
    assert data.points.shape == (tokenizer.vocab_size, 2)
    # distances shrink under a projection, and the first two directions keep the stated share of the spread
    assert (data.points**2).sum() == pytest.approx(data.explained * (centred**2).sum())
    assert data.groups[tokenizer.vocab.index("a")] == "vowel" and data.groups[0] == "line break"
    texts = plots.draw_character_embedding(plots.figure().add_subplot(), data)["texts"]
    assert [t.get_text() for t in texts] == data.labels


def test_sampling_explorer_controls_move_the_bars(tiny):
    tokenizer, model = tiny
    explorer = explore_sampling(model, tokenizer, prompt="a")
    bars = explorer.artists["bars"]

    def heights():
        return np.array([bar.get_height() for bar in bars])

    np.testing.assert_allclose(heights(), nl.next_token_probabilities(model, tokenizer, "a"))
    explorer.controls["temperature"].value = 0.5
    np.testing.assert_allclose(heights(), nl.next_token_probabilities(model, tokenizer, "a", temperature=0.5))
    explorer.controls["top_k"].value = 1
    assert (heights() > 0).sum() == 1
    explorer.controls["top_k"].value = 0
    explorer.controls["prompt"].value = "bo"
    np.testing.assert_allclose(heights(), nl.next_token_probabilities(model, tokenizer, "bo", temperature=0.5))
    assert explorer.readout_text.startswith("most likely next:")


def test_sampling_explorer_buttons_write(tiny):
    tokenizer, model = tiny
    explorer = explore_sampling(model, tokenizer, prompt="", seed=3)
    character = explorer.sample_next()
    assert explorer.controls["prompt"].value == character and explorer.controls["seed"].value == 4
    explorer.controls["prompt"].value = "a"
    line = explorer.write_line()
    assert line.startswith("a") and "\n" not in line and explorer.controls["prompt"].value == line
    assert "wrote" in explorer.readout_text
    # top-k 1 writes the argmax chain, the same every time
    explorer.controls["top_k"].value = 1
    explorer.controls["prompt"].value = "b"
    first = explorer.write_line()
    explorer.controls["prompt"].value = "b"
    assert explorer.write_line() == first


def test_sampling_explorer_reports_unknown_characters(tiny):
    tokenizer, model = tiny
    explorer = explore_sampling(model, tokenizer, prompt="a")
    with pytest.raises(ValueError, match="not in the vocabulary"):
        explorer.controls["prompt"].value = "Z"
    assert isinstance(explorer.last_error, ValueError)


def test_sampling_explorer_png_fallback(tiny):
    tokenizer, model = tiny
    bundle = explore_sampling(model, tokenizer, prompt="a")._repr_mimebundle_()
    assert "image/png" in bundle


def _softmax_with_temperature(logits, temperature):
    scaled = np.asarray(logits, dtype=float) / temperature
    weights = np.exp(scaled - scaled.max())
    return weights / weights.sum()


def _layernorm_backward(x, gain, grad_output, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    inverse_std = 1 / np.sqrt(((x - mean) ** 2).mean(axis=-1, keepdims=True) + eps)
    x_hat = (x - mean) * inverse_std
    g = grad_output * gain
    return inverse_std * (g - g.mean(axis=-1, keepdims=True) - x_hat * (g * x_hat).mean(axis=-1, keepdims=True))


_X = np.array([[1.0, 2.0, 4.0], [0.5, -1.0, 0.5]])
_GAIN = np.array([1.0, 0.5, 2.0])
_GRAD = np.array([[0.1, -0.2, 0.3], [1.0, 0.0, -1.0]])
RIGHT = {  # exercise -> (answer as numbers, answer as a function)
    "causal_mask": ({"mask": np.tril(np.ones((5, 5), dtype=bool))},
                    {"causal_mask": lambda time: np.arange(time)[None, :] <= np.arange(time)[:, None]}),
    "softmax_with_temperature": ({"probabilities": np.round(_softmax_with_temperature([2, 1, 0, -1], 0.5), 3)},
                                 {"softmax_with_temperature": _softmax_with_temperature}),
    "layernorm_backward": ({"grad_x": np.round(_layernorm_backward(_X, _GAIN, _GRAD), 3)},
                           {"layernorm_backward": _layernorm_backward}),
}


@pytest.mark.parametrize("name", sorted(RIGHT))
def test_language_exercises_stub_wrong_and_right(name):
    numbers, function = RIGHT[name]
    assert not nl.exercises.check(name, **{key: None for key in numbers}).done  # the stub as shipped
    assert nl.exercises.check(name, **numbers).passed  # rounded to 3 decimals is fine
    assert nl.exercises.check(name, **function).passed

    def stub(*args, **kwargs):
        return None

    assert not nl.exercises.check(name, **{next(iter(function)): stub}).passed
    assert name in nl.exercises.names() and nl.exercises.hint(name)


def test_language_exercises_catch_common_mistakes():
    upper = nl.exercises.check("causal_mask", causal_mask=lambda t: np.triu(np.ones((t, t), dtype=bool)))
    assert not upper.passed and "later position" in upper.message
    no_temperature = nl.exercises.check("softmax_with_temperature",
                                        softmax_with_temperature=lambda z, t: np.exp(z) / np.exp(z).sum())
    assert not no_temperature.passed and "temperature 0.5" in no_temperature.message
    at_one = nl.exercises.check("softmax_with_temperature",
                                probabilities=_softmax_with_temperature([2, 1, 0, -1], 1.0))
    assert not at_one.passed and "temperature 1" in at_one.message and "0.865" not in at_one.message
    direct_only = nl.exercises.check(
        "layernorm_backward",
        layernorm_backward=lambda x, gain, g: g * gain / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-5))
    assert not direct_only.passed and "direct path only" in direct_only.message
    wrong_numbers = nl.exercises.check("layernorm_backward", grad_x=np.zeros((2, 3)) + 1.0)
    assert not wrong_numbers.passed and "0.126" not in wrong_numbers.message

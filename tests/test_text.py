"""nl.text: tokenizer, data, bigram baseline, language model, sampling, training and scoring."""

import math

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.text import _windows_in_order


@pytest.fixture(scope="module")
def tiny():
    """A tokenizer and a tiny model on a few names (untrained: sampling and shapes only)."""
    text = "\nann\nbob\ncyd\n"
    tokenizer = nl.text.CharTokenizer(text)
    model = nl.language_model(tokenizer.vocab_size, context=6, d_model=8, n_heads=2, d_hidden=8, seed=0)
    return tokenizer, model


def test_tokenizer_round_trip_and_vocab():
    tokenizer = nl.text.CharTokenizer("hello world\n")
    assert tokenizer.vocab == ["\n", " ", "d", "e", "h", "l", "o", "r", "w"]
    assert tokenizer.vocab_size == len(tokenizer) == 9
    ids = tokenizer.encode("old\nword")
    assert ids.dtype == np.int64 and list(ids[:3]) == [6, 5, 2]
    assert tokenizer.decode(ids) == "old\nword"
    assert tokenizer.start == "\n"
    assert nl.text.CharTokenizer("cab").start == "a"  # no line break: the first character


def test_tokenizer_errors_name_the_character_and_a_close_match():
    tokenizer = nl.text.CharTokenizer("abc\n")
    with pytest.raises(ValueError, match=r"the character 'A' \(position 1 of the text\) is not in the vocabulary.*"
                                         r"Did you mean 'a'\?"):
        tokenizer.encode("bAc")
    with pytest.raises(ValueError, match=r"got the token id 4, but this tokenizer has 4 tokens"):
        tokenizer.decode([0, 4])
    with pytest.raises(TypeError, match="one string"):
        nl.text.CharTokenizer(["ann", "bob"])


def test_datasets_are_the_shipped_files():
    names = nl.datasets.names()
    assert len(names) == 32033 and names[:2] == ["emma", "olivia"]
    assert all(name.isalpha() and name.islower() for name in names)
    text = nl.datasets.shakespeare()
    assert len(text) == 1_115_394 and len(set(text)) == 65 and text.startswith("First Citizen:")


def test_split_is_seeded_and_complete():
    items = [f"n{i}" for i in range(50)]
    train, test = nl.text.split(items, test_fraction=0.2, seed=3)
    assert len(test) == 10 and sorted(train + test) == sorted(items)
    assert nl.text.split(items, test_fraction=0.2, seed=3) == (train, test)
    assert nl.text.split(items, test_fraction=0.2, seed=4) != (train, test)


def test_bigram_table_and_loss_worked_example():
    # stream a b a a b: pairs (a,b), (b,a), (a,a), (a,b) -> after a: b twice, a once; after b: a once
    tokens = np.array([0, 1, 0, 0, 1])
    table = nl.text.bigram_table(tokens, 2, smoothing=0.0)
    np.testing.assert_allclose(table, [[1 / 3, 2 / 3], [1.0, 0.0]])
    expected = -(math.log(2 / 3) + math.log(1.0) + math.log(1 / 3) + math.log(2 / 3)) / 4
    assert nl.text.bigram_loss(table, tokens) == pytest.approx(expected)
    smoothed = nl.text.bigram_table(tokens, 2, smoothing=1.0)
    np.testing.assert_allclose(smoothed, [[2 / 5, 3 / 5], [2 / 3, 1 / 3]])


def test_bigram_samples_stop_at_the_line_break():
    tokenizer = nl.text.CharTokenizer("\nab\nab\n")
    table = nl.text.bigram_table(tokenizer.encode("\nab\nab\n"), 3, smoothing=0.0)
    assert nl.text.sample_bigram(table, tokenizer, n_lines=4, seed=0) == ["ab"] * 4  # the only path


def test_language_model_layers_and_shapes():
    model = nl.language_model(27, 16, seed=0)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Embedding", "PositionalEmbedding", "TransformerBlock", "TransformerBlock", "LayerNorm",
                     "SequenceDense"]
    # 27*64 + 16*64 + 2 * (2*128 + 4*(64*64 + 64) + 64*256 + 256 + 256*64 + 64) + 128 + 64*27 + 27
    assert model.n_params == 27 * 64 + 16 * 64 + 2 * (256 + 4 * 4160 + 16640 + 16448) + 128 + 64 * 27 + 27
    assert model.predict(np.zeros((3, 10), dtype=int)).shape == (3, 10, 27)
    same = nl.language_model(27, 16, seed=0)
    np.testing.assert_array_equal(same.layers[2].hidden_weights, model.layers[2].hidden_weights)
    # an untrained model predicts about uniformly: loss near log(27)
    x = np.random.default_rng(0).integers(0, 27, size=(4, 16))
    assert abs(nl.losses.get("cross_entropy")(model.predict(x), x) - math.log(27)) < 0.05


def test_next_token_probabilities_are_the_softmax_of_the_last_logits(tiny):
    tokenizer, model = tiny
    p = nl.next_token_probabilities(model, tokenizer, "an")
    assert p.shape == (tokenizer.vocab_size,) and p.sum() == pytest.approx(1.0)
    logits = model.predict(tokenizer.encode("\nan")[None, :])[0, -1]
    np.testing.assert_allclose(p, np.exp(logits) / np.exp(logits).sum())
    # temperature and top-k, as generate uses them
    cold = nl.next_token_probabilities(model, tokenizer, "an", temperature=0.5)
    np.testing.assert_allclose(cold, p**2 / (p**2).sum())
    top2 = nl.next_token_probabilities(model, tokenizer, "an", top_k=2)
    assert (top2 > 0).sum() == 2 and set(np.flatnonzero(top2)) == set(np.argsort(p)[-2:])
    # a prompt longer than the context is read from its last `context` characters
    long = nl.next_token_probabilities(model, tokenizer, "bobcydann")
    logits = model.predict(tokenizer.encode("cydann")[None, :])[0, -1]
    np.testing.assert_allclose(long, np.exp(logits) / np.exp(logits).sum())


def test_generate_length_seed_stop_and_greedy(tiny):
    tokenizer, model = tiny
    text = nl.generate(model, tokenizer, "a", n_tokens=20, seed=5)
    assert len(text) == 20 and set(text) <= set(tokenizer.vocab)
    assert nl.generate(model, tokenizer, "a", n_tokens=20, seed=5) == text
    assert nl.generate(model, tokenizer, "a", n_tokens=20, seed=6) != text
    stopped = nl.generate(model, tokenizer, "", n_tokens=50, seed=1, stop="\n")
    assert "\n" not in stopped
    # top_k=1 always takes the most likely character: the argmax chain
    greedy = nl.generate(model, tokenizer, "b", n_tokens=5, top_k=1, seed=0)
    prompt = "b"
    for character in greedy:
        p = nl.next_token_probabilities(model, tokenizer, prompt)
        assert character == tokenizer.vocab[int(p.argmax())]
        prompt += character


def test_generate_lines_start_with_the_prompt_and_have_no_line_break(tiny):
    tokenizer, model = tiny
    lines = nl.text.generate_lines(model, tokenizer, n_lines=6, prompt="c", seed=0, max_length=8)
    assert len(lines) == 6 and all(line.startswith("c") and "\n" not in line for line in lines)
    assert all(len(line) <= 9 for line in lines)


def test_bad_sampling_input_gets_clear_errors(tiny):
    tokenizer, model = tiny
    with pytest.raises(ValueError, match="the character 'z'.*not in the vocabulary"):
        nl.generate(model, tokenizer, "zoe")
    with pytest.raises(ValueError, match="temperature must be a number above 0"):
        nl.generate(model, tokenizer, "a", temperature=0)
    with pytest.raises(ValueError, match="top_k must be a whole number >= 1"):
        nl.next_token_probabilities(model, tokenizer, "a", top_k=0)
    other = nl.text.CharTokenizer("xyz")
    with pytest.raises(ValueError, match="the model predicts 8 tokens but the tokenizer has 3"):
        nl.generate(model, other, "x")


def test_novel_share():
    assert nl.text.novel_share(["ann", "zed", "bob", "qix"], ["ann", "bob"]) == 0.5
    assert nl.text.novel_share(["ann", ""], ["bob"]) == 1.0  # empty lines are not counted
    with pytest.raises(ValueError, match="at least one"):
        nl.text.novel_share([""], ["bob"])


def test_random_windows_follow_the_stream_and_start_tokens():
    tokens = np.array([0, 5, 6, 0, 7, 8, 9, 0, 5, 0])
    x, y = nl.text.random_windows(tokens, 3, 50, np.random.default_rng(0))
    for row_x, row_y in zip(x, y):
        start = int(np.flatnonzero([np.array_equal(tokens[s:s + 3], row_x) for s in range(8)])[0])
        np.testing.assert_array_equal(row_y, tokens[start + 1:start + 4])
    x, _ = nl.text.random_windows(tokens, 3, 50, np.random.default_rng(0), start_token=0)
    assert np.all(x[:, 0] == 0)


def test_windows_in_order_score_every_token_once():
    tokens = np.array([0, 1, 2, 0, 3, 4, 5, 6, 7, 0, 1, 0])
    x, y, scored = _windows_in_order(tokens, 4, start_token=0)
    assert scored.sum() == len(tokens) - 1  # every token after the first, once
    # the targets scored, in order, are the stream without its first token
    np.testing.assert_array_equal(np.concatenate([row[mask] for row, mask in zip(y, scored)]), tokens[1:])
    x, y, scored = _windows_in_order(tokens, 4)
    assert scored.all() and x.shape == (2, 4)


def test_evaluate_equals_the_mean_cross_entropy(tiny):
    tokenizer, model = tiny
    tokens = tokenizer.encode("\nann\nbob\ncyd\nann\n")
    assert len(tokens) == 17  # 16 targets: windows of 6 and 6, the last 4 left out
    x, y = tokens[:12].reshape(2, 6), tokens[1:13].reshape(2, 6)
    ce = nl.losses.get("cross_entropy")
    assert nl.text.evaluate(model, tokens) == pytest.approx(ce(model.predict(x), y))
    # by lines: each name read from its line break, each token once
    by_lines = nl.text.evaluate(model, tokens, start_token=0)
    per_line = [ce(model.predict(tokenizer.encode("\n" + n)[None, :]), tokenizer.encode(n + "\n")[None, :])
                for n in ("ann", "bob", "cyd", "ann")]
    assert by_lines == pytest.approx(np.mean(per_line))


def test_training_learns_a_pattern_and_records_its_history():
    tokenizer = nl.text.CharTokenizer("abcd")
    tokens = tokenizer.encode("abcd" * 30)
    model = nl.language_model(4, context=8, d_model=16, n_heads=2, d_hidden=32, seed=0)
    assert nl.text.evaluate(model, tokens) == pytest.approx(math.log(4), abs=0.05)  # untrained: uniform
    history = nl.text.train(model, tokens, steps=80, lr=0.01, seed=0, val_tokens=tokens, eval_every=20)
    assert history.step == [20.0, 40.0, 60.0, 80.0]
    assert history.loss[0] > history.loss[-1] and history.val_loss[-1] < 0.1
    assert nl.generate(model, tokenizer, "ab", n_tokens=6, top_k=1) == "cdabcd"
    # going on where it stopped
    more = nl.text.train(model, tokens, steps=20, seed=1, history=history, eval_every=20)
    assert more is history and history.step[-1] == 100.0
    assert not model.layers[2].training  # left in prediction mode


def test_train_with_decay_ends_at_a_tenth_of_the_rate():
    model = nl.language_model(4, context=4, d_model=8, n_heads=2, d_hidden=8, seed=0)
    optimizer = nl.optimizers.Adam(0.01)
    nl.text.train(model, np.arange(40) % 4, steps=10, lr=0.01, decay=True, optimizer=optimizer)
    assert optimizer.lr == pytest.approx(0.001)


def test_context_of_needs_a_language_model():
    assert nl.text.context_of(nl.language_model(5, 12, d_model=8, n_heads=2, d_hidden=8)) == 12
    with pytest.raises(ValueError, match="no PositionalEmbedding"):
        nl.text.context_of(nl.Sequential([nl.Dense(2, 2)]))


def test_sequential_fit_trains_a_language_model_and_reports_per_position_accuracy():
    model = nl.language_model(5, 4, d_model=8, n_heads=2, d_hidden=8, seed=0)
    x = np.random.default_rng(0).integers(0, 5, size=(20, 4))
    y = (x + 1) % 5  # the next token is the current one plus 1
    history = model.fit(x, y, "cross_entropy", optimizer="adam", lr=0.02, epochs=30, batch_size=10, seed=0,
                        progress=False, validation_data=(x, y))
    assert history.val_loss[-1] < 0.05
    assert history.val_accuracy[-1] == 1.0 == model.accuracy(x, y)

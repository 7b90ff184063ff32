"""Language models on characters: a tokenizer, the bigram baseline, a small GPT, its training and its sampling.

A language model predicts the next token from the ones before it. Writing text is sampling that prediction
again and again: pick a character from the distribution, append it, predict again.

    >>> import nnlearn as nl
    >>> tokenizer = nl.text.CharTokenizer("hello world")
    >>> tokenizer.vocab
    [' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']
    >>> tokenizer.decode(tokenizer.encode("hold"))
    'hold'
"""

from __future__ import annotations

import contextlib
import difflib
import math
import time as _time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from . import losses as losses_module
from .embedding import Embedding
from .network import History, Sequential
from .normalization import LayerNorm, check_dtype
from .optimizers import Adam, Optimizer
from .transformer import PositionalEmbedding, SequenceDense, TransformerBlock
from .validation import check_positive_int, check_rate, describe

__all__ = [
    "CharTokenizer",
    "bigram_loss",
    "bigram_table",
    "context_of",
    "evaluate",
    "generate",
    "generate_lines",
    "language_model",
    "next_token_probabilities",
    "novel_share",
    "random_windows",
    "sample_bigram",
    "split",
    "train",
    "train_step",
]


def _one_thread():
    """BLAS on one thread while a small model trains or writes.

    Its matrices (a few hundred rows by 64 columns) are too small to share out: on a busy 2-core machine the
    threads of a threaded BLAS wait for each other, and a training step was measured 10x slower with them.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional speed-up only
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _show(character: str) -> str:
    return {"\n": "'\\n'", "\t": "'\\t'", " ": "' '"}.get(character, repr(character))


# ---------------------------------------------------------------------------------------------- tokenizer
class CharTokenizer:
    """One token per distinct character of a text: ``encode`` turns text into ids, ``decode`` back.

    ``vocab`` is the sorted list of characters; the id of a character is its place in that list. ``start`` is
    the character a prompt is read after when generation begins from nothing: the line break if the text has
    one (a name, or a line of a play, starts after a line break), else the first character of the vocabulary.

    Shapes: encode: text of n characters -> int64 (n,); decode: ids (n,) -> text of n characters.

    Example:
        >>> tokenizer = CharTokenizer("abca")
        >>> tokenizer.vocab, tokenizer.encode("cab")
        (['a', 'b', 'c'], array([2, 0, 1]))
        >>> tokenizer.encode("cat")                       # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: CharTokenizer: the character 't' (position 2 of the text) is not in the vocabulary of 3 ...
    """

    def __init__(self, text: str):
        if not isinstance(text, str):
            raise TypeError(f"CharTokenizer needs the training text as one string, but got {describe(text)}. "
                            "For a list of names use '\\n'.join(names).")
        if not text:
            raise ValueError("CharTokenizer needs a non-empty text to learn its characters from.")
        self.vocab: list[str] = sorted(set(text))
        self._ids = {character: i for i, character in enumerate(self.vocab)}
        self._lookup = np.full(max(map(ord, self.vocab)) + 1, -1, dtype=np.int64)
        self._lookup[[ord(c) for c in self.vocab]] = np.arange(len(self.vocab))
        self.start = "\n" if "\n" in self._ids else self.vocab[0]

    @property
    def vocab_size(self) -> int:
        """How many distinct characters (tokens) there are."""
        return len(self.vocab)

    def __len__(self) -> int:
        return len(self.vocab)

    def encode(self, text: str) -> np.ndarray:
        """The id of each character of ``text``, as an int64 array (n,)."""
        if not isinstance(text, str):
            raise TypeError(f"encode takes a string, but got {describe(text)}.")
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        ids = np.where(codes < len(self._lookup), self._lookup[np.minimum(codes, len(self._lookup) - 1)], -1)
        if ids.size and ids.min() < 0:
            position = int(np.argmax(ids < 0))
            self._unknown(text[position], position)
        return ids

    def _unknown(self, character: str, position: int) -> None:
        close = difflib.get_close_matches(character, self.vocab, n=1) or (
            [character.lower()] if character.lower() in self._ids else [])
        hint = f" Did you mean {_show(close[0])}?" if close else ""
        shown = "".join(c for c in self.vocab if c.isprintable() and c != " ")
        extra = " and the line break" if "\n" in self._ids else ""
        raise ValueError(
            f"CharTokenizer: the character {_show(character)} (position {position} of the text) is not in the "
            f"vocabulary of {len(self.vocab)} characters ({shown[:40]}{'...' if len(shown) > 40 else ''}"
            f"{extra}). A model can only read characters it was "
            f"trained on.{hint}"
        )

    def decode(self, ids: Any) -> str:
        """The text for a sequence of ids (any 1-D sequence of whole numbers in 0..vocab_size-1)."""
        array = np.asarray(ids)
        if array.ndim != 1 or (array.size and array.dtype.kind not in "iuf"):
            raise ValueError(f"decode takes a 1-D sequence of token ids, but got {describe(ids)}.")
        if array.size and (np.any(array != np.round(array)) or array.min() < 0 or array.max() >= len(self.vocab)):
            bad = array[(array != np.round(array)) | (array < 0) | (array >= len(self.vocab))][0]
            raise ValueError(
                f"decode got the token id {bad}, but this tokenizer has {len(self.vocab)} tokens, so ids must be "
                f"whole numbers in 0..{len(self.vocab) - 1}."
            )
        return "".join(self.vocab[int(i)] for i in array)

    def __repr__(self) -> str:
        return f"CharTokenizer({len(self.vocab)} characters)"


# ---------------------------------------------------------------------------------------------- data
def split(items: Sequence[Any], test_fraction: float = 0.1, seed: int | None = 0) -> tuple[list, list]:
    """Shuffle ``items`` (e.g. names) with ``seed`` and hold out ``test_fraction`` of them: (train, test).

    Shapes: items (n,) -> train (n - m,), test (m,) with m = round(test_fraction * n).

    Example:
        >>> train_part, test_part = split(["ann", "bob", "cy", "dee", "eve"], test_fraction=0.4, seed=0)
        >>> len(train_part), len(test_part), sorted(train_part + test_part)
        (3, 2, ['ann', 'bob', 'cy', 'dee', 'eve'])
    """
    items = list(items)
    test_fraction = check_rate(test_fraction, "test_fraction")
    n_test = int(round(test_fraction * len(items)))
    order = np.random.default_rng(seed).permutation(len(items))
    return [items[i] for i in order[n_test:]], [items[i] for i in order[:n_test]]


def random_windows(tokens: np.ndarray, context: int, batch_size: int, rng: np.random.Generator,
                   start_token: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A batch of random windows of a token stream: inputs x and their next tokens y (x shifted by one).

    With ``start_token`` (e.g. the id of the line break before each name) every window begins at one of those
    tokens, so the model reads each name from its start.

    Shapes: tokens (n,) -> x (batch_size, context), y (batch_size, context), both int64.

    Example:
        >>> x, y = random_windows(np.arange(10), context=3, batch_size=2, rng=np.random.default_rng(0))
        >>> x, y                                           # y[i, t] is the token after x[i, t]
        (array([[5, 6, 7],
               [4, 5, 6]]), array([[6, 7, 8],
               [5, 6, 7]]))
    """
    tokens = np.asarray(tokens)
    if len(tokens) < context + 1:
        raise ValueError(f"the token stream has {len(tokens)} tokens, fewer than context + 1 = {context + 1}.")
    if start_token is None:
        starts = rng.integers(0, len(tokens) - context, size=batch_size)
    else:
        allowed = _start_positions(tokens, start_token, len(tokens) - context)
        starts = allowed[rng.integers(0, len(allowed), size=batch_size)]
    return _windows_at(tokens, starts, context)


def _start_positions(tokens: np.ndarray, start_token: int, end: int) -> np.ndarray:
    """Positions (below ``end``) of ``start_token`` in the stream: where windows may begin."""
    positions = np.flatnonzero(tokens[:end] == start_token)
    if len(positions) == 0:
        raise ValueError(f"start_token {start_token} does not occur in the token stream (before its last "
                         "context tokens), so no window can start there.")
    return positions


def _windows_at(tokens: np.ndarray, starts: np.ndarray, context: int) -> tuple[np.ndarray, np.ndarray]:
    windows = tokens[starts[:, None] + np.arange(context + 1)]
    return windows[:, :-1], windows[:, 1:]


def _windows_in_order(tokens: np.ndarray, context: int, start_token: int | None = None
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every token once as a target: windows of ``context`` inputs, their next tokens, and which to score.

    Without ``start_token`` the windows are back to back. With it, each window begins at a start token and
    scores the tokens up to (and including) the next start token, so each line is read from its beginning;
    a line longer than the context goes on in a further window.
    """
    tokens = np.asarray(tokens, dtype=np.int64)
    if len(tokens) < context + 1:
        raise ValueError(f"the token stream has {len(tokens)} tokens; it needs at least context + 1 = "
                         f"{context + 1} to be scored.")
    if start_token is None:
        n_windows = (len(tokens) - 1) // context
        x = tokens[: n_windows * context].reshape(n_windows, context)
        y = tokens[1: n_windows * context + 1].reshape(n_windows, context)
        return x, y, np.ones(x.shape, dtype=bool)
    boundaries = np.flatnonzero(tokens[:-1] == start_token)
    if len(boundaries) == 0:
        raise ValueError(f"start_token {start_token} does not occur in the token stream, so no line begins.")
    ends = np.append(boundaries[1:], len(tokens) - 1)  # each segment predicts the tokens after begin up to end
    starts, lengths = [], []
    for begin, end in zip(boundaries.tolist(), ends.tolist()):
        for start in range(begin, end, context):
            starts.append(start)
            lengths.append(min(context, end - start))
    # Windows near the end run past the stream: pad it with start tokens, which are never scored (attention is
    # causal, so what comes after a position cannot change its prediction).
    padded = np.concatenate([tokens, np.full(context, start_token, dtype=np.int64)])
    windows = padded[np.array(starts)[:, None] + np.arange(context + 1)]
    scored = np.arange(context)[None, :] < np.array(lengths)[:, None]
    return windows[:, :-1], windows[:, 1:], scored


# ---------------------------------------------------------------------------------------------- bigram baseline
def bigram_table(tokens: np.ndarray, vocab_size: int, smoothing: float = 1.0) -> np.ndarray:
    """The bigram model: P(next = j | current = i) from counts of each pair in the stream, plus ``smoothing``.

    Adding ``smoothing`` to every count gives pairs never seen a small chance (otherwise one unseen pair in the
    held-out text makes the loss infinite).

    Shapes: tokens (n,) ints in 0..vocab_size-1 -> (vocab_size, vocab_size), each row summing to 1.

    Example:
        >>> bigram_table(np.array([0, 1, 0, 1, 1]), vocab_size=2, smoothing=0.0)   # after 0 always 1
        array([[0. , 1. ],
               [0.5, 0.5]])
    """
    tokens = np.asarray(tokens, dtype=np.int64)
    vocab_size = check_positive_int(vocab_size, "vocab_size")
    counts = np.zeros((vocab_size, vocab_size))
    np.add.at(counts, (tokens[:-1], tokens[1:]), 1.0)
    counts += smoothing
    return counts / counts.sum(axis=1, keepdims=True)


def bigram_loss(table: np.ndarray, tokens: np.ndarray) -> float:
    """Mean -log P(next | current) of a bigram table over a token stream, in nats per character.

    Shapes: table (vocab, vocab), tokens (n,) -> a float (over the n - 1 pairs).

    Example:
        >>> round(bigram_loss(np.full((2, 2), 0.5), np.array([0, 1, 1])), 4)      # log 2 for every pair
        0.6931
    """
    tokens = np.asarray(tokens, dtype=np.int64)
    return float(-np.mean(np.log(table[tokens[:-1], tokens[1:]])))


def sample_bigram(table: np.ndarray, tokenizer: CharTokenizer, n_lines: int = 5, seed: int | None = None,
                  max_length: int = 30) -> list[str]:
    """Lines (e.g. names) written by a bigram table: start after ``tokenizer.start``, stop at it again.

    Shapes: table (vocab, vocab) -> a list of n_lines strings.

    Example:
        >>> tokenizer = CharTokenizer("ab\\nba\\n")
        >>> table = bigram_table(tokenizer.encode("ab\\nba\\n"), tokenizer.vocab_size)
        >>> len(sample_bigram(table, tokenizer, n_lines=3, seed=0))
        3
    """
    rng = np.random.default_rng(seed)
    start = tokenizer.encode(tokenizer.start)[0]
    lines = []
    for _ in range(check_positive_int(n_lines, "n_lines")):
        current, line = start, []
        for _ in range(max_length):
            current = rng.choice(len(table), p=table[current])
            if current == start:
                break
            line.append(current)
        lines.append(tokenizer.decode(line))
    return lines


# ---------------------------------------------------------------------------------------------- the model
def language_model(vocab_size: int, context: int, d_model: int = 64, n_heads: int = 4, n_layers: int = 2,
                   d_hidden: int = 256, seed: int | None = 0, dropout: float = 0.0,
                   dtype: Any = "float64") -> Sequential:
    """A small GPT as a Sequential: token embedding + positions, n_layers transformer blocks, a final LayerNorm
    and a SequenceDense giving one logit per token of the vocabulary at every position.

    ``dtype='float32'`` builds every parameter in float32 (about twice as fast on a CPU; the lesson uses it).

    Shapes: tokens (batch, time) ints, time <= context -> logits (batch, time, vocab_size).

    Example:
        >>> import numpy as np
        >>> model = language_model(vocab_size=27, context=16, seed=0)
        >>> model.predict(np.zeros((2, 16), dtype=int)).shape, model.n_params
        ((2, 16, 27), 104603)
    """
    vocab_size = check_positive_int(vocab_size, "vocab_size")
    context = check_positive_int(context, "context")
    n_layers = check_positive_int(n_layers, "n_layers")
    dtype = check_dtype(dtype)
    layers = [Embedding(vocab_size, d_model, dtype=dtype), PositionalEmbedding(context, d_model, dtype=dtype)]
    layers += [TransformerBlock(d_model, n_heads, d_hidden, dropout=dropout, dtype=dtype) for _ in range(n_layers)]
    layers += [LayerNorm(d_model, dtype=dtype), SequenceDense(d_model, vocab_size, dtype=dtype)]
    return Sequential(layers, seed=seed)


def context_of(model: Sequential) -> int:
    """The longest sequence a language model reads: its PositionalEmbedding's context.

    Shapes: none (a model -> an int).

    Example:
        >>> context_of(language_model(5, context=8, d_model=8, n_heads=2, d_hidden=8))
        8
    """
    for layer in getattr(model, "layers", []):
        if isinstance(layer, PositionalEmbedding):
            return layer.context
    raise ValueError("this model has no PositionalEmbedding layer, so it is not a language model from "
                     "nl.language_model(...): build one with nl.language_model(vocab_size, context).")


def _check_vocab(model: Sequential, tokenizer: CharTokenizer) -> None:
    if not isinstance(tokenizer, CharTokenizer):
        raise TypeError(f"tokenizer must be an nl.text.CharTokenizer, but got {describe(tokenizer)}.")
    n_outputs = model.n_outputs
    if n_outputs is not None and n_outputs != tokenizer.vocab_size:
        raise ValueError(f"the model predicts {n_outputs} tokens but the tokenizer has {tokenizer.vocab_size}: "
                         "use the tokenizer the model was trained with.")


def _last_logits(model: Sequential, ids: np.ndarray) -> np.ndarray:
    """Logits for the token after each row of ids (n, t): the model reads the last ``context`` of them."""
    context = context_of(model)
    logits = model.predict(ids[:, -context:])
    return logits[:, -1, :].astype(np.float64)


def _probabilities(logits: np.ndarray, temperature: float, top_k: int | None) -> np.ndarray:
    scaled = logits / temperature
    if top_k is not None and top_k < scaled.shape[-1]:
        kth = np.partition(scaled, -top_k, axis=-1)[..., -top_k][..., None]
        scaled = np.where(scaled < kth, -np.inf, scaled)  # only the k most likely tokens stay possible
    scaled = scaled - scaled.max(axis=-1, keepdims=True)
    weights = np.exp(scaled)
    return weights / weights.sum(axis=-1, keepdims=True)


def _check_sampling(temperature: Any, top_k: Any, vocab_size: int) -> tuple[float, int | None]:
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.integer, np.floating)) or not (
            temperature > 0 and np.isfinite(temperature)):
        raise ValueError(f"temperature must be a number above 0 (1 samples the model's own distribution, smaller "
                         f"is more cautious, larger more adventurous), but got {temperature!r}.")
    if top_k is not None:
        top_k = check_positive_int(top_k, "top_k")
        top_k = min(top_k, vocab_size)
    return float(temperature), top_k


def _prompt_ids(tokenizer: CharTokenizer, prompt: str) -> np.ndarray:
    if not isinstance(prompt, str):
        raise TypeError(f"prompt must be a string, but got {describe(prompt)}.")
    return tokenizer.encode(tokenizer.start + prompt)  # reading starts after the start character


def next_token_probabilities(model: Sequential, tokenizer: CharTokenizer, prompt: str = "",
                             temperature: float = 1.0, top_k: int | None = None) -> np.ndarray:
    """The model's distribution over the next character after ``prompt`` (read after ``tokenizer.start``).

    A prompt longer than the model's context is cut to its last ``context`` characters, as in generation.

    Shapes: prompt of any length -> (vocab_size,) probabilities summing to 1.

    Example:
        >>> tokenizer = CharTokenizer("abc\\n")
        >>> model = language_model(tokenizer.vocab_size, context=4, d_model=8, n_heads=2, d_hidden=8)
        >>> p = next_token_probabilities(model, tokenizer, "ab")
        >>> p.shape, round(float(p.sum()), 6)
        ((4,), 1.0)
    """
    _check_vocab(model, tokenizer)
    temperature, top_k = _check_sampling(temperature, top_k, tokenizer.vocab_size)
    ids = _prompt_ids(tokenizer, prompt)
    return _probabilities(_last_logits(model, ids[None, :]), temperature, top_k)[0]


def _sample_rows(model: Sequential, ids: np.ndarray, n_tokens: int, temperature: float, top_k: int | None,
                 rng: np.random.Generator, stop: int | None) -> list[list[int]]:
    """Extend each row of ids (n, t) by up to n_tokens sampled tokens, all rows in one batch per step."""
    with _one_thread():
        return _sample_loop(model, ids, n_tokens, temperature, top_k, rng, stop)


def _sample_loop(model, ids, n_tokens, temperature, top_k, rng, stop) -> list[list[int]]:
    rows: list[list[int]] = [[] for _ in range(len(ids))]
    active = np.ones(len(ids), dtype=bool)
    for _ in range(n_tokens):
        p = _probabilities(_last_logits(model, ids), temperature, top_k)
        # inverse-CDF sampling, one uniform number per row
        choice = (p.cumsum(axis=1) < rng.random((len(p), 1))).sum(axis=1)
        choice = np.minimum(choice, p.shape[1] - 1)
        for row in np.flatnonzero(active):
            if stop is not None and choice[row] == stop:
                active[row] = False
            else:
                rows[row].append(int(choice[row]))
        if not active.any():
            break
        ids = np.concatenate([ids, choice[:, None]], axis=1)[:, -context_of(model):]
    return rows


def generate(model: Sequential, tokenizer: CharTokenizer, prompt: str = "", n_tokens: int = 100,
             temperature: float = 1.0, top_k: int | None = None, seed: int | None = None,
             stop: str | None = None) -> str:
    """Write ``n_tokens`` characters after ``prompt`` by sampling the next-character distribution again and again.

    ``temperature`` divides the logits (below 1: safer, more repetitive; above 1: wilder); ``top_k`` keeps only
    the k most likely characters at each step. ``stop`` (e.g. '\\n') ends the text early when that character is
    drawn (it is not included). Returns only the new characters, not the prompt.

    Shapes: none (a prompt -> a string of at most n_tokens characters).

    Example:
        >>> tokenizer = CharTokenizer("abc\\n")
        >>> model = language_model(tokenizer.vocab_size, context=4, d_model=8, n_heads=2, d_hidden=8)
        >>> len(generate(model, tokenizer, "ab", n_tokens=10, seed=0))
        10
    """
    _check_vocab(model, tokenizer)
    temperature, top_k = _check_sampling(temperature, top_k, tokenizer.vocab_size)
    n_tokens = check_positive_int(n_tokens, "n_tokens")
    stop_id = None if stop is None else int(tokenizer.encode(stop)[0])
    ids = _prompt_ids(tokenizer, prompt)[None, :]
    rows = _sample_rows(model, ids, n_tokens, temperature, top_k, np.random.default_rng(seed), stop_id)
    return tokenizer.decode(rows[0])


def generate_lines(model: Sequential, tokenizer: CharTokenizer, n_lines: int = 10, prompt: str = "",
                   temperature: float = 1.0, top_k: int | None = None, seed: int | None = None,
                   max_length: int = 40) -> list[str]:
    """Write ``n_lines`` lines (e.g. names) at once, each from ``prompt`` until the model writes a line break.

    All lines are sampled together, one batch per character. Each line starts with the prompt.

    Shapes: none (-> a list of n_lines strings).

    Example:
        >>> tokenizer = CharTokenizer("ab\\nba\\n")
        >>> model = language_model(tokenizer.vocab_size, context=4, d_model=8, n_heads=2, d_hidden=8)
        >>> len(generate_lines(model, tokenizer, n_lines=3, seed=0, max_length=5))
        3
    """
    _check_vocab(model, tokenizer)
    temperature, top_k = _check_sampling(temperature, top_k, tokenizer.vocab_size)
    n_lines = check_positive_int(n_lines, "n_lines")
    ids = np.repeat(_prompt_ids(tokenizer, prompt)[None, :], n_lines, axis=0)
    stop_id = int(tokenizer.encode(tokenizer.start)[0])
    rows = _sample_rows(model, ids, check_positive_int(max_length, "max_length"), temperature, top_k,
                        np.random.default_rng(seed), stop_id)
    return [prompt + tokenizer.decode(row) for row in rows]


def novel_share(generated: Iterable[str], training: Iterable[str]) -> float:
    """The fraction of generated lines (non-empty) that do not appear in the training lines.

    Shapes: none (two collections of strings -> a float in [0, 1]).

    Example:
        >>> novel_share(["ann", "zed", "bob", "qix"], ["ann", "bob", "cy"])
        0.5
    """
    known = set(training)
    lines = [line for line in generated if line]
    if not lines:
        raise ValueError("novel_share needs at least one non-empty generated line.")
    return float(np.mean([line not in known for line in lines]))


# ---------------------------------------------------------------------------------------------- training
_CROSS_ENTROPY = losses_module.CrossEntropy()


def train_step(model: Sequential, x: np.ndarray, y: np.ndarray, optimizer: Optimizer) -> float:
    """One step of training: forward, cross-entropy at every position, backward through every layer, update.

    Returns the batch's mean loss in nats per token (before the update).

    Shapes: x (batch, time) token ids, y (batch, time) the next tokens -> a float.

    Example:
        >>> import numpy as np
        >>> model = language_model(5, context=4, d_model=8, n_heads=2, d_hidden=8, seed=0)
        >>> x = np.array([[0, 1, 2, 3]]); y = np.array([[1, 2, 3, 4]])
        >>> first = train_step(model, x, y, Adam(lr=0.01))
        >>> later = [train_step(model, x, y, Adam(lr=0.01)) for _ in range(20)][-1]
        >>> later < first
        True
    """
    logits = model.forward(x, training=True)
    value, grad = _CROSS_ENTROPY.from_logits(logits, y)
    for layer in reversed(model.layers):
        grad = layer.backward(grad)
    optimizer.step(model)
    return value


def evaluate(model: Sequential, tokens: np.ndarray, start_token: int | None = None, batch_size: int = 128) -> float:
    """Mean loss in nats per token on a token stream, each token predicted once (dropout off).

    The stream is cut into non-overlapping windows of the model's context; each window's tokens are predicted
    from the ones before them in the window. With ``start_token`` (e.g. the line break before each name) each
    window begins at one, so every name is read from its start, as the model is used to write names.

    Shapes: tokens (n,) -> a float.

    Example:
        >>> import numpy as np
        >>> model = language_model(5, context=4, d_model=8, n_heads=2, d_hidden=8, seed=0)
        >>> round(evaluate(model, np.arange(9) % 5), 1)          # an untrained model: about log 5 = 1.6
        1.6
    """
    x, y, scored = _windows_in_order(np.asarray(tokens), context_of(model), start_token)
    with _one_thread():
        total = _scored_loss(model, x, y, scored, batch_size)
    return float(total / scored.sum())


def _scored_loss(model: Sequential, x: np.ndarray, y: np.ndarray, scored: np.ndarray, batch_size: int) -> float:
    total = 0.0
    for start in range(0, len(x), batch_size):
        logits = model.predict(x[start: start + batch_size]).astype(np.float64)
        shifted = logits - logits.max(axis=-1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        picked = np.take_along_axis(log_p, y[start: start + batch_size, :, None], axis=-1)[..., 0]
        total -= picked[scored[start: start + batch_size]].sum()
    return total


def train(model: Sequential, tokens: np.ndarray, steps: int, batch_size: int = 32, lr: float = 3e-3,
          seed: int | None = 0, val_tokens: np.ndarray | None = None, eval_every: int | None = None,
          optimizer: Optimizer | None = None, history: History | None = None,
          callback: Callable[[int, dict[str, float]], Any] | None = None,
          start_token: int | None = None, decay: bool = False) -> History:
    """Train a language model on random windows of a token stream with Adam; returns a History.

    Every ``eval_every`` steps (default: steps // 20) the History gets 'step', 'loss' (the mean training loss of
    those steps), 'seconds' since the start and, with ``val_tokens``, 'val_loss' (``evaluate`` on them).
    ``callback(step, logs)`` runs after each record and may return True to stop. Pass ``optimizer`` and
    ``history`` from an earlier call to go on where it stopped. ``start_token`` (e.g. the line break's id)
    makes every training window, and the validation, begin at that token (see ``random_windows``).
    ``decay=True`` lowers the learning rate along a half cosine from ``lr`` to lr / 10 over the steps: big
    steps while the loss falls fast, small ones to settle at the end.

    Shapes: tokens (n,) ints in 0..vocab-1; val_tokens (m,).

    Example:
        >>> tokenizer = CharTokenizer("abcd" * 20)
        >>> model = language_model(4, context=8, d_model=16, n_heads=2, d_hidden=32, seed=0)
        >>> history = train(model, tokenizer.encode("abcd" * 20), steps=60, lr=0.01, seed=0)
        >>> history.loss[0] > 1.0 > history.loss[-1]            # the pattern is learned
        True
    """
    steps = check_positive_int(steps, "steps")
    batch_size = check_positive_int(batch_size, "batch_size")
    eval_every = check_positive_int(eval_every, "eval_every", allow_none=True) or max(1, steps // 20)
    tokens = np.asarray(tokens, dtype=np.int64)
    val_tokens = None if val_tokens is None else np.asarray(val_tokens, dtype=np.int64)
    context = context_of(model)
    optimizer = optimizer if optimizer is not None else Adam(lr)
    history = history if history is not None else History()
    done = int(history.history.get("step", [0])[-1]) if len(history) else 0
    with _one_thread():
        _train_loop(model, tokens, steps, batch_size, lr, seed, val_tokens, eval_every, optimizer, history, callback,
                    start_token, decay, context, done)
    model._set_training(False)
    return history


def _train_loop(model, tokens, steps, batch_size, lr, seed, val_tokens, eval_every, optimizer, history, callback,
                start_token, decay, context, done) -> None:
    rng = np.random.default_rng(seed)
    if len(tokens) < context + 1:
        raise ValueError(f"the token stream has {len(tokens)} tokens, fewer than context + 1 = {context + 1}.")
    # where windows may begin, found once (random_windows would search the stream at every step)
    allowed = (np.arange(len(tokens) - context) if start_token is None
               else _start_positions(tokens, start_token, len(tokens) - context))
    start, total, count = _time.perf_counter(), 0.0, 0
    for step in range(done + 1, done + steps + 1):
        if decay:
            progress = (step - done - 1) / max(1, steps - 1)
            optimizer.lr = lr / 10 + 0.5 * (lr - lr / 10) * (1.0 + math.cos(math.pi * progress))
        x, y = _windows_at(tokens, allowed[rng.integers(0, len(allowed), size=batch_size)], context)
        total += train_step(model, x, y, optimizer)
        count += 1
        if count == eval_every or step == done + steps:
            logs = {"step": step, "loss": total / count, "seconds": _time.perf_counter() - start}
            if val_tokens is not None:
                x_val, y_val, scored = _windows_in_order(val_tokens, context, start_token)
                logs["val_loss"] = float(_scored_loss(model, x_val, y_val, scored, 128) / scored.sum())
            history.append(**logs)
            total, count = 0.0, 0
            if callback is not None and callback(step, logs) is True:
                history.stopped_early, history.stop_reason = True, "the callback asked to stop"
                break


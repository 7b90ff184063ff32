"""Pictures of a character language model: the bigram table, the loss against its baselines, the next-character
distribution, each head's attention on a text, and the characters' embedding in 2-D.

Each picture has a compute half (``*_data``, NumPy only) and a drawing half (``draw_*``); the next-character bars
also have ``update_next_token`` for the sampling explorer. The line break is drawn as '↵'.

Example:
    >>> import numpy as np, nnlearn as nl
    >>> tokenizer = nl.text.CharTokenizer("ab\\nba\\n")
    >>> data = bigram_data(nl.text.bigram_table(tokenizer.encode("ab\\nba\\n"), 3), tokenizer)
    >>> data.labels, data.probabilities.shape
    (['↵', 'a', 'b'], (3, 3))
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from ._grid import PlotData
from ._style import MUTED_COLOR, POSITIVE, SEQUENTIAL, TEST_COLOR, TEXT_COLOR, TRAIN_COLOR, style_axes

__all__ = [
    "AttentionHeadsData",
    "BigramData",
    "CharacterEmbeddingData",
    "LanguageLossData",
    "NextTokenData",
    "attention_heads_data",
    "bigram_data",
    "character_embedding_data",
    "char_label",
    "draw_attention_heads",
    "draw_bigram",
    "draw_character_embedding",
    "draw_language_loss",
    "draw_next_token",
    "language_loss_data",
    "next_token_data",
    "update_next_token",
]

BIGRAM_COLOR = "#009e73"
UNIFORM_COLOR = MUTED_COLOR


def char_label(character: str) -> str:
    """How a character is drawn: the line break as '↵', a space as '␣', anything else as itself.

    Shapes: none (a character -> a short label).

    Example:
        >>> char_label("\\n"), char_label("a")
        ('↵', 'a')
    """
    return {"\n": "↵", " ": "␣"}.get(character, character)


# ---------------------------------------------------------------------------------------------- bigram table
@dataclasses.dataclass
class BigramData(PlotData):
    """The bigram table as a picture.

    Shapes: probabilities (vocab, vocab), row = current character, column = next; labels (vocab,).

    Example:
        >>> BigramData(np.eye(2), ["a", "b"]).labels
        ['a', 'b']
    """

    probabilities: np.ndarray
    labels: list[str]


def bigram_data(table: np.ndarray, tokenizer: Any) -> BigramData:
    """The bigram probabilities with a label per character (the compute half of ``draw_bigram``).

    Shapes: table (vocab, vocab) -> BigramData with probabilities (vocab, vocab).

    Example:
        >>> import nnlearn as nl
        >>> tokenizer = nl.text.CharTokenizer("ab")
        >>> bigram_data(np.eye(2), tokenizer).labels
        ['a', 'b']
    """
    table = np.asarray(table, dtype=float)
    if table.shape != (tokenizer.vocab_size, tokenizer.vocab_size):
        raise ValueError(f"the bigram table must be ({tokenizer.vocab_size}, {tokenizer.vocab_size}) for this "
                         f"tokenizer, but got {table.shape}.")
    return BigramData(probabilities=table, labels=[char_label(c) for c in tokenizer.vocab])


def draw_bigram(ax: Any, data: BigramData) -> dict[str, Any]:
    """A heatmap of P(next | current): one row per current character, one column per next character.

    Shapes: data.probabilities (vocab, vocab) -> {'image': AxesImage}.

    Example:
        >>> import nnlearn as nl
        >>> fig = nl.plots.figure((3, 3))
        >>> tokenizer = nl.text.CharTokenizer("ab")
        >>> draw_bigram(fig.add_subplot(), bigram_data(np.eye(2), tokenizer))["image"].get_array().shape
        (2, 2)
    """
    image = ax.imshow(data.probabilities, cmap=SEQUENTIAL, vmin=0.0, aspect="equal")
    ticks = np.arange(len(data.labels))
    ax.set_xticks(ticks, data.labels, fontsize=7)
    ax.set_yticks(ticks, data.labels, fontsize=7)
    ax.set_xlabel("next character", fontsize=8)
    ax.set_ylabel("current character", fontsize=8)
    style_axes(ax, "P(next | current), counted from the training names")
    ax.tick_params(labelsize=7)
    return {"image": image}


# ---------------------------------------------------------------------------------------------- loss curve
@dataclasses.dataclass
class LanguageLossData(PlotData):
    """A language model's loss curve and its two baselines.

    Shapes: steps (n,), loss (n,), val_loss (n,) or empty; bigram and uniform are floats (nats per character).

    Example:
        >>> LanguageLossData(np.array([100.0]), np.array([2.6]), np.array([2.5]), 2.45, 3.3).keys()[:2]
        ['steps', 'loss']
    """

    steps: np.ndarray
    loss: np.ndarray
    val_loss: np.ndarray
    bigram: float
    uniform: float


def language_loss_data(history: Any, bigram: float, vocab_size: int) -> LanguageLossData:
    """The curve ``nl.text.train`` recorded, with the bigram's held-out loss and the uniform guess log(vocab).

    Shapes: a History with 'step', 'loss' (and 'val_loss') -> LanguageLossData.

    Example:
        >>> import nnlearn as nl
        >>> history = nl.History(); history.append(step=100, loss=2.6, val_loss=2.5)
        >>> round(language_loss_data(history, 2.45, 27).uniform, 2)
        3.3
    """
    return LanguageLossData(steps=np.asarray(history.history.get("step", []), dtype=float),
                            loss=np.asarray(history.history.get("loss", []), dtype=float),
                            val_loss=np.asarray(history.history.get("val_loss", []), dtype=float),
                            bigram=float(bigram), uniform=math.log(vocab_size))


def draw_language_loss(ax: Any, data: LanguageLossData) -> dict[str, Any]:
    """Training and held-out loss against steps, with the uniform guess and the bigram model as lines.

    Shapes: data's arrays (n,) -> {'loss', 'val_loss', 'bigram', 'uniform': Line2D}.

    Example:
        >>> import nnlearn as nl
        >>> history = nl.History(); history.append(step=100, loss=2.6, val_loss=2.5)
        >>> fig = nl.plots.figure((4, 3))
        >>> sorted(draw_language_loss(fig.add_subplot(), language_loss_data(history, 2.45, 27)))
        ['bigram', 'loss', 'uniform', 'val_loss']
    """
    artists = {
        "uniform": ax.axhline(data.uniform, color=UNIFORM_COLOR, linestyle=":", linewidth=1.2,
                              label=f"uniform guess, ln {round(math.exp(data.uniform))} = {data.uniform:.2f}"),
        "bigram": ax.axhline(data.bigram, color=BIGRAM_COLOR, linestyle="--", linewidth=1.2,
                             label=f"bigram counts (held out) {data.bigram:.2f}"),
        "loss": ax.plot(data.steps, data.loss, color=TRAIN_COLOR, linewidth=1.2, label="transformer, training")[0],
        "val_loss": ax.plot(data.steps, data.val_loss, color=TEST_COLOR, linewidth=1.8, marker="o", markersize=3,
                            label="transformer, held-out names")[0],
    }
    if len(data.val_loss):
        ax.annotate(f"{data.val_loss[-1]:.3f}", (data.steps[-1], data.val_loss[-1]), textcoords="offset points",
                    xytext=(-10, -14), fontsize=8, color=TEST_COLOR)
    ax.set_xlabel("training step", fontsize=8)
    ax.set_ylabel("loss (nats per character)", fontsize=8)
    ax.set_ylim(min([data.bigram, *data.val_loss, *data.loss], default=data.bigram) - 0.15, data.uniform + 0.15)
    style_axes(ax, "next-character loss")
    ax.legend(fontsize=7, loc="center right", frameon=False)
    return artists


# ---------------------------------------------------------------------------------------------- next character
@dataclasses.dataclass
class NextTokenData(PlotData):
    """The next-character distribution after a prompt.

    Shapes: probabilities (vocab,), labels (vocab,); top is the index of the most likely character.

    Example:
        >>> NextTokenData("a", np.array([0.25, 0.75]), ["a", "b"], 1, 1.0, None).labels[1]
        'b'
    """

    prompt: str
    probabilities: np.ndarray
    labels: list[str]
    top: int
    temperature: float
    top_k: int | None


def next_token_data(model: Any, tokenizer: Any, prompt: str = "", temperature: float = 1.0,
                    top_k: int | None = None) -> NextTokenData:
    """What the model would write next after ``prompt``, as sampling sees it (with temperature and top-k).

    Shapes: a prompt -> NextTokenData with probabilities (vocab,) summing to 1.

    Example:
        >>> import nnlearn as nl
        >>> tokenizer = nl.text.CharTokenizer("ab\\n")
        >>> model = nl.language_model(3, context=4, d_model=8, n_heads=2, d_hidden=8)
        >>> data = next_token_data(model, tokenizer, "a", top_k=1)
        >>> data.probabilities.sum(), int((data.probabilities > 0).sum())
        (np.float64(1.0), 1)
    """
    from ..text import next_token_probabilities

    probabilities = next_token_probabilities(model, tokenizer, prompt, temperature=temperature, top_k=top_k)
    return NextTokenData(prompt=prompt, probabilities=probabilities, labels=[char_label(c) for c in tokenizer.vocab],
                         top=int(probabilities.argmax()), temperature=float(temperature), top_k=top_k)


def draw_next_token(ax: Any, data: NextTokenData) -> dict[str, Any]:
    """One bar per character: the probability that it comes next. The most likely one is dark.

    Shapes: data.probabilities (vocab,) -> {'bars': BarContainer, 'title': Text}.

    Example:
        >>> import nnlearn as nl
        >>> tokenizer = nl.text.CharTokenizer("ab\\n")
        >>> model = nl.language_model(3, context=4, d_model=8, n_heads=2, d_hidden=8)
        >>> fig = nl.plots.figure((4, 2))
        >>> len(draw_next_token(fig.add_subplot(), next_token_data(model, tokenizer, "a"))["bars"])
        3
    """
    positions = np.arange(len(data.labels))
    bars = ax.bar(positions, data.probabilities, color="#92c5de", edgecolor=POSITIVE, linewidth=0.6)
    ax.set_xticks(positions, data.labels, fontsize=8)
    ax.set_xlim(-0.7, len(positions) - 0.3)
    ax.set_ylabel("probability", fontsize=8)
    style_axes(ax)
    title = ax.set_title("", fontsize=10, color=TEXT_COLOR)
    artists = {"bars": bars, "title": title}
    update_next_token(artists, data)
    return artists


def update_next_token(artists: dict[str, Any], data: NextTokenData) -> None:
    """Move the bars to a new distribution (in place) and retitle.

    Shapes: data.probabilities (vocab,) -> None.

    Example:
        >>> import nnlearn as nl
        >>> tokenizer = nl.text.CharTokenizer("ab\\n")
        >>> model = nl.language_model(3, context=4, d_model=8, n_heads=2, d_hidden=8)
        >>> fig = nl.plots.figure((4, 2))
        >>> artists = draw_next_token(fig.add_subplot(), next_token_data(model, tokenizer, "a"))
        >>> update_next_token(artists, next_token_data(model, tokenizer, "a", top_k=1))
        >>> sorted(round(bar.get_height(), 3) for bar in artists["bars"])[:2]
        [0.0, 0.0]
    """
    for index, (bar, height) in enumerate(zip(artists["bars"], data.probabilities)):
        bar.set_height(float(height))
        bar.set_facecolor(POSITIVE if index == data.top else "#92c5de")
    ax = artists["bars"][0].axes
    ax.set_ylim(0.0, max(0.1, float(data.probabilities.max()) * 1.12))
    shown = data.prompt if len(data.prompt) <= 30 else "…" + data.prompt[-29:]
    settings = f"temperature {data.temperature:g}" + (f", top-{data.top_k}" if data.top_k else "")
    artists["title"].set_text(f"after \"{shown}\": next is '{data.labels[data.top]}' with "
                              f"{data.probabilities[data.top]:.0%}  ({settings})")


# ---------------------------------------------------------------------------------------------- attention
@dataclasses.dataclass
class AttentionHeadsData(PlotData):
    """Every head's attention in one block on one text.

    Shapes: weights (heads, time, time), row i = the position reading; labels (time,).

    Example:
        >>> AttentionHeadsData(np.ones((4, 3, 3)) / 3, ["↵", "a", "b"], 0).weights.shape
        (4, 3, 3)
    """

    weights: np.ndarray
    labels: list[str]
    block: int


def attention_heads_data(model: Any, tokenizer: Any, text: str, block: int = 0) -> AttentionHeadsData:
    """Run the model on the start character + ``text`` and keep the attention of each head of block ``block``.

    Shapes: text of n characters (n + 1 <= context) -> weights (heads, n + 1, n + 1).

    Example:
        >>> import nnlearn as nl
        >>> tokenizer = nl.text.CharTokenizer("ab\\n")
        >>> model = nl.language_model(3, context=4, d_model=8, n_heads=2, d_hidden=8)
        >>> attention_heads_data(model, tokenizer, "ab").weights.shape
        (2, 3, 3)
    """
    from ..transformer import TransformerBlock

    blocks = [layer for layer in model.layers if isinstance(layer, TransformerBlock)]
    if not -len(blocks) <= block < len(blocks):
        raise ValueError(f"block must be in 0..{len(blocks) - 1} (the model has {len(blocks)} transformer blocks), "
                         f"but got {block}.")
    ids = tokenizer.encode(tokenizer.start + text)
    model.predict(ids[None, :])
    weights = blocks[block].attention.attention_[0].astype(float)
    return AttentionHeadsData(weights=weights, labels=[char_label(c) for c in tokenizer.start + text],
                              block=int(block) % len(blocks))


def draw_attention_heads(axes: Any, data: AttentionHeadsData) -> dict[str, Any]:
    """One heatmap per head: row i is the position reading, column j the earlier position it reads from.

    Shapes: data.weights (heads, time, time), one axes per head -> {'images': [AxesImage, ...]}.

    Example:
        >>> import nnlearn as nl
        >>> data = AttentionHeadsData(weights=np.ones((2, 3, 3)) / 3, labels=["↵", "a", "b"], block=0)
        >>> fig = nl.plots.figure((6, 3))
        >>> len(draw_attention_heads(fig.subplots(1, 2), data)["images"])
        2
    """
    axes = list(np.ravel(axes))
    images = []
    ticks = np.arange(len(data.labels))
    for head, ax in enumerate(axes[: len(data.weights)]):
        images.append(ax.imshow(data.weights[head], cmap=SEQUENTIAL, vmin=0.0, vmax=1.0))
        ax.set_xticks(ticks, data.labels, fontsize=8)
        ax.set_yticks(ticks, data.labels, fontsize=8)
        style_axes(ax, f"block {data.block + 1}, head {head + 1}")
        ax.set_xlabel("reads from", fontsize=8)
        if head == 0:
            ax.set_ylabel("position predicting the next", fontsize=8)
    return {"images": images}


# ---------------------------------------------------------------------------------------------- embedding
@dataclasses.dataclass
class CharacterEmbeddingData(PlotData):
    """Each character's learned vector, projected on its two main directions (PCA).

    Shapes: points (vocab, 2); labels (vocab,); explained is the share of the spread the two directions keep.

    Example:
        >>> CharacterEmbeddingData(np.zeros((2, 2)), ["a", "b"], ["vowel", "other"], 1.0).groups
        ['vowel', 'other']
    """

    points: np.ndarray
    labels: list[str]
    groups: list[str]
    explained: float


def character_embedding_data(model: Any, tokenizer: Any) -> CharacterEmbeddingData:
    """The token embedding table, centred and projected on its first two principal directions.

    Groups: 'vowel' (a, e, i, o, u, y), 'line break' and 'other', for colouring.

    Shapes: embedding weights (vocab, d_model) -> points (vocab, 2).

    Example:
        >>> import nnlearn as nl
        >>> tokenizer = nl.text.CharTokenizer("abe\\n")
        >>> model = nl.language_model(4, context=4, d_model=8, n_heads=2, d_hidden=8)
        >>> character_embedding_data(model, tokenizer).points.shape
        (4, 2)
    """
    from ..embedding import Embedding

    table = next(layer for layer in model.layers if isinstance(layer, Embedding)).weights.astype(float)
    centred = table - table.mean(axis=0)
    _, singular, directions = np.linalg.svd(centred, full_matrices=False)
    points = centred @ directions[:2].T
    # fix each axis's sign (an SVD may flip it): the letter 'a' (or the first token) on the positive side
    anchor = tokenizer.vocab.index("a") if "a" in tokenizer.vocab else 0
    points *= np.where(points[anchor] < 0, -1.0, 1.0)
    groups = ["line break" if c == "\n" else "vowel" if c in "aeiouy" else "other" for c in tokenizer.vocab]
    explained = float((singular[:2] ** 2).sum() / (singular**2).sum())
    return CharacterEmbeddingData(points=points, labels=[char_label(c) for c in tokenizer.vocab], groups=groups,
                                  explained=explained)


def draw_character_embedding(ax: Any, data: CharacterEmbeddingData) -> dict[str, Any]:
    """Each character as its label at its 2-D position; vowels blue, the line break orange.

    Shapes: data.points (vocab, 2) -> {'texts': [Text, ...]}.

    Example:
        >>> import nnlearn as nl
        >>> data = CharacterEmbeddingData(np.eye(3, 2), ["a", "b", "↵"], ["vowel", "other", "line break"], 1.0)
        >>> fig = nl.plots.figure((3, 3))
        >>> len(draw_character_embedding(fig.add_subplot(), data)["texts"])
        3
    """
    colours = {"vowel": POSITIVE, "line break": TEST_COLOR, "other": TEXT_COLOR}
    texts = [ax.text(x, y, label, ha="center", va="center", fontsize=11, color=colours[group],
                     fontweight="bold" if group != "other" else "normal")
             for (x, y), label, group in zip(data.points, data.labels, data.groups)]
    span = np.abs(data.points).max() * 1.15 if data.points.size else 1.0
    ax.set_xlim(-span, span)
    ax.set_ylim(-span, span)
    ax.axhline(0, color="#dddddd", linewidth=0.6)
    ax.axvline(0, color="#dddddd", linewidth=0.6)
    style_axes(ax, f"character vectors, 2 main directions ({data.explained:.0%} of the spread)")
    ax.set_xticks([])
    ax.set_yticks([])
    return {"texts": texts}

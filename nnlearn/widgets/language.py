"""Sampling explorer: type a prompt, see the next-character distribution, and write with it (lesson 12)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from ..plots.language import draw_next_token, next_token_data, update_next_token
from ..text import CharTokenizer, _check_vocab, generate
from .base import Explorer

__all__ = ["SamplingExplorer", "explore_sampling"]


class SamplingExplorer(Explorer):
    """The next-character distribution of a language model after a prompt, with temperature and top-k.

    Controls: ``prompt`` (text), ``temperature`` and ``top_k`` (sliders; top_k 0 means all characters),
    ``seed`` (sampling's seed, moved on after each draw so the next draw differs), ``sample`` (a button: append
    one sampled character) and ``write`` (a button: append characters until the model ends the line). The bars
    are the probabilities that ``sample`` draws from.

    Shapes: prompt of any length -> bars (vocab,).

    Example:
        >>> import nnlearn as nl
        >>> tokenizer = nl.text.CharTokenizer("ab\\n")
        >>> model = nl.language_model(3, context=4, d_model=8, n_heads=2, d_hidden=8)
        >>> explorer = SamplingExplorer(model, tokenizer, prompt="a", live=False)
        >>> explorer.controls["top_k"].value = 1          # only the most likely character stays possible
        >>> sorted(round(bar.get_height(), 2) for bar in explorer.artists["bars"])
        [0.0, 0.0, 1.0]
    """

    title = "Sampling"

    def __init__(self, model: Any, tokenizer: CharTokenizer, prompt: str = "", temperature: float = 1.0,
                 top_k: int = 0, seed: int = 0, max_length: int = 30, live: bool | None = None):
        super().__init__(live=live)
        _check_vocab(model, tokenizer)
        self.model, self.tokenizer, self.max_length = model, tokenizer, int(max_length)
        self.add_control("prompt", widgets.Text(value=prompt, description="prompt", continuous_update=True,
                                                layout=widgets.Layout(width="300px")))
        self.add_control("temperature", widgets.FloatSlider(value=temperature, min=0.1, max=3.0, step=0.1,
                                                            description="temperature", continuous_update=False))
        self.controls["temperature"].add_class("nnl-browser-move")  # the control the real-browser tests move
        self.add_control("top_k", widgets.IntSlider(value=top_k, min=0, max=tokenizer.vocab_size, description="top-k",
                                                    continuous_update=False))
        self.add_control("seed", widgets.IntText(value=seed, description="seed", layout=widgets.Layout(width="160px")),
                         on_change=lambda change: None)
        sample = self.add_control("sample", widgets.Button(description="sample next character"))
        sample.on_click(self.callback(lambda button: self.sample_next()))
        write = self.add_control("write", widgets.Button(description="write a whole line"))
        write.on_click(self.callback(lambda button: self.write_line()))
        fig = self.new_figure((9.0, 3.2), dpi=90)
        ax = fig.add_axes([0.07, 0.14, 0.9, 0.74])
        self.data = self.compute()
        self.artists = draw_next_token(ax, self.data)
        self.update()

    def _top_k(self) -> int | None:
        value = self.controls["top_k"].value
        return None if value == 0 else int(value)

    def compute(self):
        """The bars' data for the current prompt and settings (the compute half)."""
        return next_token_data(self.model, self.tokenizer, self.controls["prompt"].value,
                               self.controls["temperature"].value, self._top_k())

    def _next_seed(self) -> int:
        seed = int(self.controls["seed"].value)
        self.controls["seed"].value = seed + 1
        return seed

    def sample_next(self) -> str:
        """Draw one character from the shown distribution, append it to the prompt and return it."""
        character = generate(self.model, self.tokenizer, self.controls["prompt"].value, n_tokens=1,
                             temperature=self.controls["temperature"].value, top_k=self._top_k(),
                             seed=self._next_seed())
        self.controls["prompt"].value += character  # the observer redraws the bars
        return character

    def write_line(self) -> str:
        """Sample characters until the model writes the start character (a line break); return the line."""
        written = generate(self.model, self.tokenizer, self.controls["prompt"].value, n_tokens=self.max_length,
                           temperature=self.controls["temperature"].value, top_k=self._top_k(),
                           seed=self._next_seed(), stop=self.tokenizer.start)
        line = self.controls["prompt"].value + written
        self.controls["prompt"].value = line
        self.set_readout(f"wrote: <b>{line}</b>" + ("" if len(written) == self.max_length else " (then the model "
                                                                                                 "ended the line)"))
        return line

    def status(self) -> str:
        """In words: the five most likely next characters and their probabilities."""
        data = self.data
        ranked = data.probabilities.argsort()[::-1][:5]
        return "most likely next: " + ", ".join(f"'{data.labels[i]}' {data.probabilities[i]:.0%}" for i in ranked)

    def update(self) -> None:
        self.data = self.compute()
        update_next_token(self.artists, self.data)
        self.set_readout(self.status())
        self.redraw()

    def summary(self) -> str:
        return f"prompt {self.controls['prompt'].value!r}, temperature {self.controls['temperature'].value:g}"


def explore_sampling(model: Any, tokenizer: CharTokenizer, prompt: str = "", *, temperature: float = 1.0,
                     top_k: int = 0, seed: int = 0, hide: Sequence[str] = ()) -> SamplingExplorer:
    """Type a prompt and see the model's next-character distribution as bars; sample from it with the buttons.

    ``temperature`` divides the logits before the softmax; ``top_k`` keeps the k most likely characters (0: all).

    Shapes: a prompt -> a SamplingExplorer whose bars hold (vocab,) probabilities.

    Example:
        >>> import nnlearn as nl
        >>> tokenizer = nl.text.CharTokenizer("ab\\n")
        >>> model = nl.language_model(3, context=4, d_model=8, n_heads=2, d_hidden=8)
        >>> explorer = explore_sampling(model, tokenizer, "ab")
        >>> explorer.sample_next() in tokenizer.vocab, len(explorer.controls["prompt"].value)
        (True, 3)
    """
    explorer = SamplingExplorer(model, tokenizer, prompt=prompt, temperature=temperature, top_k=top_k, seed=seed)
    if hide:
        explorer.hide(hide)
    return explorer

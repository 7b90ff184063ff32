"""Toy sequence tasks for recurrent networks and attention: sine forecasting, bit counting, a lookup by position.

Sequences are batch first: x has shape (n, length, features), one row per sequence, one step per position.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_count, check_noise


def sine_sequences(n: int = 500, length: int = 20, noise: float = 0.05,
                   seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Windows of a noisy sine wave; the target is the next, noise-free value of the wave.

    Shapes: x (n, length, 1) float64, y (n, 1) float64.

    Each window has its own amplitude-1 sine with a random phase and a period between 8 and 20 steps.
    Gaussian noise of standard deviation `noise` is added to the inputs only, so the best possible
    prediction error comes from that noise alone.

    Example:
    >>> x, y = sine_sequences(n=3, length=5, noise=0.0, seed=0)
    >>> x.shape, y.shape, bool(np.abs(x).max() <= 1.0)
    ((3, 5, 1), (3, 1), True)
    """
    n = check_count(n, "n", "sine_sequences()")
    length = check_count(length, "length (steps per window)", "sine_sequences()")
    noise = check_noise(noise, "sine_sequences()")
    rng = np.random.default_rng(seed)
    period = rng.uniform(8.0, 20.0, size=(n, 1))
    phase = rng.uniform(0.0, 2.0 * np.pi, size=(n, 1))
    steps = np.arange(length + 1)
    wave = np.sin(2.0 * np.pi * steps / period + phase)
    x = wave[:, :length] + rng.normal(0.0, noise, size=(n, length))
    return x[:, :, None], wave[:, length:]


def _random_bits(n: int, length: int, rng: np.random.Generator) -> np.ndarray:
    return rng.integers(0, 2, size=(n, length)).astype(np.float64)


def running_sum(n: int = 500, length: int = 10, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Random 0/1 sequences; the target is how many ones each contains (a count a recurrent net can keep).

    Shapes: x (n, length, 1) float64 of 0.0 and 1.0, y (n,) int64 in 0..length.

    Use y as a regression target, as one of length + 1 classes, or `y > length // 2` for a "majority" task.

    Example:
    >>> x, y = running_sum(n=2, length=4, seed=0)
    >>> x[:, :, 0].tolist(), y.tolist()
    ([[1.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]], [3, 0])
    """
    n = check_count(n, "n", "running_sum()")
    length = check_count(length, "length (bits per sequence)", "running_sum()")
    rng = np.random.default_rng(seed)
    bits = _random_bits(n, length, rng)
    return bits[:, :, None], bits.sum(axis=1).astype(np.int64)


def running_parity(n: int = 500, length: int = 10, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Random 0/1 sequences; the target is 1 if the number of ones is odd (parity, harder than `running_sum`).

    Shapes: x (n, length, 1) float64 of 0.0 and 1.0, y (n,) int64 of 0 and 1.

    Every single bit flips the answer, so nothing short of tracking the whole sequence helps; start with a
    short `length` (4 to 6) when training a small recurrent net.

    Example:
    >>> x, y = running_parity(n=2, length=4, seed=0)
    >>> x[:, :, 0].tolist(), y.tolist()
    ([[1.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]], [1, 0])
    """
    n = check_count(n, "n", "running_parity()")
    length = check_count(length, "length (bits per sequence)", "running_parity()")
    rng = np.random.default_rng(seed)
    bits = _random_bits(n, length, rng)
    return bits[:, :, None], bits.sum(axis=1).astype(np.int64) % 2


def lookup_task(n: int = 1000, length: int = 8, n_symbols: int = 6,
                seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Which symbol is at position p? A task one self-attention layer solves by attending to position p.

    Shapes: x (n, length, n_symbols + length) float64 of 0.0 and 1.0, y (n,) int64 in 0..n_symbols-1.

    Each sequence is `length - 1` symbol tokens followed by one query token. Every token is a vector of
    n_symbols + length numbers in three blocks:

    - columns [0, n_symbols): the symbol, one-hot (all zero for the query token);
    - the next length - 1 columns: a position, one-hot. For symbol token i it is i; for the query token it
      is the position p being asked about;
    - the last column: 1 for the query token, 0 otherwise.

    The answer y is the symbol at position p. Read it from the output at the last (query) position:
    queries and keys made from the position block score 1 at position p and 0 elsewhere, values made from the
    symbol block then carry that symbol (the flag column lets the query token ignore itself).

    Example:
    >>> x, y = lookup_task(n=1, length=4, n_symbols=3, seed=0)
    >>> x[0].astype(int).tolist(), y.tolist()
    ([[0, 0, 1, 1, 0, 0, 0], [0, 1, 0, 0, 1, 0, 0], [0, 1, 0, 0, 0, 1, 0], [0, 0, 0, 1, 0, 0, 1]], [2])
    """
    n = check_count(n, "n", "lookup_task()")
    length = check_count(length, "length (symbol tokens plus the query token)", "lookup_task()", minimum=2)
    n_symbols = check_count(n_symbols, "n_symbols", "lookup_task()", minimum=2)
    rng = np.random.default_rng(seed)
    n_items = length - 1
    symbols = rng.integers(0, n_symbols, size=(n, n_items))
    asked = rng.integers(0, n_items, size=n)

    x = np.zeros((n, length, n_symbols + length))
    rows = np.arange(n)[:, None]
    positions = np.arange(n_items)[None, :]
    x[rows, positions, symbols] = 1.0
    x[rows, positions, n_symbols + positions] = 1.0
    x[np.arange(n), -1, n_symbols + asked] = 1.0
    x[:, -1, -1] = 1.0
    return x, symbols[np.arange(n), asked].astype(np.int64)

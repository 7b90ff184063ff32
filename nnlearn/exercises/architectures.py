"""Exercises about the building blocks of architectures: convolution kernels and attention weights."""

from __future__ import annotations

import math

import numpy as np

from . import exercise

# Three small test pictures (0 dark, 1 bright): flat, a horizontal edge (dark above, bright below) and a
# vertical edge (dark left, bright right).
_FLAT = np.full((6, 6), 0.5)
_HORIZONTAL_EDGE = np.repeat([[0.0], [0.0], [0.0], [1.0], [1.0], [1.0]], 6, axis=1)
_VERTICAL_EDGE = _HORIZONTAL_EDGE.T.copy()


def _response(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    from ..plots.architectures import convolve2d

    return convolve2d(image, kernel)


@exercise(
    "horizontal_edge_kernel",
    "Write a 3x3 kernel whose output is strong along a horizontal edge (dark above, bright below), "
    "0 on a flat area, and weak along a vertical edge.",
    hint="Flat areas give 0 when the nine weights add up to 0. Give the bottom row positive weights and the top "
         "row negative ones, so the kernel computes 'below minus above'.",
    solution=(
        "kernel = [[-1, -2, -1],\n"
        "          [ 0,  0,  0],\n"
        "          [ 1,  2,  1]]\n"
        "Below minus above (the Sobel kernel nl.plots.kernel('horizontal edges')). The weights sum to 0, so a flat\n"
        "area gives 0; left and right columns are mirror images, so a vertical edge cancels out too.\n"
        "[[-1, -1, -1], [0, 0, 0], [1, 1, 1]] works as well."
    ),
    concept="architectures",
)
def horizontal_edge_kernel(kernel):
    kernel = np.asarray(kernel, dtype=float)
    if kernel.shape != (3, 3):
        raise ValueError(f"the kernel must be a 3x3 grid (three rows of three numbers), but got shape {kernel.shape}")
    flat = float(np.abs(_response(_FLAT, kernel)).max())
    horizontal = float(np.abs(_response(_HORIZONTAL_EDGE, kernel)).max())
    vertical = float(np.abs(_response(_VERTICAL_EDGE, kernel)).max())
    numbers = f"largest output: {horizontal:.2f} on the horizontal edge, {vertical:.2f} on the vertical edge, " \
              f"{flat:.2f} on the flat area"
    if flat > 1e-6:
        return False, f"{numbers}. A flat area must give 0: your weights add up to {kernel.sum():.2f}, not 0."
    if horizontal < 1.0:
        return False, f"{numbers}. The horizontal edge should give at least 1: weight the rows below and above " \
                      "the centre differently."
    if vertical > 0.25 * horizontal:
        return False, f"{numbers}. Your kernel also reacts to the vertical edge: make the left and right columns " \
                      "mirror images of each other."
    return True, f"{numbers}. Slide it over nl.datasets.sample_image() in the explorer to see the roof and windows."


# A tiny attention example: one query, three keys, n_dims = 2.
ATTENTION_QUERY = np.array([1.0, 0.0])
ATTENTION_KEYS = np.array([[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0]])


def _softmax(scores: np.ndarray) -> np.ndarray:
    exps = np.exp(scores - scores.max())
    return exps / exps.sum()


@exercise(
    "attention_by_hand",
    "A query q = [1, 0] meets three keys k1 = [2, 0], k2 = [0, 2], k3 = [-2, 0] (n_dims = 2). Compute the three "
    "attention weights softmax(q . k / sqrt(2)).",
    hint="First the three scores q . k_j / sqrt(2) (dot product: multiply and add), then the softmax: "
         "exp of each score, divided by the sum of the three exps. np.exp and np.sqrt help.",
    solution=(
        "scores = [2, 0, -2] / sqrt(2) = [1.414, 0, -1.414]\n"
        "exp(scores) = [4.113, 1.000, 0.243], their sum 5.356\n"
        "weights = [0.768, 0.187, 0.045]   (they add up to 1; the key most like the query gets the most)"
    ),
    concept="architectures",
)
def attention_by_hand(weights):
    given = np.asarray(weights, dtype=float).reshape(-1)
    if given.shape != (3,):
        raise ValueError(f"give three weights, one per key, but got {given.size} numbers")
    scores = ATTENTION_KEYS @ ATTENTION_QUERY
    right = _softmax(scores / math.sqrt(2.0))
    shown = np.round(given, 3).tolist()
    if np.allclose(given, right, atol=0.005):
        return True, f"weights {shown}: the first key points the same way as the query and gets the most."
    if np.allclose(given, _softmax(scores), atol=0.005):
        return False, f"{shown} is the softmax of the raw dot products; divide the scores by sqrt(2) first."
    if np.allclose(given, scores / math.sqrt(2.0), atol=0.005) or np.allclose(given, scores, atol=0.005):
        return False, f"{shown} are the scores; the weights are their softmax (exp, then divide by the sum)."
    if not np.isclose(given.sum(), 1.0, atol=0.01):
        return False, f"your weights add up to {given.sum():.3f}; a softmax always gives weights that add up to 1."
    return False, f"{shown} are not softmax(q . k / sqrt(2)). Check the three dot products: [2, 0, -2]."

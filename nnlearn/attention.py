"""Self-attention: every position of a sequence takes a weighted average of all positions' values.

Each position asks a question (its query), every position offers a label (its key) and some content (its value).
The score of position j for position i is how well query i matches key j (a dot product, scaled by
1/sqrt(n_dims)); a softmax over j turns the scores into weights that sum to 1; the output at i is the weighted
average of the values. ``attention_weights`` keeps the (time x time) weight matrix of the last forward pass so a
lesson can draw it as a heatmap.

Example:
    >>> import numpy as np
    >>> layer = SelfAttention(4, seed=0)
    >>> layer.forward(np.ones((2, 3, 4))).shape
    (2, 3, 4)
    >>> layer.attention_weights.sum(axis=-1)      # each row of weights sums to 1
    array([[1., 1., 1.],
           [1., 1., 1.]])
"""

from __future__ import annotations

import math

import numpy as np

from . import activations
from .layers import Layer, _glorot_or_he, register_layer
from .validation import as_float_array, check_positive_int, check_sequences

__all__ = ["SelfAttention"]


@register_layer
class SelfAttention(Layer):
    """One head of scaled dot-product self-attention, optionally causal (no position sees the ones after it).

    queries = x @ query_weights, keys = x @ key_weights, values = x @ value_weights;
    scores = queries @ keys^T / sqrt(n_dims); attention_weights = softmax(scores) over the last axis;
    output = attention_weights @ values.

    Shapes: x (batch, time, n_dims) -> (batch, time, n_dims); query_weights, key_weights, value_weights
    (n_dims, n_dims); attention_weights (batch, time, time): row i says how much position i takes from each j.

    Example:
        >>> import numpy as np
        >>> layer = SelfAttention(1, causal=True)
        >>> layer.query_weights[:] = layer.key_weights[:] = 0.0   # every score 0: plain averages
        >>> layer.value_weights[:] = 1.0
        >>> layer.forward(np.array([[[3.0], [5.0], [10.0]]]))      # 3, (3+5)/2, (3+5+10)/3
        array([[[3.],
                [4.],
                [6.]]])
    """

    def __init__(self, n_dims: int, seed: int | None = None, causal: bool = False):
        self.n_dims = check_positive_int(n_dims, "n_dims")
        if not isinstance(causal, (bool, np.bool_)):
            raise TypeError(f"causal must be True or False, but got {causal!r}.")
        self.causal = bool(causal)
        self.seed = seed
        self.softmax = activations.get("softmax")  # the classifier's softmax, over the last axis
        self.grad_query_weights: np.ndarray | None = None
        self.grad_key_weights: np.ndarray | None = None
        self.grad_value_weights: np.ndarray | None = None
        self._cache = None
        self.initialize(np.random.default_rng(seed))

    def initialize(self, rng):
        shape = (self.n_dims, self.n_dims)
        self.query_weights = _glorot_or_he(rng, self.n_dims, self.n_dims, "identity", shape)
        self.key_weights = _glorot_or_he(rng, self.n_dims, self.n_dims, "identity", shape)
        self.value_weights = _glorot_or_he(rng, self.n_dims, self.n_dims, "identity", shape)

    def parameters(self):
        return {"query_weights": self.query_weights, "key_weights": self.key_weights,
                "value_weights": self.value_weights}

    def forward(self, x):
        x = check_sequences(as_float_array(x, "x", allow_nan=True), self.n_dims, self.describe())
        queries = x @ self.query_weights
        keys = x @ self.key_weights
        values = x @ self.value_weights
        # Dividing by sqrt(n_dims) keeps the scores' spread near 1 whatever the width, so the softmax does not
        # start out saturated (all weight on one position, almost no gradient).
        scores = queries @ keys.transpose(0, 2, 1) / math.sqrt(self.n_dims)
        if self.causal:
            # -inf becomes a weight of exactly 0 after the softmax. The diagonal is never masked, so every row
            # keeps a finite maximum and the softmax's "subtract the maximum" step never meets -inf - (-inf).
            time = x.shape[1]
            future = np.triu(np.ones((time, time), dtype=bool), k=1)  # j > i
            scores = np.where(future, -np.inf, scores)
        weights = self.softmax(scores)
        self._cache = (x, queries, keys, values, weights)  # what backward needs, nothing more
        return weights @ values

    def backward(self, grad_output):
        x, queries, keys, values, weights = self._require_cache()
        # output = weights @ values, a matrix product per sequence:
        grad_values = weights.transpose(0, 2, 1) @ grad_output
        grad_weights = grad_output @ values.transpose(0, 2, 1)
        # Through the softmax, row by row (the formula of Softmax.backward, from the weights we already have):
        # d score_ij = w_ij * (d w_ij - sum_k d w_ik * w_ik). Masked positions have w = 0, so they get 0.
        grad_scores = weights * (grad_weights - (grad_weights * weights).sum(axis=-1, keepdims=True))
        grad_scores /= math.sqrt(self.n_dims)  # scores were divided by sqrt(n_dims)
        # scores = queries @ keys^T:
        grad_queries = grad_scores @ keys
        grad_keys = grad_scores.transpose(0, 2, 1) @ queries
        # queries = x @ query_weights (and the same for keys and values), summed over every sequence and step:
        self.grad_query_weights = np.einsum("bti,btj->ij", x, grad_queries)
        self.grad_key_weights = np.einsum("bti,btj->ij", x, grad_keys)
        self.grad_value_weights = np.einsum("bti,btj->ij", x, grad_values)
        # x reaches the output three ways (as queries, keys and values): add the three gradients.
        return (grad_queries @ self.query_weights.T + grad_keys @ self.key_weights.T
                + grad_values @ self.value_weights.T)

    @property
    def attention_weights(self) -> np.ndarray | None:
        """The softmax weights of the last forward pass, (batch, time, time); row i sums to 1 over j."""
        return None if self._cache is None else self._cache[4]

    @property
    def queries(self) -> np.ndarray | None:
        """The queries x @ query_weights of the last forward pass, (batch, time, n_dims)."""
        return None if self._cache is None else self._cache[1]

    @property
    def keys(self) -> np.ndarray | None:
        """The keys x @ key_weights of the last forward pass, (batch, time, n_dims)."""
        return None if self._cache is None else self._cache[2]

    @property
    def values(self) -> np.ndarray | None:
        """The values x @ value_weights of the last forward pass, (batch, time, n_dims)."""
        return None if self._cache is None else self._cache[3]

    def get_config(self):
        return {"n_dims": self.n_dims, "causal": self.causal}

    def output_shape(self, input_shape):
        """Per-sample output shape: (time, n_dims) -> (time, n_dims)."""
        shape = tuple(int(s) for s in input_shape)
        if len(shape) != 2 or shape[1] != self.n_dims:
            raise ValueError(f"{self.describe()} expects one sequence of shape (time, {self.n_dims}) but got {shape}.")
        return shape

    def _shape_text(self):
        return f"{self.n_dims} dims" + (", causal" if self.causal else "")

"""The parts of a small GPT: multi-head attention, learned positions, and the transformer block that stacks them.

Every layer here works on sequences (batch, time, d_model) and keeps the dtype it is given: a float32 model stays
float32 from the embedding to the logits, which is twice as fast as float64 on a CPU. Heads are an axis of the
arrays, never a Python loop, so one matrix product serves every head of every sequence at once.

Example:
    >>> import numpy as np
    >>> block = TransformerBlock(d_model=8, n_heads=2, d_hidden=32, seed=0)
    >>> out = block.forward(np.ones((3, 5, 8)))
    >>> out.shape, block.attention.attention_.shape      # (batch, time, d_model); (batch, heads, time, time)
    ((3, 5, 8), (3, 2, 5, 5))
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .layers import Dense, Layer, register_layer
from .normalization import LayerNorm, check_dtype, float_input
from .validation import check_positive_int, check_rate, check_sequences

__all__ = ["MultiHeadAttention", "PositionalEmbedding", "SequenceDense", "TransformerBlock", "gelu", "gelu_backward"]

INIT_STD = 0.02  # GPT-2's starting spread for every weight: small enough that each block starts near the identity


def _dtype_config(config: dict[str, Any], dtype: np.dtype) -> dict[str, Any]:
    if dtype != np.float64:
        config["dtype"] = dtype.name
    return config


# ---------------------------------------------------------------------------------------------- GELU (tanh form)
_GELU_C = math.sqrt(2.0 / math.pi)


def gelu(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GELU in GPT-2's tanh form: 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))); returns (value, the tanh).

    The tanh is returned because ``gelu_backward`` needs it; the dtype of z is kept. PyTorch's
    ``GELU(approximate="tanh")`` is the same function.

    Shapes: z (...) -> value (...), tanh (...).

    Example:
        >>> value, _ = gelu(np.array([-1.0, 0.0, 1.0]))
        >>> value.round(4)
        array([-0.1588,  0.    ,  0.8412])
    """
    inner = z * z  # z**3 would call pow(), several times slower than two products
    inner *= 0.044715
    inner += 1.0
    inner *= z
    inner *= _GELU_C
    t = np.tanh(inner, out=inner)  # sqrt(2/pi) (z + 0.044715 z^3), in one scratch array
    value = t + 1.0
    value *= z
    value *= 0.5
    return value, t


def gelu_backward(z: np.ndarray, t: np.ndarray, grad_output: np.ndarray) -> np.ndarray:
    """The gradient at z of GELU (tanh form), given the tanh that ``gelu`` returned and dLoss/dOutput.

    d/dz [0.5 z (1 + t)] = 0.5 (1 + t) + 0.5 z (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 z^2).

    Shapes: z, t, grad_output (...) -> (...).

    Example:
        >>> z = np.array([0.0, 1.0])
        >>> gelu_backward(z, gelu(z)[1], np.ones(2)).round(4)      # slope 0.5 at 0, about 1.08 at 1
        array([0.5  , 1.083])
    """
    # the same formula, in place: fewer passes over the (batch * time, d_hidden) arrays
    inner_slope = z * z
    inner_slope *= 3 * 0.044715
    inner_slope += 1.0
    inner_slope *= _GELU_C
    sech2 = t * t
    np.subtract(1.0, sech2, out=sech2)
    sech2 *= z
    sech2 *= inner_slope
    sech2 += t
    sech2 += 1.0
    sech2 *= 0.5
    sech2 *= grad_output
    return sech2


# ---------------------------------------------------------------------------------------------- SequenceDense
@register_layer
class SequenceDense(Dense):
    """A Dense layer applied at every position of a sequence (the same weights for each step).

    z = x @ weights + bias on the last axis; output = activation(z). The language model's last layer: it turns
    each position's d_model features into one score (logit) per character of the vocabulary.

    Shapes: x (batch, time, n_inputs) (or any (..., n_inputs)) -> (batch, time, n_outputs); weights (n_inputs,
    n_outputs); bias (n_outputs,).

    Example:
        >>> layer = SequenceDense(4, 3, seed=0)
        >>> layer.forward(np.ones((2, 5, 4))).shape
        (2, 5, 3)
    """

    def __init__(self, n_inputs: int, n_outputs: int, activation: Any = "identity", seed: int | None = None,
                 dtype: Any = "float64"):
        self.dtype = check_dtype(dtype)
        super().__init__(n_inputs, n_outputs, activation, seed)

    def initialize(self, rng):
        # GPT-2's small spread rather than Dense's Glorot: the first predictions are then close to uniform
        # (a loss of about log(vocab)), a fair start for a language model's loss curve.
        self.weights = rng.normal(0.0, INIT_STD, size=(self.n_inputs, self.n_outputs)).astype(self.dtype)
        self.bias = np.zeros(self.n_outputs, dtype=self.dtype)

    def forward(self, x):
        x = float_input(x)
        if x.ndim < 2 or x.shape[-1] != self.n_inputs:
            raise ValueError(
                f"{self.describe()} expects inputs of shape (batch, time, {self.n_inputs}) with the features "
                f"last, but got {x.shape}."
            )
        shape = x.shape
        rows = x.reshape(-1, self.n_inputs)  # every position of every sequence is one row
        z = rows @ self.weights
        z += self.bias
        self._cache = (rows, z, shape)
        out = z if self.activation.name == "identity" else self.activation(z)
        return out.reshape(shape[:-1] + (self.n_outputs,))

    def backward(self, grad_output, input_gradient: bool = True):
        _, z, _ = self._require_cache()
        grad_output = np.asarray(grad_output).reshape(z.shape)
        grad_z = grad_output if self.activation.name == "identity" else self.activation.backward(z, grad_output)
        return self.backward_from_z(grad_z, input_gradient)

    def backward_from_z(self, grad_z, input_gradient: bool = True):
        rows, z, shape = self._require_cache()
        grad_z = np.asarray(grad_z).reshape(z.shape)
        self.grad_weights = rows.T @ grad_z  # summed over every position of every sequence
        self.grad_bias = grad_z.sum(axis=0)
        return (grad_z @ self.weights.T).reshape(shape) if input_gradient else None

    @property
    def last_z(self):
        if self._cache is None:
            return None
        _, z, shape = self._cache
        return z.reshape(shape[:-1] + (self.n_outputs,))

    def get_config(self):
        return _dtype_config(super().get_config(), self.dtype)

    def output_shape(self, input_shape):
        return tuple(int(s) for s in input_shape[:-1]) + (self.n_outputs,)


# ---------------------------------------------------------------------------------------------- positions
@register_layer
class PositionalEmbedding(Layer):
    """Learned positions: adds row t of ``weights`` to the vector at position t of every sequence.

    Attention alone cannot tell 'ab' from 'ba' (it is a weighted average); adding a learned vector per position
    gives each step its place.

    Shapes: x (batch, time, d_model) with time <= context -> the same shape; weights (context, d_model).

    Example:
        >>> positions = PositionalEmbedding(context=4, d_model=2)
        >>> positions.weights[:] = [[0, 0], [1, 1], [2, 2], [3, 3]]
        >>> positions.forward(np.zeros((1, 3, 2)))        # three steps: rows 0, 1, 2 added
        array([[[0., 0.],
                [1., 1.],
                [2., 2.]]])
    """

    def __init__(self, context: int, d_model: int, seed: int | None = None, dtype: Any = "float64"):
        self.context = check_positive_int(context, "context")
        self.d_model = check_positive_int(d_model, "d_model")
        self.dtype = check_dtype(dtype)
        self.grad_weights: np.ndarray | None = None
        self._cache = None
        self.initialize(np.random.default_rng(seed))

    def initialize(self, rng):
        self.weights = rng.normal(0.0, INIT_STD, size=(self.context, self.d_model)).astype(self.dtype)

    def parameters(self):
        return {"weights": self.weights}

    def forward(self, x):
        x = check_sequences(float_input(x), self.d_model, self.describe())
        time = x.shape[1]
        if time > self.context:
            raise ValueError(
                f"{self.describe()} has positions for sequences of up to {self.context} steps (its context), but "
                f"got {time} steps. Keep the last {self.context} tokens, e.g. tokens[:, -{self.context}:], or "
                "build the model with a larger context."
            )
        self._cache = time
        return x + self.weights[:time]

    def backward(self, grad_output):
        time = self._require_cache()
        self.grad_weights = np.zeros_like(self.weights)
        self.grad_weights[:time] = grad_output.sum(axis=0)  # the same position of every sequence adds up
        return grad_output  # x + p: the gradient passes through unchanged

    def get_config(self):
        return _dtype_config({"context": self.context, "d_model": self.d_model}, self.dtype)

    def _shape_text(self):
        return f"{self.context} positions, {self.d_model} dims"


# ---------------------------------------------------------------------------------------------- attention
def _check_heads(d_model: int, n_heads: int) -> int:
    if d_model % n_heads:
        fits = [h for h in range(1, d_model + 1) if d_model % h == 0 and h <= 16]
        raise ValueError(
            f"d_model={d_model} must be divisible by n_heads={n_heads}: each head reads d_model / n_heads "
            f"features, and {d_model} / {n_heads} is not a whole number. Choose n_heads from {fits}, or a "
            f"d_model that is a multiple of {n_heads} (e.g. {n_heads * max(1, round(d_model / n_heads))})."
        )
    return d_model // n_heads


@register_layer
class MultiHeadAttention(Layer):
    """Multi-head scaled dot-product self-attention, optionally causal (no position reads the ones after it).

    queries, keys, values = x @ W + b for each of query/key/value_weights, split into n_heads heads of
    d_head = d_model / n_heads features; per head, weights = softmax(queries @ keys^T / sqrt(d_head)) over the
    last axis; the heads' weighted averages of the values are put side by side and mixed by output_weights.
    ``attention_`` keeps the weights of the last forward pass: row i of head h says how much position i took
    from each position j.

    Shapes: x (batch, time, d_model) -> (batch, time, d_model); query/key/value/output_weights (d_model,
    d_model); their biases (d_model,); attention_ (batch, n_heads, time, time).

    Example:
        >>> attention = MultiHeadAttention(d_model=4, n_heads=2, causal=True, seed=0)
        >>> out = attention.forward(np.ones((1, 3, 4)))
        >>> attention.attention_[0, 0].round(2)          # causal: position 0 reads only itself
        array([[1.  , 0.  , 0.  ],
               [0.5 , 0.5 , 0.  ],
               [0.33, 0.33, 0.33]])
    """

    _PROJECTIONS = ("query", "key", "value", "output")

    def __init__(self, d_model: int, n_heads: int, causal: bool = False, seed: int | None = None,
                 dtype: Any = "float64"):
        self.d_model = check_positive_int(d_model, "d_model")
        self.n_heads = check_positive_int(n_heads, "n_heads")
        self.d_head = _check_heads(self.d_model, self.n_heads)
        if not isinstance(causal, (bool, np.bool_)):
            raise TypeError(f"causal must be True or False, but got {causal!r}.")
        self.causal = bool(causal)
        self.dtype = check_dtype(dtype)
        self.attention_: np.ndarray | None = None
        self._cache = None
        self._masks: dict[int, np.ndarray] = {}
        self.initialize(np.random.default_rng(seed))

    def initialize(self, rng):
        for name in self._PROJECTIONS:
            weights = rng.normal(0.0, INIT_STD, size=(self.d_model, self.d_model)).astype(self.dtype)
            setattr(self, f"{name}_weights", weights)
            setattr(self, f"{name}_bias", np.zeros(self.d_model, dtype=self.dtype))
            setattr(self, f"grad_{name}_weights", None)
            setattr(self, f"grad_{name}_bias", None)

    def parameters(self):
        return {f"{name}_{kind}": getattr(self, f"{name}_{kind}")
                for name in self._PROJECTIONS for kind in ("weights", "bias")}

    def _future_mask(self, time: int, dtype: np.dtype) -> np.ndarray:
        """-inf above the diagonal (position j > i), 0 elsewhere; added to the scores. Kept per length."""
        key = (time, dtype)
        if key not in self._masks:
            mask = np.zeros((time, time), dtype=dtype)
            mask[np.triu_indices(time, k=1)] = -np.inf
            self._masks[key] = mask
        return self._masks[key]

    def _split_heads(self, rows: np.ndarray, batch: int, time: int) -> np.ndarray:
        # (batch*time, d_model) -> (batch, heads, time, d_head): a view, no copy
        return rows.reshape(batch, time, self.n_heads, self.d_head).transpose(0, 2, 1, 3)

    def _merge_heads(self, heads: np.ndarray) -> np.ndarray:
        # (batch, heads, time, d_head) -> (batch*time, d_model): the heads side by side
        batch, _, time, _ = heads.shape
        return heads.transpose(0, 2, 1, 3).reshape(batch * time, self.d_model)

    def forward(self, x):
        x = check_sequences(float_input(x), self.d_model, self.describe())
        batch, time, _ = x.shape
        rows = x.reshape(batch * time, self.d_model)
        queries = self._split_heads(rows @ self.query_weights + self.query_bias, batch, time)
        keys = self._split_heads(rows @ self.key_weights + self.key_bias, batch, time)
        values = self._split_heads(rows @ self.value_weights + self.value_bias, batch, time)
        # Dividing by sqrt(d_head) keeps the scores' spread near 1 whatever the width, so the softmax does not
        # start out saturated.
        scores = queries @ keys.transpose(0, 1, 3, 2)
        scores *= 1.0 / math.sqrt(self.d_head)
        if self.causal:
            # -inf turns into a weight of exactly 0. The diagonal is never masked, so every row keeps a finite
            # maximum for the softmax's "subtract the maximum" step.
            scores += self._future_mask(time, scores.dtype)
        scores -= scores.max(axis=-1, keepdims=True)
        weights = np.exp(scores, out=scores)
        weights /= weights.sum(axis=-1, keepdims=True)
        mixed = self._merge_heads(weights @ values)
        self._cache = (rows, queries, keys, values, weights, mixed, x.shape)
        self.attention_ = weights
        out = mixed @ self.output_weights
        out += self.output_bias
        return out.reshape(x.shape)

    def backward(self, grad_output):
        rows, queries, keys, values, weights, mixed, shape = self._require_cache()
        batch, time, _ = shape
        grad_out = np.asarray(grad_output).reshape(batch * time, self.d_model)
        # out = mixed @ output_weights + output_bias
        self.grad_output_weights = mixed.T @ grad_out
        self.grad_output_bias = grad_out.sum(axis=0)
        grad_heads = self._split_heads(grad_out @ self.output_weights.T, batch, time)
        # heads = weights @ values, one product per sequence and head:
        grad_values = weights.transpose(0, 1, 3, 2) @ grad_heads
        grad_weights = grad_heads @ values.transpose(0, 1, 3, 2)
        # Through the softmax, row by row: d score_ij = w_ij (d w_ij - sum_k d w_ik w_ik). Masked positions have
        # w = 0, so they get 0.
        grad_scores = grad_weights
        grad_scores -= (grad_weights * weights).sum(axis=-1, keepdims=True)
        grad_scores *= weights
        grad_scores *= 1.0 / math.sqrt(self.d_head)
        # scores = queries @ keys^T:
        grad_queries = self._merge_heads(grad_scores @ keys)
        grad_keys = self._merge_heads(grad_scores.transpose(0, 1, 3, 2) @ queries)
        grad_values = self._merge_heads(grad_values)
        grad_x = None
        for name, grad in (("query", grad_queries), ("key", grad_keys), ("value", grad_values)):
            # projection = rows @ W + b, summed over every position of every sequence
            setattr(self, f"grad_{name}_weights", rows.T @ grad)
            setattr(self, f"grad_{name}_bias", grad.sum(axis=0))
            # x reaches the output three ways (as queries, keys and values): the three gradients add up
            through = grad @ getattr(self, f"{name}_weights").T
            grad_x = through if grad_x is None else grad_x + through
        return grad_x.reshape(shape)

    @property
    def attention_weights(self) -> np.ndarray | None:
        """The same as ``attention_`` (the name lesson 10's SelfAttention uses)."""
        return self.attention_

    def get_config(self):
        return _dtype_config({"d_model": self.d_model, "n_heads": self.n_heads, "causal": self.causal}, self.dtype)

    def _shape_text(self):
        return f"{self.d_model} dims, {self.n_heads} heads" + (", causal" if self.causal else "")


# ---------------------------------------------------------------------------------------------- the block
@register_layer
class TransformerBlock(Layer):
    """One pre-norm transformer block: x + attention(norm1(x)), then x + mlp(norm2(x)) with a GELU MLP.

    The two ``x + ...`` are the residual paths: each half adds a correction to its input, so the gradient
    reaches early layers along the sum unchanged. The attention is causal (a language model must not read the
    character it is asked to predict). mlp(h) = gelu(h @ hidden_weights + hidden_bias) @ output_weights +
    output_bias. ``dropout`` > 0 zeroes that share of each half's output in training (scaled up by 1 / (1 -
    dropout)), never in ``predict``.

    Parameters are named by part: 'norm1_gain', 'attention_query_weights', ..., 'hidden_weights', and so on.

    Shapes: x (batch, time, d_model) -> (batch, time, d_model); hidden_weights (d_model, d_hidden);
    output_weights (d_hidden, d_model).

    Example:
        >>> block = TransformerBlock(d_model=8, n_heads=2, d_hidden=32, seed=0)
        >>> block.forward(np.zeros((2, 4, 8))).shape, block.n_params
        ((2, 4, 8), 872)
    """

    _PARTS = ("norm1", "attention", "norm2")

    def __init__(self, d_model: int, n_heads: int, d_hidden: int, dropout: float = 0.0, seed: int | None = None,
                 dtype: Any = "float64"):
        self.d_model = check_positive_int(d_model, "d_model")
        self.n_heads = check_positive_int(n_heads, "n_heads")
        self.d_hidden = check_positive_int(d_hidden, "d_hidden")
        self.dropout = check_rate(dropout, "dropout", high=1.0, include_high=False)
        self.dtype = check_dtype(dtype)
        self.norm1 = LayerNorm(self.d_model, dtype=self.dtype)
        self.attention = MultiHeadAttention(self.d_model, self.n_heads, causal=True, dtype=self.dtype)
        self.norm2 = LayerNorm(self.d_model, dtype=self.dtype)
        self.grad_hidden_weights = self.grad_hidden_bias = None
        self.grad_output_weights = self.grad_output_bias = None
        self._cache = None
        self.initialize(np.random.default_rng(seed))

    def initialize(self, rng):
        for part in self._PARTS:
            getattr(self, part).initialize(rng)
        self.hidden_weights = rng.normal(0.0, INIT_STD, size=(self.d_model, self.d_hidden)).astype(self.dtype)
        self.hidden_bias = np.zeros(self.d_hidden, dtype=self.dtype)
        self.output_weights = rng.normal(0.0, INIT_STD, size=(self.d_hidden, self.d_model)).astype(self.dtype)
        self.output_bias = np.zeros(self.d_model, dtype=self.dtype)
        self._dropout_rng = np.random.default_rng(rng.integers(2**63))

    def parameters(self):
        params = {}
        for part in self._PARTS:
            for name, value in getattr(self, part).parameters().items():
                params[f"{part}_{name}"] = value
        params.update(hidden_weights=self.hidden_weights, hidden_bias=self.hidden_bias,
                      output_weights=self.output_weights, output_bias=self.output_bias)
        return params

    def __getattr__(self, name: str) -> Any:
        # grad_norm1_gain -> self.norm1.grad_gain, so optimizers find every gradient by its parameter's name
        if name.startswith("grad_"):
            for part in self._PARTS:
                prefix = f"grad_{part}_"
                layer = self.__dict__.get(part)
                if layer is not None and name.startswith(prefix):
                    return getattr(layer, "grad_" + name[len(prefix):])
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    @property
    def attention_(self) -> np.ndarray | None:
        """The block's attention weights of the last forward pass, (batch, n_heads, time, time)."""
        return self.attention.attention_

    def _drop(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        if not self.training or self.dropout == 0.0:
            return values, None
        keep = self._dropout_rng.random(values.shape) >= self.dropout
        mask = keep.astype(values.dtype) / (1.0 - self.dropout)
        return values * mask, mask

    def forward(self, x):
        x = check_sequences(float_input(x), self.d_model, self.describe())
        batch, time, _ = x.shape
        # first half: x + attention(norm1(x))
        attended, attention_mask = self._drop(self.attention.forward(self.norm1.forward(x)))
        middle = x + attended
        # second half: middle + mlp(norm2(middle)), the MLP on every position at once
        normed = self.norm2.forward(middle).reshape(batch * time, self.d_model)
        z = normed @ self.hidden_weights
        z += self.hidden_bias
        hidden, tanh = gelu(z)
        mlp = hidden @ self.output_weights
        mlp += self.output_bias
        mlp, mlp_mask = self._drop(mlp.reshape(x.shape))
        self._cache = (normed, z, tanh, hidden, attention_mask, mlp_mask, x.shape)
        return middle + mlp

    def backward(self, grad_output):
        normed, z, tanh, hidden, attention_mask, mlp_mask, shape = self._require_cache()
        grad_output = np.asarray(grad_output)
        # second half, out = middle + mlp: the gradient reaches middle directly and through the MLP
        grad_mlp = grad_output if mlp_mask is None else grad_output * mlp_mask
        grad_mlp = grad_mlp.reshape(-1, self.d_model)
        self.grad_output_weights = hidden.T @ grad_mlp
        self.grad_output_bias = grad_mlp.sum(axis=0)
        grad_z = gelu_backward(z, tanh, grad_mlp @ self.output_weights.T)
        self.grad_hidden_weights = normed.T @ grad_z
        self.grad_hidden_bias = grad_z.sum(axis=0)
        grad_middle = grad_output + self.norm2.backward((grad_z @ self.hidden_weights.T).reshape(shape))
        # first half, middle = x + attended: the same again
        grad_attended = grad_middle if attention_mask is None else grad_middle * attention_mask
        return grad_middle + self.norm1.backward(self.attention.backward(grad_attended))

    def get_config(self):
        config = {"d_model": self.d_model, "n_heads": self.n_heads, "d_hidden": self.d_hidden}
        if self.dropout:
            config["dropout"] = self.dropout
        return _dtype_config(config, self.dtype)

    def _shape_text(self):
        return f"{self.d_model} dims, {self.n_heads} heads, MLP {self.d_hidden}"

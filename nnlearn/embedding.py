"""Embeddings: a learned vector for each item id, and a helper that learns user and item vectors from ratings.

An embedding is a table with one row per item. Looking up an id is the same as multiplying a one-hot row by the
table, so the backward pass adds each output's gradient onto the row it was read from, and nowhere else.

Example:
    >>> import numpy as np
    >>> table = Embedding(5, 2, seed=0)
    >>> table.forward(np.array([[0, 4, 4]])).shape     # (batch, time) ids -> (batch, time, n_dims) vectors
    (1, 3, 2)
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .layers import Layer, register_layer
from .network import DivergenceWarning, History, divergence_reason
from .normalization import check_dtype
from .optimizers import Adam
from .validation import (
    as_float_array,
    check_item_ids,
    check_learning_rate,
    check_positive_int,
    check_rate,
)

__all__ = ["Embedding", "fit_embeddings", "predict_ratings"]


@register_layer
class Embedding(Layer):
    """A lookup table of learned vectors: item id i -> row i of ``weights``.

    The ids are labels, not amounts, so they have no gradient: ``backward`` returns zeros of the ids' shape
    (so ``Sequential.backward`` and ``saliency`` run through it) and puts the gradient into ``grad_weights``,
    only on the rows that were used; a row used twice in a batch gets both contributions.

    Shapes: ids (batch,) or (batch, time) whole numbers in 0..n_items-1 -> (batch, n_dims) or
    (batch, time, n_dims); weights (n_items, n_dims).

    Example:
        >>> import numpy as np
        >>> table = Embedding(3, 2)
        >>> table.weights[:] = [[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]]
        >>> table.forward(np.array([2, 1, 2]))
        array([[3., 4.],
               [1., 2.],
               [3., 4.]])
        >>> _ = table.backward(np.ones((3, 2)))
        >>> table.grad_weights                   # row 2 was used twice, row 0 never
        array([[0., 0.],
               [1., 1.],
               [2., 2.]])
    """

    def __init__(self, n_items: int, n_dims: int, seed: int | None = None, dtype: Any = "float64"):
        self.n_items = check_positive_int(n_items, "n_items")
        self.n_dims = check_positive_int(n_dims, "n_dims")
        self.dtype = check_dtype(dtype)  # the vectors' dtype, which every layer after a lookup keeps
        self.seed = seed
        self.grad_weights: np.ndarray | None = None
        self._cache = None
        self.initialize(np.random.default_rng(seed))

    def initialize(self, rng):
        # Small random vectors of length about 1 / sqrt(n_dims) ... 1: different enough to break the symmetry,
        # small enough that dot products of two of them start near 0.
        self.weights = rng.normal(0.0, 1.0 / math.sqrt(self.n_dims), size=(self.n_items, self.n_dims)).astype(
            self.dtype, copy=False)

    def parameters(self):
        return {"weights": self.weights}

    def forward(self, ids):
        # Sequential turns every input into floats; check they are whole numbers, then use them as integers.
        ids = check_item_ids(ids, self.n_items, self.describe())
        self._cache = ids
        return self.weights[ids]

    def backward(self, grad_output):
        ids = self._require_cache()
        grad_output = np.asarray(grad_output)
        rows = grad_output.reshape(ids.size, self.n_dims)
        if ids.size * self.n_items <= 2_000_000:
            # A lookup is a one-hot row times the table, so the gradient is one_hot^T @ grad: one matrix product
            # (for a small vocabulary much faster than adding row by row).
            one_hot = np.zeros((ids.size, self.n_items), dtype=rows.dtype)
            one_hot[np.arange(ids.size), ids.reshape(-1)] = 1.0
            self.grad_weights = (one_hot.T @ rows).astype(self.weights.dtype, copy=False)
        else:
            self.grad_weights = np.zeros_like(self.weights)
            # np.add.at adds once per occurrence: grad_weights[ids] += ... would keep only one of two repeats.
            np.add.at(self.grad_weights, ids.reshape(-1), rows)
        return np.zeros(ids.shape)

    def get_config(self):
        config = {"n_items": self.n_items, "n_dims": self.n_dims}
        if self.dtype != np.float64:
            config["dtype"] = self.dtype.name
        return config

    def output_shape(self, input_shape):
        """Per-sample output shape: the ids' shape plus (n_dims,), e.g. (time,) -> (time, n_dims)."""
        return tuple(int(s) for s in input_shape) + (self.n_dims,)

    def _shape_text(self):
        return f"{self.n_items} items, {self.n_dims} dims"


def _rating_triples(ratings: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """(user_ids, item_ids, ratings, n_users, n_items) from a ``datasets.Ratings`` or a 3-tuple of arrays."""
    if all(hasattr(ratings, name) for name in ("user_ids", "item_ids", "ratings")):
        users, items, values = ratings.user_ids, ratings.item_ids, ratings.ratings
        n_users = getattr(ratings, "n_users", None)
        n_items = getattr(ratings, "n_items", None)
    elif isinstance(ratings, (tuple, list)) and len(ratings) == 3:
        users, items, values = ratings
        n_users = n_items = None
    else:
        raise TypeError(
            "fit_embeddings expects the ratings as nl.datasets.ratings(...) returns them, or a tuple "
            f"(user_ids, item_ids, ratings) of three equal-length arrays, but got {type(ratings).__name__}."
        )
    values = as_float_array(values, "ratings")
    if values.ndim != 1 or len(values) == 0:
        raise ValueError(f"the ratings must be a non-empty 1-D array (one per user-item pair), but got {values.shape}.")
    n_users = int(n_users) if n_users is not None else int(np.max(users)) + 1
    n_items = int(n_items) if n_items is not None else int(np.max(items)) + 1
    users = check_item_ids(as_float_array(users, "user_ids"), n_users, f"fit_embeddings ({n_users} users)")
    items = check_item_ids(as_float_array(items, "item_ids"), n_items, f"fit_embeddings ({n_items} items)")
    if not users.shape == items.shape == values.shape:
        raise ValueError(
            f"user_ids, item_ids and ratings must have one entry per rating each, but got shapes {users.shape}, "
            f"{items.shape} and {values.shape}."
        )
    return users, items, values, n_users, n_items


def predict_ratings(user_embedding: Embedding, item_embedding: Embedding, history: History,
                    user_ids: Any = None, item_ids: Any = None) -> np.ndarray:
    """The ratings a model from ``fit_embeddings`` predicts: mean + user_bias + item_bias + user_vec . item_vec.

    Without ids, the whole table: every user's predicted rating for every item.

    Shapes: user_ids, item_ids (m,) -> (m,); no ids -> (n_users, n_items).

    Example:
        >>> import nnlearn as nl
        >>> data = nl.datasets.ratings(n_users=6, n_items=4, seed=0)
        >>> users, items, history = fit_embeddings(data, epochs=5, seed=0)
        >>> predict_ratings(users, items, history).shape
        (6, 4)
    """
    if user_ids is None and item_ids is None:
        table = user_embedding.weights @ item_embedding.weights.T
        return history.global_mean + history.user_bias[:, None] + history.item_bias[None, :] + table
    users = check_item_ids(as_float_array(user_ids, "user_ids"), user_embedding.n_items, user_embedding.describe())
    items = check_item_ids(as_float_array(item_ids, "item_ids"), item_embedding.n_items, item_embedding.describe())
    dot = np.sum(user_embedding.weights[users] * item_embedding.weights[items], axis=-1)
    return history.global_mean + history.user_bias[users] + history.item_bias[items] + dot


def fit_embeddings(
    ratings: Any,
    n_dims: int = 2,
    epochs: int = 300,
    lr: float = 0.05,
    l2: float = 1e-3,
    validation_fraction: float = 0.0,
    seed: int | None = None,
) -> tuple[Embedding, Embedding, History]:
    """Learn a vector per user and per item so that rating ~ mean + user bias + item bias + user_vec . item_vec.

    Trained with Adam on the mean squared error of all known ratings at once (full batch), plus ``l2`` times
    the squared length of the vectors and biases, which keeps the vectors of users and items with few ratings
    small. The gradients go back through the two Embedding layers' own ``backward``: each rating's error
    reaches only its user's row and its item's row.

    Returns ``(user_embedding, item_embedding, history)``. ``history.loss`` is the training MSE of each epoch,
    ``history.rmse`` its square root (in stars), and with ``validation_fraction`` > 0 that share of the ratings
    is held out and ``history.val_rmse`` is measured on it. The other terms of the prediction are kept on the
    history too: ``history.global_mean`` (the mean rating, not learned), ``history.user_bias`` (n_users,) and
    ``history.item_bias`` (n_items,). ``predict_ratings`` puts them together. A loss that becomes infinite or NaN
    (or above 3 times the loss of always predicting the mean rating) stops training as ``fit`` does
    (``divergence_reason``, a DivergenceWarning, the weights from before kept).

    Shapes: ratings as ``nl.datasets.ratings()`` returns them (or a tuple of user_ids, item_ids, ratings, each
    (m,)); user_embedding.weights (n_users, n_dims); item_embedding.weights (n_items, n_dims).

    Example:
        >>> import nnlearn as nl
        >>> data = nl.datasets.ratings(seed=0)
        >>> users, items, history = fit_embeddings(data, n_dims=2, epochs=300, seed=0)
        >>> items.weights.shape, history.rmse[-1] < 0.4
        ((30, 2), True)
    """
    users, items, values, n_users, n_items = _rating_triples(ratings)
    n_dims = check_positive_int(n_dims, "n_dims")
    epochs = check_positive_int(epochs, "epochs")
    lr = check_learning_rate(lr)
    l2 = check_rate(l2, "l2", high=math.inf)
    validation_fraction = check_rate(validation_fraction, "validation_fraction")
    rng = np.random.default_rng(seed)

    held_out = np.zeros(len(values), dtype=bool)
    if validation_fraction > 0:
        n_held = int(round(validation_fraction * len(values)))
        if n_held == 0 or n_held == len(values):
            raise ValueError(
                f"validation_fraction={validation_fraction} holds out {n_held} of {len(values)} ratings; choose a "
                "fraction that leaves some ratings on both sides, e.g. 0.2."
            )
        held_out[rng.choice(len(values), size=n_held, replace=False)] = True
    train_users, train_items, train_values = users[~held_out], items[~held_out], values[~held_out]

    user_embedding = Embedding(n_users, n_dims)
    item_embedding = Embedding(n_items, n_dims)
    # The biases are embeddings with one number per user and per item: the same lookup, the same backward.
    user_bias = Embedding(n_users, 1)
    item_bias = Embedding(n_items, 1)
    layers = [user_embedding, item_embedding, user_bias, item_bias]
    for layer in layers:
        layer.initialize(rng)
    user_bias.weights[:] = 0.0
    item_bias.weights[:] = 0.0
    global_mean = float(train_values.mean())  # start every prediction from the average rating
    optimizer = Adam(lr)
    history = History()

    def predict(user_ids: np.ndarray, item_ids: np.ndarray) -> np.ndarray:
        u, v = user_embedding.forward(user_ids), item_embedding.forward(item_ids)
        return global_mean + user_bias.forward(user_ids)[:, 0] + item_bias.forward(item_ids)[:, 0] + (u * v).sum(axis=1)

    guess_the_mean = float(np.var(train_values))  # the loss of always predicting the mean rating
    previous_start = None
    for epoch in range(1, epochs + 1):
        start = [layer.weights.copy() for layer in layers]  # each layer's one parameter
        with np.errstate(over="ignore", invalid="ignore"):
            predicted = predict(train_users, train_items)
            errors = predicted - train_values
            mse = float(np.mean(errors**2))
        reason = divergence_reason(mse, guess_the_mean)
        if reason:  # these weights are already bad (the loss is measured before the step): go back one epoch
            for layer, saved in zip(layers, previous_start or start):
                layer.weights[...] = saved
            history.stopped_early = True
            history.stop_reason = f"{reason} in epoch {epoch}: the steps are too large"
            warnings.warn(f"Training diverged: {history.stop_reason}. Stopped and kept the weights from before. "
                          f"Try a smaller learning rate (now {lr:g}, e.g. {lr / 10:g}).", DivergenceWarning,
                          stacklevel=2)
            break
        previous_start = start
        grad_prediction = 2.0 * errors / len(errors)  # d mean(error^2) / d prediction
        u, v = user_embedding.forward(train_users), item_embedding.forward(train_items)
        user_bias.forward(train_users)
        item_bias.forward(train_items)
        # prediction = ... + sum(u * v): d/du = v, d/dv = u, d/dbias = 1
        user_embedding.backward(grad_prediction[:, None] * v)
        item_embedding.backward(grad_prediction[:, None] * u)
        user_bias.backward(grad_prediction[:, None])
        item_bias.backward(grad_prediction[:, None])
        for layer in layers:
            layer.grad_weights += 2.0 * l2 * layer.weights
        optimizer.step(layers)
        logs = {"loss": mse, "rmse": math.sqrt(mse)}
        if held_out.any():
            val_errors = predict(users[held_out], items[held_out]) - values[held_out]
            logs["val_rmse"] = math.sqrt(float(np.mean(val_errors**2)))
        history.append(**logs)

    history.global_mean = global_mean
    history.user_bias = user_bias.weights[:, 0].copy()
    history.item_bias = item_bias.weights[:, 0].copy()
    return user_embedding, item_embedding, history

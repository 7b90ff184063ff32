"""The way on: turn an nnlearn model into an equivalent PyTorch model with the same weights.

PyTorch is optional (``pip install torch==2.13.0``); nothing here imports it until ``to_torch`` is called.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .layers import Dense, Dropout, Flatten

__all__ = ["to_torch"]


def _import_torch() -> Any:
    """Import torch so that its threads do not slow NumPy down in the same process.

    On a small machine, PyTorch's OpenMP threads keep spinning after each operation and steal the cores that
    NumPy's BLAS threads need (NumPy epochs measured 2-15x slower). Asking OpenMP to sleep when idle fixes it;
    if torch was imported before we could ask, we limit it to one thread instead.
    """
    already_imported = "torch" in sys.modules
    if not already_imported:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch
    except ImportError:
        raise ImportError(
            "to_torch needs PyTorch, which is optional for nnlearn. Install the CPU build with "
            "`pip install torch==2.13.0`."
        ) from None
    if already_imported and os.environ.get("OMP_WAIT_POLICY", "").upper() != "PASSIVE":
        torch.set_num_threads(1)
    return torch


def _activation_module(torch: Any, layer: Any) -> list[Any]:
    """The layer's activation as PyTorch modules: [] for the identity, else [module] (the activation says which)."""
    try:
        module = layer.activation.torch_module(torch.nn)
    except ValueError as error:
        raise ValueError(f"{layer.describe()} cannot go to PyTorch: {error}") from None
    return [] if module is None else [module]


_MODULES: dict[str, Any] = {}


def _transformer_modules(torch: Any) -> dict[str, Any]:
    """PyTorch modules for nnlearn's transformer parts, defined once torch is imported (it is optional)."""
    if _MODULES:
        return _MODULES
    nn = torch.nn
    functional = torch.nn.functional

    class Positions(nn.Module):
        """x + weight[:time], as nnlearn's PositionalEmbedding."""

        def __init__(self, weights, dtype):
            super().__init__()
            self.weight = nn.Parameter(torch.as_tensor(weights).to(dtype).clone())

        def forward(self, x):
            return x + self.weight[: x.shape[1]]

    class Attention(nn.Module):
        """Multi-head self-attention with the query/key/value projections in one Linear (as nanoGPT writes it)
        and PyTorch's fused scaled_dot_product_attention."""

        def __init__(self, layer, dtype):
            super().__init__()
            d_model = layer.d_model
            self.n_heads, self.causal = layer.n_heads, layer.causal
            self.qkv = nn.Linear(d_model, 3 * d_model, dtype=dtype)
            self.out = nn.Linear(d_model, d_model, dtype=dtype)
            weights = [layer.query_weights, layer.key_weights, layer.value_weights]
            biases = [layer.query_bias, layer.key_bias, layer.value_bias]
            self.qkv.weight.copy_(torch.cat([torch.as_tensor(w.T) for w in weights]))
            self.qkv.bias.copy_(torch.cat([torch.as_tensor(b) for b in biases]))
            self.out.weight.copy_(torch.as_tensor(layer.output_weights.T))
            self.out.bias.copy_(torch.as_tensor(layer.output_bias))

        def forward(self, x):
            batch, time, d_model = x.shape
            q, k, v = self.qkv(x).split(d_model, dim=2)
            q, k, v = (t.view(batch, time, self.n_heads, d_model // self.n_heads).transpose(1, 2) for t in (q, k, v))
            heads = functional.scaled_dot_product_attention(q, k, v, is_causal=self.causal)
            return self.out(heads.transpose(1, 2).reshape(batch, time, d_model))

    def layer_norm(layer, dtype):
        norm = nn.LayerNorm(layer.n_features, eps=layer.eps, dtype=dtype)
        norm.weight.copy_(torch.as_tensor(layer.gain))
        norm.bias.copy_(torch.as_tensor(layer.bias))
        return norm

    def linear(weights, bias, dtype):
        module = nn.Linear(weights.shape[0], weights.shape[1], dtype=dtype)
        module.weight.copy_(torch.as_tensor(weights.T))
        module.bias.copy_(torch.as_tensor(bias))
        return module

    class Block(nn.Module):
        """Pre-norm block: x + attention(norm1(x)), then x + mlp(norm2(x)), GELU in its tanh form."""

        def __init__(self, layer, dtype):
            super().__init__()
            self.norm1 = layer_norm(layer.norm1, dtype)
            self.attention = Attention(layer.attention, dtype)
            self.norm2 = layer_norm(layer.norm2, dtype)
            self.mlp = nn.Sequential(linear(layer.hidden_weights, layer.hidden_bias, dtype),
                                     nn.GELU(approximate="tanh"),
                                     linear(layer.output_weights, layer.output_bias, dtype))
            self.drop = nn.Dropout(layer.dropout)

        def forward(self, x):
            x = x + self.drop(self.attention(self.norm1(x)))
            return x + self.drop(self.mlp(self.norm2(x)))

    _MODULES.update(Positions=Positions, Attention=Attention, Block=Block, layer_norm=layer_norm)
    return _MODULES


def to_torch(model: Any, dtype: Any = None) -> Any:
    """An equivalent ``torch.nn.Sequential`` holding copies of the same weights (float64 by default).

    Supports Dense, Conv2D, MaxPool2D, Flatten and Dropout layers, and the language model's parts (Embedding,
    PositionalEmbedding, MultiHeadAttention, TransformerBlock, LayerNorm, SequenceDense): a model from
    ``nl.language_model`` takes a LongTensor of token ids and gives the same logits. Each layer's activation
    becomes its own
    module (e.g. Dense(2, 8, "relu") -> Linear(2, 8), ReLU()). nnlearn stores Dense weights as (n_inputs,
    n_outputs) for x @ W; PyTorch's Linear stores the transpose.

    Shapes: same inputs and outputs as the nnlearn model.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 3, "relu"), nl.Dense(3, 1, "sigmoid")], seed=0)
        >>> torch_model = nl.to_torch(model)              # doctest: +SKIP
        >>> import torch                                   # doctest: +SKIP
        >>> x = np.array([[0.5, -1.0]])
        >>> bool(np.allclose(torch_model(torch.tensor(x)).detach().numpy(), model.predict(x)))   # doctest: +SKIP
        True
    """
    torch = _import_torch()
    nn = torch.nn
    dtype = dtype or torch.float64
    modules: list[Any] = []
    with torch.no_grad():
        for layer in model.layers:
            kind = type(layer).__name__
            if isinstance(layer, Dense):
                linear = nn.Linear(layer.n_inputs, layer.n_outputs, dtype=dtype)
                linear.weight.copy_(torch.as_tensor(layer.weights.T))
                linear.bias.copy_(torch.as_tensor(layer.bias))
                modules += [linear, *_activation_module(torch, layer)]
            elif kind == "Conv2D":
                conv = nn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size, stride=layer.stride,
                                 padding=layer.padding, dtype=dtype)
                conv.weight.copy_(torch.as_tensor(layer.weights))
                conv.bias.copy_(torch.as_tensor(layer.bias))
                modules += [conv, *_activation_module(torch, layer)]
            elif kind == "MaxPool2D":
                modules.append(nn.MaxPool2d(layer.size, stride=layer.stride))
            elif isinstance(layer, Flatten):
                modules.append(nn.Flatten())
            elif isinstance(layer, Dropout):
                modules.append(nn.Dropout(layer.rate))
            elif kind == "Embedding":
                embedding = nn.Embedding(layer.n_items, layer.n_dims, dtype=dtype)
                embedding.weight.copy_(torch.as_tensor(layer.weights))
                modules.append(embedding)
            elif kind == "PositionalEmbedding":
                modules.append(_transformer_modules(torch)["Positions"](layer.weights, dtype))
            elif kind == "MultiHeadAttention":
                modules.append(_transformer_modules(torch)["Attention"](layer, dtype))
            elif kind == "TransformerBlock":
                modules.append(_transformer_modules(torch)["Block"](layer, dtype))
            elif kind == "LayerNorm":
                modules.append(_transformer_modules(torch)["layer_norm"](layer, dtype))
            else:
                raise ValueError(
                    f"to_torch does not convert {layer.describe()} yet; it supports Dense (and SequenceDense), "
                    "Conv2D, MaxPool2D, Flatten, Dropout, Embedding, PositionalEmbedding, MultiHeadAttention, "
                    "TransformerBlock and LayerNorm layers."
                )
    torch_model = nn.Sequential(*modules)
    torch_model.eval()  # like nnlearn's predict: dropout off
    return torch_model

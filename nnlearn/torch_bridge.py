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


def to_torch(model: Any, dtype: Any = None) -> Any:
    """An equivalent ``torch.nn.Sequential`` holding copies of the same weights (float64 by default).

    Supports Dense, Conv2D, MaxPool2D, Flatten and Dropout layers. Each layer's activation becomes its own
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
            else:
                raise ValueError(
                    f"to_torch does not convert {layer.describe()} yet; it supports Dense, Conv2D, MaxPool2D, "
                    "Flatten and Dropout layers."
                )
    torch_model = nn.Sequential(*modules)
    torch_model.eval()  # like nnlearn's predict: dropout off
    return torch_model

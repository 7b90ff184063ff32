"""nnlearn: see inside neural networks. A small, readable NumPy library with explicit backprop.

Importing nnlearn loads NumPy only; ``nnlearn.plots`` and ``nnlearn.widgets`` bring in matplotlib and
ipywidgets when you import them.

Example:
    >>> import nnlearn as nl
    >>> model = nl.Sequential([nl.Dense(2, 8, "tanh"), nl.Dense(8, 1, "sigmoid")], seed=0)
    >>> model.n_params
    33
"""

from __future__ import annotations

import importlib
from typing import Any

from . import (
    activations,
    datasets,
    descent,
    features,
    generalization,
    graph,
    health,
    hierarchy,
    interpret,
    losses,
    optimizers,
    playground,
    schedules,
    text,
    validation,
)
from .attention import SelfAttention
from .conv import Conv2D, MaxPool2D
from .embedding import Embedding, fit_embeddings, predict_ratings
from .gradcheck import gradient_check, numerical_gradient
from .health import training_health
from .hierarchy import activation_maximization
from .interpret import (
    as_arithmetic,
    map_agreement,
    occlusion,
    occlusion_estimate,
    saliency,
    top_activating,
    unit_response,
)
from .layers import Dense, Dropout, Flatten, Layer
from .network import DivergenceWarning, EpochResult, History, Sequential
from .normalization import BatchNorm, LayerNorm
from .neuron import Neuron
from .recurrent import LastStep, SelectStep, SimpleRNN
from .text import generate, language_model, next_token_probabilities
from .torch_bridge import to_torch
from .transformer import MultiHeadAttention, PositionalEmbedding, SequenceDense, TransformerBlock

__version__ = "0.1.0"

__all__ = [
    "BatchNorm",
    "Conv2D",
    "Dense",
    "DivergenceWarning",
    "EpochResult",
    "Dropout",
    "Embedding",
    "Flatten",
    "History",
    "LastStep",
    "Layer",
    "LayerNorm",
    "MaxPool2D",
    "MultiHeadAttention",
    "Neuron",
    "PositionalEmbedding",
    "SelectStep",
    "SequenceDense",
    "SelfAttention",
    "Sequential",
    "SimpleRNN",
    "TransformerBlock",
    "activation_maximization",
    "activations",
    "as_arithmetic",
    "datasets",
    "descent",
    "features",
    "fit_embeddings",
    "generate",
    "generalization",
    "gradient_check",
    "graph",
    "health",
    "hierarchy",
    "interpret",
    "language_model",
    "losses",
    "map_agreement",
    "next_token_probabilities",
    "numerical_gradient",
    "occlusion",
    "occlusion_estimate",
    "optimizers",
    "playground",
    "predict_ratings",
    "saliency",
    "schedules",
    "text",
    "to_torch",
    "top_activating",
    "training_health",
    "unit_response",
    "validation",
]

# Heavy or optional submodules load on first use, so `import nnlearn` stays NumPy-only.
_LAZY = {"plots", "widgets", "exercises"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'nnlearn' has no attribute {name!r}")

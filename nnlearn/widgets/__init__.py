"""Interactive explorers for JupyterLab: controls wired to the pictures of ``nnlearn.plots``.

- ``explore_neuron``: one neuron's weights, bias and activation, its arithmetic and its output (lesson 02).
- ``explore_activations``: every activation and its slope, with a point moved by a slider (lesson 03).
- ``explore_network``: a network diagram with values flowing through it for one input (lessons 01, 04).
- ``explore_loss`` and ``explore_gradient_descent``: a loss as weights move; descent paths and learning rates (05).
- ``explore_backprop``: a computation graph stepped backward node by node (lesson 06).
- ``explore_playground``: TensorFlow Playground on a live ``nl.Sequential``, and more (lesson 07).
- ``explore_hierarchy``: a unit's filter, top patches and favourite input, layer by layer (lesson 08).
- ``explore_generalization``: training-set size, width, label noise and L2 against test accuracy (lesson 09).
- ``explore_convolution``, ``explore_rnn``, ``explore_attention``: the architectures tour (lesson 10).
- ``explore_saliency``: which pixels a digit prediction depends on, by gradient and by occlusion (lesson 11).
- ``explore_initialization``, ``explore_optimizers``, ``explore_training_health``: a deep net's layers under each
  initialisation; optimizers raced on a surface; a network's health per layer while it trains (lesson 13).
- ``explore_sampling``: a language model's next-character distribution, temperature, top-k, sampling (lesson 12).

Each returns an ``Explorer`` (``.controls``, ``.figure``, ``.artists``, ``.update()``) that shows itself when it
is the last value of a cell. Use ``%matplotlib widget`` (ipympl) for the fastest live figure; without it the
figure is refreshed as a PNG.
"""

from .activations import ActivationExplorer, explore_activations
from .base import Explorer, live_backend, new_figure
from .neuron import NeuronExplorer, explore_neuron
from .playground import HiddenLayers, Playground, PlaygroundHistory, explore_playground
from .backprop import BackpropExplorer, explore_backprop
from .network import NetworkExplorer, explore_network
from .descent import LossExplorer, GradientDescentExplorer, explore_loss, explore_gradient_descent
from .architectures import (
    ConvolutionExplorer,
    RNNExplorer,
    AttentionExplorer,
    explore_convolution,
    explore_rnn,
    explore_attention,
)
from .interpret import SaliencyExplorer, explore_saliency
from .generalization import GeneralizationExplorer, explore_generalization
from .hierarchy import HierarchyExplorer, explore_hierarchy
from .training import (
    InitializationExplorer,
    OptimizerRaceExplorer,
    TrainingHealthExplorer,
    explore_initialization,
    explore_optimizers,
    explore_training_health,
)
from .language import SamplingExplorer, explore_sampling

__all__ = [
    "ActivationExplorer", "explore_activations",
    "Explorer", "live_backend", "new_figure",
    "NeuronExplorer", "explore_neuron",
    "HiddenLayers", "Playground", "PlaygroundHistory", "explore_playground",
    "BackpropExplorer", "explore_backprop",
    "NetworkExplorer", "explore_network",
    "LossExplorer", "GradientDescentExplorer", "explore_loss", "explore_gradient_descent",
    "ConvolutionExplorer", "RNNExplorer", "AttentionExplorer", "explore_convolution", "explore_rnn",
    "explore_attention",
    "SaliencyExplorer", "explore_saliency",
    "GeneralizationExplorer", "explore_generalization",
    "HierarchyExplorer", "explore_hierarchy",
    "InitializationExplorer", "OptimizerRaceExplorer", "TrainingHealthExplorer", "explore_initialization",
    "explore_optimizers", "explore_training_health",
    "SamplingExplorer", "explore_sampling",
]

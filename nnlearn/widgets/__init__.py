"""Interactive explorers for JupyterLab: controls wired to the pictures of ``nnlearn.plots``.

- ``explore_neuron``: one neuron's weights, bias and activation, its arithmetic and its output.
- ``explore_activations``: every activation and its slope, with a point moved by a slider.
- ``explore_playground``: TensorFlow Playground on a live ``nl.Sequential``.

Each returns an ``Explorer`` (``.controls``, ``.figure``, ``.artists``, ``.update()``) that shows itself when it
is the last value of a cell. Use ``%matplotlib widget`` (ipympl) for the fastest live figure; without it the
figure is refreshed as a PNG.
"""

from .activations import ActivationExplorer, explore_activations
from .base import Explorer, live_backend, new_figure
from .neuron import NeuronExplorer, explore_neuron
from .playground import HiddenLayers, Playground, PlaygroundHistory, explore_playground

__all__ = [
    "ActivationExplorer", "Explorer", "HiddenLayers", "NeuronExplorer", "Playground", "PlaygroundHistory",
    "explore_activations", "explore_neuron", "explore_playground", "live_backend", "new_figure",
]
from .backprop import BackpropExplorer
from .backprop import explore_backprop
from .network import NetworkExplorer
from .network import explore_network
from .descent import LossExplorer
from .descent import GradientDescentExplorer
from .descent import explore_loss
from .descent import explore_gradient_descent
from .architectures import ConvolutionExplorer
from .architectures import RNNExplorer
from .architectures import AttentionExplorer
from .architectures import explore_convolution
from .architectures import explore_rnn
from .architectures import explore_attention

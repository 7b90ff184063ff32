"""Pictures of neural networks, in two halves: compute (arrays, NumPy only) and draw (matplotlib artists).

Every picture has a compute function returning a small record of arrays (``*_data``), a
``draw_<noun>(ax, data) -> artists`` that draws it once, and an ``update_<noun>(artists, data)`` that changes the
artists in place, so a widget can move a slider without re-plotting. Importing this package does not import
matplotlib: the draw functions load it when first called.

Example:
    >>> import nnlearn as nl
    >>> from nnlearn import plots
    >>> model = nl.Sequential([nl.Dense(2, 4, "tanh"), nl.Dense(4, 1, "sigmoid")], seed=0)
    >>> data = plots.decision_boundary_data(model, resolution=50)
    >>> data.kind, data.values.shape
    ('binary', (50, 50))
    >>> fig = plots.figure()
    >>> artists = plots.draw_decision_boundary(fig.add_subplot(), data)
    >>> bool((artists["surface"].get_array() == data.values).all())
    True
"""

from ._grid import PlotData, grid_points, input_extent, level_segments
from ._style import CLASS_COLORS, DIVERGING, FACECOLOR, SEQUENTIAL, class_colors, colormap, figure
from .activation import ActivationCurveData, activation_curve_data, draw_activation_curve, update_activation_curve
from .boundary import (
    DecisionBoundaryData,
    NeuronGrids,
    boundary_from_outputs,
    decision_boundary_data,
    draw_decision_boundary,
    neuron_output_grids,
    surface_pixels,
    update_decision_boundary,
)
from .curves import LossCurveData, draw_loss_curve, loss_curve_data, update_loss_curve
from .images import ImageGridData, draw_image_grid, image_grid_data, update_image_grid
from .network import NetworkDiagramData, draw_network_diagram, network_diagram_data, update_network_diagram
from .neuron import NeuronPlaneData, draw_neuron_plane, neuron_plane_data, update_neuron_plane, weighted_sum_text
from .playground import (
    PlaygroundFrame,
    PlaygroundLayout,
    draw_playground,
    playground_frame_data,
    playground_layout,
    thumbnail_mosaic,
    update_playground,
)
from .surface import LossSurfaceData, draw_loss_surface, loss_surface_data, update_loss_surface

__all__ = [
    "CLASS_COLORS", "DIVERGING", "FACECOLOR", "SEQUENTIAL", "class_colors", "colormap", "figure",
    "PlotData", "grid_points", "input_extent", "level_segments",
    "ActivationCurveData", "activation_curve_data", "draw_activation_curve", "update_activation_curve",
    "DecisionBoundaryData", "NeuronGrids", "boundary_from_outputs", "decision_boundary_data",
    "draw_decision_boundary", "neuron_output_grids", "surface_pixels", "update_decision_boundary",
    "LossCurveData", "draw_loss_curve", "loss_curve_data", "update_loss_curve",
    "ImageGridData", "draw_image_grid", "image_grid_data", "update_image_grid",
    "NetworkDiagramData", "draw_network_diagram", "network_diagram_data", "update_network_diagram",
    "NeuronPlaneData", "draw_neuron_plane", "neuron_plane_data", "update_neuron_plane", "weighted_sum_text",
    "PlaygroundFrame", "PlaygroundLayout", "draw_playground", "playground_frame_data", "playground_layout",
    "thumbnail_mosaic", "update_playground",
    "LossSurfaceData", "draw_loss_surface", "loss_surface_data", "update_loss_surface",
]
from .graph import GraphPictureData
from .graph import draw_graph
from .graph import graph_picture_data
from .graph import update_graph
from .flow import NetworkFlowData
from .flow import draw_network_flow
from .flow import network_flow_data
from .flow import update_network_flow
from .biology import biological_neuron_data
from .biology import draw_biological_neuron
from .biology import draw_spike_trains
from .biology import integrate_and_fire
from .biology import neuron_and_unit_figure
from .descent import LineFitData
from .descent import LossSliceData
from .descent import draw_descent_paths
from .descent import draw_line_fit
from .descent import draw_loss_contours
from .descent import draw_loss_slice
from .descent import draw_step_losses
from .descent import line_fit_data
from .descent import line_loss_surface
from .descent import loss_slice_data
from .descent import surface_with_path
from .descent import update_line_fit
from .descent import update_loss_slice
from .descent import update_step_losses
from .layers import UnitLinesData
from .layers import draw_matrix
from .layers import draw_unit_lines
from .layers import hidden_units_figure
from .layers import unit_lines_data
from .layers import update_unit_lines
from .architectures import KERNELS
from .architectures import kernel
from .architectures import convolve2d
from .architectures import ConvolutionData
from .architectures import convolution_data
from .architectures import draw_convolution
from .architectures import update_convolution
from .architectures import RNNUnrollData
from .architectures import rnn_unroll_data
from .architectures import draw_rnn_unrolled
from .architectures import update_rnn_unrolled
from .architectures import lookup_tokens
from .architectures import AttentionData
from .architectures import attention_data
from .architectures import draw_attention
from .architectures import update_attention
from .architectures import EmbeddingMapData
from .architectures import embedding_map_data
from .architectures import draw_embedding_map
from .architectures import kernel_gallery_figure

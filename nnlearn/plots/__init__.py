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
from .graph import GraphPictureData, draw_graph, graph_picture_data, update_graph
from .flow import NetworkFlowData, draw_network_flow, network_flow_data, update_network_flow
from .biology import (
    biological_neuron_data,
    draw_biological_neuron,
    draw_spike_trains,
    integrate_and_fire,
    neuron_and_unit_figure,
)
from .descent import (
    LineFitData,
    LossSliceData,
    draw_descent_paths,
    draw_line_fit,
    draw_loss_contours,
    draw_loss_slice,
    draw_step_losses,
    line_fit_data,
    line_loss_surface,
    loss_slice_data,
    surface_with_path,
    update_line_fit,
    update_loss_slice,
    update_step_losses,
)
from .descent import draw_race, race_surface_data, update_descent_paths
from .training import (
    ActivationHistogramData,
    HealthPanelData,
    activation_histogram_data,
    draw_activation_histograms,
    draw_curves,
    draw_training_health,
    health_panel_data,
    update_activation_histograms,
    update_curves,
    update_training_health,
)
from .layers import UnitLinesData, draw_matrix, draw_unit_lines, hidden_units_figure, unit_lines_data, update_unit_lines
from .architectures import (
    KERNELS,
    kernel,
    convolve2d,
    ConvolutionData,
    convolution_data,
    draw_convolution,
    update_convolution,
    RNNUnrollData,
    rnn_unroll_data,
    draw_rnn_unrolled,
    update_rnn_unrolled,
    lookup_tokens,
    AttentionData,
    attention_data,
    draw_attention,
    update_attention,
    EmbeddingMapData,
    embedding_map_data,
    draw_embedding_map,
    kernel_gallery_figure,
)
from .interpret import (
    SaliencyViewData,
    UnitGalleryData,
    as_image,
    saliency_view_data,
    draw_saliency_view,
    update_saliency_view,
    unit_gallery_data,
    draw_unit_gallery,
    draw_predicted_images,
)
from .generalization import (
    draw_learning_curve,
    update_learning_curve,
    draw_accuracy_bars,
    update_accuracy_bars,
    draw_extrapolation,
    update_extrapolation,
)
from .language import (
    AttentionHeadsData,
    BigramData,
    CharacterEmbeddingData,
    LanguageLossData,
    NextTokenData,
    attention_heads_data,
    bigram_data,
    char_label,
    character_embedding_data,
    draw_attention_heads,
    draw_bigram,
    draw_character_embedding,
    draw_language_loss,
    draw_next_token,
    language_loss_data,
    next_token_data,
    update_next_token,
)
from .hierarchy import (
    FeatureMapsData,
    LayerThumbnailsData,
    TopPatchesData,
    draw_feature_maps,
    draw_filters,
    draw_layer_thumbnails,
    draw_top_patches,
    draw_tuning_curves,
    feature_maps_data,
    filter_grid_data,
    filters_before_after_figure,
    layer_thumbnails_data,
    top_patches_data,
    update_filters,
    update_top_patches,
)

__all__ = [
    "PlotData", "grid_points", "input_extent", "level_segments",
    "CLASS_COLORS", "DIVERGING", "FACECOLOR", "SEQUENTIAL", "class_colors", "colormap", "figure",
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
    "GraphPictureData", "draw_graph", "graph_picture_data", "update_graph",
    "NetworkFlowData", "draw_network_flow", "network_flow_data", "update_network_flow",
    "biological_neuron_data", "draw_biological_neuron", "draw_spike_trains", "integrate_and_fire",
    "neuron_and_unit_figure",
    "LineFitData", "LossSliceData", "draw_descent_paths", "draw_line_fit", "draw_loss_contours", "draw_loss_slice",
    "draw_step_losses", "line_fit_data", "line_loss_surface", "loss_slice_data", "surface_with_path",
    "update_line_fit", "update_loss_slice", "update_step_losses",
    "UnitLinesData", "draw_matrix", "draw_unit_lines", "hidden_units_figure", "unit_lines_data", "update_unit_lines",
    "KERNELS", "kernel", "convolve2d", "ConvolutionData", "convolution_data", "draw_convolution",
    "update_convolution", "RNNUnrollData", "rnn_unroll_data", "draw_rnn_unrolled", "update_rnn_unrolled",
    "lookup_tokens", "AttentionData", "attention_data", "draw_attention", "update_attention", "EmbeddingMapData",
    "embedding_map_data", "draw_embedding_map", "kernel_gallery_figure",
    "SaliencyViewData", "UnitGalleryData", "as_image", "saliency_view_data", "draw_saliency_view",
    "update_saliency_view", "unit_gallery_data", "draw_unit_gallery", "draw_predicted_images",
    "draw_learning_curve", "update_learning_curve", "draw_accuracy_bars", "update_accuracy_bars",
    "draw_extrapolation", "update_extrapolation",
    "FeatureMapsData", "LayerThumbnailsData", "TopPatchesData", "draw_feature_maps", "draw_filters",
    "draw_layer_thumbnails", "draw_top_patches", "draw_tuning_curves", "feature_maps_data", "filter_grid_data",
    "filters_before_after_figure", "layer_thumbnails_data", "top_patches_data", "update_filters",
    "update_top_patches",
    "draw_race", "race_surface_data", "update_descent_paths",
    "ActivationHistogramData", "HealthPanelData", "activation_histogram_data", "draw_activation_histograms",
    "draw_curves", "draw_training_health", "health_panel_data", "update_activation_histograms", "update_curves",
    "update_training_health",
    "AttentionHeadsData", "BigramData", "CharacterEmbeddingData", "LanguageLossData", "NextTokenData",
    "attention_heads_data", "bigram_data", "char_label", "character_embedding_data", "draw_attention_heads",
    "draw_bigram", "draw_character_embedding", "draw_language_loss", "draw_next_token", "language_loss_data",
    "next_token_data", "update_next_token",
]

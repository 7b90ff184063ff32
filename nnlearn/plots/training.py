"""Pictures for making training work: activation histograms layer by layer, loss curves side by side, learning-rate
schedules, and a training-health panel.

Compute (NumPy only): ``activation_histogram_data(model, x)`` (one histogram of output values per layer),
``health_panel_data(report)`` (the numbers of a ``training_health`` report, one bar per layer).
Draw: ``draw_activation_histograms``/``update_activation_histograms`` (layers as rows, values as columns, the
share of values as colour), ``draw_curves``/``update_curves`` (several named curves on one axes: losses or
learning rates), ``draw_training_health``/``update_training_health`` (four small bar charts).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..validation import as_float_array, check_positive_int
from . import _style
from ._grid import PlotData

__all__ = [
    "ActivationHistogramData",
    "HealthPanelData",
    "activation_histogram_data",
    "draw_activation_histograms",
    "draw_curves",
    "draw_training_health",
    "health_panel_data",
    "update_activation_histograms",
    "update_curves",
    "update_training_health",
]

CURVE_COLORS = ("#333333", "#e69f00", "#0072b2", "#009e73", "#cc79a7", "#d55e00")


@dataclass
class ActivationHistogramData(PlotData):
    """Histograms of each layer's output values on one batch: ``shares[i, j]`` is the fraction of layer i's
    values in bin j (values beyond the range are counted in the end bins).

    Shapes: shares (n_layers, bins); edges (bins + 1,); stds, means (n_layers,); labels: n_layers strings.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(4, 16, "tanh"), nl.Dense(16, 16, "tanh")], seed=0)
        >>> data = activation_histogram_data(model, np.ones((8, 4)), bins=10)
        >>> data.shares.shape, bool(np.allclose(data.shares.sum(axis=1), 1.0))
        ((2, 10), True)
    """

    shares: np.ndarray
    edges: np.ndarray
    stds: np.ndarray
    means: np.ndarray
    labels: list[str]
    value_range: tuple[float, float]


def activation_histogram_data(model: Any, x: Any, *, bins: int = 41,
                              value_range: tuple[float, float] | None = None,
                              training: bool = True,
                              layer_types: Sequence[str] | None = None) -> ActivationHistogramData:
    """Run ``x`` through the model (training mode: batch statistics, as while training) and histogram every
    layer's outputs. ``value_range`` defaults to (-1, 1) when every value lies there (tanh, sigmoid), otherwise
    to +-(the 99th percentile of all |values|). ``layer_types`` (class names such as ``["Dense"]``) keeps only
    those layers' rows, labelled with their position in the model.

    Shapes: x (batch, n_inputs) -> shares (n_layers, bins).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(2, 50, "tanh", init="normal(1.0)")], seed=0)
        >>> data = activation_histogram_data(model, np.random.default_rng(0).normal(size=(100, 2)) * 5, bins=4)
        >>> data.value_range, data.shares.round(2).tolist()    # large weights: most values pinned at -1 or 1
        ((-1.0, 1.0), [[0.45, 0.05, 0.04, 0.46]])
    """
    x = as_float_array(x, "x")
    bins = check_positive_int(bins, "bins")
    outputs, labels = [], []
    signal = x
    model._set_training(training)
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            for number, layer in enumerate(model.layers, start=1):
                signal = layer.forward(signal)
                if layer_types is None or type(layer).__name__ in layer_types:
                    outputs.append(np.asarray(signal, dtype=float).ravel())
                    labels.append(str(number))
    finally:
        model._set_training(False)
    if not outputs:
        present = sorted({type(layer).__name__ for layer in model.layers})
        raise ValueError(f"layer_types {list(layer_types)} matches no layer; this model has {', '.join(present)}.")
    if value_range is None:
        everything = np.concatenate([o[np.isfinite(o)] for o in outputs])
        if everything.size and np.abs(everything).max() <= 1.0:
            value_range = (-1.0, 1.0)
        else:
            top = float(np.quantile(np.abs(everything), 0.99)) if everything.size else 1.0
            value_range = (-max(top, 1e-12), max(top, 1e-12))
    low, high = (float(v) for v in value_range)
    edges = np.linspace(low, high, bins + 1)
    shares = np.zeros((len(outputs), bins))
    for i, values in enumerate(outputs):
        finite = values[np.isfinite(values)]
        if finite.size:
            counts, _ = np.histogram(np.clip(finite, low, high), bins=edges)
            shares[i] = counts / finite.size
    return ActivationHistogramData(
        shares=shares, edges=edges, stds=np.array([np.std(o) for o in outputs]),
        means=np.array([np.mean(o) for o in outputs]),
        labels=labels, value_range=(low, high),
    )


def draw_activation_histograms(ax: Any, data: ActivationHistogramData, title: str | None = None) -> dict[str, Any]:
    """Layers as rows (layer 1 at the top), output values as columns, the share of values in each bin as
    colour (dark: none, bright: many); each row's spread is written at its right.

    Shapes: data.shares (n_layers, bins) -> an image of n_layers rows.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Dense(2, 8, "tanh"), nl.Dense(8, 8, "tanh")], seed=0)
        >>> data = activation_histogram_data(model, np.ones((4, 2)), bins=6)
        >>> artists = draw_activation_histograms(figure().add_subplot(), data)
        >>> artists["image"].get_array().shape, len(artists["stds"])
        ((2, 6), 2)
    """
    _style.style_axes(ax, title)
    n_layers = len(data.labels)
    extent = (data.value_range[0], data.value_range[1], n_layers + 0.5, 0.5)
    image = ax.imshow(np.sqrt(data.shares), aspect="auto", extent=extent, cmap=_style.colormap(_style.SEQUENTIAL),
                      vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_yticks(range(1, n_layers + 1))
    ax.set_yticklabels(data.labels)
    ax.set_ylabel("layer", fontsize=9)
    ax.set_xlabel("output value", fontsize=9)
    stds = [ax.text(1.02, 1.0 - (i + 0.5) / n_layers, f"{s:.2g}", transform=ax.transAxes, fontsize=7,
                    va="center", color=_style.TEXT_COLOR) for i, s in enumerate(data.stds)]
    header = ax.text(1.02, 1.02, "spread", transform=ax.transAxes, fontsize=7, color=_style.MUTED_COLOR)
    return {"image": image, "stds": stds, "header": header}


def update_activation_histograms(artists: dict[str, Any], data: ActivationHistogramData) -> None:
    """Show new histograms (same number of layers) in the artists of ``draw_activation_histograms``.

    Shapes: data.shares (n_layers, bins) -> None (the image changes in place).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Dense(2, 8, "tanh")], seed=0)
        >>> data = activation_histogram_data(model, np.ones((4, 2)))
        >>> artists = draw_activation_histograms(figure().add_subplot(), data)
        >>> update_activation_histograms(artists, activation_histogram_data(model, np.zeros((4, 2))))
        >>> artists["stds"][0].get_text()            # zero input, zero bias: every output 0
        '0'
    """
    artists["image"].set_data(np.sqrt(data.shares))
    for text, value in zip(artists["stds"], data.stds):
        text.set_text(f"{value:.2g}")


def draw_curves(ax: Any, curves: Mapping[str, Sequence[float]], *, log: bool = True, xlabel: str = "epoch",
                ylabel: str = "loss", title: str | None = None, colors: Sequence[str] = CURVE_COLORS,
                ylim: tuple[float, float] | None = None) -> dict[str, Any]:
    """Several named curves on one axes (losses of rival set-ups, or learning-rate schedules), with a legend.

    A curve with non-finite values is drawn up to its first one and marked with an x there.

    Shapes: each curve (n_k,) -> one Line2D per curve, x = 1 ... n_k.

    Example:
        >>> from nnlearn.plots import figure
        >>> artists = draw_curves(figure().add_subplot(), {"sgd": [1.0, 0.5, 0.25], "adam": [1.0, 0.1]})
        >>> [line.get_ydata().tolist() for line in artists["lines"]]
        [[1.0, 0.5, 0.25], [1.0, 0.1]]
    """
    _style.style_axes(ax, title)
    lines = []
    for k, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float)
        finite = np.isfinite(values)
        last = int(np.argmin(finite)) if not finite.all() else len(values)
        (line,) = ax.plot(np.arange(1, last + 1), values[:last], color=colors[k % len(colors)], linewidth=1.5,
                          label=label)
        lines.append(line)
        if last < len(values):
            ax.plot([last], [values[last - 1] if last else 1.0], "x", color=_style.WARNING_COLOR, markersize=8)
    if log:
        ax.set_yscale("log")
        ax.tick_params(which="both", labelsize=8, colors=_style.MUTED_COLOR)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel(xlabel, fontsize=9)
    ax.set_ylabel(ylabel, fontsize=9)
    if lines:
        ax.legend(fontsize=7, frameon=False)
    return {"lines": lines}


def update_curves(artists: dict[str, Any], curves: Mapping[str, Sequence[float]]) -> None:
    """Put new values into the lines of ``draw_curves`` (same names, same order) and rescale the axes.

    Shapes: each curve (n_k,) -> None (the lines change in place).

    Example:
        >>> from nnlearn.plots import figure
        >>> artists = draw_curves(figure().add_subplot(), {"loss": [1.0]})
        >>> update_curves(artists, {"loss": [1.0, 0.3, 0.2]})
        >>> artists["lines"][0].get_xdata().tolist()
        [1, 2, 3]
    """
    for line, values in zip(artists["lines"], curves.values()):
        values = np.asarray(values, dtype=float)
        keep = np.isfinite(values)
        line.set_data(np.arange(1, len(values) + 1)[keep], values[keep])
    if artists["lines"]:
        ax = artists["lines"][0].axes
        ax.relim()
        ax.autoscale_view()


@dataclass
class HealthPanelData(PlotData):
    """The numbers of a ``training_health`` report, one per layer, ready for bars.

    NaN marks a number that does not apply (no ReLU, no weights). ``title`` says what is shown (e.g. the epoch).

    Shapes: activation_std, gradient_std, dead_share, update_ratio (n_layers,); labels n_layers strings.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> model = nl.Sequential([nl.Dense(3, 4, "relu"), nl.Dense(4, 1)], seed=0)
        >>> data = health_panel_data(nl.training_health(model, np.ones((5, 3))))
        >>> data.labels, bool(np.isnan(data.dead_share[1]))
        (['1 Dense', '2 Dense'], True)
    """

    labels: list[str]
    activation_std: np.ndarray
    gradient_std: np.ndarray
    dead_share: np.ndarray
    update_ratio: np.ndarray
    title: str = ""


def health_panel_data(report: Any, title: str = "") -> HealthPanelData:
    """Pick the four per-layer numbers of a ``TrainingHealth`` report for ``draw_training_health``.

    Shapes: a report of n layers -> arrays (n_layers,).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> report = nl.training_health(nl.Sequential([nl.Dense(2, 2, "tanh")], seed=0), np.ones((3, 2)))
        >>> health_panel_data(report, "epoch 0").title
        'epoch 0'
    """
    labels = [f"{i + 1} {row.layer.split(' layer')[0]}" for i, row in enumerate(report.layers)]
    return HealthPanelData(labels=labels, activation_std=report.column("activation_std"),
                           gradient_std=report.column("gradient_std"), dead_share=report.column("dead_share"),
                           update_ratio=report.column("update_ratio"), title=title)


_PANELS = (
    ("activation_std", "activation spread", True, None),
    ("gradient_std", "gradient spread", True, None),
    ("dead_share", "dead ReLUs (share)", False, (0.0, 1.0)),
    ("update_ratio", "update / weight", True, None),
)


def _bar_values(values: np.ndarray, log: bool) -> np.ndarray:
    values = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0, posinf=0.0)
    return np.maximum(values, 1e-12) if log else values


def draw_training_health(axes: Sequence[Any], data: HealthPanelData, *,
                         log_limits: tuple[float, float] = (1e-8, 10.0)) -> dict[str, Any]:
    """Four bar charts, one bar per layer: activation spread, gradient spread, share of dead ReLUs and
    update-to-weight ratio (log scales except the share; a dashed line marks 1e-3 on the ratio).

    Shapes: four axes and data arrays (n_layers,) -> four BarContainers of n_layers bars.

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Dense(2, 3, "relu"), nl.Dense(3, 1)], seed=0)
        >>> report = nl.training_health(model, np.ones((4, 2)))
        >>> fig = figure((8, 2))
        >>> artists = draw_training_health(fig.subplots(1, 4), health_panel_data(report))
        >>> len(artists["bars"]), len(artists["bars"][0])
        (4, 2)
    """
    if len(axes) != 4:
        raise ValueError(f"draw_training_health needs 4 axes (one per number), but got {len(axes)}.")
    bars = []
    positions = np.arange(1, len(data.labels) + 1)
    for ax, (field, title, log, limits) in zip(axes, _PANELS):
        _style.style_axes(ax, title)
        container = ax.bar(positions, _bar_values(getattr(data, field), log), color=_style.POSITIVE, width=0.7)
        bars.append(container)
        if log:
            ax.set_yscale("log")
            ax.set_ylim(*log_limits)
        else:
            ax.set_ylim(*limits)
        ax.set_xticks(positions)
        ax.set_xticklabels([label.split()[0] for label in data.labels], fontsize=7)
        ax.set_xlabel("layer", fontsize=8)
    axes[3].axhline(1e-3, color=_style.MUTED_COLOR, linestyle="--", linewidth=0.8)
    suptitle = axes[0].figure.suptitle(data.title, fontsize=10, color=_style.TEXT_COLOR)
    return {"bars": bars, "title": suptitle}


def update_training_health(artists: dict[str, Any], data: HealthPanelData) -> None:
    """Set the bar heights of ``draw_training_health`` to a new report's numbers (same layers).

    Shapes: data arrays (n_layers,) -> None (the bars change in place).

    Example:
        >>> import numpy as np, nnlearn as nl
        >>> from nnlearn.plots import figure
        >>> model = nl.Sequential([nl.Dense(2, 3, "relu")], seed=0)
        >>> report = nl.training_health(model, np.ones((4, 2)))
        >>> artists = draw_training_health(figure().subplots(1, 4), health_panel_data(report))
        >>> model.layers[0].bias[:] = -50.0                      # every unit switched off
        >>> update_training_health(artists, health_panel_data(nl.training_health(model, np.ones((4, 2)))))
        >>> artists["bars"][2][0].get_height()
        1.0
    """
    for container, (field, _, log, _) in zip(artists["bars"], _PANELS):
        for bar, value in zip(container, _bar_values(getattr(data, field), log)):
            bar.set_height(float(value))
    artists["title"].set_text(data.title)

"""Where the word "neural" comes from: a sketch of a biological neuron next to the artificial unit's arithmetic.

Compute (NumPy only): ``biological_neuron_data(seed)`` gives the sketch's geometry (dendrites, cell body, axon,
myelin, synapses, labels); ``integrate_and_fire(current, ...)`` simulates a leaky integrate-and-fire cell, the simplest model of how a real
neuron turns input into spikes over time.
Draw: ``draw_biological_neuron(ax, data)``, ``draw_spike_trains(ax, trains)`` and
``neuron_and_unit_figure(neuron, x)``, the two side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..validation import as_float_array, check_positive_int
from . import _style
from ._grid import PlotData

__all__ = [
    "BiologicalNeuronData",
    "SpikeTrains",
    "biological_neuron_data",
    "draw_biological_neuron",
    "draw_spike_trains",
    "integrate_and_fire",
    "neuron_and_unit_figure",
]

DENDRITE_COLOR = "#5b8fb9"
SOMA_COLOR = "#f4c7a1"
AXON_COLOR = "#8c6d46"
MYELIN_COLOR = "#efe3b8"
SYNAPSE_COLOR = "#c0392b"


@dataclass
class BiologicalNeuronData(PlotData):
    """The geometry of a neuron sketch, in data units (the cell body sits at the origin, the axon runs right).

    - ``dendrites``: (n, 2, 2) segments of the branching input tree, ``dendrite_widths`` (n,) thinner at the tips;
      ``dendrite_tips`` (k, 2), where other cells' synapses would land.
    - ``soma_center``, ``soma_radius``; ``nucleus_center``, ``nucleus_radius``.
    - ``axon``: (m, 2) points of the axon's path from the cell body to where it branches.
    - ``myelin``: (j, 2) start and end x of each insulating sheath along the axon (gaps are the nodes of Ranvier).
    - ``terminals``: (t, 2, 2) segments of the axon's end branches; ``synapses`` (t, 2) their end points.
    - ``labels``: name -> (point pointed at, where the text sits, the text).
    """

    dendrites: np.ndarray
    dendrite_widths: np.ndarray
    dendrite_tips: np.ndarray
    soma_center: np.ndarray
    soma_radius: float
    nucleus_center: np.ndarray
    nucleus_radius: float
    axon: np.ndarray
    myelin: np.ndarray
    terminals: np.ndarray
    synapses: np.ndarray
    labels: dict[str, tuple[tuple[float, float], tuple[float, float], str]] = field(default_factory=dict)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(x_min, x_max, y_min, y_max) around every part of the sketch."""
        points = np.concatenate([self.dendrites.reshape(-1, 2), self.axon, self.terminals.reshape(-1, 2)])
        return (float(points[:, 0].min()), float(points[:, 0].max()), float(points[:, 1].min()),
                float(points[:, 1].max()))


def _branch(start: np.ndarray, angle: float, length: float, width: float, depth: int, rng: np.random.Generator,
            segments: list, widths: list, tips: list) -> None:
    """Grow one dendrite branch and, while depth allows, two thinner children that fork off it."""
    end = start + length * np.array([np.cos(angle), np.sin(angle)])
    segments.append(np.stack([start, end]))
    widths.append(width)
    if depth == 0:
        tips.append(end)
        return
    for side in (-1.0, 1.0):
        spread = np.deg2rad(22.0 + 10.0 * rng.random())  # a little irregular, as real dendrites are
        _branch(end, angle + side * spread, length * (0.55 + 0.1 * rng.random()), width * 0.6, depth - 1, rng,
                segments, widths, tips)


def biological_neuron_data(seed: int = 0, *, n_dendrites: int = 5, depth: int = 2,
                           axon_length: float = 4.2) -> BiologicalNeuronData:
    """Geometry for a labelled sketch of a neuron: dendrites, cell body, axon with myelin, and synapses.

    A stylised drawing, not anatomy: real neurons have thousands of branches and synapses.

    Shapes: dendrites (n_dendrites * (2**(depth+1) - 1), 2, 2); synapses (4, 2).

    Example:
        >>> data = biological_neuron_data(seed=0, n_dendrites=5, depth=2)
        >>> data.dendrites.shape, data.dendrite_tips.shape, data.synapses.shape
        ((35, 2, 2), (20, 2), (4, 2))
    """
    n_dendrites = check_positive_int(n_dendrites, "n_dendrites")
    if int(depth) < 0:
        raise ValueError(f"depth must be 0 or more levels of branching, but got {depth}.")
    rng = np.random.default_rng(seed)
    soma_radius = 0.5
    segments: list[np.ndarray] = []
    widths: list[float] = []
    tips: list[np.ndarray] = []
    # Dendrites leave the cell body over its left side, fanned evenly between 115 and 245 degrees.
    for angle in np.deg2rad(np.linspace(115.0, 245.0, n_dendrites)):
        start = soma_radius * np.array([np.cos(angle), np.sin(angle)])
        _branch(start, angle + np.deg2rad(rng.uniform(-6, 6)), 0.75 + 0.2 * rng.random(), 3.2, int(depth), rng,
                segments, widths, tips)

    axon_start, axon_end = soma_radius, soma_radius + float(axon_length)
    x = np.linspace(axon_start, axon_end, 60)
    axon = np.column_stack([x, 0.06 * np.sin(2.0 * (x - axon_start))])  # a gentle wave: it is a living cable
    n_sheaths = 4
    sheath = (axon_end - axon_start - 1.0) / n_sheaths
    myelin = np.array([[axon_start + 0.6 + k * sheath, axon_start + 0.6 + (k + 0.8) * sheath]
                       for k in range(n_sheaths)])
    fork = axon[-1]
    terminal_angles = np.deg2rad(np.array([-45.0, -15.0, 15.0, 45.0]))
    ends = fork + 0.7 * np.column_stack([np.cos(terminal_angles), np.sin(terminal_angles)])
    terminals = np.stack([np.repeat(fork[None], len(ends), axis=0), ends], axis=1)

    tips_array = np.array(tips)
    far_tip = tips_array[np.argmin(tips_array[:, 0])]
    labels = {
        "dendrites": ((float(far_tip[0]) + 0.1, float(far_tip[1])), (-2.3, 1.75), "dendrites\n(inputs arrive)"),
        "cell body": ((0.0, soma_radius), (0.0, 1.45), "cell body\n(adds them up)"),
        "axon": ((float(myelin[1, 1]) + 0.1, 0.0), (2.3, -1.3), "axon\n(carries spikes)"),
        "myelin": ((float(myelin[0].mean()), 0.12), (1.3, 1.05), "myelin"),
        "synapses": ((float(ends[0, 0]), float(ends[0, 1])), (4.8, -1.3), "synapses\n(strength ≈ weight)"),
    }
    return BiologicalNeuronData(
        dendrites=np.array(segments), dendrite_widths=np.array(widths), dendrite_tips=tips_array,
        soma_center=np.zeros(2), soma_radius=soma_radius, nucleus_center=np.array([-0.08, 0.06]),
        nucleus_radius=0.18, axon=axon, myelin=myelin, terminals=terminals, synapses=ends, labels=labels,
    )


@dataclass
class SpikeTrains(PlotData):
    """Leaky integrate-and-fire runs, one per input current.

    ``voltage`` (n_currents, n_steps) is the membrane potential (rest 0, threshold 1); ``spikes`` lists, per
    current, the times of the spikes; ``rates`` (n_currents,) are spikes per unit time.
    """

    currents: np.ndarray
    time: np.ndarray
    voltage: np.ndarray
    spikes: list[np.ndarray]
    rates: np.ndarray
    threshold: float


def integrate_and_fire(current: Any, duration: float = 100.0, dt: float = 0.1, *, time_constant: float = 10.0,
                       threshold: float = 1.0, refractory: float = 2.0) -> SpikeTrains:
    """Simulate the simplest spiking neuron for each constant input ``current``.

    The membrane potential v leaks towards the input: dv/dt = (current - v) / time_constant. When v reaches the
    threshold the cell fires a spike (all or nothing), v resets to 0 and stays there for ``refractory`` time units.
    A current at or below the threshold never fires; above it, the firing rate grows with the current.

    Shapes: current (n,) -> voltage (n, round(duration / dt)); rates (n,).

    Example:
        >>> trains = integrate_and_fire([0.5, 2.0], duration=100.0)
        >>> trains.rates.round(3).tolist()    # below threshold: silent; above: one spike every ~8.9 time units
        [0.0, 0.11]
    """
    currents = as_float_array(current, "current").reshape(-1)
    if not (duration > 0 and dt > 0 and time_constant > 0 and threshold > 0 and refractory >= 0):
        raise ValueError("duration, dt, time_constant and threshold must be positive and refractory not negative, "
                         f"but got {duration}, {dt}, {time_constant}, {threshold} and {refractory}.")
    n_steps = int(round(duration / dt))
    time = np.arange(n_steps) * dt
    voltage = np.zeros((len(currents), n_steps))
    v = np.zeros(len(currents))
    quiet_until = np.full(len(currents), -np.inf)
    fired: list[list[float]] = [[] for _ in currents]
    for step, t in enumerate(time):
        resting = t < quiet_until
        v = np.where(resting, 0.0, v + dt * (currents - v) / time_constant)
        spiking = v >= threshold
        for k in np.flatnonzero(spiking):
            fired[k].append(float(t))
        v = np.where(spiking, 0.0, v)
        quiet_until = np.where(spiking, t + refractory, quiet_until)
        voltage[:, step] = np.where(spiking, threshold * 1.6, v)  # draw the spike as a tall spike
    spikes = [np.array(times) for times in fired]
    rates = np.array([len(times) / duration for times in spikes])
    return SpikeTrains(currents=currents, time=time, voltage=voltage, spikes=spikes, rates=rates,
                       threshold=float(threshold))


# ---------------------------------------------------------------------------------------------------- drawing
def draw_biological_neuron(ax: Any, data: BiologicalNeuronData, *, labels: bool = True) -> dict[str, Any]:
    """Draw the sketch on ``ax``: dendrites, cell body with nucleus, axon, myelin sheaths, terminals, synapses.

    Returns the artists: 'dendrites', 'axon', 'terminals' (collections and a line), 'soma', 'nucleus',
    'myelin' (list of patches), 'synapses' (a scatter), 'labels' (name -> Annotation).

    Shapes: the arrays of data (see BiologicalNeuronData) -> dict of artists.

    Example:
        >>> from nnlearn.plots import figure
        >>> data = biological_neuron_data(seed=0, n_dendrites=5, depth=2)
        >>> artists = draw_biological_neuron(figure().add_subplot(), data)
        >>> len(artists["dendrites"].get_segments()), len(artists["myelin"]), artists["synapses"].get_offsets().shape
        (35, 4, (4, 2))
        >>> sorted(artists["labels"])
        ['axon', 'cell body', 'dendrites', 'myelin', 'synapses']
    """
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Circle, FancyBboxPatch

    _style.style_axes(ax, frame=False)
    ax.set_xticks([])
    ax.set_yticks([])
    dendrites = LineCollection(data.dendrites, linewidths=data.dendrite_widths, colors=DENDRITE_COLOR,
                               capstyle="round", zorder=1)
    ax.add_collection(dendrites, autolim=False)
    (axon,) = ax.plot(data.axon[:, 0], data.axon[:, 1], color=AXON_COLOR, linewidth=2.5, zorder=1,
                      solid_capstyle="round")
    myelin = []
    for start, end in data.myelin:
        patch = FancyBboxPatch((start, -0.13), end - start, 0.26, boxstyle="round,pad=0,rounding_size=0.12",
                               facecolor=MYELIN_COLOR, edgecolor=AXON_COLOR, linewidth=1.0, zorder=2)
        ax.add_patch(patch)
        myelin.append(patch)
    terminals = LineCollection(data.terminals, linewidths=1.8, colors=AXON_COLOR, capstyle="round", zorder=1)
    ax.add_collection(terminals, autolim=False)
    synapses = ax.scatter(data.synapses[:, 0], data.synapses[:, 1], s=60, color=SYNAPSE_COLOR, zorder=3,
                          edgecolors="white", linewidths=0.8)
    soma = Circle(tuple(data.soma_center), data.soma_radius, facecolor=SOMA_COLOR, edgecolor=AXON_COLOR,
                  linewidth=1.5, zorder=3)
    nucleus = Circle(tuple(data.nucleus_center), data.nucleus_radius, facecolor="#b07d62", edgecolor="none",
                     zorder=4)
    ax.add_patch(soma)
    ax.add_patch(nucleus)
    annotations = {}
    if labels:
        for name, (point, text_at, text) in data.labels.items():
            annotations[name] = ax.annotate(
                text, xy=point, xytext=text_at, ha="center", va="center", fontsize=8, color=_style.TEXT_COLOR,
                arrowprops={"arrowstyle": "-", "color": _style.MUTED_COLOR, "linewidth": 0.8}, zorder=5,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9},
            )
    x_min, x_max, y_min, y_max = data.extent
    ax.set_xlim(min(x_min, -2.9) - 0.2, x_max + 0.5)
    ax.set_ylim(min(y_min, -1.6) - 0.2, max(y_max, 1.9) + 0.2)
    ax.set_aspect("equal")
    return {"dendrites": dendrites, "axon": axon, "myelin": myelin, "terminals": terminals, "synapses": synapses,
            "soma": soma, "nucleus": nucleus, "labels": annotations}


def draw_spike_trains(ax: Any, trains: SpikeTrains) -> dict[str, Any]:
    """Draw each run's membrane potential as a trace, stacked one above the other, labelled by its current.

    Returns {'traces': list of Line2D, 'labels': list of Text}.

    Shapes: trains.voltage (n_currents, n_steps) -> n_currents traces of n_steps points each.

    Example:
        >>> from nnlearn.plots import figure
        >>> trains = integrate_and_fire([0.5, 2.0], duration=100.0)
        >>> artists = draw_spike_trains(figure().add_subplot(), trains)
        >>> artists["traces"][1].get_ydata().shape                    # 100 time units in steps of 0.1
        (1000,)
        >>> [label.get_text() for label in artists["labels"]]      # below threshold silent, above it firing
        ['input 0.5\\n0 spikes', 'input 2.0\\n11 spikes']
    """
    _style.style_axes(ax, frame=False)
    ax.set_yticks([])
    traces, labels = [], []
    step = trains.threshold * 2.0
    for k, current in enumerate(trains.currents):
        offset = (len(trains.currents) - 1 - k) * step
        (line,) = ax.plot(trains.time, trains.voltage[k] + offset, color=_style.TEXT_COLOR, linewidth=0.9)
        traces.append(line)
        labels.append(ax.text(trains.time[-1] * 1.01, offset + 0.3 * trains.threshold,
                              f"input {current:.1f}\n{len(trains.spikes[k])} spikes", fontsize=7,
                              color=_style.MUTED_COLOR, va="center"))
    ax.set_xlabel("time", fontsize=8, color=_style.MUTED_COLOR)
    ax.set_xlim(0, trains.time[-1] * 1.18)
    ax.set_ylim(-0.3, len(trains.currents) * step)
    return {"traces": traces, "labels": labels}


def _readable_values(artists: dict[str, Any]) -> None:
    """White value text on dark nodes, dark text on light ones."""
    faces = artists["nodes"].to_rgba(artists["nodes"].get_array())
    for text, face in zip(artists["values"], faces):
        luminance = 0.299 * face[0] + 0.587 * face[1] + 0.114 * face[2]
        text.set_color("white" if luminance < 0.5 else _style.TEXT_COLOR)


def neuron_and_unit_figure(neuron: Any, x: Any, *, seed: int = 0, figsize: tuple[float, float] = (9.0, 3.6),
                           dpi: float = 90) -> Any:
    """A figure with the biological sketch on the left and the artificial unit on the right.

    The unit is drawn with the network diagram (inputs, one edge per weight, its live values) and written out as
    arithmetic underneath (``weighted_sum_text``).

    Shapes: neuron.weights (n_inputs,), x (n_inputs,) -> a Figure with two axes.

    Example:
        >>> import nnlearn as nl
        >>> neuron = nl.Neuron([0.5, -1.0], bias=0.25, activation="relu")
        >>> fig = neuron_and_unit_figure(neuron, [2.0, 1.0])
        >>> [ax.get_title() for ax in fig.axes]
        ['a biological neuron (a sketch)', 'an artificial unit (arithmetic)']
        >>> print(fig.axes[1].texts[-1].get_text())    # 0.5*2 - 1*1 + 0.25 = 0.25
        z = 0.50*2.00 + (-1.00)*1.00 + 0.25 = 0.25
        relu(z) = 0.25
    """
    from .network import draw_network_diagram, network_diagram_data
    from .neuron import weighted_sum_text

    fig = _style.figure(figsize=figsize, dpi=dpi)
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.55, 1.0]})
    draw_biological_neuron(left, biological_neuron_data(seed))
    left.set_title("a biological neuron (a sketch)", fontsize=10, color=_style.TEXT_COLOR)
    data = network_diagram_data(neuron, np.asarray(x, dtype=float))
    artists = draw_network_diagram(right, data, node_size=700.0)
    for k in range(len(data.weights)):
        (x0, y0), (x1, y1) = data.segments[k]
        right.text(x0 + 0.45 * (x1 - x0), y0 + 0.45 * (y1 - y0), f"w{k + 1} = {data.weights[k]:.2f}",
                   fontsize=7, ha="center", va="center", color=_style.TEXT_COLOR, zorder=4,
                   bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"})
    _readable_values(artists)
    artists["labels"][-1].set_text(f"y  ({neuron.activation.name})")
    lowest = right.get_ylim()[0]
    right.set_ylim(lowest - 1.1, right.get_ylim()[1])
    arithmetic = weighted_sum_text(neuron.weights, x, neuron.bias, neuron.activation).replace(";  ", "\n")
    right.text(0.5, lowest - 0.6, arithmetic, ha="center", va="center", fontsize=8,
               family="monospace", color=_style.TEXT_COLOR)
    right.set_title("an artificial unit (arithmetic)", fontsize=10, color=_style.TEXT_COLOR)
    fig.tight_layout()
    return fig

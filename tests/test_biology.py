"""The biological neuron sketch, the integrate-and-fire model, and the figure that puts a cell beside a unit."""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.plots import biology
from nnlearn.plots._style import figure


def test_sketch_geometry_branches_from_the_cell_body():
    data = biology.biological_neuron_data(seed=0, n_dendrites=4, depth=1)
    # Each primary dendrite forks once into two: 4 * (1 + 2) segments and 4 * 2 tips.
    assert data.dendrites.shape == (12, 2, 2)
    assert data.dendrite_tips.shape == (8, 2)
    # Every primary branch starts on the cell body's outline, on its left side (the axon leaves on the right).
    starts = data.dendrites[[0, 3, 6, 9], 0]
    np.testing.assert_allclose(np.hypot(starts[:, 0], starts[:, 1]), data.soma_radius)
    assert (starts[:, 0] < 0).all()
    # Every child starts where some other segment ends: the tree is connected.
    ends = data.dendrites[:, 1]
    for segment in data.dendrites:
        on_soma = np.isclose(np.hypot(*segment[0]), data.soma_radius)
        assert on_soma or np.isclose(ends, segment[0]).all(axis=1).any()
    # Widths thin out towards the tips.
    assert data.dendrite_widths[0] > data.dendrite_widths[1] > 0


def test_axon_runs_right_from_the_cell_body_to_the_synapses():
    data = biology.biological_neuron_data(seed=3, axon_length=4.0)
    assert data.axon[0, 0] == pytest.approx(data.soma_radius)
    assert data.axon[-1, 0] == pytest.approx(data.soma_radius + 4.0)
    assert (np.diff(data.axon[:, 0]) > 0).all()
    # Myelin sheaths sit on the axon, in order, with gaps (nodes of Ranvier) between them.
    assert (data.myelin[:, 0] < data.myelin[:, 1]).all()
    assert (data.myelin[1:, 0] > data.myelin[:-1, 1]).all()
    assert data.myelin.min() > data.axon[0, 0] and data.myelin.max() < data.axon[-1, 0]
    # The terminals leave from the axon's end and end at the synapses.
    np.testing.assert_allclose(data.terminals[:, 0], np.repeat(data.axon[-1:], 4, axis=0))
    np.testing.assert_allclose(data.terminals[:, 1], data.synapses)
    assert set(data.labels) == {"dendrites", "cell body", "axon", "myelin", "synapses"}


def test_same_seed_same_sketch_and_bad_arguments_are_explained():
    a, b = biology.biological_neuron_data(seed=5), biology.biological_neuron_data(seed=5)
    np.testing.assert_array_equal(a.dendrites, b.dendrites)
    assert not np.array_equal(a.dendrites, biology.biological_neuron_data(seed=6).dendrites)
    with pytest.raises(ValueError, match="depth"):
        biology.biological_neuron_data(depth=-1)


def test_draw_biological_neuron_shows_the_computed_geometry():
    data = biology.biological_neuron_data(seed=0)
    ax = figure().add_subplot()
    artists = biology.draw_biological_neuron(ax, data)
    np.testing.assert_allclose(np.array(artists["dendrites"].get_segments()), data.dendrites)
    np.testing.assert_allclose(artists["dendrites"].get_linewidths(), data.dendrite_widths)
    np.testing.assert_allclose(np.column_stack(artists["axon"].get_data()), data.axon)
    np.testing.assert_allclose(artists["synapses"].get_offsets(), data.synapses)
    assert artists["soma"].radius == data.soma_radius
    assert len(artists["myelin"]) == len(data.myelin)
    assert artists["labels"]["synapses"].get_text() == "synapses\n(strength ≈ weight)"


def test_integrate_and_fire_hand_worked_rate():
    # With v(0) = 0 and dv/dt = (I - v) / tau, v reaches the threshold 1 at t = tau * ln(I / (I - 1)).
    # For I = 2, tau = 10: t = 10 ln 2 = 6.93; plus the refractory 2 gives one spike every ~8.9 time units,
    # so about 100 / 8.9 = 11 spikes in 100 time units (Euler steps of 0.1 shift each by at most a step).
    trains = biology.integrate_and_fire([2.0], duration=100.0, dt=0.1, time_constant=10.0, refractory=2.0)
    assert len(trains.spikes[0]) == 11
    assert trains.spikes[0][0] == pytest.approx(10 * np.log(2.0), abs=0.15)
    assert np.diff(trains.spikes[0]) == pytest.approx(np.full(10, 10 * np.log(2.0) + 2.0), abs=0.25)


def test_integrate_and_fire_is_silent_below_threshold_and_faster_above():
    trains = biology.integrate_and_fire([0.5, 1.0, 1.5, 3.0, 6.0])
    assert trains.rates[0] == 0.0 and trains.rates[1] == 0.0  # v never reaches 1
    assert (np.diff(trains.rates[1:]) > 0).all()
    assert trains.voltage.shape == (5, 1000)
    assert trains.voltage[0].max() < 0.5 + 1e-9  # leaks towards the input, never beyond it
    with pytest.raises(ValueError, match="positive"):
        biology.integrate_and_fire([1.0], dt=0.0)


def test_draw_spike_trains_stacks_one_trace_per_current():
    trains = biology.integrate_and_fire([0.8, 2.0])
    artists = biology.draw_spike_trains(figure().add_subplot(), trains)
    assert len(artists["traces"]) == 2
    # The first current is drawn on top, offset by two thresholds.
    np.testing.assert_allclose(artists["traces"][0].get_ydata(), trains.voltage[0] + 2.0)
    np.testing.assert_allclose(artists["traces"][1].get_ydata(), trains.voltage[1])
    assert artists["labels"][1].get_text() == f"input 2.0\n{len(trains.spikes[1])} spikes"


def test_neuron_and_unit_figure_writes_the_units_arithmetic():
    neuron = nl.Neuron([0.5, -1.0], bias=0.25, activation="relu")
    fig = biology.neuron_and_unit_figure(neuron, [2.0, 0.5])
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    # z = 0.5*2 + (-1)*0.5 + 0.25 = 0.75 and relu(0.75) = 0.75
    assert "z = 0.50*2.00 + (-1.00)*0.50 + 0.25 = 0.75\nrelu(z) = 0.75" in texts
    assert "w1 = 0.50" in texts and "w2 = -1.00" in texts
    assert "0.75" in texts  # the output node shows its live value

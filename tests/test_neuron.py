import numpy as np
import pytest

import nnlearn as nl


def test_weighted_sum_hand_worked():
    n = nl.Neuron([2.0, -1.0], bias=0.5, activation="sigmoid")
    assert n.weighted_sum([1.0, 3.0]) == pytest.approx(-0.5)  # 2*1 - 1*3 + 0.5
    assert n([1.0, 3.0]) == pytest.approx(1 / (1 + np.exp(0.5)))
    assert isinstance(n([1.0, 3.0]), float)


def test_batch_gives_one_value_per_sample():
    n = nl.Neuron(np.array([1.0, 1.0]), 0.0, "relu")
    out = n(np.array([[1.0, 2.0], [-3.0, 1.0]]))
    assert out.shape == (2,)
    np.testing.assert_allclose(out, [3.0, 0.0])


def test_wrong_shape_says_what_it_expected():
    n = nl.Neuron([1.0, 2.0], 0.0)
    with pytest.raises(ValueError, match=r"expects x of shape \(2,\) or \(batch, 2\), but got \(3,\)"):
        n([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="strings"):
        n(np.array(["a", "b"]))

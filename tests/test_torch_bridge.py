"""to_torch: the PyTorch model computes the same function with the same weights."""

import subprocess
import sys

import numpy as np
import pytest

import nnlearn as nl

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("activation", [a for a in nl.activations.names() if a not in ("step", "softmax")])
def test_dense_network_predictions_equal(activation, rng):
    model = nl.Sequential(
        [nl.Dense(3, 6, activation), nl.Dropout(0.2), nl.Dense(6, 4, activation), nl.Dense(4, 3, "softmax")], seed=1
    )
    torch_model = nl.to_torch(model)
    x = rng.normal(size=(10, 3))
    np.testing.assert_allclose(torch_model(torch.tensor(x)).detach().numpy(), model.predict(x), rtol=1e-12)
    # same weights, copied (changing ours afterwards does not change theirs)
    np.testing.assert_array_equal(torch_model[0].weight.detach().numpy(), model.layers[0].weights.T)


def test_flatten_and_a_trained_model(rng):
    x, y = nl.datasets.moons(n=100, seed=0)
    model = nl.Sequential([nl.Dense(2, 8, "tanh"), nl.Dense(8, 1, "sigmoid")], seed=0)
    model.fit(x, y, "bce", optimizer="adam", lr=0.05, epochs=30, progress=False)
    out = nl.to_torch(model)(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(out, model.predict(x), rtol=1e-12)
    images = rng.normal(size=(4, 2, 3, 3))
    flat = nl.Sequential([nl.Flatten(), nl.Dense(18, 2)], seed=0)
    np.testing.assert_allclose(nl.to_torch(flat)(torch.tensor(images)).detach().numpy(), flat.predict(images))


def test_unsupported_activation_is_a_clear_error():
    with pytest.raises(ValueError, match="'step' activation"):
        nl.to_torch(nl.Sequential([nl.Dense(2, 2, "step")]))


def test_importing_through_to_torch_keeps_omp_threads_passive():
    code = (
        "import os, nnlearn as nl; m = nl.Sequential([nl.Dense(2, 2)]); nl.to_torch(m); "
        "print(os.environ.get('OMP_WAIT_POLICY'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "PASSIVE"


def test_cnn_predictions_equal(rng):
    model = nl.Sequential(
        [
            nl.Conv2D(1, 4, 3, padding=1, activation="relu"),
            nl.MaxPool2D(2),
            nl.Conv2D(4, 6, (3, 2), stride=(2, 1), activation="tanh"),
            nl.Flatten(),
            nl.Dropout(0.5),
            nl.Dense(6 * 1 * 3, 3, "softmax")  # 8x8 -> pool 4x4 -> (4-3)//2+1 = 1 by (4-2)+1 = 3,
        ],
        seed=0,
    )
    images = rng.normal(size=(5, 1, 8, 8))
    torch_model = nl.to_torch(model)
    np.testing.assert_allclose(torch_model(torch.tensor(images)).detach().numpy(), model.predict(images), rtol=1e-10)

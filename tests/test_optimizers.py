"""Optimizers: hand-worked steps, in-place updates, and PyTorch's exact steps where torch is installed."""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.optimizers import SGD, Adam


def one_weight_model(value=1.0, grad=0.5):
    model = nl.Sequential([nl.Dense(1, 1)])
    model.layers[0].weights[:] = value
    model.layers[0].grad_weights = np.array([[grad]])
    model.layers[0].grad_bias = np.array([0.0])
    return model


def test_sgd_updates_in_place():
    model = one_weight_model()
    weights = model.layers[0].weights
    SGD(0.1).step(model)
    assert model.layers[0].weights is weights
    np.testing.assert_allclose(weights, [[0.95]])


def test_momentum_hand_worked():
    model = one_weight_model(grad=1.0)
    opt = SGD(0.1, momentum=0.9)
    opt.step(model)  # velocity 1, w = 1 - 0.1
    opt.step(model)  # velocity 0.9 + 1 = 1.9, w = 0.9 - 0.19
    np.testing.assert_allclose(model.layers[0].weights, [[0.71]])


def test_adam_first_step_is_lr_times_sign():
    # after bias correction the first step is lr * g / (|g| + eps) = lr * sign(g)
    model = one_weight_model(grad=-3.0)
    Adam(0.01).step(model)
    np.testing.assert_allclose(model.layers[0].weights, [[1.01]], rtol=1e-9)


@pytest.mark.parametrize("lr", [0, -1, float("nan"), float("inf")])
def test_bad_learning_rates(lr):
    with pytest.raises(ValueError, match="positive finite number"):
        SGD(lr)
    with pytest.raises(ValueError):
        Adam(lr)


def test_get_names():
    assert nl.optimizers.get("momentum", 0.1).momentum == 0.9
    assert isinstance(nl.optimizers.get("adam"), Adam)
    with pytest.raises(ValueError, match="Valid names: adam, momentum, sgd"):
        nl.optimizers.get("rmsprop")


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_steps_equal_pytorch(name, rng):
    torch = pytest.importorskip("torch")
    model = nl.Sequential([nl.Dense(3, 4, "tanh"), nl.Dense(4, 2)], seed=0)
    params = [torch.tensor(p.copy(), requires_grad=True) for p in model.parameters().values()]
    lr = 0.05
    if name == "adam":
        ours, theirs = Adam(lr), torch.optim.Adam(params, lr=lr)
    else:
        momentum = 0.9 if name == "momentum" else 0.0
        ours, theirs = SGD(lr, momentum=momentum), torch.optim.SGD(params, lr=lr, momentum=momentum)
    for _ in range(5):
        grads = [rng.normal(size=p.shape) for p in model.parameters().values()]
        for layer in model.layers:
            layer.grad_weights, layer.grad_bias = grads[0], grads[1]
            grads = grads[2:]
        theirs.zero_grad()
        for p, layer_grads in zip(params, [g for layer in model.layers for g in (layer.grad_weights, layer.grad_bias)]):
            p.grad = torch.tensor(layer_grads)
        ours.step(model)
        theirs.step()
    for ours_p, theirs_p in zip(model.parameters().values(), params):
        np.testing.assert_allclose(ours_p, theirs_p.detach().numpy(), rtol=1e-12, atol=1e-14)

"""Optimizers: hand-worked steps, in-place updates, and PyTorch's exact steps where torch is installed."""

import numpy as np
import pytest

import nnlearn as nl
from nnlearn.optimizers import SGD, Adam, AdamW, RMSprop


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
    assert isinstance(nl.optimizers.get("rmsprop"), RMSprop)
    assert isinstance(nl.optimizers.get("adamw"), AdamW)
    with pytest.raises(ValueError, match="Valid names: adam, adamw, momentum, rmsprop, sgd. Did you mean 'rmsprop'"):
        nl.optimizers.get("rmsprob")


def test_names_are_all_accepted_by_get_and_fit():
    assert nl.optimizers.names() == ["sgd", "momentum", "rmsprop", "adam", "adamw"]
    x, y = nl.datasets.moons(n=40, noise=0.1, seed=0)
    for name in nl.optimizers.names():
        model = nl.Sequential([nl.Dense(2, 6, "tanh"), nl.Dense(6, 1, "sigmoid")], seed=0)
        history = model.fit(x, y, "bce", optimizer=name, lr=0.05, epochs=30, progress=False)
        assert history.loss[-1] < history.loss[0], name


def test_rmsprop_hand_worked():
    # mean_square = 0.01 * g^2 after one step, so the step is lr * g / (0.1 |g|) = 10 lr sign(g)
    model = one_weight_model(grad=2.0)
    RMSprop(0.01, eps=1e-300).step(model)
    np.testing.assert_allclose(model.layers[0].weights, [[1.0 - 0.1]], rtol=1e-12)
    # second step, gradient 2 again: mean_square = 0.99 * 0.04 + 0.01 * 4 = 0.0796; step 2 / sqrt(0.0796)
    opt = RMSprop(0.01, eps=1e-300)
    model = one_weight_model(grad=2.0)
    opt.step(model)
    opt.step(model)
    np.testing.assert_allclose(model.layers[0].weights, [[0.9 - 0.01 * 2.0 / np.sqrt(0.0796)]], rtol=1e-12)


def test_rmsprop_evens_out_steps_across_scales():
    # Two weights whose gradients differ by a factor 1000 take steps of the same size.
    model = nl.Sequential([nl.Dense(2, 1)])
    model.layers[0].weights[:] = 0.0
    model.layers[0].grad_weights = np.array([[1000.0], [1.0]])
    model.layers[0].grad_bias = np.array([0.0])
    RMSprop(0.01).step(model)
    moved = -model.layers[0].weights[:, 0]
    np.testing.assert_allclose(moved[0], moved[1], rtol=1e-6)


def test_adamw_decays_weights_even_with_zero_gradient():
    model = one_weight_model(value=2.0, grad=0.0)
    AdamW(0.1, weight_decay=0.5).step(model)   # 2 * (1 - 0.1 * 0.5); Adam's step of a zero gradient is 0
    np.testing.assert_allclose(model.layers[0].weights, [[1.9]], rtol=1e-12)


def test_adamw_without_decay_is_adam(rng):
    grads = rng.normal(size=(4, 1, 1))
    a, b = one_weight_model(), one_weight_model()
    opt_a, opt_b = Adam(0.01), AdamW(0.01, weight_decay=0.0)
    for g in grads:
        for model, opt in ((a, opt_a), (b, opt_b)):
            model.layers[0].grad_weights = g.copy()
            opt.step(model)
    np.testing.assert_array_equal(a.layers[0].weights, b.layers[0].weights)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "rmsprop", "rmsprop_momentum", "adamw"])
def test_steps_equal_pytorch(name, rng):
    torch = pytest.importorskip("torch")
    model = nl.Sequential([nl.Dense(3, 4, "tanh"), nl.Dense(4, 2)], seed=0)
    params = [torch.tensor(p.copy(), requires_grad=True) for p in model.parameters().values()]
    lr = 0.05
    if name == "adam":
        ours, theirs = Adam(lr), torch.optim.Adam(params, lr=lr)
    elif name == "adamw":
        ours, theirs = AdamW(lr, weight_decay=0.1), torch.optim.AdamW(params, lr=lr, weight_decay=0.1)
    elif name.startswith("rmsprop"):
        momentum = 0.8 if name.endswith("momentum") else 0.0
        ours, theirs = RMSprop(lr, momentum=momentum), torch.optim.RMSprop(params, lr=lr, momentum=momentum)
    else:
        momentum = 0.9 if name == "momentum" else 0.0
        ours, theirs = SGD(lr, momentum=momentum), torch.optim.SGD(params, lr=lr, momentum=momentum)
    for _ in range(8):
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

"""Agreement with PyTorch (float64) where it is installed: activations, losses, Dense, whole networks."""

import numpy as np
import pytest

import nnlearn as nl

torch = pytest.importorskip("torch")
F = torch.nn.functional

TORCH_ACTIVATIONS = {
    "identity": lambda z: z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
    "elu": lambda z: F.elu(z, alpha=1.0),
    "softplus": F.softplus,
    "softmax": lambda z: torch.softmax(z, dim=-1),
    "gelu": F.gelu,
    "step": lambda z: (z > 0).double(),
}


def test_every_registered_activation_has_a_reference():
    assert set(nl.activations.names()) == set(TORCH_ACTIVATIONS)


@pytest.mark.parametrize("name", nl.activations.names())
def test_activation_forward_and_backward(name, rng):
    z = rng.normal(scale=3, size=(6, 5))
    grad_output = rng.normal(size=z.shape)
    zt = torch.tensor(z, requires_grad=True)
    out = TORCH_ACTIVATIONS[name](zt)
    act = nl.activations.get(name)
    np.testing.assert_allclose(act(z), out.detach().numpy(), rtol=1e-12, atol=1e-12)
    if name == "step":
        return  # torch cannot differentiate a comparison; ours is 0, checked in test_layers
    out.backward(torch.tensor(grad_output))
    np.testing.assert_allclose(act.backward(z, grad_output), zt.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_losses_equal_torch(rng):
    p = rng.normal(size=(7, 3))
    t = rng.normal(size=(7, 3))
    pt = torch.tensor(p, requires_grad=True)
    ref = F.mse_loss(pt, torch.tensor(t))
    ref.backward()
    mse = nl.losses.get("mse")
    assert mse(p, t) == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(mse.gradient(p, t), pt.grad.numpy(), rtol=1e-12)

    probs = rng.uniform(0.01, 0.99, size=(7, 1))
    labels = rng.integers(0, 2, size=7).astype(float)
    pt = torch.tensor(probs, requires_grad=True)
    ref = F.binary_cross_entropy(pt, torch.tensor(labels).reshape(-1, 1))
    ref.backward()
    bce = nl.losses.get("bce")
    assert bce(probs, labels) == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(bce.gradient(probs, labels), pt.grad.numpy(), rtol=1e-10)

    logits = rng.normal(scale=5, size=(7, 4))
    classes = rng.integers(0, 4, size=7)
    zt = torch.tensor(logits, requires_grad=True)
    ref = F.cross_entropy(zt, torch.tensor(classes))
    ref.backward()
    value, grad = nl.losses.get("cross_entropy").from_logits(logits, classes)
    assert value == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-10, atol=1e-15)


@pytest.mark.parametrize(
    "loss, last, n_out",
    [("mse", "identity", 2), ("bce", "sigmoid", 1), ("cross_entropy", "softmax", 3)],
)
def test_network_gradients_equal_torch_autograd(loss, last, n_out, rng):
    model = nl.Sequential([nl.Dense(3, 5, "tanh"), nl.Dense(5, 4, "relu"), nl.Dense(4, n_out, last)], seed=4)
    x = rng.normal(size=(9, 3))
    y = rng.normal(size=(9, n_out)) if loss == "mse" else rng.integers(0, max(n_out, 2), size=9)
    value = model.loss_and_gradients(x, y, loss)

    params = [torch.tensor(p.copy(), requires_grad=True) for p in model.parameters().values()]
    h = torch.tensor(x)
    for i, act in enumerate(["tanh", "relu", None]):
        h = h @ params[2 * i] + params[2 * i + 1]
        if act:
            h = TORCH_ACTIVATIONS[act](h)
    if loss == "mse":
        ref = F.mse_loss(h, torch.tensor(y))
    elif loss == "bce":
        ref = F.binary_cross_entropy_with_logits(h, torch.tensor(y, dtype=torch.float64).reshape(-1, 1))
    else:
        ref = F.cross_entropy(h, torch.tensor(y))
    ref.backward()
    assert value == pytest.approx(ref.item(), rel=1e-12)
    ours = [g for layer in model.layers for g in (layer.grad_weights, layer.grad_bias)]
    for mine, theirs in zip(ours, params):
        np.testing.assert_allclose(mine, theirs.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_adam_training_run_equals_torch(rng):
    """Ten full-batch Adam steps on the same net and data give the same weights in both libraries."""
    x, y = nl.datasets.moons(n=64, noise=0.1, seed=0)
    model = nl.Sequential([nl.Dense(2, 8, "tanh"), nl.Dense(8, 1, "sigmoid")], seed=0)
    params = [torch.tensor(p.copy(), requires_grad=True) for p in model.parameters().values()]
    model.fit(x, y, "bce", optimizer="adam", lr=0.05, epochs=10, progress=False)
    opt = torch.optim.Adam(params, lr=0.05)
    xt, yt = torch.tensor(x), torch.tensor(y, dtype=torch.float64).reshape(-1, 1)
    for _ in range(10):
        opt.zero_grad()
        logits = torch.tanh(xt @ params[0] + params[1]) @ params[2] + params[3]
        F.binary_cross_entropy_with_logits(logits, yt).backward()
        opt.step()
    for mine, theirs in zip(model.parameters().values(), params):
        np.testing.assert_allclose(mine, theirs.detach().numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("shape", [(8, 3), (4, 5, 3)])
def test_batchnorm_equals_torch_batchnorm1d(shape, rng):
    """Training output and gradients, running statistics over several batches, then inference output."""
    ours = nl.BatchNorm(3, momentum=0.1, eps=1e-5)
    ours.gain[:] = rng.normal(size=3)
    ours.bias[:] = rng.normal(size=3)
    theirs = torch.nn.BatchNorm1d(3, momentum=0.1, eps=1e-5).double()
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.gain))
        theirs.bias.copy_(torch.tensor(ours.bias))

    def torch_forward(x):  # BatchNorm1d wants the features on axis 1: (N, C) or (N, C, L)
        return theirs(x) if x.ndim == 2 else theirs(x.transpose(1, 2)).transpose(1, 2)

    theirs.train()
    for _ in range(3):
        x = rng.normal(2.0, 3.0, size=shape)
        grad_output = rng.normal(size=shape)
        xt = torch.tensor(x, requires_grad=True)
        theirs.zero_grad()
        out = torch_forward(xt)
        out.backward(torch.tensor(grad_output))
        np.testing.assert_allclose(ours.forward(x), out.detach().numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.backward(grad_output), xt.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.grad_gain, theirs.weight.grad.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.grad_bias, theirs.bias.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.running_mean, theirs.running_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), rtol=1e-12)
    theirs.eval()
    ours.training = False
    x = rng.normal(size=shape)
    xt = torch.tensor(x, requires_grad=True)
    out = torch_forward(xt)
    grad_output = rng.normal(size=shape)
    out.backward(torch.tensor(grad_output))
    np.testing.assert_allclose(ours.forward(x), out.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.backward(grad_output), xt.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["rmsprop", "adamw"])
def test_training_run_with_new_optimizers_equals_torch(name):
    """Ten full-batch steps of RMSprop / AdamW through fit give the same weights as torch.optim."""
    x, y = nl.datasets.moons(n=64, noise=0.1, seed=0)
    model = nl.Sequential([nl.Dense(2, 8, "tanh"), nl.Dense(8, 1, "sigmoid")], seed=0)
    params = [torch.tensor(p.copy(), requires_grad=True) for p in model.parameters().values()]
    model.fit(x, y, "bce", optimizer=name, lr=0.01, epochs=10, progress=False)
    opt = (torch.optim.RMSprop(params, lr=0.01) if name == "rmsprop"
           else torch.optim.AdamW(params, lr=0.01, weight_decay=0.01))
    xt, yt = torch.tensor(x), torch.tensor(y, dtype=torch.float64).reshape(-1, 1)
    for _ in range(10):
        opt.zero_grad()
        logits = torch.tanh(xt @ params[0] + params[1]) @ params[2] + params[3]
        F.binary_cross_entropy_with_logits(logits, yt).backward()
        opt.step()
    for mine, theirs in zip(model.parameters().values(), params):
        np.testing.assert_allclose(mine, theirs.detach().numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("init, std", [("he", lambda n_in, n_out: np.sqrt(2 / n_in)),
                                       ("glorot", lambda n_in, n_out: np.sqrt(2 / (n_in + n_out)))])
def test_named_inits_match_torch_formulas(init, std):
    """He = kaiming_normal_(fan_in, relu), Glorot = xavier_normal_: the same spreads as torch.nn.init."""
    layer = nl.Dense(300, 200, init=init, seed=0)
    w = torch.empty(200, 300, dtype=torch.float64)  # torch stores (out, in)
    if init == "he":
        torch.nn.init.kaiming_normal_(w, mode="fan_in", nonlinearity="relu")
    else:
        torch.nn.init.xavier_normal_(w)
    assert layer.weights.std() == pytest.approx(std(300, 200), rel=0.02)
    assert layer.weights.std() == pytest.approx(float(w.std()), rel=0.03)


@pytest.mark.parametrize("name", nl.activations.names())
def test_each_activation_names_its_own_torch_module(name, rng):
    act = nl.activations.get(name)
    if name == "step":
        with pytest.raises(ValueError, match="gradient is 0 everywhere"):
            act.torch_module(torch.nn)
        return
    module = act.torch_module(torch.nn)
    z = torch.tensor(rng.normal(scale=3, size=(6, 5)))
    out = z if module is None else module(z)
    np.testing.assert_allclose(out.numpy(), TORCH_ACTIVATIONS[name](z).numpy(), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------------------------- language models
def _randomized_language_model(rng, **kwargs):
    model = nl.language_model(11, context=6, d_model=8, n_heads=2, n_layers=2, d_hidden=12, seed=0, **kwargs)
    for value in model.parameters().values():
        value[...] += rng.normal(scale=0.3, size=value.shape)
    return model


def test_sequence_cross_entropy_equals_torch(rng):
    logits = rng.normal(scale=2, size=(3, 5, 7))
    targets = rng.integers(0, 7, size=(3, 5))
    zt = torch.tensor(logits, requires_grad=True)
    ref = F.cross_entropy(zt.reshape(-1, 7), torch.tensor(targets).reshape(-1))
    ref.backward()
    value, grad = nl.losses.get("cross_entropy").from_logits(logits, targets)
    assert value == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(grad, zt.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_layer_norm_and_gelu_equal_torch(rng):
    x = rng.normal(size=(3, 4, 6))
    grad_output = rng.normal(size=x.shape)
    norm = nl.LayerNorm(6)
    norm.gain[:] = rng.normal(size=6)
    norm.bias[:] = rng.normal(size=6)
    xt = torch.tensor(x, requires_grad=True)
    ref = F.layer_norm(xt, (6,), torch.tensor(norm.gain), torch.tensor(norm.bias), eps=1e-5)
    ref.backward(torch.tensor(grad_output))
    np.testing.assert_allclose(norm.forward(x), ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(norm.backward(grad_output), xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    from nnlearn.transformer import gelu, gelu_backward

    zt = torch.tensor(x, requires_grad=True)
    F.gelu(zt, approximate="tanh").backward(torch.tensor(grad_output))
    value, t = gelu(x)
    np.testing.assert_allclose(value, F.gelu(torch.tensor(x), approximate="tanh").numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(gelu_backward(x, t, grad_output), zt.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("causal", [False, True])
def test_multi_head_attention_equals_torch(causal, rng):
    layer = nl.MultiHeadAttention(8, 4, causal=causal, seed=0)
    for value in layer.parameters().values():
        value[...] = rng.normal(scale=0.5, size=value.shape)
    x = rng.normal(size=(3, 5, 8))
    grad_output = rng.normal(size=x.shape)
    torch_layer = nl.to_torch(nl.Sequential([layer]))[0]
    xt = torch.tensor(x, requires_grad=True)
    out = torch_layer(xt)
    out.backward(torch.tensor(grad_output))
    np.testing.assert_allclose(layer.forward(x), out.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.backward(grad_output), xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    qkv = torch_layer.qkv.weight.grad.numpy().T  # (d_model, 3 d_model): queries, keys, values side by side
    np.testing.assert_allclose(np.hstack([layer.grad_query_weights, layer.grad_key_weights,
                                          layer.grad_value_weights]), qkv, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.grad_output_weights, torch_layer.out.weight.grad.numpy().T, rtol=1e-10,
                               atol=1e-12)
    np.testing.assert_allclose(layer.grad_output_bias, torch_layer.out.bias.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_language_model_logits_and_gradients_equal_torch(rng):
    model = _randomized_language_model(rng)
    x = rng.integers(0, 11, size=(4, 6))
    y = rng.integers(0, 11, size=(4, 6))
    torch_model = nl.to_torch(model)
    logits = torch_model(torch.tensor(x))
    np.testing.assert_allclose(model.predict(x), logits.detach().numpy(), rtol=1e-10, atol=1e-12)
    loss = F.cross_entropy(logits.reshape(-1, 11), torch.tensor(y).reshape(-1))
    loss.backward()
    value = nl.text.train_step(model, x, y, nl.optimizers.SGD(lr=1e-300))
    assert value == pytest.approx(loss.item(), rel=1e-12)
    embedding, positions, block, _, norm, head = torch_model
    pairs = [
        (model.layers[0].grad_weights, embedding.weight.grad),
        (model.layers[1].grad_weights, positions.weight.grad),
        (model.layers[2].grad_norm1_gain, block.norm1.weight.grad),
        (model.layers[2].grad_attention_output_weights, block.attention.out.weight.grad.T),
        (model.layers[2].grad_hidden_weights, block.mlp[0].weight.grad.T),
        (model.layers[2].grad_output_bias, block.mlp[2].bias.grad),
        (model.layers[4].grad_gain, norm.weight.grad),
        (model.layers[5].grad_weights, head.weight.grad.T),
    ]
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-9, atol=1e-12)


def test_float32_language_model_matches_torch_float32(rng):
    model = _randomized_language_model(rng, dtype="float32")
    x = rng.integers(0, 11, size=(2, 6))
    logits = nl.to_torch(model, dtype=torch.float32)(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(model.predict(x), logits, rtol=1e-4, atol=1e-5)

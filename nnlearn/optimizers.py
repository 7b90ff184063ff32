"""Optimizers: turn each parameter's gradient into a step, updating the arrays in place.

In place matters: a plot or a learner holding ``layer.weights`` sees training happen. The steps are the same as
PyTorch's ``torch.optim.SGD`` (with momentum), ``RMSprop``, ``Adam`` and ``AdamW``.

Example:
    >>> import numpy as np, nnlearn as nl
    >>> model = nl.Sequential([nl.Dense(1, 1)], seed=0)
    >>> model.layers[0].weights[:] = 1.0
    >>> model.layers[0].grad_weights = np.array([[0.5]])
    >>> model.layers[0].grad_bias = np.array([0.0])
    >>> SGD(lr=0.1).step(model)
    >>> model.layers[0].weights          # 1 - 0.1 * 0.5
    array([[0.95]])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .validation import check_learning_rate, check_rate, unknown_name

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop", "get", "names"]


def _parameters_and_gradients(model: Any):
    """Yield (key, parameter, gradient) for every parameter of the model's layers that has a gradient."""
    layers = getattr(model, "layers", model)
    for index, layer in enumerate(layers):
        for name, param in layer.parameters().items():
            grad = getattr(layer, "grad_" + name, None)
            if grad is None:
                continue
            if grad.shape != param.shape:
                raise ValueError(
                    f"{layer.describe()}: grad_{name} has shape {grad.shape} but {name} has shape {param.shape}."
                )
            yield (index, name), param, grad


class Optimizer:
    """Base class: ``step(model)`` moves every parameter against its gradient, in place.

    Shapes: works on any parameter shape; each parameter keeps its shape (and its array) through a step.

    Example:
        >>> optimizer = get("adam", lr=0.01)
        >>> isinstance(optimizer, Optimizer), optimizer.learning_rate
        (True, 0.01)
        >>> optimizer.learning_rate = 0.001            # checked, then used by the next step
        >>> optimizer.lr
        0.001
    """

    name = ""

    def __init__(self, lr: float):
        self.lr = check_learning_rate(lr)

    @property
    def learning_rate(self) -> float:
        """Same as ``lr``: the size of each step."""
        return self.lr

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.lr = check_learning_rate(value, "learning_rate")

    def step(self, model: Any) -> None:
        """Move every parameter of the model one step against its gradient, in place."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget the running state (velocities, moments), e.g. after the weights were re-initialised."""


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum.

    Plain: param -= lr * grad. With momentum: velocity = momentum * velocity + grad; param -= lr * velocity
    (the velocity starts as the first gradient, as in PyTorch).

    Shapes: works on any parameter shape.

    Example:
        >>> SGD(lr=0.1, momentum=0.9)
        SGD(lr=0.1, momentum=0.9)
    """

    name = "sgd"

    def __init__(self, lr: float = 0.01, momentum: float = 0.0):
        super().__init__(lr)
        self.momentum = check_rate(momentum, "momentum")
        self.velocities: dict[tuple[int, str], np.ndarray] = {}

    def step(self, model):
        for key, param, grad in _parameters_and_gradients(model):
            if self.momentum:
                velocity = self.velocities.get(key)
                if velocity is None or velocity.shape != grad.shape:
                    velocity = self.velocities[key] = grad.copy()
                else:
                    velocity *= self.momentum
                    velocity += grad
                param -= self.lr * velocity
            else:
                param -= self.lr * grad

    def reset(self):
        self.velocities.clear()

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum})"


class Adam(Optimizer):
    """Adam: a step per parameter scaled by running averages of the gradient and of its square.

    m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;  both corrected for starting at zero;
    param -= lr * m_hat / (sqrt(v_hat) + eps).

    Shapes: works on any parameter shape.

    Example:
        >>> Adam(lr=0.01)
        Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08)
    """

    name = "adam"

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(lr)
        self.beta1 = check_rate(beta1, "beta1")
        self.beta2 = check_rate(beta2, "beta2")
        self.eps = check_learning_rate(eps, "eps")
        self.moments: dict[tuple[int, str], tuple[np.ndarray, np.ndarray, int]] = {}

    def step(self, model):
        for key, param, grad in _parameters_and_gradients(model):
            state = self.moments.get(key)
            if state is None or state[0].shape != grad.shape:
                state = (np.zeros_like(param), np.zeros_like(param), 0)
            mean, mean_square, t = state
            t += 1
            self.moments[key] = (mean, mean_square, t)
            # The same arithmetic, in the same order as PyTorch (so the two agree to the last bits), done in
            # place in one scratch array: a step costs a few passes over the weights and no new arrays.
            scratch = np.multiply(grad, 1.0 - self.beta1)
            mean *= self.beta1
            mean += scratch
            np.multiply(grad, 1.0 - self.beta2, out=scratch)
            scratch *= grad
            mean_square *= self.beta2
            mean_square += scratch
            bias_correction1 = 1.0 - self.beta1**t
            bias_correction2 = 1.0 - self.beta2**t
            denominator = np.sqrt(mean_square, out=scratch)
            denominator /= math.sqrt(bias_correction2)
            denominator += self.eps
            np.divide(mean, denominator, out=denominator)
            denominator *= self.lr / bias_correction1
            param -= denominator

    def reset(self):
        self.moments.clear()

    def __repr__(self):
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps})"


class RMSprop(Optimizer):
    """RMSprop: divide each step by a running root-mean-square of that parameter's recent gradients.

    mean_square = alpha * mean_square + (1 - alpha) g^2;  step = g / (sqrt(mean_square) + eps);
    with momentum: buffer = momentum * buffer + step and param -= lr * buffer, else param -= lr * step.
    A weight whose gradients are large takes smaller steps and a weight whose gradients are small takes larger
    ones, so a long narrow valley is crossed at a similar pace in every direction (as ``torch.optim.RMSprop``).

    Shapes: works on any parameter shape.

    Example:
        >>> RMSprop(lr=0.01)
        RMSprop(lr=0.01, alpha=0.99, eps=1e-08, momentum=0.0)
    """

    name = "rmsprop"

    def __init__(self, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8, momentum: float = 0.0):
        super().__init__(lr)
        self.alpha = check_rate(alpha, "alpha")
        self.eps = check_learning_rate(eps, "eps")
        self.momentum = check_rate(momentum, "momentum")
        self.mean_squares: dict[tuple[int, str], np.ndarray] = {}
        self.buffers: dict[tuple[int, str], np.ndarray] = {}

    def step(self, model):
        for key, param, grad in _parameters_and_gradients(model):
            mean_square = self.mean_squares.get(key)
            if mean_square is None or mean_square.shape != grad.shape:
                mean_square = self.mean_squares[key] = np.zeros_like(param)
                self.buffers.pop(key, None)
            mean_square *= self.alpha
            mean_square += (1.0 - self.alpha) * grad * grad
            scaled = grad / (np.sqrt(mean_square) + self.eps)  # eps after the root, as PyTorch does
            if self.momentum:
                buffer = self.buffers.get(key)
                if buffer is None:
                    buffer = self.buffers[key] = np.zeros_like(param)
                buffer *= self.momentum
                buffer += scaled
                param -= self.lr * buffer
            else:
                param -= self.lr * scaled

    def reset(self):
        self.mean_squares.clear()
        self.buffers.clear()

    def __repr__(self):
        return f"RMSprop(lr={self.lr}, alpha={self.alpha}, eps={self.eps}, momentum={self.momentum})"


class AdamW(Adam):
    """AdamW: Adam plus weight decay applied to the weights directly, not mixed into the gradient.

    param *= 1 - lr * weight_decay, then the Adam step. Decoupled this way, a weight's shrinking does not get
    rescaled by Adam's per-weight step sizes (as ``torch.optim.AdamW``, which also decays biases by default).

    Shapes: works on any parameter shape.

    Example:
        >>> AdamW(lr=0.01, weight_decay=0.1)
        AdamW(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=0.1)
    """

    name = "adamw"

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 weight_decay: float = 0.01):
        super().__init__(lr, beta1, beta2, eps)
        self.weight_decay = check_rate(weight_decay, "weight_decay", high=math.inf)

    def step(self, model):
        if self.weight_decay:
            for _, param, _ in _parameters_and_gradients(model):
                param *= 1.0 - self.lr * self.weight_decay
        super().step(model)

    def __repr__(self):
        return (f"AdamW(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps}, "
                f"weight_decay={self.weight_decay})")


_NAMES = ("sgd", "momentum", "rmsprop", "adam", "adamw")


def names() -> list[str]:
    """The optimizer names ``fit`` (and the Playground's optimizer control) accept.

    Shapes: none (-> a list of names).

    Example:
        >>> names()
        ['sgd', 'momentum', 'rmsprop', 'adam', 'adamw']
    """
    return list(_NAMES)


def get(name_or_object: str | Optimizer, lr: float = 0.01, *, momentum: float | None = None) -> Optimizer:
    """'sgd', 'momentum' (SGD with momentum 0.9), 'rmsprop', 'adam', 'adamw', or an Optimizer (returned as it is).

    ``momentum`` (optional) sets the momentum of 'momentum' (default 0.9) and of 'rmsprop' (default 0); the
    other names ignore it.

    Shapes: none (a name -> an Optimizer).

    Example:
        >>> get("momentum", lr=0.1)
        SGD(lr=0.1, momentum=0.9)
        >>> get("rmsprop", lr=0.01)
        RMSprop(lr=0.01, alpha=0.99, eps=1e-08, momentum=0.0)
    """
    if isinstance(name_or_object, Optimizer):
        return name_or_object
    if not isinstance(name_or_object, str):
        raise TypeError(f"optimizer must be a name such as 'adam' or an Optimizer object, but got {name_or_object!r}.")
    key = name_or_object.strip().lower()
    if key == "sgd":
        return SGD(lr)
    if key == "momentum":
        return SGD(lr, momentum=0.9 if momentum is None else momentum)
    if key == "rmsprop":
        return RMSprop(lr, momentum=0.0 if momentum is None else momentum)
    if key == "adam":
        return Adam(lr)
    if key == "adamw":
        return AdamW(lr)
    raise unknown_name("optimizer", name_or_object, _NAMES)

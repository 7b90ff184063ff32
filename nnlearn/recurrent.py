"""Layers for sequences: a simple recurrent layer with backprop through time, and a layer that picks one step.

Sequences are batch first, ``(batch, time, features)``: one row per sequence, one step per position. A recurrent
layer reads the steps in order and carries a hidden state from each step to the next, using the same weights at
every step. Its backward pass (backpropagation through time) walks the steps in reverse, handing each step's
share of the gradient back to the step before it.

Example:
    >>> import numpy as np
    >>> rnn = SimpleRNN(1, 4, seed=0)
    >>> rnn.forward(np.zeros((2, 5, 1))).shape          # the last hidden state of each sequence
    (2, 4)
    >>> rnn.hidden_states.shape                         # every step's state, for plotting
    (2, 5, 4)
"""

from __future__ import annotations

import numpy as np

from . import activations
from .layers import Layer, _glorot_or_he, register_layer
from .validation import as_float_array, check_positive_int, check_sequences, check_step

__all__ = ["LastStep", "SelectStep", "SimpleRNN"]


def _orthogonal(rng: np.random.Generator, size: int) -> np.ndarray:
    """A random orthogonal matrix (size, size), drawn as the Q of a QR decomposition of Gaussian noise."""
    q, r = np.linalg.qr(rng.normal(size=(size, size)))
    return q * np.sign(np.diag(r))  # fix the signs so the draw is uniform over orthogonal matrices


@register_layer
class SimpleRNN(Layer):
    """A recurrent layer: h_t = activation(x_t @ input_weights + h_(t-1) @ recurrent_weights + bias), h_0 = 0.

    The output is the last hidden state, or with ``return_sequences=True`` the state after every step.
    ``hidden_states`` keeps every step's state from the last forward pass, for plotting.

    Shapes: x (batch, time, n_inputs) -> (batch, n_hidden), or (batch, time, n_hidden) with return_sequences;
    input_weights (n_inputs, n_hidden); recurrent_weights (n_hidden, n_hidden); bias (n_hidden,).

    Example:
        >>> import numpy as np
        >>> rnn = SimpleRNN(1, 1, activation="identity")
        >>> rnn.input_weights[:] = 1.0       # add the new input...
        >>> rnn.recurrent_weights[:] = 0.5   # ...to half of the old state
        >>> rnn.forward(np.array([[[1.0], [2.0], [4.0]]]))   # h = 1, then 0.5*1 + 2 = 2.5, then 1.25 + 4
        array([[5.25]])
    """

    def __init__(
        self,
        n_inputs: int,
        n_hidden: int,
        activation: str | activations.Activation = "tanh",
        return_sequences: bool = False,
        seed: int | None = None,
    ):
        self.n_inputs = check_positive_int(n_inputs, "n_inputs")
        self.n_hidden = check_positive_int(n_hidden, "n_hidden")
        self.activation = activations.get(activation)
        if not isinstance(return_sequences, (bool, np.bool_)):
            raise TypeError(f"return_sequences must be True or False, but got {return_sequences!r}.")
        self.return_sequences = bool(return_sequences)
        if not self.return_sequences:
            # The output is then one row of n_hidden numbers per sequence, so Sequential can check that the
            # next Dense takes n_hidden inputs (with return_sequences the output keeps its time axis).
            self.n_outputs = self.n_hidden
        self.seed = seed
        self.grad_input_weights: np.ndarray | None = None
        self.grad_recurrent_weights: np.ndarray | None = None
        self.grad_bias: np.ndarray | None = None
        self._cache = None
        self.initialize(np.random.default_rng(seed))

    def initialize(self, rng):
        self.input_weights = _glorot_or_he(
            rng, self.n_inputs, self.n_hidden, self.activation, (self.n_inputs, self.n_hidden)
        )
        # An orthogonal matrix keeps the length of the state from step to step, so at the start of training
        # the signal (and the gradient through time) neither dies out nor blows up over many steps.
        self.recurrent_weights = _orthogonal(rng, self.n_hidden)
        self.bias = np.zeros(self.n_hidden)

    def parameters(self):
        return {"input_weights": self.input_weights, "recurrent_weights": self.recurrent_weights, "bias": self.bias}

    def forward(self, x):
        x = check_sequences(as_float_array(x, "x", allow_nan=True), self.n_inputs, self.describe())
        batch, time, _ = x.shape
        z = np.zeros((batch, time, self.n_hidden))
        h = np.zeros((batch, time, self.n_hidden))
        h_before = np.zeros((batch, self.n_hidden))  # h_0 = 0: nothing seen yet
        for t in range(time):
            z[:, t] = x[:, t] @ self.input_weights + h_before @ self.recurrent_weights + self.bias
            h[:, t] = self.activation(z[:, t])
            h_before = h[:, t]
        self._cache = (x, z, h)  # backward needs every step's input, pre-activation and state
        return h if self.return_sequences else h[:, -1]

    def backward(self, grad_output):
        x, z, h = self._require_cache()
        batch, time, _ = x.shape
        if self.return_sequences:
            grad_from_output = grad_output  # every step's state reached the loss
        else:
            grad_from_output = np.zeros_like(h)
            grad_from_output[:, -1] = grad_output  # only the last state did
        grad_x = np.zeros_like(x)
        self.grad_input_weights = np.zeros_like(self.input_weights)
        self.grad_recurrent_weights = np.zeros_like(self.recurrent_weights)
        self.grad_bias = np.zeros_like(self.bias)
        # h_t reaches the loss directly (if it is an output) and through h_(t+1), which was computed from it:
        # the second part arrives from the step after, so walk the steps in reverse.
        grad_from_next_step = np.zeros((batch, self.n_hidden))
        for t in reversed(range(time)):
            grad_h = grad_from_output[:, t] + grad_from_next_step
            grad_z = self.activation.backward(z[:, t], grad_h)
            h_before = h[:, t - 1] if t > 0 else np.zeros((batch, self.n_hidden))
            # The same weights act at every step, so their gradient is the sum of every step's share.
            self.grad_input_weights += x[:, t].T @ grad_z
            self.grad_recurrent_weights += h_before.T @ grad_z
            self.grad_bias += grad_z.sum(axis=0)
            grad_x[:, t] = grad_z @ self.input_weights.T
            grad_from_next_step = grad_z @ self.recurrent_weights.T  # handed back to h_(t-1)
        return grad_x

    @property
    def hidden_states(self) -> np.ndarray | None:
        """Every step's hidden state h_1 ... h_T from the last forward pass, shape (batch, time, n_hidden)."""
        return None if self._cache is None else self._cache[2]

    def get_config(self):
        return {
            "n_inputs": self.n_inputs,
            "n_hidden": self.n_hidden,
            "activation": self.activation.spec(),
            "return_sequences": self.return_sequences,
        }

    def output_shape(self, input_shape):
        """Per-sample output shape: (time, n_inputs) -> (n_hidden,), or (time, n_hidden) with return_sequences."""
        shape = tuple(int(s) for s in input_shape)
        if len(shape) != 2 or shape[1] != self.n_inputs:
            raise ValueError(
                f"{self.describe()} expects one sequence of shape (time, {self.n_inputs}) but got {shape}."
            )
        return (shape[0], self.n_hidden) if self.return_sequences else (self.n_hidden,)

    def _shape_text(self):
        return f"{self.n_inputs} -> {self.n_hidden}" + (", every step" if self.return_sequences else "")


@register_layer
class SelectStep(Layer):
    """Keep one step of each sequence, e.g. the last (index=-1): where a sequence model reads its answer.

    Shapes: x (batch, time, features) -> (batch, features).

    Example:
        >>> import numpy as np
        >>> x = np.arange(12.0).reshape(2, 3, 2)    # 2 sequences, 3 steps, 2 features
        >>> SelectStep(0).forward(x)
        array([[0., 1.],
               [6., 7.]])
    """

    def __init__(self, index: int = -1):
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"SelectStep index must be a whole number such as -1 (the last step), but got {index!r}.")
        self.index = None  # the position in a Sequential, set by Sequential; the step is self.step
        self.step = int(index)
        self._cache = None

    def forward(self, x):
        x = check_sequences(as_float_array(x, "x", allow_nan=True), None, self.describe())
        check_step(self.step, x.shape[1], self.describe())
        self._cache = x.shape
        return x[:, self.step]

    def backward(self, grad_output):
        shape = self._require_cache()
        grad_x = np.zeros(shape)  # the other steps did not reach the output
        grad_x[:, self.step] = grad_output
        return grad_x

    def get_config(self):
        return {"index": self.step}

    def output_shape(self, input_shape):
        """Per-sample output shape: (time, features) -> (features,)."""
        shape = tuple(int(s) for s in input_shape)
        if len(shape) != 2:
            raise ValueError(f"{self.describe()} expects one sequence of shape (time, features) but got {shape}.")
        check_step(self.step, shape[0], self.describe())
        return (shape[1],)

    def _shape_text(self):
        return f"step {self.step}"


@register_layer
class LastStep(SelectStep):
    """Keep the last step of each sequence: ``SelectStep(-1)``.

    Shapes: x (batch, time, features) -> (batch, features).

    Example:
        >>> import numpy as np
        >>> LastStep().forward(np.arange(12.0).reshape(2, 3, 2))
        array([[ 4.,  5.],
               [10., 11.]])
    """

    def __init__(self):
        super().__init__(-1)

    def get_config(self):
        return {}

    def _shape_text(self):
        return ""

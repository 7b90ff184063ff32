"""Exercises about language models: the causal mask, sampling with a temperature, and LayerNorm's backward pass."""

from __future__ import annotations

import numpy as np

from . import exercise


def _as_function(answer, what: str):
    if not callable(answer):
        raise TypeError(f"the answer must be a function ({what}), but got {type(answer).__name__}")

    def call(*args):
        result = answer(*args)
        if result is None:
            raise ValueError("your function returns None: not done yet? Write its body so that it returns the answer")
        return result

    return call


@exercise(
    "causal_mask",
    "Make the causal mask for time = 5: a (5, 5) boolean array `mask` that is True where position i (row) may "
    "read position j (column): j <= i (itself and everything before it), False for every later position. "
    "(Or write a function causal_mask(time) and pass causal_mask=...: it is checked for several lengths.)",
    hint="Row i is one position asking; columns are the positions it may read. The allowed cells form the lower "
         "triangle of the square, diagonal included. Start from np.ones((5, 5), dtype=bool) and look up np.tril, "
         "or compare np.arange(5) as a column with np.arange(5) as a row.",
    solution=(
        "mask = np.tril(np.ones((5, 5), dtype=bool))\n"
        "or, for any length:\n"
        "def causal_mask(time):\n"
        "    positions = np.arange(time)\n"
        "    return positions[None, :] <= positions[:, None]     # column j <= row i\n"
        "Scores where the mask is False are set to -inf before the softmax, so those weights are exactly 0."
    ),
    concept="language",
)
def causal_mask(causal_mask=None, mask=None):
    if mask is not None:  # the answer for time = 5, as an array
        function = lambda time: mask  # noqa: E731
        sizes, name = (5,), "mask"
    else:
        function = _as_function(causal_mask, "causal_mask(time) -> a (time, time) array of True/False")
        sizes, name = (1, 4, 7), None
    for time in sizes:
        got = np.asarray(function(time))
        want = np.tril(np.ones((time, time), dtype=bool))
        if got.shape != want.shape:
            return False, f"{name or f'causal_mask({time})'} has shape {got.shape}, but it must be ({time}, {time})."
        if got.dtype != bool:
            got = got.astype(bool) if np.isin(got, (0, 1)).all() else got
            if got.dtype != bool:
                return False, (f"{name or f'causal_mask({time})'} must hold True/False (or 1/0), but got values like "
                               f"{got.flat[0]}.")
        if not np.array_equal(got, want):
            i, j = map(int, np.argwhere(got != want)[0])
            side = "a later position" if j > i else "itself or an earlier position"
            return False, (f"{name or f'causal_mask({time})'}[{i}, {j}] is {bool(got[i, j])}, but position {i} reading "
                           f"position {j} ({side}) must be {bool(want[i, j])}.")
    return True, "the mask is the lower triangle with its diagonal: no position reads the future."


_LOGITS = np.array([2.0, 1.0, 0.0, -1.0])


def _reference_softmax(logits: np.ndarray, temperature: float) -> np.ndarray:
    scaled = logits / temperature
    weights = np.exp(scaled - scaled.max())
    return weights / weights.sum()


@exercise(
    "softmax_with_temperature",
    "Compute `probabilities`, the softmax of the logits [2, 1, 0, -1] at temperature 0.5: divide the logits by "
    "the temperature, then take the softmax (one probability per token, summing to 1). (Or write a function "
    "softmax_with_temperature(logits, temperature) and pass softmax_with_temperature=...: it is checked at "
    "several temperatures.)",
    hint="p = exp(logits / temperature), then divide by its sum. Subtract the largest scaled logit before exp "
         "(it changes nothing but keeps exp from overflowing at a small temperature).",
    solution=(
        "probabilities = softmax_with_temperature(np.array([2.0, 1.0, 0.0, -1.0]), 0.5)   # [0.865, 0.117, 0.016, 0.002]\n"
        "with\n"
        "def softmax_with_temperature(logits, temperature):\n"
        "    scaled = np.asarray(logits, dtype=float) / temperature\n"
        "    weights = np.exp(scaled - scaled.max())\n"
        "    return weights / weights.sum()\n"
        "At temperature 1 this is the model's own distribution; towards 0 it puts everything on the top token;\n"
        "large temperatures flatten it towards uniform."
    ),
    concept="language",
)
def softmax_with_temperature(softmax_with_temperature=None, probabilities=None):
    if probabilities is not None:  # the answer for the logits [2, 1, 0, -1] at temperature 0.5, as numbers
        function = lambda logits, temperature: probabilities  # noqa: E731
        temperatures, tolerance, yours = (0.5,), 2e-3, "your probabilities are"
    else:
        function = _as_function(softmax_with_temperature,
                                "softmax_with_temperature(logits, temperature) -> probabilities")
        temperatures, tolerance, yours = (1.0, 0.5, 2.0, 0.01), 1e-6, "your function gives"
    for temperature in temperatures:
        with np.errstate(over="ignore", invalid="ignore"):
            got = np.asarray(function(_LOGITS.copy(), temperature), dtype=float)
        want = _reference_softmax(_LOGITS, temperature)
        if got.shape != want.shape:
            return False, f"for 4 logits the answer must be 4 probabilities, but got shape {got.shape}."
        if not np.all(np.isfinite(got)):
            return False, (f"at temperature {temperature} some probabilities are not finite (overflow?): subtract "
                           "the largest scaled logit before np.exp.")
        if not np.allclose(got, want, atol=tolerance):
            if probabilities is None:  # a function: show what the right one gives
                return False, (f"at temperature {temperature} the logits {_LOGITS.tolist()} should give "
                               f"{np.round(want, 3).tolist()}, but {yours} {np.round(got, 3).tolist()}.")
            if np.allclose(got, _reference_softmax(_LOGITS, 1.0), atol=tolerance):
                why = "that is the softmax at temperature 1: divide the logits by 0.5 first"
            elif abs(got.sum() - 1.0) > tolerance:
                why = f"they add up to {got.sum():.3f}, but probabilities must add up to 1"
            else:
                why = "they add up to 1 but are not softmax(logits / 0.5)"
            return False, f"{yours} {np.round(got, 3).tolist()}: {why}."
    return True, (f"temperature 0.5 gives {np.round(_reference_softmax(_LOGITS, 0.5), 2).tolist()} (sharper), "
                  f"2 gives {np.round(_reference_softmax(_LOGITS, 2.0), 2).tolist()} (flatter).")


_X = np.array([[1.0, 2.0, 4.0], [0.5, -1.0, 0.5]])
_GAIN = np.array([1.0, 0.5, 2.0])
_GRAD = np.array([[0.1, -0.2, 0.3], [1.0, 0.0, -1.0]])


@exercise(
    "layernorm_backward",
    "LayerNorm over the last axis: x_hat = (x - mean) / sqrt(var + eps), output = gain * x_hat + bias, eps = 1e-5. "
    "For x = [[1, 2, 4], [0.5, -1, 0.5]], gain = [1, 0.5, 2] and grad_output = [[0.1, -0.2, 0.3], [1, 0, -1]], "
    "compute grad_x = dLoss/dx. (Or write layernorm_backward(x, gain, grad_output) and pass "
    "layernorm_backward=...)",
    hint="Let g = grad_output * gain (the gradient at x_hat) and inverse_std = 1 / sqrt(var + eps). x reaches "
         "x_hat directly and through the mean and the variance, which gives "
         "inverse_std * (g - mean(g) - x_hat * mean(g * x_hat)), means over the last axis (keepdims=True).",
    solution=(
        "def layernorm_backward(x, gain, grad_output, eps=1e-5):\n"
        "    mean = x.mean(axis=-1, keepdims=True)\n"
        "    inverse_std = 1 / np.sqrt(((x - mean) ** 2).mean(axis=-1, keepdims=True) + eps)\n"
        "    x_hat = (x - mean) * inverse_std\n"
        "    g = grad_output * gain\n"
        "    return inverse_std * (g - g.mean(axis=-1, keepdims=True)\n"
        "                          - x_hat * (g * x_hat).mean(axis=-1, keepdims=True))\n"
        "grad_x = layernorm_backward(x, gain, grad_output)\n"
        "Check it against nl.LayerNorm(3).backward, or with finite differences (nl.numerical_gradient)."
    ),
    concept="language",
)
def layernorm_backward(layernorm_backward=None, grad_x=None):
    from ..normalization import LayerNorm

    if grad_x is not None:  # the answer for the x, gain and grad_output of the prompt, as numbers
        function = lambda x, gain, grad_output: grad_x  # noqa: E731
        tolerance = 2e-3
    else:
        tolerance = 1e-6
        function = _as_function(layernorm_backward, "layernorm_backward(x, gain, grad_output) -> dLoss/dx")
    norm = LayerNorm(3)
    norm.gain[:] = _GAIN
    norm.forward(_X)
    want = norm.backward(_GRAD)
    got = np.asarray(function(_X.copy(), _GAIN.copy(), _GRAD.copy()), dtype=float)
    if got.shape != want.shape:
        return False, f"the gradient for x of shape {_X.shape} must have the same shape, but got {got.shape}."
    if not np.allclose(got, want, atol=tolerance):
        hint = ""
        if np.allclose(got, _GRAD * _GAIN / np.sqrt(_X.var(axis=-1, keepdims=True) + 1e-5), atol=tolerance):
            hint = " You have the direct path only: x also moves the mean and the variance."
        if grad_x is not None:  # numbers: say what is off without giving the answer away
            return False, (f"your grad_x {np.round(got, 4).tolist()} is not dLoss/dx (its rows sum to "
                           f"{np.round(got.sum(axis=-1), 4).tolist()}; the true gradient's rows sum to 0).{hint}")
        return False, (f"for x = {_X.tolist()} the gradient should be {np.round(want, 4).tolist()}, but yours is "
                       f"{np.round(got, 4).tolist()}.{hint}")
    return True, ("each row of the gradient sums to 0 (up to rounding): shifting a whole row changes nothing "
                  "after normalisation, so that direction gets no gradient.")

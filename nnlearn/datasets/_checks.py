"""Argument checks shared by the dataset functions: each error says what was expected and what came."""

from __future__ import annotations

import math
import operator


def check_count(value: object, name: str, where: str, minimum: int = 1) -> int:
    """Return `value` as an int, or raise ValueError if it is not a whole number >= `minimum`."""
    wanted = "a positive whole number" if minimum == 1 else f"a whole number >= {minimum}"
    if isinstance(value, bool):
        raise ValueError(f"{where}: {name} must be {wanted}, but got {value!r}.")
    try:
        count = operator.index(value)  # accepts int and NumPy integers, refuses 3.5 and "3"
    except TypeError:
        raise ValueError(f"{where}: {name} must be {wanted}, but got {value!r}.") from None
    if count < minimum:
        raise ValueError(f"{where}: {name} must be {wanted}, but got {count}.")
    return count


def check_noise(value: object, where: str, name: str = "noise") -> float:
    """Return `value` as a float, or raise ValueError if it is not a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        raise ValueError(f"{where}: {name} must be a number >= 0, but got {value!r}.")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{where}: {name} must be a number >= 0 (0 means no noise), but got {value!r}.")
    return number


def check_open_fraction(value: object, name: str, where: str, low: float = 0.0, high: float = 1.0,
                        include_high: bool = False) -> float:
    """Return `value` as a float, or raise ValueError unless low < value < high (or <= high)."""
    closing = "]" if include_high else ")"
    wanted = f"a number in ({low:g}, {high:g}{closing}"
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        raise ValueError(f"{where}: {name} must be {wanted}, but got {value!r}.")
    number = float(value)
    inside = low < number < high or (include_high and number == high)
    if not inside:
        raise ValueError(f"{where}: {name} must be {wanted}, but got {value!r}.")
    return number

"""Check-yourself exercises: a friendly verdict and a hint, with solutions kept here until asked for.

A lesson ships a stub that runs without raising:

    >>> import nnlearn as nl
    >>> nl.exercises.check("and_gate", weights=None, bias=None)
    Not done yet: and_gate. Fill in your answer and run the cell again.
    Hint: The output must be above 0 only when both inputs are 1. Try equal weights and a negative bias.

and says well done once the answer is right:

    >>> nl.exercises.check("and_gate", weights=[1.0, 1.0], bias=-1.5)
    Well done: and_gate. weights [1.0, 1.0] and bias -1.5 give 0, 0, 0, 1 on the four inputs.

``nl.exercises.solution(name)`` shows a worked solution; ``nl.exercises.names()`` lists every exercise.
Exercises are grouped by concept (neurons, backprop, ...), never by lesson number.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..validation import unknown_name

__all__ = ["Exercise", "Verdict", "check", "exercise", "get", "hint", "names", "solution"]


@dataclass
class Verdict:
    """The result of a check: passed or not, a message, and a hint when it did not pass.

    Shapes: none (a small record). Shows as text in a terminal and as a coloured box in a notebook.

    Example:
        >>> Verdict("demo", passed=True, message="All good.")
        Well done: demo. All good.
    """

    name: str
    passed: bool
    message: str
    hint: str = ""
    done: bool = True  # False while the stub is still as shipped

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        if not self.done:
            head = f"Not done yet: {self.name}. {self.message}"
        elif self.passed:
            head = f"Well done: {self.name}. {self.message}"
        else:
            head = f"Not quite: {self.name}. {self.message}"
        return head + (f"\nHint: {self.hint}" if self.hint and not self.passed else "")

    def _repr_html_(self) -> str:
        colour = "#1b7837" if self.passed else ("#666666" if not self.done else "#b35806")
        lines = html.escape(repr(self)).replace("\n", "<br>")
        return (
            f'<div class="nnl-verdict" style="border-left:4px solid {colour};padding:4px 10px;'
            f'background:#fafafa;color:#222">{lines}</div>'
        )


@dataclass
class Exercise:
    """One exercise: a checking function, a hint and a worked solution.

    Shapes: none. ``checker(**answers)`` returns (passed, message); it may raise ValueError for a malformed answer.

    Example:
        >>> ex = Exercise("double", "Return twice 3.", lambda value: (value == 6, f"you gave {value}"),
        ...               hint="3 + 3", solution="value = 6")
        >>> ex.check(value=6).passed
        True
    """

    name: str
    prompt: str
    checker: Callable[..., tuple[bool, str]]
    hint: str = ""
    solution: str = ""
    concept: str = ""
    answers: tuple[str, ...] = field(default_factory=tuple)

    def check(self, **answers: Any) -> Verdict:
        """Grade the answers; a stub left as shipped (all None or ...) is 'not done yet', never an error."""
        if not answers or all(value is None or value is Ellipsis for value in answers.values()):
            return Verdict(self.name, False, "Fill in your answer and run the cell again.", self.hint, done=False)
        try:
            passed, message = self.checker(**answers)
        except (ValueError, TypeError, IndexError, KeyError) as error:
            return Verdict(self.name, False, f"Your answer could not be checked: {error}", self.hint)
        return Verdict(self.name, bool(passed), message, self.hint)


_REGISTRY: dict[str, Exercise] = {}


def exercise(name: str, prompt: str, *, hint: str, solution: str, concept: str = ""):
    """Decorator that registers a checking function as an exercise.

    The function receives the learner's answers as keyword arguments (None where a stub left them) and returns
    ``(passed, message)``.

    Shapes: none (names and text in, the same function out).

    Example:
        >>> @exercise("double_it", "What is 2 x 21?", hint="Add 21 to itself.", solution="42", concept="demo")
        ... def double_it(answer=None):
        ...     return answer == 42, f"2 x 21 = 42, you said {answer}."
        >>> check("double_it", answer=42)
        Well done: double_it. 2 x 21 = 42, you said 42.
        >>> del _REGISTRY["double_it"]  # keep the demo out of the real list
    """

    def register(checker: Callable[..., tuple[bool, str]]) -> Callable[..., tuple[bool, str]]:
        _REGISTRY[name] = Exercise(name, prompt, checker, hint=hint, solution=solution, concept=concept)
        return checker

    return register


def get(name: str) -> Exercise:
    """The exercise called ``name``; an unknown name lists the valid ones.

    Shapes: none (a name -> an Exercise).

    Example:
        >>> get("and_gate").concept
        'neurons'
    """
    _load_all()
    if name not in _REGISTRY:
        raise unknown_name("exercise", name, _REGISTRY)
    return _REGISTRY[name]


def names() -> list[str]:
    """Every exercise name, sorted.

    Shapes: none (-> a list of names).

    Example:
        >>> "and_gate" in names()
        True
    """
    _load_all()
    return sorted(_REGISTRY)


def check(name: str, **answers: Any) -> Verdict:
    """Grade your answers to the exercise ``name`` and say what to try next.

    Shapes: the answers as the exercise asks for them (e.g. ``weights`` (2,) and a number ``bias``) -> a Verdict.

    Example:
        >>> check("and_gate", weights=[1, 1], bias=0.5).passed
        False
    """
    return get(name).check(**answers)


def hint(name: str) -> str:
    """The hint for an exercise.

    Shapes: none (a name -> text).

    Example:
        >>> hint("and_gate")
        'The output must be above 0 only when both inputs are 1. Try equal weights and a negative bias.'
    """
    return get(name).hint


class _Solution(str):
    def __repr__(self) -> str:
        return str(self)


def solution(name: str) -> str:
    """The worked solution (try first: the hint is often enough).

    Shapes: none (a name -> text, shown as it is in a notebook).

    Example:
        >>> solution("and_gate").splitlines()[0]
        'weights = [1.0, 1.0]; bias = -1.5'
    """
    return _Solution(get(name).solution)


def _load_all() -> None:
    # Importing a concept module (neurons.py, backprop.py, ...) registers its exercises.
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")

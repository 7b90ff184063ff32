"""Text for the language-model lesson: 32,033 first names and 1,115,394 characters of Shakespeare.

Both are shipped inside the package, compressed (the text's bytes in an ``.npz``), with their provenance in
``data/README.md``; nothing is downloaded. Each file is read once and kept (it never changes while Python runs).

Example:
    >>> names()[:3], len(names())
    (['emma', 'olivia', 'ava'], 32033)
"""

from __future__ import annotations

from importlib import resources

import numpy as np

__all__ = ["names", "shakespeare"]


_TEXTS: dict[str, str] = {}


def _read_text(filename: str) -> str:
    if filename not in _TEXTS:
        with resources.files(__package__).joinpath("data").joinpath(filename).open("rb") as file:
            with np.load(file, allow_pickle=False) as data:
                _TEXTS[filename] = data["text"].tobytes().decode("utf-8")
    return _TEXTS[filename]


def names() -> list[str]:
    """32,033 first names (29,494 distinct), lower case a-z, most common first (US baby names of 2018, public domain).

    The file has 32,032 line breaks (the last name has none), which is where a count of 32,032 comes from.

    Shapes: none (-> a list of 32,033 strings of 2 to 15 letters).

    Example:
        >>> data = names()
        >>> len(data), data[0], max(len(name) for name in data)
        (32033, 'emma', 15)
    """
    return _read_text("names.npz").split()


def shakespeare() -> str:
    """Tiny Shakespeare: 1,115,394 characters of Shakespeare's plays (65 distinct characters, public domain).

    Shapes: none (-> one string of 1,115,394 characters).

    Example:
        >>> text = shakespeare()
        >>> len(text), len(set(text)), text[:14]
        (1115394, 65, 'First Citizen:')
    """
    return _read_text("tinyshakespeare.npz")

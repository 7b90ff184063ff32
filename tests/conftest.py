"""Shared test settings: matplotlib draws off-screen, and every test starts from the same random state."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _matplotlib_backend_unchanged():
    """A test that imports ipympl (which switches every figure to its backend) must not change the next test's."""
    import matplotlib

    backend = matplotlib.get_backend()
    yield
    if matplotlib.get_backend() != backend:
        matplotlib.use(backend)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)

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


class _RecordingComm:
    """Stands in for a kernel comm: keeps what a widget sends to the browser (``sent``: the message data)."""

    comm_id = "recording"

    def __init__(self):
        self.sent = []

    def send(self, data=None, buffers=None, **kwargs):
        self.sent.append(data)

    def on_msg(self, callback):
        pass


@pytest.fixture
def recording_comm():
    """The comm stand-in class: ``widget.comm = recording_comm()``, then read ``widget.comm.sent``."""
    return _RecordingComm

"""A machine without chromium gets a failing browser test that says what to install, never a silent skip.

This runs without a browser (no `browser` marker), so `make unit` checks it too.
"""

from __future__ import annotations

import pytest

from . import harness
from .harness import missing_browser


def test_missing_chromium_fails_and_says_what_to_do():
    with pytest.raises(pytest.fail.Exception, match=r"browser tests cannot run: /usr/bin/chromium is missing.*"
                                                    r"make browser-deps.*-m 'not browser'"):
        missing_browser(harness.chromium_missing_message())

"""When the browser tests may skip: never under `make test` (it installs chromium), elsewhere with a clear reason.

These run without a browser (no `browser` marker), so `make unit` checks the rule too.
"""

from __future__ import annotations

import pytest

from .harness import browser_required, missing_browser


@pytest.mark.parametrize(
    ("env", "required"),
    [
        ({}, False),                                   # a plain `pytest tests`
        ({"MAKELEVEL": "1"}, True),                    # a recipe of `make test`
        ({"MAKELEVEL": "1", "NNL_REQUIRE_BROWSER": "0"}, False),
        ({"NNL_REQUIRE_BROWSER": "1"}, True),
    ],
)
def test_browser_required_under_make_or_when_asked(monkeypatch, env, required):
    for name in ("MAKELEVEL", "NNL_REQUIRE_BROWSER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert browser_required() is required


def test_missing_chromium_fails_under_make(monkeypatch):
    monkeypatch.setenv("MAKELEVEL", "1")
    monkeypatch.delenv("NNL_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.fail.Exception, match="browser tests cannot run: /usr/bin/chromium is missing"):
        missing_browser("/usr/bin/chromium is missing")


def test_missing_chromium_skips_with_the_reason_elsewhere(monkeypatch):
    monkeypatch.delenv("MAKELEVEL", raising=False)
    monkeypatch.delenv("NNL_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="browser tests skipped: /usr/bin/chromium is missing"):
        missing_browser("/usr/bin/chromium is missing")

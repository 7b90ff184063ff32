"""Fixtures for the real-browser tests: one JupyterLab server and one chromium per session, a page per notebook.

Run alone with `python -m pytest tests/browser -m browser -q`. Failures leave a screenshot, the page's text and
HTML, the browser console and the server log under test-output/browser/<test name>.* (gitignored).

Without /usr/bin/chromium (or the playwright package) the browser tests fail and say what to install
(`make test` installs both); `pytest -m "not browser"` (`make unit`) runs everything else.
"""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest

from . import harness
from .harness import LabServer, NotebookPage, launch_chromium, missing_browser, start_lab, temp_workdir

REPO = Path(__file__).resolve().parents[2]
# Served folders, each copied to a temporary root: autosave must never write into the repository.
SERVED = {"lessons": REPO / "lessons", "notebooks": REPO / "tests" / "notebooks"}
ARTEFACTS = REPO / "test-output" / "browser"

_workspaces = itertools.count(1)


@pytest.fixture(scope="session")
def lab_server(browser_context):
    """JupyterLab on a free localhost port, serving copies of lessons/ and tests/notebooks/.

    Asks for the browser first, so a machine without chromium fails before starting a server.
    """
    shutil.rmtree(ARTEFACTS, ignore_errors=True)  # what is left there afterwards is from this run's failures
    workdir = temp_workdir("nnl-lab-")
    server = start_lab(SERVED, workdir)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser_context():
    """Headless Debian chromium (fresh profile) driven by playwright's sync API."""
    if not harness.CHROMIUM.exists():
        missing_browser(harness.chromium_missing_message())
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_browser("the Python package `playwright` is missing: install the test extras "
                        "(`pip install -e '.[test]'`, done by `make test`). Do not run `playwright install`: "
                        "the tests use /usr/bin/chromium.")
    profile = temp_workdir("nnl-chromium-")
    pw = sync_playwright().start()
    try:
        context = launch_chromium(pw, profile)
        try:
            yield context
        finally:
            context.close()
    finally:
        pw.stop()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def lab_page(browser_context, lab_server: LabServer):
    """A new browser page in its own JupyterLab workspace; its kernels are shut down afterwards."""
    page = NotebookPage(browser_context, lab_server, workspace=f"test{next(_workspaces)}")
    try:
        yield page
    finally:
        page.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, save what the browser showed: screenshot, HTML, console, server log."""
    report = yield
    if report.failed and report.when in ("setup", "call"):
        page = item.funcargs.get("lab_page") if hasattr(item, "funcargs") else None
        stem = ARTEFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name).strip("_")
        saved = []
        if isinstance(page, NotebookPage):
            saved = page.save_artefacts(stem)
            log = stem.parent / (stem.name + ".server.log")
            log.write_text(page.server.log_text()[-200_000:])
            saved.append(log)
        if saved:
            report.sections.append(("browser artefacts", "\n".join(str(p) for p in saved)))
    return report

"""Fixtures for the real-browser tests: one chromium and one server per front end (JupyterLab, and Jupyter Notebook
7 started as `jupyter notebook`) per session, a page per notebook. `lab_page` is a JupyterLab page; `front_end_page`
is parametrized over both front ends, so a test using it runs in each.

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
from .harness import (
    FRONT_ENDS,
    LabServer,
    NotebookPage,
    launch_chromium,
    missing_browser,
    start_lab,
    start_notebook,
    temp_workdir,
)

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
def notebook_server(browser_context):
    """Jupyter Notebook 7 (`jupyter notebook`) serving its own copies of the same folders, with the same settings."""
    workdir = temp_workdir("nnl-notebook-")
    server = start_notebook(SERVED, workdir)
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


@pytest.fixture(params=FRONT_ENDS)
def front_end_page(request, browser_context):
    """A new browser page on the JupyterLab server, then (second parameter) on the Notebook 7 server."""
    server = request.getfixturevalue("lab_server" if request.param == "lab" else "notebook_server")
    page = NotebookPage(browser_context, server, workspace=f"test{next(_workspaces)}")
    try:
        yield page
    finally:
        page.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, save what the browser showed: screenshot, HTML, console, server log."""
    report = yield
    if report.failed and report.when in ("setup", "call"):
        funcargs = getattr(item, "funcargs", {})
        page = next((funcargs[name] for name in ("lab_page", "front_end_page") if name in funcargs), None)
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

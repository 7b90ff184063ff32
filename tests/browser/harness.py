"""Drive JupyterLab in a real chromium: start a server, open a notebook, run it, read errors, move controls.

The waits follow what was checked on this machine (JupyterLab 4.6, ipywidgets 8.1, ipympl 0.10, Debian chromium,
playwright 1.65): the DOM execution indicator says "idle" while the kernel is still starting, so the harness asks
the JupyterLab application object (exposed as `window.jupyterapp`) for the session, the kernel status and the
notebook *model*; off-screen cells stay in the DOM because the server gets `windowingMode: none`.

`check_lesson` is the whole check of one lesson; the kernel (asked through a user expression, no cell) says how
many explorers a notebook displays, so the page can be held to that number.

Every wait has a deadline and, when it runs out, says what it was waiting for and the last state it saw.

Jupyter Notebook 7 (`start_notebook`, `jupyter notebook`) is driven the same way: it is built from JupyterLab's
plugins, so it has the same application object (`--JupyterNotebookApp.expose_app_in_browser`), the same commands
(`notebook:run-all-cells`, `logconsole:open`), the same notebook model and the same settings files. What differs:
a notebook opens at /notebooks/<path> in a page of its own (no workspaces), and sliders are moved with the mouse,
because Notebook 7 reads key presses as shortcuts before a focused widget gets them (`move_with_keyboard`).
"""

from __future__ import annotations

import base64
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Seconds for one notebook's kernel start, and again for its Run All; raise it on a slow machine.
NOTEBOOK_RUN_TIMEOUT = float(os.environ.get("NNL_BROWSER_TIMEOUT", "120"))
SERVER_START_TIMEOUT = 90.0

# JupyterLab settings for the test server. windowingMode "none" keeps every cell in the DOM; the news and
# update checks would otherwise put a toast over the notebook (and try the network).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

WIDGET_ERROR_TEXTS = ("Error displaying widget", "Model not found", "model not found")


class HarnessTimeout(AssertionError):
    """A browser wait ran out of time; the message says what was awaited and the last state seen."""


def poll(check: Callable[[], tuple[bool, Any]], timeout: float, what: str, interval: float = 0.25) -> Any:
    """Call `check()` until it returns (True, state); return that state or fail saying what was awaited.

    Example: poll(lambda: (path.exists(), path), 10, "the log file") -> path
    """
    deadline = time.monotonic() + timeout
    state: Any = None
    while True:
        done, state = check()
        if done:
            return state
        if time.monotonic() > deadline:
            raise HarnessTimeout(f"timed out after {timeout:.0f} s waiting for {what}; last state seen: {state!r}")
        time.sleep(interval)


# --------------------------------------------------------------------------------------------- the server


def free_port() -> int:
    """A localhost port nobody listens on right now (the server is told not to try others)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_python3_kernel(env: dict[str, str]) -> None:
    """Fail unless the `python3` kernel the server will start is this interpreter's environment.

    A stray user-level kernelspec would run the notebooks in another Python where nnlearn is missing.
    """
    out = subprocess.run(
        [sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    if out.returncode != 0:
        raise AssertionError(f"`jupyter kernelspec list` failed in {sys.prefix}:\n{out.stderr}")
    specs = json.loads(out.stdout)["kernelspecs"]
    if "python3" not in specs:
        raise AssertionError(f"no python3 kernelspec; found {sorted(specs)}. Install ipykernel in {sys.prefix}.")
    spec = specs["python3"]
    argv0 = spec["spec"]["argv"][0]
    # jupyter_client replaces a bare "python"/"python3" with the server's own sys.executable.
    venv_python = argv0 in ("python", "python3") or Path(argv0).resolve().is_relative_to(Path(sys.prefix).resolve())
    if not venv_python:
        raise AssertionError(
            f"the python3 kernelspec at {spec['resource_dir']} starts {argv0!r}, not the test environment's "
            f"Python ({sys.executable}). Remove that kernelspec or run the tests from the environment it names.")


@dataclass
class LabServer:
    """A running JupyterLab: its base URL, token, served root folder and log file."""

    url: str
    token: str
    root: Path
    log_path: Path
    process: subprocess.Popen
    workdir: Path
    _log_file: Any = field(repr=False, default=None)
    # "lab" (JupyterLab: /lab/...) or "notebook" (Jupyter Notebook 7: /tree, /notebooks/...).
    front_end: str = "lab"

    @property
    def name(self) -> str:
        """The front end in words, for messages."""
        return FRONT_END_NAMES[self.front_end]

    def api(self, method: str, path: str, timeout: float = 10.0) -> Any:
        """Call the server's REST API (`/api/...`) with the token; return the decoded JSON (or None)."""
        req = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def shutdown_kernels(self) -> None:
        """Stop every kernel so the next notebook starts on a quiet machine."""
        try:
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}")
            for kernel in self.api("GET", "/api/kernels"):
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
        except (urllib.error.URLError, OSError):
            pass  # the server is already gone; stop() kills what is left

    def stop(self) -> None:
        """Shut the server down politely, then kill its process group and any kernel it left behind."""
        children = _descendants(self.process.pid)
        self.shutdown_kernels()
        try:
            self.api("POST", "/api/shutdown", timeout=5)
        except (urllib.error.URLError, OSError):
            pass
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait(timeout=10)
        for child in children:  # kernels run in their own sessions, outside the server's process group
            try:
                child.kill()
            except Exception:  # noqa: BLE001 - already gone is the usual case
                pass
        if self._log_file is not None:
            self._log_file.close()


def _descendants(pid: int) -> list:
    try:
        import psutil
    except ImportError:
        return []
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


FRONT_ENDS = ("lab", "notebook")
FRONT_END_NAMES = {"lab": "JupyterLab", "notebook": "Jupyter Notebook 7"}


def start_lab(folders: dict[str, Path], workdir: Path, nnlearn_settings: bool = True) -> LabServer:
    """Start JupyterLab serving temporary copies of `folders` (name -> source folder) under `workdir`.

    The copies keep autosave and checkpoints out of the repository. Settings, runtime files and workspaces live
    under `workdir` too, so nothing from the user's own Jupyter setup changes what the tests see. The server runs
    with `nnlearn.cli.server_options()`, as `make lab` and `nnlearn lab` start it (`nnlearn_settings=False`: a
    stock server, for comparison).
    """
    return start_server(folders, workdir, "lab", nnlearn_settings)


def start_notebook(folders: dict[str, Path], workdir: Path) -> LabServer:
    """Start Jupyter Notebook 7 (`jupyter notebook`) the same way as `start_lab`: same copies, same settings."""
    return start_server(folders, workdir, "notebook")


def start_server(folders: dict[str, Path], workdir: Path, front_end: str = "lab",
                 nnlearn_settings: bool = True) -> LabServer:
    """Start `jupyter lab` or `jupyter notebook` (`front_end`: "lab" or "notebook") as `start_lab` describes.

    Notebook 7 is built from JupyterLab's pieces: the same settings files (windowingMode), the same application
    object in the page (`window.jupyterapp`, exposed by a flag of its own app class) and the same commands.
    """
    if front_end not in FRONT_ENDS:
        raise ValueError(f"front_end must be one of {FRONT_ENDS}, got {front_end!r}")
    root = workdir / "root"
    root.mkdir(parents=True)
    for name, src in folders.items():
        if src.exists():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            (root / name).mkdir()
    settings = workdir / "user-settings"
    for rel, value in LAB_SETTINGS.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    for sub in ("runtime", "workspaces", "config", "data", "ipython"):
        (workdir / sub).mkdir()

    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the unit tests' Agg setting would stop inline figures in the kernels
    env.update(
        JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
        JUPYTER_CONFIG_DIR=str(workdir / "config"),
        JUPYTER_DATA_DIR=str(workdir / "data"),  # hides user-level kernelspecs; the venv's share/ still counts
        IPYTHONDIR=str(workdir / "ipython"),
        PYTHONUNBUFFERED="1",
    )
    check_python3_kernel(env)

    port = free_port()
    token = secrets.token_hex(16)
    app = "LabApp" if front_end == "lab" else "JupyterNotebookApp"
    cmd = [
        sys.executable, "-m", "jupyter", front_end,
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        f"--{app}.expose_app_in_browser=True",
        f"--{app}.user_settings_dir={settings}",
        f"--{app}.workspaces_dir={workdir / 'workspaces'}",
        "--ServerApp.terminals_enabled=False",
    ]
    if nnlearn_settings:
        from nnlearn.cli import server_options

        cmd.extend(server_options())
    if front_end == "lab":
        cmd.append("--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = workdir / f"jupyter-{front_end}.log"
    log_file = open(log_path, "w")  # noqa: SIM115 - closed in LabServer.stop
    process = subprocess.Popen(
        cmd, cwd=root, env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, root, log_path, process, workdir, log_file, front_end)

    def answering() -> tuple[bool, str]:
        if process.poll() is not None:
            raise AssertionError(
                f"{server.name} exited with code {process.returncode} before answering. Command: {' '.join(cmd)}\n"
                f"Log:\n{server.log_text()[-4000:]}")
        try:
            server.api("GET", "/api/status", timeout=2)
            return True, "answering"
        except (urllib.error.URLError, OSError) as exc:
            return False, f"{type(exc).__name__}: {exc}"

    try:
        poll(answering, SERVER_START_TIMEOUT, f"{server.name} to answer on {server.url}", interval=0.3)
    except BaseException:
        server.stop()
        raise
    return server


# -------------------------------------------------------------------------------------------- the browser


def chromium_missing_message() -> str:
    return (f"{CHROMIUM} is missing: the browser tests drive Debian's chromium (never playwright's download). "
            "Run `make browser-deps` (or `make test`, which calls it), or `apt-get install chromium`.")


def missing_browser(reason: str) -> None:
    """Fail with `reason`: a browser test that cannot run is a failure, never a silent skip.

    To run everything else on a machine without chromium, deselect them: `pytest -m "not browser"` (`make unit`).
    """
    import pytest

    pytest.fail(f"browser tests cannot run: {reason} (deselect them with -m 'not browser')", pytrace=False)


def launch_chromium(playwright: Any, user_data_dir: Path) -> Any:
    """A headless Debian chromium with a fresh profile, as a playwright persistent context."""
    if not CHROMIUM.exists():
        raise AssertionError(chromium_missing_message())
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
    )


# ---------------------------------------------------------------------------------- one notebook in a page

# JavaScript run in the page. `panel()` is the notebook under test, found by its path in the main area (the
# current widget can be another panel, e.g. the log console).
_JS_PANEL = """
const panel = () => {
  if (!window.jupyterapp) return null;
  for (const w of window.jupyterapp.shell.widgets('main'))
    if (w.context && w.context.path === window.__nnlPath && w.content && w.content.model && w.sessionContext)
      return w;
  return null;
};
"""

_JS_KERNEL_STATE = _JS_PANEL + """
const p = panel();
if (!p) return {app: !!window.jupyterapp, notebook: null};
const sc = p.sessionContext;
const k = sc.session && sc.session.kernel;
return {app: true, notebook: p.context.path, ready: sc.isReady, hasKernel: !!k,
        status: k ? k.status : null, connection: k ? k.connectionStatus : null,
        dialog: !!document.querySelector('.jp-Dialog')};
"""

_JS_RUN_STATE = _JS_PANEL + """
const p = panel();
if (!p) return null;
const k = p.sessionContext.session && p.sessionContext.session.kernel;
const cells = [];
for (const c of p.content.model.cells) {
  if (c.type !== 'code') continue;
  const tags = c.getMetadata('tags') || [];
  const outs = c.outputs.toJSON();
  cells.push({count: c.executionCount, expectError: tags.includes('raises-exception'),
              error: outs.some(o => o.output_type === 'error')});
}
return {status: k ? k.status : null, connection: k ? k.connectionStatus : null, cells,
        dialog: !!document.querySelector('.jp-Dialog')};
"""

# Every error a learner would see, cell by cell. Cells tagged raises-exception show their error on purpose.
_JS_ERRORS = _JS_PANEL + """
const p = panel();
if (!p) return [{cell: null, kind: 'no notebook', text: 'no notebook is open'}];
const found = [];
const texts = %s;
p.content.widgets.forEach((cell, i) => {
  const m = cell.model;
  if (m.type !== 'code') return;
  const expected = (m.getMetadata('tags') || []).includes('raises-exception');
  for (const o of m.outputs.toJSON()) {
    if (o.output_type === 'error' && !expected)
      found.push({cell: i, kind: 'error output', text: o.ename + ': ' + o.evalue});
  }
  if (expected) return;
  for (const el of cell.node.querySelectorAll(
      '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')) {
    const t = el.innerText || '';
    if (t.includes('Traceback') && !found.some(f => f.cell === i && f.kind === 'error output'))
      found.push({cell: i, kind: 'stderr traceback', text: t.slice(0, 2000)});
  }
  // Only the outputs: a lesson's own code or prose may mention these words.
  const text = (cell.outputArea && cell.outputArea.node.innerText) || '';
  for (const needle of texts) {
    if (text.includes(needle)) {
      const start = text.indexOf(needle);
      found.push({cell: i, kind: 'widget error', text: text.slice(start, start + 300)});
      break;
    }
  }
});
return found;
""" % json.dumps(list(WIDGET_ERROR_TEXTS))

_JS_CANVAS = """
(scope) => {
  const root = scope || document;
  const c = root.querySelector('.jupyter-matplotlib-canvas-div canvas');
  if (!c || !c.width || !c.height) return null;
  try { return c.toDataURL('image/png'); } catch (e) { return 'error: ' + e; }
}
"""


_JS_FIGURES = """
(scope) => {
  const root = scope || document;
  const out = [];
  for (const div of root.querySelectorAll('.jupyter-matplotlib-canvas-div')) {
    const c = div.querySelector('canvas');
    if (!c || !c.width || !c.height) { out.push(null); continue; }
    try { out.push(c.toDataURL('image/png')); } catch (e) { out.push('error: ' + e); }
  }
  for (const img of root.querySelectorAll('img')) {
    if (img.closest('.jupyter-matplotlib-canvas-div') || img.closest('.jp-Toolbar')) continue;
    out.push(img.complete && img.naturalWidth > 0 ? 'img:' + img.src : null);
  }
  return out;
}
"""


def _js(body: str) -> str:
    return "() => {" + body + "}"


def image_from_data_url(data_url: str):
    """Decode a `data:image/png;base64,...` URL into a PIL image."""
    from PIL import Image

    return Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1])))


def distinct_colours(data_url: str) -> int:
    """How many different colours the image holds (1 means blank)."""
    img = image_from_data_url(data_url).convert("RGBA")
    colours = img.getcolors(maxcolors=1 << 16)
    return len(colours) if colours is not None else 1 << 16


class NotebookPage:
    """One notebook open in its own browser page, with the waits and reads the browser tests need."""

    def __init__(self, context: Any, server: LabServer, workspace: str):
        self.context = context
        self.server = server
        self.workspace = workspace
        self.page = context.new_page()
        self.path: str | None = None
        self.console: list[str] = []
        self.page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}")
                     if msg.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda exc: self.console.append(f"pageerror: {exc}"))

    # -- opening and running

    def open(self, path: str, timeout: float = NOTEBOOK_RUN_TIMEOUT) -> None:
        """Open `path` (relative to the served root) in a fresh workspace and wait for an idle, connected kernel."""
        self.path = path
        if self.server.front_end == "notebook":  # one notebook per page, no workspaces
            url = f"{self.server.url}/notebooks/{path}?token={self.server.token}"
        else:
            url = f"{self.server.url}/lab/workspaces/{self.workspace}/tree/{path}?reset&token={self.server.token}"
        self.page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
        self.page.evaluate("(p) => { window.__nnlPath = p; }", path)
        start = time.monotonic()

        def opened() -> tuple[bool, Any]:
            state = self.page.evaluate(_js(_JS_KERNEL_STATE))
            return state.get("notebook") == path, state

        poll(opened, timeout, f"JupyterLab to load and show {path} (a notebook panel in window.jupyterapp.shell)")
        remaining = max(10.0, timeout - (time.monotonic() - start))
        # sessionContext.ready resolves once the kernel is chosen and started; then the kernel must also report
        # idle over a connected websocket (the toolbar indicator says idle too early: JUPYTER_NOTES.md).
        self.page.evaluate(_JS_PANEL + """(ms) => Promise.race([panel().sessionContext.ready,
            new Promise((_, no) => setTimeout(() => no(new Error('sessionContext.ready did not resolve')), ms))])
            .then(() => true)""", remaining * 1000)

        def kernel_idle() -> tuple[bool, Any]:
            state = self.page.evaluate(_js(_JS_KERNEL_STATE))
            if state.get("dialog"):
                raise AssertionError(f"JupyterLab opened a dialog while starting the kernel for {path}: "
                                     f"{self.dialog_text()}")
            return (state.get("ready") and state.get("status") == "idle"
                    and state.get("connection") == "connected"), state

        poll(kernel_idle, remaining, f"the python3 kernel of {path} to be idle and connected")

    def dialog_text(self) -> str:
        loc = self.page.locator(".jp-Dialog")
        return loc.first.inner_text() if loc.count() else ""

    def run_all(self, timeout: float = NOTEBOOK_RUN_TIMEOUT) -> dict:
        """Clear outputs, Run All, wait until every code cell ran and the kernel is idle, then until every widget
        output has loaded.

        Returns {"status", "connection", "cells_run", "code_cells"}. An unexpected error ends the wait early (Run
        All stops there, so later cells never get a count): `errors()` then tells what went wrong.
        """
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        self.page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        settled: list[Any] = []

        def finished() -> tuple[bool, Any]:
            state = self.page.evaluate(_js(_JS_RUN_STATE))
            if state is None:
                return False, "the notebook is no longer open"
            if state["status"] in ("dead", "restarting", "autorestarting"):
                raise AssertionError(f"the kernel of {self.path} is {state['status']} during Run All (it crashed, "
                                     "perhaps out of memory); the server log is saved with the failure")
            if state["dialog"]:
                raise AssertionError(f"JupyterLab opened a dialog during Run All of {self.path}: {self.dialog_text()}")
            cells = state["cells"]
            idle = state["status"] == "idle" and state["connection"] == "connected"
            all_ran = all(c["count"] is not None for c in cells)
            stopped = any(c["error"] and not c["expectError"] for c in cells)
            done = idle and (all_ran or stopped)
            # Idle must hold on two polls in a row: between queued cells the kernel can flash idle.
            settled.append(done)
            summary = {"status": state["status"], "connection": state["connection"],
                       "cells_run": sum(c["count"] is not None for c in cells), "code_cells": len(cells)}
            return done and len(settled) > 1 and settled[-2], summary

        started = time.monotonic()
        summary = poll(finished, timeout,
                       f"Run All of {self.path} to finish (every code cell with an execution count, kernel idle)")
        # Widget views render after the kernel is done: wait until none still says "Loading widget...".
        def loaded() -> tuple[bool, Any]:
            loading = self.loading_widgets()
            return not loading, {"cells still loading a widget": loading}

        poll(loaded, max(30.0, timeout - (time.monotonic() - started)),
             f"every widget output of {self.path} to finish loading")
        return summary

    def loading_widgets(self) -> list[int]:
        """Indexes of cells with a widget output that is still loading."""
        return self.page.evaluate(_js(_JS_PANEL + """
            const p = panel();
            const out = [];
            p.content.widgets.forEach((cell, i) => {
              for (const o of cell.node.querySelectorAll('.jp-OutputArea-output'))
                if ((o.innerText || '').includes('Loading widget')) { out.push(i); break; }
            });
            return out;"""))

    # -- reading what the learner sees

    def errors(self) -> list[dict]:
        """Error outputs, stderr tracebacks and widget errors outside cells tagged `raises-exception`, and
        tracebacks in the log console (where errors raised in widget callbacks go)."""
        return self.page.evaluate(_js(_JS_ERRORS)) + self.logged_errors()

    def logged_errors(self) -> list[dict]:
        """Tracebacks in the notebook's log console, which JupyterLab fills with output no cell owns.

        The console is opened just to read it and closed again (it would take a third of every screenshot);
        its entries live in the logger, not in the panel, so nothing is lost in between.
        """
        toggled = "() => window.jupyterapp.commands.isToggled('logconsole:open')"
        was_open = self.page.evaluate(toggled)
        if not was_open:
            self.page.evaluate("(p) => window.jupyterapp.commands.execute('logconsole:open',"
                               " {source: p, activate: false})", self.path)
        try:
            def shown() -> tuple[bool, Any]:
                text = self.page.evaluate("() => { const p = document.querySelector('.jp-LogConsolePanel');"
                                          " return p ? p.innerText.trim() : ''; }")
                return bool(text), text

            poll(shown, 15, f"the log console of {self.path} to show")
            entries = self.page.evaluate(
                "() => [...document.querySelectorAll('.jp-LogConsolePanel .jp-OutputArea-child')]"
                ".map(e => e.innerText || '')")
        finally:
            if not was_open and self.page.evaluate(toggled):
                self.page.evaluate("() => window.jupyterapp.commands.execute('logconsole:open')")
        return [{"cell": None, "kind": "log console", "text": t[-2000:]} for t in entries if "Traceback" in t]

    def code_cells(self) -> list[dict]:
        """Each code cell's execution count, tags and outputs as stored in the notebook model."""
        return self.page.evaluate(_js(_JS_PANEL + """
            const p = panel();
            const out = [];
            for (const c of p.content.model.cells) if (c.type === 'code')
              out.push({count: c.executionCount, tags: c.getMetadata('tags') || [], outputs: c.outputs.toJSON()});
            return out;"""))

    def assert_no_errors(self) -> None:
        found = self.errors()
        if found:
            lines = "\n".join(f"  cell {f['cell']}: {f['kind']}: {f['text']}" for f in found)
            raise AssertionError(f"{self.path} shows errors:\n{lines}")

    def widget(self, css: str, within: Any = None, timeout: float = 60.0) -> Any:
        """The first element matching `css` (e.g. `.nnl-readout`), waiting until it is visible."""
        loc = (within or self.page).locator(css).first
        try:
            loc.wait_for(state="visible", timeout=timeout * 1000)
        except Exception as exc:  # playwright's TimeoutError; say which widget
            raise HarnessTimeout(
                f"timed out after {timeout:.0f} s waiting for a visible `{css}` in {self.path}; "
                f"widget errors on the page: {self.errors()}") from exc
        return loc

    # -- the figures

    def canvas_image(self, scope: Any = None) -> str | None:
        """The first ipympl canvas (inside `scope`, a locator, if given) as a PNG data URL, or None."""
        if scope is None:
            return self.page.evaluate(_JS_CANVAS, None)
        return scope.evaluate(_JS_CANVAS)

    def figures(self, scope: Any = None) -> tuple[str, ...]:
        """Every figure inside `scope`: each ipympl canvas as a PNG data URL, each <img> by its source."""
        if scope is None:
            return tuple(self.page.evaluate(_JS_FIGURES, None))
        return tuple(scope.evaluate(_JS_FIGURES))

    def wait_canvas_drawn(self, scope: Any = None, timeout: float = 60.0) -> str:
        """Wait until the first canvas holds a picture (more than one colour) and stops changing; return it."""
        return self._wait_drawn(lambda: (self.canvas_image(scope),), timeout, "the ipympl canvas")[0]

    def wait_canvas_changed(self, before: str, scope: Any = None, timeout: float = 60.0) -> str:
        """Wait until the first canvas differs from `before`, then until it settles; return the settled image."""
        return self._wait_changed(lambda: (self.canvas_image(scope),), (before,), timeout, "the ipympl canvas")[0]

    def wait_figures_drawn(self, scope: Any = None, timeout: float = 60.0) -> tuple[str, ...]:
        """Wait until `scope` shows at least one figure, no canvas is blank, and nothing changes; return them."""
        return self._wait_drawn(lambda: self.figures(scope), timeout, "the figures")

    def wait_figures_changed(self, before: tuple[str, ...], scope: Any = None, timeout: float = 60.0,
                             allow_motion: bool = False) -> tuple[str, ...]:
        """Wait until any figure in `scope` differs from `before`, then until they settle; return them.

        `allow_motion`: a figure that keeps changing (an animation started by a Play button) is fine; return
        the latest images after a short wait instead of failing.
        """
        return self._wait_changed(lambda: self.figures(scope), before, timeout, "a figure", allow_motion)

    def _wait_drawn(self, snapshot: Callable[[], tuple], timeout: float, what: str) -> tuple:
        def drawn() -> tuple[bool, Any]:
            images = snapshot()
            if not images or any(img is None or img.startswith("error") for img in images):
                return False, images and [img if img is None or img.startswith("error") else "ok" for img in images]
            colours = [distinct_colours(img) for img in images if img.startswith("data:image/png")]
            return all(n > 1 for n in colours), f"canvases with these numbers of colours: {colours}"

        poll(drawn, timeout, f"{what} of {self.path} to show a picture (a canvas of one colour is blank)")
        return self._wait_settled(snapshot, timeout, what)

    def _wait_settled(self, snapshot: Callable[[], tuple], timeout: float, what: str, quiet: float = 0.75) -> tuple:
        """Wait until the snapshot has not changed for `quiet` seconds (draw_idle coalesces frames)."""
        last = {"images": snapshot(), "since": time.monotonic()}

        def still() -> tuple[bool, Any]:
            images = snapshot()
            if images != last["images"]:
                last.update(images=images, since=time.monotonic())
            return time.monotonic() - last["since"] >= quiet, "still changing"

        poll(still, timeout, f"{what} of {self.path} to stop changing", interval=0.15)
        return last["images"]

    def _wait_changed(self, snapshot: Callable[[], tuple], before: tuple, timeout: float, what: str,
                      allow_motion: bool = False) -> tuple:
        def changed() -> tuple[bool, Any]:
            images = snapshot()
            return images != before and None not in images, "unchanged"

        poll(changed, timeout, f"{what} of {self.path} to change after moving a control")
        if not allow_motion:
            return self._wait_settled(snapshot, timeout, what)
        try:
            return self._wait_settled(snapshot, 2.0, what)
        except HarnessTimeout:
            return snapshot()

    # -- the controls

    def move_slider(self, widget: Any, keys: tuple[str, ...] | None = None) -> tuple[str, str]:
        """Focus the slider handle inside `widget` and press keys; return its aria-valuenow before and after.

        Default keys: End (to the maximum), or Home when the slider already sits at its maximum, so the figure
        changes visibly. Fails if the value did not move.
        """
        handle = widget.locator(".noUi-handle").first
        try:
            handle.wait_for(state="visible", timeout=30_000)
        except Exception as exc:
            raise HarnessTimeout(f"no visible slider handle (.noUi-handle) inside the widget in {self.path}") from exc
        before = handle.get_attribute("aria-valuenow")
        if keys is None:
            at_max = before is not None and before == handle.get_attribute("aria-valuemax")
            keys = ("Home",) if at_max else ("End",)
        handle.focus()
        for key in keys:
            handle.press(key)
        poll(lambda: (handle.get_attribute("aria-valuenow") != before, handle.get_attribute("aria-valuenow")),
             10, f"the slider to move from {before} after pressing {keys}")
        return before, handle.get_attribute("aria-valuenow")

    # -- artefacts

    def save_artefacts(self, stem: Path) -> list[Path]:
        """Save what the page showed: `<stem>.png` (screenshot), `.txt` (the page's text), `.html` and
        `.console.txt` (browser console errors and warnings). Returns the files written."""
        stem.parent.mkdir(parents=True, exist_ok=True)
        named = lambda ext: stem.parent / (stem.name + ext)  # noqa: E731 - a test name can hold dots
        saved = []
        try:
            # JupyterLab scrolls inside the notebook, so a full-page shot shows one screen: make the window as
            # tall as the notebook (up to a limit) for the picture, then put it back.
            size = self.page.viewport_size
            hidden = self.page.evaluate(
                "() => { const o = document.querySelector('.jp-NotebookPanel-notebook .jp-WindowedPanel-outer');"
                " const v = o && o.querySelector('.jp-WindowedPanel-viewport');"
                " return (o && v) ? v.scrollHeight - o.clientHeight : 0; }")
            if size and hidden > 0:
                self.page.set_viewport_size(
                    {"width": size["width"], "height": min(size["height"] + int(hidden) + 100, 10_000)})
                self.page.wait_for_timeout(500)
            self.page.screenshot(path=str(named(".png")), full_page=True, timeout=15_000)
            saved.append(named(".png"))
            if size:
                self.page.set_viewport_size(size)
        except Exception as exc:  # noqa: BLE001 - a failed screenshot must not hide the test's own failure
            self.console.append(f"screenshot failed: {exc}")
        for ext, read in ((".txt", lambda: self.page.inner_text("body", timeout=10_000)),
                          (".html", self.page.content)):
            try:
                named(ext).write_text(read())
                saved.append(named(ext))
            except Exception as exc:  # noqa: BLE001
                self.console.append(f"saving the page as {ext} failed: {exc}")
        named(".console.txt").write_text("\n".join(self.console))
        saved.append(named(".console.txt"))
        return saved

    def close(self) -> None:
        try:
            self.page.close()
        finally:
            self.server.shutdown_kernels()


def temp_workdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


# ------------------------------------------------------------------------------------------ whole lessons

EXPLORER = ".nnl-explorer"
MARKED_CONTROL = ".nnl-browser-move"
_ENCLOSING_EXPLORER = (
    "xpath=ancestor-or-self::*[contains(concat(' ', normalize-space(@class), ' '), ' nnl-explorer ')][1]")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# The widget-view outputs of the notebook model, by model id. The kernel then says how many explorers each one
# holds: an explorer is the outermost widget with the CSS class nnl-explorer (a layout can hold several).
_JS_WIDGET_OUTPUTS = _JS_PANEL + """
const p = panel();
const ids = [];
for (const c of p.content.model.cells) {
  if (c.type !== 'code') continue;
  for (const o of c.outputs.toJSON()) {
    const view = o.data && o.data['%s'];
    if (view && view.model_id) ids.push(view.model_id);
  }
}
return ids;
""" % WIDGET_VIEW

# A user expression is evaluated by the kernel without running a cell, printing or defining a name.
_PY_COUNT_EXPLORERS = (
    "(lambda instances, walk: [walk(walk, instances.get(i)) for i in {ids}])("
    "__import__('ipywidgets.widgets.widget', fromlist=['_instances'])._instances, "
    "lambda walk, w: -1 if w is None else (1 if 'nnl-explorer' in (getattr(w, '_dom_classes', None) or ()) "
    "else sum(walk(walk, c) for c in (getattr(w, 'children', None) or ()))))"
)

_JS_USER_EXPRESSION = _JS_PANEL + """
async (expression) => {
  const k = panel().sessionContext.session.kernel;
  const reply = await k.requestExecute(
    {code: '', silent: true, store_history: false, user_expressions: {value: expression}}).done;
  return reply.content.user_expressions.value;
}
"""


def kernel_expression(nb: NotebookPage, expression: str) -> Any:
    """Evaluate a Python expression in the notebook's kernel (no cell, no output); return its value.

    The expression must produce a literal (numbers, strings, lists) so its `repr` can be read back.
    """
    import ast

    result = nb.page.evaluate(_JS_USER_EXPRESSION, expression)
    if result.get("status") != "ok":
        raise AssertionError(f"the kernel of {nb.path} could not evaluate {expression!r}: "
                             f"{result.get('ename')}: {result.get('evalue')}")
    return ast.literal_eval(result["data"]["text/plain"])


def expected_explorers(nb: NotebookPage) -> int:
    """How many explorers the notebook's outputs display, asked of the kernel (which knows each widget's classes).

    Fails if an output points at a widget the kernel no longer has (it would show "Model not found").
    """
    ids = nb.page.evaluate(_js(_JS_WIDGET_OUTPUTS))
    if not ids:
        return 0
    counts = kernel_expression(nb, _PY_COUNT_EXPLORERS.format(ids=json.dumps(ids)))
    gone = [i for i, n in zip(ids, counts) if n < 0]
    if gone:
        raise AssertionError(f"{nb.path}: outputs show widgets the kernel no longer has (closed?): {gone}")
    return sum(counts)


def rendered_explorers(nb: NotebookPage) -> Any:
    """A locator of the explorers on screen: `.nnl-explorer` elements not inside another one."""
    return nb.page.locator(f".jp-NotebookPanel-notebook {EXPLORER}:not({EXPLORER} {EXPLORER})")


def press_until_moved(nb: NotebookPage, target: Any, value: Callable[[], Any], forward: str, back: str,
                      presses: int = 3) -> tuple[Any, Any, str]:
    """Focus `target`, press `forward` up to `presses` times (or `back`, if forward cannot move it); return the
    value before, the value after and the keys pressed. Fails if the value never changes."""
    before = value()
    target.focus()
    for key in (forward, back):
        for _ in range(presses):
            target.press(key)
        try:
            poll(lambda: (value() != before, value()), 3, "the control's value to change")
            # Values can trail the key presses by a frame: report where the control settled.
            nb.page.wait_for_timeout(150)
            return before, value(), f"{presses} x {key}"
        except HarnessTimeout:
            continue
    raise AssertionError(f"{nb.path}: pressing {forward} and {back} on the control left its value at {before!r}")


def click_until_moved(nb: NotebookPage, control: Any, value: Callable[[], Any]) -> tuple[Any, Any, str]:
    """Click a slider's track at 80% of its length (at 20% if that does not move it); return the value before, the
    value after and where it was clicked. Fails if the value never changes."""
    track = control.locator(".noUi-target").first
    before = value()
    for fraction in (0.8, 0.2, 0.8, 0.2):
        track.scroll_into_view_if_needed()
        box = track.bounding_box()
        if not box:
            raise AssertionError(f"{nb.path}: the slider to move is not on screen")
        # The locator's own click scrolls the track into view and waits until nothing (a sticky toolbar, a
        # tooltip) covers the point, where a raw mouse click at page coordinates could land on the cover.
        track.click(position={"x": fraction * box["width"], "y": box["height"] / 2}, timeout=10_000)
        try:
            poll(lambda: (value() != before, value()), 3, "the slider's value to change")
            nb.page.wait_for_timeout(150)
            return before, value(), f"clicked the track at {fraction:.0%}"
        except HarnessTimeout:
            continue
    raise AssertionError(f"{nb.path}: clicking the slider's track at 80% and 20% (twice) left its value at {before!r}")


def slider_keys_reach_widgets(nb: NotebookPage, handle: Any) -> bool:
    """Press ArrowRight on a focused slider `handle` and say whether the key event reached it at all."""
    handle.evaluate("h => { window.__nnlKeys = []; h.addEventListener('keydown', e => window.__nnlKeys.push(e.key));"
                    " h.focus(); }")
    handle.press("ArrowRight")
    nb.page.wait_for_timeout(100)
    return "ArrowRight" in nb.page.evaluate("() => window.__nnlKeys")


def move_with_keyboard(nb: NotebookPage, control: Any) -> str:
    """Move a control as a learner would; return what was done. Sliders (the kind `nnl-browser-move` should
    mark) move with the keyboard only: focus, then ArrowRight presses (ArrowLeft at the maximum).

    Other kinds use the mouse, because JupyterLab takes their keys as notebook shortcuts (ArrowDown on a focused
    dropdown moves to the next cell): a dropdown gets its next option picked from the list, a checkbox or a
    button (Play, toggle buttons: the first one not already selected) a click.

    In Jupyter Notebook 7 sliders move with the mouse too (a click on the track): Notebook 7 handles key presses
    before the page's widgets do (JupyterLab lets them reach the widget first), so a focused slider's ArrowRight
    becomes the notebook's "next heading" shortcut and the slider stays put. See `slider_keys_reach_widgets`.
    (The sliders and dropdowns of nnlearn's browser-drawn explorers take their keys in both front ends,
    nnlearn/widgets/static/keys.js; this stays with the mouse so it moves any control the same way.)
    """
    handle = control.locator(".noUi-handle")
    if handle.count():
        h = handle.first
        if nb.server.front_end == "notebook":
            before, after, how = click_until_moved(nb, control, lambda: h.get_attribute("aria-valuenow"))
            return f"slider {before} -> {after} ({how})"
        before, after, keys = press_until_moved(nb, h, lambda: h.get_attribute("aria-valuenow"),
                                                "ArrowRight", "ArrowLeft")
        return f"slider {before} -> {after} ({keys})"
    select = control.locator("select")
    if select.count():
        s = select.first
        n = s.locator("option").count()
        if n < 2:
            raise AssertionError(f"{nb.path}: the dropdown to move has {n} option(s)")
        before = s.evaluate("e => e.selectedIndex")
        s.select_option(index=(before + 1) % n)
        return f"dropdown option {before} -> {(before + 1) % n} (picked)"
    checkbox = control.locator("input[type=checkbox]")
    if checkbox.count():
        before = checkbox.first.is_checked()
        checkbox.first.click()
        return f"checkbox {before} -> {checkbox.first.is_checked()} (clicked)"
    button = control if control.evaluate("e => e.tagName") == "BUTTON" else (
        control.locator("button:not(.mod-active):not([disabled])").first)
    if button.count():
        button.click()
        return "button clicked"
    raise AssertionError(
        f"{nb.path}: cannot move the control {control.evaluate('e => e.className')!r}: mark a slider (or a "
        "dropdown, checkbox or button) with the class nnl-browser-move")


def explorer_of(control: Any) -> Any:
    """The explorer that holds `control` (its outermost `.nnl-explorer` ancestor)."""
    enclosing = control.locator(_ENCLOSING_EXPLORER)
    if not enclosing.count():
        raise AssertionError("the control is not inside an explorer (no ancestor with the class nnl-explorer)")
    return enclosing.first


def move_and_see_change(nb: NotebookPage, control: Any, which: str) -> str:
    """Move `control` with the keyboard and wait until the figure of its explorer changes; return what was done."""
    explorer = explorer_of(control)
    if not explorer.locator(".jupyter-matplotlib-canvas-div canvas").count():
        raise AssertionError(f"{nb.path}: the explorer holding {which} has no ipympl canvas (is the lesson missing "
                             "`%matplotlib widget`?)")
    before = nb.wait_figures_drawn(explorer)
    done = move_with_keyboard(nb, control)
    try:
        nb.wait_figures_changed(before, explorer, timeout=30, allow_motion=done.startswith("button"))
    except HarnessTimeout as exc:
        raise AssertionError(f"{nb.path}: moving {which} ({done}) did not change the figure of its explorer. "
                             f"{exc}") from None
    return done


def check_lesson(nb: NotebookPage, path: str, more_moves: tuple[tuple[str, str], ...] = ()) -> dict:
    """Run a lesson and check what a learner sees: no error, every explorer drawn, and the control marked
    `nnl-browser-move`, moved with the keyboard, changes the figure of its explorer.

    `more_moves`: further controls to move the same way, as (CSS selector inside an explorer, description).
    Every other check runs before a missing `nnl-browser-move` control is reported.
    Returns what was seen and done: {"explorers": n, "moved": ["...", ...]}.
    """
    nb.open(path)
    nb.run_all()
    nb.assert_no_errors()

    expected = expected_explorers(nb)
    if expected == 0:
        raise AssertionError(
            f"{path} displays no explorer (no widget output with the class `nnl-explorer`): every lesson needs one "
            "interactive figure whose control the browser test can move.")
    explorers = rendered_explorers(nb)

    def all_rendered() -> tuple[bool, Any]:
        n = explorers.count()
        return n == expected, f"{n} of {expected} explorers on the page"

    try:
        poll(all_rendered, 30, f"the {expected} explorers of {path} to render")
    except HarnessTimeout as exc:
        raise AssertionError(f"{path}: the kernel made {expected} explorers but the page shows "
                             f"{explorers.count()}. {exc}") from None
    for i in range(expected):
        try:
            nb.wait_figures_drawn(explorers.nth(i), timeout=30)
        except HarnessTimeout as exc:
            raise AssertionError(f"{path}: explorer {i + 1} of {expected} shows no figure. {exc}") from None

    moved = []
    for css, which in more_moves:
        controls = nb.page.locator(f"{EXPLORER} {css}")
        if not controls.count():
            raise AssertionError(f"{path}: no control `{css}` ({which}) inside an explorer")
        moved.append(move_and_see_change(nb, controls.first, which))
    marked = nb.page.locator(f"{EXPLORER} {MARKED_CONTROL}")
    if not marked.count():
        raise AssertionError(
            f"{path}: no control in an explorer has the class `nnl-browser-move`. Give the one control the browser "
            "test should move (a slider, moved with the keyboard) that class: `explorer.controls[name].add_class("
            "\"nnl-browser-move\")` in the explorer (or in the lesson's cell).")
    # An explorer can hide controls (the Playground's `hide=`): move the first marked one a learner can see.
    visible = nb.page.locator(f"{EXPLORER} {MARKED_CONTROL} >> visible=true")
    if not visible.count():
        raise AssertionError(f"{path}: every control marked `nnl-browser-move` is hidden ({marked.count()} marked); "
                             "mark a control the lesson shows.")
    moved.insert(0, move_and_see_change(nb, visible.first, "the control marked nnl-browser-move"))
    nb.assert_no_errors()
    return {"explorers": expected, "moved": moved}

"""Binder: binder/ holds the same pins as pyproject.toml, and that environment runs lesson 00 in a fresh venv."""

import json
import os
import re
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


def binder_requirements():
    lines = [line.split("#")[0].strip() for line in (BINDER / "requirements.txt").read_text().splitlines()]
    return [line for line in lines if line]


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def normalise(requirement):
    return re.sub(r"\s+", "", requirement).lower()


def test_binder_pins_equal_pyproject():
    project = pyproject()["project"]
    expected = project["dependencies"] + project["optional-dependencies"]["lab"]
    requirements = binder_requirements()
    assert requirements[-1] == ".", "binder/requirements.txt ends by installing nnlearn itself ('.')"
    assert sorted(map(normalise, requirements[:-1])) == sorted(map(normalise, expected))


def test_binder_runtime_is_a_supported_python():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-3\.(\d+)", runtime)
    assert match, "repo2docker silently picks Python 3.10 without binder/runtime.txt naming python-3.x"
    minimum = int(re.search(r"3\.(\d+)", pyproject()["project"]["requires-python"]).group(1))
    assert int(match.group(1)) >= minimum


@pytest.mark.slow
def test_readme_badge_opens_jupyterlab_on_lesson_00():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badge = re.search(r"\(https://mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/(\w+)\?urlpath=([^)]+)\)", readme)
    assert badge, "README.md has no Binder badge link"
    assert badge.group(3) == "lab/tree/lessons/00_start_here.ipynb"  # JupyterLab, not the classic notebook
    assert (ROOT / "lessons" / "00_start_here.ipynb").exists()


def test_binder_environment_runs_lesson_00(tmp_path):
    """Build the Binder environment in a fresh venv (no Docker here) and run lesson 00 with its kernel."""
    env_dir = tmp_path / "binder-env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", str(BINDER / "requirements.txt")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    # binder/postBuild, as repo2docker runs it: the server setting lands in the environment's config folder and
    # the environment's Jupyter server reads it.
    build_env = {**os.environ, "PATH": f"{env_dir / 'bin'}:{os.environ['PATH']}"}
    build_env.pop("PYTHONPATH", None)
    post = subprocess.run(["bash", str(BINDER / "postBuild")], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=build_env)
    assert post.returncode == 0, post.stderr[-3000:]
    written = json.loads((env_dir / "etc" / "jupyter" / "jupyter_server_config.json").read_text())
    assert "comm_msg" in written["MappingKernelManager"]["untracked_message_types"]
    read = subprocess.run([str(env_dir / "bin" / "jupyter"), "lab", "--show-config"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={**build_env, "JUPYTER_CONFIG_DIR": str(tmp_path / "no-user-config")})
    shown = read.stdout.split("MappingKernelManager", 1)[-1]
    assert read.returncode == 0 and "'comm_msg'" in shown, read.stdout[-3000:] + read.stderr[-3000:]
    lesson = ROOT / "lessons" / "00_start_here.ipynb"
    code = (
        "import nbformat, sys\n"
        "from nbclient import NotebookClient\n"
        f"nb = nbformat.read({str(lesson)!r}, as_version=4)\n"
        f"NotebookClient(nb, timeout=300, kernel_name='python3', resources={{'metadata': {{'path': {str(tmp_path)!r}}}}}).execute()\n"
        "errors = [o for c in nb.cells for o in c.get('outputs', []) if o.get('output_type') == 'error']\n"
        "print('errors', len(errors))\n"
        "import nnlearn, ipywidgets, ipympl; print('nnlearn from', nnlearn.__file__)\n"
    )
    # the kernel must be the binder env's own python, not the test runner's
    environment = {**os.environ, "PATH": f"{env_dir / 'bin'}:{os.environ['PATH']}", "JUPYTER_PATH": str(env_dir / "share" / "jupyter")}
    environment.pop("PYTHONPATH", None)
    run = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=600, env=environment,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "errors 0" in run.stdout
    assert str(env_dir) in run.stdout  # nnlearn came from the binder environment

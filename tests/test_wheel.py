"""The package as a learner gets it: build the wheel and the sdist, check them, install the wheel into a fresh virtual
environment (not editable, the repository nowhere on the path), copy the lessons out with `nnlearn lessons` and run
lesson 00 and the newest lesson there with nbclient. This proves the lessons and data files are inside the wheel.

One test, because each step needs the one before; it prints how long each step took.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import venv
import zipfile
import tarfile
from pathlib import Path

import pytest

import nnlearn as nl

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
# What is not part of the source: never copied into the build folder.
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                    "test-output", ".ipynb_checkpoints", "*.pyc")


def run(cmd, timeout, **kwargs):
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n{done.stdout[-3000:]}\n" \
                                 f"{done.stderr[-5000:]}"
    return done


def newest_lesson(folder: Path) -> str:
    return max(folder.glob("[0-9][0-9]_*.ipynb"), key=lambda p: int(p.name[:2])).name


# The kernel is the fresh environment's Python (nbclient starts `python3` from the environment it runs in); the last
# cell added here says where nnlearn came from, so the test can see it was the installed wheel.
EXECUTE = r"""
import json, sys, time
import nbformat
from nbclient import NotebookClient

results = {}
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import nnlearn, sys; print('NNLEARN', nnlearn.__file__, sys.prefix)"))
    start = time.monotonic()
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(__import__('pathlib').Path(path).parent)}}).execute()
    errors = []
    for i, cell in enumerate(nb.cells):
        expected = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and not expected:
                errors.append(f"cell {i}: {out['ename']}: {out['evalue']}")
    where = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    results[path] = {"seconds": round(time.monotonic() - start, 1), "errors": errors, "where": where.strip(),
                     "code_cells": sum(c.cell_type == "code" for c in nb.cells) - 1}
print("RESULTS " + json.dumps(results))
"""


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_environment_and_its_lessons_run(tmp_path):
    timings = {}
    clock = time.monotonic()

    # 1. Build from a clean copy of the source, so nothing stale (build/, *.egg-info) and nothing uncommitted
    #    outside the source goes in, and the repository is left untouched.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "build", "--outdir", dist, source], timeout=600)
    wheels, sdists = list(dist.glob("*.whl")), list(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in dist.iterdir())
    wheel, sdist = wheels[0], sdists[0]
    assert wheel.name == f"nnlearn-{nl.__version__}-py3-none-any.whl"
    assert sdist.name == f"nnlearn-{nl.__version__}.tar.gz"
    run([sys.executable, "-m", "twine", "check", "--strict", wheel, sdist], timeout=120)
    timings["build + twine check"] = time.monotonic() - clock

    # 2. What is inside: every lesson (byte for byte), the data sets, the settings file, the command, the version.
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for lesson in LESSONS.glob("*.ipynb"):
            assert zf.read(f"nnlearn/lessons/{lesson.name}") == lesson.read_bytes(), lesson.name
        assert {n for n in names if n.startswith("nnlearn/lessons/")} == {
            f"nnlearn/lessons/{p.name}" for p in LESSONS.iterdir() if p.is_file() and not p.name.startswith(".")}
        for data in (ROOT / "nnlearn" / "datasets" / "data").iterdir():
            assert f"nnlearn/datasets/data/{data.name}" in names
        dist_info = f"nnlearn-{nl.__version__}.dist-info"
        settings = f"nnlearn-{nl.__version__}.data/data/share/jupyter/lab/settings/overrides.d/nnlearn.json"
        assert json.loads(zf.read(settings))["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
        assert "nnlearn = nnlearn.cli:main" in zf.read(f"{dist_info}/entry_points.txt").decode()
        metadata = zf.read(f"{dist_info}/METADATA").decode()
        assert f"\nVersion: {nl.__version__}\n" in metadata
        assert not any(n.startswith(("tests/", "lessons/")) for n in names)
    with tarfile.open(sdist) as tf:
        members = set(tf.getnames())
    top = f"nnlearn-{nl.__version__}"
    assert {f"{top}/lessons/{p.name}" for p in LESSONS.glob("*.ipynb")} <= members
    assert {f"{top}/setup.py", f"{top}/jupyter-config/nnlearn.json", f"{top}/MANIFEST.in"} <= members

    # 3. A fresh environment: the wheel (not editable) plus nbclient and ipykernel to run the lessons. pip takes
    #    the dependencies from the package index (or its cache). Nothing of the repository is on the path.
    clock = time.monotonic()
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python, bin_dir = env_dir / "bin" / "python", env_dir / "bin"
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "MPLBACKEND")}
    environment.update(PATH=f"{bin_dir}{os.pathsep}{environment.get('PATH', '')}", PYTHONNOUSERSITE="1",
                       JUPYTER_PATH=str(env_dir / "share" / "jupyter"), JUPYTER_DATA_DIR=str(tmp_path / "jdata"),
                       JUPYTER_CONFIG_DIR=str(tmp_path / "jconfig"), IPYTHONDIR=str(tmp_path / "ipython"),
                       MPLCONFIGDIR=str(tmp_path / "mpl"))
    run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel, "nbclient", "ipykernel"],
        timeout=900, env=environment, cwd=tmp_path)
    timings["fresh venv + pip install"] = time.monotonic() - clock

    where = run([python, "-c", "import nnlearn, sys; print(nnlearn.__file__); print(sys.path)"], timeout=60,
                env=environment, cwd=tmp_path).stdout.splitlines()
    assert Path(where[0]).is_relative_to(env_dir), f"nnlearn came from {where[0]}, not the fresh environment"
    assert str(ROOT) not in where[1], f"the repository is on the path: {where[1]}"
    direct_url = list((env_dir / "lib").glob("python3*/site-packages/nnlearn-*.dist-info/direct_url.json"))
    assert direct_url and not json.loads(direct_url[0].read_text()).get("dir_info", {}).get("editable", False)
    assert (env_dir / "share/jupyter/lab/settings/overrides.d/nnlearn.json").is_file(), "settings file not installed"

    # 4. The command copies the lessons out of the installed package.
    work = tmp_path / "learner"
    work.mkdir()
    listed = run([bin_dir / "nnlearn", "list"], timeout=60, env=environment, cwd=work).stdout
    assert len(listed.splitlines()) == len(list(LESSONS.glob("*.ipynb")))
    copied = run([bin_dir / "nnlearn", "lessons", "my-lessons"], timeout=60, env=environment, cwd=work).stdout
    target = work / "my-lessons"
    assert sorted(p.name for p in target.glob("*.ipynb")) == sorted(p.name for p in LESSONS.glob("*.ipynb"))
    assert re.search(rf"{len(list(LESSONS.glob('*.ipynb')))} copied", copied), copied
    again = run([python, "-m", "nnlearn", "lessons", "my-lessons"], timeout=60, env=environment, cwd=work).stdout
    assert "0 copied" in again, again

    # 5. Lesson 00 and the newest lesson run there, in a kernel of the fresh environment, without an error.
    newest = newest_lesson(target)
    assert newest == newest_lesson(LESSONS)
    clock = time.monotonic()
    script = tmp_path / "execute.py"
    script.write_text(EXECUTE)
    out = run([python, script, target / "00_start_here.ipynb", target / newest], timeout=900, env=environment,
              cwd=work).stdout
    timings["execute lesson 00 + " + newest[:2]] = time.monotonic() - clock
    results = json.loads(out.split("RESULTS ", 1)[1])
    for path, result in results.items():
        assert result["errors"] == [], f"{Path(path).name}: {result['errors']}"
        assert result["code_cells"] > 3
        assert result["where"].startswith("NNLEARN ") and str(env_dir) in result["where"], result["where"]
        assert str(ROOT) not in result["where"]

    size = wheel.stat().st_size
    print(f"\nwheel {wheel.name}: {size / 1e6:.2f} MB; sdist {sdist.stat().st_size / 1e6:.2f} MB")
    for step, seconds in timings.items():
        print(f"{step}: {seconds:.1f} s")
    for path, result in results.items():
        print(f"{Path(path).name}: {result['seconds']} s in the kernel")

"""The `nnlearn` command (nnlearn/cli.py): list, copy without overwriting a learner's work, open JupyterLab.

Also: the version comes from one place, the lessons' pictures ship with them, and JupyterLab's news prompt is off
in the environment `make lab` and `nnlearn lab` start. Building and installing the wheel is tests/test_wheel.py.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import nnlearn as nl
from nnlearn import cli

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
NOTEBOOKS = sorted(p.name for p in LESSONS.glob("*.ipynb"))


def run_cli(*args, cwd=None, env=None, user=None):
    """`python -m nnlearn ARGS` in a subprocess using this checkout's nnlearn; returns the CompletedProcess."""
    environment = {**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "nnlearn", *args], cwd=cwd, env=environment, capture_output=True,
                          text=True, timeout=120, user=user)


def read(path: Path) -> bytes:
    return path.read_bytes()


# --------------------------------------------------------------------------------------------------- version


def test_version_comes_from_one_place():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"], "pyproject.toml must not repeat the version"
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "nnlearn.__version__"}
    # What the build backend itself reads as the version is the package's.
    from setuptools.config.pyprojecttoml import read_configuration

    config = read_configuration(ROOT / "pyproject.toml", expand=True)
    assert config["project"]["version"] == nl.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", nl.__version__)


def test_version_flag_and_python_dash_m():
    done = run_cli("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"nnlearn {nl.__version__}"


def test_console_script_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"] == {"nnlearn": "nnlearn.cli:main"}


# ------------------------------------------------------------------------------------------------------ list


def test_list_prints_every_lesson_with_its_time():
    done = run_cli("list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(NOTEBOOKS)
    numbered = sorted(n for n in NOTEBOOKS if re.match(r"\d\d_", n))
    # Numbered lessons first, in order, then the others (the Playground).
    assert [line.split()[-1] for line in lines] == numbered + sorted(set(NOTEBOOKS) - set(numbered))
    for line in lines:
        name = line.split()[-1]
        first = json.loads((LESSONS / name).read_text())["cells"][0]
        text = "".join(first["source"])
        title = re.search(r"^# (.+)$", text, re.M).group(1).strip()
        minutes = re.search(r"\b(\d+)\s*(?:minutes|min)\b", text).group(1)
        assert line.startswith(title), (line, title)
        assert re.search(rf"\s{minutes} min\s", line), (line, minutes)
    assert lines[0].startswith("00 · Start here") and " 10 min " in lines[0]


def test_catalog_reads_titles_and_times(tmp_path):
    (tmp_path / "00_start_here.ipynb").write_text(json.dumps(
        {"cells": [{"cell_type": "markdown", "source": ["# 00 · Hello\n", "\n", "Short. About 7 minutes."]}]}))
    (tmp_path / "01_next.ipynb").write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "# 01 · Next"}]}))
    (tmp_path / "extra.ipynb").write_text(json.dumps({"cells": []}))
    assert cli.lesson_catalog(tmp_path) == [cli.Lesson("00_start_here.ipynb", "00 · Hello", 7),
                                            cli.Lesson("01_next.ipynb", "01 · Next", None),
                                            cli.Lesson("extra.ipynb", "extra", None)]


# ----------------------------------------------------------------------------------------------------- copy


def test_lessons_copies_every_lesson_into_a_new_folder(tmp_path):
    target = tmp_path / "deep" / "my-lessons"
    done = run_cli("lessons", str(target))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in target.glob("*.ipynb")) == NOTEBOOKS
    for name in NOTEBOOKS:
        assert read(target / name) == read(LESSONS / name)
    assert f"{len(NOTEBOOKS)} copied, 0 already there" in done.stdout


def test_default_folder_is_nnlearn_lessons_in_the_current_folder(tmp_path):
    done = run_cli("lessons", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "nnlearn-lessons" / "00_start_here.ipynb").is_file()


def test_an_edited_lesson_is_kept_and_the_shipped_one_goes_beside_it(tmp_path):
    target = tmp_path / "lessons"
    cli.copy_lessons(target)
    mine = target / "02_the_neuron.ipynb"
    edited = mine.read_text().replace("The neuron", "My neuron", 1)
    mine.write_text(edited)

    done = run_cli("lessons", str(target))
    assert done.returncode == 0, done.stderr
    assert mine.read_text() == edited, "the learner's copy must not be overwritten"
    beside = target / f"02_the_neuron.nnlearn-{nl.__version__}.ipynb"
    assert read(beside) == read(LESSONS / "02_the_neuron.ipynb")
    assert f"{len(NOTEBOOKS) - 1} already there, 0 replaced, 1 kept because you changed them" in done.stdout
    assert "02_the_neuron.ipynb differs" in done.stdout and beside.name in done.stdout and "--force" in done.stdout

    # Again: the file beside it already holds the shipped lesson, so no third copy appears.
    status = {c.name: c for c in cli.copy_lessons(target)}
    assert status["02_the_neuron.ipynb"].status == "kept" and status["02_the_neuron.ipynb"].path == beside
    assert sorted(p.name for p in target.glob("02_*")) == ["02_the_neuron.ipynb", beside.name]

    # If the name beside it is taken by something else, the next free one is used.
    beside.write_text("{}")
    status = {c.name: c for c in cli.copy_lessons(target)}
    second = target / f"02_the_neuron.nnlearn-{nl.__version__}-2.ipynb"
    assert status["02_the_neuron.ipynb"].path == second and read(second) == read(LESSONS / "02_the_neuron.ipynb")
    assert beside.read_text() == "{}" and mine.read_text() == edited


def test_force_replaces_an_edited_lesson(tmp_path):
    target = tmp_path / "lessons"
    cli.copy_lessons(target)
    (target / "00_start_here.ipynb").write_text("{}")
    done = run_cli("lessons", str(target), "--force")
    assert done.returncode == 0, done.stderr
    assert read(target / "00_start_here.ipynb") == read(LESSONS / "00_start_here.ipynb")
    assert "1 replaced" in done.stdout and not list(target.glob("*.nnlearn-*"))


def test_a_file_as_dir_is_a_clear_error(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    done = run_cli("lessons", str(a_file))
    assert done.returncode == 1
    assert f"{a_file} is a file, not a folder" in done.stderr and "Traceback" not in done.stderr
    assert a_file.read_text() == "mine"
    below = run_cli("lab", str(a_file / "sub"))
    assert below.returncode == 1 and f"{a_file} is a file, not a folder" in below.stderr


def test_a_folder_in_place_of_a_lesson_is_a_clear_error(tmp_path):
    (tmp_path / "00_start_here.ipynb").mkdir()
    with pytest.raises(cli.LessonsError, match="is a folder, where the lesson file 00_start_here.ipynb should go"):
        cli.copy_lessons(tmp_path)


def test_a_folder_without_write_permission_is_a_clear_error(tmp_path, monkeypatch, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.geteuid() == 0:
        # Root may write anywhere (and `nobody` cannot reach this interpreter): let os.access answer as it does for
        # an ordinary user in a read-only folder.
        real_access = os.access
        monkeypatch.setattr(cli.os, "access", lambda p, mode: False if Path(p) == locked else real_access(p, mode))
    try:
        assert cli.main(["lessons", str(locked / "lessons")]) == 1
    finally:
        locked.chmod(0o755)
    err = capsys.readouterr().err
    assert f"cannot write into {locked}: you have no permission" in err and "nnlearn lessons" in err
    assert not (locked / "lessons").exists()


def test_a_write_that_fails_half_way_is_a_clear_error(tmp_path, monkeypatch, capsys):
    copied = []

    def copy_then_fail(src, dst):
        if copied:
            raise PermissionError(13, "Permission denied", str(dst))
        copied.append(dst)
        return Path(dst).write_bytes(Path(src).read_bytes())

    monkeypatch.setattr(cli.shutil, "copyfile", copy_then_fail)
    assert cli.main(["lessons", str(tmp_path / "l")]) == 1
    err = capsys.readouterr().err
    assert f"cannot write {tmp_path / 'l' / NOTEBOOKS[1]}: permission denied" in err

    monkeypatch.setattr(cli.shutil, "copyfile", lambda src, dst: (_ for _ in ()).throw(OSError(28, "No space left "
                                                                                                 "on device", dst)))
    assert cli.main(["lessons", str(tmp_path / "m")]) == 1
    assert "No space left on device" in capsys.readouterr().err


def test_unknown_arguments_and_no_command_are_errors():
    assert run_cli("lessons", "a", "--bogus").returncode == 2
    done = run_cli()
    assert done.returncode == 2 and "lab" in done.stdout and "lessons" in done.stdout and "list" in done.stdout


# ------------------------------------------------------------------------------------------------------ lab


@pytest.fixture
def fake_lab(monkeypatch, tmp_path):
    """Record the JupyterLab command instead of starting it; the settings go to a temporary folder."""
    calls = []
    monkeypatch.setattr(cli.subprocess, "run",
                        lambda cmd, cwd=None: calls.append((cmd, Path(cwd))) or subprocess.CompletedProcess(cmd, 0))
    monkeypatch.setattr(cli, "_app_settings_dir", lambda: tmp_path / "app-settings")
    return calls


@pytest.mark.parametrize("uid", [0, 1000])
def test_lab_copies_then_opens_lesson_00_with_allow_root_only_as_root(fake_lab, monkeypatch, tmp_path, uid):
    monkeypatch.setattr(cli.os, "geteuid", lambda: uid)
    target = tmp_path / "here"
    assert cli.main(["lab", str(target), "--no-browser", "--port=8899"]) == 0
    [(cmd, cwd)] = fake_lab
    assert cwd == target and (target / "00_start_here.ipynb").is_file()
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert cmd[-1] == "00_start_here.ipynb"
    assert ("--allow-root" in cmd) == (uid == 0)
    assert "--no-browser" in cmd and "--port=8899" in cmd
    assert cli.server_options()[0] in cmd  # widget messages leave the kernel status alone
    settings = json.loads((tmp_path / "app-settings" / "overrides.d" / "nnlearn.json").read_text())
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_lab_without_jupyterlab_says_what_to_install(fake_lab, monkeypatch, tmp_path, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "jupyterlab" else real(name, *a))
    assert cli.main(["lab", str(tmp_path / "l")]) == 1
    assert 'pip install "nnlearn[lab]"' in capsys.readouterr().err and not fake_lab
    assert (tmp_path / "l" / "00_start_here.ipynb").is_file(), "the lessons are copied all the same"


# -------------------------------------------------------------------------------------------- what ships


def test_lesson_pictures_ship_with_the_lessons():
    """Every picture a lesson's markdown points to is a file in lessons/ of a kind the build step copies."""
    import fnmatch

    shipped = {str(p) for p in cli._lesson_files(LESSONS)}
    for name in NOTEBOOKS:
        notebook = json.loads((LESSONS / name).read_text())
        for cell in notebook["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            text = "".join(cell["source"])
            refs = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text) + re.findall(r"<img[^>]+src=[\"']([^\"']+)", text)
            for ref in refs:
                if re.match(r"[a-z]+:", ref):  # http:, data:, attachment:
                    continue
                assert ref in shipped, f"{name} shows {ref}, which is not shipped with the lessons"
    # The notebooks themselves, and the same file kinds in the build step and the command.
    assert set(NOTEBOOKS) <= shipped
    setup_py = (ROOT / "setup.py").read_text()
    assert ast.literal_eval(re.search(r"PATTERNS = (\(.*?\))", setup_py).group(1)) == cli.LESSON_FILE_PATTERNS
    assert not any(fnmatch.fnmatch(p, "*.ipynb_checkpoints*") for p in shipped)


def test_sdist_manifest_carries_the_lessons_and_settings():
    manifest = (ROOT / "MANIFEST.in").read_text().split("\n")
    assert "graft lessons" in manifest and "graft jupyter-config" in manifest


# --------------------------------------------------------------------------- JupyterLab's news prompt is off


def _notification_defaults(app_settings_dir: Path) -> dict:
    """The notification settings' defaults as JupyterLab's server computes them from `app_settings_dir`."""
    from jupyterlab.commands import get_app_dir
    from jupyterlab_server.settings_utils import get_settings

    settings, _ = get_settings(str(app_settings_dir), str(Path(get_app_dir()) / "schemas"),
                               str(app_settings_dir / "user-settings-unused"),
                               schema_name="@jupyterlab/apputils-extension:notification")
    props = settings["schema"]["properties"]
    return {key: props[key]["default"] for key in ("fetchNews", "checkForUpdates")}


def test_server_config_adds_comm_msg_to_the_servers_own_list():
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

    default = list(MappingKernelManager.untracked_message_types.default())
    untracked = cli.server_config()["MappingKernelManager"]["untracked_message_types"]
    assert untracked == default + ["comm_msg"]  # nothing of the server's own list is lost, one type added
    assert cli._SERVER_UNTRACKED == default, "the fallback list is the installed jupyter_server's default"
    [option] = cli.server_options()
    name, value = option.split("=", 1)
    assert name == "--MappingKernelManager.untracked_message_types" and " " not in option
    assert json.loads(value) == untracked


def test_without_the_overrides_jupyterlab_would_ask(tmp_path):
    # The check below can fail: JupyterLab's own default is to ask ("none").
    assert _notification_defaults(tmp_path) == {"fetchNews": "none", "checkForUpdates": True}


def test_nnlearn_lab_settings_turn_the_news_prompt_off(tmp_path):
    path = cli.ensure_lab_settings(tmp_path)
    assert path == tmp_path / "overrides.d" / "nnlearn.json"
    assert _notification_defaults(tmp_path) == {"fetchNews": "false", "checkForUpdates": False}
    # One file, two users: the wheel's data file and `make lab` copy jupyter-config/nnlearn.json.
    assert json.loads((ROOT / "jupyter-config" / "nnlearn.json").read_text()) == cli.LAB_OVERRIDES
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"]["data-files"] == {
        "share/jupyter/lab/settings/overrides.d": ["jupyter-config/nnlearn.json"]}
    # A stale or broken file is rewritten; an up-to-date one is left as it is.
    path.write_text("{not json")
    cli.ensure_lab_settings(tmp_path)
    assert json.loads(path.read_text()) == cli.LAB_OVERRIDES


def test_make_lab_puts_the_settings_in_its_environment(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    stamp = venv / ".lab-installed"
    stamp.touch()
    later = (ROOT / "pyproject.toml").stat().st_mtime + 10
    os.utime(stamp, (later, later))  # the environment counts as installed: only the settings step is left
    dry = subprocess.run(["make", "-n", "-C", str(ROOT), "lab", f"VENV={venv}"], capture_output=True, text=True)
    assert dry.returncode == 0, dry.stderr
    target = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "nnlearn.json"
    assert f"cp jupyter-config/nnlearn.json {target}" in dry.stdout
    assert dry.stdout.index(str(target)) < dry.stdout.index("jupyter lab")  # before JupyterLab starts
    assert "server_options()" in dry.stdout.split("jupyter lab", 1)[1]  # widget messages leave the status alone

    made = subprocess.run(["make", "-C", str(ROOT), str(target), f"VENV={venv}"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert _notification_defaults(venv / "share" / "jupyter" / "lab" / "settings") == {
        "fetchNews": "false", "checkForUpdates": False}


def test_readme_has_the_wheel_section_after_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    headings = re.findall(r"^## (.+)$", readme, re.M)
    assert headings[0] == "Two commands", "the two commands stay first"
    assert "Installed from a wheel" in headings
    section = readme.split("## Installed from a wheel", 1)[1].split("\n## ", 1)[0]
    assert "nnlearn lab" in section and 'pip install "nnlearn[lab]"' in section


def test_nnlearn_lab_really_starts_jupyterlab_at_lesson_00(tmp_path):
    """`nnlearn lab` for real (as root on this machine, so --allow-root is needed): the server serves the copied
    lessons with lesson 00 open, and its settings say no news prompt. JUPYTERLAB_DIR points JupyterLab at a copy of
    its application folder (the real assets, linked) so the settings file lands there, not in the environment."""
    import secrets
    import socket
    import time
    import urllib.request

    from jupyterlab.commands import get_app_dir

    app_dir = tmp_path / "app"
    app_dir.mkdir()
    for part in Path(get_app_dir()).iterdir():
        if part.name != "settings":
            (app_dir / part.name).symlink_to(part)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(8)
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "JUPYTERLAB_DIR": str(app_dir),
                   "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
                   "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings"),
                   "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}
    log = open(tmp_path / "lab.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "nnlearn", "lab", "my-lessons", "--no-browser", f"--port={port}",
         "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"],
        cwd=tmp_path, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def get(path):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (tmp_path / "lab.log").read_text()[-3000:]
            try:
                get("/api/status")
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "lab.log").read_text()[-3000:]
                time.sleep(0.5)
        served = get("/api/contents/")
        assert served["path"] == "" and {"00_start_here.ipynb", "playground.ipynb"} <= {
            item["name"] for item in served["content"]}
        notification = get("/lab/api/settings/@jupyterlab/apputils-extension:notification")
        assert notification["schema"]["properties"]["fetchNews"]["default"] == "false"
        assert notification["schema"]["properties"]["checkForUpdates"]["default"] is False
        assert (app_dir / "settings" / "overrides.d" / "nnlearn.json").is_file()
        # The page JupyterLab serves ignores the kernel status reports that widget messages cause.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/lab", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            page = response.read().decode()
        config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S).group(1))
        assert "comm_msg" in config["untracked_message_types"] and "status" in config["untracked_message_types"]
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
        log.close()
    text = (tmp_path / "lab.log").read_text()
    assert "Lessons in" in text and f"{tmp_path / 'my-lessons'}" in text
    assert "00_start_here.ipynb" in text.split("Starting JupyterLab at", 1)[1].splitlines()[0]

"""The `nnlearn` command: copy the lessons that ship inside the package into a folder and open them.

    nnlearn lab [DIR]        copy the lessons into DIR (default ./nnlearn-lessons), open JupyterLab at lesson 00
    nnlearn lessons [DIR]    only copy them
    nnlearn list             the lessons with their times
    python -m nnlearn ...    the same

A learner's copy is never overwritten: a lesson already in DIR that differs from the shipped one (edited, or just
run) is kept, and the shipped lesson goes beside it with the package version in its name. `--force` replaces it.

Where the lessons come from: an installed wheel holds them in `nnlearn/lessons/` (copied there from the
repository's `lessons/` folder at build time by setup.py); a clone or an editable install reads `lessons/` next to
the package.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["copy_lessons", "ensure_lab_settings", "lab_command", "lesson_catalog", "lessons_source", "main",
           "server_config", "server_options"]

DEFAULT_DIR = "nnlearn-lessons"
FIRST_LESSON = "00_start_here.ipynb"
# Files the lessons may reference (pictures) that ship with them, besides the notebooks themselves.
LESSON_FILE_PATTERNS = ("*.ipynb", "*.png", "*.jpg", "*.jpeg", "*.gif", "*.svg")
# JupyterLab settings for the environment the lessons open in: no "Would you like to get notified about official
# Jupyter news?" prompt over lesson 00, and no update check (it would fetch from the internet). They are
# *overrides* of the defaults: a choice the learner makes in Settings still wins.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}
OVERRIDES_FILE = Path("overrides.d") / "nnlearn.json"  # inside JupyterLab's app settings folder
# The Jupyter server's message types whose kernel status JupyterLab (and Notebook 7) ignore, as jupyter_server
# 2.x lists them by default; server_config() takes the installed server's own list when it can and adds
# "comm_msg" to it (why: server_config's docstring).
_SERVER_UNTRACKED = [
    "comm_info_request", "comm_info_reply", "kernel_info_request", "kernel_info_reply", "shutdown_request",
    "shutdown_reply", "interrupt_request", "interrupt_reply", "debug_request", "debug_reply", "stream",
    "display_data", "update_display_data", "execute_input", "execute_result", "error", "status", "clear_output",
    "debug_event", "input_request", "input_reply",
]


class LessonsError(Exception):
    """What went wrong, in words a learner can act on (printed by `nnlearn` without a traceback)."""


# ------------------------------------------------------------------------------------------------- the lessons


def lessons_source() -> Path:
    """The folder the shipped lessons are read from: inside the installed package, else the repository's lessons/.

    Shapes: none (a folder path).

    Example:
        >>> (lessons_source() / "00_start_here.ipynb").is_file()
        True
    """
    package = Path(__file__).resolve().parent
    for candidate in (package / "lessons", package.parent / "lessons"):
        if (candidate / FIRST_LESSON).is_file():
            return candidate
    raise LessonsError(
        f"the lessons are missing: looked in {package / 'lessons'} (an installed wheel) and "
        f"{package.parent / 'lessons'} (a clone of the repository). Reinstall nnlearn from a wheel or a clone.")


def _lesson_files(source: Path) -> list[Path]:
    """Every file that ships with the lessons, relative to `source`, in a stable order."""
    found: set[Path] = set()
    for pattern in LESSON_FILE_PATTERNS:
        for path in source.rglob(pattern):
            rel = path.relative_to(source)
            if path.is_file() and not any(part.startswith((".", "__")) for part in rel.parts):
                found.add(rel)
    return sorted(found)


@dataclass(frozen=True)
class Lesson:
    """One shipped lesson: its file name, title and the minutes it says it takes (None if it does not say)."""

    name: str
    title: str
    minutes: int | None


def _read_heading(path: Path) -> tuple[str, int | None]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    first = next((c for c in notebook.get("cells", []) if c.get("cell_type") == "markdown"), None)
    text = "".join(first["source"]) if first else ""
    title_line = next((line for line in text.splitlines() if line.startswith("# ")), path.stem)
    minutes = re.search(r"\b(\d+)\s*(?:minutes|min)\b", text)
    return title_line.removeprefix("# ").strip(), int(minutes.group(1)) if minutes else None


def lesson_catalog(source: Path | None = None) -> list[Lesson]:
    """The shipped lessons in order (numbered ones, then the others), each with its title and time.

    Shapes: none (a list of Lesson records).

    Example:
        >>> first = lesson_catalog()[0]
        >>> first.name, first.minutes
        ('00_start_here.ipynb', 10)
    """
    source = lessons_source() if source is None else source
    notebooks = [p for p in _lesson_files(source) if p.suffix == ".ipynb" and len(p.parts) == 1]
    numbered = sorted(p for p in notebooks if re.match(r"\d\d_", p.name))
    others = sorted(p for p in notebooks if p not in numbered)
    return [Lesson(p.name, *_read_heading(source / p)) for p in numbered + others]


# ---------------------------------------------------------------------------------------------- copying them


@dataclass(frozen=True)
class Copied:
    """What happened to one lesson file: `status` is copied, unchanged, replaced or kept; `path` is where the
    shipped version now is (for `kept`, the new file beside the learner's copy)."""

    name: str
    status: str
    path: Path


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise LessonsError(f"{target} is a file, not a folder: give a folder for the lessons "
                           f"(e.g. `nnlearn lessons {target.parent / DEFAULT_DIR}`).")
    existing = target
    while not existing.exists():  # the nearest folder that exists decides whether we may create the rest
        existing = existing.parent
    if not existing.is_dir():
        raise LessonsError(f"cannot make the folder {target}: {existing} is a file, not a folder.")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise LessonsError(f"cannot write into {existing}: you have no permission to write there. Choose a folder "
                           f"of your own, e.g. `nnlearn lessons {Path.home() / DEFAULT_DIR}`.")


def _beside(mine: Path, shipped: Path, version: str) -> Path:
    """A name next to `mine` for the shipped version: 02_the_neuron.nnlearn-0.1.0.ipynb (then -2, -3, ... when
    that name holds something else); a file there that already equals the shipped one is reused."""
    base = f"{mine.stem}.nnlearn-{version}"
    candidate, n = mine.with_name(base + mine.suffix), 2
    while candidate.exists() and not (candidate.is_file() and filecmp.cmp(candidate, shipped, shallow=False)):
        candidate, n = mine.with_name(f"{base}-{n}{mine.suffix}"), n + 1
    return candidate


def copy_lessons(target: str | os.PathLike, force: bool = False, source: Path | None = None) -> list[Copied]:
    """Copy the shipped lessons into `target` (made if missing), never overwriting a learner's edited copy.

    A file already there and identical is left alone (`unchanged`); one that differs is kept and the shipped
    version is written beside it (`kept`), or replaced when `force` is true (`replaced`).

    Shapes: none (a list of Copied records, one per shipped file).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     first, again = copy_lessons(Path(tmp) / "lessons"), copy_lessons(Path(tmp) / "lessons")
        >>> first[0].name, first[0].status, again[0].status
        ('00_start_here.ipynb', 'copied', 'unchanged')
    """
    from . import __version__

    source = lessons_source() if source is None else Path(source)
    target = Path(target).expanduser()
    _check_target(target)
    files = _lesson_files(source)
    if not any(f.suffix == ".ipynb" for f in files):
        raise LessonsError(f"no lessons found in {source}")
    done = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for rel in files:
            shipped, mine = source / rel, target / rel
            mine.parent.mkdir(parents=True, exist_ok=True)
            if not mine.exists():
                shutil.copyfile(shipped, mine)
                done.append(Copied(str(rel), "copied", mine))
            elif mine.is_dir():
                raise LessonsError(f"{mine} is a folder, where the lesson file {rel} should go: rename that folder.")
            elif filecmp.cmp(shipped, mine, shallow=False):
                done.append(Copied(str(rel), "unchanged", mine))
            elif force:
                shutil.copyfile(shipped, mine)
                done.append(Copied(str(rel), "replaced", mine))
            else:
                beside = _beside(mine, shipped, __version__)
                if not beside.exists():
                    shutil.copyfile(shipped, beside)
                done.append(Copied(str(rel), "kept", beside))
    except PermissionError as exc:
        raise LessonsError(f"cannot write {exc.filename or target}: permission denied. Choose a folder of your "
                           f"own, e.g. `nnlearn lessons {Path.home() / DEFAULT_DIR}`.") from None
    except OSError as exc:  # a read-only or full disk, a name the file system refuses, ...
        raise LessonsError(f"cannot write {exc.filename or target}: {exc.strerror or exc}.") from None
    return done


def _report(done: list[Copied], target: Path, out=None) -> None:
    out = out or sys.stdout
    counts = {s: sum(d.status == s for d in done) for s in ("copied", "unchanged", "replaced", "kept")}
    print(f"Lessons in {target.resolve()}: {counts['copied']} copied, {counts['unchanged']} already there, "
          f"{counts['replaced']} replaced, {counts['kept']} kept because you changed them.", file=out)
    for d in done:
        if d.status == "kept":
            print(f"  {d.name} differs from the shipped lesson (you edited or ran it): your copy is kept and the "
                  f"shipped one is beside it as {d.path.name}. Use --force to replace yours.", file=out)
        elif d.status == "replaced":
            print(f"  {d.name} replaced with the shipped lesson (--force).", file=out)


# --------------------------------------------------------------------------------------------- JupyterLab


def _app_settings_dir() -> Path:
    """JupyterLab's settings folder of this environment (where overrides.json and overrides.d/ are read)."""
    try:
        from jupyterlab.commands import get_app_dir

        return Path(get_app_dir()) / "settings"
    except ImportError:
        return Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"


def ensure_lab_settings(app_settings_dir: str | os.PathLike | None = None) -> Path:
    """Put nnlearn's JupyterLab overrides (no news prompt, no update check) in the environment; return the file.

    The file is nnlearn's own (`overrides.d/nnlearn.json`), so nothing of anyone else's is touched. The wheel
    installs the same file; this writes it when it is missing or out of date (e.g. an environment made before).

    Shapes: none (a file path).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     settings = json.loads(ensure_lab_settings(tmp).read_text())
        >>> settings["@jupyterlab/apputils-extension:notification"]["fetchNews"]
        'false'
    """
    folder = _app_settings_dir() if app_settings_dir is None else Path(app_settings_dir)
    path = folder / OVERRIDES_FILE
    wanted = json.dumps(LAB_OVERRIDES, indent=2) + "\n"
    try:
        current = path.read_text(encoding="utf-8") if path.is_file() else None
    except OSError:
        current = None
    if current == wanted:
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted, encoding="utf-8")
    except OSError as exc:
        raise LessonsError(f"cannot write JupyterLab's settings file {path}: {exc}") from None
    return path


def server_config() -> dict[str, dict[str, list[str]]]:
    """The Jupyter server setting the lessons open with: widget messages (``comm_msg``) do not flip the kernel's
    busy/idle status in the page.

    Every message the browser sends makes the kernel report "busy" and then "idle", and JupyterLab redraws its
    status indicators (toolbar circle, status bar, tab icon) for each report. A slider drag or a playing
    Playground sends 30 to 60 widget messages a second; in headless chromium on a 2-core machine those redraws
    took a fifth of the page's main thread. Without them a drag of explore_neuron's slider repainted 45 times a
    second instead of 30, and its median time from a change to the paint showing it fell from 56 ms to 37 ms
    (benchmarks/REPORT.md). The server's ``untracked_message_types`` is the list of message
    types whose status reports the page ignores; this adds ``comm_msg`` to the server's default list. Running
    a cell still shows busy. The same list also tells the server which messages count as activity, so on a hub
    that culls idle servers, time spent only moving sliders does not count (docs/teaching.md).

    `nnlearn lab`, `make lab`, Binder (binder/postBuild) and the browser tests use it; a Jupyter started
    without it works the same, with the status flicker.

    Shapes: none (a configuration dictionary, as a jupyter_server_config.json holds).

    Example:
        >>> untracked = server_config()["MappingKernelManager"]["untracked_message_types"]
        >>> "comm_msg" in untracked and "status" in untracked
        True
    """
    try:
        from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

        default = list(MappingKernelManager.untracked_message_types.default())
    except (ImportError, AttributeError, TypeError):  # no server here (or another one): jupyter_server 2.x's list
        default = list(_SERVER_UNTRACKED)
    if "comm_msg" not in default:
        default.append("comm_msg")
    return {"MappingKernelManager": {"untracked_message_types": default}}


def server_options() -> list[str]:
    """`server_config()` as command-line words for `jupyter lab` or `jupyter notebook` (no spaces in them, so a
    shell can pass them unquoted).

    Shapes: none (a list of command-line words).

    Example:
        >>> server_options()[0].startswith("--MappingKernelManager.untracked_message_types=[")
        True
    """
    return [f"--{section}.{name}={json.dumps(value, separators=(',', ':'))}"
            for section, values in server_config().items() for name, value in values.items()]


def lab_command(first: str = FIRST_LESSON, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The command that opens JupyterLab at `first` (run it in the lessons folder), with `server_options()`;
    --allow-root when root.

    Shapes: none (a list of command-line words).

    Example:
        >>> lab_command()[1:3]
        ['-m', 'jupyterlab']
    """
    cmd = [sys.executable, "-m", "jupyterlab"]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        cmd.append("--allow-root")  # as root (a container) JupyterLab refuses to start without it
    return cmd + server_options() + list(extra) + [first]


def _run_lab(target: Path, extra: list[str]) -> int:
    import importlib.util

    if importlib.util.find_spec("jupyterlab") is None:
        raise LessonsError("JupyterLab is not installed in this environment: `pip install \"nnlearn[lab]\"`, then "
                           "run `nnlearn lab` again. (The lessons are copied; you can open them in any Jupyter.)")
    try:
        settings = ensure_lab_settings()
    except LessonsError as exc:  # a read-only environment still opens the lessons, with the prompt
        print(f"note: {exc}; JupyterLab may ask whether to fetch news.", file=sys.stderr)
    else:
        print(f"JupyterLab settings: {settings}")
    cmd = lab_command(FIRST_LESSON, extra)
    print("Starting JupyterLab at", target.resolve() / FIRST_LESSON, "(Ctrl+C to stop)")
    try:
        return subprocess.run(cmd, cwd=target).returncode
    except KeyboardInterrupt:
        return 0


# ---------------------------------------------------------------------------------------------- the command


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="nnlearn", description="The nnlearn lessons: copy them into a folder and open them in JupyterLab.")
    parser.add_argument("--version", action="version", version=f"nnlearn {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{lab,lessons,list}")
    for name, text in (("lab", "copy the lessons into DIR and open JupyterLab at lesson 00; other options go "
                               "to JupyterLab (e.g. --no-browser, --port=8899)"),
                       ("lessons", "copy the lessons into DIR, nothing else")):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("dir", nargs="?", default=DEFAULT_DIR, metavar="DIR",
                         help=f"folder for the lessons (default ./{DEFAULT_DIR}; made if missing)")
        sub.add_argument("--force", action="store_true",
                         help="replace lessons you changed with the shipped ones (default: keep yours, put the "
                              "shipped one beside it)")
    commands.add_parser("list", help="list the lessons with their times", description="list the lessons")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `nnlearn` command with `argv` (default: the command line); return the exit status.

    Shapes: none (an exit status).

    Example:
        >>> main(["list"])  # doctest: +ELLIPSIS
        00 · Start here...10 min  00_start_here.ipynb
        ...
        0
    """
    parser = _parser()
    args, extra = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "list":
            catalog = lesson_catalog()
            width = max(len(lesson.title) for lesson in catalog)
            for lesson in catalog:
                time = f"{lesson.minutes} min" if lesson.minutes is not None else "?"
                print(f"{lesson.title:<{width}}  {time:>6}  {lesson.name}")
            return 0
        target = Path(args.dir).expanduser()
        done = copy_lessons(target, force=args.force)
        _report(done, target)
        if args.command == "lessons":
            print(f"Open them with `nnlearn lab {args.dir}` or `jupyter lab` in that folder.")
            return 0
        return _run_lab(target, extra)
    except LessonsError as exc:
        print(f"nnlearn: error: {exc}", file=sys.stderr)
        return 1

"""One build step on top of pyproject.toml: the lessons ship inside the wheel.

The repository keeps its lessons in lessons/ (the README, Binder, nbval and the browser tests use that folder), but
an installed package must carry them: build_py copies lessons/ into the built package as nnlearn/lessons/, where
`nnlearn lessons` and `nnlearn lab` (nnlearn/cli.py) find them. The sdist carries lessons/ (MANIFEST.in), so a
wheel built from the sdist gets them too. An editable install reads lessons/ from the checkout instead.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
LESSONS = ROOT / "lessons"
# The notebooks and any picture they reference; the same list as nnlearn.cli.LESSON_FILE_PATTERNS.
PATTERNS = ("*.ipynb", "*.png", "*.jpg", "*.jpeg", "*.gif", "*.svg")


def lesson_files() -> list[Path]:
    found = {p for pattern in PATTERNS for p in LESSONS.rglob(pattern) if p.is_file()}
    return sorted(p for p in found
                  if not any(part.startswith((".", "__")) for part in p.relative_to(LESSONS).parts))


class BuildPyWithLessons(build_py):
    """build_py, then copy lessons/ into <build>/nnlearn/lessons/ (not for editable installs)."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        files = lesson_files()
        if not any(p.name == "00_start_here.ipynb" for p in files):
            raise SystemExit(f"no lessons to ship: {LESSONS} has no 00_start_here.ipynb")
        target = Path(self.build_lib) / "nnlearn" / "lessons"
        shutil.rmtree(target, ignore_errors=True)  # a lesson removed since the last build must not linger in build/
        for path in files:
            dest = target / path.relative_to(LESSONS)
            self.mkpath(str(dest.parent))
            self.copy_file(str(path), str(dest))

    def get_outputs(self, include_bytecode=True):
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        return outputs + [str(Path(self.build_lib) / "nnlearn" / "lessons" / p.relative_to(LESSONS))
                          for p in lesson_files()]


setup(cmdclass={"build_py": BuildPyWithLessons})

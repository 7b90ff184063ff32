"""Every lesson follows the template (../shared/STYLE.md) and is safe to commit and to open anywhere.

Running the lessons is nbval's job (`pytest --nbval-lax lessons/`); this file checks their structure.
"""

import json
import re
from pathlib import Path

import nbformat
import pytest

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
ALL_NOTEBOOKS = sorted(LESSONS.glob("*.ipynb"))
NUMBERED = [p for p in ALL_NOTEBOOKS if re.match(r"\d\d_", p.name)]
SIZE_BUDGET = 350_000  # bytes per committed notebook: text and palette PNGs (scripts/run_lessons.py), no widgets
NETWORK_CALLS = re.compile(r"^\s*[!%]\s*(pip|conda|wget|curl)\b|urllib\.request|requests\.get|urlopen|http[s]?://",
                           re.MULTILINE)


def cells(path, kind=None):
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if kind is None or c.cell_type == kind]


def markdown(path):
    return "\n\n".join(c.source for c in cells(path, "markdown"))


def ids(paths):
    return [p.name for p in paths]


def test_there_are_lessons():
    assert (LESSONS / "00_start_here.ipynb").exists()


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_valid_notebook_with_python3_kernel(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_small_and_without_saved_widget_state(path):
    assert path.stat().st_size < SIZE_BUDGET, f"{path.name} is {path.stat().st_size} bytes: clear its outputs"
    nb = json.loads(path.read_text())
    assert "widgets" not in nb.get("metadata", {}), "saved widget state points at dead models: clear it"
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {}), (
                f"{path.name} has a saved widget view; commit without outputs"
            )


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=ids(ALL_NOTEBOOKS))
def test_no_installs_downloads_or_star_imports(path):
    for cell in cells(path, "code"):
        assert not NETWORK_CALLS.search(cell.source), f"{path.name}: installs or downloads at run time:\n{cell.source}"
        assert not re.search(r"^\s*from\s+\S+\s+import\s+\*", cell.source, re.MULTILINE), f"{path.name}: star import"


@pytest.mark.parametrize("path", NUMBERED, ids=ids(NUMBERED))
def test_template_headings(path):
    text = markdown(path)
    number = path.name[:2]
    first = cells(path)[0]
    assert first.cell_type == "markdown" and re.match(rf"# {number} · \S", first.source), (
        f"{path.name} must open with '# {number} · Title'"
    )
    assert re.search(r"\b\d+\s*(minutes|min)\b", first.source), "the first cell says how long the lesson takes"
    for heading in ("What you will learn", "Setup", "Try it", "Check yourself", "Common misconception",
                    "Summary", "Exercises"):
        assert heading.lower() in text.lower(), f"{path.name} lacks the '{heading}' part of the template"
    assert re.search(r"^## 1\. ", text, re.MULTILINE), "sections are numbered '## 1. ...'"


@pytest.mark.parametrize("path", NUMBERED, ids=ids(NUMBERED))
def test_setup_cell_holds_imports_only(path):
    all_cells = cells(path)
    setup_index = next(i for i, c in enumerate(all_cells) if c.cell_type == "markdown" and "Setup" in c.source)
    setup = next(c for c in all_cells[setup_index + 1 :] if c.cell_type == "code")
    for line in setup.source.splitlines():
        line = line.strip()
        assert not line or line.startswith(("import ", "from ", "%matplotlib", "#")), (
            f"{path.name}: the Setup cell holds imports only, found {line!r}"
        )


@pytest.mark.parametrize("path", NUMBERED, ids=ids(NUMBERED))
def test_check_yourself_is_graded_and_numbers_are_checked(path):
    code = [c.source for c in cells(path, "code")]
    assert any("nl.exercises.check(" in source for source in code), f"{path.name} needs a graded Check yourself"
    checked = [source for source in code if "# NBVAL_CHECK_OUTPUT" in source]
    assert 1 <= len(checked) <= 3, f"{path.name}: 1 to 3 seeded numeric cells carry # NBVAL_CHECK_OUTPUT"


@pytest.mark.parametrize("path", NUMBERED, ids=ids(NUMBERED))
def test_footer_links_resolve(path):
    footer = cells(path, "markdown")[-1].source
    links = re.findall(r"\]\(([^)#]+\.ipynb)\)", footer)
    assert "00_start_here.ipynb" in links or path.name == "00_start_here.ipynb", "the footer links to the index"
    for link in links:
        assert (LESSONS / link).exists(), f"{path.name} links to missing {link}"
    index = NUMBERED.index(path)
    if index + 1 < len(NUMBERED):
        assert NUMBERED[index + 1].name in links, f"{path.name}'s footer links to the next lesson"
    if index > 0:
        assert NUMBERED[index - 1].name in links, f"{path.name}'s footer links to the previous lesson"

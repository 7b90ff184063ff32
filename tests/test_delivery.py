"""What a visitor and a teacher meet first: the lesson thumbnails, the README and the teacher's page.

- every lesson has a 320x180 palette-PNG thumbnail in docs/thumbnails/, and it is not stale: making it again from
  the committed notebook gives the same pixels;
- the README shows docs/playground.png and every thumbnail, and links every lesson;
- the README's own-notebook example (the first ```python block after a line containing "own notebook") prints
  exactly the ```text block that follows it;
- docs/teaching.md has a working nbgitpuller link, names every lesson and every exercise the lessons set.
"""

from __future__ import annotations

import base64
import doctest
import importlib.util
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TEACHING = ROOT / "docs" / "teaching.md"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
THUMBNAIL_BUDGET = 40_000  # bytes per thumbnail


def _load_script():
    """Import scripts/thumbnails.py by path (scripts/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("nnlearn_thumbnails_script", ROOT / "scripts" / "thumbnails.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


thumbnails = _load_script()
LESSONS = thumbnails.lesson_notebooks()


def ids(paths):
    return [path.stem for path in paths]


def pixels(path_or_bytes) -> np.ndarray:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with Image.open(source) as image:
        return np.asarray(image.convert("RGB"))


def exercises_set_in(path: Path) -> list[str]:
    """The exercise names a lesson grades with nl.exercises.check("<name>", ...)."""
    notebook = nbformat.read(path, as_version=4)
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            found += re.findall(r"""exercises\.check\(\s*["'](\w+)["']""", cell.source)
    return found


# ---------------------------------------------------------------------------------------------- the script's parts
def test_area_weights_by_hand():
    # 4 input pixels into 3: each output pixel covers 4/3 input pixels; in units of 1/3 of an input pixel,
    # output r spans [4r, 4r + 4) and input j spans [3j, 3j + 3).
    # out0 = [0, 4): all of in0 [0, 3) -> 3, and [3, 4) of in1 -> 1
    # out1 = [4, 8): [4, 6) of in1 -> 2, [6, 8) of in2 -> 2
    # out2 = [8, 12): [8, 9) of in2 -> 1, all of in3 [9, 12) -> 3
    expected = np.array([[3, 1, 0, 0], [0, 2, 2, 0], [0, 0, 1, 3]])
    weights = thumbnails.area_weights(4, 3)
    assert weights.dtype.kind == "i" and np.array_equal(weights, expected)
    assert (weights.sum(axis=1) == 4).all() and (weights.sum(axis=0) == 3).all()  # every input pixel used once


def test_fit_on_white_keeps_flat_colours_and_centres():
    # A 100x400 grey picture into 320x180: scale min(320/400, 180/100) = 0.8 -> 320x80, centred: rows 50..129.
    grey = np.full((100, 400, 3), 128, dtype=np.uint8)
    out = thumbnails.fit_on_white(grey, size=(320, 180))
    assert out.shape == (180, 320, 3) and out.dtype == np.uint8
    assert (out[50:130] == 128).all()  # averaging a flat colour keeps it exactly
    assert (out[:50] == 255).all() and (out[130:] == 255).all()


def test_fit_on_white_averages_stripes():
    # black/white columns squeezed to half the width: each output pixel averages one 0 and one 255 = 127.5 -> 128
    stripes = np.zeros((4, 8, 3), dtype=np.uint8)
    stripes[:, 1::2] = 255
    out = thumbnails.fit_on_white(stripes, size=(4, 2))
    assert (out == 128).all()


def test_fit_on_white_never_enlarges():
    small = np.zeros((10, 20, 3), dtype=np.uint8)
    out = thumbnails.fit_on_white(small, size=(320, 180))
    assert (out == 0).sum() == 10 * 20 * 3  # exactly the 10x20 black pixels, not blown up


def test_trim_margins_keeps_the_ink_and_a_margin():
    picture = np.full((50, 60, 3), 255, dtype=np.uint8)
    picture[10:20, 30:35] = 50
    trimmed = thumbnails.trim_margins(picture, margin=2)
    assert trimmed.shape == (10 + 4, 5 + 4, 3)
    assert (trimmed[2:-2, 2:-2] == 50).all()


def _png(colour: tuple[int, int, int]) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _notebook(with_tag: bool) -> nbformat.NotebookNode:
    def figure_cell(colour, tags=()):
        cell = nbformat.v4.new_code_cell("plot()", metadata={"tags": list(tags)})
        cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": _png(colour)})]
        return cell

    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 99 · Demo"),
        figure_cell((255, 0, 0)),  # before section 1: a setup figure
        nbformat.v4.new_markdown_cell("## 1. The idea"),
        figure_cell((0, 255, 0)),
        figure_cell((0, 0, 255), tags=["thumbnail"] if with_tag else []),
    ])


@pytest.mark.parametrize("with_tag, expected", [(False, (0, 255, 0)), (True, (0, 0, 255))])
def test_pick_figure_prefers_the_tag_then_section_one(with_tag, expected):
    chosen = pixels(thumbnails.pick_figure(_notebook(with_tag)))
    assert tuple(chosen[0, 0]) == expected


@pytest.mark.parametrize("name, expected", [("06_backpropagation.ipynb", (0, 0, 255)), ("99_demo.ipynb", (0, 255, 0))])
def test_pick_figure_takes_the_preferred_section_of_a_few_lessons(name, expected):
    notebook = _notebook(with_tag=False)
    notebook.cells.insert(4, nbformat.v4.new_markdown_cell("## 5. Later idea"))  # the blue figure is now under ## 5.
    assert thumbnails.PREFERRED_SECTION["06_backpropagation"] == "## 5."
    assert tuple(pixels(thumbnails.pick_figure(notebook, name))[0, 0]) == expected


def test_pick_figure_without_figures_says_how_to_fix():
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    with pytest.raises(ValueError, match=r"scripts/run_lessons.py lessons/12_x.ipynb"):
        thumbnails.pick_figure(empty, "12_x.ipynb")


def test_script_docstring_examples_run():
    result = doctest.testmod(thumbnails, verbose=False)
    assert result.attempted >= 4 and result.failed == 0


# ---------------------------------------------------------------------------------------------- committed pictures
def test_lessons_are_found():
    assert len(LESSONS) >= 9 and LESSONS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("lesson", LESSONS, ids=ids(LESSONS))
def test_thumbnail_is_a_small_png_of_the_fixed_size(lesson):
    path = thumbnails.THUMBNAILS / f"{lesson.stem}.png"
    assert path.exists(), f"No thumbnail for {lesson.name}: run `make thumbnails` (scripts/thumbnails.py)."
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) < THUMBNAIL_BUDGET, f"{path.name} is {len(data)} bytes (budget {THUMBNAIL_BUDGET})"
    with Image.open(path) as image:
        assert image.size == thumbnails.SIZE
        assert image.mode == "P"  # palette PNG
    assert pixels(path).std() > 10, f"{path.name} is blank"


@pytest.mark.parametrize("lesson", LESSONS, ids=ids(LESSONS))
def test_thumbnail_is_not_stale(lesson, tmp_path):
    committed = thumbnails.THUMBNAILS / f"{lesson.stem}.png"
    fresh = thumbnails.make_thumbnail(lesson, tmp_path)
    assert committed.exists(), f"No thumbnail for {lesson.name}: run `make thumbnails`."
    assert np.array_equal(pixels(fresh), pixels(committed)), (
        f"docs/thumbnails/{committed.name} does not match the figures stored in {lesson.name}: run `make thumbnails`."
    )


def test_playground_picture():
    path = thumbnails.PLAYGROUND_PICTURE
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    with Image.open(path) as image:
        assert image.size == (900, 432)  # the Playground's 10 x 4.8 inch figure at 90 dpi
    assert pixels(path).std() > 10


# ---------------------------------------------------------------------------------------------- the README
@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


def test_readme_shows_the_playground_first(readme):
    images = re.findall(r"docs/[\w/]+\.png", readme)
    assert images and images[0] == "docs/playground.png", "the Playground frame is the README's first picture"


@pytest.mark.parametrize("lesson", LESSONS, ids=ids(LESSONS))
def test_readme_links_each_lesson_with_its_thumbnail(readme, lesson):
    linked = f"](lessons/{lesson.name})" in readme or f'href="lessons/{lesson.name}"' in readme
    assert linked, f"README.md has no link [..](lessons/{lesson.name}) or <a href=\"lessons/{lesson.name}\">"
    assert f"docs/thumbnails/{lesson.stem}.png" in readme, f"README.md does not show docs/thumbnails/{lesson.stem}.png"


def fenced_blocks(text: str) -> list[tuple[int, str, str]]:
    """(line number of the opening fence, language, content) of every ``` block."""
    blocks, lines, k = [], text.splitlines(), 0
    while k < len(lines):
        opening = re.match(r"^```(\w*)\s*$", lines[k])
        if opening:
            end = next(j for j in range(k + 1, len(lines)) if lines[j].startswith("```"))
            blocks.append((k, opening.group(1), "\n".join(lines[k + 1:end])))
            k = end
        k += 1
    return blocks


def own_notebook_example(text: str) -> tuple[str, str]:
    """The first python block after a line containing "own notebook", and the first text block after it."""
    lines = text.splitlines()
    start = next((k for k, line in enumerate(lines) if "own notebook" in line.lower()), None)
    assert start is not None, 'README.md has no line containing "own notebook"'
    blocks = [block for block in fenced_blocks(text) if block[0] > start]
    code = next((block for block in blocks if block[1] == "python"), None)
    assert code is not None, 'README.md has no ```python block after the "own notebook" line'
    shown = next((block for block in blocks if block[0] > code[0] and block[1] == "text"), None)
    assert shown is not None, "README.md shows no ```text block of output after the own-notebook example"
    return code[2], shown[2]


def test_fenced_block_parser():
    text = "intro\nin your own notebook:\n```bash\npip install .\n```\n```python\nprint(1)\n```\nout:\n```text\n1\n```\n"
    assert own_notebook_example(text) == ("print(1)", "1")


def test_readme_own_notebook_example_prints_what_it_shows(readme, tmp_path):
    code, shown = own_notebook_example(readme)
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == shown.rstrip("\n"), (
        f"The README's own-notebook example prints:\n{result.stdout}\nbut the README shows:\n{shown}"
    )


# ---------------------------------------------------------------------------------------------- the teacher's page
@pytest.fixture(scope="module")
def teaching() -> str:
    return TEACHING.read_text(encoding="utf-8")


def test_teaching_page_has_a_working_nbgitpuller_link(teaching):
    assert "nbgitpuller" in teaching
    links = re.findall(r"https://\S+/hub/user-redirect/git-pull\?[^\s)`\"]+", teaching)
    assert links, "docs/teaching.md has no nbgitpuller link (https://HUB/hub/user-redirect/git-pull?...)"
    query = parse_qs(urlsplit(links[0]).query)
    assert set(query) >= {"repo", "branch", "urlpath"}
    # the folder nbgitpuller clones into (the repository's name) must lead urlpath, or the link opens nothing
    folder = unquote(query["repo"][0]).rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    assert query["urlpath"][0] == f"lab/tree/{folder}/lessons/00_start_here.ipynb"
    assert query["branch"] == ["main"]  # nbgitpuller's default is master
    assert "%2F" in links[0], "the repo and urlpath values are url-encoded"


@pytest.mark.parametrize("lesson", LESSONS, ids=ids(LESSONS))
def test_teaching_page_names_each_lesson_and_its_exercises(teaching, lesson):
    assert lesson.name in teaching, f"docs/teaching.md does not mention {lesson.name}"
    for name in exercises_set_in(lesson):
        assert f"`{name}`" in teaching, f"docs/teaching.md does not list {lesson.name}'s exercise `{name}`"


def test_teaching_page_exercises_exist():
    import nnlearn as nl

    known = set(nl.exercises.names())
    for lesson in LESSONS:
        for name in exercises_set_in(lesson):
            assert name in known, f"{lesson.name} checks an exercise {name!r} that nnlearn.exercises does not have"


def test_teaching_page_shows_real_verdicts(teaching):
    import nnlearn as nl

    # the three kinds of report a teacher will see, exactly as the page quotes them
    for answers in ({"weights": None, "bias": None}, {"weights": [1.0, 1.0], "bias": 0.5},
                    {"weights": [1.0, 1.0], "bias": -1.5}):
        verdict = repr(nl.exercises.check("and_gate", **answers))
        assert verdict in teaching, f"docs/teaching.md does not show this verdict verbatim:\n{verdict}"

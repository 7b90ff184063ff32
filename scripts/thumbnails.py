"""Make the README's lesson thumbnails from each lesson's own stored figures, and the Playground picture.

For every ``lessons/NN_*.ipynb`` and ``lessons/playground.ipynb`` one stored PNG output is chosen (the first image
of a code cell tagged ``thumbnail`` if the lesson has one, otherwise the first image after the ``## 1.`` heading,
or after the heading PREFERRED_SECTION names for a few lessons), its white margins are trimmed, it is shrunk by
area averaging (NumPy) to fit 320x180, centred on white, and saved as a palette PNG in
``docs/thumbnails/<notebook stem>.png``. Nothing is
executed: the notebooks must have been run by ``scripts/run_lessons.py``. The same notebook always gives the
same pixels.

    python scripts/thumbnails.py                    # every lesson's thumbnail and docs/playground.png
    python scripts/thumbnails.py --out /tmp/thumbs lessons/02_the_neuron.ipynb     # one lesson, no Playground

docs/playground.png is one frame of the Playground trained headless on noisy spirals (seeded; about 2 s).
A lesson without a stored figure is reported and the others are still made; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import sys
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LESSONS = ROOT / "lessons"
THUMBNAILS = ROOT / "docs" / "thumbnails"
PLAYGROUND_PICTURE = ROOT / "docs" / "playground.png"
SIZE = (320, 180)  # (width, height) of every thumbnail
TAG = "thumbnail"  # a lesson author can tag the cell whose figure should be the thumbnail
WHITE_LEVEL = 248  # a pixel at least this light (of 255) in every channel counts as margin when trimming
MARGIN = 4  # pixels of white kept around the trimmed figure
# Lessons whose first figure reads badly at thumbnail size: take the first figure under this heading instead.
# (A `thumbnail` cell tag in the lesson wins over this table.)
PREFERRED_SECTION = {
    "06_backpropagation": "## 5.",  # the slope from backprop beside the loss curve; the graphs' labels are too small
    "08_hierarchical_features": "## 5.",  # lines, then combinations, in the Playground's network picture
}


def lesson_notebooks(lessons: Path = LESSONS) -> list[Path]:
    """The numbered lessons in order, then the Playground notebook if there is one.

    Shapes: none (a list of paths).

    Example:
        >>> [path.name for path in lesson_notebooks()][:2]
        ['00_start_here.ipynb', '01_what_is_a_neural_network.ipynb']
    """
    paths = sorted(lessons.glob("[0-9][0-9]_*.ipynb"))
    playground = lessons / "playground.ipynb"
    return paths + ([playground] if playground.exists() else [])


def _images(cell: nbformat.NotebookNode) -> list[bytes]:
    return [base64.b64decode(output["data"]["image/png"]) for output in cell.get("outputs", [])
            if "image/png" in output.get("data", {})]


def _first_image_after(notebook: nbformat.NotebookNode, heading: str) -> bytes | None:
    """The first stored figure after the first markdown line starting with ``heading``."""
    found = False
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and any(line.startswith(heading) for line in cell.source.splitlines()):
            found = True
        elif cell.cell_type == "code" and found and _images(cell):
            return _images(cell)[0]
    return None


def pick_figure(notebook: nbformat.NotebookNode, name: str = "notebook") -> bytes:
    """The PNG bytes of the stored figure that stands for the whole lesson.

    In order: the first figure of a cell tagged ``thumbnail``; the first after the heading that
    PREFERRED_SECTION names for this lesson; the first after ``## 1.``; the first at all.
    Shapes: none (PNG file bytes).
    """
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for cell in code_cells:
        if TAG in cell.get("metadata", {}).get("tags", []) and _images(cell):
            return _images(cell)[0]
    for heading in (PREFERRED_SECTION.get(Path(name).stem), "## 1."):
        if heading and (png := _first_image_after(notebook, heading)) is not None:
            return png
    for cell in code_cells:
        if _images(cell):
            return _images(cell)[0]
    raise ValueError(
        f"{name} has no stored figure (no image/png output) to make a thumbnail from. "
        f"Run it first: python scripts/run_lessons.py lessons/{name}"
    )


def read_rgb(png: bytes) -> np.ndarray:
    """Decode a PNG into 8-bit RGB, transparency composited on white.

    Shapes: -> (height, width, 3) uint8.
    """
    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    if pixels.dtype.kind == "f":  # matplotlib gives PNGs as floats in [0, 1]: k / 255 times 255 rounds back to k
        pixels = pixels.astype(np.float64) * 255.0
    if pixels.ndim == 2:  # greyscale
        pixels = np.repeat(pixels[:, :, None], 3, axis=2)
    if pixels.shape[2] == 4:
        alpha = pixels[:, :, 3:] / 255.0
        pixels = pixels[:, :, :3] * alpha + 255.0 * (1.0 - alpha)
    return np.round(pixels[:, :, :3]).astype(np.uint8)


def trim_margins(pixels: np.ndarray, white: int = WHITE_LEVEL, margin: int = MARGIN) -> np.ndarray:
    """Cut away the white border around a figure, keeping ``margin`` pixels of it.

    Shapes: (height, width, 3) -> (new_height, new_width, 3).

    Example:
        >>> picture = np.full((10, 10, 3), 255, dtype=np.uint8); picture[4:6, 3:5] = 0
        >>> trim_margins(picture, margin=1).shape
        (4, 4, 3)
    """
    ink = (pixels < white).any(axis=2)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return pixels
    top, bottom = max(rows[0] - margin, 0), min(rows[-1] + 1 + margin, pixels.shape[0])
    left, right = max(cols[0] - margin, 0), min(cols[-1] + 1 + margin, pixels.shape[1])
    return pixels[top:bottom, left:right]


def area_weights(n_in: int, n_out: int) -> np.ndarray:
    """How much of each input pixel falls into each output pixel when n_in pixels are squeezed into n_out.

    Measured in units of 1/n_out of an input pixel, so the weights are whole numbers and each row sums to n_in
    (dividing by n_in gives the fraction). Whole numbers keep the thumbnails exact: the same pixels on any
    machine, whatever order a BLAS library would add floats in.
    Shapes: -> (n_out, n_in) int64.

    Example:
        >>> area_weights(3, 2)          # output pixel 0 covers input 0 and half of input 1
        array([[2, 1, 0],
               [0, 1, 2]])
    """
    starts = np.arange(n_out)[:, None] * n_in  # output pixel r spans [r * n_in, (r + 1) * n_in)
    edges = np.arange(n_in)[None, :] * n_out  # input pixel j spans [j * n_out, (j + 1) * n_out)
    overlap = np.minimum(starts + n_in, edges + n_out) - np.maximum(starts, edges)
    return np.clip(overlap, 0, None).astype(np.int64)


def fit_on_white(pixels: np.ndarray, size: tuple[int, int] = SIZE) -> np.ndarray:
    """Shrink a picture (never enlarge it) by area averaging to fit ``size`` and centre it on a white canvas.

    Shapes: (height, width, 3) uint8 -> (size[1], size[0], 3) uint8.

    Example:
        >>> thumb = fit_on_white(np.zeros((90, 320, 3), dtype=np.uint8), size=(160, 90))   # shrunk to 160x45
        >>> thumb.shape, int(thumb[22:67].max()), int(thumb[:22].min())  # rows 22-66 black, white above and below
        ((90, 160, 3), 0, 255)
    """
    width, height = size
    scale = min(width / pixels.shape[1], height / pixels.shape[0], 1.0)
    new_width = max(1, round(pixels.shape[1] * scale))
    new_height = max(1, round(pixels.shape[0] * scale))
    rows, cols = area_weights(pixels.shape[0], new_height), area_weights(pixels.shape[1], new_width)
    # integer matrix products, one per axis (NumPy adds integers exactly; a float sum could differ in the last bit)
    total = np.stack([rows @ pixels[:, :, channel].astype(np.int64) @ cols.T for channel in range(3)], axis=2)
    area = pixels.shape[0] * pixels.shape[1]  # each row of `rows` sums to the height, of `cols` to the width
    small = (2 * total + area) // (2 * area)  # the average, rounded half up
    canvas = np.full((height, width, 3), 255, dtype=np.uint8)
    top, left = (height - new_height) // 2, (width - new_width) // 2
    canvas[top:top + new_height, left:left + new_width] = small
    return canvas


def write_palette_png(pixels: np.ndarray, path: Path, colors: int = 256) -> None:
    """Save RGB pixels as a palette PNG (median-cut colours, no dithering: small files, same bytes every time).

    Shapes: pixels (height, width, 3) uint8.
    """
    from PIL import Image  # a dependency of matplotlib

    image = Image.fromarray(pixels, "RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT,
                                                     dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as handle:
        image.save(handle, format="PNG", optimize=True)
    os.replace(temporary, path)


def thumbnail_pixels(notebook_path: Path, size: tuple[int, int] = SIZE) -> np.ndarray:
    """The thumbnail of one lesson as RGB pixels, before palette encoding.

    Shapes: -> (size[1], size[0], 3) uint8.
    """
    notebook = nbformat.read(notebook_path, as_version=4)
    return fit_on_white(trim_margins(read_rgb(pick_figure(notebook, notebook_path.name))), size)


def make_thumbnail(notebook_path: Path, out_dir: Path = THUMBNAILS, size: tuple[int, int] = SIZE) -> Path:
    """Write ``<out_dir>/<notebook stem>.png`` for one lesson and return its path.

    Shapes: the PNG is size[0] x size[1] pixels.
    """
    path = Path(out_dir) / f"{Path(notebook_path).stem}.png"
    write_palette_png(thumbnail_pixels(Path(notebook_path), size), path)
    return path


def make_playground_picture(path: Path = PLAYGROUND_PICTURE, epochs: int = 600) -> Path:
    """Train the Playground on noisy spirals headless and save one frame (900x432) for the top of the README.

    Shapes: the PNG is 900 x 432 pixels.
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    from nnlearn.widgets import explore_playground

    playground = explore_playground(dataset="spirals", noise=0.1, hidden_layers=[8, 8, 6], activation="tanh",
                                    optimizer="adam", learning_rate=0.01, show_test=True, seed=0, live=False)
    playground.train(epochs)
    playground.update()
    buffer = io.BytesIO()
    playground.figure.savefig(buffer, format="png", dpi=90, facecolor="white")
    write_palette_png(read_rgb(buffer.getvalue()), Path(path))
    return Path(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="lessons to do (default: every lesson)")
    parser.add_argument("--out", type=Path, default=THUMBNAILS, help="folder for the thumbnails")
    parser.add_argument("--no-playground", action="store_true",
                        help=f"do not write {PLAYGROUND_PICTURE.relative_to(ROOT)} (it is skipped anyway when "
                             "notebooks are named)")
    args = parser.parse_args(argv)
    failed = []
    for notebook in args.notebooks or lesson_notebooks():
        try:
            path = make_thumbnail(notebook, args.out)
        except ValueError as error:
            failed.append(notebook.name)
            print(f"FAILED {error}", file=sys.stderr)
            continue
        print(f"{path}  {path.stat().st_size / 1000:5.1f} KB")
    if not (args.notebooks or args.no_playground):
        path = make_playground_picture()
        print(f"{path}  {path.stat().st_size / 1000:5.1f} KB")
    if failed:
        print(f"No thumbnail for: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Execute lessons in a fresh kernel and store their outputs the way the repository keeps them.

Kept: text and static images (so GitHub, nbviewer and nbval's stored outputs show real figures).
Figures are stored as 256-colour PNGs to keep notebooks small.
Removed: live-widget views and saved widget state (they point at kernel objects that no longer exist).

    python scripts/run_lessons.py                 # every lesson
    python scripts/run_lessons.py lessons/02_the_neuron.ipynb

Prints each lesson's run time; fails if a cell errors (except cells tagged raises-exception).
"""

from __future__ import annotations

import argparse
import base64
import io
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def shrink_png(encoded: str) -> str:
    """Re-encode a figure with a 256-colour palette: the same picture to the eye, 3-5x fewer bytes."""
    raw = base64.b64decode(encoded)
    image = Image.open(io.BytesIO(raw)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    smaller = buffer.getvalue()
    return base64.b64encode(smaller).decode("ascii") if len(smaller) < len(raw) else encoded


def strip_widgets(nb: nbformat.NotebookNode) -> None:
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is not None:
                data.pop(WIDGET_VIEW, None)
                if not data:
                    continue
                if "image/png" in data:
                    data["image/png"] = shrink_png(data["image/png"])
            kept.append(output)
        cell.outputs = kept


def run(path: Path, timeout: int = 300) -> float:
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    strip_widgets(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: every lesson)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds a cell may take (default 300)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "lessons").glob("*.ipynb"))
    total = 0.0
    for path in paths:
        seconds = run(path.resolve(), args.timeout)
        total += seconds
        print(f"{path.name:45s} {seconds:6.1f} s  {path.stat().st_size / 1000:7.1f} KB", flush=True)
    print(f"{'all':45s} {total:6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

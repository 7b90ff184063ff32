"""How long one Playground frame takes: training, computing every picture, and redrawing with Agg.

The setting of issue 4: a 2-8-8-1 network, a 100x100 decision surface and every neuron's thumbnail. The data set
has 1000 points split half and half, so training runs on 500 points and all 1000 are drawn (test data shown),
which is heavier than "500 points" in either reading. Frames run through the widget's own code
(``Playground.frame``: a few epochs of training, the compute half, the artists updated in place, then drawing
into the Agg buffer):

- ``frame_blit``: a Play frame as the widget runs it: the changing artists are drawn over a saved background,
  and everything is redrawn only when an axis had to grow;
- ``frame_full``: the same frame followed by a full ``fig.canvas.draw()`` (what re-plotting would cost);
- ``draw_full`` / ``draw_blit``: the drawing alone; ``surface_compute``: the compute half alone (one forward
  pass of the 100x100 grid keeping every layer, thumbnails, edges); ``epoch``: one epoch of training alone.

Wall-clock medians are reported, and the same medians in process CPU time (``cpu_ms``), which other users of a
shared machine cannot inflate. Run: ``python benchmarks/playground_frame.py [--frames 60]``. The last line is
``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

import nnlearn as nl  # noqa: E402
from nnlearn.widgets import explore_playground  # noqa: E402

CPU_MS: dict[str, float] = {}


def _median_ms(name: str, function, repeats: int, warmup: int = 3) -> float:
    """Median wall time of ``function`` in ms; the CPU-time median goes into CPU_MS[name]."""
    for _ in range(warmup):
        function()
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU_MS[name] = round(1000.0 * statistics.median(cpu), 2)
    return round(1000.0 * statistics.median(wall), 2)


def main() -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60, help="frames timed per measurement (median reported)")
    args = parser.parse_args()
    frames = max(args.frames, 5)

    playground = explore_playground(dataset="moons", hidden_layers=[8, 8], features=["x1", "x2"], activation="tanh",
                                    learning_rate=0.03, batch_size=10, n_samples=1000, train_fraction=0.5,
                                    show_test=True, resolution=100)
    if playground._architecture() != (2, 8, 8, 1) or not isinstance(playground.figure.canvas, FigureCanvasAgg):
        raise RuntimeError("expected a 2-8-8-1 Playground on an Agg canvas")
    playground.render_offscreen = True  # nothing is on screen: draw into the Agg buffer anyway
    playground.render(full=True)  # the first full draw saves the background for blitting
    width, height = playground.figure.canvas.get_width_height()

    result = {
        "network": "2-8-8-1",
        "train_points": int(len(playground.x_train)),
        "drawn_points": int(len(playground.x_train) + len(playground.x_test)),
        "surface": "100x100",
        "thumbnails": int(sum(playground._architecture())),
        "figure_pixels": [int(width), int(height)],
    }
    result["epoch_ms"] = _median_ms("epoch_ms", lambda: playground._train(1), frames)
    result["surface_compute_ms"] = _median_ms("surface_compute_ms", playground.compute, frames)
    result["draw_full_ms"] = _median_ms("draw_full_ms", lambda: playground.render(full=True), frames)
    result["draw_blit_ms"] = _median_ms("draw_blit_ms", lambda: playground.render(full=False), frames)
    # Warm the widget's own estimates of epoch and drawing time, then time Play frames as they run.
    for _ in range(10):
        playground.frame()
    result["epochs_per_frame"] = playground.epochs_for_frame()
    result["frame_blit_ms"] = _median_ms("frame_blit_ms", playground.frame, frames)
    result["epochs_per_frame_after"] = playground.epochs_for_frame()
    epochs = result["epochs_per_frame"]

    def full_frame() -> None:
        playground._train(epochs)
        playground.update(full=True)

    result["frame_full_ms"] = _median_ms("frame_full_ms", full_frame, frames)
    result["static_png_encode_ms"] = _median_ms("static_png_encode_ms", playground._buffer_png, max(frames // 3, 5))
    result.update(
        target_frame_ms=30,
        frames_timed=frames,
        cpu_ms=CPU_MS,
        load_average=[round(v, 2) for v in os.getloadavg()],
        machine=f"{platform.machine()}, {os.cpu_count()} cpus, numpy {np.__version__}, "
                f"matplotlib {matplotlib.__version__}, nnlearn {nl.__version__}",
    )
    print(f"Playground frame: {result['network']} on {result['train_points']} training points "
          f"({result['drawn_points']} drawn), {result['surface']} surface, {result['thumbnails']} thumbnails, "
          f"{width}x{height} px Agg figure. Medians over {frames} frames, wall (CPU) ms:")
    rows = [("one epoch of training", "epoch_ms"), ("compute half: surface, thumbnails, edges", "surface_compute_ms"),
            ("full redraw, fig.canvas.draw()", "draw_full_ms"), ("blitted redraw of changed artists", "draw_blit_ms"),
            (f"Play frame, {epochs} epochs + blitted redraw", "frame_blit_ms"),
            (f"frame, {epochs} epochs + full redraw", "frame_full_ms"),
            ("PNG of the figure (no-ipympl fallback)", "static_png_encode_ms")]
    for label, key in rows:
        print(f"  {label:44s} {result[key]:8.2f}  ({CPU_MS[key]:.2f})")
    print(f"  target: a Play frame under {result['target_frame_ms']} ms; load average {result['load_average']}")
    print("RESULT " + json.dumps(result))
    return result


if __name__ == "__main__":
    main()

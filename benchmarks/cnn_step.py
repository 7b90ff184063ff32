"""One training step of the lesson's CNN, nnlearn (NumPy) against PyTorch on the CPU.

The step is forward + backward + Adam update on a batch of 64 images of ``nl.datasets.shapes`` (16x16, grey):

    Conv2D(1, 8, 3, padding=1, relu) -> MaxPool2D(2) -> Conv2D(8, 16, 3, padding=1, relu) -> MaxPool2D(2)
    -> Flatten -> Dense(16*4*4, n_classes, softmax), cross-entropy loss

Each library runs in its own process (``--lib numpy`` or ``--lib torch``), so neither's thread pools or memory
allocator disturb the other; both start from the same weights and both are limited to the same number of threads
(``--threads``, default 1: on a small shared machine one thread each gives the steadiest numbers). The parent runs
the children in interleaved rounds and keeps, for each, the lowest of its per-round medians (the round least
disturbed by other work on the machine), then prints one line:

    RESULT {"numpy_float64_ms": ..., "torch_float64_ms": ..., "torch_float32_ms": ..., "ratio_float64": ..., ...}

Run: ``python benchmarks/cnn_step.py`` (add ``--threads 2`` to let both libraries use two cores).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

BATCH = 64
IMAGE_SIZE = 16
LEARNING_RATE = 1e-3


def numpy_model():
    """The lesson's CNN in nnlearn, seeded: exactly the network lesson 08 trains."""
    from nnlearn.hierarchy import shapes_cnn

    return shapes_cnn(seed=0)


def batch():
    import nnlearn as nl

    images, labels = nl.datasets.shapes(n=BATCH, size=IMAGE_SIZE, seed=0)
    return images.reshape(BATCH, 1, IMAGE_SIZE, IMAGE_SIZE), labels


def time_steps(step, warmup: int, steps: int) -> tuple[list[float], float]:
    """Run ``step`` warmup + steps times; the step times in milliseconds and the first step's loss."""
    first_loss = step()
    for _ in range(warmup - 1):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1e3)
    return times, first_loss


def run_numpy(threads: int, warmup: int, steps: int) -> dict:
    from threadpoolctl import threadpool_limits

    import nnlearn as nl

    threadpool_limits(limits=threads)
    model = numpy_model()
    x, y = batch()
    optimizer = nl.optimizers.Adam(lr=LEARNING_RATE)

    def step() -> float:
        loss = model.loss_and_gradients(x, y, "cross_entropy")
        optimizer.step(model)
        return loss

    times, first_loss = time_steps(step, warmup, steps)
    return {"lib": "numpy", "dtype": "float64", "times_ms": times, "first_loss": first_loss}


def run_torch(dtype_name: str, threads: int, warmup: int, steps: int) -> dict:
    import torch

    torch.set_num_threads(threads)
    dtype = getattr(torch, dtype_name)
    reference = numpy_model()
    n_classes = reference.layers[-1].n_outputs
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(16 * 4 * 4, n_classes),
    ).to(dtype)
    with torch.no_grad():  # the same starting weights as nnlearn, so both compute the same numbers
        for torch_layer, layer in zip([model[0], model[3], model[7]], [reference[0], reference[2], reference[5]]):
            weights = layer.weights.T if torch_layer is model[7] else layer.weights  # Linear stores (out, in)
            torch_layer.weight.copy_(torch.from_numpy(weights.copy()))
            torch_layer.bias.copy_(torch.from_numpy(layer.bias))
    images, labels = batch()
    x = torch.from_numpy(images).to(dtype)
    y = torch.from_numpy(labels)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)

    def step() -> float:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return float(loss.detach())

    times, first_loss = time_steps(step, warmup, steps)
    return {"lib": "torch", "dtype": dtype_name, "times_ms": times, "first_loss": first_loss}


def child(args) -> None:
    if args.lib == "numpy":
        result = run_numpy(args.threads, args.warmup, args.steps)
    else:
        result = run_torch(args.dtype, args.threads, args.warmup, args.steps)
    print(json.dumps(result))


def parent(args) -> None:
    runs = {"numpy_float64": ["--lib", "numpy"], "torch_float64": ["--lib", "torch", "--dtype", "float64"],
            "torch_float32": ["--lib", "torch", "--dtype", "float32"]}
    common = ["--threads", str(args.threads), "--warmup", str(args.warmup), "--steps", str(args.steps)]
    medians: dict[str, list[float]] = {name: [] for name in runs}
    first_loss: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, flags in runs.items():
            out = subprocess.run([sys.executable, str(Path(__file__).resolve()), *flags, *common],
                                 capture_output=True, text=True, check=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            medians[name].append(statistics.median(result["times_ms"]))
            first_loss[name] = result["first_loss"]
    best = {name: min(values) for name, values in medians.items()}
    summary = {
        "numpy_float64_ms": round(best["numpy_float64"], 3),
        "torch_float64_ms": round(best["torch_float64"], 3),
        "torch_float32_ms": round(best["torch_float32"], 3),
        "ratio_float64": round(best["numpy_float64"] / best["torch_float64"], 2),
        "ratio_vs_torch_float32": round(best["numpy_float64"] / best["torch_float32"], 2),
        "round_medians_ms": {name: [round(v, 3) for v in values] for name, values in medians.items()},
        "first_loss": first_loss,
        "batch": BATCH, "image_size": IMAGE_SIZE, "threads": args.threads, "steps": args.steps,
        "rounds": args.rounds,
    }
    print(f"nnlearn float64 {summary['numpy_float64_ms']} ms/step, PyTorch float64 {summary['torch_float64_ms']} "
          f"ms/step (ratio {summary['ratio_float64']}), PyTorch float32 {summary['torch_float32_ms']} ms/step "
          f"(ratio {summary['ratio_vs_torch_float32']})")
    print("RESULT " + json.dumps(summary))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", choices=["numpy", "torch"], help="run one library (a child process)")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64", help="torch's dtype")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.lib is None:
        parent(args)
    else:
        child(args)


if __name__ == "__main__":
    main()

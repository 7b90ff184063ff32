"""One training step of lesson 12's language model, nnlearn (NumPy) against PyTorch on the CPU, in float32 and float64.

The step is forward + cross-entropy at every position + backward + Adam update on a batch of 32 windows of 16
characters of the names data (vocabulary 27), for the lesson's model:

    nl.language_model(27, context=16, d_model=64, n_heads=4, n_layers=2, d_hidden=256)
    (token embedding + learned positions, 2 pre-norm transformer blocks with 4 causal heads and a GELU MLP,
    a final LayerNorm and a linear layer to 27 logits per position; 104,603 parameters)

PyTorch runs the same network with the same starting weights (``nl.to_torch``: nn.Embedding, one Linear for the
queries, keys and values, ``scaled_dot_product_attention``, nn.LayerNorm, nn.GELU(approximate="tanh")),
``F.cross_entropy`` and ``torch.optim.Adam``. Each library and dtype runs in its own process (``--lib numpy`` or
``--lib torch``, ``--dtype``), limited to the same number of threads (``--threads``, default 1: on a small shared
machine one thread each gives the steadiest numbers). The parent runs the children in interleaved rounds and keeps
for each the lowest of its per-round medians (the round least disturbed by other work), then prints one line:

    RESULT {"numpy_float32_ms": ..., "torch_float32_ms": ..., "ratio_float32": ..., "ratio_float64": ..., ...}

Run: ``python benchmarks/transformer_step.py`` (``--quick`` for a smoke run, ``--threads 2`` for two cores).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

BATCH = 32
CONTEXT = 16
LEARNING_RATE = 3e-3
MODEL = {"d_model": 64, "n_heads": 4, "n_layers": 2, "d_hidden": 256}


def numpy_model(dtype: str):
    """The lesson's model, seeded."""
    import nnlearn as nl

    return nl.language_model(27, CONTEXT, **MODEL, seed=0, dtype=dtype)


def batch():
    """32 seeded windows of 16 characters of the names (inputs and next characters)."""
    import numpy as np

    import nnlearn as nl

    names = nl.datasets.names()
    tokenizer = nl.text.CharTokenizer("\n" + "\n".join(names) + "\n")
    tokens = tokenizer.encode("\n" + "\n".join(names) + "\n")
    return nl.text.random_windows(tokens, CONTEXT, BATCH, np.random.default_rng(0))


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


def run_numpy(dtype: str, threads: int, warmup: int, steps: int) -> dict:
    from threadpoolctl import threadpool_limits

    import nnlearn as nl

    threadpool_limits(limits=threads)
    model = numpy_model(dtype)
    x, y = batch()
    optimizer = nl.optimizers.Adam(lr=LEARNING_RATE)
    times, first_loss = time_steps(lambda: nl.text.train_step(model, x, y, optimizer), warmup, steps)
    return {"lib": "numpy", "dtype": dtype, "times_ms": times, "first_loss": first_loss}


def run_torch(dtype: str, threads: int, warmup: int, steps: int) -> dict:
    import torch

    import nnlearn as nl

    torch.set_num_threads(threads)
    model = nl.to_torch(numpy_model("float64"), dtype=getattr(torch, dtype))
    model.train()
    x, y = batch()
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)

    def step() -> float:
        optimizer.zero_grad()
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        loss.backward()
        optimizer.step()
        return float(loss.detach())

    times, first_loss = time_steps(step, warmup, steps)
    return {"lib": "torch", "dtype": dtype, "times_ms": times, "first_loss": first_loss}


def child(args) -> None:
    run = run_numpy if args.lib == "numpy" else run_torch
    print(json.dumps(run(args.dtype, args.threads, args.warmup, args.steps)))


def parent(args) -> None:
    if args.quick:
        args.warmup, args.steps, args.rounds = 3, 10, 1
    runs = {f"{lib}_{dtype}": ["--lib", lib, "--dtype", dtype]
            for dtype in ("float32", "float64") for lib in ("numpy", "torch")}
    common = ["--threads", str(args.threads), "--warmup", str(args.warmup), "--steps", str(args.steps)]
    medians: dict[str, list[float]] = {name: [] for name in runs}
    first_loss: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, flags in runs.items():
            out = subprocess.run([sys.executable, str(Path(__file__).resolve()), *flags, *common],
                                 capture_output=True, text=True, check=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            medians[name].append(statistics.median(result["times_ms"]))
            first_loss[name] = round(result["first_loss"], 6)
    best = {name: min(values) for name, values in medians.items()}
    summary: dict = {}
    for dtype in ("float32", "float64"):
        numpy_ms, torch_ms = best[f"numpy_{dtype}"], best[f"torch_{dtype}"]
        summary[f"numpy_{dtype}_ms"] = round(numpy_ms, 3)
        summary[f"torch_{dtype}_ms"] = round(torch_ms, 3)
        summary[f"ratio_{dtype}"] = round(numpy_ms / torch_ms, 2)
        summary[f"numpy_{dtype}_tokens_per_s"] = round(BATCH * CONTEXT / numpy_ms * 1e3)
        summary[f"torch_{dtype}_tokens_per_s"] = round(BATCH * CONTEXT / torch_ms * 1e3)
    summary["summary"] = (
        f"One training step of lesson 12's language model (batch {BATCH}, context {CONTEXT}, d_model 64, 2 layers, "
        f"4 heads): nnlearn/PyTorch time ratio {summary['ratio_float32']} in float32 and "
        f"{summary['ratio_float64']} in float64 (target <= 1.5); nnlearn "
        f"{summary['numpy_float32_tokens_per_s']:,} tokens/s in float32.")
    summary.update({"round_medians_ms": {name: [round(v, 3) for v in values] for name, values in medians.items()},
                    "first_loss": first_loss, "batch": BATCH, "context": CONTEXT, "threads": args.threads,
                    "steps": args.steps, "rounds": args.rounds})
    print(summary["summary"])
    print("RESULT " + json.dumps(summary))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", choices=["numpy", "torch"], help="run one library (a child process)")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="a smoke run: few steps, one round")
    args = parser.parse_args()
    if args.lib is None:
        parent(args)
    else:
        child(args)


if __name__ == "__main__":
    main()

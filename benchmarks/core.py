"""Core speed benchmarks: one epoch of nnlearn's ``fit`` against the same work in a plain PyTorch loop.

One process measures one library, because on 2 cores torch's OpenMP threads and OpenBLAS's threads slow each
other down when they share a process. ``benchmarks/run.py`` starts these processes and reads the one line each
prints, ``RESULT {json}``:

    python benchmarks/core.py --lib numpy                # nnlearn epochs and this machine's matmul rate
    python benchmarks/core.py --lib torch [--threads 1]  # PyTorch float64 epochs (default threads, or 1)
    python benchmarks/core.py --same-process none        # NumPy epochs before and after torch runs beside them
                                                         # (guards: none, torch_threads, threadpoolctl, to_torch)

Add ``--quick`` for a smoke run with fewer epochs and samples (its figures are not comparable to the targets).

The cases:

* ``small_full`` / ``small_b16``: a 2-16-16-1 tanh network with a sigmoid output on 200 moons points, bce, Adam,
  full batch and batch 16 (shuffled every epoch, as ``fit`` does).
* ``mnist``: a 784-128-10 relu network with a softmax output on 10,000 random 784-feature samples, 10 classes,
  cross_entropy, Adam, batch 128; ``mnist_sgd`` the same with plain SGD (``fit``'s default optimizer).

"The same work" on the PyTorch side: the same data, the same initial weights (copied from the nnlearn model),
``torch.randperm`` shuffling each epoch, forward, loss, backward and ``optimizer.step()`` per batch, and the
epoch's loss and accuracy as averages over the batches as they were trained on, which is what ``fit`` records
in its History.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# Run from a clone without installing: without an importable nnlearn, this tree's is used. (PYTHONPATH can point
# at another copy, e.g. a patched one to compare; the result names the path that was measured.)
ROOT = Path(__file__).resolve().parent.parent
if importlib.util.find_spec("nnlearn") is None:
    sys.path.insert(0, str(ROOT))

import nnlearn as nl  # noqa: E402

__all__ = [
    "CASES",
    "Case",
    "GUARDS",
    "build_nnlearn",
    "build_torch_copy",
    "epochs_for",
    "make_data",
    "matmul_rate",
    "mnist_flops_per_epoch",
    "run_numpy",
    "run_same_process",
    "run_torch",
    "summarize",
    "time_nnlearn",
    "time_torch",
]


@dataclass(frozen=True)
class Case:
    """One benchmark network and its data.

    Shapes: data x (n, widths[0]); y (n,) labels.
    """

    name: str
    title: str
    widths: tuple[int, ...]
    activations: tuple[str, ...]  # one per Dense layer; the last is fused with the loss on the PyTorch side
    loss: str
    batch_size: int | None
    lr: float
    n: int
    optimizer: str = "adam"  # "adam" or "sgd" (plain), the same on both sides


CASES: dict[str, Case] = {
    "small_full": Case("small_full", "2-16-16-1 tanh/sigmoid, 200 moons points, full batch",
                       (2, 16, 16, 1), ("tanh", "tanh", "sigmoid"), "bce", None, 0.01, 200),
    "small_b16": Case("small_b16", "2-16-16-1 tanh/sigmoid, 200 moons points, batch 16",
                      (2, 16, 16, 1), ("tanh", "tanh", "sigmoid"), "bce", 16, 0.01, 200),
    "mnist": Case("mnist", "784-128-10 relu/softmax, 10,000 random samples, batch 128",
                  (784, 128, 10), ("relu", "softmax"), "cross_entropy", 128, 0.001, 10_000),
    # The same with plain SGD (fit's default optimizer): what is left when the optimizer costs almost nothing.
    "mnist_sgd": Case("mnist_sgd", "784-128-10 relu/softmax, 10,000 random samples, batch 128, plain SGD",
                      (784, 128, 10), ("relu", "softmax"), "cross_entropy", 128, 0.01, 10_000, "sgd"),
}

# Epochs timed per case (the first is a warm-up and left out), and the sample count where a mode changes it.
_EPOCHS = {
    "full": {"small_full": 400, "small_b16": 120, "mnist": 12, "mnist_sgd": 12},
    "quick": {"small_full": 20, "small_b16": 5, "mnist": 3, "mnist_sgd": 3},
}
_QUICK_N = {"mnist": 2_000, "mnist_sgd": 2_000}

# Ways to keep torch's threads from fighting OpenBLAS's when both live in one process.
GUARDS = ("none", "torch_threads", "threadpoolctl", "to_torch")


def epochs_for(case: str, quick: bool = False) -> tuple[int, int]:
    """(epochs to time, samples) for a case in the full or the quick mode."""
    mode = "quick" if quick else "full"
    n = _QUICK_N.get(case, CASES[case].n) if quick else CASES[case].n
    return _EPOCHS[mode][case], n


def summarize(times: Sequence[float]) -> dict[str, float | int]:
    """Best, median and count of a list of durations in seconds.

    Example:
        >>> summarize([0.3, 0.1, 0.2])
        {'best_s': 0.1, 'median_s': 0.2, 'count': 3}
    """
    times = [float(t) for t in times]
    if not times:
        raise ValueError("summarize needs at least one timing, but got none.")
    return {"best_s": min(times), "median_s": statistics.median(times), "count": len(times)}


def mnist_flops_per_epoch(n: int, widths: Sequence[int] = (784, 128, 10)) -> int:
    """Matmul FLOPs of one training epoch, 2*m*k*n each: forward and weight gradient for every layer, input
    gradient for every layer but the first (nobody needs the gradient for the data, and neither nnlearn nor
    PyTorch computes it).

    Example:
        >>> mnist_flops_per_epoch(1, (2, 3, 4))   # 2 * 1 * (2*3) * 2 matmuls + 2 * 1 * (3*4) * 3 matmuls
        96
    """
    sizes = [a * b for a, b in zip(widths[:-1], widths[1:])]
    return 2 * n * (2 * sizes[0] + 3 * sum(sizes[1:]))


def make_data(case: Case, n: int | None = None, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The case's inputs and integer labels: moons for the small net, standard-normal features otherwise.

    Shapes: -> x (n, widths[0]) float64, y (n,) int64.
    """
    n = case.n if n is None else n
    if case.widths[0] == 2:
        x, y = nl.datasets.moons(n=n, noise=0.1, seed=seed)
        return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.int64)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, case.widths[0]))
    y = rng.integers(0, case.widths[-1], size=n)
    return x, y


def build_nnlearn(case: Case, seed: int = 0) -> nl.Sequential:
    """The case's network as an nnlearn Sequential of Dense layers."""
    layers = [nl.Dense(a, b, act) for a, b, act in zip(case.widths[:-1], case.widths[1:], case.activations)]
    return nl.Sequential(layers, seed=seed)


def build_torch_copy(model: nl.Sequential) -> Any:
    """A float64 ``torch.nn.Sequential`` with the same weights; the last activation is left to the loss.

    nnlearn stores weights (n_inputs, n_outputs) and torch's Linear (n_outputs, n_inputs), hence the transpose.
    """
    import torch

    modules: list[Any] = []
    modules_for = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}
    for i, layer in enumerate(model.layers):
        linear = torch.nn.Linear(layer.n_inputs, layer.n_outputs, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer.weights.T.copy()))
            linear.bias.copy_(torch.from_numpy(layer.bias.copy()))
        modules.append(linear)
        if i < len(model.layers) - 1:
            modules.append(modules_for[layer.activation.name]())
    return torch.nn.Sequential(*modules)


# ---------------------------------------------------------------------------------------------- timing
def time_nnlearn(case: Case, epochs: int, n: int | None = None, seed: int = 0) -> dict[str, Any]:
    """Time ``epochs`` epochs of the public ``model.fit`` (one call); the first epoch is a warm-up.

    Each epoch's time is the gap between two calls of fit's ``callback``, so it holds everything an epoch of
    ``fit`` does: shuffling, every batch's forward/backward/step, the running loss and accuracy, and its checks.
    """
    if epochs < 2:
        raise ValueError(f"time_nnlearn needs epochs >= 2 (the first is a warm-up), but got {epochs}.")
    x, y = make_data(case, n, seed)
    model = build_nnlearn(case, seed)
    stamps = [time.perf_counter()]
    history = model.fit(
        x, y, case.loss, optimizer=case.optimizer, lr=case.lr, epochs=epochs, batch_size=case.batch_size, seed=seed,
        progress=False, callback=lambda epoch, logs: stamps.append(time.perf_counter()),
    )
    times = np.diff(stamps)[1:]
    return {**summarize(times), "n": len(x), "first_loss": history.loss[0], "last_loss": history.loss[-1],
            "last_accuracy": history.accuracy[-1]}


def _torch_targets(case: Case, y: np.ndarray) -> Any:
    import torch

    if case.loss == "bce":
        return torch.from_numpy(y.astype(np.float64).reshape(-1, 1))
    return torch.from_numpy(y.astype(np.int64))


def _torch_loss(case: Case) -> Any:
    import torch

    # The fused forms, as nnlearn fuses sigmoid+bce and softmax+cross_entropy.
    return torch.nn.BCEWithLogitsLoss() if case.loss == "bce" else torch.nn.CrossEntropyLoss()


def _torch_accuracy(case: Case, logits: Any, targets: Any) -> float:
    if case.loss == "bce":
        return float(((logits > 0).to(targets.dtype) == targets).double().mean())
    return float((logits.argmax(dim=1) == targets).double().mean())


def _torch_optimizer(torch: Any, case: Case, model: Any) -> Any:
    if case.optimizer == "sgd":
        return torch.optim.SGD(model.parameters(), lr=case.lr)
    return torch.optim.Adam(model.parameters(), lr=case.lr)


def time_torch(case: Case, epochs: int, n: int | None = None, seed: int = 0,
               threads: int | None = None) -> dict[str, Any]:
    """Time ``epochs`` epochs of a plain PyTorch float64 loop doing what ``fit`` does; the first is a warm-up."""
    import torch

    if epochs < 2:
        raise ValueError(f"time_torch needs epochs >= 2 (the first is a warm-up), but got {epochs}.")
    if threads is not None:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    x, y = make_data(case, n, seed)
    model = build_torch_copy(build_nnlearn(case, seed))
    xt, yt = torch.from_numpy(x), _torch_targets(case, y)
    loss_fn = _torch_loss(case)
    optimizer = _torch_optimizer(torch, case, model)
    n_samples = len(x)
    times, losses, accuracies = [], [], []
    for _ in range(epochs):
        start = time.perf_counter()
        if case.batch_size is None or case.batch_size >= n_samples:
            batches = [None]
        else:
            batches = torch.randperm(n_samples).split(case.batch_size)
        total_loss = total_correct = 0.0
        for index in batches:
            xb, yb = (xt, yt) if index is None else (xt[index], yt[index])
            optimizer.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            loss.backward()
            optimizer.step()
            # fit's History: the epoch's loss and accuracy are averages over the batches as they were trained on
            total_loss += loss.item() * len(xb)
            total_correct += _torch_accuracy(case, logits.detach(), yb) * len(xb)
        losses.append(total_loss / n_samples)
        accuracies.append(total_correct / n_samples)
        times.append(time.perf_counter() - start)
    return {**summarize(times[1:]), "n": n_samples, "threads": torch.get_num_threads(), "first_loss": losses[0],
            "last_loss": losses[-1], "last_accuracy": accuracies[-1]}


def matmul_rate(size: int = 2048, repeats: int = 7, seed: int = 0) -> dict[str, float | int]:
    """This machine's float64 matmul rate through NumPy: GFLOP/s of size x size @ size x size, best and median."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((size, size))
    b = rng.standard_normal((size, size))
    out = np.empty((size, size))
    np.matmul(a, b, out=out)  # warm-up: wakes the BLAS threads and touches every page
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        np.matmul(a, b, out=out)
        times.append(time.perf_counter() - start)
    flops = 2.0 * size**3
    summary = summarize(times)
    return {"size": size, "repeats": repeats, "gflops_best": flops / summary["best_s"] / 1e9,
            "gflops_median": flops / summary["median_s"] / 1e9}


# ---------------------------------------------------------------------------------------------- one process each
def _blas_info() -> list[dict[str, Any]]:
    try:
        import threadpoolctl

        return [{k: v for k, v in pool.items() if k != "filepath"} for pool in threadpoolctl.threadpool_info()]
    except Exception as error:  # threadpoolctl missing or failing: say so instead of failing the benchmark
        return [{"error": f"{type(error).__name__}: {error}"}]


def _environment() -> dict[str, Any]:
    return {"python": platform.python_version(), "numpy": np.__version__, "nnlearn": nl.__version__,
            "nnlearn_path": str(Path(nl.__file__).resolve().parent), "pid": os.getpid(),
            "thread_pools": _blas_info()}


def run_numpy(quick: bool = False, cases: Sequence[str] = tuple(CASES), matmul_size: int | None = None,
              epochs: dict[str, int] | None = None, n: dict[str, int] | None = None) -> dict[str, Any]:
    """Every case with nnlearn, plus the matmul rate, in this process (which must not have imported torch).

    ``epochs`` and ``n`` override the mode's counts per case (the smoke test uses tiny ones).
    """
    result: dict[str, Any] = {"lib": "numpy", "quick": quick, "environment": _environment(), "cases": {}}
    result["matmul"] = matmul_rate(matmul_size or (512 if quick else 2048), repeats=3 if quick else 7)
    for name in cases:
        count, samples = epochs_for(name, quick)
        count = (epochs or {}).get(name, count)
        samples = (n or {}).get(name, samples)
        timing = time_nnlearn(CASES[name], count, samples)
        if name.startswith("mnist"):
            flops = mnist_flops_per_epoch(samples, CASES[name].widths)
            timing["gflops_best"] = flops / timing["best_s"] / 1e9
            timing["gflops_median"] = flops / timing["median_s"] / 1e9
        result["cases"][name] = timing
    # Checked at the end: nothing above may have pulled torch in, or the numbers would be the shared-process ones.
    result["torch_imported"] = "torch" in sys.modules
    return result


def run_torch(quick: bool = False, threads: int | None = None, cases: Sequence[str] = tuple(CASES),
              epochs: dict[str, int] | None = None, n: dict[str, int] | None = None) -> dict[str, Any]:
    """Every case with PyTorch float64 in this process; NumPy's own BLAS is held to 1 thread (it is idle here)."""
    import torch

    try:
        import threadpoolctl

        limiter = threadpoolctl.threadpool_limits(limits=1, user_api="blas")
    except ImportError:
        limiter = None
    result: dict[str, Any] = {"lib": "torch", "quick": quick, "threads_requested": threads,
                              "torch": torch.__version__, "environment": _environment(), "cases": {}}
    for name in cases:
        count, samples = epochs_for(name, quick)
        count = (epochs or {}).get(name, count)
        samples = (n or {}).get(name, samples)
        result["cases"][name] = time_torch(CASES[name], count, samples, threads=threads)
    result["torch_threads"] = torch.get_num_threads()
    result["torch_config_parallel"] = torch.__config__.parallel_info().splitlines()[:6]
    if limiter is not None:
        limiter.restore_original_limits()
    return result


def _import_torch_with_guard(guard: str, model: nl.Sequential) -> tuple[Any, Any]:
    """Import torch and switch on one guard against thread fights; returns (torch, what keeps the guard alive).

    ``to_torch`` is nnlearn's own route: ``nl.to_torch(model)`` imports torch itself with OpenMP told to sleep
    when idle (OMP_WAIT_POLICY=PASSIVE), so it must be the first import of torch in the process.
    """
    if guard == "to_torch":
        if not hasattr(nl, "to_torch"):
            raise RuntimeError("this nnlearn has no to_torch, so its guard cannot be measured.")
        nl.to_torch(model)
    import torch

    return torch, _apply_guard(guard)


def _apply_guard(guard: str) -> Any:
    """Switch on one guard against thread fights after torch is imported; returns what keeps it alive."""
    import torch

    if guard in ("none", "to_torch"):
        return None
    if guard == "torch_threads":
        torch.set_num_threads(1)
        return None
    if guard == "threadpoolctl":
        import threadpoolctl

        # Only the OpenMP pool (torch's); NumPy's OpenBLAS keeps both threads for its own matmuls.
        return threadpoolctl.threadpool_limits(limits=1, user_api="openmp")
    raise ValueError(f"Unknown guard {guard!r}. Valid guards: {', '.join(GUARDS)}.")


def run_same_process(guard: str = "none", quick: bool = False, epochs: int | None = None,
                     n: int | None = None, seed: int = 0) -> dict[str, Any]:
    """NumPy epochs of the 784-128-10 net before torch is imported, after it is imported, and while PyTorch
    trains a copy of the net step by step in the same process (its time left out), under one guard.

    Also PyTorch's own epochs alone and beside NumPy, since the threads fight both ways.

    The loop is the public one a lesson writes by hand: ``loss_and_gradients`` then ``optimizer.step`` per
    batch (``fit``'s callback comes only once an epoch, too seldom to put PyTorch steps between batches).
    """
    if guard not in GUARDS:
        raise ValueError(f"Unknown guard {guard!r}. Valid guards: {', '.join(GUARDS)}.")
    if "torch" in sys.modules:
        raise RuntimeError("run_same_process must start in a process that has not imported torch yet.")
    case = CASES["mnist"]
    n = n or epochs_for("mnist", quick)[1]
    epochs = max(2, epochs or (3 if quick else 8))
    x, y = make_data(case, n, seed)
    model = build_nnlearn(case, seed)
    optimizer = nl.optimizers.Adam(case.lr)
    order = np.random.default_rng(seed).permutation(n)
    batches = [order[i : i + case.batch_size] for i in range(0, n, case.batch_size)]

    def numpy_epoch(between: Callable[[np.ndarray], None] | None = None) -> tuple[float, float]:
        """(seconds of nnlearn work, seconds spent in ``between``) for one epoch."""
        elsewhere = 0.0
        start = time.perf_counter()
        for index in batches:
            model.loss_and_gradients(x[index], y[index], case.loss)
            optimizer.step(model)
            if between is not None:
                mark = time.perf_counter()
                between(index)
                elsewhere += time.perf_counter() - mark
        return time.perf_counter() - start - elsewhere, elsewhere

    before = [numpy_epoch()[0] for _ in range(epochs + 1)][1:]

    torch, keep_alive = _import_torch_with_guard(guard, model)
    after_import = [numpy_epoch()[0] for _ in range(epochs)]  # imported, not used yet

    torch_model = build_torch_copy(model)
    torch_optimizer = torch.optim.Adam(torch_model.parameters(), lr=case.lr)
    loss_fn = _torch_loss(case)
    xt, yt = torch.from_numpy(x), _torch_targets(case, y)

    def torch_step(index: np.ndarray) -> None:
        rows = torch.from_numpy(index)
        torch_optimizer.zero_grad(set_to_none=True)
        loss_fn(torch_model(xt[rows]), yt[rows]).backward()
        torch_optimizer.step()

    def torch_epoch() -> float:
        start = time.perf_counter()
        for index in batches:
            torch_step(index)
        return time.perf_counter() - start

    # The three kinds of epoch take turns, so a burst of load from elsewhere hits them alike.
    torch_epoch()  # warm-up: starts torch's thread pool
    torch_alone, numpy_beside, torch_beside = [], [], []
    for _ in range(epochs):
        after_import.append(numpy_epoch()[0])
        torch_alone.append(torch_epoch())
        numpy_time, torch_time = numpy_epoch(torch_step)
        numpy_beside.append(numpy_time)
        torch_beside.append(torch_time)
    result = {
        "lib": "same-process", "guard": guard, "quick": quick, "n": n, "epochs": epochs,
        "torch": torch.__version__, "torch_threads": torch.get_num_threads(), "environment": _environment(),
        "numpy_before_import": summarize(before),
        "numpy_after_import": summarize(after_import),
        "numpy_beside_torch": summarize(numpy_beside),
        "torch_alone": summarize(torch_alone),
        "torch_beside_numpy": summarize(torch_beside),
    }
    base = result["numpy_before_import"]
    for key in ("numpy_after_import", "numpy_beside_torch"):
        result[key]["ratio_best"] = result[key]["best_s"] / base["best_s"]
        result[key]["ratio_median"] = result[key]["median_s"] / base["median_s"]
    result["torch_beside_numpy"]["ratio_best"] = result["torch_beside_numpy"]["best_s"] / result["torch_alone"]["best_s"]
    result["torch_beside_numpy"]["ratio_median"] = (
        result["torch_beside_numpy"]["median_s"] / result["torch_alone"]["median_s"])
    if keep_alive is not None:
        keep_alive.restore_original_limits()
    return result


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--lib", choices=("numpy", "torch"), help="measure one library in this process")
    what.add_argument("--same-process", choices=GUARDS, metavar="GUARD",
                      help=f"NumPy epochs beside torch in one process, with a guard: {', '.join(GUARDS)}")
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads for --lib torch")
    parser.add_argument("--cases", nargs="+", choices=tuple(CASES), default=tuple(CASES))
    parser.add_argument("--quick", action="store_true", help="few epochs and samples: a smoke run")
    parser.add_argument("--epochs", type=int, default=None, help="epochs per case (overrides the mode's)")
    parser.add_argument("--samples", type=int, default=None, help="samples per case (overrides the mode's)")
    parser.add_argument("--matmul-size", type=int, default=None, help="matrix size for the matmul rate")
    args = parser.parse_args(argv)
    epochs = {name: args.epochs for name in args.cases} if args.epochs else None
    samples = {name: args.samples for name in args.cases} if args.samples else None
    if args.lib == "numpy":
        result = run_numpy(args.quick, args.cases, args.matmul_size, epochs, samples)
    elif args.lib == "torch":
        result = run_torch(args.quick, args.threads, args.cases, epochs, samples)
    else:
        result = run_same_process(args.same_process, args.quick, args.epochs, args.samples)
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main())

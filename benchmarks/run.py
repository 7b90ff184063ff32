"""Run every benchmark, each library in its own process, and write ``benchmarks/REPORT.md``.

    python benchmarks/run.py            # the full run (what `make bench` calls); writes benchmarks/REPORT.md
    python benchmarks/run.py --quick    # a smoke run with tiny sizes: prints the report, writes it only with --output

Every measurement runs in a fresh subprocess that prints one line ``RESULT {json}``: ``core.py --lib numpy``,
``core.py --lib torch`` (default threads and 1 thread), ``core.py --same-process GUARD`` for each guard, and the
other issues' scripts (``cnn_step.py``, ``playground_frame.py``, ``browser_bench.py``) when they exist. A script that is missing, fails
or prints no RESULT line is named in the report; the rest of the report is still written.

This file uses only the standard library, so the runner itself never loads NumPy's or torch's thread pools.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPORT = HERE / "REPORT.md"

GUARDS = ("none", "torch_threads", "threadpoolctl", "to_torch")
GUARD_TEXT = {
    "none": "no guard",
    "torch_threads": "`torch.set_num_threads(1)`",
    "threadpoolctl": "`threadpoolctl.threadpool_limits(1, user_api=\"openmp\")`",
    "to_torch": "`nl.to_torch` imports torch (OMP_WAIT_POLICY=PASSIVE)",
}
CASE_TITLES = {
    "small_full": "2-16-16-1 tanh/sigmoid on 200 moons points, full batch (bce, Adam)",
    "small_b16": "2-16-16-1 tanh/sigmoid on 200 moons points, batch 16 (bce, Adam, shuffled each epoch)",
    "mnist": "784-128-10 relu/softmax on 10,000 random samples, batch 128 (cross_entropy, Adam, shuffled)",
    "mnist_sgd": "784-128-10 as above with plain SGD, fit's default optimizer (cross_entropy, batch 128, shuffled)",
}
# The other issues' benchmarks: file name -> the heading they get in the report.
EXTRAS = {
    "cnn_step.py": "CNN training step, nnlearn vs PyTorch (issue 6)",
    "playground_frame.py": "Playground frame (issue 4)",
    "transformer_step.py": "Language-model training step, nnlearn vs PyTorch, float32 and float64 (issue 13)",
    "browser_bench.py": "Live figures in the browser: Playground play and slider drag in JupyterLab (issue 12)",
}

# Targets from issue 3, as (key, words, threshold).
SPEEDUP_SMALL = 2.0  # nnlearn at least 2x faster than PyTorch on the small net
SPEEDUP_MNIST = 1.0  # at least as fast as PyTorch on 784-128-10
MATMUL_FRACTION = 0.5  # best epoch at least half this machine's float64 matmul rate


# ---------------------------------------------------------------------------------------------- subprocesses
def parse_result(stdout: str) -> dict[str, Any] | None:
    """The JSON of the last ``RESULT {json}`` line in a script's output, or None when there is none.

    Example:
        >>> parse_result('hello\\nRESULT {"a": 1}\\n')
        {'a': 1}
    """
    for line in reversed(stdout.splitlines()):
        if line.startswith("RESULT "):
            try:
                value = json.loads(line[len("RESULT "):])
            except json.JSONDecodeError:
                return None
            return value if isinstance(value, dict) else {"value": value}
    return None


def run_script(argv: Sequence[str], timeout: float) -> dict[str, Any]:
    """Run one benchmark process; returns ``{"ok", "result", "error", "seconds", "command"}``, never raises."""
    command = [sys.executable, *argv]
    shown = " ".join(Path(a).name if a.endswith(".py") else a for a in argv)
    start = time.perf_counter()
    env = dict(os.environ)
    # This tree's nnlearn unless PYTHONPATH names another copy first (e.g. a patched one to compare).
    env["PYTHONPATH"] = (env["PYTHONPATH"] + os.pathsep if env.get("PYTHONPATH") else "") + str(ROOT)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
    except subprocess.TimeoutExpired:
        return {"ok": False, "result": None, "error": f"timed out after {timeout:.0f} s",
                "seconds": time.perf_counter() - start, "command": shown}
    except OSError as error:
        return {"ok": False, "result": None, "error": f"could not start: {error}",
                "seconds": time.perf_counter() - start, "command": shown}
    seconds = time.perf_counter() - start
    result = parse_result(done.stdout)
    if done.returncode != 0 or result is None:
        tail = (done.stderr.strip().splitlines() or done.stdout.strip().splitlines() or ["(no output)"])[-1]
        why = f"exit code {done.returncode}" if done.returncode != 0 else "no RESULT line"
        return {"ok": False, "result": result, "error": f"{why}: {tail[:300]}", "seconds": seconds,
                "command": shown}
    return {"ok": True, "result": result, "error": None, "seconds": seconds, "command": shown}


def _takes_quick(script: Path) -> bool:
    try:
        return "--quick" in script.read_text(encoding="utf-8")
    except OSError:
        return False


def plan(quick: bool) -> list[tuple[str, list[str]]]:
    """The jobs of one run as (key, argv): core measurements first, then the other issues' scripts."""
    flag = ["--quick"] if quick else []
    core = str(HERE / "core.py")
    jobs = [
        ("numpy", [core, "--lib", "numpy", *flag]),
        ("torch", [core, "--lib", "torch", *flag]),
        ("torch_1thread", [core, "--lib", "torch", "--threads", "1", *flag]),
    ]
    jobs += [(f"same_{guard}", [core, "--same-process", guard, *flag]) for guard in GUARDS]
    for name in EXTRAS:
        script = HERE / name
        if script.exists():
            jobs.append((name, [str(script), *(flag if _takes_quick(script) else [])]))
    return jobs


# ---------------------------------------------------------------------------------------------- machine
def machine_info() -> dict[str, Any]:
    """Date, CPU model, core count, memory, load and the repository commit (read only)."""
    info: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_model": platform.processor() or "unknown",
    }
    try:
        info["cores_usable"] = len(os.sched_getaffinity(0))
    except AttributeError:
        info["cores_usable"] = os.cpu_count()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024**2, 1)
                break
    except OSError:
        pass
    try:
        info["load"] = [round(v, 2) for v in os.getloadavg()]
    except OSError:
        info["load"] = None
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                        text=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.TimeoutExpired):
        info["commit"] = None
    return info


# ---------------------------------------------------------------------------------------------- figures
def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def fmt_ms(seconds: float | None) -> str:
    """Seconds as milliseconds with 3 significant figures.

    Example:
        >>> fmt_ms(0.000205), fmt_ms(0.1734), fmt_ms(None)
        ('0.205 ms', '173 ms', '–')
    """
    if seconds is None:
        return "–"
    ms = seconds * 1e3
    return f"{ms:.3g} ms" if ms < 1000 else f"{ms:,.0f} ms"


def fmt_ratio(value: float | None) -> str:
    """A ratio such as '2.31x' ('–' when unknown)."""
    return "–" if value is None else f"{value:.2f}x"


def verdict(value: float | None, threshold: float) -> str:
    """'met' when value >= threshold, 'not met' below it, 'not measured' without a value.

    Example:
        >>> verdict(2.4, 2.0), verdict(1.5, 2.0), verdict(None, 2.0)
        ('met', 'not met', 'not measured')
    """
    if value is None:
        return "not measured"
    return "met" if value >= threshold else "not met"


def fastest_torch(results: dict[str, Any], case: str) -> tuple[str | None, dict[str, Any] | None]:
    """PyTorch's faster setting for a case (by best epoch): the targets are judged against it."""
    best_key, best = None, None
    for key in ("torch", "torch_1thread"):
        timing = _get(results.get(key), "cases", case)
        if timing and (best is None or timing["best_s"] < best["best_s"]):
            best_key, best = key, timing
    return best_key, best


def compare(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """For each case: nnlearn's timing, PyTorch's faster setting, and the speed-ups (best and median epoch)."""
    table: dict[str, dict[str, Any]] = {}
    for case in CASE_TITLES:
        ours = _get(results.get("numpy"), "cases", case)
        key, theirs = fastest_torch(results, case)
        row: dict[str, Any] = {"nnlearn": ours, "torch": theirs, "torch_setting": key,
                               "speedup_best": None, "speedup_median": None}
        if ours and theirs:
            row["speedup_best"] = theirs["best_s"] / ours["best_s"]
            row["speedup_median"] = theirs["median_s"] / ours["median_s"]
        table[case] = row
    return table


def matmul_fraction(results: dict[str, Any], case: str) -> float | None:
    """nnlearn's best-epoch GFLOP/s for a 784-128-10 case as a fraction of the machine's matmul rate."""
    matmul = _get(results.get("numpy"), "matmul", "gflops_best")
    gflops = _get(results.get("numpy"), "cases", case, "gflops_best")
    return gflops / matmul if gflops and matmul else None


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 3's speed targets with the value measured in this run and a verdict (784-128-10: Adam and SGD)."""
    table = compare(results)
    rows = [
        {"target": f"small net, full batch: nnlearn >= {SPEEDUP_SMALL:g}x faster than PyTorch",
         "value": table["small_full"]["speedup_best"], "threshold": SPEEDUP_SMALL, "unit": "x"},
        {"target": f"small net, batch 16: nnlearn >= {SPEEDUP_SMALL:g}x faster than PyTorch",
         "value": table["small_b16"]["speedup_best"], "threshold": SPEEDUP_SMALL, "unit": "x"},
    ]
    for case, words in (("mnist", "Adam"), ("mnist_sgd", "SGD")):
        rows += [
            {"target": f"784-128-10 ({words}): nnlearn at least as fast as PyTorch",
             "value": table[case]["speedup_best"], "threshold": SPEEDUP_MNIST, "unit": "x"},
            {"target": f"784-128-10 ({words}): best epoch >= {MATMUL_FRACTION:g} x this machine's float64 matmul rate",
             "value": matmul_fraction(results, case), "threshold": MATMUL_FRACTION, "unit": "of the rate"},
        ]
    for row in rows:
        row["verdict"] = verdict(row["value"], row["threshold"])
    return rows


def _flatten(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(data, dict):
        rows: list[tuple[str, Any]] = []
        for key, value in data.items():
            rows += _flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return rows
    return [(prefix, data)]


def _fmt_value(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return ", ".join(_fmt_value(v) for v in value) if len(value) <= 8 else f"[{len(value)} values]"
    return str(value).replace("|", "\\|").replace("\n", " ")


# ---------------------------------------------------------------------------------------------- the report
def _short_path(path: str | None) -> str:
    if not path:
        return "?"
    try:
        return str(Path(path).relative_to(ROOT)) + "/"
    except ValueError:
        return path


def _machine_section(machine: dict[str, Any], results: dict[str, Any]) -> list[str]:
    numpy_env = _get(results.get("numpy"), "environment") or {}
    torch_result = results.get("torch") or {}
    blas = [p for p in numpy_env.get("thread_pools", []) if p.get("user_api") == "blas"]
    blas_text = "; ".join(
        f"{p.get('internal_api', '?')} {p.get('version', '')} ({p.get('architecture', '?')}, "
        f"{p.get('threading_layer', '?')}, {p.get('num_threads', '?')} threads)" for p in blas) or "unknown"
    matmul = _get(results.get("numpy"), "matmul")
    torch_threads = torch_result.get("torch_threads")
    lines = [
        "## Machine", "",
        "| | |", "|---|---|",
        f"| date | {machine.get('date')} |",
        f"| CPU | {machine.get('cpu_model')}, {machine.get('cpu_count')} logical cores "
        f"({machine.get('cores_usable')} usable), {machine.get('memory_gb', '?')} GB |",
        f"| load average (1, 5, 15 min) at start / end | {machine.get('load')} / {machine.get('load_end')} |",
        f"| OS | {machine.get('platform')} |",
        f"| Python | {machine.get('python')} |",
        f"| NumPy | {numpy_env.get('numpy', 'not measured')}; BLAS: {blas_text} |",
        f"| PyTorch | {torch_result.get('torch', 'not measured')}"
        + (f"; {torch_threads} intra-op threads by default" if torch_threads else "") + " |",
        f"| nnlearn | {numpy_env.get('nnlearn', '?')} from `{_short_path(numpy_env.get('nnlearn_path'))}`, "
        f"commit {machine.get('commit') or '?'} plus the working tree's changes |",
    ]
    if matmul:
        lines.append(f"| float64 matmul, NumPy {matmul['size']}x{matmul['size']} @ {matmul['size']}x{matmul['size']}"
                     f" | **{matmul['gflops_best']:.1f} GFLOP/s** best of {matmul['repeats']} "
                     f"(median {matmul['gflops_median']:.1f}) |")
    else:
        lines.append("| float64 matmul | not measured |")
    return lines + [""]


def _case_section(number: int, case: str, results: dict[str, Any], row: dict[str, Any]) -> list[str]:
    lines = [f"## {number}. {CASE_TITLES[case]}", "",
             "| run | best epoch | median epoch | epochs timed | loss after the last epoch |",
             "|---|---|---|---|---|"]
    ours = row["nnlearn"]
    names = {"numpy": "nnlearn `fit` (NumPy)", "torch": "PyTorch, default threads",
             "torch_1thread": "PyTorch, 1 thread"}
    for key, label in names.items():
        timing = _get(results.get(key), "cases", case)
        if key != "numpy" and timing and timing.get("threads"):
            label = f"PyTorch, {timing['threads']} thread{'s' if timing['threads'] != 1 else ''}"
        if timing is None:
            lines.append(f"| {label} | not measured | | | |")
            continue
        lines.append(f"| {label} | {fmt_ms(timing['best_s'])} | {fmt_ms(timing['median_s'])} | "
                     f"{timing['count']} | {timing['last_loss']:.4f} |")
    lines.append(f"| **speed-up of nnlearn** vs PyTorch's faster setting | **{fmt_ratio(row['speedup_best'])}** | "
                 f"{fmt_ratio(row['speedup_median'])} | | |")
    if case.startswith("mnist") and ours:
        matmul = _get(results.get("numpy"), "matmul", "gflops_best")
        share = f" = {ours['gflops_best'] / matmul:.2f} of the machine's matmul rate" if matmul else ""
        lines += ["", f"nnlearn's best epoch runs the training matmuls (2 x n x (2 x 784x128 + 3 x 128x10) FLOPs "
                      f"per epoch: no gradient for the data) at **{ours['gflops_best']:.1f} GFLOP/s**{share}; median epoch "
                      f"{ours['gflops_median']:.1f} GFLOP/s."]
    torch_timing = _get(results.get("torch"), "cases", case)
    if case == "small_full" and ours and torch_timing:
        same = abs(ours["first_loss"] - torch_timing["first_loss"])
        lines += ["", f"Same work check: the first epoch's loss from the same initial weights is "
                      f"{ours['first_loss']:.12f} in nnlearn and {torch_timing['first_loss']:.12f} in PyTorch "
                      f"(difference {same:.1e}); after {ours['count'] + 1} epochs "
                      f"{ours['last_loss']:.12f} and {torch_timing['last_loss']:.12f}."]
    return lines + [""]


def _same_process_section(results: dict[str, Any]) -> list[str]:
    lines = ["## Same-process ratio: NumPy beside torch in one process", "",
             "A NumPy epoch of the 784-128-10 net (the hand-written loop: `loss_and_gradients` + `Adam.step` per "
             "batch of 128) timed before torch is imported, after it is imported (torch idle), and with one "
             "PyTorch training step of a copy of the net between every two NumPy steps (PyTorch's time left out). "
             "The last two columns show the same fight from PyTorch's side. Ratio = time / time before the import "
             "(best epochs; 1.00x = no slowdown).", "",
             "| guard | NumPy epoch before import | after import, torch idle | beside torch steps | "
             "**same-process ratio** | PyTorch epoch alone | PyTorch beside NumPy |",
             "|---|---|---|---|---|---|---|"]
    for guard in GUARDS:
        job = results.get(f"same_{guard}")
        if not job:
            lines.append(f"| {GUARD_TEXT[guard]} | not measured | | | | | |")
            continue
        before, idle = job["numpy_before_import"], job["numpy_after_import"]
        beside, t_alone, t_beside = job["numpy_beside_torch"], job["torch_alone"], job["torch_beside_numpy"]
        lines.append(
            f"| {GUARD_TEXT[guard]} | {fmt_ms(before['best_s'])} | {fmt_ms(idle['best_s'])} "
            f"({fmt_ratio(idle['ratio_best'])}) | {fmt_ms(beside['best_s'])} | **{fmt_ratio(beside['ratio_best'])}** "
            f"(median {fmt_ratio(beside['ratio_median'])}) | {fmt_ms(t_alone['best_s'])} | "
            f"{fmt_ms(t_beside['best_s'])} ({fmt_ratio(t_beside['ratio_best'])}, median "
            f"{fmt_ratio(t_beside['ratio_median'])}) |")
    return lines + [""]


def _extras_section(results: dict[str, Any], failures: dict[str, str]) -> list[str]:
    lines = ["## Other benchmarks", ""]
    for name, title in EXTRAS.items():
        lines += [f"### {title}", ""]
        if not (HERE / name).exists():
            lines += [f"`benchmarks/{name}` does not exist yet: not measured.", ""]
            continue
        if name in failures:
            lines += [f"`benchmarks/{name}` failed: {failures[name]}", ""]
            continue
        data = results.get(name) or {}
        for key in ("summary", "note", "notes"):
            if isinstance(data.get(key), str):
                lines += [data[key], ""]
        rows = [(k, v) for k, v in _flatten(data) if k not in ("summary", "note", "notes")]
        lines += ["| figure | value |", "|---|---|"] + [f"| {k} | {_fmt_value(v)} |" for k, v in rows] + [""]
    return lines


def render_report(results: dict[str, Any], failures: dict[str, str], machine: dict[str, Any],
                  quick: bool = False, seconds: float | None = None) -> str:
    """The Markdown report of one run: machine, targets, one table per benchmark, and how to reproduce."""
    lines = ["# nnlearn speed benchmarks", "",
             f"Generated by `python benchmarks/run.py` (`make bench`) on {machine.get('date')}"
             + (f" in {seconds:.0f} s" if seconds is not None else "") + ". Every figure below comes from this "
             "one run; each library ran in its own process.", ""]
    if quick:
        lines += ["> **Quick smoke run** (`--quick`): few epochs, fewer samples and a small matmul. These figures "
                  "only show that the benchmarks run; they are not comparable to the targets.", ""]
    core_failures = {k: v for k, v in failures.items() if k not in EXTRAS}
    if core_failures:
        lines += ["**Some measurements failed:**", ""]
        lines += [f"- `{key}`: {error}" for key, error in core_failures.items()] + [""]
    lines += ["## Targets (issue 3)", "", "| target | measured in this run | verdict |", "|---|---|---|"]
    for row in targets(results):
        value = "–" if row["value"] is None else (
            fmt_ratio(row["value"]) if row["unit"] == "x" else f"{row['value']:.2f} {row['unit']}")
        mark = {"met": "**met**", "not met": "**not met**"}.get(row["verdict"], row["verdict"])
        lines.append(f"| {row['target']} | {value} | {mark} |")
    lines += ["", "Speed-ups compare best epochs against PyTorch's faster thread setting (default or 1 thread) for "
              "each case, so a slow PyTorch setting cannot flatter nnlearn; the tables give medians too.", ""]
    lines += _machine_section(machine, results)
    comparison = compare(results)
    for number, case in enumerate(CASE_TITLES, start=1):
        lines += _case_section(number, case, results, comparison[case])
    lines += _same_process_section(results)
    lines += _extras_section(results, failures)
    lines += [
        "## How this was measured, and how to reproduce it", "",
        "```", "make bench                          # sets up the venv with torch, then runs the line below",
        ".venv/bin/python benchmarks/run.py  # about a minute or two; writes this file",
        ".venv/bin/python benchmarks/run.py --quick   # smoke run, prints the report only", "```", "",
        "- nnlearn: one `model.fit(x, y, loss, optimizer=\"adam\", epochs=N, batch_size=..., seed=0, "
        "progress=False, callback=...)` call; each epoch's time is the gap between two callbacks, so it holds "
        "everything `fit` does in an epoch (shuffling, every step, the running loss and accuracy, its divergence "
        "checks). The first epoch is a warm-up and is not counted.",
        "- PyTorch: float64 `nn.Sequential` with the same initial weights, `torch.randperm` shuffling each epoch, "
        "`BCEWithLogitsLoss` / `CrossEntropyLoss` (the fused forms, as nnlearn fuses sigmoid+bce and "
        "softmax+cross_entropy), `torch.optim.Adam`, and the epoch's loss and accuracy averaged over the batches "
        "as they were trained on (`.item()` per batch): the same work as `fit`, whose History records the same.",
        "- Each library runs in its own process (`benchmarks/core.py --lib numpy|torch`); the torch process holds "
        "NumPy's idle OpenBLAS to 1 thread. The same-process table is the only place both share a process.",
        "- The machine is shared (2 cores): best epochs are the figure least disturbed by other work; medians "
        "show the spread.", "",
    ]
    return "\n".join(lines)


def write_atomically(path: Path, text: str) -> None:
    """Write text to a temporary file beside ``path`` and move it into place, so a failure leaves the old file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a smoke run (report printed only)")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"where to write the report (default {REPORT.relative_to(ROOT)} for a full run)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds allowed per benchmark process")
    args = parser.parse_args(argv)
    output = args.output if args.output is not None else (None if args.quick else REPORT)
    timeout = args.timeout or (300.0 if args.quick else 1800.0)

    machine = machine_info()
    results: dict[str, Any] = {}
    failures: dict[str, str] = {}
    start = time.perf_counter()
    for key, job_argv in plan(args.quick):
        print(f"running {key} ...", file=sys.stderr, flush=True)
        outcome = run_script(job_argv, timeout)
        if outcome["ok"]:
            results[key] = outcome["result"]
        else:
            failures[key] = outcome["error"]
            print(f"  {key} failed: {outcome['error']}", file=sys.stderr, flush=True)
        print(f"  done in {outcome['seconds']:.1f} s", file=sys.stderr, flush=True)
    try:
        machine["load_end"] = [round(v, 2) for v in os.getloadavg()]
    except OSError:
        machine["load_end"] = None
    report = render_report(results, failures, machine, quick=args.quick, seconds=time.perf_counter() - start)
    if output is not None:
        write_atomically(output, report)
        print(f"wrote {output}", file=sys.stderr)
    else:
        print(report)
    for row in targets(results):
        value = "–" if row["value"] is None else f"{row['value']:.2f}"
        print(f"{row['verdict']:>12}  {value:>6}  {row['target']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

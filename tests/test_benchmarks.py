"""Smoke tests for benchmarks/: the pieces run with tiny sizes and give well-formed results.

No timing is asserted here (the machine is shared); the figures themselves live in benchmarks/REPORT.md.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"


def _load(name: str):
    """Import benchmarks/<name>.py by path (benchmarks/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"nnlearn_bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


core = _load("core")
run = _load("run")

TIMING_KEYS = {"best_s", "median_s", "count"}
TINY = {"small_full": (3, 200), "small_b16": (3, 64), "mnist": (3, 256), "mnist_sgd": (3, 256)}  # (epochs, n)


def _check_timing(timing: dict, count: int) -> None:
    assert TIMING_KEYS <= set(timing)
    assert timing["count"] == count
    assert 0.0 < timing["best_s"] <= timing["median_s"]


# ---------------------------------------------------------------------------------------------- core pieces
def test_summarize_worked_example():
    # best = min(0.3, 0.1, 0.2) = 0.1; median of the sorted 0.1, 0.2, 0.3 is the middle one, 0.2
    assert core.summarize([0.3, 0.1, 0.2]) == {"best_s": 0.1, "median_s": 0.2, "count": 3}
    # an even count takes the mean of the two middle values: (2 + 3) / 2 = 2.5
    assert core.summarize([4.0, 1.0, 3.0, 2.0])["median_s"] == 2.5
    with pytest.raises(ValueError, match="at least one"):
        core.summarize([])


def test_flops_per_epoch_worked_example():
    # 784*128 + 128*10 = 100,352 + 1,280 = 101,632 weights; 3 matmuls * 2 FLOPs each * 10,000 samples
    # 784x128 layer: forward + weight gradient; 128x10 layer: forward + weight gradient + input gradient
    assert core.mnist_flops_per_epoch(10_000) == 2 * 10_000 * (2 * 100_352 + 3 * 1_280) == 4_090_880_000
    assert core.mnist_flops_per_epoch(1, (2, 3)) == 2 * 2 * 6 == 24


@pytest.mark.parametrize("name", list(core.CASES))
def test_data_and_model_match_the_case(name):
    case = core.CASES[name]
    x, y = core.make_data(case, n=50)
    assert x.shape == (50, case.widths[0]) and x.dtype.kind == "f"
    assert y.shape == (50,) and y.min() >= 0 and y.max() < max(2, case.widths[-1])
    model = core.build_nnlearn(case, seed=0)
    assert model.predict(x).shape == (50, case.widths[-1])
    assert [layer.activation.name for layer in model.layers] == list(case.activations)


@pytest.mark.parametrize("name", list(core.CASES))
def test_time_nnlearn_tiny(name):
    epochs, n = TINY[name]
    timing = core.time_nnlearn(core.CASES[name], epochs, n)
    _check_timing(timing, epochs - 1)  # the first epoch is a warm-up
    assert timing["n"] == n
    assert math.isfinite(timing["first_loss"]) and math.isfinite(timing["last_loss"])
    assert 0.0 <= timing["last_accuracy"] <= 1.0


def test_time_nnlearn_needs_a_timed_epoch():
    with pytest.raises(ValueError, match="epochs >= 2"):
        core.time_nnlearn(core.CASES["small_full"], 1)


def test_matmul_rate_tiny():
    rate = core.matmul_rate(size=64, repeats=2)
    assert rate["size"] == 64 and rate["repeats"] == 2
    assert 0.0 < rate["gflops_median"] <= rate["gflops_best"]


@pytest.mark.parametrize("name", list(core.CASES))
def test_torch_loop_does_the_same_work_as_fit(name):
    torch = pytest.importorskip("torch")
    case = core.CASES[name]
    n = case.batch_size or case.n  # one batch of the case's size: no shuffling, so both runs see the same steps
    ours = core.time_nnlearn(case, 4, n)
    theirs = core.time_torch(case, 4, n, threads=torch.get_num_threads())
    _check_timing(theirs, 3)
    # From the same initial weights, the same optimizer steps: the same losses epoch after epoch (up to the
    # rounding of differently ordered sums).
    assert theirs["first_loss"] == pytest.approx(ours["first_loss"], rel=1e-10)
    assert theirs["last_loss"] == pytest.approx(ours["last_loss"], rel=1e-8)
    assert theirs["last_accuracy"] == ours["last_accuracy"]


def test_torch_copy_has_the_same_outputs():
    torch = pytest.importorskip("torch")
    case = core.CASES["mnist"]
    model = core.build_nnlearn(case, seed=1)
    x, _ = core.make_data(case, n=5)
    logits = core.build_torch_copy(model)(torch.from_numpy(x)).detach().numpy()
    # the copy stops at the logits; softmax of them must be the nnlearn model's probabilities
    probabilities = torch.softmax(torch.from_numpy(logits), dim=1).numpy()
    assert probabilities == pytest.approx(model.predict(x), abs=1e-12)


def _cli(*args: str) -> dict:
    done = subprocess.run([sys.executable, str(BENCHMARKS / "core.py"), *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    result = run.parse_result(done.stdout)
    assert result is not None, done.stdout[-2000:]
    json.dumps(result)  # well-formed: plain JSON all the way down
    return result


def test_core_cli_numpy_process_never_imports_torch():
    result = _cli("--lib", "numpy", "--cases", "small_full", "mnist", "--epochs", "2", "--samples", "128",
                  "--matmul-size", "64")
    assert result["lib"] == "numpy" and result["torch_imported"] is False
    assert set(result["cases"]) == {"small_full", "mnist"}  # only the cases asked for
    _check_timing(result["cases"]["mnist"], 1)
    assert result["cases"]["mnist"]["gflops_best"] > 0
    assert result["matmul"]["size"] == 64
    assert any(pool.get("user_api") == "blas" for pool in result["environment"]["thread_pools"])


@pytest.mark.parametrize("guard", core.GUARDS)
def test_core_cli_same_process_tiny(guard):
    pytest.importorskip("torch")
    result = _cli("--same-process", guard, "--epochs", "2", "--samples", "128")
    assert result["guard"] == guard and result["n"] == 128
    for key in ("numpy_before_import", "numpy_after_import", "numpy_beside_torch", "torch_alone",
                "torch_beside_numpy"):
        assert result[key]["best_s"] > 0
    beside = result["numpy_beside_torch"]
    assert beside["ratio_best"] == pytest.approx(beside["best_s"] / result["numpy_before_import"]["best_s"])
    if guard == "torch_threads":
        assert result["torch_threads"] == 1


# ---------------------------------------------------------------------------------------------- the runner
def test_parse_result_takes_the_last_result_line():
    assert run.parse_result('RESULT {"a": 1}\nlog\nRESULT {"a": 2}\n') == {"a": 2}
    assert run.parse_result("no result here\n") is None
    assert run.parse_result("RESULT {not json\n") is None
    assert run.parse_result("RESULT [1, 2]\n") == {"value": [1, 2]}


def test_verdicts_and_formats():
    assert run.verdict(2.0, 2.0) == "met"
    assert run.verdict(1.99, 2.0) == "not met"
    assert run.verdict(None, 2.0) == "not measured"
    assert run.fmt_ms(0.000205) == "0.205 ms"
    assert run.fmt_ms(1.5) == "1,500 ms"
    assert run.fmt_ratio(2.456) == "2.46x"


def _timing(best: float, median: float | None = None, **extra) -> dict:
    return {"best_s": best, "median_s": median or best, "count": 5, "first_loss": 0.7, "last_loss": 0.3, **extra}


def _fake_results() -> dict:
    numpy_cases = {"small_full": _timing(0.0001), "small_b16": _timing(0.001),
                   "mnist": _timing(0.2, gflops_best=40.0, gflops_median=35.0),
                   "mnist_sgd": _timing(0.1, gflops_best=60.0, gflops_median=50.0)}
    return {
        "numpy": {"lib": "numpy", "cases": numpy_cases,
                  "matmul": {"size": 2048, "repeats": 7, "gflops_best": 100.0, "gflops_median": 95.0},
                  "environment": {"numpy": "2.4", "nnlearn": "0.1.0", "thread_pools": [
                      {"user_api": "blas", "internal_api": "openblas", "version": "0.3", "num_threads": 2}]}},
        "torch": {"lib": "torch", "torch": "2.13.0", "torch_threads": 2,
                  "cases": {"small_full": _timing(0.00025, threads=2), "small_b16": _timing(0.008, threads=2),
                            "mnist": _timing(0.3, threads=2), "mnist_sgd": _timing(0.09, threads=2)}},
        "torch_1thread": {"lib": "torch", "cases": {"small_full": _timing(0.0003, threads=1),
                                                    "small_b16": _timing(0.004, threads=1),
                                                    "mnist": _timing(0.25, threads=1),
                                                    "mnist_sgd": _timing(0.12, threads=1)}},
    }


def test_targets_worked_example():
    rows = run.targets(_fake_results())
    values = [round(row["value"], 6) for row in rows]
    # full batch: PyTorch's faster setting is 0.25 ms (2 threads) against nnlearn's 0.1 ms: 2.5x >= 2x
    # batch 16: 1 thread is faster (4 ms); 4 / 1 = 4x
    # Adam: 0.25 / 0.2 = 1.25x; 40 of 100 GFLOP/s = 0.4 < 0.5 of the matmul rate
    # SGD: 0.09 / 0.1 = 0.9x < 1; 60 of 100 GFLOP/s = 0.6 >= 0.5
    assert values == [2.5, 4.0, 1.25, 0.4, 0.9, 0.6]
    assert [row["verdict"] for row in rows] == ["met", "met", "met", "not met", "not met", "met"]


def test_targets_without_torch_say_not_measured():
    results = _fake_results()
    del results["torch"], results["torch_1thread"]
    verdicts = [row["verdict"] for row in run.targets(results)]
    assert verdicts == ["not measured", "not measured", "not measured", "not met", "not measured", "met"]


def test_report_names_failures_and_missing_scripts(monkeypatch, tmp_path):
    monkeypatch.setattr(run, "HERE", tmp_path)  # a benchmarks folder with only one of the extra scripts
    (tmp_path / "cnn_step.py").write_text("raise SystemExit(1)\n")
    results = _fake_results()
    failures = {"cnn_step.py": "exit code 1: boom", "same_none": "timed out after 5 s"}
    machine = {"date": "2026-01-01 00:00 UTC", "cpu_model": "Test CPU", "cpu_count": 2, "load": [0.1, 0.1, 0.1]}
    report = run.render_report(results, failures, machine, quick=True, seconds=12.0)
    assert report.startswith("# nnlearn speed benchmarks")
    assert "Quick smoke run" in report
    assert "`benchmarks/cnn_step.py` failed: exit code 1: boom" in report
    assert "`benchmarks/playground_frame.py` does not exist yet" in report
    assert "`same_none`: timed out after 5 s" in report
    assert "| small net, full batch: nnlearn >= 2x faster than PyTorch | 2.50x | **met** |" in report
    assert "100.0 GFLOP/s" in report and "Test CPU" in report
    assert "make bench" in report


def test_report_shows_an_extra_benchmarks_figures(monkeypatch, tmp_path):
    monkeypatch.setattr(run, "HERE", tmp_path)
    (tmp_path / "playground_frame.py").write_text("")
    results = {"playground_frame.py": {"summary": "Frames are fast.", "median_frame_ms": 21.5,
                                       "target": {"median_ms": 30, "met": True}}}
    report = run.render_report(results, {}, {"date": "today"})
    assert "Frames are fast." in report
    assert "| median_frame_ms | 21.5 |" in report
    assert "| target.met | True |" in report


def test_run_script_reports_success_and_failure(tmp_path):
    good = tmp_path / "good.py"
    good.write_text('print("warming up")\nprint(\'RESULT {"x": 1.5}\')\n')
    bad = tmp_path / "bad.py"
    bad.write_text('import sys\nprint("something broke", file=sys.stderr)\nsys.exit(3)\n')
    silent = tmp_path / "silent.py"
    silent.write_text('print("no result")\n')
    outcome = run.run_script([str(good)], timeout=60)
    assert outcome["ok"] and outcome["result"] == {"x": 1.5} and outcome["error"] is None
    outcome = run.run_script([str(bad)], timeout=60)
    assert not outcome["ok"] and outcome["error"] == "exit code 3: something broke"
    outcome = run.run_script([str(silent)], timeout=60)
    assert not outcome["ok"] and outcome["error"].startswith("no RESULT line")


def test_plan_runs_each_library_in_its_own_process():
    jobs = dict(run.plan(quick=True))
    assert jobs["numpy"][1:] == ["--lib", "numpy", "--quick"]
    assert jobs["torch_1thread"][1:] == ["--lib", "torch", "--threads", "1", "--quick"]
    assert {f"same_{guard}" for guard in run.GUARDS} <= set(jobs)
    assert run.GUARDS == core.GUARDS


def test_write_atomically_replaces_the_file(tmp_path):
    path = tmp_path / "REPORT.md"
    run.write_atomically(path, "old")
    run.write_atomically(path, "new")
    assert path.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["REPORT.md"]  # no temporary file left behind

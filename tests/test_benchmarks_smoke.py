"""Keep benchmarks/run.py from rotting: tiny runs (a few seconds each), no timings checked."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLASSIC = {"insert", "one_to_many", "update", "load", "tree", "delete"}


def _run(tmp_path, *args):
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--repeat", "1", "--jobs", "4",
         "--output", str(out), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout, json.loads(out.read_text())


def _all_ok(doc, impls):
    for scenario, by_impl in doc["results"].items():
        assert list(by_impl) == impls  # the --impl order, whatever finished first
        for impl in impls:
            r = by_impl[impl]
            assert r["status"] == "ok", f"{scenario}/{impl}: {r}"
            assert r["ms"] > 0


def test_benchmark_script_runs_tiny(tmp_path):
    stdout, doc = _run(tmp_path, "--scale", "0.005", "--impl", "raw,sqlalchemy",
                       "--only", ",".join(sorted(CLASSIC)))  # fmt: skip
    assert "ours/SQLAlchemy" in stdout  # the table was printed
    assert set(doc["results"]) == CLASSIC
    _all_ok(doc, ["raw", "sqlalchemy"])


def test_growth_scenarios_run_tiny(tmp_path):
    # SQLAlchemy runs the same ORM code as ours (the classic test covers its worker)
    stdout, doc = _run(tmp_path, "--scale", "0.002", "--impl", "raw,ours",
                       "--only", "growth", "--sizes", "1k,10k", "--clock", "cpu")  # fmt: skip
    assert set(doc["results"]) == {
        f"growth_{shape}@{size}"
        for shape in ("random", "deep", "balanced", "wide")
        for size in ("1k", "10k")
    }
    _all_ok(doc, ["raw", "ours"])
    assert "growth (linear: x 10k/1k = 10)" in stdout  # the growth table was printed
    rows = {(r["shape"], r["impl"]): r for r in doc["growth"]}
    assert len(rows) == 4 * 2
    assert all(r["growth"]["10k/1k"] > 0 for r in rows.values())

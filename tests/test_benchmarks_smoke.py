"""Keep benchmarks/run.py from rotting: tiny runs, no timings checked.

Every scenario runs once per implementation in this process (``run.worker``, a few
milliseconds each, its correctness check included); two short command-line runs cover the
subprocesses, the interleaved rounds and the printed tables.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from benchmarks import run
from benchmarks import scenarios as sc

ROOT = Path(__file__).resolve().parents[1]
CLASSIC = {"insert", "one_to_many", "update", "load", "tree", "delete"}
TINY = 0.002  # 20 rows, 4 tree nodes, 200 objects for the 100k scenarios


@pytest.fixture
def memory_tmp(monkeypatch):
    """The SQLite files in RAM where there is a /dev/shm: a tiny run is all fsyncs otherwise."""
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        monkeypatch.setattr(tempfile, "tempdir", "/dev/shm")


@pytest.mark.parametrize("scenario", list(sc.SCENARIOS))
def test_every_scenario_tiny(scenario, memory_tmp):
    for impl in run.IMPLS:
        r = run.worker(impl, scenario, TINY, 1, "cpu")
        assert r["status"] == "ok", f"{scenario}/{impl}: {r}"
        assert r["ms"] > 0
        if scenario in sc.MEMORY_SCENARIOS:
            assert r["mb"] > 0


def test_table_and_summary():
    ok = {"status": "ok", "runs_ms": []}
    results = {
        "insert": {"ours": {**ok, "ms": 5.0}, "sqlalchemy": {**ok, "ms": 10.0},
                   "raw": {**ok, "ms": 1.0}, "ours+recorder": {**ok, "ms": 6.0}},
        "load": {"ours": {**ok, "ms": 2.0}, "sqlalchemy": {**ok, "ms": 8.0},
                 "raw": {"status": "error", "reason": "ValueError: " + "x" * 40}},
        "memory_insert": {"ours": {**ok, "ms": 9.0, "mb": 3.0},
                          "sqlalchemy": {**ok, "ms": 9.0, "mb": 4.0}},
    }  # fmt: skip
    text = run.render_table(results)
    head = text.splitlines()[0].split()
    assert head == ["scenario", "ours", "ms", "SQLAlchemy", "ms", "raw", "ms", "ours/SA",
                    "ours/raw", "recorder", "growth"]  # fmt: skip
    assert "0.50x" in text and "5.00x" in text and "1.20x" in text  # ours/SA, /raw, recorder
    assert "geometric mean ours/SQLAlchemy: 0.35 over 2 scenarios, max 0.50 (insert)" in text
    assert "peak memory (tracemalloc, MB)" in text and "0.75x" in text
    assert "error [1]" in text and "[1] error: ValueError" in text
    summary = run.summary(results)
    assert summary["recorder/ours"]["geomean"] == 1.2


def _run(tmp_path, *args):
    out = tmp_path / "results.json"
    env = dict(os.environ)
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        env["TMPDIR"] = "/dev/shm"  # the workers' SQLite files in RAM
    proc = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--jobs", "4", "--output", str(out), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=180, env=env,
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
    stdout, doc = _run(tmp_path, "--scale", "0.005", "--impl", "raw,sqlalchemy,ours",
                       "--repeat", "2", "--clock", "cpu", "--only", "insert,load")  # fmt: skip
    assert "ours/SA" in stdout and "geometric mean ours/SQLAlchemy" in stdout
    assert "[2/2]" in stdout  # two interleaved rounds
    assert set(doc["results"]) == {"insert", "load"}
    _all_ok(doc, ["raw", "sqlalchemy", "ours"])
    assert all(len(r["runs_ms"]) == 2 for by in doc["results"].values() for r in by.values())
    assert "ours/SQLAlchemy" in doc["summary"] and "loadavg_before" in doc["meta"]


def test_growth_scenarios_run_tiny(tmp_path):
    stdout, doc = _run(tmp_path, "--scale", "0.002", "--impl", "raw,ours", "--repeat", "1",
                       "--only", "growth_wide", "--sizes", "1k,10k", "--clock", "cpu")  # fmt: skip
    assert set(doc["results"]) == {"growth_wide@1k", "growth_wide@10k"}
    _all_ok(doc, ["raw", "ours"])
    assert "growth (linear: x 10k/1k = 10)" in stdout  # the growth table was printed
    rows = {(r["shape"], r["impl"]): r for r in doc["growth"]}
    assert len(rows) == 2
    assert all(r["growth"]["10k/1k"] > 0 for r in rows.values())

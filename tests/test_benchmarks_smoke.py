"""Keep benchmarks/run.py from rotting: a tiny run of raw sqlite3 + SQLAlchemy (a few seconds)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_script_runs_tiny(tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--scale", "0.005", "--repeat", "1",
         "--impl", "raw,sqlalchemy", "--output", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ours/SQLAlchemy" in proc.stdout  # the table was printed
    doc = json.loads(out.read_text())
    assert set(doc["results"]) == {"insert", "one_to_many", "update", "load", "tree", "delete"}
    for scenario, by_impl in doc["results"].items():
        for impl in ("raw", "sqlalchemy"):
            r = by_impl[impl]
            assert r["status"] == "ok", f"{scenario}/{impl}: {r}"
            assert r["ms"] > 0

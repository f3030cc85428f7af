"""Benchmark: raw sqlite3 vs SQLAlchemy ORM vs inspector.orm (with and without a trace recorder).

    .venv/bin/python -m benchmarks.run [--scale 0.1] [--only insert,tree] [--repeat 3]
    python benchmarks/run.py --impl raw,sqlalchemy
    python benchmarks/run.py --only growth --sizes 1k,10k,100k --repeat 1

The growth scenarios (``growth_<shape>@<size>``) get a second table: the time per size and the
growth factors time(10k)/time(1k), time(100k)/time(10k) per implementation (about 10 when
the cost is linear in the number of objects).

Every (scenario, implementation) pair runs in a fresh subprocess (``--worker``), best of
``--repeat`` runs, each run on a fresh SQLite file in a temp dir with an untimed setup and an
untimed correctness check.  A failing implementation shows as ``error: ...`` (or ``n/a: ...`` when
it cannot be imported) in its column; the run goes on.  Results: a table on stdout and
``benchmarks/results.json`` (or ``--output``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __package__ in (None, ""):  # run as a script: make `benchmarks` and `inspector` importable
    sys.path.insert(0, str(ROOT))

from benchmarks import scenarios as sc  # noqa: E402

IMPLS = {
    "raw": "raw sqlite3",
    "sqlalchemy": "SQLAlchemy ORM",
    "ours": "inspector.orm",
    "ours+recorder": "inspector.orm + Recorder",
}
HEADERS = {"raw": "raw ms", "sqlalchemy": "SQLAlchemy ms", "ours": "ours ms",
           "ours+recorder": "ours+recorder ms"}  # fmt: skip


class NotAvailable(Exception):
    """The implementation cannot run here (import failed): shown as n/a, not as an error."""


# --------------------------------------------------------------------------------------------
# worker: one implementation, one scenario, best of N; prints one JSON line


def _models_or_na(impl: str, orm):
    try:
        return sc.make_models(orm)
    except (ImportError, AttributeError) as e:
        if impl == "sqlalchemy":
            raise
        raise NotAvailable(f"inspector.orm incomplete ({type(e).__name__}: {e})") from e


def _implementation(impl: str):
    """Return (setup, run) callables for ``impl``."""
    if impl == "raw":
        return sc.raw_setup, sc.raw_run
    if impl == "sqlalchemy":
        import sqlalchemy.orm as orm

        on_session, models = None, _models_or_na(impl, orm)
    else:
        try:
            import inspector.orm as orm
        except Exception as e:
            raise NotAvailable(f"inspector.orm not importable ({type(e).__name__}: {e})") from e
        on_session = None
        models = _models_or_na(impl, orm)
        if impl == "ours+recorder":
            try:
                from inspector.trace import Recorder
            except Exception as e:
                raise NotAvailable(
                    f"inspector.trace.Recorder not importable ({type(e).__name__}: {e})"
                ) from e
            on_session = Recorder
    ctx = sc.OrmContext(orm=orm, models=models, on_session=on_session)

    def setup(scenario, path, sz):
        sc.orm_setup(ctx, scenario, path, sz)

    def run(scenario, path, sz):
        return sc.orm_run(ctx, scenario, path, sz)

    return setup, run


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def worker(impl: str, scenario: str, scale: float, repeat: int, clock: str = "wall") -> dict:
    sz = sc.sizes(scale)
    now = CLOCKS[clock]
    try:
        setup, run = _implementation(impl)
    except NotAvailable as e:
        return {"status": "n/a", "reason": str(e)}
    times = []
    with tempfile.TemporaryDirectory(prefix="si-bench-") as tmp:
        for i in range(repeat):
            path = os.path.join(tmp, f"{scenario}-{i}.sqlite")
            setup(scenario, path, sz)
            gc.collect()
            t0 = now()
            result = run(scenario, path, sz)
            times.append((now() - t0) * 1000)
            del result
            sc.check(scenario, path, sz)
    return {"status": "ok", "ms": min(times), "runs_ms": [round(t, 3) for t in times]}


def _worker_main(args) -> int:
    try:
        out = worker(args.impl, args.scenario, args.scale, args.repeat, args.clock)
    except Exception as e:  # report, don't crash: the parent shows "error: ..."
        msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
        out = {"status": "error", "reason": f"{type(e).__name__}: {msg}"[:300]}
    print("RESULT " + json.dumps(out), flush=True)
    return 0


# --------------------------------------------------------------------------------------------
# parent: one subprocess per (scenario, implementation)


def measure(impl: str, scenario: str, scale: float, repeat: int, timeout: float,
            clock: str = "wall") -> dict:  # fmt: skip
    cmd = [sys.executable, "-m", "benchmarks.run", "--worker", "--impl", impl,
           "--scenario", scenario, "--scale", str(scale), "--repeat", str(repeat),
           "--clock", clock]  # fmt: skip
    pythonpath = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(pythonpath)}
    try:
        proc = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"status": "error", "reason": f"timeout after {timeout:.0f} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    tail = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}, no output"])[-1]
    return {"status": "error", "reason": f"worker crashed: {tail}"[:300]}


def cell(r: dict | None) -> str:
    if r is None:
        return "-"
    if r["status"] == "ok":
        return f"{r['ms']:.1f}"
    return f"{r['status']}: {r['reason']}"


def ratio(a: dict | None, b: dict | None) -> str:
    if a and b and a["status"] == b["status"] == "ok" and b["ms"] > 0:
        return f"{a['ms'] / b['ms']:.2f}x"
    return "-"


def render_table(results: dict) -> str:
    cols = ["scenario", *HEADERS.values(), "ours/SQLAlchemy", "ours/raw"]
    rows, notes = [], {}  # long error / n/a texts become numbered notes below the table
    for scenario, by_impl in results.items():
        cells = []
        for impl in HEADERS:
            text = cell(by_impl.get(impl))
            if len(text) > 14 and by_impl.get(impl, {}).get("status") != "ok":
                number = notes.setdefault(text, len(notes) + 1)
                text = text.split(":")[0] + f" [{number}]"
            cells.append(text)
        ours = by_impl.get("ours")
        rows.append([scenario, *cells, ratio(ours, by_impl.get("sqlalchemy")),
                     ratio(ours, by_impl.get("raw"))])  # fmt: skip
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]

    def fmt(r):
        pairs = enumerate(zip(r, widths, strict=True))
        return "  ".join((v.ljust(w) if i == 0 else v.rjust(w)) for i, (v, w) in pairs)

    lines = [fmt(cols), "  ".join("-" * w for w in widths), *map(fmt, rows)]
    if notes:
        lines += ["", "notes:"] + [f"  [{i}] {text}" for text, i in notes.items()]
    return "\n".join(lines)


def growth_rows(results: dict, sizes: list[str], impls: list[str]) -> list[dict]:
    """One row per (growth shape, implementation): ms per size and the size-to-size factors."""
    rows = []
    for shape in sc.GROWTH_SHAPES:
        names = [sc.growth_scenario(shape, size) for size in sizes]
        if not any(n in results for n in names):
            continue
        for impl in impls:
            ms = {}
            for size, name in zip(sizes, names, strict=True):
                r = results.get(name, {}).get(impl)
                ms[size] = r["ms"] if r and r["status"] == "ok" else None
            factors = {}
            for small, big in zip(sizes, sizes[1:], strict=False):
                a, b = ms[small], ms[big]
                factors[f"{big}/{small}"] = round(b / a, 2) if a and b else None
            rows.append({"shape": shape, "impl": impl, "ms": ms, "growth": factors})
    return rows


def render_growth(rows: list[dict], sizes: list[str]) -> str:
    if not rows:
        return ""
    pairs = list(zip(sizes, sizes[1:], strict=False))
    steps = [f"{big}/{small}" for small, big in pairs]
    cols = ["shape", "implementation", *(f"{s} ms" for s in sizes), *(f"x {s}" for s in steps)]
    table = []
    for r in rows:
        table.append([
            r["shape"], IMPLS[r["impl"]],
            *("-" if r["ms"][s] is None else f"{r['ms'][s]:.1f}" for s in sizes),
            *("-" if r["growth"][s] is None else f"{r['growth'][s]:.1f}" for s in steps),
        ])  # fmt: skip
    widths = [max(len(c), *(len(t[i]) for t in table)) for i, c in enumerate(cols)]

    def fmt(r):
        return "  ".join(v.ljust(w) if i < 2 else v.rjust(w)
                         for i, (v, w) in enumerate(zip(r, widths, strict=True)))  # fmt: skip

    g = sc.GROWTH_SIZES
    ideal = ", ".join(f"x {big}/{small} = {g[big] // g[small]}" for small, big in pairs)
    title = f"growth (linear: {ideal})" if pairs else "growth"
    lines = [title, fmt(cols), "  ".join("-" * w for w in widths)]
    return "\n".join(lines + [fmt(t) for t in table])


def parse_list(text: str | None, allowed, what: str) -> list[str]:
    if not text:
        return list(allowed)
    items = [t.strip() for t in text.split(",") if t.strip()]
    # prefix match, so --only insert or --only one works
    out = []
    for t in items:
        hits = [a for a in allowed if a == t] or [a for a in allowed if a.startswith(t)]
        if not hits:
            raise SystemExit(f"unknown {what} {t!r}; choose from {', '.join(allowed)}")
        out += [h for h in hits if h not in out]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply sizes (e.g. 0.1)")
    ap.add_argument("--only", help="comma-separated scenarios: " + ", ".join(sc.SCENARIOS))
    ap.add_argument("--impl", help="comma-separated implementations: " + ", ".join(IMPLS))
    ap.add_argument("--repeat", "-n", type=int, default=3, help="best of N (default 3)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per worker (default 900)")
    ap.add_argument(
        "--sizes",
        default=",".join(sc.DEFAULT_GROWTH_SIZES),
        help="growth scenario sizes: " + ", ".join(sc.GROWTH_SIZES) + " (default %(default)s)",
    )
    ap.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        help="workers run at once (default 1; more disturbs the timings)",
    )
    ap.add_argument("--clock", choices=CLOCKS, default="wall",
                    help="wall (default) or cpu: this process's CPU time, steadier on a busy "
                    "machine")  # fmt: skip
    ap.add_argument("--output", "-o", type=Path, default=HERE / "results.json")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--scenario", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.repeat < 1 or args.scale <= 0 or args.jobs < 1:
        ap.error("--repeat and --jobs must be >= 1 and --scale > 0")
    if args.worker:
        return _worker_main(args)

    sizes = [s for s in sc.GROWTH_SIZES if s in parse_list(args.sizes, sc.GROWTH_SIZES, "size")]
    available = [name for name in sc.SCENARIOS
                 if (sc.parse_growth(name) or ("", sizes[0]))[1] in sizes]  # fmt: skip
    scenarios = parse_list(args.only, available, "scenario")
    impls = parse_list(args.impl, IMPLS, "implementation")
    sz = sc.sizes(args.scale)
    print(f"sizes: {sz}  best of {args.repeat}  {args.clock} clock  "
          f"python {platform.python_version()}", flush=True)  # fmt: skip
    started = time.perf_counter()
    results: dict[str, dict[str, dict]] = {s: {} for s in scenarios}

    def one(scenario: str, impl: str) -> None:
        t0 = time.perf_counter()
        r = results[scenario][impl] = measure(
            impl, scenario, args.scale, args.repeat, args.timeout, args.clock
        )
        print(f"  {scenario:<18} {impl:<14} {cell(r)}  ({time.perf_counter() - t0:.1f} s)",
              flush=True)  # fmt: skip

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for f in [pool.submit(one, s, i) for s in scenarios for i in impls]:
            f.result()
    for by_impl in results.values():  # keep the --impl order whatever finished first
        ordered = {i: by_impl[i] for i in impls}
        by_impl.clear()
        by_impl.update(ordered)
    print()
    print(render_table(results))
    growth = growth_rows(results, sizes, impls)
    if growth:
        print()
        print(render_growth(growth, sizes))

    import sqlalchemy

    doc = {
        "meta": {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "python": platform.python_version(),
            "sqlalchemy": sqlalchemy.__version__,
            "sqlite": __import__("sqlite3").sqlite_version,
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "scale": args.scale,
            "sizes": sz,
            "growth_sizes": sizes,
            "repeat": args.repeat,
            "clock": args.clock,
            "jobs": args.jobs,
            "wall_s": round(time.perf_counter() - started, 1),
        },
        "scenarios": {k: sc.SCENARIOS[k] for k in scenarios},
        "implementations": {k: IMPLS[k] for k in impls},
        "results": results,
        "growth": growth,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

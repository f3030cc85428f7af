"""Benchmark: raw sqlite3 vs SQLAlchemy ORM vs inspector.orm (with and without a trace recorder).

    .venv/bin/python -m benchmarks.run [--scale 0.1] [--only insert,tree] [--repeat 3]
    python benchmarks/run.py --impl raw,sqlalchemy
    python benchmarks/run.py --only growth --sizes 1k,10k,100k --repeat 1

The growth scenarios (``growth_<shape>@<size>``) get a second table: the time per size and the
growth factors time(10k)/time(1k), time(100k)/time(10k) per implementation (about 10 when
the cost is linear in the number of objects).

Every (scenario, implementation) pair runs in a fresh subprocess (``--worker``) on a fresh
SQLite file in a temp dir, with an untimed setup and an untimed correctness check.  The
implementations are interleaved: ``--repeat`` rounds, each running every implementation once
per scenario, so a burst of load on a shared machine hits all of them alike; the table shows
the best round of each.  The memory scenarios (``memory_*``) report tracemalloc's peak (MB)
during the run instead of a time, measured once.  A failing implementation shows as
``error: ...`` (or ``n/a: ...`` when it cannot be imported) in its column; the run goes on.
Results: the table on stdout (ours / SQLAlchemy / raw ms, ours/SA, ours/raw, the recorder's
ratio, the per-object growth, geometric means, the load average) and
``benchmarks/results.json`` (or ``--output``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gc
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
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
            # untimed warm-up: the first Recorder imports IPython (over a second), once per process
            warm = orm.Session()
            Recorder(warm).close()
            warm.close()
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
    memory = scenario in sc.MEMORY_SCENARIOS
    try:
        setup, run = _implementation(impl)
    except NotAvailable as e:
        return {"status": "n/a", "reason": str(e)}
    times, peaks = [], []
    with tempfile.TemporaryDirectory(prefix="si-bench-") as tmp:
        for i in range(1 if memory else repeat):
            path = os.path.join(tmp, f"{scenario}-{i}.sqlite")
            setup(scenario, path, sz)
            gc.collect()
            if memory:
                tracemalloc.start()
            t0 = now()
            result = run(scenario, path, sz)
            times.append((now() - t0) * 1000)
            if memory:
                peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
                tracemalloc.stop()
            del result
            sc.check(scenario, path, sz)
    out = {"status": "ok", "ms": min(times), "runs_ms": [round(t, 3) for t in times]}
    if memory:
        out["mb"] = round(min(peaks), 3)  # (its "ms" is slowed down by tracemalloc)
    return out


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


def cell(r: dict | None, field: str = "ms") -> str:
    if r is None:
        return "-"
    if r["status"] == "ok":
        return f"{r[field]:.1f}"
    return f"{r['status']}: {r['reason']}"


def _value(r: dict | None, field: str = "ms") -> float | None:
    return r[field] if r and r["status"] == "ok" and r.get(field) else None


def ratio(a: dict | None, b: dict | None, field: str = "ms") -> str:
    x, y = _value(a, field), _value(b, field)
    return f"{x / y:.2f}x" if x is not None and y else "-"


def geomean(values: list[float]) -> float | None:
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def _per_object_growth(results: dict, scenario: str, sz: dict) -> str:
    """Growth scenarios: ours' cost per object at this size over its cost per object at the
    smallest size measured (1.00 = flat)."""
    parsed = sc.parse_growth(scenario)
    if parsed is None:
        return "-"
    shape, _ = parsed
    measured = [(sz["growth"][size], results[name]["ours"])
                for size in sc.GROWTH_SIZES
                if (name := sc.growth_scenario(shape, size)) in results
                and _value(results[name].get("ours")) is not None]  # fmt: skip
    mine = _value(results[scenario].get("ours"))
    if not measured or mine is None:
        return "-"
    n0, r0 = measured[0]
    return f"{(mine / sz['growth'][parsed[1]]) / (r0['ms'] / n0):.2f}"


def _render(cols: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]

    def fmt(r):
        pairs = enumerate(zip(r, widths, strict=True))
        return "  ".join((v.ljust(w) if i == 0 else v.rjust(w)) for i, (v, w) in pairs)

    return [fmt(cols), "  ".join("-" * w for w in widths), *map(fmt, rows)]


def summary(results: dict) -> dict:
    """Geometric means and worst cases of ours/SQLAlchemy and ours+recorder/ours (timed
    scenarios where both ran)."""
    timed = {k: v for k, v in results.items() if k not in sc.MEMORY_SCENARIOS}
    vs_sa = {k: _value(v.get("ours")) / _value(v.get("sqlalchemy")) for k, v in timed.items()
             if _value(v.get("ours")) and _value(v.get("sqlalchemy"))}  # fmt: skip
    rec = {k: _value(v.get("ours+recorder")) / _value(v.get("ours")) for k, v in timed.items()
           if _value(v.get("ours+recorder")) and _value(v.get("ours"))}  # fmt: skip
    out: dict = {}
    for name, ratios in (("ours/SQLAlchemy", vs_sa), ("recorder/ours", rec)):
        if ratios:
            worst = max(ratios, key=ratios.get)
            out[name] = {"geomean": round(geomean(list(ratios.values())), 3), "n": len(ratios),
                         "max": round(ratios[worst], 3), "max_scenario": worst}
    return out


def render_table(results: dict, sz: dict | None = None) -> str:
    """The issue's table: scenario, ours / SQLAlchemy / raw ms, ours/SA, ours/raw, the
    recorder's ratio (ours+recorder / ours) and the per-object growth; then the geometric
    means, and the memory scenarios' peaks in a table of their own."""
    sz = sz or sc.sizes(1.0)
    impls = ("ours", "sqlalchemy", "raw")
    cols = ["scenario", "ours ms", "SQLAlchemy ms", "raw ms", "ours/SA", "ours/raw",
            "recorder", "growth"]  # fmt: skip
    rows, mem_rows, notes = [], [], {}  # long error / n/a texts become numbered notes

    def text_of(by_impl, impl, field="ms"):
        text = cell(by_impl.get(impl), field)
        if len(text) > 14 and by_impl.get(impl, {}).get("status") != "ok":
            number = notes.setdefault(text, len(notes) + 1)
            text = text.split(":")[0] + f" [{number}]"
        return text

    for scenario, by_impl in results.items():
        ours = by_impl.get("ours")
        if scenario in sc.MEMORY_SCENARIOS:
            mem_rows.append([scenario, *(text_of(by_impl, i, "mb") for i in impls),
                             ratio(ours, by_impl.get("sqlalchemy"), "mb")])  # fmt: skip
            continue
        rows.append([scenario, *(text_of(by_impl, i) for i in impls),
                     ratio(ours, by_impl.get("sqlalchemy")), ratio(ours, by_impl.get("raw")),
                     ratio(by_impl.get("ours+recorder"), ours),
                     _per_object_growth(results, scenario, sz)])  # fmt: skip
    lines = _render(cols, rows) if rows else []
    summ = summary(results)
    for name, target in (("ours/SQLAlchemy", "target <= 0.7, each <= 1.0"),
                         ("recorder/ours", "target <= 1.3")):
        if name in summ:
            g = summ[name]
            lines.append(f"geometric mean {name}: {g['geomean']:.2f} over {g['n']} scenarios, "
                         f"max {g['max']:.2f} ({g['max_scenario']}); {target}")
    if mem_rows:
        lines += ["", "peak memory (tracemalloc, MB)"]
        lines += _render(["scenario", "ours MB", "SQLAlchemy MB", "raw MB", "ours/SA"],
                         mem_rows)
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
    load_before = os.getloadavg()
    print(f"sizes: {sz}  best of {args.repeat} interleaved rounds  {args.clock} clock  "
          f"python {platform.python_version()}  load average {load_before[0]:.2f}",
          flush=True)  # fmt: skip
    started = time.perf_counter()
    results: dict[str, dict[str, dict]] = {s: {} for s in scenarios}

    def one(scenario: str, impl: str, round_: int) -> None:
        t0 = time.perf_counter()
        r = measure(impl, scenario, args.scale, 1, args.timeout, args.clock)
        prev = results[scenario].get(impl)
        if prev is None or r["status"] != "ok":  # the first round, or a later failure: shown
            results[scenario][impl] = r
        else:  # the best round so far, with every round's time
            results[scenario][impl] = {**(r if r["ms"] < prev["ms"] else prev),
                                       "runs_ms": prev["runs_ms"] + r["runs_ms"]}
        print(f"  [{round_ + 1}/{args.repeat}] {scenario:<18} {impl:<14} {cell(r)}"
              f"  ({time.perf_counter() - t0:.1f} s)", flush=True)  # fmt: skip

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for round_ in range(args.repeat):
            todo = [(s, i) for s in scenarios for i in impls
                    if (round_ == 0 or (s not in sc.MEMORY_SCENARIOS
                                        and results[s].get(i, {}).get("status") == "ok"))
                    and not (s in sc.MEMORY_SCENARIOS and i == "ours+recorder")]
            for f in [pool.submit(one, s, i, round_) for s, i in todo]:
                f.result()
    for by_impl in results.values():  # keep the --impl order whatever finished first
        ordered = {i: by_impl[i] for i in impls if i in by_impl}  # (no memory + recorder)
        by_impl.clear()
        by_impl.update(ordered)
    load_after = os.getloadavg()
    print()
    print(render_table(results, sz))
    print(f"load average: {load_before[0]:.2f} before, {load_after[0]:.2f} after "
          f"({os.cpu_count()} cpus)")
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
            "loadavg_before": [round(x, 2) for x in load_before],
            "loadavg_after": [round(x, 2) for x in load_after],
        },
        "summary": summary(results),
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

"""Differential compatibility harness: run one declarative script on two ORMs and compare.

A script in ``scripts/`` is plain SQLAlchemy declarative code.  It imports its ORM names
``from sqlalchemy.orm import ...`` and Core names ``from sqlalchemy import ...``, and the
recording API from this module::

    from harness import check, engine, expect_error, members, names, value

    eng = engine()                      # fresh SQLite database for this run, SQL is recorded
    ...
    check("after add", u1=u1, a1=a1)    # status + identity key of each object (names them)
    value("u1.name", u1.name)           # any plain value; mapped objects print as their name
    members("new", s.new)               # sorted names of the objects in a collection
    with expect_error("flush"):         # records the exception type (and message); swallows it
        s.flush()

``run_script(path, "oracle")`` executes it as written; ``run_script(path, "ours")`` executes
the same text with ``sqlalchemy.orm`` rewritten to ``inspector.orm`` in the import lines.  Each
run gets a fresh namespace and a fresh SQLite database file.  The trace holds, in order: every
statement at the DB-API cursor level (whitespace normalised, parameters, executemany flag), the
Core transaction events (BEGIN / COMMIT / ROLLBACK), the checkpoints, values and expected
errors; plus the final committed contents of every table.  ``compare(expected, actual)`` gives
a readable report of the first difference and a unified diff of both traces.

Command line: ``python tests/compat/harness.py [--oracle|--ours] [script ...]`` prints traces
(one flavour) or the comparison (default) of the given scripts (all when none are given).
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime
import decimal
import difflib
import gc
import importlib
import io
import itertools
import linecache
import os
import re
import shutil
import sys
import tempfile
import tokenize
import traceback
import types
import weakref
from pathlib import Path
from typing import Any

import sqlalchemy
import sqlalchemy.orm
import sqlalchemy.pool
from sqlalchemy import event

HERE = Path(__file__).resolve().parent
SCRIPTS_DIR = HERE / "scripts"

FLAVOURS = {"oracle": "sqlalchemy.orm", "ours": "inspector.orm"}
STATUSES = ("transient", "pending", "persistent", "deleted", "detached")


# --------------------------------------------------------------------------- source rewrite

_FROM_IMPORT = re.compile(
    r"^(?P<indent>[ \t]*)from[ \t]+sqlalchemy\.orm(?P<sub>(\.\w+)*)[ \t]+import\b"
)


class ScriptError(Exception):
    """The script uses the ORM in a way the harness cannot swap."""


def rewrite_source(source: str, module: str) -> str:
    """Point the script's ``from sqlalchemy.orm[.x] import`` lines at ``module``.

    Only ``from sqlalchemy.orm... import`` statements at the start of a line are rewritten;
    any other reference to ``sqlalchemy.orm`` in code (``import sqlalchemy.orm``,
    ``from sqlalchemy import orm``, ``sqlalchemy.inspect``) is refused, because it would
    silently keep using the real ORM.  Docstrings and comments may mention anything.
    """
    _refuse_other_orm_access(source)
    if module == "sqlalchemy.orm":
        return source
    out = []
    for line in source.splitlines(keepends=True):
        out.append(_FROM_IMPORT.sub(lambda m: f"{m['indent']}from {module}{m['sub']} import", line))
    return "".join(out)


def _refuse_other_orm_access(source: str) -> None:
    toks = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type in (tokenize.NAME, tokenize.OP)
    ]
    for i, tok in enumerate(toks):
        if tok.type != tokenize.NAME or tok.string != "sqlalchemy":
            continue
        nxt = [t.string for t in toks[i + 1 : i + 3]]
        prev = toks[i - 1].string if i else ""
        line = tok.line.strip()
        if nxt == [".", "orm"] and not (prev == "from" and _FROM_IMPORT.match(tok.line)):
            raise ScriptError(f"line {tok.start[0]}: use 'from sqlalchemy.orm import ...': {line}")
        if nxt == [".", "inspect"]:
            raise ScriptError(f"line {tok.start[0]}: use harness.check(), not inspect(): {line}")
        if prev == "from" and nxt[:1] == ["import"] and re.search(r"\b(orm|inspect)\b", line):
            raise ScriptError(f"line {tok.start[0]}: import ORM names from sqlalchemy.orm: {line}")


# --------------------------------------------------------------------------- the recorder


@dataclasses.dataclass
class Trace:
    script: str
    flavour: str
    events: list[tuple] = dataclasses.field(default_factory=list)
    tables: dict[str, list[tuple]] = dataclasses.field(default_factory=dict)
    crash: str | None = None  # formatted traceback of an unexpected exception

    def lines(self, with_messages: bool = True) -> list[str]:
        return (
            [render_event(e, with_messages) for e in self.events]
            + [f"TABLE {name}: {rows!r}" for name, rows in sorted(self.tables.items())]
            + ([f"CRASH {self.crash.strip().splitlines()[-1]}"] if self.crash else [])
        )

    def text(self) -> str:
        return "\n".join(self.lines())


def render_event(e: tuple, with_messages: bool = True) -> str:
    kind = e[0]
    if kind == "sql":
        _, stmt, params, many = e
        return f"SQL{'*' if many else ' '} {stmt}  {params!r}"
    if kind == "tx":
        return f"TX   {e[1]}"
    if kind == "check":
        return f"CHECK [{e[1]}] " + ", ".join(f"{n}={s}{k}" for n, s, k in e[2])
    if kind == "value":
        return f"VALUE [{e[1]}] {e[2]!r}"
    if kind == "error":
        _, label, typ, msg = e
        if typ is None:
            return f"ERROR [{label}] no exception raised"
        return f"ERROR [{label}] {typ}" + (f": {msg}" if with_messages else "")
    if kind == "warning":
        _, label, typ, msg = e
        if typ is None:
            return f"WARN  [{label}] no warning"
        return f"WARN  [{label}] {typ}" + (f": {msg}" if with_messages else "")
    return repr(e)


class _Run:
    """State of the script run in progress (one at a time, in-process)."""

    def __init__(self, flavour: str, workdir: Path, fast: bool = False,
                 pg_url: str | None = None):
        self.flavour = flavour
        self.fast = fast  # SQLite without fsync (durability is not under test)
        self.pg_url = pg_url  # PostgreSQL instead of SQLite files
        self.module = importlib.import_module(FLAVOURS[flavour]) if flavour != "oracle" else None
        self.workdir = workdir
        self.trace: Trace | None = None
        self.engines: list[sqlalchemy.Engine] = []
        self.recording = True
        self.names: weakref.WeakKeyDictionary | dict = {}

    def add(self, *event_: Any) -> None:
        if self.recording:
            self.trace.events.append(tuple(event_))

    def inspect(self, obj: Any) -> Any:
        if self.flavour == "oracle":
            return sqlalchemy.inspect(obj)
        return self.module.inspect(obj)


_current: _Run | None = None


def _run() -> _Run:
    if _current is None:
        raise RuntimeError("harness API used outside run_script()")
    return _current


def _norm_params(params: Any, many: bool) -> Any:
    if many:
        return [_norm_value(p) for p in params]
    return _norm_value(params)


def _norm_value(v: Any) -> Any:
    if v is None or isinstance(v, bool | int | float | str):
        return v
    if isinstance(v, list | tuple):
        return [_norm_value(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _norm_value(x) for k, x in sorted(v.items())}
    if isinstance(v, set | frozenset):
        return sorted((_norm_value(x) for x in v), key=repr)
    if isinstance(v, datetime.date | datetime.time | decimal.Decimal):
        return str(v)
    if isinstance(v, bytes):
        return v.hex()
    run = _current
    if run is not None:
        with contextlib.suppress(TypeError):
            if v in run.names:
                return f"<{run.names[v]}>"
    return f"<{type(v).__name__}>"


_WS = re.compile(r"\s+")


def engine(**kw: Any) -> sqlalchemy.Engine:
    """A fresh database for this run, recorded: a SQLite file in the run's temp dir (foreign
    keys enforced), or on PostgreSQL (``run_script(..., pg_url=)``) a fresh schema."""
    run = _run()
    if run.pg_url is not None:
        eng = _pg_engine(run, **kw)
    else:
        path = run.workdir / f"db{len(run.engines)}.sqlite"
        eng = sqlalchemy.create_engine(f"sqlite:///{path}", **kw)

        @event.listens_for(eng, "connect")
        def _fk_on(dbapi_conn, _rec):  # raw DB-API call: not recorded
            dbapi_conn.execute("PRAGMA foreign_keys=ON")
            if run.fast:
                dbapi_conn.execute("PRAGMA synchronous=OFF")
    run.engines.append(eng)

    @event.listens_for(eng, "before_cursor_execute")
    def _sql(conn, cursor, statement, parameters, context, executemany):
        if _DDL.match(statement):  # metadata.create_all(): Core's, and its cycle order varies
            return
        run.add(
            "sql",
            _WS.sub(" ", statement).strip(),
            _norm_params(parameters, executemany),
            bool(executemany),
        )

    for name in ("begin", "commit", "rollback"):
        event.listen(eng, name, _tx_listener(run, name.upper()))
    return eng


_DDL = re.compile(r"\s*(CREATE|ALTER|DROP)\s", re.I)


# --------------------------------------------------------------------------- PostgreSQL

#: ``SI_COMPAT_PG_URL``: a PostgreSQL database URL (``postgresql+psycopg://user@host:port/db``);
#: when set, the command line and ``run_script()`` run the scripts there (tests/postgres
#: passes ``pg_url=`` itself)
PG_URL_ENV = "SI_COMPAT_PG_URL"
#: no statement may wait for long (a lock held by the other session of a script, say)
PG_CONNECT_ARGS = {"options": "-c statement_timeout=5000 -c lock_timeout=5000"}
_pg_schemas = itertools.count(1)


def _pg_engine(run: _Run, **kw: Any) -> sqlalchemy.Engine:
    """An engine whose connections see only a fresh schema of the PostgreSQL database
    (``search_path``), so that each script run (and each engine() of it) starts empty."""
    schema = "compat_%d_%d" % (os.getpid(), next(_pg_schemas))
    admin = _pg_admin(run.pg_url)
    with admin.connect() as c:
        c.execute(sqlalchemy.text(f'CREATE SCHEMA "{schema}"'))
    args = dict(PG_CONNECT_ARGS)
    args["options"] += f" -c search_path={schema}"
    args.update(kw.pop("connect_args", {}))
    eng = sqlalchemy.create_engine(run.pg_url, connect_args=args, **kw)
    _pg_schemas_of[eng] = (schema, run.pg_url)  # read by _dump_pg() and _drop_pg()
    return eng


_pg_admins: dict[str, sqlalchemy.Engine] = {}
#: engine() on PostgreSQL -> (its schema, the database URL)
_pg_schemas_of: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _pg_admin(url: str) -> sqlalchemy.Engine:
    """An unrecorded AUTOCOMMIT engine on ``url`` for schema set-up, dumps and clean-up."""
    if url not in _pg_admins:
        _pg_admins[url] = sqlalchemy.create_engine(
            url, isolation_level="AUTOCOMMIT", connect_args=PG_CONNECT_ARGS,
            poolclass=sqlalchemy.pool.NullPool)
    return _pg_admins[url]


def _dump_pg(eng: sqlalchemy.Engine, prefix: str) -> dict[str, list[tuple]]:
    schema, url = _pg_schemas_of[eng]
    out: dict[str, list[tuple]] = {}
    with _pg_admin(url).connect() as c:
        tables = c.execute(sqlalchemy.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}).scalars()
        for t in sorted(tables):
            rows = [tuple(_norm_value(list(r)))
                    for r in c.execute(sqlalchemy.text(f'SELECT * FROM "{schema}"."{t}"'))]
            out[prefix + t] = sorted(rows, key=repr)
    return out


def _drop_pg(eng: sqlalchemy.Engine) -> None:
    schema, url = _pg_schemas_of[eng]
    with _pg_admin(url).connect() as c:
        for gid in c.execute(sqlalchemy.text(  # a script's prepared transactions hold locks
                "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()")
                ).scalars():
            c.execute(sqlalchemy.text(f"ROLLBACK PREPARED '{gid}'"))
        c.execute(sqlalchemy.text(f'DROP SCHEMA "{schema}" CASCADE'))


def _tx_listener(run: _Run, what: str):
    return lambda conn: run.add("tx", what)


def _status(state: Any) -> str:
    """One status name from the five booleans; ours must also agree with its ``.status``."""
    try:
        flags = [n for n in STATUSES if getattr(state, n)]
    except AttributeError:
        return str(getattr(state, "status", "?"))
    name = flags[0] if len(flags) == 1 else "inconsistent" + repr(flags)
    if not isinstance(state, sqlalchemy.orm.InstanceState) and hasattr(state, "status"):
        status = getattr(state.status, "value", state.status)
        if str(status) != name:
            name += f"(but .status={status!r})"
    return name


def _key(state: Any) -> str:
    key = getattr(state, "key", None)
    if key is None:
        return ""
    try:
        cls, ident = key[0], key[1]
        return f"{cls.__name__}{tuple(ident)!r}"
    except Exception:  # noqa: BLE001 - show whatever shape it has
        return repr(key)


def check(label: str, **objs: Any) -> None:
    """Record status and identity key of each object; the keyword names the object."""
    run = _run()
    out = []
    for name, obj in objs.items():
        run.names[obj] = name
        st = run.inspect(obj)
        key = _key(st)
        out.append((name, _status(st), f" {key}" if key else ""))
    run.add("check", label, tuple(out))


def track(**objs: Any) -> None:
    """Name objects (for members()/names()/value()) without recording anything."""
    run = _run()
    for name, obj in objs.items():
        run.names[obj] = name


def name_of(obj: Any) -> str:
    return _run().names.get(obj, f"{type(obj).__name__}?")


def names(objs: Any) -> list[str]:
    """Names of the objects of an iterable, in order."""
    return [name_of(o) for o in objs]


def members(label: str, objs: Any) -> None:
    """Record the sorted names of the objects in a collection (session.new, dirty, ...)."""
    _run().add("value", label, sorted(names(objs)))


def value(label: str, v: Any) -> None:
    """Record a plain value (mapped objects appear as their check()/track() name)."""
    _run().add("value", label, _norm_value(v))


def status_of(obj: Any) -> str:
    """``'name=status Key(..)'`` of one object, recorded nowhere: for event listeners that
    buffer what they saw (the objects of one flush come in set order in SQLAlchemy)."""
    run = _run()
    key = _key(run.inspect(obj))
    return "%s=%s%s" % (name_of(obj), _status(run.inspect(obj)), f" {key}" if key else "")


_BACKGROUND = re.compile(r"\s*\(Background on this error at: [^)]*\)")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def norm_message(msg: str) -> str:
    return _ADDRESS.sub(" at 0x...", _BACKGROUND.sub("", msg)).strip()


@contextlib.contextmanager
def expect_error(label: str):
    """Run the block; record the type name and message of what it raises (or that it didn't)."""
    run = _run()
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - recording is the point
        run.add("error", label, type(exc).__name__, norm_message(str(exc)))
    else:
        run.add("error", label, None, None)


@contextlib.contextmanager
def expect_warnings(label: str):
    """Run the block catching every warning; record each one's category name and message
    (messages, as for errors, are only warned about), or that none was issued."""
    import warnings

    run = _run()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        run.add("warning", label, w.category.__name__, norm_message(str(w.message)))
    if not caught:
        run.add("warning", label, None, None)


# --------------------------------------------------------------------------- fuzzer steps

#: names the fuzzer (fuzz_orm.py) gives the objects it tracks: ``parent0``, ``child3``, ...
_TRACKED_NAME = re.compile(r"^(?P<kind>[a-z]+)(?P<index>\d+)$")


@contextlib.contextmanager
def step(number: int, session: Any, scope: dict[str, Any]):
    """One fuzzer operation: record its exception type (or none) and then a snapshot.

    The snapshot (see ``snapshot()``) covers every object held in a ``scope`` variable named
    like ``child3`` plus the session's new/dirty/deleted sizes.  Statement traffic between two
    steps belongs to the later step.
    """
    label = f"#{number}"
    with expect_error(label):
        yield
    _run().add("value", f"state {label}", snapshot(session, scope))


def seen(objs: Any) -> None:
    """Record query results: the sorted references (``<child3>`` or ``?Child(2,)``)."""
    run = _run()
    run.add("value", "rows", sorted(_ref(run, o, ()) for o in objs))


def seen_count(result: Any) -> None:
    """Record how many rows an UPDATE/DELETE matched (compared like query results)."""
    _run().add("value", "rows", ["rowcount %d" % result.rowcount])


def snapshot(session: Any, scope: dict[str, Any]) -> tuple:
    """What can be compared without loading anything, for the tracked objects of ``scope``.

    Per tracked variable (in index order): ``None``, ``'same as <x>'`` when it holds an
    object an earlier variable holds, or (status, in session, loaded attributes).  Loaded
    attributes are read from ``obj.__dict__`` (no lazy load, no refresh), keys starting with
    ``_`` skipped; related objects become references, collections sorted reference lists
    (collection order without ORDER BY is not something both ORMs must agree on).
    """
    run = _run()
    models = tuple(
        v for v in scope.values() if isinstance(v, type) and "__tablename__" in v.__dict__
    )
    tracked = sorted(
        (int(m["index"]), n)
        for n in scope
        if (m := _TRACKED_NAME.match(n)) and (scope[n] is None or isinstance(scope[n], models))
    )
    for _, name in tracked:  # first holder names an object (before any reference renders)
        obj = scope[name]
        if obj is not None and obj not in run.names:
            run.names[obj] = name
    out = []
    for _, name in tracked:
        obj = scope[name]
        if obj is None:
            out.append((name, None))
        elif run.names.get(obj) != name:
            out.append((name, f"same as <{run.names.get(obj)}>"))
        else:
            loaded = tuple(
                (k, _loaded_value(run, v, models))
                for k, v in sorted(obj.__dict__.items())
                if not k.startswith("_")
            )
            out.append((name, _status(run.inspect(obj)), obj in session, loaded))
    sizes = tuple(len(list(getattr(session, a))) for a in ("new", "dirty", "deleted"))
    return ("new/dirty/deleted", sizes), tuple(out)


def _ref(run: _Run, obj: Any, models: tuple) -> str:
    if obj in run.names:
        return f"<{run.names[obj]}>"
    try:
        key = _key(run.inspect(obj))
    except Exception:  # noqa: BLE001 - not mapped: show the type
        key = ""
    return f"?{key or type(obj).__name__}"


def _loaded_value(run: _Run, v: Any, models: tuple) -> Any:
    if models and isinstance(v, models):
        return _ref(run, v, models)
    if isinstance(v, list | set | tuple) and not isinstance(v, str):
        return sorted(_ref(run, o, models) if isinstance(o, models) else repr(o) for o in v)
    return _norm_value(v)


# --------------------------------------------------------------------------- running


SCRIPT_MODULE = "__compat_script__"


def script_paths() -> list[Path]:
    return sorted(SCRIPTS_DIR.glob("[0-9]*.py"))


def run_script(path: Path | str, flavour: str, fast: bool = False,
               pg_url: str | None = None) -> Trace:
    """Execute one script with the given ORM ('oracle' or 'ours') and return its trace.

    ``fast`` (the fuzzer): the database lives in /dev/shm when there is one, without fsync.
    ``pg_url`` (default: ``$SI_COMPAT_PG_URL``): run on that PostgreSQL database instead of
    SQLite, each ``engine()`` in a fresh schema dropped afterwards.
    """
    global _current
    if pg_url is None:
        pg_url = os.environ.get(PG_URL_ENV) or None
    path = Path(path)
    if not path.exists():
        path = SCRIPTS_DIR / path.with_suffix(".py").name
    trace = Trace(path.stem, flavour)
    shm = "/dev/shm" if fast and Path("/dev/shm").is_dir() else None
    workdir = Path(tempfile.mkdtemp(prefix=f"compat-{flavour}-", dir=shm))
    prev = _current
    try:
        run = _Run(flavour, workdir, fast, pg_url)
    except Exception:  # noqa: BLE001 - a broken ORM is a result, not a harness error
        trace.crash = traceback.format_exc()
        shutil.rmtree(workdir, ignore_errors=True)
        return trace
    run.names = weakref.WeakKeyDictionary()
    run.trace = trace
    _current = run
    # a real module in sys.modules: the ORMs resolve string annotations through it
    module = types.ModuleType(SCRIPT_MODULE)
    module.__file__ = str(path)
    ns: dict[str, Any] = module.__dict__
    sys.modules[SCRIPT_MODULE] = module
    try:
        source = rewrite_source(path.read_text(), FLAVOURS[flavour])
        filename = f"{path} [{flavour}]"  # tracebacks show the rewritten lines
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        # dont_inherit: the script's own __future__ imports only, not this module's
        code = compile(source, filename, "exec", dont_inherit=True)
        exec(code, ns)  # noqa: S102 - that is what the harness is for
    except ScriptError:
        raise
    except Exception:  # noqa: BLE001
        trace.crash = traceback.format_exc()
    finally:
        run.recording = False
        sys.modules.pop(SCRIPT_MODULE, None)
        ns.clear()
        gc.collect()
        try:
            for i, eng in enumerate(run.engines):
                dump = _dump_pg if eng in _pg_schemas_of else _dump
                trace.tables.update(dump(eng, prefix="" if i == 0 else f"db{i}."))
        finally:
            for eng in run.engines:
                eng.dispose()
                if eng in _pg_schemas_of:
                    _drop_pg(eng)
            _current = prev
            shutil.rmtree(workdir, ignore_errors=True)
    return trace


def _dump(eng: sqlalchemy.Engine, prefix: str) -> dict[str, list[tuple]]:
    """Committed contents of every table, rows sorted (through a separate DB-API connection)."""
    import sqlite3

    db = eng.url.database
    out: dict[str, list[tuple]] = {}
    con = sqlite3.connect(db, timeout=1)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for t in sorted(tables):
            rows = [tuple(_norm_value(list(r))) for r in con.execute(f'SELECT * FROM "{t}"')]
            out[prefix + t] = sorted(rows, key=repr)
    finally:
        con.close()
    return out


# --------------------------------------------------------------------------- comparing


@dataclasses.dataclass
class Comparison:
    ok: bool
    report: str  # empty when ok
    warnings: list[str]
    #: "exact": the same events in the same order; "equivalent": only the order of
    #: consecutive INSERT/UPDATE/DELETE statements differs (see :func:`_order_free`);
    #: "" when not ok
    order: str = "exact"


_DML = re.compile(r"\s*(INSERT|UPDATE|DELETE)\s", re.I)


def _order_free(events: list[tuple]) -> list:
    """The events with each run of consecutive INSERT/UPDATE/DELETE statements as a sorted
    multiset (an executemany's parameter sets too): two traces equal this way differ only in
    the order of writes inside such a run.  Both orders then respect the dependencies:
    SQLite enforces the foreign keys immediately (a row written before the row it
    references fails, and the traces differ), and every other observation (generated
    keys in parameters, statuses, values, final tables) is still compared as it is."""
    out: list = []
    run: list = []
    for e in events:
        if e[0] == "sql" and _DML.match(e[1]):
            if e[3]:  # an executemany: its parameter sets in any order
                e = e[:2] + (sorted(e[2], key=repr),) + e[3:]
            run.append(repr(e))
            continue
        if run:
            out.append(("writes", tuple(sorted(run))))
            run = []
        out.append(e)
    if run:
        out.append(("writes", tuple(sorted(run))))
    return out


def _strict(e: tuple) -> tuple:
    """The part of an event that must match exactly (error messages are only warned about)."""
    return e[:3] if e[0] in ("error", "warning") else e


def compare(expected: Trace, actual: Trace, context: int = 3, max_lines: int = 80) -> Comparison:
    warnings = []
    for ee, ae in zip(expected.events, actual.events, strict=False):
        if ee[0] == ae[0] and ee[0] in ("error", "warning") and _strict(ee) == _strict(ae) \
                and ee[3] != ae[3]:
            warnings.append(
                f"message of [{ee[1]}] {ee[2]} differs:\n"
                f"  expected: {ee[3]!r}\n  actual:   {ae[3]!r}"
            )
    exp = [_strict(e) for e in expected.events]
    act = [_strict(e) for e in actual.events]
    problems = []
    order = "exact"
    if exp != act and _order_free(exp) == _order_free(act):
        order = "equivalent"
        i = next(i for i, (a, b) in enumerate(zip(exp, act, strict=False)) if a != b)
        warnings.append(
            f"statement order differs inside a flush (same statements, dependency-"
            f"equivalent), first at event #{i}:\n  expected: "
            f"{render_event(expected.events[i], False)}\n  actual:   "
            f"{render_event(actual.events[i], False)}")
        act = exp
    if actual.crash and not expected.crash:
        problems.append(f"{actual.flavour} run crashed:\n{actual.crash.rstrip()}")
    elif expected.crash and actual.crash != expected.crash:
        problems.append(f"{expected.flavour} run crashed (script bug?):\n{expected.crash.rstrip()}")
    if exp != act:
        i = next(
            (i for i, (a, b) in enumerate(zip(exp, act, strict=False)) if a != b),
            min(len(exp), len(act)),
        )
        where = "at the start"
        for e in reversed(expected.events[:i]):
            if e[0] in ("check", "value", "error"):
                where = f"after [{e[1]}]"
                break
        exp_s = render_event(expected.events[i], False) if i < len(exp) else "(end of trace)"
        act_s = render_event(actual.events[i], False) if i < len(act) else "(end of trace)"
        problems.append(
            f"first difference at event #{i} ({where}):\n  expected: {exp_s}\n  actual:   {act_s}"
        )
    if expected.tables != actual.tables:
        for t in sorted(set(expected.tables) | set(actual.tables)):
            e_rows, a_rows = expected.tables.get(t), actual.tables.get(t)
            if e_rows != a_rows:
                problems.append(f"final table {t}:\n  expected: {e_rows!r}\n  actual:   {a_rows!r}")
    if not problems:
        return Comparison(True, "", warnings, order)
    diff = list(
        difflib.unified_diff(
            expected.lines(False),
            actual.lines(False),
            f"{expected.flavour}",
            f"{actual.flavour}",
            n=context,
            lineterm="",
        )
    )
    if len(diff) > max_lines:
        diff = diff[:max_lines] + [f"... ({len(diff) - max_lines} more diff lines)"]
    report = f"script {expected.script}: {expected.flavour} vs {actual.flavour}\n"
    report += "\n".join(problems) + "\n\n" + "\n".join(diff)
    return Comparison(False, report, warnings, "")


def main(argv: list[str]) -> int:
    flavours = [a[2:] for a in argv if a in ("--oracle", "--ours")]
    wanted = [a for a in argv if not a.startswith("--")]
    paths = [p for p in script_paths() if not wanted or any(w in p.stem for w in wanted)]
    failed = 0
    orders = collections.Counter()
    for p in paths:
        if flavours:
            for fl in flavours:
                t = run_script(p, fl)
                print(f"===== {p.stem} [{fl}]\n{t.text()}\n")
                failed += bool(t.crash)
            continue
        res = compare(run_script(p, "oracle"), run_script(p, "ours"))
        orders[res.order or "diff"] += 1
        print(f"{'OK  ' if res.ok else 'DIFF'} {p.stem}"
              + ("  (order-equivalent)" if res.order == "equivalent" else ""))
        if not res.ok:
            failed += 1
            print("    " + res.report.replace("\n", "\n    "))
        for w in res.warnings:
            print("    warning: " + w.replace("\n", "\n    "))
    if not flavours:
        print(order_summary(orders))
    return 1 if failed else 0


def order_summary(orders: collections.Counter) -> str:
    """One line: how many scripts matched in the identical statement order, how many only in
    a dependency-equivalent order (writes of one run permuted), how many differ."""
    return ("compat: %d scripts with identical statement order, %d only dependency-equivalent "
            "order, %d differing" % (orders["exact"], orders["equivalent"], orders["diff"]))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parents[1]))
    sys.modules.setdefault("harness", sys.modules[__name__])
    raise SystemExit(main(sys.argv[1:]))


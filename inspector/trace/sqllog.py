# trace/sqllog.py
"""The SQL log: every statement a session's connections ran, with where it came from.

It listens to SQLAlchemy **Core** connection events (``before_cursor_execute`` /
``after_cursor_execute``, ``begin`` / ``commit`` / ``rollback``) on the engines the session
opened connections on, and keeps the statements of *that session's* connections only (an
engine may be shared).  For each statement it notes the parameters, the rows affected, the
number of parameter sets (an executemany batch), the duration, the session API call that led
to it (``Session.commit``, ``Session.execute``, an attribute load ...) and the user's line
that made that call (a notebook cell or a file).  The recorder assigns flush statements to the
plan step that ran them (between its ``flush_step_started`` and ``flush_step`` events).

Entries are mutable only until the recorder builds a snapshot from them (the step index is
filled in when the step's event arrives); snapshots copy them into frozen ``SqlView``\\ s.
"""

from __future__ import annotations

import collections
import functools
import itertools
import linecache
import os
import re
import sys
import sysconfig
import time
import weakref
from typing import Any

import sqlalchemy
from sqlalchemy import event as core_event

#: statements kept; older ones are dropped and counted (``SqlLog.dropped``)
HISTORY = 200

_MAX_PARAMS = 120

# frames from these places are machinery, not the user's line
_INSPECTOR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_ORM = os.path.join(_INSPECTOR, "orm")
_MACHINERY = (
    os.path.dirname(os.path.abspath(sqlalchemy.__file__)),
    sysconfig.get_paths()["stdlib"],
    _INSPECTOR,
)
_FOREIGN_FILES = ("ipykernel_launcher.py",)
_FOREIGN_PACKAGES = ("IPython", "ipykernel", "tornado", "traitlets", "comm", "ipywidgets",
                     "anywidget", "jupyter_client", "zmq", "pytest", "_pytest", "pluggy")
_CELL_FILE = re.compile(r"(ipykernel_\d+[/\\]\d+\.py|<ipython-input-(\d+)-)")

#: how an ORM entry point reads in the log ("where did this SELECT come from?")
_ORIGINS = {
    "InstrumentedAttribute.__get__": "attribute load",
    "QueryableAttribute.__get__": "attribute load",
    "FlushStepper.step": "stepped flush",
    "FlushStepper.run": "stepped flush",
    "FlushStepper.abort": "stepped flush abort",
}


#: lazy loads of one attribute by the same SELECT that count as an N+1 pattern
N_PLUS_ONE = 3

# ORM calls that flush because they were asked to; any other call's flush is an autoflush
_EXPLICIT_FLUSH = ("Session.flush", "Session.commit", "FlushStepper", "stepped flush",
                   "Session.begin_nested", "SessionTransaction.commit", "Session.prepare")


class SqlEntry:
    """One statement (or BEGIN / COMMIT / ROLLBACK) as it ran."""

    __slots__ = ("seq", "sql", "parameters", "rows", "batch", "ms", "origin", "source", "step",
                 "in_flush", "flush", "transaction", "_t0")

    def __init__(self, seq: int, sql: str, parameters: str, batch: int, origin: str,
                 source: str) -> None:
        self.seq = seq
        self.sql = sql
        self.parameters = parameters
        self.batch = batch
        self.origin = origin
        self.source = source
        self.rows: int | None = None
        self.ms: float | None = None
        self.step: int | None = None
        self.in_flush = False
        self.flush = 0  # which flush of the log ran it (1, 2, ...); 0: none
        self.transaction = 0  # which database transaction of the log it ran in
        self._t0 = time.perf_counter()


class SqlLog:
    """The statements of one session's connections, newest last, at most :data:`HISTORY`."""

    def __init__(self, history: int | None = None) -> None:
        self.entries: collections.deque[SqlEntry] = collections.deque(
            maxlen=HISTORY if history is None else history)
        self.dropped = 0
        self._seq = itertools.count(1)
        self._connections: weakref.WeakSet = weakref.WeakSet()
        self._engines: list[tuple[Any, str, Any]] = []  # (engine, event name, listener)
        self._running: dict[int, SqlEntry] = {}  # id(execution context) -> entry
        #: (execution context, its _whence()): the batches of one insertmanyvalues execute
        #: share the user's line, found once (a 10k-row INSERT is 10k statements on SQLite)
        self._last_whence: tuple[Any, tuple[str, str]] = (None, ("", ""))
        self._step: int | None = None  # the plan step running now
        self.in_flush = False
        self._flushes = 0
        self._transactions = 0
        self.on_change: Any = None

    # -- what the recorder tells it ---------------------------------------------------------
    def watch(self, connection: Any, begun: bool = True) -> None:
        """Log what ``connection`` runs from now on.  ``begun``: the session just began its
        transaction on it, logged as ``BEGIN`` (the moment the ORM asked for it; a SAVEPOINT
        shows as its own statement)."""
        engine = connection.engine
        if not any(e is engine for e, _, _ in self._engines):
            for name, fn in (("before_cursor_execute", self._before),
                             ("after_cursor_execute", self._after),
                             ("commit", self._commit), ("rollback", self._rollback)):
                core_event.listen(engine, name, fn)
                self._engines.append((engine, name, fn))
        if connection not in self._connections:
            self._connections.add(connection)
        if begun:
            self._transactions += 1
            self._add("BEGIN (implicit)", "", 1).ms = 0.0

    def flush_started(self) -> None:
        self.in_flush = True
        self._flushes += 1
        self._step = None

    @property
    def flushes(self) -> int:
        """Flushes seen so far: the number of the latest one."""
        return self._flushes

    def step_started(self, index: int) -> None:
        """What runs until :meth:`step_ended` is plan step ``index``'s SQL."""
        self._step = index

    def step_ended(self) -> None:
        self._step = None

    def flush_ended(self) -> None:
        self.in_flush = False
        self._step = None

    def close(self) -> None:
        for engine, name, fn in self._engines:
            if core_event.contains(engine, name, fn):
                core_event.remove(engine, name, fn)
        self._engines = []

    def diagnostics(self) -> list[str]:
        """What users of an ORM ask about most, found in the log: N+1 lazy loads, the same
        query run again with the same parameters in one transaction (a reload after a commit
        expired everything is no repeat), and flushes nobody asked for (autoflush)."""
        found = []
        loads: dict[tuple[str, str], list[SqlEntry]] = {}
        same: dict[tuple[int, str, str], list[SqlEntry]] = {}
        flushes: dict[int, SqlEntry] = {}
        for e in self.entries:
            if e.in_flush:
                flushes.setdefault(e.flush, e)
            elif e.sql.startswith("SELECT"):
                same.setdefault((e.transaction, e.sql, e.parameters), []).append(e)
                if e.origin.startswith("load of "):
                    loads.setdefault((e.origin, e.sql), []).append(e)
        for (origin, _), runs in loads.items():
            if len(runs) >= N_PLUS_ONE:
                found.append(
                    "N+1: %s ran the same SELECT %d times, once per object (first from %s); "
                    "one query for all of them would do." % (origin, len(runs), _where(runs[0])))
        for (_, sql, params), runs in same.items():
            if len(runs) >= 2:
                found.append("Repeated query: %s with %s ran %d times in one transaction (first "
                             "from %s)." % (
                                 _clip(sql, 60), params or "no parameters", len(runs),
                                 _where(runs[0])))
        for first in flushes.values():
            if not first.origin.startswith(_EXPLICIT_FLUSH):
                found.append("Autoflush: %s flushed pending changes before running (from %s)."
                             % (first.origin or "a query", _where(first)))
        return found

    # -- Core events ---------------------------------------------------------------------------
    def _add(self, sql: str, parameters: str, batch: int, context: Any = None) -> SqlEntry:
        if context is not None and self._last_whence[0] is context:
            origin, source = self._last_whence[1]
        else:
            origin, source = _whence()
            if context is not None:
                self._last_whence = (context, (origin, source))
        entry = SqlEntry(next(self._seq), sql, parameters, batch, origin, source)
        entry.transaction = self._transactions
        if len(self.entries) == self.entries.maxlen:
            self.dropped += 1
        self.entries.append(entry)
        if self.in_flush:
            entry.in_flush = True
            entry.flush = self._flushes
            entry.step = self._step
        if self.on_change is not None:
            self.on_change()
        return entry

    def _before(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                executemany: bool) -> None:
        if conn not in self._connections:
            return
        many = executemany and _is_sets(parameters)
        entry = self._add(" ".join(statement.split()), _params_text(parameters, many),
                          len(parameters) if many else 1, context)
        self._running[id(context)] = entry

    def _after(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        entry = self._running.pop(id(context), None)
        if entry is None:
            return
        entry.ms = (time.perf_counter() - entry._t0) * 1000.0
        rowcount = getattr(cursor, "rowcount", -1)
        # with RETURNING the driver counts rows only as they are fetched: unknown here
        returning = getattr(getattr(context, "compiled", None), "effective_returning", None)
        known = isinstance(rowcount, int) and rowcount >= 0 and not returning
        entry.rows = rowcount if known else None

    def _commit(self, conn: Any) -> None:
        if conn in self._connections:
            self._add("COMMIT", "", 1).ms = 0.0

    def _rollback(self, conn: Any) -> None:
        if conn in self._connections:
            self._add("ROLLBACK", "", 1).ms = 0.0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _where(entry: SqlEntry) -> str:
    return entry.source or "the inspector"


def _is_sets(parameters: Any) -> bool:
    """An executemany's parameters: a sequence of parameter sets (insertmanyvalues sends one
    flattened set with ``executemany`` still true)."""
    return (isinstance(parameters, (list, tuple)) and bool(parameters)
            and isinstance(parameters[0], (list, tuple, dict)))


def _params_text(parameters: Any, executemany: bool) -> str:
    if executemany and parameters:
        text = "%d sets, first %r" % (len(parameters), parameters[0])
    elif parameters in ((), [], {}, None):
        return ""
    else:
        text = repr(parameters)
    return text if len(text) <= _MAX_PARAMS else text[: _MAX_PARAMS - 1] + "…"


@functools.lru_cache(maxsize=1024)
def _is_machinery(filename: str) -> bool:
    if filename.startswith(_MACHINERY) or os.path.basename(filename) in _FOREIGN_FILES:
        return True
    return any(os.sep + p + os.sep in filename for p in _FOREIGN_PACKAGES)


def _whence() -> tuple[str, str]:
    """(the ORM entry point the user called, the user's line that called it); a command of
    the recorder (an inspector's button) is its own source."""
    frame = sys._getframe(2)
    origin = ""
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(_ORM):
            origin = frame.f_code.co_qualname  # keep the outermost ORM frame
            if frame.f_code.co_name == "__get__":  # reading an attribute loaded it
                attr = frame.f_locals.get("self")
                origin = "load of %s" % (attr,) if attr is not None else origin
        elif filename.startswith(_INSPECTOR):
            if frame.f_code.co_qualname == "Recorder.command":
                return _ORIGINS.get(origin, origin), "an inspector button"
        elif not _is_machinery(filename):
            return _ORIGINS.get(origin, origin), _describe_line(frame)
        frame = frame.f_back
    return _ORIGINS.get(origin, origin), ""


def _describe_line(frame: Any) -> str:
    filename, lineno = frame.f_code.co_filename, frame.f_lineno
    code = linecache.getline(filename, lineno).strip()
    if _CELL_FILE.search(filename):
        where = "cell, line %d" % lineno
    else:
        where = "%s:%d" % (os.path.basename(filename), lineno)
    return "%s: %s" % (where, code) if code else where

# trace/sqllog.py
"""The SQL log: every statement a session's connections ran, with where it came from.

It hears the statements from SQLAlchemy **Core**'s dialect events (``do_execute`` & co., not
the connection events, which would slow every statement of the engine: see ``_DialectHook``)
and COMMIT / ROLLBACK from the session's own connections, and keeps the statements of *that
session's* connections only (an engine may be shared).  For each statement it notes the
parameters, the rows affected, the number of parameter sets (an executemany batch), the
duration, the session API call that led to it (``Session.commit``, ``Session.execute``, an
attribute load ...) and the user's line that made that call (a notebook cell or a file).  The
recorder assigns flush statements to the plan step that ran them (between its
``flush_step_started`` and ``flush_step`` events).

A statement that fails is logged as failed with its error (Core's ``handle_error``), never left
running.  Each entry keeps the user's frames that led to it (``stack``, outermost first) and its
parameters as they were sent, so the whole text can be asked for later
(:meth:`SqlLog.full_parameters`); the snapshot carries them cut short.  :meth:`SqlLog.views`
counts, Django-Debug-Toolbar style, how many statements of the log share an entry's SQL
(*similar*) and its SQL and parameters (*duplicates*).

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

from .snapshot import SqlView
from .text import clip, error_text, visible, whole_repr

#: statements kept; older ones are dropped and counted (``SqlLog.dropped``)
HISTORY = 200

_MAX_PARAMS = 120
#: cursor executions one log entry folds at most (the same statement, row by row, in a step)
_FOLD = 100_000
#: user frames kept per statement
_STACK_DEPTH = 8
#: statements that are transaction control, not queries: never similar nor duplicates
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")

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

    __slots__ = ("seq", "sql", "_parameters", "rows", "batch", "executions", "ms", "origin",
                 "_source", "step", "in_flush", "flush", "transaction", "error", "_stack", "_raw",
                 "_key", "_first", "_ms", "_t0", "_sets0", "_statement")

    def __init__(self, seq: int, sql: str, parameters: str, batch: int, origin: str,
                 source: str, stack: tuple[str, ...] = ()) -> None:
        self.seq = seq
        self.sql = sql
        self.parameters = parameters
        self.batch = batch
        self.origin = origin
        self.source = source
        self.stack = stack  # the user's frames that led to it, outermost first
        self.error: str | None = None  # "IntegrityError: ..." when the statement failed
        self._raw: Any = None  # the parameters as sent (for their whole text on request)
        self._key: int | None = None  # a digest of the parameters' whole text, once asked for
        self.executions = 1  # cursor executions folded into this entry (see SqlLog._before)
        self._first = parameters  # the first execution's parameters text
        self._ms = 0.0  # duration of the executions before the running one
        self.rows: int | None = None
        self.ms: float | None = None
        self.step: int | None = None
        self.in_flush = False
        self.flush = 0  # which flush of the log ran it (1, 2, ...); 0: none
        self.transaction = 0  # which database transaction of the log it ran in
        self._sets0 = batch  # the first execution's parameter sets
        self._statement: str | None = None  # the statement as Core sent it (folding compares it)
        self._t0 = time.perf_counter()

    @property
    def source(self) -> str:
        """The user's line, e.g. "cell, line 3: s.commit()" (written out when first read:
        _whence() notes where, (code, line))."""
        where = self._source
        if type(where) is tuple:
            where = self._source = _describe_at(*where)
        return where

    @source.setter
    def source(self, where: Any) -> None:
        self._source = where

    @property
    def stack(self) -> tuple[str, ...]:
        """The user's frames that led to it, outermost first (written out when first read)."""
        frames = self._stack
        if frames and type(frames[0]) is tuple:
            frames = self._stack = tuple(
                clip(_describe_at(code, line, in_function=True), 160) for code, line in frames)
        return frames

    @stack.setter
    def stack(self, frames: Any) -> None:
        self._stack = frames

    @property
    def parameters(self) -> str:
        """The parameters as text; "N sets, first ..." once executions were folded into it
        (made when read: a step of 10,000 single-row statements folds 9,999 times)."""
        text = self._parameters
        if text is None:
            first = self._first.split(", first ", 1)[-1] if self._sets0 > 1 else self._first
            text = self._parameters = clip("%d sets, first %s" % (self.batch, first),
                                           _MAX_PARAMS)
        return text

    @parameters.setter
    def parameters(self, text: str | None) -> None:
        self._parameters = text


class SqlLog:
    """The statements of one session's connections, newest last, at most :data:`HISTORY`."""

    def __init__(self, history: int | None = None) -> None:
        self.entries: collections.deque[SqlEntry] = collections.deque(
            maxlen=HISTORY if history is None else history)
        self.dropped = 0
        self._seq = itertools.count(1)
        #: the session's connections: id -> weak reference (a WeakSet lookup makes a new
        #: weak reference per statement; the identity check makes a reused id harmless)
        self._connections: dict[int, weakref.ref] = {}
        self._hooks: list[_DialectHook] = []  # the dialects' hooks it is told by
        self._running: dict[int, SqlEntry] = {}  # id(execution context) -> entry
        #: (execution context or ("flush", n, step), its _whence()): found once per execute and
        #: per flush step (a 10k-row INSERT is 10k statements on SQLite)
        self._last_whence: tuple[Any, tuple[str, str, tuple[str, ...]]] = (None, ("", "", ()))
        self._step: int | None = None  # the plan step running now
        #: the last entry while the next run of its very statement (same step) folds into it:
        #: _DialectHook folds that one without the general path (see _fold_in); and the
        #: connection it ran on (held only while the entry may fold)
        self._fold: SqlEntry | None = None
        self._fold_conn: Any = None
        self.in_flush = False
        self._flushes = 0
        self._transactions = 0
        self.on_change: Any = None

    # -- what the recorder tells it ---------------------------------------------------------
    def watch(self, connection: Any, begun: bool = True) -> None:
        """Log what ``connection`` runs from now on.  ``begun``: the session just began its
        transaction on it, logged as ``BEGIN`` (the moment the ORM asked for it; a SAVEPOINT
        shows as its own statement)."""
        hook = _hook(connection.engine.dialect, self)
        if hook not in self._hooks:
            self._hooks.append(hook)
        if not self._watching(connection):
            key = id(connection)
            self._connections[key] = weakref.ref(
                connection, lambda _r, key=key, conns=self._connections: conns.pop(key, None))
            _watch_transaction_ends(connection, self)
        if begun:
            self._transactions += 1
            self._add("BEGIN (implicit)", "", 1).ms = 0.0

    def flush_started(self) -> None:
        self._fold = None
        self.in_flush = True
        self._flushes += 1
        self._step = None

    @property
    def flushes(self) -> int:
        """Flushes seen so far: the number of the latest one."""
        return self._flushes

    def step_started(self, index: int) -> None:
        """What runs until :meth:`step_ended` is plan step ``index``'s SQL."""
        self._fold = None
        self._step = index

    def step_ended(self) -> None:
        self._fold = None
        self._step = None

    def flush_ended(self) -> None:
        self._fold = self._fold_conn = None
        self.in_flush = False
        self._step = None

    def close(self) -> None:
        for hook in self._hooks:
            _unhook(hook, self)
        self._hooks = []
        for ref in list(self._connections.values()):
            conn = ref()
            ends = None if conn is None else conn.__dict__.get("_si_ends")
            if ends is not None:
                ends.discard(self)

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
                                 clip(sql, 60), params or "no parameters", len(runs),
                                 _where(runs[0])))
        for first in flushes.values():
            if not first.origin.startswith(_EXPLICIT_FLUSH):
                found.append("Autoflush: %s flushed pending changes before running (from %s)."
                             % (first.origin or "a query", _where(first)))
        return found

    def views(self) -> tuple[SqlView, ...]:
        """The log as snapshot entries, each with its similar / duplicate counts."""
        entries = list(self.entries)
        similar: collections.Counter = collections.Counter()
        same: collections.Counter = collections.Counter()
        for e in entries:
            if not e.sql.startswith(_CONTROL):
                similar[e.sql] += 1
                same[(e.sql, _params_key(e))] += 1
        return tuple(
            SqlView(seq=e.seq, sql=e.sql, parameters=e.parameters, rows=e.rows, batch=e.batch,
                    executions=e.executions,
                    ms=None if e.ms is None else round(e.ms, 3), origin=e.origin,
                    source=e.source, step=e.step, in_flush=e.in_flush, flush=e.flush,
                    error=e.error, stack=e.stack,
                    similar=similar[e.sql] if similar[e.sql] > 1 else 0,
                    duplicates=(n if (n := same[(e.sql, _params_key(e))]) > 1 else 0)
                    if not e.sql.startswith(_CONTROL) else 0)
            for e in entries
        )

    def full_parameters(self, seq: int) -> str | None:
        """The whole text of entry ``seq``'s parameters (every set of an executemany); None when
        the entry is no longer kept."""
        for e in self.entries:
            if e.seq == seq:
                return _params_text_whole(e)
        return None

    def executions_by_step(self, flush: int) -> dict[int, list[tuple[str, int, int]]]:
        """What the steps of flush ``flush`` ran, as logged: step index -> (SQL, parameter
        sets, cursor executions) of each write statement, in order (entries no longer kept
        are missing).  The log sees every cursor execution: a step's own count may miss
        some (Core's "insertmanyvalues" runs one INSERT ... RETURNING as several)."""
        out: dict[int, list[tuple[str, int, int]]] = {}
        for e in self.entries:
            if e.flush == flush and e.step is not None and e.error is None and \
                    e.sql.startswith(_WRITES):
                out.setdefault(e.step, []).append((e.sql, e.batch, e.executions))
        return out

    def _watching(self, conn: Any) -> bool:
        ref = self._connections.get(id(conn))
        return ref is not None and ref() is conn

    # -- Core events ---------------------------------------------------------------------------
    def _add(self, sql: str, parameters: str, batch: int, raw: Any = None,
             context: Any = None) -> SqlEntry:
        # One stack walk per execute (the batches of an insertmanyvalues execute share it) and
        # per flush step: every statement of a step comes from the same user call (the
        # outermost ORM frame, e.g. Session.commit or FlushStepper.step, and the user's line
        # above it), lazy loads inside it too; one step may run 10k single-row statements.
        key = ("flush", self._flushes, self._step) if self.in_flush else context
        if key is not None and self._last_whence[0] == key:
            origin, source, stack = self._last_whence[1]
        else:
            origin, source, stack = _whence()
            if key is not None:
                self._last_whence = (key, (origin, source, stack))
        entry = SqlEntry(next(self._seq), sql, parameters, batch, origin, source, stack)
        entry._raw = raw
        self._fold = None
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
        if not self._watching(conn):
            return
        many = executemany and _is_sets(parameters)
        sql = _normalized(statement)
        sets = len(parameters) if many else 1
        last = self.entries[-1] if self.entries else None
        if (last is not None and self.in_flush and last.in_flush and last.sql == sql
                and last.flush == self._flushes and last.step == self._step
                and last.ms is not None and last.error is None and not self._running
                and last.executions < _FOLD):
            # a flush step running the same statement row by row (keys fetched per row, say):
            # one entry "INSERT INTO address × 500", not 500 entries pushing the rest out
            if last.executions == 1:
                last._raw = [last._raw]
            last._raw.append(parameters)
            last._key = None
            last.executions += 1
            last.batch += sets
            last.parameters = None  # made when read
            last._ms, last.ms, last._t0 = last.ms, None, time.perf_counter()
            self._running[id(context)] = last
            if self.on_change is not None:
                self.on_change()
            return
        entry = self._add(sql, _params_text(parameters, many), sets, parameters, context)
        entry._statement = statement
        self._running[id(context)] = entry

    def _after(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        entry = self._running.pop(id(context), None)
        if entry is None:
            return
        entry.ms = entry._ms + (time.perf_counter() - entry._t0) * 1000.0
        rowcount = getattr(cursor, "rowcount", -1)
        # with RETURNING the driver counts rows only as they are fetched: unknown here
        returning = getattr(getattr(context, "compiled", None), "effective_returning", None)
        known = isinstance(rowcount, int) and rowcount >= 0 and not returning
        if entry.executions == 1:
            entry.rows = rowcount if known else None
        elif entry.rows is not None:  # folded: the sum, while every execution's is known
            entry.rows = entry.rows + rowcount if known else None
        entries = self.entries
        if entry.in_flush and entry.error is None and not self._running and entries \
                and entries[-1] is entry:
            self._fold, self._fold_conn = entry, conn
        else:
            self._fold = self._fold_conn = None

    def _fold_in(self, last: SqlEntry, hook: _DialectHook, cursor: Any, statement: str,
                 parameters: Any, context: Any) -> None:
        """Run one more execution of ``last``'s statement, one row, in the same flush step,
        folded into it: what :meth:`_before`, the statement and :meth:`_after` do then, with
        none of their checks (``_fold`` holds them).  A failure is left to :meth:`_error`."""
        if last.executions == 1:
            last._raw = [last._raw]
        last._raw.append(parameters)
        last._key = None
        last.executions += 1
        last.batch += 1
        last._parameters = None  # made when read
        last._ms, ms, last.ms = last.ms, last.ms, None
        key = id(context)
        self._running[key] = last
        if self.on_change is not None:
            self.on_change()
        listeners = hook.dialect.dispatch.do_execute
        try:
            others = len(listeners.listeners) + len(listeners.parent_listeners) > 1
        except AttributeError:  # another SQLAlchemy's collection
            others = True
        last._t0 = t0 = time.perf_counter()
        if others:
            hook._call(0, cursor, statement, parameters, context)
        else:  # (the common case: no other listener; _call's own path, one call less)
            hook.dialect.do_execute(cursor, statement, parameters, context)
        last.ms = ms + (time.perf_counter() - t0) * 1000.0
        del self._running[key]
        if last.rows is not None:  # (same SQL as the runs before: no RETURNING either)
            rowcount = getattr(cursor, "rowcount", -1)
            last.rows = last.rows + rowcount if isinstance(rowcount, int) and rowcount >= 0 \
                else None

    def _error(self, ctx: Any) -> None:
        """A statement failed (or failed to start): log it as failed, with the error."""
        try:
            context = ctx.execution_context
            entry = self._running.pop(id(context), None) if context is not None else None
            if entry is None:
                conn = ctx.connection
                if conn is None or not self._watching(conn) or not ctx.statement:
                    return
                params = ctx.parameters
                many = isinstance(params, list) and len(params) > 1 and _is_sets(params)
                entry = self._add(visible(" ".join(str(ctx.statement).split())),
                                  _params_text(params, many), len(params) if many else 1, params)
            entry.ms = entry._ms + (time.perf_counter() - entry._t0) * 1000.0
            entry.error = error_text(ctx.original_exception, 300)
            self._fold = None
            if self.on_change is not None:
                self.on_change()
        except Exception:  # noqa: BLE001 - logging must never change the user's error
            pass

    def _commit(self, conn: Any) -> None:
        if self._watching(conn):
            self._add("COMMIT", "", 1).ms = 0.0

    def _rollback(self, conn: Any) -> None:
        if self._watching(conn):
            self._step = None  # a rollback ends the step that failed: it is not the step's
            entry = self._add("ROLLBACK", "", 1)
            entry.ms = 0.0
            if entry.in_flush and _failed_flush():
                entry.origin = _FAILED_FLUSH

    def _rollback_savepoint(self, conn: Any, name: str, context: Any) -> None:
        """Core emits ``ROLLBACK TO SAVEPOINT`` next (logged by :meth:`_before`): not the
        failed step's statement either, and said to come from the failed flush's rollback."""
        if self._watching(conn) and self.in_flush:
            self._step = None
            if _failed_flush():
                _, source, stack = _whence()
                self._last_whence = (("flush", self._flushes, None),
                                     (_FAILED_FLUSH, source, stack))


#: statements a flush step writes with
_WRITES = ("INSERT", "UPDATE", "DELETE")


def observed_executions(logged: list[tuple[str, int, int]], statements: list) -> list[int] | None:
    """The cursor executions of each of a step's ``statements`` (its StatementRecords) as the
    log counted them (``logged``: :meth:`SqlLog.executions_by_step` of the step), or None when
    the two do not pair up one to one (an entry dropped, or two statements folded into one)."""
    if len(logged) != len(statements):
        return None
    for (sql, sets, _), st in zip(logged, statements):
        if sets != len(st.parameters) or sql != _normalized(st.sql):
            return None
    return [executions for _, _, executions in logged]


#: the origin of the ROLLBACK a failed flush runs (its failed step ran no such statement)
_FAILED_FLUSH = "rollback of the failed flush"
#: the ORM functions that roll back a failed flush (or a flush whose planning failed)
_FLUSH_FAILURES = ("FlushRun.fail", "Session._fail_planning")


def _failed_flush() -> bool:
    """Whether the rollback running now is a failed flush's own (not Session.rollback(), nor
    an aborted stepped flush)."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code.co_qualname in _FLUSH_FAILURES and code.co_filename.startswith(_ORM):
            return True
        frame = frame.f_back
    return False


def _where(entry: SqlEntry) -> str:
    return entry.source or "the inspector"


def _is_sets(parameters: Any) -> bool:
    """An executemany's parameters: a sequence of parameter sets (insertmanyvalues sends one
    flattened set with ``executemany`` still true)."""
    return (isinstance(parameters, (list, tuple)) and bool(parameters)
            and isinstance(parameters[0], (list, tuple, dict)))


def _params_text(parameters: Any, executemany: bool) -> str:
    if executemany and parameters:
        text = "%d sets, first %s" % (len(parameters), whole_repr(parameters[0], 4 * _MAX_PARAMS))
    elif _is_empty(parameters):
        return ""
    else:
        text = whole_repr(parameters, 4 * _MAX_PARAMS)
    return clip(text, _MAX_PARAMS)


def _is_empty(parameters: Any) -> bool:
    try:
        return parameters is None or len(parameters) == 0
    except Exception:  # noqa: BLE001 - an odd parameters object is shown, not judged
        return False


def _params_text_whole(entry: SqlEntry) -> str:
    """The whole text of an entry's parameters."""
    raw = entry._raw
    return "" if _is_empty(raw) else whole_repr(raw)


def _params_key(entry: SqlEntry) -> int:
    """A digest of an entry's parameters, to find duplicates (computed once; the text itself
    is not kept: 200 entries of a megabyte each would be too much to hold)."""
    if entry._key is None:
        entry._key = hash(_params_text_whole(entry))
    return entry._key


@functools.lru_cache(maxsize=512)
def _normalized(statement: str) -> str:
    """A statement on one line, controls made visible (the ORM repeats a few statements
    thousands of times: computed once each)."""
    return visible(" ".join(statement.split()))


@functools.lru_cache(maxsize=1024)
def _is_machinery(filename: str) -> bool:
    if filename.startswith(_MACHINERY) or os.path.basename(filename) in _FOREIGN_FILES:
        return True
    return _is_foreign(filename)


@functools.lru_cache(maxsize=1024)
def _is_foreign(filename: str) -> bool:
    """A frame of the notebook's or test runner's own machinery: the user's stack ends there."""
    return (os.path.basename(filename) in _FOREIGN_FILES
            or any(os.sep + p + os.sep in filename for p in _FOREIGN_PACKAGES))


def _whence() -> tuple[str, Any, tuple]:
    """(the ORM entry point the user called, the user's line that called it, the user's frames
    that led there, outermost first); a command of the recorder (an inspector's button) is its
    own source.  The line and frames are (code, line number) pairs, written out only when a
    snapshot reads them (:attr:`SqlEntry.source`, :attr:`SqlEntry.stack`)."""
    frame = sys._getframe(2)
    origin = ""
    while frame is not None:
        code = frame.f_code
        filename = code.co_filename
        if filename.startswith(_ORM):
            origin = code.co_qualname  # keep the outermost ORM frame
            if code.co_name == "__get__":  # reading an attribute loaded it
                attr = frame.f_locals.get("self")
                origin = "load of %s" % (attr,) if attr is not None else origin
        elif filename.startswith(_INSPECTOR):
            if code.co_qualname == "Recorder.command":
                return _ORIGINS.get(origin, origin), "an inspector button", ()
        elif not _is_machinery(filename):
            return _ORIGINS.get(origin, origin), (code, frame.f_lineno), _user_stack(frame)
        frame = frame.f_back
    return _ORIGINS.get(origin, origin), "", ()


def _user_stack(frame: Any) -> tuple[tuple[Any, int], ...]:
    """The user's frames from ``frame`` outwards, up to the notebook's (or test runner's)
    machinery, outermost first, as (code, line number); library frames in between are
    skipped."""
    lines = []
    while frame is not None and len(lines) < _STACK_DEPTH:
        filename = frame.f_code.co_filename
        if _is_foreign(filename):
            break
        if not _is_machinery(filename):
            lines.append((frame.f_code, frame.f_lineno))
        frame = frame.f_back
    # one frame says no more than the source line: none kept (snapshots stay small)
    return tuple(reversed(lines)) if len(lines) > 1 else ()


def _describe_at(code_object: Any, lineno: int, in_function: bool = False) -> str:
    filename = code_object.co_filename
    code = linecache.getline(filename, lineno).strip()
    if _CELL_FILE.search(filename):
        where = "cell, line %d" % lineno
    else:
        where = "%s:%d" % (os.path.basename(filename), lineno)
    where = visible("%s: %s" % (where, code) if code else where)
    name = code_object.co_name
    return where if name == "<module>" or not in_function else "%s (in %s)" % (where, visible(name))


# -- the hooks into Core ---------------------------------------------------------------------
# A listener of a Core *connection* event (before_cursor_execute, commit, ...) on an engine
# sets its ``_has_events``, and every statement of every connection of that engine then pays
# Core's whole event dispatch (before/after execute, before/after cursor execute; ~10 us a
# statement, as much as a one-row INSERT costs).  So the log listens to the *dialect* events
# instead, which only dispatch ``do_execute`` & co., and runs each statement of the session's
# connections itself in between its two notes (as a ``do_execute`` listener may); COMMIT and
# ROLLBACK come from the session's own connections (their ``_commit_impl`` /
# ``_rollback_impl``, where Core fires its commit / rollback events).

#: dialect -> its one hook, shared by every log watching connections of its engines
_HOOKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

_DO = ("do_execute", "do_executemany", "do_execute_no_params")


class _DialectHook:
    """The ``do_execute`` / ``do_executemany`` / ``do_execute_no_params`` / ``handle_error``
    listeners of one dialect, dispatching to the logs that watch the statement's connection.

    One per dialect: a ``do_execute`` listener that runs the statement ends the dispatch, so
    two logs (two recorders) must share it.  The listeners registered after it still get
    their turn, in order, before the dialect's own method runs the statement."""

    def __init__(self, dialect: Any) -> None:
        self.dialect = dialect
        self.logs: list[SqlLog] = []
        self.fns = (self._execute, self._executemany, self._no_params)
        for name, fn in zip(_DO, self.fns):
            core_event.listen(dialect, name, fn)
        core_event.listen(dialect, "handle_error", self._error)

    def remove(self) -> None:
        for name, fn in (*zip(_DO, self.fns), ("handle_error", self._error)):
            if core_event.contains(self.dialect, name, fn):
                core_event.remove(self.dialect, name, fn)

    def _execute(self, cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
        logs = self.logs
        if len(logs) == 1:  # one more row of the statement before, in the same step: fold it
            log = logs[0]
            last = log._fold
            if (last is not None and last._statement is statement and not log._running
                    and last.executions < _FOLD and context is not None
                    and context.root_connection is log._fold_conn):
                log._fold_in(last, self, cursor, statement, parameters, context)
                return True
        return self._run(0, cursor, statement, parameters, context)

    def _executemany(self, cursor: Any, statement: str, parameters: Any, context: Any) -> bool:
        return self._run(1, cursor, statement, parameters, context)

    def _no_params(self, cursor: Any, statement: str, context: Any) -> bool:
        return self._run(2, cursor, statement, (), context)

    def _run(self, kind: int, cursor: Any, statement: str, parameters: Any,
             context: Any) -> bool:
        conn = getattr(context, "root_connection", None)
        logs = [log for log in self.logs if log._watching(conn)] if conn is not None else ()
        if not logs:
            return False  # not a session's statement: Core goes on as without the log
        many = kind == 1
        for log in logs:
            log._before(conn, cursor, statement, parameters, context, many)
        self._call(kind, cursor, statement, parameters, context)
        for log in logs:
            log._after(conn, cursor, statement, parameters, context, many)
        return True

    def _call(self, kind: int, cursor: Any, statement: str, parameters: Any,
              context: Any) -> None:
        """Run the statement as Core would have: the listeners after this one, then (when
        none of them ran it) the dialect's own method."""
        dialect = self.dialect
        listeners = getattr(dialect.dispatch, _DO[kind])
        try:
            others = len(listeners.listeners) + len(listeners.parent_listeners) > 1
        except AttributeError:  # another SQLAlchemy's collection
            others = len(listeners) > 1
        if others:
            ours, after = self.fns[kind], False
            for fn in listeners:
                if after and (fn(cursor, statement, context) if kind == 2
                              else fn(cursor, statement, parameters, context)):
                    return
                after = after or fn == ours
        if kind == 0:
            dialect.do_execute(cursor, statement, parameters, context)
        elif kind == 1:
            dialect.do_executemany(cursor, statement, parameters, context)
        else:
            dialect.do_execute_no_params(cursor, statement, context)

    def _error(self, ctx: Any) -> None:
        for log in list(self.logs):
            log._error(ctx)


def _hook(dialect: Any, log: SqlLog) -> _DialectHook:
    hook = _HOOKS.get(dialect)
    if hook is None:
        hook = _HOOKS[dialect] = _DialectHook(dialect)
    if log not in hook.logs:
        hook.logs.append(log)
    return hook


def _unhook(hook: _DialectHook, log: SqlLog) -> None:
    if log in hook.logs:
        hook.logs.remove(log)
    if not hook.logs:
        hook.remove()
        if _HOOKS.get(hook.dialect) is hook:
            del _HOOKS[hook.dialect]


def _watch_transaction_ends(connection: Any, log: SqlLog) -> None:
    """Have ``log`` told of ``connection``'s COMMIT, ROLLBACK and ROLLBACK TO SAVEPOINT, where
    Core fires those events (``Connection._commit_impl`` / ``_rollback_impl`` /
    ``_rollback_to_savepoint_impl``), for this connection
    only: a Core event listener would slow every statement of the engine (see above)."""
    cls = type(connection)
    ends = connection.__dict__.get("_si_ends")
    if ends is None:
        if not (callable(getattr(cls, "_commit_impl", None))
                and callable(getattr(cls, "_rollback_impl", None))):
            return  # another SQLAlchemy: no COMMIT / ROLLBACK lines, never a failure
        ends = connection.__dict__["_si_ends"] = weakref.WeakSet()
        ref = weakref.ref(connection)  # (a strong one would make the connection a cycle)

        def _commit_impl() -> None:
            conn = ref()
            for each in list(ends):
                each._commit(conn)
            return cls._commit_impl(conn)

        def _rollback_impl() -> None:
            conn = ref()
            for each in list(ends):
                each._rollback(conn)
            return cls._rollback_impl(conn)

        connection.__dict__["_commit_impl"] = _commit_impl
        connection.__dict__["_rollback_impl"] = _rollback_impl
        if callable(getattr(cls, "_rollback_to_savepoint_impl", None)):

            def _rollback_to_savepoint_impl(name: str) -> None:
                conn = ref()
                for each in list(ends):
                    each._rollback_savepoint(conn, name, None)
                return cls._rollback_to_savepoint_impl(conn, name)

            connection.__dict__["_rollback_to_savepoint_impl"] = _rollback_to_savepoint_impl
    ends.add(log)

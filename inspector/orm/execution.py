# orm/execution.py
"""ORMExecuteState: one statement on its way through ``Session.execute()``, as the
``do_orm_execute`` listeners see it (and may change, re-run or replace it)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy.util import immutabledict

__all__ = ["ORMExecuteState", "execute_with_events"]

#: ``run(statement, params, execution_options) -> Result``: how the ORM executes one
#: statement once the listeners are done with it
Runner = Callable[[Any, Any, Any], Any]


class ORMExecuteState:
    """A call of ``Session.execute()`` (or one of the ORM's own loads: ``Session.get``, a
    lazy load, reloading expired attributes, ``refresh``, legacy ``Query`` results) as
    passed to the ``do_orm_execute`` hook.

    A listener may assign :attr:`statement` and :attr:`parameters`, call
    :meth:`update_execution_options`, or return a ``Result`` (for instance the one of
    :meth:`invoke_statement`) which then is the result of the execution.  What SQLAlchemy
    keeps here about its own loader internals (``load_options``,
    ``update_delete_options``, ``loader_strategy_path``) does not exist in this ORM: those
    raise NotImplementedError.
    """

    def __init__(self, session: Any, statement: Any, parameters: Any,
                 execution_options: Any, bind_arguments: dict, events: list,
                 run: Runner, *, mappers: list, column_load: bool = False,
                 lazy_loaded_from: Any = None, own_load: bool = False) -> None:
        self.session = session
        self.statement = statement
        self.parameters = parameters
        self.local_execution_options = immutabledict(execution_options or {})
        self.bind_arguments = bind_arguments
        self._events = events
        self._index = 0
        self._run = run
        self._mappers = mappers
        self._column_load = column_load
        self._lazy_loaded_from = lazy_loaded_from
        self._own_load = own_load  # one of the ORM's loads of one mapper's table

    @property
    def execution_options(self) -> immutabledict:
        """The statement's execution options, updated with the ones of this call."""
        return immutabledict(self.statement._execution_options).union(
            self.local_execution_options)

    def update_execution_options(self, **opts: Any) -> None:
        """Add execution options for the execution that follows the listeners."""
        self.local_execution_options = self.local_execution_options.union(opts)

    def invoke_statement(self, statement: Any = None, params: Any = None,
                         execution_options: dict | None = None,
                         bind_arguments: dict | None = None) -> Any:
        """Execute now (the listeners after this one run for it), return the ``Result``."""
        if bind_arguments:
            raise NotImplementedError(
                "ORMExecuteState.invoke_statement(bind_arguments=...) is not supported by "
                "inspector.orm (a Session has one bind)"
            )
        statement = self.statement if statement is None else statement
        new_params = self.parameters
        if params:
            if self.is_executemany:
                pairs = list(itertools.zip_longest(self.parameters, params))
                if any(a is None or b is None for a, b in pairs):
                    raise sa_exc.InvalidRequestError(
                        "Can't apply executemany parameters to statement; number of "
                        "parameter sets passed to Session.execute() (%d) does not match "
                        "number of parameter sets given to "
                        "ORMExecuteState.invoke_statement() (%d)"
                        % (len(self.parameters), len(params))
                    )
                new_params = [{**a, **b} for a, b in pairs]
            else:
                new_params = {**(self.parameters or {}), **params}
        options = self.local_execution_options
        if execution_options:
            options = options.union(execution_options)
        return _dispatch(self.session, statement, new_params, options, self._run,
                         self._events[self._index + 1:], mappers=self._mappers,
                         column_load=self._column_load,
                         lazy_loaded_from=self._lazy_loaded_from, own_load=self._own_load)

    # -- what kind of execution ----------------------------------------------------------
    @property
    def is_orm_statement(self) -> bool:
        """True when the statement names mapped classes or their attributes."""
        return bool(self._mappers)

    @property
    def all_mappers(self) -> list:
        """The mappers of the entities a SELECT returns (the target of ORM DML)."""
        if not self._mappers:
            return []
        statement = self.statement
        if statement.is_select:
            if self._own_load:
                return [self._mappers[0]]
            found: dict = {}
            for item in getattr(statement, "_raw_columns", ()):
                mapper = getattr(item, "_annotations", {}).get("parententity")
                if mapper is not None:
                    found[mapper] = True
            return list(found)
        return [self._mappers[0]] if statement.is_dml else []

    @property
    def bind_mapper(self) -> Any:
        return self.bind_arguments.get("mapper")

    @property
    def is_executemany(self) -> bool:
        return isinstance(self.parameters, list)

    @property
    def is_select(self) -> bool:
        return bool(self.statement.is_select)

    @property
    def is_insert(self) -> bool:
        return bool(self.statement.is_dml and self.statement.is_insert)

    @property
    def is_update(self) -> bool:
        return bool(self.statement.is_dml and self.statement.is_update)

    @property
    def is_delete(self) -> bool:
        return bool(self.statement.is_dml and self.statement.is_delete)

    @property
    def is_from_statement(self) -> bool:
        return False  # select().from_statement() is not supported by this ORM

    @property
    def is_column_load(self) -> bool:
        """True when the ORM reloads columns of one object (expired attributes, refresh)."""
        return self._column_load

    @property
    def is_relationship_load(self) -> bool:
        """True when the ORM loads a relationship (a lazy load)."""
        return self._lazy_loaded_from is not None

    @property
    def lazy_loaded_from(self) -> Any:
        """The InstanceState whose relationship this lazy load fills, else None."""
        self._require_select()
        return self._lazy_loaded_from

    @property
    def user_defined_options(self) -> list:
        if getattr(self.statement, "_with_options", ()):
            raise NotImplementedError(
                "statement options are not supported by inspector.orm, so neither are "
                "ORMExecuteState.user_defined_options"
            )
        return []

    @property
    def load_options(self) -> Any:
        self._require_select()
        raise _internal("load_options")

    @property
    def update_delete_options(self) -> Any:
        raise _internal("update_delete_options")

    @property
    def loader_strategy_path(self) -> Any:
        raise _internal("loader_strategy_path")

    def _require_select(self) -> None:
        if not self.is_select:
            raise sa_exc.InvalidRequestError(
                "This ORM execution is not against a SELECT statement so there are no "
                "load options."
            )

    def __repr__(self) -> str:
        return "<ORMExecuteState %s>" % type(self.statement).__name__


def _internal(name: str) -> NotImplementedError:
    return NotImplementedError(
        "ORMExecuteState.%s is SQLAlchemy's internal loader state; inspector.orm has no "
        "equivalent" % name
    )


def execute_with_events(session: Any, statement: Any, params: Any, execution_options: Any,
                        run: Runner, *, mappers: list, column_load: bool = False,
                        lazy_loaded_from: Any = None, own_load: bool = False) -> Any:
    """Run ``statement`` through the session's ``do_orm_execute`` listeners, then ``run``.

    Cheap when nobody listens: ``run`` is called directly.
    """
    listeners = session.dispatch.do_orm_execute
    if not listeners:
        return run(statement, params, execution_options)
    return _dispatch(session, statement, params, execution_options, run, list(listeners),
                     mappers=mappers, column_load=column_load,
                     lazy_loaded_from=lazy_loaded_from, own_load=own_load)


def _dispatch(session: Any, statement: Any, params: Any, execution_options: Any, run: Runner,
              events: list, **kw: Any) -> Any:
    if events:
        mappers = kw["mappers"]
        bind_arguments: dict = {"clause": statement}
        if mappers:
            bind_arguments["mapper"] = mappers[0]
        state = ORMExecuteState(session, statement, params, execution_options,
                                bind_arguments, events, run, **kw)
        for index, fn in enumerate(events):
            state._index = index
            result = fn(state)
            if result:
                return result
        statement, params = state.statement, state.parameters
        execution_options = state.local_execution_options
    return run(statement, params, execution_options)

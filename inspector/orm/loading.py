# orm/loading.py
"""Rows to objects through the identity map; lazy loads; reloading expired attributes."""

from __future__ import annotations

import warnings
from typing import Any

import sqlalchemy.exc as sa_exc
from sqlalchemy import and_, bindparam, select
from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData
from sqlalchemy.sql import visitors
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import (
    LABEL_STYLE_TABLENAME_PLUS_COL,
    CompoundSelect,
    ForUpdateArg,
    FromClause,
    Select,
)

from . import exc as orm_exc
from .base import NO_VALUE, STATE_ATTR, gc_paused, state_str
from .execution import execute_with_events
from .inheritance import adapt_statement, entity_selectable, row_mapper, single_criterion
from .state import InstanceState, _new_state, _object_collected, _sessions


def _session_of(state: InstanceState) -> Any:
    sid = state.session_id
    return _sessions.get(sid) if sid is not None else None


def _loader(mapper: Any, columns: list) -> Any:
    """How to read ``mapper``'s objects from rows of the selected ``columns``: the class (or,
    for a polymorphic mapper, the discriminator's position to choose it by), each column's
    attribute key, and the primary key's positions."""
    col_to_key = mapper._col_to_key
    keys = [col_to_key.get(c) for c in columns]
    pk_pos = [columns.index(c) for c in mapper.primary_key]
    if mapper.polymorphic_on is not None and mapper.polymorphic_on in columns:
        return (mapper, columns.index(mapper.polymorphic_on)), keys, pk_pos
    return mapper.class_, keys, pk_pos


def _instance(session: Any, mapper: Any, cls: Any, keys: list, pk_pos: list,
              row: Any, populate_existing: bool = False, identity_token: Any = None) -> Any:
    pk = tuple([row[i] for i in pk_pos])
    if None in pk:
        return None
    loaded_as = mapper
    if type(cls) is tuple:  # polymorphic: the row's discriminator names its class
        mapper = row_mapper(mapper, row[cls[1]])
        cls = mapper.class_
    key = (mapper._identity_class, pk, identity_token)
    imap = session.identity_map
    state = imap._dict.get(key)
    if state is not None:
        obj = state.obj()
        if obj is not None:
            if populate_existing:
                _populate_existing(session, state, obj.__dict__, keys, row)
            else:
                _fill_unloaded(state, obj.__dict__, keys, row)
            return obj
    obj = cls.__new__(cls)
    d = obj.__dict__
    state = InstanceState(obj, mapper)
    d[STATE_ATTR] = state
    for k, v in zip(keys, row):
        if k is not None:
            d[k] = v
    if mapper is not loaded_as:
        # a subclass's own columns were not selected: they load on first access, as expired
        state.expired_attributes.update(k for k in mapper.column_keys if k not in d)
    state.key = key
    state.session_id = session.hash_key
    imap._dict[key] = state
    if session.dispatch.loaded_as_persistent:
        session.dispatch.loaded_as_persistent(session, state)
    return obj


def _fill_unloaded(state: InstanceState, d: dict, keys: list, row: Any) -> None:
    """A row for an object already in the identity map fills what it has no value for.

    Only attributes absent from ``__dict__`` are filled (expired or never loaded); a value
    assigned since the last flush, or any loaded value, is kept, as SQLAlchemy does
    without ``populate_existing``.
    """
    committed = state._committed or ()
    expired = state._expired
    for k, v in zip(keys, row):
        if k is not None and k not in d and k not in committed:
            d[k] = v
            if expired:
                expired.discard(k)


def _populate_existing(session: Any, state: InstanceState, d: dict, keys: list,
                       row: Any) -> None:
    """A row loaded with ``populate_existing`` replaces what the object held: every column
    is overwritten, relationships are unloaded (loaded again on access), and the history of
    the object is forgotten (pending changes are discarded), as SQLAlchemy does."""
    for k, v in zip(keys, row):
        if k is not None:
            d[k] = v
    for k in state.mapper.relationships:
        d.pop(k, None)
    state._commit_all()
    state.expired_attributes.clear()
    session.identity_map._modified.discard(state)


def _fully_expired(state: InstanceState) -> bool:
    """Expired as a whole (``expire(obj)``, commit), not just some attributes.

    A whole-object expiry drops the primary key values too; expiring named attributes
    keeps them.  Only a whole-object expiry makes an identity-map lookup reload the row.
    """
    expired = state._expired
    return bool(expired) and any(k in expired for k in state.mapper.pk_keys)


def _load_execute(session: Any, mapper: Any, stmt: Any, params: dict | None = None, *,
                  column_load: bool = False,
                  lazy_loaded_from: Any = None, autoflush: bool = False,
                  bind_arguments: dict | None = None,
                  execution_options: dict | None = None) -> Any:
    """Execute one of the ORM's own loads (``do_orm_execute`` listeners see it first;
    then the autoflush, as in SQLAlchemy) on the connection of ``mapper``'s bind."""
    def run(statement: Any, params: Any, options: Any) -> Any:
        if autoflush:
            session._autoflush()
        conn = session._connection(mapper, statement, bind_arguments)
        return conn.execute(statement, params, execution_options=options)

    return execute_with_events(session, stmt, params, execution_options or {}, run,
                               mappers=[mapper],
                               column_load=column_load, lazy_loaded_from=lazy_loaded_from,
                               own_load=True)


def load_rows(session: Any, mapper: Any, stmt: Any, params: dict | None = None,
              lazy_loaded_from: Any = None,
              autoflush: bool = True, bind_arguments: dict | None = None,
              populate_existing: bool = False, identity_token: Any = None,
              execution_options: dict | None = None) -> list:
    """Autoflush, run a SELECT of ``mapper``'s table(s) and return its objects, one per row.

    ``populate_existing``: rows overwrite objects already in the identity map (see
    :func:`_populate_existing`); ``identity_token``: the third element of the identity
    keys the objects get.
    """
    result = _load_execute(session, mapper, stmt, params, lazy_loaded_from=lazy_loaded_from,
                           autoflush=autoflush, bind_arguments=bind_arguments,
                           execution_options=execution_options)
    cls, keys, pk_pos = _loader(mapper, list(mapper._select_cols))
    objs = _objects(session, mapper, cls, keys, pk_pos, _all_tuples(result),
                    populate_existing, identity_token)
    return [obj for obj in objs if obj is not None]


def _pk_select(mapper: Any, ident: tuple) -> tuple[Any, dict]:
    """SELECT of ``mapper``'s row by primary key, and its parameters ``pk_1``... (as
    SQLAlchemy's ``Session.get()`` names them): ``(statement, params)``.

    The statement is made once per mapper (and shape: a single-table subclass's
    discriminator values) with value-less parameters, so a get or a reload of expired
    attributes builds no statement and computes no cache key.
    """
    single = mapper.single and mapper.polymorphic_on is not None
    shape = (entity_selectable(mapper),
             tuple(mapper._polymorphic_identities()) if single else None)
    cached = mapper.__dict__.get("_pk_template")
    if cached is None or cached[0][0] is not shape[0] or cached[0][1] != shape[1]:
        crit = [col == bindparam("pk_%d" % (i + 1), type_=col.type)
                for i, col in enumerate(mapper.primary_key)]
        stmt = select(mapper.__clause_element__()).where(
            and_(*crit) if len(crit) > 1 else crit[0])
        single_crit = single_criterion(mapper)
        if single_crit is not None:
            stmt = stmt.where(single_crit)
        cached = mapper._pk_template = (shape, stmt)
    return cached[1], {"pk_%d" % (i + 1): v for i, v in enumerate(ident)}


def _normalize_ident(mapper: Any, ident: Any) -> tuple:
    if isinstance(ident, dict):
        ident = tuple(ident[k] for k in mapper.pk_keys)
    elif not isinstance(ident, (tuple, list)):
        ident = (ident,)
    ident = tuple(ident)
    if len(ident) != len(mapper.primary_key):
        raise sa_exc.InvalidRequestError(
            "Incorrect number of values in identifier formed from argument to Session.get(); "
            "primary key for %s is %d column(s), got %d"
            % (mapper, len(mapper.primary_key), len(ident))
        )
    return ident


def for_update_arg(with_for_update: Any) -> ForUpdateArg | None:
    """``with_for_update=`` of get()/refresh(): None/False, True, a dict of
    ``Select.with_for_update()`` keywords, or a ForUpdateArg."""
    if with_for_update is None or with_for_update is False:
        return None
    if isinstance(with_for_update, ForUpdateArg):
        return with_for_update
    if with_for_update is True:
        return ForUpdateArg()
    if isinstance(with_for_update, dict):
        return ForUpdateArg(**with_for_update)
    raise sa_exc.ArgumentError(
        "with_for_update must be None, True, False or a dict of Select.with_for_update() "
        "arguments, got %r" % (with_for_update,)
    )


def _with_for_update(stmt: Any, arg: ForUpdateArg | None) -> Any:
    if arg is None:
        return stmt
    return stmt.with_for_update(nowait=arg.nowait, read=arg.read, of=arg.of,
                                skip_locked=arg.skip_locked, key_share=arg.key_share)


def get_by_identity(session: Any, mapper: Any, ident: Any, populate_existing: bool = False,
                    for_update: Any = None, identity_token: Any = None,
                    bind_arguments: dict | None = None,
                    execution_options: dict | None = None) -> Any:
    """Session.get(): the identity map first, then one SELECT by primary key.

    ``populate_existing`` or ``for_update`` (a ForUpdateArg) skip the identity map: the row
    is always SELECTed (``FOR UPDATE`` rendered as the dialect does it; SQLite leaves it
    out); with ``populate_existing`` it overwrites the object already in the session.
    ``identity_token`` is the third element of the identity key looked up and given;
    ``execution_options`` go with the SELECT by primary key, when there is one.
    """
    ident = _normalize_ident(mapper, ident)
    key = (mapper._identity_class, ident, identity_token)
    state = None
    if not populate_existing and for_update is None:
        state = session.identity_map._dict.get(key)
    if state is not None and not state.mapper.isa(mapper) and state.obj() is not None:
        # another class of the hierarchy holds that key: None, without SQL (SQLAlchemy's
        # PASSIVE_CLASS_MISMATCH)
        return None
    if state is not None:
        obj = state.obj()
        if obj is not None:
            if state._deleted:
                return None
            if not _fully_expired(state):
                return obj
            try:
                load_expired(state, _column_load=False)
                return obj
            except orm_exc.ObjectDeletedError:
                session._remove_newly_deleted([state])  # then a plain load, as SQLAlchemy
    stmt, params = _pk_select(mapper, ident)
    stmt = _with_for_update(stmt, for_update)
    rows = load_rows(session, mapper, stmt, params, bind_arguments=bind_arguments,
                     populate_existing=populate_existing, identity_token=identity_token,
                     execution_options=execution_options)
    return rows[0] if rows else None


def load_expired(state: InstanceState, _column_load: bool = True,
                 _reading: str | None = None) -> None:
    """Reload the expired attributes of one object with a SELECT by primary key
    (``_column_load``: what ``do_orm_execute`` listeners see as ``is_column_load``; False
    for ``Session.get()`` of an expired object, as SQLAlchemy; ``_reading``: the attribute
    whose read asked for it, for the ``expired_load`` event)."""
    session = _session_of(state)
    if session is None:
        raise orm_exc.DetachedInstanceError(
            "Instance %s is not bound to a Session; attribute refresh operation cannot "
            "proceed" % state_str(state)
        )
    mapper = state.mapper
    d = state.dict
    expired = state.expired_attributes
    if state.key is None and not _pending_reload(session, state):
        return
    # only what is expired and not set since: a value assigned after expiry wins
    keys = [k for k in mapper.column_keys if k in expired and k not in d]
    session._autoflush()
    if state.key is None:  # still pending (no autoflush): nothing of it is in the database
        expired.clear()
        return
    if state._deleted:  # the autoflush deleted the row: the SELECT finds nothing
        keys = keys or mapper.pk_keys
    if not keys:
        expired.clear()
        return
    if session.dispatch.expired_load:
        session.dispatch.expired_load(session, state.obj(), list(keys), _reading)
    _load_columns(session, state, keys, optimized=True, column_load=_column_load)


def _pending_reload(session: Any, state: InstanceState) -> bool:
    """Whether expired attributes of a pending object (e.g. made transient by a rollback of
    its INSERT, then added again) are loaded: as SQLAlchemy, not with an expired primary key
    (InvalidRequestError), nor with none at all (a warning); else the read autoflushes, which
    INSERTs the object, and loads them back."""
    mapper = state.mapper
    d, expired = state.dict, state.expired_attributes
    if any(k in expired and k not in d for k in mapper.pk_keys):
        raise sa_exc.InvalidRequestError(
            "Instance %s cannot be refreshed - it's not  persistent and does not contain a "
            "full primary key." % state_str(state)
        )
    if all(d.get(k) is None for k in mapper.pk_keys):
        warnings.warn(
            "Instance %s to be refreshed doesn't contain a full primary key - can't be "
            "refreshed (and shouldn't be expired, either)." % state_str(state),
            sa_exc.SAWarning, stacklevel=4)
        expired.clear()
        return False
    return True


def refresh_columns(state: InstanceState, keys: list[str], for_update: Any = None) -> None:
    """``Session.refresh()``: SELECT ``keys`` by primary key and overwrite them (the session
    has autoflushed already); ObjectDeletedError when the row is gone.  ``for_update``: a
    ForUpdateArg (``refresh(with_for_update=...)``) locks the row."""
    _load_columns(_session_of(state), state, keys, for_update=for_update)


def _load_columns(session: Any, state: InstanceState, keys: list[str],
                  optimized: bool = False, for_update: Any = None,
                  column_load: bool = True) -> None:
    mapper = state.mapper
    d = state.dict
    expired = state.expired_attributes
    full = len(keys) == len(mapper.column_keys)
    params = None
    if full:
        cols = list(mapper._select_cols)
        stmt, params = _pk_select(mapper, state.key[1])
    else:
        wanted = set(keys)
        col_to_key = mapper._col_to_key
        cols = [c for c in mapper._select_cols if col_to_key[c] in wanted]
        stmt = _subtable_select(mapper, state, cols) if optimized else None
        if stmt is None:
            stmt, params = _pk_select(mapper, state.key[1])
            stmt = stmt.with_only_columns(
                *cols, maintain_column_froms=False).select_from(mapper.persist_selectable)
    stmt = _with_for_update(stmt, for_update)
    row = _load_execute(session, mapper, stmt, params, column_load=column_load).first()
    if row is None:
        raise orm_exc.ObjectDeletedError(state)
    keys = [mapper._col_to_key.get(c) for c in cols]
    for key, value in zip(keys, row):
        if key is not None:
            d[key] = value
            state.committed_state.pop(key, None)
    if full:
        expired.clear()
    else:  # what was not loaded (refresh of some attributes) stays expired
        expired.difference_update([k for k in expired if k in d])


def _subtable_select(mapper: Any, state: InstanceState, cols: list) -> Any:
    """SQLAlchemy's shortcut for attributes of joined subclass tables only: those tables
    alone, tied by their inheritance conditions, the topmost one's parent key given as a
    value the object holds (``? = managers.id``); None when the base table is needed."""
    if mapper.inherits is None or mapper.single or mapper.concrete:
        return None
    needed = {c.table for c in cols}
    if mapper.base_mapper.local_table in needed:
        return None
    d = state.dict
    crit = []
    for m in reversed(list(mapper.iterate_to_root())):
        if m.inherits is None or m.single or m.local_table not in needed:
            continue
        if m.inherits.local_table in needed:
            crit.append(m.inherit_condition)
            continue
        binds: dict = {}
        for col in visitors.iterate(m.inherit_condition):
            if getattr(col, "table", None) is not None and col.table is not m.local_table \
                    and col in mapper._col_to_key:
                key = mapper._col_to_key[col]
                if d.get(key) is None:
                    return None
                binds[col] = bindparam(None, d[key], type_=col.type)
        crit.append(visitors.replacement_traverse(m.inherit_condition, {}, binds.get))
    if not crit:
        return None
    return select(*cols).set_label_style(LABEL_STYLE_TABLENAME_PLUS_COL).where(
        and_(*crit) if len(crit) > 1 else crit[0])


def _key_values(state: InstanceState, columns: list, passive: bool) -> Any:
    """This object's values for ``columns``, reloading expired ones (NO_VALUE if passive)."""
    d = state.dict
    col_to_key = state.mapper._col_to_key
    values = []
    for col in columns:
        key = col_to_key[col]
        if key not in d:
            if passive:  # never loaded or expired: unknown without SQL
                return NO_VALUE
            if key in state.expired_attributes:
                load_expired(state)
        values.append(d.get(key))
    return values


def _detached(state: InstanceState, prop: Any) -> orm_exc.DetachedInstanceError:
    return orm_exc.DetachedInstanceError(
        "Parent instance %s is not bound to a Session; lazy load operation of attribute "
        "'%s' cannot proceed" % (state_str(state), prop.key)
    )


def lazy_load_scalar(state: InstanceState, prop: Any, passive: bool = False) -> Any:
    """The object a many-to-one points at: identity map if possible, else a SELECT."""
    if prop.direction != "MANYTOONE":
        return _lazy_load_one_child(state, prop, passive)
    values = _key_values(state, prop._lazy_cols, passive)
    if values is NO_VALUE:
        return NO_VALUE
    if any(v is None for v in values):
        return None
    session = _session_of(state)
    target = prop.mapper
    if session is None:
        if passive:
            return NO_VALUE
        raise _detached(state, prop)
    existing = _identity_target(session, prop, values)
    obj = existing.obj() if existing is not None else None
    if obj is not None and not existing._deleted:
        if not _fully_expired(existing):
            return obj
        if not passive:
            try:
                load_expired(existing)
                return obj
            except orm_exc.ObjectDeletedError:
                pass
    if passive:
        return NO_VALUE
    rows = load_rows(session, target, *prop.lazy_select(values), lazy_loaded_from=state)
    return rows[0] if rows else None


def related_in_identity_map(state: InstanceState, prop: Any) -> Any:
    """The object a many-to-one points at if it is in the identity map, else None.

    The foreign key is reloaded if it was expired, but the target itself is never
    fetched or refreshed (SQLAlchemy's "no fetch related" history a flush uses to order
    DELETEs): an object absent from the identity map cannot be part of the flush.
    """
    values = _key_values(state, [fk for _, fk in prop.synchronize_pairs], passive=False)
    if any(v is None for v in values):
        return None
    session = _session_of(state)
    existing = _identity_target(session, prop, values) if session is not None else None
    return existing.obj() if existing is not None else None


def _identity_target(session: Any, prop: Any, values: list) -> InstanceState | None:
    """The identity-map state a many-to-one's key values name, when they are the target's
    primary key (else None: only a SELECT can tell)."""
    target = prop.mapper
    if not prop._use_get:
        return None
    return session.identity_map._dict.get((target._identity_class, tuple(values), None))


def _lazy_load_one_child(state: InstanceState, prop: Any, passive: bool) -> Any:
    """A one-to-many (or many-to-many) with ``uselist=False``: the one child, or None.

    Asked passively (the old value of a replace) it is not loaded: as SQLAlchemy 2.x's
    "deferred history", the flush loads it when it asks for the history
    (:func:`load_committed_one_child`).
    """
    if passive:
        return NO_VALUE
    children = lazy_load_collection(state, prop)
    return children[0] if children else None


def load_committed_one_child(state: InstanceState, prop: Any) -> Any:
    """The child a ``uselist=False`` one-to-many / many-to-many held before it was replaced
    (unknown then): a SELECT without autoflush; NO_VALUE for an object with no session."""
    session = _session_of(state)
    if session is None:
        return NO_VALUE
    values = _key_values(state, prop._lazy_cols, passive=False)
    if any(v is None for v in values):
        return None
    rows = load_rows(session, prop.mapper, *prop.lazy_select(values), lazy_loaded_from=state,
                     autoflush=False)
    return rows[0] if rows else None


def lazy_load_collection(state: InstanceState, prop: Any) -> list:
    """The children of a one-to-many, with one SELECT."""
    session = _session_of(state)
    if session is None:
        raise _detached(state, prop)
    refs = prop._lazy_cols
    values = _key_values(state, refs, passive=False)
    if session._flushing and state.committed_state:
        # loaded by a flush (a key changing without passive updates): the rows still
        # reference the key as it is in the database, as SQLAlchemy loads against committed
        committed = state.committed_state
        col_to_key = state.mapper._col_to_key
        for i, ref in enumerate(refs):
            old = committed.get(col_to_key[ref], NO_VALUE)
            if old is not NO_VALUE:
                values[i] = old
    if any(v is None for v in values):
        return []
    return load_rows(session, prop.mapper, *prop.lazy_select(values), lazy_loaded_from=state)


# -- session.execute(select(...)) -------------------------------------------------------------
def _entities(stmt: Any) -> list[tuple[str, Any, int]] | None:
    """For a SELECT: per selected item, ("entity", mapper, width) or ("column", None, 1)."""
    raw = getattr(stmt, "_raw_columns", None)
    if raw is None:
        return None
    out = []
    found = False
    for item in raw:
        ann = getattr(item, "_annotations", {})
        mapper = ann.get("parententity")
        if mapper is not None and isinstance(item, FromClause):
            out.append(("entity", mapper, len(mapper._select_cols)))
            found = True
        elif isinstance(item, ColumnElement) or hasattr(item, "type"):
            out.append(("column", None, 1))
        else:
            return None
    return out if found else None


def orm_mappers(statement: Any) -> list:
    """The mappers a statement mentions anywhere (entities, attributes, criteria, subqueries).

    A statement that mentions none is a Core statement; SQLAlchemy calls the others
    "ORM-enabled" (it tracks them through ``_propagate_attrs``; we look for our annotations).
    """
    from .mapper import Mapper

    found: dict = {}  # first mention first: the statement's primary ("bind") mapper
    for element in visitors.iterate(statement):
        mapper = getattr(element, "_annotations", {}).get("parententity")
        if isinstance(mapper, Mapper):
            found[mapper] = True
    return list(found)


def statement_mapper(statement: Any) -> Any:
    """The first mapper a statement mentions (SQLAlchemy's "plugin subject"), or None.

    Session.get_bind() routes an ORM-enabled statement by it.
    """
    from .mapper import Mapper

    for element in visitors.iterate(statement):
        mapper = getattr(element, "_annotations", {}).get("parententity")
        if isinstance(mapper, Mapper):
            return mapper
    return None


#: ORM execution options an ORM-enabled SELECT honours here (other ORM ones are refused)
_SELECT_OPTIONS = frozenset({"autoflush"})
#: SQLAlchemy's ORM execution options: one this ORM does not honour for a statement is
#: refused; every other option (Core's own, such as ``logging_token``, ``stream_results``,
#: ``isolation_level``, or an application's) goes on to ``Connection.execute()``, as in
#: SQLAlchemy
ORM_OPTIONS = frozenset({
    "autoflush", "populate_existing", "yield_per", "identity_token", "synchronize_session",
    "dml_strategy", "is_delete_using", "is_update_from", "render_nulls",
})


def core_options(options: dict) -> dict:
    """The options of an ORM statement that are not the ORM's (for Core)."""
    return {k: v for k, v in options.items() if k not in ORM_OPTIONS}


def refuse_options(options: dict, honoured: frozenset, what: str) -> None:
    """NotImplementedError for an execution option this ORM would otherwise ignore."""
    for key in options:
        if key not in honoured and (key in ORM_OPTIONS or key.startswith("_sa_orm")):
            raise NotImplementedError(
                "execution option %r of an ORM-enabled %s is not supported by inspector.orm "
                "(supported: %s)" % (key, what, ", ".join(sorted(honoured)))
            )


def execute_orm(session: Any, statement: Any, params: Any = None,
                execution_options: dict | None = None,
                bind_arguments: dict | None = None) -> Any:
    """Session.execute(): Core statements as Core runs them, ORM-enabled ones as the ORM.

    Like SQLAlchemy, every statement is preceded by an autoflush (an ORM-enabled one
    unless its ``autoflush`` execution option is False).  A Core statement (no mapped class
    or attribute in it) goes to Core unchanged, with its execution options.  Of the
    ORM-enabled ones, SELECTs turn entity columns into objects, INSERT/UPDATE/DELETE of a
    mapped class go to :mod:`~inspector.orm.bulk`; everything else raises
    NotImplementedError rather than running with other semantics.
    """
    if not isinstance(statement, Executable):
        if isinstance(statement, str):
            raise sa_exc.ArgumentError(
                "Textual SQL expression %r should be explicitly declared as text(%r)"
                % (statement, statement)
            )
        raise sa_exc.ArgumentError(
            "Executable SQL or text() construct expected, got %r." % (statement,)
        )

    def run(statement: Any, params: Any, options: Any) -> Any:
        return _execute_orm(session, statement, params, options, bind_arguments)

    return execute_with_events(session, statement, params, execution_options, run,
                               mappers=_statement_mappers(statement))


def _statement_mappers(statement: Any) -> list:
    """The mappers of an ORM-enabled statement, its primary one first; [] for Core."""
    mappers = orm_mappers(statement)
    if getattr(statement, "is_dml", False) and mappers:
        entity = _dml_entity(statement)
        if entity is None:
            return []  # a Table's DML with ORM criteria: SQLAlchemy runs it as Core
        mappers = [entity, *(m for m in mappers if m is not entity)]
    return mappers


def _execute_orm(session: Any, statement: Any, params: Any, execution_options: Any,
                 bind_arguments: dict | None = None) -> Any:
    options = given = dict(execution_options or {})
    mappers = _statement_mappers(statement)
    is_dml = getattr(statement, "is_dml", False)
    if not mappers:
        session._autoflush()  # SQLAlchemy autoflushes before Core statements too (#9809)
        conn = session._connection(None, statement, bind_arguments)
        if not getattr(statement, "is_select", False):
            session._mark_written()
        return conn.execute(statement, params, execution_options=options)
    options = {**statement._execution_options, **options}
    if is_dml:
        from .bulk import execute_orm_dml

        return execute_orm_dml(session, statement, params, options, _dml_entity(statement),
                               bind_arguments, core_options(given))
    if isinstance(statement, CompoundSelect) and all(
            _entities(sel) is None for sel in statement.selects):
        refuse_options(options, _SELECT_OPTIONS, "UNION / compound SELECT")
        if options.get("autoflush", True):
            session._autoflush()
        conn = session._connection(None, statement, bind_arguments)
        # columns only: plain rows
        return conn.execute(statement, params, execution_options=core_options(given))
    if not isinstance(statement, Select):
        raise NotImplementedError(
            "ORM-enabled %s statements (%s mentioning mapped classes) are not supported by "
            "inspector.orm; select(...) of entities and columns is"
            % (type(statement).__name__, statement.__visit_name__)
        )
    refuse_options(options, _SELECT_OPTIONS, "SELECT")
    if statement._with_options or getattr(statement, "_with_context_options", None):
        raise NotImplementedError(
            "ORM loader / statement options (select(...).options(...)) are not supported "
            "by inspector.orm"
        )
    if options.get("autoflush", True):
        session._autoflush()
    statement = adapt_statement(statement)
    conn = session._connection(None, statement, bind_arguments)
    result = conn.execute(statement, params, execution_options=core_options(given))
    entities = _entities(statement)
    if entities is None:
        return result
    return objects_result(session, entities, result, list(statement.selected_columns))


def _dml_entity(statement: Any) -> Any:
    """The mapper an INSERT/UPDATE/DELETE targets (``update(User)``), or None for a Table."""
    from .mapper import Mapper

    mapper = getattr(statement.table, "_annotations", {}).get("parententity")
    return mapper if isinstance(mapper, Mapper) else None


def _all_tuples(result: Any) -> list:
    """Every remaining row of ``result`` as a plain tuple (values processed by their column
    types), fetched at once as SQLAlchemy's ORM reads them: no Row object per row."""
    raw = getattr(result, "_raw_all_tuples", None)
    if raw is not None and result._unique_filter_state is None \
            and result._post_creational_filter is None:
        return raw()
    return [tuple(row) for row in result]


#: loads of at least this many rows pause the cyclic garbage collector (see :func:`_objects`)
_GC_PAUSE_ROWS = 500


def _objects(session: Any, mapper: Any, cls: Any, keys: list, pk_pos: list, rows: list,
             populate_existing: bool = False, identity_token: Any = None) -> list:
    """The object of each row (None for a row without primary key), through the identity map.

    Rows may be wider than ``keys``: the entity's columns come first.

    A load of many rows pauses the cyclic garbage collector while it makes the objects:
    each row adds a few tracked objects (object, ``__dict__``, state, identity key), all of
    them reachable, so every collection the allocations would trigger meanwhile could free
    nothing and would only scan the growing heap again (most of the time of a 100k-row
    load).  The collector runs again as the load returns, before any of the caller's code
    (the recorder pauses it the same way while it builds a snapshot).
    """
    with gc_paused(len(rows) >= _GC_PAUSE_ROWS):
        if len(pk_pos) != 1 or None in keys:
            return [_instance(session, mapper, cls, keys, pk_pos, row, populate_existing,
                              identity_token) for row in rows]
        return _plain_objects(session, mapper, cls, keys, pk_pos[0], rows, populate_existing,
                              identity_token)


def _plain_objects(session: Any, mapper: Any, cls: Any, keys: list, pk: int, rows: list,
                   populate_existing: bool, identity_token: Any) -> list:
    """:func:`_instance` for the common case, one loop without a call per row: a one-column
    primary key, every selected column an attribute.

    A new object gets its state slot by slot (the state is the object's weak reference, see
    :class:`~.state.InstanceState`) and its loaded values with one ``dict.update``.  For a
    polymorphic load (``cls`` is ``(mapper, discriminator position)``) each discriminator
    value's mapper, class and unloaded column keys are looked up once per load.
    """
    loaded_as = mapper
    poly = type(cls) is tuple
    if poly:
        disc = cls[1]
        subs: dict = {}
        selected = set(keys)
    identity_class = mapper._identity_class
    imap = session.identity_map._dict
    existing = imap.get
    new_state = _new_state
    collected = _object_collected
    session_id = session.hash_key
    loaded_event = session.dispatch.loaded_as_persistent
    if not loaded_event:
        loaded_event = None
    unloaded = None
    out = []
    append = out.append
    for row in rows:
        ident = row[pk]
        if ident is None:
            append(None)
            continue
        if poly:
            value = row[disc]
            sub = subs.get(value)
            if sub is None:
                m = row_mapper(loaded_as, value)
                # a subclass's own columns were not selected: they load on first access,
                # as expired
                sub = subs[value] = (m, m.class_, m._identity_class,
                                     [k for k in m.column_keys if k not in selected]
                                     if m is not loaded_as else None)
            mapper, cls, identity_class, unloaded = sub
        key = (identity_class, (ident,), identity_token)
        state = existing(key)
        if state is not None:
            obj = state()
            if obj is not None:
                if populate_existing:
                    _populate_existing(session, state, obj.__dict__, keys, row)
                else:
                    _fill_unloaded(state, obj.__dict__, keys, row)
                append(obj)
                continue
        obj = cls.__new__(cls)
        state = new_state(InstanceState, obj, collected)
        # every slot of InstanceState.__init__, for a persistent object
        state.class_ = cls
        state.mapper = mapper
        state.key = key
        state.session_id = session_id
        state._deleted = False
        state._committed = None
        state._expired = set(unloaded) if unloaded else None
        state.modified = False
        state._strong_obj = None
        state.insert_order = None
        state._pending = None
        state._parents = None
        state._orphaned_outside_of_session = False
        state._load_pending = False
        state._empty_collections = None
        d = obj.__dict__
        d[STATE_ATTR] = state
        d.update(zip(keys, row))
        imap[key] = state
        if loaded_event is not None:
            loaded_event(session, state)
        append(obj)
    return out


def objects_result(session: Any, entities: list, result: Any, selected: list) -> Any:
    from .mapper import Mapper

    Mapper._configure_all()  # a load configures mappers first (relationship attributes), as SA
    loaders = []
    pos = 0
    names = []
    for kind, mapper, width in entities:
        if kind == "entity":
            cls, keys, pk_pos = _loader(mapper, list(mapper._select_cols))
            loaders.append((pos, width, mapper, cls, keys, pk_pos))
            names.append(mapper.class_.__name__)
        else:
            loaders.append((pos, 1, None, None, None, None))
            col = selected[pos] if pos < len(selected) else None
            names.append(getattr(col, "key", None) or "col%d" % pos)
        pos += width

    rows = _all_tuples(result)
    if len(loaders) == 1 and loaders[0][2] is not None:  # one entity: its objects, as scalars
        _, width, mapper, cls, keys, pk_pos = loaders[0]
        objs = _objects(session, mapper, cls, keys, pk_pos, rows)
        return IteratorResult(SimpleResultMetaData(names), iter(objs),
                              _source_supports_scalars=True)

    def tuples():
        for row in rows:
            out = []
            for start, width, mapper, cls, keys, pk_pos in loaders:
                if mapper is None:
                    out.append(row[start])
                else:
                    out.append(_instance(session, mapper, cls, keys, pk_pos,
                                         row[start:start + width]))
            yield tuple(out)

    return IteratorResult(SimpleResultMetaData(names), tuples())

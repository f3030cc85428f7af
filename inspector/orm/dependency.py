# orm/dependency.py
"""Dependency processors: the ordering and key syncing one relationship adds to a flush."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam
from sqlalchemy.exc import SAWarning

from . import exc as orm_exc
from .attributes import _state
from .base import NO_VALUE
from .cascade import cascade_iterator
from .loading import _key_values, lazy_load_scalar, related_in_identity_map
from .relationships import MANYTOMANY, MANYTOONE, ONETOMANY

if TYPE_CHECKING:
    from .unitofwork import UOWTransaction


class DependencyProcessor:
    """Per-relationship flush behaviour; subclasses know their direction."""

    def __init__(self, prop: Any) -> None:
        self.prop = prop
        self.key = prop.key
        self.parent = prop.parent
        self.mapper = prop.mapper
        self.cascade = prop.cascade
        self.sort_key = "%s_%s" % (self.parent._sort_key, prop.key)

    @staticmethod
    def for_relationship(prop: Any) -> DependencyProcessor:
        if prop.direction == ONETOMANY:
            return OneToManyDP(prop)
        if prop.direction == MANYTOONE:
            return ManyToOneDP(prop)
        if prop.direction == MANYTOMANY:
            return ManyToManyDP(prop)
        raise ValueError(prop.direction)

    #: the kind of the flush-graph actions that process this relationship
    action_kind = "process"

    def action_label(self, isdelete: bool) -> str:
        return "%s %s" % ("unlink" if isdelete else "sync keys", self.label())

    def label(self) -> str:
        return "%s.%s" % (self.parent.class_.__name__, self.key)

    def __repr__(self) -> str:  # as SQLAlchemy's (_ManyToOneDP(Node.parent))
        return "_%s(%s)" % (type(self).__name__, self.label())

    def history(self, uow: UOWTransaction, state: Any, passive: bool = True) -> Any:
        return uow.get_attribute_history(state, self.key, passive)

    def _sync(self, uow: UOWTransaction, source: Any, dest: Any, clear: bool) -> None:
        """Copy referenced key values from ``source`` into the foreign keys of ``dest``."""
        dmapper = dest.mapper
        ddict = dest.dict
        for ref, fk in self.prop.synchronize_pairs:
            dkey = dmapper._col_to_key[fk]
            if clear:
                # (a key column that holds no value yet is left alone, as SQLAlchemy's)
                if dkey in dmapper.pk_keys and \
                        _key_values(dest, [fk], passive=False)[0] is not None:
                    raise AssertionError(
                        "Dependency rule on column '%s' tried to blank-out primary key column "
                        "'%s' on instance '%s'" % (ref, fk, dest.label())
                    )
                value = None
            else:
                # an expired source (e.g. after commit) is loaded: never sync a missing key
                value = _key_values(source, [ref], passive=False)[0]
            if ddict.get(dkey, _MISSING) is not value or dkey not in ddict:
                dmapper.attrs[dkey].impl.set(dest, ddict, value, None)
            uow.synced.append((dest, dkey, value))
            uow.sync_sources.append(None if clear else source)

    def _pks_changed(self, uow: UOWTransaction, state: Any) -> bool:
        """Did this persistent parent change a key column its children copy?"""
        if state.key is None:
            return False
        col_to_key = self.parent._col_to_key
        for ref, _fk in self.prop.synchronize_pairs:
            hist = uow.get_attribute_history(state, col_to_key[ref])
            if hist.added and hist.deleted:
                return True
        return False

    # hooks -----------------------------------------------------------------
    def presort_saves(self, uow: UOWTransaction, states: list) -> None:
        pass

    def presort_deletes(self, uow: UOWTransaction, states: list) -> None:
        pass

    def process_saves(self, uow: UOWTransaction, states: list) -> None:
        pass

    def process_deletes(self, uow: UOWTransaction, states: list) -> None:
        pass

    def children_of(self, uow: UOWTransaction, state: Any, isdelete: bool) -> list:
        """Objects related through this attribute whose actions depend on ``state``."""
        hist = self.history(uow, state, passive=not isdelete)
        return [c for c in hist.sum() if c is not None]


_MISSING = object()


def _delete_cascade(state: Any) -> list:
    """Every state reached from ``state`` along ``delete`` cascades, depth first (loading
    what the cascade needs, as :func:`.cascade.cascade_iterator` does for Session.delete())."""
    return [_state(o) for o in cascade_iterator(state, "delete")]


class OneToManyDP(DependencyProcessor):
    """Parent rows first; then children get the parent's key in their foreign key."""

    direction = ONETOMANY

    def edges(self, saves, deletes, child_saves, child_deletes, after_save, before_delete):
        return [
            (saves(self.parent), after_save, "parent rows exist before children get their key"),
            (after_save, child_saves, "children receive the parent's key before they're saved"),
            (after_save, child_deletes, "collection processed before child rows go"),
            (child_saves, deletes(self.parent), "children re-pointed before the parent row goes"),
            (child_deletes, deletes(self.parent), "children deleted before the parent row"),
            (before_delete, child_saves, "children de-associated before they're saved"),
            (before_delete, child_deletes, "collection processed before child rows go"),
        ]

    def post_update_edges(self, saves, deletes, child_saves, child_deletes, after_save,
                          before_delete, post_updates, pre_updates):
        """post_update: parent and child rows are saved independently; the children's
        foreign keys are written by a separate UPDATE afterwards (NULLed before deletes)."""
        return [
            (child_saves, after_save, "child rows exist before their link is set"),
            (saves(self.parent), after_save, "parent rows exist before children link to them"),
            (after_save, post_updates, "links set, then written by a post-update"),
            (child_saves, before_delete, "child rows saved before links are cleared"),
            (before_delete, post_updates, "links cleared, then written by a post-update"),
            (post_updates, deletes(self.parent), "children unlinked before the parent goes"),
            (before_delete, pre_updates, "links cleared, then written before deletes"),
            (pre_updates, deletes(self.parent), "children unlinked before the parent goes"),
            (pre_updates, child_deletes, "child rows unlinked before they go"),
        ]

    def _post_update(self, uow: UOWTransaction, cstate: Any) -> None:
        uow.register_post_update(cstate, [fk for _, fk in self.prop.synchronize_pairs])

    def presort_saves(self, uow: UOWTransaction, states: list) -> None:
        passive_updates = self.prop.passive_updates
        for state in states:
            pks_changed = self._pks_changed(uow, state)
            # passive_updates=False: the children are loaded to be UPDATEd with the new key
            hist = self.history(uow, state, passive=passive_updates or not pks_changed)
            if pks_changed:
                # passive updates: the database cascades the new key; the loaded children
                # only get it in memory, and are part of the flush for that alone
                for child in hist.unchanged:
                    if child is not None:
                        uow.register_object(_state(child), listonly=passive_updates,
                                            operation="pk change", prop=self.prop)
            for child in hist.added:
                if child is not None:
                    uow.register_object(_state(child), cancel_delete=True,
                                        operation="add", prop=self.prop)
            for child in hist.deleted:
                if child is None:
                    continue
                cstate = _state(child)
                if self.cascade.delete_orphan and not self._has_other_parent(cstate, state):
                    if uow.register_object(cstate, isdelete=True, operation="delete",
                                           prop=self.prop):
                        # the orphan's own delete cascade goes with it (its subtree)
                        for dstate in _delete_cascade(cstate):
                            uow.register_object(dstate, isdelete=True)
                else:
                    uow.register_object(cstate, operation="delete", prop=self.prop)

    def presort_deletes(self, uow: UOWTransaction, states: list) -> None:
        should_null = not self.cascade.delete and self.prop.passive_deletes != "all"
        for state in states:
            hist = self.history(uow, state, passive=bool(self.prop.passive_deletes))
            for child in hist.deleted:
                # a child removed from this parent goes (delete-orphan) or is re-pointed,
                # unless it has moved to another parent: its save handles it
                if child is not None:
                    cstate = _state(child)
                    if self._has_other_parent(cstate, state):
                        continue
                    uow.register_object(cstate, isdelete=self.cascade.delete_orphan)
            if should_null:
                for child in hist.unchanged:
                    if child is not None:
                        uow.register_object(_state(child), operation="delete", prop=self.prop)
            # with a delete cascade, Session.delete() registered the children it reached;
            # one it did not (expunged since, or added later) is not deleted here either:
            # as in SQLAlchemy, the database's foreign key then speaks

    def _has_other_parent(self, cstate: Any, state: Any) -> bool:
        """The child is held through this relationship now (SQLAlchemy's "hasparent"):
        recorded by the attribute events on every append and remove, backref or not."""
        parent = cstate.parents.get(self.prop, False)
        return parent is not False and parent is not state

    def process_saves(self, uow: UOWTransaction, states: list) -> None:
        for state in states:
            pks_changed = self._pks_changed(uow, state)
            if self.key not in state.dict and self.parent is self.mapper and not pks_changed:
                # only backref mutations of an unloaded self-referential collection: its
                # per-object plan syncs children from their own many-to-one side, so one
                # outside the session keeps its key (measured against SQLAlchemy; for two
                # classes it syncs them from here, in or out of the session)
                continue
            hist = self.history(uow, state)
            for child in hist.added:
                if child is None and self.prop.uselist:
                    raise orm_exc.FlushError(
                        "Can't flush None value found in collection %s" % self.prop)
                if child is not None:
                    self._sync(uow, state, _state(child), clear=False)
                    if self.prop.post_update:
                        self._post_update(uow, _state(child))
            if pks_changed:
                for child in hist.unchanged:
                    if child is not None:
                        self._sync(uow, state, _state(child), clear=False)
            for child in hist.deleted:
                if child is None:
                    continue
                cstate = _state(child)
                if not self.cascade.delete_orphan and not uow.is_deleted(cstate):
                    if not self._has_other_parent(cstate, state):
                        self._sync(uow, state, cstate, clear=True)
                        if self.prop.post_update:
                            self._post_update(uow, cstate)

    def process_deletes(self, uow: UOWTransaction, states: list) -> None:
        """The parent goes: unlink the children that stay.

        Children removed from the collection are unlinked whatever the cascade (a delete
        cascade only reaches the children still in it); the children still in it are
        unlinked unless the cascade deletes them.
        """
        post_update = self.prop.post_update
        if self.prop.passive_deletes == "all" and not post_update:
            return
        for state in states:
            hist = self.history(uow, state, passive=bool(self.prop.passive_deletes))
            children = list(hist.deleted)
            if post_update or not self.cascade.delete:
                children += list(hist.unchanged)
            for child in children:
                if child is None:
                    continue
                cstate = _state(child)
                if (post_update or not uow.is_deleted(cstate)) and \
                        not self._has_other_parent(cstate, state):
                    self._sync(uow, state, cstate, clear=True)
                    if post_update:
                        self._post_update(uow, cstate)


class ManyToOneDP(DependencyProcessor):
    """The referenced row first; then this row's foreign key gets its key."""

    direction = MANYTOONE

    def edges(self, saves, deletes, child_saves, child_deletes, after_save, before_delete):
        return [
            (child_saves, after_save, "the referenced row exists before its key is copied"),
            (after_save, saves(self.parent), "foreign key set before this row is saved"),
            (saves(self.parent), child_deletes, "rows re-pointed before the old target goes"),
            (deletes(self.parent), child_deletes, "referring rows deleted before their target"),
        ]

    def post_update_edges(self, saves, deletes, child_saves, child_deletes, after_save,
                          before_delete, post_updates, pre_updates):
        """post_update: this row is saved without the reference; its foreign key is
        written by a separate UPDATE once the target exists (NULLed before deletes)."""
        return [
            (child_saves, after_save, "the referenced row exists before its key is copied"),
            (saves(self.parent), after_save, "rows saved before their link is set"),
            (after_save, post_updates, "links set, then written by a post-update"),
            (after_save, pre_updates, "links set before the pre-delete update"),
            (before_delete, pre_updates, "links cleared, then written before deletes"),
            (pre_updates, child_deletes, "rows unlinked before their target goes"),
            (pre_updates, deletes(self.parent), "rows unlinked before they go"),
        ]

    def _post_update(self, uow: UOWTransaction, state: Any, related: list,
                     is_delete: bool = False) -> None:
        if any(not is_delete or r is not None for r in related):
            uow.register_post_update(state, [fk for _, fk in self.prop.synchronize_pairs])

    def presort_saves(self, uow: UOWTransaction, states: list) -> None:
        """With delete-orphan (single_parent): a target this row stopped pointing at goes."""
        if not self.cascade.delete_orphan:
            return
        for state in states:
            for old in self._old_targets(uow, state):
                ostate = _state(old)
                if self._pointed_at_elsewhere(uow, ostate, state):
                    continue
                if uow.register_object(ostate, isdelete=True, operation="delete",
                                       prop=self.prop):
                    for dstate in _delete_cascade(ostate):
                        uow.register_object(dstate, isdelete=True)

    def _old_targets(self, uow: UOWTransaction, state: Any) -> list:
        """What this reference pointed at before, loading it as SQLAlchemy does here."""
        hist = self.history(uow, state, passive=False)
        old = [c for c in hist.deleted if c is not None]
        if old or state.key is None:
            return old
        committed = state.committed_state.get(self.key, _MISSING)
        if committed is NO_VALUE:
            # replaced before the old target was ever loaded: the foreign key is not synced
            # yet, so it still names the old row
            target = lazy_load_scalar(state, self.prop)
            if target is not None and target is not state.dict.get(self.key):
                old.append(target)
        return old

    def _pointed_at_elsewhere(self, uow: UOWTransaction, ostate: Any, state: Any) -> bool:
        for st in uow.states_for(self.parent, False):
            if st is not state and st.dict.get(self.key) is ostate.obj():
                return True
        return False

    def presort_deletes(self, uow: UOWTransaction, states: list) -> None:
        if self.cascade.delete or self.cascade.delete_orphan:
            for state in states:
                hist = self.history(uow, state, passive=False)
                for child in hist.sum():
                    if child is not None:
                        uow.register_object(_state(child), isdelete=True,
                                            operation="delete", prop=self.prop)

    def peek_deleted(self, uow: UOWTransaction, states: list,
                     unset_is_null: bool = False, first_only: bool = False) -> None:
        """As SQLAlchemy's flush does, look at the reference of each row that is finally
        deleted (after every cascade and cancelled delete), without fetching its target: a
        null key, or a target in the identity map, is loaded now.  ``unset_is_null``: a
        key never set (neither loaded nor expired) counts as the NULL it reads as.
        ``first_only``: stop at the first row whose reference is (now) loaded, as
        SQLAlchemy's ``prop_has_changes`` stops at the first non-empty history."""
        if self.prop.passive_deletes:
            return
        fk_keys = [self.parent._col_to_key[fk] for _, fk in self.prop.synchronize_pairs]
        for state in states:
            d = state.dict
            if first_only and self.key in d:
                return
            if self.key not in d and state.key is not None and not self.prop._use_get and \
                    not all(ref.primary_key for ref, _ in self.prop.synchronize_pairs):
                # a target found by other columns than its primary key is not looked up in
                # the identity map: SQLAlchemy loads it (a SELECT)
                self.history(uow, state, passive=False)
                if first_only:
                    return
                continue
            if self.key not in d and state.key is not None and (unset_is_null or all(
                    k in d or k in state.expired_attributes for k in fk_keys)):
                keys = _key_values(state, [fk for _, fk in self.prop.synchronize_pairs],
                                   passive=False)
                target = related_in_identity_map(state, self.prop)
                if target is not None or any(v is None for v in keys):
                    d[self.key] = target
                    if first_only:
                        return

    def process_saves(self, uow: UOWTransaction, states: list) -> None:
        for state in states:
            hist = self.history(uow, state)
            if hist.added:
                for child in hist.added:
                    if child is None:
                        self._sync(uow, None, state, clear=True)
                    elif not uow.session._contains_state(_state(child)):
                        # a target outside the session (expunged, deleted by an earlier
                        # flush) gives no key: the foreign key is left as it is
                        warnings.warn(
                            "Object of type %s not in session, add operation along '%s' "
                            "won't proceed" % (_state(child).class_.__name__, self.prop),
                            SAWarning, stacklevel=2)
                    else:
                        self._sync(uow, _state(child), state, clear=False)
            elif hist.deleted and not hist.unchanged:
                self._sync(uow, None, state, clear=True)
            if self.prop.post_update:
                self._post_update(uow, state, hist.sum())

    def process_deletes(self, uow: UOWTransaction, states: list) -> None:
        """post_update: the row's reference is NULLed by an UPDATE before it goes."""
        if (not self.prop.post_update or self.cascade.delete_orphan
                or self.prop.passive_deletes == "all"):
            return
        for state in states:
            self._sync(uow, None, state, clear=True)
            hist = self.history(uow, state, passive=bool(self.prop.passive_deletes))
            if hist:
                self._post_update(uow, state, hist.sum(), is_delete=True)

    def children_of(self, uow: UOWTransaction, state: Any, isdelete: bool) -> list:
        hist = self.history(uow, state)
        out = [c for c in hist.sum() if c is not None]
        if isdelete and not out and self.key not in state.dict and state.key is not None:
            # a row being deleted must go before the row it references, even when the
            # reference was never loaded: follow the foreign key into the identity map
            target = related_in_identity_map(state, self.prop)
            if target is not None:
                out.append(target)
        return out


class ManyToManyDP(DependencyProcessor):
    """Rows of the association (``secondary``) table: inserted once both ends have their
    keys, deleted before either end goes.

    Both sides of a relationship and its backref see the same change; the pairs one side
    wrote are remembered in the flush (``uow.memo``) so the other side skips them.
    """

    direction = MANYTOMANY
    action_kind = "association"

    def action_label(self, isdelete: bool) -> str:
        return "%s many-to-many %s" % ("delete rows of" if isdelete else "process", self.label())

    def edges(self, saves, deletes, child_saves, child_deletes, after_save, before_delete):
        both = "association rows after both ends are inserted"
        gone = "association rows deleted before either end"
        return [
            (saves(self.parent), after_save, both),
            (child_saves, after_save, both),
            (after_save, child_deletes, "association rows written before a removed end goes"),
            (before_delete, saves(self.parent), gone + " is saved"),
            (before_delete, deletes(self.parent), gone),
            (before_delete, child_deletes, gone),
            (before_delete, child_saves, gone + " is saved"),
        ]

    def presort_saves(self, uow: UOWTransaction, states: list) -> None:
        """Read each history now (a replaced uselist=False member is loaded here, as
        SQLAlchemy does before sorting); with delete-orphan (single_parent), a member
        removed from its only parent goes."""
        for state in states:
            # passive_updates=False and a changed key: the members are loaded, their
            # association rows UPDATEd to the new key
            hist = self.history(uow, state, passive=self.prop.passive_updates or
                                not self._pks_changed(uow, state))
            if not self.cascade.delete_orphan:
                continue
            for child in hist.deleted:
                if child is None:
                    continue
                cstate = _state(child)
                if cstate.parents.get(self.prop) is False:
                    if uow.register_object(cstate, isdelete=True, operation="delete",
                                           prop=self.prop):
                        for dstate in _delete_cascade(cstate):
                            uow.register_object(dstate, isdelete=True)

    def presort_deletes(self, uow: UOWTransaction, states: list) -> None:
        # the collection of a row that goes is loaded now (its association rows go too)
        for state in states:
            self.history(uow, state, passive=bool(self.prop.passive_deletes))

    def _processed(self, uow: UOWTransaction) -> set | None:
        rev = self.prop._reverse_property
        if rev is None:
            return None
        return uow.memo(("many-to-many", frozenset((id(self.prop), id(rev)))), set)

    def _row(self, uow: UOWTransaction, state: Any, child: Any, operation: str) -> dict | None:
        """The association row linking ``state`` and ``child`` (None: no row to write)."""
        if child is None:
            if self.prop.uselist:
                raise orm_exc.FlushError(
                    "Can't flush None value found in collection %s" % self.prop)
            return None
        cstate = _state(child)
        if not uow.session._contains_state(cstate):
            if not cstate.deleted:
                warnings.warn(
                    "Object of type %s not in session, %s operation along '%s' won't proceed"
                    % ("<%s>" % cstate.class_.__name__, operation, self.prop), SAWarning,
                    stacklevel=3)
            return None
        row = {}
        for (_ref, fk), value in zip(self.prop.synchronize_pairs, _key_values(
                state, [ref for ref, _ in self.prop.synchronize_pairs], passive=False)):
            row[fk.key] = value
        pairs = self.prop.secondary_synchronize_pairs
        for (_ref, fk), value in zip(pairs, _key_values(
                cstate, [ref for ref, _ in pairs], passive=False)):
            row[fk.key] = value
        return row

    def _rows(self, uow: UOWTransaction, state: Any, children: Any, operation: str,
              processed: set | None, out: list) -> None:
        """Append to ``out`` the rows linking ``state`` to ``children``, skipping the pairs
        the other side of the relationship already wrote in this flush."""
        for child in children:
            if processed is not None and child is not None and \
                    (_state(child), state) in processed:
                continue
            row = self._row(uow, state, child, operation)
            if row is not None:
                out.append(row)

    def process_saves(self, uow: UOWTransaction, states: list) -> list:
        inserts: list[dict] = []
        deletes: list[dict] = []
        updates: list[dict] = []
        processed = self._processed(uow)
        done = set()
        for state in states:
            hist = self.history(uow, state)
            self._rows(uow, state, hist.added, "add", processed, inserts)
            self._rows(uow, state, hist.deleted, "delete", processed, deletes)
            done.update((state, _state(c)) for c in hist.added + hist.deleted if c is not None)
            if not self.prop.passive_updates and self._pks_changed(uow, state):
                for child in hist.unchanged:
                    if child is not None:
                        updates.append(self._key_change_row(uow, state, _state(child)))
        if processed is not None:
            processed.update(done)
        return self._run(uow, inserts, deletes, updates)

    def _key_change_row(self, uow: UOWTransaction, state: Any, cstate: Any) -> dict:
        """An association row's new keys, and its old ones under ``old_<column>``."""
        row: dict = {}
        for obj, pairs in ((state, self.prop.synchronize_pairs),
                           (cstate, self.prop.secondary_synchronize_pairs)):
            col_to_key = obj.mapper._col_to_key
            values = _key_values(obj, [ref for ref, _ in pairs], passive=False)
            for (ref, fk), value in zip(pairs, values):
                hist = uow.get_attribute_history(obj, col_to_key[ref])
                row[fk.key] = value
                row["old_" + fk.key] = hist.deleted[0] if hist.deleted else value
        return row

    def process_deletes(self, uow: UOWTransaction, states: list) -> list:
        deletes: list[dict] = []
        processed = self._processed(uow)
        done = set()
        for state in states:
            hist = self.history(uow, state, passive=bool(self.prop.passive_deletes))
            members = [c for c in hist.unchanged + hist.deleted if c is not None]
            self._rows(uow, state, members, "delete", processed, deletes)
            done.update((state, _state(c)) for c in members)
        if processed is not None:
            processed.update(done)
        return self._run(uow, [], deletes)

    def _run(self, uow: UOWTransaction, inserts: list, deletes: list,
             updates: list = ()) -> list:
        """DELETE, then UPDATE (a key that changed), then INSERT, the association rows,
        each as one executemany."""
        from .persistence import StatementRecord, _sql

        records = []
        connection_for = getattr(uow, "connection_for", None)  # a Session with several binds
        conn = connection_for(self.mapper) if connection_for is not None else uow.connection
        if deletes:
            result = _execute_matched(conn, self._statement("delete", deletes[0]), deletes,
                                      "DELETE", "delete")
            records.append(StatementRecord(_sql(result), deletes, result.rowcount))
        if updates:
            result = _execute_matched(conn, self._statement("update", updates[0]), updates,
                                      "UPDATE", "update")
            records.append(StatementRecord(_sql(result), updates, result.rowcount))
        if inserts:
            result = conn.execute(self._statement("insert", None), inserts)
            records.append(StatementRecord(_sql(result), inserts, len(inserts)))
        return records

    def _statement(self, kind: str, first: dict | None) -> Any:
        """The association table's INSERT, or its DELETE / UPDATE matching the columns of
        ``first`` (a row's keys), built once per relationship: the same statement object
        each flush lets Core reuse its cache key and compiled form."""
        prop = self.prop
        cache = prop.__dict__.get("_secondary_stmts")
        if cache is None:
            cache = prop._secondary_stmts = {}
        secondary = prop.secondary
        key = (kind, secondary, None if first is None else frozenset(first))
        stmt = cache.get(key)
        if stmt is None:
            if kind == "insert":
                stmt = secondary.insert()
            else:
                prefix = "old_" if kind == "update" else ""
                crit = [c == bindparam(prefix + c.key, type_=c.type) for c in secondary.c
                        if c.key in first]
                base = secondary.update() if kind == "update" else secondary.delete()
                stmt = base.where(and_(*crit))
            if len(cache) > 64:
                cache.clear()
            cache[key] = stmt
        return stmt

    def children_of(self, uow: UOWTransaction, state: Any, isdelete: bool) -> list:
        hist = self.history(uow, state, passive=not isdelete)
        return [c for c in hist.sum() if c is not None]


def _execute_matched(conn: Any, statement: Any, params: list, verb: str, infinitive: str) -> Any:
    """Run an association-row DELETE / UPDATE for ``params`` and check that every row matched
    (SQLAlchemy's StaleDataError wording), where the driver counts executemany rows."""
    result = conn.execute(statement, params)
    if result.supports_sane_multi_rowcount() and result.rowcount != len(params):
        raise orm_exc.StaleDataError(
            "%s statement on table '%s' expected to %s %d row(s); Only %d were matched."
            % (verb, statement.table.description, infinitive, len(params), result.rowcount))
    return result

# orm/unitofwork.py
"""The unit of work: gather changed objects, build the action graph, sort it into a plan.

The whole plan exists before any SQL runs; :meth:`FlushPlan.execute` then runs it one
step at a time as a generator, which is what both ``Session.flush()`` and the
stepper drive.
"""

from __future__ import annotations

import warnings
from array import array
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import sqlalchemy.exc as sa_exc
from sqlalchemy.exc import SAWarning

from . import persistence
from .attributes import _state
from .base import state_str
from .dependency import DependencyProcessor
from .relationships import MANYTOONE


# -- graph nodes ---------------------------------------------------------------
class Action:
    """A node of the flush graph; building the same action twice returns the first one."""

    __slots__ = ("key", "sort_key", "mapper")
    kind = "action"
    #: True for the actions of one object (a class's actions split by a dependency cycle)
    per_object = False

    def __repr__(self) -> str:
        # as SQLAlchemy's post-sort records print (CircularDependencyError's message)
        return "_%s(%s)" % (type(self).__name__, self.mapper)

    def label(self) -> str:
        raise NotImplementedError

    @property
    def node_id(self) -> str:
        return "n%x" % (hash(self.key) & 0xFFFFFFFF)


class SaveUpdateAll(Action):
    kind = "save"

    def label(self) -> str:
        return "INSERT/UPDATE %s" % self.mapper.class_.__name__


class DeleteAll(Action):
    kind = "delete"

    def label(self) -> str:
        return "DELETE %s" % self.mapper.class_.__name__


class ProcessAll(Action):
    __slots__ = ("dp", "isdelete")

    @property
    def kind(self) -> str:  # "process", or "association" for a many-to-many's rows
        return self.dp.action_kind

    def label(self) -> str:
        return self.dp.action_label(self.isdelete)

    def __repr__(self) -> str:
        return "_ProcessAll(%r, isdelete=%s)" % (self.dp, self.isdelete)


class PostUpdateAll(Action):
    """UPDATEs of foreign keys of a ``post_update`` relationship: after the rows were
    saved (``isdelete`` False), or before rows go (True, setting them to NULL)."""

    __slots__ = ("isdelete",)
    kind = "post-update"

    def label(self) -> str:
        return "%s UPDATE %s" % ("pre-delete" if self.isdelete else "post-update",
                                 self.mapper.class_.__name__)

    def __repr__(self) -> str:
        return "_PostUpdateAll(%s, isdelete=%s)" % (self.mapper, self.isdelete)


class SaveUpdateState(Action):
    __slots__ = ("state", "row")
    kind = "save"
    per_object = True

    def __repr__(self) -> str:
        return "_%s(%s)" % (type(self).__name__, state_str(self.state))

    def label(self) -> str:
        return "INSERT/UPDATE %s" % _short(self.state)

    def batch_label(self) -> str:
        return "INSERT/UPDATE %s" % self.mapper.class_.__name__


class DeleteState(Action):
    __slots__ = ("state", "row")
    kind = "delete"
    per_object = True

    def __repr__(self) -> str:
        return "_%s(%s)" % (type(self).__name__, state_str(self.state))

    def label(self) -> str:
        return "DELETE %s" % _short(self.state)

    def batch_label(self) -> str:
        return "DELETE %s" % self.mapper.class_.__name__


class ProcessState(Action):
    __slots__ = ("dp", "isdelete", "state", "row")
    per_object = True

    def __repr__(self) -> str:
        return "_ProcessState(%r, %s, delete=%s)" % (self.dp, state_str(self.state),
                                                      self.isdelete)

    @property
    def kind(self) -> str:
        return self.dp.action_kind

    def label(self) -> str:
        return "%s of %s" % (self.batch_label(), _short(self.state))

    def batch_label(self) -> str:
        return self.dp.action_label(self.isdelete)


def _key_repr(value: Any) -> str:
    """A key value in a step's label: a user's ``__repr__`` that raises must not fail the
    flush, and a 100,000-character key makes no 100,000-character label."""
    try:
        text = repr(value)
    except Exception as e:  # noqa: BLE001
        text = "<repr failed: %s>" % type(e).__name__
    return text if len(text) <= 40 else text[:39] + "…"


def _short(state: Any) -> str:
    name = state.class_.__name__
    if state.key is not None:
        ident = state.key[1]
        return "%s(%s)" % (name, ", ".join(_key_repr(v) for v in ident))
    d = state.dict
    pk = [d.get(k) for k in state.mapper.pk_keys]
    if all(v is not None for v in pk):
        return "%s(%s)" % (name, ", ".join(_key_repr(v) for v in pk))
    return "%s#%s" % (name, state.insert_order if state.insert_order is not None else "?")


def _insert_position(state: Any) -> int:
    return state.insert_order or 0


def _identity(state: Any) -> tuple:
    return state.key[1]


def _in_order(states: Any) -> list:
    """The objects of one class in a stable order: new ones as added, then by primary key."""
    # as sorting by (has a key, insert order, identity), without a key tuple per object:
    # the new ones by insert order; the others by identity, then (stable) by insert order
    if not isinstance(states, (list, set, frozenset, tuple)):
        states = list(states)
    new = [s for s in states if s.key is None]
    new.sort(key=_insert_position)
    if len(new) == len(states):
        return new
    old = [s for s in states if s.key is not None]
    try:
        old.sort(key=_identity)
    except TypeError:
        pass  # keys of mixed types: compared only where the full sort compares them
    else:
        old.sort(key=_insert_position)
        return new + old
    try:
        return sorted(states, key=lambda s: (s.key is not None, s.insert_order or 0,
                                             s.key[1] if s.key is not None else ()))
    except TypeError:  # keys of mixed types
        return sorted(states, key=lambda s: (s.key is not None, s.insert_order or 0,
                                             repr(s.key)))


#: an edge's key in :attr:`_RowGraph.seen`: its two codes as digits of this base
_EDGE_KEY = 1 << 41


class _RowGraph:
    """The per-object part of a flush graph: the actions of split cycles and every edge
    that touches one, as flat lists (an edge is two integers and a reason).

    networkx keeps two dicts per node; the garbage collector's full passes walk every
    container alive, and a flush that allocates a few per object triggers more of them the
    bigger the session is.  Here the containers are a handful, whatever the row count; the
    networkx graph gets these nodes and edges only when someone reads it
    (:meth:`UOWTransaction.full_graph`).
    """

    __slots__ = ("rows", "others", "other_code", "src", "dst", "why", "seen")

    def __init__(self) -> None:
        self.rows: list[Action] = []  # per-object actions; code = their ``row``
        self.others: list[Action] = []  # per-class actions an edge touches; code = -1 - index
        self.other_code: dict[Action, int] = {}
        self.src = array("q")
        self.dst = array("q")
        self.why: list[str] = []
        self.seen: set[int] = set()

    def add(self, act: Action) -> None:
        act.row = len(self.rows)
        self.rows.append(act)

    def _code(self, act: Action) -> int:
        if act.per_object:
            return act.row
        code = self.other_code.get(act)
        if code is None:
            code = self.other_code[act] = -1 - len(self.others)
            self.others.append(act)
        return code

    def edge(self, a: Action, b: Action, reason: str) -> None:
        """``a`` before ``b``; an edge made twice keeps its first reason (as networkx's)."""
        ca, cb = self._code(a), self._code(b)
        key = ca * _EDGE_KEY + cb
        if key not in self.seen:
            self.seen.add(key)
            self.src.append(ca)
            self.dst.append(cb)
            self.why.append(reason)

    def edges(self):
        rows, others = self.rows, self.others
        for a, b, reason in zip(self.src, self.dst, self.why):
            yield (rows[a] if a >= 0 else others[-1 - a],
                   rows[b] if b >= 0 else others[-1 - b], reason)


#: the (isdelete, listonly) flags of a state in the flush, one tuple of each
_FLAGS = {(d, lo): (d, lo) for d in (False, True) for lo in (False, True)}
_SAVE = _FLAGS[False, False]


# -- records -----------------------------------------------------------------------
@dataclass
class Step:
    """One entry of the plan: an action, or a batch of per-object actions run together."""

    index: int
    kind: str  # save | delete | process
    label: str
    mapper: Any
    actions: list[Action]
    states: list[Any]

    @property
    def node_ids(self) -> list[str]:
        return [a.node_id for a in self.actions]


@dataclass
class CycleStep(Step):
    """The last step of a plan with an unresolvable cycle: running it raises the error."""

    error: Any = None


@dataclass
class StepRecord:
    """What running one step did."""

    step: Step
    statements: list[persistence.StatementRecord] = field(default_factory=list)
    synced: list[tuple[Any, str, Any]] = field(default_factory=list)
    #: per ``synced`` entry, the state the key value was copied from (None: cleared)
    sync_sources: list[Any] = field(default_factory=list)
    states: list[Any] | None = None  # the objects it ran for, when known only then

    @property
    def batches(self) -> list[dict[str, Any]]:
        """Per statement: ``{"table": "address", "statement": "INSERT", "rows": 500, ...}``."""
        return [s.batch for s in self.statements]


# -- the transaction ---------------------------------------------------------------
class UOWTransaction:
    """Everything one flush knows: the objects, their actions, and the order."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.states: dict[Any, tuple[bool, bool]] = {}  # state -> (isdelete, listonly)
        self.mappers: dict[Any, set] = {}
        #: attribute name -> state -> its History; the states whose History was read with
        #: loading allowed (no tuple per entry: a flush keeps these until it ends)
        self._history: dict[str, dict[Any, Any]] = {}
        self._history_loaded: dict[str, set] = {}
        self._actions: dict[tuple, Action] = {}
        self._dps: dict[Any, DependencyProcessor] = {}
        self.synced: list[tuple[Any, str, Any]] = []
        self.sync_sources: list[Any] = []
        # the flush graph: plain dicts while the plan is built (most flushes need nothing
        # more), a networkx DiGraph from the first use of ``graph`` on (see _light_edge)
        self._nx: nx.DiGraph | None = None
        self._succ: dict[Action, dict[Action, str]] = {}  # node -> successor -> reason
        self._pred: dict[Action, dict[Action, str]] = {}
        self._edges: dict[tuple[Action, Action], str] = {}  # in the order they were added
        self.cycles: list[list[str]] = []
        self._self_dependent: set[Action] = set()
        #: the classes of each cycle broken into per-object actions
        self._split_mappers: list[set] = []
        #: the per-object actions and their edges while not yet in ``graph`` (full_graph())
        self._row_graph: _RowGraph | None = None
        self.connection: Any = None
        #: mapper -> the Connection its rows are written through (the Session's binds)
        self.connection_for: Any = None
        #: relationships that order something in this flush (SQLAlchemy's prop_has_changes)
        self._active_props: set = set()
        #: new object -> the deleted object whose row it takes over (an UPDATE)
        self.row_switches: dict[Any, Any] = {}
        #: the deleted objects of row_switches: no DELETE of their own
        self._switched_out: set = set()
        #: mapper -> (objects, foreign key columns) their post_update relationships changed
        self.post_update_states: dict[Any, tuple[set, set]] = {}
        self._memo: dict[Any, Any] = {}
        #: states_for()'s answers, until the next change of states or _switched_out
        self._states_for: dict[tuple, list] = {}

    def memo(self, key: Any, factory: Any) -> Any:
        """A value shared by everything in this flush under ``key`` (made on first use)."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = factory()
            return value

    # registration ------------------------------------------------------------
    def register_object(self, state: Any, isdelete: bool = False, listonly: bool = False,
                        cancel_delete: bool = False, operation: str | None = None,
                        prop: Any = None) -> bool:
        session = self.session
        if state not in session._new and not session.identity_map.contains_state(state):
            # (Session._contains_state, inlined: called once per object of the flush)
            if not state.deleted and operation is not None:
                warnings.warn(
                    "Object of type %s not in session, %s operation along '%s' will not "
                    "proceed" % ("<%s>" % state.class_.__name__, operation, prop),
                    SAWarning,
                    stacklevel=4,
                )
            return False
        states = self.states
        entry = states.get(state)
        if entry is None:
            states[state] = _FLAGS[bool(isdelete), bool(listonly)]
            # one entry per inheritance hierarchy: its saves and deletes run together
            group = self.mappers.get(state.mapper.base_mapper)
            if group is None:
                group = self.mappers[state.mapper.base_mapper] = set()
            group.add(state)
            self._states_for.clear()
        elif not listonly and (isdelete or cancel_delete):
            flags = _FLAGS[bool(isdelete), False]
            if entry != flags:
                states[state] = flags
                self._states_for.clear()
        return True

    def register_post_update(self, state: Any, columns: list) -> None:
        """``state``'s row gets ``columns`` in a post-update UPDATE (its own step)."""
        states, cols = self.post_update_states.setdefault(state.mapper.base_mapper, (set(), set()))
        states.add(state)
        cols.update(columns)

    def is_deleted(self, state: Any) -> bool:
        entry = self.states.get(state)
        return bool(entry and entry[0])

    def get_attribute_history(self, state: Any, key: str, passive: bool = True) -> Any:
        by_state = self._history.get(key)
        if by_state is None:
            by_state = self._history[key] = {}
            self._history_loaded[key] = set()
        hist = by_state.get(state)
        if hist is None or not (passive or state in self._history_loaded[key]):
            impl = state.mapper.attrs[key].impl
            hist = by_state[state] = impl.get_history(state, state.dict, passive=passive)
            if not passive:
                self._history_loaded[key].add(state)
        return hist

    def states_for(self, mapper: Any, isdelete: bool, rows: bool = False) -> list:
        """The objects of ``mapper`` (and its subclasses) to save or to delete; ``rows``:
        only those whose row is written (not a deleted object whose row a new one takes
        over, whose relationships are still processed, as SQLAlchemy's)."""
        ckey = (mapper, isdelete, rows)
        out = self._states_for.get(ckey)
        if out is not None:
            return out
        base = mapper.base_mapper
        states = self.states
        flags = _FLAGS[bool(isdelete), False]
        out = [s for s in self.mappers.get(base, ()) if states[s] == flags]
        if mapper is not base:
            out = [s for s in out if s.mapper.isa(mapper)]
        if rows and self._switched_out:
            switched = self._switched_out
            out = [s for s in out if s not in switched]
        self._states_for[ckey] = out
        return out

    def _hierarchy_props(self, base: Any) -> list:
        """The relationships of the classes of ``base``'s hierarchy in this flush (a
        subclass's inherited ones once)."""
        present = {s.mapper for s in self.mappers[base]}
        out: dict[Any, None] = {}
        for mapper in base.self_and_descendants:
            if mapper in present:
                for prop in mapper.relationships.values():
                    out.setdefault(prop)
        return list(out)

    def _props(self, sort: bool = True) -> list:
        """Every relationship of the classes in this flush (a subclass's inherited ones
        once), hierarchy by hierarchy."""
        out: dict[Any, None] = {}
        bases = list(self.mappers)
        for base in sorted(bases, key=lambda m: m._sort_key) if sort else bases:
            present = {s.mapper for s in self.mappers[base]}
            for mapper in base.self_and_descendants:
                if mapper in present:
                    for prop in mapper.relationships.values():
                        out.setdefault(prop)
        return list(out)

    @property
    def has_work(self) -> bool:
        return bool(self.states)

    # graph ---------------------------------------------------------------------
    def _action(self, cls: type, *args: Any) -> Action:
        key = (cls.__name__, *[a if a is True or a is False else id(a) for a in args])
        act = self._actions.get(key)
        if act is None:
            act = cls.__new__(cls)
            act.key = key
            if cls in (SaveUpdateAll, DeleteAll):
                (act.mapper,) = args
                act.sort_key = (cls.__name__, act.mapper._sort_key)
            elif cls is PostUpdateAll:
                act.mapper, act.isdelete = args
                act.sort_key = ("PostUpdateAll", act.mapper._sort_key, act.isdelete)
            elif cls is ProcessAll:
                act.dp, act.isdelete = args
                act.mapper = act.dp.parent
                act.sort_key = ("ProcessAll", act.dp.sort_key, act.isdelete)
            else:  # per-object actions exist only in split cycles: the row graph's
                raise TypeError("%s is made by _row_action" % cls.__name__)
            self._actions[key] = act
            if self._nx is not None:
                self._nx.add_node(act)
            elif act not in self._succ:
                self._succ[act] = {}
                self._pred[act] = {}
        return act

    def _edge(self, a: Action | None, b: Action | None, reason: str) -> None:
        if a is None or b is None or a is b:
            return
        if self._nx is None:
            self._light_edge(a, b, reason)
        elif not self._nx.has_edge(a, b):
            self._nx.add_edge(a, b, reason=reason)

    # the graph as plain dicts -------------------------------------------------------
    # A networkx graph costs more to build and sort than a small flush costs to run, so
    # the plan is built in three dicts (as a DiGraph would hold them) and only becomes a
    # DiGraph when something asks for ``graph``: the views, the recorder, and the
    # splitting of cycles.  Nodes and edges are replayed in the order they were added
    # (and removed), so that DiGraph is the one the plan would have built directly.
    @property
    def graph(self) -> nx.DiGraph:
        g = self._nx
        if g is None:
            g = nx.DiGraph()
            g.add_nodes_from(self._succ)
            g.add_edges_from((a, b, {"reason": r}) for (a, b), r in self._edges.items())
            self._nx = g
            self._succ = self._pred = self._edges = {}
        return g

    def _light_edge(self, a: Action, b: Action, reason: str) -> None:
        succ, pred = self._succ, self._pred
        if a not in succ:
            succ[a] = {}
            pred[a] = {}
        elif b in succ[a]:
            return
        if b not in succ:
            succ[b] = {}
            pred[b] = {}
        succ[a][b] = reason
        pred[b][a] = reason
        self._edges[(a, b)] = reason

    def _light_remove(self, act: Action) -> None:
        succ, pred, edges = self._succ, self._pred, self._edges
        for b in succ.pop(act):
            del pred[b][act]
            del edges[(act, b)]
        for a in pred.pop(act):
            del succ[a][act]
            del edges[(a, act)]

    def _light_generations(self) -> list[list[Action]] | None:
        """Topological generations of the plain-dict graph (as networkx's), or None when
        it has a cycle."""
        succ = self._succ
        indegree = {n: len(p) for n, p in self._pred.items()}
        generation = [n for n, d in indegree.items() if d == 0]
        out = []
        done = 0
        while generation:
            out.append(generation)
            done += len(generation)
            following = []
            for n in generation:
                for m in succ[n]:
                    indegree[m] -= 1
                    if not indegree[m]:
                        following.append(m)
            generation = following
        return out if done == len(indegree) else None

    def _row_action(self, cls: type, *args: Any) -> Action:
        """A per-object action of a split cycle (one per key, as :meth:`_action`), kept in
        the row graph instead of ``graph``."""
        if cls is ProcessState:
            dp, isdelete, state = args
            key = ("ProcessState", id(dp), isdelete, id(state))
        else:
            (state,) = args
            key = (cls.__name__, id(state))
        act = self._actions.get(key)
        if act is None:
            act = cls.__new__(cls)
            act.key = key
            act.state = state
            if cls is ProcessState:
                act.dp, act.isdelete = dp, isdelete
                act.mapper = dp.parent
                act.sort_key = ("ProcessState", dp.sort_key, state.insert_order or 0,
                                _short(state))
            else:
                act.mapper = state.mapper.base_mapper
                act.sort_key = (cls.__name__, act.mapper._sort_key, state.insert_order or 0,
                                _short(state))
            self._actions[key] = act
            self._row_graph.add(act)
        return act

    def _row_edge(self, a: Action | None, b: Action | None, reason: str) -> None:
        """:meth:`_edge` while cycles are split: one touching a per-object action goes to
        the row graph."""
        if a is None or b is None or a is b:
            return
        if a.per_object or b.per_object:
            self._row_graph.edge(a, b, reason)
        else:
            self._edge(a, b, reason)

    def _dp(self, prop: Any) -> DependencyProcessor:
        dp = self._dps.get(prop)
        if dp is None:
            dp = self._dps[prop] = DependencyProcessor.for_relationship(prop)
        return dp

    def _presort(self) -> None:
        """Let relationships pull related objects into the flush until nothing changes.

        As SQLAlchemy's preprocessors, each relationship looks at the objects it has not
        seen yet, classified (save or delete) when it runs: a delete cancelled by an earlier
        relationship in the same round (the object appended elsewhere) is seen as a save.
        """
        done: dict[Any, set] = {}  # relationship -> the states it has seen
        states = self.states
        # a class's relationships, until its objects change (objects are only ever added:
        # the same number of objects is the same set)
        hierarchy_props: dict[Any, tuple[int, list]] = {}
        # base -> its states in order, sorted again only when presorting added some (a sort
        # of every state per relationship per round was most of this method at 100k objects)
        ordered: dict[Any, list] = {}
        while True:
            progressed = False
            for base in list(self.mappers):
                props = hierarchy_props.get(base)
                if props is None or props[0] != len(self.mappers[base]):
                    props = hierarchy_props[base] = (len(self.mappers[base]),
                                                     self._hierarchy_props(base))
                for prop in props[1]:
                    if prop.viewonly:
                        continue
                    seen = done.get(prop)
                    if seen is None:
                        seen = done[prop] = set()
                    parent = prop.parent
                    isa: dict[Any, bool] = {}
                    saves, deletes = [], []
                    in_order = ordered.get(base)
                    if in_order is None or len(in_order) != len(self.mappers[base]):
                        in_order = ordered[base] = _in_order(self.mappers[base])
                    for state in in_order:
                        if state in seen:
                            continue
                        mapper = state.mapper
                        ok = isa.get(mapper)
                        if ok is None:
                            ok = isa[mapper] = mapper.isa(parent)
                        if not ok:
                            continue
                        isdelete, listonly = states[state]
                        if listonly:
                            continue
                        seen.add(state)
                        (deletes if isdelete else saves).append(state)
                    if not (saves or deletes):
                        continue
                    progressed = True
                    dp = self._dp(prop)
                    if deletes:
                        dp.presort_deletes(self, deletes)
                    if saves:
                        dp.presort_saves(self, saves)
            if not progressed:
                return

    def _prop_has_changes(self, prop: Any) -> bool:
        """Does this relationship order anything in this flush?  As SQLAlchemy decides it:
        one of the objects holds or held something in it (a deleted row's reference as
        found without SQL), or (not self-referential) both classes have objects in the
        flush.  Only such a relationship adds its edges to the plan."""
        states = [s for s in self.mappers.get(prop.parent.base_mapper, ())
                  if not self.states[s][1] and s.mapper.isa(prop.parent)]
        if not states:
            return False
        for state in states:
            isdelete = self.states[state][0]
            passive = not isdelete or bool(prop.passive_deletes) or prop.direction == MANYTOONE
            if self.get_attribute_history(state, prop.key, passive):
                return True
            if isdelete and prop.direction == MANYTOONE and prop.key in state.dict:
                return True  # found by peek_deleted (identity map, or a NULL key)
        return prop.mapper is not prop.parent and any(
            s.mapper.isa(prop.mapper) for s in self.mappers.get(prop.mapper.base_mapper, ()))

    def plan(self) -> FlushPlan:
        """Build the action graph and its order.  Nothing is executed."""
        self._key_switches()
        self._presort()
        for prop in self._props(sort=False):
            if not prop.viewonly and prop.direction == MANYTOONE:
                deletes = self.states_for(prop.parent, True)
                if deletes:
                    self._dp(prop).peek_deleted(self, deletes, first_only=True)
        self._find_row_switches()
        self._active_props = {prop for prop in self._props(sort=False)
                              if not prop.viewonly and self._prop_has_changes(prop)}
        save = lambda m: self._action(SaveUpdateAll, m.base_mapper)  # noqa: E731
        delete = lambda m: self._action(DeleteAll, m.base_mapper)  # noqa: E731
        for mapper in sorted(self.mappers, key=lambda m: m._sort_key):
            self._edge(save(mapper), delete(mapper), "saves before deletes of one class")
        for prop in self._props():
            if prop.viewonly or prop not in self._active_props:
                continue
            dp = self._dp(prop)
            after_save = self._action(ProcessAll, dp, False)
            before_delete = self._action(ProcessAll, dp, True)
            if prop.post_update:
                # the rows are saved on their own; the link is a separate UPDATE
                updated = (dp.parent if dp.direction == MANYTOONE else dp.mapper).base_mapper
                edges = dp.post_update_edges(
                    save, delete, save(dp.mapper), delete(dp.mapper), after_save,
                    before_delete, self._action(PostUpdateAll, updated, False),
                    self._action(PostUpdateAll, updated, True))
            else:
                edges = dp.edges(save, delete, save(dp.mapper), delete(dp.mapper),
                                 after_save, before_delete)
            for a, b, reason in edges:
                if a is b:
                    # a self-referential relationship: rows of one class depend on
                    # each other, so this class is ordered object by object
                    self._self_dependent.add(a)
                self._edge(a, b, reason)
        if self._nx is None and not self._self_dependent and \
                self._light_generations() is not None:
            cyclic: set = set()  # nothing to split: the graph stays plain dicts
        else:
            cyclic = self._cyclic_nodes()
        error = None
        ordered = None
        if cyclic:
            self._split_cycles(cyclic)
            ordered = self._order_split()
            if ordered is None:  # the per-object actions are still in a cycle
                self._merge_rows()
                error = self._cycle_error()
        # order the full graph (as SQLAlchemy does), then hide the actions with nothing to do
        if error is None:
            steps = [s for s in (self._order(keep_empty=False) if ordered is None
                                 else ordered) if s.states]
        else:
            # as SQLAlchemy's sort, what can be ordered runs; the flush fails at the cycle
            blocked = set(error.cycles)
            for act in error.cycles:
                blocked |= nx.descendants(self.graph, act)
            ordered = self._order(set(self.graph) - blocked)
            steps = [s for s in ordered if s.states]
            # SQLAlchemy runs what sorts before the cycle, and a class's INSERT/UPDATE,
            # DELETE or post-update action takes its connection even with no rows
            # (so does a per-object INSERT/UPDATE/DELETE ordered before the cycle)
            connects = any(isinstance(a, (SaveUpdateAll, DeleteAll, PostUpdateAll,
                                          SaveUpdateState, DeleteState))
                           for st in ordered for a in st.actions)
            acts = sorted(error.cycles, key=lambda a: a.sort_key)
            objs = list(dict.fromkeys(a.state for a in acts if a.per_object))
            cycle_step = CycleStep(0, "cycle", "circular dependency: %d actions" % len(acts),
                                   acts[0].mapper, acts, objs, error=error)
            if not connects:
                # no SQL before the cycle: the plan itself fails, no connection.  The failed
                # plan (only the cycle's step) goes with the error, for the views to draw
                self._prune_empty()
                error.flush_plan = FlushPlan(self, [cycle_step])
                raise error
            steps.append(cycle_step)
        for i, s in enumerate(steps):
            s.index = i
        if self._row_graph is None:  # else when the graph is read (full_graph)
            self._prune_empty()
        return FlushPlan(self, steps)

    def full_graph(self) -> nx.DiGraph:
        """The whole action graph: ``graph`` with the per-object actions of split cycles
        (kept aside while planning), actions with nothing to do taken out."""
        if self._row_graph is not None:
            self._merge_rows()
            self._prune_empty()
        return self.graph

    def _merge_rows(self) -> None:
        rg, g = self._row_graph, self.graph
        self._row_graph = None
        g.add_nodes_from(rg.rows)
        for a, b, reason in rg.edges():
            g.add_edge(a, b, reason=reason)

    def _key_switches(self) -> None:
        """Primary keys that change under many-to-one references with no one-to-many side
        to follow them (SQLAlchemy's key switch): the referencing objects in the session get
        the new key; with ``passive_updates=False`` their rows are UPDATEd too."""
        switched: dict[Any, set] = {}
        for mapper, states in self.mappers.items():
            pk_keys = mapper.pk_keys
            for state in states:
                committed = state.committed_state
                if not committed or state.key is None or self.states[state][0]:
                    continue
                for k in pk_keys:
                    if k in committed:
                        break
                else:
                    continue
                for key in pk_keys:
                    hist = self.get_attribute_history(state, key)
                    if hist.added and hist.deleted:
                        switched.setdefault(mapper, set()).add(state)
                        break
        if not switched:
            return
        from .mapper import _mapper_registry

        props = []
        for m in sorted(_mapper_registry, key=lambda m: m._sort_key):
            for prop in m.relationships.values():
                if prop.viewonly or prop.direction != MANYTOONE or \
                        prop.mapper.base_mapper not in switched:
                    continue
                rev = prop._reverse_property
                if rev is not None and (prop.passive_updates or not rev.passive_updates):
                    continue  # the one-to-many side handles it
                props.append(prop)
        for prop in props:
            targets = switched[prop.mapper.base_mapper]
            for state in list(self.session.identity_map.all_states()):
                if not issubclass(state.class_, prop.parent.class_):
                    continue
                d = state.dict
                if prop.key in d:
                    related = d[prop.key]
                elif not prop.passive_updates and state.key is not None:
                    related = prop.impl.get(state, d)  # loaded (and kept), as SQLAlchemy
                else:
                    continue
                if related is None:
                    continue
                rstate = _state(related)
                if rstate not in targets:
                    continue
                self.register_object(state, listonly=prop.passive_updates)
                rd = rstate.dict
                for ref, fk in prop.synchronize_pairs:
                    dkey = state.mapper._col_to_key[fk]
                    value = rd.get(rstate.mapper._col_to_key[ref])
                    state.mapper.attrs[dkey].impl.set(state, d, value, None)

    def _find_row_switches(self) -> None:
        """A new object with the primary key of an object deleted in this flush takes over
        its row: one UPDATE instead of a DELETE and an INSERT (as SQLAlchemy's row switch).
        The deleted object stays in the flush (it ends up deleted) without its own DELETE."""
        identity_map = self.session.identity_map
        for mapper in sorted(self.mappers, key=lambda m: m._sort_key):
            # only new objects to save whose primary key is complete can take over a row
            pending = []
            for s in self.mappers[mapper]:
                if s.key is not None or self.states[s] != _SAVE:
                    continue
                d = s.dict
                for k in s.mapper.pk_keys:
                    if d.get(k) is None:
                        break
                else:
                    pending.append(s)
            if not pending:
                continue
            for state in _in_order(pending):
                key = state.mapper.identity_key_from_state(state)
                existing = identity_map.get_state(key)
                if existing is None or existing is state:
                    continue
                if self.is_deleted(existing):
                    self._switched_out.add(existing)
                    self._states_for.clear()
                    self.row_switches[state] = existing
                else:
                    warnings.warn(
                        "New instance %s with identity key %s conflicts with persistent "
                        "instance %s" % (state_str(state), key, state_str(existing)),
                        SAWarning, stacklevel=5)

    def _work(self, act: Action) -> list:
        """The objects an action would touch (empty: the action has nothing to do)."""
        if isinstance(act, SaveUpdateAll):
            return self.states_for(act.mapper, False)
        if isinstance(act, DeleteAll):
            return self.states_for(act.mapper, True, rows=True)
        if isinstance(act, ProcessAll):
            return self.states_for(act.dp.parent, act.isdelete)
        if isinstance(act, PostUpdateAll):
            # which rows get one is known while the flush runs: these may
            return self.states_for(act.mapper, act.isdelete)
        return [act.state]

    def _prune_empty(self) -> None:
        if self._nx is None:
            succ, pred = self._succ, self._pred
            for act in sorted(list(succ), key=lambda a: a.sort_key):
                if self._work(act):
                    continue
                preds, succs = list(pred[act]), list(succ[act])
                for p in preds:
                    for s in succs:
                        self._edge(p, s, "%s (via %s)" % (succ[p][act], act.label()))
                self._light_remove(act)
                self._actions.pop(act.key, None)
            return
        g = self.graph
        for act in sorted(list(g.nodes), key=lambda a: a.sort_key):
            if self._work(act):
                continue
            preds, succs = list(g.predecessors(act)), list(g.successors(act))
            for p in preds:
                for s in succs:
                    self._edge(p, s, "%s (via %s)" % (g.edges[p, act]["reason"], act.label()))
            g.remove_node(act)
            self._actions.pop(act.key, None)

    def _cyclic_nodes(self) -> set:
        """Per-class actions that must become per-object actions.

        Those in a cycle of the graph, those of a class whose rows depend on each other
        (a self-referential relationship), and then, as SQLAlchemy does, every relationship
        step whose class has its saves (or deletes) split, so that the per-object order
        comes from each object's own related objects.
        """
        out: set = set()
        for comp in nx.strongly_connected_components(self.graph):
            if len(comp) > 1:
                out |= comp
                self.cycles.append(sorted(a.label() for a in comp))
                self._split_group(comp)
        for act in sorted(self._self_dependent - out, key=lambda a: a.sort_key):
            out.add(act)
            if self._work(act):  # shown as a loop on itself
                self.cycles.append([act.label(), act.label()])
                self._split_group([act])
        if out:
            split_save = {a.mapper for a in out if isinstance(a, SaveUpdateAll)}
            split_del = {a.mapper for a in out if isinstance(a, DeleteAll)}
            for act in list(self.graph.nodes):
                if isinstance(act, ProcessAll) and act.mapper.base_mapper in (
                        split_del if act.isdelete else split_save):
                    out.add(act)
        return out

    def _split_group(self, actions: Any) -> None:
        """Remember the classes of one broken cycle, for :meth:`split_groups`."""
        mappers = {a.mapper.base_mapper for a in actions}
        for group in self._split_mappers:
            if group & mappers:
                group |= mappers
                return
        self._split_mappers.append(mappers)

    def split_groups(self) -> dict[Action, str]:
        """Per-object action -> the label of the cycle it was split from, e.g. ``"cycle on
        Node: split into per-row steps"`` (the plan graph draws each group as a cluster)."""
        labels = []
        for mappers in self._split_mappers:
            names = ", ".join(sorted(m.class_.__name__ for m in mappers))
            labels.append((mappers, "cycle on %s: split into per-row steps" % names))
        out: dict[Action, str] = {}
        for act in self.full_graph().nodes:
            if not act.per_object:
                continue
            base = act.mapper.base_mapper
            for mappers, label in labels:
                if base in mappers:
                    out[act] = label
                    break
            else:
                out[act] = "per-row steps"
        return out

    def _cycle_error(self) -> sa_exc.CircularDependencyError | None:
        """Per-object actions still in a cycle: no order of INSERT/UPDATE/DELETE works.

        SQLAlchemy's :class:`~sqlalchemy.exc.CircularDependencyError`, whose ``cycles``
        holds the actions caught in a cycle and ``edges`` every edge of the graph; ``graph``
        is the whole (split) flush graph, with a ``reason`` per edge.  The plan's last step
        raises it, after the steps that could be ordered ran (as SQLAlchemy's sort does).
        """
        g = self.graph
        cyclic: set = set()
        for comp in nx.strongly_connected_components(g):
            if len(comp) > 1 or g.has_edge(next(iter(comp)), next(iter(comp))):
                cyclic |= comp
        if not cyclic:
            return None
        err = sa_exc.CircularDependencyError(
            "Circular dependency detected.", set(cyclic), set(g.edges),
            # as SQLAlchemy's message: each action's repr, naming its objects
            msg="Circular dependency detected. (%s)" % ", ".join(
                repr(a) for a in sorted(cyclic, key=lambda a: a.sort_key)),
        )
        err.graph = g
        return err

    def _split_cycles(self, cyclic: set) -> None:
        """Replace per-class actions caught in a cycle by per-object actions (kept in a
        :class:`_RowGraph` with every edge that touches one)."""
        g = self.graph
        self._row_graph = _RowGraph()
        cyc_save = {a.mapper for a in cyclic if isinstance(a, SaveUpdateAll)}
        cyc_del = {a.mapper for a in cyclic if isinstance(a, DeleteAll)}
        replaced: dict[Action, list[Action]] = {}
        for act in cyclic:
            if isinstance(act, SaveUpdateAll):
                new = [self._row_action(SaveUpdateState, s)
                       for s in self.states_for(act.mapper, False)]
                for n in new:
                    self._row_edge(n, self._action(DeleteAll, act.mapper)
                                   if act.mapper not in cyc_del else None,
                                   "saves before deletes of one class")
            elif isinstance(act, DeleteAll):
                new = [self._row_action(DeleteState, s)
                       for s in self.states_for(act.mapper, True, rows=True)]
            else:
                new = []
            replaced[act] = new
        for act in cyclic:
            if isinstance(act, SaveUpdateAll) and act.mapper in cyc_del:
                # both sides split: still every save of the class before every delete
                deletes = replaced[self._action(DeleteAll, act.mapper)]
                for n in replaced[act]:
                    for d in deletes:
                        self._row_edge(n, d, "saves before deletes of one class")
        # edges between a cycled action and the rest now attach to its replacements
        for a, b, data in list(g.edges(data=True)):
            if a in cyclic and b in cyclic:
                continue
            if a in cyclic:
                for n in replaced[a]:
                    self._row_edge(n, b, data["reason"])
            elif b in cyclic:
                for n in replaced[b]:
                    self._row_edge(a, n, data["reason"])
        for act in cyclic:
            g.remove_node(act)
            self._actions.pop(act.key, None)
        # as SQLAlchemy's per-object split of a class's deletes, which reads each of the
        # class's relationships in the flush for its deleted objects: a many-to-one found
        # without SQL (a NULL key, also one never set; a target in the identity map) is
        # loaded, whether or not it orders anything (collections: presort loaded them)
        for prop in sorted(self._active_props, key=lambda p: (p.parent._sort_key, p.key)):
            if prop.direction == MANYTOONE and prop.parent.base_mapper in cyc_del:
                self._dp(prop).peek_deleted(self, self.states_for(prop.parent, True),
                                            unset_is_null=True)
        for act in cyclic:
            if isinstance(act, ProcessAll):
                self._per_state_dependencies(act.dp, act.isdelete, cyc_save, cyc_del)

    def _per_state_dependencies(self, dp: Any, isdelete: bool, cyc_save: set,
                                cyc_del: set) -> None:
        if dp.prop.post_update:
            self._per_state_post_update(dp, isdelete, cyc_save, cyc_del)
            return
        one_to_many = dp.direction == "ONETOMANY"
        many_to_many = dp.direction == "MANYTOMANY"
        for state in self.states_for(dp.parent, isdelete):
            children = dp.children_of(self, state, isdelete)
            if not children:
                # nothing to order against, but a reference set to None still has to be
                # written (its old target may be unknown: assigned on an expired object)
                hist = dp.history(self, state)
                if isdelete or not (hist.added or hist.deleted):
                    continue
            proc = self._row_action(ProcessState, dp, isdelete, state)
            # the parent's own action: its save, or its delete (never both: a per-object
            # action made here runs, so only the one this object really has is made)
            save_parent = delete_parent = None
            if not isdelete:
                save_parent = (self._row_action(SaveUpdateState, state)
                               if dp.parent.base_mapper in cyc_save
                               else self._action(SaveUpdateAll, dp.parent.base_mapper))
                if one_to_many:
                    self._row_edge(save_parent, proc, "parent row exists before its key is copied")
                elif many_to_many:
                    self._row_edge(save_parent, proc, "association rows after both ends are "
                                   "inserted")
                else:
                    self._row_edge(proc, save_parent, "foreign key set before the row is saved")
            elif state in self._switched_out:
                delete_parent = None
            else:
                delete_parent = (self._row_action(DeleteState, state)
                                 if dp.parent.base_mapper in cyc_del
                                 else self._action(DeleteAll, dp.parent.base_mapper))
            for child in children:
                cstate = _state(child)
                entry = self.states.get(cstate)
                if entry is None or entry[1] or cstate in self._switched_out:
                    # not in the flush, only listed, or a row switch's deleted object (the
                    # new object's UPDATE takes its row: it has no DELETE of its own)
                    child_action, child_del = None, False
                elif entry[0]:
                    child_del = True
                    child_action = (self._row_action(DeleteState, cstate)
                                    if dp.mapper.base_mapper in cyc_del
                                    else self._action(DeleteAll, dp.mapper.base_mapper))
                else:
                    child_del = False
                    child_action = (self._row_action(SaveUpdateState, cstate)
                                    if dp.mapper.base_mapper in cyc_save
                                    else self._action(SaveUpdateAll, dp.mapper.base_mapper))
                if many_to_many:
                    if not isdelete:
                        if child_del:
                            self._row_edge(proc, child_action, "association rows written before "
                                           "a removed end goes")
                        else:
                            self._row_edge(child_action, proc, "association rows after both ends "
                                           "are inserted")
                    else:
                        self._row_edge(proc, child_action, "association rows deleted before "
                                       "either end")
                        self._row_edge(proc, delete_parent, "association rows deleted before "
                                       "either end")
                elif one_to_many:
                    if not isdelete:
                        self._row_edge(proc, child_action, "child gets the parent's key first")
                        self._row_edge(save_parent, child_action, "parent row before child row")
                    else:
                        self._row_edge(proc, child_action, "child de-associated first")
                        self._row_edge(child_action, delete_parent,
                                       "child handled before parent goes")
                        if child_del and child_action is delete_parent and isinstance(
                                child_action, DeleteState):
                            # a deleted row listed among its own children: no DELETE can go
                            # before itself, a cycle (as SQLAlchemy reports it)
                            self._row_graph.edge(child_action, child_action,
                                                 "a row in its own collection")
                else:
                    if not isdelete:
                        if not child_del:
                            self._row_edge(child_action, proc, "referenced row exists first")
                    elif child_del:
                        self._row_edge(delete_parent, child_action, "referring row deleted first")

    def _per_state_post_update(self, dp: Any, isdelete: bool, cyc_save: set,
                               cyc_del: set) -> None:
        """Per-object ordering of a post_update relationship: only the key copying waits
        for the rows; the rows themselves are not ordered against each other."""
        updated = (dp.parent if dp.direction == MANYTOONE else dp.mapper).base_mapper
        post = self._action(PostUpdateAll, updated, isdelete)
        for state in self.states_for(dp.parent, isdelete):
            proc = self._row_action(ProcessState, dp, isdelete, state)
            if not isdelete:
                save_parent = (self._row_action(SaveUpdateState, state)
                               if dp.parent.base_mapper in cyc_save
                               else self._action(SaveUpdateAll, dp.parent.base_mapper))
                self._row_edge(save_parent, proc, "row saved before its link is set")
                self._row_edge(proc, post, "link set, then written by the post-update")
            else:
                delete_parent = (None if state in self._switched_out
                                 else self._row_action(DeleteState, state)
                                 if dp.parent.base_mapper in cyc_del
                                 else self._action(DeleteAll, dp.parent.base_mapper))
                self._row_edge(proc, post, "link cleared, then written by the pre-delete update")
                self._row_edge(post, delete_parent, "link removed before the row goes")
            for child in dp.children_of(self, state, isdelete):
                cstate = _state(child)
                entry = self.states.get(cstate)
                if entry is None or entry[1] or cstate in self._switched_out:
                    continue
                if entry[0]:
                    child_action = (self._row_action(DeleteState, cstate)
                                    if dp.mapper.base_mapper in cyc_del
                                    else self._action(DeleteAll, dp.mapper.base_mapper))
                    self._row_edge(post, child_action, "link removed before the target goes")
                else:
                    child_action = (self._row_action(SaveUpdateState, cstate)
                                    if dp.mapper.base_mapper in cyc_save
                                    else self._action(SaveUpdateAll, dp.mapper.base_mapper))
                    if not isdelete:
                        self._row_edge(child_action, proc, "target row saved before the link")

    def _order(self, nodes: set | None = None, keep_empty: bool = True) -> list[Step]:
        """Topological generations of the graph (or of ``nodes`` of it); inside one, a stable
        sort; batches merged.  ``keep_empty`` False: no steps for actions with nothing to
        do (the plan drops them)."""
        if nodes is None and self._nx is None:
            generations = self._light_generations()
            assert generations is not None  # (a cycle makes the graph a DiGraph first)
        else:
            g = self.graph if nodes is None else self.graph.subgraph(nodes)
            generations = nx.topological_generations(g)
        return self._steps(generations, keep_empty)

    def _order_split(self) -> list[Step] | None:
        """:meth:`_order` of ``graph`` with the per-object actions of the row graph: the same
        generations, by a topological sort over flat lists (linear in the edges, no
        container per node); None when the per-object actions are still in a cycle."""
        rg = self._row_graph
        nodes = list(self.graph)  # per-class actions first, as they were made first
        index = {act: i for i, act in enumerate(nodes)}
        for act in rg.others:  # an edge to a per-class action that was taken out adds it back
            if act not in index:
                index[act] = len(nodes)
                nodes.append(act)
        base = len(nodes)
        nodes += rg.rows
        other = [index[act] for act in rg.others]
        heads = [index[a] for a, b in self.graph.edges]
        tails = [index[b] for a, b in self.graph.edges]
        heads += [base + c if c >= 0 else other[-1 - c] for c in rg.src]
        tails += [base + c if c >= 0 else other[-1 - c] for c in rg.dst]
        # successors of node i: succ[start[i]:start[i + 1]], in the order the edges were made
        n = len(nodes)
        start = [0] * (n + 1)
        indegree = [0] * n
        for h in heads:
            start[h + 1] += 1
        for t in tails:
            indegree[t] += 1
        for i in range(n):
            start[i + 1] += start[i]
        fill = start[:-1]
        succ = [0] * len(heads)
        for h, t in zip(heads, tails):
            succ[fill[h]] = t
            fill[h] += 1
        del heads, tails, fill
        sorted_count = 0

        def generations():
            nonlocal sorted_count
            current = [i for i in range(n) if not indegree[i]]
            while current:
                sorted_count += len(current)
                yield [nodes[i] for i in current]
                following = []
                for i in current:
                    for k in range(start[i], start[i + 1]):
                        t = succ[k]
                        indegree[t] -= 1
                        if not indegree[t]:
                            following.append(t)
                current = following

        steps = self._steps(generations())
        return steps if sorted_count == n else None

    def _steps(self, generations: Any, keep_empty: bool = True) -> list[Step]:
        """The steps of topological generations: inside one, a stable sort; batches merged."""
        steps: list[Step] = []
        for generation in generations:
            batch: dict[tuple, list[Action]] = {}
            for act in sorted(generation, key=lambda a: a.sort_key):
                if isinstance(act, (SaveUpdateState, DeleteState)):
                    bkey = (type(act).__name__, act.mapper._sort_key)
                elif isinstance(act, ProcessState):
                    bkey = ("ProcessState", act.dp.sort_key, act.isdelete)
                else:
                    bkey = act.key
                batch.setdefault(bkey, []).append(act)
            for acts in batch.values():
                first = acts[0]
                if isinstance(first, (SaveUpdateAll, DeleteAll, ProcessAll, PostUpdateAll)):
                    work = self._work(first)
                    if not (work or keep_empty):
                        continue
                    states = _in_order(work)
                    label = first.label()
                    if first.mapper._inheriting_mappers and not isinstance(first, ProcessAll):
                        # one step writes the whole hierarchy: name the subclasses in it
                        subs = sorted({s.class_.__name__ for s in states
                                       if s.mapper is not first.mapper})
                        if subs:
                            label = "%s + %s" % (label, ", ".join(subs))
                else:
                    states = [a.state for a in acts]
                    label = first.label() if len(acts) == 1 else "%s (%d objects)" % (
                        first.batch_label(), len(acts))
                steps.append(Step(len(steps), first.kind, label, first.mapper, acts, states))
        return steps

    # execution ------------------------------------------------------------------
    def run_step(self, step: Step) -> StepRecord:
        record = StepRecord(step)
        self.synced = record.synced
        self.sync_sources = record.sync_sources
        first = step.actions[0]
        if isinstance(step, CycleStep):
            raise step.error
        if first.kind in ("save", "delete", "post-update"):
            conn = self.connection
            if self.connection_for is not None:
                conn = self.connection_for(step.mapper)
            if first.kind == "save":
                record.statements = persistence.save_obj(step.mapper, step.states, conn,
                                                         self.row_switches)
            elif first.kind == "delete":
                record.statements = persistence.delete_obj(step.mapper, step.states, conn)
            else:
                states, cols = self.post_update_states.get(step.mapper, ((), ()))
                states = [s for s in states if self.states[s][0] == first.isdelete]
                record.states = states
                record.statements = persistence.post_update(step.mapper, states, cols, conn,
                                                            self)
        else:
            dp, isdelete = first.dp, first.isdelete
            if isdelete:
                out = dp.process_deletes(self, step.states)
            else:
                out = dp.process_saves(self, step.states)
            if out:  # statements of their own (a many-to-many's association rows)
                record.statements = out
        return record

    def finalize_flush_changes(self) -> None:
        """After all steps ran: pending become persistent, deleted become deleted."""
        states = self.states
        isdel = [s for s, (d, _listonly) in states.items() if d]
        # objects only listed (their keys synced in memory) are committed as they are too
        # (a row with nothing to UPDATE and an expired key gets it loaded there, as SQLAlchemy)
        other = [s for s, (d, _listonly) in states.items() if not d]
        # deleted first, as SQLAlchemy (persistent_to_deleted events before pending_to_...)
        self.session._remove_newly_deleted(isdel)
        self.session._register_persistent(other)


class FlushPlan:
    """The sorted steps of one flush, and the graph they came from."""

    def __init__(self, uow: UOWTransaction, steps: list[Step]) -> None:
        self.uow = uow
        self.steps = steps

    @property
    def graph(self) -> nx.DiGraph:
        return self.uow.full_graph()

    @property
    def cycles(self) -> list[list[str]]:
        return self.uow.cycles

    @property
    def states(self) -> dict:
        return self.uow.states

    @property
    def unresolved(self) -> set:
        """The actions of a cycle no order resolves (the last step raises it); else empty."""
        last = self.steps[-1] if self.steps else None
        return set(last.error.cycles) if isinstance(last, CycleStep) else set()

    def split_groups(self) -> dict[Action, str]:
        return self.uow.split_groups()

    def execute(self, connection: Any, connection_for: Any = None):
        """Run the steps in order, yielding a :class:`StepRecord` after each.

        ``connection_for(mapper)``, when given, picks the connection of each save/delete
        step (a Session with several binds); else every step uses ``connection``.
        """
        self.uow.connection = connection
        self.uow.connection_for = connection_for
        try:
            for step in self.steps:
                yield self.uow.run_step(step)
        finally:
            # connection_for is a method of the FlushRun that holds this plan: dropping it
            # (and the connection) leaves no cycle, so the flush's objects go with the flush
            self.uow.connection = self.uow.connection_for = None

    def __repr__(self) -> str:
        return "<FlushPlan %d steps>" % len(self.steps)

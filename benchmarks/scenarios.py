"""Benchmark scenarios.

The ORM scenarios are written once against an ORM *module* (``sqlalchemy.orm`` or
``inspector.orm``): the same declarative classes and session code, only the import differs.
Raw ``sqlite3`` versions of the same work are written separately.

Every scenario has an untimed ``setup`` (fresh SQLite file, schema, seed rows via Core or
executemany), a timed ``run`` and an untimed ``check`` that reads the database back with plain
``sqlite3``, so that an implementation that silently does less work cannot look fast.

The *growth* scenarios (``growth_<shape>@<size>``) run one graph shape at 1k / 10k / 100k
objects so that the time per object can be compared across sizes: their setup builds the
object graph (``child.parent = parent``, backrefs fill the collections), the timed run is
``add_all`` in creation order + ``flush`` + ``commit``; the raw version inserts row by row
(tree) or with one executemany (wide), reading back each generated key it needs.

What makes the cost per object grow with the size (issue 8; both ORMs): Python's full
garbage collections.  One runs when the containers that survived the young generations since
the last one exceed a quarter of those that survived it, and it walks every container alive.
At 1k objects a flush never gets there (the imported modules alone are ~65k containers); from
10k on it runs a few times per flush, over the whole session.  So every container a flush
keeps per object (histories, actions, records of the keys copied, identity keys) costs more the
bigger the flush.  At 100k the random tree also pays for memory latency (each object's parent
is anywhere in memory: the same calls, each slower than in the balanced tree).
"""

from __future__ import annotations

import functools
import random
import sqlite3
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, Table, create_engine

# full-size parameters, multiplied by --scale
N_ROWS = 10_000  # inserts, updates, load, deletes
N_PARENTS = 1_000  # one-to-many: parents (children per parent is fixed)
N_CHILDREN = 10
N_TREE = 2_000  # self-referential adjacency list
N_INHERIT = 10_000  # joined-table inheritance: every other object a Manager (two rows)
TREE_FANOUT = 3
N_M2M = 2_000  # many-to-many: left objects, each linked to M2M_LINKS of N_M2M_RIGHT right objects
N_M2M_RIGHT = 200
M2M_LINKS = 5
N_CYCLE = 2_000  # mutual references: owners with CYCLE_PETS pets, one the favourite (post_update)
CYCLE_PETS = 3
N_SESSION = 100_000  # the big session: rows loaded, one in SESSION_EVERY modified, flushed
SESSION_EVERY = 100
N_MEMORY = 100_000  # memory scenarios: new objects in one flush, tracemalloc peak


# growth scenarios: one object graph at several sizes, add_all + flush + commit timed
GROWTH_SHAPES = {
    "random": "random tree (each node's parent picked among all earlier nodes)",
    "deep": "deep tree (each node's parent is one of the 3 nodes made just before it)",
    "balanced": f"balanced tree ({TREE_FANOUT} children per node)",
    "wide": "one parent row with n child rows (one-to-many)",
}
GROWTH_SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
DEFAULT_GROWTH_SIZES = ("1k", "10k")  # 100k on request (run.py --sizes 1k,10k,100k)
GROWTH_SEED = 20261124


def sizes(scale: float) -> dict[str, Any]:
    def s(n):
        return max(1, round(n * scale))

    return {"rows": s(N_ROWS), "parents": s(N_PARENTS), "children": N_CHILDREN, "tree": s(N_TREE),
            "inherit": s(N_INHERIT), "m2m": s(N_M2M), "m2m_right": s(N_M2M_RIGHT),
            "cycle": s(N_CYCLE), "session": s(N_SESSION), "memory": s(N_MEMORY),
            "growth": {label: s(n) for label, n in GROWTH_SIZES.items()}}  # fmt: skip


SCENARIOS = {
    "insert": "10k inserts in one flush",
    "one_to_many": "1k parents x 10 children, one flush",
    "update": "10k updates (load, modify, flush)",
    "load": "10k-row load (query all)",
    "tree": "2k-node self-referential tree, one flush",
    "delete": "10k deletes (load, delete, flush)",
    "inherit_insert": "10k joined-inheritance objects (half Managers: 2 rows), one flush",
    "inherit_load": "10k polymorphic rows: load as base, load subclass (join), rename all, flush",
    "versioned": "10k versioned updates (load, modify, flush: UPDATE ... AND version = ?)",
    "many_to_many": f"2k objects x {M2M_LINKS} links to 200 others through a secondary table, "
                    "one flush",
    "m2m_unlink": f"load 2k objects and their links, drop one of each {M2M_LINKS}, flush "
                  "(association DELETEs)",
    "cycles": f"2k owners x {CYCLE_PETS} pets, each owner's favourite pet a mutual reference "
              "(post_update), one flush",
    "session_100k": f"100k-object session: load 100k rows, modify one in {SESSION_EVERY}, flush",
    "memory_insert": "peak memory (tracemalloc, MB): build 100k objects, add_all, flush, commit",
    "memory_wide": "peak memory (tracemalloc, MB): 1 parent + 100k children by child.parent, "
                   "one flush",
}

#: scenarios whose measure is tracemalloc's peak in MB (run once: it is not noisy), not time
MEMORY_SCENARIOS = ("memory_insert", "memory_wide")


def growth_scenario(shape: str, size: str) -> str:
    """Scenario name of one growth shape at one size, e.g. ``growth_random@10k``."""
    return f"growth_{shape}@{size}"


def parse_growth(scenario: str) -> tuple[str, str] | None:
    """``(shape, size label)`` of a growth scenario name, None for the other scenarios."""
    if not scenario.startswith("growth_") or "@" not in scenario:
        return None
    shape, size = scenario[len("growth_") :].split("@", 1)
    if shape not in GROWTH_SHAPES or size not in GROWTH_SIZES:
        raise KeyError(scenario)
    return shape, size


for _shape, _what in GROWTH_SHAPES.items():
    for _size in GROWTH_SIZES:
        SCENARIOS[growth_scenario(_shape, _size)] = (
            f"{_size} objects, {_what}: add_all + flush + commit"
        )


def growth_n(scenario: str, sz: dict[str, Any]) -> tuple[str, int]:
    """Shape and object count (after --scale) of a growth scenario."""
    parsed = parse_growth(scenario)
    if parsed is None:
        raise KeyError(scenario)
    shape, size = parsed
    return shape, sz["growth"][size]


@functools.lru_cache(maxsize=8)
def growth_parents(shape: str, n: int) -> tuple[int | None, ...]:
    """Parent index of each of ``n`` tree nodes (None for the root); deterministic."""
    rng = random.Random(GROWTH_SEED)
    if shape == "random":
        pick = rng.randrange
    elif shape == "deep":

        def pick(i):
            return max(0, i - 1 - rng.randrange(3))
    elif shape == "balanced":
        pick = tree_parent_index
    else:
        raise KeyError(shape)
    return (None, *(pick(i) for i in range(1, n)))


DDL = """
CREATE TABLE item (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, value INTEGER NOT NULL);
CREATE TABLE parent (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE child (id INTEGER PRIMARY KEY,
                    parent_id INTEGER NOT NULL REFERENCES parent (id),
                    name VARCHAR(50) NOT NULL);
CREATE TABLE node (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES node (id),
                   name VARCHAR(50) NOT NULL);
CREATE TABLE tree_node (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES tree_node (id),
                        name VARCHAR(50) NOT NULL);
CREATE TABLE employee (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, type VARCHAR(20));
CREATE TABLE manager (id INTEGER PRIMARY KEY REFERENCES employee (id), data VARCHAR(50));
CREATE TABLE tag (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE post (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE post_tag (post_id INTEGER NOT NULL REFERENCES post (id),
                       tag_id INTEGER NOT NULL REFERENCES tag (id),
                       PRIMARY KEY (post_id, tag_id));
CREATE TABLE owner (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL,
                    favorite_id INTEGER REFERENCES pet (id));
CREATE TABLE pet (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owner (id),
                  name VARCHAR(50) NOT NULL);
CREATE TABLE versioned_item (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL,
                             value INTEGER NOT NULL, version INTEGER NOT NULL);
"""


def employee_rows(n: int) -> list[tuple[str, str, str | None]]:
    """(name, type, manager data) of the inheritance scenarios: every other one a manager."""
    return [(f"emp {i}", "manager", f"data {i}") if i % 2 else (f"emp {i}", "employee", None)
            for i in range(n)]


def seed_employees(db: Any, n: int) -> None:
    """The inheritance rows, inserted through a DB-API connection (untimed setup)."""
    cur = db.cursor()
    for name, typ, data in employee_rows(n):
        cur.execute("INSERT INTO employee (name, type) VALUES (?, ?)", (name, typ))
        if typ == "manager":
            cur.execute("INSERT INTO manager (id, data) VALUES (?, ?)", (cur.lastrowid, data))


def tree_parent_index(i: int) -> int:
    """Parent of node ``i`` (i >= 1) in a complete tree with TREE_FANOUT children per node."""
    return (i - 1) // TREE_FANOUT


def m2m_links(n: int, n_right: int) -> list[tuple[int, int]]:
    """(left index, right index) pairs: each left object linked to M2M_LINKS distinct rights."""
    out = []
    for i in range(n):
        rights = dict.fromkeys((i * 7 + j * 13) % n_right for j in range(M2M_LINKS))
        out += [(i, r) for r in rights]  # distinct, in order (few when n_right is tiny)
    return out


def seed_m2m(db: Any, sz: dict[str, Any]) -> None:
    """Posts, tags and their links, through a DB-API connection (untimed setup)."""
    n, r = sz["m2m"], sz["m2m_right"]
    db.executemany("INSERT INTO post (id, name) VALUES (?, ?)",
                   [(i + 1, f"post {i}") for i in range(n)])
    db.executemany("INSERT INTO tag (id, name) VALUES (?, ?)",
                   [(i + 1, f"tag {i}") for i in range(r)])
    db.executemany("INSERT INTO post_tag (post_id, tag_id) VALUES (?, ?)",
                   [(a + 1, b + 1) for a, b in m2m_links(n, r)])


def item_rows(n: int) -> list[tuple[str, int]]:
    return [(f"item {i}", i) for i in range(n)]


# --------------------------------------------------------------------------------------------
# checks (shared by all implementations; plain sqlite3 on the database file)


def check_growth(scenario: str, path: str, sz: dict[str, Any]) -> None:
    shape, n = growth_n(scenario, sz)
    with sqlite3.connect(path) as db:
        if shape == "wide":
            expect = {"parents": 1, "children": n, "orphans": 0}
            got = {
                "parents": db.execute("SELECT count(*) FROM parent").fetchone()[0],
                "children": db.execute("SELECT count(*) FROM child").fetchone()[0],
                "orphans": db.execute(
                    "SELECT count(*) FROM child WHERE parent_id IS NULL"
                    " OR parent_id != (SELECT min(id) FROM parent)"
                ).fetchone()[0],
            }
        else:
            rows = db.execute(
                "SELECT c.name, p.name FROM tree_node c LEFT JOIN tree_node p ON c.parent_id = p.id"
            ).fetchall()
            index = {f"node {i}": i for i in range(n)}
            expect = {"nodes": n, "parents": growth_parents(shape, n)}
            parents: list[int | None] = [None] * n
            for child, parent in rows:
                parents[index[child]] = None if parent is None else index[parent]
            got = {"nodes": len(rows), "parents": tuple(parents)}
    if got != expect:
        if "parents" in got:
            wrong = sum(a != b for a, b in zip(got["parents"], expect["parents"], strict=True))
            got = {"nodes": got["nodes"], "parents": f"{wrong} nodes with a wrong parent"}
            expect = {"nodes": n, "parents": "as generated"}
        raise AssertionError(f"wrong result: expected {expect}, got {got}")


def check(scenario: str, path: str, sz: dict[str, Any]) -> None:
    if parse_growth(scenario):
        return check_growth(scenario, path, sz)
    with sqlite3.connect(path) as db:

        def one(sql):
            return db.execute(sql).fetchone()[0]

        n = sz["rows"]
        if scenario == "insert":
            expect = {"rows": n, "sum": n * (n - 1) // 2}
            got = {
                "rows": one("SELECT count(*) FROM item"),
                "sum": one("SELECT sum(value) FROM item"),
            }
        elif scenario == "one_to_many":
            p, c = sz["parents"], sz["parents"] * sz["children"]
            expect = {"parents": p, "children": c, "orphans": 0, "per_parent": sz["children"]}
            got = {
                "parents": one("SELECT count(*) FROM parent"),
                "children": one("SELECT count(*) FROM child"),
                "orphans": one(
                    "SELECT count(*) FROM child WHERE parent_id IS NULL"
                    " OR parent_id NOT IN (SELECT id FROM parent)"
                ),
                "per_parent": one(
                    "SELECT max(k) FROM (SELECT count(*) AS k FROM child GROUP BY parent_id)"
                ),
            }
        elif scenario == "update":
            expect = {"sum": n * (n - 1) // 2 + n}
            got = {"sum": one("SELECT sum(value) FROM item")}
        elif scenario == "load":
            return
        elif scenario == "tree":
            t = sz["tree"]
            expect = {"nodes": t, "roots": 1, "dangling": 0, "depth_ok": 1}
            got = {
                "nodes": one("SELECT count(*) FROM node"),
                "roots": one("SELECT count(*) FROM node WHERE parent_id IS NULL"),
                "dangling": one(
                    "SELECT count(*) FROM node WHERE parent_id IS NOT NULL"
                    " AND parent_id NOT IN (SELECT id FROM node)"
                ),
                # node i's parent is node tree_parent_index(i): compare via names
                "depth_ok": one(
                    "SELECT count(*) = 0 FROM node c JOIN node p ON c.parent_id = p.id"
                    f" WHERE (CAST(substr(c.name, 6) AS INTEGER) - 1) / {TREE_FANOUT}"
                    " != CAST(substr(p.name, 6) AS INTEGER)"
                ),
            }
        elif scenario == "delete":
            expect = {"rows": 0}
            got = {"rows": one("SELECT count(*) FROM item")}
        elif scenario in ("inherit_insert", "inherit_load"):
            k = sz["inherit"]
            prefix = "emp" if scenario == "inherit_insert" else "renamed"
            expect = {"employees": k, "managers": k // 2, "typed": k, "named": k, "data": k // 2}
            got = {
                "employees": one("SELECT count(*) FROM employee"),
                "managers": one("SELECT count(*) FROM manager"),
                "typed": one("SELECT count(*) FROM employee e LEFT JOIN manager m ON e.id = m.id"
                             " WHERE (m.id IS NULL) = (e.type = 'employee')"),
                "named": one(f"SELECT count(*) FROM employee WHERE name LIKE '{prefix} %'"),
                "data": one("SELECT count(*) FROM manager WHERE data LIKE 'data %'"),
            }
        elif scenario == "versioned":
            expect = {"sum": n * (n - 1) // 2 + n, "versions": 2 * n}
            got = {"sum": one("SELECT sum(value) FROM versioned_item"),
                   "versions": one("SELECT sum(version) FROM versioned_item")}
        elif scenario in ("many_to_many", "m2m_unlink"):
            links = len(m2m_links(sz["m2m"], sz["m2m_right"]))
            if scenario == "m2m_unlink":  # the first link of every post is gone
                links -= sz["m2m"]
            expect = {"posts": sz["m2m"], "tags": sz["m2m_right"], "links": links,
                      "dangling": 0}
            got = {"posts": one("SELECT count(*) FROM post"),
                   "tags": one("SELECT count(*) FROM tag"),
                   "links": one("SELECT count(*) FROM post_tag"),
                   "dangling": one("SELECT count(*) FROM post_tag WHERE post_id NOT IN "
                                   "(SELECT id FROM post) OR tag_id NOT IN (SELECT id FROM tag)")}
        elif scenario == "cycles":
            k = sz["cycle"]
            expect = {"owners": k, "pets": k * CYCLE_PETS, "favorites_own": k}
            got = {"owners": one("SELECT count(*) FROM owner"),
                   "pets": one("SELECT count(*) FROM pet"),
                   "favorites_own": one("SELECT count(*) FROM owner o JOIN pet p"
                                        " ON o.favorite_id = p.id AND p.owner_id = o.id"
                                        " WHERE p.name LIKE '% 0'")}
        elif scenario == "session_100k":
            k = sz["session"]
            bumped = len(range(0, k, SESSION_EVERY))
            expect = {"rows": k, "sum": k * (k - 1) // 2 + bumped}
            got = {"rows": one("SELECT count(*) FROM item"),
                   "sum": one("SELECT sum(value) FROM item")}
        elif scenario == "memory_insert":
            k = sz["memory"]
            expect = {"rows": k, "sum": k * (k - 1) // 2}
            got = {"rows": one("SELECT count(*) FROM item"),
                   "sum": one("SELECT sum(value) FROM item")}
        elif scenario == "memory_wide":
            k = sz["memory"]
            expect = {"parents": 1, "children": k}
            got = {"parents": one("SELECT count(*) FROM parent"),
                   "children": one("SELECT count(*) FROM child WHERE parent_id ="
                                   " (SELECT min(id) FROM parent)")}
        else:
            raise KeyError(scenario)
    if got != expect:
        raise AssertionError(f"wrong result: expected {expect}, got {got}")


# --------------------------------------------------------------------------------------------
# raw sqlite3


def raw_setup(scenario: str, path: str, sz: dict[str, Any]) -> None:
    with sqlite3.connect(path) as db:
        db.executescript(DDL)
        if scenario in ("update", "load", "delete"):
            db.executemany("INSERT INTO item (name, value) VALUES (?, ?)", item_rows(sz["rows"]))
        if scenario == "session_100k":
            db.executemany("INSERT INTO item (name, value) VALUES (?, ?)",
                           item_rows(sz["session"]))
        if scenario == "m2m_unlink":
            seed_m2m(db, sz)
        if scenario == "inherit_load":
            seed_employees(db, sz["inherit"])
        if scenario == "versioned":
            db.executemany("INSERT INTO versioned_item (name, value, version) VALUES (?, ?, 1)",
                           item_rows(sz["rows"]))
    if parse_growth(scenario):
        shape, n = growth_n(scenario, sz)
        if shape != "wide":
            growth_parents(shape, n)  # computed outside the timed run


def raw_run(scenario: str, path: str, sz: dict[str, Any]) -> Any:
    db = sqlite3.connect(path)
    try:
        if parse_growth(scenario):
            shape, n = growth_n(scenario, sz)
            cur = db.cursor()
            if shape == "wide":
                cur.execute("INSERT INTO parent (name) VALUES (?)", ("parent 0",))
                pid = cur.lastrowid
                cur.executemany(
                    "INSERT INTO child (parent_id, name) VALUES (?, ?)",
                    [(pid, f"child {i}") for i in range(n)],
                )
            else:
                ids: list[int] = []
                for i, p in enumerate(growth_parents(shape, n)):
                    cur.execute(
                        "INSERT INTO tree_node (parent_id, name) VALUES (?, ?)",
                        (None if p is None else ids[p], f"node {i}"),
                    )
                    ids.append(cur.lastrowid)
        elif scenario == "insert":
            db.executemany("INSERT INTO item (name, value) VALUES (?, ?)", item_rows(sz["rows"]))
        elif scenario == "one_to_many":
            cur, children = db.cursor(), []
            for i in range(sz["parents"]):
                cur.execute("INSERT INTO parent (name) VALUES (?)", (f"parent {i}",))
                pid = cur.lastrowid
                children += [(pid, f"child {i}.{j}") for j in range(sz["children"])]
            cur.executemany("INSERT INTO child (parent_id, name) VALUES (?, ?)", children)
        elif scenario == "update":
            rows = db.execute("SELECT id, name, value FROM item").fetchall()
            db.executemany(
                "UPDATE item SET value = ? WHERE id = ?", [(v + 1, i) for i, _, v in rows]
            )
        elif scenario == "load":
            rows = db.execute("SELECT id, name, value FROM item").fetchall()
            assert len(rows) == sz["rows"]
            return rows
        elif scenario == "tree":
            cur, ids = db.cursor(), []
            for i in range(sz["tree"]):
                parent = ids[tree_parent_index(i)] if i else None
                cur.execute(
                    "INSERT INTO node (parent_id, name) VALUES (?, ?)", (parent, f"node {i}")
                )
                ids.append(cur.lastrowid)
        elif scenario == "delete":
            ids = db.execute("SELECT id FROM item").fetchall()
            db.executemany("DELETE FROM item WHERE id = ?", ids)
        elif scenario == "inherit_insert":
            cur, managers = db.cursor(), []
            for name, typ, data in employee_rows(sz["inherit"]):
                cur.execute("INSERT INTO employee (name, type) VALUES (?, ?)", (name, typ))
                if typ == "manager":
                    managers.append((cur.lastrowid, data))
            cur.executemany("INSERT INTO manager (id, data) VALUES (?, ?)", managers)
        elif scenario == "inherit_load":
            rows = db.execute("SELECT id, name, type FROM employee").fetchall()
            db.execute(
                "SELECT manager.id, employee.id, employee.name, employee.type, manager.data"
                " FROM employee JOIN manager ON employee.id = manager.id").fetchall()
            db.executemany("UPDATE employee SET name = ? WHERE id = ?",
                           [(f"renamed {i}", i) for i, _, _ in rows])
        elif scenario == "many_to_many":
            cur = db.cursor()
            tags, posts = [], []
            for i in range(sz["m2m_right"]):
                cur.execute("INSERT INTO tag (name) VALUES (?)", (f"tag {i}",))
                tags.append(cur.lastrowid)
            for i in range(sz["m2m"]):
                cur.execute("INSERT INTO post (name) VALUES (?)", (f"post {i}",))
                posts.append(cur.lastrowid)
            cur.executemany("INSERT INTO post_tag (post_id, tag_id) VALUES (?, ?)",
                            [(posts[a], tags[b]) for a, b in m2m_links(sz["m2m"],
                                                                       sz["m2m_right"])])
        elif scenario == "m2m_unlink":
            db.execute("SELECT id, name FROM post").fetchall()
            links = db.execute("SELECT post_id, tag_id FROM post_tag ORDER BY rowid").fetchall()
            first: dict[int, int] = {}
            for post_id, tag_id in links:  # the first link of every post, in link order
                first.setdefault(post_id, tag_id)
            db.executemany("DELETE FROM post_tag WHERE post_id = ? AND tag_id = ?",
                           list(first.items()))
        elif scenario == "cycles":
            cur, favorites = db.cursor(), []
            for i in range(sz["cycle"]):
                cur.execute("INSERT INTO owner (name) VALUES (?)", (f"owner {i}",))
                oid = cur.lastrowid
                for j in range(CYCLE_PETS):
                    cur.execute("INSERT INTO pet (owner_id, name) VALUES (?, ?)",
                                (oid, f"pet {i} {j}"))
                    if j == 0:
                        favorites.append((cur.lastrowid, oid))
            cur.executemany("UPDATE owner SET favorite_id = ? WHERE id = ?", favorites)
        elif scenario == "session_100k":
            rows = db.execute("SELECT id, name, value FROM item").fetchall()
            db.executemany("UPDATE item SET value = ? WHERE id = ?",
                           [(v + 1, i) for i, _, v in rows[::SESSION_EVERY]])
        elif scenario == "memory_insert":
            db.executemany("INSERT INTO item (name, value) VALUES (?, ?)",
                           item_rows(sz["memory"]))
        elif scenario == "memory_wide":
            cur = db.cursor()
            cur.execute("INSERT INTO parent (name) VALUES (?)", ("parent 0",))
            pid = cur.lastrowid
            cur.executemany("INSERT INTO child (parent_id, name) VALUES (?, ?)",
                            [(pid, f"child {i}") for i in range(sz["memory"])])
        elif scenario == "versioned":
            rows = db.execute("SELECT id, name, value, version FROM versioned_item").fetchall()
            cur = db.cursor()
            for i, _, v, ver in rows:  # row by row: each must match exactly one row
                cur.execute("UPDATE versioned_item SET value = ?, version = ? "
                            "WHERE id = ? AND version = ?", (v + 1, ver + 1, i, ver))
                assert cur.rowcount == 1
        else:
            raise KeyError(scenario)
        db.commit()
    finally:
        db.close()


# --------------------------------------------------------------------------------------------
# ORM (same code for sqlalchemy.orm and inspector.orm)


def make_models(orm) -> SimpleNamespace:
    """Declarative classes for ``orm`` (a module with declarative_base and relationship)."""
    Base = orm.declarative_base()

    class Item(Base):
        __tablename__ = "item"
        id = Column(Integer, primary_key=True)
        name = Column(String(50), nullable=False)
        value = Column(Integer, nullable=False)

    class Parent(Base):
        __tablename__ = "parent"
        id = Column(Integer, primary_key=True)
        name = Column(String(50), nullable=False)
        children = orm.relationship("Child", back_populates="parent")

    class Child(Base):
        __tablename__ = "child"
        id = Column(Integer, primary_key=True)
        parent_id = Column(Integer, ForeignKey("parent.id"), nullable=False)
        name = Column(String(50), nullable=False)
        parent = orm.relationship("Parent", back_populates="children")

    class Node(Base):
        __tablename__ = "node"
        id = Column(Integer, primary_key=True)
        parent_id = Column(Integer, ForeignKey("node.id"))
        name = Column(String(50), nullable=False)
        children = orm.relationship("Node")  # self-referential one-to-many (adjacency list)

    class TreeNode(Base):
        __tablename__ = "tree_node"
        id = Column(Integer, primary_key=True)
        parent_id = Column(Integer, ForeignKey("tree_node.id"))
        name = Column(String(50), nullable=False)
        children = orm.relationship("TreeNode", back_populates="parent")
        parent = orm.relationship("TreeNode", back_populates="children", remote_side=[id])

    class Employee(Base):
        __tablename__ = "employee"
        id = Column(Integer, primary_key=True)
        name = Column(String(50), nullable=False)
        type = Column(String(20))
        __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}

    class Manager(Employee):
        __tablename__ = "manager"
        id = Column(Integer, ForeignKey("employee.id"), primary_key=True)
        data = Column(String(50))
        __mapper_args__ = {"polymorphic_identity": "manager"}

    class VersionedItem(Base):
        __tablename__ = "versioned_item"
        id = Column(Integer, primary_key=True)
        name = Column(String(50), nullable=False)
        value = Column(Integer, nullable=False)
        version = Column(Integer, nullable=False)
        __mapper_args__ = {"version_id_col": version}

    post_tag = Table(
        "post_tag", Base.metadata,
        Column("post_id", Integer, ForeignKey("post.id"), primary_key=True),
        Column("tag_id", Integer, ForeignKey("tag.id"), primary_key=True),
    )

    class Tag(Base):
        __tablename__ = "tag"
        id = Column(Integer, primary_key=True)
        name = Column(String(50), nullable=False)

    class Post(Base):
        __tablename__ = "post"
        id = Column(Integer, primary_key=True)
        name = Column(String(50), nullable=False)
        tags = orm.relationship(Tag, secondary=post_tag, backref="posts")

    class Owner(Base):
        __tablename__ = "owner"
        id = Column(Integer, primary_key=True)
        name = Column(String(50), nullable=False)
        favorite_id = Column(Integer, ForeignKey("pet.id"))
        pets = orm.relationship("Pet", foreign_keys="Pet.owner_id", back_populates="owner")
        favorite = orm.relationship("Pet", foreign_keys=[favorite_id], post_update=True)

    class Pet(Base):
        __tablename__ = "pet"
        id = Column(Integer, primary_key=True)
        owner_id = Column(Integer, ForeignKey("owner.id"))
        name = Column(String(50), nullable=False)
        owner = orm.relationship(Owner, foreign_keys=[owner_id], back_populates="pets")

    return SimpleNamespace(Base=Base, Item=Item, Parent=Parent, Child=Child, Node=Node,
                           TreeNode=TreeNode, Employee=Employee, Manager=Manager,
                           VersionedItem=VersionedItem, Tag=Tag, Post=Post, Owner=Owner,
                           Pet=Pet, post_tag=post_tag)  # fmt: skip


@dataclass
class OrmContext:
    orm: Any  # the ORM module
    models: SimpleNamespace
    engine: Any = None
    on_session: Any = None  # callable(session) -> keep-alive object (e.g. a trace Recorder)
    keep: list = field(default_factory=list)
    prepared: list | None = None  # growth scenarios: the object graph, built in setup

    def session(self):
        s = self.orm.Session(bind=self.engine)
        if self.on_session is not None:
            self.keep.append(self.on_session(s))
        return s


def build_growth_graph(models: SimpleNamespace, shape: str, n: int) -> list:
    """The objects of one growth scenario, linked by assigning ``child.parent`` (backrefs fill
    the collections), in creation order: the list passed to ``add_all``."""
    if shape == "wide":
        parent = models.Parent(name="parent 0")
        objs = [parent]
        for i in range(n):
            child = models.Child(name=f"child {i}")
            child.parent = parent
            objs.append(child)
        return objs
    nodes = [models.TreeNode(name=f"node {i}") for i in range(n)]
    for node, p in zip(nodes, growth_parents(shape, n), strict=True):
        if p is not None:
            node.parent = nodes[p]
    return nodes


def m2m_first_links(engine: Any, sz: dict[str, Any]) -> dict[int, int]:
    """post id -> the tag id of its first link (the one m2m_unlink removes); untimed."""
    first: dict[int, int] = {}
    with engine.connect() as conn:
        for post_id, tag_id in conn.exec_driver_sql(
                "SELECT post_id, tag_id FROM post_tag ORDER BY rowid"):
            first.setdefault(post_id, tag_id)
    return first


def orm_setup(ctx: OrmContext, scenario: str, path: str, sz: dict[str, Any]) -> None:
    if ctx.engine is not None:
        ctx.engine.dispose()
    ctx.keep.clear()
    ctx.prepared = None
    ctx.engine = create_engine(f"sqlite:///{path}")
    ctx.models.Base.metadata.create_all(ctx.engine)
    if scenario in ("update", "load", "delete"):
        rows = [{"name": n, "value": v} for n, v in item_rows(sz["rows"])]
        with ctx.engine.begin() as conn:
            conn.execute(ctx.models.Item.__table__.insert(), rows)
    if scenario == "session_100k":
        rows = [{"name": n, "value": v} for n, v in item_rows(sz["session"])]
        with ctx.engine.begin() as conn:
            conn.execute(ctx.models.Item.__table__.insert(), rows)
    if scenario in ("inherit_load", "m2m_unlink"):
        raw = ctx.engine.raw_connection()
        try:
            (seed_employees(raw, sz["inherit"]) if scenario == "inherit_load"
             else seed_m2m(raw.cursor(), sz))
            raw.commit()
        finally:
            raw.close()
    if scenario == "versioned":
        rows = [{"name": n, "value": v, "version": 1} for n, v in item_rows(sz["rows"])]
        with ctx.engine.begin() as conn:
            conn.execute(ctx.models.VersionedItem.__table__.insert(), rows)
    if parse_growth(scenario):
        ctx.prepared = build_growth_graph(ctx.models, *growth_n(scenario, sz))
    if scenario == "m2m_unlink":
        ctx.prepared = m2m_first_links(ctx.engine, sz)


def orm_run(ctx: OrmContext, scenario: str, path: str, sz: dict[str, Any]) -> Any:
    M = ctx.models
    s = ctx.session()
    try:
        if parse_growth(scenario):
            objs, ctx.prepared = ctx.prepared, None
            s.add_all(objs)
            s.flush()
        elif scenario == "insert":
            s.add_all([M.Item(name=n, value=v) for n, v in item_rows(sz["rows"])])
            s.flush()
        elif scenario == "one_to_many":
            parents = []
            for i in range(sz["parents"]):
                p = M.Parent(name=f"parent {i}")
                for j in range(sz["children"]):
                    p.children.append(M.Child(name=f"child {i}.{j}"))
                parents.append(p)
            s.add_all(parents)
            s.flush()
        elif scenario == "update":
            for item in s.query(M.Item).all():
                item.value = item.value + 1
            s.flush()
        elif scenario == "load":
            items = s.query(M.Item).all()
            assert len(items) == sz["rows"]
            return items
        elif scenario == "tree":
            nodes = [M.Node(name=f"node {i}") for i in range(sz["tree"])]
            for i in range(1, len(nodes)):
                nodes[tree_parent_index(i)].children.append(nodes[i])
            s.add_all(nodes)
            s.flush()
        elif scenario == "delete":
            for item in s.query(M.Item).all():
                s.delete(item)
            s.flush()
        elif scenario == "inherit_insert":
            rows = employee_rows(sz["inherit"])
            s.add_all([M.Manager(name=name, data=data) if typ == "manager"
                       else M.Employee(name=name) for name, typ, data in rows])
            s.flush()
        elif scenario == "inherit_load":
            everyone = s.query(M.Employee).all()
            managers = s.query(M.Manager).all()  # fills the subclass columns in
            assert len(managers) == len(everyone) // 2
            for e in everyone:
                e.name = "renamed %d" % e.id
            s.flush()
        elif scenario == "many_to_many":
            tags = [M.Tag(name=f"tag {i}") for i in range(sz["m2m_right"])]
            posts = [M.Post(name=f"post {i}") for i in range(sz["m2m"])]
            for a, b in m2m_links(sz["m2m"], sz["m2m_right"]):
                posts[a].tags.append(tags[b])
            s.add_all(tags)
            s.add_all(posts)
            s.flush()
        elif scenario == "m2m_unlink":
            first, ctx.prepared = ctx.prepared, None
            tags = {t.id: t for t in s.query(M.Tag).all()}
            for post in s.query(M.Post).all():
                post.tags.remove(tags[first[post.id]])  # loads the collection, then unlinks
            s.flush()
        elif scenario == "cycles":
            owners = []
            for i in range(sz["cycle"]):
                owner = M.Owner(name=f"owner {i}")
                pets = [M.Pet(name=f"pet {i} {j}", owner=owner) for j in range(CYCLE_PETS)]
                owner.favorite = pets[0]
                owners.append(owner)
            s.add_all(owners)
            s.flush()
        elif scenario == "session_100k":
            items = s.query(M.Item).all()
            for item in items[::SESSION_EVERY]:
                item.value = item.value + 1
            s.flush()
        elif scenario == "memory_insert":
            s.add_all([M.Item(name=n, value=v) for n, v in item_rows(sz["memory"])])
            s.flush()
        elif scenario == "memory_wide":
            objs = build_growth_graph(M, "wide", sz["memory"])
            s.add_all(objs)
            s.flush()
        elif scenario == "versioned":
            for item in s.query(M.VersionedItem).all():
                item.value = item.value + 1
            s.flush()
        else:
            raise KeyError(scenario)
        s.commit()
    finally:
        s.close()

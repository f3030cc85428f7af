"""inspector.exercises: check() verdicts, summary(), SqlCounter (no kernel needed)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from inspector import exercises
from inspector.exercises import SqlCounter, check, results, summary


@pytest.fixture(autouse=True)
def _fresh():
    exercises.reset()
    yield
    exercises.reset()


@pytest.mark.parametrize("answer, expected", [
    ("pending", "pending"), (" Pending ", "pending"), ("'pending'", "pending"), (3, 3),
    ("3", 3), (3.0, 3), ((4,), (4,)), ([4], (4,)), (True, True), (["b", "a"], {"a", "b"}),
    (["root", "savepoint"], ["root", "savepoint"]),
])  # fmt: skip
def test_right(answer, expected, capsys):
    assert check(answer, expected, "E1") is None
    assert capsys.readouterr().out.startswith("✅ E1: right!")
    assert results() == {"E1": "right"}


@pytest.mark.parametrize("answer, expected", [
    ("persistent", "pending"), (4, 3), (1, True), (True, 1), ("True", True), ([2, 1], [1, 2]),
    (None, "x"), (["a"], {"a", "b"}), ("a", ["a"]),
])  # fmt: skip
def test_wrong_shows_hint_not_the_answer(answer, expected, capsys):
    check(answer, expected, "E2", hint="think again", choices=("pending", "persistent"))
    out = capsys.readouterr().out
    assert out.startswith("❌ E2: not quite") and "Hint: think again" in out
    assert results() == {"E2": "wrong"}


def test_choices_named_when_the_answer_is_none_of_them(capsys):
    check("pendng", "pending", "E3", choices=("transient", "pending"))
    assert "one of: 'transient', 'pending'" in capsys.readouterr().out
    check("transient", "pending", "E3", choices=("transient", "pending"))
    assert "one of" not in capsys.readouterr().out


def test_unanswered_and_summary(capsys):
    check(..., "x", "A")
    check("x", "x", "B")
    check("y", "x", "C")
    assert "not answered yet" in capsys.readouterr().out
    summary()
    assert capsys.readouterr().out.strip() == (
        "1 of 3 exercises right; to look at again: C; not answered: A")
    check("x", "x", "A")
    check("x", "x", "C")
    capsys.readouterr()
    summary()
    assert capsys.readouterr().out.strip() == "🎉 3 of 3 exercises right. Well done!"


def test_sql_counter():
    engine = create_engine("sqlite://")
    with engine.connect() as conn, SqlCounter(engine) as sql:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
        conn.execute(text("SELECT x FROM t"))
    assert sql.count() == 3 and sql.count("select") == 1 and sql.kinds()[-1] == "SELECT"
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert sql.count() == 3  # stopped listening

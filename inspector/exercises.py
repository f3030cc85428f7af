# exercises.py
"""Checkable exercises for the classroom notebooks (``notebooks/01-…`` to ``07-…``).

An exercise cell names the learner's answer, computes the expected value from the session
itself, and calls :func:`check`::

    answer_1 = ...      # replace ... with your answer
    check(answer_1, inspect(carl).status, "Exercise 1", hint="add() does not write anything yet")

:func:`check` prints one clear line, right or wrong (never the expected value when wrong), and
records the result; :func:`summary` prints the score.  ``...`` (Ellipsis) means "not answered
yet": the notebook still runs top to bottom before anyone has answered.

:class:`SqlCounter` counts the statements an engine runs inside a ``with`` block, so exercises can
ask "how many SELECTs?" and compute the answer instead of hard-coding it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event

__all__ = ["RIGHT", "UNANSWERED", "WRONG", "SqlCounter", "check", "reset", "results", "summary"]

RIGHT = "right"
WRONG = "wrong"
UNANSWERED = "unanswered"

_results: dict[str, str] = {}


def _norm(value: Any) -> Any:
    """What counts as the same answer: strings without case or surrounding blanks (and
    ``"pending"`` equals ``'pending'`` typed with its quotes), tuples as lists."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
            text = text[1:-1].strip()
        return text.casefold()
    if isinstance(value, tuple):
        return [_norm(v) for v in value]
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return frozenset(_norm(v) for v in value)
    return value


def _same(answer: Any, expected: Any, ordered: bool) -> bool:
    if isinstance(expected, bool) or isinstance(answer, bool):
        return isinstance(answer, bool) and isinstance(expected, bool) and answer == expected
    if isinstance(expected, (set, frozenset)) or (
        not ordered and isinstance(expected, (list, tuple))
    ):
        if not isinstance(answer, (list, tuple, set, frozenset)):
            return False
        a, e = [_norm(v) for v in answer], [_norm(v) for v in expected]
        try:
            return sorted(a, key=repr) == sorted(e, key=repr)
        except TypeError:  # pragma: no cover - unorderable mixes
            return False
    if isinstance(expected, (int, float)) and isinstance(answer, (int, float)):
        return answer == expected
    if isinstance(expected, (int, float)) and isinstance(answer, str):
        return answer.strip() == str(expected)
    if isinstance(expected, str) and not isinstance(answer, str):
        return False
    return _norm(answer) == _norm(expected)


def check(answer: Any, expected: Any, name: str = "Exercise", *, hint: str = "",
          explain: str = "", choices: Iterable[Any] | None = None,
          ordered: bool = True) -> None:
    """Compare ``answer`` with ``expected``, print whether it is right, and record it.

    Strings compare without regard to case or surrounding blanks; numbers by value; a ``set``
    as ``expected`` (or ``ordered=False``) accepts the members in any order.  ``hint`` is shown
    when the answer is wrong, ``explain`` when it is right; ``choices`` lists the possible
    answers, named when the answer is none of them.  The verdict is printed and kept in
    :func:`results` (``...`` counts as not answered yet); nothing is returned, so a cell ending
    in ``check(...)`` shows only that line.
    """
    if answer is Ellipsis:
        _results[name] = UNANSWERED
        print(f"⏳ {name}: not answered yet. Replace the ... with your answer and run the cell "
              "again.")  # fmt: skip
        return
    if _same(answer, expected, ordered):
        _results[name] = RIGHT
        print(f"✅ {name}: right!" + (f" {explain}" if explain else ""))
        return
    _results[name] = WRONG
    lines = [f"❌ {name}: not quite, {answer!r} is not the answer."]
    if choices is not None:
        options = list(choices)
        if not any(_same(answer, c, ordered) for c in options):
            lines.append("   The answer is one of: " + ", ".join(repr(c) for c in options) + ".")
    if hint:
        lines.append(f"   Hint: {hint}")
    lines.append("   Change your answer and run the cell again.")
    print("\n".join(lines))


def results() -> dict[str, str]:
    """Every exercise checked so far: its name -> ``"right"``, ``"wrong"`` or ``"unanswered"``."""
    return dict(_results)


def reset() -> None:
    """Forget every recorded result (a notebook calls it once, at the top)."""
    _results.clear()


def summary() -> None:
    """Print the score, e.g. ``"3 of 4 exercises right; not answered: Exercise 4"``."""
    right = [n for n, r in _results.items() if r == RIGHT]
    wrong = [n for n, r in _results.items() if r == WRONG]
    open_ = [n for n, r in _results.items() if r == UNANSWERED]
    text = f"{len(right)} of {len(_results)} exercises right"
    if wrong:
        text += "; to look at again: " + ", ".join(wrong)
    if open_:
        text += "; not answered: " + ", ".join(open_)
    if _results and len(right) == len(_results):
        text = "🎉 " + text + ". Well done!"
    print(text)


class SqlCounter:
    """Count the statements ``engine`` runs inside a ``with`` block.

    >>> with SqlCounter(engine) as sql:
    ...     session.get(User, 1)
    >>> sql.count("SELECT"), sql.statements
    """

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _listen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.statements.append(" ".join(statement.split()))

    def __enter__(self) -> SqlCounter:
        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self._listen)
        return self

    def __exit__(self, *exc: Any) -> None:
        event.remove(self.engine, "before_cursor_execute", self._listen)

    def count(self, kind: str | None = None) -> int:
        """How many statements ran, or how many start with ``kind`` ("SELECT", "INSERT"...)."""
        if kind is None:
            return len(self.statements)
        kind = kind.upper()
        return sum(1 for s in self.statements if s.upper().startswith(kind))

    def kinds(self) -> list[str]:
        """The first word of each statement, in order: ``["INSERT", "SELECT"]``."""
        return [s.split(" ", 1)[0].upper() for s in self.statements]

    def __repr__(self) -> str:
        return f"<SqlCounter {len(self.statements)} statements: {self.kinds()}>"

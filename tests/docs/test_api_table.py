"""docs/session-api.md cannot drift: every name it marks as working exists on our objects,
every constructor argument it marks as working is accepted, every refused one raises."""

import ast
import re
import warnings
from pathlib import Path

import pytest
from sqlalchemy import create_engine

import inspector.orm as orm

DOC = Path(__file__).resolve().parents[2] / "docs" / "session-api.md"
WORKING = ("works", "deprecated alias")


def _rows(header: str) -> list[list[str]]:
    """The rows of every table whose header line starts with ``header``."""
    rows, inside = [], False
    for line in DOC.read_text().splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if line.startswith(header):
                inside = True
            elif inside and not set(line) <= set("|- "):
                rows.append(cells)
        else:
            inside = False
    return rows


def _name(cell: str) -> str:
    m = re.fullmatch(r"`([^`]+)`", cell)
    assert m, "names are written as `name`: %r" % cell
    return m.group(1)


def _status(cell: str) -> str:
    for status in (*WORKING, "refused", "not implemented"):
        if cell.startswith(status):
            return status
    raise AssertionError("unknown status %r" % cell)


@pytest.fixture(scope="module")
def owners():
    engine = create_engine("sqlite://")
    session = orm.Session(engine)
    transaction = session.begin()
    yield {
        "Session": session,
        "SessionTransaction": transaction,
        "sessionmaker": orm.sessionmaker(engine),
        "scoped_session": getattr(orm, "scoped_session", None),
        "SessionExtension": orm.SessionExtension,
        "module": orm,
    }
    session.close()
    engine.dispose()


NAME_ROWS = _rows("| Owner | Name |")
ARGUMENT_ROWS = _rows("| Callable | Argument |")


def test_the_tables_are_there():
    assert len(NAME_ROWS) > 90 and len(ARGUMENT_ROWS) > 15
    seen = [(owner, _name(name)) for owner, name, *_ in NAME_ROWS]
    assert len(seen) == len(set(seen)), "a name is listed twice"


@pytest.mark.parametrize("row", NAME_ROWS, ids=lambda r: "%s.%s" % (r[0], r[1].strip("`")))
def test_working_names_exist(row, owners):
    owner, name, seeds, status, proof = row
    assert seeds and proof, "every row says which seeds have the name and what proves it"
    if _status(status) in WORKING:
        assert proof != "—", "a working name needs a test"
        target = owners[owner]
        assert target is not None and hasattr(target, _name(name)), (owner, name)


@pytest.mark.parametrize("row", ARGUMENT_ROWS, ids=lambda r: "%s(%s)" % (r[0], r[1].strip("`")))
def test_constructor_arguments(row):
    callable_, argument, seeds, tried, status, proof = row
    kind = _status(status)
    if kind == "not implemented":
        return
    value = ast.literal_eval(_name(tried)) if _name(tried) != "Session" else orm.Session
    kw = {_name(argument): value}
    engine = create_engine("sqlite://")

    def build():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            if callable_ == "Session":
                return orm.Session(**{"bind": engine, **kw})
            return orm.sessionmaker(**{"bind": engine, **kw})()

    if kind in WORKING:
        build().close()
    else:
        with pytest.raises(Exception):  # noqa: B017 - the kind of refusal is the row's text
            build()
    engine.dispose()

"""Session.connection(execution_options=) outside what the compat scripts (340-344) reach:
the seeds' legacy autocommit mode, and the warning's stack level."""

import warnings

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import SAWarning

from inspector.orm import Session


def test_legacy_autocommit_connection_takes_options_once():
    engine = create_engine("sqlite://")
    with pytest.warns(DeprecationWarning):
        s = Session(engine, autocommit=True, execution_options={"logging_token": "s"})
    conn = s.connection(execution_options={"stream_results": False})
    opts = conn.get_execution_options()
    assert opts["isolation_level"] == "AUTOCOMMIT"  # the mode's own, whatever was given
    assert opts["logging_token"] == "s" and opts["stream_results"] is False
    with pytest.warns(SAWarning, match="execution_options ignored"):
        assert s.connection(execution_options={"logging_token": "x"}) is conn
    assert conn.get_execution_options()["logging_token"] == "s"
    s.close()
    engine.dispose()


def test_ignored_options_warning_points_at_the_caller():
    engine = create_engine("sqlite://")
    s = Session(engine)
    s.connection()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s.connection(execution_options={"logging_token": "x"})
    assert [w.filename for w in caught] == [__file__]
    s.close()
    engine.dispose()

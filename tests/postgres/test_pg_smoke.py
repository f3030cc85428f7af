"""The server fixture itself: both databases answer, prepared transactions are enabled."""

from sqlalchemy import text


def test_server_answers(clean):
    ea, eb = clean
    for eng, name in ((ea, "db_a"), (eb, "db_b")):
        with eng.connect() as c:
            assert c.execute(text("SELECT current_database()")).scalar() == name
            assert int(c.execute(text("SHOW max_prepared_transactions")).scalar()) >= 2
            assert c.execute(text("SHOW lock_timeout")).scalar() == "5s"

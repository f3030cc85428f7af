"""Fixes to the inspector's views (issue 9): the narration sent once, the foreign-key warning
edge of a grouped large plan, executions of a step's statements agreeing with the SQL log, and
the ROLLBACK of a failed flush attributed to the rollback rather than the failed step."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "orm"))
from models import Address, User, new_session  # noqa: E402

from inspector.trace import Recorder  # noqa: E402
from inspector.trace.snapshot import SessionSnapshot  # noqa: E402


def test_the_narration_is_sent_once_with_its_cell_and_flush():
    s, _ = new_session()
    rec = Recorder(s)
    s.add(User(name="ann", addresses=[Address(email="a")]))
    s.commit()
    snap = rec.snapshot()
    assert "events" not in snap  # no second, plain copy of the same sentences
    assert "events" not in {f for f in SessionSnapshot.__dataclass_fields__}
    texts = [e["text"] for e in snap["narration"]]
    assert "COMMIT: the changes are now permanent." in texts
    assert all(set(e) == {"text", "cell", "flush", "command"} for e in snap["narration"])

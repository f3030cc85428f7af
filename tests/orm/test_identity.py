"""The identity map holds unmodified objects weakly, modified ones strongly."""

import gc

from models import User, new_session


def test_same_key_same_object_and_weak_collection():
    s, _ = new_session()
    s.add_all([User(name="a"), User(name="b")])
    s.commit()
    a = s.get(User, 1)
    assert s.get(User, 1) is a
    assert len(s.identity_map.keys()) == 1  # b was never referenced: collected
    del a
    gc.collect()
    assert s.identity_map.keys() == []


def test_modified_object_is_kept_until_flushed():
    s, _ = new_session()
    s.add(User(name="a"))
    s.commit()
    s.get(User, 1).name = "changed"
    gc.collect()
    assert [u.name for u in s.dirty] == ["changed"]
    s.commit()
    assert s.get(User, 1).name == "changed"

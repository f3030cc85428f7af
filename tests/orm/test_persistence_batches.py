"""What a flush step records about its SQL (batches: table, statement, rows), and the
post-update action of a post_update relationship in the plan graph."""

from sqlalchemy import Column, ForeignKey, Integer, String, create_engine

from inspector import FlushStepper
from inspector.orm import Session, declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String(20))
    best_id = Column(Integer, ForeignKey("addresses.id", name="fk_best"))
    addresses = relationship("Address", foreign_keys=lambda: [Address.user_id])
    best = relationship("Address", foreign_keys=[best_id], post_update=True)


class Address(Base):
    __tablename__ = "addresses"
    id = Column(Integer, primary_key=True)
    email = Column(String(20))
    user_id = Column(Integer, ForeignKey("users.id"))
    version = Column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


def _session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    return Session(engine)


def test_steps_record_their_batches():
    s = _session()
    u = User(id=1, name="u", addresses=[Address(id=i, email="a%d" % i) for i in range(1, 501)])
    s.add(u)
    with FlushStepper(s) as stepper:
        records = []
        while not stepper.done:
            records.append(stepper.step())
    batches = [b for r in records for b in r.batches]
    assert {"table": "addresses", "statement": "INSERT", "rows": 500,
            "executions": 1} in batches
    assert batches[0] == {"table": "users", "statement": "INSERT", "rows": 1, "executions": 1}
    for a in u.addresses[:3]:
        a.email = "changed"
    s.flush()
    for a in u.addresses[:3]:
        s.delete(a)
    stepper = FlushStepper(s)
    stepper.run()
    delete = [b for r in stepper.executed for b in r.batches if b["statement"] == "DELETE"]
    assert delete == [{"table": "addresses", "statement": "DELETE", "rows": 3, "executions": 1}]


def test_post_update_is_its_own_action_with_reasons():
    s = _session()
    a = Address(email="x")
    u = User(name="u", addresses=[a], best=a)
    s.add(u)
    stepper = FlushStepper(s)
    kinds = [step.kind for step in stepper.plan.steps]
    assert kinds[-1] == "post-update"
    post = stepper.plan.steps[-1].actions[0]
    assert post.label() == "post-update UPDATE User"
    reasons = {d["reason"] for _, b, d in stepper.plan.graph.in_edges(post, data=True)}
    assert "links set, then written by a post-update" in reasons
    stepper.run()
    last = stepper.executed[-1]
    assert last.statements[0].sql.startswith("UPDATE users SET best_id")
    assert u.best_id == a.id
    s.commit()

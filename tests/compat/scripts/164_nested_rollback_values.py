"""Rolling back a SAVEPOINT restores exactly what changed inside it: attribute values changed
before it keep their outer (flushed) values, objects changed only inside it are expired and
reload, natural primary keys changed inside it come back in the identity map (also when the
key was changed in the outer transaction and again inside), objects only read inside it keep
their loaded state; expire_on_commit=False keeps values across the commit."""

from harness import check, engine, members, value
from sqlalchemy import Column, Integer, String, select
from sqlalchemy.orm import Session, declarative_base

Base = declarative_base()


class Item(Base):
    __tablename__ = "items"
    code = Column(String(10), primary_key=True)
    label = Column(String(50))
    qty = Column(Integer)


eng = engine()
Base.metadata.create_all(eng)


def loaded(label, *objs):
    value(label, [sorted(k for k in vars(o) if not k.startswith("_")) for o in objs])


for expire_on_commit in (True, False):
    with Session(eng) as setup:
        setup.execute(Item.__table__.delete())
        setup.add_all([Item(code=c, label=c.upper(), qty=i) for i, c in
                       enumerate(["a", "b", "c", "d"])])
        setup.commit()

    s = Session(eng, expire_on_commit=expire_on_commit)
    a, b, c, d = (s.get(Item, k) for k in "abcd")
    a.label = "A-outer"        # changed before the savepoint (flushed by begin_nested)
    b.code = "b2"              # natural key changed before the savepoint
    sp = s.begin_nested()
    check("in savepoint", a=a, b=b, c=c, d=d)
    a.qty = 100                # changed again inside
    c.code = "c2"              # natural key changed inside
    b.code = "b3"              # key changed outside and again inside
    value("d.qty read inside", d.qty)
    new = Item(code="n", label="new")
    s.add(new)
    s.flush()
    check("flushed inside", a=a, b=b, c=c, new=new)
    value("get c2 inside", s.get(Item, "c2") is c)
    sp.rollback()
    check("after rollback", a=a, b=b, c=c, d=d, new=new)
    loaded("loaded after rollback", a, b, c, d)
    value("values", [a.label, a.qty, b.code, c.code, d.qty])
    value("identity", [s.get(Item, "b2") is b, s.get(Item, "c") is c])
    members("dirty", s.dirty)
    s.commit()
    loaded("loaded after commit", a, b, c, d)
    value("rows", s.execute(select(Item.code, Item.label, Item.qty)
                            .order_by(Item.code)).all())
    s.close()

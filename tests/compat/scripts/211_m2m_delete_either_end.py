"""Deleting either end of a many-to-many deletes its association rows: with its own
collection loaded, unloaded (loaded for the flush), with the other side loaded or not;
the other side's loaded collection is left as it was until expired."""

from harness import check, engine, value
from sqlalchemy import Column, ForeignKey, Integer, String, Table, select
from sqlalchemy.orm import Session, declarative_base, relationship

Base = declarative_base()

post_tags = Table(
    "post_tags", Base.metadata,
    Column("post_id", ForeignKey("posts.id"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id"), primary_key=True),
)


class Post(Base):
    __tablename__ = "posts"
    id = Column(Integer, primary_key=True)
    title = Column(String(50))
    tags = relationship("Tag", secondary=post_tags, backref="posts")


class Tag(Base):
    __tablename__ = "tags"
    id = Column(Integer, primary_key=True)
    name = Column(String(50))


eng = engine()
Base.metadata.create_all(eng)

s = Session(eng)
tags = [Tag(name="t%d" % i) for i in range(5)]
for i in range(3):  # one post per flush: SQLAlchemy writes one flush's posts in set order
    s.add(Post(title="p%d" % i, tags=tags[i:i + 3]))
    s.commit()

# a post whose collection is not loaded
p0 = s.get(Post, 1)
s.delete(p0)
s.flush()
check("p0 deleted", p0=p0)
value("rows", [tuple(r) for r in s.execute(select(post_tags).order_by(
    post_tags.c.post_id, post_tags.c.tag_id))])
s.commit()

# a tag whose users are loaded on both sides
t2 = s.get(Tag, 3)
p1 = s.get(Post, 2)
value("p1.tags", [t.name for t in p1.tags])
value("t2.posts", [p.title for p in t2.posts])
s.delete(t2)
s.flush()
value("p1.tags still lists t2 until expired", [t.name for t in p1.tags])
s.expire(p1)
value("p1.tags reloaded", [t.name for t in p1.tags])
s.commit()

# delete from the backref side with nothing loaded
t3 = s.get(Tag, 4)
s.delete(t3)
s.commit()
value("rows at the end", [tuple(r) for r in s.execute(select(post_tags).order_by(
    post_tags.c.post_id, post_tags.c.tag_id))])

# remove and delete in one flush: the pair is deleted once
p2 = s.get(Post, 3)
value("p2.tags", [t.name for t in p2.tags])
t = p2.tags[0]
p2.tags.remove(t)
s.delete(p2)
s.commit()
s.close()

# orm/__init__.py
"""Session Inspector's ORM: a SQLAlchemy-compatible Session built on SQLAlchemy Core only.

Swap ``from sqlalchemy.orm import ...`` for ``from inspector.orm import ...`` and a
declarative model and script run on this Session.
"""

from __future__ import annotations

from . import events as event
from . import exc as exc
from .attributes import InstrumentedAttribute as InstrumentedAttribute
from .attributes import QueryableAttribute as QueryableAttribute
from .attributes import flag_modified as flag_modified
from .attributes import get_history as get_history
from .attributes import set_committed_value as set_committed_value
from .base import NO_VALUE as NO_VALUE
from .base import History as History
from .collections import KeyFuncDict as KeyFuncDict
from .collections import attribute_keyed_dict as attribute_keyed_dict
from .collections import attribute_mapped_collection as attribute_mapped_collection
from .collections import column_keyed_dict as column_keyed_dict
from .collections import column_mapped_collection as column_mapped_collection
from .collections import keyfunc_mapping as keyfunc_mapping
from .collections import mapped_collection as mapped_collection
from .dataclass_mapping import MappedAsDataclass as MappedAsDataclass
from .declarative import DeclarativeBase as DeclarativeBase
from .declarative import Mapped as Mapped
from .declarative import declarative_base as declarative_base
from .declarative import declared_attr as declared_attr
from .declarative import mapped_column as mapped_column
from .declarative import registry as registry
from .events import SessionEvents as SessionEvents
from .exc import MultipleResultsFound as MultipleResultsFound
from .exc import NoResultFound as NoResultFound
from .execution import ORMExecuteState as ORMExecuteState
from .inspection import inspect as inspect
from .interfaces import SessionExtension as SessionExtension
from .legacy import create_session as create_session
from .mapper import Mapper as Mapper
from .mapper import class_mapper as class_mapper
from .mapper import clear_mappers as clear_mappers
from .mapper import column_property as column_property
from .mapper import configure_mappers as configure_mappers
from .mapper import mapper as mapper
from .mapper import object_mapper as object_mapper
from .query import Query as Query
from .relationships import RelationshipProperty as RelationshipProperty
from .relationships import backref as backref
from .relationships import foreign as foreign
from .relationships import relationship as relationship
from .relationships import remote as remote
from .scoping import scoped_session as scoped_session
from .session import Session as Session
from .session import close_all_sessions as close_all_sessions
from .session import make_transient as make_transient
from .session import make_transient_to_detached as make_transient_to_detached
from .session import object_session as object_session
from .session import sessionmaker as sessionmaker
from .state import InstanceState as InstanceState
from .stepper import FlushStepper as FlushStepper
from .transaction import SessionTransaction as SessionTransaction
from .transaction import SessionTransactionOrigin as SessionTransactionOrigin
from .unitofwork import FlushPlan as FlushPlan

__all__ = [
    "DeclarativeBase", "FlushPlan", "FlushStepper", "History", "InstanceState",
    "InstrumentedAttribute", "KeyFuncDict", "Mapped", "MappedAsDataclass", "Mapper",
    "MultipleResultsFound", "NO_VALUE", "NoResultFound", "ORMExecuteState", "Query",
    "QueryableAttribute", "RelationshipProperty", "Session", "SessionEvents", "SessionExtension",
    "SessionTransaction", "SessionTransactionOrigin", "attribute_keyed_dict",
    "attribute_mapped_collection", "backref", "class_mapper", "clear_mappers",
    "close_all_sessions", "column_keyed_dict", "column_mapped_collection", "column_property",
    "configure_mappers", "create_session", "declarative_base", "declared_attr", "event", "exc",
    "flag_modified", "foreign", "get_history", "inspect", "keyfunc_mapping", "make_transient",
    "make_transient_to_detached", "mapped_collection", "mapped_column", "mapper",
    "object_mapper", "object_session", "registry", "relationship", "remote",
    "scoped_session", "sessionmaker", "set_committed_value",
]

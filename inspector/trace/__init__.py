# trace/__init__.py
"""The flight recorder: ORM events in, frozen JSON-ready snapshots out."""

from .dot import plan_dot as plan_dot
from .recorder import Recorder as Recorder
from .recorder import recorder_for as recorder_for
from .snapshot import SCHEMA_VERSION as SCHEMA_VERSION
from .snapshot import SessionSnapshot as SessionSnapshot
from .snapshot import to_json as to_json

__all__ = [
    "SCHEMA_VERSION", "Recorder", "SessionSnapshot", "plan_dot", "recorder_for", "to_json",
]

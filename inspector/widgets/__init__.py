# widgets/__init__.py
"""Jupyter widgets of Session Inspector; they are fed snapshot dicts only, never ORM objects."""

from .runtime import GraphvizRuntime as GraphvizRuntime
from .runtime import shared_runtime as shared_runtime
from .session_widget import COMMANDS as COMMANDS
from .session_widget import SessionInspectorWidget as SessionInspectorWidget
from .session_widget import SnapshotSource as SnapshotSource

__all__ = [
    "COMMANDS",
    "GraphvizRuntime",
    "SessionInspectorWidget",
    "SnapshotSource",
    "shared_runtime",
]

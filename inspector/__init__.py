"""Session Inspector: an ORM Session built to be seen.

``inspector.orm`` is a SQLAlchemy-compatible ORM on SQLAlchemy Core; ``SessionInspector``
shows one of its sessions live in Jupyter; ``FlushStepper`` runs a flush one step at a time.
"""

from __future__ import annotations

from typing import Any

from .orm import FlushStepper as FlushStepper

__version__ = "0.1.0"
__all__ = ["FlushStepper", "Recorder", "SessionInspector", "__version__"]


def SessionInspector(session: Any, **kwargs: Any) -> Any:  # noqa: N802 - reads as a class
    """A live widget for ``session``: identity map, transactions, and a stepped flush.

    Every inspector of one session shares that session's recorder
    (:func:`inspector.trace.recorder_for`), so they all show the same state.
    """
    from .trace import recorder_for
    from .widgets import SessionInspectorWidget

    return SessionInspectorWidget(recorder_for(session), **kwargs)


def __getattr__(name: str) -> Any:
    if name == "Recorder":
        from .trace import Recorder

        return Recorder
    raise AttributeError(name)

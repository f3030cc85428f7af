# widgets/runtime.py
"""The front-end runtime — WebAssembly Graphviz plus the inspector's UI and CSS — held once per
kernel by a shared :class:`GraphvizRuntime` widget.

anywidget stores a widget's ``_esm`` in the notebook's saved widget state once *per widget*.  The
runtime module is ~0.85 MB, so it lives in this one model, and every inspector widget (whose own
``_esm`` is a 2 kB loader) references it through a ``widget_serialization`` trait; the front-end
reaches it with ``host.getWidget(ref)``.
"""

from __future__ import annotations

import anywidget

from ._static import GRAPHVIZ_RUNTIME_JS

__all__ = ["GraphvizRuntime", "shared_runtime"]


class GraphvizRuntime(anywidget.AnyWidget):
    """Carries the Graphviz WebAssembly module to the front-end; one per kernel is enough.

    Use :func:`shared_runtime` rather than constructing it: each instance adds the whole module
    to a saved notebook.
    """

    _esm = GRAPHVIZ_RUNTIME_JS

    def __repr__(self) -> str:
        return f"<GraphvizRuntime {getattr(self, 'model_id', '?')}>"


_shared: GraphvizRuntime | None = None


def shared_runtime() -> GraphvizRuntime:
    """The kernel's :class:`GraphvizRuntime`, created on first use and again after ``close()``."""
    global _shared
    if _shared is None or getattr(_shared, "comm", None) is None:
        _shared = GraphvizRuntime()
    return _shared

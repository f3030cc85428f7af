# widgets/session_widget.py
"""The Session Inspector widget: a live view of one session's snapshots, with Step / Run / Abort.

It sees only snapshot dicts (``inspector.trace.snapshot.to_json``) through a *source*
(``docs/contracts.md``: ``snapshot()``, ``subscribe(cb)``, ``command(name)``); it never touches ORM
objects.

Button presses arrive as comm messages, which ipykernel 7 may handle on a subshell thread; the
widget runs every command on the thread that created it, the one running the cells (see
``inspector.cell_thread``), because the session's connection may be bound to that thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import anywidget
import traitlets
from ipywidgets import widget_serialization

from ..cell_thread import CellThread, CellThreadUnavailable
from ..trace.patch import diff
from ._html import snapshot_html
from ._static import WIDGET_JS
from .runtime import GraphvizRuntime, shared_runtime

__all__ = ["COMMANDS", "SessionInspectorWidget", "SnapshotSource"]

#: the commands the front-end may send, as ``{"type": "command", "name": ...}``; ``run_to``
#: carries its argument in the name: ``"run_to:Address"`` (run to the next step touching it)
COMMANDS = ("step", "run", "abort", "run_to")

#: objects from which a whole snapshot that differs in ``seq`` only is not sent again
BIG = 500


@runtime_checkable
class SnapshotSource(Protocol):
    """What drives a :class:`SessionInspectorWidget` (see ``docs/contracts.md``)."""

    def snapshot(self) -> dict[str, Any]: ...

    def subscribe(self, callback: Callable[[dict[str, Any]], None]) -> Callable[[], None]: ...

    def command(self, name: str) -> None: ...


class SessionInspectorWidget(anywidget.AnyWidget):
    """Identity map, transaction stack and the stepped unit of work of one session.

    ``SessionInspectorWidget(source)`` shows ``source.snapshot()`` and follows every snapshot the
    source pushes.  The buttons call ``source.command("step" | "run" | "abort")`` on the thread
    that created the widget (handed to its event loop when the message arrives elsewhere); an
    exception from the source becomes the :attr:`error` line instead of a traceback.
    """

    # Traits holding the text, not paths: for a path anywidget connects every instance to the
    # file's change signal with a strong lambda, so no inspector (nor its session) could ever
    # be garbage-collected.
    # Only a small loader: the UI and its CSS ship once, in the shared runtime (runtime.py).
    _esm = traitlets.Unicode(WIDGET_JS.read_text(encoding="utf-8")).tag(sync=True)

    #: the latest ``to_json(SessionSnapshot)`` dict
    snapshot = traitlets.Dict().tag(sync=True)
    #: text of the last failed command, "" when the last command succeeded
    error = traitlets.Unicode("").tag(sync=True)
    #: the kernel-wide Graphviz runtime (serialised as "IPY_MODEL_<id>")
    _graphviz = traitlets.Instance(GraphvizRuntime, allow_none=True).tag(
        sync=True, **widget_serialization
    )

    def __init__(self, source: SnapshotSource, **kwargs: Any) -> None:
        self._source = source
        self._unsubscribe: Callable[[], None] | None = None
        self._closed = False
        self._pushes = 0  # snapshots received from the source, to know whether to pull
        self._cell = CellThread()  # the thread running the cells, where commands run
        # True once a front-end said it applies patches ({"type": "hello"}); until then (and
        # for clients that keep the state of "update" messages only, e.g. nbclient) every push
        # syncs the whole snapshot
        self._patching = False
        self._quiet = False  # set while the trait takes a value the front-end gets as a patch
        self.patches_sent = 0  # patch messages sent (tests and benchmarks read it)
        kwargs.setdefault("_graphviz", shared_runtime())
        super().__init__(snapshot=dict(source.snapshot()), **kwargs)
        self.on_msg(self._on_frontend_msg)
        self._unsubscribe = source.subscribe(self._on_source_snapshot)

    @property
    def source(self) -> SnapshotSource:
        return self._source

    @property
    def dispatch_mode(self) -> str:
        """How button presses reach the cells' thread: ``"event loop"`` (in a kernel: handed to
        its loop when they arrive on another thread) or ``"inline"`` (no loop: presses from
        another thread are refused with an error line, never run there)."""
        return self._cell.mode

    def command(self, name: str) -> bool:
        """Run ``source.command(name)`` like the buttons, on the calling thread (call it where
        the session is used); failures go to :attr:`error` (False)."""
        if name.split(":", 1)[0] not in COMMANDS or (":" in name) != name.startswith("run_to:"):
            self.error = f"unknown command {name!r}"
            return False
        self.error = ""
        pushes = self._pushes
        try:
            self._source.command(name)
        except Exception as exc:  # noqa: BLE001 - any failure is shown, not raised, in the widget
            self.error = _describe(exc)
            return False
        finally:
            if self._pushes == pushes:
                # the source did not push (the contract says it should): pull once.  A source
                # that pushes sends every view the same snapshot, so no view pulls its own.
                self._on_source_snapshot(self._source.snapshot())
        return True

    def close(self) -> None:
        """Stop following the source, then close the widget (the shared runtime stays open)."""
        self._closed = True
        unsubscribe, self._unsubscribe = self._unsubscribe, None
        if unsubscribe is not None:
            unsubscribe()
        super().close()

    def _on_source_snapshot(self, snapshot: dict[str, Any]) -> None:
        if self._closed:
            return
        self._pushes += 1
        self._publish(dict(snapshot))

    def _publish(self, new: dict[str, Any]) -> None:
        """Make ``new`` the snapshot: as a keyed patch when a front-end applies them, else whole.

        The trait always holds the whole snapshot, so a page reload, a view displayed later and
        the saved widget state get all of it; a patch only saves sending it again."""
        old = self.snapshot
        if not self._patching or not old or self.comm is None:
            if len(old.get("objects") or ()) > BIG and _same_but_seq(old, new):
                # a large snapshot that only brings a new seq (e.g. the cell that created the
                # inspector, before its front-end said hello): not megabytes again for that
                return
            self.snapshot = new
            return
        # also when every object changed (a flush step giving 10,000 objects their keys): a
        # changed object goes as its changed fields, smaller than the whole snapshot, and a
        # patch skips the whole-state walk and sync of the trait
        patch = diff(old, new)
        self._quiet = True
        try:
            self.snapshot = new
        finally:
            self._quiet = False
        self.send({"type": "patch", "patch": patch})
        self.patches_sent += 1

    def _should_send_property(self, key: str, value: Any) -> bool:
        if key == "snapshot" and self._quiet:
            return False  # on its way as a patch
        return super()._should_send_property(key, value)

    def _resync(self) -> None:
        """Send the whole snapshot again (a front-end missed a patch)."""
        if not self._closed:
            self.send_state("snapshot")

    def _on_frontend_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        # Not named _handle_msg: that would replace ipywidgets' own comm handler.
        # May run on a kernel subshell thread: hand the command to the cells' thread.
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "full":  # the whole text of one cut value
            self._full_request(content.get("ref"))
            return
        if kind == "hello":  # a front-end that applies patches (js/src/patch.ts)
            if not self._patching:
                self._patching = True
                return
            # another front-end (a reloaded page, a second tab): patches sent while its model
            # was loading went nowhere, so it gets the whole snapshot once
        if kind in ("hello", "resync"):
            try:
                self._cell.call(self._resync)
            except CellThreadUnavailable:
                self._resync()
            return
        if kind != "command":
            return
        name = content.get("name")
        try:
            self._cell.call(self._frontend_command, name)
        except CellThreadUnavailable as exc:
            self.error = _describe(exc)
            self.send({"type": "ack", "name": name})

    def _full_request(self, ref: Any) -> None:
        """``{"type": "full", "ref": ...}``: the whole text of a value shown cut short, answered
        with ``{"type": "full", "ref": ..., "text": ...}`` (or ``"error"``), read on the cells'
        thread (``docs/contracts.md``)."""

        def answer() -> None:
            reply: dict[str, Any] = {"type": "full", "ref": ref}
            try:
                reply["text"] = self._source.full_text(str(ref))  # type: ignore[attr-defined]
            except Exception as exc:  # noqa: BLE001 - shown where the value is
                reply["error"] = _describe(exc)
            if not self._closed:
                self.send(reply)

        if not hasattr(self._source, "full_text"):
            self.send({"type": "full", "ref": ref, "error": "this source keeps no whole values"})
            return
        try:
            self._cell.call(answer)
        except CellThreadUnavailable as exc:
            self.send({"type": "full", "ref": ref, "error": _describe(exc)})

    def _frontend_command(self, name: Any) -> None:
        """A button press, on the cells' thread; always acknowledged (the front-end unlocks)."""
        try:
            if not self._closed:
                self.command(name if isinstance(name, str) else repr(name))
        except Exception as exc:  # noqa: BLE001 - on the event loop nobody would see it
            self.error = _describe(exc)
        finally:
            if not self._closed:
                self.send({"type": "ack", "name": name})

    def __repr__(self) -> str:
        snap = self.snapshot or {}
        return (
            f"<SessionInspectorWidget {snap.get('session', '?')!s} seq={snap.get('seq', '?')}"
            f" objects={len(snap.get('objects') or ())} commands: {self.dispatch_mode}>"
        )

    def _repr_html_(self) -> str:
        """Static fallback (nbviewer, GitHub, no widget manager): a short escaped HTML summary
        of the snapshot (counts and the first rows, never the whole of a large session)."""
        return snapshot_html(self.snapshot, self.error)


def _same_but_seq(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether two snapshot dicts differ in ``seq`` only (unchanged parts are mostly the same
    objects, so this is quick)."""
    return old.keys() == new.keys() and all(
        key == "seq" or old[key] is value or old[key] == value for key, value in new.items()
    )


def _describe(exc: BaseException) -> str:
    try:  # a user's exception may refuse str() or run to megabytes
        text = str(exc)[:5000]
    except Exception:  # noqa: BLE001
        text = "<str failed>"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__

"""The thread that runs the user's cells, and a way to run work on it from any other thread.

Database connections are often bound to the thread that made them (an in-memory SQLite refuses
any other: ``ProgrammingError: SQLite objects created in a thread can only be used in that same
thread``).  Under ipykernel 7 a widget's comm messages do not always arrive on that thread:
JupyterLab >= 4.4 and Notebook 7 send them over a kernel *subshell* (setting
``commsOverSubshells``, default ``perCommTarget``), and ipykernel handles each subshell on its
own thread with its own asyncio loop, while ``execute_request`` (the cells) runs on the main
thread's loop.  :class:`CellThread` remembers the thread that created it and the asyncio loop
running there, and :meth:`CellThread.call` hands work to that loop with
``call_soon_threadsafe``; the kernel runs it as soon as no cell is running.

Without a running loop (plain Python, scripts, most tests) work from the owning thread runs at
once; work from another thread is refused with :class:`CellThreadUnavailable` - never run on
the wrong thread.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["CellThread", "CellThreadUnavailable"]


class CellThreadUnavailable(RuntimeError):
    """Work arrived on another thread and no event loop runs on the cells' thread to take it."""


class CellThread:
    """The thread (and its running asyncio loop, if any) that created this object.

    Create it where the user's code runs (in a notebook: in a cell, e.g. while a widget or a
    recorder is constructed).
    """

    def __init__(self) -> None:
        self.thread = threading.current_thread()
        try:
            self.loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # no loop runs here: plain Python
            self.loop = None

    @property
    def mode(self) -> str:
        """``"event loop"`` when work from other threads is handed over, else ``"inline"``."""
        return "event loop" if self._loop_usable() else "inline"

    def is_current(self) -> bool:
        """True on the cells' thread."""
        return threading.current_thread() is self.thread

    def _loop_usable(self) -> bool:
        return self.loop is not None and not self.loop.is_closed()

    def call(self, fn: Callable[..., Any], *args: Any) -> bool:
        """Run ``fn(*args)`` on the cells' thread: now when already there (returns True), else
        queued on its loop (returns False; the current ``contextvars`` context goes along, so
        ipykernel still knows which message the work answers).

        Raises :class:`CellThreadUnavailable` when called from another thread and no usable
        loop runs on the cells' thread.
        """
        if self.is_current():
            fn(*args)
            return True
        loop = self.loop
        if loop is None or loop.is_closed():
            raise CellThreadUnavailable(
                "this arrived on thread %r, but the session belongs to thread %r and no event"
                " loop runs there to hand it to; call it from that thread instead"
                % (threading.current_thread().name, self.thread.name)
            )
        loop.call_soon_threadsafe(fn, *args, context=contextvars.copy_context())
        return False

    def call_later(self, delay: float, fn: Callable[[], Any]) -> Any:
        """Run ``fn()`` on the cells' loop after ``delay`` seconds; returns a handle with
        ``cancel()``, or None when no loop runs there (then nothing is scheduled)."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return None
        if self.is_current():
            return loop.call_later(delay, fn)
        return _ThreadsafeLater(loop, delay, fn)

    def __repr__(self) -> str:
        return "<CellThread %s, %s>" % (self.thread.name, self.mode)


class _ThreadsafeLater:
    """``loop.call_later`` requested from another thread (cancel() works before it starts)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, delay: float, fn: Callable[[], Any]):
        self._handle: Any = None
        self._cancelled = False

        def start() -> None:
            if not self._cancelled:
                self._handle = loop.call_later(delay, fn)

        loop.call_soon_threadsafe(start)

    def cancel(self) -> None:
        self._cancelled = True
        if self._handle is not None:
            self._handle.cancel()

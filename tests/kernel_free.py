"""Fixtures for tests that model plain Python or a kernel's cells (tests/trace, tests/widgets):
their conftest.py files import these two autouse fixtures."""

from __future__ import annotations

import asyncio
import gc

import pytest


@pytest.fixture(autouse=True)
def _no_leftover_running_loop():
    """Hide an event loop that Playwright's sync API (session-scoped browser fixtures) leaves
    marked as running on the main thread: these tests model plain Python or a kernel's cells
    and create their own loop where they need one."""
    loop = asyncio._get_running_loop()
    if loop is None:
        yield
        return
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(loop)


@pytest.fixture(autouse=True, scope="module")
def _collect_garbage():
    """Closed widgets and recorders are garbage now (ipywidgets finalizers close comms): let
    them go at a known point rather than in whatever runs next."""
    yield
    gc.collect()

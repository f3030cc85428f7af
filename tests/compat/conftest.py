"""tests/compat: scripts import the recording API as ``harness``; make it importable."""

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)


def pytest_terminal_summary(terminalreporter):
    """Exact-order matches apart from dependency-equivalent ones (issue 8)."""
    mod = sys.modules.get("test_compat") or sys.modules.get("tests.compat.test_compat")
    orders = getattr(mod, "ORDERS", None)
    if orders:
        import harness

        terminalreporter.write_line(harness.order_summary(orders))

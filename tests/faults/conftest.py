"""tests/faults: scenarios import the compat harness and the fault kit; make both importable."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for path in (str(HERE), str(HERE.parent / "compat")):
    if path not in sys.path:
        sys.path.insert(0, path)


def pytest_terminal_summary(terminalreporter):
    tried = getattr(sys.modules.get("test_faults"), "TRIED", None)
    if tried:
        terminalreporter.write_sep("-", "fault injection: positions tried")
        for name, count in sorted(tried.items()):
            terminalreporter.write_line(f"{name}: {count}")
        terminalreporter.write_line(f"total: {sum(tried.values())} positions, "
                                    f"{len(tried)} scenarios")

"""tests/faults: scenarios import the compat harness and the fault kit; make both importable."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for path in (str(HERE), str(HERE.parent / "compat")):
    if path not in sys.path:
        sys.path.insert(0, path)

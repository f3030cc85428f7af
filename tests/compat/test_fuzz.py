"""The differential fuzzer (fuzz_orm.py) in the default suite: a fixed, derandomized set of
examples, so CI sees the same sequences every run.  ``SI_FUZZ_EXAMPLES=5000`` (and the other
``SI_FUZZ_*`` knobs, see fuzz_orm.py / README.md) make it search harder.
"""

import os

import fuzz_orm
import pytest

EXAMPLES = int(os.environ.get("SI_FUZZ_EXAMPLES", "150"))
SEED = os.environ.get("SI_FUZZ_SEED")


@pytest.mark.xfail(
    strict=False,
    reason="inspector.orm still has known divergences (see /work/fuzz-findings.md); "
    "remove this mark once the ORM fixes are merged",
)
def test_fuzz_session_operations():
    opts = fuzz_orm.Options.from_env()
    fuzz_orm.fuzz_test(opts, EXAMPLES, int(SEED) if SEED else None)()


def test_fuzz_renders_runnable_script():
    """The machinery itself: a sequence touching every operation runs on the oracle."""
    ops = [(name, i, i + 1, i + 2) for i, name in enumerate(fuzz_orm.OPERATION_NAMES)]
    ops = [("new", c, 0, 0) for c in range(len(fuzz_orm.CLASSES))] + ops
    script, codes = fuzz_orm.render(ops, fuzz_orm.Options())
    compile(script, "fuzz_example.py", "exec")
    assert len(codes) >= len(ops)
    import harness

    path = fuzz_orm.write_script(script)
    try:
        trace = harness.run_script(path, "oracle", fast=True)
    finally:
        path.unlink()
    assert trace.crash is None, trace.crash
    steps = fuzz_orm.steps_of(trace)
    assert len(steps) == len(codes) + 1
    assert fuzz_orm.compare(trace, trace, codes) is None

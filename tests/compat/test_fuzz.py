"""The differential fuzzer (fuzz_orm.py) in the default suite.

A fixed seed (``SI_FUZZ_SEED``, default 0) and example count (``SI_FUZZ_EXAMPLES``, default
300), so CI sees the same sequences every run; the first divergence is shrunk and reported as a
runnable script.  ``SI_FUZZ_EXAMPLES=5000`` (and the other ``SI_FUZZ_*`` knobs, see
fuzz_orm.py / README.md) make it search harder.
"""

import os
import re
import warnings

import fuzz_orm
import harness
import pytest

EXAMPLES = int(os.environ.get("SI_FUZZ_EXAMPLES", "300"))
SEED = int(os.environ.get("SI_FUZZ_SEED", "0"))


def test_fuzz_session_operations():
    shrink = int(os.environ.get("SI_FUZZ_SHRINK", "100"))
    found = fuzz_orm.search(fuzz_orm.Options.from_env(), EXAMPLES, SEED, shrink)
    if found:
        pytest.fail(found, pytrace=False)


def test_fuzz_renders_runnable_script():
    """The machinery itself: a sequence touching every operation runs on the oracle and a
    trace compared with itself shows no divergence."""
    ops = [("new", c, 0, 0) for c in range(len(fuzz_orm.CLASSES))]
    for i, name in enumerate(fuzz_orm.OPERATION_NAMES):
        if name == "nested_rollback":  # the one savepoint was released by nested_commit
            ops.append(("begin_nested", 0, 0, 0))
        ops.append((name, i, i + 1, i + 2))
    script, codes = fuzz_orm.render(ops, fuzz_orm.Options())
    assert len(codes) == len(ops) + 1  # every operation applies; plus the final close
    path = fuzz_orm.write_script(script)
    try:
        trace = harness.run_script(path, "oracle", fast=True)
    finally:
        path.unlink()
    assert trace.crash is None, trace.crash
    assert len(fuzz_orm.steps_of(trace)) == len(codes) + 1
    assert fuzz_orm.compare(trace, trace, codes) is None


def test_fuzz_detects_a_divergence(monkeypatch):
    """A divergence is found, shrunk and reported as a script ("ours" is swapped for a stub:
    the oracle again, plus a committed parent row the oracle does not have)."""
    real = harness.run_script

    def tampered(path, flavour, fast=False):
        trace = real(path, "oracle", fast)
        if flavour == "ours":
            trace.tables["parent"] = [*trace.tables.get("parent", []), (99, "ghost")]
        return trace

    monkeypatch.setattr(harness, "run_script", tampered)
    found = fuzz_orm.search(fuzz_orm.Options(), 20, 0)
    assert found is not None and "committed tables at the end" in found
    # shrunk to one operation (the script always ends with a close step)
    assert "with step(1, s, globals()):" in found and "with step(3," not in found


CORPUS = sorted((harness.HERE / "fuzz_corpus").glob("*.steps"))


@pytest.mark.parametrize("case", CORPUS, ids=[p.stem for p in CORPUS])
def test_fuzz_corpus_case(case):
    """Every divergence the fuzzer ever found and we fixed stays fixed: each corpus file is a
    shrunk sequence (its comment says how it diverged), run on both ORMs over the fuzzer's
    schema and compared as the fuzzer compares (Session hooks included)."""
    head = fuzz_orm.SCHEMA.rsplit("s = Session(eng)", 1)[0]
    body = re.sub(r"(?m)^(s = Session\(.*\)\n)", lambda m: m[1] + fuzz_orm.EVENT_LISTENERS,
                  case.read_text(), count=1)  # the Session hooks are compared as well
    script = '"""%s"""\n\n%s%s' % (case.stem, head, body)
    path = fuzz_orm.write_script(script)
    # a case whose comment says "set order" shows what SQLAlchemy decides in set order (which
    # of two objects comes first): ours is deterministic, so a rerun that matches passes it
    tries = fuzz_orm.ORACLE_RERUNS if "set order" in case.read_text().split("s = Session")[0] \
        else 1
    try:
        for _ in range(tries):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                oracle = harness.run_script(path, "oracle", fast=True)
                ours = harness.run_script(path, "ours", fast=True)
            div = fuzz_orm.compare(oracle, ours, [])
            if div is None:
                break
    finally:
        path.unlink()
    assert div is None, "%s\n%s" % (case.read_text().split("s = Session")[0], div.detail)

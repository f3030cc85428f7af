"""Every compat script runs cleanly on the real sqlalchemy.orm, deterministically."""

import harness
import pytest

SCRIPTS = harness.script_paths()


def test_enough_scripts():
    assert len(SCRIPTS) >= 20


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_oracle_runs(script):
    first = harness.run_script(script, "oracle")
    assert first.crash is None, first.crash
    assert any(e[0] == "sql" for e in first.events)
    assert any(e[0] in ("check", "value", "error") for e in first.events), "script records nothing"
    second = harness.run_script(script, "oracle")
    result = harness.compare(first, second)
    assert result.ok, "oracle is not deterministic:\n" + result.report
    # (the order of one run of writes may vary: SQLAlchemy walks some of them in set order;
    # compare() accepts that as dependency-equivalent)
    assert not [w for w in result.warnings if not w.startswith("statement order differs")]

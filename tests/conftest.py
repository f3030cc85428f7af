"""Suite-wide helpers.

* ``CI`` is True when the environment variable ``CI`` is set to true/1/yes (``.ci/run`` sets it).
* ``skip_or_fail(reason)`` skips a test locally but fails it under CI: use it for anything
  that must not silently go untested in CI (a missing Chromium, say).
* As a safety net, under CI every skip whose reason mentions Chromium, Playwright or a browser
  is reported as a failure, whoever raised it (fixtures included).
* ``ROOT`` / ``ARTIFACTS``: the repository root and the git-ignored ``artifacts/`` directory.
* Every DOT text ``inspector.trace.dot.plan_dot`` makes in a test is checked: each edge's two
  ends are nodes of the graph (Graphviz would silently draw a bare node for a missing one), and
  the recorder asks it for no edge to a node it does not draw (``dot_dangling_edges``).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dot_check import dot_dangling_edges  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}

_MUST_NOT_SKIP_IN_CI = re.compile(r"chromium|playwright|browser", re.IGNORECASE)


def skip_or_fail(reason: str):
    """Skip locally; fail under CI=true (``pytest.skip`` / ``pytest.fail`` never return)."""
    if CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped)", pytrace=False)
    pytest.skip(reason)


def require_chromium() -> str:
    """Return the Chromium path, or skip (locally) / fail (CI) when it is missing."""
    if not os.access(CHROMIUM, os.X_OK):
        skip_or_fail(f"{CHROMIUM} not found: apt-get install chromium to run browser tests")
    return CHROMIUM


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (CI and report.skipped) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if _MUST_NOT_SKIP_IN_CI.search(reason):
        report.outcome = "failed"
        report.longrepr = f"CI=true turns this skip into a failure: {reason}"


def _checking(plan_dot):
    @functools.wraps(plan_dot)
    def checked(nodes, edges):
        ids = {n["id"] for n in nodes}
        asked = [(e["source"], e["target"]) for e in edges
                 if e["source"] not in ids or e["target"] not in ids]
        assert not asked, "plan_dot was asked for edges to nodes it does not draw: %r" % asked[:5]
        dot = plan_dot(nodes, edges)
        dangling = dot_dangling_edges(dot)
        assert not dangling, "DOT edges whose ends are no node: %r" % dangling[:5]
        return dot

    return checked


def _check_every_plan_dot() -> None:
    """Wrap plan_dot wherever it is bound, before any test module imports it."""
    from inspector import trace
    from inspector.trace import dot, recorder

    checked = _checking(dot.plan_dot)
    for module in (dot, recorder, trace):
        if getattr(module, "plan_dot", None) is checked.__wrapped__:
            module.plan_dot = checked


_check_every_plan_dot()


# The JupyterLab server fixtures live in tests/browser/lab_fixtures.py and are registered here, so
# that tests/browser/conftest.py stays the front-end helper's file.  Loaded by path: works whether
# or not tests/ is a package.
def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_lab = _load("si_lab_fixtures", Path(__file__).parent / "browser" / "lab_fixtures.py")
jupyterlab = _lab.jupyterlab
lab_page = _lab.lab_page
si_lab_chromium = _lab.si_lab_chromium

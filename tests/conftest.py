"""Suite-wide helpers.

* ``CI`` is True when the environment variable ``CI`` is set to true/1/yes (``.ci/run`` sets it).
* ``skip_or_fail(reason)`` skips a test locally but fails it under CI: use it for anything
  that must not silently go untested in CI (a missing Chromium, say).
* As a safety net, under CI every skip whose reason mentions Chromium, Playwright or a browser
  is reported as a failure, whoever raised it (fixtures included).
* ``ROOT`` / ``ARTIFACTS``: the repository root and the git-ignored ``artifacts/`` directory.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest

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

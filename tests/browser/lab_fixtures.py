"""A real JupyterLab server for browser tests (registered in tests/conftest.py).

``jupyterlab`` (session scope) starts ``jupyter lab`` on 127.0.0.1 with a random port and token,
its own config/runtime/settings/workspace dirs under a temp dir, and a server root holding a copy
of ``notebooks/`` (or of ``$SI_NOTEBOOKS_DIR``).  It yields a :class:`Lab`.

``jupyter_server(tmp, frontend)`` is the context manager behind it, for ``"lab"`` or
``"notebook"`` (Jupyter Notebook 7, package ``notebook``: a :class:`Notebook7`, which opens
``/notebooks/<path>``; tests/browser/test_notebook7.py).

``lab_page`` is a Playwright page (1400x1000) on the ``browser`` fixture of
tests/browser/conftest.py when that exists, otherwise on a Chromium launched here.  Both skip
with a reason naming Chromium when /usr/bin/chromium is missing; under CI=true
tests/conftest.py turns that skip into a failure.

Fixes from /work/shared/recipes/browser-tests.md: ``--allow-root`` as root,
``IdentityProvider.token``, read-only extension manager, no news/update checks (plus the
``fetchNews`` setting that really hides the toast), ``expose_app_in_browser`` for
``window.jupyterapp``, readiness = kernel websocket connected and idle (not the toolbar
indicator), one workspace per opened notebook with ``?reset``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

KERNEL_READY_JS = """(path) => {
  const w = window.jupyterapp?.shell?.currentWidget;
  const k = w?.sessionContext?.session?.kernel;
  return w?.context?.path === path && !!k && k.connectionStatus === 'connected'
         && k.status === 'idle';
}"""

# runs all cells; resolves to JupyterLab's result (false when a cell failed) or "timeout"
RUN_ALL_JS = """(ms) => Promise.race([
  window.jupyterapp.commands.execute('notebook:run-all-cells'),
  new Promise(resolve => setTimeout(() => resolve('timeout'), ms)),
])"""

# true once the current notebook's kernel is idle and no cell waits or runs ("[*]")
CELLS_DONE_JS = """() => {
  const w = window.jupyterapp?.shell?.currentWidget;
  const k = w?.sessionContext?.session?.kernel;
  if (!k || k.status !== 'idle') return false;
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-InputPrompt')];
  return prompts.length > 0 && !prompts.some(p => p.textContent.includes('*'));
}"""


@dataclass
class Lab:
    base: str  # http://127.0.0.1:<port>
    token: str
    root: Path  # server root_dir
    log: Path  # server log (stdout + stderr)
    opened: list[str] = field(default_factory=list)

    def url(self, path: str = "") -> str:
        return f"{self.base}/lab/tree/{path}?token={self.token}"

    def open_notebook(self, page, path: str, timeout: float = 90_000) -> None:
        """Open ``path`` (relative to the server root) in its own fresh workspace and wait until
        its kernel is connected and idle."""
        slug = "".join(c if c.isalnum() else "-" for c in path)
        workspace = f"ws-{slug}-{len(self.opened)}"
        self.opened.append(path)
        page.goto(f"{self.base}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}")
        page.wait_for_function(KERNEL_READY_JS, arg=path, timeout=timeout)

    def run_all_cells(self, page, timeout: float = 300_000) -> bool:
        """Run every cell of the current notebook; wait until all ran and the kernel is idle.

        Returns JupyterLab's verdict (False when a cell raised: later cells were not run)."""
        outcome = page.evaluate(RUN_ALL_JS, timeout)
        if outcome == "timeout":
            raise TimeoutError(f"notebook:run-all-cells did not finish in {timeout / 1000:.0f} s")
        page.wait_for_function(CELLS_DONE_JS, timeout=30_000, polling=250)
        return bool(outcome)

    def server_log(self) -> str:
        return self.log.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Notebook 7.6's own keyboard-shortcut plugin (its settings ``pluginChanged`` handler) throws this
# once while it loads settings, on every page: also /tree with no notebook and with every
# federated extension (anywidget, ipywidgets...) disabled.  Not ours, so it alone is forgiven.
NOTEBOOK7_LOAD_ERROR = "Cannot read properties of undefined (reading 'schema')"


class Notebook7(Lab):
    """A Jupyter Notebook 7 server: one notebook per page at ``/notebooks/<path>``."""

    forgiven: list[str]  # page errors dropped from ``page.errors`` (NOTEBOOK7_LOAD_ERROR)

    def url(self, path: str = "") -> str:
        return f"{self.base}/tree/{path}?token={self.token}"

    def open_notebook(self, page, path: str, timeout: float = 90_000) -> None:
        """Open ``path`` (relative to the server root) and wait until its kernel is connected
        and idle (Notebook 7 has no workspaces: every notebook has a page of its own).

        Notebook 7's own start-up error (NOTEBOOK7_LOAD_ERROR, thrown from its bundle
        ``/static/notebook/notebook_core.*.js``) is taken back out of ``page.errors``; any
        other page error stays for the test to see."""
        self.forgiven = []

        def forgive(err) -> None:  # runs after lab_page's listener appended str(err)
            frames = [ln for ln in (err.stack or "").splitlines() if ln.strip().startswith("at ")]
            ours = frames and "/static/notebook/notebook_core." in frames[0]
            if err.message == NOTEBOOK7_LOAD_ERROR and ours and str(err) in page.errors:
                page.errors.remove(str(err))
                self.forgiven.append(str(err))

        if hasattr(page, "errors"):
            page.on("pageerror", forgive)
        self.opened.append(path)
        page.goto(f"{self.base}/notebooks/{path}?token={self.token}")
        page.wait_for_function(KERNEL_READY_JS, arg=path, timeout=timeout)


# the command line of each front end; both also get the server options of ``jupyter_server``
FRONTENDS = {
    "lab": (Lab, ["lab", "--LabApp.expose_app_in_browser=True"]),
    "notebook": (Notebook7, ["notebook", "--JupyterNotebookApp.expose_app_in_browser=True"]),
}


@contextmanager
def jupyter_server(tmp: Path, frontend: str = "lab") -> Iterator[Lab]:
    """Run ``jupyter lab`` or ``jupyter notebook`` (7) in ``tmp`` until the block ends.

    The server root is ``tmp/root`` with a copy of ``notebooks/`` (or ``$SI_NOTEBOOKS_DIR``);
    config, runtime, settings and workspaces live under ``tmp`` too."""
    cls, app = FRONTENDS[frontend]
    root = tmp / "root"
    root.mkdir()
    src = Path(os.environ.get("SI_NOTEBOOKS_DIR", ROOT / "notebooks"))
    if src.is_dir():
        shutil.copytree(
            src, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
        "IPYTHONDIR": str(tmp / "ipython"),
    }
    news = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    # render every cell (no virtual scrolling), so "the last widget" is in the DOM
    tracker = tmp / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    cmd = [
        sys.executable, "-m", "jupyter", *app, "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--LabApp.extension_manager=readonly", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if os.getuid() == 0:
        cmd.append("--allow-root")
    log_path = tmp / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
        base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                raise RuntimeError(f"jupyter {app[0]} did not start:\n" + log_path.read_text())
            time.sleep(0.25)
        try:
            yield cls(base=base, token=token, root=root, log=log_path)
        finally:
            proc.terminate()  # only our own server; it shuts its kernels down
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory):
    with jupyter_server(tmp_path_factory.mktemp("lab"), "lab") as lab:
        yield lab


@pytest.fixture(scope="session")
def si_lab_chromium():
    """Fallback browser when tests/browser/conftest.py defines no ``browser`` fixture."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def lab_page(request):
    try:
        browser = request.getfixturevalue("browser")
    except pytest.FixtureLookupError:
        browser = request.getfixturevalue("si_lab_chromium")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.errors = []  # uncaught page errors, for assertions
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    yield page
    context.close()

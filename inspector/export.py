# export.py
"""A notebook as one self-contained HTML page whose inspectors still show what they recorded.

nbconvert's HTML loads the Jupyter widget manager from public CDNs, so an exported notebook
shows no widget offline (and, for anywidget, often not online either).  ``export_html`` instead
replaces every Session Inspector output with a mount point holding its last snapshot (from the
widget state the notebook saved, or that executing it here saves) and puts the inspector's own
front-end into the page: its loader and its runtime (UI, CSS and Graphviz WebAssembly), inlined.
The page loads nothing from anywhere; the views are read-only (no kernel runs the buttons).

Command line: ``python -m inspector export NOTEBOOK.ipynb [-o OUT.html] [--execute]``.
"""

from __future__ import annotations

import base64
import copy
import html
import json
import re
from pathlib import Path
from typing import Any

from .widgets._static import GRAPHVIZ_RUNTIME_JS, WIDGET_JS

__all__ = ["ExportError", "export_html", "inspector_snapshots"]

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_INSPECTOR_ID = "inspector.widgets.session_widget.SessionInspectorWidget"

# anything the page would fetch from elsewhere: nbconvert's require.js, MathJax, widget manager
_REMOTE_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I)
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref=[\"']?(?:https?:)?//[^>]*>", re.I)


class ExportError(Exception):
    """The notebook cannot be exported as asked (and why)."""


def inspector_snapshots(nb: Any) -> dict[str, dict]:
    """model id -> the last snapshot of every Session Inspector in the notebook's widget state."""
    state = (nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}) or {}).get("state", {})
    found = {}
    for model_id, model in state.items():
        values = model.get("state", {})
        if values.get("_anywidget_id") == _INSPECTOR_ID:
            snapshot = values.get("snapshot")
            found[model_id] = {"snapshot": _upgraded(snapshot if isinstance(snapshot, dict)
                                                     else {}),
                               "error": values.get("error", "")}
    return found


def _upgraded(snapshot: dict) -> dict:
    """A snapshot saved by an older version in today's form: its narration once, as
    ``narration`` (older ones also sent the sentences as a plain ``events`` list, the oldest
    only that)."""
    if "events" not in snapshot:
        return snapshot
    out = {k: v for k, v in snapshot.items() if k != "events"}
    if not out.get("narration") and isinstance(snapshot["events"], list):
        out["narration"] = [{"text": str(e), "cell": None, "flush": 0, "command": ""}
                            for e in snapshot["events"]]
    return out


def _inspector_outputs(nb: Any) -> list[tuple[dict, str]]:
    outs = []
    for cell in nb.cells:
        for output in cell.get("outputs", ()):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and view.get("model_id"):
                outs.append((output, view["model_id"]))
    return outs


def _execute(nb: Any, path: Path, timeout: int, kernel: str) -> None:
    try:
        from nbclient import NotebookClient
    except ImportError as e:  # pragma: no cover - nbclient ships with the test extra
        raise ExportError("executing needs nbclient: pip install nbclient") from e
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel, store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()


def _script_json(value: Any) -> str:
    # inside <script>: "</script" would end it and "<!--" with "<script" would make the HTML
    # parser skip the real end tag; "<", ">" and "&" only occur inside JSON strings, where
    # \u003c / \u003e / \u0026 are the same characters
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _module_url(text: str) -> str:
    return "data:text/javascript;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


_MOUNT_ALL = """
const load = async (url) => (await import(url)).default;
const widget = await load(%(widget)s);
const runtimeModule = await load(%(runtime)s);
function fakeModel(state) {
  const handlers = {};
  return {
    get: (key) => state[key],
    set(key, value) {
      state[key] = value;
      for (const f of [...(handlers["change:" + key] || [])]) f();
    },
    on: (event, f) => (handlers[event] ??= []).push(f),
    off(event, f) {
      handlers[event] = (handlers[event] || []).filter((g) => g !== f);
    },
    send() {
      this.set("error", "An exported page: no kernel runs Step / Run / Abort here.");
    },
    save_changes() {},
    widget_manager: { get_model: async () => undefined },
  };
}
const runtime = await runtimeModule.initialize({
  model: fakeModel({}), signal: new AbortController().signal, experimental: {},
});
const host = { getWidget: async () => ({ exports: runtime, render: async () => {} }) };
for (const data of document.querySelectorAll("script.si-export-data")) {
  const { snapshot, error } = JSON.parse(data.textContent);
  // a shadow root keeps the notebook page's HTML-output styles off the inspector (and back)
  const holder = document.createElement("div");
  holder.className = "si-export";
  data.after(holder);
  const shadow = holder.attachShadow({ mode: "open" });
  const el = document.createElement("div");
  shadow.append(el);  // the runtime adds the inspector's CSS to the shadow root
  const model = fakeModel({ snapshot, error, _graphviz: "anywidget:runtime" });
  await widget.render({ model, el, host, signal: new AbortController().signal, experimental: {} });
}
document.documentElement.dataset.siExported = String(
  document.querySelectorAll("script.si-export-data").length);
"""


def export_html(
    notebook: str | Path,
    output: str | Path | None = None,
    *,
    execute: bool | None = None,
    timeout: int = 300,
    kernel: str = "python3",
) -> Path:
    """Write ``notebook`` as a self-contained HTML page and return its path.

    ``execute``: run the notebook first (``None``: only when it holds inspector outputs but no
    saved state for them, as a notebook saved without "Save widget state" does).
    """
    import nbformat
    from nbconvert import HTMLExporter

    path = Path(notebook)
    if not path.is_file():
        raise ExportError("no such notebook: %s" % path)
    nb = nbformat.read(path, as_version=4)
    if execute is None:
        saved = inspector_snapshots(nb)
        execute = not saved or any(mid not in saved for _, mid in _inspector_outputs(nb))
    if execute:
        _execute(nb, path, timeout, kernel)
    snapshots = inspector_snapshots(nb)

    nb = copy.deepcopy(nb)
    shown = 0
    for shown_output, model_id in _inspector_outputs(nb):
        data = snapshots.get(model_id)
        if data is None:  # another kind of widget: its text fallback stays
            shown_output["data"].pop(WIDGET_VIEW, None)
            continue
        shown += 1
        shown_output["data"] = {
            "text/html": '<script type="application/json" class="si-export-data">%s</script>'
                         % _script_json(data),
            "text/plain": shown_output["data"].get("text/plain", ""),
        }
    nb.metadata.pop("widgets", None)  # no widget manager: nothing to fetch for it

    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    body = _REMOTE_LINK.sub("", _REMOTE_SCRIPT.sub("", body))
    script = _MOUNT_ALL % {
        "widget": json.dumps(_module_url(WIDGET_JS.read_text(encoding="utf-8"))),
        "runtime": json.dumps(_module_url(GRAPHVIZ_RUNTIME_JS.read_text(encoding="utf-8"))),
    }
    extra = '<script type="module">%s</script>\n' % script
    title = "<!-- Session Inspector export of %s: %d inspector view(s) -->\n" % (
        html.escape(path.name), shown)
    body = body.replace("</body>", title + extra + "</body>", 1)
    out = Path(output) if output is not None else path.with_suffix(".html")
    out.write_text(body, encoding="utf-8")
    return out

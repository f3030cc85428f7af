// tests/js-harness/harness.js: mounts the BUILT bundles (inspector/static) with a fake anywidget
// model and host, the way anywidget >= 0.11 would, and exposes them on window for Playwright.
//   ?host=none       no `host` (older anywidget): the UI must find the runtime on the page
//   ?snapshot=URL    another snapshot fixture
import widget from "/inspector/static/widget.js";

const params = new URLSearchParams(location.search);
const RUNTIME_REF = "IPY_MODEL_runtime0";

/** A fake anywidget model: get/set/on/off/send/save_changes + widget_manager. */
export function fakeModel(state, models = {}) {
  const handlers = {};
  const model = {
    sent: [],
    saved: 0,
    get: (key) => state[key],
    set(key, value) {
      state[key] = value;
      for (const f of [...(handlers[`change:${key}`] || [])]) f();
    },
    on(event, f) {
      (handlers[event] ??= []).push(f);
    },
    off(event, f) {
      if (!event) for (const k of Object.keys(handlers)) delete handlers[k];
      else handlers[event] = (handlers[event] || []).filter((g) => f && g !== f);
    },
    send(msg) {
      model.sent.push(msg);
    },
    save_changes() {
      model.saved += 1;
    },
    /** Python -> JS custom message, as ipywidgets delivers it. */
    receive(msg) {
      for (const f of [...(handlers["msg:custom"] || [])]) f(msg, []);
    },
    listenerCount() {
      return Object.values(handlers).reduce((n, list) => n + list.length, 0);
    },
    widget_manager: {
      get_model: async (id) => {
        if (!(id in models)) throw new Error(`no model ${id}`);
        return models[id];
      },
    },
  };
  return model;
}

async function loadRuntime(runtimeModel) {
  const mod = await import("/inspector/static/graphviz-runtime.js");
  return mod.default.initialize({
    model: runtimeModel,
    signal: new AbortController().signal,
    experimental: {},
  });
}

/**
 * A fake anywidget Host: getWidget resolves the runtime widget's initialize() exports.  Like
 * anywidget 0.11 it only accepts "anywidget:<model id>" references.
 */
function fakeHost(runtimeModel) {
  const host = {
    calls: [],
    async getWidget(ref) {
      host.calls.push(ref);
      if (ref !== "anywidget:runtime0") throw new Error(`[anywidget] Invalid widget reference: ${ref}`);
      const exports = await loadRuntime(runtimeModel);
      return { exports, render: async () => {} };
    },
    async getModel(ref) {
      return runtimeModel;
    },
  };
  return host;
}

const snapshotUrl = params.get("snapshot") || "/tests/fixtures/sample_snapshot.json";
const snapshot = await (await fetch(snapshotUrl)).json();
const runtimeModel = fakeModel({});
const model = fakeModel(
  { snapshot, error: "", _graphviz: RUNTIME_REF },
  { runtime0: runtimeModel },
);
const host = params.get("host") === "none" ? undefined : fakeHost(runtimeModel);
const el = document.getElementById("root");

window.model = model;
window.host = host;
window.fixture = snapshot;
window.remount = async () => {
  const controller = new AbortController();
  const cleanup = await widget.render({ model, el, signal: controller.signal, host, experimental: {} });
  window.cleanup = async () => {
    controller.abort();
    if (typeof cleanup === "function") await cleanup();
  };
};
await window.remount();
if (!host) {
  // an old anywidget front-end runs the runtime model's initialize() on its own, a bit later
  setTimeout(() => void loadRuntime(runtimeModel), 50);
}
window.widgetReady = true;

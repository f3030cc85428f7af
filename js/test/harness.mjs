// js/test/harness.mjs: what the front-end's unit tests share: a happy-dom page, a fake anywidget
// model, the BUILT bundles (inspector/static) with the real Graphviz runtime, and a view mounted
// under a host that hands that runtime over.  Not a test file itself (npm test runs *.test.mjs).
import { Window } from "happy-dom";

export const STATIC = new URL("../../inspector/static/", import.meta.url);
export const FIXTURES = new URL("../../tests/fixtures/", import.meta.url);

export const window = new Window({ url: "http://127.0.0.1/" });
globalThis.document = window.document;
globalThis.DOMParser = window.DOMParser;

// ``models``: given, the model also has a widget_manager that finds those models by id.
export function fakeModel(state, models) {
  const handlers = {};
  const model = {
    sent: [],
    get: (key) => state[key],
    set(key, value) {
      state[key] = value;
      for (const f of [...(handlers[`change:${key}`] ?? [])]) f();
    },
    on: (event, f) => (handlers[event] ??= []).push(f),
    off(event, f) {
      handlers[event] = (handlers[event] ?? []).filter((g) => g !== f);
    },
    send: (msg) => model.sent.push(msg),
    save_changes() {},
    receive: (msg) => (handlers["msg:custom"] ?? []).forEach((f) => f(msg, [])),
    listenerCount: () => Object.values(handlers).reduce((n, l) => n + l.length, 0),
  };
  if (models !== undefined) model.widget_manager = { get_model: async (id) => models[id] };
  return model;
}

export async function until(predicate, what, ms = 10_000) {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const texts = (el, selector) => [...el.querySelectorAll(selector)].map((n) => n.textContent);

// The built widget and an initialised Graphviz runtime: { widget, runtime }.
export async function loadBundle() {
  const widget = (await import(new URL("widget.js", STATIC))).default;
  const runtimeModule = (await import(new URL("graphviz-runtime.js", STATIC))).default;
  const runtime = runtimeModule.initialize({ model: fakeModel({}), signal: new AbortController().signal });
  return { widget, runtime };
}

// One view of ``snapshot`` in a new element of the page: { model, el }.
export async function mountView({ widget, runtime }, snapshot) {
  const model = fakeModel({ snapshot, error: "", _graphviz: "IPY_MODEL_runtime0" });
  const host = {
    getWidget: async () => ({ exports: runtime, render: async () => {} }),
    getModel: async () => fakeModel({}),
  };
  const el = document.createElement("div");
  document.body.append(el);
  await widget.render({ model, el, host, signal: new AbortController().signal });
  await until(() => el.querySelector(".si-root"), "the view");
  return { model, el };
}

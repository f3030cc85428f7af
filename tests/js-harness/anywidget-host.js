// tests/js-harness/anywidget-host.js: a plain page playing anywidget's front-end (what VS Code's
// Jupyter extension, JupyterLab and Notebook 7 all load for an AnyWidget), with no Jupyter at all:
//
// * each model keeps the state the kernel sends over the standard widget protocol: "update"
//   messages set traits, "custom" messages fire "msg:custom"; what the widget sends back
//   (model.send, model.save_changes) waits in an outbox for the test to hand to Python;
// * each model's `_esm` TEXT (as the kernel sent it) is imported from a Blob URL, as anywidget's
//   loadEsm does; `initialize({model, signal, experimental})` runs once per model, then
//   `render({model, el, signal, host, experimental})` once per view, with anywidget's `host`
//   (getModel / getWidget of "anywidget:<id>" references, resolved to a model's initialize()
//   exports);
// * the model a widget gets has ONLY anywidget's documented model interface (get, set, on, off,
//   save_changes, send; no widget_manager): any other property it reads is recorded in
//   `hostPage.stray`, for the test to fail on.
//
// No JupyterLab, no RequireJS, no `--jp-*` CSS variables, no stylesheet: the widget brings its own.
// Driven by tests/browser/test_anywidget_host.py through `window.hostPage`.

const DOCUMENTED = new Set(["get", "set", "on", "off", "save_changes", "send"]);
const PREFIX = "anywidget:";

const stray = [];
const outbox = [];
const invoked = [];
const models = new Map();
const bindings = new Map();
const views = [];
const initContexts = new Map();

/** A model as ipywidgets' WidgetModel behaves for this purpose (Backbone-style events). */
class Model {
  constructor(id, state) {
    this.id = id;
    this.state = { ...state };
    this.handlers = [];
    this.dirty = new Set();
  }
  get(key) {
    return this.state[key];
  }
  set(key, value) {
    this.state[key] = value;
    this.dirty.add(key);
    this.emit(`change:${key}`, this, value);
    this.emit("change", this);
  }
  /** State from the kernel ("update"): no echo back. */
  update(state) {
    Object.assign(this.state, state);
    for (const key of Object.keys(state)) this.emit(`change:${key}`, this, state[key]);
    this.emit("change", this);
  }
  on(name, callback, context) {
    this.handlers.push({ name, callback, context });
  }
  /** Backbone's off: every given (non-null) argument must match. */
  off(name, callback, context) {
    this.handlers = this.handlers.filter(
      (h) =>
        !(
          (name == null || h.name === name) &&
          (callback == null || h.callback === callback) &&
          (context == null || h.context === context)
        ),
    );
  }
  emit(name, ...args) {
    for (const h of this.handlers.filter((x) => x.name === name)) h.callback.apply(h.context, args);
  }
  save_changes() {
    const state = {};
    for (const key of this.dirty) state[key] = this.state[key];
    this.dirty.clear();
    outbox.push({ model: this.id, data: { method: "update", state, buffer_paths: [] } });
  }
  send(content, _callbacks, buffers) {
    if (buffers && buffers.length) throw new Error("this host sends no binary buffers");
    outbox.push({ model: this.id, data: { method: "custom", content } });
  }
  listeners(context) {
    return this.handlers.filter((h) => context === undefined || h.context === context).length;
  }
}

/** What a widget is given: the documented interface only, events tied to ``context``. */
function proxy(model, context) {
  const target = {
    get: (key) => model.get(key),
    set: (key, value) => model.set(key, value),
    save_changes: () => model.save_changes(),
    send: (content, callbacks, buffers) => model.send(content, callbacks, buffers),
    on: (name, callback) => model.on(name, callback, context),
    off: (name, callback) => model.off(name ?? null, callback ?? null, context),
  };
  return new Proxy(target, {
    get(t, prop, receiver) {
      // `then`: awaiting a value probes it; symbols: inspection by the engine
      if (typeof prop === "string" && prop !== "then" && !DOCUMENTED.has(prop)) {
        stray.push(`${model.id}.${prop}`);
      }
      return Reflect.get(t, prop, receiver);
    },
  });
}

const experimental = {
  invoke: async (name) => {
    invoked.push(name);
    throw new Error("experimental.invoke is not offered by this host");
  },
};

/** Import a module from its source text, as anywidget does with an `_esm` string. */
async function importText(text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
  try {
    return await import(url);
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function bind(model) {
  const mod = await importText(model.get("_esm"));
  if (!mod.default) throw new Error(`${model.id}: the module has no default export`);
  const widget = typeof mod.default === "function" ? await mod.default() : mod.default;
  const controller = new AbortController();
  const context = { initialize: model.id };
  initContexts.set(model.id, context);
  const result = await widget.initialize?.({ model: proxy(model, context), signal: controller.signal, experimental });
  return {
    widget,
    context,
    exports: result && typeof result === "object" ? result : undefined,
    cleanup: typeof result === "function" ? result : undefined,
    destroy() {
      controller.abort();
      model.off(null, null, context);
      if (typeof result === "function") result();
    },
  };
}

function parseRef(ref) {
  if (typeof ref !== "string" || !ref.startsWith(PREFIX)) {
    throw new Error(`[anywidget] Invalid widget reference: ${JSON.stringify(ref)}`);
  }
  return ref.slice(PREFIX.length);
}

/** anywidget's Host for one view: other models and widgets by "anywidget:<id>" reference. */
function createHost(signal) {
  const host = {
    calls: [],
    async getModel(ref) {
      host.calls.push(["getModel", ref]);
      const model = models.get(parseRef(ref));
      if (!model) throw new Error(`no model ${ref}`);
      const context = { host: ref };
      signal.addEventListener("abort", () => model.off(null, null, context));
      return proxy(model, context);
    },
    async getWidget(ref) {
      host.calls.push(["getWidget", ref]);
      const id = parseRef(ref);
      const binding = bindings.get(id);
      if (!binding) throw new Error(`[anywidget] No binding found for widget ${id}`);
      const { exports, widget } = await binding;
      return {
        exports,
        async render({ el }) {
          await widget.render?.({ model: proxy(models.get(id), { child: el }), el, signal, host, experimental });
        },
      };
    },
  };
  return host;
}

window.hostPage = {
  stray,
  invoked,
  views,
  /** Open the kernel's models (comm_open, in order) and bind each that has an `_esm`. */
  async boot(opened) {
    for (const { id, state } of opened) models.set(id, new Model(id, state));
    for (const { id } of opened) {
      if (typeof models.get(id).get("_esm") === "string") bindings.set(id, bind(models.get(id)));
    }
    await Promise.all(bindings.values());
  },
  /** Display model ``id`` in a new element (like a cell output); resolves to the view index. */
  async display(id) {
    const model = models.get(id);
    const { widget } = await bindings.get(id);
    const el = document.createElement("div");
    el.className = "output";
    el.dataset.model = id;
    document.getElementById("outputs").append(el);
    const controller = new AbortController();
    const context = { view: views.length };
    const host = createHost(controller.signal);
    const cleanup = await widget.render({ model: proxy(model, context), el, signal: controller.signal, host, experimental });
    views.push({ id, el, controller, context, host, cleanup });
    return views.length - 1;
  },
  /** Remove view ``index`` as anywidget does: abort its signal, drop its listeners, clean up. */
  async removeView(index) {
    const view = views[index];
    view.controller.abort();
    models.get(view.id).off(null, null, view.context);
    if (typeof view.cleanup === "function") await view.cleanup();
    view.el.remove();
  },
  /** Close model ``id`` (comm_close): its initialize() cleanup runs, its listeners go. */
  async closeModel(id) {
    (await bindings.get(id)).destroy();
  },
  /** Messages from the kernel, in order: {model, data: {method: "update" | "custom", ...}}. */
  deliver(messages) {
    for (const { model: id, data } of messages) {
      const model = models.get(id);
      if (!model) continue; // a model this page never opened (e.g. a Layout)
      if (data.method === "update") model.update(data.state);
      else if (data.method === "custom") model.emit("msg:custom", data.content, []);
      else throw new Error(`unknown method ${data.method}`);
    }
  },
  takeOutbox() {
    return outbox.splice(0);
  },
  listeners(id, which) {
    const model = models.get(id);
    if (which === "initialize") return model.listeners(initContexts.get(id) ?? null);
    if (typeof which === "number") return model.listeners(views[which].context);
    return model.listeners();
  },
  jupyterGlobals() {
    const found = ["jupyterapp", "define", "requirejs", "require", "IPython", "Jupyter", "acquireVsCodeApi"].filter(
      (name) => name in window,
    );
    const vars = getComputedStyle(document.documentElement).getPropertyValue("--jp-layout-color0");
    if (vars.trim()) found.push("--jp-layout-color0");
    if (document.querySelector("link[rel=stylesheet]")) found.push("a stylesheet link");
    return found;
  },
};
window.hostReady = true;

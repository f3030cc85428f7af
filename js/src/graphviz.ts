// js/src/graphviz.ts
// Finds the shared Graphviz runtime from a UI view.  The heavy WebAssembly module is the `_esm` of
// one GraphvizRuntime widget per kernel; each inspector references it by "IPY_MODEL_<id>".

import type { AnyModel, Host } from "@anywidget/types";
import {
  type GraphvizRuntimeExports,
  type InspectorState,
  RUNTIME_REGISTRY_KEY,
  type RuntimeRegistry,
} from "./protocol";

// ipywidgets' widget_serialization writes "IPY_MODEL_<id>"; anywidget's host API (and its
// WidgetTrait) speak "anywidget:<id>".  Accept both.
const REF_PREFIXES = ["IPY_MODEL_", "anywidget:"];
const TIMEOUT_MS = 20_000;
const cache = new Map<string, Promise<GraphvizRuntimeExports>>();

function registry(): RuntimeRegistry {
  const g = globalThis as unknown as Record<string, RuntimeRegistry | undefined>;
  return (g[RUNTIME_REGISTRY_KEY] ??= { waiters: [] });
}

function isRuntime(value: unknown): value is GraphvizRuntimeExports {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as GraphvizRuntimeExports).renderSVG === "function"
  );
}

function modelId(ref: string): string | undefined {
  const prefix = REF_PREFIXES.find((p) => ref.startsWith(p));
  return prefix ? ref.slice(prefix.length) : undefined;
}

async function resolve(
  ref: string,
  model: AnyModel<InspectorState>,
  host: Host | undefined,
): Promise<GraphvizRuntimeExports> {
  const id = modelId(ref);
  if (id && host && typeof host.getWidget === "function") {
    try {
      const widget = await host.getWidget<GraphvizRuntimeExports>(`anywidget:${id}`);
      if (isRuntime(widget.exports)) return widget.exports;
    } catch (err) {
      console.warn("[session-inspector] host.getWidget failed, waiting for the runtime", err);
    }
  }
  // Older anywidget front-ends: the runtime's initialize() publishes itself on the page.
  const reg = registry();
  if (reg.exports) return reg.exports;
  if (id && model.widget_manager) {
    void model.widget_manager.get_model(id).catch(() => undefined);
  }
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error("the Graphviz runtime widget did not load")),
      TIMEOUT_MS,
    );
    reg.waiters.push((exports) => {
      clearTimeout(timer);
      done(exports);
    });
  });
}

/** The runtime for this model; one lookup per runtime reference and page. */
export function graphvizRuntime(
  model: AnyModel<InspectorState>,
  host: Host | undefined,
): Promise<GraphvizRuntimeExports> {
  const ref = model.get("_graphviz");
  if (typeof ref !== "string" || !ref) {
    return Promise.reject(new Error("no Graphviz runtime attached to this widget"));
  }
  let found = cache.get(ref);
  if (!found) {
    found = resolve(ref, model, host);
    cache.set(ref, found);
    found.catch(() => cache.delete(ref));
  }
  return found;
}

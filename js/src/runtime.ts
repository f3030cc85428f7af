// js/src/runtime.ts
// The Graphviz runtime: the `_esm` of the one GraphvizRuntime widget per kernel.  It carries the
// WebAssembly Graphviz (~0.8 MB, embedded), so that every SessionInspectorWidget's own `_esm`
// stays small and the heavy code is stored once per saved notebook.

import type { InitializeProps, RenderProps } from "@anywidget/types";
import { Graphviz } from "@hpcc-js/wasm-graphviz";
import {
  type GraphvizRuntimeExports,
  RUNTIME_REGISTRY_KEY,
  type RuntimeRegistry,
} from "./protocol";

let loading: Promise<Graphviz> | undefined;

/** One WebAssembly instance per page, loaded on first use (never inside `initialize`). */
function graphviz(): Promise<Graphviz> {
  loading ??= Graphviz.load().catch((err: unknown) => {
    loading = undefined; // let a later call retry
    throw err;
  });
  return loading;
}

export const runtimeExports: GraphvizRuntimeExports = {
  async renderSVG(dot: string): Promise<string> {
    const gv = await graphviz();
    const svg = gv.dot(dot);
    if (!svg) throw new Error("Graphviz produced no output");
    return svg;
  },
  async version(): Promise<string> {
    return (await graphviz()).version();
  },
};

function publish(): void {
  const g = globalThis as unknown as Record<string, RuntimeRegistry | undefined>;
  const registry = (g[RUNTIME_REGISTRY_KEY] ??= { waiters: [] });
  registry.exports = runtimeExports;
  for (const resolve of registry.waiters.splice(0)) resolve(runtimeExports);
}

function initialize(_props: InitializeProps): GraphvizRuntimeExports {
  publish();
  return runtimeExports; // anywidget >= 0.11: reachable through host.getWidget(ref).exports
}

function render({ el }: RenderProps): void {
  const note = document.createElement("span");
  note.className = "si-runtime-note";
  note.textContent = "Graphviz runtime for Session Inspector (shared by all inspector widgets)";
  el.replaceChildren(note);
}

export default { initialize, render };

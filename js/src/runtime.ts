// js/src/runtime.ts
// The runtime: the `_esm` of the one GraphvizRuntime widget per kernel.  It carries the
// WebAssembly Graphviz (~0.8 MB, embedded) and the inspector's whole UI and CSS, so that every
// SessionInspectorWidget's own `_esm` is a small loader and the code is stored once per saved
// notebook, however many inspectors it shows.

import type { InitializeProps, RenderProps } from "@anywidget/types";
import { Graphviz } from "@hpcc-js/wasm-graphviz";
import {
  type GraphvizRuntimeExports,
  type InspectorState,
  RUNTIME_REGISTRY_KEY,
  type RuntimeRegistry,
} from "./protocol";
import { mountInspector } from "./view";
import css from "./widget.css";

const STYLE_ID = "si-inspector-style";

/** The inspector's CSS, once per document or shadow root the views are drawn in. */
function style(el: HTMLElement): void {
  const root = el.getRootNode() as Document | ShadowRoot;
  const holder: ParentNode | null = "head" in root ? root.head : root;
  if (!holder || holder.querySelector(`style#${STYLE_ID}`)) return;
  const tag = document.createElement("style");
  tag.id = STYLE_ID;
  tag.textContent = css;
  holder.append(tag);
}

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
  renderInspector({ model, el }: Pick<RenderProps<InspectorState>, "model" | "el">): () => void {
    style(el);
    return mountInspector({ model, el }, runtimeExports.renderSVG);
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

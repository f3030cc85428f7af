// js/src/widget.ts
// Each SessionInspectorWidget's own `_esm`: a small loader.  The UI, its CSS and Graphviz live
// once per kernel in the shared runtime widget (runtime.ts); this finds it (graphviz.ts: through
// anywidget's host, or the page registry of older front-ends) and asks it to draw the view.
// Until then a one-line summary of the snapshot shows; if it never comes, the reason does.

import type { RenderProps } from "@anywidget/types";
import { graphvizRuntime } from "./graphviz";
import { followPatches, type PatchableModel } from "./patch";
import type { InspectorState } from "./protocol";

function summary(model: RenderProps<InspectorState>["model"]): string {
  const snap = model.get("snapshot") ?? {};
  const objects = Array.isArray(snap.objects) ? snap.objects.length : 0;
  const flush = snap.flush ? `flush ${snap.flush.status}` : "no flush planned";
  return `${snap.session ?? "Session"}: ${objects} object${objects === 1 ? "" : "s"}, ${flush}. Loading the inspector…`;
}

function render({ model, el, host }: RenderProps<InspectorState>): () => void {
  const note = document.createElement("div");
  note.className = "si-loading";
  note.textContent = summary(model);
  el.replaceChildren(note);
  let cleanup: (() => void) | undefined;
  let gone = false;
  // not awaited: the runtime may only arrive after this returns (older front-ends run its
  // initialize() on their own schedule)
  graphvizRuntime(model, host).then(
    (runtime) => {
      if (!gone) cleanup = runtime.renderInspector({ model, el });
    },
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      note.className = "si-loading si-error";
      note.textContent = `Session Inspector could not load its runtime: ${message}`;
    },
  );
  return () => {
    gone = true;
    cleanup?.();
    el.replaceChildren();
  };
}

/** Once per model: follow the kernel's snapshot patches (also with no view displayed yet). */
function initialize({ model }: { model: unknown }): () => void {
  return followPatches(model as PatchableModel);
}

export default { initialize, render };

// js/src/parts.ts
// Small pieces every view of the inspector draws with.

import { type Child, h, token } from "./dom";
import type { AttributeView } from "./protocol";

export function list<T>(value: T[] | null | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function badge(kind: string, text: string): HTMLElement {
  return h("span", { className: `si-badge si-${kind}-${token(text)}` }, text);
}

export function section(name: string, title: string, ...children: Child[]): HTMLElement {
  return h("section", { className: `si-section si-section-${name}` }, h("h4", null, title), ...children);
}

export function empty(text: string): HTMLElement {
  return h("div", { className: "si-empty" }, text);
}

/** "name: old → new" for a changed attribute, from its history. */
export function describeChange(attr: AttributeView): string {
  const added = list(attr.added);
  const deleted = list(attr.deleted);
  if (attr.kind === "relationship") {
    const parts = [...added.map((v) => `+${v}`), ...deleted.map((v) => `−${v}`)];
    return `${attr.name}: ${parts.length ? parts.join(", ") : attr.value}`;
  }
  const before = deleted.length ? deleted.join(", ") : "∅";
  const after = added.length ? added.join(", ") : attr.value;
  return `${attr.name}: ${before} → ${after}`;
}

// js/src/dom.ts
// Tiny DOM builder.  Data only ever becomes text nodes (textContent) or attribute values set with
// setAttribute; nothing here parses HTML.

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  className?: string;
  title?: string;
  [attribute: string]: string | number | boolean | undefined;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === false) continue;
      if (key === "className") el.className = String(value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(visible(String(child))));
  }
}

// controls and invisible format characters (bidi overrides, zero-width marks, NUL): shown as
// escapes, like the Python side does (inspector/trace/text.py), so data cannot reorder or hide
// the text around it
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** ``text`` with control and invisible format characters written as ``\uXXXX`` escapes. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A CSS-class-safe token from data: known-looking words pass, anything else becomes "other". */
export function token(value: unknown): string {
  const text = String(value ?? "");
  return /^[a-z][a-z0-9_-]{0,31}$/.test(text) ? text : "other";
}

// js/src/whole.ts
// Values the snapshot carries cut short (they end in "…") get a "⋯" button that asks Python for
// the whole text: {type: "full", ref} out, {type: "full", ref, text | error} back
// (docs/contracts.md).  The answer is kept per view and shown in place after every re-render.
// Nothing here parses HTML: whole texts become text nodes like every other value.

import { type Child, h } from "./dom";

export const ELLIPSIS = "…";
/** how long a request waits for Python (no kernel, e.g. an exported page) */
const WAIT_MS = 5_000;

export interface FullMessage {
  type: "full";
  ref: string;
  text?: string;
  error?: string;
}

/** ``text`` as a value cell: cut values get a button asking for the whole text of ``ref``. */
export function value(text: string | null | undefined, ref: string | null): Child {
  const shown = String(text ?? "");
  if (!ref || !shown.endsWith(ELLIPSIS)) return shown;
  return h(
    "span",
    { className: "si-value", "data-ref": ref },
    shown,
    h("button", { className: "si-more", type: "button", title: "Show the whole value", "data-ref": ref }, "⋯"),
  );
}

export class WholeValues {
  /** ref -> the whole text (or why it is unavailable) */
  private readonly texts = new Map<string, { text: string; error: boolean }>();
  private readonly waiting = new Map<string, ReturnType<typeof setTimeout>>();
  /** a shown cell's cut form, to put back on "less": a view may keep rows it does not rebuild
   * (the virtualised identity map reuses unchanged rows), so a re-render alone cannot fold it */
  private readonly cut = new WeakMap<HTMLElement, Node[]>();

  constructor(
    private readonly send: (msg: FullMessage) => void,
    private readonly redraw: () => void,
  ) {}

  /** A click on a "⋯" (ask) or "less" (fold back) button. */
  toggle(ref: string): void {
    if (this.texts.delete(ref)) return this.redraw();
    if (this.waiting.has(ref)) return;
    this.waiting.set(
      ref,
      setTimeout(() => {
        this.waiting.delete(ref);
        this.texts.set(ref, { text: "the whole value is unavailable here (no running kernel)", error: true });
        this.redraw();
      }, WAIT_MS),
    );
    this.send({ type: "full", ref });
    this.redraw();
  }

  /** Python's answer; true when the message was one. */
  onMessage(msg: unknown): boolean {
    if (!msg || typeof msg !== "object" || (msg as FullMessage).type !== "full") return false;
    const { ref, text, error } = msg as FullMessage;
    const key = String(ref);
    const timer = this.waiting.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.waiting.delete(key);
    this.texts.set(key, typeof text === "string" ? { text, error: false } : { text: String(error ?? "unavailable"), error: true });
    this.redraw();
    return true;
  }

  /** Show the whole texts known in ``root`` (call after every render). */
  apply(root: HTMLElement): void {
    for (const el of Array.from(root.querySelectorAll<HTMLElement>("span.si-value[data-ref]"))) {
      const ref = el.dataset.ref ?? "";
      const known = this.texts.get(ref);
      const folded = this.cut.get(el);
      if (known) {
        if (!folded) this.cut.set(el, Array.from(el.childNodes));
        el.replaceChildren(
          h("span", { className: known.error ? "si-whole si-whole-error" : "si-whole" }, known.text),
          h("button", { className: "si-more si-less", type: "button", title: "Fold it again", "data-ref": ref }, "less"),
        );
        continue;
      }
      if (folded) {
        el.replaceChildren(...folded);
        this.cut.delete(el);
      }
      const more = el.querySelector("button.si-more");
      if (this.waiting.has(ref)) more?.setAttribute("disabled", "");
      else more?.removeAttribute("disabled");
    }
  }

  dispose(): void {
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
  }
}

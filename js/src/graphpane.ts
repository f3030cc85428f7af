// js/src/graphpane.ts
// The plan graph's frame: zoom (buttons, Ctrl + wheel), pan (drag, scrollbars), fit, save the
// SVG and copy the DOT.  The SVG itself is drawn by the Graphviz runtime (widget.ts); the pane
// keeps its zoom across the redraw every step brings.

import { h } from "./dom";

const STEP = 1.25;
const MIN_ZOOM = 0.1;
const MAX_ZOOM = 8;

export class GraphPane {
  /** the scrolling frame the SVG is drawn into */
  readonly frame = h("div", { className: "si-graph" });
  readonly tools: HTMLElement;
  /** null: fit the frame's width */
  private zoom: number | null = null;
  private dot = "";
  private readonly note = h("span", { className: "si-graph-note", role: "status" });
  private drag: { x: number; y: number; left: number; top: number } | null = null;

  constructor() {
    const button = (cls: string, label: string, title: string, act: () => void): HTMLButtonElement => {
      const b = h("button", { className: `si-button si-graph-${cls}`, type: "button", title }, label);
      b.addEventListener("click", act);
      return b;
    };
    this.tools = h(
      "div",
      { className: "si-graph-tools" },
      button("out", "−", "Zoom out (Ctrl + wheel)", () => this.zoomBy(1 / STEP)),
      button("in", "+", "Zoom in (Ctrl + wheel)", () => this.zoomBy(STEP)),
      button("fit", "Fit", "Fit the width", () => this.setZoom(null)),
      button("svg", "SVG", "Save the plan graph as an SVG file", () => this.saveSvg()),
      button("dot", "DOT", "Copy the plan's DOT text", () => void this.copyDot()),
      this.note,
    );
    this.frame.addEventListener("wheel", (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      this.zoomBy(e.deltaY < 0 ? STEP : 1 / STEP);
    });
    this.frame.addEventListener("mousedown", (e) => {
      if (e.button !== 0 || (e.target as Element).closest?.("g.node")) return; // nodes are clickable
      this.drag = { x: e.clientX, y: e.clientY, left: this.frame.scrollLeft, top: this.frame.scrollTop };
      this.frame.classList.add("si-dragging");
    });
    this.frame.addEventListener("mousemove", (e) => {
      if (!this.drag) return;
      this.frame.scrollLeft = this.drag.left - (e.clientX - this.drag.x);
      this.frame.scrollTop = this.drag.top - (e.clientY - this.drag.y);
    });
    const stop = (): void => {
      this.drag = null;
      this.frame.classList.remove("si-dragging");
    };
    this.frame.addEventListener("mouseup", stop);
    this.frame.addEventListener("mouseleave", stop);
  }

  /** Show a freshly drawn SVG for ``dot`` at the current zoom. */
  show(svg: SVGSVGElement, dot: string): void {
    this.dot = dot;
    this.frame.replaceChildren(svg);
    this.apply();
  }

  clear(): void {
    this.dot = "";
    this.frame.replaceChildren();
  }

  get currentZoom(): number | null {
    return this.zoom;
  }

  setZoom(zoom: number | null): void {
    this.zoom = zoom === null ? null : Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    this.apply();
  }

  private zoomBy(factor: number): void {
    const svg = this.svg();
    if (!svg) return;
    // from fit, start at the scale fitting shows
    const natural = naturalWidth(svg);
    const shown = svg.getBoundingClientRect().width;
    const base = this.zoom ?? (natural > 0 && shown > 0 ? shown / natural : 1);
    this.setZoom(base * factor);
  }

  private svg(): SVGSVGElement | null {
    return this.frame.querySelector("svg");
  }

  private apply(): void {
    const svg = this.svg();
    this.frame.classList.toggle("si-zoomed", this.zoom !== null);
    this.note.textContent = this.zoom === null ? "" : `${Math.round(this.zoom * 100)}%`;
    if (!svg) return;
    if (this.zoom === null) {
      svg.style.removeProperty("width");
      svg.style.removeProperty("max-width");
    } else {
      svg.style.width = `${naturalWidth(svg) * this.zoom}px`;
      svg.style.maxWidth = "none";
    }
  }

  private saveSvg(): void {
    const svg = this.svg();
    if (!svg) return this.say("No graph to save");
    const text = new XMLSerializer().serializeToString(svg);
    const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    const a = h("a", { href: url, download: "flush-plan.svg" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.say("SVG saved");
  }

  private async copyDot(): Promise<void> {
    if (!this.dot) return this.say("No plan to copy");
    try {
      await navigator.clipboard.writeText(this.dot);
      this.say("DOT copied");
    } catch {
      // no clipboard permission (an iframe, http): show the text to copy by hand
      const area = h("textarea", { className: "si-dot-text", readonly: true, rows: "8" }, this.dot);
      this.frame.prepend(area);
      area.select();
      this.say("Select and copy the DOT text above the graph");
    }
  }

  private say(text: string): void {
    this.note.textContent = text;
  }
}

/** The SVG's own width in CSS pixels (Graphviz writes points). */
function naturalWidth(svg: SVGSVGElement): number {
  const raw = svg.getAttribute("width") ?? "";
  const value = Number.parseFloat(raw);
  if (!Number.isFinite(value)) return svg.viewBox?.baseVal?.width ?? 0;
  return raw.endsWith("pt") ? (value * 4) / 3 : value;
}

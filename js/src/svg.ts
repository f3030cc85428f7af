// js/src/svg.ts
// Turns Graphviz's SVG text into an element without innerHTML: parsed as XML, then stripped of
// anything active (scripts, foreign HTML, event handlers, links that leave the document).

const FORBIDDEN = new Set(["script", "foreignobject", "iframe", "object", "embed", "style"]);

export function svgElement(text: string): SVGSVGElement {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = parsed.documentElement;
  if (root.localName !== "svg" || parsed.getElementsByTagName("parsererror").length > 0) {
    throw new Error("Graphviz output is not SVG");
  }
  sanitize(root);
  return document.importNode(root, true) as unknown as SVGSVGElement;
}

function sanitize(root: Element): void {
  for (const el of [root, ...Array.from(root.querySelectorAll("*"))]) {
    if (FORBIDDEN.has(el.localName.toLowerCase())) {
      el.remove();
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      const isLink = name === "href" || name.endsWith(":href");
      if (name.startsWith("on") || (isLink && !attr.value.startsWith("#"))) {
        el.removeAttribute(attr.name);
      }
    }
  }
}

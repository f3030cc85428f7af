// js/src/identity.ts
// The identity map view: one row per object the session holds (and, apart, the ones that left
// it), with search, a status / mark filter and sortable columns over *all* objects.  Rows are
// virtualised: each table is a scroll box that draws only the rows in sight (plus a few), with
// spacers standing for the rest, so 10,000 objects cost a few dozen DOM rows.  Row heights are
// measured once drawn (an opened attribute list makes a row taller) and estimated before.
// The section and its tables are kept across snapshots: the search, the scroll position and
// opened rows survive every push, and a row whose object did not change is not redrawn.

import { h, token } from "./dom";
import { badge, describeChange, empty, list, plural } from "./parts";
import type { ObjectView, SessionSnapshot } from "./protocol";
import { value } from "./whole";

/** estimated height of a row not drawn yet, in px */
export const ROW_ESTIMATE = 30;
/** height of a table's scroll box before it is laid out (its CSS max-height) */
export const VIEWPORT = 420;
/** rows drawn beyond each edge of the visible ones */
export const OVERSCAN = 6;

type SortKey = "order" | "class" | "identity" | "status";
type Flags = Array<[string, Set<string>]>;

const COLUMNS: ReadonlyArray<[string, SortKey | null]> = [
  ["Class", "class"],
  ["Identity", "identity"],
  ["Status", "status"],
  ["Changes", null],
  ["Marks", null],
];
const SHOW = ["all", "new", "dirty", "deleted", "changed", "expired"] as const;
type Show = (typeof SHOW)[number];
const STATUS_ORDER = ["transient", "pending", "persistent", "deleted", "detached"];

/** what the search looks through, per object (objects are immutable: a change is a new one) */
const searchText = new WeakMap<ObjectView, string>();

function textOf(obj: ObjectView): string {
  let text = searchText.get(obj);
  if (text === undefined) {
    text = [obj.cls, obj.label, obj.identity ?? "", obj.status, ...list(obj.attributes).map((a) => `${a.name} ${a.value}`)]
      .join(" ")
      .toLowerCase();
    searchText.set(obj, text);
  }
  return text;
}

/** A table of objects drawing only the rows in sight of its scroll box. */
class VirtualTable {
  readonly scroller: HTMLDivElement;
  private readonly body = h("tbody");
  private readonly head = h("tr");
  private readonly top = h("tr", { className: "si-spacer", "aria-hidden": "true" }, h("td", { colspan: "5" }));
  private readonly bottom = h("tr", { className: "si-spacer", "aria-hidden": "true" }, h("td", { colspan: "5" }));
  private items: ObjectView[] = [];
  private flags: Flags = [];
  private offsets = new Float64Array(1);
  /** measured heights of drawn rows, per object (a changed object is measured again) */
  private readonly heights = new WeakMap<ObjectView, number>();
  /** the rows on screen, by object id, with what they were drawn from */
  private drawn = new Map<string, { obj: ObjectView; marks: string; tr: HTMLTableRowElement }>();
  private scrollTop = 0;
  private viewport = VIEWPORT;
  private frame = 0;
  private range: [number, number] = [0, 0];

  constructor(
    private readonly owner: IdentityMapView,
    name: string,
  ) {
    this.scroller = h(
      "div",
      { className: `si-rows si-rows-${name}`, tabIndex: "0" },
      h(
        "table",
        { className: "si-objects" },
        h("colgroup", null, ...["class", "identity", "status", "changes", "marks"].map((c) => h("col", { className: `si-col-${c}` }))),
        h("thead", null, this.head),
        this.body,
      ),
    ) as HTMLDivElement;
    this.scroller.addEventListener("scroll", () => {
      this.scrollTop = this.scroller.scrollTop;
      this.schedule();
    });
    // an attribute list opened or closed changes the row's height
    this.scroller.addEventListener("toggle", () => this.schedule(), true);
  }

  /** Show ``items`` (already filtered and sorted). */
  update(items: ObjectView[], flags: Flags): void {
    this.items = items;
    this.flags = flags;
    this.head.replaceChildren(...this.owner.headCells());
    this.layout();
    this.draw();
  }

  /** Scroll so the row of ``id`` is in sight; false when it is not in this table. */
  reveal(id: string): boolean {
    const index = this.items.findIndex((o) => o.id === id);
    if (index < 0) return false;
    this.scrollTop = Math.max(0, (this.offsets[index] ?? 0) - this.viewport / 3);
    this.scroller.scrollTop = this.scrollTop;
    this.draw();
    return true;
  }

  /** After the section was put (back) on the page: restore the scroll position, measure. */
  attached(): void {
    if (!this.scroller.isConnected) return;
    if (this.scroller.scrollTop !== this.scrollTop) this.scroller.scrollTop = this.scrollTop;
    this.draw();
  }

  private schedule(): void {
    if (this.frame) return;
    const run = (): void => {
      this.frame = 0;
      // off the page (view disposed, or re-rendered meanwhile): attached() redraws it when back
      if (this.scroller.isConnected) this.draw();
    };
    this.frame =
      typeof requestAnimationFrame === "function" ? requestAnimationFrame(run) : (setTimeout(run, 16) as unknown as number);
  }

  private height(obj: ObjectView): number {
    return this.heights.get(obj) ?? ROW_ESTIMATE;
  }

  private layout(): void {
    const n = this.items.length;
    const offsets = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + this.height(this.items[i]!);
    this.offsets = offsets;
  }

  /** first index whose row ends below ``y`` */
  private indexAt(y: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid + 1]! <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private draw(pass = 0): void {
    const n = this.items.length;
    if (this.scroller.isConnected && this.scroller.clientHeight > 0) {
      this.viewport = this.scroller.clientHeight;
      this.scrollTop = this.scroller.scrollTop;
    }
    const total = this.offsets[n] ?? 0;
    const top = Math.min(this.scrollTop, Math.max(0, total - this.viewport));
    const start = Math.max(0, this.indexAt(top) - OVERSCAN);
    const end = Math.min(n, this.indexAt(top + this.viewport) + 1 + OVERSCAN);
    const rows: HTMLTableRowElement[] = [];
    const drawn = new Map<string, { obj: ObjectView; marks: string; tr: HTMLTableRowElement }>();
    for (let i = start; i < end; i++) {
      const obj = this.items[i]!;
      const marks = this.flags
        .filter(([, ids]) => ids.has(obj.id))
        .map(([name]) => name)
        .join(" ");
      const old = this.drawn.get(obj.id);
      // a row is redrawn only when its object or its marks changed
      const tr = old && old.obj === obj && old.marks === marks ? old.tr : this.owner.row(obj, marks);
      drawn.set(obj.id, { obj, marks, tr });
      rows.push(tr);
    }
    this.drawn = drawn;
    (this.top.firstChild as HTMLElement).style.height = `${this.offsets[start] ?? 0}px`;
    (this.bottom.firstChild as HTMLElement).style.height = `${total - (this.offsets[end] ?? total)}px`;
    this.top.hidden = start === 0;
    this.bottom.hidden = end === n;
    const same =
      this.range[0] === start &&
      this.range[1] === end &&
      rows.length === this.body.childElementCount - 2 &&
      rows.every((tr, i) => this.body.children[i + 1] === tr);
    if (!same) this.body.replaceChildren(this.top, ...rows, this.bottom);
    this.range = [start, end];
    if (!this.scroller.isConnected || pass > 1) return;
    // measure what was drawn; if estimates were off, lay out again and redraw once
    let changed = false;
    for (const { obj, tr } of drawn.values()) {
      const measured = tr.offsetHeight;
      if (measured > 0 && measured !== this.heights.get(obj)) {
        this.heights.set(obj, measured);
        changed = true;
      }
    }
    if (changed) {
      this.layout();
      this.draw(pass + 1);
    }
  }
}

export class IdentityMapView {
  private query = "";
  private show: Show = "all";
  private sortKey: SortKey = "order";
  private descending = false;
  /** objects whose attribute list the reader opened */
  private readonly openAttributes = new Set<string>();
  private readonly search = h("input", {
    className: "si-search",
    type: "search",
    placeholder: "Search class, identity, status, value…",
    "aria-label": "Search the identity map",
  });
  private readonly filter = h(
    "select",
    { className: "si-filter", "aria-label": "Show only" },
    ...SHOW.map((v) => h("option", { value: v }, v === "all" ? "all objects" : v)),
  );
  private readonly count = h("span", { className: "si-count" });
  private readonly tools = h("div", { className: "si-identity-tools" }, this.search, this.filter, this.count);
  private readonly held = new VirtualTable(this, "held");
  private readonly left = new VirtualTable(this, "left");
  private readonly leftSummary = h("summary");
  private readonly leftBox = h("details", { className: "si-left" }, this.leftSummary, this.left.scroller);
  private readonly emptyLine = empty("");
  private readonly element = h(
    "section",
    { className: "si-section si-section-identity" },
    h("h4", null, "Identity map"),
    this.tools,
    this.emptyLine,
    this.held.scroller,
    this.leftBox,
  );
  /** the last input, to skip filtering and sorting again when only other views changed */
  private last: { objects: unknown; new: unknown; dirty: unknown; deleted: unknown; key: string } | null = null;

  constructor(private readonly changed: () => void) {
    this.search.addEventListener("input", () => {
      this.query = this.search.value.trim().toLowerCase();
      this.changed();
    });
    this.filter.addEventListener("change", () => {
      this.show = this.filter.value as Show;
      this.changed();
    });
    this.leftBox.addEventListener("toggle", () => this.left.attached());
  }

  /** The identity map section (the same element every time), updated to ``snap``. */
  render(snap: Partial<SessionSnapshot>): HTMLElement {
    const key = `${this.query}\u0000${this.show}\u0000${this.sortKey}\u0000${this.descending}`;
    const last = this.last;
    if (
      last === null ||
      last.objects !== snap.objects ||
      last.new !== snap.new ||
      last.dirty !== snap.dirty ||
      last.deleted !== snap.deleted ||
      last.key !== key
    ) {
      this.update(snap);
      this.last = { objects: snap.objects, new: snap.new, dirty: snap.dirty, deleted: snap.deleted, key };
    }
    // rows are kept across renders: the caller marks the selected one again
    for (const row of this.element.querySelectorAll(".si-selected")) row.classList.remove("si-selected");
    // the caller puts the section (back) on the page right after this returns
    queueMicrotask(() => {
      this.held.attached();
      if (this.leftBox.open) this.left.attached();
    });
    return this.element;
  }

  /** Scroll the row of object ``id`` into sight (clearing a search or filter that hides it). */
  reveal(id: string): void {
    if (this.held.reveal(id)) return;
    if (this.left.reveal(id)) {
      this.leftBox.open = true;
      return;
    }
    if (this.query || this.show !== "all") {
      this.query = "";
      this.search.value = "";
      this.show = "all";
      this.filter.value = "all";
      this.changed();
      if (!this.held.reveal(id) && this.left.reveal(id)) this.leftBox.open = true;
    }
  }

  private update(snap: Partial<SessionSnapshot>): void {
    const all = list(snap.objects);
    const flags: Flags = [
      ["new", new Set(list(snap.new))],
      ["dirty", new Set(list(snap.dirty))],
      ["deleted", new Set(list(snap.deleted))],
    ];
    const matching = this.sorted(all.filter((o) => this.matches(o, flags)));
    // objects that left the session (transient again, expunged, detached) are listed apart
    const held = matching.filter((o) => o.in_session !== false);
    const left = matching.filter((o) => o.in_session === false);
    let heldTotal = 0;
    for (const o of all) if (o.in_session !== false) heldTotal++;
    const filtering = this.query !== "" || this.show !== "all";
    this.tools.hidden = all.length === 0;
    this.count.hidden = !filtering;
    this.count.textContent = filtering ? `${held.length} of ${heldTotal} shown` : "";
    this.emptyLine.hidden = held.length > 0;
    this.emptyLine.textContent = held.length
      ? ""
      : heldTotal
        ? "No object matches the search"
        : "No objects in the session";
    this.held.scroller.hidden = held.length === 0;
    this.held.update(held, flags);
    this.leftBox.hidden = left.length === 0;
    this.leftSummary.textContent = left.length ? `Left the session (${left.length})` : "";
    this.left.update(left, flags);
  }

  private matches(obj: ObjectView, flags: Flags): boolean {
    if (this.show !== "all") {
      const mark = flags.find(([name]) => name === this.show);
      if (mark && !mark[1].has(obj.id)) return false;
      if (this.show === "changed" && !list(obj.attributes).some((a) => a.changed)) return false;
      if (this.show === "expired" && list(obj.expired).length === 0) return false;
    }
    return !this.query || textOf(obj).includes(this.query);
  }

  private sorted(objects: ObjectView[]): ObjectView[] {
    if (this.sortKey === "order") return objects;
    const key = (o: ObjectView): string | number =>
      this.sortKey === "class"
        ? o.cls
        : this.sortKey === "status"
          ? STATUS_ORDER.indexOf(o.status)
          : (o.identity ?? "");
    const sign = this.descending ? -1 : 1;
    // stable: equal keys keep the session's order
    return objects
      .map((o, i) => [key(o), i, o] as const)
      .sort(([x, i], [y, j]) => (x < y ? -1 : x > y ? 1 : i - j) * (x === y ? 1 : sign))
      .map(([, , o]) => o);
  }

  /** The header cells (sortable ones click to sort). */
  headCells(): HTMLElement[] {
    return COLUMNS.map(([title, key]) => {
      if (!key) return h("th", null, title);
      const active = this.sortKey === key;
      const th = h(
        "th",
        {
          className: `si-sortable${active ? " si-sorted" : ""}`,
          title: `Sort by ${title.toLowerCase()}`,
          "aria-sort": active ? (this.descending ? "descending" : "ascending") : "none",
        },
        title + (active ? (this.descending ? " ▼" : " ▲") : ""),
      );
      th.addEventListener("click", () => this.sortBy(key));
      return th;
    });
  }

  private sortBy(key: SortKey): void {
    if (this.sortKey === key) {
      if (this.descending) {
        this.sortKey = "order"; // third click: back to the session's order
        this.descending = false;
      } else this.descending = true;
    } else {
      this.sortKey = key;
      this.descending = false;
    }
    this.changed();
  }

  /** One object's row; ``marks``: its session sets, space-separated. */
  row(obj: ObjectView, marks: string): HTMLTableRowElement {
    const attributes = list(obj.attributes);
    const changed = attributes.filter((a) => a.changed);
    const attrs = attributes.length
      ? h(
          "details",
          { className: "si-attributes", open: this.openAttributes.has(obj.id) },
          h("summary", null, plural(attributes.length, "attribute")),
          h(
            "dl",
            null,
            ...attributes.flatMap((a) => [
              h("dt", { className: a.changed ? "si-changed" : undefined }, a.name),
              h("dd", null, value(a.value, `attr:${obj.id}:${a.name}`)),
            ]),
          ),
        )
      : null;
    attrs?.addEventListener("toggle", () => {
      if ((attrs as HTMLDetailsElement).open) this.openAttributes.add(obj.id);
      else this.openAttributes.delete(obj.id);
    });
    const changes = h(
      "td",
      { className: "si-changes" },
      ...changed.map((a) => h("div", { className: "si-change" }, describeChange(a))),
      list(obj.expired).length
        ? h("div", { className: "si-expired" }, `expired: ${list(obj.expired).join(", ")}`)
        : null,
      attrs,
    );
    const marked = marks ? marks.split(" ") : [];
    const flagCell = h(
      "td",
      { className: "si-marks" },
      ...marked.map((name) => h("span", { className: `si-flag si-flag-${name}` }, name)),
      // modified but in none of new/dirty/deleted: e.g. a change that nets out to nothing
      obj.modified && marked.length === 0
        ? h("span", { className: "si-flag si-flag-modified" }, "modified")
        : null,
    );
    return h(
      "tr",
      {
        className: `si-object si-row-${token(obj.status)}`,
        "data-id": obj.id,
        title: "Click: every step and statement this object took part in",
      },
      h("td", { className: "si-class", title: obj.label }, obj.cls),
      h("td", { className: "si-identity" }, obj.identity ?? "—"),
      h("td", null, badge("status", obj.status)),
      changes,
      flagCell,
    ) as HTMLTableRowElement;
  }
}

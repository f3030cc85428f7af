// js/src/identity.ts
// The identity map view: one row per object the session holds (and, apart, the ones that left
// it), with search, a status / mark filter and sortable columns.  Its controls and what the
// reader opened survive the re-render every snapshot brings; long tables show the first
// ROW_CAP matching rows and say how many more there are.

import { h, token } from "./dom";
import { badge, describeChange, empty, list, plural, section } from "./parts";
import type { ObjectView, SessionSnapshot } from "./protocol";
import { value } from "./whole";

/** rows drawn per table; the rest are counted (refine the search to reach them) */
export const ROW_CAP = 300;

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

export class IdentityMapView {
  private query = "";
  private show: Show = "all";
  private sortKey: SortKey = "order";
  private descending = false;
  private leftOpen = false;
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

  constructor(private readonly changed: () => void) {
    this.search.addEventListener("input", () => {
      this.query = this.search.value.trim().toLowerCase();
      this.changed();
    });
    this.filter.addEventListener("change", () => {
      this.show = this.filter.value as Show;
      this.changed();
    });
  }

  render(snap: Partial<SessionSnapshot>): HTMLElement {
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
    const heldTotal = all.filter((o) => o.in_session !== false).length;
    const filtering = this.query !== "" || this.show !== "all";
    const tools =
      all.length > 0
        ? h(
            "div",
            { className: "si-identity-tools" },
            this.search,
            this.filter,
            filtering ? h("span", { className: "si-count" }, `${held.length} of ${heldTotal} shown`) : null,
          )
        : null;
    const details = left.length
      ? h(
          "details",
          { className: "si-left", open: this.leftOpen },
          h("summary", null, `Left the session (${left.length})`),
          this.table(left, flags),
        )
      : null;
    details?.addEventListener("toggle", () => {
      this.leftOpen = (details as HTMLDetailsElement).open;
    });
    return section(
      "identity",
      "Identity map",
      tools,
      held.length
        ? this.table(held, flags)
        : empty(heldTotal ? "No object matches the search" : "No objects in the session"),
      details,
    );
  }

  private matches(obj: ObjectView, flags: Flags): boolean {
    if (this.show !== "all") {
      const mark = flags.find(([name]) => name === this.show);
      if (mark && !mark[1].has(obj.id)) return false;
      if (this.show === "changed" && !list(obj.attributes).some((a) => a.changed)) return false;
      if (this.show === "expired" && list(obj.expired).length === 0) return false;
    }
    if (!this.query) return true;
    const text = [
      obj.cls,
      obj.label,
      obj.identity ?? "",
      obj.status,
      ...list(obj.attributes).map((a) => `${a.name} ${a.value}`),
    ]
      .join(" ")
      .toLowerCase();
    return text.includes(this.query);
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
    return [...objects].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * sign;
    });
  }

  private table(objects: ObjectView[], flags: Flags): HTMLElement {
    const head = h(
      "tr",
      null,
      ...COLUMNS.map(([title, key]) => {
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
      }),
    );
    const shown = objects.slice(0, ROW_CAP);
    return h(
      "div",
      null,
      h(
        "table",
        { className: "si-objects" },
        h("thead", null, head),
        h("tbody", null, ...shown.map((obj) => this.row(obj, flags))),
      ),
      objects.length > shown.length
        ? h(
            "div",
            { className: "si-truncated" },
            `${plural(objects.length - shown.length, "more object")} not drawn: search or filter to find them`,
          )
        : null,
    );
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

  private row(obj: ObjectView, flags: Flags): HTMLElement {
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
    const marked = flags.filter(([, ids]) => ids.has(obj.id)).map(([name]) => name);
    const marks = h(
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
      marks,
    );
  }
}

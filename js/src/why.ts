// js/src/why.ts
// "Why this SQL?": what a clicked statement, plan step or object is connected to, from the
// snapshot alone: the step that ran a statement, the objects that step wrote and their changes,
// the dependency edges (with the rule that made each) that ordered it, and back from an object to
// every statement it took part in.

import { type Child, h } from "./dom";
import type { FlushView, ObjectView, SessionSnapshot, SqlView, StepView } from "./protocol";

export type Selection =
  | { kind: "sql"; seq: number }
  | { kind: "step"; index: number }
  | { kind: "object"; id: string };

function list<T>(value: T[] | null | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

/** "name: old → new" for every changed attribute of an object. */
type Describe = (obj: ObjectView) => string[];

export function explain(
  snap: Partial<SessionSnapshot>,
  selection: Selection,
  describe: Describe,
): { title: string; body: Child[] } {
  const flush = snap.flush ?? null;
  const objects = new Map(list(snap.objects).map((o) => [o.id, o]));
  const log = list(snap.sql);
  if (selection.kind === "sql") {
    const entry = log.find((e) => e.seq === selection.seq);
    if (!entry) return { title: "Why this SQL?", body: [gone("This statement is no longer in the log.")] };
    return { title: "Why this SQL?", body: [h("code", { className: "si-sql-text" }, entry.sql), ...whySql(entry, flush, objects, describe)] };
  }
  if (selection.kind === "step") {
    const step = flush ? list(flush.steps).find((s) => s.index === selection.index) : undefined;
    if (!flush || !step) return { title: "Why this step?", body: [gone("This step is not in the plan shown.")] };
    const ran = log.filter((e) => e.flush === flush.number && e.step === step.index);
    return {
      title: `Why step ${step.index + 1}?`,
      body: [
        ...stepStory(step, flush, objects, describe),
        ran.length
          ? h("div", null, "Its SQL: ", statementList(ran))
          : h("div", null, step.state === "done" ? "It ran no SQL (bookkeeping only)." : "It has not run yet."),
      ],
    };
  }
  const obj = objects.get(selection.id);
  if (!obj) return { title: "Object", body: [gone("This object is not in this snapshot.")] };
  const steps = flush ? list(flush.steps).filter((s) => list(s.objects).includes(obj.id)) : [];
  const ran = log.filter(
    (e) => flush && e.flush === flush.number && e.step !== null && steps.some((s) => s.index === e.step),
  );
  return {
    title: `${obj.label}: what it took part in`,
    body: [
      h("div", null, `Status ${obj.status}${obj.identity ? `, identity ${obj.identity}` : ""}.`),
      ...describe(obj).map((c) => h("div", { className: "si-change" }, c)),
      steps.length
        ? h(
            "div",
            null,
            `In the plan of flush #${flush?.number ?? "?"}: `,
            h("ul", null, ...steps.map((s) => h("li", null, `step ${s.index + 1}: ${s.label} (${s.state})`))),
          )
        : h("div", null, "Not part of the flush plan shown."),
      ran.length ? h("div", null, "Statements: ", statementList(ran)) : null,
    ],
  };
}

function whySql(
  entry: SqlView,
  flush: FlushView | null,
  objects: Map<string, ObjectView>,
  describe: Describe,
): Child[] {
  const caller = entry.origin ? `${entry.origin}` : "the session";
  const from = entry.source ? `, called from ${entry.source}` : "";
  const out: Child[] = [h("div", null, `Run by ${caller}${from}.`)];
  const { error, stack } = entry as SqlView & { error?: string | null; stack?: string[] };
  if (error) out.push(h("div", { className: "si-sql-error", role: "note" }, `It failed: ${error}`));
  if (list(stack).length > 1) {
    // the user's frames only (no library, no notebook machinery), outermost first
    out.push(
      h(
        "div",
        null,
        "Your code that led to it (outermost first):",
        h("ol", { className: "si-stack" }, ...list(stack).map((line) => h("li", null, h("code", null, line)))),
      ),
    );
  }
  if (entry.step === null || entry.step === undefined) {
    out.push(
      h(
        "div",
        null,
        entry.in_flush
          ? `Part of flush #${entry.flush}'s own work (its transaction, or loads it needed), not of a plan step.`
          : "Not part of a flush.",
      ),
    );
    return out;
  }
  const step = flush && flush.number === entry.flush ? list(flush.steps).find((s) => s.index === entry.step) : undefined;
  if (!flush || !step) {
    out.push(
      h(
        "div",
        null,
        `Run by step ${entry.step + 1} of flush #${entry.flush}, whose plan is no longer the one shown ` +
          "(move the timeline back to see it).",
      ),
    );
    return out;
  }
  return [...out, ...stepStory(step, flush, objects, describe)];
}

function stepStory(
  step: StepView,
  flush: FlushView,
  objects: Map<string, ObjectView>,
  describe: Describe,
): Child[] {
  const labels = new Map(list(flush.steps).map((s) => [s.node, `step ${s.index + 1} (${s.label})`]));
  const name = (node: string): string => labels.get(node) ?? node;
  const before = list(flush.edges).filter((e) => e.target === step.node);
  const after = list(flush.edges).filter((e) => e.source === step.node);
  const members = list(step.objects).map((id) => objects.get(id));
  return [
    h("div", null, `Flush #${flush.number}, step ${step.index + 1}: ${step.label} (${step.kind}, ${step.state}).`),
    members.length ? memberList(members, describe) : null,
    before.length
      ? h("div", null, "It runs after: ", h("ul", null, ...before.map((e) => h("li", null, `${name(e.source)}: ${e.reason}`))))
      : h("div", null, "Nothing has to run before it."),
    after.length
      ? h("div", null, "It runs before: ", h("ul", null, ...after.map((e) => h("li", null, `${name(e.target)}: ${e.reason}`))))
      : null,
    list(step.synced).length
      ? h("div", null, "Keys it copied: ", h("ul", null, ...list(step.synced).map((s) => h("li", null, s))))
      : null,
  ];
}

/** rows a list of objects draws; a longer list gets a search box */
const LISTED = 20;

function memberList(members: Array<ObjectView | undefined>, describe: Describe): HTMLElement {
  const known = members.filter((o): o is ObjectView => o !== undefined);
  const items = h("ul", { className: "si-members" });
  const fill = (query: string): void => {
    const q = query.trim().toLowerCase();
    const hits = q ? known.filter((o) => `${o.label} ${o.identity ?? ""}`.toLowerCase().includes(q)) : known;
    const rows = hits
      .slice(0, LISTED)
      .map((o) => h("li", null, o.label, ...describe(o).map((c) => h("div", { className: "si-change" }, c))));
    if (hits.length > LISTED) rows.push(h("li", null, `… and ${hits.length - LISTED} more`));
    if (hits.length === 0) rows.push(h("li", null, "none matches"));
    items.replaceChildren(...rows);
  };
  fill("");
  const search =
    known.length > LISTED
      ? h("input", { className: "si-search si-member-search", type: "search", placeholder: "Find an object…" })
      : null;
  search?.addEventListener("input", () => fill((search as HTMLInputElement).value));
  const count = members.length === 1 ? "this object" : `these ${members.length} objects`;
  return h("div", null, `For ${count}: `, search, items);
}

function statementList(entries: SqlView[]): HTMLElement {
  return h(
    "ul",
    { className: "si-sql" },
    ...entries.map((e) =>
      h("li", { className: "si-statement" }, h("code", { className: "si-sql-text" }, `#${e.seq} ${e.sql}`)),
    ),
  );
}

function gone(text: string): HTMLElement {
  return h("div", { className: "si-empty" }, text);
}

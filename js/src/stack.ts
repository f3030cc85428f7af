// js/src/stack.ts
// The transaction stack and the narration: nested levels with their SAVEPOINT names and what a
// rollback of each would restore; the event sentences grouped by notebook cell and by flush.

import { h, token } from "./dom";
import type { EventView, RollbackView, SessionSnapshot, TransactionView } from "./protocol";
import { badge, empty, list, plural, section } from "./parts";

/** "User(1), Address (pending)" for object ids, through the snapshot's labels. */
function names(ids: string[], labels: Map<string, string>): string {
  return ids.map((id) => labels.get(id) ?? id).join(", ");
}

function rollbackPreview(rb: RollbackView, owner: string | null, labels: Map<string, string>): HTMLElement {
  const toTransient = list(rb.to_transient);
  const undeleted = list(rb.undeleted);
  const restored = list(rb.restored);
  const reloaded = list(rb.reloaded);
  const keys = list(rb.keys);
  const expired = Number(rb.expired) || 0;
  const transientCount = Number(rb.to_transient_total) || toTransient.length;
  const undeletedCount = Number(rb.undeleted_total) || undeleted.length;
  const counts = [
    transientCount ? `${transientCount} back to transient` : "",
    undeletedCount ? `${undeletedCount} undeleted` : "",
    restored.length ? plural(restored.length, "value") + " restored" : "",
    expired ? `${expired} expired` : "",
  ].filter(Boolean);
  const item = (cls: string, head: string, body: string): HTMLElement =>
    h("li", { className: `si-rb-${cls}` }, h("span", { className: "si-rb-head" }, head), " ", body);
  const items = [
    toTransient.length
      ? item("transient", "Back to transient (expunged):", names(toTransient, labels))
      : null,
    undeleted.length ? item("undeleted", "Come back from deleted:", names(undeleted, labels)) : null,
    ...restored.map((r) => item("restored", "Restored:", r)),
    reloaded.length
      ? item("reloaded", "Flushed changes undone, reloaded on next access:", names(reloaded, labels))
      : null,
    ...keys.map((k) => item("keys", "Identity:", k)),
    expired
      ? item(
          "expired",
          "Expired:",
          rb.expires_all
            ? `every object in the identity map (${expired}) reloads from the database when next read`
            : `${plural(expired, "changed object")} reload from the database when next read`,
        )
      : null,
    Number(rb.more) ? h("li", { className: "si-truncated" }, `… and ${rb.more} more`) : null,
  ].filter((x): x is HTMLElement => x !== null);
  return h(
    "details",
    { className: "si-rollback" },
    h(
      "summary",
      { title: "What session.rollback() (or this SAVEPOINT's rollback()) would put back now" },
      owner === null ? "Rollback would restore: " : `Rollback (of the ${owner} level) would restore: `,
      counts.length ? counts.join(", ") : "nothing in the session",
    ),
    items.length ? h("ul", null, ...items) : null,
  );
}

/** The transaction stack, outermost first, each level with its SAVEPOINT and rollback preview. */
export function transactionStack(snap: Partial<SessionSnapshot>): HTMLElement {
  const stack = list(snap.transactions);
  if (stack.length === 0) return section("transactions", "Transactions", empty("No transaction begun"));
  const labels = new Map(list(snap.objects).map((o) => [o.id, o.label]));
  // a subtransaction rolls back with the level whose snapshot it shares: name that level
  const owner = (level: string, own: string): string | null => {
    if (level === own) return null;
    const tx = stack.find((t) => t.id === level);
    return tx ? (tx.savepoint ? `${tx.kind} ${tx.savepoint}` : tx.kind) : level;
  };
  return section(
    "transactions",
    "Transactions",
    h(
      "ol",
      { className: "si-txstack" },
      ...stack.map((tx: TransactionView, depth) =>
        h(
          "li",
          { className: `si-tx si-tx-${token(tx.kind)}`, style: `--si-depth: ${depth}`, "data-id": tx.id },
          h(
            "div",
            { className: "si-tx-line" },
            h("span", { className: "si-tx-kind" }, tx.kind),
            tx.savepoint ? h("code", { className: "si-tx-savepoint", title: "SAVEPOINT name" }, tx.savepoint) : null,
            badge("tx", tx.status),
            h("span", { className: "si-tx-conn" }, plural(Number(tx.connections) || 0, "connection")),
            list(tx.binds).length ? h("span", { className: "si-tx-binds" }, list(tx.binds).join(", ")) : null,
            tx.origin ? h("span", { className: "si-tx-origin" }, `from ${tx.origin.replace("_", " ")}`) : null,
          ),
          tx.rollback ? rollbackPreview(tx.rollback, owner(tx.rollback.level, tx.id), labels) : null,
        ),
      ),
    ),
  );
}

const COMMAND_NAMES: Record<string, string> = {
  step: "Step",
  run: "Run",
  abort: "Abort",
  run_to: "Run to",
};

/** The heading of a group of events: the cell, the inspector command, or neither. */
export function groupTitle(event: EventView): string {
  if (event.cell !== null && event.cell !== undefined) return `Cell [${event.cell}]`;
  if (event.command) return `Inspector: ${COMMAND_NAMES[event.command] ?? event.command} button`;
  return "Outside a cell";
}

/** Narration grouped by cell (or button) and, inside it, by flush. */
export function narration(snap: Partial<SessionSnapshot>, max: number): HTMLElement {
  const events = list(snap.narration);
  if (events.length === 0) return section("events", "Events", empty("No events yet"));
  const items: HTMLElement[] = [];
  let group: string | null = null;
  let flush = 0;
  for (const e of events.slice(-max)) {
    const title = groupTitle(e);
    if (title !== group) {
      group = title;
      flush = 0;
      items.push(h("li", { className: "si-event-cell", role: "heading", "aria-level": "5" }, title));
    }
    const n = Number(e.flush) || 0;
    if (n && n !== flush) items.push(h("li", { className: "si-event-flush" }, `Flush #${n}`));
    flush = n;
    items.push(h("li", { className: n ? "si-event si-event-in-flush" : "si-event" }, e.text));
  }
  return section("events", "Events", h("ol", { className: "si-events" }, ...items));
}

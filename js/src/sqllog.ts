// js/src/sqllog.ts
// The SQL log panel, Django-Debug-Toolbar style: every statement with its parameters, rows,
// duration, the plan step or ORM call behind it and the user's line; batches as
// "INSERT INTO address × 500"; failed statements marked with their error; similar statements
// (same SQL) and duplicates (same SQL and parameters) counted, and the log can be grouped by
// either.  Clicking a row selects it for "Why this SQL?" (view.ts), which also shows its stack.

import { h } from "./dom";
import { empty, list, plural, section } from "./parts";
import type { SessionSnapshot, SqlView } from "./protocol";
import { value } from "./whole";

/** SqlView as Python sends it now (protocol.ts lists the older fields) */
export interface SqlEntry extends SqlView {
  error?: string | null;
  stack?: string[];
  similar?: number;
  duplicates?: number;
  executions?: number;
}

type Grouping = "each" | "similar" | "duplicates";
const GROUPINGS: ReadonlyArray<[Grouping, string]> = [
  ["each", "each statement"],
  ["similar", "grouped: same SQL"],
  ["duplicates", "duplicates only"],
];
/** statements that are transaction control, never similar nor duplicate */
const CONTROL = /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b/;
/** members a group row lists */
const GROUP_LISTED = 10;

/** "INSERT INTO address × 500" for a batch of a write; null for anything else. */
export function batchTitle(e: SqlEntry): string | null {
  const n = Number(e.batch) || 1;
  if (n <= 1) return null;
  const m = /^(INSERT INTO|UPDATE|DELETE FROM)\s+("[^"]*"|\S+)/i.exec(e.sql);
  return `${m ? `${m[1]} ${m[2]}` : e.sql.split(" ", 1)[0]} × ${n}`;
}

/**
 * How ``sets`` parameter sets ran: "one executemany call" (the driver loops over them inside
 * it), "500 executions, one per row", or "3 executions". The SQL log and the plan's steps say
 * it alike (Python gives both the cursor executions the log counted).
 */
export function executionsNote(sets: number, executions: number): string {
  if (executions <= 1) return "one executemany call";
  if (executions === sets) return `${plural(executions, "execution")}, one per row`;
  return plural(executions, "execution");
}

export class SqlLogView {
  private grouping: Grouping = "each";
  private readonly select = h(
    "select",
    {
      className: "si-sql-grouping",
      "aria-label": "Group the SQL log",
      title: "Similar: the same SQL with any parameters. Duplicates: the same SQL and parameters.",
    },
    ...GROUPINGS.map(([v, label]) => h("option", { value: v }, label)),
  );

  constructor(private readonly changed: () => void) {
    this.select.addEventListener("change", () => {
      this.grouping = this.select.value as Grouping;
      this.changed();
    });
  }

  render(snap: Partial<SessionSnapshot>): HTMLElement {
    const entries = list(snap.sql) as SqlEntry[];
    const dropped = Number(snap.sql_dropped) || 0;
    const diagnostics = list(snap.diagnostics);
    const title = `SQL log (${plural(entries.length + dropped, "statement")})`;
    if (entries.length === 0) return section("sql", title, empty("No SQL run yet"));
    const queries = entries.filter((e) => !CONTROL.test(e.sql));
    const similar = queries.filter((e) => Number(e.similar) > 1).length;
    const duplicates = queries.filter((e) => Number(e.duplicates) > 1).length;
    const failed = entries.filter((e) => e.error).length;
    const summary = h(
      "div",
      { className: "si-sql-summary" },
      `${queries.length} ${queries.length === 1 ? "query" : "queries"}` +
        (similar ? `, ${similar} similar` : "") +
        (duplicates ? `, ${duplicates} duplicates` : "") +
        (failed ? `, ${failed} failed` : ""),
      " · show ",
      this.select,
    );
    this.select.value = this.grouping;
    const table =
      this.grouping === "each"
        ? this.table(["#", "SQL", "Rows", "ms", "Why", "From"], entries.map((e) => this.row(e)))
        : this.groups(queries);
    return section(
      "sql",
      title,
      diagnostics.length
        ? h("ul", { className: "si-diagnostics" }, ...diagnostics.map((d) => h("li", null, d)))
        : null,
      dropped ? h("div", { className: "si-truncated" }, `history truncated: ${dropped} earlier not kept`) : null,
      summary,
      h("div", { className: "si-sqllog" }, table),
    );
  }

  private table(titles: string[], rows: HTMLElement[]): HTMLElement {
    const head = h("thead", null, h("tr", null, ...titles.map((t) => h("th", null, t))));
    return h("table", { className: "si-objects" }, head, h("tbody", null, ...rows));
  }

  private row(e: SqlEntry): HTMLElement {
    const step = e.step === null || e.step === undefined ? "" : `flush step ${Number(e.step) + 1}`;
    const why = [step || (e.in_flush ? "flush" : ""), e.origin].filter(Boolean).join(" · ");
    const batch = batchTitle(e);
    const executions = Number(e.executions) || 0; // 0: not said (an older snapshot)
    const marks = [
      batch
        ? h(
            "span",
            { className: "si-sql-mark si-sql-batch", title: "parameter sets (rows) sent by this one entry, and how" },
            executions ? `${batch} (${executionsNote(Number(e.batch) || 1, executions)})` : batch,
          )
        : null,
      Number(e.similar) > 1
        ? h("span", { className: "si-sql-mark si-sql-similar", title: "statements of the log with this SQL" }, `${e.similar} similar`)
        : null,
      Number(e.duplicates) > 1
        ? h(
            "span",
            { className: "si-sql-mark si-sql-duplicate", title: "statements of the log with this SQL and these parameters" },
            `duplicated ${e.duplicates}×`,
          )
        : null,
      e.error ? h("span", { className: "si-sql-mark si-sql-failed" }, "failed") : null,
    ].filter((m): m is HTMLElement => m !== null);
    return h(
      "tr",
      {
        className: `si-sqlrow${e.in_flush ? " si-sqlrow-flush" : ""}${e.error ? " si-sqlrow-failed" : ""}`,
        "data-seq": String(e.seq),
        title: "Click: why this SQL? (and the stack that ran it)",
      },
      h("td", { className: "si-sql-seq" }, String(e.seq)),
      h(
        "td",
        null,
        h("code", { className: "si-sql-text" }, e.sql),
        e.parameters ? h("div", { className: "si-sql-meta" }, "params ", value(e.parameters, `sql:${e.seq}`)) : null,
        marks.length ? h("div", { className: "si-sql-marks" }, ...marks) : null,
        e.error ? h("div", { className: "si-sql-error", role: "note" }, e.error) : null,
      ),
      h("td", null, e.rows === null || e.rows === undefined ? "" : String(e.rows)),
      h("td", { className: "si-sql-ms" }, e.ms === null || e.ms === undefined ? "" : Number(e.ms).toFixed(2)),
      h("td", { className: "si-sql-why" }, why),
      h("td", { className: "si-sql-source" }, e.source),
    );
  }

  /** One row per SQL text (similar) or per SQL text and parameters (duplicates), most run first. */
  private groups(queries: SqlEntry[]): HTMLElement {
    const byKey = new Map<string, SqlEntry[]>();
    for (const e of queries) {
      if (this.grouping === "duplicates" && !(Number(e.duplicates) > 1)) continue;
      const key = this.grouping === "similar" ? e.sql : `${e.sql}\u0000${e.parameters}`;
      const members = byKey.get(key);
      if (members) members.push(e);
      else byKey.set(key, [e]);
    }
    const groups = [...byKey.values()].sort((a, b) => b.length - a.length);
    if (groups.length === 0) return empty("No duplicated statement");
    const rows = groups.map((members) => {
      const first = members[0]!;
      const ms = members.reduce((t, e) => t + (Number(e.ms) || 0), 0);
      const shown = members.slice(0, GROUP_LISTED);
      return h(
        "tr",
        { className: "si-sqlrow si-sqlgroup", "data-seq": String(first.seq), title: "Click: why this SQL? (its first run)" },
        h("td", { className: "si-sql-count" }, `× ${members.length}`),
        h(
          "td",
          null,
          h("code", { className: "si-sql-text" }, first.sql),
          h(
            "ul",
            { className: "si-sql-members" },
            ...shown.map((e) =>
              h("li", null, `#${e.seq} `, e.parameters ? value(e.parameters, `sql:${e.seq}`) : "no parameters", e.source ? ` · ${e.source}` : ""),
            ),
            members.length > shown.length ? h("li", null, `… and ${members.length - shown.length} more`) : null,
          ),
        ),
        h("td", { className: "si-sql-ms" }, ms.toFixed(2)),
      );
    });
    return this.table(["Runs", "SQL", "ms (total)"], rows);
  }
}

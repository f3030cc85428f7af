// js/src/protocol.ts
// The data the widgets receive: mirrors inspector/trace/snapshot.py (schema version 1), plus the
// small contract between the UI module and the Graphviz runtime module.

export interface AttributeView {
  name: string;
  kind: string; // "column" | "relationship"
  value: string;
  changed: boolean;
  added: string[];
  deleted: string[];
}

export interface ObjectView {
  id: string;
  cls: string;
  label: string;
  identity: string | null;
  status: string; // transient | pending | persistent | deleted | detached
  modified: boolean;
  expired: string[];
  attributes: AttributeView[];
  /** false once the object left the session (transient again, expunged, detached) */
  in_session?: boolean;
}

export interface TransactionView {
  id: string;
  kind: string; // root | subtransaction | nested
  status: string; // active | prepared | committed | deactive | closed
  connections: number;
  new?: number;
  deleted?: number;
  origin?: string; // autobegin | begin | begin_nested | subtransaction
  binds?: string[]; // the database of each connection (password hidden)
  savepoint?: string; // the SAVEPOINT name(s) a nested level emitted, e.g. "sa_savepoint_1"
  rollback?: RollbackView | null; // what its rollback would restore (null: inactive level)
}

/** What a rollback of one transaction level would restore (inspector/trace/snapshot.py). */
export interface RollbackView {
  level: string;
  to_transient: string[];
  undeleted: string[];
  restored: string[];
  reloaded: string[];
  keys: string[];
  expired: number;
  expires_all: boolean;
  more: number;
  to_transient_total?: number; // the lists above are capped: the true counts
  undeleted_total?: number;
}

/** One sentence of narration, with the cell / flush / command it happened in. */
export interface EventView {
  text: string;
  cell: number | null;
  flush: number;
  command: string;
}

export interface StatementView {
  sql: string;
  parameters: string;
  rowcount: number | null;
  keys: string[];
}

/** One entry of the session's SQL log (a statement, or BEGIN / COMMIT / ROLLBACK). */
export interface SqlView {
  seq: number;
  sql: string;
  parameters: string;
  rows: number | null;
  batch: number;
  ms: number | null;
  origin: string; // the ORM call behind it: "Session.commit", "load of User.addresses", ...
  source: string; // the user's line: "cell, line 3: s.commit()"
  step: number | null; // flush plan step index
  in_flush: boolean;
  flush?: number; // FlushView.number of the flush that ran it; 0: none
}

export interface StepView {
  index: number;
  node: string;
  kind: string; // save | delete | process
  label: string;
  mapper: string;
  objects: string[];
  state: string; // pending | current | done | failed
  statements: StatementView[];
  synced: string[];
}

export interface EdgeView {
  source: string;
  target: string;
  reason: string;
  cycle?: boolean; // part of a cycle no order resolves (drawn red in the DOT)
}

export interface NodeView {
  id: string;
  label: string;
  kind: string; // as StepView.kind
  per_object: boolean; // one object's action: a class split by a dependency cycle
  group: string; // "cycle on Node: split into per-row steps", or ""
  cycle: boolean; // in a cycle no order resolves (CircularDependencyError)
}

export interface FlushView {
  status: string; // open | complete | aborted | failed
  cursor: number;
  steps: StepView[];
  edges: EdgeView[];
  cycles: string[][];
  dot: string;
  error: string | null;
  number?: number; // 1, 2, ... per recorder
  diagnostics?: string[]; // what the plan cannot order (a foreign key with no relationship())
  nodes?: NodeView[]; // every node of the plan graph
}

export interface SessionSnapshot {
  seq: number;
  session: string;
  objects: ObjectView[];
  new: string[];
  dirty: string[];
  deleted: string[];
  transactions: TransactionView[];
  flush: FlushView | null;
  narration?: EventView[]; // recent events, one sentence each, newest last
  sql?: SqlView[];
  sql_dropped?: number;
  diagnostics?: string[];
  version: number;
}

/** Synced state of SessionInspectorWidget (Python: inspector/widgets/session_widget.py). */
export interface InspectorState {
  snapshot: Partial<SessionSnapshot>;
  error: string;
  /** "IPY_MODEL_<id>" (or "anywidget:<id>") of the shared GraphvizRuntime widget. */
  _graphviz: string | null;
}

/** ``run_to:<Class>``: run the flush to the next step touching that mapped class. */
export type Command = "step" | "run" | "abort" | `run_to:${string}`;

/** Messages the UI sends to Python. */
export interface CommandMessage {
  type: "command";
  name: Command;
}

/** What the runtime module's `initialize` returns (anywidget "exports"): Graphviz and the UI. */
export interface GraphvizRuntimeExports {
  /** Lays out DOT text and returns SVG text; rejects with Graphviz's message on bad DOT. */
  renderSVG(dot: string): Promise<string>;
  /** Graphviz version, loads the WebAssembly. */
  version(): Promise<string>;
  /** Draws an inspector view of ``model`` into ``el`` (its CSS included); returns the cleanup. */
  renderInspector(props: { model: unknown; el: HTMLElement }): () => void;
}

/**
 * Where the runtime also publishes its exports on the page, for hosts whose anywidget front-end
 * predates `host.getWidget` (anywidget < 0.11).
 */
export const RUNTIME_REGISTRY_KEY = "__sessionInspectorGraphvizRuntime__";

export interface RuntimeRegistry {
  exports?: GraphvizRuntimeExports;
  waiters: Array<(exports: GraphvizRuntimeExports) => void>;
}

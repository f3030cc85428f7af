// js/src/view.ts
// The Session Inspector view: identity map, transaction stack, unit-of-work graph and steps,
// Step / Run / Abort, the last command error and recent events, all drawn from one snapshot dict.
// Every value from the snapshot reaches the page as text; the graph is Graphviz's SVG, sanitised.
// It ships inside the shared runtime module (runtime.ts), so a saved notebook stores it once;
// each inspector's own module (widget.ts) only finds the runtime and asks it to mount a view.

import type { AnyModel, RenderProps } from "@anywidget/types";
import { h, token, visible } from "./dom";
import { GraphPane } from "./graphpane";
import type {
  Command,
  CommandMessage,
  FlushView,
  InspectorState,
  ObjectView,
  SessionSnapshot,
  StatementView,
  StepView,
} from "./protocol";
import { IdentityMapView } from "./identity";
import { badge, describeChange, empty, list, plural, section } from "./parts";
import { executionsNote, SqlLogView } from "./sqllog";
import { narration, transactionStack } from "./stack";
import { svgElement } from "./svg";
import { value, WholeValues } from "./whole";
import { explain, type Selection } from "./why";

const SCHEMA_VERSION = 1;
const MAX_EVENTS = 30;
const BUSY_TIMEOUT_MS = 8_000;
/** object names a step row lists before it only counts them */
const STEP_NAMES = 8;
/** step rows drawn (a cycle split per row makes thousands): a window around the cursor */
const STEP_ROWS = 60;
/** snapshots the timeline keeps; older moments are dropped (and counted) */
export const HISTORY_CAP = 200;

const COMMANDS: ReadonlyArray<{ name: Command; label: string; title: string }> = [
  { name: "step", label: "Step", title: "Run the current flush step (plans a flush if none is open) [s]" },
  { name: "run", label: "Run", title: "Run all remaining steps of the flush [r]" },
  { name: "abort", label: "Abort", title: "Roll the open stepped flush back" },
];

/** The keyboard shortcuts (focus the inspector first), as the help panel lists them. */
export const SHORTCUTS: ReadonlyArray<[string, string]> = [
  ["s", "Step: run the current flush step (plans a flush if none is open)"],
  ["r", "Run the rest of the flush"],
  ["m", "Run to the next step touching the class chosen in the toolbar"],
  ["← / →", "Move back / forward along the timeline"],
  ["Home / End", "First recorded moment / now"],
  ["c", "Compact layout (identity map + plan) or full layout"],
  ["t", "Large text, for a projector"],
  ["?", "Show or hide this help"],
];

class InspectorView {
  readonly root: HTMLElement;
  private readonly buttons = new Map<Command, HTMLButtonElement>();
  private readonly status = h("span", { className: "si-flush-status" });
  private readonly title = h("span", { className: "si-title" });
  private readonly errorLine = h("div", { className: "si-error", role: "alert" });
  private readonly body = h("div", { className: "si-body" });
  private readonly pane = new GraphPane();
  private readonly graph = this.pane.frame;
  private busy = false;
  private busyTimer: ReturnType<typeof setTimeout> | undefined;
  private drawnDot: string | null = null;
  private graphToken = 0;
  private disposed = false;
  /** every snapshot received, oldest first: the timeline (view only: the database is not undone) */
  private readonly history: Array<Partial<SessionSnapshot>> = [];
  private droppedMoments = 0;
  /** index into history being viewed; null: now */
  private viewing: number | null = null;
  private readonly timeline = h("input", {
    className: "si-timeline",
    type: "range",
    min: "0",
    max: "0",
    value: "0",
    title: "Recorded moments: drag to look back (← → keys); the database is not undone",
    "aria-label": "Timeline of recorded moments",
  }) as HTMLInputElement;
  private readonly momentLabel = h("span", { className: "si-moment" });
  private readonly nowButton = h(
    "button",
    { className: "si-button si-now", type: "button", title: "Back to the session as it is now (End)" },
    "Now",
  ) as HTMLButtonElement;
  private readonly pastBanner = h("div", { className: "si-past", role: "status" });
  private readonly identity = new IdentityMapView(() => this.render());
  private readonly sql = new SqlLogView(() => this.render());
  /** whole texts of values the snapshot carries cut short, asked of Python on a click */
  private readonly whole = new WholeValues(
    (msg) => this.model.send(msg),
    () => this.render(),
  );
  /** what "Why?" explains: a clicked statement, plan step or object */
  private selection: Selection | null = null;
  /** the mapped class "Run to" stops at, and the toolbar's chooser of it */
  private readonly mapperChoice = h("select", {
    className: "si-mapper",
    title: "Class for Run to: the flush runs until a step touching it is next [m]",
    "aria-label": "Class to run to",
  }) as HTMLSelectElement;
  private readonly runTo = h(
    "button",
    { className: "si-button si-run-to", type: "button", title: "Run to the next step touching the chosen class [m]" },
    "Run to",
  ) as HTMLButtonElement;
  private compact = false;
  private readonly layoutButton = h(
    "button",
    { className: "si-button si-layout", type: "button", "aria-pressed": "false" },
    "Compact",
  ) as HTMLButtonElement;
  private readonly largeButton = h(
    "button",
    { className: "si-button si-large-text", type: "button", "aria-pressed": "false", title: "Large text, for a projector [t]" },
    "A+",
  ) as HTMLButtonElement;
  private readonly helpButton = h(
    "button",
    { className: "si-button si-help-toggle", type: "button", title: "Keyboard shortcuts [?]", "aria-expanded": "false" },
    "?",
  ) as HTMLButtonElement;
  private readonly help = h(
    "div",
    { className: "si-help", role: "note" },
    h("strong", null, "Keyboard shortcuts"),
    " (click the inspector first):",
    h("dl", null, ...SHORTCUTS.flatMap(([key, what]) => [h("dt", null, h("kbd", null, key)), h("dd", null, what)])),
  );

  constructor(
    private readonly model: AnyModel<InspectorState>,
    private readonly renderSVG: (dot: string) => Promise<string>,
  ) {
    const toolbar = h("div", { className: "si-toolbar" }, this.title);
    for (const { name, label, title } of COMMANDS) {
      const button = h("button", { className: `si-button si-${name}`, type: "button", title }, label);
      button.addEventListener("click", () => this.command(name));
      this.buttons.set(name, button);
      toolbar.append(button);
      if (name === "run") toolbar.append(this.runTo, this.mapperChoice);
    }
    this.runTo.addEventListener("click", () => this.runToChosen());
    this.layoutButton.addEventListener("click", () => this.setLayout(!this.compact));
    this.largeButton.addEventListener("click", () => this.setLarge(!this.root.classList.contains("si-large")));
    this.helpButton.addEventListener("click", () => this.toggleHelp());
    this.help.hidden = true;
    toolbar.append(
      this.status,
      h("span", { className: "si-toolbar-end" }, this.layoutButton, this.largeButton, this.helpButton),
    );
    this.timeline.addEventListener("input", () => this.view(Number(this.timeline.value)));
    this.nowButton.addEventListener("click", () => this.view(null));
    const travel = h("div", { className: "si-travel" }, this.timeline, this.momentLabel, this.nowButton);
    this.root = h(
      "div",
      { className: "si-root", tabIndex: "0" },
      toolbar,
      this.help,
      travel,
      this.pastBanner,
      this.errorLine,
      this.body,
    );
    // On the window, capturing: before the notebook's own key handling (Lumino listens on the
    // document, capturing in Notebook 7), which would move between cells on arrow keys, or
    // make the cell Markdown on m; ours stops the keys it takes.
    (document.defaultView ?? document).addEventListener("keydown", this.onKey as EventListener, true);
    this.body.addEventListener("click", this.onClick);
    this.setLayout(false);
    this.root.title = `Session Inspector · keys: ${SHORTCUTS.map(([k]) => k).join(", ")} (? for help)`;
    this.record();
  }

  /** Compact: only the identity map and the plan; full: every view. */
  setLayout(compact: boolean): void {
    this.compact = compact;
    this.root.classList.toggle("si-compact", compact);
    this.layoutButton.textContent = compact ? "Full" : "Compact";
    this.layoutButton.title = compact
      ? "Full layout: every view [c]"
      : "Compact layout: identity map and plan only [c]";
    this.layoutButton.setAttribute("aria-pressed", String(compact));
    if (this.body.childElementCount) this.render();
  }

  /** Large text (a classroom projector): everything scaled up, graph included. */
  setLarge(large: boolean): void {
    this.root.classList.toggle("si-large", large);
    this.largeButton.setAttribute("aria-pressed", String(large));
  }

  private toggleHelp(): void {
    this.help.hidden = !this.help.hidden;
    this.helpButton.setAttribute("aria-expanded", String(!this.help.hidden));
  }

  /** The classes "Run to" can stop at: those of the open plan's steps, else of the objects
   * a flush would write (new, dirty, deleted). */
  private mapperOptions(): string[] {
    const snap = this.latest;
    const flush = snap.flush;
    const out = new Set<string>();
    if (flush?.status === "open") {
      for (const s of list(flush.steps).slice(flush.cursor + 1)) if (s.mapper) out.add(s.mapper);
    } else {
      const pending = new Set([...list(snap.new), ...list(snap.dirty), ...list(snap.deleted)]);
      for (const o of list(snap.objects)) if (pending.has(o.id)) out.add(o.cls);
    }
    return [...out].sort();
  }

  private renderMapperChoice(): void {
    const options = this.mapperOptions();
    const chosen = this.mapperChoice.value;
    const current = [...this.mapperChoice.options].map((o) => o.value);
    if (current.join("\u0000") !== options.join("\u0000")) {
      this.mapperChoice.replaceChildren(...options.map((name) => h("option", { value: name }, name)));
      this.mapperChoice.value = options.includes(chosen) ? chosen : (options[0] ?? "");
    }
    this.mapperChoice.disabled = options.length === 0 || this.viewing !== null;
  }

  /** Run the flush to the next step touching the class chosen in the toolbar. */
  runToChosen(): void {
    const name = this.mapperChoice.value;
    if (!name || this.runTo.disabled) return;
    this.command(`run_to:${name}`);
  }

  /** Clicks on a statement, a plan step (row or graph node) or an object explain it. */
  readonly onClick = (event: Event): void => {
    const target = event.target as Element | null;
    if (!target) return;
    if (target.closest(".si-why-close")) return this.select(null);
    const more = target.closest<HTMLElement>("button.si-more");
    if (more) return this.whole.toggle(more.dataset.ref ?? "");
    if (target.closest("summary, details.si-attributes dl, button")) return;
    const sql = target.closest<HTMLElement>("tr.si-sqlrow");
    const step = target.closest<HTMLElement>("li.si-steprow");
    const obj = target.closest<HTMLElement>("tr.si-object");
    const node = target.closest("g.node");
    if (sql) this.select({ kind: "sql", seq: Number(sql.dataset.seq) });
    else if (step) this.select({ kind: "step", index: Number(step.dataset.index) });
    else if (obj?.dataset.id) this.select({ kind: "object", id: obj.dataset.id });
    else if (node) {
      const found = list(this.snapshot.flush?.steps).find((s) => s.node === node.getAttribute("id"));
      if (found) this.select({ kind: "step", index: found.index });
    }
  };

  select(selection: Selection | null): void {
    const same = JSON.stringify(selection) === JSON.stringify(this.selection);
    this.selection = same ? null : selection;
    this.render();
  }

  private whyPanel(snap: Partial<SessionSnapshot>): HTMLElement | null {
    if (!this.selection) return null;
    const changes = (o: ObjectView): string[] =>
      list(o.attributes)
        .filter((a) => a.changed)
        .map(describeChange);
    const { title, body } = explain(snap, this.selection, changes);
    const close = h("button", { className: "si-button si-why-close", type: "button", title: "Close" }, "×");
    return h(
      "section",
      { className: "si-section si-section-why", role: "region", "aria-label": title },
      h("h4", null, title, " ", close),
      ...body,
    );
  }

  private markSelection(): void {
    const sel = this.selection;
    const selector =
      sel === null
        ? null
        : sel.kind === "sql"
          ? `tr.si-sqlrow[data-seq="${sel.seq}"]`
          : sel.kind === "step"
            ? `li.si-steprow[data-index="${sel.index}"]`
            : `tr.si-object[data-id="${sel.id.replace(/["\\]/g, "")}"]`;
    if (selector) this.body.querySelector(selector)?.classList.add("si-selected");
  }

  /** The snapshot on screen: the one being looked back at, or the latest. */
  get snapshot(): Partial<SessionSnapshot> {
    const past = this.viewing === null ? undefined : this.history[this.viewing];
    return past ?? this.latest;
  }

  private get latest(): Partial<SessionSnapshot> {
    const value = this.model.get("snapshot");
    return value && typeof value === "object" ? value : {};
  }

  readonly onSnapshot = (): void => {
    this.setBusy(false);
    this.record();
    this.render();
  };

  /** Keep the latest snapshot as a moment of the timeline. */
  private record(): void {
    const snap = this.latest;
    const last = this.history[this.history.length - 1];
    if (last !== undefined && last.seq !== undefined && last.seq === snap.seq) return;
    this.history.push(snap);
    if (this.history.length > HISTORY_CAP) {
      this.history.shift();
      this.droppedMoments += 1;
      if (this.viewing !== null) this.viewing = Math.max(0, this.viewing - 1);
    }
  }

  /** Look at moment ``index`` of the timeline (null or the last one: now). */
  view(index: number | null): void {
    const last = this.history.length - 1;
    this.viewing = index === null || index >= last ? null : Math.max(0, index);
    this.render();
  }

  readonly onKey = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = (event.composedPath?.()[0] ?? event.target) as HTMLElement | null;
    if (!target || !this.root.contains(target)) return; // another view's, or the notebook's key
    if (target && target !== this.root && target !== this.timeline && /INPUT|TEXTAREA|SELECT/.test(target.tagName))
      return;
    const last = this.history.length - 1;
    const at = this.viewing ?? last;
    const keys: Record<string, () => void> = {
      ArrowLeft: () => this.view(at - 1),
      ArrowRight: () => this.view(at + 1),
      Home: () => this.view(0),
      End: () => this.view(null),
      s: () => this.command("step"),
      r: () => this.command("run"),
      m: () => this.runToChosen(),
      c: () => this.setLayout(!this.compact),
      t: () => this.setLarge(!this.root.classList.contains("si-large")),
      "?": () => this.toggleHelp(),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    event.stopPropagation(); // ours: the notebook must not also move between cells
    action();
  };

  readonly onError = (): void => {
    this.setBusy(false);
    this.renderError();
  };

  readonly onMessage = (msg: unknown): void => {
    if (this.whole.onMessage(msg)) return;
    if (msg && typeof msg === "object" && (msg as { type?: unknown }).type === "ack") {
      this.setBusy(false);
    }
  };

  command(name: Command): void {
    const button = name.startsWith("run_to:") ? this.runTo : this.buttons.get(name);
    if (this.busy || !button || button.disabled) return;
    const message: CommandMessage = { type: "command", name };
    this.model.send(message);
    this.setBusy(true);
  }

  render(): void {
    const snap = this.snapshot;
    const objects = list(snap.objects);
    const labels = new Map(objects.map((o) => [o.id, o.label]));
    this.title.textContent = snap.session ? `${snap.session} · #${snap.seq ?? 0}` : "Session";
    const version =
      snap.version !== undefined && snap.version !== SCHEMA_VERSION
        ? h("div", { className: "si-warning" }, `snapshot schema ${snap.version}, expected ${SCHEMA_VERSION}`)
        : null;
    const flush = snap.flush ?? null;
    // the SQL log follows the newest statement unless the reader scrolled up in it
    const log = this.body.querySelector<HTMLElement>(".si-sqllog");
    const follow = !log || log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    const scrolled = log?.scrollTop ?? 0;
    // controls kept across renders (the identity map's search) keep their focus and caret
    const active = (this.root.getRootNode() as Document | ShadowRoot).activeElement;
    const focused = active?.tagName === "INPUT" ? (active as HTMLInputElement) : null;
    const caret = focused && focused.type === "search" ? [focused.selectionStart ?? 0, focused.selectionEnd ?? 0] : null;
    const compact = this.compact; // identity map + plan only
    this.body.replaceChildren(
      ...[
        version,
        h(
          "div",
          { className: "si-columns" },
          h("div", { className: "si-column" }, this.identity.render(snap), compact ? null : transactionStack(snap)),
          h("div", { className: "si-column" }, this.unitOfWork(flush, labels)),
        ),
        compact ? null : this.whyPanel(snap),
        compact ? null : this.sql.render(snap),
        compact ? null : narration(snap, MAX_EVENTS),
      ].filter((x): x is HTMLElement => x !== null),
    );
    const newLog = this.body.querySelector<HTMLElement>(".si-sqllog");
    if (newLog) newLog.scrollTop = follow ? newLog.scrollHeight : scrolled;
    this.markSelection();
    this.whole.apply(this.body);
    if (focused && this.body.contains(focused)) {
      focused.focus();
      if (caret) focused.setSelectionRange(caret[0] ?? 0, caret[1] ?? 0);
    }
    this.renderTimeline();
    this.renderButtons();
    this.renderError();
    void this.drawGraph(flush?.dot ?? "");
  }

  private renderTimeline(): void {
    const n = this.history.length;
    const at = this.viewing ?? n - 1;
    this.timeline.max = String(Math.max(0, n - 1));
    this.timeline.value = String(at);
    this.timeline.disabled = n < 2;
    const dropped = this.droppedMoments ? ` · history truncated: ${this.droppedMoments} earlier not kept` : "";
    this.momentLabel.textContent =
      this.viewing === null ? `now · ${plural(n, "moment")} recorded${dropped}` : `moment ${at + 1} of ${n}${dropped}`;
    this.nowButton.disabled = this.viewing === null;
    this.root.classList.toggle("si-in-past", this.viewing !== null);
    this.pastBanner.hidden = this.viewing === null;
    this.pastBanner.textContent =
      this.viewing === null
        ? ""
        : `Looking back at moment ${at + 1} of ${n} (snapshot #${this.snapshot.seq ?? "?"}): ` +
          "a recorded view, the database is not undone. Step / Run / Abort act on now.";
  }

  private renderButtons(): void {
    const flush = this.latest.flush;
    const open = flush?.status === "open";
    const exhausted = open && flush.cursor >= list(flush.steps).length;
    const past = this.viewing !== null; // the buttons act on now: not while looking back
    this.buttons.get("step")!.disabled = this.busy || exhausted || past;
    this.buttons.get("run")!.disabled = this.busy || exhausted || past;
    this.buttons.get("abort")!.disabled = this.busy || !open || past;
    this.renderMapperChoice();
    this.runTo.disabled = this.busy || exhausted || past || this.mapperChoice.disabled;
    this.root.classList.toggle("si-busy", this.busy);
    if (!flush) this.status.textContent = "no flush planned";
    else {
      const steps = list(flush.steps).length;
      const where = flush.status === "open" ? ` · next step ${Math.min(flush.cursor + 1, steps)} of ${steps}` : "";
      this.status.textContent = `flush ${flush.status}${where}`;
    }
  }

  private renderError(): void {
    const error = this.model.get("error") || "";
    this.errorLine.textContent = visible(error);
    this.errorLine.hidden = !error;
  }

  private setBusy(busy: boolean): void {
    if (this.busyTimer !== undefined) clearTimeout(this.busyTimer);
    this.busyTimer = busy ? setTimeout(() => this.setBusy(false), BUSY_TIMEOUT_MS) : undefined;
    if (this.busy === busy) return;
    this.busy = busy;
    if (!this.disposed) this.renderButtons();
  }

  private unitOfWork(flush: FlushView | null, labels: Map<string, string>): HTMLElement {
    if (!flush) {
      this.pane.clear();
      return section("flush", "Unit of work", empty("No flush planned. Step plans one."), this.graph);
    }
    const steps = list(flush.steps);
    const cycles = list(flush.cycles);
    // the nodes of a cycle the plan could not break (CircularDependencyError)
    const unresolved = list(flush.nodes)
      .filter((n) => n.cycle)
      .map((n) => String(n.label).split("\n")[0]);
    const diagnostics = list(flush.diagnostics);
    return section(
      "flush",
      "Unit of work",
      flush.error ? h("div", { className: "si-flush-error" }, flush.error) : null,
      diagnostics.length
        ? h(
            "ul",
            { className: "si-plan-diagnostics", role: "note" },
            ...diagnostics.map((d) => h("li", null, h("span", { className: "si-flag si-flag-warning" }, "order undefined"), " ", d)),
          )
        : null,
      this.pane.tools,
      this.graph,
      unresolved.length
        ? h(
            "div",
            { className: "si-cycles si-cycles-unresolved", role: "note" },
            `a cycle no order resolves (drawn in red): ${unresolved.join(" → ")}`,
          )
        : cycles.length
          ? h(
              "div",
              { className: "si-cycles" },
              `cycles broken: ${cycles.map((c) => list(c).join(" → ")).join("; ")}`,
            )
          : null,
      stepList(steps, flush.cursor, (s) => this.stepRow(s, labels, flush.number ?? 0)),
    );
  }

  private stepRow(step: StepView, labels: Map<string, string>, flushNumber: number): HTMLElement {
    const statements = list(step.statements);
    const synced = list(step.synced);
    const objects = list(step.objects).map((id) => labels.get(id) ?? id);
    return h(
      "li",
      {
        className: `si-steprow si-steprow-${token(step.state)}`,
        "data-node": step.node,
        "data-index": String(step.index),
        title: "Click: why this step?",
      },
      h(
        "div",
        { className: "si-step-head" },
        h("span", { className: "si-step-index" }, `${Number(step.index) + 1}.`),
        h("span", { className: "si-step-label" }, step.label),
        badge("state", step.state),
        h("span", { className: "si-step-kind" }, step.kind),
      ),
      objects.length
        ? h(
            "div",
            { className: "si-step-objects" },
            objects.length > STEP_NAMES
              ? `${plural(objects.length, "object")}: ${objects.slice(0, STEP_NAMES).join(", ")}, … (click for all)`
              : objects.join(", "),
          )
        : null,
      statements.length
        ? h(
            "ul",
            { className: "si-sql" },
            ...statements.map((st, n) =>
              h(
                "li",
                { className: "si-statement" },
                h("code", { className: "si-sql-text" }, st.sql),
                h(
                  "div",
                  { className: "si-sql-meta" },
                  "params ",
                  value(st.parameters, `step:${flushNumber}:${step.index}:${n}`),
                  st.rowcount === null || st.rowcount === undefined ? "" : ` · ${plural(st.rowcount, "row")}`,
                  batchNote(st),
                  list(st.keys).length ? ` · keys ${list(st.keys).join(", ")}` : "",
                ),
              ),
            ),
          )
        : null,
      synced.length
        ? h("ul", { className: "si-synced" }, ...synced.map((s) => h("li", null, `synced ${s}`)))
        : null,
    );
  }

  private async drawGraph(dot: string): Promise<void> {
    if (dot === this.drawnDot) return; // section rebuilt, graph element kept: nothing to redo
    this.drawnDot = dot;
    const ticket = ++this.graphToken;
    if (!dot) {
      this.pane.clear();
      return;
    }
    if (!this.graph.querySelector("svg")) {
      this.graph.replaceChildren(h("div", { className: "si-empty" }, "Laying out the flush graph…"));
    }
    try {
      const svg = await this.renderSVG(dot);
      if (ticket !== this.graphToken || this.disposed) return;
      this.pane.show(svgElement(svg), dot);
    } catch (err) {
      if (ticket !== this.graphToken || this.disposed) return;
      this.drawnDot = null; // retry on the next snapshot
      const message = err instanceof Error ? err.message : String(err);
      this.graph.replaceChildren(h("pre", { className: "si-graph-error" }, `Graph unavailable: ${message}`));
    }
  }

  dispose(): void {
    this.disposed = true;
    (document.defaultView ?? document).removeEventListener("keydown", this.onKey as EventListener, true);
    this.whole.dispose();
    if (this.busyTimer !== undefined) clearTimeout(this.busyTimer);
    this.root.remove();
  }
}

/** " · 500 parameter sets in one executemany call" (or "…: 500 executions, one per row") for a statement that wrote a batch, as its SQL log entry says it. */
function batchNote(st: StatementView & { rows?: number; executions?: number }): string {
  const rows = Number(st.rows) || 1;
  if (rows <= 1) return "";
  const runs = Number(st.executions) || 1;
  return ` · ${rows} parameter sets${runs <= 1 ? " in " : ": "}${executionsNote(rows, runs)}`;
}

/** The plan's steps as a list; a long plan shows STEP_ROWS of them around the cursor. */
function stepList(steps: StepView[], cursor: number, row: (s: StepView) => HTMLElement): HTMLElement {
  const start = steps.length <= STEP_ROWS ? 0 : Math.max(0, Math.min(cursor - 10, steps.length - STEP_ROWS));
  const shown = steps.slice(start, start + STEP_ROWS);
  const later = steps.length - start - shown.length;
  const more = (n: number, where: string): HTMLElement =>
    h("li", { className: "si-steps-more" }, `… ${plural(n, "step")} ${where} (the graph and Why? show them all)`);
  return h(
    "ol",
    { className: "si-steps" },
    start ? more(start, "before") : null,
    ...shown.map(row),
    later ? more(later, "after") : null,
  );
}

/** Draw an inspector for ``model`` into ``el``; returns the cleanup. */
export function mountInspector(
  { model, el }: Pick<RenderProps<InspectorState>, "model" | "el">,
  renderSVG: (dot: string) => Promise<string>,
): () => void {
  const view = new InspectorView(model, renderSVG);
  el.replaceChildren(view.root);
  model.on("change:snapshot", view.onSnapshot);
  model.on("change:error", view.onError);
  model.on("msg:custom", view.onMessage);
  view.render();
  return () => {
    model.off("change:snapshot", view.onSnapshot);
    model.off("change:error", view.onError);
    model.off("msg:custom", view.onMessage);
    view.dispose();
  };
}


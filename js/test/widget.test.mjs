// js/test/widget.test.mjs: unit test of the BUILT front-end (inspector/static) in Node with
// happy-dom and a fake anywidget model + host; the Graphviz runtime is the real WASM bundle.
// Run: cd js && npm test   (the same bundles run in Chromium in tests/browser/test_widget_harness.py)
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, beforeEach, describe, test } from "node:test";
import { FIXTURES, fakeModel as plainModel, loadBundle, texts, until, window } from "./harness.mjs";

const FIXTURE = new URL("sample_snapshot.json", FIXTURES);
const PATCH_CASES = new URL("patch_cases.json", FIXTURES);
const HOSTILE = "<img src=x onerror=alert(1)>";
const RUNTIME_REF = "IPY_MODEL_runtime0";

let widget;
let runtime;
let sample;
const hostCalls = []; // host.getWidget calls over all mounts: the runtime is looked up once per page

// the models here have a widget_manager (finding ``models`` by id), as in JupyterLab
const fakeModel = (state, models = {}) => plainModel(state, models);

async function mount(snapshot = sample, extra = {}) {
  const model = fakeModel({ snapshot, error: "", _graphviz: RUNTIME_REF, ...extra });
  const host = {
    async getWidget(ref) {
      hostCalls.push(ref);
      if (ref !== "anywidget:runtime0") throw new Error(`[anywidget] Invalid widget reference: ${ref}`);
      return { exports: runtime, render: async () => {} };
    },
    getModel: async () => fakeModel({}),
  };
  const el = document.createElement("div");
  document.body.append(el);
  const cleanup = await widget.render({ model, el, host, signal: new AbortController().signal });
  await until(() => el.querySelector(".si-root"), "the view (the loader finds the runtime first)");
  return { model, el, cleanup };
}

before(async () => {
  sample = JSON.parse(await readFile(FIXTURE, "utf8"));
  ({ widget, runtime } = await loadBundle());
});

after(async () => {
  await window.happyDOM.close();
});

beforeEach(() => {
  document.body.replaceChildren();
});


describe("SessionInspector view", () => {
  test("identity map: one row per object, status badges, marks", async () => {
    const { el } = await mount();
    assert.deepEqual(texts(el, "tr.si-object td.si-class"), ["User", "User", "Address", "Address", "Address"]);
    assert.deepEqual(texts(el, "tr.si-object .si-badge"), [
      "persistent", "pending", "pending", "persistent", "persistent",
    ]);
    assert.ok(el.querySelector("tr.si-object[data-id=o2] .si-badge").classList.contains("si-status-pending"));
    assert.deepEqual(texts(el, "tr.si-object td.si-marks"), ["dirty", "new", "new", "", "deleted"]);
    assert.deepEqual(texts(el, "tr.si-object[data-id=o2] .si-change"), [
      "name: ∅ → 'wendy'",
      "addresses: +Address (pending)",
    ]);
  });

  test("hostile values stay text", async () => {
    const { el, model } = await mount();
    assert.equal(el.querySelectorAll("img").length, 0);
    assert.deepEqual(texts(el, "tr.si-object[data-id=o1] .si-change"), [`nickname: 'eddie' → '${HOSTILE}'`]);
    assert.ok(el.querySelector(".si-events").textContent.includes(HOSTILE));
    model.set("error", `FlushError: ${HOSTILE}`);
    assert.equal(el.querySelector(".si-error").textContent, `FlushError: ${HOSTILE}`);
    assert.equal(el.querySelectorAll("img").length, 0);
  });

  test("transaction stack, outermost first", async () => {
    const { el } = await mount();
    assert.deepEqual(texts(el, ".si-tx .si-tx-kind"), ["root", "nested", "subtransaction"]);
    assert.deepEqual(texts(el, ".si-tx .si-tx-conn"), ["1 connection", "1 connection", "1 connection"]);
  });

  test("flush steps with SQL; the graph marks the current step", async () => {
    const { el } = await mount();
    assert.equal(el.querySelectorAll("li.si-steprow").length, 4);
    assert.equal(el.querySelectorAll("li.si-steprow")[0].querySelectorAll(".si-sql-text").length, 2);
    await until(() => el.querySelector(".si-graph svg"), "the SVG graph");
    const current = el.querySelectorAll(".si-graph svg g.node.si-current");
    assert.equal(current.length, 1);
    assert.equal(current[0].querySelector("title").textContent, "ProcessAll(User.addresses)");
    assert.equal(el.querySelectorAll(".si-graph svg g.node").length, 4);
    assert.deepEqual(hostCalls, ["anywidget:runtime0"]);
  });

  test("Step / Run / Abort send command messages; Abort needs an open flush", async () => {
    const { el, model } = await mount();
    const button = (name) => el.querySelector(`button.si-${name}`);
    button("step").click();
    assert.deepEqual(model.sent, [{ type: "command", name: "step" }]);
    assert.equal(button("run").disabled, true); // busy until the ack
    model.receive({ type: "ack", name: "step" });
    assert.equal(button("run").disabled, false);
    button("abort").click();
    assert.deepEqual(model.sent.at(-1), { type: "command", name: "abort" });
    model.receive({ type: "ack", name: "abort" });
    model.set("snapshot", { ...sample, flush: { ...sample.flush, status: "aborted" } });
    assert.equal(button("abort").disabled, true);
    assert.equal(button("step").disabled, false);
  });

  test("cleanup removes every listener and the view", async () => {
    const { el, model, cleanup } = await mount();
    assert.equal(model.listenerCount(), 3);
    await cleanup();
    assert.equal(model.listenerCount(), 0);
    assert.equal(el.children.length, 0);
  });

  test("objects that left the session are listed apart from the identity map", async () => {
    const gone = { ...sample.objects[0], id: "o99", status: "detached", in_session: false };
    const { el } = await mount({ ...sample, objects: [...sample.objects, gone] });
    const left = el.querySelector("details.si-left");
    assert.ok(left, "a 'Left the session' list");
    assert.ok(left.querySelector("summary").textContent.includes("Left the session (1)"));
    assert.equal(left.querySelectorAll("tr.si-object").length, 1);
    assert.equal(left.querySelector("tr.si-object").dataset.id, "o99");
    const held = [...el.querySelectorAll("tr.si-object")].filter((tr) => !left.contains(tr));
    assert.equal(held.length, sample.objects.length);
  });

  test("the SQL log lists each statement with its batch, step, origin and line", async () => {
    const { el } = await mount();
    const rows = [...el.querySelectorAll("tr.si-sqlrow")];
    assert.equal(rows.length, sample.sql.length);
    const insert = rows.find((tr) => tr.dataset.seq === "3");
    assert.ok(insert.querySelector(".si-sql-text").textContent.startsWith("INSERT INTO addresses (email, user_id) VALUES (?, ?)"));
    assert.equal(insert.querySelector(".si-sql-batch").textContent, "INSERT INTO addresses × 2 (one executemany call)");
    assert.ok(insert.textContent.includes("flush step 3 · stepped flush"));
    assert.ok(insert.querySelector(".si-sql-source").textContent.includes("an inspector button"));
    assert.ok(el.querySelector(".si-section-sql h4").textContent.includes("SQL log (3 statements)"));
    assert.ok(el.querySelector(".si-diagnostics").textContent.startsWith("N+1: load of User.addresses"));
    assert.equal(el.querySelector(".si-truncated"), null);
  });

  test("a truncated SQL log says so", async () => {
    const { el } = await mount({ ...sample, sql_dropped: 40 });
    assert.ok(el.querySelector(".si-truncated").textContent.includes("40 earlier not kept"));
    assert.ok(el.querySelector(".si-section-sql h4").textContent.includes("43 statements"));
  });

  test("the timeline looks back at earlier snapshots without acting on them", async () => {
    const { el, model } = await mount();
    const timeline = el.querySelector("input.si-timeline");
    const button = (name) => el.querySelector(`button.si-${name}`);
    assert.equal(timeline.disabled, true, "one moment: nothing to travel");
    const later = { ...sample, seq: sample.seq + 1, objects: [], flush: null };
    model.set("snapshot", later);
    assert.equal(timeline.max, "1");
    assert.ok(el.querySelector(".si-moment").textContent.startsWith("now · 2 moments"));
    assert.ok(el.textContent.includes("No objects in the session"));
    timeline.value = "0";
    timeline.dispatchEvent(new window.Event("input"));
    assert.ok(el.querySelector(".si-past").textContent.includes("Looking back at moment 1 of 2"));
    assert.equal(el.querySelectorAll("tr.si-object").length, sample.objects.length);
    assert.equal(button("step").disabled, true, "commands act on now, not on the past");
    assert.equal(el.querySelector(".si-root").classList.contains("si-in-past"), true);
    // a new snapshot while looking back: the view stays in the past, the timeline grows
    model.set("snapshot", { ...later, seq: later.seq + 1 });
    assert.equal(timeline.max, "2");
    assert.ok(el.querySelector(".si-moment").textContent.startsWith("moment 1 of 3"));
    el.querySelector("button.si-now").click();
    assert.equal(el.querySelector(".si-past").hidden, true);
    assert.equal(button("step").disabled, false);
  });

  test("keys move along the timeline and press Step", async () => {
    const { el, model } = await mount();
    model.set("snapshot", { ...sample, seq: sample.seq + 1 });
    const root = el.querySelector(".si-root");
    const key = (k) => root.dispatchEvent(new window.KeyboardEvent("keydown", { key: k, bubbles: true }));
    key("ArrowLeft");
    assert.ok(el.querySelector(".si-moment").textContent.startsWith("moment 1 of 2"));
    key("End");
    assert.ok(el.querySelector(".si-moment").textContent.startsWith("now"));
    key("s");
    assert.deepEqual(model.sent.at(-1), { type: "command", name: "step" });
  });

  test("clicking a statement explains it: step, objects, changes and ordering rules", async () => {
    const { el } = await mount();
    el.querySelector('tr.si-sqlrow[data-seq="3"] code').click();
    const why = el.querySelector(".si-section-why");
    assert.ok(why, "a Why panel");
    const text = why.textContent;
    assert.ok(text.startsWith("Why this SQL?"));
    assert.ok(text.includes("Run by stepped flush, called from an inspector button."));
    assert.ok(text.includes("Flush #1, step 3: INSERT/UPDATE Address"));
    assert.ok(text.includes("sync User.addresses -> Address.user_id): user_id synced before INSERT"), text);
    assert.ok(el.querySelector('tr.si-sqlrow[data-seq="3"]').classList.contains("si-selected"));
    // the flush's BEGIN belongs to no step
    el.querySelector('tr.si-sqlrow[data-seq="1"]').click();
    assert.ok(el.querySelector(".si-section-why").textContent.includes("not of a plan step"));
    el.querySelector(".si-why-close").click();
    assert.equal(el.querySelector(".si-section-why"), null);
  });

  test("clicking a step or an object lists what it is connected to", async () => {
    const { el } = await mount();
    el.querySelector('li.si-steprow[data-index="0"] .si-step-label').click();
    let text = el.querySelector(".si-section-why").textContent;
    assert.ok(text.startsWith("Why step 1?"));
    assert.ok(text.includes("Nothing has to run before it."));
    assert.ok(text.includes("User.addresses: parent row first"));
    assert.ok(text.includes("#2 INSERT INTO users"), text);
    el.querySelector('tr.si-object[data-id="o3"] td').click();
    text = el.querySelector(".si-section-why").textContent;
    assert.ok(text.includes("what it took part in"));
    assert.ok(text.includes("step 3: INSERT/UPDATE Address"), text);
    assert.ok(text.includes("#3 INSERT INTO addresses"), text);
    el.querySelector('tr.si-object[data-id="o3"] td').click(); // the same again: closes
    assert.equal(el.querySelector(".si-section-why"), null);
  });

  test("the identity map searches, filters and sorts, and keeps that across snapshots", async () => {
    const { el, model } = await mount();
    const rows = () => [...el.querySelectorAll(".si-section-identity tbody tr.si-object")];
    const search = el.querySelector("input.si-search");
    search.value = "email"; // an attribute only Address has
    search.dispatchEvent(new window.Event("input"));
    assert.ok(rows().length > 0);
    assert.ok(rows().every((tr) => tr.querySelector(".si-class").textContent === "Address"));
    assert.ok(el.querySelector(".si-count").textContent.endsWith(`of ${sample.objects.length} shown`));
    model.set("snapshot", { ...sample, seq: sample.seq + 1 }); // a push keeps the search
    assert.equal(el.querySelector("input.si-search").value, "email");
    assert.ok(rows().every((tr) => tr.querySelector(".si-class").textContent === "Address"));
    search.value = "";
    search.dispatchEvent(new window.Event("input"));
    const filter = el.querySelector("select.si-filter");
    filter.value = "new";
    filter.dispatchEvent(new window.Event("change"));
    assert.deepEqual(rows().map((tr) => tr.dataset.id), sample.new);
    filter.value = "all";
    filter.dispatchEvent(new window.Event("change"));
    const byClass = el.querySelectorAll("th.si-sortable")[0];
    byClass.click();
    const classes = rows().map((tr) => tr.querySelector(".si-class").textContent);
    assert.deepEqual(classes, [...classes].sort());
    el.querySelectorAll("th.si-sortable")[0].click(); // descending
    const down = rows().map((tr) => tr.querySelector(".si-class").textContent);
    assert.deepEqual(down, [...classes].sort().reverse());
    search.value = "no such thing";
    search.dispatchEvent(new window.Event("input"));
    assert.ok(el.textContent.includes("No object matches the search"));
  });

  test("10,000 objects: only the rows in sight are drawn, all are reachable", async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      ...sample.objects[0], id: `o${i + 100}`, identity: `(${i},)`, label: `User(${i})`,
    }));
    const { el } = await mount({ ...sample, objects: many, new: [], dirty: [], deleted: [] });
    const rows = () => [...el.querySelectorAll(".si-section-identity .si-rows-held tr.si-object")];
    const drawn = rows().length;
    assert.ok(drawn > 5 && drawn < 60, `${drawn} rows drawn`);
    assert.equal(rows()[0].dataset.id, "o100");
    const spacers = [...el.querySelectorAll(".si-rows-held tr.si-spacer")];
    const bottom = Number.parseFloat(spacers[1].firstChild.style.height);
    assert.ok(bottom > 9_000 * 20, "a spacer stands for the rows not drawn");
    // scroll to the middle: the rows there are drawn instead
    const scroller = el.querySelector(".si-rows-held");
    scroller.scrollTop = 5_000 * 30;
    scroller.dispatchEvent(new window.Event("scroll"));
    await until(() => rows()[0].dataset.id !== "o100", "the window to move");
    const ids = rows().map((tr) => Number(tr.dataset.id.slice(1)) - 100);
    assert.ok(ids.includes(5_000) && ids.length < 60, `drawn ${ids[0]}..${ids.at(-1)}`);
    // search and sort work over all rows, not only the drawn ones
    const search = el.querySelector("input.si-search");
    search.value = "user(9876)";
    search.dispatchEvent(new window.Event("input"));
    assert.deepEqual(rows().map((tr) => tr.dataset.id), ["o9976"]);
    assert.equal(el.querySelector(".si-count").textContent, "1 of 10000 shown");
    search.value = "";
    search.dispatchEvent(new window.Event("input"));
    el.querySelectorAll("th.si-sortable")[1].click(); // identity ascending: "(0,)", "(1,)", "(10,)"...
    el.querySelectorAll("th.si-sortable")[1].click(); // descending
    scroller.scrollTop = 0;
    scroller.dispatchEvent(new window.Event("scroll"));
    await until(() => rows()[0]?.dataset.id === "o10099", 'the largest identity, "(9999,)", first');
  });

  test("patches: applied once per model, rows of unchanged objects kept, a gap asks again", async () => {
    const model = fakeModel({ snapshot: sample, error: "", _graphviz: RUNTIME_REF });
    const stop = widget.initialize({ model });
    assert.deepEqual(model.sent, [{ type: "hello" }]);
    const host = {
      getWidget: async () => ({ exports: runtime, render: async () => {} }),
    };
    const el = document.createElement("div");
    document.body.append(el);
    await widget.render({ model, el, host, signal: new AbortController().signal });
    await until(() => el.querySelector(".si-root"), "the view");
    const row = (id) => el.querySelector(`tr.si-object[data-id="${id}"]`);
    const [, second, , first] = sample.objects; // first: in no session set the patch changes
    const keptRow = row(first.id);
    const changed = { ...second, status: "persistent", identity: "(42,)" };
    model.receive({
      type: "patch",
      patch: { base: sample.seq, seq: sample.seq + 1, set: { seq: sample.seq + 1 }, upsert: [changed] },
    });
    const snap = model.get("snapshot");
    assert.equal(snap.seq, sample.seq + 1);
    assert.equal(snap.objects[3], first, "an unchanged object is the same object");
    assert.deepEqual(snap.objects[1], changed);
    assert.equal(row(first.id), keptRow, "its row is not redrawn");
    assert.equal(row(second.id).querySelector(".si-identity").textContent, "(42,)");
    assert.ok(el.querySelector(".si-title").textContent.endsWith(`#${sample.seq + 1}`));
    model.receive({ type: "patch", patch: { base: 1, seq: 2, set: { seq: 2 } } });
    assert.equal(model.get("snapshot").seq, sample.seq + 1, "a patch for another base is not applied");
    assert.deepEqual(model.sent.at(-1), { type: "resync" });
    stop();
  });

  test("patches: the front-end applies Python's diffs of random snapshots exactly", async () => {
    const cases = JSON.parse(await readFile(PATCH_CASES, "utf8"));
    assert.ok(cases.length >= 40);
    for (const { a, b, patch } of cases) {
      const model = fakeModel({ snapshot: structuredClone(a) });
      const stop = widget.initialize({ model });
      model.receive({ type: "patch", patch });
      assert.deepEqual(model.get("snapshot"), b);
      stop();
    }
  });

  test("the plan graph zooms, fits, and copies its DOT", async () => {
    const { el, model } = await mount();
    await until(() => el.querySelector(".si-graph svg"), "the graph");
    const svg = () => el.querySelector(".si-graph svg");
    el.querySelector("button.si-graph-in").click();
    assert.match(svg().style.width, /px$/);
    assert.match(el.querySelector(".si-graph-note").textContent, /%$/);
    const zoomed = Number.parseFloat(svg().style.width);
    model.set("snapshot", { ...sample, seq: sample.seq + 1 }); // the zoom survives a push
    assert.equal(Number.parseFloat(svg().style.width), zoomed);
    el.querySelector("button.si-graph-out").click();
    assert.ok(Number.parseFloat(svg().style.width) < zoomed);
    el.querySelector("button.si-graph-fit").click();
    assert.equal(svg().style.width, "");
    const copied = [];
    Object.defineProperty(window.navigator, "clipboard", {
      value: { writeText: async (t) => copied.push(t) }, configurable: true,
    });
    globalThis.navigator = window.navigator;
    el.querySelector("button.si-graph-dot").click();
    await until(() => copied.length === 1, "the DOT copied");
    assert.equal(copied[0], sample.flush.dot);
    assert.equal(el.querySelector(".si-graph-note").textContent, "DOT copied");
  });

  test("a step of many objects counts them and its Why? panel finds one", async () => {
    const many = Array.from({ length: 500 }, (_, i) => ({
      ...sample.objects[0], id: `o${i + 100}`, identity: `(${i},)`, label: `User(${i})`,
    }));
    const steps = sample.flush.steps.map((st, i) => (i === 0 ? { ...st, objects: many.map((o) => o.id) } : st));
    const { el } = await mount({ ...sample, objects: many, flush: { ...sample.flush, steps } });
    const row = el.querySelector('li.si-steprow[data-index="0"]');
    assert.ok(row.querySelector(".si-step-objects").textContent.startsWith("500 objects: User(0), User(1)"));
    row.querySelector(".si-step-label").click();
    const why = el.querySelector(".si-section-why");
    assert.ok(why.textContent.includes("For these 500 objects"));
    assert.equal(why.querySelectorAll(".si-members > li").length, 21); // 20 + "… and 480 more"
    const find = why.querySelector("input.si-member-search");
    find.value = "User(427)";
    find.dispatchEvent(new window.Event("input"));
    const found = [...why.querySelectorAll(".si-members > li")];
    assert.equal(found.length, 1);
    assert.ok(found[0].textContent.startsWith("User(427)"));
  });

  test("each transaction level says what began it and which database it holds", async () => {
    const { el } = await mount();
    const levels = [...el.querySelectorAll("li.si-tx")];
    assert.equal(levels.length, sample.transactions.length);
    assert.ok(levels[0].querySelector(".si-tx-origin").textContent.includes("from autobegin"));
    assert.equal(levels[0].querySelector(".si-tx-binds").textContent, "sqlite://");
  });

  test("an empty snapshot renders placeholders", async () => {
    const { el } = await mount({});
    assert.ok(el.textContent.includes("No objects in the session"));
    assert.ok(el.textContent.includes("No flush planned"));
    assert.ok(el.textContent.includes("No SQL run yet"));
    assert.equal(el.querySelector("button.si-abort").disabled, true);
  });
});

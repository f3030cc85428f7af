// js/test/sqllog.test.mjs: the SQL log panel (grouping, batches, failures, stacks), values cut
// short and their whole text on request, and a hostile snapshot (tests/fixtures/
// hostile_snapshot.json, made by tests/fixtures/make_hostile_snapshot.py) in the BUILT bundle.
// Run: cd js && npm test
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import { FIXTURES, loadBundle, mountView, texts, until, window } from "./harness.mjs";

let bundle;
let sample;
let hostile;

const mount = (snapshot) => mountView(bundle, snapshot);

before(async () => {
  sample = JSON.parse(await readFile(new URL("sample_snapshot.json", FIXTURES), "utf8"));
  hostile = JSON.parse(await readFile(new URL("hostile_snapshot.json", FIXTURES), "utf8"));
  bundle = await loadBundle();
});

after(async () => {
  await window.happyDOM.close();
});

function entry(seq, sql, extra = {}) {
  return {
    seq, sql, parameters: "", rows: null, batch: 1, ms: 1, origin: "Session.execute", source: "cell, line 1: q()",
    step: null, in_flush: false, flush: 0, error: null, stack: [], similar: 0, duplicates: 0, executions: 1, ...extra,
  };
}

const LOG = [
  entry(1, "BEGIN (implicit)"),
  entry(2, "SELECT users.id FROM users WHERE users.name = ?", { parameters: "('a',)", similar: 3, duplicates: 2 }),
  entry(3, "SELECT users.id FROM users WHERE users.name = ?", { parameters: "('b',)", similar: 3 }),
  entry(4, "SELECT users.id FROM users WHERE users.name = ?", { parameters: "('a',)", similar: 3, duplicates: 2 }),
  entry(5, "INSERT INTO address (email, user_id) VALUES (?, ?) RETURNING id", {
    parameters: "500 sets, first ('e0', 1)", batch: 500, executions: 500, in_flush: true, flush: 1, step: 0,
  }),
  entry(6, "INSERT INTO users (name) VALUES (?)", {
    parameters: "(None,)", error: "IntegrityError: NOT NULL constraint failed: users.name",
    stack: ["cell, line 9: save(None)", "cell, line 4: s.commit() (in save)"], source: "cell, line 4: s.commit()",
  }),
];

describe("SQL log", () => {
  test("marks batches, similar and duplicate queries and failures, and sums them up", async () => {
    const { el } = await mount({ ...sample, sql: LOG, diagnostics: [] });
    assert.equal(el.querySelector(".si-sql-summary").textContent.split(" · ")[0], "5 queries, 3 similar, 2 duplicates, 1 failed");
    const row = (seq) => el.querySelector(`tr.si-sqlrow[data-seq="${seq}"]`);
    assert.equal(row(5).querySelector(".si-sql-batch").textContent, "INSERT INTO address × 500 (500 executions, one per row)");
    const many = (extra) => mount({ ...sample, sql: [entry(7, "INSERT INTO address (email) VALUES (?)", { batch: 500, ...extra })], diagnostics: [] });
    const mark = async (extra) => (await many(extra)).el.querySelector(".si-sql-batch").textContent;
    assert.equal(await mark({ executions: 1 }), "INSERT INTO address × 500 (one executemany call)");
    assert.equal(await mark({ executions: 3 }), "INSERT INTO address × 500 (3 executions)");
    assert.equal(row(2).querySelector(".si-sql-similar").textContent, "3 similar");
    assert.equal(row(2).querySelector(".si-sql-duplicate").textContent, "duplicated 2×");
    assert.equal(row(3).querySelector(".si-sql-duplicate"), null);
    assert.equal(row(1).querySelector(".si-sql-marks"), null, "BEGIN is no query");
    assert.ok(row(6).classList.contains("si-sqlrow-failed"));
    assert.equal(row(6).querySelector(".si-sql-error").textContent, "IntegrityError: NOT NULL constraint failed: users.name");
  });

  test("groups by similar and by duplicate statements", async () => {
    const { el } = await mount({ ...sample, sql: LOG, diagnostics: [] });
    const grouping = el.querySelector("select.si-sql-grouping");
    grouping.value = "similar";
    grouping.dispatchEvent(new window.Event("change"));
    const groups = [...el.querySelectorAll("tr.si-sqlgroup")];
    assert.equal(groups.length, 3); // the SELECT ×3, each INSERT ×1; BEGIN left out
    assert.equal(groups[0].querySelector(".si-sql-count").textContent, "× 3");
    assert.deepEqual(
      texts(groups[0], ".si-sql-members li").map((t) => t.split(" · ")[0]),
      ["#2 ('a',)", "#3 ('b',)", "#4 ('a',)"],
    );
    grouping.value = "duplicates";
    grouping.dispatchEvent(new window.Event("change"));
    const dups = [...el.querySelectorAll("tr.si-sqlgroup")];
    assert.equal(dups.length, 1);
    assert.equal(dups[0].querySelector(".si-sql-count").textContent, "× 2");
    dups[0].querySelector("code").click(); // a group opens Why? on its first run
    assert.ok(el.querySelector(".si-section-why").textContent.includes("Run by Session.execute"));
    assert.equal(el.querySelector("select.si-sql-grouping").value, "duplicates", "kept across renders");
  });

  test("a click shows the user's stack and the error in Why?", async () => {
    const { el } = await mount({ ...sample, sql: LOG, diagnostics: [] });
    el.querySelector('tr.si-sqlrow[data-seq="6"] .si-sql-text').click();
    const why = el.querySelector(".si-section-why");
    assert.ok(why.querySelector(".si-sql-error").textContent.startsWith("It failed: IntegrityError"));
    assert.deepEqual(texts(why, ".si-stack li"), ["cell, line 9: save(None)", "cell, line 4: s.commit() (in save)"]);
  });
});

describe("values cut short", () => {
  test("a ⋯ button asks Python for the whole text and shows it in place, and folds it again", async () => {
    const long = "'" + "x".repeat(78) + "…";
    const snap = structuredClone(sample);
    snap.objects[0].attributes[1].value = long;
    const { el, model } = await mount(snap);
    const dd = el.querySelector('span.si-value[data-ref="attr:o1:name"]');
    assert.ok(dd, "the cut value carries its reference");
    assert.equal(el.querySelector('span.si-value[data-ref="attr:o1:id"]'), null, "whole values get no button");
    dd.querySelector("button.si-more").click();
    assert.deepEqual(model.sent.at(-1), { type: "full", ref: "attr:o1:name" });
    const whole = "'" + "x".repeat(5000) + "'";
    model.receive({ type: "full", ref: "attr:o1:name", text: whole });
    const shown = el.querySelector('span.si-value[data-ref="attr:o1:name"] .si-whole');
    assert.equal(shown.textContent, whole);
    model.set("snapshot", { ...snap, seq: snap.seq + 1 }); // a re-render keeps it open
    assert.equal(el.querySelector('span.si-value[data-ref="attr:o1:name"] .si-whole').textContent, whole);
    el.querySelector('span.si-value[data-ref="attr:o1:name"] button.si-less').click();
    assert.equal(el.querySelector(".si-whole"), null);
    const params = el.querySelector('li.si-steprow span.si-value, tr.si-sqlrow span.si-value');
    assert.equal(params, null, "the sample's parameters are short");
  });

  test("an error answer (or none at all) says the value is unavailable", async () => {
    const snap = structuredClone(sample);
    snap.sql[1].parameters = "('" + "y".repeat(100) + "…";
    const { el, model } = await mount(snap);
    const ref = `sql:${snap.sql[1].seq}`;
    el.querySelector(`button.si-more[data-ref="${ref}"]`).click();
    assert.deepEqual(model.sent.at(-1), { type: "full", ref });
    model.receive({ type: "full", ref, error: "LookupError: statement #2 is no longer in the log" });
    assert.ok(el.querySelector(".si-whole-error").textContent.includes("no longer in the log"));
  });
});

describe("hostile snapshot", () => {
  test("every planted value is text: no element, attribute or script comes from data", async () => {
    const { el } = await mount(hostile);
    await until(() => el.querySelector(".si-graph svg"), "the graph");
    globalThis.__pwned = undefined;
    // click everything clickable: rows, steps, objects, graph nodes, buttons that are not commands
    for (const node of el.querySelectorAll("tr.si-sqlrow, li.si-steprow, tr.si-object, g.node, button.si-more, summary")) {
      node.dispatchEvent(new window.MouseEvent("click", { bubbles: true }));
    }
    for (const value of ["similar", "duplicates", "each"]) {
      const grouping = el.querySelector("select.si-sql-grouping");
      grouping.value = value;
      grouping.dispatchEvent(new window.Event("change"));
    }
    assert.equal(el.querySelectorAll("script, img, iframe, foreignObject, a[href^=javascript]").length, 0);
    for (const node of el.querySelectorAll("*")) {
      for (const attr of node.getAttributeNames()) {
        assert.ok(!attr.toLowerCase().startsWith("on"), `${node.tagName} has ${attr}`);
        assert.ok(!String(node.getAttribute(attr)).includes("javascript:"), `${node.tagName} ${attr}`);
      }
    }
    assert.equal(globalThis.__pwned, undefined);
    for (const hidden of ["\u0000", "\u202e", "\u2066", "\u200b"]) {
      assert.ok(!el.textContent.includes(hidden), `raw U+${hidden.charCodeAt(0).toString(16)} shown`);
    }
    assert.ok(el.textContent.includes("abc\\u202edcba"), "shown as an escape");
    assert.ok(el.textContent.includes("<script>window.__pwned = 1</script>"), "shown as text");
    const svgText = el.querySelector(".si-graph svg").textContent;
    assert.ok(svgText.includes("<script>window.__pwned=1</script>"), "the HTML-like DOT label is text in the SVG");
  });
});

describe("large plans", () => {
  test("a step of 10,000 objects shows a count and a searchable list, not 10,000 names", async () => {
    const objects = Array.from({ length: 10_000 }, (_, i) => ({
      id: `o${i + 1}`, cls: "User", label: `User #${i + 1}`, identity: null, status: "pending",
      modified: true, expired: [], attributes: [], in_session: true,
    }));
    const ids = objects.map((o) => o.id);
    const snap = {
      ...sample,
      objects,
      new: ids,
      dirty: [],
      deleted: [],
      flush: {
        ...sample.flush,
        status: "open",
        cursor: 0,
        steps: [{ index: 0, node: "n1", kind: "save", label: "INSERT/UPDATE User", mapper: "User", objects: ids, state: "current", statements: [], synced: [] }],
        edges: [],
        cycles: [],
        dot: 'digraph flush { n1 [label="1. INSERT/UPDATE User\\n10000 objects" id=n1 class="si-step si-current"] }',
      },
    };
    const started = performance.now();
    const { el } = await mount(snap);
    const took = performance.now() - started;
    const row = el.querySelector('li.si-steprow[data-index="0"]');
    const names = row.querySelector(".si-step-objects").textContent;
    assert.ok(names.startsWith("10000 objects: User #1, User #2"));
    assert.ok(names.length < 200, names);
    row.querySelector(".si-step-label").click();
    const why = el.querySelector(".si-section-why");
    assert.ok(why.textContent.includes("For these 10000 objects"));
    assert.equal(why.querySelectorAll(".si-members > li").length, 21);
    const find = why.querySelector("input.si-member-search");
    find.value = "User #9876";
    find.dispatchEvent(new window.Event("input"));
    assert.deepEqual(texts(why, ".si-members > li"), ["User #9876"]);
    await until(() => el.querySelector(".si-graph svg"), "the graph");
    assert.equal(el.querySelector(".si-graph svg").textContent.includes("10000 objects"), true);
    console.log(`[large plan] 10,000-object step mounted in ${took.toFixed(0)} ms (happy-dom)`);
  });
});

describe("long plans", () => {
  test("thousands of per-row steps: the list shows a window around the cursor", async () => {
    const steps = Array.from({ length: 2000 }, (_, i) => ({
      index: i, node: `n${i}`, kind: "save", label: `INSERT/UPDATE Node#${i}`, mapper: "Node", objects: [],
      state: i < 1000 ? "done" : i === 1000 ? "current" : "pending", statements: [], synced: [],
    }));
    const snap = {
      ...sample,
      flush: { ...sample.flush, status: "open", cursor: 1000, steps, edges: [], cycles: [], dot: "digraph flush { n1000 [id=n1000] }" },
    };
    const { el } = await mount(snap);
    const rows = [...el.querySelectorAll("li.si-steprow")];
    assert.equal(rows.length, 60);
    assert.equal(rows[0].dataset.index, "990");
    assert.ok(el.querySelector("li.si-steprow-current"), "the current step is in the window");
    assert.deepEqual(texts(el, "li.si-steps-more").map((t) => t.split(" (")[0]), ["… 990 steps before", "… 950 steps after"]);
  });
});

describe("batches in the plan", () => {
  test("a step's statement says how many rows it wrote and in how many executions", async () => {
    const said = async (executions) => {
      const snap = structuredClone(sample);
      Object.assign(snap.flush.steps[0].statements[0], { rows: 500, executions });
      const { el } = await mount(snap);
      return el.querySelector('li.si-steprow[data-index="0"] .si-sql-meta').textContent;
    };
    // as the SQL log's entry says it: "INSERT INTO address × 500 (one executemany call)"
    for (const [executions, note] of [
      [1, " · 500 parameter sets in one executemany call"],
      [500, " · 500 parameter sets: 500 executions, one per row"],
      [5, " · 500 parameter sets: 5 executions"],
    ]) {
      const meta = await said(executions);
      assert.ok(meta.includes(note), meta);
    }
  });
});

// js/test/views.test.mjs: the views of issue 9 on the BUILT front-end (inspector/static), in Node
// with happy-dom and a fake anywidget model: the transaction stack's SAVEPOINT names and rollback
// previews, narration grouped by cell and flush, Run to a class, keyboard shortcuts and help,
// the compact / full layout, large text, and the plan's foreign-key diagnostics.
// Run: cd js && npm test
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, beforeEach, describe, test } from "node:test";
import { FIXTURES, loadBundle, mountView, texts, until, window } from "./harness.mjs";

let bundle;
let sample;

const mount = (snapshot = sample) => mountView(bundle, snapshot);
const key = (el, k) =>
  el.querySelector(".si-root").dispatchEvent(new window.KeyboardEvent("keydown", { key: k, bubbles: true }));

before(async () => {
  sample = JSON.parse(await readFile(new URL("sample_snapshot.json", FIXTURES), "utf8"));
  bundle = await loadBundle();
});

after(async () => {
  await window.happyDOM.close();
});

beforeEach(() => {
  document.body.replaceChildren();
});

describe("transaction stack", () => {
  test("a SAVEPOINT level shows its name; each level what its rollback would restore", async () => {
    const { el } = await mount();
    const levels = [...el.querySelectorAll("li.si-tx")];
    assert.equal(levels[1].querySelector(".si-tx-savepoint").textContent, "sa_savepoint_1");
    assert.equal(levels[0].querySelector(".si-tx-savepoint"), null);
    const root = levels[0].querySelector("details.si-rollback");
    assert.equal(
      root.querySelector("summary").textContent,
      "Rollback would restore: 2 back to transient, 1 undeleted, 1 value restored, 3 expired",
    );
    assert.equal(root.querySelector(".si-rb-transient").textContent, "Back to transient (expunged): User (pending), Address (pending)");
    assert.ok(root.querySelector(".si-rb-undeleted").textContent.endsWith("Address(2)"));
    assert.equal(root.querySelector(".si-rb-restored").textContent, "Restored: User(1).nickname: '<img src=x onerror=alert(1)>' → 'eddie'");
    assert.equal(el.querySelectorAll("img").length, 0);
    assert.ok(root.querySelector(".si-rb-expired").textContent.includes("every object in the identity map (3)"));
    const nested = levels[1].querySelector("details.si-rollback");
    assert.ok(nested.querySelector(".si-rb-reloaded").textContent.endsWith("Address(1)"));
    assert.ok(nested.querySelector(".si-rb-expired").textContent.includes("1 changed object reload"));
    // the flush's subtransaction rolls back with its SAVEPOINT
    assert.ok(levels[2].querySelector("details.si-rollback summary").textContent.startsWith("Rollback (of the nested sa_savepoint_1 level) would restore"));
  });

  test("an inactive level has no preview", async () => {
    const transactions = sample.transactions.map((t) => ({ ...t, status: "deactive", rollback: null }));
    const { el } = await mount({ ...sample, transactions });
    assert.equal(el.querySelectorAll("details.si-rollback").length, 0);
  });
});

describe("narration", () => {
  test("sentences are grouped by cell (or button) and by flush", async () => {
    const { el } = await mount();
    const items = [...el.querySelectorAll(".si-events > li")].map((li) => [li.className, li.textContent]);
    const headings = items.filter(([c]) => c !== "si-event" && !c.includes("si-event-in-flush"));
    assert.deepEqual(
      headings.map(([, t]) => t),
      ["Cell [3]", "Cell [4]", "Cell [5]", "Inspector: Step button", "Flush #1"],
    );
    const inFlush = items.filter(([c]) => c.includes("si-event-in-flush")).map(([, t]) => t);
    assert.deepEqual(inFlush, sample.narration.filter((e) => e.flush === 1).map((e) => e.text));
    assert.ok(items.some(([, t]) => t.includes("<img src=x onerror=alert(1)>")));
    assert.equal(el.querySelectorAll("img").length, 0);
  });

  test("the snapshot carries the sentences once: as narration, no plain events list", async () => {
    assert.equal(sample.events, undefined);
    const { el } = await mount({ ...sample, narration: [], events: ["a stale plain list"] });
    assert.equal(el.querySelectorAll(".si-events").length, 0);
    assert.equal(el.querySelector(".si-section-events .si-empty").textContent, "No events yet");
  });
});

describe("Run to a class", () => {
  test("the chooser offers the classes of the steps still to run and sends run_to:<Class>", async () => {
    const { el, model } = await mount();
    const choice = el.querySelector("select.si-mapper");
    assert.deepEqual([...choice.options].map((o) => o.value), ["Address"]); // steps 3 and 4
    el.querySelector("button.si-run-to").click();
    assert.deepEqual(model.sent.at(-1), { type: "command", name: "run_to:Address" });
    assert.equal(el.querySelector("button.si-run-to").disabled, true, "busy until the ack");
    model.receive({ type: "ack", name: "run_to:Address" });
    key(el, "m");
    assert.equal(model.sent.length, 2);
  });

  test("with no flush open it offers the classes of new, dirty and deleted objects", async () => {
    const { el, model } = await mount({ ...sample, flush: null });
    const choice = el.querySelector("select.si-mapper");
    assert.deepEqual([...choice.options].map((o) => o.value), ["Address", "User"]);
    choice.value = "User";
    el.querySelector("button.si-run-to").click();
    assert.deepEqual(model.sent.at(-1), { type: "command", name: "run_to:User" });
  });

  test("nothing to choose: Run to is disabled", async () => {
    const { el } = await mount({ ...sample, flush: null, new: [], dirty: [], deleted: [] });
    assert.equal(el.querySelector("select.si-mapper").disabled, true);
    assert.equal(el.querySelector("button.si-run-to").disabled, true);
  });
});

describe("layout, text size and help", () => {
  test("compact shows the identity map and the plan only; c toggles back", async () => {
    const { el } = await mount();
    const sections = () => [...el.querySelectorAll(".si-section")].map((s) => s.className.replace("si-section si-section-", ""));
    assert.deepEqual(sections(), ["identity", "transactions", "flush", "sql", "events"]);
    el.querySelector("button.si-layout").click();
    assert.deepEqual(sections(), ["identity", "flush"]);
    assert.equal(el.querySelector("button.si-layout").textContent, "Full");
    assert.ok(el.querySelector(".si-root").classList.contains("si-compact"));
    key(el, "c");
    assert.deepEqual(sections(), ["identity", "transactions", "flush", "sql", "events"]);
  });

  test("large text for a projector, from the button or t", async () => {
    const { el } = await mount();
    const root = el.querySelector(".si-root");
    el.querySelector("button.si-large-text").click();
    assert.ok(root.classList.contains("si-large"));
    assert.equal(el.querySelector("button.si-large-text").getAttribute("aria-pressed"), "true");
    key(el, "t");
    assert.ok(!root.classList.contains("si-large"));
  });

  test("the help lists every shortcut; ? shows it", async () => {
    const { el } = await mount();
    const help = el.querySelector(".si-help");
    assert.equal(help.hidden, true);
    key(el, "?");
    assert.equal(help.hidden, false);
    assert.deepEqual(texts(help, "kbd"), ["s", "r", "m", "← / →", "Home / End", "c", "t", "?"]);
    assert.ok(el.querySelector(".si-root").title.includes("? for help"));
    el.querySelector("button.si-help-toggle").click();
    assert.equal(help.hidden, true);
  });
});

describe("plan diagnostics", () => {
  test("a foreign key without relationship() is flagged in the plan and drawn dashed", async () => {
    const text = "players.team_id references teams, but no relationship() links Player and Team";
    const dot = sample.flush.dot.replace(
      /}\s*$/,
      `  "SaveUpdateAll(User)" -> "SaveUpdateAll(Address)" [label="players.team_id: no relationship(), order undefined" class="si-warning-edge" style=dashed constraint=false dir=none]\n}\n`,
    );
    const { el } = await mount({ ...sample, flush: { ...sample.flush, diagnostics: [text], dot } });
    const item = el.querySelector(".si-plan-diagnostics li");
    assert.equal(item.textContent, `order undefined ${text}`);
    await until(() => el.querySelector(".si-graph svg"), "the graph");
    assert.equal(el.querySelectorAll(".si-graph svg g.edge.si-warning-edge").length, 1);
  });
});

describe("cycles", () => {
  test("a cycle no order resolves is said as such, not as 'cycles broken'", async () => {
    const snap = structuredClone(sample);
    snap.flush.status = "failed";
    snap.flush.cycles = [["Node"]];
    snap.flush.nodes = snap.flush.nodes.map((n, i) => ({ ...n, cycle: i < 2 }));
    const { el } = await mount(snap);
    const note = el.querySelector(".si-cycles");
    assert.ok(note.classList.contains("si-cycles-unresolved"));
    assert.equal(note.textContent, "a cycle no order resolves (drawn in red): 1. INSERT/UPDATE User → 2. sync User.addresses -> Address.user_id");
    snap.flush.nodes = snap.flush.nodes.map((n) => ({ ...n, cycle: false }));
    const { el: broken } = await mount(snap);
    assert.equal(broken.querySelector(".si-cycles").textContent, "cycles broken: Node");
  });
});

// js/src/patch.ts
// Keyed snapshot patches (Python: inspector/trace/patch.py).  After the first whole snapshot the
// kernel sends {type: "patch", patch} custom messages: top-level keys replaced when changed,
// objects added / changed / removed by id.  They are applied once per *model* (from the
// widget's `initialize`, so a view displayed later and every view of the model see the same
// state); the result is set on the model locally, so the saved widget state stays whole.

import type { AttributeView, ObjectView, SessionSnapshot } from "./protocol";

/** A changed object's changed fields; ``attributes`` either whole or ``{index: changed keys}``. */
export type ObjectChange = Partial<Omit<ObjectView, "attributes">> & {
  attributes?: AttributeView[] | Record<string, Partial<AttributeView>>;
};

export interface SnapshotPatch {
  base: number | null;
  seq: number | null;
  set?: Record<string, unknown>;
  drop?: string[];
  upsert?: ObjectView[];
  change?: Record<string, ObjectChange>;
  remove?: string[];
  order?: string[];
}

type Snapshot = Partial<SessionSnapshot> & Record<string, unknown>;

/** A new snapshot: ``old`` with ``patch`` applied; unchanged objects are the same objects. */
export function applyPatch(patch: SnapshotPatch, old: Snapshot): Snapshot {
  const drop = new Set(patch.drop ?? []);
  const next: Snapshot = {};
  for (const [key, value] of Object.entries(old)) if (!drop.has(key)) next[key] = value;
  Object.assign(next, patch.set ?? {});
  const touched =
    patch.upsert !== undefined ||
    patch.remove !== undefined ||
    patch.order !== undefined ||
    patch.change !== undefined;
  if (drop.has("objects") || !touched) return next;
  const upsert = new Map((patch.upsert ?? []).map((o) => [o.id, o]));
  const change = patch.change ?? {};
  const gone = new Set(patch.remove ?? []);
  let objects: ObjectView[] = [];
  for (const obj of old.objects ?? []) {
    if (gone.has(obj.id)) continue;
    const fields = Object.prototype.hasOwnProperty.call(change, obj.id) ? change[obj.id] : undefined;
    if (fields !== undefined) {
      objects.push(merged(obj, fields));
      continue;
    }
    const changed = upsert.get(obj.id);
    if (changed) upsert.delete(obj.id);
    objects.push(changed ?? obj);
  }
  for (const obj of upsert.values()) objects.push(obj);
  if (patch.order) {
    const byId = new Map(objects.map((o) => [o.id, o]));
    objects = patch.order.map((id) => byId.get(id)).filter((o): o is ObjectView => o !== undefined);
  }
  next.objects = objects;
  return next;
}

/** ``obj`` with its changed fields applied (``obj`` is left as it was). */
function merged(obj: ObjectView, fields: ObjectChange): ObjectView {
  const { attributes, ...rest } = fields;
  const out: ObjectView = { ...obj, ...rest };
  if (Array.isArray(attributes)) out.attributes = attributes;
  else if (attributes) {
    const attrs = obj.attributes.slice();
    for (const [index, values] of Object.entries(attributes)) {
      const i = Number(index);
      attrs[i] = { ...attrs[i], ...values } as AttributeView;
    }
    out.attributes = attrs;
  }
  return out;
}

/** The part of anywidget's model this needs. */
export interface PatchableModel {
  get(name: "snapshot"): unknown;
  set(name: "snapshot", value: unknown): void;
  send(content: unknown): void;
  on(event: string, cb: (msg: unknown) => void): void;
  off(event: string, cb: (msg: unknown) => void): void;
}

/** Apply the kernel's patches to ``model``; tell the kernel this front-end takes them. */
export function followPatches(model: PatchableModel): () => void {
  const onMessage = (msg: unknown): void => {
    if (!msg || typeof msg !== "object" || (msg as { type?: unknown }).type !== "patch") return;
    const patch = (msg as { patch: SnapshotPatch }).patch;
    const current = (model.get("snapshot") ?? {}) as Snapshot;
    if (current.seq === patch.seq) return; // already applied
    if (current.seq !== patch.base) {
      model.send({ type: "resync" }); // missed one: ask for the whole snapshot
      return;
    }
    model.set("snapshot", applyPatch(patch, current));
  };
  model.on("msg:custom", onMessage);
  model.send({ type: "hello" });
  return () => model.off("msg:custom", onMessage);
}

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { Store } from "../../lib/store/mod.ts";
import { makeConflict, makeResult, T0, tempDb, withDb } from "./fixtures.ts";

function count(path: string, table: string, where = "true"): number {
  return withDb(
    path,
    (db) => db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number },
  ).n;
}

Deno.test("prune removes only rows past retention, in batches, newest versions kept", () => {
  using tmp = tempDb();
  let now = T0;
  const store = Store.open(tmp.path, {
    retentionMs: 60_000,
    snapshotRetentionMs: 10_000,
    pruneBatch: 50,
    now: () => now,
  });
  // Versions 1..100 every 2 s (T0 .. T0+198 s), 3 nodes and 6 links each.
  for (let v = 1; v <= 100; v++) {
    const at = T0 + (v - 1) * 2000;
    assert.equal(store.write(makeResult(v, { conflicts: [makeConflict("node1", v, at)] })), true);
  }
  assert.equal(store.prune(), 0, "nothing is old at T0");

  now = T0 + 200_000; // retention cutoff T0+140 s: versions 1..70; snapshot cutoff T0+190 s: 1..95
  const oldSnapshots = count(tmp.path, "snapshots", "version < 96");
  const keptSnapshots = count(tmp.path, "snapshots", "version >= 96");
  assert.ok(oldSnapshots > 0 && keptSnapshots > 0, "snapshots on change or every minute");
  const batches: number[] = [];
  for (let n = store.prune(); n > 0; n = store.prune()) batches.push(n);
  // Link rows are changes since a keyframe (versions 1 and 61): those of 1..60 go, 61..70 stay
  // to rebuild 71..100; every version's links changed in these fixtures (one frame of 6 rows each).
  assert.ok(batches.length >= Math.ceil((70 * 3) / 50), `deleted in ${batches.length} calls`);
  assert.ok(batches.every((n) => n <= 6 * 50), "at most one batch per table per call");
  assert.equal(batches.reduce((a, b) => a + b, 0), 70 * 3 + 60 + 1 + 70 + 70 + oldSnapshots);

  assert.deepEqual(
    [...new Set(store.nodeHistory().map((p) => p.version))],
    Array.from({ length: 30 }, (_, i) => 71 + i),
  );
  assert.equal(store.nodeHistory().length, 90);
  assert.equal(store.linkHistory().length, 180);
  assert.equal(store.linkHistory()[0]?.version, 71);
  assert.deepEqual(store.conflicts().map((c) => c.conflict_id)[0], 71);
  assert.deepEqual(store.conflictHighWater(), { node1: 100 }, "high-water mark survives pruning");
  assert.equal(store.lastVersion(), 100);
  assert.equal(store.latestSnapshot()?.version, 100);
  store.close();
  assert.equal(count(tmp.path, "snapshots"), keptSnapshots);
  assert.equal(count(tmp.path, "cycles"), 30);
  assert.equal(count(tmp.path, "link_frames"), 40);
  assert.equal(count(tmp.path, "keyframes"), 1);
});

Deno.test("prune keeps the newest version and snapshot even when all are past retention", () => {
  using tmp = tempDb();
  const store = Store.open(tmp.path, { retentionMs: 1000 });
  for (let v = 1; v <= 3; v++) store.write(makeResult(v));
  let total = 0;
  for (let n = store.prune(T0 + 86_400_000); n > 0; n = store.prune(T0 + 86_400_000)) total += n;
  // Node rows and cycles 1-2 go; the one stored snapshot (version 1, nothing changed since) is
  // the newest and stays; link rows from the newest keyframe (1) on stay: they rebuild version 3.
  assert.equal(total, 3 * 3 + 2);
  assert.deepEqual(store.nodeHistory(), []);
  assert.deepEqual([...new Set(store.linkHistory().map((l) => l.version))], [3]);
  store.close();
  using again = Store.open(tmp.path);
  assert.equal(again.lastVersion(), 3);
  assert.equal(again.latestSnapshot()?.version, 1);
});

Deno.test("prune never throws: a locked database logs a warning and returns 0", () => {
  using tmp = tempDb();
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, error() {}, warn: (msg: string) => warnings.push(msg) };
  using store = Store.open(tmp.path, { retentionMs: 1000, busyTimeoutMs: 10, logger });
  store.write(makeResult(1));
  store.write(makeResult(2));
  const other = new DatabaseSync(tmp.path);
  try {
    other.exec("BEGIN IMMEDIATE");
    assert.equal(store.prune(T0 + 86_400_000), 0);
    assert.deepEqual(warnings, ["Store prune failed"]);
    other.exec("ROLLBACK");
  } finally {
    other.close();
  }
  assert.ok(store.prune(T0 + 86_400_000) > 0);
});

Deno.test("prune checkpoints the WAL into the database file at most every checkpointIntervalMs", () => {
  using tmp = tempDb();
  using store = Store.open(tmp.path, { checkpointIntervalMs: 10_000 });
  const fileSize = () => Deno.statSync(tmp.path).size;
  let v = 0;
  const writeSome = () => {
    for (let i = 0; i < 20; i++) assert.equal(store.write(makeResult(++v, { nodes: 10 })), true);
  };
  writeSome();
  const before = fileSize();
  store.prune(T0);
  const checkpointed = fileSize();
  assert.ok(checkpointed > before, `${checkpointed} > ${before}: pages copied from the WAL`);
  writeSome();
  store.prune(T0 + 9_999);
  assert.equal(fileSize(), checkpointed, "no checkpoint within the interval");
  store.prune(T0 + 10_000);
  assert.ok(fileSize() > checkpointed);
});

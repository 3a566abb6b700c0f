import assert from "node:assert/strict";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseSnapshot } from "../../lib/snapshot/mod.ts";
import { Store } from "../../lib/store/mod.ts";
import { makeConflict, makeResult, recordingLogger, T0, tempDb } from "./fixtures.ts";

Deno.test("write stores node and link history readable by node, link and time range", () => {
  using tmp = tempDb();
  using store = Store.open(tmp.path);
  assert.ok(Deno.statSync(dirname(tmp.path)).isDirectory, "parent directory created");
  for (let v = 1; v <= 10; v++) {
    assert.equal(store.write(makeResult(v, { down: v === 4 ? "node3" : undefined })), true);
  }

  const node2 = store.nodeHistory({ node: "node2" });
  assert.deepEqual(node2.map((p) => p.version), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(node2[6], {
    version: 7,
    at: new Date(T0 + 6 * 2000).toISOString(),
    node: "node2",
    status: "HEALTHY",
    reasons: [],
    error: null,
    lag_seconds: 1.75,
    lag_bytes: 112,
    lag_xid: 0,
    walsender_active: true,
    conflict_count: 8,
    conflicts_per_minute: 0.5,
    apply_errors: 0,
    retained_wal_bytes: 16391,
    apply_paused: false,
    probe_ms: 2.25,
  });
  const down = store.nodeHistory({ node: "node3", from: T0 + 3 * 2000, to: T0 + 3 * 2000 });
  assert.equal(down.length, 1);
  assert.equal(down[0]!.status, "DOWN");
  assert.deepEqual(down[0]!.reasons, ['Cannot reach node "node3"']);
  assert.equal(down[0]!.error, "connection refused");
  assert.equal(down[0]!.lag_seconds, null);
  assert.equal(down[0]!.walsender_active, null);

  assert.equal(store.nodeHistory().length, 30);
  const range = store.nodeHistory({ from: T0 + 2 * 2000, to: T0 + 5 * 2000 });
  assert.deepEqual([...new Set(range.map((p) => p.version))], [3, 4, 5, 6], "inclusive range");
  assert.deepEqual(range.slice(0, 3).map((p) => p.node), ["node1", "node2", "node3"]);
  assert.deepEqual(store.nodeHistory({ node: "node1", limit: 3 }).map((p) => p.version), [
    8,
    9,
    10,
  ]);
  assert.deepEqual(store.nodeHistory({ node: "nodeX" }), []);

  const link = store.linkHistory({ from: "node1", to: "node3" });
  assert.equal(link.length, 10);
  assert.deepEqual(link[4], {
    version: 5,
    at: new Date(T0 + 4 * 2000).toISOString(),
    from: "node1",
    to: "node3",
    active: true,
    lag_seconds: 1.25,
    lag_bytes: 0,
    lag_xid: 5,
    pending_send_bytes: 0,
    retained_wal_bytes: 8197,
    catch_up_seconds: 0.1,
    conflicts: 2,
    apply_errors: 0,
    lag_method: "caught_up",
    wal_status: "reserved",
  });
  const inbound = store.linkHistory({ to: "node1", since: T0 + 8 * 2000 });
  assert.deepEqual(inbound.map((l) => `${l.version}:${l.from}`), [
    "9:node2",
    "9:node3",
    "10:node2",
    "10:node3",
  ]);
  assert.equal(store.linkHistory({ from: "node2", until: T0 }).length, 2);
  assert.equal(store.linkHistory().length, 60);
});

Deno.test("versions continue across close and reopen, with the latest snapshot", () => {
  using tmp = tempDb();
  const first = Store.open(tmp.path);
  assert.equal(first.lastVersion(), 0);
  assert.equal(first.latestSnapshot(), null);
  for (let v = 1; v <= 5; v++) first.write(makeResult(v));
  first.close();

  using again = Store.open(tmp.path);
  assert.equal(again.lastVersion(), 5);
  const latest = again.latestSnapshot();
  assert.deepEqual(latest, makeResult(5).snapshot);
  assert.equal(parseSnapshot(latest).version, 5);
  assert.equal(again.write(makeResult(again.lastVersion() + 1)), true);
  assert.equal(again.lastVersion(), 6);
  assert.equal(again.latestSnapshot()?.version, 6);
});

Deno.test("conflict rows are stored once per (node, conflict_id) and give the high-water mark", () => {
  using tmp = tempDb();
  const store = Store.open(tmp.path, { storeConflictTuples: true });
  const c = (node: string, id: number) => makeConflict(node, id, T0 + id * 1000);
  store.write(makeResult(1, { conflicts: [c("node1", 1), c("node1", 2), c("node2", 7)] }));
  store.write(makeResult(2, { conflicts: [c("node1", 2), c("node1", 3)] }));
  assert.deepEqual(store.conflictHighWater(), { node1: 3, node2: 7 });
  assert.deepEqual(store.conflicts().map((r) => `${r.node}:${r.conflict_id}`), [
    "node1:1",
    "node1:2",
    "node1:3",
    "node2:7",
  ]);
  assert.deepEqual(store.conflicts({ node: "node1" })[2], c("node1", 3));
  assert.deepEqual(store.conflicts({ since: T0 + 3000 }).map((r) => r.conflict_id), [3, 7]);
  assert.deepEqual(store.conflicts({ limit: 1 }).map((r) => r.conflict_id), [7]);
  store.close();
  using again = Store.open(tmp.path);
  assert.deepEqual(again.conflictHighWater(), { node1: 3, node2: 7 });
});

Deno.test("recentConflictSamples returns per-node conflict counts since a time", () => {
  using tmp = tempDb();
  using store = Store.open(tmp.path);
  for (let v = 1; v <= 6; v++) store.write(makeResult(v, { down: v === 5 ? "node2" : undefined }));
  const samples = store.recentConflictSamples(T0 + 3 * 2000);
  assert.deepEqual(samples.filter((s) => s.node === "node2"), [
    { node: "node2", at_ms: T0 + 3 * 2000, conflict_count: 5 },
    { node: "node2", at_ms: T0 + 5 * 2000, conflict_count: 7 },
  ], "no sample while node2 was DOWN (count unknown)");
  assert.equal(samples.length, 8);
  assert.deepEqual(samples.slice(0, 3).map((s) => s.node), ["node1", "node2", "node3"]);
});

Deno.test("a locked database fails the write: logged, counted, and later versions continue", () => {
  using tmp = tempDb();
  const { logger, lines } = recordingLogger();
  using store = Store.open(tmp.path, { logger, busyTimeoutMs: 20 });
  assert.equal(store.write(makeResult(1)), true);

  const other = new DatabaseSync(tmp.path);
  try {
    other.exec("BEGIN EXCLUSIVE");
    assert.equal(store.write(makeResult(2)), false);
    assert.equal(store.writeErrors, 1);
    assert.match(store.lastWriteError ?? "", /locked/);
    assert.deepEqual(
      lines.filter((l) => l.level === "error").map((l) => [l.msg, l.fields?.version]),
      [
        ["Store write failed", 2],
      ],
    );
    assert.deepEqual(
      store.nodeHistory({ node: "node1" }).map((p) => p.version),
      [1],
      "reads go on",
    );
    other.exec("ROLLBACK");
  } finally {
    other.close();
  }

  assert.equal(store.write(makeResult(3)), true);
  assert.equal(store.writeErrors, 1);
  assert.equal(store.lastWriteError, null);
  assert.equal(store.lastVersion(), 3);
  assert.deepEqual(store.nodeHistory({ node: "node1" }).map((p) => p.version), [1, 3]);
  assert.ok(lines.some((l) => l.msg === "Store write recovered"));
});

Deno.test("a failure inside the transaction rolls back every row of that version", () => {
  using tmp = tempDb();
  using store = Store.open(tmp.path);
  const broken = makeResult(1);
  broken.snapshot.links.push({ ...broken.snapshot.links[0]! });
  assert.equal(store.write(broken), false, "duplicate link rejected after node rows were inserted");
  assert.equal(store.lastVersion(), 0);
  assert.deepEqual(store.nodeHistory(), []);
  assert.deepEqual(store.linkHistory(), []);
  assert.equal(store.latestSnapshot(), null);

  assert.equal(store.write(makeResult(1)), true);
  const again = makeResult(1, { down: "node1" });
  assert.equal(store.write(again), false, "a version already stored is refused");
  assert.equal(store.writeErrors, 2);
  assert.deepEqual(store.nodeHistory({ node: "node1" }).map((p) => p.status), ["HEALTHY"]);
  assert.equal(store.write(makeResult(5)), true);
  assert.equal(store.write(makeResult(3)), false, "versions never go backwards");
  assert.equal(store.lastWriteError, "Version 3 is not above the last stored version 5");
  assert.deepEqual(store.nodeHistory({ node: "node1" }).map((p) => p.version), [1, 5]);
});

Deno.test("write never throws: bad input and a closed store count as failures", () => {
  using tmp = tempDb();
  const store = Store.open(tmp.path);
  const bad = makeResult(1);
  bad.snapshot.collected_at = "yesterday";
  assert.equal(store.write(bad), false);
  assert.match(store.lastWriteError ?? "", /Invalid collected_at/);
  store.close();
  store.close();
  assert.equal(store.write(makeResult(2)), false);
  assert.equal(store.writeErrors, 2);
  assert.throws(() => store.lastVersion(), /Store is closed/);
});

Deno.test("no DSN password reaches the SQLite file", () => {
  using tmp = tempDb();
  const error =
    "connect to postgres://monitor:s3cr3t-pw@10.0.0.5:5432/app failed (password=hunter2xyz sslmode=require)";
  const conflict = {
    ...makeConflict("node1", 1, T0),
    error_message: "dsn host=h password='q 9zz'",
  };
  const store = Store.open(tmp.path);
  assert.equal(store.write(makeResult(1, { down: "node2", error, conflicts: [conflict] })), true);
  const stored = store.latestSnapshot()?.nodes.node2?.error;
  assert.equal(
    stored,
    "connect to postgres://monitor:****@10.0.0.5:5432/app failed (password=**** sslmode=require)",
  );
  assert.equal(store.nodeHistory({ node: "node2" })[0]?.error, stored);
  assert.equal(store.conflicts()[0]?.error_message, "dsn host=h password=****");
  store.close();

  let bytes = "";
  for (const entry of Deno.readDirSync(dirname(tmp.path))) {
    bytes += new TextDecoder("latin1").decode(
      Deno.readFileSync(`${dirname(tmp.path)}/${entry.name}`),
    );
  }
  assert.ok(bytes.includes("monitor:****@10.0.0.5"), "the redacted text is in the file");
  for (const secret of ["s3cr3t-pw", "hunter2xyz", "9zz"]) {
    assert.ok(!bytes.includes(secret), secret);
  }
});

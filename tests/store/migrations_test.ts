import assert from "node:assert/strict";
import { SCHEMA_VERSION, Store } from "../../lib/store/mod.ts";
import { migrate, schemaVersion } from "../../lib/store/migrations.ts";
import { makeResult, T0, tempDb, withDb } from "./fixtures.ts";

Deno.test("a new database gets the latest schema, WAL mode, and reopening changes nothing", () => {
  using tmp = tempDb();
  Store.open(tmp.path).close();
  withDb(tmp.path, (db) => {
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    assert.equal(SCHEMA_VERSION >= 2, true);
    assert.deepEqual({ ...db.prepare("PRAGMA journal_mode").get() }, { journal_mode: "wal" });
    assert.equal(migrate(db), 0, "nothing left to apply");
  });
  using store = Store.open(tmp.path);
  assert.equal(store.write(makeResult(1)), true);
  store.close();
  using again = Store.open(tmp.path);
  assert.equal(again.lastVersion(), 1);
});

Deno.test("a version 1 database is upgraded and keeps its data", () => {
  using tmp = tempDb();
  Deno.mkdirSync(`${tmp.dir}/data`);
  withDb(tmp.path, (db) => {
    assert.equal(migrate(db, 1), 1);
    assert.equal(schemaVersion(db), 1);
    db.exec(`INSERT INTO cycles VALUES (41, ${T0}, 'HEALTHY', 3)`);
    db.exec(`INSERT INTO snapshots VALUES (41, '${JSON.stringify(makeResult(41).snapshot)}')`);
    db.exec(
      `INSERT INTO node_metrics (at, version, node, status) VALUES (${T0}, 41, 'node1', 'HEALTHY')`,
    );
    for (const [node, id] of [["node1", 5], ["node1", 9], ["node2", 4]] as const) {
      db.exec(`INSERT INTO conflicts (node, conflict_id, at, local_conflict_time, conflict_type,
        conflict_resolution) VALUES ('${node}', ${id}, ${T0}, '2026-11-24T06:00:00.000Z', 't', 'r')`);
    }
  });
  using store = Store.open(tmp.path);
  assert.deepEqual(store.conflictHighWater(), { node1: 9, node2: 4 }, "v2 seeds high-water marks");
  assert.equal(store.lastVersion(), 41);
  assert.equal(store.latestSnapshot()?.version, 41);
  assert.equal(store.nodeHistory({ node: "node1" })[0]?.version, 41);
  assert.equal(store.write(makeResult(42)), true);
  store.close();
  withDb(tmp.path, (db) => assert.equal(schemaVersion(db), SCHEMA_VERSION));
});

Deno.test("a database from a newer build is refused and left untouched", () => {
  using tmp = tempDb();
  Deno.mkdirSync(`${tmp.dir}/data`);
  withDb(tmp.path, (db) => db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`));
  assert.throws(
    () => Store.open(tmp.path),
    new RegExp(`schema version ${SCHEMA_VERSION + 1} is newer than this build supports`),
  );
  withDb(tmp.path, (db) => assert.equal(schemaVersion(db), SCHEMA_VERSION + 1));
});

Deno.test("a version 4 database is upgraded to link frames with every point unchanged", () => {
  using tmp = tempDb();
  Deno.mkdirSync(`${tmp.dir}/data`);
  withDb(tmp.path, (db) => {
    assert.equal(migrate(db, 4), 4);
    db.exec(`INSERT INTO series (id, node, peer) VALUES (1, 'node1', ''), (2, 'node1', 'node2'),
      (3, 'node2', 'node1')`);
    for (let v = 1; v <= 4; v++) {
      db.exec(`INSERT INTO cycles VALUES (${v}, ${T0 + (v - 1) * 2000}, 'HEALTHY', 3)`);
      db.exec(`INSERT INTO node_points (version, series, status) VALUES (${v}, 1, 1)`);
    }
    db.exec("INSERT INTO keyframes VALUES (1)");
    // v1: keyframe of both links; v2: node1>node2 changes; v3: node2>node1 leaves (NULL method);
    // v4: nothing changes
    db.exec(`INSERT INTO link_points VALUES
      (1, 2, 0, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 'r'),
      (1, 3, 2, 1, 1500, 5040, 3, 7, 9007199254740000, 250, 4, 0, 'x-custom'),
      (2, 2, 4, 0, 2250, 112, 1, 0, 4200, NULL, 0, 1, 'l'),
      (3, 3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  });
  using store = Store.open(tmp.path);
  withDb(tmp.path, (db) => {
    assert.equal(schemaVersion(db), SCHEMA_VERSION);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE name = 'link_points'").all();
    assert.deepEqual(tables, [], "v4 link rows moved into link_frames");
  });
  const links = store.linkHistory();
  assert.deepEqual(
    links.map((p) => [p.version, `${p.from}>${p.to}`, p.lag_method, p.lag_seconds, p.wal_status]),
    [
      [1, "node1>node2", "caught_up", 0, "reserved"],
      [1, "node2>node1", "oldest_unapplied_commit", 1.5, "x-custom"],
      [2, "node1>node2", "observed_behind", 2.25, "lost"],
      [2, "node2>node1", "oldest_unapplied_commit", 1.5, "x-custom"],
      [3, "node1>node2", "observed_behind", 2.25, "lost"],
      [4, "node1>node2", "observed_behind", 2.25, "lost"],
    ],
  );
  assert.deepEqual(
    { ...links[1]!, at: "" },
    {
      version: 1,
      at: "",
      from: "node2",
      to: "node1",
      active: true,
      lag_seconds: 1.5,
      lag_bytes: 5040,
      lag_xid: 3,
      pending_send_bytes: 7,
      retained_wal_bytes: 9007199254740000,
      catch_up_seconds: 0.25,
      conflicts: 4,
      apply_errors: 0,
      lag_method: "oldest_unapplied_commit",
      wal_status: "x-custom",
    },
  );
  assert.equal(links[2]!.active, false);
  assert.equal(links[2]!.catch_up_seconds, null);
  // new writes are binary frames next to the carried-over JSON ones, both read back
  assert.equal(store.write(makeResult(5)), true);
  assert.equal(store.linkHistory({ from: "node1", to: "node2" }).length, 5);
});

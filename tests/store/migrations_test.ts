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

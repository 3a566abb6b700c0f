/**
 * History linear in what changes (issue 13): link rows only on change plus keyframes, a full
 * snapshot only when it adds information, every version still answerable, v3 databases upgraded.
 */
import assert from "node:assert/strict";
import type { CycleResult, Link } from "../../lib/snapshot/mod.ts";
import { type LinkHistoryPoint, SCHEMA_VERSION, Store } from "../../lib/store/mod.ts";
import { migrate, schemaVersion } from "../../lib/store/migrations.ts";
import { makeResult, T0, tempDb, withDb } from "./fixtures.ts";

/** A 3-node cycle whose links change only where `change` says (deterministic otherwise). */
function steady(
  version: number,
  opts: { change?: number[]; drop?: string | undefined } = {},
): CycleResult {
  const result = makeResult(version);
  const s = result.snapshot;
  s.links = s.links.filter((l) => `${l.from}>${l.to}` !== opts.drop);
  s.links.forEach((l, i) => {
    Object.assign(
      l,
      {
        lag_seconds: 0,
        lag_bytes: 0,
        lag_xid: 0,
        retained_wal_bytes: 8192,
        conflicts: 0,
        lag_method: "caught_up",
        caught_up: true,
      } satisfies Partial<Link>,
    );
    if (opts.change?.includes(i)) Object.assign(l, { lag_bytes: 56 * version, lag_seconds: 0.5 });
  });
  return result;
}

function count(path: string, sql: string): number {
  return withDb(path, (db) => (db.prepare(sql).get() as { n: number }).n);
}

function expected(results: CycleResult[]): Omit<LinkHistoryPoint, "at">[] {
  return results.flatMap((r) =>
    [...r.snapshot.links].sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`))
      .map((l) => ({
        version: r.snapshot.version,
        from: l.from,
        to: l.to,
        active: l.active,
        lag_seconds: l.lag_seconds,
        lag_bytes: l.lag_bytes,
        lag_xid: l.lag_xid,
        pending_send_bytes: l.pending_send_bytes,
        retained_wal_bytes: l.retained_wal_bytes,
        catch_up_seconds: l.catch_up_seconds,
        conflicts: l.conflicts,
        apply_errors: l.apply_errors,
        lag_method: l.lag_method,
        wal_status: l.wal_status,
      }))
  );
}

const noAt = (points: LinkHistoryPoint[]) => points.map(({ at: _, ...p }) => p);

Deno.test("steady cycles store one row per changed link, keyframes, and every version answers", () => {
  using tmp = tempDb();
  const written: CycleResult[] = [];
  let store = Store.open(tmp.path);
  for (let v = 1; v <= 150; v++) {
    const r = steady(v, {
      change: v % 10 === 0 ? [1] : [],
      drop: v >= 100 && v < 110 ? "node2>node3" : undefined,
    });
    if (v === 75) {
      store.close(); // a restart: the next write is a keyframe
      store = Store.open(tmp.path);
    }
    assert.equal(store.write(r), true);
    written.push(r);
  }
  // keyframes: 1, 61, 75 (restart), 135; changes: link 1 at every 10th version and the version
  // after; node2>node3 leaves at 100 (tombstone) and returns at 110
  const keyframes = count(tmp.path, "SELECT count(*) AS n FROM keyframes");
  assert.equal(keyframes, 4);
  const rows = count(tmp.path, "SELECT count(*) AS n FROM link_frames");
  assert.ok(rows < 150 / 4, `${rows} link frames for 150 versions of 6 links`);
  assert.deepEqual(noAt(store.linkHistory({ limit: 10_000 })), expected(written));
  assert.deepEqual(
    noAt(store.linkHistory({ from: "node2", to: "node3", since: T0 + 95 * 2000 })),
    expected(written.slice(95)).filter((p) => p.from === "node2" && p.to === "node3"),
  );
  const last = store.linkHistory({ from: "node1", limit: 5 });
  assert.deepEqual(last.map((p) => `${p.version}:${p.to}`), [
    "148:node3",
    "149:node2",
    "149:node3",
    "150:node2",
    "150:node3",
  ]);
  store.close();
});

Deno.test("a failed write makes the next one a keyframe, so nothing is rebuilt from a lost row", () => {
  using tmp = tempDb();
  using store = Store.open(tmp.path);
  const written = [steady(1), steady(2, { change: [0] })];
  for (const r of written) assert.equal(store.write(r), true);
  assert.equal(store.write(steady(2)), false, "version not above the last: rolled back");
  written.push(steady(3));
  assert.equal(store.write(written[2]!), true);
  assert.equal(count(tmp.path, "SELECT count(*) AS n FROM keyframes"), 2);
  assert.deepEqual(noAt(store.linkHistory()), expected(written));
});

Deno.test("a full snapshot is stored at start, on a change of state, and at least every minute", () => {
  using tmp = tempDb();
  using store = Store.open(tmp.path);
  const stored = () =>
    withDb(
      tmp.path,
      (db) =>
        db.prepare("SELECT version FROM snapshots ORDER BY version").all().map((r) => r.version),
    );
  for (let v = 1; v <= 45; v++) {
    const r = steady(v, { change: [2] }); // figures move every version: no snapshot for that
    if (v === 12) r.snapshot.nodes.node2!.status = "DEGRADED";
    assert.equal(store.write(r), true);
  }
  // every 2 s: 1 (start), 12 (DEGRADED), 13 (HEALTHY again), 43 (60 s after the last stored)
  assert.deepEqual(stored(), [1, 12, 13, 43]);
  assert.equal(store.latestSnapshot()?.version, 43);
  assert.equal(store.nodeHistory({ node: "node2" }).length, 45, "node rows every version");
});

Deno.test("a version 3 database is upgraded to compact rows with every point unchanged", () => {
  using tmp = tempDb();
  Deno.mkdirSync(`${tmp.dir}/data`);
  withDb(tmp.path, (db) => {
    assert.equal(migrate(db, 3), 3);
    for (let v = 1; v <= 3; v++) {
      const at = T0 + (v - 1) * 2000;
      db.exec(`INSERT INTO cycles VALUES (${v}, ${at}, 'HEALTHY', 3)`);
      for (
        const [node, status] of [["node1", "HEALTHY"], ["node2", v === 2 ? "DOWN" : "DEGRADED"]]
      ) {
        db.exec(`INSERT INTO node_metrics VALUES (${at}, ${v}, '${node}', '${status}',
          '["why ${v}"]', NULL, ${v / 4}, ${56 * v}, ${v}, 1, ${10 + v}, 0.5, 0, ${
          8192 + v
        }, 0, 2.5)`);
      }
      db.exec(`INSERT INTO link_metrics VALUES (${at}, ${v}, 'node1', 'node2', 1, ${v / 2}, ${v},
        ${v + 1}, 0, ${4096 + v}, 0.25, ${v}, 0, '${v === 3 ? "observed_behind" : "caught_up"}',
        '${v === 2 ? "lost" : "reserved"}')`);
    }
  });
  using store = Store.open(tmp.path);
  withDb(tmp.path, (db) => assert.equal(schemaVersion(db), SCHEMA_VERSION));
  const nodes = store.nodeHistory({ node: "node2" });
  assert.deepEqual(nodes.map((p) => [p.version, p.status, p.reasons[0], p.conflict_count]), [
    [1, "DEGRADED", "why 1", 11],
    [2, "DOWN", "why 2", 12],
    [3, "DEGRADED", "why 3", 13],
  ]);
  assert.equal(nodes[1]!.at, new Date(T0 + 2000).toISOString());
  assert.equal(nodes[2]!.lag_seconds, 0.75);
  const links = store.linkHistory();
  assert.deepEqual(
    links.map((p) => [p.version, p.lag_method, p.wal_status, p.lag_seconds, p.retained_wal_bytes]),
    [
      [1, "caught_up", "reserved", 0.5, 4097],
      [2, "caught_up", "lost", 1, 4098],
      [3, "observed_behind", "reserved", 1.5, 4099],
    ],
  );
  // the next write continues the version sequence and is a keyframe of the new format
  assert.equal(store.write(makeResult(4)), true);
  assert.equal(store.linkHistory({ since: T0 + 3 * 2000 }).length, 6);
  assert.equal(store.linkHistory({ from: "node1", to: "node2" }).length, 4);
});

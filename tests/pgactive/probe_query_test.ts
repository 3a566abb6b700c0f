import assert from "node:assert/strict";
import { decodeCapabilitiesRow } from "../../lib/pgactive/capabilities.ts";
import { buildProbeSql, decodeProbeDocument } from "../../lib/pgactive/probe_query.ts";
import { buildConnectSql, decodeConnectDocument } from "../../lib/pgactive/connect_query.ts";
import { SUPERUSER } from "./fixtures.ts";

Deno.test("a superuser on 2.1.4+ reads everything with the 2.1.1+ function names", () => {
  const caps = decodeCapabilitiesRow(SUPERUSER);
  assert.equal(caps.isPgactive, true);
  assert.equal(caps.lastAppliedFn, "pgactive.pgactive_get_last_applied_xact_info");
  assert.equal(caps.workersHaveErrors, true);
  assert.equal(caps.denied.size, 0);
  const sql = buildProbeSql(caps);
  assert.match(sql, /pgactive_get_stats\(\)/);
  assert.match(sql, /w\.last_error/);
  assert.match(sql, /pgactive_get_local_nodeid\(\)/);
  assert.doesNotMatch(sql, /node_dsn/);
  assert.doesNotMatch(sql, /pgactive_get_replication_lag_info/);
  assert.doesNotMatch(sql, /_lag\b/); // never pg_stat_replication.*_lag
  // no last-applied call while pgactive is not active in the database (it would raise)
  assert.match(sql, /WHERE pgactive\.pgactive_is_active_in_db\(\)\) p\s+CROSS JOIN LATERAL/);
});

Deno.test("pgactive 2.1.0: legacy last-applied name and 5-column workers", () => {
  const caps = decodeCapabilitiesRow({
    ...SUPERUSER,
    last_applied: null,
    last_applied_legacy: true,
    workers_columns: 5,
  });
  assert.equal(caps.lastAppliedFn, "pgactive.get_last_applied_xact_info");
  assert.equal(caps.workersHaveErrors, false);
  const sql = buildProbeSql(caps);
  assert.match(sql, /pgactive\.get_last_applied_xact_info\(/);
  assert.doesNotMatch(sql, /w\.last_error/);
});

Deno.test("a pg_monitor-only role gets a reduced probe and a list of denied objects", () => {
  const caps = decodeCapabilitiesRow({
    ...SUPERUSER,
    nodes: false,
    local_nodeid: false,
    stats: false,
    workers: false,
    conflict_history: false,
  });
  assert.equal(caps.canReadNodes, false);
  assert.deepEqual([...caps.denied].sort(), [
    "conflict_history",
    "local_nodeid",
    "stats",
    "workers",
  ]);
  const sql = buildProbeSql(caps);
  assert.doesNotMatch(sql, /FROM pgactive\.pgactive_nodes/);
  assert.doesNotMatch(sql, /pgactive_get_stats/);
  assert.match(sql, /local_hint/);
  assert.match(sql, /\$1::bigint/); // parameters always typed
});

Deno.test("a database without the pgactive schema is not pgactive", () => {
  const caps = decodeCapabilitiesRow({ has_schema: false, nodes: null, db_oid: 5 });
  assert.equal(caps.isPgactive, false);
});

Deno.test("the probe document decodes into typed data (node1, node3 down, real values)", () => {
  const caps = decodeCapabilitiesRow(SUPERUSER);
  const data = decodeProbeDocument({
    now: "2026-11-24T06:13:20.771271+00:00",
    library_version: "2.1.9-2026-11-24-",
    current_lsn: "0/1F00C08",
    next_xid: "1092",
    xmin: "1090",
    local_commits: {
      n: 2,
      oldest: "2026-11-24T06:12:59.1+00:00",
      newest: "2026-11-24T06:13:00.734454+00:00",
    },
    last_commit: { xid: "1091", timestamp: "2026-11-24T06:13:00.734454+00:00", roident: 1 },
    apply_paused: false,
    local: { sysid: "7711616456357975405", timeline: 0, dboid: 16385 },
    nodes: [
      { sysid: "7711616456357975405", timeline: 0, dboid: 16385, status: "r", name: "node1" },
      { sysid: "7711616502476629437", timeline: 0, dboid: 16385, status: "r", name: "node3" },
    ],
    slots: [{
      slot_name: "pgactive_16385_7711616502476629437_0_16385__",
      active: false,
      active_pid: null,
      restart_lsn: "0/1EA6B48",
      confirmed_flush_lsn: "0/1EAD2C8",
      wal_status: "reserved",
      state: null,
      sent_lsn: null,
      write_lsn: null,
      flush_lsn: null,
      replay_lsn: null,
    }],
    applied: [{
      sysid: "7711616502476629437",
      timeline: 0,
      dboid: 16385,
      xid: 0,
      committs: "2000-01-01T00:00:00+00:00",
      applied_at: "2000-01-01T00:00:00+00:00",
    }],
    stats: [
      {
        riremoteid: "pgactive_7711616502476629437_0_16385_16385_",
        nr_commit: 165,
        nr_rollback: 0,
        nr_insert_conflict: 0,
        nr_update_conflict: 43,
        nr_delete_conflict: 0,
      },
      { // another database on the same instance: filtered out
        riremoteid: "pgactive_7711616502476629437_0_16999_16999_",
        nr_commit: 1,
        nr_rollback: 1,
        nr_insert_conflict: 1,
        nr_update_conflict: 0,
        nr_delete_conflict: 0,
      },
    ],
    workers: null,
    conflicts: null,
  }, caps);
  assert.equal(data.currentLsn, 0x1F00C08n);
  assert.equal(data.nextXid, 1092);
  assert.deepEqual(data.lastCommit?.roident, 1);
  assert.equal(data.slots[0]?.walsender, null);
  assert.equal(data.applied?.[0]?.commitTsMs, null);
  assert.equal(data.stats?.length, 1);
  assert.equal(data.stats?.[0]?.conflicts, 43);
  assert.deepEqual(data.workers, []);
  assert.deepEqual(data.conflicts, []);
  assert.equal(data.xmin, 1090n);
  assert.deepEqual(data.localCommits, {
    count: 2,
    oldestMs: Date.parse("2026-11-24T06:12:59.100Z"),
    newestMs: Date.parse("2026-11-24T06:13:00.734Z"),
  });
  assert.throws(
    () =>
      decodeProbeDocument({
        now: "2026-11-24T06:13:20Z",
        current_lsn: "0/1",
        next_xid: "1",
        xmin: "1",
        slots: [{ slot_name: 5 }],
      }, caps),
    { name: "TypeError", message: /slots\[0\]\.slot_name/ },
  );
});

Deno.test("the connect statement reads the library version and the join-time conflict baseline", () => {
  const caps = decodeCapabilitiesRow(SUPERUSER);
  const sql = buildConnectSql(caps)!;
  assert.match(sql, /pgactive_version\(\)/);
  assert.match(sql, /object_schema = 'pgactive'/);
  assert.equal(
    buildConnectSql(
      decodeCapabilitiesRow({ ...SUPERUSER, version_fn: false, conflict_history: false }),
    ),
    null,
  );
  const facts = decodeConnectDocument({
    library_version: "2.1.9-2026-11-24-",
    catalog_conflicts: {
      max_id: "45",
      per_origin: [{ sysid: "7711616456357975405", timeline: 0, dboid: 16385, n: 1 }],
    },
  });
  assert.equal(facts.libraryVersion, "2.1.9-2026-11-24-");
  assert.equal(facts.catalogConflicts?.asOfId, 45);
  assert.equal(facts.catalogConflicts?.perOrigin[0]?.count, 1);
  assert.deepEqual(decodeConnectDocument(null), { libraryVersion: null, catalogConflicts: null });
});

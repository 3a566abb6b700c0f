/** Row decoders, fed with real rows from pgactive-observed.md (psql text form, NULLs as null). */
import assert from "node:assert/strict";
import {
  decodeAppliedRow,
  decodeStatsRow,
  decodeWorkerRow,
} from "../../lib/pgactive/apply_progress.ts";
import { decodeConflictRow } from "../../lib/pgactive/conflict_rows.ts";
import { decodeMemberRow } from "../../lib/pgactive/membership.ts";
import { decodeSlotRow } from "../../lib/pgactive/slots.ts";

Deno.test("an active slot decodes with its walsender positions as bigint", () => {
  // node1 baseline Q09 + Q10
  const s = decodeSlotRow({
    slot_name: "pgactive_16385_7711616478256711032_0_16385__",
    active: "t",
    active_pid: "13746",
    restart_lsn: "0/1E2D5E8",
    confirmed_flush_lsn: "0/1E2D620",
    wal_status: "reserved",
    state: "streaming",
    sent_lsn: "0/1E2D620",
    write_lsn: "0/1E2D620",
    flush_lsn: "0/1E2D620",
    replay_lsn: "0/1E2D620",
  });
  assert.deepEqual(s.peer, { sysid: "7711616478256711032", timeline: 0, dboid: 16385 });
  assert.deepEqual(s.active, true);
  assert.deepEqual(s.activePid, 13746);
  assert.deepEqual(s.restartLsn, 0x1E2D5E8n);
  assert.deepEqual(s.walsender?.replayLsn, 0x1E2D620n);
});

Deno.test("an inactive slot of a stopped peer has no walsender", () => {
  // node1 section 5b Q09: slot for node3 while node3 is down
  const s = decodeSlotRow({
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
  });
  assert.deepEqual(s.active, false);
  assert.deepEqual(s.activePid, null);
  assert.deepEqual(s.walsender, null);
  assert.deepEqual(s.confirmedFlushLsn, 0x1EAD2C8n);
});

Deno.test("a malformed LSN throws a TypeError naming the field", () => {
  assert.throws(() =>
    decodeSlotRow({
      slot_name: "pgactive_16385_1_0_16385__",
      active: true,
      restart_lsn: "zz",
    }), { name: "TypeError", message: /restart_lsn/ });
});

Deno.test("last applied info: zero xid and 2000-01-01 mean unknown", () => {
  // node1 section 5b Q07, upstream node3 (down)
  const a = decodeAppliedRow({
    sysid: "7711616502476629437",
    timeline: 0,
    dboid: 16385,
    xid: "0",
    committs: "2000-01-01 00:00:00+00",
    applied_at: "2000-01-01 00:00:00+00",
  });
  assert.deepEqual([a.xid, a.commitTsMs, a.appliedAtMs], [null, null, null]);
});

Deno.test("last applied info keeps the upstream xid and commit time", () => {
  // node1 baseline Q07, upstream node2 (psql and json timestamp forms)
  const a = decodeAppliedRow({
    sysid: "7711616478256711032",
    timeline: "0",
    dboid: "16385",
    xid: 754,
    committs: "2026-11-24 06:10:41.882765+00",
    applied_at: "2026-11-24T06:10:41.895471+00:00",
  });
  assert.deepEqual(a.xid, 754);
  assert.deepEqual(a.commitTsMs, Date.parse("2026-11-24T06:10:41.882Z"));
  assert.deepEqual(a.appliedAtMs, Date.parse("2026-11-24T06:10:41.895Z"));
});

Deno.test("stats rows sum the three conflict counters per origin", () => {
  // node1 after conflicts, Q06 row 2 (origin node3)
  const s = decodeStatsRow({
    riremoteid: "pgactive_7711616502476629437_0_16385_16385_",
    nr_commit: "165",
    nr_rollback: "0",
    nr_insert_conflict: "0",
    nr_update_conflict: "43",
    nr_delete_conflict: "0",
  });
  assert.deepEqual(s?.origin.sysid, "7711616502476629437");
  assert.deepEqual(s?.localDboid, 16385);
  assert.deepEqual([s?.commits, s?.rollbacks, s?.conflicts], [165, 0, 43]);
  assert.deepEqual(decodeStatsRow({ riremoteid: "pg_16390", nr_commit: 1 }), null);
});

Deno.test("workers: the per-db row has no peer, a dead peer's apply row has pid 0", () => {
  // node1 section 5a Q08
  const perDb = decodeWorkerRow({
    sysid: null,
    timeline: null,
    dboid: 16385,
    worker_type: "per-db",
    pid: 13683,
    unregistered: "f",
    last_error: null,
    last_error_time: null,
  });
  assert.deepEqual(perDb.peer, null);
  const dead = decodeWorkerRow({
    sysid: "7711616502476629437",
    timeline: 0,
    dboid: 16385,
    worker_type: "apply",
    pid: 0,
    unregistered: "f",
    last_error: "pgactive_apply_failure",
    last_error_time: "2026-11-24 06:12:53.426517+00",
  });
  assert.deepEqual([dead.pid, dead.lastError], [0, "pgactive_apply_failure"]);
  assert.deepEqual(dead.lastErrorTimeMs, Date.parse("2026-11-24T06:12:53.426Z"));
});

Deno.test("conflict rows decode without row images, remote triple kept", () => {
  // node1 after conflicts, Q15 conflict 1 (local_conflict_xid 0, NULL local tuple)
  const c = decodeConflictRow({
    conflict_id: 1,
    local_conflict_time: "2026-11-24 06:11:46.750652+00",
    object_schema: "public",
    object_name: "kv",
    remote_node_sysid: "7711616478256711032",
    remote_node_timeline: 0,
    remote_node_dboid: 16385,
    conflict_type: "update_delete",
    conflict_resolution: "skip_change",
    error_sqlstate: null,
    error_message: null,
  });
  assert.deepEqual(c.conflictId, 1);
  assert.deepEqual(c.remote, { sysid: "7711616478256711032", timeline: 0, dboid: 16385 });
  assert.deepEqual([c.type, c.resolution, c.sqlstate], ["update_delete", "skip_change", null]);
  assert.throws(() => decodeConflictRow({ conflict_id: 2, local_conflict_time: null }), {
    name: "TypeError",
    message: /local_conflict_time/,
  });
});

Deno.test("pgactive_nodes rows decode the status code and never the DSN", () => {
  const m = decodeMemberRow({
    sysid: "7711616456357975405",
    timeline: 0,
    dboid: 16385,
    status: "r",
    name: "node1",
  });
  assert.deepEqual(m, {
    id: { sysid: "7711616456357975405", timeline: 0, dboid: 16385 },
    status: "r",
    name: "node1",
  });
  assert.throws(() => decodeMemberRow({ sysid: 1, timeline: 0, dboid: 1 }), {
    name: "TypeError",
    message: /sysid/,
  });
});

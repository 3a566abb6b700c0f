/**
 * The collector's pure layer fed with REAL captures of a live 3-node pgactive 2.1.9 cluster
 * (observed_fixtures.ts): what an operator must see in each observed situation.
 */
import assert from "node:assert/strict";
import {
  buildSnapshot,
  newCollectorState,
  type NodeOutcome,
  type StatusThresholds,
} from "../../lib/collector/mod.ts";
import { DEFAULTS } from "../../lib/config/mod.ts";
import { buildProbeSql, MISSING_GRANT, parseLsn } from "../../lib/pgactive/mod.ts";
import {
  type ConflictRecord,
  type Link,
  parseSnapshot,
  type Snapshot,
} from "../../lib/snapshot/mod.ts";
import {
  afterConflicts,
  applyPaused,
  baseline,
  type CaptureRows,
  captureTimeMs,
  intervalMs,
  OBSERVED_CAPS,
  pausedWalsendersOnNode1,
  PORTS,
  probeDocument,
  probeResult,
  restarted,
  type Scenario,
  stopped25s,
  stopped3s,
  stoppedOutcome,
  tsMs,
} from "./observed_fixtures.ts";

/** The product's default thresholds (DESIGN section 4/5 and lib/config DEFAULTS). */
const DEFAULT_THRESHOLDS: StatusThresholds = {
  lagSecondsWarn: DEFAULTS.thresholds.lagSecondsWarn,
  lagSecondsCrit: DEFAULTS.thresholds.lagSecondsCrit,
  conflictsWarnPerMinute: DEFAULTS.thresholds.conflictsWarnPerMinute,
  walsenderInactiveCritMs: DEFAULTS.thresholds.walsenderInactiveCritMs,
  conflictWindowMs: DEFAULTS.collector.conflictWindowMs,
};

const NODES = ["node1", "node2", "node3"] as const;

/**
 * Feeds scenarios as consecutive collection cycles through the real buildSnapshot, keeping the
 * collector's state and conflict high-water marks between cycles as the Collector does.
 */
function collector(
  thresholds: StatusThresholds = DEFAULT_THRESHOLDS,
  opts: { role?: "superuser" | "pg_monitor" } = {},
) {
  const state = newCollectorState(thresholds.conflictWindowMs);
  const highWater: Record<string, number> = {};
  let version = 0;
  return (sc: Scenario): { snapshot: Snapshot; conflicts: ConflictRecord[] } => {
    const outcomes: NodeOutcome[] = Object.entries(sc.nodes).map(([name, n]) =>
      "atMs" in n
        ? {
          name,
          result: probeResult(n, { conflictHighWater: highWater[name] ?? 0, ...opts }),
          error: null,
        }
        : n
    );
    const r = buildSnapshot(outcomes, {
      version: ++version,
      nowMs: sc.atMs,
      cycleMs: 5,
      thresholds,
    }, state);
    for (const c of r.conflicts) {
      highWater[c.node] = Math.max(highWater[c.node] ?? 0, c.conflict_id);
    }
    parseSnapshot(r.snapshot); // the JSON contract holds on real data
    return r;
  };
}

function link(s: Snapshot, from: string, to: string): Link {
  const l = s.links.find((x) => x.from === from && x.to === to);
  assert.ok(l, `link ${from} -> ${to} missing`);
  return l;
}

function rows(sc: Scenario, name: string): CaptureRows {
  const n = sc.nodes[name];
  assert.ok(n && "atMs" in n, `${name} has no capture in ${sc.label}`);
  return n;
}

/** The captured Q09 row of `from`'s slot for `to` (by the consuming peer's sysid). */
function slotRow(sc: Scenario, from: string, to: string) {
  const target = rows(sc, from).members.find((m) => m["node_name"] === to)!;
  return rows(sc, from).slots.find((s) => s["slot_name"]!.includes(`_${target["node_sysid"]}_`))!;
}

function assertCaughtUp(l: Link) {
  assert.deepEqual(
    [l.active, l.lag_bytes, l.lag_seconds, l.lag_xid, l.lag_method],
    [true, 0, 0, 0, "caught_up"],
    `link ${l.from} -> ${l.to} should be caught up: ${JSON.stringify(l)}`,
  );
}

function conflictsByOrigin(records: readonly ConflictRecord[], node: string, schema?: string) {
  const out: Record<string, number> = {};
  for (const r of records) {
    if (r.node !== node || (schema !== undefined && r.object_schema !== schema)) continue;
    out[r.remote_node ?? "?"] = (out[r.remote_node ?? "?"] ?? 0) + 1;
  }
  return out;
}

Deno.test("real captures decode with the real decoders, capture times and placeholders as recorded", () => {
  const base = baseline();
  // now() of node1's Q07: 06:10:41.882765 + 00:00:52.970419
  assert.ok(Math.abs(rows(base, "node1").atMs - Date.parse("2026-11-24T06:11:34.853Z")) <= 1);
  // both Q07 rows of a capture give the same now(), the 2000-01-01 placeholder row too
  for (const sc of [base, afterConflicts(), stopped3s(), stopped25s()]) {
    for (const name of NODES) {
      const n = sc.nodes[name];
      if (!n || !("atMs" in n)) continue;
      for (const r of n.applied) {
        const t = tsMs(r["last_applied_xact_committs"]!) + intervalMs(r["now_minus_committs"]!);
        assert.ok(Math.abs(t - captureTimeMs(n.applied)) <= 1, `${sc.label} ${name}`);
      }
    }
  }
  // node3 down (t≈25 s): pgactive returns xid 0 / 2000-01-01 for it, decoded as unknown
  const n1 = probeResult(rows(stopped25s(), "node1")).data;
  const fromNode3 = n1.applied?.find((a) => a.peer.sysid === "7711616502476629437");
  assert.deepEqual(
    [fromNode3?.xid, fromNode3?.commitTsMs, fromNode3?.appliedAtMs],
    [null, null, null],
  );
  const fromNode2 = n1.applied?.find((a) => a.peer.sysid === "7711616478256711032");
  assert.equal(fromNode2?.xid, 1097);
  assert.equal(fromNode2?.commitTsMs, Date.parse("2026-11-24T06:13:00.734Z"));
  // the dead peer's apply worker: pid 0 with pgactive_apply_failure
  const worker = n1.workers?.find((w) => w.type === "apply" && w.pid === 0);
  assert.equal(worker?.lastError, "pgactive_apply_failure");
  assert.equal(worker?.peer?.sysid, "7711616502476629437");
  // an inactive slot has no walsender; the active one is joined on pid = active_pid
  const slots = n1.slots.map((s) => [s.peer.sysid, s.active, s.walsender?.replayLsn ?? null]);
  assert.deepEqual(slots, [
    ["7711616478256711032", true, 0x1F00C08n],
    ["7711616502476629437", false, null],
  ]);
  // the capture's own arithmetic agrees with the decoded positions (Q09 computed columns)
  for (const s of rows(stopped25s(), "node1").slots) {
    const d = n1.slots.find((x) => x.slotName === s["slot_name"])!;
    assert.equal(Number(n1.currentLsn - d.restartLsn!), Number(s["retained_bytes_vs_restart"]));
  }
});

Deno.test("the rebuilt probe documents have the keys the real probe statement produces", () => {
  const sql = buildProbeSql(OBSERVED_CAPS);
  const topLevel = [...sql.matchAll(/^ {2}'(\w+)', /gm)].map((m) => m[1]).sort();
  for (const sc of [baseline(), afterConflicts(), stopped25s()]) {
    for (const name of NODES) {
      const n = sc.nodes[name];
      if (!n || !("atMs" in n)) continue;
      const doc = probeDocument(n);
      assert.deepEqual(Object.keys(doc).sort(), topLevel, `${sc.label} ${name}`);
      for (const [key, value] of Object.entries(doc)) {
        const items = Array.isArray(value)
          ? value
          : value && typeof value === "object"
          ? [value]
          : [];
        for (const item of items as Record<string, unknown>[]) {
          for (const k of Object.keys(item)) {
            // json_build_object keys are quoted; conflict rows are json_agg(c) of h.<column>
            assert.ok(sql.includes(`'${k}'`) || sql.includes(`h.${k}`), `${key}.${k}`);
          }
        }
      }
    }
  }
});

Deno.test("baseline: every node HEALTHY, 6 caught-up links, join-time conflicts not counted", () => {
  const sc = baseline();
  const { snapshot: s, conflicts } = collector()(sc);
  assert.equal(s.status, "HEALTHY");
  assert.equal(s.links.length, 6);
  for (const l of s.links) {
    assertCaughtUp(l);
    // WAL each slot holds = the capture's pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn),
    // less what was written but not yet flushed (see the fixtures' flush estimate)
    const n = sc.nodes[l.from]!;
    assert.ok("atMs" in n);
    const unflushed = parseLsn(String(n.q20["current_wal_lsn"])) -
      parseLsn(String(probeDocument(n)["current_lsn"]));
    assert.equal(
      l.retained_wal_bytes,
      Number(slotRow(sc, l.from, l.to)["retained_bytes_vs_restart"]) - Number(unflushed),
    );
    assert.equal(l.apply_errors, 0);
    assert.equal(l.conflicts, 0, `link ${l.from} -> ${l.to}`);
  }
  for (const name of NODES) {
    const n = s.nodes[name]!;
    assert.equal(n.status, "HEALTHY", `${name}: ${n.reasons.join("; ")}`);
    assert.deepEqual(n.reasons, []);
    assert.equal(n.error, null);
    assert.equal(n.metrics.conflict_count, 0);
    assert.equal(n.metrics.conflicts_per_minute, 0);
    assert.equal(n.metrics.apply_errors, 0);
    assert.equal(n.metrics.walsender_active, true);
    assert.equal(n.metrics.node_status, "r");
    assert.equal(n.metrics.pgactive_version, "2.1.9");
    assert.equal(n.metrics.extension_version, "2.1.8");
    assert.equal(n.metrics.apply_paused, false);
  }
  // node2 and node3 each count 1 insert conflict from node1 in Q06: their own pgactive_nodes row
  // during the join (Q15); node1 founded the group and has none
  for (const name of ["node2", "node3"]) {
    const fromNode1 = rows(sc, name).stats.find((r) =>
      r["riremoteid"]!.includes("7711616456357975405")
    );
    assert.equal(fromNode1?.["nr_insert_conflict"], "1");
  }
  assert.deepEqual(s.nodes.node1!.metrics.retained_wal_bytes, 56);
  assert.deepEqual(s.nodes.node2!.metrics.retained_wal_bytes, 232 - 56);
  assert.equal(s.cluster.conflict_count, 0);
  // the history rows themselves are still reported, tagged with schema pgactive
  assert.deepEqual(
    conflicts.map((c) => [c.node, c.remote_node, c.object_schema, c.object_name, c.conflict_type]),
    [
      ["node2", "node1", "pgactive", "pgactive_nodes", "insert_insert"],
      ["node3", "node1", "pgactive", "pgactive_nodes", "insert_insert"],
    ],
  );
});

Deno.test("node2 apply paused: node1->node2 and node3->node2 behind by the captured bytes, node2 DEGRADED", () => {
  const run = collector();
  run(baseline());
  const sc = applyPaused();
  const { snapshot: s } = run(sc);
  const n1n2 = link(s, "node1", "node2");
  const n3n2 = link(s, "node3", "node2");
  assert.deepEqual(
    [n1n2.active, n1n2.lag_bytes, n1n2.lag_method, n1n2.sent_lsn, n1n2.replay_lsn],
    [true, 79264, "last_applied_commit", "0/1E4DF30", "0/1E3A990"],
  );
  assert.deepEqual(
    [n3n2.active, n3n2.lag_bytes, n3n2.lag_method, n3n2.sent_lsn, n3n2.replay_lsn],
    [true, 83480, "last_applied_commit", "0/1E4B528", "0/1E36F10"],
  );
  // node1's own pg_stat_replication said the same: pg_wal_lsn_diff(current, replay) = 79264
  const ws = pausedWalsendersOnNode1().find((r) =>
    r["application_name"]!.includes("7711616478256711032")
  );
  assert.equal(Number(ws?.["pg_wal_lsn_diff"]), n1n2.lag_bytes);
  // seconds: node2's now minus its last applied commit from each origin (Q07 now_minus_committs)
  assert.equal(n1n2.lag_seconds, 2.613);
  assert.equal(n3n2.lag_seconds, 2.638);
  assert.equal(n1n2.pending_send_bytes, 0); // everything was sent, nothing replayed
  assert.ok(n1n2.lag_xid !== null && n1n2.lag_xid > 0);
  for (
    const [from, to] of [["node1", "node3"], ["node2", "node1"], ["node2", "node3"], [
      "node3",
      "node1",
    ]]
  ) {
    assertCaughtUp(link(s, from!, to!));
  }
  const node2 = s.nodes.node2!;
  assert.equal(node2.status, "DEGRADED");
  // default thresholds (warn 5 s): 2.6 s of lag is no finding, the pause is
  assert.deepEqual(node2.reasons, ["apply is paused on node2 (pgactive_apply_pause())"]);
  assert.equal(node2.metrics.apply_paused, true);
  assert.equal(node2.metrics.lag_bytes, 83480);
  assert.equal(node2.metrics.lag_seconds, 2.638);
  assert.equal(node2.metrics.walsender_active, true);
  assert.equal(node2.metrics.conflict_count, 0); // node2's own Q06: no conflict applied yet
  assert.equal(s.nodes.node1!.status, "HEALTHY");
  assert.equal(s.nodes.node3!.status, "HEALTHY");
  assert.equal(s.status, "DEGRADED");
});

Deno.test("node2 apply paused with tighter thresholds: lag reasons name both links and the threshold", () => {
  // Lag is an alarm from the second probe that finds the link behind.
  const warn = collector({ ...DEFAULT_THRESHOLDS, lagSecondsWarn: 2, lagSecondsCrit: 10 });
  warn(baseline());
  assert.deepEqual(warn(applyPaused()).snapshot.nodes.node2!.reasons, [
    "apply is paused on node2 (pgactive_apply_pause())",
  ]);
  const s = warn(applyPaused()).snapshot;
  assert.equal(s.nodes.node2!.status, "DEGRADED");
  assert.deepEqual(s.nodes.node2!.reasons, [
    "link node1 -> node2: lag 2.6 s >= warn 2 s",
    "link node3 -> node2: lag 2.6 s >= warn 2 s",
    "apply is paused on node2 (pgactive_apply_pause())",
  ]);
  const crit = collector({ ...DEFAULT_THRESHOLDS, lagSecondsWarn: 1, lagSecondsCrit: 2 });
  crit(baseline());
  crit(applyPaused());
  const c = crit(applyPaused()).snapshot;
  assert.equal(c.nodes.node2!.status, "CRITICAL");
  assert.deepEqual(c.nodes.node2!.reasons, [
    "link node1 -> node2: lag 2.6 s >= crit 2 s",
    "link node3 -> node2: lag 2.6 s >= crit 2 s",
    "apply is paused on node2 (pgactive_apply_pause())",
  ]);
  assert.equal(c.nodes.node1!.status, "HEALTHY");
});

/** Conflicts per link origin -> target from the captured Q06 counters, minus join-time rows. */
const LINK_CONFLICTS: Record<string, number> = {
  "node2->node1": 2, // node1: nr_update_conflict 1 (update_delete) + nr_delete_conflict 1
  "node3->node1": 43, // node1: 43 update_update (keep_local)
  "node1->node2": 13, // node2: 2 insert + 11 update + 1 delete, minus 1 join-time insert
  "node3->node2": 8, // node2: 1 insert + 7 update
  "node1->node3": 50, // node3: 1 insert + 50 update, minus 1 join-time insert
  "node2->node3": 2, // node3: 1 update (update_delete) + 1 delete
};

Deno.test("after conflicts: exact counts per node and per link, as logged (no symmetry assumed)", () => {
  const { snapshot: s, conflicts } = collector()(afterConflicts());
  for (const [key, n] of Object.entries(LINK_CONFLICTS)) {
    const [from, to] = key.split("->");
    assert.equal(link(s, from!, to!).conflicts, n, key);
  }
  // keep_local-only logging: the two directions of a pair differ
  assert.notEqual(link(s, "node1", "node3").conflicts, link(s, "node3", "node1").conflicts);
  assert.deepEqual(NODES.map((n) => s.nodes[n]!.metrics.conflict_count), [45, 21, 52]);
  assert.equal(s.cluster.conflict_count, 118);
  assert.equal(s.cluster.apply_errors, 0);
  for (const l of s.links) assertCaughtUp(l);
  // one cycle, no earlier sample: no rate yet, so no conflict finding
  for (const n of NODES) {
    assert.equal(s.nodes[n]!.metrics.conflicts_per_minute, 0);
    assert.equal(s.nodes[n]!.status, "HEALTHY");
  }
  // every history row is reported once, attributed to the node that logged it and its origin
  assert.deepEqual(conflicts.filter((c) => c.node === "node1").length, 45);
  assert.deepEqual(conflictsByOrigin(conflicts, "node1"), { node2: 2, node3: 43 });
  assert.deepEqual(conflictsByOrigin(conflicts, "node2"), { node1: 14, node3: 8 });
  assert.deepEqual(conflictsByOrigin(conflicts, "node3"), { node1: 51, node2: 2 });
  // table and counters agree per origin once the join artifacts are left out
  for (const to of NODES) {
    for (const [from, n] of Object.entries(conflictsByOrigin(conflicts, to, "public"))) {
      assert.equal(link(s, from, to).conflicts, n, `${from} -> ${to}`);
    }
  }
  const first = conflicts.find((c) => c.node === "node1" && c.conflict_id === 1)!;
  assert.deepEqual(first, {
    node: "node1",
    conflict_id: 1,
    local_conflict_time: "2026-11-24T06:11:46.750Z",
    object_schema: "public",
    object_name: "kv",
    remote_node: "node2",
    conflict_type: "update_delete",
    conflict_resolution: "skip_change",
    error_sqlstate: null,
    error_message: null,
  });
});

Deno.test("after conflicts, following the baseline cycle: rates over the window degrade every node", () => {
  const run = collector();
  run(baseline());
  const { snapshot: s, conflicts } = run(afterConflicts());
  // 45, 21 and 52 new conflicts within the default 5 min window
  assert.deepEqual(NODES.map((n) => s.nodes[n]!.metrics.conflicts_per_minute), [9, 4.2, 10.4]);
  assert.deepEqual(s.nodes.node1!.reasons, ["conflicts 9/min >= warn 3/min"]);
  assert.deepEqual(s.nodes.node2!.reasons, ["conflicts 4.2/min >= warn 3/min"]);
  assert.deepEqual(s.nodes.node3!.reasons, ["conflicts 10.4/min >= warn 3/min"]);
  for (const n of NODES) assert.equal(s.nodes[n]!.status, "DEGRADED");
  // only rows above the high-water mark of the baseline cycle are new
  assert.deepEqual(
    NODES.map((n) => conflicts.filter((c) => c.node === n).length),
    [45, 21, 52],
  );
  assert.ok(conflicts.every((c) => c.object_schema === "public"));
});

Deno.test("node3 stopped: DOWN with the error, its peers' slots inactive and retaining more WAL", () => {
  // a grace shorter than the 24 s between the two captures
  const thresholds = { ...DEFAULT_THRESHOLDS, walsenderInactiveCritMs: 10_000 };
  const run = collector(thresholds);
  run(afterConflicts());
  const t3 = stopped3s();
  const t25 = stopped25s();
  const a = run(t3).snapshot;
  const b = run(t25).snapshot;
  const elapsed = (t25.atMs - t3.atMs) / 1000;
  assert.ok(elapsed > 24 && elapsed < 24.2);

  for (const s of [a, b]) {
    const node3 = s.nodes.node3!;
    assert.equal(node3.status, "DOWN");
    assert.equal(node3.error, 'Cannot reach node "node3": connection refused');
    assert.deepEqual(node3.reasons, ['Cannot reach node "node3": connection refused']);
    assert.equal(node3.metrics.walsender_active, false);
    assert.equal(s.status, "DOWN");
    assert.equal(s.links.length, 6);
    for (const from of ["node1", "node2"]) {
      const out = link(s, from, "node3");
      assert.equal(out.active, false);
      assert.deepEqual([out.sent_lsn, out.replay_lsn], [null, null]);
      const back = link(s, "node3", from);
      assert.deepEqual([back.active, back.lag_bytes, back.lag_method], [null, null, "unknown"]);
      assert.equal(back.conflicts, from === "node1" ? 43 : 8); // the survivor's counters
      const peer = s.nodes[from]!;
      // the inactive walsenders serve node3, which is DOWN: no "while reachable" rule applies,
      // so the grace elapsing does not make the survivors CRITICAL
      assert.equal(peer.status, "DEGRADED");
      assert.deepEqual(peer.reasons, [
        `link node3 -> ${from}: origin node3 is DOWN, inbound lag unknown`,
      ]);
      assertCaughtUp(link(s, from, from === "node1" ? "node2" : "node1"));
    }
  }
  for (const from of ["node1", "node2"]) {
    const before = link(a, from, "node3");
    const after = link(b, from, "node3");
    // WAL retained for node3 = the capture's pg_wal_lsn_diff(current, restart_lsn)
    assert.equal(
      before.retained_wal_bytes,
      Number(slotRow(t3, from, "node3")["retained_bytes_vs_restart"]),
    );
    assert.equal(
      after.retained_wal_bytes,
      Number(slotRow(t25, from, "node3")["retained_bytes_vs_restart"]),
    );
    assert.ok(before.retained_wal_bytes! > 0);
    assert.ok(after.retained_wal_bytes! > before.retained_wal_bytes!);
    // t≈3 s: node3 had confirmed everything before it stopped; t≈25 s: the writes since
    assert.equal(before.lag_bytes, 0);
    assert.equal(
      after.lag_bytes,
      Number(slotRow(t25, from, "node3")["retained_bytes_vs_confirmed"]),
    );
    assert.equal(after.pending_send_bytes, after.lag_bytes);
    // seconds: known to be behind only since the t≈3 s cycle saw the link caught up
    assert.equal(after.lag_method, "observed_behind");
    assert.equal(after.lag_seconds, Math.round(elapsed * 1000) / 1000);
  }
  assert.deepEqual(
    [link(b, "node1", "node3").retained_wal_bytes, link(b, "node2", "node3").retained_wal_bytes],
    [368832, 381696],
  );
  assert.deepEqual(
    [link(b, "node1", "node3").lag_bytes, link(b, "node2", "node3").lag_bytes],
    [342336, 355344],
  );
  assert.equal(b.nodes.node1!.metrics.retained_wal_bytes, 368832);
  assert.equal(b.nodes.node2!.metrics.retained_wal_bytes, 381696);
  assert.equal(b.nodes.node3!.metrics.lag_bytes, 355344);
  // survivors' counters did not move: no conflict finding, same totals as before the stop
  assert.deepEqual([b.nodes.node1!.metrics.conflict_count, b.nodes.node2!.metrics.conflict_count], [
    45,
    21,
  ]);
  assert.equal(b.nodes.node1!.metrics.conflicts_per_minute, 0);
});

Deno.test("node3 restarted: back to HEALTHY everywhere, no false conflict burst", () => {
  const run = collector({ ...DEFAULT_THRESHOLDS, walsenderInactiveCritMs: 10_000 });
  run(afterConflicts());
  run(stopped3s());
  run(stopped25s());
  const { snapshot: s, conflicts } = run(restarted());
  assert.equal(s.status, "HEALTHY");
  assert.equal(s.links.length, 6);
  for (const l of s.links) assertCaughtUp(l);
  for (const n of NODES) {
    assert.equal(s.nodes[n]!.status, "HEALTHY", `${n}: ${s.nodes[n]!.reasons.join("; ")}`);
    assert.deepEqual(s.nodes[n]!.reasons, []);
    assert.equal(s.nodes[n]!.error, null);
    assert.equal(s.nodes[n]!.metrics.walsender_active, true);
    assert.equal(s.nodes[n]!.metrics.conflicts_per_minute, 0);
  }
  // node3's counters survived the restart (section 7 Q06): same total as before the stop
  assert.equal(s.nodes.node3!.metrics.conflict_count, 52);
  assert.equal(link(s, "node1", "node3").conflicts, 50);
  assert.equal(s.cluster.conflict_count, 118);
  assert.deepEqual(conflicts, []);
});

Deno.test("the whole observed timeline in one collector: findings at each step", () => {
  const run = collector();
  const steps = [
    baseline(),
    applyPaused(),
    afterConflicts(),
    stopped3s(),
    stopped25s(),
    restarted(),
  ];
  let last: Snapshot | null = null;
  const statuses = steps.map((sc) => {
    const s = last = run(sc).snapshot;
    return [sc.label, ...NODES.map((n) => s.nodes[n]!.status)];
  });
  assert.deepEqual(statuses, [
    ["baseline", "HEALTHY", "HEALTHY", "HEALTHY"],
    ["node2 apply paused", "HEALTHY", "DEGRADED", "HEALTHY"],
    ["after conflicts", "DEGRADED", "DEGRADED", "DEGRADED"],
    ["node3 stopped, t≈3 s", "DEGRADED", "DEGRADED", "DOWN"],
    ["node3 stopped, t≈25 s", "DEGRADED", "DEGRADED", "DOWN"],
    ["node3 restarted", "DEGRADED", "DEGRADED", "DEGRADED"],
  ]);
  // node3 back ~75 s after the conflict burst: the conflicts of the last 5 min are the only finding
  const s: Snapshot = last!;
  assert.deepEqual(s.nodes.node1!.reasons, ["conflicts 9/min >= warn 3/min"]);
  assert.deepEqual(s.nodes.node2!.reasons, ["conflicts 4.2/min >= warn 3/min"]);
  assert.deepEqual(s.nodes.node3!.reasons, ["conflicts 10.4/min >= warn 3/min"]);
  for (const l of s.links) assertCaughtUp(l);
});

Deno.test("collector started while node3 is down: the survivors' slots for it are still reported", () => {
  const { snapshot: s } = collector()(stopped25s());
  assert.equal(s.nodes.node3!.status, "DOWN");
  const out = link(s, "node1", "node3");
  assert.deepEqual(
    [out.active, out.lag_bytes, out.retained_wal_bytes, out.lag_seconds, out.lag_method],
    [false, 342336, 368832, null, "unknown"], // never seen caught up, node3 cannot tell: unknown
  );
  assert.deepEqual(s.nodes.node1!.reasons, [
    "link node3 -> node1: origin node3 is DOWN, inbound lag unknown",
  ]);
});

/** The same captures under other configured names (pgactive's node_name stays node1..node3). */
function renamed(sc: Scenario, names: Record<string, string>): Scenario {
  const nodes: Record<string, CaptureRows | NodeOutcome> = {};
  for (const [name, n] of Object.entries(sc.nodes)) {
    const to = names[name]!;
    nodes[to] = "atMs" in n ? { ...n, node: to } : stoppedOutcome(to, PORTS[name]!);
  }
  return { ...sc, nodes };
}

const CONFIG_NAMES = { node1: "pg-a", node2: "pg-b", node3: "pg-c" };

Deno.test("configured names differing from pgactive node names work while every node is up", () => {
  const run = collector();
  const s = run(renamed(afterConflicts(), CONFIG_NAMES)).snapshot;
  assert.equal(s.links.length, 6);
  assert.equal(link(s, "pg-a", "pg-c").conflicts, 50);
  assert.equal(s.status, "HEALTHY");
  // identities learned while up are kept while pg-c is down
  const down = run(renamed(stopped25s(), CONFIG_NAMES)).snapshot;
  assert.equal(link(down, "pg-a", "pg-c").retained_wal_bytes, 368832);
  assert.deepEqual(down.nodes["pg-a"]!.reasons, [
    "link pg-c -> pg-a: origin pg-c is DOWN, inbound lag unknown",
  ]);
});

Deno.test({
  name: "collector started while a node is down, configured names differing from pgactive's",
  // Regression (lib/collector/identity.ts): the down node's triple cannot come from its own
  // probe, from memory of earlier cycles, or from a pgactive_nodes row with the same name. Before
  // the fix its links vanished (368832 bytes of WAL retained for it on pg-a went unreported) and
  // the survivors got a false "unmonitored node node3 is in pgactive_nodes". pgactive_nodes lists
  // 3 ready members, 2 of them claimed by pg-a and pg-b: the remaining one is pg-c's.
  fn() {
    const { snapshot: s } = collector()(renamed(stopped25s(), CONFIG_NAMES));
    assert.equal(s.nodes["pg-c"]!.status, "DOWN");
    assert.equal(s.links.length, 6);
    assert.equal(link(s, "pg-a", "pg-c").retained_wal_bytes, 368832);
    assert.equal(link(s, "pg-b", "pg-c").retained_wal_bytes, 381696);
    assert.deepEqual(s.nodes["pg-a"]!.reasons, [
      "link pg-c -> pg-a: origin pg-c is DOWN, inbound lag unknown",
    ]);
  },
});

Deno.test("a pg_monitor-only role (section 6a) on the baseline: links measured, grants named", () => {
  const { snapshot: s, conflicts } = collector(DEFAULT_THRESHOLDS, { role: "pg_monitor" })(
    baseline(),
  );
  // identities from the per-db worker's application_name, peers from the slot names
  assert.equal(s.links.length, 6);
  for (const l of s.links) {
    assertCaughtUp(l);
    assert.equal(l.conflicts, null); // pgactive_get_stats() denied: unknown, not 0
  }
  for (const n of NODES) {
    const node = s.nodes[n]!;
    assert.equal(node.status, "DEGRADED");
    assert.deepEqual(node.reasons, [
      MISSING_GRANT.nodes,
      MISSING_GRANT.local_nodeid,
      MISSING_GRANT.stats,
      MISSING_GRANT.workers,
      MISSING_GRANT.conflict_history,
    ]);
    assert.deepEqual(
      [node.metrics.conflict_count, node.metrics.apply_errors, node.metrics.node_status],
      [null, null, null],
    );
    assert.equal(node.metrics.walsender_active, true);
    assert.equal(node.metrics.pgactive_version, "2.1.9");
  }
  assert.deepEqual(conflicts, []);
});

Deno.test({
  name: "collector started while a node is down, pg_monitor-only role: the down node's links kept",
  // Regression, same cause as above: without pgactive_nodes the down node's triple is the one
  // named in the survivors' slots (node1's slots name node2 and node3, node2's name node1 and
  // node3) that neither survivor claims (both known from their per-db worker hints).
  fn() {
    const { snapshot: s } = collector(DEFAULT_THRESHOLDS, { role: "pg_monitor" })(stopped25s());
    assert.equal(s.links.length, 6);
    assert.equal(link(s, "node1", "node3").retained_wal_bytes, 368832);
    assert.equal(
      s.nodes.node1!.reasons[0],
      "link node3 -> node1: origin node3 is DOWN, inbound lag unknown",
    );
  },
});

import assert from "node:assert/strict";
import {
  buildSnapshot,
  newCollectorState,
  type NodeOutcome,
} from "../../lib/collector/snapshot_builder.ts";
import { parseSnapshot } from "../../lib/snapshot/mod.ts";
import { IDS, probe, THRESHOLDS } from "./fixtures.ts";

const T0 = Date.parse("2026-11-24T06:11:29Z");
const ctx = (version: number, nowMs: number) => ({
  version,
  nowMs,
  cycleMs: 4,
  thresholds: THRESHOLDS,
});
const ok = (name: string, p = probe(name)): NodeOutcome => ({ name, result: p, error: null });

Deno.test("an idle healthy mesh: every node HEALTHY and every lag 0 over several cycles", () => {
  const state = newCollectorState(60_000);
  for (let i = 0; i < 3; i++) {
    const now = T0 + i * 1000;
    const { snapshot } = buildSnapshot(
      ["node1", "node2", "node3"].map((n) =>
        ok(n, probe(n, { nowMs: now, current: 0x1E2D620n + BigInt(i * 120) }))
      ),
      ctx(i + 1, now),
      state,
    );
    parseSnapshot(snapshot);
    assert.equal(snapshot.status, "HEALTHY");
    assert.equal(snapshot.links.length, 6);
    for (const l of snapshot.links) {
      assert.deepEqual([l.lag_seconds, l.lag_bytes, l.lag_xid, l.lag_method], [
        0,
        0,
        0,
        "caught_up",
      ]);
      assert.equal(l.active, true);
    }
    for (const n of Object.values(snapshot.nodes)) {
      assert.deepEqual(n.reasons, []);
      assert.equal(n.metrics.walsender_active, true);
      assert.equal(n.metrics.pgactive_version, "2.1.9");
      assert.equal(n.metrics.node_status, "r");
    }
  }
});

Deno.test("a stopped node is DOWN, its peers keep reporting the inactive slot and retained WAL", () => {
  const state = newCollectorState(60_000);
  const current = 0x1F00C08n;
  const peersOf = { node3: { active: false, confirmed: 0x1EAD2C8n, restart: 0x1EA6B48n } };
  const { snapshot } = buildSnapshot(
    [
      ok("node1", probe("node1", { current, peers: peersOf })),
      ok("node2", probe("node2", { current, peers: peersOf })),
      { name: "node3", result: null, error: 'Cannot reach node "node3": connection refused' },
    ],
    ctx(7, T0),
    state,
  );
  parseSnapshot(snapshot);
  assert.equal(snapshot.nodes.node3?.status, "DOWN");
  assert.equal(snapshot.nodes.node3?.error, 'Cannot reach node "node3": connection refused');
  const toDown = snapshot.links.find((l) => l.from === "node1" && l.to === "node3")!;
  assert.equal(toDown.active, false);
  assert.equal(toDown.retained_wal_bytes, 368832);
  assert.equal(toDown.lag_bytes, 342336);
  const fromDown = snapshot.links.find((l) => l.from === "node3" && l.to === "node1")!;
  assert.equal(fromDown.active, null);
  assert.equal(fromDown.lag_method, "unknown");
  assert.equal(snapshot.nodes.node1?.status, "DEGRADED");
  assert.deepEqual(snapshot.nodes.node1?.reasons, [
    "link node3 -> node1: origin node3 is DOWN, inbound lag unknown",
  ]);
  assert.equal(snapshot.nodes.node3?.metrics.walsender_active, false);
  assert.equal(snapshot.status, "DOWN");
  assert.equal(snapshot.version, 7);
});

Deno.test("a stalled link degrades then becomes critical, naming the link", () => {
  const state = newCollectorState(60_000);
  let current = 0x1E2D620n;
  const run = (i: number, stalledAt: bigint | null) => {
    const now = T0 + i * 1000;
    const node2 = probe("node2", {
      nowMs: now,
      peers: stalledAt === null ? {} : { node1: { appliedCommitMs: T0 + 500 } },
    });
    const node1 = probe("node1", {
      nowMs: now,
      current,
      peers: stalledAt === null ? {} : { node2: { replay: stalledAt } },
    });
    return buildSnapshot([ok("node1", node1), ok("node2", node2), ok("node3")], ctx(i, now), state)
      .snapshot;
  };
  run(0, null);
  const stalledAt = current;
  current += 80_000n;
  let s = run(1, stalledAt);
  const link = () => s.links.find((l) => l.from === "node1" && l.to === "node2")!;
  assert.equal(link().lag_bytes, 80_000);
  assert.equal(link().lag_seconds, 0.5);
  assert.equal(link().lag_method, "last_applied_commit");
  assert.equal(s.nodes.node2?.status, "HEALTHY");
  current += 80_000n;
  s = run(2, stalledAt);
  assert.equal(s.nodes.node2?.status, "DEGRADED");
  assert.deepEqual(s.nodes.node2?.reasons, ["link node1 -> node2: lag 1.5 s >= warn 1 s"]);
  current += 80_000n;
  s = run(4, stalledAt);
  assert.equal(s.nodes.node2?.status, "CRITICAL");
  assert.deepEqual(s.nodes.node2?.reasons, ["link node1 -> node2: lag 3.5 s >= crit 3 s"]);
  assert.equal(s.nodes.node2?.metrics.lag_bytes, 240_000);
  assert.equal(s.nodes.node1?.status, "HEALTHY");
  s = run(5, null);
  assert.equal(s.nodes.node2?.status, "HEALTHY");
  assert.equal(link().lag_seconds, 0);
});

Deno.test("conflicts: per-node totals exclude join-time conflicts on pgactive's catalog", () => {
  const state = newCollectorState(60_000);
  const node1 = probe("node1", {
    peers: { node3: { conflicts: 43 }, node2: { conflicts: 1 } },
    catalog: { node2: 1 },
  });
  const { snapshot } = buildSnapshot(
    [ok("node1", node1), ok("node2"), ok("node3")],
    ctx(1, T0),
    state,
  );
  assert.equal(snapshot.nodes.node1?.metrics.conflict_count, 43);
  assert.equal(snapshot.links.find((l) => l.from === "node2" && l.to === "node1")?.conflicts, 0);
  assert.equal(snapshot.links.find((l) => l.from === "node3" && l.to === "node1")?.conflicts, 43);
  assert.equal(snapshot.cluster.conflict_count, 43);
});

Deno.test("conflicts per minute over the window cross the warn threshold", () => {
  const state = newCollectorState(60_000);
  buildSnapshot([ok("node1"), ok("node2"), ok("node3")], ctx(1, T0), state);
  const busy = probe("node1", { peers: { node3: { conflicts: 4 } } });
  const { snapshot } = buildSnapshot(
    [ok("node1", busy), ok("node2"), ok("node3")],
    ctx(2, T0 + 1000),
    state,
  );
  assert.equal(snapshot.nodes.node1?.metrics.conflicts_per_minute, 4);
  assert.equal(snapshot.nodes.node1?.status, "DEGRADED");
  assert.deepEqual(snapshot.nodes.node1?.reasons, ["conflicts 4/min >= warn 3/min"]);
  assert.equal(snapshot.cluster.conflicts_per_minute, 4);
});

Deno.test("rising apply errors are critical", () => {
  const state = newCollectorState(60_000);
  buildSnapshot([ok("node1"), ok("node2"), ok("node3")], ctx(1, T0), state);
  const failing = probe("node2", { peers: { node1: { rollbacks: 2 } } });
  const { snapshot } = buildSnapshot(
    [ok("node1"), ok("node2", failing), ok("node3")],
    ctx(2, T0 + 1000),
    state,
  );
  assert.equal(snapshot.nodes.node2?.status, "CRITICAL");
  assert.equal(snapshot.nodes.node2?.metrics.apply_errors, 2);
  assert.match(snapshot.nodes.node2!.reasons[0]!, /^apply errors rising: 2 new/);
});

Deno.test("a member of pgactive_nodes that is not configured is reported, not ignored", () => {
  const state = newCollectorState(60_000);
  const members = [...Object.keys(IDS), "node4"].map((name) => ({ name, status: "r" }));
  const { snapshot } = buildSnapshot(
    [
      ok("node1", probe("node1", { members })),
      ok("node2"),
      ok("node3"),
    ],
    ctx(1, T0),
    state,
  );
  assert.deepEqual(snapshot.nodes.node1?.reasons, ["unmonitored node node4 is in pgactive_nodes"]);
});

Deno.test("identities are inferred from slot names when the local node id is not readable", () => {
  const state = newCollectorState(60_000);
  const anon = (n: string) => {
    const p = probe(n);
    return ok(n, { ...p, data: { ...p.data, local: null, members: null } });
  };
  const { snapshot } = buildSnapshot(
    [anon("node1"), anon("node2"), anon("node3")],
    ctx(1, T0),
    state,
  );
  assert.equal(snapshot.links.length, 6);
  assert.ok(snapshot.links.every((l) => l.lag_method === "caught_up"));
});

Deno.test("stored conflict samples seed the rate after a restart", () => {
  const state = newCollectorState(60_000, [
    { node: "node1", at_ms: T0 - 30_000, conflict_count: 0 },
    { node: "node1", at_ms: T0 - 10_000, conflict_count: 4 },
  ]);
  const node1 = probe("node1", { peers: { node3: { conflicts: 4 } } });
  const { snapshot } = buildSnapshot(
    [ok("node1", node1), ok("node2"), ok("node3")],
    ctx(1, T0),
    state,
  );
  assert.equal(snapshot.nodes.node1?.metrics.conflicts_per_minute, 4);
  assert.equal(snapshot.nodes.node1?.status, "DEGRADED");
});

import assert from "node:assert/strict";
import { evaluateNode, type NodeFacts } from "../../lib/collector/status_rules.ts";
import type { DerivedLink } from "../../lib/collector/links.ts";
import { NEW_LINK_STATE } from "../../lib/collector/links.ts";
import { THRESHOLDS } from "./fixtures.ts";

function inbound(
  from: string,
  over: Partial<DerivedLink> & { lag?: number | null } = {},
): DerivedLink {
  return {
    link: {
      from,
      to: "node2",
      active: true,
      lag_seconds: over.lag === undefined ? 0 : over.lag,
      lag_bytes: 0,
      lag_xid: 0,
      pending_send_bytes: 0,
      retained_wal_bytes: 56,
      sent_lsn: null,
      write_lsn: null,
      flush_lsn: null,
      replay_lsn: null,
      catch_up_seconds: 0,
      conflicts: 0,
      apply_errors: 0,
      lag_method: "caught_up",
      wal_status: "reserved",
      caught_up: true,
      confirmed_lsn: null,
      unconfirmed_bytes: 0,
      apply_paused: false,
    },
    state: NEW_LINK_STATE,
    caughtUp: !over.lag,
    stalledForMs: null,
    behindCycles: over.lag ? 2 : 0,
    confirmed: null,
    appliedUpToMs: null,
    inactiveForMs: null,
    originDown: false,
    targetDown: false,
    slotMissing: false,
    ...over,
  };
}

const healthy: NodeFacts = {
  name: "node2",
  probed: true,
  probeError: null,
  inbound: [inbound("node1"), inbound("node3")],
  nodeStatus: "r",
  applyPaused: false,
  conflictsPerMinute: 0,
  applyErrorsIncrease: 0,
  privilegeReasons: [],
  unmonitored: [],
};

Deno.test("a node with caught-up inbound links is HEALTHY without reasons", () => {
  assert.deepEqual(evaluateNode(healthy, THRESHOLDS), { status: "HEALTHY", reasons: [] });
});

Deno.test("status is DOWN with the probe error as its reason", () => {
  const v = evaluateNode({
    ...healthy,
    probeError: 'Cannot reach node "node2": connection refused',
  }, THRESHOLDS);
  assert.deepEqual(v, {
    status: "DOWN",
    reasons: ['Cannot reach node "node2": connection refused'],
  });
});

Deno.test("status is UNKNOWN before the first probe", () => {
  assert.equal(evaluateNode({ ...healthy, probed: false }, THRESHOLDS).status, "UNKNOWN");
});

Deno.test("lag at the warn threshold degrades and at crit is critical, naming the link", () => {
  const warn = evaluateNode({ ...healthy, inbound: [inbound("node1", { lag: 1.23 })] }, THRESHOLDS);
  assert.deepEqual(warn, {
    status: "DEGRADED",
    reasons: ["link node1 -> node2: lag 1.2 s >= warn 1 s"],
  });
  const crit = evaluateNode({ ...healthy, inbound: [inbound("node1", { lag: 7.2 })] }, THRESHOLDS);
  assert.deepEqual(crit, {
    status: "CRITICAL",
    reasons: ["link node1 -> node2: lag 7.2 s >= crit 3 s"],
  });
});

Deno.test("an inactive walsender is critical only after the grace period", () => {
  const brief = evaluateNode(
    { ...healthy, inbound: [inbound("node1", { inactiveForMs: 1999 })] },
    THRESHOLDS,
  );
  assert.equal(brief.status, "HEALTHY");
  const long = evaluateNode(
    { ...healthy, inbound: [inbound("node1", { inactiveForMs: 2500 })] },
    THRESHOLDS,
  );
  assert.equal(long.status, "CRITICAL");
  assert.deepEqual(long.reasons, [
    "link node1 -> node2: walsender inactive for 2.5 s >= 2 s while node1 is reachable",
  ]);
});

Deno.test("the stopped apply worker's last error explains an inactive walsender", () => {
  const v = evaluateNode({
    ...healthy,
    inbound: [inbound("node1", { inactiveForMs: 3000 })],
    applyWorkerErrors: new Map([["node1", "pgactive_apply_failure"]]),
  }, THRESHOLDS);
  assert.deepEqual(v.reasons, [
    "link node1 -> node2: walsender inactive for 3 s >= 2 s while node1 is reachable " +
    "(apply worker on node2: pgactive_apply_failure)",
  ]);
});

Deno.test("a missing slot on a reachable origin is critical after the grace", () => {
  const v = evaluateNode({
    ...healthy,
    inbound: [inbound("node1", { inactiveForMs: 2500, slotMissing: true })],
  }, THRESHOLDS);
  assert.deepEqual(v, {
    status: "CRITICAL",
    reasons: ["link node1 -> node2: node1 has no replication slot for node2"],
  });
});

Deno.test("a DOWN origin degrades the target: inbound lag unknown", () => {
  const v = evaluateNode({
    ...healthy,
    inbound: [inbound("node3", { originDown: true, lag: null })],
  }, THRESHOLDS);
  assert.deepEqual(v, {
    status: "DEGRADED",
    reasons: ["link node3 -> node2: origin node3 is DOWN, inbound lag unknown"],
  });
});

Deno.test("node status, apply errors, conflicts, pause, unmonitored peers and grants all give reasons", () => {
  const v = evaluateNode({
    ...healthy,
    nodeStatus: "i",
    applyErrorsIncrease: 2,
    conflictsPerMinute: 4,
    applyPaused: true,
    unmonitored: ["node4"],
    privilegeReasons: ["cannot read pgactive_get_stats(): grant EXECUTE"],
  }, THRESHOLDS);
  assert.equal(v.status, "CRITICAL");
  assert.deepEqual(v.reasons, [
    "pgactive status of node2 is 'i' (not ready)",
    "apply errors rising: 2 new in the last 1 min",
    "conflicts 4/min >= warn 3/min",
    "apply is paused on node2 (pgactive_apply_pause())",
    "unmonitored node node4 is in pgactive_nodes",
    "cannot read pgactive_get_stats(): grant EXECUTE",
  ]);
});

function withWalStatus(from: string, walStatus: string): DerivedLink {
  const d = inbound(from);
  return { ...d, link: { ...d.link, wal_status: walStatus } };
}

Deno.test("a slot that lost or is losing the WAL its target needs is critical, also when the target is DOWN", () => {
  const lost = evaluateNode(
    { ...healthy, inbound: [withWalStatus("node1", "lost"), inbound("node3")] },
    THRESHOLDS,
  );
  assert.equal(lost.status, "CRITICAL");
  assert.match(lost.reasons[0]!, /^link node1 -> node2: .*wal_status lost.*re-joined$/);

  const unreserved = evaluateNode(
    { ...healthy, inbound: [withWalStatus("node3", "unreserved")] },
    THRESHOLDS,
  );
  assert.equal(unreserved.status, "CRITICAL");
  assert.match(unreserved.reasons[0]!, /link node3 -> node2: .*wal_status unreserved/);

  const extended = evaluateNode(
    { ...healthy, inbound: [withWalStatus("node3", "extended")] },
    THRESHOLDS,
  );
  assert.deepEqual(extended, { status: "HEALTHY", reasons: [] });

  const down = evaluateNode(
    {
      ...healthy,
      probeError: 'Cannot reach node "node2": connection refused',
      inbound: [withWalStatus("node1", "lost")],
    },
    THRESHOLDS,
  );
  assert.equal(down.status, "DOWN");
  assert.equal(down.reasons.length, 2);
  assert.match(down.reasons[1]!, /wal_status lost/);
});

/**
 * The matrix colours a link by the reasons its target's status rules give: held against the
 * collector's own rules (each single finding, alone on a node, must get the node's status).
 */
import assert from "node:assert/strict";
import { evaluateNode, type NodeFacts } from "../../lib/collector/status_rules.ts";
import { type DerivedLink, NEW_LINK_STATE } from "../../lib/collector/links.ts";
import { linkStatus, reasonSeverity } from "../../lib/web/page/link_status.ts";
import type { Status } from "../../lib/snapshot/mod.ts";
import { makeSnapshot } from "../server/fixtures.ts";

const T = {
  lagSecondsWarn: 5,
  lagSecondsCrit: 15,
  conflictsWarnPerMinute: 3,
  walsenderInactiveCritMs: 30_000,
  conflictWindowMs: 300_000,
};

/** A derived link node1 -> node2 that is neither stalled nor inactive, both ends up. */
const QUIET = { stalledForMs: null, confirmed: null, appliedUpToMs: null, inactiveForMs: null };
const UP = { originDown: false, targetDown: false, slotMissing: false };

function inbound(over: Partial<DerivedLink> & { lag?: number; wal?: string } = {}): DerivedLink {
  const base = makeSnapshot(1).links.find((l) => l.from === "node1" && l.to === "node2")!;
  const link = { ...base, lag_seconds: over.lag ?? 0, wal_status: over.wal ?? "reserved" };
  const behind = { caughtUp: !over.lag, behindCycles: over.lag ? 2 : 0 };
  return { link, state: NEW_LINK_STATE, ...behind, ...QUIET, ...UP, ...over };
}

/** Node facts of node2 with `link` as its only inbound link: nothing else to report. */
const CALM = { nodeStatus: "r", applyPaused: false, conflictsPerMinute: 0, applyErrorsIncrease: 0 };
const NOTHING_ELSE = { privilegeReasons: [], unmonitored: [] };

function facts(link: DerivedLink, over: Partial<NodeFacts> = {}): NodeFacts {
  const probed = { name: "node2", probed: true, probeError: null, inbound: [link] };
  return { ...probed, ...CALM, ...NOTHING_ELSE, ...over };
}

const FINDINGS: [string, NodeFacts][] = [
  ["lag over warn", facts(inbound({ lag: 7 }))],
  ["lag over crit", facts(inbound({ lag: 20 }))],
  ["stalled below the thresholds", facts(inbound({ lag: 1, behindCycles: 1, stalledForMs: 4000 }))],
  ["origin down", facts(inbound({ originDown: true }))],
  ["walsender inactive", facts(inbound({ inactiveForMs: 60_000 }))],
  [
    "walsender inactive while apply is paused",
    facts(inbound({ inactiveForMs: 60_000 }), { applyPaused: true }),
  ],
  [
    "walsender inactive with the worker's error",
    facts(inbound({ inactiveForMs: 60_000 }), {
      applyWorkerErrors: new Map([["node1", "duplicate key value"]]),
    }),
  ],
  ["slot missing", facts(inbound({ inactiveForMs: 60_000, slotMissing: true }))],
  ["wal_status lost", facts(inbound({ wal: "lost" }))],
  ["wal_status unreserved", facts(inbound({ wal: "unreserved" }))],
];

Deno.test("each link reason gets the severity the collector's rules give it", () => {
  for (const [what, f] of FINDINGS) {
    const verdict = evaluateNode(f, T);
    const linkReasons = verdict.reasons.filter((r) => r.startsWith("link node1 -> node2:"));
    assert.ok(linkReasons.length > 0, `${what}: a reason names the link (${verdict.reasons})`);
    const worst = linkReasons.some((r) => reasonSeverity(r) === "CRITICAL")
      ? "CRITICAL"
      : "DEGRADED";
    // the paused case also has a node-level "apply is paused" reason, DEGRADED as well
    assert.equal(worst, verdict.status, `${what}: ${linkReasons.join(" | ")}`);
  }
});

function snapshotWith(node2: Status, reasons: string[], node1: Status = "HEALTHY") {
  const s = makeSnapshot(3, { status: { node1, node2 } });
  s.nodes.node2!.reasons = reasons;
  return s;
}

Deno.test("a link takes the worst of its target's reasons that name it, others stay HEALTHY", () => {
  const s = snapshotWith("CRITICAL", [
    "link node1 -> node2: lag 20 s >= crit 15 s",
    "link node3 -> node2: lag 6 s >= warn 5 s",
    "apply is paused on node2 (pgactive_apply_pause())",
  ]);
  const status = (from: string, to: string) =>
    linkStatus(s, s.links.find((l) => l.from === from && l.to === to)!).status;
  assert.equal(status("node1", "node2"), "CRITICAL");
  assert.equal(status("node3", "node2"), "DEGRADED");
  assert.equal(status("node2", "node1"), "HEALTHY");
  assert.equal(status("node1", "node3"), "HEALTHY");
  const v = linkStatus(s, s.links.find((l) => l.from === "node1" && l.to === "node2")!);
  assert.deepEqual(v.reasons, ["link node1 -> node2: lag 20 s >= crit 15 s"]);
});

Deno.test("a link with a DOWN end is DOWN; with an UNKNOWN target UNKNOWN", () => {
  const down = snapshotWith("HEALTHY", [], "DOWN");
  const from1 = down.links.find((l) => l.from === "node1" && l.to === "node2")!;
  assert.deepEqual(linkStatus(down, from1), { status: "DOWN", reasons: ["node1 DOWN"] });
  const to1 = down.links.find((l) => l.from === "node3" && l.to === "node1")!;
  assert.equal(linkStatus(down, to1).status, "DOWN");
  const unknown = snapshotWith("UNKNOWN", ["not probed yet"]);
  const l = unknown.links.find((x) => x.to === "node2")!;
  assert.equal(linkStatus(unknown, l).status, "UNKNOWN");
});

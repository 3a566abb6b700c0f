/**
 * Conflict counts across restarts and crashes, against a real sandbox whose counters behave as
 * pgactive's do (saved at a clean shutdown, restored at start; after a crash they come back as
 * the last saved values while pgactive_conflict_history keeps every row).
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/collector/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import type { Snapshot } from "../../lib/snapshot/mod.ts";
import { cycleUntil, linkOf, testConfig } from "./sandbox_helpers.ts";

/** node2's conflict counters over all origins (only node1's conflicts are recorded here). */
async function counters(sb: Awaited<ReturnType<typeof startSandbox>>): Promise<number> {
  const [row] = await sb.query(
    "node2",
    `SELECT coalesce(sum(nr_insert_conflict + nr_update_conflict + nr_delete_conflict), 0)::int AS n
     FROM pgactive.pgactive_get_stats()`,
  );
  return Number(row?.["n"] ?? 0);
}

Deno.test("conflict counts stay exact across a clean restart and hide nothing after a crash", async () => {
  await using sb = await startSandbox({ nodes: 3 });
  await using c = new Collector(testConfig(sb.nodes, { conflictsWarnPerMinute: 1000 }));
  await sb.waitForCatchUp();
  const count = (s: Snapshot) => linkOf(s, "node1", "node2").conflicts;
  const node2Up = (s: Snapshot) => s.nodes.node2?.status !== "DOWN";

  await sb.recordConflict("node2", { type: "update_update", from: "node1", count: 3 });
  let seen = await cycleUntil(c, "3 conflicts", (s) => count(s) === 3);
  assert.equal(seen.at(-1)!.nodes.node2!.metrics.conflict_count, 3);

  // A clean restart: the counters are saved and restored, the count does not move.
  await sb.restartNode("node2", { mode: "fast" });
  seen = await cycleUntil(c, "node2 back", node2Up);
  assert.equal(count(seen.at(-1)!), 3);
  assert.equal(await counters(sb), 3, "the sandbox restored its counters");

  // An immediate stop still saves the counters (pgactive saves them when the postmaster exits).
  await sb.recordConflict("node2", { type: "delete_delete", from: "node1", count: 2 });
  await cycleUntil(c, "5 conflicts", (s) => count(s) === 5);
  await sb.restartNode("node2", { mode: "immediate" });
  assert.equal(await counters(sb), 5, "kept across an immediate stop");
  seen = await cycleUntil(c, "node2 back", node2Up);
  assert.equal(count(seen.at(-1)!), 5);

  // One more, then the postmaster is killed: the counters fall back to the last save (5), the
  // history keeps 6 rows.
  await sb.recordConflict("node2", { type: "update_update", from: "node1" });
  await cycleUntil(c, "6 conflicts", (s) => count(s) === 6);
  await sb.restartNode("node2", { mode: "kill" });
  assert.equal(await counters(sb), 5, "the crash lost the count since the last save");
  seen = await cycleUntil(c, "node2 back after the crash", node2Up);
  const after = seen.at(-1)!;
  assert.equal(count(after), 6, "no conflict hidden by the crash");
  assert.equal(after.nodes.node2!.metrics.conflict_count, 6);
  for (const s of seen) {
    const n = s.nodes.node2!.metrics;
    assert.ok(n.conflicts_per_minute === null || n.conflicts_per_minute >= 0, "never negative");
    assert.ok(n.conflict_count === null || n.conflict_count >= 6, "never goes back");
  }

  // Counting goes on from there.
  await sb.recordConflict("node2", { type: "update_update", from: "node1" });
  await cycleUntil(c, "7 conflicts", (s) => count(s) === 7);
});

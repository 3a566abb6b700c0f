/** The collector against a real 3-node sandbox mesh: lag, stalls, broken links, conflicts. */
import assert from "node:assert/strict";
import { Collector } from "../../lib/collector/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { parseSnapshot } from "../../lib/snapshot/mod.ts";
import { allCaughtUp, cycleUntil, describe, linkOf, testConfig } from "./sandbox_helpers.ts";

Deno.test("collector against a 3-node sandbox", async (t) => {
  await using sb = await startSandbox({ nodes: 3 });
  const config = testConfig(sb.nodes);
  await using c = new Collector(config, { initialVersion: 41 });

  await t.step(
    "an idle healthy mesh: every node HEALTHY and every lag 0 over several cycles",
    async () => {
      await sb.waitForCatchUp();
      const first = await c.runCycle();
      assert.equal(first.snapshot.version, 42, "continues from initialVersion");
      await cycleUntil(c, "caught up", allCaughtUp);
      for (let i = 0; i < 4; i++) {
        const { snapshot } = await c.runCycle();
        parseSnapshot(snapshot);
        assert.ok(allCaughtUp(snapshot), describe(snapshot));
        assert.equal(snapshot.links.length, 6);
        for (const n of Object.values(snapshot.nodes)) {
          assert.equal(n.metrics.walsender_active, true);
          assert.equal(n.metrics.node_status, "r");
          assert.equal(n.metrics.apply_paused, false);
          assert.equal(n.metrics.pgactive_version, "2.1.9");
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    },
  );

  await t.step("a stalled link builds lag, degrades then goes critical, and recovers", async () => {
    await cycleUntil(c, "caught up before stalling", allCaughtUp);
    await sb.stallLink("node1", "node2");
    const load = sb.startLoad("node1", { rowsPerSecond: 200 });
    try {
      const seen = await cycleUntil(
        c,
        "node2 CRITICAL",
        (s) => s.nodes.node2?.status === "CRITICAL",
        { timeoutMs: 20_000 },
      );
      const last = seen.at(-1)!;
      assert.ok(
        seen.some((s) => s.nodes.node2?.status === "DEGRADED"),
        "DEGRADED before CRITICAL",
      );
      // First "not applied, no progress" (below the thresholds), then the warn threshold.
      const reasons = seen.map((s) => s.nodes.node2!.reasons.join("\n")).join("\n");
      assert.match(reasons, /^link node1 -> node2: .* not applied, no apply progress for /m);
      assert.match(reasons, /^link node1 -> node2: lag [\d.]+ s >= warn 1 s$/m);
      assert.match(
        last.nodes.node2!.reasons.join("\n"),
        /^link node1 -> node2: lag [\d.]+ s >= crit 3 s$/m,
      );
      const stalled = seen.map((s) => linkOf(s, "node1", "node2")).filter((l) =>
        l.lag_method !== "caught_up"
      );
      assert.ok(stalled.length >= 2);
      assert.ok(stalled.at(-1)!.lag_bytes! > stalled[0]!.lag_bytes!, "lag_bytes grows");
      assert.ok(stalled.at(-1)!.lag_seconds! > stalled[0]!.lag_seconds!, "lag_seconds grows");
      assert.equal(linkOf(last, "node1", "node2").active, true, "walsender stays connected");
      // the other links keep flowing (a transient warn under the load is tolerated)
      assert.notEqual(last.nodes.node1?.status, "CRITICAL", describe(last));
      assert.notEqual(last.nodes.node3?.status, "CRITICAL", describe(last));
      assert.ok(last.nodes.node2!.metrics.lag_seconds! >= 3);
    } finally {
      await load.stop();
      await sb.resumeLink("node1", "node2");
    }
    await sb.waitForCatchUp();
    await cycleUntil(c, "HEALTHY with lag 0 after resume", allCaughtUp);
  });

  await t.step("a broken link is critical after the walsender grace, not before", async () => {
    await cycleUntil(c, "caught up", allCaughtUp);
    await sb.breakLink("node1", "node3");
    const brokeAt = Date.now();
    try {
      const seen = await cycleUntil(
        c,
        "node3 CRITICAL",
        (s) => s.nodes.node3?.status === "CRITICAL",
      );
      const last = seen.at(-1)!;
      assert.ok(Date.now() - brokeAt >= 2000, "not before the 2 s grace");
      assert.ok(seen.length >= 2 && seen[0]!.nodes.node3?.status !== "CRITICAL");
      assert.equal(linkOf(seen[0]!, "node1", "node3").active, false);
      assert.match(
        last.nodes.node3!.reasons.join("\n"),
        /link node1 -> node3: walsender inactive for [\d.]+ s >= 2 s while node1 is reachable/,
      );
      assert.equal(last.nodes.node3!.metrics.walsender_active, false);
    } finally {
      await sb.restoreLink("node1", "node3");
    }
    await cycleUntil(c, "HEALTHY after restore", allCaughtUp);
  });

  await t.step(
    "conflicts: exact counts, rate over warn degrades, join-time conflicts excluded",
    async () => {
      const before = (await c.runCycle()).snapshot;
      assert.equal(before.nodes.node2?.metrics.conflict_count, 0);
      await sb.recordConflict("node2", {
        type: "insert_insert",
        from: "node1",
        table: "pgactive.pgactive_nodes",
      });
      const join = await c.runCycle();
      assert.equal(
        join.snapshot.nodes.node2?.metrics.conflict_count,
        0,
        "join-time conflict excluded",
      );
      assert.equal(join.conflicts.length, 1, "the row itself is still reported");
      assert.equal(join.conflicts[0]?.object_schema, "pgactive");
      assert.equal(join.conflicts[0]?.remote_node, "node1");
      await sb.recordConflict("node2", { type: "update_update", from: "node1", count: 2 });
      await sb.recordConflict("node2", { type: "delete_delete", from: "node3", count: 3 });
      const { snapshot, conflicts } = await c.runCycle();
      assert.equal(snapshot.nodes.node2?.metrics.conflict_count, 5);
      assert.equal(linkOf(snapshot, "node1", "node2").conflicts, 2);
      assert.equal(linkOf(snapshot, "node3", "node2").conflicts, 3);
      assert.equal(snapshot.cluster.conflict_count, 5);
      assert.equal(conflicts.length, 5);
      assert.equal(snapshot.nodes.node2?.metrics.conflicts_per_minute, 5);
      assert.equal(snapshot.nodes.node2?.status, "DEGRADED");
      assert.deepEqual(snapshot.nodes.node2?.reasons, ["conflicts 5/min >= warn 3/min"]);
      const again = await c.runCycle();
      assert.equal(again.conflicts.length, 0, "rows are read once (high-water mark)");
    },
  );

  await t.step("apply errors rising are critical", async () => {
    await sb.recordConflict("node3", { type: "unhandled_tx_abort", from: "node2" });
    const { snapshot } = await c.runCycle();
    assert.equal(snapshot.nodes.node3?.metrics.apply_errors, 1);
    assert.equal(snapshot.nodes.node3?.status, "CRITICAL");
    assert.match(
      snapshot.nodes.node3!.reasons[0]!,
      /^apply errors rising: 1 new in the last 1 min$/,
    );
  });

  await t.step("apply paused degrades with a reason", async () => {
    await sb.pauseApply("node1");
    try {
      const seen = await cycleUntil(
        c,
        "node1 paused",
        (s) => s.nodes.node1?.metrics.apply_paused === true,
      );
      assert.ok(
        seen.at(-1)!.nodes.node1!.reasons.includes(
          "apply is paused on node1 (pgactive_apply_pause())",
        ),
      );
      assert.notEqual(seen.at(-1)!.nodes.node1!.status, "HEALTHY");
    } finally {
      await sb.resumeApply("node1");
    }
  });

  assert.equal(c.stats.probeErrors.node1, 0);
  assert.ok(c.stats.cycles > 10);
});

/** The collector against a sandbox whose nodes stop, restart and hang. */
import assert from "node:assert/strict";
import { Collector } from "../../lib/collector/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import type { Snapshot } from "../../lib/snapshot/mod.ts";
import { allCaughtUp, cycleUntil, describe, linkOf, testConfig } from "./sandbox_helpers.ts";

Deno.test("collector with failing nodes", async (t) => {
  await using sb = await startSandbox({ nodes: 3 });
  const config = testConfig(sb.nodes, { intervalMs: 1500, probeTimeoutMs: 1000 });
  await using c = new Collector(config, { backoffBaseMs: 250, backoffMaxMs: 1000 });
  await cycleUntil(c, "caught up", allCaughtUp);

  await t.step("a node restarted between two cycles is not reported DOWN", async () => {
    await sb.stopNode("node3");
    await sb.startNode("node3");
    const { snapshot } = await c.runCycle();
    assert.notEqual(snapshot.nodes.node3?.status, "DOWN", describe(snapshot));
    assert.equal(c.stats.probeErrors.node3, 0);
    await cycleUntil(c, "caught up after restart", allCaughtUp);
  });

  await t.step(
    "a stopped node is DOWN within one interval; peers show its inactive slot",
    async () => {
      const seen: { at: number; s: Snapshot }[] = [];
      const loop = new Collector(config, {
        onCycle: (r) => void seen.push({ at: Date.now(), s: r.snapshot }),
      });
      try {
        loop.start();
        while (seen.length < 2) await new Promise((r) => setTimeout(r, 50));
        const stoppedAt = Date.now();
        await sb.stopNode("node3");
        await sb.write("node1", 500);
        await sb.write("node2", 500);
        const deadline = Date.now() + 10_000;
        while (!seen.some((x) => x.at > stoppedAt && x.s.nodes.node3?.status === "DOWN")) {
          assert.ok(Date.now() < deadline, "node3 never DOWN");
          await new Promise((r) => setTimeout(r, 50));
        }
        const down = seen.find((x) => x.at > stoppedAt && x.s.nodes.node3?.status === "DOWN")!;
        assert.ok(
          down.at - stoppedAt <=
            config.collector.intervalMs + config.collector.probeTimeoutMs + 500,
          `DOWN after ${down.at - stoppedAt} ms`,
        );
        assert.match(down.s.nodes.node3!.error!, /^Cannot reach node "node3": /);
        const after = await cycleUntil(
          c,
          "retained WAL for node3 on its peers",
          (s) => linkOf(s, "node1", "node3").retained_wal_bytes! > 20_000,
        );
        const s = after.at(-1)!;
        for (const peer of ["node1", "node2"]) {
          const l = linkOf(s, peer, "node3");
          assert.equal(l.active, false);
          assert.ok(l.retained_wal_bytes! > 0);
          assert.ok(l.lag_bytes! > 0, "lag from confirmed_flush while disconnected");
          assert.match(
            s.nodes[peer]!.reasons.join("\n"),
            /link node3 -> \w+: origin node3 is DOWN/,
          );
          assert.equal(linkOf(s, "node3", peer).lag_method, "unknown");
        }
        assert.equal(s.nodes.node3?.metrics.walsender_active, false);
        assert.ok(s.nodes.node1!.metrics.retained_wal_bytes! > 20_000);
      } finally {
        await loop.stop();
      }
      await sb.startNode("node3");
      await sb.waitForCatchUp();
      await cycleUntil(c, "HEALTHY after restart", allCaughtUp, { timeoutMs: 30_000 });
    },
  );

  await t.step(
    "a hung node is DOWN after the probe timeout while the others stay on time",
    async () => {
      await sb.hangNode("node2");
      try {
        const started = performance.now();
        const { snapshot } = await c.runCycle();
        const wall = performance.now() - started;
        assert.equal(snapshot.nodes.node2?.status, "DOWN");
        assert.match(
          snapshot.nodes.node2!.error!,
          /^Cannot reach node "node2": no answer within 1000 ms$/,
        );
        assert.ok(wall >= 900 && wall < 1800, `cycle took ${wall} ms`);
        assert.notEqual(snapshot.nodes.node1?.status, "DOWN");
        assert.notEqual(snapshot.nodes.node3?.status, "DOWN");
        assert.ok(snapshot.nodes.node1!.metrics.probe_ms! < 500);
        const again = performance.now();
        await c.runCycle();
        assert.ok(performance.now() - again < 1800, "the next cycle is bounded too");
      } finally {
        await sb.resumeNode("node2");
      }
      await cycleUntil(c, "HEALTHY after resume", allCaughtUp, { timeoutMs: 30_000 });
    },
  );
});

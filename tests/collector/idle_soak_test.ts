/**
 * No false lag: a real 3-node sandbox probed every 250 ms for 5 minutes (PGACTIVE_SOAK_MS to
 * shorten it locally), idle for the first fifth, then with writes on node1 only. A link that
 * carries no writes (every link whose origin is not node1) must never be behind at two probes in a
 * row (what status, alerts and `wait` act on), and no node may leave HEALTHY. A single probe may
 * see one behind for a moment: seen once in CI (4 of 4,780 samples, all in one cycle), the origin's
 * WAL flush stopped at a page boundary inside a record (flush 0/B68000, sent 0/B67FA0: 96 bytes the
 * walsender cannot send yet) while an idle node's local commit was under a second old, so the
 * newest commit scan could not be proven sent. Such samples are counted, printed, and must stay
 * rare (at most 1 in 500).
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/collector/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { allCaughtUp, cycleUntil, testConfig } from "./sandbox_helpers.ts";

const SOAK_MS = Number(Deno.env.get("PGACTIVE_SOAK_MS") ?? 300_000);
const EVERY_MS = 250;

Deno.test({
  name: "idle soak: no false lag on idle links, idle or with writes on other links",
  sanitizeOps: true,
  sanitizeResources: true,
  fn: async () => {
    await using sb = await startSandbox({ nodes: 3 });
    await using c = new Collector(testConfig(sb.nodes, { intervalMs: EVERY_MS }));
    await sb.waitForCatchUp();
    await cycleUntil(c, "caught up", allCaughtUp);
    const started = Date.now();
    let load: Awaited<ReturnType<typeof sb.startLoad>> | null = null;
    let samples = 0;
    const falseSamples: string[] = [];
    const single: string[] = [];
    let behindBefore = new Set<string>();
    try {
      while (Date.now() - started < SOAK_MS) {
        if (load === null && Date.now() - started >= SOAK_MS / 5) {
          load = sb.startLoad("node1", { rowsPerSecond: 20 });
        }
        const t0 = Date.now();
        const { snapshot: s } = await c.runCycle();
        const behind = new Set<string>();
        for (const l of s.links) {
          if (l.from === "node1") continue;
          samples++;
          if (l.caught_up !== true || l.lag_bytes !== 0 || l.lag_seconds !== 0) {
            const key = `${l.from}->${l.to}`;
            const line = `v${s.version} ${key} ${JSON.stringify(l)}`;
            (behindBefore.has(key) ? falseSamples : single).push(line);
            behind.add(key);
          }
        }
        behindBefore = behind;
        for (const n of Object.values(s.nodes)) {
          if (n.status !== "HEALTHY") {
            falseSamples.push(`v${s.version} ${n.name} ${n.status}: ${n.reasons.join("; ")}`);
          }
        }
        const rest = EVERY_MS - (Date.now() - t0);
        if (rest > 0) await new Promise((r) => setTimeout(r, rest));
      }
    } finally {
      await load?.stop();
    }
    assert.ok(load !== null && load.rowsWritten > 0, "node1 was written to");
    assert.ok(samples >= (SOAK_MS / EVERY_MS) * 4 * 0.5, `only ${samples} samples`);
    console.log(
      `idle soak: ${samples} idle-link samples, ${falseSamples.length} false at two probes in a ` +
        `row or not HEALTHY, ${single.length} behind at a single probe`,
    );
    for (const line of single.slice(0, 8)) console.log(`  single: ${line}`);
    assert.deepEqual(falseSamples.slice(0, 5), [], `${falseSamples.length} false samples`);
    assert.ok(single.length * 500 <= samples, `${single.length} single-probe false samples`);
  },
});

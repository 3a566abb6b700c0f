/** The collector's interval loop: cycles never overlap, late cycles skip ticks, logging, stop. */
import assert from "node:assert/strict";
import { Collector } from "../../lib/collector/mod.ts";
import { createLogger } from "../../lib/telemetry/mod.ts";
import type { CycleResult } from "../../lib/snapshot/mod.ts";
import { refusedPort } from "../sdk/targets.ts";
import { testConfig } from "./sandbox_helpers.ts";

/** A TCP endpoint that accepts and never answers (a hung server). */
function silentServer() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const loop = (async () => {
    try {
      for await (const c of listener) conns.push(c);
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    async close() {
      listener.close();
      for (const c of conns) c.close();
      await loop;
    },
  };
}

Deno.test("a late cycle skips ticks (counted) and cycles never overlap", async () => {
  const server = silentServer();
  const cfg = testConfig([{ name: "slow", dsn: `postgres://x@127.0.0.1:${server.port}/app` }], {
    intervalMs: 200,
    probeTimeoutMs: 700,
  });
  let running = 0;
  let maxRunning = 0;
  const results: CycleResult[] = [];
  const lines: string[] = [];
  const c = new Collector(cfg, {
    initialVersion: 9,
    backoffBaseMs: 0,
    logger: createLogger({ level: "debug", write: (l) => lines.push(l) }),
    onCycle: async (r) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      results.push(r);
      await new Promise((res) => setTimeout(res, 10));
      running--;
    },
  });
  try {
    c.start();
    c.start(); // idempotent
    const deadline = Date.now() + 5000;
    while (results.length < 2) {
      assert.ok(Date.now() < deadline, "no cycles");
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await c.stop();
    await server.close();
  }
  assert.equal(maxRunning, 1);
  assert.deepEqual(results.slice(0, 2).map((r) => r.snapshot.version), [10, 11]);
  assert.ok(c.stats.skippedCycles >= 2, `skipped ${c.stats.skippedCycles}`);
  assert.equal(c.stats.cycles, results.length);
  // A silent server never finishes the first connect: each probe waits for it until its own
  // deadline, and the node is UNKNOWN (connecting), not DOWN, until the connect deadline (10 s).
  assert.equal(c.stats.probeErrors.slow, 0, "connecting is not a probe error");
  assert.ok(c.stats.lastCycleMs! >= 600 && c.stats.lastCycleMs! < 1200);
  assert.ok(c.stats.lastCycleEndedAt! <= Date.now());
  const parsed = lines.map((l) => JSON.parse(l));
  const cycles = parsed.filter((l) => l.msg === "cycle");
  assert.equal(cycles.length, results.length, "one debug line per cycle");
  assert.equal(cycles[0].level, "debug");
  assert.equal(cycles[0].version, 10);
  assert.equal(cycles[0].status, "UNKNOWN");
  assert.match(results[0]!.snapshot.nodes.slow!.reasons[0]!, /^connecting to node "slow"/);
  const changes = parsed.filter((l) => l.msg === "node status changed");
  assert.equal(changes.length, 0, "UNKNOWN from the start: no status change");
});

Deno.test("runCycle while a cycle runs joins it instead of overlapping", async () => {
  const server = silentServer();
  const cfg = testConfig([{ name: "slow", dsn: `postgres://x@127.0.0.1:${server.port}/app` }], {
    probeTimeoutMs: 300,
  });
  const c = new Collector(cfg);
  try {
    const [a, b] = await Promise.all([c.runCycle(), c.runCycle()]);
    assert.equal(a, b);
    assert.equal(c.stats.cycles, 1);
  } finally {
    await c.stop();
    await server.close();
  }
});

Deno.test("a status change is one info line (a refused node goes UNKNOWN -> DOWN once)", async () => {
  const port = refusedPort();
  const lines: string[] = [];
  const c = new Collector(
    testConfig([{ name: "gone", dsn: `postgres://x@127.0.0.1:${port}/app` }], { intervalMs: 200 }),
    { logger: createLogger({ level: "debug", write: (line) => lines.push(line) }) },
  );
  try {
    for (let i = 0; i < 3; i++) await c.runCycle();
  } finally {
    await c.stop();
  }
  const changes = lines.map((line) => JSON.parse(line)).filter((x) =>
    x.msg === "node status changed"
  );
  assert.equal(changes.length, 1, "one info line per status change");
  assert.deepEqual([changes[0].node, changes[0].from, changes[0].to], ["gone", "UNKNOWN", "DOWN"]);
  assert.ok(c.stats.probeErrors.gone! >= 1);
});

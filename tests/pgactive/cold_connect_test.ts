/**
 * Connecting is not the probe (issue 13): a first connection slower than the probe deadline keeps
 * the node UNKNOWN ("connecting"), never DOWN, and the node is up the cycle the connection is
 * ready, without a new connection attempt per cycle.
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/collector/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { testConfig } from "../collector/sandbox_helpers.ts";
import { tcpProxy } from "./tcp_proxy.ts";

/** A TCP proxy to `targetPort` that holds each new connection `delayMs` before forwarding. */
function slowProxy(targetPort: number, delayMs: number) {
  return tcpProxy(targetPort, { onAccept: () => new Promise((r) => setTimeout(r, delayMs)) });
}

Deno.test("a first connect slower than the probe deadline is UNKNOWN, then up, never DOWN", async () => {
  await using sb = await startSandbox({ nodes: 2 });
  const node2 = sb.node("node2");
  const proxy = slowProxy(node2.port, 1500);
  const slowDsn = node2.dsn.replace(`:${node2.port}/`, `:${proxy.port}/`);
  const collector = new Collector(
    testConfig([{ name: "node1", dsn: sb.node("node1").dsn }, { name: "node2", dsn: slowDsn }], {
      intervalMs: 500,
      probeTimeoutMs: 400,
    }),
  );
  try {
    const seen: string[] = [];
    let up = false;
    for (let cycle = 0; cycle < 12 && !up; cycle++) {
      const { snapshot } = await collector.runCycle();
      const n2 = snapshot.nodes.node2!;
      seen.push(n2.status);
      assert.notEqual(n2.status, "DOWN", `cycle ${cycle}: ${n2.reasons.join("; ")}`);
      if (n2.status === "UNKNOWN") {
        assert.match(n2.reasons[0]!, /^connecting to node "node2" \(\d+ ms of the 10000 ms/);
        assert.equal(n2.error, null);
        // node1's link from the connecting node is not a finding while it connects
        assert.equal(snapshot.nodes.node1!.status, "HEALTHY", snapshot.nodes.node1!.reasons.join());
      }
      up = n2.status === "HEALTHY";
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(up, `node2 never came up: ${seen.join(" ")}`);
    assert.equal(seen[0], "UNKNOWN", "the first cycle ends before the slow connect");
    assert.ok(seen.length <= 6, `up after ${seen.length} cycles (1.5 s connect, ~0.5 s cycles)`);
    assert.equal(proxy.accepted, 1, "one connection, carried over cycles");
    assert.equal(collector.stats.probeErrors.node2, 0);
  } finally {
    await collector.stop();
    await proxy.close();
  }
});

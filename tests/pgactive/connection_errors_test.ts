/** Probe failures without a sandbox: refused and silent endpoints, and no password anywhere. */
import assert from "node:assert/strict";
import { NodeConnectingError, NodeConnection, NodeProbeError } from "../../lib/pgactive/mod.ts";
import { collectOnce } from "../../lib/collector/mod.ts";
import { createLogger } from "../../lib/telemetry/mod.ts";
import { testConfig } from "../collector/sandbox_helpers.ts";

const PASSWORD = "Zebra-Quartz-9931-secret";

function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("a refused connection is CONNECT_REFUSED and never shows the password", async () => {
  const dsn = `postgres://monitor:${PASSWORD}@127.0.0.1:${closedPort()}/app`;
  const conn = new NodeConnection("node2", dsn, { timeoutMs: 1000 });
  try {
    const e = await conn.probe().then(() => null, (err) => err);
    assert.ok(e instanceof NodeProbeError);
    assert.equal(e.code, "CONNECT_REFUSED");
    assert.equal(e.message, 'Cannot reach node "node2": connection refused');
    for (const text of [e.message, String(e.stack), JSON.stringify(e.cause), Deno.inspect(e)]) {
      assert.ok(!text.includes(PASSWORD), text);
    }
  } finally {
    await conn.close();
  }
});

Deno.test("a DOWN node's snapshot, reasons and log lines carry no password", async () => {
  const lines: string[] = [];
  const logger = createLogger({ level: "debug", write: (l) => lines.push(l) });
  const dsn = `host=127.0.0.1 port=${closedPort()} dbname=app user=monitor password=${PASSWORD}`;
  const { snapshot } = await collectOnce(testConfig([{ name: "node1", dsn }]), { logger });
  assert.equal(snapshot.nodes.node1?.status, "DOWN");
  assert.match(snapshot.nodes.node1!.error!, /^Cannot reach node "node1": connection refused$/);
  assert.ok(lines.length > 0);
  const all = JSON.stringify(snapshot) + lines.join("\n");
  assert.ok(!all.includes(PASSWORD));
});

Deno.test("a silent endpoint is connecting at the probe timeout, then fails at the connect deadline, not the driver's 30 s", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const accepted: Deno.Conn[] = [];
  const acceptLoop = (async () => {
    try {
      for await (const c of listener) accepted.push(c); // never answers
    } catch { /* closed */ }
  })();
  const conn = new NodeConnection("hung", `postgres://x:${PASSWORD}@127.0.0.1:${port}/app`, {
    timeoutMs: 500,
    connectTimeoutMs: 1200,
  });
  try {
    let started = performance.now();
    const first = await conn.probe().then(() => null, (err) => err);
    assert.ok(first instanceof NodeConnectingError, String(first));
    assert.ok(performance.now() - started < 1000, "answered at the probe deadline");
    assert.match(
      first.message,
      /^connecting to node "hung" \(\d+ ms of the 1200 ms connect deadline\)$/,
    );
    started = performance.now();
    const second = await conn.probe().then(() => null, (err) => err);
    assert.ok(second instanceof NodeConnectingError, "the same connect goes on");
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(accepted.length, 1, "one connection attempt, not one per probe");
    // The connect deadline has passed: the node is DOWN now, and reconnects are the
    // returning-node path (within the probe deadline, then backoff and pings).
    started = performance.now();
    const e = await conn.probe().then(() => null, (err) => err);
    assert.ok(e instanceof NodeProbeError, String(e));
    assert.ok(["PROBE_TIMEOUT", "CONNECT_TIMEOUT"].includes(e.code), e.code);
    assert.ok(performance.now() - started < 1500, "within the probe deadline");
    assert.ok(!e.message.includes(PASSWORD));
  } finally {
    await conn.close(100);
    listener.close();
    for (const c of accepted) c.close();
    await acceptLoop;
  }
});

Deno.test("after a failure the next attempt waits for the backoff", async () => {
  let now = 1_000_000;
  const conn = new NodeConnection("n", `postgres://x@127.0.0.1:${closedPort()}/app`, {
    timeoutMs: 500,
    backoffBaseMs: 1000,
    now: () => now,
  });
  try {
    await assert.rejects(conn.probe(), NodeProbeError); // 1st failure: retry next cycle
    await assert.rejects(conn.probe(), NodeProbeError); // 2nd: back off 1 s
    const before = conn.statementsSent;
    const skipped = await conn.probe().then(() => null, (e) => e);
    assert.equal(skipped?.code, "CONNECT_REFUSED", "the last error is reported while backing off");
    assert.equal(conn.statementsSent, before, "no attempt while backing off");
    now += 1001;
    await assert.rejects(conn.probe(), NodeProbeError);
    assert.equal(conn.statementsSent, before + 1, "attempts again after the backoff");
  } finally {
    await conn.close();
  }
});

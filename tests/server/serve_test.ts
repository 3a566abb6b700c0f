import assert from "node:assert/strict";
import { Hub, startServer } from "../../lib/server/mod.ts";
import { parseSnapshot } from "../../lib/snapshot/mod.ts";
import { createLogger } from "../../lib/telemetry/mod.ts";
import { cycle, SseReader, testConfig } from "./fixtures.ts";
import { selfSignedCert } from "./self_signed.ts";

Deno.test("startServer listens on a free port and serves the API over HTTP", async () => {
  const hub = new Hub();
  hub.publish(cycle(3));
  const lines: string[] = [];
  const logger = createLogger({ write: (l) => lines.push(l) });
  await using server = await startServer({ config: testConfig(), hub, port: 0, logger });
  assert.ok(server.addr.port > 0);
  assert.equal(server.url, `http://127.0.0.1:${server.addr.port}`);
  const res = await fetch(`${server.url}/snapshot?token=abc`);
  assert.equal(res.status, 200);
  assert.equal(parseSnapshot(await res.json()).version, 3);
  const access = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "request");
  assert.deepEqual(
    { method: access.method, path: access.path, status: access.status },
    { method: "GET", path: "/snapshot", status: 200 },
  );
});

Deno.test("a watch over a real socket streams versions and its disconnect frees the subscription", async () => {
  const hub = new Hub();
  hub.publish(cycle(1));
  await using server = await startServer({ config: testConfig(), hub, port: 0 });
  const controller = new AbortController();
  const res = await fetch(`${server.url}/watch`, { signal: controller.signal });
  const sse = new SseReader(res.body!);
  assert.equal((await sse.nextEvent())?.id, "1");
  hub.publish(cycle(2));
  assert.equal((await sse.nextEvent())?.id, "2");
  assert.equal(hub.subscriberCount, 1);
  controller.abort();
  await sse.cancel().catch(() => {});
  const deadline = Date.now() + 5_000;
  while (hub.subscriberCount > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(hub.subscriberCount, 0, "the server did not release the watcher");
});

Deno.test("shutdown ends open watch streams and stops listening", async () => {
  const hub = new Hub();
  hub.publish(cycle(1));
  const server = await startServer({ config: testConfig(), hub, port: 0 });
  const res = await fetch(`${server.url}/watch`);
  const sse = new SseReader(res.body!);
  assert.equal((await sse.nextEvent())?.id, "1");
  const started = performance.now();
  await server.shutdown();
  assert.equal(await sse.next(), null);
  assert.ok(performance.now() - started < 2_000);
  await server.finished;
  await assert.rejects(fetch(`${server.url}/health`));
  await server.shutdown(); // idempotent
});

Deno.test("startServer serves HTTPS when TLS cert and key are configured", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-tls-" });
  try {
    const { certFile, keyFile } = await selfSignedCert(dir, "IP:127.0.0.1");
    const hub = new Hub();
    hub.publish(cycle(5));
    const config = testConfig({ tls: { certFile, keyFile } });
    await using server = await startServer({ config, hub, port: 0 });
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    using client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(certFile)] });
    const res = await fetch(`${server.url}/snapshot`, { client });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).version, 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a watcher whose socket accepts nothing is dropped without slowing publishes", async () => {
  const hub = new Hub({ stallTimeoutMs: 300 });
  hub.publish(cycle(1, { nodes: nodeNames(30) }));
  await using server = await startServer({ config: testConfig(), hub, port: 0 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  try {
    // A client that sends its request and then never reads.
    await conn.write(new TextEncoder().encode("GET /watch HTTP/1.1\r\nHost: x\r\n\r\n"));
    await until(() => hub.subscriberCount === 1);
    let version = 1;
    let slowest = 0;
    // ~350 KB frames fill the socket buffers; then the pending frame waits, and is dropped.
    await until(async () => {
      const t0 = performance.now();
      hub.publish(cycle(++version, { nodes: nodeNames(30) }));
      slowest = Math.max(slowest, performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
      return hub.subscriberCount === 0;
    }, 20_000);
    assert.ok(slowest < 100, `a publish took ${slowest.toFixed(1)} ms`);
    assert.equal(server.app.watchCount, 0);
  } finally {
    conn.close();
  }
});

function nodeNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `node${i + 1}`);
}

async function until(probe: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

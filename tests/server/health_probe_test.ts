/** `pgactive-server --healthcheck`'s probe against real listeners: 200, 503, silence, refusal, TLS. */
import { probeHealth } from "../../lib/server/mod.ts";
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";
import { refusedPort } from "../sdk/targets.ts";
import { testConfig } from "./fixtures.ts";
import { selfSignedCert } from "./self_signed.ts";

function serveStatus(status: number): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    return Response.json({ path }, { status: path === "/health" ? status : 404 });
  });
}

Deno.test("healthy only when /health answers 200", async () => {
  for (const [status, healthy] of [[200, true], [503, false]] as const) {
    const server = serveStatus(status);
    try {
      const result = await probeHealth(testConfig({ port: server.addr.port }));
      assertEquals([result.healthy, result.status], [healthy, status]);
      assertEquals(result.detail, `GET http://127.0.0.1:${server.addr.port}/health: ${status}`);
    } finally {
      await server.shutdown();
    }
  }
});

Deno.test("a wildcard listen address is probed on loopback", async () => {
  const server = serveStatus(200);
  try {
    const result = await probeHealth(testConfig({ host: "0.0.0.0", port: server.addr.port }));
    assert(result.healthy, result.detail);
  } finally {
    await server.shutdown();
  }
});

Deno.test("a listener that accepts and never answers is unhealthy within the deadline", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) accepted.push(conn);
  })();
  try {
    const started = performance.now();
    const result = await probeHealth(testConfig({ port: listener.addr.port }), { timeoutMs: 300 });
    const ms = performance.now() - started;
    assertEquals([result.healthy, result.status], [false, null]);
    assertMatch(result.detail, /no answer in 300 ms$/);
    assert(ms < 1_000, `took ${ms} ms`);
  } finally {
    listener.close();
    await accepting.catch(() => {});
    for (const conn of accepted) conn.close();
  }
});

Deno.test("a refused port is unhealthy with the reason", async () => {
  const result = await probeHealth(testConfig({ port: refusedPort() }));
  assertEquals(result.healthy, false);
  assertMatch(result.detail, /refused/i);
});

Deno.test("a non-HTTP answer is unhealthy", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const answering = (async () => {
    const conn = await listener.accept();
    await conn.write(new TextEncoder().encode("SSH-2.0-OpenSSH_9.2\r\n"));
    conn.close();
  })();
  try {
    const result = await probeHealth(testConfig({ port: listener.addr.port }));
    assertEquals(result.healthy, false);
    assertMatch(result.detail, /Not an HTTP answer: "SSH-2\.0/);
  } finally {
    await answering;
    listener.close();
  }
});

Deno.test("TLS: a certificate naming another host is accepted on loopback", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-probe-tls-" });
  try {
    const { certFile, keyFile } = await selfSignedCert(dir, "DNS:pgactive.example.com");
    const cert = await Deno.readTextFile(certFile);
    const key = await Deno.readTextFile(keyFile);
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, cert, key, onListen() {} },
      () => Response.json({ status: "ok" }),
    );
    try {
      const config = testConfig({ port: server.addr.port, tls: { certFile, keyFile } });
      const result = await probeHealth(config);
      assert(result.healthy, result.detail);
      assertEquals(result.detail, `GET https://127.0.0.1:${server.addr.port}/health: 200`);
    } finally {
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

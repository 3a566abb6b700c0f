/**
 * What the HTTP layer (Deno.serve) does before a request reaches the API, pinned on a real port
 * (issue 12, defect 7): the README and docs/openapi.yaml promise exactly this. Requests it cannot
 * parse get a 400 with an EMPTY body and the connection closed; anything it can parse, up to about
 * 400 KB of head, reaches the API and gets JSON errors. Connections that never finish their headers
 * are held (Deno.serve has no header-read timeout) but cost the other clients nothing.
 */
import assert from "node:assert/strict";
import { Hub, startServer } from "../../lib/server/mod.ts";
import { cycle, testConfig } from "./fixtures.ts";

const enc = new TextEncoder();

/** Sends raw bytes, returns everything read until the server closes (or `waitMs`). */
async function raw(port: number, text: string, waitMs = 3_000): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const timer = setTimeout(() => conn.close(), waitMs);
  let out = "";
  try {
    await conn.write(enc.encode(text));
    const buf = new Uint8Array(64 * 1024);
    const dec = new TextDecoder();
    while (true) {
      const n = await conn.read(buf);
      if (n === null) break;
      out += dec.decode(buf.subarray(0, n), { stream: true });
    }
  } catch { /* reset by the server after its answer, or closed by the timer */ }
  clearTimeout(timer);
  try {
    conn.close();
  } catch { /* closed */ }
  return out;
}

function status(response: string): { code: number; body: string } {
  const [head = "", body = ""] = response.split("\r\n\r\n");
  return { code: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0), body };
}

Deno.test("malformed requests: 400 with an empty body from the HTTP layer, JSON from the API", async () => {
  const hub = new Hub();
  hub.publish(cycle(1));
  await using server = await startServer({ config: testConfig(), hub, port: 0 });
  const port = server.addr.port;
  const close = "Connection: close\r\n\r\n";
  const layer = {
    "a NUL in the path": `GET /snap\0shot HTTP/1.1\r\nHost: x\r\n${close}`,
    "a bad request line": "GARBAGE\r\n\r\n",
    "a 100 KB URL": `GET /${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n${close}`,
    "a 500 KB header": `GET /health HTTP/1.1\r\nHost: x\r\nX: ${"a".repeat(500_000)}\r\n${close}`,
    "200 headers": `GET /health HTTP/1.1\r\nHost: x\r\n${"X-A: b\r\n".repeat(200)}${close}`,
  };
  for (const [what, request] of Object.entries(layer)) {
    const { code, body } = status(await raw(port, request));
    assert.deepEqual({ what, code, body }, { what, code: 400, body: "" });
  }
  const api = {
    "a 20 KB header": `GET /nope HTTP/1.1\r\nHost: x\r\nX: ${"a".repeat(20_000)}\r\n${close}`,
    "an 8 KB URL": `GET /${"a".repeat(8_000)} HTTP/1.1\r\nHost: x\r\n${close}`,
    "a bad parameter": `GET /history?limit=0 HTTP/1.1\r\nHost: x\r\n${close}`,
    "a POST": `POST /snapshot HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n${
      close.slice(0, -2)
    }\r\n{}`,
  };
  for (const [what, request] of Object.entries(api)) {
    const { code, body } = status(await raw(port, request));
    assert.ok([400, 404, 405, 503].includes(code), `${what}: ${code}`);
    assert.equal(typeof JSON.parse(body).error, "string", `${what}: ${body}`);
  }
});

Deno.test("200 connections stuck in their headers do not slow the API down", async () => {
  const hub = new Hub();
  hub.publish(cycle(1));
  await using server = await startServer({ config: testConfig(), hub, port: 0 });
  const port = server.addr.port;
  const stuck: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await conn.write(enc.encode("GET /snapshot HTTP/1.1\r\nHost: x\r\nX-Slow: "));
      stuck.push(conn);
    }
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      const res = await fetch(`${server.url}/health`);
      assert.equal(res.status, 200);
      await res.body?.cancel();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const p90 = times[Math.floor(times.length * 0.9)]!;
    assert.ok(p90 < 250, `p90 ${p90.toFixed(1)} ms with 200 stuck connections`);
    hub.publish(cycle(2));
    const snap = await (await fetch(`${server.url}/snapshot`)).json();
    assert.equal(snap.version, 2);
  } finally {
    for (const conn of stuck) conn.close();
  }
});

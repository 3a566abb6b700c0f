/** The CLI's one-shot HTTP/1.1 GET against real HTTP servers: Deno.serve and a chunked answer. */
import { httpGet, parseResponse } from "../../lib/cli/http_get.ts";
import { assert, assertEquals } from "../sdk/assert.ts";

Deno.test("a GET to Deno.serve returns status and body, headers sent, non-ASCII intact", async () => {
  const seen: Record<string, string | null> = {};
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    seen.auth = req.headers.get("authorization");
    seen.url = new URL(req.url).pathname + new URL(req.url).search;
    return req.url.endsWith("/missing")
      ? Response.json({ error: "no" }, { status: 404 })
      : Response.json({ node: "nœud-1", n: 1 });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const signal = new AbortController().signal;
  const ok = await httpGet(
    new URL(`${base}/snapshot?limit=2`),
    { authorization: "Bearer t" },
    signal,
  );
  assertEquals(ok.status, 200);
  assertEquals(JSON.parse(ok.text), { node: "nœud-1", n: 1 });
  assertEquals(seen, { auth: "Bearer t", url: "/snapshot?limit=2" });
  const missing = await httpGet(new URL(`${base}/missing`), {}, signal);
  assertEquals([missing.status, JSON.parse(missing.text)], [404, { error: "no" }]);
});

Deno.test("a chunked body is put back together; a body past content-length is cut", () => {
  const enc = new TextEncoder();
  const chunked = parseResponse(enc.encode(
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"a"\r\n3;x=y\r\n:1}\r\n0\r\n\r\n',
  ));
  assertEquals(chunked, { status: 200, text: '{"a":1}' });
  const cut = parseResponse(enc.encode("HTTP/1.1 503 Busy\r\nContent-Length: 2\r\n\r\n{}xx"));
  assertEquals(cut, { status: 503, text: "{}" });
  let threw = false;
  try {
    parseResponse(enc.encode("SSH-2.0-OpenSSH\r\n\r\n"));
  } catch (err) {
    threw = err instanceof TypeError;
  }
  assert(threw, "not HTTP");
  let truncated = "";
  try {
    parseResponse(enc.encode('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{"a":'));
  } catch (err) {
    truncated = String(err);
  }
  assert(truncated.includes("truncated"), "a body shorter than its content-length is an error");
});

Deno.test("an aborted GET rejects and closes its connection", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const loop = (async () => {
    for await (const c of listener) held.push(c); // never answers
  })().catch(() => {});
  const ac = new AbortController();
  const port = (listener.addr as Deno.NetAddr).port;
  const pending = httpGet(new URL(`http://127.0.0.1:${port}/snapshot`), {}, ac.signal);
  setTimeout(() => ac.abort(new Error("deadline")), 100);
  let rejected = false;
  try {
    await pending;
  } catch {
    rejected = true;
  }
  assert(rejected, "rejects");
  listener.close();
  for (const c of held) c.close();
  await loop;
});

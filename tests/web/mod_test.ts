/** GET / in-process: the embedded page, its headers, compression, caching, and auth. */
import assert from "node:assert/strict";
import { createApp, Hub } from "../../lib/server/mod.ts";
import { DASHBOARD_BYTES, DASHBOARD_CSP } from "../../lib/web/mod.ts";
import { cycle, testConfig } from "../server/fixtures.ts";

function setup(authToken: string | null = null) {
  const hub = new Hub();
  hub.publish(cycle(1));
  const server = createApp({ config: testConfig({ authToken }), hub });
  return { app: server.app, [Symbol.dispose]: () => server.close() };
}

Deno.test("GET / is the page with a strict CSP that allows requests to its own origin only", async () => {
  using t = setup();
  const res = await t.app.request("/");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
  const csp = res.headers.get("content-security-policy") ?? "";
  assert.equal(csp, DASHBOARD_CSP);
  assert.match(csp, /^default-src 'none'; script-src 'sha256-[^ ;]+'; style-src 'sha256-[^ ;]+';/);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /unsafe|\*|https?:/);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("referrer-policy"), "no-referrer");
  const html = await res.text();
  assert.equal(new TextEncoder().encode(html).length, DASHBOARD_BYTES);
  assert.match(html, /^<!doctype html>/i);
});

Deno.test("GET / is gzipped when accepted, 304 for its ETag, and HEAD has no body", async () => {
  using t = setup();
  const gz = await t.app.request("/", { headers: { "accept-encoding": "gzip, br" } });
  assert.equal(gz.headers.get("content-encoding"), "gzip");
  const zipped = new Uint8Array(await gz.arrayBuffer());
  assert.ok(zipped.length < DASHBOARD_BYTES / 2, `${zipped.length} bytes gzipped`);
  const unzipped = await new Response(
    new Blob([zipped]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  assert.equal(new TextEncoder().encode(unzipped).length, DASHBOARD_BYTES);
  const etag = gz.headers.get("etag")!;
  assert.match(etag, /^"[\w-]+"$/);
  const again = await t.app.request("/", { headers: { "if-none-match": `W/${etag}` } });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), "");
  const head = await t.app.request("/", { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
  const post = await t.app.request("/", { method: "POST" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET, HEAD");
});

Deno.test("with a token configured, the page is open and the API still needs the token", async () => {
  using t = setup("page-test-token");
  assert.equal((await t.app.request("/")).status, 200);
  const snap = await t.app.request("/snapshot");
  assert.equal(snap.status, 401);
  await snap.body?.cancel();
});

import assert from "node:assert/strict";
import { createApp, Hub } from "../../lib/server/mod.ts";
import { parseSnapshot } from "../../lib/snapshot/mod.ts";
import { cycle, testConfig } from "./fixtures.ts";

function setup() {
  const hub = new Hub();
  const server = createApp({ config: testConfig(), hub });
  return { hub, app: server.app, [Symbol.dispose]: () => server.close() };
}

Deno.test("/snapshot is 503 with Retry-After and a JSON error before the first cycle", async () => {
  using t = setup();
  const res = await t.app.request("/snapshot");
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("retry-after"), "2");
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  const body = await res.json();
  assert.deepEqual(Object.keys(body), ["error"]);
  assert.match(body.error, /first collection cycle/);
});

Deno.test("/snapshot serves the latest snapshot as valid JSON with its version as ETag", async () => {
  using t = setup();
  const published = cycle(41, { status: { node2: "DEGRADED" }, lagSeconds: 6 });
  t.hub.publish(cycle(40));
  t.hub.publish(published);
  const res = await t.app.request("/snapshot");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.equal(res.headers.get("etag"), '"41"');
  const snapshot = parseSnapshot(await res.json());
  assert.deepEqual(snapshot, published.snapshot);
  assert.equal(snapshot.status, "DEGRADED");
});

Deno.test("/snapshot answers 304 to a matching If-None-Match and 200 once a new version exists", async () => {
  using t = setup();
  t.hub.publish(cycle(7));
  for (const inm of ['"7"', 'W/"7"', '"5", "7"', "*"]) {
    const res = await t.app.request("/snapshot", { headers: { "If-None-Match": inm } });
    assert.equal(res.status, 304, `If-None-Match: ${inm}`);
    assert.equal(res.headers.get("etag"), '"7"');
    assert.equal(await res.text(), "");
  }
  const other = await t.app.request("/snapshot", { headers: { "If-None-Match": '"6"' } });
  assert.equal(other.status, 200);
  await other.body?.cancel();
  t.hub.publish(cycle(8));
  const fresh = await t.app.request("/snapshot", { headers: { "If-None-Match": '"7"' } });
  assert.equal(fresh.status, 200);
  assert.equal((await fresh.json()).version, 8);
});

Deno.test("/snapshot answers HEAD with headers and no body", async () => {
  using t = setup();
  t.hub.publish(cycle(3));
  const res = await t.app.request("/snapshot", { method: "HEAD" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("etag"), '"3"');
  assert.equal(await res.text(), "");
});

Deno.test("an unknown path is a JSON 404", async () => {
  using t = setup();
  const res = await t.app.request("/nope?x=1");
  assert.equal(res.status, 404);
  assert.deepEqual(await res.json(), { error: "No such endpoint: GET /nope" });
});

Deno.test("a write method on a known path is a JSON 405 with Allow", async () => {
  using t = setup();
  const res = await t.app.request("/snapshot", { method: "POST", body: "{}" });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "GET, HEAD");
  assert.match((await res.json()).error, /POST is not allowed on \/snapshot/);
});

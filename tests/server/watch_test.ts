import assert from "node:assert/strict";
import { createApp, Hub } from "../../lib/server/mod.ts";
import { parseSnapshot } from "../../lib/snapshot/mod.ts";
import { cycle, SseReader, testConfig } from "./fixtures.ts";

function setup(keepAliveMs = 60_000) {
  const hub = new Hub();
  const server = createApp({ config: testConfig(), hub, keepAliveMs });
  return { hub, server, [Symbol.dispose]: () => server.close() };
}

async function watch(
  server: ReturnType<typeof createApp>,
  path = "/watch",
  headers: HeadersInit = {},
): Promise<SseReader> {
  const res = await server.app.request(path, { headers });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  assert.equal(res.headers.get("cache-control"), "no-cache, no-transform");
  return new SseReader(res.body!);
}

Deno.test("watch sends a retry hint, the current snapshot, then one event per new version", async () => {
  using t = setup();
  t.hub.publish(cycle(1));
  const sse = await watch(t.server);
  const hint = await sse.next();
  assert.equal(hint?.retry, 2000);
  const first = await sse.nextEvent();
  assert.equal(first?.id, "1");
  assert.equal(first?.event, "snapshot");
  assert.equal(parseSnapshot(JSON.parse(first!.data!)).version, 1);
  for (const v of [2, 3, 4]) {
    t.hub.publish(cycle(v));
    const ev = await sse.nextEvent();
    assert.equal(ev?.id, String(v));
    assert.equal(JSON.parse(ev!.data!).version, v);
  }
  await sse.cancel();
});

Deno.test("a watch opened before the first cycle receives the first snapshot", async () => {
  using t = setup();
  const sse = await watch(t.server);
  const next = sse.nextEvent();
  t.hub.publish(cycle(1));
  assert.equal((await next)?.id, "1");
  await sse.cancel();
});

Deno.test("Last-Event-ID behind the latest resumes with the latest only", async () => {
  using t = setup();
  for (let v = 1; v <= 5; v++) t.hub.publish(cycle(v));
  const sse = await watch(t.server, "/watch", { "Last-Event-ID": "2" });
  assert.equal((await sse.nextEvent())?.id, "5");
  t.hub.publish(cycle(6));
  assert.equal((await sse.nextEvent())?.id, "6");
  await sse.cancel();
});

for (
  const [label, path, headers] of [
    ["the Last-Event-ID header", "/watch", { "Last-Event-ID": "5" }],
    ["?last_event_id=", "/watch?last_event_id=5", {}],
    ["?since=", "/watch?since=5", {}],
  ] as const
) {
  Deno.test(`resuming at the latest version with ${label} repeats nothing`, async () => {
    using t = setup();
    for (let v = 1; v <= 5; v++) t.hub.publish(cycle(v));
    const sse = await watch(t.server, path, headers);
    // The first pull sends the retry hint plus whatever is pending: a repeat of 5 would be
    // queued right behind it, before 6 exists.
    assert.equal((await sse.next())?.retry, 2000);
    t.hub.publish(cycle(6));
    assert.equal((await sse.nextEvent())?.id, "6");
    await sse.cancel();
  });
}

Deno.test("a bad Last-Event-ID is a 400 naming the parameter", async () => {
  using t = setup();
  const res = await t.server.app.request("/watch", { headers: { "Last-Event-ID": "abc" } });
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /Last-Event-ID/);
  const q = await t.server.app.request("/watch?since=-1");
  assert.equal(q.status, 400);
  assert.match((await q.json()).error, /"since"/);
});

Deno.test("an idle watch receives keep-alive comments", async () => {
  using t = setup(15);
  t.hub.publish(cycle(1));
  const sse = await watch(t.server);
  await sse.next(); // retry
  assert.equal((await sse.next())?.id, "1");
  const idle = await sse.next();
  assert.equal(idle?.comment, "keep-alive");
  assert.equal(idle?.event, undefined);
  await sse.cancel();
});

Deno.test("a watcher that does not read neither blocks publishing nor queues versions; it then gets the latest", async () => {
  using t = setup();
  t.hub.publish(cycle(1));
  const sse = await watch(t.server);
  await sse.next();
  assert.equal((await sse.nextEvent())?.id, "1");
  let slowest = 0;
  for (let v = 2; v <= 1001; v++) {
    const t0 = performance.now();
    t.hub.publish(cycle(v));
    slowest = Math.max(slowest, performance.now() - t0);
  }
  assert.ok(slowest < 50, `a publish took ${slowest.toFixed(1)} ms`);
  // Nothing was queued for it: the next event is the newest, not version 2.
  const next = await sse.nextEvent();
  assert.equal(next?.id, "1001");
  t.hub.publish(cycle(1002));
  assert.equal((await sse.nextEvent())?.id, "1002");
  await sse.cancel();
});

Deno.test("a client disconnect releases its subscription at once", async () => {
  using t = setup();
  t.hub.publish(cycle(1));
  const sse = await watch(t.server);
  await sse.nextEvent();
  assert.equal(t.hub.subscriberCount, 1);
  assert.equal(t.server.watchCount, 1);
  await sse.cancel();
  assert.equal(t.hub.subscriberCount, 0);
  assert.equal(t.server.watchCount, 0);
});

Deno.test("closing the app ends open watch streams", async () => {
  using t = setup();
  t.hub.publish(cycle(1));
  const sse = await watch(t.server);
  await sse.nextEvent();
  const end = sse.next();
  t.server.close();
  assert.equal(await end, null);
  assert.equal(t.hub.subscriberCount, 0);
});

Deno.test("HEAD /watch answers the event-stream headers without subscribing", async () => {
  using t = setup();
  const res = await t.server.app.request("/watch", { method: "HEAD" });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  assert.equal(res.body, null);
  assert.equal(t.hub.subscriberCount, 0);
});

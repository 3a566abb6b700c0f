import assert from "node:assert/strict";
import { Hub } from "../../lib/server/mod.ts";
import { cycle, FakeClock } from "./fixtures.ts";

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("publish serialises the snapshot once into the JSON body and the SSE frame", () => {
  const hub = new Hub();
  assert.equal(hub.latest, null);
  const result = cycle(7);
  assert.ok(hub.publish(result));
  const entry = hub.latest!;
  assert.equal(entry.version, 7);
  assert.deepEqual(JSON.parse(decode(entry.body)), result.snapshot);
  assert.equal(
    decode(entry.frame),
    `id: 7\nevent: snapshot\ndata: ${JSON.stringify(result.snapshot)}\n\n`,
  );
});

Deno.test("publish ignores a version that is not above the latest", () => {
  const hub = new Hub();
  assert.ok(hub.publish(cycle(5)));
  assert.equal(hub.publish(cycle(5)), false);
  assert.equal(hub.publish(cycle(3)), false);
  assert.equal(hub.latest?.version, 5);
});

Deno.test("a subscriber gets the latest first, then only newer versions", () => {
  const hub = new Hub();
  hub.publish(cycle(1));
  using sub = hub.subscribe();
  assert.equal(sub.take()?.version, 1);
  assert.equal(sub.take(), null);
  hub.publish(cycle(2));
  assert.equal(sub.take()?.version, 2);
});

Deno.test("a subscriber that does not take keeps only the newest entry (latest wins)", () => {
  const hub = new Hub();
  using slow = hub.subscribe();
  using fast = hub.subscribe();
  const seen: number[] = [];
  for (let v = 1; v <= 1000; v++) {
    hub.publish(cycle(v));
    seen.push(fast.take()!.version);
  }
  assert.equal(seen.length, 1000);
  assert.equal(slow.take()?.version, 1000);
  assert.equal(slow.take(), null);
});

Deno.test("resuming after a version delivers nothing older or equal", () => {
  const hub = new Hub();
  hub.publish(cycle(10));
  using same = hub.subscribe({ afterVersion: 10 });
  assert.equal(same.take(), null);
  using behind = hub.subscribe({ afterVersion: 4 });
  assert.equal(behind.take()?.version, 10);
  hub.publish(cycle(11));
  assert.equal(same.take()?.version, 11);
});

Deno.test("a resume id above the latest version is not from this history and is ignored", () => {
  const hub = new Hub();
  hub.publish(cycle(10));
  using sub = hub.subscribe({ afterVersion: 99 });
  assert.equal(sub.take()?.version, 10);
});

Deno.test("wait resolves ready on publish, timeout when idle, closed on close", async () => {
  const hub = new Hub();
  const sub = hub.subscribe();
  const pending = sub.wait(10_000);
  hub.publish(cycle(1));
  assert.equal(await pending, "ready");
  sub.take();
  assert.equal(await sub.wait(5), "timeout");
  const closing = sub.wait(10_000);
  sub.close();
  assert.equal(await closing, "closed");
  assert.equal(hub.subscriberCount, 0);
});

Deno.test("a subscriber whose entry waits longer than the stall timeout is dropped", () => {
  const clock = new FakeClock();
  const hub = new Hub({ now: clock.now, stallTimeoutMs: 60_000 });
  const reasons: string[] = [];
  const stalled = hub.subscribe({ onClose: (r) => reasons.push(r) });
  using live = hub.subscribe();
  hub.publish(cycle(1));
  live.take();
  clock.advance(30_000);
  hub.publish(cycle(2));
  live.take();
  assert.equal(stalled.closed, false);
  clock.advance(31_000);
  hub.publish(cycle(3));
  assert.equal(stalled.closed, true);
  assert.deepEqual(reasons, ["stalled"]);
  assert.equal(live.take()?.version, 3);
  assert.equal(hub.subscriberCount, 1);
});

Deno.test("close ends every subscription and later subscriptions start closed", () => {
  const hub = new Hub();
  const a = hub.subscribe();
  hub.close();
  assert.ok(a.closed);
  assert.equal(hub.publish(cycle(1)), false);
  const b = hub.subscribe();
  assert.ok(b.closed);
  assert.equal(hub.subscriberCount, 0);
});

Deno.test("publish listeners see every version and can unsubscribe", () => {
  const hub = new Hub();
  const seen: number[] = [];
  const off = hub.onPublish((e) => seen.push(e.version));
  hub.publish(cycle(1));
  hub.publish(cycle(2));
  off();
  hub.publish(cycle(3));
  assert.deepEqual(seen, [1, 2]);
  assert.equal(hub.latest?.version, 3);
});

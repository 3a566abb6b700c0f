import assert from "node:assert/strict";
import { createApp, Hub } from "../../lib/server/mod.ts";
import type { CollectorStatsLike } from "../../lib/server/mod.ts";
import { cycle, FakeClock, testConfig } from "./fixtures.ts";

function setup() {
  const clock = new FakeClock();
  const hub = new Hub({ now: clock.now });
  const stats: CollectorStatsLike = {
    cycles: 4,
    skippedCycles: 1,
    probeErrors: {},
    lastCycleMs: 12,
    lastCycleEndedAt: null,
  };
  const server = createApp({
    config: testConfig(),
    hub,
    now: clock.now,
    collectorStats: () => stats,
  });
  return { clock, hub, app: server.app, [Symbol.dispose]: () => server.close() };
}

Deno.test("/health is 200 starting before the first cycle, within three intervals", async () => {
  using t = setup();
  t.clock.advance(5_000);
  const res = await t.app.request("/health");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, "starting");
  assert.equal(body.version, null);
  assert.equal(body.error, null);
});

Deno.test("/health is 503 when no cycle completed within three intervals of start", async () => {
  using t = setup();
  t.clock.advance(6_001);
  const res = await t.app.request("/health");
  assert.equal(res.status, 503);
  const body = await res.json();
  assert.equal(body.status, "stale");
  assert.match(body.error, /No collection cycle has completed/);
});

Deno.test("/health is 200 ok while cycles complete on time, with version and age", async () => {
  using t = setup();
  t.clock.advance(2_000);
  t.hub.publish(cycle(9));
  t.clock.advance(1_500);
  const res = await t.app.request("/health");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, "ok");
  assert.equal(body.version, 9);
  assert.equal(body.last_cycle_age_seconds, 1.5);
  assert.equal(body.interval_seconds, 2);
  assert.equal(body.cycles, 4);
  assert.equal(body.skipped_cycles, 1);
  assert.equal(body.store_write_errors, null);
});

Deno.test("/health turns 503 when the collector is stuck and recovers on the next cycle", async () => {
  using t = setup();
  t.hub.publish(cycle(1));
  t.clock.advance(6_000);
  assert.equal((await t.app.request("/health")).status, 200);
  t.clock.advance(1);
  const stale = await t.app.request("/health");
  assert.equal(stale.status, 503);
  const body = await stale.json();
  assert.equal(body.status, "stale");
  assert.match(body.error, /completed 6\.0 s ago \(limit 6\.0 s\)/);
  t.hub.publish(cycle(2));
  assert.equal((await t.app.request("/health")).status, 200);
});

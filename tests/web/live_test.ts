import assert from "node:assert/strict";
import { Freshness, STALE_INTERVALS } from "../../lib/web/page/live.ts";

Deno.test("live while snapshots arrive, stale after 3 intervals without one", () => {
  const f = new Freshness(500);
  assert.equal(f.view(0).state, "connecting");
  f.received(1_000);
  assert.equal(f.view(1_000 + STALE_INTERVALS * 500).state, "live");
  const stale = f.view(1_001 + STALE_INTERVALS * 500);
  assert.deepEqual([stale.state, stale.stale], ["stale", true]);
  assert.match(stale.text, /^Stale: no snapshot for 2 s \(3 intervals of 0.5 s\)/);
  f.received(3_000);
  assert.equal(f.view(3_000).state, "live");
});

Deno.test("a lost connection is stale at once and says when it retries; a snapshot clears it", () => {
  const f = new Freshness(2_000);
  f.received(0);
  f.lost(100, "cannot reach pgactive-server at http://h:1: connection refused", 1_500);
  const v = f.view(2_100);
  assert.deepEqual([v.state, v.stale], ["lost", true]);
  assert.equal(
    v.text,
    "Connection lost 2 s ago (cannot reach pgactive-server at http://h:1: connection refused);" +
      " retrying within 2 s",
  );
  f.lost(3_000, "still refused", 4_000);
  assert.match(
    f.view(3_100).text,
    /^Connection lost 3 s ago \(still refused\); retrying within 4 s/,
  );
  f.lost(3_200, "the server requires an API token", null);
  assert.equal(f.view(3_300).text, "Not connected: the server requires an API token");
  f.received(5_000);
  assert.equal(f.view(5_000).state, "live");
});

Deno.test("the interval ignores nonsense values", () => {
  const f = new Freshness(2_000);
  f.intervalMs = 0;
  f.intervalMs = Number.NaN;
  assert.equal(f.intervalMs, 2_000);
  f.intervalMs = 500;
  assert.equal(f.intervalMs, 500);
});

import assert from "node:assert/strict";
import { CounterWindow } from "../../lib/collector/counter_window.ts";

Deno.test("increase over the window sums positive deltas only (a reset is not negative)", () => {
  const w = new CounterWindow(60_000);
  w.add(0, 10);
  w.add(10_000, 15);
  w.add(20_000, 2); // reset
  w.add(30_000, 6);
  assert.equal(w.increase(30_000), 9);
  assert.equal(w.perMinute(30_000), 9);
});

Deno.test("deltas older than the window drop out", () => {
  const w = new CounterWindow(60_000);
  w.add(0, 0);
  w.add(10_000, 20);
  w.add(100_000, 21);
  assert.equal(w.increase(100_000), 1);
  assert.equal(w.increase(200_000), 0);
});

Deno.test("seeded samples continue the window after a restart", () => {
  const w = new CounterWindow(300_000, [{ atMs: 1000, value: 3 }, { atMs: 0, value: 0 }]);
  w.add(2000, 18);
  assert.equal(w.increase(2000), 18);
  assert.equal(w.perMinute(2000), 3.6);
});

import assert from "node:assert/strict";
import { CommitHistory } from "../../lib/collector/commit_history.ts";

const none = { count: 0, oldestMs: null, newestMs: null };
const at = (...ms: number[]) => ({
  count: ms.length,
  oldestMs: Math.min(...ms),
  newestMs: Math.max(...ms),
});

/** Probes at 1000, 2000, 3000, 4000 (scans overlapping by 500 ms), WAL at 0x100 per second. */
function build(): CommitHistory {
  const h = new CommitHistory();
  h.add(at(400), 0, 1000, 0x1000n); // a first probe: covers commits after the oldest it saw
  h.add(at(1500), 500, 2000, 0x1100n);
  h.add(none, 1500, 3000, 0x1200n);
  h.add(at(3200, 3900), 2500, 4000, 0x1300n);
  return h;
}

Deno.test("the oldest local commit after a time is the one reported", () => {
  const h = build();
  const nothing = 0x0n;
  assert.deepEqual(h.unapplied(100, nothing), { known: true, oldestMs: 400 });
  assert.deepEqual(h.unapplied(1000, nothing), { known: true, oldestMs: 1500 });
  assert.deepEqual(h.unapplied(2000, nothing), { known: true, oldestMs: 3200 });
  assert.deepEqual(h.unapplied(3500, nothing), { known: true, oldestMs: 3500 }, "bounded");
  assert.deepEqual(h.unapplied(3900, nothing), { known: true, oldestMs: null });
});

Deno.test("commits whose WAL the target confirmed are not counted, sent or not", () => {
  const h = build();
  // The commit of 400 ms lies below the flush position of the next probe (0x1100).
  assert.deepEqual(h.unapplied(100, 0x1100n), { known: true, oldestMs: 1500 });
  assert.deepEqual(h.unapplied(100, 0x1200n), { known: true, oldestMs: 3200 });
  assert.deepEqual(h.unapplied(100, 0x10FFn), { known: true, oldestMs: 400 });
  // The last scan is bounded by its own flush position.
  assert.deepEqual(h.unapplied(100, 0x1300n), { known: true, oldestMs: null });
});

Deno.test("a time before the scans, a skipped scan or a gap is unknown", () => {
  const h = build();
  assert.deepEqual(h.unapplied(-1, 0n), { known: false });
  h.add(at(5500), 5000, 6000, 0x1400n); // starts after the last scan ended at 4000: a gap
  assert.deepEqual(h.unapplied(3000, 0n), { known: false });
  assert.deepEqual(h.unapplied(5000, 0n), { known: true, oldestMs: 5500 });
  h.add(null, null, 7000, 0x1500n); // not scanned: nothing is known any more
  assert.deepEqual(h.unapplied(6500, 0n), { known: false });
});

Deno.test("pruning keeps what the least advanced target still needs", () => {
  const h = build();
  h.prune(2000);
  assert.equal(h.size, 2);
  assert.deepEqual(h.unapplied(2000, 0n), { known: true, oldestMs: 3200 });
  assert.deepEqual(h.unapplied(1000, 0n), { known: false });
});

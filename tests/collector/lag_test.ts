import assert from "node:assert/strict";
import {
  decideLag,
  type LagInput,
  MIN_COMMIT_RECORD_BYTES,
  xidLag,
} from "../../lib/collector/lag.ts";

const base: LagInput = {
  unconfirmedSentBytes: 0,
  unsentBytes: 0,
  behindBytes: 0,
  unapplied: { known: false },
  originNowMs: 1_000_000,
  targetNowMs: 1_000_000,
  lastAppliedCommitMs: 900_000,
  nowMs: 2_000_000,
  lastCaughtUpAtMs: null,
  originNextXid: 1092,
  lastAppliedXid: 1091,
  applyRateBytesPerSec: null,
};

Deno.test("an idle link (everything sent is confirmed) is caught up with every lag 0", () => {
  const v = decideLag({ ...base, unsentBytes: MIN_COMMIT_RECORD_BYTES - 1, behindBytes: 33 });
  assert.deepEqual(v, {
    caughtUp: true,
    lagBytes: 0,
    lagSeconds: 0,
    lagMethod: "caught_up",
    lagXid: 0,
    catchUpSeconds: 0,
  });
});

Deno.test("WAL sent and not confirmed is behind whatever its size", () => {
  const v = decideLag({ ...base, unconfirmedSentBytes: 24, behindBytes: 24 });
  assert.equal(v.caughtUp, false);
  assert.equal(v.lagBytes, 24);
});

Deno.test("unsent WAL counts once it can hold a commit record", () => {
  const v = decideLag({ ...base, unsentBytes: MIN_COMMIT_RECORD_BYTES, behindBytes: 40 });
  assert.equal(v.caughtUp, false);
});

Deno.test("lag is the age of the oldest unapplied commit when the origin's history knows it", () => {
  const v = decideLag({
    ...base,
    unconfirmedSentBytes: 192,
    behindBytes: 192,
    unapplied: { known: true, oldestMs: 996_500 },
  });
  assert.deepEqual([v.caughtUp, v.lagSeconds, v.lagMethod], [
    false,
    3.5,
    "oldest_unapplied_commit",
  ]);
});

Deno.test("unconfirmed WAL that holds no local commit is not lag", () => {
  const v = decideLag({
    ...base,
    unconfirmedSentBytes: 80_000,
    behindBytes: 80_000,
    unapplied: { known: true, oldestMs: null },
  });
  assert.deepEqual([v.caughtUp, v.lagBytes, v.lagSeconds, v.lagMethod], [
    true,
    0,
    0,
    "no_pending_commit",
  ]);
});

Deno.test("without commit evidence the smallest bound wins", () => {
  const last = decideLag({ ...base, unconfirmedSentBytes: 100, behindBytes: 100 });
  assert.deepEqual([last.lagSeconds, last.lagMethod], [100, "last_applied_commit"]);
  const observed = decideLag({
    ...base,
    unconfirmedSentBytes: 100,
    behindBytes: 100,
    lastCaughtUpAtMs: 1_996_000,
  });
  assert.deepEqual([observed.lagSeconds, observed.lagMethod], [4, "observed_behind"]);
  const xid = decideLag({ ...base, unconfirmedSentBytes: 100, behindBytes: 100 });
  assert.equal(xid.lagXid, 0);
});

Deno.test("an unreachable origin gives an unknown verdict, never caught up", () => {
  const v = decideLag({
    ...base,
    unconfirmedSentBytes: null,
    unsentBytes: null,
    behindBytes: null,
  });
  assert.deepEqual([v.caughtUp, v.lagSeconds, v.lagMethod], [null, null, "unknown"]);
});

Deno.test("catch-up time divides the bytes behind by the apply rate", () => {
  const v = decideLag({
    ...base,
    unconfirmedSentBytes: 1000,
    behindBytes: 1000,
    applyRateBytesPerSec: 250,
  });
  assert.equal(v.catchUpSeconds, 4);
});

Deno.test("xid lag wraps modulo 2^32", () => {
  assert.equal(xidLag(5, 0xFFFF_FFF0), 20);
  assert.equal(xidLag(1092, 1091), 0);
});

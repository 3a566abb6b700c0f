import assert from "node:assert/strict";
import { decideLag, IDLE_WAL_NOISE_BYTES, type LagInput, xidLag } from "../../lib/collector/lag.ts";

const base: LagInput = {
  behindBytes: 0,
  targetNowMs: 1_000_000,
  lastAppliedCommitMs: 900_000,
  nowMs: 2_000_000,
  lastCaughtUpAtMs: null,
  originNextXid: 1092,
  lastAppliedXid: 1091,
  applyRateBytesPerSec: null,
};

Deno.test("an idle link with a few hundred bytes of WAL noise is caught up with every lag 0", () => {
  const v = decideLag({ ...base, behindBytes: 312 });
  assert.deepEqual(v, {
    caughtUp: true,
    lagBytes: 0,
    lagSeconds: 0,
    lagMethod: "caught_up",
    lagXid: 0,
    catchUpSeconds: 0,
  });
});

Deno.test("a link behind with no earlier observation uses the last applied commit time", () => {
  const v = decideLag({ ...base, behindBytes: 79264 });
  assert.equal(v.caughtUp, false);
  assert.equal(v.lagBytes, 79264);
  assert.equal(v.lagSeconds, 100);
  assert.equal(v.lagMethod, "last_applied_commit");
  assert.equal(v.lagXid, 0);
});

Deno.test("a fresh write on a long-idle link is bounded by when it was last seen caught up", () => {
  // last applied commit is an hour old, but the link was caught up 2 s ago
  const v = decideLag({
    ...base,
    behindBytes: IDLE_WAL_NOISE_BYTES + 1,
    targetNowMs: 3_600_000,
    lastAppliedCommitMs: 0,
    nowMs: 10_000,
    lastCaughtUpAtMs: 8_000,
  });
  assert.equal(v.lagSeconds, 2);
  assert.equal(v.lagMethod, "observed_behind");
});

Deno.test("lag is never negative (clock skew) and unknown without any source", () => {
  const skew = decideLag({
    ...base,
    behindBytes: 1e6,
    targetNowMs: 1000,
    lastAppliedCommitMs: 5000,
  });
  assert.equal(skew.lagSeconds, 0);
  const none = decideLag({
    ...base,
    behindBytes: 1e6,
    targetNowMs: null,
    lastAppliedCommitMs: null,
    lastAppliedXid: null,
  });
  assert.equal(none.lagSeconds, null);
  assert.equal(none.lagMethod, "unknown");
  assert.equal(none.lagXid, null);
});

Deno.test("unknown byte lag (origin down) is not caught up", () => {
  const v = decideLag({ ...base, behindBytes: null });
  assert.equal(v.caughtUp, false);
  assert.equal(v.lagBytes, null);
});

Deno.test("catch-up time comes from the observed apply rate", () => {
  assert.equal(
    decideLag({ ...base, behindBytes: 100_000, applyRateBytesPerSec: 50_000 }).catchUpSeconds,
    2,
  );
  assert.equal(
    decideLag({ ...base, behindBytes: 100_000, applyRateBytesPerSec: 0 }).catchUpSeconds,
    null,
  );
});

Deno.test("xid lag wraps modulo 2^32", () => {
  assert.equal(xidLag(1092, 1000), 91);
  assert.equal(xidLag(5, 4294967290), 10);
  assert.equal(xidLag(1092, 1091), 0);
});

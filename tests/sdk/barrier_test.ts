/** "Caught up" as a barrier, in the SDK: the predicate, the stateful barrier and the client wait. */
import { caughtUp, CaughtUpBarrier, Client, TimeoutError } from "../../lib/sdk/mod.ts";
import type { Snapshot } from "../../lib/snapshot/mod.ts";
import { assert, assertEquals } from "./assert.ts";
import { makeSnapshot, startApi } from "./fixtures.ts";

/** A snapshot where node2 -> node3 has confirmed `confirmed` and node2's WAL is at `wal`. */
function behind(version: number, confirmed: string, wal = "0/3000060"): Snapshot {
  const s = makeSnapshot(version, { lag: { "node2->node3": 3 } });
  const link = s.links.find((l) => l.from === "node2" && l.to === "node3")!;
  link.confirmed_lsn = confirmed;
  s.nodes.node2!.metrics.wal_lsn = wal;
  return s;
}

Deno.test("caughtUp: every link caught up, or past the barrier position, or within max lag", () => {
  assertEquals(caughtUp(makeSnapshot(1)), { caughtUp: true, blocking: [] });
  const s = behind(1, "0/3000000");
  assertEquals(caughtUp(s).blocking, [
    "node2 -> node3: 3355443 B committed on node2 not applied, oldest 3.0 s old",
  ]);
  // 0x60 = 96 bytes short of the barrier: that can hold a commit.
  assert(!caughtUp(s, { barrier: { node2: "0/3000060" } }).caughtUp);
  // 33 bytes short cannot hold a commit record: passed.
  assert(caughtUp(behind(1, "0/300003F"), { barrier: { node2: "0/3000060" } }).caughtUp);
  assert(caughtUp(s, { barrier: { node2: "0/2FFFFFF" } }).caughtUp, "already past");
  assert(caughtUp(s, { maxLagSeconds: 5 }).caughtUp, "within max lag (not a barrier)");
  assert(!caughtUp(s, { maxLagSeconds: 1 }).caughtUp);
  assert(caughtUp(s, { nodes: ["node1"] }).caughtUp, "out of scope");
});

Deno.test("caughtUp: an unknown link or a DOWN node blocks; a server without caught_up uses lag", () => {
  const down = makeSnapshot(1, { status: { node3: "DOWN" } });
  assertEquals(caughtUp(down).blocking, ["node3 is DOWN"]);
  const old = makeSnapshot(1, { lag: { "node1->node2": 0.4 } });
  for (const l of old.links) l.caught_up = null; // a server from before the field
  assertEquals(caughtUp(old).blocking, ["node1 -> node2: lag 0.4 s > 0 s"]);
  old.links[0]!.lag_seconds = null;
  old.links[0]!.lag_method = "unknown";
  assertEquals(caughtUp(old, { maxLagSeconds: 1 }).blocking, ["node1 -> node2: lag unknown"]);
});

Deno.test("CaughtUpBarrier takes its positions two versions on, then lets later writes pass", () => {
  const b = new CaughtUpBarrier();
  // v10 and v11 may have been collected before the wait began: never enough, even if caught up.
  assert(!b.check(makeSnapshot(10)).caughtUp);
  assertEquals(b.check(makeSnapshot(11)).blocking, [
    "waiting for a snapshot collected after the wait began (version 12)",
  ]);
  // v12 sets the barrier at node2's wal_lsn 0/3000060; the link has confirmed less.
  assert(!b.check(behind(12, "0/3000000")).caughtUp);
  assertEquals(b.positions?.node2, "0/3000060");
  // New writes on node2 later (its WAL moved on, the link is still behind), but everything up to
  // the barrier is confirmed: caught up.
  assert(b.check(behind(13, "0/3000060", "0/3100000")).caughtUp);
  const fresh = new CaughtUpBarrier({ fresh: true });
  assert(fresh.check(makeSnapshot(1)).caughtUp, "an in-process collector's first snapshot");
});

Deno.test("Client.waitForCaughtUp: resolves on the barrier, times out while a commit waits", async () => {
  await using api = await startApi();
  api.publish(makeSnapshot(1));
  const client = new Client(api.url);
  let seen = Promise.withResolvers<void>();
  const pending = client.waitForCaughtUp({ timeout: 5_000, onSnapshot: () => seen.resolve() });
  await seen.promise; // v1, which may predate the call
  api.publish(behind(2, "0/3000000"));
  api.publish(behind(3, "0/3000000")); // sets the barrier: not yet confirmed
  await new Promise((r) => setTimeout(r, 100));
  api.publish(makeSnapshot(4));
  assertEquals((await pending).version, 4);
  seen = Promise.withResolvers<void>();
  const late = client.waitForCaughtUp({ timeout: 500, onSnapshot: () => seen.resolve() });
  await seen.promise;
  api.publish(behind(5, "0/3000000"));
  api.publish(behind(6, "0/3000000"));
  const err = await late.then(() => null, (e) => e);
  assert(err instanceof TimeoutError, String(err));
  assertEquals(err.lastSnapshot?.version, 6);
});

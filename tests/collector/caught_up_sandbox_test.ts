/**
 * "Caught up" must be true, against a real 3-node sandbox: a single committed row stuck behind a
 * lock on its target is seen at once and aged by its commit time; a paused target is told apart
 * from lag; an idle mesh (or one with writes on other links) never shows lag.
 */
import assert from "node:assert/strict";
import { Collector } from "../../lib/collector/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import type { Snapshot } from "../../lib/snapshot/mod.ts";
import {
  allCaughtUp,
  cycleUntil,
  describe,
  linkOf,
  localCommitSince,
  testConfig,
} from "./sandbox_helpers.ts";

const INTERVAL_MS = 1000;

/** Runs one cycle every INTERVAL_MS; returns the snapshot. */
async function cycle(c: Collector): Promise<Snapshot> {
  const started = Date.now();
  const { snapshot } = await c.runCycle();
  const rest = INTERVAL_MS - (Date.now() - started);
  if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  return snapshot;
}

/** Commit time (epoch ms) of the last local transaction on a node. */
async function lastLocalCommitMs(sb: { query: Sandboxed["query"] }, node: string) {
  const [row] = await sb.query(
    node,
    `SELECT extract(epoch FROM "timestamp") * 1000 AS ms, roident FROM pg_last_committed_xact()`,
  );
  assert.equal(Number(row!["roident"]), 0, "the last commit is local");
  return Number(row!["ms"]);
}

type Sandboxed = Awaited<ReturnType<typeof startSandbox>>;

/**
 * A link that carries none of the test's writes is caught up, unless its origin really committed a
 * local transaction of its own at or after `sinceMs` (autovacuum's), which is then truly pending.
 */
async function assertIdleLink(
  sb: Sandboxed,
  s: Snapshot,
  from: string,
  to: string,
  sinceMs: number,
): Promise<void> {
  const l = linkOf(s, from, to);
  if (l.caught_up === true && l.lag_bytes === 0 && l.lag_seconds === 0) return;
  assert.ok(
    await localCommitSince(sb, from, sinceMs),
    `${from} -> ${to} behind with no local commit of ${from}: ${JSON.stringify(l)}; ${describe(s)}`,
  );
}

Deno.test("caught up is true: stuck rows, paused apply", async (t) => {
  await using sb = await startSandbox({ nodes: 3 });
  const config = testConfig(sb.nodes, { intervalMs: INTERVAL_MS });
  await using c = new Collector(config);
  await sb.waitForCatchUp();
  await cycleUntil(c, "caught up", allCaughtUp);

  await t.step(
    "one row stuck behind a lock: DEGRADED at once, aged by its commit, CRITICAL, then HEALTHY",
    async () => {
      await sb.stallLink("node1", "node2");
      let released = false;
      try {
        await sb.write("node1", 1);
        const committedMs = await lastLocalCommitMs(sb, "node1");
        // Within 2 intervals: behind, DEGRADED, bytes > 0, aged by the commit.
        let s = await cycle(c);
        s = linkOf(s, "node1", "node2").caught_up === false &&
            s.nodes.node2?.status !== "HEALTHY"
          ? s
          : await cycle(c);
        let l = linkOf(s, "node1", "node2");
        assert.equal(l.caught_up, false, describe(s));
        assert.ok(l.lag_bytes! > 0, `lag_bytes ${l.lag_bytes}`);
        assert.equal(s.nodes.node2?.status, "DEGRADED", describe(s));
        assert.equal(l.lag_method, "oldest_unapplied_commit");
        const trueAge = (Date.parse(s.collected_at) - committedMs) / 1000;
        assert.ok(
          Math.abs(l.lag_seconds! - trueAge) <= INTERVAL_MS / 1000,
          `lag_seconds ${l.lag_seconds} vs true age ${trueAge}`,
        );
        // The other links stay caught up: node1 -> node3 applied the row.
        await assertIdleLink(sb, s, "node1", "node3", committedMs + 1);
        await assertIdleLink(sb, s, "node3", "node2", committedMs);
        // lag_seconds grows with time; CRITICAL once past crit (3 s).
        const seen = await cycleUntil(
          c,
          "node2 CRITICAL",
          (x) => x.nodes.node2?.status === "CRITICAL",
          { timeoutMs: 10_000, everyMs: INTERVAL_MS },
        );
        l = linkOf(seen.at(-1)!, "node1", "node2");
        assert.ok(l.lag_seconds! >= 3, `lag_seconds ${l.lag_seconds}`);
        assert.match(
          seen.at(-1)!.nodes.node2!.reasons.join("\n"),
          /link node1 -> node2: lag [\d.]+ s >= crit 3 s/,
        );
        await sb.resumeLink("node1", "node2");
        released = true;
        const releasedAt = Date.now();
        const after = await cycleUntil(c, "HEALTHY again", allCaughtUp, {
          timeoutMs: 10_000,
          everyMs: INTERVAL_MS,
        });
        assert.ok(after.length <= 2, `HEALTHY after ${after.length} cycles`);
        assert.ok(Date.now() - releasedAt <= 2 * INTERVAL_MS + 500);
      } finally {
        if (!released) await sb.resumeLink("node1", "node2");
      }
    },
  );

  await t.step(
    "paused apply: the link with a pending row is behind, an idle one into it is not",
    async () => {
      await cycleUntil(c, "caught up", allCaughtUp);
      const pausedAt = Date.now();
      await sb.pauseApply("node2");
      try {
        await sb.write("node1", 1);
        // node3 applies node1's row: WAL on node3 that its walsender filters for node2.
        await new Promise((r) => setTimeout(r, 300));
        const seen = await cycleUntil(
          c,
          "node1 -> node2 behind",
          (x) => linkOf(x, "node1", "node2").caught_up === false,
          { timeoutMs: 5_000, everyMs: INTERVAL_MS },
        );
        const s = await cycle(c);
        assert.ok(seen.length <= 2, "seen within 2 intervals");
        const pending = linkOf(s, "node1", "node2");
        assert.equal(pending.apply_paused, true);
        assert.ok(pending.lag_bytes! > 0 && pending.lag_seconds! > 0);
        await assertIdleLink(sb, s, "node3", "node2", pausedAt);
        assert.equal(linkOf(s, "node3", "node2").apply_paused, true);
        assert.equal(s.nodes.node2?.status, "DEGRADED", describe(s));
        assert.match(s.nodes.node2!.reasons.join("\n"), /apply is paused on node2/);
      } finally {
        await sb.resumeApply("node2");
      }
      await sb.waitForCatchUp();
      await cycleUntil(c, "caught up after resume", allCaughtUp, { everyMs: INTERVAL_MS });
    },
  );
});

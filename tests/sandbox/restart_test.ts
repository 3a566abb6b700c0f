/** restartNode and pgactive's counters across restarts: fast, immediate, kill. One sandbox. */
import assert from "node:assert/strict";
import { type ConflictOptions, type Sandbox, startSandbox } from "../../lib/sandbox/mod.ts";
import { shell } from "../../lib/sandbox/process.ts";
import { COUNTER_COLUMNS as COUNTERS } from "../../lib/sandbox/schema_internal.ts";

type Counters = Record<typeof COUNTERS[number], number>;

/** node2's pgactive_get_stats() row for origin node1. */
async function stats(sb: Sandbox): Promise<Counters> {
  const rows = await sb.query(
    "node2",
    `SELECT ${COUNTERS.join(", ")} FROM pgactive.pgactive_get_stats()`,
  );
  assert.equal(rows.length, 1);
  return Object.fromEntries(COUNTERS.map((c) => [c, Number(rows[0]![c])])) as Counters;
}

/** Records conflicts on node2 from node1, writes rows on node1, waits; returns the counters. */
async function activity(
  sb: Sandbox,
  conflict: Omit<ConflictOptions, "from">,
  writes: number,
): Promise<Counters> {
  await sb.recordConflict("node2", { ...conflict, from: "node1" });
  await sb.write("node1", writes);
  await sb.waitForCatchUp();
  return await stats(sb);
}

/** Conflict history rows and applied node1 rows on node2. */
async function rows(sb: Sandbox): Promise<{ history: number; applied: number }> {
  const [r] = await sb.query(
    "node2",
    `SELECT (SELECT count(*) FROM pgactive.pgactive_conflict_history)::int AS history,
            (SELECT count(*) FROM sandbox_node1)::int AS applied`,
  );
  return { history: Number(r!.history), applied: Number(r!.applied) };
}

/** How often node2's server log reports crash recovery. */
async function recoveries(sb: Sandbox): Promise<number> {
  const log = await shell(`cat "$1"`, [`${sb.directory}/node2.log`]);
  return log.split("automatic recovery in progress").length - 1;
}

Deno.test("pgactive_get_stats() counters across restarts behave like pgactive's", async (t) => {
  await using sb = await startSandbox({ nodes: 2 });
  let lastSave: Counters | null = null;

  await t.step("applied changes and simulated conflicts are counted", async () => {
    await sb.write("node1", 3);
    await sb.waitForCatchUp();
    await sb.recordConflict("node2", { type: "insert_insert", from: "node1", count: 2 });
    await sb.recordConflict("node2", { type: "update_delete", from: "node1" });
    await sb.recordConflict("node2", { type: "unhandled_tx_abort", from: "node1" });
    const s = await stats(sb);
    assert.deepEqual(
      [s.nr_commit, s.nr_insert, s.nr_insert_conflict, s.nr_update_conflict, s.nr_rollback],
      [1, 3, 2, 1, 1],
    );
  });

  await t.step(
    "restartNode fast: a new postmaster, the same counters, links streaming",
    async () => {
      const before = await stats(sb);
      const pid = sb.node("node2").pid;
      await sb.restartNode("node2", { mode: "fast" });
      assert.notEqual(sb.node("node2").pid, pid);
      assert.equal(await recoveries(sb), 0);
      assert.deepEqual(await stats(sb), before);
      assert.deepEqual(await rows(sb), { history: 4, applied: 3 });
      await sb.write("node1", 1);
      await sb.waitForCatchUp();
      const after = await stats(sb);
      assert.deepEqual([after.nr_commit, after.nr_insert], [
        before.nr_commit + 1,
        before.nr_insert + 1,
      ]);
    },
  );

  await t.step(
    "restartNode immediate: crash recovery, counters kept as pgactive saves them at exit",
    async () => {
      const before = await activity(sb, { type: "update_update", count: 3 }, 2);
      assert.equal(before.nr_update_conflict, 4);
      await sb.restartNode("node2", { mode: "immediate" });
      assert.equal(await recoveries(sb), 1);
      assert.deepEqual(await stats(sb), before);
      assert.deepEqual(await rows(sb), { history: 7, applied: 6 });
      lastSave = before;
    },
  );

  await t.step(
    "restartNode kill: counters back to the last save, conflict history keeps every row",
    async () => {
      const before = await activity(sb, { type: "delete_delete", count: 2 }, 1);
      assert.equal(before.nr_delete_conflict, 2);
      assert.notDeepEqual(before, lastSave);
      await sb.restartNode("node2", { mode: "kill" });
      assert.equal(await recoveries(sb), 2);
      assert.deepEqual(await stats(sb), lastSave);
      assert.deepEqual(await rows(sb), { history: 9, applied: 7 });
    },
  );

  await t.step("counting goes on from the restored values", async () => {
    await sb.write("node1", 2);
    await sb.waitForCatchUp();
    assert.deepEqual(await stats(sb), {
      ...lastSave!,
      nr_commit: lastSave!.nr_commit + 1,
      nr_insert: lastSave!.nr_insert + 2,
    });
  });

  await t.step("a restart ends a pause: node2 applies again", async () => {
    await sb.pauseApply("node2");
    await sb.restartNode("node2", { mode: "fast" });
    const [p] = await sb.query("node2", `SELECT pgactive.pgactive_is_apply_paused() AS p`);
    assert.equal(p!.p, false);
    await sb.write("node1", 1);
    await sb.waitForCatchUp();
    assert.equal((await rows(sb)).applied, 10);
  });

  await t.step("restartNode refuses a stopped node", async () => {
    await sb.stopNode("node2", { mode: "kill" });
    await assert.rejects(sb.restartNode("node2", { mode: "fast" }), /it is stopped/);
    await sb.startNode("node2");
    assert.deepEqual(await rows(sb), { history: 9, applied: 10 });
  });
});

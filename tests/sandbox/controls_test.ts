/** Controls against the real mesh: stall, pause, break, stop/start, hang. One sandbox. */
import assert from "node:assert/strict";
import postgres from "postgres";
import { type Sandbox, startSandbox } from "../../lib/sandbox/mod.ts";
import { pollUntil } from "../../lib/sandbox/process.ts";

/** On `from`: the slot for `to`, its walsender and pending bytes (current LSN - replay_lsn). */
async function link(sb: Sandbox, from: string, to: string) {
  const o = sb.node(from);
  const c = sb.node(to);
  const [row] = await sb.query(
    from,
    `SELECT s.active, r.state, r.application_name,
            pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::int8 AS pending
     FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
     WHERE s.slot_name = $1`,
    [`pgactive_${o.dboid}_${c.sysid}_0_${c.dboid}__`],
  );
  assert.ok(row, `no slot on ${from} for ${to}`);
  return {
    active: row.active as boolean,
    state: row.state as string | null,
    pending: row.pending === null ? null : Number(row.pending),
  };
}

async function count(sb: Sandbox, node: string, table: string): Promise<number> {
  const [r] = await sb.query(node, `SELECT count(*)::int AS n FROM ${table}`);
  return Number(r!.n);
}

Deno.test("sandbox controls act on real replication state", async (t) => {
  await using sb = await startSandbox();

  await t.step(
    "stallLink(node1, node2): pending bytes grow with the walsender connected",
    async () => {
      await sb.stallLink("node1", "node2");
      await sb.write("node1", 200);
      const first = await pollUntil("pending bytes for node2", async () => {
        const l = await link(sb, "node1", "node2");
        return l.pending !== null && l.pending > 0 ? l : null;
      }, { timeoutMs: 10_000 });
      assert.equal(first.active, true);
      assert.equal(first.state, "streaming");
      // node1 -> node3 is unaffected and drains to zero
      await pollUntil("node1 -> node3 at zero", async () => {
        const l = await link(sb, "node1", "node3");
        return l.active && l.pending === 0;
      }, { timeoutMs: 10_000 });
      await pollUntil(
        "rows on node3",
        async () => await count(sb, "node3", "sandbox_node1") === 200,
      );
      // more writes: lag keeps growing on the live stream
      await sb.write("node1", 200);
      await pollUntil("pending to grow", async () => {
        const l = await link(sb, "node1", "node2");
        return l.active && l.pending !== null && l.pending > first.pending!;
      }, { timeoutMs: 10_000 });
      assert.equal(await count(sb, "node2", "sandbox_node1"), 0);
      await sb.resumeLink("node1", "node2");
      await sb.waitForCatchUp({ timeoutMs: 15_000 });
      assert.equal(await count(sb, "node2", "sandbox_node1"), 400);
      assert.equal((await link(sb, "node1", "node2")).pending, 0);
    },
  );

  await t.step(
    "pauseApply(node2) holds back every inbound link and sets the paused flag",
    async () => {
      const paused = async (n: string) =>
        (await sb.query(n, `SELECT pgactive.pgactive_is_apply_paused() AS p`))[0]!.p;
      assert.equal(await paused("node2"), false);
      await sb.pauseApply("node2");
      assert.equal(await paused("node2"), true);
      assert.equal(await paused("node1"), false);
      await sb.write("node1", 10);
      await sb.write("node3", 10);
      for (const from of ["node1", "node3"]) {
        await pollUntil(`${from} -> node2 pending`, async () => {
          const l = await link(sb, from, "node2");
          return l.active && l.pending !== null && l.pending > 0;
        }, { timeoutMs: 10_000 });
      }
      await pollUntil(
        "node3 rows on node1",
        async () => await count(sb, "node1", "sandbox_node3") === 10,
      );
      assert.equal(await count(sb, "node2", "sandbox_node3"), 0);
      await sb.resumeApply("node2");
      assert.equal(await paused("node2"), false);
      await sb.waitForCatchUp({ timeoutMs: 15_000 });
      assert.equal(await count(sb, "node2", "sandbox_node3"), 10);
      assert.equal(await count(sb, "node2", "sandbox_node1"), 410);
    },
  );

  await t.step(
    "breakLink makes the slot inactive and the apply worker report a failure",
    async () => {
      await sb.breakLink("node1", "node3");
      const l = await link(sb, "node1", "node3");
      assert.equal(l.active, false);
      assert.equal(l.state, null);
      const n1 = sb.node("node1");
      const [w] = await sb.query(
        "node3",
        `SELECT pid, last_error, last_error_time IS NOT NULL AS has_time
       FROM pgactive.pgactive_get_workers_info() WHERE worker_type = 'apply' AND sysid = $1`,
        [n1.sysid],
      );
      assert.deepEqual(w, { pid: 0, last_error: "pgactive_apply_failure", has_time: true });
      const [x] = await sb.query(
        "node3",
        `SELECT last_applied_xact_id::text AS id, last_applied_xact_committs::text AS ts
       FROM pgactive.pgactive_get_last_applied_xact_info($1, 0, $2)`,
        [n1.sysid, n1.dboid],
      );
      assert.deepEqual(x, { id: "0", ts: "2000-01-01 00:00:00+00" });
      await sb.write("node1", 5);
      await sb.restoreLink("node1", "node3");
      assert.equal((await link(sb, "node1", "node3")).active, true);
      await sb.waitForCatchUp({ timeoutMs: 15_000 });
      assert.equal(await count(sb, "node3", "sandbox_node1"), 415);
    },
  );

  await t.step(
    "breakLink also works on a stalled link; data arrives after restore + resume",
    async () => {
      await sb.stallLink("node2", "node3");
      await sb.write("node2", 4);
      await pollUntil("node2 -> node3 pending", async () => {
        const l = await link(sb, "node2", "node3");
        return l.pending !== null && l.pending > 0;
      }, { timeoutMs: 10_000 });
      await sb.breakLink("node2", "node3", { timeoutMs: 10_000 });
      assert.equal((await link(sb, "node2", "node3")).active, false);
      await sb.restoreLink("node2", "node3");
      await sb.resumeLink("node2", "node3");
      await sb.waitForCatchUp({ timeoutMs: 15_000 });
      assert.equal(await count(sb, "node3", "sandbox_node2"), 4);
    },
  );

  await t.step(
    "stopNode(node3) makes its slots inactive on node1 and node2; startNode brings them back",
    async () => {
      const pidBefore = sb.node("node3").pid;
      await sb.stopNode("node3");
      assert.equal(sb.node("node3").pid, 0);
      for (const origin of ["node1", "node2"]) {
        await pollUntil(`slot for node3 on ${origin} inactive`, async () => {
          return !(await link(sb, origin, "node3")).active;
        }, { timeoutMs: 10_000 });
      }
      // the cluster-wide lag function silently skips the down node: 4 rows, node3's inactive
      const rows = await sb.query(
        "node1",
        `SELECT node_name, active FROM pgactive.pgactive_get_replication_lag_info()`,
      );
      assert.equal(rows.length, 4);
      assert.deepEqual(rows.filter((r) => r.node_name === "node3").map((r) => r.active), [
        false,
        false,
      ]);
      const direct = postgres(sb.node("node3").dsn, {
        max: 1,
        connect_timeout: 2,
        onnotice: () => {},
      });
      try {
        await assert.rejects(direct`SELECT 1`);
      } finally {
        await direct.end({ timeout: 1 });
      }
      await sb.write("node1", 3); // retained for node3
      await sb.startNode("node3");
      assert.notEqual(sb.node("node3").pid, 0);
      assert.notEqual(sb.node("node3").pid, pidBefore);
      for (const origin of ["node1", "node2"]) {
        assert.equal((await link(sb, origin, "node3")).active, true);
      }
      assert.equal((await link(sb, "node3", "node1")).active, true);
      await sb.waitForCatchUp({ timeoutMs: 15_000 });
      assert.equal(await count(sb, "node3", "sandbox_node1"), 418);
      await sb.write("node3", 1);
      await pollUntil(
        "node3 write on node1",
        async () => await count(sb, "node1", "sandbox_node3") === 11,
      );
    },
  );

  await t.step("hangNode(node2): its queries time out while the others answer", async () => {
    await sb.hangNode("node2");
    const hung = postgres(sb.node("node2").dsn, { max: 1, connect_timeout: 1, onnotice: () => {} });
    try {
      const t0 = Date.now();
      await assert.rejects(hung`SELECT 1`);
      assert.ok(Date.now() - t0 >= 900, "the hung node must not refuse quickly");
      const [r] = await sb.query("node1", `SELECT 1 AS one`);
      assert.equal(r!.one, 1);
      const [r3] = await sb.query("node3", `SELECT 1 AS one`);
      assert.equal(r3!.one, 1);
    } finally {
      await hung.end({ timeout: 0 });
    }
    await sb.resumeNode("node2");
    const [r] = await sb.query("node2", `SELECT 1 AS one`);
    assert.equal(r!.one, 1);
  });
});

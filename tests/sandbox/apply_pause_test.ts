/** pauseApply/resumeApply as pgactive_apply_pause(): frozen apply workers, unconfirmed WAL. */
import assert from "node:assert/strict";
import { type Sandbox, startSandbox } from "../../lib/sandbox/mod.ts";
import { alive, delay, pollUntil, processState } from "../../lib/sandbox/process.ts";

/** On `from`: the walsender of `to`'s slot and its positions. */
async function walsender(sb: Sandbox, from: string, to: string) {
  const o = sb.node(from);
  const c = sb.node(to);
  const [r] = await sb.query(
    from,
    `SELECT s.active, r.state, r.sent_lsn::text AS sent, r.write_lsn::text AS write,
            r.flush_lsn::text AS flush, r.replay_lsn::text AS replay,
            pg_wal_lsn_diff(r.sent_lsn, r.replay_lsn)::int8 AS ahead
     FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
     WHERE s.slot_name = $1`,
    [`pgactive_${o.dboid}_${c.sysid}_0_${c.dboid}__`],
  );
  assert.ok(r, `no slot on ${from} for ${to}`);
  return { ...r, ahead: r.ahead === null ? null : Number(r.ahead) } as {
    active: boolean;
    state: string | null;
    sent: string | null;
    write: string | null;
    flush: string | null;
    replay: string | null;
    ahead: number | null;
  };
}

/** Apply worker pid per subscription on `node`. */
async function workers(sb: Sandbox, node: string): Promise<Record<string, number>> {
  const rows = await sb.query(
    node,
    `SELECT subname, pid FROM pg_stat_subscription WHERE relid IS NULL AND pid IS NOT NULL`,
  );
  return Object.fromEntries(rows.map((r) => [String(r.subname), Number(r.pid)]));
}

async function states(pids: number[]): Promise<(string | null)[]> {
  return await Promise.all(pids.map(processState));
}

async function paused(sb: Sandbox, node: string): Promise<boolean> {
  const [r] = await sb.query(node, `SELECT pgactive.pgactive_is_apply_paused() AS p`);
  return r!.p as boolean;
}

async function confirmedAll(sb: Sandbox, from: string, to: string): Promise<boolean> {
  const w = await walsender(sb, from, to);
  return w.active && w.sent !== null && w.write === w.sent && w.flush === w.sent &&
    w.replay === w.sent;
}

Deno.test("pauseApply freezes the apply workers: peers send, nothing is confirmed", async (t) => {
  await using sb = await startSandbox();
  let rowId = 0;

  await t.step("the paused node's apply workers are stopped and the flag is set", async () => {
    const before = await workers(sb, "node2");
    assert.equal(Object.keys(before).length, 2);
    await sb.pauseApply("node2");
    assert.deepEqual(await states(Object.values(before)), ["T", "T"]);
    assert.deepEqual(await workers(sb, "node2"), before, "same workers, still registered");
    assert.equal(await paused(sb, "node2"), true);
    assert.equal(await paused(sb, "node1"), false);
    assert.ok(!(await states(Object.values(await workers(sb, "node1")))).includes("T"));
  });

  await t.step("a row from node1 is sent to node2 and never confirmed for 3 s", async () => {
    const [ins] = await sb.query(
      "node1",
      `INSERT INTO sandbox_node1 (payload) VALUES ('while paused') RETURNING id`,
    );
    rowId = Number(ins!.id);
    const first = await pollUntil("node1 to send past node2's replay_lsn", async () => {
      const w = await walsender(sb, "node1", "node2");
      return w.ahead !== null && w.ahead > 0 ? w : null;
    }, { timeoutMs: 10_000 });
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      await delay(250);
      const w = await walsender(sb, "node1", "node2");
      assert.equal(w.active, true);
      assert.equal(w.state, "streaming");
      assert.ok(w.ahead! > 0, `sent ${w.sent} not ahead of replay ${w.replay}`);
      // no confirmation at all: write, flush and replay do not move
      assert.deepEqual([w.write, w.flush, w.replay], [first.write, first.flush, first.replay]);
    }
    const rows = await sb.query("node2", `SELECT 1 FROM sandbox_node1 WHERE id = $1`, [rowId]);
    assert.equal(rows.length, 0);
  });

  await t.step(
    "WAL node2 would filter (a message on node3) is not confirmed either; node1 confirms it",
    async () => {
      const [m] = await sb.query(
        "node3",
        `SELECT pg_logical_emit_message(false, 'sandbox', 'nothing to apply')::text AS lsn`,
      );
      await pollUntil("node3 to send its message to node2, unconfirmed", async () => {
        const w = await walsender(sb, "node3", "node2");
        const [r] = await sb.query(
          "node3",
          `SELECT $1::pg_lsn >= $2::pg_lsn AND $3::pg_lsn < $2::pg_lsn AS ok`,
          [w.sent, m!.lsn, w.replay],
        );
        return r!.ok === true;
      }, { timeoutMs: 10_000 });
      await pollUntil("node1 to confirm the message", async () => {
        const w = await walsender(sb, "node3", "node1");
        const [r] = await sb.query("node3", `SELECT $1::pg_lsn >= $2::pg_lsn AS ok`, [
          w.replay,
          m!.lsn,
        ]);
        return r!.ok === true && await confirmedAll(sb, "node3", "node1");
      }, { timeoutMs: 10_000 });
    },
  );

  await t.step("hangNode/resumeNode leave the paused workers frozen", async () => {
    const pids = Object.values(await workers(sb, "node2"));
    await sb.hangNode("node2");
    await sb.resumeNode("node2");
    assert.deepEqual(await states(pids), ["T", "T"]);
    assert.ok((await walsender(sb, "node1", "node2")).ahead! > 0);
  });

  await t.step("an apply worker started while paused is frozen too", async () => {
    const old = (await workers(sb, "node2")).sandbox_from_node3;
    await sb.breakLink("node3", "node2");
    // the frozen worker was let go, so it could exit
    await pollUntil("the old worker to exit", async () => !await alive(old!));
    await sb.restoreLink("node3", "node2");
    const fresh = await pollUntil("a new, frozen worker for node3", async () => {
      const pid = (await workers(sb, "node2")).sandbox_from_node3;
      return pid !== undefined && pid !== old && await processState(pid) === "T" ? pid : null;
    }, { timeoutMs: 10_000 });
    assert.notEqual(fresh, old);
    await sb.write("node3", 1);
    await pollUntil("node3's row sent, unconfirmed", async () => {
      return ((await walsender(sb, "node3", "node2")).ahead ?? 0) > 0;
    }, { timeoutMs: 10_000 });
  });

  await t.step("a peer stops and starts quickly although node2 never confirms", async () => {
    const t0 = Date.now();
    await sb.stopNode("node1");
    await sb.startNode("node1");
    assert.ok(Date.now() - t0 < 15_000, `stop/start took ${Date.now() - t0} ms`);
    assert.equal(await paused(sb, "node2"), true);
    const [r] = await sb.query("node2", `SELECT count(*)::int AS n FROM sandbox_node1`);
    assert.equal(r!.n, 0);
  });

  await t.step("resumeApply delivers everything and the positions meet", async () => {
    await sb.resumeApply("node2");
    assert.equal(await paused(sb, "node2"), false);
    assert.ok(!(await states(Object.values(await workers(sb, "node2")))).includes("T"));
    await pollUntil("the paused-time rows on node2", async () => {
      const [r] = await sb.query(
        "node2",
        `SELECT (SELECT count(*) FROM sandbox_node1 WHERE id = $1)::int AS n1,
                (SELECT count(*) FROM sandbox_node3)::int AS n3`,
        [rowId],
      );
      return r!.n1 === 1 && r!.n3 === 1;
    }, { timeoutMs: 15_000 });
    for (const from of ["node1", "node3"]) {
      await pollUntil(
        `${from} -> node2 sent = write = flush = replay`,
        () => confirmedAll(sb, from, "node2"),
        { timeoutMs: 15_000 },
      );
    }
  });

  await t.step("stopping a paused node ends the pause; it applies again after start", async () => {
    await sb.pauseApply("node3");
    const t0 = Date.now();
    await sb.stopNode("node3");
    assert.ok(Date.now() - t0 < 10_000, `stop took ${Date.now() - t0} ms`);
    await sb.startNode("node3");
    assert.equal(await paused(sb, "node3"), false);
    assert.ok(!(await states(Object.values(await workers(sb, "node3")))).includes("T"));
    await sb.write("node2", 2);
    await sb.waitForCatchUp({ timeoutMs: 15_000 });
    const [r] = await sb.query("node3", `SELECT count(*)::int AS n FROM sandbox_node2`);
    assert.equal(r!.n, 2);
  });

  await t.step("close() while a node is paused stops every instance", async () => {
    await sb.pauseApply("node1");
    const pids = sb.nodes.map((n) => n.pid);
    const t0 = Date.now();
    await sb.close();
    assert.ok(Date.now() - t0 < 10_000, `close took ${Date.now() - t0} ms`);
    for (const pid of pids) assert.equal(await alive(pid), false);
  });
});

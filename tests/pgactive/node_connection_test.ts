/** NodeConnection and the probe SQL against a real sandbox: round trips, roles, non-pgactive DBs. */
import assert from "node:assert/strict";
import { Collector } from "../../lib/collector/mod.ts";
import { NodeConnection, NodeProbeError } from "../../lib/pgactive/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import type { Snapshot } from "../../lib/snapshot/mod.ts";
import { allCaughtUp, cycleUntil, testConfig } from "../collector/sandbox_helpers.ts";

function shape(s: Snapshot) {
  return {
    status: s.status,
    nodes: Object.fromEntries(
      Object.values(s.nodes).map((n) => [n.name, {
        status: n.status,
        reasons: n.reasons,
        conflicts: n.metrics.conflict_count,
        walsender: n.metrics.walsender_active,
        node_status: n.metrics.node_status,
        paused: n.metrics.apply_paused,
      }]),
    ),
    links: s.links.map((l) => `${l.from}->${l.to} ${l.active} ${l.lag_method} ${l.conflicts}`)
      .sort(),
  };
}

Deno.test("probing a sandbox node", async (t) => {
  await using sb = await startSandbox({ nodes: 3 });
  await sb.recordConflict("node1", { type: "update_update", from: "node2", count: 2 });

  await t.step("one statement per cycle on a warm connection", async () => {
    const conn = new NodeConnection("node1", sb.node("node1").dsn, { timeoutMs: 2000 });
    try {
      const first = await conn.probe();
      assert.ok(first.statements <= 3, "capabilities + catalog conflicts once, then the probe");
      for (let i = 0; i < 3; i++) assert.equal((await conn.probe()).statements, 1);
      const r = await conn.probe();
      assert.equal(r.data.libraryVersion, "2.1.9-sandbox");
      assert.equal(r.data.local?.sysid, sb.node("node1").sysid);
      assert.equal(r.data.slots.length, 2);
      assert.ok(r.data.slots.every((s) => s.active && s.walsender !== null));
      assert.equal(r.data.members?.length, 3);
      assert.equal(r.data.stats?.length, 2);
      assert.equal(r.data.applied?.length, 2);
      assert.equal(r.capabilities.denied.size, 0);
    } finally {
      await conn.close();
    }
  });

  await t.step("a killed or restarted backend is reconnected within the same probe", async () => {
    const conn = new NodeConnection("node2", sb.node("node2").dsn, { timeoutMs: 2000 });
    try {
      await conn.probe();
      const [row] = await sb.query(
        "node2",
        `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'pgactive-tools' AND datname = current_database()) t`,
      );
      assert.equal(row!.n, 1);
      const r = await conn.probe();
      assert.equal(r.data.slots.length, 2);
      assert.ok(r.statements >= 2, "capabilities re-detected on the new connection");
      await sb.stopNode("node2");
      await sb.startNode("node2");
      const after = await conn.probe();
      assert.equal(after.data.slots.length, 2);
    } finally {
      await conn.close();
    }
  });

  await t.step("a database without pgactive is NOT_PGACTIVE", async () => {
    const dsn = sb.node("node1").dsn.replace(/\/app$/, "/postgres");
    const conn = new NodeConnection("plain", dsn, { timeoutMs: 2000 });
    try {
      const e = await conn.probe().then(() => null, (err) => err);
      assert.ok(e instanceof NodeProbeError);
      assert.equal(e.code, "NOT_PGACTIVE");
      assert.equal(
        e.message,
        'Cannot probe node "plain": schema pgactive not found in database "postgres"',
      );
    } finally {
      await conn.close();
    }
  });

  await t.step("config/monitoring_role.sql grants what the collector needs", async () => {
    await sb.waitForCatchUp();
    const script = await Deno.readTextFile(
      new URL("../../config/monitoring_role.sql", import.meta.url),
    );
    for (const n of sb.nodes) await sb.query(n.name, script);
    const dsnOf = (n: { dsn: string }) => n.dsn.replace("://postgres@", "://pgactive_monitor@");
    await using mon = new Collector(
      testConfig(sb.nodes.map((n) => ({ name: n.name, dsn: dsnOf(n) }))),
    );
    const s = (await cycleUntil(mon, "monitor view caught up", allCaughtUp)).at(-1)!;
    assert.equal(s.nodes.node1?.metrics.conflict_count, 2);
    assert.ok(Object.values(s.nodes).every((n) => n.reasons.length === 0));
    assert.equal(s.links.length, 6);
  });

  await t.step(
    "a least-privilege role with the full grants sees what the superuser sees",
    async () => {
      await sb.waitForCatchUp();
      const dsns = await sb.createMonitoringRole({ grants: "full" });
      await using su = new Collector(testConfig(sb.nodes));
      await using mon = new Collector(
        testConfig(sb.nodes.map((n) => ({ name: n.name, dsn: dsns[n.name]! }))),
      );
      const a = (await cycleUntil(su, "superuser view caught up", allCaughtUp)).at(-1)!;
      const b = (await cycleUntil(mon, "monitor view caught up", allCaughtUp)).at(-1)!;
      assert.deepEqual(shape(b), shape(a));
      assert.equal(b.nodes.node1?.metrics.conflict_count, 2);
      assert.equal(b.status, "HEALTHY");
    },
  );

  await t.step("without grants: degraded with reasons, links still reported", async () => {
    const dsns = await sb.createMonitoringRole({ name: "bare_monitor", grants: "none" });
    await using mon = new Collector(
      testConfig(sb.nodes.map((n) => ({ name: n.name, dsn: dsns[n.name]! }))),
    );
    const { snapshot } = await mon.runCycle();
    for (const n of Object.values(snapshot.nodes)) {
      assert.equal(n.status, "DEGRADED", JSON.stringify(n.reasons));
      assert.ok(
        n.reasons.some((r) => r.startsWith("cannot read pgactive.pgactive_nodes: grant SELECT")),
      );
      assert.ok(
        n.reasons.some((r) => r.startsWith("cannot read pgactive_get_stats(): grant EXECUTE")),
      );
      assert.equal(n.metrics.conflict_count, null);
      assert.equal(n.metrics.apply_paused, false);
    }
    assert.equal(snapshot.links.length, 6, "peers identified from slot names");
    assert.ok(snapshot.links.every((l) => l.active === true && l.conflicts === null));
  });
});

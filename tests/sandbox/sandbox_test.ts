/** The mesh itself: startup, replication, loads, catch-up, config, teardown. One sandbox. */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import { alive, pollUntil, shell } from "../../lib/sandbox/process.ts";

Deno.test("a 3-node sandbox replicates, loads, reports its config and leaves nothing behind", async (t) => {
  const t0 = performance.now();
  const sb = await startSandbox();
  const startupMs = performance.now() - t0;
  const pids = sb.nodes.map((n) => n.pid);
  const dir = sb.directory;
  try {
    await t.step("starts 3 nodes quickly, each with its own pgactive identity", async () => {
      console.log(`sandbox startup (3 nodes): ${Math.round(startupMs)} ms`);
      assert(startupMs < 20_000, `startup took ${startupMs} ms`);
      assert.deepEqual(sb.nodes.map((n) => n.name), ["node1", "node2", "node3"]);
      assert.deepEqual(new Set(sb.nodes.map((n) => n.port)).size, 3);
      assert.deepEqual(new Set(sb.nodes.map((n) => n.sysid)).size, 3);
      for (const n of sb.nodes) {
        assert.match(n.dsn, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/app$/);
        assert(BigInt(n.sysid) < 2n ** 63n && BigInt(n.sysid) > 0n);
        const [row] = await sb.query(
          n.name,
          `SELECT (pgactive.pgactive_get_local_nodeid()).sysid AS sysid,
                  (SELECT system_identifier::text FROM pg_control_system()) AS pg_sysid,
                  current_setting('wal_level') AS wal_level,
                  current_setting('track_commit_timestamp') AS tct`,
        );
        assert.deepEqual(row!.sysid, n.sysid);
        assert(row!.pg_sysid !== n.sysid, "pgactive node id must not be the PG system identifier");
        assert.deepEqual(row!.wal_level, "logical");
        assert.deepEqual(row!.tct, "on");
        assert(await alive(n.pid));
      }
    });

    await t.step("each node has one active pgactive-named slot per peer", async () => {
      for (const origin of sb.nodes) {
        const rows = await sb.query(
          origin.name,
          `SELECT s.slot_name, s.plugin, s.active, r.application_name
           FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
           ORDER BY 1`,
        );
        const expected = sb.nodes.filter((n) => n !== origin).map((c) => ({
          slot_name: `pgactive_${origin.dboid}_${c.sysid}_0_${c.dboid}__`,
          plugin: "pgactive",
          active: true,
          application_name: `pgactive:${c.sysid}:send`,
        })).sort((a, b) => a.slot_name.localeCompare(b.slot_name));
        assert.deepEqual(rows, expected);
      }
    });

    await t.step("a row written on node1 arrives on node2 and node3", async () => {
      const [ins] = await sb.query(
        "node1",
        `INSERT INTO sandbox_node1 (payload) VALUES ('hello mesh') RETURNING id`,
      );
      for (const target of ["node2", "node3"]) {
        await pollUntil(`row on ${target}`, async () => {
          const rows = await sb.query(target, `SELECT payload FROM sandbox_node1 WHERE id = $1`, [
            ins!.id,
          ]);
          return rows[0]?.payload === "hello mesh";
        }, { timeoutMs: 10_000 });
      }
      // and it does not echo back to node1 as a second row
      const [c] = await sb.query("node1", `SELECT count(*)::int AS n FROM sandbox_node1`);
      assert.deepEqual(c!.n, 1);
    });

    await t.step(
      "write() and waitForCatchUp() leave every slot confirmed and rows everywhere",
      async () => {
        await sb.write("node2", 25);
        await sb.write("node3", 7);
        await sb.waitForCatchUp({ timeoutMs: 15_000 });
        for (const n of sb.nodes) {
          const [r] = await sb.query(
            n.name,
            `SELECT (SELECT count(*) FROM sandbox_node2)::int AS n2,
                  (SELECT count(*) FROM sandbox_node3)::int AS n3`,
          );
          assert.deepEqual(r, { n2: 25, n3: 7 });
        }
      },
    );

    await t.step("startLoad writes at roughly the requested rate and stops cleanly", async () => {
      const before = Number(
        (await sb.query("node3", `SELECT count(*)::int AS n FROM sandbox_node3`))[0]!.n,
      );
      const load = sb.startLoad("node3", { rowsPerSecond: 200 });
      await pollUntil("load to write 100 rows", () => Promise.resolve(load.rowsWritten >= 100), {
        timeoutMs: 10_000,
      });
      await load.stop();
      const written = load.rowsWritten;
      const [after] = await sb.query("node3", `SELECT count(*)::int AS n FROM sandbox_node3`);
      assert.deepEqual(Number(after!.n) - before, written);
      await sb.waitForCatchUp();
      const [remote] = await sb.query("node1", `SELECT count(*)::int AS n FROM sandbox_node3`);
      assert.deepEqual(Number(remote!.n) - before, written);
    });

    await t.step("configYaml points the collector at every node", () => {
      const cfg = parse(sb.configYaml({ interval: "1s", probeTimeout: "500ms" })) as {
        collector: {
          interval: string;
          probe_timeout: string;
          nodes: { name: string; dsn: string }[];
        };
        thresholds: Record<string, unknown>;
        database: { path: string };
      };
      assert.deepEqual(cfg.collector.interval, "1s");
      assert.deepEqual(cfg.collector.probe_timeout, "500ms");
      assert.deepEqual(cfg.collector.nodes, sb.nodes.map((n) => ({ name: n.name, dsn: n.dsn })));
      assert.deepEqual(cfg.thresholds.lag_seconds_warn, 5);
      assert(cfg.database.path.length > 0);
    });

    await t.step("unknown node names are rejected", async () => {
      let err: unknown;
      try {
        await sb.write("node9");
      } catch (e) {
        err = e;
      }
      assert(err instanceof RangeError);
    });
  } finally {
    await sb.close();
  }

  for (const pid of pids) {
    assert.deepEqual(await alive(pid), false, `postgres ${pid} survived close`);
  }
  assert.deepEqual((await shell(`[ -e "$1" ] && echo yes; true`, [dir])).trim(), "");
});

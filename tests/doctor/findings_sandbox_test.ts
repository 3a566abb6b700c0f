/**
 * Each finding made real on a 3-node sandbox (real PostgreSQL 15, read as the monitoring role):
 * its line and its fix, then the printed fix applied on the node it names and the finding gone.
 * One sandbox for the file.
 */
import { parseConfig } from "../../lib/config/mod.ts";
import {
  type DoctorReport,
  type Finding,
  findingLine,
  runDoctor,
  SKEW_WARN_MS,
} from "../../lib/doctor/mod.ts";
import { startSandbox } from "../../lib/sandbox/mod.ts";
import type { Sandbox } from "../../lib/sandbox/mod.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import { applyFix as applyPrinted } from "./apply_fix.ts";

const NODES = ["node1", "node2", "node3"];

function of(report: DoctorReport, check: string): Finding[] {
  return report.findings.filter((f) => f.check === check && f.severity !== "OK");
}

/** Runs a printed fix where it says: its node, or every node for a cluster-wide finding. */
function applyFix(sb: Sandbox, f: Finding): Promise<void> {
  return applyPrinted(sb, f, NODES);
}

Deno.test({
  name: "doctor on the sandbox: each finding, its fix, and the finding gone after the fix",
  async fn(t) {
    await using sb = await startSandbox({ nodes: 3 });
    await sb.createMonitoringRole();
    const config = parseConfig(sb.configYaml({ user: "pgactive_monitor" }), { env: {} });
    const doctor = () => runDoctor(config);

    await t.step("baseline: every node read; one clock reads about 0 skew", async () => {
      const r = await doctor();
      assertEquals(Object.values(r.nodes).map((n) => n.read), [true, true, true]);
      const clock = r.findings.find((f) => f.check === "clock_skew")!;
      assertEquals(clock.severity, "OK");
      const offsets = [...clock.seen.matchAll(/([+-][\d.]+) (ms|s) \+- ([\d.]+) ms/g)]
        .map((m) => Math.abs(Number(m[1])) * (m[2] === "s" ? 1000 : 1));
      assertEquals(offsets.length, 3);
      assert(offsets.every((o) => o < SKEW_WARN_MS / 10), clock.seen);
    });

    await t.step(
      "a column added on one node only: FAIL on the others, ADD COLUMN fixes",
      async () => {
        for (const n of NODES) {
          await sb.query(n, "CREATE TABLE public.doc_items (id int PRIMARY KEY, name text)");
        }
        await sb.query("node1", "ALTER TABLE public.doc_items ADD COLUMN price numeric(10,2)");
        const found = of(await doctor(), "schema_drift");
        assertEquals(
          found.map(findingLine),
          ["node2", "node3"].map((n) =>
            `FAIL  schema_drift  ${n}  public.doc_items.price (numeric(10,2)) is missing here, ` +
            `present on node1  fix: ALTER TABLE public.doc_items ADD COLUMN price numeric(10,2);`
          ),
        );
        for (const f of found) await applyFix(sb, f);
        assertEquals(of(await doctor(), "schema_drift"), []);
      },
    );

    await t.step(
      "a table without a primary key: FAIL, ADD PRIMARY KEY on every node fixes",
      async () => {
        for (const n of NODES) {
          await sb.query(n, "CREATE TABLE public.doc_events (id bigint NOT NULL, body text)");
          await sb.query(n, "CREATE UNIQUE INDEX doc_events_id ON public.doc_events (id)");
        }
        const found = of(await doctor(), "primary_key");
        assertEquals(found.map(findingLine), [
          "FAIL  primary_key  cluster  table public.doc_events has no primary key on any node: " +
          "UPDATE and DELETE on it fail under pgactive  fix: ALTER TABLE public.doc_events " +
          "ADD PRIMARY KEY (id); -- on every node",
        ]);
        await applyFix(sb, found[0]!);
        assertEquals(of(await doctor(), "primary_key"), []);
      },
    );

    await t.step("a revoked grant: WARN on that node with the GRANT that fixes it", async () => {
      await sb.query(
        "node3",
        "REVOKE SELECT ON pgactive.pgactive_conflict_history FROM pgactive_monitor",
      );
      const found = of(await doctor(), "privileges");
      assertEquals(found.map(findingLine), [
        "WARN  privileges  node3  role pgactive_monitor cannot read " +
        "pgactive.pgactive_conflict_history (recent conflicts)  fix: " +
        "GRANT SELECT ON pgactive.pgactive_conflict_history TO pgactive_monitor;",
      ]);
      await applyFix(sb, found[0]!);
      assertEquals(of(await doctor(), "privileges"), []);
    });

    await t.step(
      "max_slot_wal_keep_size unset vs set: WARN per unset node, gone once set",
      async () => {
        const found = of(await doctor(), "max_slot_wal_keep_size");
        assertEquals(found.map((f) => f.node), NODES);
        assertEquals(
          findingLine(found[0]!),
          "WARN  max_slot_wal_keep_size  node1  max_slot_wal_keep_size = -1: WAL kept for a down " +
            "peer grows without bound  fix: ALTER SYSTEM SET max_slot_wal_keep_size = '10240MB'; " +
            "SELECT pg_catalog.pg_reload_conf();",
        );
        await applyFix(sb, found[0]!);
        const after = of(await doctor(), "max_slot_wal_keep_size");
        assertEquals(after.map((f) => f.node), ["node2", "node3"]);
        for (const f of after) await applyFix(sb, f);
        const ok = (await doctor()).findings.find((f) => f.check === "max_slot_wal_keep_size")!;
        assertEquals(ok.severity, "OK");
        assert(ok.seen.includes("node1 10240MB"), ok.seen);
      },
    );

    await t.step(
      "a setting that differs on one node: FAIL there, ALTER SYSTEM + restart fixes",
      async () => {
        await sb.query("node2", "ALTER SYSTEM SET track_commit_timestamp = off");
        await sb.restartNode("node2", { mode: "fast" });
        const found = of(await doctor(), "track_commit_timestamp");
        assertEquals(found.map(findingLine), [
          "FAIL  track_commit_timestamp  node2  track_commit_timestamp = 'off'  fix: ALTER SYSTEM " +
          "SET track_commit_timestamp = 'on'; -- then restart PostgreSQL",
        ]);
        await applyFix(sb, found[0]!);
        assertEquals(of(await doctor(), "track_commit_timestamp"), []);
      },
    );

    await t.step(
      "an orphan slot: FAIL with pg_drop_replication_slot, gone once dropped",
      async () => {
        const dboid = sb.node("node1").dboid;
        const slot = `pgactive_${dboid}_1234567890123_0_${dboid}__`;
        await sb.query("node1", `SELECT pg_create_logical_replication_slot('${slot}', 'pgactive')`);
        const found = of(await doctor(), "slot_orphan");
        assertEquals(found.length, 1);
        assertEquals(
          found[0]!.fix,
          `SELECT pg_catalog.pg_drop_replication_slot('${slot}');`,
        );
        assert(
          findingLine(found[0]!).startsWith(
            `FAIL  slot_orphan  node1  slot ${slot} belongs to no node in pgactive_nodes`,
          ),
          findingLine(found[0]!),
        );
        assertEquals(of(await doctor(), "slot_inactive"), [], "reported once, as an orphan");
        await applyFix(sb, found[0]!);
        assertEquals(of(await doctor(), "slot_orphan"), []);
      },
    );

    await t.step(
      "colliding sequences: WARN per node, the printed DO block gives offsets",
      async () => {
        const found = of(await doctor(), "sequence_collision")
          .filter((f) => f.seen.includes("sandbox_node1_id_seq"));
        assertEquals(found.map((f) => f.node), NODES);
        for (const f of found) await applyFix(sb, f);
        const left = of(await doctor(), "sequence_collision");
        assert(
          !left.some((f) => f.seen.includes("sandbox_node1_id_seq")),
          left.map(findingLine).join("\n"),
        );
        const next = await Promise.all(
          NODES.map(async (n) =>
            (await sb.query(n, "SELECT nextval('public.sandbox_node1_id_seq')::int AS v"))[0]!.v
          ),
        );
        assertEquals(new Set((next as number[]).map((v) => v % 10)).size, 3, String(next));
      },
    );
  },
});

/** Every check with plain data shaped as real pgactive 2.1.9 answered in the lab. */
import {
  CHECKS,
  clusterFacts,
  disjoint,
  type Finding,
  offsetStep,
  parseDoctorReport,
  runChecks,
} from "../../lib/doctor/mod.ts";
import type { NodeRead } from "../../lib/doctor/mod.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import { cluster, node, SYSIDS } from "./fixtures.ts";

const NAMES = ["node1", "node2", "node3"];

function run(nodes: NodeRead[], id?: string): Finding[] {
  const checks = id ? CHECKS.filter((c) => c.id === id) : CHECKS;
  return runChecks(clusterFacts(nodes, NAMES), checks);
}

function problems(nodes: NodeRead[], id: string): Finding[] {
  return run(nodes, id).filter((f) => f.severity !== "OK");
}

Deno.test("a healthy 3-node cluster gives one OK finding per check", () => {
  const f = run(cluster());
  assertEquals(f.map((x) => x.severity), CHECKS.map(() => "OK"));
  assertEquals(f.map((x) => x.check), CHECKS.map((c) => c.id));
  assert(f.every((x) => x.node === null && x.fix === null && x.seen.length > 0));
});

Deno.test("wal_level replica is a FAIL with ALTER SYSTEM and a restart", () => {
  const n2 = node(1, {
    settings: { wal_level: { setting: "replica", unit: null, context: "postmaster" } },
  });
  assertEquals(problems(cluster({ 1: n2 }), "wal_level"), [{
    check: "wal_level",
    severity: "FAIL",
    node: "node2",
    seen: "wal_level = 'replica'",
    fix: "ALTER SYSTEM SET wal_level = 'logical'; -- then restart PostgreSQL",
  }]);
});

Deno.test("shared_preload_libraries without pgactive keeps the other libraries in the fix", () => {
  const n = node(0, {
    settings: {
      shared_preload_libraries: {
        setting: "pg_stat_statements",
        unit: null,
        context: "postmaster",
      },
    },
  });
  const [p] = problems(cluster({ 0: n }), "shared_preload_libraries");
  assertEquals(
    p!.fix,
    "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements, pgactive'; -- then restart PostgreSQL",
  );
});

Deno.test("an unreadable setting asks for pg_monitor; an absent optional one is fine", () => {
  const n = node(2, {
    settings: { shared_preload_libraries: null, output_plugin_libraries: null },
  });
  const [p] = problems(cluster({ 2: n }), "shared_preload_libraries");
  assertEquals([p!.severity, p!.fix], ["WARN", "GRANT pg_monitor TO pgactive_monitor;"]);
  assertEquals(problems(cluster({ 2: n }), "output_plugin_libraries"), []);
});

Deno.test("slot, walsender and worker headroom: FAIL below the need, WARN without a spare", () => {
  const set = (id: string, v: string) =>
    node(0, { settings: { [id]: { setting: v, unit: null, context: "postmaster" } } });
  const slotsFail = problems(
    cluster({ 0: set("max_replication_slots", "1") }),
    "max_replication_slots",
  );
  assertEquals([slotsFail[0]!.severity, slotsFail[0]!.fix], [
    "FAIL",
    "ALTER SYSTEM SET max_replication_slots = '3'; -- then restart PostgreSQL",
  ]);
  const sendersWarn = problems(cluster({ 0: set("max_wal_senders", "2") }), "max_wal_senders");
  assertEquals(sendersWarn.map((p) => p.severity), ["WARN"]);
  assert(sendersWarn[0]!.seen.includes("no room for one more node"));
  assertEquals(
    problems(cluster({ 0: set("max_worker_processes", "3") }), "max_worker_processes")
      .map((p) => p.severity),
    ["FAIL"],
  );
});

Deno.test("max_slot_wal_keep_size -1 is a WARN sized from the free WAL space when readable", () => {
  const unset = { max_slot_wal_keep_size: { setting: "-1", unit: "MB", context: "sighup" } };
  const blind = problems(cluster({ 1: node(1, { settings: unset }) }), "max_slot_wal_keep_size");
  assertEquals(blind.map((p) => [p.severity, p.node, p.fix]), [[
    "WARN",
    "node2",
    "ALTER SYSTEM SET max_slot_wal_keep_size = '10240MB'; SELECT pg_catalog.pg_reload_conf();",
  ]]);
  const sized = node(1, { settings: unset, facts: { freeWalBytes: 100n * 1024n ** 3n } });
  const [p] = problems(cluster({ 1: sized }), "max_slot_wal_keep_size");
  assert(p!.fix!.includes("'51200MB'"), p!.fix!);
});

Deno.test("a pgactive.* setting that differs is a WARN towards the majority; max_nodes a FAIL", () => {
  const n = node(2, {
    settings: {
      "pgactive.log_conflicts_to_table": { setting: "off", unit: null, context: "sighup" },
      "pgactive.max_nodes": { setting: "8", unit: null, context: "postmaster" },
    },
  });
  const f = problems(cluster({ 2: n }), "pgactive_settings");
  assertEquals(f.map((p) => [p.severity, p.node, p.fix]), [
    [
      "WARN",
      "node3",
      "ALTER SYSTEM SET pgactive.log_conflicts_to_table = 'on'; SELECT pg_catalog.pg_reload_conf();",
    ],
    ["FAIL", "node3", "ALTER SYSTEM SET pgactive.max_nodes = '4'; -- then restart PostgreSQL"],
  ]);
});

Deno.test("versions: an older library or PostgreSQL is a WARN; the extension behind the library", () => {
  const old = node(1, {
    facts: {
      libraryVersion: "2.1.8-2026-01-01-",
      serverVersion: "15.19 (Debian)",
      extensionVersion: "2.1.8",
    },
  });
  const c = cluster({ 1: old });
  assertEquals(problems(c, "pgactive_version").map((p) => [p.node, p.seen]), [
    ["node2", "pgactive library 2.1.8, newest in the cluster 2.1.9"],
  ]);
  assertEquals(problems(c, "postgres_version").map((p) => p.node), ["node2"]);
  const behind = node(0, { facts: { extensionVersion: "2.1.8" } });
  assertEquals(problems(cluster({ 0: behind }), "extension_version").map((p) => p.fix), [
    "ALTER EXTENSION pgactive UPDATE TO '2.1.9';",
  ]);
});

Deno.test("a column on one node only: FAIL on each other node with ADD COLUMN", () => {
  const base = node(0).schema.tables[0]!;
  const wide = {
    ...base,
    columns: [...base.columns, {
      name: "extra",
      type: "integer",
      notNull: false,
      sequence: null,
      default: null,
    }],
  };
  const n1 = node(0, { schema: { tables: [wide] } });
  const f = problems(cluster({ 0: n1 }), "schema_drift");
  assertEquals(f.map((p) => [p.severity, p.node, p.fix]), [
    ["FAIL", "node2", "ALTER TABLE public.kv ADD COLUMN extra integer;"],
    ["FAIL", "node3", "ALTER TABLE public.kv ADD COLUMN extra integer;"],
  ]);
});

Deno.test("type, primary key and table drift are FAILs towards the majority", () => {
  const base = node(0).schema.tables[0]!;
  const bigint = { ...base, columns: [{ ...base.columns[0]!, type: "bigint" }, base.columns[1]!] };
  const f = problems(cluster({ 2: node(2, { schema: { tables: [bigint] } }) }), "schema_drift");
  assertEquals(f.map((p) => p.fix), [
    "ALTER TABLE public.kv ALTER COLUMN k TYPE integer USING k::integer;",
  ]);
  const nopk = { ...base, pk: null };
  const g = problems(cluster({ 1: node(1, { schema: { tables: [nopk] } }) }), "schema_drift");
  assertEquals(g.map((p) => [p.node, p.fix]), [[
    "node2",
    "ALTER TABLE public.kv ADD PRIMARY KEY (k);",
  ]]);
  const missing = problems(cluster({ 1: node(1, { schema: { tables: [] } }) }), "schema_drift");
  assertEquals(missing.map((p) => [p.node, p.fix]), [[
    "node2",
    "CREATE TABLE public.kv (k integer NOT NULL, v text, PRIMARY KEY (k));",
  ]]);
});

Deno.test("a table without a primary key on every node is one cluster FAIL with the key to add", () => {
  const t = {
    schema: "public",
    name: "events",
    columns: [
      { name: "id", type: "bigint", notNull: true, sequence: null, default: null },
      { name: "body", type: "text", notNull: false, sequence: null, default: null },
    ],
    pk: null,
    replicaIndex: false,
    uniques: [{ index: "events_id_key", constraint: null, columns: ["id"] }],
  };
  const nodes = [0, 1, 2].map((i) => node(i, { schema: { tables: [t] } }));
  assertEquals(problems(nodes, "primary_key").map((p) => [p.severity, p.node, p.fix]), [[
    "FAIL",
    null,
    "ALTER TABLE public.events ADD PRIMARY KEY (id); -- on every node",
  ]]);
  const withIdentity = [0, 1, 2].map((i) =>
    node(i, { schema: { tables: [{ ...t, replicaIndex: true }] } })
  );
  assertEquals(problems(withIdentity, "primary_key"), []);
});

Deno.test("sequences collide unless each node has its own offset; snowflake defaults are fine", () => {
  const seq = (start: bigint, increment: bigint) => ({
    schema: "public",
    name: "t_id_seq",
    type: "bigint",
    start,
    increment,
  });
  assertEquals(disjoint([seq(1n, 1n), seq(1n, 1n)]), false);
  assertEquals(disjoint([seq(1n, 10n), seq(2n, 10n), seq(3n, 10n)]), true);
  assertEquals(disjoint([seq(1n, 10n), seq(11n, 10n)]), false);
  assertEquals(disjoint([seq(1n, 2n), seq(2n, 2n), seq(3n, 2n)]), false);
  assertEquals([offsetStep(3), offsetStep(10), offsetStep(11)].map(String), ["10", "10", "100"]);
  const table = (def: string) => ({
    schema: "public",
    name: "t",
    columns: [{
      name: "id",
      type: "bigint",
      notNull: true,
      sequence: "public.t_id_seq",
      default: def,
    }],
    pk: { name: "t_pkey", columns: ["id"] },
    replicaIndex: false,
    uniques: [],
  });
  const at = (def: string, inc: (i: number) => [bigint, bigint]) =>
    [0, 1, 2].map((i) =>
      node(i, { schema: { tables: [table(def)], sequences: [seq(...inc(i))] } })
    );
  const serial = "nextval('t_id_seq'::regclass)";
  const f = problems(at(serial, () => [1n, 1n]), "sequence_collision");
  assertEquals(f.map((p) => p.node), ["node1", "node2", "node3"]);
  assert(f[1]!.fix!.includes("INCREMENT BY 10 START WITH %s RESTART WITH %s"), f[1]!.fix!);
  assert(f[1]!.fix!.includes("* 10 + 2 INTO next FROM public.t"), f[1]!.fix!);
  assertEquals(problems(at(serial, (i) => [BigInt(i + 1), 10n]), "sequence_collision"), []);
  const snowflake = "pgactive.pgactive_snowflake_id_nextval('t_id_seq'::regclass)";
  assertEquals(problems(at(snowflake, () => [1n, 1n]), "sequence_collision"), []);
});

Deno.test("an orphan slot is a FAIL with pg_drop_replication_slot; an inactive one a WARN", () => {
  const orphan = {
    name: "pgactive_16385_1234567890_0_16385__",
    plugin: "pgactive",
    database: "app",
    active: false,
    walStatus: "reserved",
    retainedBytes: 4096n,
  };
  const n1 = node(0);
  const withOrphan = node(0, { facts: { slots: [...n1.facts.slots, orphan] } });
  assertEquals(
    problems(cluster({ 0: withOrphan }), "slot_orphan").map((p) => [p.severity, p.fix]),
    [
      [
        "FAIL",
        "SELECT pg_catalog.pg_drop_replication_slot('pgactive_16385_1234567890_0_16385__');",
      ],
    ],
  );
  assertEquals(problems(cluster({ 0: withOrphan }), "slot_inactive"), []);
  const down = node(0, {
    facts: { slots: n1.facts.slots.map((s, j) => j === 0 ? { ...s, active: false } : s) },
  });
  const [p] = problems(cluster({ 0: down }), "slot_inactive");
  assertEquals(p!.severity, "WARN");
  assert(p!.seen.includes(`for node2`) && p!.fix!.includes("ARRAY['node2']"), p!.fix!);
  assert(n1.facts.slots[0]!.name.includes(SYSIDS[1]!));
});

Deno.test("slot_wal: lost is a FAIL, retained WAL above the free space a WARN", () => {
  const n1 = node(0);
  const lost = node(0, {
    facts: { slots: n1.facts.slots.map((s, j) => j === 1 ? { ...s, walStatus: "lost" } : s) },
  });
  const [p] = problems(cluster({ 0: lost }), "slot_wal");
  assertEquals([p!.severity, p!.fix], [
    "FAIL",
    "SELECT pgactive.pgactive_detach_nodes(ARRAY['node3']); -- then rejoin node3",
  ]);
  const full = node(0, { facts: { freeWalBytes: 100n } });
  assertEquals(problems(cluster({ 0: full }), "slot_wal").map((x) => x.severity), ["WARN"]);
});

Deno.test("privileges: one finding per node with every missing GRANT; no pgactive_nodes is a FAIL", () => {
  const n = node(1, { granted: { stats: false, nodes: false } });
  assertEquals(problems(cluster({ 1: n }), "privileges").map((p) => [p.severity, p.node, p.fix]), [[
    "FAIL",
    "node2",
    "GRANT SELECT ON pgactive.pgactive_nodes TO pgactive_monitor; " +
    "GRANT EXECUTE ON FUNCTION pgactive.pgactive_get_stats() TO pgactive_monitor;",
  ]]);
});

Deno.test("a report survives JSON and its validator; a bad one names the field", () => {
  const report = {
    checked_at: "2026-12-01T02:00:00.000Z",
    duration_ms: 12.5,
    status: "WARN",
    nodes: { node1: { read: true, error: null } },
    findings: run(cluster()),
  };
  assertEquals(parseDoctorReport(JSON.parse(JSON.stringify(report))), report);
  let message = "";
  try {
    parseDoctorReport({ ...report, findings: [{ ...report.findings[0], severity: "BAD" }] });
  } catch (err) {
    message = (err as Error).message;
  }
  assertEquals(message, "findings[0].severity: expected OK, WARN or FAIL");
});

Deno.test("a differing connection-options setting never shows its values", () => {
  const opt = (v: string) => ({
    settings: {
      "pgactive.extra_apply_connection_options": { setting: v, unit: null, context: "sighup" },
    },
  });
  const nodes = [node(0, opt("")), node(1, opt("password=hunter2")), node(2, opt(""))];
  const [p] = problems(nodes, "pgactive_settings");
  assertEquals(p!.node, "node2");
  assert(!JSON.stringify(p).includes("hunter2"), JSON.stringify(p));
  assertEquals(
    p!.fix,
    "ALTER SYSTEM SET pgactive.extra_apply_connection_options = '<the value on node1, node3>'; " +
      "SELECT pg_catalog.pg_reload_conf();",
  );
});

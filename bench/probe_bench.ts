/**
 * Probe benchmark against a 3-node sandbox. Medians of interleaved measurements (same machine
 * load): `select1`, `cycle` and `bare_probe` in one loop, the two other baselines in a second one
 * with its own `select1` (unprepared statements churn the backends' caches).
 *
 * - `select1`: a bare parallel `SELECT 1` to the nodes (postgres.js): the issue's baseline; goal
 *   cycle <= 2x this.
 * - `cycle`: a collector cycle, split into its probe phase (parallel probes with deadlines and
 *   decoding: `stats.lastCycleMs`) and what follows (snapshot building, bookkeeping).
 * - `bare_probe`: the SAME statements the collector sends (prepared, same parameters, workers on
 *   every 10th) over bare postgres.js in parallel: cycle / bare_probe is the collector's own cost.
 * - `bare_probe_unprepared`: the same, unprepared (what the collector sent before: postgres.js
 *   then needs two round trips per statement with parameters and the server parses and plans
 *   each time).
 * - `bare_probe_without_stand_ins`: the probe without pgactive_get_stats(),
 *   pgactive_get_last_applied_xact_info() and pgactive_is_apply_paused(), which real pgactive
 *   implements in C (shared-memory reads) and the sandbox emulates in SQL/plpgsql: an estimate of
 *   the probe's cost against real pgactive (pgactive_get_local_nodeid() stays: a plpgsql stand-in
 *   of a few microseconds).
 *
 * Plus one node serially, the probe's server-side planning/execution time (EXPLAIN ANALYZE of
 * the prepared statement) and statements per node per cycle (goal 1; on a warm connection each
 * is one Bind/Execute/Sync round trip). pg_stat_database.xact_commit is no cross-check: backends
 * flush those counters lazily (up to 10 s idle), so short windows under-count.
 *
 *   deno run -A bench/probe_bench.ts [cycles=200] [nodes=3]   (issue 13: run at 3 and 20 nodes)
 */
import postgres from "postgres";
import {
  buildSnapshot,
  Collector,
  CommitHistory,
  newCollectorState,
  type NodeOutcome,
} from "../lib/collector/mod.ts";
import {
  buildProbeSql,
  type Capabilities,
  CAPABILITIES_SQL,
  decodeCapabilitiesRow,
  type OptionalObject,
} from "../lib/pgactive/mod.ts";
import { startSandbox } from "../lib/sandbox/mod.ts";
import { testConfig } from "../tests/collector/sandbox_helpers.ts";
import { IDS, probe as fixtureProbe, THRESHOLDS } from "../tests/collector/fixtures.ts";

/**
 * The collector's CPU per link, from plain data (no sandbox): snapshot building at 10-80 nodes
 * (half of them DOWN in the second row: their pgactive_nodes status was searched in every
 * node's member list), and the commit-history lookups of one cycle at 20 nodes while one link
 * is stuck for an hour at 1 s (3,600 scans kept; every other link asked through all of them).
 * Flat us/link = linear in links.
 */
function cpuScaling(): void {
  const base = 7711616502476629437n;
  const extra = (i: number) => ({ sysid: String(base + BigInt(i)), timeline: 0, dboid: 16385 });
  const first3 = Object.keys(IDS).slice(0, 3);
  const setNodes = (n: number) => {
    for (const k of Object.keys(IDS)) if (!first3.includes(k)) delete IDS[k];
    for (let i = 4; i <= n; i++) IDS[`node${i}`] = extra(i);
  };
  const t0 = Date.parse("2026-11-24T06:11:29Z");
  console.log("collector CPU per link (plain data, median of 40 builds)");
  for (const down of [false, true]) {
    for (const n of [10, 20, 40, 80]) {
      setNodes(n);
      const outcomes: NodeOutcome[] = Object.keys(IDS).map((name, i) =>
        down && i % 2 === 1
          ? { name, result: null, error: "refused" }
          : { name, result: fixtureProbe(name), error: null }
      );
      const state = newCollectorState(60_000);
      const ctx = (v: number) => ({
        version: v,
        nowMs: t0 + v * 1000,
        cycleMs: 1,
        thresholds: THRESHOLDS,
      });
      for (let v = 1; v <= 20; v++) buildSnapshot(outcomes, ctx(v), state);
      const t: number[] = [];
      for (let v = 21; v <= 60; v++) {
        const a = performance.now();
        buildSnapshot(outcomes, ctx(v), state);
        t.push(performance.now() - a);
      }
      const med = quantile(t, 0.5);
      const links = n * (n - 1);
      console.log(
        `  ${down ? "half DOWN" : "all up   "} ${String(n).padStart(2)} nodes ${
          String(links).padStart(4)
        } links: ${med.toFixed(2).padStart(6)} ms, ${(med * 1000 / links).toFixed(2)} us/link`,
      );
    }
  }
  setNodes(3);
  const h = new CommitHistory();
  const commits = { count: 1, oldestMs: 0, newestMs: 0 };
  for (let i = 0; i < 3600; i++) {
    h.add(
      { ...commits, oldestMs: t0 + i * 1000, newestMs: t0 + i * 1000 },
      t0 + (i - 1) * 1000,
      t0 + i * 1000,
      BigInt(i * 100),
    );
  }
  const lookups: number[] = [];
  for (let r = 0; r < 50; r++) {
    const a = performance.now();
    // 20 nodes: per origin 18 links caught up to the last probe, 1 stuck at the first
    for (let o = 0; o < 20; o++) {
      for (let l = 0; l < 18; l++) h.unapplied(t0 + 3598 * 1000, 3598n * 100n);
      h.unapplied(t0, 0n);
    }
    lookups.push(performance.now() - a);
  }
  console.log(
    `  commit-history lookups of one 20-node cycle, 3,600 scans kept: ${
      quantile(lookups, 0.5).toFixed(3)
    } ms`,
  );
}

if (Deno.args.includes("--cpu-only")) {
  cpuScaling();
  Deno.exit(0);
}
cpuScaling();

const cycles = Number(Deno.args[0] ?? 200);
const nodeCount = Number(Deno.args[1] ?? 3);
/** As NodeConnection: workers on the first probe and every 10th after. */
const WORKERS_EVERY = 10;
/** Optional objects the sandbox emulates in SQL/plpgsql that pgactive implements in C. */
const STAND_INS: OptionalObject[] = ["stats", "last_applied", "apply_paused"];

type Sql = ReturnType<typeof postgres>;
type Figures = { median: number; p95: number };

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
}

function figures(xs: number[]): Figures {
  return { median: +quantile(xs, 0.5).toFixed(3), p95: +quantile(xs, 0.95).toFixed(3) };
}

function without(caps: Capabilities, objects: OptionalObject[]): Capabilities {
  return { ...caps, readable: new Set([...caps.readable].filter((o) => !objects.includes(o))) };
}

/** The probe shapes one connection sends: [light, full] (full = with workers). */
function shapes(caps: Capabilities): [string, string] {
  return [buildProbeSql(caps, { workers: false }), buildProbeSql(caps)];
}

/**
 * Conflict high-water, batch, and a steady-state local-commit scan: from the xid horizon when
 * the bench starts, commits after a second ago (as a collector's second and later probes).
 */
let PARAMS: (string | number)[] = ["0", 1000, "-1", new Date(0).toISOString()];

function probe(sql: Sql, [light, full]: [string, string], i: number, prepare: boolean) {
  return sql.unsafe(i % WORKERS_EVERY === 0 ? full : light, PARAMS, { prepare });
}

/** Median planning/execution ms of the prepared statement `text` (generic plan once warm). */
async function serverSide(sql: Sql, name: string, text: string) {
  await sql.unsafe(`PREPARE ${name}(bigint, int, bigint, timestamptz) AS ${text}`);
  const args = `0, 1000, ${PARAMS[2]}, '${PARAMS[3]}'`;
  for (let i = 0; i < 10; i++) await sql.unsafe(`EXECUTE ${name}(${args})`);
  const planning: number[] = [];
  const execution: number[] = [];
  for (let i = 0; i < 30; i++) {
    const rows = await sql.unsafe(
      `EXPLAIN (ANALYZE, TIMING OFF, SUMMARY) EXECUTE ${name}(${args})`,
    );
    const out = rows.map((r) => String(Object.values(r)[0])).join("\n");
    planning.push(Number(/Planning Time: ([\d.]+)/.exec(out)?.[1]));
    execution.push(Number(/Execution Time: ([\d.]+)/.exec(out)?.[1]));
  }
  return { planning: quantile(planning, 0.5), execution: quantile(execution, 0.5) };
}

await using sb = await startSandbox({ nodes: nodeCount });
await sb.waitForCatchUp();
const open = (prepare: boolean) =>
  sb.nodes.map((n) => postgres(n.dsn, { max: 1, prepare, fetch_types: false, onnotice: () => {} }));
const bare = open(true);
const unprepared = open(false);
const caps = decodeCapabilitiesRow((await sb.query("node1", CAPABILITIES_SQL))[0]!);
// The sandbox's nodes share no xid horizon, but each scan covers only xids since node1's
// horizon: at most the few xids the sandbox burns while the bench runs.
const [horizon] = await sb.query(
  "node1",
  "SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS x, (now() - interval '1 s')::text AS t",
);
PARAMS = ["0", 1000, String(horizon!["x"]), String(horizon!["t"])];
const probeSql = shapes(caps);
const noStandIns = shapes(without(caps, STAND_INS));
const collector = new Collector(testConfig(sb.nodes));
const ms: Record<string, number[]> = {};
async function time(key: string, fn: () => Promise<unknown>): Promise<void> {
  const t = performance.now();
  await fn();
  (ms[key] ??= []).push(performance.now() - t);
}
try {
  // warm up (connections, capabilities, prepared statements and their generic plans)
  for (let i = 0; i < 20; i++) {
    await Promise.all(bare.map((sql) => sql.unsafe("SELECT 1")));
    await Promise.all(bare.map((sql) => probe(sql, probeSql, i, true)));
    await Promise.all(bare.map((sql) => probe(sql, noStandIns, i, true)));
    await Promise.all(unprepared.map((sql) => probe(sql, probeSql, i, false)));
    await collector.runCycle();
  }
  const sentBefore = collector.statementsSent();
  for (let i = 0; i < cycles; i++) {
    await time("select1", () => Promise.all(bare.map((sql) => sql.unsafe("SELECT 1"))));
    await time("cycle", () => collector.runCycle());
    const probePhase = collector.stats.lastCycleMs!;
    (ms["probe_phase"] ??= []).push(probePhase);
    (ms["after_probes"] ??= []).push(ms["cycle"]!.at(-1)! - probePhase);
    await time("bare_probe", () => Promise.all(bare.map((sql) => probe(sql, probeSql, i, true))));
  }
  const sentAfter = collector.statementsSent();
  const perNode = sb.nodes.map((n) => (sentAfter[n.name]! - sentBefore[n.name]!) / cycles);
  // A separate loop: unprepared statements churn the backends' caches and would slow the cycle.
  for (let i = 0; i < cycles; i++) {
    await time("select1_b", () => Promise.all(bare.map((sql) => sql.unsafe("SELECT 1"))));
    await time(
      "bare_probe_unprepared",
      () => Promise.all(unprepared.map((sql) => probe(sql, probeSql, i, false))),
    );
    await time(
      "bare_probe_without_stand_ins",
      () => Promise.all(bare.map((sql) => probe(sql, noStandIns, i, true))),
    );
  }
  const one = bare[0]!;
  for (let i = 0; i < cycles; i++) {
    await time("one_select1", () => one.unsafe("SELECT 1"));
    await time("one_light", () => probe(one, probeSql, 1, true));
    await time("one_full", () => probe(one, probeSql, 0, true));
    await time("one_light_without_stand_ins", () => probe(one, noStandIns, 1, true));
  }
  const med = (key: string) => quantile(ms[key]!, 0.5);
  const ratio = (a: string, b: string) => +(med(a) / med(b)).toFixed(2);
  const report = {
    nodes: nodeCount,
    links: nodeCount * (nodeCount - 1),
    cycles,
    select1_parallel_ms: figures(ms["select1"]!),
    cycle_ms: figures(ms["cycle"]!),
    ratio_cycle_vs_select1: ratio("cycle", "select1"),
    bare_probe_parallel_ms: figures(ms["bare_probe"]!),
    ratio_cycle_vs_bare_probe: ratio("cycle", "bare_probe"),
    ratio_bare_probe_vs_select1: ratio("bare_probe", "select1"),
    cycle_breakdown_median_ms: {
      probe_phase: +med("probe_phase").toFixed(3),
      after_probes: +med("after_probes").toFixed(3),
    },
    // Second loop (own SELECT 1 baseline, for the ratio below).
    select1_parallel_second_loop_ms: figures(ms["select1_b"]!),
    bare_probe_unprepared_parallel_ms: figures(ms["bare_probe_unprepared"]!),
    bare_probe_without_stand_ins_parallel_ms: figures(ms["bare_probe_without_stand_ins"]!),
    ratio_without_stand_ins_vs_select1: ratio("bare_probe_without_stand_ins", "select1_b"),
    one_node_serial_median_ms: {
      select1: +med("one_select1").toFixed(3),
      probe: +med("one_light").toFixed(3),
      probe_with_workers: +med("one_full").toFixed(3),
      probe_without_stand_ins: +med("one_light_without_stand_ins").toFixed(3),
    },
    probe_server_side_median_ms: {
      probe: await serverSide(one, "bench_probe", probeSql[0]),
      probe_with_workers: await serverSide(one, "bench_probe_full", probeSql[1]),
      probe_without_stand_ins: await serverSide(one, "bench_probe_bare", noStandIns[0]),
    },
    statements_per_node_per_cycle: perNode,
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await collector.stop();
  await Promise.all([...bare, ...unprepared].map((sql) => sql.end({ timeout: 1 })));
}

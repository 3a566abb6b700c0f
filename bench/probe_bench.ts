/**
 * Probe benchmark against a 3-node sandbox: a collector cycle's wall time as a ratio to a bare
 * parallel `SELECT 1` to the same nodes in the same run (goal <= 2x), and statements (round
 * trips) per node per cycle (goal 1), as counted by the connections (each is one
 * Parse/Bind/Execute/Sync exchange). pg_stat_database.xact_commit is no cross-check: backends
 * flush those counters lazily (up to 10 s idle), so short windows under-count. Also reports the
 * probe's server-side planning/execution time (EXPLAIN ANALYZE).
 *
 *   deno run -A bench/probe_bench.ts [cycles=200]
 */
import postgres from "postgres";
import { Collector } from "../lib/collector/mod.ts";
import { buildProbeSql, CAPABILITIES_SQL, decodeCapabilitiesRow } from "../lib/pgactive/mod.ts";
import { startSandbox } from "../lib/sandbox/mod.ts";
import { testConfig } from "../tests/collector/sandbox_helpers.ts";

const cycles = Number(Deno.args[0] ?? 200);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length * 0.95)]!;
}

await using sb = await startSandbox({ nodes: 3 });
await sb.waitForCatchUp();
const bare = sb.nodes.map((n) =>
  postgres(n.dsn, { max: 1, prepare: false, fetch_types: false, onnotice: () => {} })
);
const collector = new Collector(testConfig(sb.nodes));
try {
  // warm up both (connections, capabilities)
  for (let i = 0; i < 10; i++) {
    await Promise.all(bare.map((sql) => sql.unsafe("SELECT 1")));
    await collector.runCycle();
  }
  const sentBefore = collector.statementsSent();
  const bareMs: number[] = [];
  const cycleMs: number[] = [];
  for (let i = 0; i < cycles; i++) {
    // interleaved so both see the same machine load
    let t = performance.now();
    await Promise.all(bare.map((sql) => sql.unsafe("SELECT 1")));
    bareMs.push(performance.now() - t);
    t = performance.now();
    await collector.runCycle();
    cycleMs.push(performance.now() - t);
  }
  const sentAfter = collector.statementsSent();
  const perNode = sb.nodes.map((n) => (sentAfter[n.name]! - sentBefore[n.name]!) / cycles);
  // Where the probe's time goes on the server (planning is repeated: prepare is off).
  const caps = decodeCapabilitiesRow((await sb.query("node1", CAPABILITIES_SQL))[0]!);
  const probeText = buildProbeSql(caps, { workers: false })
    .replaceAll("$1::bigint", "0::bigint").replaceAll("$2::int", "1000::int");
  const server = { planning_ms: [] as number[], execution_ms: [] as number[] };
  for (let i = 0; i < 30; i++) {
    const rows = await sb.query("node1", `EXPLAIN (ANALYZE, SUMMARY) ${probeText}`);
    const text = rows.map((r) => String(Object.values(r)[0])).join("\n");
    server.planning_ms.push(Number(/Planning Time: ([\d.]+)/.exec(text)?.[1]));
    server.execution_ms.push(Number(/Execution Time: ([\d.]+)/.exec(text)?.[1]));
  }
  const report = {
    cycles,
    bare_parallel_select1_ms: { median: +median(bareMs).toFixed(2), p95: +p95(bareMs).toFixed(2) },
    cycle_ms: { median: +median(cycleMs).toFixed(2), p95: +p95(cycleMs).toFixed(2) },
    ratio_median: +(median(cycleMs) / median(bareMs)).toFixed(2),
    statements_per_node_per_cycle: perNode,
    probe_server_side_ms: {
      planning_median: median(server.planning_ms),
      execution_median: median(server.execution_ms),
    },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await collector.stop();
  await Promise.all(bare.map((sql) => sql.end({ timeout: 1 })));
}

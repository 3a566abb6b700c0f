/**
 * Scale benchmark: 100 monitored nodes (databases created with the pgactive schema, spread over
 * a 3-instance sandbox). The collector runs in a child process (as in production, without the
 * sandbox's own pools in its heap) and reports one cold cycle (connect + capabilities), warm
 * cycles' wall time (goal < 500 ms) and its RSS (goal < 150 MB).
 *
 *   deno run -A bench/scale_bench.ts [nodes=100]
 */
import { Collector } from "../lib/collector/mod.ts";
import { startSandbox } from "../lib/sandbox/mod.ts";
import { testConfig } from "../tests/collector/sandbox_helpers.ts";

type NodeList = { name: string; dsn: string }[];

async function child(): Promise<void> {
  const nodes = JSON.parse(await new Response(Deno.stdin.readable).text()) as NodeList;
  const collector = new Collector(testConfig(nodes, { intervalMs: 2000, probeTimeoutMs: 1500 }));
  try {
    let t = performance.now();
    await collector.runCycle();
    const coldMs = performance.now() - t;
    const warm: number[] = [];
    for (let i = 0; i < 20; i++) {
      t = performance.now();
      await collector.runCycle();
      warm.push(performance.now() - t);
    }
    warm.sort((a, b) => a - b);
    const last = collector.latest!.snapshot;
    const statuses: Record<string, number> = {};
    for (const n of Object.values(last.nodes)) statuses[n.status] = (statuses[n.status] ?? 0) + 1;
    console.log(JSON.stringify({
      nodes: nodes.length,
      cold_cycle_ms: Math.round(coldMs),
      warm_cycle_ms: {
        median: +warm[warm.length >> 1]!.toFixed(1),
        max: +warm.at(-1)!.toFixed(1),
      },
      snapshot_json_bytes: JSON.stringify(last).length,
      statuses,
      probe_errors: Object.values(collector.stats.probeErrors).reduce((a, b) => a + b, 0),
      rss_mb: +(Deno.memoryUsage().rss / 2 ** 20).toFixed(1),
      heap_used_mb: +(Deno.memoryUsage().heapUsed / 2 ** 20).toFixed(1),
    }));
  } finally {
    await collector.stop();
  }
}

async function main(count: number): Promise<void> {
  await using sb = await startSandbox({ nodes: 3 });
  const nodes: NodeList = [];
  const created = performance.now();
  for (let i = 0; i < count; i++) {
    const host = sb.nodes[i % sb.nodes.length]!.name;
    const db = `scale_${String(i + 1).padStart(3, "0")}`;
    nodes.push({ name: db, dsn: await sb.createDatabase(host, db) });
  }
  const createMs = performance.now() - created;
  const proc = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", import.meta.filename!, "--child"],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const w = proc.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(nodes)));
  await w.close();
  const out = await proc.output();
  const report = JSON.parse(new TextDecoder().decode(out.stdout));
  console.log(JSON.stringify({ create_databases_ms: Math.round(createMs), ...report }, null, 2));
}

if (Deno.args.includes("--child")) await child();
else await main(Number(Deno.args[0] ?? 100));

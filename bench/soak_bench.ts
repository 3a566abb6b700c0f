/**
 * Soak: the server wired as pgactive-server wires it (collector on a 3-node sandbox with a write
 * load, SQLite store, version lease, hub, HTTP API), 1,000 /watch clients in a child process and
 * wrk on /snapshot for 60 s, all on loopback. Reports missed versions (a client that skipped a
 * version published while it was connected; must be 0), publish-to-receipt p50/p99 (goal p99 <
 * 100 ms), server RSS per watcher, collector drift (cycle start after its scheduled tick) and
 * skipped cycles, and wrk's throughput.
 *
 *   deno run -A --v8-flags=--expose-gc bench/soak_bench.ts [--watchers 1000] [--seconds 60]
 *     [--interval 500ms] [--connections 32] [--json PATH]
 */
import { parseArgs } from "node:util";
import { Collector } from "../lib/collector/mod.ts";
import { parseConfig } from "../lib/config/mod.ts";
import { startSandbox } from "../lib/sandbox/mod.ts";
import { Hub, startServer } from "../lib/server/mod.ts";
import { Store, VersionLease } from "../lib/store/mod.ts";
import { now, quantile, type Receipts, runClientProcess, spawnClients } from "./sse_clients.ts";

const flags = parseArgs({
  args: Deno.args,
  options: {
    watchers: { type: "string", default: "1000" },
    seconds: { type: "string", default: "60" },
    interval: { type: "string", default: "500ms" },
    connections: { type: "string", default: "32" },
    json: { type: "string" },
    client: { type: "string" }, // internal: run as the client process against this URL
  },
}).values;
const WATCHERS = Number(flags.watchers);
const SECONDS = Number(flags.seconds);

if (flags.client) await runClientProcess(flags.client, WATCHERS);
else await soak();

/** wrk for `seconds` on `url`: requests per second, p99 latency text, errors. */
async function wrk(url: string, seconds: number): Promise<Record<string, string | number>> {
  const out = await new Deno.Command("wrk", {
    args: ["-t2", `-c${flags.connections}`, `-d${seconds}s`, "--latency", url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  return {
    requests_per_second: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN),
    latency_p99: /^\s+99%\s+(\S+)/m.exec(text)?.[1] ?? "?",
    non_2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0),
    socket_errors: /Socket errors: (.*)/.exec(text)?.[1] ?? "none",
  };
}

/** Versions published while a client was connected (first to last receipt) that it never got. */
function missedVersions(clients: Receipts[], published: number[]): number {
  let missed = 0;
  for (const receipts of clients) {
    if (receipts.length === 0) continue;
    const got = new Set(receipts.map(([v]) => v));
    const first = receipts[0]![0];
    const last = receipts.at(-1)![0];
    missed += published.filter((v) => v > first && v < last && !got.has(v)).length;
  }
  return missed;
}

async function soak(): Promise<void> {
  await using sb = await startSandbox({ nodes: 3 });
  const load = sb.startLoad("node1", { rowsPerSecond: 5 });
  const dir = await Deno.makeTempDir({ prefix: "pgactive-soak-" });
  const config = parseConfig(
    sb.configYaml({ interval: flags.interval, listen: "127.0.0.1:1", databasePath: `${dir}/s.db` }),
  );
  const store = Store.open(config.database.path);
  const lease = VersionLease.open(`${config.database.path}-version`);
  const hub = new Hub();
  const published = new Map<number, { at: number; collectedAt: number }>();
  hub.onPublish((e) => {
    published.set(e.version, { at: now(), collectedAt: Date.parse(e.snapshot.collected_at) });
  });
  const collector = new Collector(config, {
    initialVersion: Math.max(store.lastVersion(), lease.floor),
    onCycle: (result) => {
      lease.publish(result.snapshot.version);
      hub.publish(result);
      store.write(result);
      store.prune();
    },
  });
  const server = await startServer({ config, hub, store, port: 0, hostname: "127.0.0.1" });
  collector.start();
  try {
    const gc = () => (globalThis as { gc?: () => void }).gc?.();
    while (hub.latest === null) await new Promise((r) => setTimeout(r, 50));
    gc();
    const rssBefore = Deno.memoryUsage().rss;
    const args = ["--watchers", String(WATCHERS), "--client", `${server.url}/watch`];
    const clients = spawnClients(import.meta.filename!, args);
    await clients.ready;
    gc();
    const rssAfter = Deno.memoryUsage().rss;
    const watchers = hub.subscriberCount;
    const from = hub.latest!.version;
    const skippedBefore = collector.stats.skippedCycles;
    const wrkFigures = await wrk(`${server.url}/snapshot`, SECONDS);
    const to = hub.latest!.version;
    await new Promise((r) => setTimeout(r, 1_000));
    await server.shutdown(); // ends the streams: the child prints its receipts
    const receipts = await clients.receipts;

    const window = [...published.entries()].filter(([v]) => v > from && v <= to);
    const latencies: number[] = [];
    for (const client of receipts) {
      for (const [v, at] of client.slice(1)) {
        const p = published.get(v);
        if (p && v > from && v <= to) latencies.push(at - p.at);
      }
    }
    const intervalMs = config.collector.intervalMs;
    const t0 = window[0]?.[1].collectedAt ?? 0;
    const drift = window.map(([, p]) => {
      const late = (p.collectedAt - t0) % intervalMs;
      return late > intervalMs / 2 ? late - intervalMs : late;
    });
    const figures = {
      seconds: SECONDS,
      interval_ms: intervalMs,
      watchers,
      versions_published: window.length,
      missed_versions: missedVersions(receipts, window.map(([v]) => v)),
      receipts: latencies.length,
      publish_to_receipt_ms: {
        p50: +quantile(latencies, 0.5).toFixed(1),
        p99: +quantile(latencies, 0.99).toFixed(1),
        max: +quantile(latencies, 1).toFixed(1),
      },
      rss_mb: {
        before: +(rssBefore / 1e6).toFixed(1),
        with_watchers: +(rssAfter / 1e6).toFixed(1),
      },
      rss_per_watcher_kb: +((rssAfter - rssBefore) / watchers / 1024).toFixed(1),
      collector_drift_ms: {
        p50: +quantile(drift, 0.5).toFixed(1),
        p99: +quantile(drift, 0.99).toFixed(1),
        max: +quantile(drift, 1).toFixed(1),
      },
      skipped_cycles: collector.stats.skippedCycles - skippedBefore,
      store_write_errors: store.writeErrors,
      wrk_snapshot: wrkFigures,
    };
    console.log(JSON.stringify(figures, null, 2));
    if (flags.json) await Deno.writeTextFile(flags.json, JSON.stringify(figures, null, 2) + "\n");
  } finally {
    await server.shutdown();
    await collector.stop();
    await load.stop();
    lease.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

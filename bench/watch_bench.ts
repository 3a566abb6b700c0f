/**
 * /watch fan-out: N concurrent SSE clients (a subprocess of fetch readers) on a real server.
 * Reports publish-to-receipt p50/p99 (goal p99 < 100 ms), server RSS per watcher (goal < 30 KB)
 * and the duration of the hub's publish() call with every watcher attached (the collector's cost).
 *
 *   deno run -A --v8-flags=--expose-gc bench/watch_bench.ts [--clients 1000] [--versions 40] [--every 250]
 *
 * `--baseline` serves the same first frame from a bare Deno.serve handler with a minimal
 * ReadableStream body instead of the app, to show the runtime's own cost per streaming response.
 */
import { parseArgs } from "node:util";
import { Hub, startServer } from "../lib/server/mod.ts";
import { cycle, testConfig } from "../tests/server/fixtures.ts";
import { now, quantile as q, runClientProcess, spawnClients } from "./sse_clients.ts";

const flags = parseArgs({
  args: Deno.args,
  options: {
    clients: { type: "string", default: "1000" },
    versions: { type: "string", default: "40" },
    every: { type: "string", default: "250" },
    baseline: { type: "boolean", default: false },
    client: { type: "string" }, // internal: run as the client process against this URL
  },
}).values;
const CLIENTS = Number(flags.clients);

if (flags.client) await runClientProcess(flags.client, CLIENTS);
else await runServer();

/** The app on a real port, or (baseline) a bare Deno.serve streaming the same first frame. */
async function serve(
  hub: Hub,
): Promise<{ url: string; watchers(): number; close(): Promise<void> }> {
  if (!flags.baseline) {
    const server = await startServer({ config: testConfig(), hub, port: 0, keepAliveMs: 15_000 });
    return { url: server.url, watchers: () => hub.subscriberCount, close: server.shutdown };
  }
  const open = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const frame = hub.latest!.frame;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    let sent = false;
    let ctl!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => void open.add(ctl = c),
      pull: (c) => void (sent ? undefined : (sent = true, c.enqueue(frame))),
      cancel: () => void open.delete(ctl),
    }, { highWaterMark: 0 });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    watchers: () => open.size,
    close: async () => {
      for (const c of open) c.close();
      await server.shutdown();
    },
  };
}

async function runServer(): Promise<void> {
  const hub = new Hub();
  hub.publish(cycle(1));
  const server = await serve(hub);
  const clients = spawnClients(import.meta.filename!, [
    "--clients",
    String(CLIENTS),
    "--client",
    `${server.url}/watch`,
  ]);

  const gc = () => (globalThis as { gc?: () => void }).gc?.();
  gc();
  const rssBefore = Deno.memoryUsage().rss;
  await clients.ready;
  gc();
  const rssAfter = Deno.memoryUsage().rss;
  const watchers = server.watchers();

  const rssLine = `${
    flags.baseline ? "baseline (bare Deno.serve + ReadableStream)" : "server"
  } RSS: ${(rssBefore / 1e6).toFixed(1)} MB before, ${
    (rssAfter / 1e6).toFixed(1)
  } MB with ${watchers} watchers = ${
    ((rssAfter - rssBefore) / watchers / 1024).toFixed(1)
  } KB per watcher (goal < 30 KB)`;
  const published = new Map<number, number>();
  const publishMs: number[] = [];
  for (let v = 2; v < 2 + (flags.baseline ? 0 : Number(flags.versions)); v++) {
    const result = cycle(v);
    const t0 = now();
    hub.publish(result);
    const t1 = now();
    published.set(v, t0);
    publishMs.push(t1 - t0);
    await new Promise((r) => setTimeout(r, Number(flags.every)));
  }
  await new Promise((r) => setTimeout(r, 500));
  await server.close(); // ends the streams: the client prints its receipts and exits
  const receipts: Record<string, number[]> = {};
  for (const client of await clients.receipts) {
    for (const [version, at] of client.slice(1)) (receipts[version] ??= []).push(at);
  }

  const latencies: number[] = [];
  let missing = 0;
  for (const [v, t] of published) {
    const got = receipts[v] ?? [];
    missing += CLIENTS - got.length;
    for (const at of got) latencies.push(at - t);
  }
  if (flags.baseline) return console.log(rssLine);
  console.log(`watchers: ${watchers} (server saw), versions published: ${published.size}`);
  console.log(
    `publish->receipt: p50 ${q(latencies, 0.5).toFixed(1)} ms, p99 ${
      q(latencies, 0.99).toFixed(1)
    } ms, max ${
      q(latencies, 1).toFixed(1)
    } ms (goal p99 < 100 ms) over ${latencies.length} receipts, ${missing} skipped/missing`,
  );
  console.log(rssLine);
  console.log(
    `hub.publish() with ${watchers} watchers: p50 ${q(publishMs, 0.5).toFixed(2)} ms, max ${
      q(publishMs, 1).toFixed(2)
    } ms`,
  );
}

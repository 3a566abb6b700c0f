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
const now = () => performance.timeOrigin + performance.now();

if (flags.client) await runClients(flags.client, CLIENTS);
else await runServer();

/**
 * Client process: N raw HTTP/1.1 connections (cheaper than fetch, so the client's own CPU does
 * not dominate the figures); prints "ready" once every stream has its first event, then one
 * JSON line of receipt times per version when the server ends the streams.
 */
async function runClients(url: string, n: number): Promise<void> {
  const { hostname, port, pathname } = new URL(url);
  const request = new TextEncoder().encode(
    `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`,
  );
  const receipts: Record<string, number[]> = {};
  let firsts = 0;
  const conns = await Promise.all(
    Array.from({ length: n }, () => Deno.connect({ hostname, port: Number(port) })),
  );
  const readers = conns.map(async (conn) => {
    await conn.write(request);
    const buf = new Uint8Array(64 * 1024);
    let first = true;
    let carry = new Uint8Array(0);
    while (true) {
      const got = await conn.read(buf).catch(() => null);
      if (got === null) break;
      const at = now();
      const bytes = carry.length ? concat(carry, buf.subarray(0, got)) : buf.subarray(0, got);
      for (const version of eventIds(bytes)) {
        if (first) {
          first = false;
          if (++firsts === n) console.log("ready");
        } else (receipts[version] ??= []).push(at);
      }
      // Keep the last (possibly incomplete) line so an id split across reads is still seen.
      const tail = bytes.slice(-24);
      const nl = tail.lastIndexOf(10);
      carry = nl >= 0 ? tail.subarray(nl) : new Uint8Array(0);
    }
    conn.close();
  });
  await Promise.all(readers);
  console.log(JSON.stringify(receipts));
}

/** Versions of the `\nid: <v>\n` lines in a chunk (JSON data never holds a raw newline). */
function* eventIds(bytes: Uint8Array): Generator<string> {
  let at = bytes.indexOf(10);
  while (at >= 0 && at + 5 < bytes.length) {
    if (bytes[at + 1] === 105 && bytes[at + 2] === 100 && bytes[at + 3] === 58) {
      const end = bytes.indexOf(10, at + 5);
      if (end < 0) break;
      yield new TextDecoder().decode(bytes.subarray(at + 5, end));
    }
    at = bytes.indexOf(10, at + 1);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

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
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      import.meta.filename!,
      "--clients",
      String(CLIENTS),
      "--client",
      `${server.url}/watch`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).values();
  const readLine = (() => {
    let buffer = "";
    return async (): Promise<string> => {
      while (!buffer.includes("\n")) {
        const { value, done } = await lines.next();
        if (done) throw new Error("client process ended early");
        buffer += value;
      }
      const at = buffer.indexOf("\n");
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      return line;
    };
  })();

  const gc = () => (globalThis as { gc?: () => void }).gc?.();
  gc();
  const rssBefore = Deno.memoryUsage().rss;
  if ((await readLine()) !== "ready") throw new Error("client did not get ready");
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
  const receipts = JSON.parse(await readLine()) as Record<string, number[]>;
  await child.status;

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

function q(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

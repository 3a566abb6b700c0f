/**
 * /snapshot throughput: the hono app (pre-serialised body) against raw Deno.serve serving the same
 * bytes, both measured with wrk in the same run. Goal: app >= 0.8x raw.
 *
 *   deno run -A bench/http_bench.ts [--duration 8] [--connections 50] [--rounds 2]
 */
import { parseArgs } from "node:util";
import { Hub, startServer } from "../lib/server/mod.ts";
import { cycle, testConfig } from "../tests/server/fixtures.ts";

const flags = parseArgs({
  args: Deno.args,
  options: {
    duration: { type: "string", default: "8" },
    connections: { type: "string", default: "50" },
    rounds: { type: "string", default: "2" },
  },
}).values;

async function wrk(url: string): Promise<number> {
  const out = await new Deno.Command("wrk", {
    args: ["-t2", `-c${flags.connections}`, `-d${flags.duration}s`, url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(text);
  if (!out.success || !m) {
    throw new Error(`wrk failed: ${text}${new TextDecoder().decode(out.stderr)}`);
  }
  if (/Non-2xx/.test(text)) throw new Error(`wrk saw errors:\n${text}`);
  return Number(m[1]);
}

const hub = new Hub();
hub.publish(cycle(1));
const bytes = hub.latest!.body;

const raw = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  () =>
    new Response(bytes, {
      headers: { "content-type": "application/json", etag: '"1"', "cache-control": "no-cache" },
    }),
);
const app = await startServer({ config: testConfig(), hub, port: 0 });

try {
  const rawUrl = `http://127.0.0.1:${raw.addr.port}/snapshot`;
  const appUrl = `${app.url}/snapshot`;
  const check = await fetch(appUrl);
  if (check.status !== 200) throw new Error(`/snapshot answered ${check.status}`);
  await check.body?.cancel();
  await wrk(rawUrl); // warm-up both (JIT)
  await wrk(appUrl);
  const results: { raw: number; app: number }[] = [];
  for (let i = 0; i < Number(flags.rounds); i++) {
    results.push({ raw: await wrk(rawUrl), app: await wrk(appUrl) });
  }
  const best = (k: "raw" | "app") => Math.max(...results.map((r) => r[k]));
  console.log(`snapshot body: ${bytes.length} bytes, ${flags.connections} connections`);
  for (const [i, r] of results.entries()) {
    console.log(
      `round ${i + 1}: raw ${r.raw.toFixed(0)} req/s, app ${r.app.toFixed(0)} req/s, ratio ${
        (r.app / r.raw).toFixed(2)
      }`,
    );
  }
  const ratio = best("app") / best("raw");
  console.log(
    `best: raw ${best("raw").toFixed(0)} req/s, app ${best("app").toFixed(0)} req/s, ratio ${
      ratio.toFixed(2)
    } (goal >= 0.80) ${ratio >= 0.8 ? "OK" : "MISSED"}`,
  );
} finally {
  await app.shutdown();
  await raw.shutdown();
}

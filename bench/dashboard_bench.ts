/// <reference lib="dom" />
/**
 * The dashboard's figures: page weight (raw and gzip), time to first render in Chromium against
 * main_server.ts on a 3-node sandbox (fresh browser context each time: no cache), and the server's
 * cost of open dashboards (CPU time and RSS of the server process, from /proc, over a window with
 * none open, then with them following /watch): `--pages` real Chromium pages, then `--clients`
 * simulated dashboards (a subprocess making the page's requests, the watch through the SDK as the
 * page does). 100 real pages do not fit in 2 cores beside the server: the browser starves it.
 *
 *   deno run -A bench/dashboard_bench.ts [--pages 10] [--clients 100] [--window 30] [--interval 2s]
 */
import { parseArgs } from "node:util";
import { startSandbox } from "../lib/sandbox/mod.ts";
import { Client } from "../lib/sdk/mod.ts";
import { DASHBOARD_BYTES } from "../lib/web/mod.ts";
import { PAGE_HTML } from "../lib/web/page.gen.ts";
import { launch } from "../tests/web/browser.ts";
import { startServerProcess } from "../tests/web/server_process.ts";

const flags = parseArgs({
  args: Deno.args,
  options: {
    pages: { type: "string", default: "10" },
    clients: { type: "string", default: "100" },
    simulate: { type: "string" }, // internal: run as the simulated dashboards against this URL
    window: { type: "string", default: "30" },
    interval: { type: "string", default: "2s" },
    loads: { type: "string", default: "10" },
  },
}).values;
const PAGES = Number(flags.pages);
const CLIENTS = Number(flags.clients);
const WINDOW_MS = Number(flags.window) * 1000;
const TICK = 100; // clock ticks per second (/proc/<pid>/stat utime, stime)

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) and RSS bytes of a process. */
function usage(pid: number): { cpu: number; rss: number } {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpu = (Number(fields[11]) + Number(fields[12])) / TICK;
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))![1]) *
    1024;
  return { cpu, rss };
}

/** CPU share (% of one core) and RSS at the end of a window of `ms`. */
async function measure(pid: number, ms: number) {
  const a = usage(pid);
  const t0 = performance.now();
  await sleep(ms);
  const b = usage(pid);
  return { cpuPct: (100 * (b.cpu - a.cpu)) / ((performance.now() - t0) / 1000), rss: b.rss };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Simulated dashboards (subprocess): each makes the page's requests (/, /health, /watch through
 * the SDK, then /conflicts and one /history per node); prints "ready" once all have a snapshot,
 * then follows /watch until killed.
 */
async function simulate(url: string, n: number): Promise<void> {
  let ready = 0;
  const from = new Date(Date.now() - 3_600_000).toISOString();
  await Promise.all(Array.from({ length: n }, async () => {
    await (await fetch(`${url}/`, { headers: { "accept-encoding": "gzip" } })).arrayBuffer();
    await (await fetch(`${url}/health`)).arrayBuffer();
    let first = true;
    const client = new Client(url);
    for await (const snap of client.watchSnapshots()) {
      if (!first) continue;
      first = false;
      await client.getConflicts({ limit: 50 });
      for (const node of Object.keys(snap.nodes)) {
        await (await fetch(`${url}/history?node=${node}&from=${from}&limit=10000`)).arrayBuffer();
      }
      if (++ready === n) console.log("ready");
    }
  }));
}

/** Opens dashboards with `open` (resolves when all have a snapshot) and reports the server cost. */
async function cost(what: string, pid: number, n: number, open: () => Promise<void>) {
  const idle = await measure(pid, WINDOW_MS);
  const before = usage(pid);
  const t0 = performance.now();
  await open();
  const opened = usage(pid);
  const openMs = performance.now() - t0;
  const busy = await measure(pid, WINDOW_MS);
  const perLoad = ((opened.cpu - before.cpu) * 1000) / n;
  console.log(
    `${n} ${what}: opening took ${perLoad.toFixed(1)} ms of server CPU per dashboard (${
      (openMs / 1000).toFixed(1)
    } s wall); then ${busy.cpuPct.toFixed(1)}% of a core vs ${idle.cpuPct.toFixed(1)}% with none` +
      ` open, RSS ${mb(busy.rss)} vs ${mb(idle.rss)} (${
        kb((busy.rss - idle.rss) / n)
      } per dashboard)`,
  );
}

/** The three figures, in order. */
async function main(): Promise<void> {
  // 1. Weight.
  const script = /<script type="module">([\s\S]*?)<\/script>/.exec(PAGE_HTML)![1]!;
  const style = /<style>([\s\S]*?)<\/style>/.exec(PAGE_HTML)![1]!;
  const enc = new TextEncoder();
  const gz = await new Response(
    new Blob([enc.encode(PAGE_HTML)]).stream().pipeThrough(new CompressionStream("gzip")),
  ).arrayBuffer();
  console.log(
    `page weight: ${kb(DASHBOARD_BYTES)} uncompressed (script ${kb(enc.encode(script).length)},` +
      ` style ${kb(enc.encode(style).length)}), ${
        kb(gz.byteLength)
      } gzip (what a browser downloads)`,
  );

  await using sb = await startSandbox({ nodes: 3 });
  await using server = await startServerProcess(sb, { interval: flags.interval });
  const pid = server.pid!;
  const snapshotBytes = (await (await fetch(`${server.url}/snapshot`)).arrayBuffer()).byteLength;
  console.log(`server: 3 nodes, interval ${flags.interval}, snapshot ${kb(snapshotBytes)}`);
  const browser = await launch();
  try {
    // 2. Time to first render: navigation start to the first snapshot painted, no cache.
    const times: number[] = [];
    const dcl: number[] = [];
    for (let i = 0; i < Number(flags.loads); i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() =>
        performance.getEntriesByName("pgactive:first-render").length > 0
      );
      const [render, ready] = await page.evaluate(() => [
        performance.getEntriesByName("pgactive:first-render")[0]!.startTime,
        (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming)
          .domContentLoadedEventEnd,
      ]);
      times.push(render!);
      dcl.push(ready!);
      await context.close();
    }
    times.sort((a, b) => a - b);
    dcl.sort((a, b) => a - b);
    console.log(
      `time to first render (${times.length} cold loads): median ${
        pct(times, 50).toFixed(0)
      } ms, max ${times[times.length - 1]!.toFixed(0)} ms (DOMContentLoaded median ${
        pct(dcl, 50).toFixed(0)
      } ms)`,
    );

    // 3a. Real pages, one context each (as separate operators: one browser profile holds at most
    // 6 HTTP/1.1 connections per host, so its 7th tab would wait for a free one).
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await cost("Chromium dashboards", pid, PAGES, async () => {
      for (let i = 0; i < PAGES; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(`${server.url}/`);
        await page.waitForFunction(() =>
          performance.getEntriesByName("pgactive:first-render").length > 0
        );
      }
    });
    for (const c of contexts) await c.close();
  } finally {
    await browser.close();
  }

  // 3b. Simulated dashboards (the page's requests, without a browser competing for the CPU).
  const n = CLIENTS;
  let child: Deno.ChildProcess | null = null;
  try {
    await cost("simulated dashboards", pid, n, async () => {
      child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL(import.meta.url).pathname,
          "--simulate",
          server.url,
          "--clients",
          `${n}`,
        ],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      let out = "";
      for await (const text of child.stdout.pipeThrough(new TextDecoderStream())) {
        out += text;
        if (out.includes("ready")) break;
      }
      if (!out.includes("ready")) throw new Error("the simulated dashboards ended early");
    });
    const health = await (await fetch(`${server.url}/health`)).json();
    console.log(`watchers at the end: ${health.watchers}`);
  } finally {
    (child as Deno.ChildProcess | null)?.kill("SIGTERM");
    await (child as Deno.ChildProcess | null)?.status;
  }
}

if (flags.simulate) await simulate(flags.simulate, CLIENTS);
else await main();

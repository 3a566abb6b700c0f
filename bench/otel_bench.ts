/**
 * What OpenTelemetry costs: collection cycle time and /snapshot throughput of a real pgactive-server
 * (subprocess, 2-node sandbox) with the OTEL_* variables unset (the baseline), set but switched off
 * by OTEL_SDK_DISABLED=true, and on, exporting to a real OpenTelemetry Collector ($OTELCOL, from
 * .ci/otelcol.sh) over OTLP/HTTP-protobuf and OTLP/gRPC. Figures are ratios against the baseline
 * measured in the same run; variants are interleaved over rounds to spread machine noise.
 *
 * A second part measures in-process what one API request pays for its span (traceRequests around
 * a trivial handler): telemetry off, then on with spans recorded and exported, then on with spans
 * not sampled.
 *
 *   OTELCOL=$(bash .ci/otelcol.sh) deno run -A bench/otel_bench.ts [--duration 5] [--rounds 2]
 *     [--part all|server|request]
 */
import { parseArgs } from "node:util";
import { startSandbox } from "../lib/sandbox/mod.ts";
import { startTelemetry, traceRequests } from "../lib/telemetry/mod.ts";
import type { Snapshot } from "../lib/snapshot/mod.ts";
import { startOtelcol } from "../tests/telemetry/otelcol.ts";
import { startServer, writeConfig } from "../tests/telemetry/processes.ts";

const flags = parseArgs({
  args: Deno.args,
  options: {
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "50" },
    rounds: { type: "string", default: "2" },
    part: { type: "string", default: "all" },
  },
}).values;
const DURATION_S = Number(flags.duration);

async function wrk(url: string): Promise<number> {
  const out = await new Deno.Command("wrk", {
    args: ["-t2", `-c${flags.connections}`, `-d${DURATION_S}s`, url],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const m = /Requests\/sec:\s+([\d.]+)/.exec(text);
  if (!out.success || !m || /Non-2xx/.test(text)) throw new Error(`wrk failed: ${text}`);
  return Number(m[1]);
}

/** cluster.cycle_ms of every snapshot published during `ms` (polled faster than the interval). */
async function cycleTimes(url: string, ms: number): Promise<number[]> {
  const seen = new Map<number, number>();
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const s = await (await fetch(`${url}/snapshot`)).json() as Snapshot;
    seen.set(s.version, s.cluster.cycle_ms);
    await new Promise((r) => setTimeout(r, 50));
  }
  return [...seen.values()];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)]!;
}

/** Microseconds per request through traceRequests (a trivial handler, 100,000 requests). */
async function perRequestUs(): Promise<number> {
  const response = new Response("x");
  const handler = traceRequests(() => response, { route: (p) => p });
  const request = new Request("http://127.0.0.1:8080/snapshot");
  for (let i = 0; i < 20_000; i++) await handler(request); // warm-up (JIT)
  const n = 100_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) await handler(request);
  return (performance.now() - started) * 1000 / n;
}

if (flags.part !== "request") await serverPart();
if (flags.part !== "server") await requestPart();

async function requestPart(): Promise<void> {
  await using col = await startOtelcol();
  const rows: [string, number][] = [["off (unset)", await perRequestUs()]];
  for (
    const [name, extra] of [
      ["on, recorded and exported (http/protobuf)", {}],
      ["on, not sampled (always_off)", { OTEL_TRACES_SAMPLER: "always_off" }],
    ] as const
  ) {
    const telemetry = await startTelemetry({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: col.httpEndpoint, ...extra },
      serviceName: "pgactive-bench",
    });
    rows.push([name, await perRequestUs()]);
    await telemetry.shutdown();
  }
  console.log("\n| one request through traceRequests | µs |");
  console.log("| --- | ---: |");
  for (const [name, us] of rows) console.log(`| ${name} | ${us.toFixed(2)} |`);
}

async function serverPart(): Promise<void> {
  await using sb = await startSandbox({ nodes: 2 });
  await using col = await startOtelcol();
  const work = await Deno.makeTempDir({ prefix: "pgactive-otel-bench-" });
  const base = { OTEL_SERVICE_NAME: "pgactive-server-bench", OTEL_METRIC_EXPORT_INTERVAL: "1000" };
  const VARIANTS: [string, Record<string, string>][] = [
    ["unset", {}],
    ["disabled", {
      ...base,
      OTEL_EXPORTER_OTLP_ENDPOINT: col.httpEndpoint,
      OTEL_SDK_DISABLED: "true",
    }],
    ["on http/protobuf", { ...base, OTEL_EXPORTER_OTLP_ENDPOINT: col.httpEndpoint }],
    [
      "on http/protobuf, 10% sampled",
      {
        ...base,
        OTEL_EXPORTER_OTLP_ENDPOINT: col.httpEndpoint,
        OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "0.1",
      },
    ],
    [
      "on grpc",
      {
        ...base,
        OTEL_EXPORTER_OTLP_ENDPOINT: col.grpcEndpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: "grpc",
      },
    ],
  ];
  const results = new Map<string, { rps: number[]; cycles: number[] }>();
  try {
    for (let round = 0; round < Number(flags.rounds); round++) {
      for (const [name, env] of VARIANTS) {
        const dir = `${work}/${round}-${name.replace(/\W/g, "_")}`;
        await Deno.mkdir(dir);
        const config = await writeConfig(sb, dir, { interval: "250ms", ghost: false });
        await using server = await startServer(config, {
          ...env,
          PGACTIVE_TOOLS_ACCESS_LOG: "errors",
        }, { cwd: dir, logLevel: "info" });
        const cycles = await cycleTimes(server.url, DURATION_S * 1000);
        await wrk(`${server.url}/snapshot`); // warm-up (JIT)
        const rps = await wrk(`${server.url}/snapshot`);
        await server.stop();
        const r = results.get(name) ?? { rps: [], cycles: [] };
        r.rps.push(rps);
        r.cycles.push(...cycles);
        results.set(name, r);
        console.error(
          `round ${round + 1} ${name}: ${rps.toFixed(0)} req/s, ${cycles.length} cycles`,
        );
      }
    }
    const baseline = results.get("unset")!;
    const baseRps = median(baseline.rps);
    const baseCycle = median(baseline.cycles);
    console.log("| OTEL_* variables | /snapshot req/s | ratio | median cycle ms | ratio |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    for (const [name] of VARIANTS) {
      const r = results.get(name)!;
      const rps = median(r.rps);
      const cycle = median(r.cycles);
      console.log(
        `| ${name} | ${rps.toFixed(0)} | ${(rps / baseRps).toFixed(2)} | ${cycle.toFixed(1)} | ${
          (cycle / baseCycle).toFixed(2)
        } |`,
      );
    }
    const exported = (await col.read("traces")).length;
    console.log(
      `\n(${exported} trace exports received by the collector; ${DURATION_S} s per measure)`,
    );
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

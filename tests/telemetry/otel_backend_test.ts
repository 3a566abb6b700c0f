/**
 * OpenTelemetry against a real backend: the OpenTelemetry Collector built by .ci/otelcol.sh
 * ($OTELCOL) receives what a real pgactive-server (a subprocess on a 2-node sandbox plus a node on
 * a closed port, every DSN with a password) exports over OTLP/gRPC and OTLP/HTTP-protobuf with only
 * the OTEL_* variables set. Asserted from the collector's file exporter output: the cycle/probe span
 * tree and its attributes, store-write and HTTP server spans, metric names and values equal to
 * /snapshot, trace ids in the server's JSON log lines and in the exported log records, the CLI's
 * trace, and not one occurrence of the DSN password anywhere.
 */
import { startSandbox } from "../../lib/sandbox/mod.ts";
import type { Snapshot } from "../../lib/snapshot/mod.ts";
import { statusCode } from "../../lib/snapshot/mod.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import { attrs, type ExportedSpan, pointsOf, spansOf, startOtelcol } from "./otelcol.ts";
import { DSN_PASSWORD, runCli, startServer, until, writeConfig } from "./processes.ts";

const SERVER = 2; // OTLP SpanKind SERVER
const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";
const PROTOCOLS = ["grpc", "http/protobuf"] as const;

Deno.test("OpenTelemetry: a real collector receives spans, metrics and logs from the server and CLI", async (t) => {
  await using sb = await startSandbox({ nodes: 2 });
  for (const protocol of PROTOCOLS) {
    await t.step(`over ${protocol}`, async () => {
      await using col = await startOtelcol();
      const work = await Deno.makeTempDir({ prefix: "pgactive-otel-backend-" });
      try {
        // A long interval: one cycle, so every metric export reads the snapshot /snapshot shows.
        const config = await writeConfig(sb, work, { interval: "60s", probeTimeout: "2s" });
        const service = `pgactive-server-${protocol.replace("/", "-")}`;
        const env = {
          OTEL_EXPORTER_OTLP_ENDPOINT: protocol === "grpc" ? col.grpcEndpoint : col.httpEndpoint,
          OTEL_SERVICE_NAME: service,
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          OTEL_RESOURCE_ATTRIBUTES: "deployment.environment.name=test",
          OTEL_BSP_SCHEDULE_DELAY: "200",
          OTEL_BLRP_SCHEDULE_DELAY: "200",
          OTEL_METRIC_EXPORT_INTERVAL: "500",
        };
        await using server = await startServer(config, env, { cwd: work });
        const snapshot = await (await fetch(`${server.url}/snapshot`)).json() as Snapshot;
        for (const path of ["/health", "/metrics", "/nope"]) {
          await (await fetch(server.url + path)).body?.cancel();
        }
        // A caller's W3C trace context: the server's span continues that trace.
        await (await fetch(`${server.url}/history`, {
          headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
        })).body?.cancel();
        await until("metrics exported", async () => pointsOf(await col.read("metrics")).length > 0);

        // The CLI's run: one trace, root span = the command, exported before it exits.
        const cli = await runCli(["status", "--server", server.url, "--format", "json"], {
          ...env,
          OTEL_SERVICE_NAME: "pgactive-tools-test",
        }, work);
        assert(cli.code === 0 || cli.code === 2, `cli exit ${cli.code}: ${cli.stderr}`);
        // --direct: the CLI's own cycles and probes nest under its root span.
        const direct = await runCli(["lag", "--direct", "--config", config.path], {
          ...env,
          OTEL_SERVICE_NAME: "pgactive-tools-direct",
        }, work);
        assert(
          direct.code !== 64 && direct.code !== 1,
          `direct exit ${direct.code}: ${direct.stderr}`,
        );

        const stopped = await server.stop();
        assertEquals(stopped.code, 0, server.logs.slice(-5).join("\n"));
        await new Promise((r) => setTimeout(r, 500)); // the file exporter flushes every 100 ms

        const spans = spansOf(await col.read("traces"));
        const mine = spans.filter((s) => s.service === service);
        checkCycleTree(mine);
        checkHttpSpans(mine);
        checkMetrics(pointsOf(await col.read("metrics")), snapshot);
        checkLogs(server.logs, mine, await col.read("logs"));

        const cliSpans = spans.filter((s) => s.service === "pgactive-tools-test");
        const root = cliSpans.find((s) => s.name === "pgactive-tools status");
        assert(root, `CLI root span: ${cliSpans.map((s) => s.name).join(", ")}`);
        assert(!root.parentSpanId, "the command is the root span");
        assertEquals(root.attributes["pgactive.cli.command"], "status");
        assertEquals(root.attributes["process.exit.code"], cli.code);

        const directSpans = spans.filter((s) => s.service === "pgactive-tools-direct");
        const directRoot = directSpans.find((s) => s.name === "pgactive-tools lag");
        assert(directRoot && !directRoot.parentSpanId, "the --direct run's root span");
        const directCycles = directSpans.filter((s) => s.name === "pgactive.collector.cycle");
        assertEquals(directCycles.length, 2, "collectOnce runs two cycles");
        for (const c of directCycles) assertEquals(c.parentSpanId, directRoot.spanId);
        const directProbes = directSpans.filter((s) => s.name === "pgactive.collector.probe");
        assertEquals(directProbes.length, 6, "three nodes probed in each cycle");
        assert(directProbes.every((p) => p.traceId === directRoot.traceId), "one trace");

        const exported = await col.rawText();
        assert(exported.length > 1000, "something was exported");
        assertEquals(exported.split(DSN_PASSWORD).length - 1, 0, "password in exported data");
        const logText = server.logs.join("\n") + cli.stdout + cli.stderr + direct.stdout +
          direct.stderr;
        assertEquals(logText.split(DSN_PASSWORD).length - 1, 0, "password in log lines");
        console.log(
          `${protocol}: ${mine.length} server spans, ${cliSpans.length} CLI spans, ` +
            `shutdown ${stopped.ms.toFixed(0)} ms`,
        );
      } finally {
        await Deno.remove(work, { recursive: true });
      }
    });
  }
});

function checkCycleTree(spans: ExportedSpan[]): void {
  const cycles = spans.filter((s) => s.name === "pgactive.collector.cycle");
  assert(cycles.length >= 1, `a cycle span: ${[...new Set(spans.map((s) => s.name))]}`);
  const cycle = cycles[0]!;
  assert(!cycle.parentSpanId, "a cycle is a root span");
  assertEquals(cycle.attributes["pgactive.cycle.nodes_failed"], 1);
  assert(typeof cycle.attributes["pgactive.snapshot.version"] === "number", "version attribute");
  const probes = spans.filter((s) =>
    s.parentSpanId === cycle.spanId && s.name === "pgactive.collector.probe"
  );
  assertEquals(probes.map((p) => p.attributes["pgactive.node.name"]).sort(), [
    "ghost",
    "node1",
    "node2",
  ]);
  for (const p of probes) {
    assertEquals(p.traceId, cycle.traceId);
    const ghost = p.attributes["pgactive.node.name"] === "ghost";
    assertEquals(p.attributes["pgactive.probe.status"], ghost ? "error" : "ok");
    const duration = p.attributes["pgactive.probe.duration"] as number;
    assert(duration >= 0 && duration < 5, `probe duration ${duration} s`);
    if (ghost) {
      assert(
        /^[A-Z_]+$/.test(String(p.attributes["error.type"])),
        `error class ${p.attributes["error.type"]}`,
      );
      assertEquals(p.status?.code, 2, "failed probe span status ERROR");
    } else {
      assertEquals(p.attributes["error.type"], undefined);
    }
  }
  const write = spans.find((s) => s.name === "pgactive.store.write");
  assert(write, "a store-write span");
  assertEquals(write.parentSpanId, cycle.spanId, "the store write is a child of its cycle");
}

function checkHttpSpans(spans: ExportedSpan[]): void {
  const http = spans.filter((s) => s.kind === SERVER);
  const byName = (name: string) => http.find((s) => s.name === name);
  for (
    const [name, route, status] of [
      ["GET /snapshot", "/snapshot", 200],
      ["GET /health", "/health", 503],
      ["GET /metrics", "/metrics", 200],
    ] as const
  ) {
    const s = byName(name);
    assert(s, `${name} span among ${http.map((x) => x.name).join(", ")}`);
    assertEquals(s.attributes["http.route"], route);
    assertEquals(s.attributes["http.request.method"], "GET");
    assertEquals(s.attributes["url.path"], route);
    if (name !== "GET /health") assertEquals(s.attributes["http.response.status_code"], status);
  }
  const continued = byName("GET /history");
  assert(continued, "GET /history span");
  assertEquals([continued.traceId, continued.parentSpanId], [CALLER_TRACE, CALLER_SPAN]);
  assert(
    http.filter((s) => s !== continued).every((s) => !s.parentSpanId),
    "without traceparent a request span is a root span",
  );
  const miss = http.find((s) => s.attributes["url.path"] === "/nope");
  assert(miss, "span for an unknown path");
  assertEquals(miss.name, "GET", "no route: the span is named after the method only");
  assertEquals(miss.attributes["http.route"], undefined);
  assertEquals(miss.attributes["http.response.status_code"], 404);
}

function checkMetrics(points: ReturnType<typeof pointsOf>, snapshot: Snapshot): void {
  const last = new Map<string, number>();
  const units = new Map<string, string>();
  for (const p of points) {
    const key = `${p.name}${JSON.stringify(p.attributes)}`;
    last.set(key, p.value);
    units.set(p.name, p.unit);
  }
  const value = (name: string, a: Record<string, string> = {}) =>
    last.get(`${name}${JSON.stringify(a)}`);
  assertEquals(value("pgactive.snapshot.version"), snapshot.version);
  assertEquals(value("pgactive.cluster.status"), statusCode(snapshot.status));
  assertEquals(value("pgactive.collector.cycles"), 1);
  assertEquals(value("pgactive.collector.errors", { "pgactive.node.name": "ghost" }), 1);
  assert((value("process.memory.usage") ?? 0) > 1e6, "process.memory.usage in bytes");
  assertEquals(units.get("pgactive.node.lag"), "s");
  assertEquals(units.get("pgactive.node.lag.bytes"), "By");
  let compared = 0;
  for (const node of Object.values(snapshot.nodes)) {
    const a = { "pgactive.node.name": node.name };
    assertEquals(value("pgactive.node.status", a), statusCode(node.status), `${node.name} status`);
    assertEquals(value("pgactive.node.up", a), node.status === "DOWN" ? 0 : 1, `${node.name} up`);
    for (
      const [metric, v] of [
        ["pgactive.node.lag", node.metrics.lag_seconds],
        ["pgactive.node.lag.bytes", node.metrics.lag_bytes],
        ["pgactive.node.conflicts", node.metrics.conflict_count],
        ["pgactive.node.wal.retained", node.metrics.retained_wal_bytes],
      ] as const
    ) {
      if (v === null) continue;
      assertEquals(value(metric, a), v, `${metric} of ${node.name}`);
      compared++;
    }
  }
  for (const link of snapshot.links) {
    const a = { "pgactive.link.from": link.from, "pgactive.link.to": link.to };
    if (link.active !== null) {
      assertEquals(value("pgactive.link.walsender.active", a), link.active ? 1 : 0);
      compared++;
    }
  }
  assert(compared >= 4, `compared ${compared} values with /snapshot`);
}

function checkLogs(
  lines: string[],
  spans: ExportedSpan[],
  logDocs: Record<string, unknown>[],
): void {
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const spanIds = new Set(spans.map((s) => `${s.traceId}/${s.spanId}`));
  const correlated = parsed.filter((l) => typeof l.trace_id === "string");
  assert(correlated.length >= 2, "log lines inside spans carry trace_id");
  for (const l of correlated) {
    assert(
      spanIds.has(`${l.trace_id}/${l.span_id}`),
      `log line names an exported span: ${JSON.stringify(l)}`,
    );
  }
  const access = correlated.find((l) => JSON.stringify(l).includes("/snapshot"));
  assert(access, "the access log line of GET /snapshot is correlated");
  const statusChange = correlated.find((l) => l.msg === "node status changed");
  const cycle = spans.find((s) => s.name === "pgactive.collector.cycle")!;
  assert(statusChange, "node status lines carry the cycle's trace");
  assertEquals(statusChange.trace_id, cycle.traceId);
  assert(
    parsed.some((l) => l.msg === "stopped" && l.trace_id === undefined),
    "outside spans: no ids",
  );

  const records: { traceId?: string; body?: { stringValue?: string } }[] = [];
  for (const doc of logDocs) {
    for (const rl of (doc.resourceLogs ?? []) as Record<string, unknown>[]) {
      for (const sl of (rl.scopeLogs ?? []) as Record<string, unknown>[]) {
        records.push(...(sl.logRecords ?? []) as typeof records);
      }
    }
  }
  assert(records.length > 0, "log records exported over OTLP");
  assert(
    records.some((r) =>
      r.body?.stringValue === "node status changed" && r.traceId === cycle.traceId
    ),
    "an exported log record is correlated with its cycle",
  );
  void attrs;
}

/**
 * A real OpenTelemetry Collector for the tests: the binary .ci/otelcol.sh builds (path in $OTELCOL),
 * an OTLP receiver on free loopback ports (gRPC and HTTP), and file exporters writing one JSON
 * line per export (OTLP/JSON) into a temporary folder, read back by the tests.
 */
import { refusedPort } from "../sdk/targets.ts";
import { collectLines } from "../child_process.ts";

/** A running collector and what it wrote. */
export interface Otelcol extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` of the OTLP/gRPC receiver. */
  readonly grpcEndpoint: string;
  /** `http://127.0.0.1:PORT` of the OTLP/HTTP receiver. */
  readonly httpEndpoint: string;
  readonly dir: string;
  /** Every OTLP/JSON document exported so far for `signal`. */
  read(signal: "traces" | "metrics" | "logs"): Promise<Record<string, unknown>[]>;
  /** The raw text of the three files (for the no-secret check). */
  rawText(): Promise<string>;
  /** The collector's own stderr. */
  readonly output: string[];
}

/** The collector binary, or a failure that says how to get it (never a silent pass). */
export function otelcolBinary(): string {
  const path = Deno.env.get("OTELCOL");
  if (!path) {
    throw new Error(
      "OTELCOL is not set: build the collector with `bash .ci/otelcol.sh` and export " +
        "OTELCOL=<the path it prints> (.ci/run does this)",
    );
  }
  return path;
}

/** Starts the collector and waits until both receivers accept connections. */
export async function startOtelcol(): Promise<Otelcol> {
  const bin = otelcolBinary();
  const dir = await Deno.makeTempDir({ prefix: "pgactive-otelcol-" });
  const grpcPort = refusedPort();
  const httpPort = refusedPort();
  const file = (s: string) =>
    `  file/${s}:\n    path: ${dir}/${s}.jsonl\n    flush_interval: 100ms\n`;
  const pipeline = (s: string) =>
    `    ${s}:\n      receivers: [otlp]\n      exporters: [file/${s}]\n`;
  const config = `receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${grpcPort}
      http:
        endpoint: 127.0.0.1:${httpPort}
exporters:
${file("traces")}${file("metrics")}${file("logs")}service:
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
  pipelines:
${pipeline("traces")}${pipeline("metrics")}${pipeline("logs")}`;
  await Deno.writeTextFile(`${dir}/config.yaml`, config);
  const child = new Deno.Command(bin, {
    args: ["--config", `${dir}/config.yaml`],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  const drained = collectLines(child.stderr, output);
  const deadline = Date.now() + 20_000;
  for (const port of [grpcPort, httpPort]) {
    for (;;) {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        break;
      } catch {
        if (Date.now() > deadline) {
          child.kill("SIGKILL");
          await child.status;
          throw new Error(`otelcol did not listen on ${port}: ${output.slice(-5).join(" | ")}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }
  const readText = async (s: string) => {
    try {
      return await Deno.readTextFile(`${dir}/${s}.jsonl`);
    } catch {
      return "";
    }
  };
  return {
    grpcEndpoint: `http://127.0.0.1:${grpcPort}`,
    httpEndpoint: `http://127.0.0.1:${httpPort}`,
    dir,
    output,
    async read(signal) {
      return (await readText(signal)).split("\n").filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l));
    },
    async rawText() {
      return (await Promise.all(["traces", "metrics", "logs"].map(readText))).join("\n");
    },
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await child.status;
      await drained;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A span as the file exporter writes it (OTLP/JSON), with its resource's service name. */
export interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Record<string, unknown>;
  status?: { code?: number };
  service: string;
}

/** Flattens OTLP/JSON attribute lists into a plain object. */
export function attrs(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of (list ?? []) as { key: string; value: Record<string, unknown> }[]) {
    const v = a.value;
    out[a.key] = v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ??
      v.doubleValue ?? v.boolValue;
  }
  return out;
}

/** Every span in the trace documents. */
export function spansOf(docs: Record<string, unknown>[]): ExportedSpan[] {
  const out: ExportedSpan[] = [];
  for (const doc of docs) {
    for (const rs of (doc.resourceSpans ?? []) as Record<string, unknown>[]) {
      const service = String(
        attrs((rs.resource as { attributes?: unknown })?.attributes)["service.name"],
      );
      for (const ss of (rs.scopeSpans ?? []) as Record<string, unknown>[]) {
        for (const s of (ss.spans ?? []) as Record<string, unknown>[]) {
          out.push({ ...s, attributes: attrs(s.attributes), service } as ExportedSpan);
        }
      }
    }
  }
  return out;
}

/** A metric data point: metric name, its attributes and value. */
export interface ExportedPoint {
  name: string;
  unit: string;
  attributes: Record<string, unknown>;
  value: number;
  timeUnixNano: string;
}

/** Every gauge and sum data point in the metric documents. */
export function pointsOf(docs: Record<string, unknown>[]): ExportedPoint[] {
  const out: ExportedPoint[] = [];
  for (const doc of docs) {
    for (const rm of (doc.resourceMetrics ?? []) as Record<string, unknown>[]) {
      for (const sm of (rm.scopeMetrics ?? []) as Record<string, unknown>[]) {
        for (const m of (sm.metrics ?? []) as Record<string, unknown>[]) {
          const data = (m.gauge ?? m.sum) as { dataPoints?: Record<string, unknown>[] } | undefined;
          for (const p of data?.dataPoints ?? []) {
            out.push({
              name: String(m.name),
              unit: String(m.unit ?? ""),
              attributes: attrs(p.attributes),
              value: Number(p.asDouble ?? p.asInt),
              timeUnixNano: String(p.timeUnixNano),
            });
          }
        }
      }
    }
  }
  return out;
}

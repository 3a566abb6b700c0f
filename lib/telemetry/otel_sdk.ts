/**
 * The OpenTelemetry SDK wiring, imported (dynamically, by start.ts) only when the OTEL_* variables
 * switch telemetry on: tracer, meter and logger providers with batching OTLP exporters of the
 * chosen protocol, an AsyncLocalStorage context manager, and the process-wide tracing and log
 * export hooks. Every export, flush and the shutdown are bounded by the export timeout.
 */
import {
  context,
  diag,
  DiagLogLevel,
  isSpanContextValid,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from "@opentelemetry/api";
import type { Context, Logger as OtelLogger } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import type { Sampler } from "@opentelemetry/sdk-trace";
import type { LogLevel } from "../config/types.ts";
import { type Logger, setLogExport } from "./logger.ts";
import type { OtelSettings, OtlpProtocol, SignalExport } from "./otel_env.ts";
import { type MetricSource, registerMetrics } from "./otel_metrics.ts";
import { setTracing, type SpanScope, type Tracing } from "./tracing.ts";
import type { Telemetry, TelemetryOptions } from "./start.ts";

const KINDS = { internal: SpanKind.INTERNAL, server: SpanKind.SERVER, client: SpanKind.CLIENT };
const SEVERITY: Record<LogLevel, number> = { debug: 5, info: 9, warn: 13, error: 17 };
/** At most one line per this many ms about failing exports. */
const DIAG_QUIET_MS = 60_000;

/** Starts the SDK for `settings` and installs it process-wide. */
export async function startOtel(
  settings: OtelSettings,
  options: TelemetryOptions,
): Promise<Telemetry> {
  const logger = options.logger;
  installDiag(logger);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const resource = defaultResource()
    .merge(resourceFromAttributes({
      "service.name": settings.serviceName,
      ...(options.serviceVersion ? { "service.version": options.serviceVersion } : {}),
    }))
    .merge(detectResources({ detectors: [envDetector] }));
  const timeout = settings.exportTimeoutMs;
  const { traces, metrics, logs } = settings.signals;

  const tracerProvider = traces === null ? null : new TracerProvider({
    resource,
    sampler: sampler(settings.sampler),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: await exporter(
          traces,
          "OTLPTraceExporter",
          TRACE_EXPORTERS,
        ),
        scheduledDelayMillis: settings.spanDelayMs,
        exportTimeoutMillis: timeout,
      }),
    ],
  });
  const meterProvider = metrics === null ? null : new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: await exporter(
          metrics,
          "OTLPMetricExporter",
          METRIC_EXPORTERS,
        ),
        exportIntervalMillis: settings.metricIntervalMs,
        exportTimeoutMillis: Math.min(timeout, settings.metricIntervalMs),
      }),
    ],
  });
  const loggerProvider = logs === null ? null : new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({
        exporter: await exporter(
          logs,
          "OTLPLogExporter",
          LOG_EXPORTERS,
        ),
        scheduledDelayMillis: settings.logDelayMs,
        exportTimeoutMillis: timeout,
      }),
    ],
  });

  const scopeName = options.serviceName;
  if (tracerProvider) {
    setTracing(otelTracing(tracerProvider.getTracer(scopeName, options.serviceVersion)));
  }
  if (loggerProvider) {
    const otelLogger = loggerProvider.getLogger(scopeName, options.serviceVersion);
    setLogExport((level, msg, fields, ts) => exportLog(otelLogger, level, msg, fields, ts));
  }
  for (const w of settings.warnings) logger?.warn(`OpenTelemetry: ${w}`);

  let stopped: Promise<void> | null = null;
  return {
    enabled: true,
    settings,
    observe(source: MetricSource) {
      if (meterProvider) registerMetrics(meterProvider.getMeter(scopeName), source);
    },
    shutdown() {
      stopped ??= (async () => {
        setTracing(null);
        setLogExport(null);
        await bounded(
          Promise.allSettled([
            tracerProvider?.shutdown(),
            meterProvider?.shutdown(),
            loggerProvider?.shutdown(),
          ]),
          timeout,
        );
        // Unregistered, so a later startTelemetry in this process (tests, benches) starts afresh.
        context.disable();
        diag.disable();
      })();
      return stopped;
    },
  };
}

function otelTracing(tracer: ReturnType<TracerProvider["getTracer"]>): Tracing {
  return {
    enabled: true,
    span(name, options, fn) {
      return tracer.startActiveSpan(
        name,
        { kind: KINDS[options.kind ?? "internal"], attributes: options.attributes ?? {} },
        remoteParent(options.traceparent),
        (span) => {
          let result;
          try {
            result = fn(scopeOf(span));
          } catch (err) {
            failWith(span, err);
            span.end();
            throw err;
          }
          if (!(result instanceof Promise)) {
            span.end();
            return result;
          }
          return result.then(
            (value) => {
              span.end();
              return value;
            },
            (err) => {
              failWith(span, err);
              span.end();
              throw err;
            },
          ) as typeof result;
        },
      );
    },
    activeIds() {
      const sc = trace.getActiveSpan()?.spanContext();
      // Only spans that are exported (sampled) are named in log lines.
      return sc && isSpanContextValid(sc) && (sc.traceFlags & TraceFlags.SAMPLED) !== 0
        ? { trace_id: sc.traceId, span_id: sc.spanId }
        : null;
    },
  };
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The active context, or one whose parent is the caller's span named by `traceparent`. */
function remoteParent(traceparent: string | null | undefined): Context {
  const m = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  if (!m) return context.active();
  const spanContext = {
    traceId: m[1]!,
    spanId: m[2]!,
    traceFlags: parseInt(m[3]!, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  if (!isSpanContextValid(spanContext)) return context.active();
  return trace.setSpanContext(context.active(), spanContext);
}

function scopeOf(span: Span): SpanScope {
  return {
    setAttributes: (a) => void span.setAttributes(a),
    fail(errorType) {
      span.setAttribute("error.type", errorType);
      span.setStatus({ code: SpanStatusCode.ERROR });
    },
  };
}

/** A thrown error marks the span with its class only: messages may carry what must not leave. */
function failWith(span: Span, err: unknown): void {
  span.setAttribute("error.type", err instanceof Error ? err.name : typeof err);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

function exportLog(
  otelLogger: OtelLogger,
  level: LogLevel,
  msg: string,
  fields: Record<string, unknown>,
  ts: Date,
): void {
  if (msg.startsWith("OpenTelemetry")) return; // never export the exporter's own complaints
  const attributes: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined || v === null) continue;
    attributes[k] = typeof v === "string" || typeof v === "number" || typeof v === "boolean"
      ? v
      : JSON.stringify(v, (_k, x) => typeof x === "bigint" ? x.toString() : x);
  }
  otelLogger.emit({
    timestamp: ts,
    severityNumber: SEVERITY[level],
    severityText: level.toUpperCase(),
    body: msg,
    attributes,
  });
}

/** Export failures become warn lines, at most one a minute, first line only, no URL userinfo. */
function installDiag(logger: Logger | undefined): void {
  let last = 0;
  let dropped = 0;
  const report = (level: "warn" | "error") => (message: string, ...args: unknown[]) => {
    const now = Date.now();
    if (now - last < DIAG_QUIET_MS) {
      dropped++;
      return;
    }
    last = now;
    const detail = [describe(message), ...args.map(describe)].join(" ").split("\n")[0]!
      .replace(/\/\/[^/@\s]*@/g, "//").slice(0, 300);
    logger?.[level]("OpenTelemetry export problem", { detail, suppressed: dropped });
    dropped = 0;
  };
  diag.setLogger({
    error: report("error"),
    warn: report("warn"),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}

function describe(x: unknown): string {
  if (x instanceof Error) return `${x.name}: ${x.message}`;
  if (typeof x === "object" && x !== null && "message" in x) return String(x.message);
  if (typeof x === "string" && x.startsWith("{")) {
    try { // the exporters hand over errors as JSON text: {"stack": ..., "message": ...}
      const o = JSON.parse(x);
      return String(o.message ?? o.stack ?? x);
    } catch { /* not JSON after all */ }
  }
  return String(x);
}

async function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([work, new Promise((r) => timer = setTimeout(r, ms))]);
  clearTimeout(timer);
}

function sampler({ name, ratio }: OtelSettings["sampler"]): Sampler {
  const root = name.endsWith("always_off")
    ? new AlwaysOffSampler()
    : name.endsWith("traceidratio")
    ? new TraceIdRatioBasedSampler(ratio)
    : new AlwaysOnSampler();
  return name.startsWith("parentbased_") ? new ParentBasedSampler({ root }) : root;
}

/**
 * The gRPC exporters load @grpc/grpc-js through `createRequire(import.meta.url)`, which finds
 * nothing inside a bundle or a compiled binary ("Cannot find module '@grpc/grpc-js'"): hand them
 * the copy this module imports instead (once, for that one name).
 */
async function provideGrpc(): Promise<void> {
  if (grpcProvided) return;
  grpcProvided = true;
  const imported = await import("@grpc/grpc-js");
  const grpc = (imported as { default?: unknown }).default ?? imported;
  const { default: Module } = await import("node:module");
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
    return request === "@grpc/grpc-js" ? grpc : load.call(this, request, ...rest);
  };
}
let grpcProvided = false;

/** The options every OTLP exporter class takes. */
type ExporterOptions = { url: string; headers: Record<string, string>; timeoutMillis: number };
/** An exporter package per protocol, each exporting its class as `K`. */
type ExporterPackages<K extends string, T> = Record<
  OtlpProtocol,
  () => Promise<Record<K, new (options: ExporterOptions) => T>>
>;

// One package per signal and protocol, each behind its own import() with a literal specifier (a
// bundle keeps only those it can see; only the chosen one is loaded).
const TRACE_EXPORTERS = {
  grpc: () => import("@opentelemetry/exporter-trace-otlp-grpc"),
  "http/protobuf": () => import("@opentelemetry/exporter-trace-otlp-proto"),
  "http/json": () => import("@opentelemetry/exporter-trace-otlp-http"),
};
const METRIC_EXPORTERS = {
  grpc: () => import("@opentelemetry/exporter-metrics-otlp-grpc"),
  "http/protobuf": () => import("@opentelemetry/exporter-metrics-otlp-proto"),
  "http/json": () => import("@opentelemetry/exporter-metrics-otlp-http"),
};
const LOG_EXPORTERS = {
  grpc: () => import("@opentelemetry/exporter-logs-otlp-grpc"),
  "http/protobuf": () => import("@opentelemetry/exporter-logs-otlp-proto"),
  "http/json": () => import("@opentelemetry/exporter-logs-otlp-http"),
};

/** The exporter class `name` of `signal.protocol`'s package, configured for `signal`. */
async function exporter<K extends string, T>(
  signal: SignalExport,
  name: K,
  packages: ExporterPackages<K, T>,
): Promise<T> {
  if (signal.protocol === "grpc") await provideGrpc();
  const Exporter = (await packages[signal.protocol]())[name];
  return new Exporter({
    url: signal.url,
    headers: signal.headers,
    timeoutMillis: signal.timeoutMs,
  });
}

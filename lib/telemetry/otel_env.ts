/**
 * Reads the standard OTEL_* variables into settings, without loading any OpenTelemetry code:
 * whether telemetry is on, the OTLP protocol per signal, timeouts and batching intervals.
 * The exporters themselves read the endpoint, headers, timeout and TLS variables (also per signal).
 */

/** OTLP transports the npm exporters offer. */
export type OtlpProtocol = "grpc" | "http/protobuf" | "http/json";
/** The three signals. */
export type Signal = "traces" | "metrics" | "logs";

const PROTOCOLS: readonly OtlpProtocol[] = ["grpc", "http/protobuf", "http/json"];

/** The OTEL_TRACES_SAMPLER values the SDK offers. */
export type SamplerName = (typeof SAMPLERS)[number];
const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

/** Where and how one signal is exported. */
export interface SignalExport {
  protocol: OtlpProtocol;
  /** Full URL (HTTP: with its /v1/<signal> path; gRPC: scheme://host:port). */
  url: string;
  /** OTEL_EXPORTER_OTLP_[SIGNAL_]HEADERS, decoded. */
  headers: Record<string, string>;
  /** OTEL_EXPORTER_OTLP_[SIGNAL_]TIMEOUT (default 10 s). */
  timeoutMs: number;
}

/** Settings derived from the environment when telemetry is on. */
export interface OtelSettings {
  serviceName: string;
  /** Per signal: where it goes, or null when that signal's exporter is `none`. */
  signals: Record<Signal, SignalExport | null>;
  /** OTEL_EXPORTER_OTLP_TIMEOUT (default 10 s): the most an export, a flush or the shutdown waits. */
  exportTimeoutMs: number;
  /** OTEL_BSP_SCHEDULE_DELAY / OTEL_BLRP_SCHEDULE_DELAY (default 5 s / 1 s). */
  spanDelayMs: number;
  logDelayMs: number;
  /** OTEL_METRIC_EXPORT_INTERVAL (default 60 s). */
  metricIntervalMs: number;
  /** OTEL_TRACES_SAMPLER (+ _ARG): which traces are recorded (default parentbased_always_on). */
  sampler: { name: SamplerName; ratio: number };
  /** Advice for the operator (e.g. an HTTP protocol pointed at the gRPC port 4317). */
  warnings: string[];
}

/** A bad OTEL_* value: one line naming the variable. */
export class OtelConfigError extends Error {
  override name = "OtelConfigError";
  readonly code = "OTEL_CONFIG";
}

/** Whether the variables switch OpenTelemetry on (an endpoint is set, the SDK is not disabled). */
export function otelRequested(env: Record<string, string | undefined>): boolean {
  if ((env.OTEL_SDK_DISABLED ?? "").trim().toLowerCase() === "true") return false;
  return ["", "_TRACES", "_METRICS", "_LOGS"].some((s) =>
    (env[`OTEL_EXPORTER_OTLP${s}_ENDPOINT`] ?? "").trim() !== ""
  );
}

/** Resolves the settings; throws {@link OtelConfigError} on a bad value. */
export function otelSettings(
  env: Record<string, string | undefined>,
  defaultServiceName: string,
): OtelSettings {
  const warnings: string[] = [];
  const signals = {} as Record<Signal, SignalExport | null>;
  for (const signal of ["traces", "metrics", "logs"] as const) {
    const upper = signal.toUpperCase();
    const exporter = (env[`OTEL_${upper}_EXPORTER`] ?? "otlp").trim().toLowerCase() || "otlp";
    if (exporter === "none") {
      signals[signal] = null;
      continue;
    }
    if (exporter !== "otlp") {
      throw new OtelConfigError(`OTEL_${upper}_EXPORTER: "${exporter}" is not one of otlp, none`);
    }
    const name = env[`OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`]
      ? `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`
      : "OTEL_EXPORTER_OTLP_PROTOCOL";
    const raw = (env[name] ?? "").trim() || "http/protobuf";
    if (!PROTOCOLS.includes(raw as OtlpProtocol)) {
      throw new OtelConfigError(`${name}: "${raw}" is not one of ${PROTOCOLS.join(", ")}`);
    }
    const protocol = raw as OtlpProtocol;
    const url = signalUrl(env, signal, protocol);
    signals[signal] = {
      protocol,
      url,
      headers: {
        ...parseHeaders(env, "OTEL_EXPORTER_OTLP_HEADERS"),
        ...parseHeaders(env, `OTEL_EXPORTER_OTLP_${upper}_HEADERS`),
      },
      timeoutMs: millis(
        env,
        `OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`,
        millis(env, "OTEL_EXPORTER_OTLP_TIMEOUT", 10_000),
      ),
    };
    const port = portOf(url);
    if (port === "4317" && protocol !== "grpc") {
      warnings.push(
        `${signal}: endpoint port 4317 is OTLP/gRPC but the protocol is ${protocol}; ` +
          `set OTEL_EXPORTER_OTLP_PROTOCOL=grpc or use the OTLP/HTTP port 4318`,
      );
    } else if (port === "4318" && protocol === "grpc") {
      warnings.push(
        `${signal}: endpoint port 4318 is OTLP/HTTP but the protocol is grpc; ` +
          `unset OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf) or use the OTLP/gRPC port 4317`,
      );
    }
  }
  const samplerName = (env.OTEL_TRACES_SAMPLER ?? "").trim() || "parentbased_always_on";
  if (!SAMPLERS.includes(samplerName as SamplerName)) {
    throw new OtelConfigError(
      `OTEL_TRACES_SAMPLER: "${samplerName}" is not one of ${SAMPLERS.join(", ")}`,
    );
  }
  const ratioRaw = (env.OTEL_TRACES_SAMPLER_ARG ?? "").trim();
  const ratio = ratioRaw === "" ? 1 : Number(ratioRaw);
  if (samplerName.endsWith("traceidratio") && !(ratio >= 0 && ratio <= 1)) {
    throw new OtelConfigError(`OTEL_TRACES_SAMPLER_ARG: "${ratioRaw}" is not a ratio from 0 to 1`);
  }
  return {
    sampler: { name: samplerName as SamplerName, ratio },
    serviceName: (env.OTEL_SERVICE_NAME ?? "").trim() || defaultServiceName,
    signals,
    exportTimeoutMs: millis(env, "OTEL_EXPORTER_OTLP_TIMEOUT", 10_000),
    spanDelayMs: millis(env, "OTEL_BSP_SCHEDULE_DELAY", 5_000),
    logDelayMs: millis(env, "OTEL_BLRP_SCHEDULE_DELAY", 1_000),
    metricIntervalMs: millis(env, "OTEL_METRIC_EXPORT_INTERVAL", 60_000),
    warnings,
  };
}

function millis(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = (env[name] ?? "").trim();
  if (raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new OtelConfigError(
      `${name}: "${raw}" is not a whole number of milliseconds (1-2147483647)`,
    );
  }
  return value;
}

/** The signal's URL: its own endpoint as given, or the base one (+ /v1/<signal> over HTTP). */
function signalUrl(
  env: Record<string, string | undefined>,
  signal: Signal,
  protocol: OtlpProtocol,
): string {
  const own = (env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`] ?? "").trim();
  const base = (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "").trim();
  const name = own
    ? `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`
    : "OTEL_EXPORTER_OTLP_ENDPOINT";
  const fallback = protocol === "grpc" ? "http://localhost:4317" : "http://localhost:4318";
  const raw = own || base || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OtelConfigError(`${name}: "${redactUrl(raw)}" is not a URL (http://host:port)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OtelConfigError(`${name}: "${redactUrl(raw)}" must start with http:// or https://`);
  }
  if (own || protocol === "grpc") return raw;
  return `${raw.replace(/\/+$/, "")}/v1/${signal}`;
}

/** `k1=v1,k2=v2` (values URL-encoded), as the OTLP exporter spec writes headers. */
function parseHeaders(
  env: Record<string, string | undefined>,
  name: string,
): Record<string, string> {
  const raw = (env[name] ?? "").trim();
  const out: Record<string, string> = {};
  if (raw === "") return out;
  for (const part of raw.split(",")) {
    const eq = part.indexOf("=");
    const key = eq > 0 ? part.slice(0, eq).trim() : "";
    if (key === "") throw new OtelConfigError(`${name}: each entry must be key=value`);
    try {
      out[decodeURIComponent(key)] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw new OtelConfigError(`${name}: entry "${key}" is not URL-encoded`);
    }
  }
  return out;
}

/** Drops URL userinfo (an error line must not carry a credential). */
function redactUrl(raw: string): string {
  return raw.replace(/\/\/[^/@\s]*@/, "//").slice(0, 200);
}

function portOf(endpoint: string): string | null {
  try {
    const url = new URL(endpoint);
    return url.port || null;
  } catch {
    return null;
  }
}

/**
 * Switches OpenTelemetry on from the standard OTEL_* variables. With them unset (or
 * OTEL_SDK_DISABLED=true) nothing is loaded and the returned handle does nothing; otherwise the
 * npm SDK is loaded by a dynamic import and installed process-wide (spans, metrics, log export).
 */
import type { Logger } from "./logger.ts";
import { otelRequested, type OtelSettings, otelSettings } from "./otel_env.ts";
import type { MetricSource } from "./otel_metrics.ts";

/** Options of {@link startTelemetry}. */
export interface TelemetryOptions {
  /** The environment (main_server / main_cli pass Deno.env.toObject()). */
  env: Record<string, string | undefined>;
  /** `service.name` when OTEL_SERVICE_NAME is unset, and the instrumentation scope's name. */
  serviceName: string;
  serviceVersion?: string;
  /** Where setup warnings and (rate-limited) export failures go. */
  logger?: Logger;
}

/** A running telemetry setup (or the inert one when the variables are unset). */
export interface Telemetry {
  readonly enabled: boolean;
  /** The settings in force (null when off). */
  readonly settings: OtelSettings | null;
  /** Exports metrics read from `source` at each collection (no-op when off). */
  observe(source: MetricSource): void;
  /** Flushes and stops, waiting at most the export timeout; idempotent. */
  shutdown(): Promise<void>;
}

/** The handle when telemetry is off. */
export const telemetryOff: Telemetry = {
  enabled: false,
  settings: null,
  observe() {},
  shutdown: () => Promise.resolve(),
};

/**
 * Starts telemetry when the variables ask for it. Throws `OtelConfigError` (one line naming
 * the variable) on a bad OTEL_* value.
 */
export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  if (!otelRequested(options.env)) return telemetryOff;
  const settings = otelSettings(options.env, options.serviceName);
  const { startOtel } = await import("./otel_sdk.ts");
  return await startOtel(settings, options);
}

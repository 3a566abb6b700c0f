/**
 * Logging, tracing and OpenTelemetry setup shared by every part. The OpenTelemetry SDK is loaded
 * (dynamically) only by startTelemetry when the OTEL_* variables ask for it.
 * @module
 */
export { createLogger, silentLogger } from "./logger.ts";
export type { LogFields, Logger, LoggerOptions } from "./logger.ts";
/** The log levels of `LoggerOptions.level`. */
export type { LogLevel } from "../config/types.ts";
export { noTracing, tracing } from "./tracing.ts";
export type { SpanAttributes, SpanOptions, SpanScope, TraceIds, Tracing } from "./tracing.ts";
export { traceRequests } from "./http_spans.ts";
export type { TraceRequestsOptions } from "./http_spans.ts";
export { startTelemetry, telemetryOff } from "./start.ts";
export type { Telemetry, TelemetryOptions } from "./start.ts";
export { OtelConfigError, otelRequested, otelSettings } from "./otel_env.ts";
export type { OtelSettings, OtlpProtocol } from "./otel_env.ts";
export type { CollectorCounters, MetricSource } from "./otel_metrics.ts";

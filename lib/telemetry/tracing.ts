/**
 * The tracing seam every part uses: a process-wide {@link Tracing} that is a no-op until
 * `startTelemetry` installs the OpenTelemetry one. No OpenTelemetry module is imported here, so
 * with telemetry off nothing of it is loaded and a span costs one function call.
 */

/** Span attribute values (OpenTelemetry's primitive attribute types). */
export type SpanAttributes = Record<string, string | number | boolean>;

/** What code inside a span may do with it. */
export interface SpanScope {
  /** Adds or overwrites attributes. Never put a DSN, password or error text in them. */
  setAttributes(attributes: SpanAttributes): void;
  /** Marks the span failed with a short error class (`error.type`), never a message. */
  fail(errorType: string): void;
}

/** Options of {@link Tracing.span}. */
export interface SpanOptions {
  /** Span kind (default "internal"). */
  kind?: "internal" | "server" | "client";
  attributes?: SpanAttributes;
  /**
   * A W3C `traceparent` header received with a request: the span continues the caller's trace
   * (ignored when malformed).
   */
  traceparent?: string | null;
}

/** Trace context ids, as written in log lines. */
export interface TraceIds {
  trace_id: string;
  span_id: string;
}

/** Creates spans; the active span is the parent of spans started inside `fn`. */
export interface Tracing {
  /** False for the no-op tracing (callers may skip building attributes). */
  readonly enabled: boolean;
  /** Runs `fn` inside a new active span that ends when `fn` returns or its promise settles. */
  span<T>(name: string, options: SpanOptions, fn: (scope: SpanScope) => T): T;
  /** Ids of the active span, or null when there is none. */
  activeIds(): TraceIds | null;
}

const NOOP_SCOPE: SpanScope = {
  setAttributes() {},
  fail() {},
};

/** The tracing in force while OpenTelemetry is off: runs `fn` and nothing else. */
export const noTracing: Tracing = {
  enabled: false,
  span: (_name, _options, fn) => fn(NOOP_SCOPE),
  activeIds: () => null,
};

let current: Tracing = noTracing;

/** The process-wide tracing (the no-op one unless telemetry was started). */
export function tracing(): Tracing {
  return current;
}

/** Installs the process-wide tracing (`startTelemetry` does; null restores the no-op one). */
export function setTracing(next: Tracing | null): void {
  current = next ?? noTracing;
}

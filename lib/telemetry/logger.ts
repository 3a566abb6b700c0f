/** Structured JSON logging: one line per event on stderr (or any sink), filtered by level. */
import type { LogLevel } from "../config/types.ts";
import { tracing } from "./tracing.ts";

/** Extra structured fields of a log line. Never put a DSN, password or token in them. */
export type LogFields = Record<string, unknown>;

/** A logger passed to every part that needs one; nothing in lib/ prints to the console. */
export interface Logger {
  /** Detail for troubleshooting (one line per cycle, ...). */
  debug(msg: string, fields?: LogFields): void;
  /** Normal events (start, status changes, requests). */
  info(msg: string, fields?: LogFields): void;
  /** Something degraded but handled (a failed prune, a slow client dropped). */
  warn(msg: string, fields?: LogFields): void;
  /** A failure that loses something (a store write) or stops a part. */
  error(msg: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level written (default "info"). */
  level?: LogLevel;
  /** Where each line goes (default: stderr). */
  write?: (line: string) => void;
  /** Fields added to every line. */
  base?: LogFields;
  /** Clock, for tests. */
  now?: () => Date;
}

/** A JSON-lines logger: `{"ts":...,"level":"info","msg":"...",...fields}`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? "info"];
  const encoder = new TextEncoder();
  const write = options.write ??
    ((line: string) => Deno.stderr.writeSync(encoder.encode(line + "\n")));
  const now = options.now ?? (() => new Date());
  const base = options.base ?? {};
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[level] < min) return;
    const t = tracing();
    // With OpenTelemetry on, a line written inside a span names it (trace_id, span_id).
    const ids = t.enabled ? t.activeIds() : null;
    const ts = now();
    write(
      JSON.stringify({ ts: ts.toISOString(), level, msg, ...base, ...ids, ...fields }, replacer),
    );
    logExport?.(level, msg, { ...base, ...fields }, ts);
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}

/** A logger that drops everything (tests, library defaults). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Receives every written line as a log record (OpenTelemetry's log export) while set. */
export type LogExport = (level: LogLevel, msg: string, fields: LogFields, ts: Date) => void;

let logExport: LogExport | null = null;

/** Sets (or with null clears) where written lines are also exported (`startTelemetry` does). */
export function setLogExport(next: LogExport | null): void {
  logExport = next;
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

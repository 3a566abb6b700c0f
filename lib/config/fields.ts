/**
 * Leaf validators for config values. Each takes what YAML (after env expansion) gave and returns
 * the resolved value or throws an Error whose message becomes `path: message`. Strings are coerced
 * where a number or boolean is expected, so `lag_seconds_warn: ${WARN:-5}` works.
 */
import { formatDuration, parseDuration, parseRate } from "./duration.ts";
import { parseListen } from "./listen.ts";
import { redactDsn } from "./redact.ts";
import type { AccessLogMode, LogLevel } from "./types.ts";

/** Letters, digits, `_`, `.` and `-`: safe in metric labels, URLs and log lines. */
export const NODE_NAME_RE = /^[A-Za-z0-9_.-]{1,63}$/;
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

export function nodeName(v: unknown): string {
  if (typeof v === "number") v = String(v);
  if (typeof v !== "string" || !NODE_NAME_RE.test(v)) {
    const got = typeof v === "string" ? ` (got ${JSON.stringify(redactDsn(v))})` : "";
    throw new Error(`must be 1-63 letters, digits, "_", "." or "-"${got}`);
  }
  return v;
}

/** A duration in [min, max] ms; the message names both bounds. */
export function duration([min, max]: readonly [number, number]) {
  const bounds = `at least ${formatDuration(min)} and at most ${formatDuration(max)}`;
  return (v: unknown): number => {
    if (typeof v !== "string" && typeof v !== "number") {
      throw new Error(`must be a duration such as "500ms", "2s", "5m" or "7d"`);
    }
    const ms = parseDuration(v);
    if (!(ms >= min && ms <= max)) throw new Error(`must be ${bounds} (got ${JSON.stringify(v)})`);
    return ms;
  };
}

export function positiveRate(v: unknown): number {
  if (typeof v !== "string" && typeof v !== "number") {
    throw new Error(`must be a rate such as "3/min", "0.5/s" or "100/h"`);
  }
  const perMinute = parseRate(v);
  if (perMinute <= 0) throw new Error(`must be greater than 0 (got ${JSON.stringify(v)})`);
  return perMinute;
}

export function seconds(v: unknown): number {
  const n = typeof v === "string" && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
    throw new Error(`must be a non-negative number of seconds (got ${JSON.stringify(v)})`);
  }
  return n;
}

export function boolean(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) {
    return v.trim().toLowerCase() === "true";
  }
  throw new Error(`must be true or false (got ${JSON.stringify(v)})`);
}

export function logLevel(v: unknown): LogLevel {
  const level = typeof v === "string" ? v.trim().toLowerCase() : v;
  if (!LOG_LEVELS.includes(level as LogLevel)) {
    throw new Error(`must be one of ${LOG_LEVELS.join(", ")} (got ${JSON.stringify(v)})`);
  }
  return level as LogLevel;
}

const ACCESS_LOG_MODES: readonly AccessLogMode[] = ["all", "sampled", "errors"];

export function accessLog(v: unknown): AccessLogMode {
  const mode = typeof v === "string" ? v.trim().toLowerCase() : v;
  if (!ACCESS_LOG_MODES.includes(mode as AccessLogMode)) {
    throw new Error(`must be one of ${ACCESS_LOG_MODES.join(", ")} (got ${JSON.stringify(v)})`);
  }
  return mode as AccessLogMode;
}

export function nonEmptyString(v: unknown): string {
  if (typeof v !== "string" || v.trim() === "") throw new Error("must be a non-empty string");
  return v;
}

export function authToken(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v !== "string") throw new Error("must be a string (quote it in YAML)");
  if (v === "") throw new Error("must not be empty (omit the key to disable authentication)");
  if (/[\s\p{Cc}]/u.test(v)) {
    throw new Error("must not contain whitespace or control characters");
  }
  return v;
}

/** libpq connection keywords accepted in key=value DSNs. */
const LIBPQ_KEYS = new Set(
  ("host hostaddr port dbname user password passfile require_auth channel_binding connect_timeout " +
    "client_encoding options application_name fallback_application_name keepalives keepalives_idle " +
    "keepalives_interval keepalives_count tcp_user_timeout replication gssencmode sslmode requiressl " +
    "sslcompression sslcert sslkey sslcertmode sslpassword sslrootcert sslcrl sslcrldir sslsni " +
    "requirepeer ssl_min_protocol_version ssl_max_protocol_version krbsrvname gsslib gssdelegation " +
    "service target_session_attrs load_balance_hosts").split(" "),
);
const KV_PAIR = String.raw`([A-Za-z_]+)\s*=\s*('(?:\\.|[^'\\])*'|[^\s']+)`;
const KV_DSN_RE = new RegExp(String.raw`^\s*${KV_PAIR}(?:\s+${KV_PAIR})*\s*$`);

/**
 * Parses a libpq key=value DSN (`host=h port=5432 password='se cret'`) into its parameters,
 * unquoting values. Throws a `SyntaxError` (message without the password) when malformed.
 */
export function parseKeyValueDsn(dsn: string): Record<string, string> {
  if (!KV_DSN_RE.test(dsn)) throw new SyntaxError("malformed key=value DSN");
  const out: Record<string, string> = {};
  for (const m of dsn.matchAll(new RegExp(KV_PAIR, "g"))) {
    const key = m[1]!;
    if (!LIBPQ_KEYS.has(key)) throw new SyntaxError(`unknown connection parameter "${key}"`);
    const raw = m[2]!;
    out[key] = raw.startsWith("'") ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
  }
  return out;
}

export function dsn(v: unknown): string {
  const form = "must be a postgres:// URL or key=value DSN";
  if (typeof v !== "string" || v.trim() === "") throw new Error(form);
  const shown = JSON.stringify(redactDsn(v));
  if (/^\s*[a-z][a-z0-9+.-]*:/i.test(v)) {
    if (!/^postgres(ql)?:\/\/\S+$/i.test(v.trim()) || !URL.canParse(v.trim())) {
      throw new Error(`${form} (got ${shown})`);
    }
    return v.trim();
  }
  if (!v.includes("=")) throw new Error(`${form} (got ${shown})`);
  try {
    parseKeyValueDsn(v);
  } catch (e) {
    throw new Error(`${form}: ${(e as Error).message} (got ${shown})`);
  }
  return v.trim();
}

export function listen(v: unknown): string {
  if (typeof v !== "string" && typeof v !== "number") {
    throw new Error(`must be an address such as ":8080" or "127.0.0.1:8080"`);
  }
  parseListen(v);
  return String(v).trim();
}

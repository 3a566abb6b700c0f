/**
 * Turns a node DSN (postgres:// URL or libpq key=value string) into postgres.js options, and
 * extracts its password so error text can be redacted.
 */

/** Connection settings postgres.js understands. */
export interface DsnOptions {
  host?: string;
  port?: number;
  database?: string;
  username?: string;
  password?: string;
  ssl?: string | boolean;
}

/** Parsed DSN: either a URL to hand to postgres.js as is, or options. */
export interface ParsedDsn {
  readonly url: string | null;
  readonly options: DsnOptions;
  /** The password in the DSN (for redaction), or null. */
  readonly password: string | null;
}

const KV_RE = /\s*([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)/gy;

/** Parses a libpq key=value string; throws a TypeError on a malformed one (without echoing it). */
export function parseKeyValueDsn(dsn: string): Record<string, string> {
  const out: Record<string, string> = {};
  KV_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = KV_RE.exec(dsn)) !== null && m[0].length > 0) {
    let v = m[2]!;
    if (v.startsWith("'")) v = v.slice(1, -1).replace(/\\(.)/g, "$1");
    out[m[1]!.toLowerCase()] = v;
    end = KV_RE.lastIndex;
  }
  if (dsn.slice(end).trim() !== "") throw new TypeError("malformed key=value DSN");
  return out;
}

/** Parses a node DSN. */
export function parseDsn(dsn: string): ParsedDsn {
  const trimmed = dsn.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let password: string | null = null;
    try {
      const u = new URL(trimmed);
      password = u.password ? decodeURIComponent(u.password) : null;
    } catch {
      throw new TypeError("malformed postgres:// DSN");
    }
    return { url: trimmed, options: {}, password };
  }
  const kv = parseKeyValueDsn(trimmed);
  const options: DsnOptions = {};
  const host = kv.host ?? kv.hostaddr;
  if (host) options.host = host;
  if (kv.port) options.port = Number(kv.port);
  if (kv.dbname) options.database = kv.dbname;
  if (kv.user) options.username = kv.user;
  if (kv.password) options.password = kv.password;
  if (kv.sslmode && kv.sslmode !== "disable") options.ssl = kv.sslmode;
  return { url: null, options, password: kv.password ?? null };
}

/**
 * Keeping DSN passwords (and the API token) out of errors, logs and printed config.
 * Redaction errs on the side of hiding too much: a malformed DSN is still masked.
 */
import type { ResolvedConfig } from "./types.ts";

const MASK = "****";
/** key=value `password=...` (also `sslpassword`, URL query `?password=`): quoted or up to whitespace. */
const KV_PASSWORD_RE = /(password\s*=\s*)('(?:\\.|[^'\\])*'?|\S*)/gi;
// Bounded quantifiers keep the loose patterns linear on long text without "@".
/** URL userinfo `scheme://user:PASSWORD@`; the password runs to the LAST `@` (raw `@` in passwords). */
const URL_PASSWORD_RE = /([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:@/]{0,256}:)(\S{0,1024})@/gi;
/** Anything else shaped like `user:PASSWORD@host` (e.g. a URL with a typo in its scheme). */
const USERINFO_RE = /([^\s:@/]{1,256}:)(?!\/\/)([^\s@]{1,1024})@/g;

/** Masks the password of a DSN (URL or key=value form), or of any DSN-like text inside `dsn`. */
export function redactDsn(dsn: string): string {
  return dsn
    .replace(KV_PASSWORD_RE, `$1${MASK}`)
    .replace(URL_PASSWORD_RE, `$1${MASK}@`)
    .replace(
      USERINFO_RE,
      (all, user: string, pass: string) => pass === MASK ? all : `${user}${MASK}@`,
    );
}

/** The password(s) a DSN carries, raw and URL-decoded, for {@link redactSecrets}. */
export function dsnPasswords(dsn: string): string[] {
  const found: string[] = [];
  for (const m of dsn.matchAll(KV_PASSWORD_RE)) {
    const raw = m[2] ?? "";
    found.push(raw);
    if (raw.startsWith("'")) found.push(raw.replace(/^'|'$/g, "").replace(/\\(.)/g, "$1"));
  }
  const inUrl = [...dsn.matchAll(URL_PASSWORD_RE)].map((m) => m[2] ?? "");
  // the loose pattern only when there is no proper URL: it would cut "p@ss" down to "p"
  const loose = inUrl.length > 0 ? [] : [...dsn.matchAll(USERINFO_RE)].map((m) => m[2] ?? "");
  found.push(...inUrl, ...loose);
  const decoded = found.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  return [...new Set([...found, ...decoded])].filter((s) => s !== "" && s !== MASK);
}

/** Replaces every occurrence of each secret in `text` with `****` (longest secrets first). */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  const list = [...new Set(secrets)].filter((s) => s !== "").sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of list) out = out.split(secret).join(MASK);
  return out;
}

/** Every secret in a resolved config: DSN passwords (raw and decoded) and the API token. */
export function configSecrets(config: ResolvedConfig): string[] {
  const secrets = config.collector.nodes.flatMap((n) => dsnPasswords(n.dsn));
  if (config.server.authToken) secrets.push(config.server.authToken);
  return [...new Set(secrets)];
}

/** The resolved config as a JSON-safe plain object, DSNs redacted and the token shown as `****`. */
export function describeConfig(config: ResolvedConfig): Record<string, unknown> {
  const secrets = configSecrets(config);
  const copy: Record<string, unknown> = { ...structuredClone(config) };
  copy.collector = {
    ...config.collector,
    nodes: config.collector.nodes.map((n) => ({
      name: n.name,
      dsn: redactSecrets(redactDsn(n.dsn), secrets),
    })),
  };
  copy.server = {
    ...structuredClone(config.server),
    authToken: config.server.authToken === null ? null : MASK,
  };
  return copy;
}
